"""The social forces' on-site coordination mechanism (现场协调机制; Tianjin's "1+16+9", "四有").

A desk starts at a response level or on an order. Called social teams assemble, travel in and
arrive (``team.arrived``); out-of-province teams may be refused for want of an invitation letter
(邀请函) and file with the province first; then they queue at the desk, whose staff register a
limited number at a time (报备登记, a simpy Resource) and hand out pass codes. Only registered
teams are tasked, in the desk's zones (``team.tasked``); they get logistics, report progress and,
when they leave, file their withdrawal (撤离报备). A team that goes straight in without registering
is tasked by nobody: every job it takes is logged as a ``coordination.failure``.
"""

from __future__ import annotations

from collections.abc import Generator as Gen
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import simpy

from drillsim import levels
from drillsim.agents.operation import Line, Task
from drillsim.agents.team import Team
from drillsim.flows.context import Context
from drillsim.rng import make_sampler

if TYPE_CHECKING:
    from drillsim.geo import Point
    from drillsim.scenario.model_coordination import Desk


@dataclass
class DeskState:
    """A desk at run time."""

    key: str
    spec: Desk
    location: Point | None
    zones: frozenset[str]
    active: bool = False
    closed: bool = False
    resource: simpy.Resource | None = None
    opened: simpy.Event | None = None
    codes: int = 0
    teams: list[Team] = field(default_factory=list)


class CoordinationFlow:
    """Desks, calls for teams, registration, tasking approval, withdrawal."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        spec = ctx.scenario.coordination
        self.spec = spec
        self.invitation_required: bool = spec.invitation_letter.required
        self._rule_changed = ctx.env.event()
        self.desks: dict[str, DeskState] = {}
        for key, d in spec.desks.items():
            region = ctx.model.regions[d.region]
            self.desks[key] = DeskState(
                key,
                d,
                d.location or region.location,
                frozenset(d.zones or (d.region,)),
                opened=ctx.env.event(),
            )
        self._register = {
            k: make_sampler(d.spec.register_time, ctx.streams.get("desk", k, "register"))
            for k, d in self.desks.items()
        }
        self._stay = {
            k: make_sampler(d.spec.stay, ctx.streams.get("desk", k, "stay"))
            for k, d in self.desks.items()
            if d.spec.stay is not None
        }
        self._filing = make_sampler(spec.invitation_letter.filing_delay, ctx.streams.get("desk", "filing"))
        self._called: set[str] = set()

    def start(self) -> None:
        """Watch desk activation triggers and schedule calls."""
        ctx = self.ctx
        for key, d in self.desks.items():
            if d.spec.activate is not None:
                ctx.triggers.watch(d.spec.activate, partial(self.activate, key, "trigger"))
        for cid, c in self.spec.calls.items():
            if c.when is not None:
                ctx.triggers.watch(c.when, partial(self.call, cid, "trigger"))
            elif c.at is not None:
                ctx.env.process(self._call_at(cid, c.at))

    def _call_at(self, cid: str, at: float) -> Gen[simpy.Event, object, None]:
        if at > self.ctx.env.now:
            yield self.ctx.env.timeout(at - self.ctx.env.now)
        self.call(cid, "msel")

    # -- desks and calls -------------------------------------------------------------------------

    def activate(self, key: str, cause: str | None) -> None:
        """Start desk ``key`` (no effect if it runs already)."""
        desk = self.desks[key]
        if desk.active:
            return
        desk.active = True
        desk.resource = simpy.Resource(self.ctx.env, capacity=desk.spec.capacity)
        agency = self.ctx.model.agencies[desk.spec.agency]
        self.ctx.emit(
            "coordination.activated",
            desk.spec.agency,
            key,
            {
                "capacity": desk.spec.capacity,
                "level": levels.name(agency.level),
                "cause": cause,
                "zones": sorted(desk.zones),
            },
        )
        assert desk.opened is not None  # made with the desk
        desk.opened.succeed()

    def call(self, cid: str, cause: str | None) -> None:
        """Issue call ``cid``: each listed team decides whether to come."""
        if cid in self._called:
            return
        self._called.add(cid)
        c = self.spec.calls[cid]
        desk = self.desks[c.desk]
        teams = self.ctx.model.teams_in(c.teams)
        self.ctx.emit(
            "coordination.called",
            desk.spec.agency,
            cid,
            {"desk": c.desk, "teams": len(teams), "cause": cause},
        )
        answer = self.ctx.streams.get("call", cid, "answer")
        mobilise = make_sampler(c.mobilise, self.ctx.streams.get("call", cid, "mobilise"))
        for team in teams:
            if answer.random() < c.answer and not team.called and team.state == "off_duty":
                self.ctx.env.process(self._journey(team, desk, mobilise()))

    def mobilise(self, team: Team, cause: str | None, delay: float = 0.0) -> None:
        """Send a team that must register to the desk that covers its area (activation, support)."""
        if team.called or not self.desks:
            return
        desk = next((d for d in self.desks.values() if not d.zones.isdisjoint(team.base.lineage)), None)
        desk = (
            desk
            or next((d for d in self.desks.values() if d.active), None)
            or next(iter(self.desks.values()))
        )
        self.ctx.env.process(self._journey(team, desk, delay))

    # -- a team's way in ----------------------------------------------------------------------------

    def _journey(self, team: Team, desk: DeskState, assemble: float) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        team.called = True
        if assemble > 0:
            yield env.timeout(assemble)
        _, minutes = ctx.dispatcher.travel_minutes(
            team.home, desk.location, team.speed, team.base, ctx.model.regions[desk.spec.region]
        )
        if minutes > 0:
            yield env.timeout(minutes)
        outsider = team.province != ctx.model.regions[desk.spec.region].province.key
        team.origin_home = team.home
        team.home = team.position = desk.location
        team.region = ctx.model.regions[desk.spec.region]
        team.zones = desk.zones
        team.progress_every = desk.spec.progress_every
        desk.teams.append(team)
        if ctx.streams.get("team", team.key, "self-deploy").random() < team.spec.self_deploy:
            team.self_deployed = True
            ctx.emit(
                "team.arrived",
                team.key,
                desk.key,
                {"self_deployed": True, "from_province": outsider, "members": team.members},
            )
            ctx.dispatcher.put_on_duty(team)
            return
        arrived = env.now
        ctx.emit(
            "team.arrived",
            team.key,
            desk.key,
            {"self_deployed": False, "from_province": outsider, "members": team.members},
        )
        if not desk.active:
            assert desk.opened is not None  # made with the desk
            yield desk.opened
        if outsider and self.invitation_required and not team.spec.invited:
            gives_up = (
                ctx.streams.get("team", team.key, "give-up").random() < self.spec.invitation_letter.give_up
            )
            filing = self._filing()
            ctx.emit(
                "team.refused",
                desk.key,
                team.key,
                {
                    "reason": "invitation_letter",
                    "gave_up": gives_up,
                    "filing_until": None if gives_up else round(env.now + filing, 4),
                },
            )
            if gives_up:
                team.home = team.position = team.origin_home
                desk.teams.remove(team)
                return
            jam = self.spec.congestion
            if jam > 0:
                ctx.roads.jam(desk.zones, jam, "teams waiting")
            yield env.timeout(filing) | self._rule_changed
            if jam > 0:
                ctx.roads.jam(desk.zones, -jam, "teams waiting")
        assert desk.resource is not None
        with desk.resource.request() as slot:
            yield slot
            work = self._register[desk.key]()
            if work > 0:
                yield env.timeout(work)
        desk.codes += 1
        team.registered = True
        team.desk = desk.key
        code = f"{desk.key}-{desk.codes:04d}" if desk.spec.pass_codes else None
        ctx.emit(
            "team.registered",
            desk.key,
            team.key,
            {
                "wait": round(env.now - arrived, 4),
                "pass_code": code,
                "kind": team.kind,
                "members": team.members,
            },
        )
        for item, qty in desk.spec.logistics.items():
            ctx.materials.request(item, qty, desk.spec.region, desk.key, team.key)
        if desk.closed:  # stood down while the team queued: it files and leaves
            team.withdrawing = True
            self.withdraw_now(team)
            return
        ctx.dispatcher.put_on_duty(team)
        if desk.key in self._stay:
            env.process(self._leave_after(team, self._stay[desk.key]()))

    def set_invitation_rule(self, required: bool, cause: str | None) -> None:
        """Require (or drop) invitation letters for out-of-province teams from now on."""
        if required == self.invitation_required:
            return
        self.invitation_required = required
        self.ctx.emit(
            "coordination.rule", "control", "invitation_letter", {"value": required, "cause": cause}
        )
        if not required:
            self._rule_changed.succeed()
            self._rule_changed = self.ctx.env.event()

    # -- tasking approval (when people play the desk's agency) ------------------------------------

    def needs_approval(self, team: Team) -> bool:
        """The first task of a registered team is the players' decision when they play the desk."""
        desk = self.desks.get(team.desk or "")
        return desk is not None and self.ctx.decisions.is_played(desk.spec.agency)

    def approve(self, team: Team, task: Task, line: Line) -> Gen[simpy.Event, object, None]:
        """Ask the desk's players whether to task ``team`` on ``task``; hold it for a while if not."""
        ctx = self.ctx
        desk = self.desks[team.desk or ""]
        inc = task.incident
        what = inc.key if task.primary else f"{inc.key}.{task.key}"
        choice = yield from ctx.decisions.ask_doctrine(
            desk.spec.agency,
            f"task-{team.key}-{what}",
            prompt={
                "en": f"Task registered team {team.key} with {what} in {inc.region.key}?",
                "zh": f"是否向已报备队伍 {team.key} 派发任务 {what}({inc.region.key})?",
            },
            options={"task": {"en": "Task the team", "zh": "派发任务"}, "hold": {"en": "Hold", "zh": "暂缓"}},
            default="task",
            time_limit=30.0,
        )
        still = not task.done and team.key in line.coming
        if choice == "task" and still:
            team.tasked_once = True
            ctx.dispatcher.commit(team, task, line)
            return
        if still:
            line.coming.pop(team.key, None)
            if task.primary and inc.state == "pending":
                inc.state = "queued"
            ctx.dispatcher.fill(task)
        if choice == "hold":
            yield ctx.env.timeout(30.0)
        ctx.dispatcher.release(team)

    # -- withdrawal -----------------------------------------------------------------------------------

    def _leave_after(self, team: Team, stay: float) -> Gen[simpy.Event, object, None]:
        yield self.ctx.env.timeout(stay)
        self.withdraw(team)

    def withdraw(self, team: Team) -> None:
        """The team leaves once its current task is done."""
        if team.withdrawing or (team.desk is None and not team.self_deployed):
            return
        team.withdrawing = True
        if team.assigned is None and team.state in ("idle", "returning"):
            self.ctx.dispatcher.available.pop(team.key, None)
            self.withdraw_now(team)

    def withdraw_now(self, team: Team) -> None:
        """File the withdrawal (撤离报备, or not) and head home."""
        ctx = self.ctx
        desk = self.desks.get(team.desk or "")
        if desk is None:
            desk = next((d for d in self.desks.values() if team in d.teams), None)
        filed = (
            team.registered
            and desk is not None
            and (ctx.streams.get("team", team.key, "filing").random() < desk.spec.withdrawal_filing)
        )
        ctx.emit(
            "team.withdrawn",
            team.key,
            desk.key if desk else None,
            {"filed": filed, "registered": team.registered, "missions": team.missions},
        )
        if team.origin_home is not None:
            team.home = team.origin_home
        if team.process is None:
            team.position = team.home
        team.zones = None
        if team.wake is not None and not team.wake.triggered:
            team.wake.succeed()
        elif team.state == "returning" and team.process is not None:
            team.process.interrupt("withdrawn")  # re-plan the trip: home is no longer the desk

    def stand_down(self, key: str, cause: str | None) -> None:
        """Close desk ``key``: every team there withdraws after its current task."""
        desk = self.desks[key]
        desk.closed = True
        self.ctx.emit(
            "coordination.stood_down", desk.spec.agency, key, {"teams": len(desk.teams), "cause": cause}
        )
        for team in list(desk.teams):
            self.withdraw(team)
