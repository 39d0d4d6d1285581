"""Fixtures of the scenario checks: runs shared by the session's xdist workers."""

from __future__ import annotations

import os

import pytest

from tests.scenarios.runcache import RunCache


@pytest.fixture(scope="session")
def shared_runs(tmp_path_factory: pytest.TempPathFactory) -> RunCache:
    """World outcomes of runs, computed once per session whichever worker needs them first."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return RunCache(tmp_path_factory.getbasetemp().parent / "shared-runs")
    return RunCache(None)
