"""Bundled scenarios (YAML files shipped with drillsim); list them with ``drillsim list``."""

from __future__ import annotations

from pathlib import Path


def bundled() -> list[Path]:
    """Paths of the bundled scenario files, sorted by id."""
    return sorted(Path(__file__).parent.glob("*.yaml"))
