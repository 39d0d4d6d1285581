"""Rescue: a priority queue of incidents and a dispatcher that tasks the nearest capable team.

Incidents needing rescue enter the queue when their report reaches the dispatch level. A free
team (idle at base, or on its way back, which can be redirected) is matched at once; otherwise the
incident waits and the next team to finish takes the most urgent, then oldest, incident it can
work. Each team runs one long-lived process: travel (road distance / speed), work (a
distribution), then either the next task from where it stands or the trip home.
"""

from __future__ import annotations

import heapq
from collections.abc import Generator as Gen
from typing import Any

import simpy

from agents.incident import Incident
from agents.team import Team
from sim.flows.context import Context
from sim.geo import haversine_km


class Dispatcher:
    """Matches queued incidents to available teams; owns every team's behaviour process."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.road_factor: float = ctx.scenario.rescue.road_factor
        self.default_work = ctx.scenario.rescue.work_time
        self.queues: dict[frozenset[str], list[tuple[int, float, int, Incident]]] = {}
        self.available: dict[str, Team] = {}
        self.order = {key: i for i, key in enumerate(ctx.model.teams)}
        self._seq = 0

    def start(self) -> None:
        """Start the process of every team on duty."""
        for team in self.ctx.model.teams.values():
            if team.state != "off_duty":
                self._launch(team)

    def _launch(self, team: Team) -> None:
        self.available[team.key] = team
        team.process = self.ctx.env.process(self._behaviour(team))

    def put_on_duty(self, team: Team) -> None:
        """An activated team becomes available (and may take a queued incident at once)."""
        team.state = "idle"
        if team.process is None:
            self._launch(team)
        self.release(team)

    def travel_minutes(self, a: Any, b: Any, speed: float) -> tuple[float, float]:
        """``(road km, minutes)`` between two points for a team at ``speed`` km/h."""
        km = haversine_km(a, b) * self.road_factor
        return km, (km / speed * 60.0 if km > 0 else 0.0)

    # -- queue ---------------------------------------------------------------------------------

    def enqueue(self, inc: Incident) -> None:
        """An incident needing rescue is known at the dispatch level: task a team or queue it."""
        ctx = self.ctx
        now = ctx.env.now
        inc.queued_at = now
        inc.state = "queued"
        ctx.emit("rescue.queued", inc.region.key, inc.key, {
            "priority": inc.priority, "needs": sorted(inc.needs), "people": inc.people,
            "since_onset": round(now - inc.onset, 4)})
        best: Team | None = None
        best_key: tuple[float, int] | None = None
        needs = inc.needs
        for team in self.available.values():
            if needs <= team.capabilities:
                _, minutes = self.travel_minutes(team.position_at(now), inc.location, team.speed)
                key = (minutes, self.order[team.key])
                if best_key is None or key < best_key:
                    best, best_key = team, key
        if best is not None:
            self._assign(best, inc)
            return
        self._seq += 1
        heapq.heappush(self.queues.setdefault(needs, []), (inc.priority, now, self._seq, inc))

    def release(self, team: Team) -> None:
        """A team is free: give it the most urgent queued incident it can work, else mark it available."""
        best_heap: list[Any] | None = None
        caps = team.capabilities
        for needs, heap in self.queues.items():
            if heap and needs <= caps and (best_heap is None or heap[0][:3] < best_heap[0][:3]):
                best_heap = heap
        if best_heap is not None:
            inc = heapq.heappop(best_heap)[3]
            self._assign(team, inc)
        else:
            self.available[team.key] = team

    @property
    def queued(self) -> int:
        """Incidents waiting for a team."""
        return sum(len(h) for h in self.queues.values())

    def _assign(self, team: Team, inc: Incident) -> None:
        self.available.pop(team.key, None)
        team.assigned = inc
        inc.team = team
        inc.state = "assigned"
        if team.state == "idle" and team.wake is not None and not team.wake.triggered:
            team.wake.succeed()
        elif team.state == "returning" and team.process is not None:
            team.process.interrupt("tasked")

    # -- behaviour -------------------------------------------------------------------------------

    def _behaviour(self, team: Team) -> Gen[Any, Any, None]:
        ctx = self.ctx
        env = ctx.env
        emit = ctx.emit
        while True:
            inc = team.assigned
            if inc is None:
                if team.position != team.home:
                    km, minutes = self.travel_minutes(team.position, team.home, team.speed)
                    team.state = "returning"
                    team.start_leg(team.position, team.home, env.now, minutes)
                    emit("team.returning", team.key, team.base.key, {"distance_km": round(km, 3),
                                                                    "eta": round(env.now + minutes, 4)})
                    try:
                        yield env.timeout(minutes)
                    except simpy.Interrupt:
                        team.position = team.position_at(env.now)
                        team._leg = None
                        continue
                    team.position = team.home
                    team._leg = None
                    team.state = "idle"
                    emit("team.returned", team.key, team.base.key, {})
                team.state = "idle"
                if team.assigned is None:
                    team.wake = env.event()
                    yield team.wake
                    team.wake = None
                continue
            yield from self._mission(team, inc)

    def _mission(self, team: Team, inc: Incident) -> Gen[Any, Any, None]:
        ctx = self.ctx
        env = ctx.env
        emit = ctx.emit
        origin = team.position
        km, minutes = self.travel_minutes(origin, inc.location, team.speed)
        team.state = "travelling"
        team.missions += 1
        team.start_leg(origin, inc.location, env.now, minutes)
        emit("team.dispatched", team.key, inc.key, {
            "region": inc.region.key, "kind": team.kind, "distance_km": round(km, 3),
            "eta": round(env.now + minutes, 4), "priority": inc.priority})
        started = env.now
        if minutes > 0:
            yield env.timeout(minutes)
        team.position = inc.location
        team._leg = None
        emit("team.on_scene", team.key, inc.key, {"region": inc.region.key,
                                                  "since_onset": round(env.now - inc.onset, 4)})
        team.state = "working"
        inc.state = "working"
        emit("rescue.started", team.key, inc.key, {"people": inc.people})
        work = team.work_sampler(inc.spec.work_time or self.default_work)()
        if work > 0:
            yield env.timeout(work)
        waited = env.now - inc.onset
        rescued = inc.alive_after(waited)
        inc.rescued, inc.lost = rescued, inc.people - rescued
        inc.state = "closed"
        team.busy_minutes += env.now - started
        emit("rescue.completed", team.key, inc.key, {
            "rescued": rescued, "lost": inc.lost, "waited": round(waited, 4), "work": round(work, 4)})
        emit("incident.closed", inc.region.key, inc.key, {"rescued": rescued, "lost": inc.lost,
                                                          "team": team.key})
        team.assigned = None
        self.release(team)
