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


def _run(names: list[str]) -> dict[str, subprocess.CompletedProcess[str]]:
    """``drillsim validate`` over files that share their extra arguments, in one process.

    Every problem line starts with its file's name, so each file's lines are picked out of the one
    stderr; a file's result carries the process's exit status and stdout (each file is bad, so the
    status must be 2 and stdout empty whatever the file).
    """
    env = {k: v for k, v in os.environ.items() if k != "DRILLSIM_DEBUG"}
    done = subprocess.run([*drillsim(), "validate", *_args(names[0]), *(f"{n}.yaml" for n in names)], cwd=BAD,
                          env=env, capture_output=True, text=True, timeout=120)
    lines = done.stderr.splitlines()
    out = {}
    for name in names:
        mine = [line for line in lines if line.startswith(f"{name}.yaml:") or
                (line.startswith("--set:") and _args(name))]
        out[name] = subprocess.CompletedProcess(done.args, done.returncode, done.stdout,
                                                "\n".join(mine) + ("\n" if mine else ""))
    leftover = [line for line in lines if not any(line.startswith(f"{n}.yaml:") for n in names)
                and not line.startswith("--set:")]
    assert not leftover, leftover  # every line belongs to a file (no traceback, no stray output)
    return out


@pytest.fixture(scope="module")
def results() -> dict[str, subprocess.CompletedProcess[str]]:
    """Every case, one process per set of extra arguments (a process start costs more than a file)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for name in CASES:
        groups.setdefault(tuple(_args(name)), []).append(name)
    # files with extra arguments go alone: a bad --set is reported once, not once per file
    batches = [names for args, names in groups.items() if not args]
    batches += [[name] for args, names in groups.items() if args for name in names]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return {k: v for part in pool.map(_run, batches) for k, v in part.items()}


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
