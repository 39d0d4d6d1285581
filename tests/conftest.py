"""Shared fixtures: paths to the small scenarios with known answers."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"


@pytest.fixture
def scenario_path():
    """Path of a test scenario by name (without .yaml)."""

    def get(name: str) -> Path:
        return SCENARIOS / f"{name}.yaml"

    return get
