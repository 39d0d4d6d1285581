"""The log index: positions by time and kind, and the state at any position from snapshots."""

import random

from drillsim.engine import Exercise
from drillsim.replay.index import MAX_SNAPSHOTS, SnapshotIndex, TimeIndex, snapshot_interval
from drillsim.scenario import load
from tests.conftest import SCENARIOS


def _records():
    ex = Exercise(load(SCENARIOS / "whatif.yaml"))
    ex.run()
    return ex.log.records[1:]


class Counts:
    """A fold: records per kind and each agency's level."""

    def new(self):
        return {"kinds": {}, "levels": {}}

    def apply(self, state, rec):
        state["kinds"][rec[2]] = state["kinds"].get(rec[2], 0) + 1
        if rec[2] == "level.changed":
            state["levels"][rec[4]] = rec[5]["to"]

    def snapshot(self, state, position):
        return {"kinds": dict(state["kinds"]), "levels": dict(state["levels"])}

    def restore(self, snap, position):
        return self.snapshot(snap, position)


def test_state_at_any_position_equals_folding_from_scratch():
    records = _records()
    index = SnapshotIndex(records, Counts(), every=7)
    rng = random.Random(3)
    for p in [0, 1, 6, 7, 8, len(records), *rng.sample(range(len(records)), 25)]:
        fresh = Counts().new()
        for rec in records[:p]:
            Counts().apply(fresh, rec)
        assert index.state_at(p) == fresh, p
    assert index.state_at(10**9) == index.final
    state = index.state_at(50)
    Counts().apply(state, records[0])
    assert index.state_at(50) != state  # a returned state is the caller's own


def test_time_index_bisects_and_finds_kinds():
    records = _records()
    idx = TimeIndex(records)
    t = records[100][0]
    p = idx.upto(t)
    assert all(r[0] <= t for r in records[:p]) and all(r[0] > t for r in records[p:])
    first = idx.next_of(["decision.opened", "inject.delivered"], 0)
    assert records[first][2] == "inject.delivered"  # M-1 at 1h comes before D-1 at 1h30
    nxt = idx.next_of(["decision.opened"], first + 1)
    assert records[nxt][2] == "decision.opened" and idx.prev_of(["inject.delivered"], nxt) == first
    assert idx.next_of(["nothing"], 0) is None and idx.prev_of(["decision.opened"], 0) is None
    dispatch = idx.next_matching(0, lambda r: r[2] == "team.dispatched")
    assert records[dispatch][2] == "team.dispatched"
    assert idx.prev_matching(dispatch, lambda r: r is records[dispatch]) is None


def test_snapshot_count_is_bounded():
    assert snapshot_interval(100) == 256
    assert -(-1_000_000 // snapshot_interval(1_000_000)) <= MAX_SNAPSHOTS
