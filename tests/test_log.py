"""The event log reads back exactly, and a torn last line is dropped and flagged."""

from __future__ import annotations

import pytest

from drillsim.engine import Exercise
from drillsim.log import LogError, read_log
from drillsim.scenario import load


def test_read_back_equals_memory(tmp_path, scenario_path):
    out = tmp_path / "events.jsonl"
    ex = Exercise(load(scenario_path("one-incident")), log_path=out)
    ex.run()
    log = read_log(out)
    assert [tuple(r) for r in log.records] == [tuple(r) for r in ex.log.records[1:]]
    assert [r.seq for r in log.records] == list(range(1, len(log.records) + 1))


def test_torn_last_line_is_dropped(tmp_path, scenario_path):
    out = tmp_path / "events.jsonl"
    Exercise(load(scenario_path("one-incident")), log_path=out).run()
    whole = read_log(out)
    data = out.read_bytes()
    out.write_bytes(data[: len(data) - 25])
    log = read_log(out)
    assert log.torn and not log.complete
    assert log.records == whole.records[:-1]  # only the torn exercise.ended line is gone


def test_corrupt_middle_line_is_an_error(tmp_path, scenario_path):
    out = tmp_path / "events.jsonl"
    Exercise(load(scenario_path("one-incident")), log_path=out).run()
    lines = out.read_bytes().split(b"\n")
    lines[3] = b"{garbage"
    out.write_bytes(b"\n".join(lines))
    with pytest.raises(LogError, match=r"events.jsonl:4: <record>: not a JSON line"):
        read_log(out)


def test_not_a_log(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"t":0,"seq":0,"kind":"other","actor":null,"subject":null,"data":{}}\n')
    with pytest.raises(LogError, match="not a drillsim event log"):
        read_log(p)
