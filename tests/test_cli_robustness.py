"""The CLI answers system errors (an unwritable output, a full disk) in one line, without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.cli import main

ONE = Path(__file__).resolve().parent / "scenarios" / "one-incident.yaml"


def test_an_unwritable_output_directory_is_one_line(capsys):
    code = main(["run", str(ONE), "--out", "/dev/null/run"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err == ["drillsim: /dev/null/run: Not a directory"]


def test_a_damaged_log_is_an_error_with_its_line(tmp_path):
    from drillsim.commands.common import read_run_log
    from drillsim.log import LogError

    log = tmp_path / "events.jsonl"
    log.write_text("not json\nnot json either\n")
    with pytest.raises(LogError, match=r"events.jsonl:1: <record>: not a JSON line"):
        read_run_log(log)
