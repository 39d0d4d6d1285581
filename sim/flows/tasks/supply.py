"""Deliveries (物资保障) carried by teams: from the nearest depot with stock to the incident's place.

Each team on a supply task takes up to ``carries`` units (default: its members) from the nearest
depot that holds the item (its own province first, physical reserve before agreement reserves,
other provinces when the scenario allows), waits for the depot to load it (and for an agreement's
lead time), brings it to the place (``supply.delivered``) and goes again until the quantity is
there. What no depot can supply is a shortfall (``material.shortfall``), and the task ends short.
"""

from __future__ import annotations

import math
from collections.abc import Generator as Gen
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drillsim.flows.tasks.base import KindBase, stop_asking

if TYPE_CHECKING:
    import numpy as np
    import simpy

    from drillsim.agents.operation import Line, Task
    from drillsim.agents.team import Team
    from drillsim.scenario.model_tasks import SupplyTask


@dataclass
class Delivery:
    """Where a supply task stands."""

    quantity: float
    delivered: float = 0.0
    in_transit: float = 0.0
    short: float = 0.0


class Supplies(KindBase):
    """Supply tasks."""

    @staticmethod
    def _state(task: Task) -> Delivery:
        state = task.state_of_kind
        assert isinstance(state, Delivery)  # set by build
        return state

    def build(self, task: Task, gen: np.random.Generator) -> None:
        """Lines of teams that carry (their work is the quantity, not time)."""
        from drillsim.flows.operations import lines_for

        spec: SupplyTask = task.spec
        up_to = self.ctx.scenario.rescue.reinforcement.up_to if isinstance(spec.needs, dict) else 1.0
        task.set_lines(lines_for(spec.needs, math.inf, up_to))
        task.state_of_kind = Delivery(spec.quantity)

    def queued(self, task: Task) -> dict[str, Any]:
        """The item and quantity to deliver."""
        spec: SupplyTask = task.spec
        return {"item": spec.item, "quantity": spec.quantity}

    def team_work(self, team: Team, task: Task, line: Line) -> Gen[simpy.Event, object, None]:
        """Fetch from a depot and bring to the place until the quantity is delivered or nothing is left."""
        ctx = self.ctx
        env = ctx.env
        spec: SupplyTask = task.spec
        state = self._state(task)
        inc = task.incident
        while not task.done:
            want = state.quantity - state.delivered - state.in_transit
            if want <= 1e-9:
                stop_asking(task)
                break
            n = min(float(team.carries), want)
            source = ctx.materials.take(spec.item, n, inc.region.key)
            if source is None:
                state.short = want
                stop_asking(task)
                ctx.emit("material.shortfall", inc.region.key, spec.item, {
                    "item": spec.item, "quantity": round(state.quantity, 3), "short": round(want, 3),
                    "for": inc.region.key, "request": f"{inc.key}.{task.key}"})
                if state.in_transit <= 1e-9:
                    ctx.operations.complete(task)
                break
            depot, origin, depot_region, got, wait = source
            state.in_transit += got
            _, minutes = ctx.dispatcher.travel_minutes(team.position, origin, team.speed, team.region, depot_region)
            team.start_leg(team.position, origin, env.now, minutes)  # still "working": the fetching is its task
            if minutes + wait > 0:
                yield env.timeout(minutes + wait)
            team.position, team.region, team._leg = origin, depot_region, None
            _, back = ctx.dispatcher.travel_minutes(origin, inc.location, team.speed, depot_region, inc.region)
            team.start_leg(origin, inc.location, env.now, back)
            if back > 0:
                yield env.timeout(back)
            team.position, team.region, team._leg = inc.location, inc.region, None
            state.in_transit -= got
            state.delivered += got
            ctx.emit("supply.delivered", team.key, inc.key, {"task": task.key, "item": spec.item,
                                                             "quantity": round(got, 3), "depot": depot})
            if state.delivered >= state.quantity - 1e-9 or (state.short > 0 and state.in_transit <= 1e-9):
                ctx.operations.complete(task)
                break

    def completed(self, task: Task) -> None:
        """``task.completed`` with what was delivered and what was short."""
        ctx = self.ctx
        state = self._state(task)
        inc = task.incident
        ctx.emit("task.completed", inc.region.key, inc.key, {
            "task": task.key, "kind": task.kind, "delivered": round(state.delivered, 3), "short": round(state.short, 3),
            "since_queued": round(ctx.env.now - task.queued_at, 4) if task.queued_at is not None else None})

    def unresolved(self, task: Task) -> dict[str, Any]:
        """What was delivered by the end."""
        state = self._state(task)
        return {"quantity": round(state.quantity, 3), "delivered": round(state.delivered, 3)}
