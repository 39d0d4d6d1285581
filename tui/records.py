"""The records a live console holds: a compact store, with the newest few kept as they came.

Why: ``play``, ``serve`` and a seat (``join``) used to hold every record of the exercise as Python
objects (the engine's ``keep=True`` list, or the seat view's own list): about 1 KB a record, for as
long as the exercise runs. :class:`HeldRecords` keeps them in a
:class:`drillsim.logstore.RecordStore` instead (the log's own JSON lines in zlib blocks, ~30 bytes
a record), the store ``drillsim run`` scores from.

What the console reads most is the newest records: every tick the feed pane, the decision
notices and the seats' pump take the records that arrived since their last look. Reading those
back from the store would decode the whole uncompressed tail of each kind that grew (up to
:data:`drillsim.logstore.BLOCK` lines a kind) several times a second, so the last :data:`RECENT`
records are also kept as they came (the engine's tuples in ``play``; the server's rows in a seat):
a constant, whatever the length of the exercise. Older records are read from the store, decoded
from their JSON (exactly what the replay viewer and a seat see for them).
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, overload

from drillsim.log import HEADER_KIND, Record
from drillsim.logstore import LogRecords, RecordStore, position

if TYPE_CHECKING:
    from drillsim.log import Row

__all__ = ["DECODED", "RECENT", "HeldRecords", "LineStore"]

RECENT = 4096
"""Newest records kept as objects (a few MB at most): more than a tick brings at any clock speed."""


DECODED = 32
"""Decoded blocks a console's store keeps during a live score (``drillsim run``'s keeps 64).

Measured on a 52,000-record session: a live score took 0.59 s CPU with 32 (as main's list did), ~1.0 s
with 8 or 16 (the metrics' passes decode again); the peak moved by 3.5 MiB (at 120,000 records the
records the metrics themselves keep dominate it)."""


class _Decoded(OrderedDict[tuple[int, int], list[Record]]):
    """A store's decoded blocks, at most ``limit`` of them (the least recently used go first)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: tuple[int, int], value: list[Record]) -> None:
        super().__setitem__(key, value)
        if len(self) > self.limit:
            self.popitem(last=False)


class LineStore(RecordStore):
    """The :class:`~drillsim.logstore.RecordStore` of a console: few decoded blocks kept between scores.

    Why: ``run`` scores once, and keeps the last 64 blocks it decoded (65,536 records as objects)
    so that the metrics' several passes decode a log of that size once. A console rescores every
    second or so, and that cache, kept in between, would hold up to 65,536 decoded records for
    good. A console's store keeps :data:`DECODED` blocks and :meth:`forget` drops them after each
    score. (Lines are held exactly as in any store: copied onto each kind's tail buffer, not as the
    ~4 KB objects orjson returns.)

    The engine hands each line to :meth:`take` directly (``tee=store.add_line``: the log
    recognises a store's ``add_line`` and calls its ``take``).
    """

    def __init__(self, decoded: int = DECODED) -> None:
        super().__init__()
        self._cache = _Decoded(decoded)

    def forget(self) -> None:
        """Drop what walks decoded: the cached blocks and each kind's decoded tail (decoded again when read)."""
        self._cache.clear()
        for part in self._kinds.values():
            part._decoded = None


class HeldRecords(Sequence["Row"]):
    """Every record a console received, in the order received: a live sequence over a record store.

    Args:
        store: The store that holds them (``play``: the exercise's log tee, which it fills itself;
            None: a new :class:`LineStore` this object fills through :meth:`add`, as a seat does).
        recent: How many of the newest records are also kept as they came.

    Positions are those of arrival: ``held[i]`` is the ``i``-th record taken (the header not
    counted). A seat's records are a subset of the log and may arrive out of ``seq`` order (a
    record held back until the seat learns of its incident), so positions are looked up through
    the store's per-record kind slot and rank (:class:`drillsim.logstore.LogRecords` indexing,
    which does not depend on ``seq`` order), never by ``seq``.
    """

    def __init__(self, store: RecordStore | None = None, recent: int = RECENT) -> None:
        self.store = store if store is not None else LineStore()
        self._older = LogRecords(self.store)  # only len() and [i] are used: valid in any arrival order
        self._recent: deque[Row] = deque(maxlen=recent)
        self._taken = self.store.count  # records the store held when each recent one came, + 1

    def taken(self, rec: Row) -> None:
        """The store has just taken ``rec`` (an :class:`~drillsim.log.EventLog` listener after its tee)."""
        if rec[2] == HEADER_KIND:
            return
        self._recent.append(rec)
        self._taken += 1

    def add(self, rec: Row) -> None:
        """Take one record into the store (a seat: a row the server sent)."""
        if rec[2] == HEADER_KIND:
            return
        self.store.add(rec)
        self._recent.append(rec)
        self._taken += 1

    def __len__(self) -> int:
        return self._taken

    def _base(self) -> int:
        """Position of the oldest record kept as it came."""
        return self._taken - len(self._recent)

    def _one(self, index: int, base: int) -> Row:
        if index >= base:
            return self._recent[index - base]
        return self._older[index]

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        n = self._taken
        base = self._base()
        if isinstance(index, slice):
            start, stop, step = index.indices(n)
            if step != 1 or stop <= start:
                return [self._one(i, base) for i in range(start, stop, step)]
            older = self._older
            out: list[Row] = [older[i] for i in range(start, min(stop, base))]
            if stop > base:
                out.extend(islice(self._recent, max(start, base) - base, stop - base))
            return out
        index = position(index, n)
        return self._one(index, base)

    def __iter__(self) -> Iterator[Row]:
        base = self._base()
        recent = list(self._recent)  # as they are now: records taken during the walk are not in it
        older = self._older
        for i in range(base):
            yield older[i]
        yield from recent

    def __reversed__(self) -> Iterator[Row]:
        base = self._base()
        yield from reversed(list(self._recent))
        older = self._older
        for i in range(base - 1, -1, -1):
            yield older[i]
