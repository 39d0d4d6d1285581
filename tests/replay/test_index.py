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


def test_time_index_is_held_in_arrays_and_scans_match_a_plain_walk(monkeypatch):
    """Times and per-kind positions are arrays (12 bytes a record, not lists of Python numbers), and the
    sliced scans of a filtered step find what a record-by-record walk finds, across slice edges."""
    from array import array

    from drillsim.replay import index as index_module

    monkeypatch.setattr(index_module, "SCAN_CHUNK", 3)  # many slices, growing, on a short log
    monkeypatch.setattr(index_module, "MAX_SCAN_CHUNK", 20)
    records = _records()
    idx = TimeIndex(records)
    assert isinstance(idx.times, array) and idx.times.typecode == "d" and len(idx.times) == len(records)
    assert all(isinstance(p, array) and p.typecode == "I" for p in idx.by_kind.values())
    assert sum(len(p) for p in idx.by_kind.values()) == len(records)
    rng = random.Random(5)
    kinds = sorted(idx.by_kind)
    for _ in range(60):
        kind = rng.choice(kinds)
        accept = lambda r, kind=kind: r[2] == kind  # noqa: E731
        p = rng.randrange(-2, len(records) + 3)
        after = next((i for i in range(max(0, p), len(records)) if accept(records[i])), None)
        before = next((i for i in range(min(p, len(records)) - 1, -1, -1) if accept(records[i])), None)
        assert idx.next_matching(p, accept) == after == idx.next_of([kind], max(0, p))
        assert idx.prev_matching(p, accept) == before
        assert idx.prev_of([kind], p) == before


def test_snapshots_over_a_store_equal_snapshots_over_the_list():
    """The viewer's records are a store's: the index over them gives the states it gives over a list."""
    from drillsim.logstore import LogRecords, store_of

    records = _records()
    stored = store_of(records).records()
    assert isinstance(stored, LogRecords)
    over_list, over_store = SnapshotIndex(records, Counts(), every=9), SnapshotIndex(stored, Counts(), every=9)
    rng = random.Random(8)
    for p in [0, 1, 9, 10, len(records), *rng.sample(range(len(records)), 25)]:
        assert over_store.state_at(p) == over_list.state_at(p), p
    a, b = TimeIndex(records), TimeIndex(stored)
    assert a.times == b.times and a.by_kind == b.by_kind


def test_line_records_are_the_viewers_and_need_a_log_in_order(tmp_path):
    """The replay viewer's records are a store's :class:`LineRecords` (their reading is tested with
    :class:`LogRecords` in tests/test_logstore.py); a store filled out of ``seq`` order has none."""
    from drillsim.log import read_log
    from drillsim.logstore import LineRecords, RecordStore

    out = tmp_path / "events.jsonl"
    Exercise(load(SCENARIOS / "whatif.yaml"), 4, log_path=out).run()
    records = read_log(out).records
    store = RecordStore()
    for rec in records:
        store.add(rec)
    view = store.line_records()
    assert isinstance(view, LineRecords) and list(view) == records and not store._cache
    unordered = RecordStore()
    for rec in reversed(records[:5]):
        unordered.add(rec)
    assert unordered.line_records() is None
