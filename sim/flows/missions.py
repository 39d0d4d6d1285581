"""What a tasked team does: travel, work, report progress, get into trouble, come back.

Each team runs one long-lived process (:meth:`Missions.behaviour`): travel (road distance / speed,
slowed by road cuts), work (a distribution), then the next task from where it stands or the trip
home (which a new task interrupts). A grassroots station on a first-response mission (1-3-5)
frees the lightly trapped and leaves the rest to professional teams. A team working a capability
with a mishap risk (a boat on flood water) may lose members, who become an incident themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Generator as Gen
from typing import TYPE_CHECKING

import simpy

from drillsim.agents.incident import Incident
from drillsim.agents.operation import PRIMARY
from drillsim.agents.team import Team
from drillsim.flows.context import Context
from drillsim.rng import make_sampler

if TYPE_CHECKING:
    from drillsim.flows.rescue import Dispatcher


class Missions:
    """Team behaviour processes, bound to the dispatcher that tasks them."""

    def __init__(self, ctx: Context, dispatcher: Dispatcher) -> None:
        self.ctx = ctx
        self.dispatcher = dispatcher
        self.default_work = ctx.scenario.rescue.work_time
        self.mishaps = ctx.scenario.rescue.mishaps
        self._mishap_people: dict[str, Callable[[], float]] = {
            cap: make_sampler(m.people, ctx.streams.get("mishap", cap, "people"))
            for cap, m in self.mishaps.items()
        }

    def behaviour(self, team: Team) -> Gen[simpy.Event, object, None]:
        """The team's life: wait for a task, carry it out, go home, repeat."""
        ctx = self.ctx
        env = ctx.env
        emit = ctx.emit
        while True:
            inc = team.assigned
            if inc is None:
                if team.position != team.home:
                    km, minutes = self.dispatcher.travel_minutes(
                        team.position, team.home, team.speed, team.region, team.base
                    )
                    team.state = "returning"
                    team.start_leg(team.position, team.home, env.now, minutes)
                    emit(
                        "team.returning",
                        team.key,
                        team.base.key,
                        {"distance_km": round(km, 3), "eta": round(env.now + minutes, 4)},
                    )
                    try:
                        yield env.timeout(minutes)
                    except simpy.Interrupt:
                        team.position = team.position_at(env.now)
                        team._leg = None
                        continue
                    team.position = team.home
                    team.region = team.base
                    team._leg = None
                    team.state = "idle"
                    emit("team.returned", team.key, team.base.key, {})
                team.state = "off_duty" if team.withdrawing or team.released else "idle"
                if team.assigned is None:
                    team.wake = env.event()
                    yield team.wake
                    team.wake = None
                continue
            if team.first_response is not None:
                yield from self._first_response(team, inc)
            else:
                yield from self._mission(team, inc)

    def _travel(self, team: Team, inc: Incident, minutes: float) -> Gen[simpy.Event, object, None]:
        if minutes > 0:
            yield self.ctx.env.timeout(minutes)
        team.position = inc.location
        team.region = inc.region
        team._leg = None

    def _mission(self, team: Team, inc: Incident) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        emit = ctx.emit
        task, line = team.task, team.line
        assert task is not None and line is not None  # set by the dispatcher with ``assigned``
        origin = team.position
        km, minutes = self.dispatcher.travel_minutes(
            origin, inc.location, team.speed, team.region, inc.region
        )
        team.state = "travelling"
        team.missions += 1
        team.start_leg(origin, inc.location, env.now, minutes)
        data: dict[str, object] = {
            "region": inc.region.key,
            "kind": team.kind,
            "distance_km": round(km, 3),
            "eta": round(env.now + minutes, 4),
            "priority": inc.priority,
            "wait": round(env.now - task.queued_at, 4) if task.queued_at is not None else None,
        }
        if not task.primary:
            data["task"] = task.key
        if len(task.lines) > 1 or line.limit > 1:
            data["line"] = line.key
        emit("team.dispatched", team.key, inc.key, data)
        started = env.now
        yield from self._travel(team, inc, minutes)
        emit(
            "team.on_scene",
            team.key,
            inc.key,
            {"region": inc.region.key, "since_onset": round(env.now - inc.onset, 4),
             **({} if task.primary else {"task": task.key})},
        )
        line.coming.pop(team.key, None)
        if task.done:  # finished by others (first responders, the rest of the line) on the way
            team.busy_minutes += env.now - started
            self.dispatcher.release(team)
            return
        if task.primary and self._mishap(team, inc):
            team.busy_minutes += env.now - started
            return
        yield from ctx.operations.work(team, task, line)
        team.busy_minutes += env.now - started
        self.dispatcher.release(team)

    def _mishap(self, team: Team, inc: Incident) -> bool:
        """Draw the accident risk of the capabilities this task needs; on a mishap, abandon the task."""
        if not self.mishaps:
            return False
        for cap in sorted(inc.needs):
            m = self.mishaps.get(cap)
            if m is None:
                continue
            p = m.probability * (m.unregistered_factor if team.self_deployed else 1.0)
            if self.ctx.streams.get("team", team.key, "mishap").random() >= p:
                continue
            people = max(1, min(team.members, round(self._mishap_people[cap]())))
            team.members = max(0, team.members - people)
            spec = inc.spec.model_copy(
                update={
                    "kind": m.kind,
                    "people": float(people),
                    "needs": m.needs or tuple(sorted(inc.needs)),
                    "priority": m.priority,
                    "survival": m.survival or inc.spec.survival,
                    "dead": 0,
                    "missing": 0,
                    "injured": 0,
                    "name": None,
                    "work_time": None,
                    "work": None,
                    "tasks": {},
                    "stranded": 0,
                }
            )
            down = self.ctx.incidents.occur(
                spec,
                inc.region.key,
                source=team.key,
                key=f"{team.key}-mishap-{team.missions}",
                gen=self.ctx.streams.get("mishap", team.key, team.missions),
                location=inc.location,
            )
            self.ctx.emit(
                "team.mishap",
                team.key,
                inc.key,
                {"incident": down.key, "people": people, "capability": cap, "members_left": team.members},
            )
            self.dispatcher.withdraw_from(team)
            if team.members <= 0:
                team.withdrawing = True
            self.dispatcher.release(team)
            return True
        return False

    def _first_response(self, team: Team, inc: Incident) -> Gen[simpy.Event, object, None]:
        """A station's 1-3-5: respond, arrive, handle; free the lightly trapped; leave the rest."""
        ctx = self.ctx
        env = ctx.env
        emit = ctx.emit
        station = team.first_response
        assert station is not None  # set by the grassroots flow before the team is woken
        respond, arrive, handle = ctx.grassroots.times(team)
        team.state = "travelling"
        team.missions += 1
        emit(
            "team.dispatched",
            team.key,
            inc.key,
            {
                "region": inc.region.key,
                "kind": team.kind,
                "distance_km": None,
                "eta": round(env.now + respond + arrive, 4),
                "priority": inc.priority,
                "first_response": True,
                "respond": round(respond, 4),
            },
        )
        started = env.now
        team.start_leg(team.position, inc.location, env.now + respond, arrive)
        yield from self._travel(team, inc, respond + arrive)
        emit(
            "team.on_scene",
            team.key,
            inc.key,
            {"region": inc.region.key, "since_onset": round(env.now - inc.onset, 4)},
        )
        team.state = "working"
        emit("rescue.started", team.key, inc.key, {"people": inc.remaining, "first_response": True})
        if handle > 0:
            yield env.timeout(handle)
        team.busy_minutes += env.now - started
        team.first_response = None
        team.assigned = None
        if inc.state != "closed":
            waited = env.now - inc.onset
            alive = inc.alive_after(waited)
            freed = inc.extract(
                round(station.extract * alive), waited, ctx.streams.get("station", team.key, inc.key)
            )
            emit(
                "rescue.completed",
                team.key,
                inc.key,
                {
                    "rescued": freed,
                    "lost": 0,
                    "waited": round(waited, 4),
                    "work": round(handle, 4),
                    "partial": True,
                },
            )
            primary = inc.tasks.get(PRIMARY)
            if inc.remaining <= 0 and primary is not None:
                # everyone is out: the operation ends without a rescue of its own
                ctx.operations.complete(primary, record=False, by=team)
            if freed:
                ctx.reporting.changed(inc)
        self.dispatcher.release(team)
