"""The replay viewer's engine room: a log read once, indexed, and a position that moves through it.

:class:`Player` holds the log's records in a :class:`~drillsim.logstore.RecordStore` (compressed blocks,
decoded a block at a time; docs/design.md, "Memory"), a :class:`~drillsim.replay.index.TimeIndex` and a
:class:`~drillsim.replay.index.SnapshotIndex` of the console's view (:mod:`drillsim.tui.replay.fold`). Moving
forward a little applies records to the current view; any other move restores the nearest
snapshot and applies at most one snapshot interval of records, so a jump costs the same anywhere
in a long log. Playing moves simulated time at a speed. Nothing here imports textual.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from drillsim.log import LogData
from drillsim.logstore import StoredLog, store_of
from drillsim.replay.index import SnapshotIndex, TimeIndex
from drillsim.tui.replay.fold import ReplayState, ViewFold
from drillsim.tui.state import ExerciseView

if TYPE_CHECKING:
    from drillsim.log import Record, Row

SPEEDS: tuple[int, ...] = (1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 3600, 7200, 14400)
"""Simulated seconds per wall second; a replay may run faster than the live console (up to 4 h/s)."""

DECISION_KINDS = ("decision.opened",)
INJECT_KINDS = ("inject.delivered",)


class Player:
    """A position in a recorded log and the view at that position.

    Args:
        log: The log read with :func:`drillsim.logstore.read_store` (what ``drillsim replay`` does), or
            a :class:`~drillsim.log.LogData` already in memory, which is moved into a store (the
            player keeps no list of records either way).
        speed: Initial speed (simulated seconds per wall second).

    Attributes:
        log: The log as a :class:`~drillsim.logstore.StoredLog` (what a what-if branch is planned from).
        records: Every record, in order: the store's :class:`~drillsim.logstore.LineRecords`
            (``records[i]`` and slices in constant time a record; only the lines read are decoded).
    """

    def __init__(self, log: LogData | StoredLog, speed: int = 300) -> None:
        self.log = stored(log)
        self.header = self.log.header
        self.records: Sequence[Record] = records_of(self.log)
        self.duration = float(self.header.get("duration") or 0.0)
        self.end_time = max(float(self.records[-1].t) if self.records else 0.0, 0.0)
        started = time.perf_counter()
        self.index = TimeIndex(self.records, read=False)  # filled by the snapshots' pass (one read of the store)
        self.snapshots: SnapshotIndex[ReplayState] = SnapshotIndex(self.records, ViewFold(self.header, self.records),
                                                                   also=self.index.note)
        self.index_seconds = time.perf_counter() - started
        self.state = self.snapshots.state_at(0)
        self.position = 0
        self.index_speed = max((i for i, s in enumerate(SPEEDS) if s <= speed), default=0)
        self.playing = False
        self.accept: Callable[[Row], bool] | None = None
        self.last_seek_seconds = 0.0

    # -- what is shown ---------------------------------------------------------------------------

    @property
    def view(self) -> ExerciseView:
        """The console's view at the current position."""
        return self.state.view

    @property
    def now(self) -> float:
        """The moment shown (simulated minutes)."""
        return self.view.now

    @property
    def speed(self) -> int:
        """Simulated seconds per wall second while playing."""
        return SPEEDS[self.index_speed]

    @property
    def at_end(self) -> bool:
        """Every record has been applied."""
        return self.position >= len(self.records)

    # -- moving ----------------------------------------------------------------------------------

    def seek(self, position: int, t: float | None = None) -> None:
        """Show the state after ``position`` records (and the clock at ``t`` if later than the last one)."""
        started = time.perf_counter()
        position = max(0, min(position, len(self.records)))
        ahead = position - self.position
        if 0 <= ahead <= self.snapshots.every:
            fold, state = self.snapshots.fold, self.state
            for rec in self.records[self.position:position]:
                fold.apply(state, rec)
        else:
            self.state = self.snapshots.state_at(position)
        self.position = position
        if t is not None:
            self.view.advance_clock(min(max(t, 0.0), max(self.duration, self.end_time)))
        self.last_seek_seconds = time.perf_counter() - started

    def seek_time(self, t: float) -> None:
        """Show the moment ``t``: every record at or before it applied, the clock at ``t``."""
        self.seek(self.index.upto(t), t)
        self.view.now = min(max(t, 0.0), max(self.duration, self.end_time))

    def step(self, forward: bool = True) -> bool:
        """Move to the next (or previous) record that passes the filter; False when there is none."""
        accept = self.accept or (lambda rec: True)
        if forward:
            i = self.index.next_matching(self.position, accept)
            if i is None:
                return False
            self.seek(i + 1)
            return True
        i = self.index.prev_matching(self.position - 1, accept)
        if i is None:
            if self.position == 0:
                return False
            self.seek(0)
            return True
        self.seek(i + 1)
        return True

    def jump_kind(self, kinds: Sequence[str], forward: bool = True) -> bool:
        """Move to the next (or previous) record of ``kinds``; False when there is none."""
        if forward:
            i = self.index.next_of(kinds, self.position)
        else:
            i = self.index.prev_of(kinds, self.position - 1)
        if i is None:
            return False
        self.seek(i + 1)
        return True

    def current(self) -> Any | None:
        """The last record applied (None at the start)."""
        return self.records[self.position - 1] if self.position > 0 else None

    # -- playing -----------------------------------------------------------------------------------

    def faster(self) -> int:
        """One speed step up."""
        self.index_speed = min(self.index_speed + 1, len(SPEEDS) - 1)
        return self.speed

    def slower(self) -> int:
        """One speed step down."""
        self.index_speed = max(self.index_speed - 1, 0)
        return self.speed

    def tick(self, wall_seconds: float) -> bool:
        """Advance simulated time by ``wall_seconds`` at the current speed; False when the end was reached."""
        if not self.playing:
            return True
        end = max(self.end_time, self.now)
        target = min(self.now + wall_seconds * self.speed / 60.0, end)
        self.seek(self.index.upto(target), target)
        if self.now >= end and self.at_end:
            self.playing = False
            return False
        return True

    def decision_at(self) -> tuple[Any, Any | None] | None:
        """The decision to branch at — the last one opened up to the current position — and how it was made.

        Returns ``(decision.opened record, decision.made record or None)``, or None before any decision.
        """
        i = self.index.prev_of(DECISION_KINDS, self.position)
        if i is None:
            return None
        opened = self.records[i]
        j = self.index.next_matching(i + 1, lambda r: r[2] == "decision.made" and r[4] == opened[4])
        return opened, (self.records[j] if j is not None else None)


def stored(log: LogData | StoredLog) -> StoredLog:
    """``log`` held in a store: a :class:`~drillsim.log.LogData`'s records are encoded into one (and not kept)."""
    if isinstance(log, StoredLog):
        return log
    return StoredLog(log.header, store_of(log.records), log.complete, log.torn, log.path, list(log.warnings))


def records_of(log: StoredLog) -> Sequence[Record]:
    """The log's records as the player reads them: the store's view decoded line by line.

    A log's ``seq`` runs on by one, so a store gives a :class:`~drillsim.logstore.LineRecords`
    (a jump decodes the records it applies, not the blocks they lie in, and no decoded block is
    kept); a store of records out of order could only merge them (no indexing in constant time),
    so those few are decoded into a list instead.
    """
    records = log.records.line_records()
    return records if records is not None else list(log.records)
