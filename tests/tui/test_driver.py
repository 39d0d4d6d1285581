"""The live driver: inputs land at times the log records exactly, so a play log replays byte for byte."""

from __future__ import annotations

from sim.engine import Exercise
from sim.log import read_log
from sim.scenario import load
from tests.tui.conftest import scenario_file
from tui.driver import LiveDriver


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
    d = LiveDriver(Exercise(load(scenario_file("mentougou-flash-flood")), log_path=log,
                            players=["mtg-flood-hq"]))
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
    d = LiveDriver(Exercise(load(scenario_file("mentougou-flash-flood")), log_path=log))
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
    d = LiveDriver(Exercise(load(scenario_file("mentougou-flash-flood"))))
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
