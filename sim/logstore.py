"""A log's records held compactly for scoring and reports: grouped by kind, in compressed blocks.

Scoring and the after-action report read a log kind by kind ("every ``report.received``", "the
``level.changed`` records"), a few passes each. Holding every record as Python objects costs about
1 KB a record (a named tuple, a dict per ``data``, its strings and floats): 2–4 GiB for a
100,000-incident run. A :class:`RecordStore` instead keeps each kind's records as the log's own
JSON lines, packed into zlib blocks of :data:`BLOCK` lines (about 30 bytes a record), and decodes
them again, one block at a time, whenever a reader walks them. Kinds with fewer records than a
block (decisions, injects, level changes) stay as plain lines and are decoded once.

It is filled either from the lines the engine writes (:meth:`RecordStore.add_line`, as an
:class:`drillsim.log.EventLog` tee, which then hands each line with its kind and ``seq`` to
:meth:`RecordStore.take`: nothing is parsed and nothing of the run is kept as objects) or from
records read back from a file (:meth:`RecordStore.add`, :func:`read_store`). Until a kind fills a
block its lines are copied, newline included, onto one buffer: a line ``orjson`` made holds the
encoder's whole ~4 KB buffer however short it is, so keeping the lines themselves cost ~4 MB a kind.
Either way what a reader gets is exactly what :func:`drillsim.log.read_log` would give for the
file: :class:`~drillsim.log.Record` tuples decoded from the written JSON.
"""

from __future__ import annotations

import heapq
import zlib
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar, overload

import orjson

from drillsim.log import END_KIND, HEADER_KIND, Record, encode, iter_records, unfinished

BLOCK = 1024
"""Lines per compressed block (and the size below which a kind is kept uncompressed and decoded once)."""

LEVEL = 3
"""zlib level: ~10× smaller than the JSON at ~1 µs a line; higher levels gain little and cost 3×."""

DECODED = 64
"""Decoded blocks a store keeps (least recently used go first): up to 64 × 1,024 records as objects.

A constant, so memory does not grow with the log; scoring and the report walk some kinds several
times, and a log of up to ~65,000 records (a bundled scenario, a sweep's run) is decoded once
instead of once a pass (the 96-hour rainstorm scored ~30 % slower without it)."""

RAW = 32
"""Blocks a :class:`LineRecords` keeps decompressed, as lines (~280 KB a block), least recently used first out."""

_KIND = b'"kind":"'
_loads = orjson.loads


def _record(line: bytes) -> Record:
    o = _loads(line)
    return Record(o["t"], o["seq"], o["kind"], o["actor"], o["subject"], o["data"])


_K = TypeVar("_K")
_V = TypeVar("_V")


def _recent(cache: OrderedDict[_K, _V], key: _K, make: Callable[[], _V], limit: int) -> _V:
    """``cache[key]``, made with ``make()`` if absent; the least recently used beyond ``limit`` go first.

    The one cache policy of the stores' decoded blocks and the viewer's decompressed ones.
    """
    got = cache.get(key)
    if got is None:
        got = cache[key] = make()
        if len(cache) > limit:
            cache.popitem(last=False)
    else:
        try:
            cache.move_to_end(key)
        except KeyError:  # evicted by another thread since the get (the replay viewer scores in a worker)
            pass
    return got


def position(index: int, n: int) -> int:
    """``index`` into a sequence of ``n`` items as a position from the start (negative counts from the end).

    One definition for every record sequence of the stores and consoles (a store's kinds, the
    whole log, a console's window on it).

    Raises:
        IndexError: ``index`` is outside the sequence.
    """
    if index < 0:
        index += n
    if not 0 <= index < n:
        raise IndexError("record index out of range")
    return index


def _seq_of(line: bytes) -> int:
    """The ``seq`` of an encoded line (``{"t":…,"seq":N,…``: the field order of :func:`drillsim.log.encode`)."""
    start = line.index(b'"seq":') + 6
    return int(line[start:line.index(b",", start)])


class KindRecords(Sequence[Record]):
    """The records of one kind, in log order: a lazy sequence that decodes a block at a time.

    Iterating decodes each block once per pass and holds only that block's records; indexing
    decodes (and caches) the one block it falls in. Once the store is complete a kind small enough
    to have no compressed block is decoded once and kept.
    """

    def __init__(self, cache: OrderedDict[tuple[int, int], list[Record]] | None = None) -> None:
        self._cache: OrderedDict[tuple[int, int], list[Record]] = OrderedDict() if cache is None else cache
        self._blocks: list[bytes] = []
        self._first_seq: list[int] = []  # seq of each block's first record (for :meth:`from_seq`)
        # the lines not yet in a block, one after another (each ends in its newline): copied into one
        # buffer, because a line orjson made holds its encoder's ~4 KB buffer however short it is
        self._tail = bytearray()
        self._tail_n = 0  # lines in the tail
        self._tail_first = 0
        self._split: tuple[int, list[bytes]] = (0, [])  # the tail cut into lines, and at how many lines
        self._count = 0
        self._decoded: list[Record] | None = None  # the tail decoded, while nothing is added
        self.slot = 0  # its place among the kinds of its store (what the store's order array holds)

    def _seal(self) -> None:
        """Compress the full tail into a block."""
        self._blocks.append(zlib.compress(self._tail, LEVEL))
        self._first_seq.append(self._tail_first)
        self._tail = bytearray()
        self._tail_n = 0
        self._split = (0, [])

    def tail_lines(self) -> list[bytes]:
        """The lines not yet in a block, each without its newline (cut once while nothing is added)."""
        n, lines = self._split
        if n != self._tail_n:
            lines = bytes(self._tail).split(b"\n")
            lines.pop()  # after the last line's newline
            self._split = (self._tail_n, lines)
        return lines

    def _block(self, i: int) -> list[Record]:
        """Block ``i`` decoded (``i == len(blocks)``: the uncompressed tail)."""
        if i == len(self._blocks):
            if self._decoded is None:
                self._decoded = [_record(line) for line in self.tail_lines()]
            return self._decoded
        return _recent(self._cache, (id(self), i), lambda: [_record(line) for line in self.block_lines(i)], DECODED)

    def block_lines(self, i: int) -> list[bytes]:
        """Block ``i``'s lines, each without its newline (``i == len(blocks)``: the tail's)."""
        if i == len(self._blocks):
            return self.tail_lines()
        lines = zlib.decompress(self._blocks[i]).split(b"\n")
        lines.pop()  # after the last line's newline
        return lines

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Record]:
        return self.from_block(0)

    def from_block(self, first: int) -> Iterator[Record]:
        """Records from block ``first`` on (each block decoded as the walk reaches it)."""
        for i in range(first, len(self._blocks) + 1):
            yield from self._block(i)

    def block_of(self, seq: int) -> int:
        """The block a record with sequence number ``seq`` lies in, or would (``len(blocks)``: the tail)."""
        if self._tail_n and self._tail_first <= seq:
            return len(self._blocks)
        return max(0, bisect_right(self._first_seq, seq) - 1)

    def from_seq(self, seq: int) -> Iterator[Record]:
        """Records with a sequence number above ``seq``, in order (starting at the block that holds it)."""
        for i in range(self.block_of(seq), len(self._blocks) + 1):
            block = self._block(i)
            if block and block[-1].seq > seq:
                at = bisect_right(block, seq, key=_by_seq)
                yield from block[at:]
                yield from self.from_block(i + 1)
                return

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return list(self)[index]
        index = position(index, self._count)
        block, at = divmod(index, BLOCK)
        return self._block(block)[at]

    def __reversed__(self) -> Iterator[Record]:
        for i in range(len(self._blocks), -1, -1):
            yield from reversed(self._block(i))


class MergedRecords(Sequence[Record]):
    """Records of several kinds merged into log order by ``seq``, lazily (a heap merge of their walks)."""

    def __init__(self, parts: Sequence[KindRecords]) -> None:
        self._parts = [p for p in parts if len(p)]

    def __len__(self) -> int:
        return sum(len(p) for p in self._parts)

    def __iter__(self) -> Iterator[Record]:
        if len(self._parts) == 1:
            return iter(self._parts[0])
        return heapq.merge(*self._parts, key=_by_seq)

    def after(self, seq: int) -> Iterator[Record]:
        """Records after ``seq``, in log order, decoding only from the blocks that hold them."""
        return heapq.merge(*(p.from_seq(seq) for p in self._parts), key=_by_seq)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, int) and index == -1 and len(self):
            return max((p[-1] for p in self._parts if len(p)), key=_by_seq)
        return list(self)[index]


def _by_seq(r: Record) -> int:
    return r.seq


class LogRecords(Sequence[Record]):
    """Every record of an in-order store, in log order: a live sequence with indexing in constant time.

    Why: a console (``play``, a seat, the replay viewer) shows the newest records and jumps to any
    position; with the records held in a store instead of a list it needs ``view[i]``,
    ``view[a:b]`` and ``reversed(view)`` without decoding the whole log. The store keeps, for each
    record, its kind's slot and its index within that kind (eight bytes a record), so record ``i`` is
    one lookup in a cached decoded block. Live: records the store takes later are seen, kinds first
    seen later included.
    """

    def __init__(self, store: RecordStore) -> None:
        self._store = store
        self._parts: list[KindRecords] = []

    def _kinds(self) -> list[KindRecords]:
        parts = self._parts
        if len(parts) != len(self._store._kinds):
            parts = self._parts = list(self._store._kinds.values())
        return parts

    def __len__(self) -> int:
        return len(self._store._order)

    def __iter__(self) -> Iterator[Record]:
        return self._from(0)

    def _from(self, start: int) -> Iterator[Record]:
        """Records from position ``start`` on (each kind's walk starts at the block that holds it)."""
        store = self._store
        if start >= len(store._order):
            return iter(())
        seq = store._first_seq + start - 1
        return self._follow([self._walk(part, seq) for part in self._kinds()], start)

    def _walk(self, part: KindRecords, seq: int) -> Iterator[Record]:
        """Records of ``part`` with a sequence number above ``seq`` (decoded a block at a time)."""
        return part.from_seq(seq)

    def _follow(self, iters: list[Iterator[Record]], start: int) -> Iterator[Record]:
        nexts = [it.__next__ for it in iters]
        for k in islice(self._store._order, start, None):
            yield nexts[k]()

    def after(self, seq: int) -> Iterator[Record]:
        """Records after ``seq``, in log order."""
        return self._from(max(0, seq - self._store._first_seq + 1))

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        n = len(self)
        if isinstance(index, slice):
            start, stop, step = index.indices(n)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return list(islice(self._from(start), max(0, stop - start))) if start < stop else []
        index = position(index, n)
        store = self._store
        return self._kinds()[store._order[index]][store._rank[index]]

    def __reversed__(self) -> Iterator[Record]:
        for i in range(len(self) - 1, -1, -1):
            yield self[i]


class LineRecords(LogRecords):
    """Every record of an in-order store, decoding only the lines read: what a viewer that jumps about reads.

    Why: :class:`LogRecords` decodes a whole block (1,024 records, ~3.5 ms) to give one record and
    keeps the last :data:`DECODED` blocks decoded (~60 MiB of objects) — right for scoring's
    repeated passes, wrong for the replay viewer, which reads a few hundred to a few thousand
    records of a dozen kinds around each position it jumps to: it decoded about five times the
    records it used, and the decoded blocks were the largest thing it held. This view keeps the
    decompressed lines of the last :data:`RAW` blocks instead (decompressing is ~0.7 ms a block)
    and decodes a record when it is read: ``view[i]`` decodes one line, a slice or a walk decodes
    the lines it yields. Same records, same order, same liveness as :class:`LogRecords`; each read
    decodes a fresh object (compare records by ``seq``, as metrics do).
    """

    def __init__(self, store: RecordStore) -> None:
        super().__init__(store)
        self._raw: OrderedDict[tuple[int, int], list[bytes]] = OrderedDict()

    def _lines(self, part: KindRecords, i: int) -> list[bytes]:
        """Block ``i`` of ``part`` as lines (``i == len(blocks)``: the kind's uncompressed tail)."""
        if i == len(part._blocks):
            return part.tail_lines()
        return _recent(self._raw, (id(part), i), lambda: part.block_lines(i), RAW)

    def _walk(self, part: KindRecords, seq: int) -> Iterator[Record]:
        """Records of ``part`` with a sequence number above ``seq``, each decoded as it is taken."""
        first = part.block_of(seq)
        for i in range(first, len(part._blocks) + 1):
            lines = self._lines(part, i)
            at = bisect_right(lines, seq, key=_seq_of) if i == first else 0
            for line in islice(lines, at, None):
                yield _record(line)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return super().__getitem__(index)
        index = position(index, len(self))
        store = self._store
        block, at = divmod(store._rank[index], BLOCK)
        return _record(self._lines(self._kinds()[store._order[index]], block)[at])


@dataclass
class RecordStore:
    """Every record of one log, grouped by kind and held compressed (see the module docstring).

    Attributes:
        header: The header's data (from the ``log.header`` line), once it was added.
        count: Records held (the header not counted).
        last: The last record added (what a reader checks for the end of the exercise).
    """

    header: dict[str, Any] | None = None
    count: int = 0
    last: Record | None = None
    _kinds: dict[str, KindRecords] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict)
    _order: array[int] = field(default_factory=lambda: array("I"))  # each record's kind (its index), in log order
    _rank: array[int] = field(default_factory=lambda: array("I"))  # each record's index within its kind
    _first_seq: int = -1
    _next_seq: int = -1
    _in_order: bool = True  # seqs run on by one (what a log has): the order array is indexed by seq
    _last_line: bytes = b""
    _cache: OrderedDict[tuple[int, int], list[Record]] = field(default_factory=OrderedDict)

    def add_line(self, line: bytes) -> None:
        """Take one line as :class:`drillsim.log.EventLog` writes it (an :meth:`EventLog` tee).

        Only the kind and ``seq`` are read from the line (the writer's fixed field order); the
        header line is decoded for :attr:`header`. An event log handed this method calls
        :meth:`take` instead, with both.
        """
        start = line.index(_KIND) + 8
        kind = line[start:line.index(b'"', start)].decode()
        if not line.endswith(b"\n"):
            line += b"\n"
        self.take(line, kind, _seq_of(line) if kind != HEADER_KIND else 0)

    def take(self, line: bytes, kind: str, seq: int) -> None:
        """Take one encoded line (ending in a newline) whose kind and ``seq`` the caller knows.

        What :class:`drillsim.log.EventLog` calls for every record of a run scored from a store:
        the hot path of a sweep worker's log.
        """
        records = self._kinds.get(kind)
        if records is None:
            if kind == HEADER_KIND:
                self.header = _loads(line)["data"]
                return
            records = self._kinds[kind] = KindRecords(self._cache)
            records.slot = self._index[kind] = len(self._index)
        if seq != self._next_seq:
            if self._first_seq < 0:
                self._first_seq = seq
            else:
                self._in_order = False
        self._next_seq = seq + 1
        # copied onto the kind's tail (newline included); appended here, not through a KindRecords
        # method: this runs for every record of a run
        n = records._tail_n
        if not n:
            records._tail_first = seq
        records._tail += line
        records._tail_n = n + 1
        self._rank.append(records._count)
        records._count += 1
        records._decoded = None
        if n + 1 >= BLOCK:
            records._seal()
        self._order.append(records.slot)
        self.count += 1
        self._last_line = line
        self.last = None

    def add(self, rec: Record | Sequence[Any]) -> None:
        """Take one record (a :class:`Record` read back from a file, or an engine tuple)."""
        row = tuple(rec)
        self.take(encode(row), row[2], row[1])

    @property
    def final(self) -> Record | None:
        """The last record (decoded from its line), or None before any."""
        if self.last is None and self._last_line:
            self.last = _record(self._last_line)
        return self.last

    @property
    def ended(self) -> bool:
        """True when the last record is ``exercise.ended`` (a complete log)."""
        final = self.final
        return final is not None and final.kind == END_KIND

    def kinds(self) -> list[str]:
        """Kinds present, in the order first seen."""
        return list(self._kinds)

    def kind(self, *kinds: str) -> Sequence[Record]:
        """The records of ``kinds`` in log order (a lazy sequence; empty when none)."""
        if len(kinds) == 1:
            return self._kinds.get(kinds[0]) or KindRecords()
        return MergedRecords([self._kinds[k] for k in kinds if k in self._kinds])

    def records(self) -> LogRecords | MergedRecords:
        """Every record (the header excluded) in log order, lazily.

        A log's store (seqs running on by one, as every log has) gives a :class:`LogRecords`: live,
        indexable in constant time. Records added out of order are merged by ``seq`` instead.
        """
        if self._in_order:
            return LogRecords(self)
        return MergedRecords(list(self._kinds.values()))

    def line_records(self) -> LineRecords | None:
        """Every record in log order, decoded line by line as read (:class:`LineRecords`).

        None when the records were added out of order (:meth:`records` then merges them by ``seq``).
        """
        return LineRecords(self) if self._in_order else None

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records())

    def __len__(self) -> int:
        return self.count


def store_of(records: Iterable[Sequence[Any]]) -> RecordStore:
    """A store holding ``records`` (header records skipped)."""
    store = RecordStore()
    for rec in records:
        if rec[2] != HEADER_KIND:
            store.add(rec)
    return store


@dataclass
class StoredLog:
    """A log read back into a :class:`RecordStore` in one pass: the compact twin of :class:`drillsim.log.LogData`.

    Attributes:
        header: The header's data.
        records: The records (a :class:`RecordStore`: iterable, sized, grouped by kind).
        complete: The exercise ended normally.
        torn: A partial last line was dropped.
        path: Where it was read from.
        warnings: What a reader should be told (as :attr:`drillsim.log.LogData.warnings`).
    """

    header: dict[str, Any]
    records: RecordStore
    complete: bool = False
    torn: bool = False
    path: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def inputs(self) -> list[Record]:
        """External inputs in order (``input.received``)."""
        return list(self.records.kind("input.received"))


def read_store(path: str | Path) -> StoredLog:
    """Read and check a log as :func:`drillsim.log.read_log` does, into a :class:`RecordStore`.

    Raises:
        LogError: as :func:`drillsim.log.read_log`.
    """
    warnings: list[str] = []
    store = RecordStore()
    it = iter_records(path, on_torn=warnings.append)
    header = next(it).data
    for rec in it:
        store.add(rec)
    store.header = header
    torn = bool(warnings)
    if not store.ended:
        warnings.append(unfinished(Path(path), store.final))
    return StoredLog(header, store, store.ended, torn, str(path), warnings)
