"""The live driver: inputs land at times the log records exactly, so a play log replays byte for byte."""

from __future__ import annotations

import pytest

from drillsim.engine import Exercise
from drillsim.log import read_log
from drillsim.scenario import load
from drillsim.tui.driver import LiveDriver
from tests.tui.conftest import scenario_file


def replay_bytes(log, tmp_path) -> bytes:
    data = read_log(log)
    header = data.header
    loaded = load(scenario_file(header["scenario"]["id"]), [f"{p}={v}" for p, v in header["overrides"]])
    out = tmp_path / "replay.jsonl"
    Exercise(loaded, header["seed"], log_path=out, players=header["players"]).run(
        inputs=[(r.t, r.data) for r in data.inputs])
    return out.read_bytes()


def test_answer_to_a_decision_opened_at_an_unrounded_time_replays(tmp_path):
    log = tmp_path / "events.jsonl"
    d = LiveDriver.start(load(scenario_file("mentougou-flash-flood")), log_path=log,
                         players=["mtg-flood-hq"])
    answered = []
    t = 0.0
    while not d.ended and t < d.duration:
        t += 7.3  # slices that never line up with anything
        if d.advance(t):
            opened = d.now  # the exact instant the decision opened
            for dec in d.view.pending:
                d.submit({"kind": "decide", "decision": dec.key, "option": dec.default, "by": "players"})
                # a second input in the same instant, before the clock moves
                d.submit({"kind": "note", "text": f"answered {dec.key}", "objective": None})
                answered.append((opened, d.now))
    d.finish("duration")
    assert any(opened != round(opened, 4) for opened, _ in answered)  # the awkward case happened
    for opened, at in answered:
        assert at >= opened and at == round(at, 4) and at - opened < 1e-4
    data = read_log(log)
    for rec in data.records:
        if rec.kind == "decision.made" and rec.data["by"] == "players":
            notes = [r for r in data.records if r.kind == "note.added"]
            note = next(r for r in notes if r.data["text"].endswith(rec.subject))
            assert rec.seq < note.seq  # the decision took effect before the next input
    assert replay_bytes(log, tmp_path) == log.read_bytes()


def test_role_toggled_mid_run_replays(tmp_path):
    log = tmp_path / "events.jsonl"
    d = LiveDriver.start(load(scenario_file("mentougou-flash-flood")), log_path=log)
    d.advance(100.0)
    d.submit({"kind": "role", "agency": "mtg-flood-hq", "played": True})
    t = 100.0
    while not d.ended and t < d.duration:
        t += 13.1
        if d.advance(t):
            for dec in d.view.pending:
                d.submit({"kind": "decide", "decision": dec.key, "option": list(dec.options)[-1]})
    d.finish("duration")
    data = read_log(log)
    assert any(r.kind == "decision.opened" and r.data["asked"] == "players" for r in data.records)
    assert replay_bytes(log, tmp_path) == log.read_bytes()


def test_a_refused_input_logs_nothing(tmp_path):
    d = LiveDriver.start(load(scenario_file("mentougou-flash-flood")))
    before = len(d.view.records)
    for bad in ({"kind": "decide", "decision": "D-01", "option": "request"},
                {"kind": "note", "text": "  "},
                {"kind": "inject", "to": ["nobody"], "title": "x"}):
        try:
            d.submit(bad)
        except ValueError:
            pass
        else:  # pragma: no cover
            raise AssertionError(f"accepted {bad}")
    assert len(d.view.records) == before


def test_a_refusal_is_told_apart_from_a_value_error_raised_while_simulating(tmp_path, monkeypatch):
    from drillsim.flows.decisions import DecisionFlow
    from drillsim.tui.driver import SimulationFault, is_refusal

    d = LiveDriver.start(load(scenario_file("mentougou-flash-flood")), players=["mtg-flood-hq"])
    with pytest.raises(ValueError, match="a note needs text") as refused:
        d.submit({"kind": "note", "text": " "})
    assert is_refusal(refused.value)
    assert d.advance(200.0)  # D-01 opened for the players

    def choose(self, key, option):
        raise ValueError("a bug, not a refusal")

    monkeypatch.setattr(DecisionFlow, "choose", choose)
    with pytest.raises(SimulationFault) as caught:
        d.submit({"kind": "decide", "decision": "D-01", "option": "request"})
    fault = caught.value
    assert fault.during == "input" and isinstance(fault.error, ValueError) and not is_refusal(fault.error)
    assert d.fault is fault
    assert not d.advance(300.0) and d.now == 180.0  # never advanced again
    with pytest.raises(ValueError, match="stopped after an error"):
        d.submit({"kind": "note", "text": "x"})


def test_stop_after_a_fault_ends_the_log_at_the_fault_without_moving_the_clock(tmp_path, monkeypatch):
    from drillsim.flows.rescue import Dispatcher
    from drillsim.tui.driver import SimulationFault

    log = tmp_path / "events.jsonl"
    d = LiveDriver.start(load(scenario_file("mentougou-flash-flood")), log_path=log)

    def enqueue(self, inc):
        raise RuntimeError("boom")

    monkeypatch.setattr(Dispatcher, "enqueue", enqueue)
    with pytest.raises(SimulationFault) as caught:
        d.advance(d.duration)
    at = caught.value.t
    assert d.stop("error") and d.ended and d.end_reason == "error"
    assert d.stop("interrupted")  # idempotent: nothing more is written
    data = read_log(log)
    assert data.complete and data.records[-1].t == round(at, 4)
    assert [r.data["reason"] for r in data.records if r.kind == "exercise.ended"] == ["error"]
    assert not data.inputs  # no `end` input: applying it would have moved a broken clock


def test_a_failing_finish_leaves_the_log_intact_and_closed(tmp_path, monkeypatch):
    from drillsim.engine import Exercise as Ex
    from drillsim.tui.driver import SimulationFault

    log = tmp_path / "events.jsonl"
    d = LiveDriver.start(load(scenario_file("mentougou-flash-flood")), log_path=log)
    d.advance(300.0)

    def summary(self):
        raise RuntimeError("summary is broken")

    monkeypatch.setattr(Ex, "summary", summary)
    with pytest.raises(SimulationFault) as caught:
        d.finish("duration")
    assert caught.value.during == "finish"
    before = log.read_bytes()
    assert not d.stop("error")  # finish is not tried twice (it would log its first records again)
    assert d.ended and d.end_reason is None
    data = read_log(log)
    assert not data.complete and not data.torn and data.header["seed"] == 20230731
    assert log.read_bytes().startswith(before)
    kinds = [r.kind for r in data.records]
    assert len([k for k in kinds if k == "incident.unresolved"]) == len(
        {r.subject for r in data.records if r.kind == "incident.unresolved"})


def test_a_view_that_raises_never_reaches_the_engine(tmp_path, monkeypatch):
    from drillsim.tui import state

    def broken(view, t, actor, subject, data):
        raise KeyError("x")

    monkeypatch.setitem(state._HANDLERS, "report.received", broken)
    log = tmp_path / "events.jsonl"
    d = LiveDriver.start(load(scenario_file("mentougou-flash-flood")), log_path=log)
    d.advance(d.duration)
    d.finish("duration")
    assert d.view_fault is not None and d.view_fault.record[2] == "report.received" and d.view_fault.count > 1
    assert len(d.view.records) == d.exercise.log.next_seq - 1  # every record is counted (not the header)
    assert replay_bytes(log, tmp_path) == log.read_bytes()
