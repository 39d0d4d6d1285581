"""Evacuations (转移安置): people leave a place for shelters, carried in trips or on foot.

Evacuees are not trapped: they never count toward ``trapped`` and have no survival curve. They are at
risk only if the danger reaches their place before they leave: then the share ``danger.trapped`` of
the people still there become trapped (an incident of their own for the rescue flow). Each team on
an evacuation loads ``carries`` people (default: its members), takes them to the first shelter in
the task's list with room, and comes back while anyone is left; people also leave on foot at
``on_foot`` an hour. A shelter takes people up to its capacity; the rest are overflow (logged, still
evacuated, not sheltered). Arrivals draw each shelter's supplies from the depots.
"""

from __future__ import annotations

import math
from collections.abc import Generator as Gen
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drillsim.flows.tasks.base import KindBase, stop_asking
from drillsim.geo import haversine_km
from drillsim.rng import make_sampler
from drillsim.scenario.model import IncidentSpec
from drillsim.scenario.types import fixed_count, fixed_minutes

if TYPE_CHECKING:
    import numpy as np
    import simpy

    from drillsim.agents.operation import Line, Task
    from drillsim.agents.region import Region
    from drillsim.agents.team import Team
    from drillsim.flows.context import Context
    from drillsim.geo import Point
    from drillsim.scenario.model_tasks import EvacuateTask

FOOT_STEP = 10.0
"""Minutes between batches of people leaving on foot."""


@dataclass
class Evacuation:
    """Where an evacuation stands.

    Attributes:
        people: People to move in all.
        at_place: Still at the place, not yet picked up or walking.
        moving: On the way to a shelter.
        arrived: At a shelter (sheltered or overflow).
        overflow: Arrived where there was no room.
        left_behind: Still there when the danger came.
        ordered_at: When the task entered the queue.
    """

    people: int
    at_place: int
    moving: int = 0
    arrived: int = 0
    overflow: int = 0
    left_behind: int = 0
    ordered_at: float = 0.0
    by_shelter: dict[str, int] = field(default_factory=dict)


@dataclass
class ShelterState:
    """One shelter: people in it, people on their way to it."""

    key: str
    region: Region
    location: Point | None
    capacity: int
    occupancy: int = 0
    reserved: int = 0


class Evacuations(KindBase):
    """Trips, walkers, shelters and the danger clock of every evacuation."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        regions = ctx.model.regions
        self.shelters: dict[str, ShelterState] = {}
        for key, s in ctx.scenario.shelters.items():
            region = regions[s.region]
            self.shelters[key] = ShelterState(key, region, s.location or region.location, s.capacity)

    @staticmethod
    def _state(task: Task) -> Evacuation:
        state = task.state_of_kind
        assert isinstance(state, Evacuation)  # set by build
        return state

    @staticmethod
    def _spec(task: Task) -> EvacuateTask:
        spec: EvacuateTask = task.spec  # an evacuation's spec is an EvacuateTask
        return spec

    def build(self, task: Task, gen: np.random.Generator) -> None:
        """Draw how many people must go and give the task its lines (teams that carry people)."""
        from drillsim.flows.operations import lines_for

        spec = self._spec(task)
        inc = task.incident
        people = round(make_sampler(spec.people, gen)()) if spec.people is not None else inc.stranded
        task.state_of_kind = Evacuation(people, people)
        up_to = self.ctx.scenario.rescue.reinforcement.up_to if isinstance(spec.needs, dict) else 1.0
        task.set_lines(lines_for(spec.needs, math.inf, up_to))

    def opened(self, task: Task) -> None:
        """The order is given: walkers set out, the danger clock starts."""
        ctx = self.ctx
        spec = self._spec(task)
        state = self._state(task)
        state.ordered_at = ctx.env.now
        inc = task.incident
        ctx.emit("evacuation.ordered", inc.region.key, inc.key, {
            "task": task.key, "people": state.people, "to": list(spec.to),
            "teams": {k: line.wanted for k, line in task.lines.items()}})
        if state.people <= 0:
            ctx.operations.complete(task)
            return
        if spec.on_foot:
            ctx.env.process(self._walk(task, spec.on_foot))
        danger = spec.danger
        if danger is not None:
            if danger.when is not None:
                ctx.triggers.watch(danger.when, lambda: self._danger(task))
            else:
                at = danger.at if danger.at is not None else ctx.env.now + (danger.after or 0.0)
                ctx.env.process(self._danger_at(task, at))

    # -- moving people ------------------------------------------------------------------------------

    def team_work(self, team: Team, task: Task, line: Line) -> Gen[simpy.Event, object, None]:
        """Load, carry to a shelter, unload, come back while anyone is left."""
        ctx = self.ctx
        env = ctx.env
        spec = self._spec(task)
        state = self._state(task)
        inc = task.incident
        place, region = inc.location, inc.region
        load = make_sampler(spec.load, ctx.streams.get("evacuation", inc.key, task.key, team.key))
        size = team.carries
        while state.at_place > 0 and not task.done:
            n = min(size, state.at_place)
            self._leave(task, n)
            wait = load()
            if wait > 0:
                yield env.timeout(wait)
            shelter = self._choose(task, n)
            _, minutes = ctx.dispatcher.travel_minutes(place, shelter.location, team.speed, region, shelter.region)
            team.start_leg(place, shelter.location, env.now, minutes)  # still "working": the trips are its task
            if minutes > 0:
                yield env.timeout(minutes)
            team.position, team.region, team._leg = shelter.location, shelter.region, None
            last = state.at_place <= 0 or task.done  # nobody left to fetch: the team's work ends here
            ctx.emit("evacuation.trip", team.key, inc.key, {"task": task.key, "people": n, "shelter": shelter.key,
                                                             **({"last": True} if last else {})})
            self._arrive(task, shelter, n)
            if state.at_place <= 0 or task.done:
                break
            _, back = ctx.dispatcher.travel_minutes(shelter.location, place, team.speed, shelter.region, region)
            team.start_leg(shelter.location, place, env.now, back)
            if back > 0:
                yield env.timeout(back)
            team.position, team.region, team._leg = place, region, None

    def _walk(self, task: Task, rate: float) -> Gen[simpy.Event, object, None]:
        """People leave on their own, a batch every :data:`FOOT_STEP` minutes."""
        env = self.ctx.env
        state = self._state(task)
        owed = 0.0
        while state.at_place > 0 and not task.done:
            yield env.timeout(FOOT_STEP)
            owed += rate * FOOT_STEP
            n = min(state.at_place, int(owed))
            if n <= 0:
                continue
            owed -= n
            self._leave(task, n)
            env.process(self._walkers(task, n))

    def _walkers(self, task: Task, n: int) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        spec = self._spec(task)
        inc = task.incident
        shelter = self._choose(task, n)
        km = haversine_km(inc.location, shelter.location) * ctx.dispatcher.road_factor
        minutes = km / spec.walk_speed * 60.0 if km > 0 else 0.0
        if minutes > 0:
            yield ctx.env.timeout(minutes)
        ctx.emit("evacuation.trip", inc.region.key, inc.key, {"task": task.key, "people": n, "shelter": shelter.key,
                                                               "on_foot": True})
        self._arrive(task, shelter, n)

    def _leave(self, task: Task, n: int) -> None:
        state = self._state(task)
        inc = task.incident
        state.at_place -= n
        state.moving += n
        if inc.stranded > 0:
            inc.stranded = max(0, inc.stranded - n)
        if state.at_place <= 0:
            stop_asking(task)

    def _choose(self, task: Task, n: int) -> ShelterState:
        """The first shelter of the task's list with room for ``n`` (counting those on their way), else the last."""
        names = self._spec(task).to
        for key in names:
            s = self.shelters[key]
            if s.occupancy + s.reserved + n <= s.capacity:
                s.reserved += n
                return s
        s = self.shelters[names[-1]]
        s.reserved += n
        return s

    def _arrive(self, task: Task, shelter: ShelterState, n: int) -> None:
        ctx = self.ctx
        state = self._state(task)
        inc = task.incident
        shelter.reserved = max(0, shelter.reserved - n)
        room = max(0, shelter.capacity - shelter.occupancy)
        taken = min(room, n)
        over = n - taken
        shelter.occupancy += taken
        state.moving -= n
        state.arrived += n
        state.overflow += over
        state.by_shelter[shelter.key] = state.by_shelter.get(shelter.key, 0) + n
        ctx.emit("shelter.occupancy", shelter.key, inc.key, {
            "task": task.key, "arrived": n, "occupancy": shelter.occupancy, "capacity": shelter.capacity})
        if over > 0:
            ctx.emit("shelter.overflow", shelter.key, inc.key, {"task": task.key, "people": over,
                                                                 "capacity": shelter.capacity})
        supplies = ctx.scenario.shelters[shelter.key].supplies
        if taken > 0 and supplies and ctx.scenario.materials.depots:
            for item, per in supplies.items():
                ctx.materials.request(item, per * taken, shelter.region.key, shelter.key, inc.key)
        inc.extra["evacuated"] = inc.extra.get("evacuated", 0.0) + n
        ctx.reporting.changed(inc)
        if state.at_place <= 0 and state.moving <= 0 and not task.done:
            ctx.operations.complete(task)

    # -- danger -------------------------------------------------------------------------------------

    def _danger_at(self, task: Task, at: float) -> Gen[simpy.Event, object, None]:
        env = self.ctx.env
        if at > env.now:
            yield env.timeout(at - env.now)
        self._danger(task)

    def _danger(self, task: Task) -> None:
        danger = self._spec(task).danger
        if danger is not None:
            per_person = make_sampler(danger.per_person, self.ctx.streams.get("evacuation", task.label(), "work"))()
            self.danger(task, danger.trapped, danger.needs, kind=danger.kind, survival=danger.survival,
                        per_team=danger.per_team, per_person=per_person)

    def moved(self, task: Task) -> int:
        """People of the evacuation who have left the place so far."""
        state = self._state(task)
        return state.people - state.at_place - state.left_behind

    def danger(self, task: Task, share: float, needs: tuple[str, ...] | dict[str, int], *, kind: str,
               survival: str | None = None, per_team: int = 20, per_person: float = 10.0) -> None:
        """The hazard reaches the place: people still there are at risk; ``share`` of them become trapped.

        Rescuing them is a joint operation sized to their number: one team of each capability per
        ``per_team`` people, ``per_person`` team-minutes of work each.
        """
        ctx = self.ctx
        state = self._state(task)
        if task.done or (state.at_place <= 0 and state.left_behind):
            return
        inc = task.incident
        left = state.at_place
        trapped = round(left * share)
        state.left_behind = left
        state.at_place = 0
        stop_asking(task)
        ctx.emit("evacuation.danger", inc.region.key, inc.key, {"task": task.key, "left": left, "trapped": trapped})
        if trapped > 0:
            teams = max(1, math.ceil(trapped / per_team))
            lines = {cap: teams for cap in needs} if not isinstance(needs, dict) else needs
            trapped_spec = IncidentSpec(kind=kind, people=fixed_count(trapped), needs=lines, survival=survival,
                                        priority=1, name=inc.spec.name, work=fixed_minutes(trapped * per_person))
            ctx.incidents.occur(trapped_spec, inc.region.key, source=inc.key, key=f"{inc.key}-{task.key}-left",
                                gen=ctx.streams.get("evacuation", inc.key, task.key, "left"), location=inc.location)
        if state.moving <= 0:
            ctx.operations.complete(task)

    # -- outcome ------------------------------------------------------------------------------------

    def completed(self, task: Task) -> None:
        """``evacuation.completed``: how many reached a shelter, were left behind, found no room."""
        ctx = self.ctx
        state = self._state(task)
        inc = task.incident
        ctx.emit("evacuation.completed", inc.region.key, inc.key, {
            "task": task.key, "people": state.people, "evacuated": state.arrived, "left_behind": state.left_behind,
            "overflow": state.overflow, "since_order": round(ctx.env.now - state.ordered_at, 4),
            "shelters": dict(state.by_shelter)})

    def unresolved(self, task: Task) -> dict[str, Any]:
        """How far the evacuation got by the end."""
        state = self._state(task)
        return {"people": state.people, "evacuated": state.arrived, "at_place": state.at_place,
                "moving": state.moving, "overflow": state.overflow}
