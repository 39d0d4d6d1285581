"""What drives the panes: a live exercise (``play``) — and, later, a recorded log (``replay``).

The console talks to a :class:`Driver`: advance the clock, apply an input, finish. The live driver
wraps :class:`drillsim.engine.Exercise`; everything the panes draw comes from the records it emits,
folded into an :class:`~drillsim.tui.state.ExerciseView`, so a replay driver can feed the same panes from
a log. Every facilitator action goes through :meth:`LiveDriver.submit`, hence through
``Exercise.submit``, and is logged as ``input.received``: the play log replays like any other.

Inputs are applied at a **clean** time (a whole number of 1/10 000 minute). Records carry ``t``
rounded to four decimals and a replay re-applies each input at its recorded ``t`` after every
event at or before it. A decision that opens at an arbitrary instant (a doctrine delay drawn from
a distribution) would otherwise be answered at ``t = 255.15075…`` and recorded as ``255.1508``;
the replay would then process events in between before the answer. ``Exercise.submit`` itself
moves the clock to the next clean instant before an input (so any driver replays exactly); the
driver also settles there first so the panes show that instant before the input is applied.

**Faults.** An exception that escapes the engine (a flow raising inside ``Exercise.advance``)
leaves the simulation in a state nobody can vouch for: the process that raised is dead, the
instant was processed only in part. The live driver turns it into a :class:`SimulationFault`,
never advances that exercise again, and :meth:`LiveDriver.stop` closes its log with
``finish(reason)`` at the time of the fault (no ``end`` input: applying one would move the broken
clock). A refusal of an input (``ValueError`` raised by ``Exercise.submit`` itself) stays a
``ValueError``. An exception in the *view* (a record the console cannot fold) is kept from the
engine: it is stored in :attr:`LiveDriver.view_fault` and the simulation goes on untouched, so
the log stays exactly what the scenario, seed and inputs produce.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from drillsim.engine import QUANTUM, Exercise, InputRefused, clean_time
from drillsim.log import END_KIND
from drillsim.logstore import RecordStore
from drillsim.tui.records import HeldRecords, LineStore
from drillsim.tui.state import ExerciseView

if TYPE_CHECKING:
    from drillsim.log import Row
    from drillsim.scenario import Loaded

__all__ = ["QUANTUM", "Driver", "LiveDriver", "SimulationFault", "ViewFault", "clean", "is_refusal"]

clean = clean_time


class SimulationFault(Exception):
    """The engine raised while simulating: the exercise cannot go on.

    Attributes:
        error: What the engine raised.
        t: Simulated minutes when it happened.
        during: ``advance`` (the clock was moving), ``input`` (applying an input) or ``finish``.
    """

    def __init__(self, error: BaseException, t: float, during: str) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error
        self.t = t
        self.during = during


@dataclass
class ViewFault:
    """The first record the console's view failed to fold (a display bug; the simulation is unaffected).

    Attributes:
        error: What the view raised.
        record: The record tuple it was folding.
        details: The formatted traceback.
        count: Records that failed so far (the view counts every record; only its handlers failed).
    """

    error: Exception
    record: Row
    details: str
    count: int = 1


def is_refusal(exc: BaseException) -> bool:
    """True when ``exc`` is ``Exercise.submit`` refusing an input, not an error raised while simulating."""
    return isinstance(exc, InputRefused)


class Driver(Protocol):
    """What the console needs from whatever runs the exercise."""

    view: ExerciseView
    header: dict[str, Any]
    live: bool

    @property
    def now(self) -> float:
        """Simulated minutes since the start."""
        ...

    @property
    def duration(self) -> float:
        """The scenario's duration in minutes."""
        ...

    @property
    def ended(self) -> bool:
        """True once the exercise is over (the log is closed)."""
        ...

    def advance(self, until: float) -> bool:
        """Run the clock to ``until``; True when it stopped early for a players' decision."""
        ...

    def submit(self, payload: dict[str, Any]) -> None:
        """Apply a facilitator/player input now (raises ValueError when it cannot apply)."""
        ...

    def finish(self, reason: str) -> None:
        """Close the exercise (the scheduled end was reached)."""
        ...


class LiveDriver:
    """Runs an :class:`~drillsim.engine.Exercise` for the console.

    The exercise keeps no list of its records (``keep=False``): they go, as the log writes them, into
    a :class:`~drillsim.logstore.RecordStore` (its ``tee``), as in ``drillsim run``; the console reads
    them through :attr:`records` (the store, with the newest few kept as they came) and its view is a
    window on those (docs/design.md, "Memory"). :meth:`start` builds such an exercise.

    Args:
        exercise: A freshly built exercise (nothing advanced yet), made with ``tee=store.add_line``
            (and ``keep=False``), so the records emitted while it was built (header, initial
            levels) are in the store and can be shown.
        store: The exercise's record store.

    Raises:
        ValueError: ``store`` is not the exercise's tee (the console would miss every record).
    """

    live = True

    def __init__(self, exercise: Exercise, store: RecordStore) -> None:
        if getattr(exercise.log.tee, "__self__", None) is not store:
            raise ValueError("the exercise must hand its log lines to the store (tee=store.add_line)")
        self.exercise = exercise
        self.store = store
        header = exercise.log.header or {}
        self.header: dict[str, Any] = header
        self.records = HeldRecords(store)
        self.view = ExerciseView(header, self.records)
        self.fault: SimulationFault | None = None
        self.view_fault: ViewFault | None = None
        self.stopped = False
        for rec in list(self.records):  # what the exercise logged while it was built
            self._show(rec)
        exercise.log.subscribe(self._listen)

    @classmethod
    def start(cls, loaded: Loaded, seed: int | None = None, **options: Any) -> LiveDriver:
        """A driver on a new exercise of ``loaded`` whose records go to a store (``options``: as :class:`Exercise`)."""
        store = LineStore()
        return cls(Exercise(loaded, seed, keep=False, tee=store.add_line, **options), store)

    def _listen(self, rec: Row) -> None:
        """Log listener (after the store took the record): keep it as the newest, fold it into the view."""
        self.records.taken(rec)
        self._show(rec)

    def _show(self, rec: Row) -> None:
        """Log listener: fold the record into the view; a view bug is kept, never raised into the engine."""
        try:
            self.view.apply(rec)
        except Exception as exc:
            if self.view_fault is None:
                self.view_fault = ViewFault(exc, rec, traceback.format_exc())
            else:
                self.view_fault.count += 1

    def _failed(self, exc: BaseException, during: str) -> SimulationFault:
        fault = SimulationFault(exc, self.exercise.now, during)
        if self.fault is None:
            self.fault = fault
        return fault

    @property
    def now(self) -> float:
        """Simulated minutes since the start."""
        return self.exercise.now

    @property
    def duration(self) -> float:
        """The scenario's duration in minutes."""
        return self.exercise.duration

    @property
    def ended(self) -> bool:
        """True once the exercise is over (or stopped after a fault: nothing more can happen)."""
        return self.exercise.ended or self.stopped

    @property
    def at_end(self) -> bool:
        """True when the clock has reached the scenario's duration."""
        return self.exercise.at_end

    @property
    def end_reason(self) -> str | None:
        """The reason in the log's ``exercise.ended`` record (None: not ended, or closed without one)."""
        final = self.store.final
        if self.exercise.ended and final is not None and final.kind == END_KIND:
            return str(final.data.get("reason"))
        return None

    @property
    def log_path(self) -> str | None:
        """Where the event log is written (None: memory only)."""
        writer = self.exercise.log.writer
        return str(writer.path) if writer is not None else None

    def advance(self, until: float) -> bool:
        """Run to ``until`` (rounded to the log's resolution); True if a players' decision opened."""
        ex = self.exercise
        if ex.ended or self.fault is not None:
            return False
        try:
            ex.advance(clean(until))
        except Exception as exc:
            raise self._failed(exc, "advance") from exc
        self.view.advance_clock(ex.now)
        return ex.halted

    def settle(self) -> bool:
        """Advance to the next clean instant (see the module docstring); True if a decision opened."""
        ex = self.exercise
        opened = False
        while not ex.ended and self.fault is None:
            now = ex.now
            target = clean(now)
            if target == now:
                break
            try:
                ex.advance(target)
            except Exception as exc:
                raise self._failed(exc, "advance") from exc
            opened = opened or ex.halted
        self.view.advance_clock(ex.now)
        return opened

    def submit(self, payload: dict[str, Any]) -> None:
        """Apply an input at a clean instant and let its effects happen (ValueError when it cannot apply).

        A decision's answer wakes the waiting process, which logs ``decision.made`` and applies the
        option's effects when the simulation next processes that instant. A replay processes it
        before re-applying the next input, so the live console does the same at once: otherwise a
        second input given before the clock moved would be logged before the decision's effects.
        """
        ex = self.exercise
        if self.ended:
            raise ValueError("the exercise has ended")
        if self.fault is not None:
            raise ValueError("the simulation stopped after an error")
        self.settle()
        try:
            ex.submit(payload)  # applies at a clean instant and processes the instant afterwards
        except Exception as exc:
            if is_refusal(exc):
                raise
            raise self._failed(exc, "input") from exc

    def finish(self, reason: str) -> None:
        """Close the exercise (log ``exercise.ended`` and close the log)."""
        if not self.exercise.ended:
            try:
                self.exercise.finish(reason)
            except Exception as exc:
                raise self._failed(exc, "finish") from exc

    def stop(self, reason: str) -> bool:
        """End the exercise now, whatever state it is in, and close the log; never raises (idempotent).

        A healthy exercise ends through an ``end`` input, so its replay ends at the same moment.
        After a :class:`SimulationFault` the engine is not advanced again: ``finish(reason)`` logs
        what is still open and ``exercise.ended`` at the time of the fault. If even that raises, the
        log is closed as it is — intact, without ``exercise.ended``.

        Returns:
            True when the log ends with ``exercise.ended``.
        """
        ex = self.exercise
        if not self.stopped and not ex.ended:
            if self.fault is None:
                try:
                    self.submit({"kind": "end", "reason": reason})
                except Exception:  # a fault is kept in self.fault; the log is closed below
                    pass
            # A finish that already failed once is not tried again: it would log its first records twice.
            if not ex.ended and (self.fault is None or self.fault.during != "finish"):
                try:
                    ex.finish(reason)
                except Exception as exc:
                    self._failed(exc, "finish")
        self.stopped = True
        if not ex.ended:
            ex.log.close()
        return ex.ended

    def close(self) -> None:
        """Close the log file if the exercise was not finished (a crash: the log stays readable)."""
        self.exercise.log.close()
