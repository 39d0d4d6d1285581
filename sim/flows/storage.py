"""Flood storage areas: evacuate, report, then open the gates.

Flood storage areas (蓄滞洪区): order → evacuate everyone who must go (应撤尽撤) → the evacuating
agency reports completion → the gates open. Doctrine forbids opening before the report; if the
water cannot wait (a ``deadline`` after the order, or a ``force`` trigger such as a river gauge), the
area is activated anyway, the log says ``forced``, and people still inside may be trapped (an
incident for the rescue flow).

With ``evacuate``, the people really move: the order creates an evacuation task (people leaving on
foot and carried by teams to shelters, :mod:`drillsim.flows.tasks.evacuate`), the report follows the
last evacuee's arrival, and the gates opening is the danger for anyone still there. Without it,
the evacuation takes ``evacuation_time``.
"""

from __future__ import annotations

from collections.abc import Generator as Gen
from functools import partial
from typing import TYPE_CHECKING

from drillsim.flows.context import Context
from drillsim.rng import make_sampler
from drillsim.scenario.model import IncidentSpec
from drillsim.scenario.model_tasks import EvacuateTask
from drillsim.scenario.types import fixed_count

if TYPE_CHECKING:
    import simpy

    from drillsim.agents.operation import Task
    from drillsim.scenario.model_coordination import StorageArea
    from drillsim.scenario.types import Distribution


class StorageFlow:
    """Orders, evacuations, reports and activations of storage areas."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.areas = ctx.scenario.storage_areas
        self.ordered: dict[str, float] = {}
        self.activated: set[str] = set()
        self.reported: set[str] = set()
        self.evacuation: dict[str, float] = {}
        self.tasks: dict[str, Task] = {}

    def start(self) -> None:
        """Watch each area's order and force triggers."""
        for sid, area in self.areas.items():
            if area.order is not None:
                self.ctx.triggers.watch(area.order, partial(self.order, sid, "trigger"))
            if area.force is not None:
                self.ctx.triggers.watch(area.force, partial(self._forced, sid))

    def order(self, sid: str, cause: str | None) -> None:
        """Order the evacuation of storage area ``sid`` (once)."""
        if sid in self.ordered:
            return
        ctx = self.ctx
        area = self.areas[sid]
        self.ordered[sid] = ctx.env.now
        ctx.emit(
            "storage.ordered",
            area.agency,
            sid,
            {"people": area.people, "region": area.region, "cause": cause},
        )
        ctx.env.process(self._evacuate(sid, area))
        if area.deadline is not None:
            ctx.env.process(self._deadline(sid, area))

    def _sample(self, sid: str, what: str, dist: Distribution) -> float:
        return make_sampler(dist, self.ctx.streams.get("storage", sid, what))()

    def _evacuate(self, sid: str, area: StorageArea) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        if area.evacuate is not None:
            moving = self.tasks[sid] = self._task(sid, area)
            assert moving.finished is not None  # made when the task opened
            yield moving.finished
        else:
            assert area.evacuation_time is not None  # one of the two (model check)
            evac = self.evacuation[sid] = self._sample(sid, "evacuation", area.evacuation_time)
            if evac > 0:
                yield env.timeout(evac)
        if sid in self.activated:
            return
        region = ctx.model.regions[area.region]
        report = self._sample(sid, "report", area.report_delay)
        if report > 0:
            yield env.timeout(report)
        if ctx.comms.down and ctx.comms.blocked(region) is not None:
            yield from ctx.comms.wait_clear(region, None)
        if sid in self.activated:
            return
        self.reported.add(sid)
        task = self.tasks.get(sid)
        ctx.emit(
            "storage.evacuation_reported",
            area.evacuating or area.agency,
            sid,
            {
                "evacuated": ctx.operations.evacuations.moved(task) if task is not None else area.people,
                "people": area.people,
                "to": area.agency,
                "since_order": round(env.now - self.ordered[sid], 4),
            },
        )
        wait = self._sample(sid, "open", area.open_delay)
        if wait > 0:
            yield env.timeout(wait)
        moved = ctx.operations.evacuations.moved(task) if task is not None else area.people
        self._activate(sid, area, moved, forced=False)

    def _task(self, sid: str, area: StorageArea) -> Task:
        """The order starts the people moving: an evacuation task, opened at once (the order is the command's)."""
        ctx = self.ctx
        ev = area.evacuate
        assert ev is not None  # called only for an area that says how people move
        # values already validated (a rate per minute): build the task without parsing them again
        move = EvacuateTask.model_construct(kind="evacuate", people=fixed_count(area.people), to=ev.to,
                                            on_foot=ev.on_foot, needs=ev.needs, load=ev.load,
                                            walk_speed=ev.walk_speed, danger=None, priority=1)
        spec = IncidentSpec(kind="storage_evacuation", name=area.name, tasks={"evacuate": move})
        inc = ctx.incidents.occur(spec, area.region, source=sid, key=f"{sid}-evacuation",
                                  gen=ctx.streams.get("storage", sid, "evacuation"))
        inc.dispatch_known = True  # ordered by the command: no report needs to reach it first
        ctx.operations.known(inc)
        return inc.tasks["evacuate"]

    def _forced(self, sid: str) -> None:
        """The force trigger fired: the gates open now, report or not."""
        if sid in self.ordered and sid not in self.activated and sid not in self.reported:
            self._force(sid, self.areas[sid])

    def _deadline(self, sid: str, area: StorageArea) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        assert area.deadline is not None  # started only for an area with a deadline
        yield ctx.env.timeout(area.deadline)
        if sid in self.activated or sid in self.reported:
            return
        self._force(sid, area)

    def _force(self, sid: str, area: StorageArea) -> None:
        """Open the gates without the report: whoever is still there is at risk."""
        ctx = self.ctx
        task = self.tasks.get(sid)
        if task is not None:
            self._activate(sid, area, ctx.operations.evacuations.moved(task), forced=True)
            ctx.operations.evacuations.danger(task, area.left_behind_trapped, tuple(area.needs), kind="storage_trapped")
            return
        evac = self.evacuation[sid]
        done = min(1.0, (ctx.env.now - self.ordered[sid]) / evac) if evac > 0 else 1.0
        evacuated = int(area.people * done)
        self._activate(sid, area, evacuated, forced=True)
        trapped = round((area.people - evacuated) * area.left_behind_trapped)
        if trapped > 0:
            spec = IncidentSpec(
                kind="storage_trapped",
                region=area.region,
                people=trapped,
                needs=tuple(area.needs),
                priority=1,
                name=area.name,
            )
            ctx.incidents.occur(
                spec,
                area.region,
                source=sid,
                key=f"{sid}-left-behind",
                gen=ctx.streams.get("storage", sid, "trapped"),
            )

    def _activate(self, sid: str, area: StorageArea, evacuated: int, forced: bool) -> None:
        self.activated.add(sid)
        self.ctx.emit(
            "storage.activated",
            area.agency,
            sid,
            {
                "evacuated": evacuated,
                "people": area.people,
                "forced": forced,
                "volume": area.volume,
                "since_order": round(self.ctx.env.now - self.ordered[sid], 4),
            },
        )
