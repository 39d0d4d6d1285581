"""A site fire (a plant, a warehouse, a tank farm): it grows until the suppression applied controls it.

The burning area grows as ``area · exp(growth · (1 − E) · t)`` (capped at ``max_area``), where the
suppression applied ``E`` is the weakest line's share of the teams first asked for on it (cooling
with two of three engines is ``2/3``; with earth covering at none of two, ``0``). The fire is
*controlled* the first time every line is at full strength (``suppression.controlled``); from then
the lines' work (putting it out, team-time) advances, and when it is done the fire is out
(``suppression.extinguished``). The burned area is an incident fact (``area_ha``) for reports.
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

    from drillsim.agents.operation import Task
    from drillsim.scenario.model_tasks import SuppressTask

RECORD_EVERY = 60.0
"""Minutes between ``suppression.state`` records while the fire burns uncontrolled."""


@dataclass
class SiteFire:
    """The fire's area, how it is growing, and when it was controlled."""

    area: float
    growth: float
    max_area: float
    applied: float = 0.0
    since: float = 0.0
    controlled_at: float | None = None
    reported: float = 0.0


class Suppressions(KindBase):
    """Site fires and the lines that fight them."""

    @staticmethod
    def _state(task: Task) -> SiteFire:
        state = task.state_of_kind
        assert isinstance(state, SiteFire)  # set by build
        return state

    def build(self, task: Task, gen: np.random.Generator) -> None:
        """The lines (with the work of putting it out) and the fire at onset."""
        from drillsim.flows.operations import draw_work, lines_for

        spec: SuppressTask = task.spec
        mapping = isinstance(spec.needs, dict)
        up_to = self.ctx.scenario.rescue.reinforcement.up_to if mapping else 1.0
        task.set_lines(lines_for(spec.needs, draw_work(spec.work, spec.needs, gen), up_to))
        now = self.ctx.env.now
        task.state_of_kind = SiteFire(spec.area, spec.growth, spec.max_area or math.inf, since=now,
                                      reported=spec.area)
        task.incident.extra["area_ha"] = round(spec.area, 4)

    def opened(self, task: Task) -> None:
        """Watch the fire while it burns."""
        self.ctx.env.process(self._watch(task))

    def _watch(self, task: Task) -> Gen[simpy.Event, object, None]:
        env = self.ctx.env
        state = self._state(task)
        self._record(task)
        while not task.done and state.controlled_at is None:
            yield env.timeout(RECORD_EVERY)
            if task.done or state.controlled_at is not None:
                break
            self._grow(task)
            self._record(task)

    def _grow(self, task: Task) -> None:
        """Bring the area up to now at the suppression applied since the last change."""
        state = self._state(task)
        now = self.ctx.env.now
        if state.controlled_at is None and now > state.since:
            state.area = min(state.max_area, state.area * math.exp(state.growth * (1.0 - state.applied)
                                                                   * (now - state.since)))
        state.since = now
        inc = task.incident
        inc.extra["area_ha"] = round(state.area, 4)
        fire = self.ctx.scenario.hazards.fire_updates
        if state.area - state.reported >= max(fire.area, fire.share * state.reported):
            state.reported = state.area
            self.ctx.reporting.changed(inc)

    def _record(self, task: Task) -> None:
        state = self._state(task)
        inc = task.incident
        self.ctx.emit("suppression.state", inc.region.key, inc.key, {
            "task": task.key, "area_ha": round(state.area, 4), "applied": round(state.applied, 4),
            "teams": {k: len(line.teams) for k, line in task.lines.items()}})

    def productive(self, task: Task) -> bool:
        """Putting the fire out starts once it is controlled."""
        return self._state(task).controlled_at is not None

    def changed(self, task: Task) -> None:
        """A team joined or left: the fire has grown at the old strength until now; control when all lines are full."""
        ctx = self.ctx
        state = self._state(task)
        self._grow(task)
        applied = min((min(1.0, len(line.teams) / line.first) for line in task.lines.values()), default=1.0)
        if applied == state.applied:
            return
        state.applied = applied
        if state.controlled_at is None:
            self._record(task)
            if applied >= 1.0:
                state.controlled_at = ctx.env.now
                inc = task.incident
                ctx.emit("suppression.controlled", inc.region.key, inc.key, {
                    "task": task.key, "area_ha": round(state.area, 4),
                    "since_onset": round(ctx.env.now - inc.onset, 4)})

    def completed(self, task: Task) -> None:
        """``suppression.extinguished``: the area burned and how long control took."""
        ctx = self.ctx
        state = self._state(task)
        inc = task.incident
        ctx.emit("suppression.extinguished", inc.region.key, inc.key, {
            "task": task.key, "area_ha": round(state.area, 4),
            "controlled_after": round(state.controlled_at - inc.onset, 4) if state.controlled_at is not None else None,
            "since_onset": round(ctx.env.now - inc.onset, 4)})

    def unresolved(self, task: Task) -> dict[str, Any]:
        """The area and whether the fire was controlled."""
        self._grow(task)
        state = self._state(task)
        return {"area_ha": round(state.area, 4), "controlled": state.controlled_at is not None}
