"""Rescue: a priority queue of incidents and a dispatcher that tasks the nearest capable team.

Incidents needing rescue enter the queue when their report reaches the dispatch level. A free
team (idle at base, or on its way back, which can be redirected) is matched at once; otherwise the
incident waits and the next team to finish takes the most urgent, then oldest, incident it can
work. A team may work an incident when it has every capability needed, the incident lies in its
zones (a coordination desk's, a station's area), it is registered if it must be (报备登记), and the
border rule lets it work on that side. Travel time honours road cuts. What a team does once tasked
lives in :mod:`drillsim.flows.missions`.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from drillsim.agents.incident import Incident
from drillsim.agents.region import Region
from drillsim.agents.team import Team
from drillsim.flows.context import Context
from drillsim.flows.missions import Missions
from drillsim.geo import haversine_km

if TYPE_CHECKING:
    from drillsim.geo import Point


class Dispatcher:
    """Matches queued incidents to available teams; owns every team's behaviour process."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.road_factor: float = ctx.scenario.rescue.road_factor
        self.queues: dict[frozenset[str], list[tuple[int, float, int, Incident]]] = {}
        self.available: dict[str, Team] = {}
        self.order = {key: i for i, key in enumerate(ctx.model.teams)}
        self._seq = 0
        self.registration_required: bool = ctx.scenario.coordination.registration_required
        self.border_rule: str = ctx.scenario.cross_region.teams_cross
        self.missions = Missions(ctx, self)
        # Nearest-team search without scanning every team (see _match): for each incident location
        # seen twice, every team ranked by travel time from its home; rebuilt when a home moves.
        self._ranked: dict[Point | None, list[tuple[float, int, Team]]] = {}
        self._seen: set[Point | None] = set()
        self._ranked_at = ctx.model.home_moves
        self._ranked_cap = max(16, 1_000_000 // max(1, len(ctx.model.teams)))
        self._away: dict[str, Team] = {}  # available teams that may be away from home (checked lazily)

    def start(self) -> None:
        """Start the process of every team on duty."""
        for team in self.ctx.model.teams.values():
            if team.state != "off_duty":
                self._launch(team)

    def _launch(self, team: Team) -> None:
        self.available[team.key] = team
        self._away[team.key] = team
        team.process = self.ctx.env.process(self.missions.behaviour(team))

    def put_on_duty(self, team: Team) -> None:
        """An activated team becomes available (and may take a queued incident at once)."""
        team.state = "idle"
        if team.process is None:
            self._launch(team)
        elif team.wake is not None and not team.wake.triggered and team.position != team.home:
            team.wake.succeed()  # idle away from its (new) home: let the behaviour move it
        self.release(team)

    def travel_minutes(
        self, a: Point | None, b: Point | None, speed: float, *regions: Region | None
    ) -> tuple[float, float]:
        """``(road km, minutes)`` between two points at ``speed`` km/h.

        ``(road km, minutes)`` between two points at ``speed`` km/h, slowed by road cuts in any of
        ``regions`` (where the trip starts and ends).
        """
        km = haversine_km(a, b) * self.road_factor
        if km <= 0:
            return km, 0.0
        minutes = km / speed * 60.0
        roads = self.ctx.roads
        if roads.cut:
            minutes *= max((roads.factor(r) for r in regions if r is not None), default=1.0)
        return km, minutes

    # -- eligibility ---------------------------------------------------------------------------

    def eligible(self, team: Team, inc: Incident) -> bool:
        """True when ``team`` may be tasked with ``inc`` (capabilities are checked by the caller)."""
        if team.withdrawing:
            return False
        region = inc.region
        if team.zones is not None and team.zones.isdisjoint(region.lineage):
            return False
        if (
            team.requires_registration
            and self.registration_required
            and not (team.registered or team.self_deployed)
        ):
            return False
        if self.border_rule != "open":
            province = region.province.key
            if province != team.province and province not in team.cleared:
                return False
        return True

    # -- queue ---------------------------------------------------------------------------------

    def enqueue(self, inc: Incident) -> None:
        """An incident needing work is known at the dispatch level: task a team or queue it."""
        ctx = self.ctx
        now = ctx.env.now
        if inc.state == "closed" or inc.queued_at is not None:
            return
        inc.queued_at = now
        inc.state = "queued"
        ctx.emit(
            "rescue.queued",
            inc.region.key,
            inc.key,
            {
                "priority": inc.priority,
                "needs": sorted(inc.needs),
                "people": inc.people,
                "since_onset": round(now - inc.onset, 4),
            },
        )
        self._match(inc)

    def requeue(self, inc: Incident) -> None:
        """Put an incident back (its team was lost or held): task another team or wait."""
        if inc.state == "closed":
            return
        inc.team = None
        inc.state = "queued"
        self._match(inc)

    def _match(self, inc: Incident) -> None:
        """Task the nearest available team that may work ``inc`` (ties: scenario order), else queue it."""
        loc = inc.location
        if loc is None or self.ctx.roads.cut or type(loc) is not tuple:  # rankings are keyed by the point
            best = self._nearest_by_scan(inc)
        else:
            best = self._nearest_ranked(inc, loc)
        if best is not None:
            self.assign(best, inc)
            return
        self._seq += 1
        heapq.heappush(
            self.queues.setdefault(inc.needs, []), (inc.priority, inc.queued_at or self.ctx.env.now, self._seq, inc)
        )

    def _nearest_by_scan(self, inc: Incident) -> Team | None:
        """The reference search: travel time from every available team's current position."""
        now = self.ctx.env.now
        best: Team | None = None
        best_key: tuple[float, int] | None = None
        needs = inc.needs
        for team in self.available.values():
            if needs <= team.capabilities and self.eligible(team, inc):
                _, minutes = self.travel_minutes(
                    team.position_at(now), inc.location, team.speed, team.region, inc.region
                )
                key = (minutes, self.order[team.key])
                if best_key is None or key < best_key:
                    best, best_key = team, key
        return best

    def _nearest_ranked(self, inc: Incident, loc: Point | None) -> Team | None:
        """The same choice as :meth:`_nearest_by_scan`, without a distance per available team.

        Teams resting at home are taken from a list ranked by travel time from home to ``loc``
        (computed once per location, with the same arithmetic as the scan, so ties break the same
        way); the scan stops at the first one free and eligible. Teams possibly away from home
        (returning, or just released at an incident) are measured from where they are now. With
        roads cut the factors depend on regions, so :meth:`_match` uses the scan instead.
        """
        model = self.ctx.model
        if self._ranked_at != model.home_moves:
            self._ranked.clear()
            self._seen.clear()
            self._ranked_at = model.home_moves
            self._away.update(self.available)  # measure every free team afresh once
        ranked = self._ranked.get(loc)
        if ranked is None:
            if loc not in self._seen:  # a location seen once (a hazard's own point) is not worth ranking
                if len(self._seen) > 65536:
                    self._seen.clear()
                self._seen.add(loc)
                return self._nearest_by_scan(inc)
            if len(self._ranked) >= self._ranked_cap:
                self._ranked.clear()  # bounded memory: at most ~1 million (team, location) entries
            ranked = self._ranked[loc] = sorted(
                (self.travel_minutes(team.home, loc, team.speed)[1], self.order[team.key], team)
                for team in model.teams.values()
            )
        available = self.available
        needs = inc.needs
        best: Team | None = None
        best_key: tuple[float, int] | None = None
        away = self._away
        if away:
            now = self.ctx.env.now
            for key, team in list(away.items()):
                if key not in available or (team._leg is None and team.position == team.home):
                    del away[key]  # tasked, or resting at home: the ranked list covers it
                    continue
                if needs <= team.capabilities and self.eligible(team, inc):
                    _, minutes = self.travel_minutes(team.position_at(now), loc, team.speed)
                    cand = (minutes, self.order[team.key])
                    if best_key is None or cand < best_key:
                        best, best_key = team, cand
        for minutes, order, team in ranked:
            if best_key is not None and (minutes, order) >= best_key:
                break
            key = team.key
            if key in available and key not in away and needs <= team.capabilities and self.eligible(team, inc):
                return team
        return best

    def release(self, team: Team) -> None:
        """A team is free: give it the most urgent queued incident it can work, else mark it available."""
        if team.withdrawing:
            self.available.pop(team.key, None)
            self.ctx.coordination.withdraw_now(team)
            return
        caps = team.capabilities
        unrestricted = self._all_eligible(team)
        best: tuple[int, float, int, Incident] | None = None
        best_heap: list[tuple[int, float, int, Incident]] | None = None
        for needs, heap in self.queues.items():
            if not heap or not needs <= caps:
                continue
            while heap and heap[0][3].state != "queued":
                heapq.heappop(heap)  # closed, or taken by a first responder or another path
            if not heap:
                continue
            cand: tuple[int, float, int, Incident] | None
            if unrestricted:
                cand = heap[0]
            else:
                cand = min(
                    (e for e in heap if e[3].state == "queued" and self.eligible(team, e[3])), default=None
                )
            if cand is not None and (best is None or cand[:3] < best[:3]):
                best, best_heap = cand, heap
        if best is not None and best_heap is not None:
            if best_heap[0] is best:
                heapq.heappop(best_heap)
            else:
                best_heap.remove(best)
                heapq.heapify(best_heap)
            self.assign(team, best[3])
        else:
            self.available[team.key] = team
            self._away[team.key] = team

    def _all_eligible(self, team: Team) -> bool:
        """True when no zone, registration or border rule can exclude an incident for this team."""
        return (
            team.zones is None
            and self.border_rule == "open"
            and not team.withdrawing
            and (
                not team.requires_registration
                or team.registered
                or team.self_deployed
                or not self.registration_required
            )
        )

    @property
    def queued(self) -> int:
        """Incidents waiting for a team."""
        return sum(1 for h in self.queues.values() for e in h if e[3].state == "queued")

    def assign(self, team: Team, inc: Incident) -> None:
        """Task ``team`` with ``inc`` (logged by the coordination desk for registered teams)."""
        ctx = self.ctx
        self.available.pop(team.key, None)
        if team.desk is not None and not team.tasked_once and ctx.coordination.needs_approval(team):
            inc.team = team
            inc.state = "pending"
            ctx.env.process(ctx.coordination.approve(team, inc))
            return
        team.assigned = inc
        inc.team = team
        inc.state = "assigned"
        if team.desk is not None:
            team.tasked_once = True
            ctx.emit(
                "team.tasked",
                team.desk,
                team.key,
                {
                    "incident": inc.key,
                    "zone": inc.region.key,
                    "capability": min(inc.needs & team.capabilities) if inc.needs else None,
                },
            )
        elif team.self_deployed:
            ctx.emit(
                "coordination.failure",
                team.key,
                inc.key,
                {"reason": "unregistered", "region": inc.region.key},
            )
        if team.state == "idle" and team.wake is not None and not team.wake.triggered:
            team.wake.succeed()
        elif team.state == "returning" and team.process is not None:
            team.process.interrupt("tasked")
