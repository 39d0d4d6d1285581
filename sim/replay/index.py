"""Index a recorded log once so a viewer can jump anywhere in it without re-reading it.

:class:`TimeIndex` answers "how many records lie at or before t", "where is the next decision",
"the previous inject" by bisection. :class:`SnapshotIndex` keeps snapshots of a *fold* (any state
built by applying records in order: the console's view, a set of counters) every ``every``
records; the state at position p is the nearest snapshot at or before p with at most ``every``
records applied on top. The snapshot interval adapts to the log so a jump costs a bounded amount
of work however long the log is, and memory stays a bounded number of snapshots.

Nothing here knows what the state is: a :class:`Fold` says how to make, advance, snapshot and
restore it. The replay viewer supplies one for its view (``drillsim.tui.replay.fold``).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from drillsim.log import Row

S = TypeVar("S")

MAX_SNAPSHOTS = 96
"""Snapshots kept at most (the interval grows with the log instead)."""

MIN_EVERY = 256
"""Records between snapshots at least (short logs need few snapshots)."""

SCAN_CHUNK = 64
"""Records a filtered step reads at a time at first (doubling up to :data:`MAX_SCAN_CHUNK`)."""

MAX_SCAN_CHUNK = 4096


class Fold(Protocol[S]):
    """How to build a state from records, and how to keep and restore copies of it."""

    def new(self) -> S:
        """The state before any record."""
        ...

    def apply(self, state: S, rec: Row) -> None:
        """Apply one record (in log order)."""
        ...

    def snapshot(self, state: S, position: int) -> Any:
        """A copy of ``state`` (after ``position`` records) that later applies will not change."""
        ...

    def restore(self, snap: Any, position: int) -> S:
        """A fresh, mutable state equal to the snapshot taken after ``position`` records."""
        ...


class TimeIndex:
    """Positions of records by time and by kind.

    A *position* p means "the first p records have been applied": position 0 is before any
    record, position ``len(records)`` after the last.

    Held compactly (docs/design.md, "Memory"): the times in an ``array('d')`` (8 bytes a record)
    and each kind's positions in an ``array('I')`` (4 bytes a record), not as Python floats and
    ints in lists (about 60 bytes a record more), since the viewer keeps them as long as it shows
    the log. The records are read once, in one pass (the player's, from a store, are decoded line by
    line as the pass reads them, in the snapshots' pass: see :meth:`note`).
    """

    def __init__(self, records: Sequence[Row], *, read: bool = True) -> None:
        """Index ``records``.

        With ``read=False`` start empty and be fed by :meth:`note` in log order: the player indexes
        times while it builds its snapshots (one pass over a store, not two).
        """
        self.records = records
        self.times: array[float] = array("d")
        self.by_kind: dict[str, array[int]] = {}
        if read:
            for r in records:
                self.note(r)

    def note(self, rec: Row) -> None:
        """Index the next record (the one at position ``len(times)``)."""
        positions = self.by_kind.get(rec[2])
        if positions is None:
            positions = self.by_kind[rec[2]] = array("I")
        positions.append(len(self.times))
        self.times.append(rec[0])

    def __len__(self) -> int:
        return len(self.records)

    def upto(self, t: float) -> int:
        """The position after every record at or before ``t``."""
        return bisect_right(self.times, t + 1e-9)

    def time_at(self, position: int) -> float:
        """Time of the last record applied at ``position`` (0.0 before any)."""
        return self.times[position - 1] if position > 0 else 0.0

    def next_of(self, kinds: Iterable[str], position: int) -> int | None:
        """Index of the first record of ``kinds`` at or after record index ``position`` (None: none left)."""
        best: int | None = None
        for kind in kinds:
            seq = self.by_kind.get(kind)
            if seq is None:
                continue
            i = bisect_left(seq, position)
            if i < len(seq) and (best is None or seq[i] < best):
                best = seq[i]
        return best

    def prev_of(self, kinds: Iterable[str], position: int) -> int | None:
        """Index of the last record of ``kinds`` before record index ``position`` (None: none before)."""
        best: int | None = None
        for kind in kinds:
            seq = self.by_kind.get(kind)
            if seq is None:
                continue
            i = bisect_left(seq, position) - 1
            if i >= 0 and (best is None or seq[i] > best):
                best = seq[i]
        return best

    def next_matching(self, position: int, accept: Callable[[Row], bool]) -> int | None:
        """Index of the first record at or after ``position`` that ``accept`` takes (a linear scan).

        Reads the records in slices (a store decodes each block once per slice instead of looking
        every record up on its own), small first: the next match is usually close.
        """
        for i, rec in _forward(self.records, max(0, position)):
            if accept(rec):
                return i
        return None

    def prev_matching(self, position: int, accept: Callable[[Row], bool]) -> int | None:
        """Index of the last record before ``position`` that ``accept`` takes."""
        for i, rec in _backward(self.records, min(position, len(self.records))):
            if accept(rec):
                return i
        return None


def _forward(records: Sequence[Row], start: int) -> Iterator[tuple[int, Row]]:
    """``(index, record)`` from ``start`` to the end, read a growing slice at a time."""
    n, size, i = len(records), SCAN_CHUNK, start
    while i < n:
        chunk = records[i:i + size]
        if not chunk:
            return
        yield from enumerate(chunk, i)
        i += len(chunk)
        size = min(2 * size, MAX_SCAN_CHUNK)


def _backward(records: Sequence[Row], stop: int) -> Iterator[tuple[int, Row]]:
    """``(index, record)`` from ``stop - 1`` down to 0, read a growing slice at a time."""
    size, end = SCAN_CHUNK, stop
    while end > 0:
        start = max(0, end - size)
        chunk = records[start:end]
        for j in range(len(chunk) - 1, -1, -1):
            yield start + j, chunk[j]
        end = start
        size = min(2 * size, MAX_SCAN_CHUNK)


def snapshot_interval(n: int) -> int:
    """Records between snapshots for a log of ``n`` records (at most :data:`MAX_SNAPSHOTS` snapshots)."""
    return max(MIN_EVERY, -(-n // MAX_SNAPSHOTS))


class SnapshotIndex(Generic[S]):
    """Periodic snapshots of a fold over a log's records; the state at any position on demand.

    Args:
        records: The records (kept by reference; never re-read from disk).
        fold: How to build and copy the state.
        every: Records between snapshots (default: :func:`snapshot_interval`).
        also: Called with each record of the building pass, in order (e.g. :meth:`TimeIndex.note`).
    """

    def __init__(self, records: Sequence[Row], fold: Fold[S], every: int | None = None,
                 also: Callable[[Row], object] | None = None) -> None:
        self.records = records
        self.fold = fold
        self.every = every or snapshot_interval(len(records))
        self._snaps: list[Any] = []
        state = fold.new()
        self._snaps.append(fold.snapshot(state, 0))
        for i, rec in enumerate(records, start=1):
            if also is not None:
                also(rec)
            fold.apply(state, rec)
            if i % self.every == 0:
                self._snaps.append(fold.snapshot(state, i))
        self.final = state
        """The state after every record (the index's own; do not mutate)."""

    def __len__(self) -> int:
        return len(self.records)

    def state_at(self, position: int) -> S:
        """A fresh state after the first ``position`` records (clamped to the log)."""
        position = max(0, min(position, len(self.records)))
        k = min(position // self.every, len(self._snaps) - 1)
        start = k * self.every
        state = self.fold.restore(self._snaps[k], start)
        apply = self.fold.apply
        # one slice, not a lookup per record: a store decodes each block it spans once
        for rec in self.records[start:position] if position > start else ():
            apply(state, rec)
        return state
