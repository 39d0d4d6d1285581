"""Grassroots first response and the township whistle.

Grassroots first response: community rescue stations and micro fire stations that move the
moment an incident in their area is detected ("1 minute to respond, 3 to arrive, 5 to handle"),
long before the report reaches the county and professional teams are dispatched; township
stations with 24-hour duty (or slower off duty hours); and the township's whistle (吹哨报到), which
calls departments that must report to the scene within a deadline and bring their teams.

The whistle works inside one jurisdiction (街乡吹哨、部门报到): a township calls the departments of
its own district, so a department answers only callers inside its agency's region (the caller is
that region or lies below it). A township with no department above it blows no whistle.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Generator as Gen
from typing import TYPE_CHECKING, Any

from drillsim.agents.incident import Incident
from drillsim.agents.team import Team
from drillsim.flows.context import Context
from drillsim.rng import make_sampler
from drillsim.scenario.model import Activation

if TYPE_CHECKING:
    import simpy

    from drillsim.scenario.model_grassroots import Station


class GrassrootsFlow:
    """Station first response and the whistle."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        g = ctx.scenario.grassroots
        self.stations: list[tuple[Team, Station]] = []
        self._times: dict[str, tuple[Callable[[], float], ...]] = {}
        for gid, spec in g.stations.items():
            for team in ctx.model.team_groups.get(gid, ()):
                if team.zones is None:
                    team.zones = frozenset((team.base.key,))  # its own area: the base and below
                self.stations.append((team, spec))
                self._times[team.key] = tuple(
                    make_sampler(d, ctx.streams.get("station", team.key, name))
                    for name, d in (
                        ("respond", spec.respond),
                        ("arrive", spec.arrive),
                        ("handle", spec.handle),
                        ("off", spec.off_duty_delay),
                    )
                )
        self.whistle = g.whistle
        self._answer = (
            {
                a: make_sampler(d.answer, ctx.streams.get("whistle", a))
                for a, d in g.whistle.departments.items()
            }
            if g.whistle
            else {}
        )
        start = ctx.scenario.start
        self._clock0 = start.hour + start.minute / 60.0

    def on_duty(self, spec: Station) -> bool:
        """Whether a station is staffed now (its duty hours, in the scenario's clock)."""
        if spec.duty_hours is None:
            return True
        hour = (self._clock0 + self.ctx.env.now / 60.0) % 24.0
        lo, hi = spec.duty_hours
        return lo <= hour < hi if lo <= hi else (hour >= lo or hour < hi)

    def times(self, team: Team) -> tuple[float, float, float]:
        """Respond (plus the off-duty delay outside duty hours), arrive and handle times of a station."""
        respond, arrive, handle, off = self._times[team.key]
        spec = team.first_response
        extra = off() if spec is not None and not self.on_duty(spec) else 0.0
        return respond() + extra, arrive(), handle()

    def on_detected(self, inc: Incident) -> None:
        """An incident was detected: the nearest station on duty in its area goes; the township whistles.

        Stations off duty answer only when no station on duty can (with their off-duty delay); equally
        near stations are chosen as the dispatcher chooses teams (idle longest, then a seeded draw).
        """
        if self.stations and inc.needs_rescue:
            dispatcher = self.ctx.dispatcher
            now = self.ctx.env.now
            near: dict[bool, list[tuple[float, Team]]] = {True: [], False: []}
            specs: dict[str, Station] = {}
            for team, spec in self.stations:
                if spec.kinds and inc.kind not in spec.kinds:
                    continue
                if team.key not in dispatcher.available or not dispatcher.eligible(team, inc):
                    continue
                if not inc.needs & team.capabilities and inc.needs:
                    continue
                _, minutes = dispatcher.travel_minutes(team.position_at(now), inc.location, team.speed,
                                                       team.region, inc.region)
                near[self.on_duty(spec)].append((minutes, team))
                specs[team.key] = spec
            chosen = dispatcher.choose(near[True] or near[False])
            if chosen is not None:
                dispatcher.available.pop(chosen.key, None)
                chosen.first_response = specs[chosen.key]
                chosen.assigned = inc
                if chosen.state == "idle" and chosen.wake is not None and not chosen.wake.triggered:
                    chosen.wake.succeed()
                elif chosen.state == "returning" and chosen.process is not None:
                    chosen.process.interrupt("first response")
        w = self.whistle
        if w is not None and inc.people >= w.min_people and (not w.kinds or inc.kind in w.kinds):
            caller = next((r for r in (inc.region, *inc.region.ancestors()) if r.level == w.level), None)
            if caller is not None:
                self._blow(caller.key, inc)

    def _blow(self, caller: str, inc: Incident) -> None:
        ctx = self.ctx
        w = self.whistle
        assert w is not None
        lineage = ctx.model.regions[caller].lineage
        agencies = ctx.model.agencies
        departments = [
            (agency, dept)
            for agency, dept in w.departments.items()
            if agency in agencies and agencies[agency].region.key in lineage
        ]
        if not departments:
            return  # no department has jurisdiction here: another district's bureau does not answer
        called = ctx.env.now
        ctx.emit(
            "whistle.called",
            caller,
            inc.key,
            {"departments": [agency for agency, _ in departments], "due": round(called + w.due, 4)},
        )
        for agency, dept in departments:
            ctx.env.process(self._answer_call(agency, dept, inc, called))

    def _answer_call(self, agency: str, dept: Any, inc: Incident, called: float) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        wait = self._answer[agency]()
        if wait > 0:
            yield ctx.env.timeout(wait)
        ctx.emit(
            "whistle.answered",
            agency,
            inc.key,
            {"called_at": round(called, 4), "delay": round(ctx.env.now - called, 4)},
        )
        if dept.teams:
            ctx.activation.activate(Activation(teams=tuple(dept.teams)), agency)
