"""Fixtures for sweep tests: the command line in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``drillsim ARGS`` in a subprocess from the repository root."""
    return subprocess.run([sys.executable, "-m", "drillsim.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.fixture
def drillsim() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the command line; returns the completed process."""
    return run_cli
