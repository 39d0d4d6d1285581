"""Shared fixtures: paths to the small scenarios with known answers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

FOLDERS = ("sim", "agents", "tui", "reports", "scenarios")
"""The repository folders that install as ``drillsim`` subpackages, never as import names of their own."""


@pytest.fixture(autouse=True, scope="session")
def _one_import_name() -> Iterator[None]:
    """Fail the session if any code imported a repository folder by its folder name.

    The repository root is on ``sys.path`` while testing (``tests`` is a package), so ``import sim``
    would quietly load a second copy of the engine instead of failing as it does for users.
    """
    yield
    stray = sorted(name for name in FOLDERS if name in sys.modules)
    assert not stray, f"imported by folder name instead of drillsim.*: {', '.join(stray)}"

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"


@pytest.fixture
def scenario_path():
    """Path of a test scenario by name (without .yaml)."""

    def get(name: str) -> Path:
        return SCENARIOS / f"{name}.yaml"

    return get
