"""Holding a place: a cordon (警戒), a monitoring post (监测), a guard (值守).

No one is rescued and nothing is used up: the task is to have teams there. It runs from the first
team's arrival for ``for`` (or until its ``until`` trigger fires), and it is *at full strength* while
every line has the teams first asked for. ``task.held`` marks each change of strength, and
``task.completed`` says how long the place was held and how long at full strength.
"""

from __future__ import annotations

import math
from collections.abc import Generator as Gen
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drillsim.flows.tasks.base import KindBase

if TYPE_CHECKING:
    import numpy as np
    import simpy

    from drillsim.agents.operation import Line, Task
    from drillsim.agents.team import Team
    from drillsim.scenario.model_tasks import HoldTask


@dataclass
class Hold:
    """Where a hold stands: when it began, whether it is at full strength, time at full strength."""

    began: float | None = None
    full_since: float | None = None
    full_minutes: float = 0.0


class Holds(KindBase):
    """Cordons, monitoring posts and guards."""

    @staticmethod
    def _state(task: Task) -> Hold:
        state = task.state_of_kind
        assert isinstance(state, Hold)  # set by build
        return state

    def build(self, task: Task, gen: np.random.Generator) -> None:
        """Lines of teams that hold the place (their work is never used up)."""
        from drillsim.flows.operations import lines_for

        spec: HoldTask = task.spec
        up_to = self.ctx.scenario.rescue.reinforcement.up_to if isinstance(spec.needs, dict) else 1.0
        task.set_lines(lines_for(spec.needs, math.inf, up_to))
        task.state_of_kind = Hold()

    def opened(self, task: Task) -> None:
        """A hold that lasts until a trigger starts watching for it now."""
        spec: HoldTask = task.spec
        if spec.until is not None:
            self.ctx.triggers.watch(spec.until, lambda: self.ctx.operations.complete(task))

    def queued(self, task: Task) -> dict[str, Any]:
        """How long the place is to be held (when it is a time)."""
        spec: HoldTask = task.spec
        return {"for": spec.for_} if spec.for_ is not None else {}

    def team_work(self, team: Team, task: Task, line: Line) -> Gen[simpy.Event, object, None]:
        """Stay until the hold ends."""
        assert task.finished is not None  # made when the task opened
        yield task.finished

    def changed(self, task: Task) -> None:
        """Start the clock at the first arrival; note each change between full and partial strength."""
        ctx = self.ctx
        env = ctx.env
        state = self._state(task)
        spec: HoldTask = task.spec
        now = env.now
        if state.began is None and task.teams:
            state.began = now
            if spec.for_ is not None:
                env.process(self._end_after(task, spec.for_))
        full = bool(task.lines) and all(len(line.teams) >= line.first for line in task.lines.values())
        if full and state.full_since is None:
            state.full_since = now
        elif not full and state.full_since is not None:
            state.full_minutes += now - state.full_since
            state.full_since = None
        else:
            return
        inc = task.incident
        ctx.emit("task.held", inc.region.key, inc.key, {
            "task": task.key, "kind": task.kind, "full": full,
            "teams": {k: len(line.teams) for k, line in task.lines.items()}})

    def _end_after(self, task: Task, minutes: float) -> Gen[simpy.Event, object, None]:
        yield self.ctx.env.timeout(minutes)
        self.ctx.operations.complete(task)

    def completed(self, task: Task) -> None:
        """``task.completed`` with the minutes held and held at full strength."""
        ctx = self.ctx
        state = self._state(task)
        now = ctx.env.now
        if state.full_since is not None:
            state.full_minutes += now - state.full_since
            state.full_since = None
        inc = task.incident
        ctx.emit("task.completed", inc.region.key, inc.key, {
            "task": task.key, "kind": task.kind,
            "held": round(now - state.began, 4) if state.began is not None else 0.0,
            "full": round(state.full_minutes, 4),
            "since_queued": round(now - task.queued_at, 4) if task.queued_at is not None else None})

    def unresolved(self, task: Task) -> dict[str, Any]:
        """Minutes held so far."""
        state = self._state(task)
        now = self.ctx.env.now
        full = state.full_minutes + (now - state.full_since if state.full_since is not None else 0.0)
        return {"held": round(now - state.began, 4) if state.began is not None else 0.0, "full": round(full, 4)}
