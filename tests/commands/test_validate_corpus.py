"""The bad-scenario corpus: `drillsim validate` on each file in tests/bad/ prints exactly the located
problems in its `.expected` sidecar, exits 2 and never shows a traceback.

Each `tests/bad/<name>.yaml` is a small realistic scenario with one mistake (its first line says
which); a `# args:` line gives extra command-line arguments (e.g. a bad `--set`).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

BAD = Path(__file__).resolve().parents[1] / "bad"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<message>.+)$")


def drillsim() -> list[str]:
    script = Path(sys.executable).with_name("drillsim")
    return [str(script)] if script.exists() else [sys.executable, "-m", "drillsim.cli"]


def _args(name: str) -> list[str]:
    path = BAD / f"{name}.yaml"
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:5]:
        if line.startswith("# args:"):
            return shlex.split(line.removeprefix("# args:"))
    return []


def _run(name: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DRILLSIM_DEBUG"}
    return subprocess.run([*drillsim(), "validate", *_args(name), f"{name}.yaml"], cwd=BAD, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def results() -> dict[str, subprocess.CompletedProcess[str]]:
    """Run every case once, a few at a time (each is a separate process start)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(CASES, pool.map(_run, CASES), strict=True))


def test_the_corpus_is_large_and_complete():
    assert len(CASES) >= 30
    for name in CASES:
        assert (BAD / f"{name}.expected").exists(), f"{name}.yaml has no .expected file"
    assert sorted(p.stem for p in BAD.glob("*.expected")) == CASES


@pytest.mark.parametrize("name", CASES)
def test_bad_file_gets_exactly_its_located_problems(name, results):
    result = results[name]
    expected = (BAD / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    got = result.stderr.splitlines()
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert got == expected


@pytest.mark.parametrize("name", CASES)
def test_expected_lines_are_located(name):
    """Every expected line is FILE:LINE:COL: path: message, in the file itself (line >= 1) or on --set."""
    for line in (BAD / f"{name}.expected").read_text(encoding="utf-8").splitlines():
        m = LINE.match(line)
        assert m, line
        if m["file"] == "--set":
            continue
        assert m["file"] == f"{name}.yaml"
        assert int(m["line"]) >= 1 and int(m["col"]) >= 1, line
