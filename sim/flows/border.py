"""Cross-region coordination between neighbouring provinces.

Cross-region coordination (京津冀): information sharing between command centres, border fire
notification (火情通报) with a deadline, joint consultation (会商研判) and linked response (联动响应).

Provinces are the sides of a border: each region's province-level ancestor. Command centres are
listed per province in ``cross_region.centres``. After a joint consultation the participants'
teams may work on each other's side (when ``teams_cross: consultation``); teams sent on an
approved support request may work on the requester's side.
"""

from __future__ import annotations

from collections.abc import Generator as Gen
from functools import partial
from typing import TYPE_CHECKING, Any

from drillsim.agents.team import Team
from drillsim.flows.context import Context
from drillsim.rng import make_sampler

if TYPE_CHECKING:
    import simpy

    from drillsim.agents.region import Region
    from drillsim.scenario.model_coordination import Support
    from drillsim.scenario.types import Distribution


class BorderFlow:
    """Sharing, border notices, consultations and support requests between provinces."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        cr = ctx.scenario.cross_region
        self.spec = cr
        self.centres: dict[str, str] = dict(cr.centres)
        self.province_of_centre = {a: ctx.model.regions[r].province.key for r, a in cr.centres.items()}
        self.adjacent: dict[str, list[str]] = {}
        for region in ctx.model.regions.values():
            for n in region.neighbours:
                a, b = region.province.key, n.province.key
                if a != b and b not in self.adjacent.setdefault(a, []):
                    self.adjacent[a].append(b)
        self.topics = set(cr.sharing.topics) if cr.sharing else set()
        self._share_delay = (
            make_sampler(cr.sharing.delay, ctx.streams.get("border", "share")) if cr.sharing else None
        )
        bf = cr.border_fire
        self._notify_delay = (
            make_sampler(bf.notify_delay, ctx.streams.get("border", "notify")) if bf else None
        )
        self._consult_delay = (
            make_sampler(bf.consult_delay, ctx.streams.get("border", "consult")) if bf else None
        )
        self._notified: set[tuple[str, str, str]] = set()
        self._consulted: set[tuple[str, frozenset[str]]] = set()
        self._requested: set[str] = set()

    def start(self) -> None:
        """Watch the triggers of support requests."""
        for sid, sup in self.spec.support.items():
            if sup.when is not None:
                self.ctx.triggers.watch(sup.when, partial(self.request, sid, "trigger"))
            elif sup.at is not None:
                self.ctx.env.process(self._at(sid, sup.at))

    def _at(self, sid: str, at: float) -> Gen[simpy.Event, object, None]:
        if at > self.ctx.env.now:
            yield self.ctx.env.timeout(at - self.ctx.env.now)
        self.request(sid, "msel")

    def centre(self, province: str) -> str | None:
        """The command centre agency of a province (none if the scenario lists none)."""
        return self.centres.get(province)

    # -- information sharing --------------------------------------------------------------------

    def share(self, topic: str, agency: str, data: dict[str, Any]) -> None:
        """A centre passes news on ``topic`` to the centres of neighbouring provinces."""
        if topic not in self.topics:
            return
        province = self.province_of_centre.get(agency)
        if province is None:
            region = self.ctx.model.agencies[agency].region
            if self.centres.get(region.province.key) is None:
                return
            province = region.province.key
            agency = self.centres[province]
        for other in self.adjacent.get(province, ()):
            to = self.centres.get(other)
            if to is not None:
                self.ctx.env.process(self._share(topic, agency, to, data))

    def _share(self, topic: str, agency: str, to: str, data: dict[str, Any]) -> Gen[simpy.Event, object, None]:
        t0 = self.ctx.env.now
        assert self._share_delay is not None
        delay = self._share_delay()
        if delay > 0:
            yield self.ctx.env.timeout(delay)
        self.ctx.emit(
            "border.shared", agency, to, {"topic": topic, "delay": round(self.ctx.env.now - t0, 4), **data}
        )

    # -- border fire ------------------------------------------------------------------------------

    def fire_near(self, hazard: str, incident: str | None, source: str, other: str, crossed: bool) -> None:
        """A fire in province ``source`` is near (or has crossed into) province ``other``."""
        bf = self.spec.border_fire
        if bf is None:
            return
        key = (hazard, source, other)
        if key not in self._notified:
            self._notified.add(key)
            self.ctx.env.process(self._notify(hazard, incident, source, other, bf.due))
        if (bf.consult_on == "crossed" and crossed) or bf.consult_on == "notified":
            a, b = self.centre(source), self.centre(other)
            if a is not None and b is not None:
                self.consult(a, (a, b), hazard, None, "fire")

    def _notify(
        self, hazard: str, incident: str | None, source: str, other: str, due: float
    ) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        t0 = ctx.env.now
        a, b = self.centre(source), self.centre(other)
        assert self._notify_delay is not None
        delay = self._notify_delay()
        if delay > 0:
            yield ctx.env.timeout(delay)
        ctx.emit(
            "border.notified",
            a or source,
            b or other,
            {
                "hazard": hazard,
                "incident": incident,
                "delay": round(ctx.env.now - t0, 4),
                "due": round(t0 + due, 4),
            },
        )

    def consult(
        self, convener: str, participants: tuple[str, ...], topic: str, delay: Distribution | None, cause: str | None
    ) -> None:
        """Convene a joint consultation (once per topic and set of participants)."""
        key = (topic, frozenset(participants))
        if key in self._consulted:
            return
        self._consulted.add(key)
        sampler = (
            make_sampler(delay, self.ctx.streams.get("border", "consult", topic))
            if delay is not None
            else self._consult_delay or (lambda: 0.0)
        )
        self.ctx.env.process(self._consult(convener, participants, topic, sampler(), cause))

    def _consult(
        self, convener: str, participants: tuple[str, ...], topic: str, delay: float, cause: str | None
    ) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        t0 = ctx.env.now
        if delay > 0:
            yield ctx.env.timeout(delay)
        ctx.emit(
            "border.consulted",
            convener,
            topic,
            {"participants": list(participants), "delay": round(ctx.env.now - t0, 4), "cause": cause},
        )
        provinces = {ctx.model.agencies[a].region.province.key for a in participants}
        for team in ctx.model.teams.values():
            if team.province in provinces:
                team.cleared |= provinces
        for team in list(ctx.dispatcher.available.values()):
            if team.province in provinces:
                ctx.dispatcher.release(team)  # joint command: queued work across the border is now open

    # -- linked response ------------------------------------------------------------------------------

    def request(self, sid: str, cause: str | None) -> None:
        """Start support request ``sid`` (once)."""
        if sid in self._requested:
            return
        self._requested.add(sid)
        self.ctx.env.process(self._request(sid, cause))

    def _request(self, sid: str, cause: str | None) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        sup = self.spec.support[sid]
        if ctx.decisions.is_played(sup.from_):
            choice = yield from ctx.decisions.ask_doctrine(
                sup.from_,
                f"support-{sid}",
                prompt={
                    "en": f"Request support from {sup.to} ({sid})?",
                    "zh": f"是否请求 {sup.to} 联动支援({sid})?",
                },
                options={
                    "request": {"en": "Request support", "zh": "请求支援"},
                    "decline": {"en": "Not now", "zh": "暂不请求"},
                },
                default="request",
                time_limit=30.0,
            )
            if choice != "request":
                return
        teams = ctx.model.teams_in(sup.teams)
        body = {"request": sid, "teams": [t.key for t in teams], "materials": dict(sup.materials)}
        ctx.emit("border.support_requested", sup.from_, sup.to, {**body, "cause": cause})
        t0 = env.now
        delay = make_sampler(sup.approval, ctx.streams.get("support", sid, "approval"))()
        if delay > 0:
            yield env.timeout(delay)
        ctx.emit("border.support_approved", sup.to, sup.from_, {**body, "delay": round(env.now - t0, 4)})
        requester = ctx.model.agencies[sup.from_].region
        target = ctx.model.regions[sup.for_] if sup.for_ else requester
        going = [t for t in teams if t.state == "off_duty"
                 or (sup.send == "available" and t.key in ctx.dispatcher.available)]
        kept = [t.key for t in teams if t not in going]
        ctx.emit("border.support_sent", sup.to, sup.from_, {**body, "teams": [t.key for t in going], "kept": kept,
                                                            "send": sup.send})
        supplier = ctx.model.agencies[sup.to].region.province.key
        for item, qty in sup.materials.items():
            ctx.materials.request(item, qty, target.key, sup.from_, sid, province=supplier)
        for team in teams:
            team.cleared.add(requester.province.key)
        for team in going:
            if team.state != "off_duty":  # on duty and free: it leaves its own area's pool
                ctx.dispatcher.available.pop(team.key, None)
                team.state = "off_duty"
            if team.requires_registration and ctx.coordination.desks:
                ctx.coordination.mobilise(team, sid)
            else:
                env.process(self._send(team, sid, sup, target))

    def _send(self, team: Team, sid: str, sup: Support, target: Region) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        _, minutes = ctx.dispatcher.travel_minutes(team.home, target.location, team.speed, team.base, target)
        if minutes > 0:
            yield ctx.env.timeout(minutes)
        team.origin_home = team.home
        team.home = team.position = target.location
        team.region = target
        ctx.emit(
            "border.support_arrived",
            sup.to,
            sup.from_,
            {"request": sid, "teams": [team.key], "region": target.key},
        )
        ctx.dispatcher.put_on_duty(team)
