"""The bad-log corpus: every command that reads a log refuses each file in tests/badlogs/ with exactly
the located line in its `.expected` sidecar (`FILE:LINE: field: problem`), exit 2, no traceback, and
writes nothing.

`good.jsonl` is the small valid log every bad one was made from (one mistake each, listed in
tests/badlogs/README.md); it must pass, or the corpus would test nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from drillsim.cli import main
from drillsim.log import LogError

BAD = Path(__file__).resolve().parents[1] / "badlogs"
CASES = sorted(p.stem for p in BAD.glob("*.jsonl") if p.stem != "good")
LINE = re.compile(r"^(?P<file>[^:]+\.jsonl)(:(?P<line>\d+): (?P<field>\S+))?: (?P<problem>.+)$")


def expected(name: str) -> str:
    return (BAD / f"{name}.expected").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def in_corpus(monkeypatch):
    monkeypatch.chdir(BAD)  # problem lines name the file as given: NAME.jsonl


def test_the_corpus_is_large_complete_and_documented():
    assert len(CASES) >= 50
    listed = (BAD / "README.md").read_text(encoding="utf-8")
    for name in CASES:
        assert (BAD / f"{name}.expected").exists(), name
        assert f"`{name}.jsonl`" in listed, f"{name} is not described in tests/badlogs/README.md"
    assert sorted(p.stem for p in BAD.glob("*.expected")) == CASES


def test_the_good_log_is_reported(tmp_path, capsys):
    assert main(["report", "good.jsonl", "--out", str(tmp_path), "--quiet"]) == 0
    assert (tmp_path / "scorecard.json").exists()
    assert main(["compare", "good.jsonl", "good.jsonl", "--no-report", "--quiet"]) == 0


@pytest.mark.parametrize("name", CASES)
def test_report_refuses_with_exactly_the_located_line(name, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["report", f"{name}.jsonl", "--out", str(out)]) == 2
    got = capsys.readouterr()
    assert got.err == expected(name)
    assert got.out == ""
    assert not out.exists()  # nothing written for a log that was refused


@pytest.mark.parametrize("name", CASES)
def test_expected_lines_are_located(name):
    (line,) = expected(name).splitlines()
    m = LINE.match(line)
    assert m and m["file"] == f"{name}.jsonl", line
    if m["line"] is not None:
        assert int(m["line"]) >= 1


@pytest.mark.parametrize("name", CASES)
def test_compare_and_verify_and_the_viewer_refuse_alike(name, tmp_path, capsys):
    assert main(["compare", "good.jsonl", f"{name}.jsonl", "--out", str(tmp_path / "c")]) == 2
    assert capsys.readouterr().err == expected(name)
    assert main(["replay", f"{name}.jsonl", "--verify"]) == 2
    assert capsys.readouterr().err == expected(name)
    from drillsim.tui.replay.app import run_viewer

    with pytest.raises(LogError) as refused:
        run_viewer(Path(f"{name}.jsonl"))
    assert str(refused.value) + "\n" == expected(name)


def test_a_real_process_prints_one_line_and_no_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DRILLSIM_DEBUG"}
    for name in ("data-list", "header-players-mixed", "nested-1000", "header-nested-1000", "t-text"):
        done = subprocess.run([sys.executable, "-m", "drillsim.cli", "report", f"{name}.jsonl", "--out",
                               str(tmp_path / name)], cwd=BAD, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2
        assert done.stderr == expected(name)
        assert "Traceback" not in done.stderr + done.stdout
