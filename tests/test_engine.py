"""Determinism and replay: same scenario + seed + inputs ⇒ the same bytes, however the run is sliced."""

from __future__ import annotations

import json

import pytest

from drillsim.engine import Exercise
from drillsim.log import read_log
from drillsim.scenario import load


def run_to(path, tmp_path, name, seed=None, **kw):
    out = tmp_path / name / "events.jsonl"
    Exercise(load(path), seed, log_path=out, **kw).run()
    return out.read_bytes()


def test_same_seed_same_bytes_different_seed_different(tmp_path):
    a = run_to("mentougou-flash-flood", tmp_path, "a")
    b = run_to("mentougou-flash-flood", tmp_path, "b")
    c = run_to("mentougou-flash-flood", tmp_path, "c", seed=1)
    assert a == b
    assert a != c


def test_slicing_does_not_change_the_log(tmp_path):
    whole = run_to("mentougou-flash-flood", tmp_path, "whole")
    out = tmp_path / "sliced" / "events.jsonl"
    ex = Exercise(load("mentougou-flash-flood"), log_path=out)
    t = 0.0
    while not ex.at_end:
        t += 7.3
        ex.advance(t)
    ex.finish("duration")
    assert out.read_bytes() == whole


def test_live_inputs_replay_byte_for_byte(tmp_path, scenario_path):
    """A console-style run (slices + decisions + injects + notes) re-runs identically from its inputs."""
    live = tmp_path / "live.jsonl"
    ex = Exercise(load(scenario_path("decision")), log_path=live, players=["city-hq"])
    t = 0.0
    while not ex.at_end and not ex.ended:
        t += 3.0
        ex.advance(t)
        if t == 60.0:
            ex.submit({"kind": "inject", "template": "I-2", "to": ["city-hq"]})
        if ex.pending and t >= 135.0:
            ex.submit({"kind": "decide", "decision": ex.pending[0].id, "option": "raise"})
        if t == 240.0:
            ex.submit({"kind": "note", "text": "Level II raised late", "rating": "S"})
        if t == 300.0:
            ex.submit({"kind": "end", "reason": "facilitator"})
    log = read_log(live)
    assert log.complete and log.records[-1].data["reason"] == "facilitator"
    inputs = [(r.t, r.data) for r in log.inputs]
    assert [p["kind"] for _, p in inputs] == ["inject", "decide", "note", "end"]
    replay = tmp_path / "replay.jsonl"
    Exercise(load(scenario_path("decision")), log_path=replay, players=log.header["players"]).run(inputs)
    assert replay.read_bytes() == live.read_bytes()


def test_header_describes_the_run(tmp_path):
    out = tmp_path / "events.jsonl"
    Exercise(load("mentougou-flash-flood", ["county-deadline=45m"]), 3, log_path=out).run()
    log = read_log(out)
    h = log.header
    assert h["scenario"]["id"] == "mentougou-flash-flood" and len(h["scenario"]["sha256"]) == 64
    assert h["seed"] == 3 and h["overrides"] == [["county-deadline", "45m"]]
    assert h["definition"]["reporting"]["deadlines"]["county"] == 45.0
    assert set(h["roster"]["teams"]) >= {"mtg-fire-01", "mtg-fire-03", "bluesky-mtg"}
    assert log.complete and not log.torn


def test_adding_a_team_does_not_shift_other_streams(tmp_path):
    """Keyed streams: an extra team changes nothing that does not involve it before it acts."""
    base = run_to("mentougou-flash-flood", tmp_path, "base")
    loaded = load("mentougou-flash-flood", ["teams.bluesky-mtg.count=2"])
    out = tmp_path / "more" / "events.jsonl"
    Exercise(loaded, log_path=out).run()
    def detections(data: bytes) -> list[tuple]:
        recs = [json.loads(line) for line in data.splitlines()]
        return [(r["t"], r["subject"], r["data"]) for r in recs if r["kind"] == "incident.detected"]

    assert detections(base) == detections(out.read_bytes())


def test_inputs_at_unclean_instants_replay_exactly(tmp_path):
    """Answers given the moment a played decision opens (at an arbitrary float time), followed by a
    second input in the same instant, replay byte for byte without any help from the driver."""
    live = tmp_path / "live.jsonl"
    ex = Exercise(load("mentougou-flash-flood"), log_path=live, players=["mtg-flood-hq"])
    answered = unclean = 0
    while not ex.ended and not ex.at_end:
        ex.advance(ex.duration)
        for pending in ex.pending:
            unclean += round(ex.now, 4) != ex.now
            ex.submit({"kind": "decide", "decision": pending.id, "option": next(iter(pending.options))})
            ex.submit({"kind": "note", "text": f"answered {pending.id}"})
            answered += 1
    ex.finish("duration")
    assert answered >= 2 and unclean >= 1
    log = read_log(live)
    made = [r for r in log.records if r.kind == "decision.made" and r.data["by"] == "players"]
    assert len(made) == answered
    replay = tmp_path / "replay.jsonl"
    Exercise(load("mentougou-flash-flood"), log_path=replay, players=log.header["players"]).run(
        [(r.t, r.data) for r in log.inputs])
    assert replay.read_bytes() == live.read_bytes()


@pytest.mark.parametrize("duration", ["774h", "1h37m", "3d7h11m", "46440.3m"])
def test_run_finishes_whatever_the_slice_arithmetic(scenario_path, duration):
    """Slice boundaries that float arithmetic cannot hit exactly must not stall run() (a hang once)."""
    import signal

    def stuck(*_):
        raise TimeoutError("run() did not finish")

    old = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(20)
    try:
        ex = Exercise(load(scenario_path("one-incident"), [f"duration={duration}"]))
        ex.run(slices=200)
        assert ex.ended and ex.now == ex.duration
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("payload", [
    {"kind": "decide", "decision": ["D-01"], "option": "raise"},
    {"kind": "inject", "template": ["I-2"]},
    {"kind": "inject", "title": "t", "to": [["city-hq"]]},
    {"kind": "note", "text": "x", "objective": ["O-1"]},
    {"kind": "role", "agency": ["city-hq"], "played": True},
])
def test_an_input_naming_something_by_a_non_string_is_refused(scenario_path, payload):
    """Found by mypy: ids were looked up in dicts unchecked, so a list (a hand-edited log's input)
    raised TypeError, which neither the console nor replay (both catch ValueError) expect."""
    from drillsim.engine import InputRefused

    ex = Exercise(load(scenario_path("decision")), keep=False)
    with pytest.raises(InputRefused):
        ex.submit(payload)
    assert not ex.ended


def test_two_exercises_interleaved_in_one_process_write_what_each_writes_alone(tmp_path):
    """Two runs advanced turn about, each in its own ``one_run`` block (the second block inside the
    first, closed while the first still runs): each log is byte for byte its solo run's. Nothing of
    the collector's state (paused, collected between) may leak from one exercise into the other."""
    from drillsim.engine import one_run

    solo = {name: run_to(name, tmp_path, f"solo-{name}", seed=seed)
            for name, seed in (("mentougou-flash-flood", 3), ("chemical-leak", 4))}
    a = Exercise(load("mentougou-flash-flood"), 3, log_path=tmp_path / "a.jsonl")
    b = Exercise(load("chemical-leak"), 4, log_path=tmp_path / "b.jsonl")
    with one_run():
        with one_run():
            t = 0.0
            while not (a.at_end and b.at_end):
                t += 11.7
                a.advance(t)
                b.advance(t * 0.8)
            b.finish("duration")
        a.finish("duration")
    assert (tmp_path / "a.jsonl").read_bytes() == solo["mentougou-flash-flood"]
    assert (tmp_path / "b.jsonl").read_bytes() == solo["chemical-leak"]
    # and one after the other, each disposed of: the same logs again
    for name, seed, out in (("mentougou-flash-flood", 3, "a2.jsonl"), ("chemical-leak", 4, "b2.jsonl")):
        with one_run():
            ex = Exercise(load(name), seed, log_path=tmp_path / out)
            ex.run()
            ex.dispose()
            del ex
        assert (tmp_path / out).read_bytes() == solo[name]


def test_dispose_is_for_a_finished_exercise():
    ex = Exercise(load("mentougou-flash-flood"), 1)
    with pytest.raises(RuntimeError, match="finished"):
        ex.dispose()
    ex.run()
    assert ex.log.records
    ex.dispose()
    assert ex.log.records == []
