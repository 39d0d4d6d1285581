"""Fixture: run the tiny world of :mod:`flowworld` plus extra YAML."""

import pytest
from flowworld import run


@pytest.fixture
def run_world():
    """``run_world(extra_yaml, seed=None, players=(), inputs=())`` → record tuples."""
    return run
