"""An input recorded at time t is applied after every event at t, however the run was sliced.

A live console advances in many small slices; a replay advances from one recorded input straight
to the next. ``now + (t - now)`` can land one ulp short of ``t`` for some pairs, so the engine must
process events at or before the requested time, not at or before the clock it happened to reach
(``Exercise.run`` loops until the clock reaches each input's time; a console calls ``advance`` once).
"""

from pathlib import Path

from drillsim.engine import Exercise
from drillsim.log import read_log
from drillsim.scenario import load

HERE = Path(__file__).parent


def _scenario(tmp_path: Path) -> Path:
    text = (HERE / "scenarios" / "one-incident.yaml").read_text(encoding="utf-8")
    # 12.0684 + (49.7172 - 12.0684) == 49.71719999999999 in binary floating point.
    text = text.replace("    at: 30m\n    from: simcell", "    at: 49.7172m\n    from: simcell")
    path = tmp_path / "odd-time.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_replay_sliced_differently_gives_same_bytes(tmp_path):
    loaded = load(str(_scenario(tmp_path)))
    assert 12.0684 + (49.7172 - 12.0684) != 49.7172  # the premise of this test
    live = Exercise(loaded, log_path=tmp_path / "live.jsonl")
    live.advance(12.0684)
    live.submit({"kind": "note", "text": "first"})
    live.advance(49.7172)  # one slice from 12.0684: the clock lands one ulp short
    live.submit({"kind": "note", "text": "second"})
    live.run()
    kinds = [r.kind for r in read_log(tmp_path / "live.jsonl").records if r.t == 49.7172]
    assert kinds == ["inject.delivered", "input.received", "note.added"]

    inputs = [(r.t, r.data) for r in read_log(tmp_path / "live.jsonl").inputs]
    Exercise(loaded, log_path=tmp_path / "replay.jsonl").run(inputs=inputs)
    assert (tmp_path / "replay.jsonl").read_bytes() == (tmp_path / "live.jsonl").read_bytes()


def test_an_end_input_closes_the_log_and_replays(tmp_path):
    loaded = load(str(HERE / "scenarios" / "one-incident.yaml"))
    live = Exercise(loaded, log_path=tmp_path / "live.jsonl")
    live.advance(70.0)
    live.submit({"kind": "end", "reason": "facilitator"})
    assert live.ended
    data = read_log(tmp_path / "live.jsonl")
    assert data.complete and data.records[-1].data["reason"] == "facilitator"
    Exercise(loaded, log_path=tmp_path / "replay.jsonl").run(inputs=[(r.t, r.data) for r in data.inputs])
    assert (tmp_path / "replay.jsonl").read_bytes() == (tmp_path / "live.jsonl").read_bytes()
