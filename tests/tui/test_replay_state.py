"""The replay viewer's state at any moment equals the live console's view — and the engine's state."""

from __future__ import annotations

import dataclasses
import random

import pytest

from drillsim import levels
from drillsim.engine import Exercise
from drillsim.log import LogData, Record
from drillsim.replay.index import SnapshotIndex
from drillsim.scenario import load
from drillsim.scenario.load import bundled_dir
from drillsim.tui.replay.fold import ViewFold
from drillsim.tui.replay.player import Player
from drillsim.tui.state import ExerciseView
from tests.tui.conftest import scenario_file

ENGINE_STATE = {
    "on_scene": "working",  # the engine marks a team working the moment it is on scene
    "registering": "off_duty", "refused": "off_duty", "withdrawn": "off_duty",  # not (or no longer) on duty
}


def _log(name: str, seed: int | None = None, players: tuple[str, ...] = ()) -> LogData:
    ex = Exercise(load(scenario_file(name)), seed, players=players)
    ex.run()
    return LogData(ex.log.header or {}, [Record(*r) for r in ex.log.records[1:]], True)


def dump(view: ExerciseView) -> dict:
    """Everything a pane can show, as plain data."""
    out: dict = {"records": list(view.records)}  # the records applied (a window on the owner's, not the owner's)
    for name, value in vars(view).items():
        if name in ("source", "_own"):
            continue
        if isinstance(value, dict):
            out[name] = {k: dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v for k, v in value.items()}
        elif isinstance(value, list):
            out[name] = [dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v for v in value]
        elif isinstance(value, set):
            out[name] = sorted(value)
        else:
            out[name] = value
    return out


BUNDLED = sorted(p.stem for p in bundled_dir().glob("*.yaml"))


@pytest.mark.parametrize(("name", "seed"), [*((n, None) for n in BUNDLED), ("whatif", 7)])
def test_snapshot_and_replay_equals_folding_from_scratch(name, seed):
    log = _log(name, seed)
    index = SnapshotIndex(log.records, ViewFold(log.header, log.records), every=17)
    rng = random.Random(seed or 1)
    positions = [0, 1, 16, 17, 18, len(log.records), *rng.sample(range(len(log.records)), 30)]
    for p in positions:
        fresh = ExerciseView(log.header)
        fresh.apply_all(log.records[:p])
        assert dump(index.state_at(p).view) == dump(fresh), p
    # moving forward from a restored state (copy on write) leaves the snapshots untouched
    state = index.state_at(40)
    for rec in log.records[40:200]:
        index.fold.apply(state, rec)
    fresh = ExerciseView(log.header)
    fresh.apply_all(log.records[:40])
    assert dump(index.state_at(40).view) == dump(fresh)


def test_player_moves_match_a_fresh_fold():
    log = _log("whatif", 3)
    player = Player(log)
    rng = random.Random(1)
    for _ in range(40):
        move = rng.choice(["seek", "time", "step", "back", "decision", "inject"])
        if move == "seek":
            player.seek(rng.randrange(len(log.records) + 1))
        elif move == "time":
            player.seek_time(rng.uniform(0, player.duration))
        elif move in ("step", "back"):
            player.step(forward=move == "step")
        else:
            player.jump_kind(["decision.opened"] if move == "decision" else ["inject.delivered"], rng.random() < 0.6)
        fresh = ExerciseView(log.header)
        fresh.apply_all(log.records[: player.position])
        got = dump(player.view)
        want = dump(fresh)
        got.pop("now"), want.pop("now")
        assert got == want, move


ENGINE_COMPARABLE = (*BUNDLED, "whatif")
"""Scenarios whose record kinds the console's view folds completely: all of them."""


@pytest.mark.parametrize("name", [*BUNDLED, "whatif"])
def test_viewer_state_at_t_equals_engine_state_at_t(name):
    """Run the engine to t with advance(t) and compare with what the viewer shows from the log at t.

    The engine's levels (and, where the view folds every record kind, team states and open
    incidents), and the live console's whole view — folded from the records as the engine emitted
    them — against the viewer's state at t.
    """
    player = Player(_log(name))
    # (before the end: at the duration the log also holds the exercise's close, which advance() does not do)
    times = [t for t in (0.0, 45.5, 90.0, 180.0, 301.25, 480.0, 600.0, 719.99, 777.7, 1439.5, 2000.0, 4321.0)
             if t < player.duration]
    ex = Exercise(load(scenario_file(name)))
    live = ExerciseView(ex.log.header)
    live.apply_all(ex.log.records)
    ex.log.subscribe(live.apply)
    for t in times:
        ex.advance(t)
        live.advance_clock(ex.now)
        player.seek_time(t)
        view = player.view
        assert view.now == pytest.approx(t)
        assert dump(view) == dump(live), t  # the live console showed exactly this at t
        assert view.levels == {k: levels.name(a.level) for k, a in ex.model.agencies.items()}, t
        delivered = {i.key for i in view.injects.values() if i.delivered_at is not None}
        assert delivered == set(ex.msel.delivered)
        if name not in ENGINE_COMPARABLE:
            continue
        for key, team in ex.model.teams.items():
            assert ENGINE_STATE.get(view.teams[key].state, view.teams[key].state) == team.state, (t, key)
        open_engine = {k for k, i in ex.model.incidents.items() if i.needs_rescue and i.state != "closed"}
        assert {i.key for i in view.open_incidents()} == open_engine, t
        assert view.open_count == len(open_engine)
    # and backwards: the same moments, visited in reverse, give the same states
    for t in reversed(times):
        ex2 = Exercise(load(scenario_file(name)))
        ex2.advance(t)
        player.seek_time(t)
        assert player.view.levels == {k: levels.name(a.level) for k, a in ex2.model.agencies.items()}
        if name in ENGINE_COMPARABLE:
            assert {i.key for i in player.view.open_incidents()} == {
                k for k, i in ex2.model.incidents.items() if i.needs_rescue and i.state != "closed"}


def _whole_log_lists(root: object, n: int) -> list[list]:
    """Lists reachable from ``root`` that hold records of several kinds, at least half the log's number.

    (A store's decoded block, or a kind's decoded tail, holds one kind: those are the store's bounded
    cache, not a copy of the log.)
    """
    import gc
    import types

    seen, todo, found = {id(root)}, [root], []
    while todo:
        obj = todo.pop()
        if isinstance(obj, list) and len(obj) >= n // 2 and all(isinstance(r, Record) for r in obj[:50]):
            if len({r.kind for r in obj}) > 1:
                found.append(obj)
        for ref in gc.get_referents(obj):
            if isinstance(ref, (type, types.ModuleType, types.FunctionType, types.CodeType)) or id(ref) in seen:
                continue
            seen.add(id(ref))
            todo.append(ref)
    return found


def test_the_player_holds_a_store_and_moves_as_over_the_list(tmp_path):
    """What ``drillsim replay`` holds: the log read into a store, the index in arrays, no list of records;
    and every move shows what a player over the same log read into a list (moved into a store) shows,
    which is the fresh fold of the records up to the position."""
    from drillsim.log import read_log
    from drillsim.logstore import LogRecords, RecordStore, read_store

    path = tmp_path / "events.jsonl"
    Exercise(load(scenario_file("whatif")), 3, log_path=path).run()
    listed = read_log(path)
    player, other = Player(read_store(path)), Player(listed)
    n = len(listed.records)
    assert isinstance(player.log.records, RecordStore) and isinstance(player.records, LogRecords)
    assert isinstance(other.records, LogRecords) and other.log.records is not listed.records
    assert len(player.records) == n and player.view.source is player.records
    assert player.index.records is player.records and player.snapshots.records is player.records
    rng = random.Random(4)
    for i in range(60):
        move = rng.choice(["seek", "time", "step", "back", "decision", "inject", "filtered"])
        for p in (player, other):
            if i == 30:  # from here on, stepping goes through a filter (the feed's), as the app sets it
                p.accept = lambda r: r[2] in ("report.received", "decision.made")
            if move == "seek":
                p.seek(random.Random(i).randrange(n + 1))
            elif move == "time":
                p.seek_time(random.Random(i).uniform(0, p.duration))
            elif move in ("step", "back", "filtered"):
                p.step(forward=move != "back")
            else:
                p.jump_kind(["decision.opened"] if move == "decision" else ["inject.delivered"], i % 3 != 0)
        assert player.position == other.position, move
        fresh = ExerciseView(listed.header)
        fresh.apply_all(listed.records[: player.position])
        got, same, want = dump(player.view), dump(other.view), dump(fresh)
        assert got == same, move
        got.pop("now"), want.pop("now")
        assert got == want, move
        assert player.current() == (listed.records[player.position - 1] if player.position else None)
    found = player.decision_at()
    assert found == other.decision_at()
    assert not _whole_log_lists(player, n)
    # the check sees a list of records when there is one
    assert _whole_log_lists({"records": listed.records}, n)
