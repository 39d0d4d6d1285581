"""The exercise clock: pause, speed steps, "run to", and slicing the simulation so the UI never blocks.

A textual timer calls :meth:`Clock.tick` a few times a second on the UI thread. Each tick
advances the simulation by what the speed asks for, in slices, and stops slicing when a wall-time
budget is spent, so keys stay responsive at ×3600 or with a heavy scenario: the clock then runs
as fast as the machine allows and says it is behind. The slice length adapts to how long slices
take. Nothing here imports textual.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from drillsim.tui.driver import Driver

SPEEDS: tuple[int, ...] = (1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 3600)
"""Simulated seconds per wall-clock second: real time up to one simulated hour per second."""

DEFAULT_SPEED = 60


@dataclass
class Tick:
    """What one tick did.

    Attributes:
        advanced: Simulated minutes the clock moved.
        halted: A decision opened for the players (the clock is now paused).
        reached: ``inject``/``decision``/``step`` when a "run to" target was reached (clock paused).
        at_end: The scenario's end was reached.
    """

    advanced: float = 0.0
    halted: bool = False
    reached: str | None = None
    at_end: bool = False


class Clock:
    """Speed, pause and "run to" for one driver.

    Args:
        driver: What advances the simulation.
        speed: Initial speed (one of :data:`SPEEDS`).
        budget: Wall seconds a tick may spend simulating.
        timer: Monotonic wall clock (injectable for tests).
    """

    def __init__(self, driver: Driver, speed: int = DEFAULT_SPEED, budget: float = 0.04,
                 timer: Callable[[], float] = time.perf_counter) -> None:
        self.driver = driver
        self.index = max((i for i, s in enumerate(SPEEDS) if s <= speed), default=0)
        self.running = False
        self.run_to: float | None = None
        self.run_to_kind: str | None = None
        self.behind = False
        self.budget = budget
        self.timer = timer
        self.slice = 30.0
        self._target = driver.now

    # -- controls -------------------------------------------------------------------------------

    @property
    def speed(self) -> int:
        """Simulated seconds per wall second."""
        return SPEEDS[self.index]

    def faster(self) -> int:
        """One speed step up (up to ×3600); returns the new speed."""
        self.index = min(self.index + 1, len(SPEEDS) - 1)
        return self.speed

    def slower(self) -> int:
        """One speed step down (down to real time); returns the new speed."""
        self.index = max(self.index - 1, 0)
        return self.speed

    def toggle(self) -> bool:
        """Pause or resume; returns True when running. Resuming cancels nothing; pausing cancels "run to"."""
        if self.running or self.run_to is not None:
            self.pause()
        else:
            self.resume()
        return self.running

    def pause(self) -> None:
        """Stop the clock (and any "run to")."""
        self.running = False
        self.run_to = None
        self.run_to_kind = None
        self.behind = False

    def resume(self) -> None:
        """Start the clock at the current speed."""
        self.running = True
        self._target = self.driver.now

    def start_run_to(self, t: float, kind: str) -> None:
        """Run as fast as the budget allows to simulated time ``t``, then pause."""
        self.running = False
        self.run_to = min(t, self.driver.duration)
        self.run_to_kind = kind
        self._target = self.driver.now

    @property
    def active(self) -> bool:
        """True when ticks move the clock."""
        return self.running or self.run_to is not None

    # -- ticking --------------------------------------------------------------------------------

    def tick(self, wall_dt: float) -> Tick:
        """Advance for ``wall_dt`` seconds of wall time at the current speed (or toward "run to")."""
        d = self.driver
        out = Tick()
        if d.ended or not self.active:
            return out
        start_now = d.now
        if self.run_to is not None:
            goal = self.run_to
        else:
            self._target = max(self._target, start_now) + max(0.0, wall_dt) * self.speed / 60.0
            goal = min(self._target, d.duration)
        deadline = self.timer() + self.budget
        halted = False
        first = True  # always advance once, so events at the current instant are processed
        while (first or d.now < goal) and not d.ended:
            first = False
            step_to = min(goal, d.now + self.slice)
            t0 = self.timer()
            halted = d.advance(step_to)
            spent = self.timer() - t0
            self._adapt(spent)
            if halted or self.timer() >= deadline:
                break
        out.advanced = d.now - start_now
        out.halted = halted
        self.behind = self.running and d.now < goal and not halted
        if self.behind:
            self._target = d.now  # drop the debt: run as fast as the machine allows, not in bursts
        if halted:
            self.pause()
        elif self.run_to is not None and d.now >= self.run_to:
            out.reached = self.run_to_kind
            self.pause()
        if d.now >= d.duration:
            out.at_end = True
            self.pause()
        return out

    def _adapt(self, spent: float) -> None:
        """Shorter slices when one took more than half the budget, longer when they are cheap."""
        if spent > self.budget / 2:
            self.slice = max(0.5, self.slice / 2)
        elif spent < self.budget / 20:
            self.slice = min(240.0, self.slice * 2)
