"""The compact record store: scoring and reports read from it exactly what they read from memory.

``drillsim run`` no longer keeps the run's records as objects: the engine hands each written line to
a :class:`RecordStore` (compressed per-kind blocks) and the scorecard and report are made from that.
These tests hold the promise that made the change safe: the same scorecard and the same report,
byte for byte, as scoring the records kept in memory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import drillsim.logstore as logstore
from drillsim.engine import Exercise
from drillsim.log import read_log
from drillsim.logstore import RecordStore, read_store, store_of
from drillsim.scenario import load
from drillsim.scoring import score, score_log
from drillsim.scoring.view import LogView

BUNDLED = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 16 lines, so a small log has many compressed blocks and uncompressed tails."""
    monkeypatch.setattr(logstore, "BLOCK", 16)


def test_streaming_scoring_equals_in_memory_scoring_on_a_bundled_scenario(tmp_path, small_blocks):
    out = tmp_path / "events.jsonl"
    store = RecordStore()
    ex = Exercise(load(str(BUNDLED / "earthquake.yaml")), log_path=out, tee=store.add_line)
    ex.run()
    ex.log.close()
    header = ex.log.header or {}
    in_memory = score(header, ex.log.records[1:])
    assert in_memory.objectives and any(t.observations for o in in_memory.objectives for t in o.tasks)
    assert store.count == len(ex.log.records) - 1 and store.ended
    assert score(header, store).to_json() == in_memory.to_json()
    # read back from the file in one pass: the same again
    assert score_log(read_store(out)).to_json() == score_log(read_log(out)).to_json() == in_memory.to_json()


def test_the_report_built_from_the_store_is_byte_identical(tmp_path, small_blocks):
    from drillsim.reports.write import build, render_files

    out = tmp_path / "events.jsonl"
    Exercise(load(str(BUNDLED / "mentougou-flash-flood.yaml")), log_path=out).run()
    listed, stored = read_log(out), read_store(out)
    a = render_files(build(listed, score_log(listed), "zh", "gbt"), "r", "f")
    b = render_files(build(stored, score_log(stored), "zh", "gbt"), "r", "f")
    assert a.keys() == b.keys() and all(a[k] == b[k] for k in a)


def test_kinds_read_back_in_log_order_by_index_reversed_and_after_a_record(tmp_path, small_blocks):
    out = tmp_path / "events.jsonl"
    ex = Exercise(load(str(BUNDLED / "earthquake.yaml")), log_path=out)
    ex.run()
    ex.log.close()
    records = read_log(out).records
    store = store_of(records)
    memory, compact = LogView({}, records), LogView({}, store)
    assert list(compact.records) == records and len(compact.records) == len(records)
    for kind in {r.kind for r in records}:
        want = memory.kind(kind)
        got = compact.kind(kind)
        assert len(got) == len(want) and list(got) == want and list(reversed(got)) == want[::-1]
        assert got[0] == want[0] and got[-1] == want[-1] and got[len(want) // 2] == want[len(want) // 2]
    pair = ("team.dispatched", "rescue.completed")
    assert list(compact.kind(*pair)) == memory.kind(*pair)
    for seq in (0, 17, len(records) // 2, records[-2].seq, records[-1].seq):
        assert list(compact.after(seq)) == list(memory.after(seq))
    assert (compact.horizon, compact.final) == (memory.horizon, memory.final)
    assert compact.incidents == memory.incidents


@pytest.mark.parametrize("views", ["records", "line_records"])
def test_the_whole_log_is_indexed_sliced_and_reversed_and_sees_records_taken_later(tmp_path, small_blocks, views,
                                                                                   monkeypatch):
    """What a console needs of a store in place of a list: ``records[i]``, ``records[a:b]``, ``reversed``, live.

    Both whole-log views: :class:`LogRecords` (decodes blocks, for scoring and ``play``) and
    :class:`LineRecords` (decodes the lines read, for the replay viewer; fewer blocks kept here than
    kinds walked at once).
    """
    import random

    monkeypatch.setattr(logstore, "RAW", 3)
    out = tmp_path / "events.jsonl"
    Exercise(load(str(BUNDLED / "earthquake.yaml")), log_path=out).run()
    records = read_log(out).records
    half = len(records) // 2
    store = RecordStore()
    for rec in records[:half]:
        store.add(rec)
    view = getattr(store, views)()  # taken before the second half (and kinds first seen there) arrives
    assert len(view) == half and list(view) == records[:half] and view[-1] == records[half - 1]
    for rec in records[half:]:
        store.add(rec)
    assert len(view) == len(records) and list(view) == records
    assert list(reversed(view)) == records[::-1]
    rng = random.Random(7)
    for _ in range(200):
        i = rng.randrange(-len(records), len(records))
        assert view[i] == records[i]
        a, b = sorted(rng.randrange(len(records) + 1) for _ in range(2))
        assert view[a:b] == records[a:b]
        seq = records[rng.randrange(len(records))].seq
        assert list(view.after(seq)) == [r for r in records if r.seq > seq]
    assert view[::7] == records[::7] and view[len(records):] == [] and view[5:2] == []
    with pytest.raises(IndexError):
        view[len(records)]
    if views == "line_records":
        assert not store._cache and len(view._raw) <= 3  # nothing decoded kept; few decompressed blocks


def test_a_torn_or_unfinished_log_reads_with_the_same_warnings(tmp_path, scenario_path):
    out = tmp_path / "events.jsonl"
    Exercise(load(scenario_path("one-incident")), log_path=out).run()
    data = out.read_bytes()
    out.write_bytes(data[: len(data) - 25])  # the exercise.ended line cut
    listed, stored = read_log(out), read_store(out)
    assert not stored.complete and stored.torn
    assert (stored.warnings, stored.torn, stored.complete) == (listed.warnings, listed.torn, listed.complete)
    assert list(stored.records) == listed.records
    assert score_log(stored).to_json() == score_log(listed).to_json()


def test_run_keeps_no_records_and_writes_the_in_memory_scorecard(tmp_path, capsys):
    from drillsim.cli import main

    out = tmp_path / "run"
    assert main(["run", str(BUNDLED / "earthquake.yaml"), "--out", str(out), "--no-report", "-q"]) == 0
    written = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    log = read_log(out / "events.jsonl")
    assert written == json.loads(score(log.header, log.records).to_json())


def test_a_tee_receives_exactly_the_lines_written(tmp_path, scenario_path):
    out = tmp_path / "events.jsonl"
    lines: list[bytes] = []
    ex = Exercise(load(scenario_path("one-incident")), log_path=out, keep=False, tee=lines.append)
    ex.run()
    ex.log.close()
    assert b"".join(lines) == out.read_bytes()
    assert ex.log.records == []
    memory_only: list[bytes] = []
    Exercise(load(scenario_path("one-incident")), keep=False, tee=memory_only.append).run()
    assert memory_only == lines  # without a file the lines are encoded all the same


def test_a_store_holds_a_fraction_of_the_logs_bytes(tmp_path, monkeypatch):
    import sys

    monkeypatch.setattr(logstore, "BLOCK", 64)  # a small log: blocks small enough that most kinds fill some
    out = tmp_path / "events.jsonl"
    Exercise(load(str(BUNDLED / "earthquake.yaml")), log_path=out).run()
    store = read_store(out).records
    held = sum(sys.getsizeof(b) for k in store.kinds() for b in store.kind(k)._blocks)  # type: ignore[attr-defined]
    held += sum(sys.getsizeof(store.kind(k)._tail) for k in store.kinds())  # type: ignore[attr-defined]
    lines = out.read_bytes().split(b"\n", 1)[1]  # the records, not the header
    # As objects (named tuples, dicts, strings, floats) records take ~4x their JSON; compressed, ~1/3.
    assert held * 3 < len(lines), (held, len(lines))
