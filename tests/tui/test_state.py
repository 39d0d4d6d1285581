"""The view folded from records agrees with the engine's own state at any moment."""

from __future__ import annotations

import pytest

from drillsim import levels
from drillsim.engine import Exercise
from drillsim.log import read_log
from drillsim.scenario import load
from drillsim.tui.state import ExerciseView
from tests.tui.conftest import scenario_file

ENGINE_STATE = {"on_scene": "working"}  # the engine marks a team working the moment it is on scene


@pytest.mark.parametrize("seed", [1, 20230731])
def test_view_matches_engine_state_at_several_times(seed):
    ex = Exercise(load(scenario_file("mentougou-flash-flood")), seed)
    view = ExerciseView(ex.log.header)
    view.apply_all(ex.log.records)
    ex.log.subscribe(view.apply)
    for t in (0.0, 45.5, 180.0, 301.25, 480.0, 777.7, 1440.0):
        ex.advance(t)
        view.advance_clock(ex.now)
        assert view.now == ex.now
        assert view.levels == {k: levels.name(a.level) for k, a in ex.model.agencies.items()}
        for key, team in ex.model.teams.items():
            assert ENGINE_STATE.get(view.teams[key].state, view.teams[key].state) == team.state, (t, key)
            if team.state in ("travelling", "working"):
                assert view.teams[key].incident == team.assigned.key
        open_engine = {k for k, i in ex.model.incidents.items() if i.needs_rescue and i.state != "closed"}
        assert {i.key for i in view.open_incidents()} == open_engine
        assert view.open_count == len(open_engine)
        assert view.open_at(t) == len(open_engine)
        for key, inc in ex.model.incidents.items():
            if inc.state == "closed":
                assert (view.incidents[key].rescued, view.incidents[key].lost) == (inc.rescued, inc.lost)
        delivered = {i.key for i in view.injects.values() if i.delivered_at is not None}
        assert delivered == set(ex.msel.delivered)
        assert view.next_inject_time() == ex.msel.next_time()
        assert view.next_decision_time() == ex.decisions.next_time()


def test_view_from_a_log_file_equals_the_live_view(tmp_path):
    """What the replay viewer will do: fold the records of a written log."""
    log = tmp_path / "events.jsonl"
    ex = Exercise(load(scenario_file("mentougou-flash-flood")), log_path=log, players=["mtg-flood-hq"])
    live = ExerciseView(ex.log.header)
    live.apply_all(ex.log.records)
    ex.log.subscribe(live.apply)
    ex.advance(200.0)
    ex.submit({"kind": "note", "text": "slow report", "objective": "O-1", "rating": "S"})
    ex.run()
    data = read_log(log)
    replayed = ExerciseView(data.header)
    replayed.apply_all(data.records)
    for attr in ("levels", "counts", "open_series", "players", "ended", "end_reason"):
        assert getattr(replayed, attr) == getattr(live, attr), attr
    assert {k: (t.state, t.place) for k, t in replayed.teams.items()} == \
        {k: (t.state, t.place) for k, t in live.teams.items()}
    assert [n.text for n in replayed.notes] == ["slow report"]
    assert replayed.counts["by_default"] + replayed.counts["by_players"] >= 1


def test_open_samples_shape_the_sparkline():
    view = ExerciseView({"duration": 100.0})
    view.open_series = [(0.0, 0), (10.0, 2), (30.0, 5), (31.0, 1), (90.0, 0)]
    view.now = 100.0
    assert view.open_samples(10) == [0.0, 2.0, 2.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0]
    assert view.open_samples(0) == []


def test_contingency_injects_are_not_on_the_schedule_and_show_when_skipped():
    """A contingency opens a window at its time: "next inject" never stops there, and a skip is shown."""
    ex = Exercise(load(scenario_file("mentougou-flash-flood")))
    view = ExerciseView(ex.log.header)
    view.apply_all(ex.log.records)
    ex.log.subscribe(view.apply)
    contingencies = {k for k, i in ex.scenario.injects.items() if i.contingency is not None}
    assert contingencies and all(view.injects[k].source == "contingency" for k in contingencies)
    ex.run()
    skipped = {r[4]: r[0] for r in ex.log.records if r[2] == "inject.skipped"}
    delivered = {r[4] for r in ex.log.records if r[2] == "inject.delivered"}
    assert skipped and set(skipped) | (contingencies & delivered) == contingencies
    for key, t in skipped.items():
        assert view.injects[key].skipped_at == t and view.injects[key].delivered_at is None
