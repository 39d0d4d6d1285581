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

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from drillsim.log import Row

S = TypeVar("S")

MAX_SNAPSHOTS = 96
"""Snapshots kept at most (the interval grows with the log instead)."""

MIN_EVERY = 256
"""Records between snapshots at least (short logs need few snapshots)."""


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
    """

    def __init__(self, records: Sequence[Row]) -> None:
        self.records = records
        self.times: list[float] = [float(r[0]) for r in records]
        self.by_kind: dict[str, list[int]] = {}
        for i, r in enumerate(records):
            self.by_kind.setdefault(r[2], []).append(i)

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
            seq = self.by_kind.get(kind) or []
            i = bisect_left(seq, position)
            if i < len(seq) and (best is None or seq[i] < best):
                best = seq[i]
        return best

    def prev_of(self, kinds: Iterable[str], position: int) -> int | None:
        """Index of the last record of ``kinds`` before record index ``position`` (None: none before)."""
        best: int | None = None
        for kind in kinds:
            seq = self.by_kind.get(kind) or []
            i = bisect_left(seq, position) - 1
            if i >= 0 and (best is None or seq[i] > best):
                best = seq[i]
        return best

    def next_matching(self, position: int, accept: Callable[[Row], bool]) -> int | None:
        """Index of the first record at or after ``position`` that ``accept`` takes (a linear scan)."""
        for i in range(max(0, position), len(self.records)):
            if accept(self.records[i]):
                return i
        return None

    def prev_matching(self, position: int, accept: Callable[[Row], bool]) -> int | None:
        """Index of the last record before ``position`` that ``accept`` takes."""
        for i in range(min(position, len(self.records)) - 1, -1, -1):
            if accept(self.records[i]):
                return i
        return None


def snapshot_interval(n: int) -> int:
    """Records between snapshots for a log of ``n`` records (at most :data:`MAX_SNAPSHOTS` snapshots)."""
    return max(MIN_EVERY, -(-n // MAX_SNAPSHOTS))


class SnapshotIndex(Generic[S]):
    """Periodic snapshots of a fold over a log's records; the state at any position on demand.

    Args:
        records: The records (kept by reference; never re-read from disk).
        fold: How to build and copy the state.
        every: Records between snapshots (default: :func:`snapshot_interval`).
    """

    def __init__(self, records: Sequence[Row], fold: Fold[S], every: int | None = None) -> None:
        self.records = records
        self.fold = fold
        self.every = every or snapshot_interval(len(records))
        self._snaps: list[Any] = []
        state = fold.new()
        self._snaps.append(fold.snapshot(state, 0))
        for i, rec in enumerate(records, start=1):
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
        records = self.records
        for i in range(start, position):
            apply(state, records[i])
        return state
