"""Hazard tests reuse the tiny world of the flow tests (tests/flows/flowworld.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "flows"))

from flowworld import run


@pytest.fixture
def run_world():
    """``run_world(extra_yaml, seed=None, players=(), inputs=())`` → record tuples."""
    return run
