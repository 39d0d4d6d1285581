"""What drives the panes: a live exercise (``play``) — and, later, a recorded log (``replay``).

The console talks to a :class:`Driver`: advance the clock, apply an input, finish. The live driver
wraps :class:`sim.engine.Exercise`; everything the panes draw comes from the records it emits,
folded into an :class:`~tui.state.ExerciseView`, so a replay driver can feed the same panes from
a log. Every facilitator action goes through :meth:`LiveDriver.submit`, hence through
``Exercise.submit``, and is logged as ``input.received``: the play log replays like any other.

Inputs are applied at a **clean** time (a whole number of 1/10 000 minute). Records carry ``t``
rounded to four decimals and a replay re-applies each input at its recorded ``t`` after every
event at or before it. A decision that opens at an arbitrary instant (a doctrine delay drawn from
a distribution) would otherwise be answered at ``t = 255.15075…`` and recorded as ``255.1508``;
the replay would then process events in between before the answer. ``Exercise.submit`` itself
moves the clock to the next clean instant before an input (so any driver replays exactly); the
driver also settles there first so the panes show that instant before the input is applied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from sim.engine import QUANTUM, clean_time
from tui.state import ExerciseView

if TYPE_CHECKING:
    from sim.engine import Exercise

__all__ = ["QUANTUM", "Driver", "LiveDriver", "clean"]

clean = clean_time


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
    """Runs an :class:`~sim.engine.Exercise` for the console.

    Args:
        exercise: A freshly built exercise (nothing advanced yet), made with ``keep=True`` so the
            records emitted while it was built (header, initial levels) can be shown.
    """

    live = True

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise
        header = exercise.log.header or {}
        self.header: dict[str, Any] = header
        self.view = ExerciseView(header)
        self.view.apply_all(exercise.log.records)
        exercise.log.subscribe(self.view.apply)

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
        """True once the exercise is over."""
        return self.exercise.ended

    @property
    def at_end(self) -> bool:
        """True when the clock has reached the scenario's duration."""
        return self.exercise.at_end

    @property
    def log_path(self) -> str | None:
        """Where the event log is written (None: memory only)."""
        writer = self.exercise.log.writer
        return str(writer.path) if writer is not None else None

    def advance(self, until: float) -> bool:
        """Run to ``until`` (rounded to the log's resolution); True if a players' decision opened."""
        ex = self.exercise
        if ex.ended:
            return False
        ex.advance(clean(until))
        self.view.advance_clock(ex.now)
        return ex.halted

    def settle(self) -> bool:
        """Advance to the next clean instant (see the module docstring); True if a decision opened."""
        ex = self.exercise
        opened = False
        while not ex.ended:
            now = ex.now
            target = clean(now)
            if target == now:
                break
            ex.advance(target)
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
        if ex.ended:
            raise ValueError("the exercise has ended")
        self.settle()
        ex.submit(payload)  # applies at a clean instant and processes the instant afterwards

    def finish(self, reason: str) -> None:
        """Close the exercise (log ``exercise.ended`` and close the log)."""
        if not self.exercise.ended:
            self.exercise.finish(reason)

    def close(self) -> None:
        """Close the log file if the exercise was not finished (a crash: the log stays readable)."""
        self.exercise.log.close()
