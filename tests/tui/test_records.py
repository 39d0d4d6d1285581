"""What a console holds of the records: a compact store, not a list of every record (issue 18, "Memory")."""

from __future__ import annotations

import gc
import random

from drillsim.engine import Exercise
from drillsim.log import encode, read_log
from drillsim.scenario import load
from drillsim.scoring import score, score_log
from drillsim.serve.protocol import Records, SeatInfo, Welcome
from drillsim.tui import bridge
from drillsim.tui.driver import LiveDriver
from drillsim.tui.records import RECENT, HeldRecords
from drillsim.tui.seat.app import SeatConsole
from tests.tui.conftest import scenario_file

BUSY = ["generators.mountain-floods.rate=60/h", "generators.mountain-floods.until=24h"]
"""Mentougou with a flood an hour a minute: ~11,000 records in 24 h, well over :data:`RECENT`."""


def _row_tuples() -> int:
    """Record tuples alive now, as the engine makes them (``(t, seq, kind, actor, subject, data)``)."""
    gc.collect()
    return sum(1 for o in gc.get_objects()
               if type(o) is tuple and len(o) == 6 and type(o[1]) is int and type(o[2]) is str and type(o[5]) is dict)


def test_a_play_session_holds_no_list_of_every_record(tmp_path):
    log = tmp_path / "events.jsonl"
    before = _row_tuples()  # what earlier tests in this process left
    d = LiveDriver.start(load(scenario_file("mentougou-flash-flood"), BUSY), log_path=log)
    slices = 48
    for i in range(1, slices + 1):
        d.advance(d.duration * i / slices)
        if i % 12 == 0:
            assert bridge.live_score(d.view.header, d.store, d.view.now).available
    d.finish("duration")
    records = d.exercise.log.next_seq - 1
    assert records > 2 * RECENT
    assert not d.exercise.log.keep and d.exercise.log.records == []
    held = _row_tuples() - before
    assert held <= RECENT + 50, (held, records)  # the newest, kept as they came; the rest is in the store
    # what the view shows is the log, record for record
    lines = log.read_bytes().splitlines(keepends=True)[1:]
    assert len(d.view.records) == len(lines) == records
    assert [encode(r) for r in d.view.records] == lines
    assert d.end_reason == "duration"

    # main's console (the engine keeping every record) would hold one tuple per record
    before = _row_tuples()
    kept = Exercise(load(scenario_file("mentougou-flash-flood"), BUSY), keep=True)
    kept.run()
    assert _row_tuples() - before >= records


def test_live_score_from_the_store_is_the_score_of_the_closed_log(tmp_path):
    log = tmp_path / "events.jsonl"
    d = LiveDriver.start(load(scenario_file("mentougou-flash-flood")), log_path=log, players=["mtg-flood-hq"])
    live: list[tuple[float, int, str]] = []
    t = 0.0
    while not d.ended and t < d.duration:
        t = min(d.duration, t + 97.3)
        if d.advance(t):
            pending = d.view.pending[0]
            d.submit({"kind": "decide", "decision": pending.key, "option": pending.default})
        got = bridge.live_score(d.view.header, d.store, d.view.now)
        assert got.available, got.problem
        live.append((d.view.now, len(d.store), got.card.to_json()))
    d.submit({"kind": "end", "reason": "facilitator"})
    end = bridge.live_score(d.view.header, d.store, d.view.now)
    d.close()
    data = read_log(log)
    for now, count, card in live:  # the records the store held then, read back from the file
        assert card == score(data.header, data.records[:count], now).to_json(), now
    assert end.card.to_json() == score(data.header, data.records, d.view.now).to_json()
    assert [(o.id, o.rating, o.score) for o in end.card.objectives] == \
        [(o.id, o.rating, o.score) for o in score_log(data).objectives]


def test_held_records_index_slice_and_walk_like_a_list_in_any_arrival_order():
    rng = random.Random(7)
    kinds = ["incident.occurred", "report.received", "team.dispatched", "note.added"]
    seqs = list(range(1, 3000))
    rng.shuffle(seqs[:400])  # a seat's records: a subset, some held back and released later
    rows = [(s / 10, s, rng.choice(kinds), "a", f"i{s}", {"n": s, "x": [1.5, "y"]}) for s in seqs if s % 3]
    held = HeldRecords(recent=100)
    for row in rows:
        held.add(row)
    decoded = [tuple(r) for r in read_back(rows)]
    assert len(held) == len(rows)
    assert [tuple(r) for r in held] == decoded[:-100] + rows[-100:]
    assert [tuple(r) for r in reversed(held)] == list(reversed(decoded[:-100] + rows[-100:]))
    for a, b in [(0, 5), (1500, 1510), (len(rows) - 150, len(rows) - 50), (len(rows) - 3, len(rows) + 4), (9, 9)]:
        assert [tuple(r) for r in held[a:b]] == (decoded[:-100] + rows[-100:])[a:b]
    assert tuple(held[-1]) == rows[-1] and tuple(held[10]) == decoded[10]


def read_back(rows):
    """The rows as a store gives them back (decoded from their JSON)."""
    import orjson

    return [tuple(orjson.loads(encode(r)).values()) for r in rows]


def test_a_seat_holds_its_records_in_a_store_and_a_reset_starts_a_new_one():
    ex = Exercise(load("mentougou-flash-flood"))
    ex.advance(600.0)
    header = ex.log.header
    rows = [r for r in ex.log.records if r[2] != "log.header"][::2]  # a seat sees part of the log
    app = SeatConsole("ws://127.0.0.1:1", "token")
    app._rebuild = lambda: None  # no screen: only what the seat holds is checked here
    seat = SeatInfo(id="watch", name={"en": "Watch"}, rights="observer", roles=[])
    app._server_message(Welcome(seat=seat, header=header))
    first = app.held
    app._server_message(Records(reset=True, records=rows[:100]))
    app._server_message(Records(reset=False, records=rows[100:]))
    assert app.view is not None and app.view.source is first and len(app.view.records) == len(rows)
    assert first.store.count == len(rows)
    app._server_message(Records(reset=True, records=rows[:10]))  # a reconnection: everything again
    assert app.held is not first and app.view.source is app.held and len(app.view.records) == 10
