"""Dispatch: a priority queue of open lines of work, and the nearest team on duty for each.

A task enters the queue when its incident is known at the dispatch level. Each line of the task
wants a number of teams; the dispatcher tasks the nearest eligible team for every open place at
once, and the next team to become free takes the most urgent, then oldest, open place it can fill.
A team may work a line when it has every capability the line needs, the incident lies in its zones
(a coordination desk's, a station's area), it is registered if it must be (报备登记), and the border
rule lets it work on that side. Travel time honours road cuts.

Teams within ``rescue.dispatch.tie_within`` of the nearest are equally near; among them the one
idle longest goes (then a seeded draw), or a seeded draw when ``tie_break: random`` — never the
order the scenario lists them in. What a team does once tasked lives in :mod:`drillsim.flows.missions`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import TYPE_CHECKING

from drillsim.agents.incident import Incident
from drillsim.agents.operation import Line, Task
from drillsim.agents.region import Region
from drillsim.agents.team import Team
from drillsim.flows.context import Context
from drillsim.flows.missions import Missions
from drillsim.geo import haversine_km

if TYPE_CHECKING:
    from drillsim.geo import Point

Entry = tuple[int, float, int, Task, Line]
"""A queued place: ``(priority, queued at, sequence, task, line)``."""


class Dispatcher:
    """Matches open lines of work to available teams; owns every team's behaviour process."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        rescue = ctx.scenario.rescue
        self.road_factor: float = rescue.road_factor
        self.tie_within: float = rescue.dispatch.tie_within
        self.tie_break: str = rescue.dispatch.tie_break
        self.queues: dict[frozenset[str], list[Entry]] = {}
        self._queued: set[tuple[int, str]] = set()  # (id(task), line key) with an entry in a heap
        self.available: dict[str, Team] = {}
        self.idle_since: dict[str, float] = {}
        self.order = {key: i for i, key in enumerate(ctx.model.teams)}
        self._seq = 0
        self._ties = ctx.streams.get("dispatch", "tie")
        self.registration_required: bool = ctx.scenario.coordination.registration_required
        self.border_rule: str = ctx.scenario.cross_region.teams_cross
        self.missions = Missions(ctx, self)
        # Nearest-team search without scanning every team (see _nearest): for each incident location
        # seen twice, every team ranked by travel time from its home. A team whose home moved since
        # the rankings were started is measured where it is instead (``_moved``); when a quarter of
        # the teams have moved, the rankings start afresh from the homes of the day.
        self._ranked: dict[Point | None, list[tuple[float, int, Team]]] = {}
        self._minutes: dict[Point | None, dict[str, float]] = {}  # the same times, by team
        self._seen: set[Point | None] = set()
        self._ranked_at = ctx.model.home_moves
        self._homes: dict[str, Point | None] = {k: t.home for k, t in ctx.model.teams.items()}
        self._moved: dict[str, Team] = {}  # teams whose ranked entries are stale (home moved)
        self._ranked_cap = max(16, 1_000_000 // max(1, len(ctx.model.teams)))
        self._away: dict[str, Team] = {}  # available teams that may be away from home (checked lazily)

    def start(self) -> None:
        """Start the process of every team on duty."""
        for team in self.ctx.model.teams.values():
            if team.state != "off_duty":
                self._launch(team)

    def _launch(self, team: Team) -> None:
        self._free(team)
        team.process = self.ctx.env.process(self.missions.behaviour(team))

    def _free(self, team: Team) -> None:
        self.available[team.key] = team
        self._away[team.key] = team
        self.idle_since[team.key] = self.ctx.env.now

    def put_on_duty(self, team: Team) -> None:
        """An activated team becomes available (and may take a queued place at once)."""
        team.state = "idle"
        team.released = False
        if team.process is None:
            self._launch(team)
        elif team.wake is not None and not team.wake.triggered and team.position != team.home:
            team.wake.succeed()  # idle away from its (new) home: let the behaviour move it
        self.release(team)

    def travel_minutes(
        self, a: Point | None, b: Point | None, speed: float, *regions: Region | None
    ) -> tuple[float, float]:
        """``(road km, minutes)`` between two points at ``speed`` km/h, slowed by road cuts in ``regions``."""
        km = haversine_km(a, b) * self.road_factor
        if km <= 0:
            return km, 0.0
        minutes = km / speed * 60.0
        roads = self.ctx.roads
        if roads.slowed:
            minutes *= max((roads.factor(r) for r in regions if r is not None), default=1.0)
        return km, minutes

    # -- eligibility ---------------------------------------------------------------------------

    def eligible(self, team: Team, inc: Incident) -> bool:
        """True when ``team`` may be tasked at ``inc`` (capabilities are checked by the caller)."""
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

    def enqueue(self, task: Task) -> None:
        """A task is known at the dispatch level: task teams for its lines or queue them."""
        ctx = self.ctx
        now = ctx.env.now
        inc = task.incident
        if task.done or task.queued_at is not None:
            return
        task.queued_at = now
        task.state = "queued"
        lines = {k: line.wanted for k, line in task.lines.items()}
        if task.primary:
            inc.queued_at = now
            if inc.state != "closed":
                inc.state = "queued"
            data = {"priority": inc.priority, "needs": sorted(inc.needs), "people": inc.people,
                    "since_onset": round(now - inc.onset, 4)}
            if isinstance(inc.spec.needs, dict):
                data["lines"] = lines
            ctx.emit("rescue.queued" if task.kind == "rescue" else "task.queued", inc.region.key, inc.key,
                     data if task.kind == "rescue" else {**data, "task": task.key, "kind": task.kind})
        elif task.lines:
            ctx.emit("task.queued", inc.region.key, inc.key, {
                "task": task.key, "kind": task.kind, "priority": task.priority, "lines": lines,
                "since_onset": round(now - inc.onset, 4), **ctx.operations.handler(task).queued(task)})
        self.fill(task)

    def fill(self, task: Task) -> None:
        """Task the nearest eligible team for every open place of ``task``; queue what stays open."""
        if task.done or task.queued_at is None:
            return
        for line in task.lines.values():
            while line.open_slots > 0 and not line.complete:
                best = self._nearest(task, line)
                if best is None:
                    key = (id(task), line.key)
                    if key not in self._queued:
                        self._queued.add(key)
                        self._seq += 1
                        heapq.heappush(self.queues.setdefault(line.needs, []),
                                       (task.priority, task.queued_at, self._seq, task, line))
                    break
                self.assign(best, task, line)

    def withdraw_from(self, team: Team) -> None:
        """Take a team off the place it was tasked with (lost, held back); the place opens again."""
        task, line = team.task, team.line
        team.assigned = team.task = team.line = None
        if task is not None and line is not None:
            line.coming.pop(team.key, None)
            line.teams.pop(team.key, None)
            self.fill(task)

    # -- choosing a team ----------------------------------------------------------------------------

    def _nearest(self, task: Task, line: Line) -> Team | None:
        """The nearest available team that may work ``line`` (ties broken as the scenario says)."""
        inc = task.incident
        loc = inc.location
        if loc is None or type(loc) is not tuple:  # rankings are keyed by the point
            near = self._near_by_scan(inc, line.needs)
        else:
            near = self._near_ranked(inc, line.needs, loc)
        return self.choose(near)

    def choose(self, near: list[tuple[float, Team]]) -> Team | None:
        """The nearest of ``(travel minutes, team)`` candidates, ties broken as the scenario says."""
        if not near:
            return None
        best = min(m for m, _ in near)
        tied = sorted((t for m, t in near if m <= best + self.tie_within), key=lambda t: self.order[t.key])
        if len(tied) == 1:
            return tied[0]
        if self.tie_break == "longest_idle":
            oldest = min(self.idle_since.get(t.key, 0.0) for t in tied)
            tied = [t for t in tied if self.idle_since.get(t.key, 0.0) <= oldest + 1e-9]
            if len(tied) == 1:
                return tied[0]
        return tied[int(self._ties.integers(len(tied)))]

    def _near_by_scan(self, inc: Incident, needs: frozenset[str]) -> list[tuple[float, Team]]:
        """The reference search: travel time from every available team's current position."""
        now = self.ctx.env.now
        found: list[tuple[float, Team]] = []
        best = float("inf")
        for team in self.available.values():
            if needs <= team.capabilities and self.eligible(team, inc):
                _, minutes = self.travel_minutes(
                    team.position_at(now), inc.location, team.speed, team.region, inc.region
                )
                if minutes <= best + self.tie_within:
                    found.append((minutes, team))
                    best = min(best, minutes)
        return [(m, t) for m, t in found if m <= best + self.tie_within]

    def _near_ranked(self, inc: Incident, needs: frozenset[str], loc: Point) -> list[tuple[float, Team]]:
        """The same candidates as :meth:`_near_by_scan`, without a distance per available team.

        Teams resting at home are taken from a list ranked by travel time from home to ``loc`` on
        open roads (computed once per location, with the same arithmetic as the scan). With roads
        cut or jammed, a team's time is its ranked time times the larger of its own region's factor
        and the incident region's — the very product the scan computes — and since every factor is
        at least the incident region's, ``ranked time × incident factor`` bounds every later entry
        from below: the walk stops once that bound is past the tie window of the nearest eligible
        team, which is exact (rounding is monotonic). Teams possibly away from home (returning, or
        just released at an incident) are measured from where they are now, and so are teams whose
        home moved since the rankings were started (a team re-homed at a staging area or a desk):
        a move no longer throws every ranking away.
        """
        model = self.ctx.model
        if self._ranked_at != model.home_moves:
            self._ranked_at = model.home_moves
            homes, moved = self._homes, self._moved
            for key, team in model.teams.items():
                if key not in moved and team.home != homes[key]:
                    moved[key] = team  # stays measured directly until the rankings start afresh
            if len(moved) * 4 > len(homes):
                self._ranked.clear()
                self._minutes.clear()
                self._seen.clear()
                self._homes = {k: t.home for k, t in model.teams.items()}
                moved.clear()
                self._away.update(self.available)  # measure every free team afresh once
        ranked = self._ranked.get(loc)
        if ranked is None:
            if loc not in self._seen:  # a location seen once (a hazard's own point) is not worth ranking
                if len(self._seen) > 65536:
                    self._seen.clear()
                self._seen.add(loc)
                return self._near_by_scan(inc, needs)
            if len(self._ranked) >= self._ranked_cap:
                self._ranked.clear()  # bounded memory: at most ~1 million (team, location) entries
                self._minutes.clear()
            ranked = self._ranked[loc] = sorted(
                (self.travel_minutes(team.home, loc, team.speed)[1], self.order[team.key], team)
                for team in model.teams.values()
            )
            self._minutes[loc] = {team.key: minutes for minutes, _order, team in ranked}
        available = self.available
        found: list[tuple[float, Team]] = []
        best = float("inf")
        away = self._away
        moved = self._moved
        roads = self.ctx.roads
        slowed = roads.slowed
        region = inc.region
        now = self.ctx.env.now
        if away:
            for key, team in list(away.items()):
                if key not in available or (team._leg is None and team.position == team.home):
                    del away[key]  # tasked, or resting at home: the ranked list (or the moved) covers it
                    continue
                if key not in moved and needs <= team.capabilities and self.eligible(team, inc):
                    _, minutes = self.travel_minutes(team.position_at(now), loc, team.speed, team.region, region)
                    found.append((minutes, team))
                    best = min(best, minutes)
        for key, team in moved.items():
            if key in available and needs <= team.capabilities and self.eligible(team, inc):
                _, minutes = self.travel_minutes(team.position_at(now), loc, team.speed, team.region, region)
                found.append((minutes, team))
                best = min(best, minutes)
        tie_within = self.tie_within
        here = roads.factor(region) if slowed else 1.0
        if len(available) * 4 < len(ranked):
            # Few teams free (a busy day): look each up rather than walk past the busy ones.
            by_team = self._minutes[loc]
            for key, team in available.items():
                if key in away or key in moved or not needs <= team.capabilities or not self.eligible(team, inc):
                    continue
                minutes = by_team[key]
                if slowed:
                    minutes *= max(roads.factor(team.region), here)
                found.append((minutes, team))
                best = min(best, minutes)
        elif not slowed:
            for minutes, _order, team in ranked:
                if minutes > best + tie_within:
                    break
                key = team.key
                if (key in available and key not in away and key not in moved and needs <= team.capabilities
                        and self.eligible(team, inc)):
                    found.append((minutes, team))
                    best = min(best, minutes)
        else:
            for minutes, _order, team in ranked:
                if minutes * here > best + tie_within:
                    break  # every later team takes at least its open-road time x this region's factor
                key = team.key
                if (key in available and key not in away and key not in moved and needs <= team.capabilities
                        and self.eligible(team, inc)):
                    minutes *= max(roads.factor(team.region), here)  # 0 stays 0, as in the scan
                    found.append((minutes, team))
                    best = min(best, minutes)
        return [(m, t) for m, t in found if m <= best + tie_within]

    # -- a team becomes free ------------------------------------------------------------------------

    def release(self, team: Team) -> None:
        """A team is free: give it the most urgent open place it can fill, else mark it available."""
        team.assigned = team.task = team.line = None
        if team.standing_down:  # released by the command: off duty (goes home), out of the pool
            team.standing_down = False
            team.released = True
            if team.state in ("idle", "working", "on_scene", "travelling"):
                team.state = "off_duty"
            self.available.pop(team.key, None)
            self.idle_since.pop(team.key, None)
            return
        if team.withdrawing:
            self.available.pop(team.key, None)
            self.ctx.coordination.withdraw_now(team)
            return
        caps = team.capabilities
        unrestricted = self._all_eligible(team)
        best: Entry | None = None
        best_heap: list[Entry] | None = None
        for needs, heap in self.queues.items():
            if not heap or not needs <= caps:
                continue
            while heap and not _open(heap[0]):
                stale = heapq.heappop(heap)  # ended, or no place left (a later fill queues it again)
                self._queued.discard((id(stale[3]), stale[4].key))
            if not heap:
                continue
            cand: Entry | None
            if unrestricted:
                cand = heap[0]
            else:
                cand = first_in_order(heap, lambda e: _open(e) and self.eligible(team, e[3].incident))
            if cand is not None and (best is None or cand[:3] < best[:3]):
                best, best_heap = cand, heap
        if best is not None and best_heap is not None:
            task, line = best[3], best[4]
            self.assign(team, task, line)
            if line.open_slots <= 0:
                if best_heap[0] is best:
                    heapq.heappop(best_heap)
                else:
                    best_heap.remove(best)
                    heapq.heapify(best_heap)
                self._queued.discard((id(task), line.key))
        else:
            self._free(team)

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
        """Open places waiting for a team."""
        return sum(e[4].open_slots for h in self.queues.values() for e in h if _open(e))

    # -- tasking ------------------------------------------------------------------------------------

    def assign(self, team: Team, task: Task, line: Line) -> None:
        """Task ``team`` with a place on ``line`` (the desk's players approve a registered team's first task)."""
        ctx = self.ctx
        self.available.pop(team.key, None)
        line.coming[team.key] = team
        if team.desk is not None and not team.tasked_once and ctx.coordination.needs_approval(team):
            if task.primary and task.incident.state == "queued":
                task.incident.state = "pending"
            ctx.env.process(ctx.coordination.approve(team, task, line))
            return
        self.commit(team, task, line)

    def commit(self, team: Team, task: Task, line: Line) -> None:
        """The tasking stands: set the team going (logged by the coordination desk for registered teams)."""
        ctx = self.ctx
        inc = task.incident
        team.assigned = inc
        team.task = task
        team.line = line
        if task.primary:
            if inc.team is None:
                inc.team = team
            if inc.state in ("queued", "pending", "occurred"):
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
                    "capability": min(line.needs & team.capabilities) if line.needs else None,
                    **({} if task.primary else {"task": task.key}),
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


def first_in_order(heap: list[Entry], ok: Callable[[Entry], bool]) -> Entry | None:
    """The smallest entry of ``heap`` for which ``ok`` holds: ``min(filter(ok, heap))``, without the scan.

    A team restricted by zones, registration or the border rule takes the most urgent place it may
    work; the queue is a heap, so its entries are visited in order (a frontier of the heap's own
    tree: an entry is never smaller than its parent) and the first that ``ok`` accepts is the answer
    — usually after a few, not the hundreds a queue holds on a busy day. Entries compare by
    ``(priority, queued at, sequence)``, unique by the sequence number.
    """
    if not heap:
        return None
    n = len(heap)
    frontier: list[tuple[tuple[int, float, int], int]] = [(heap[0][:3], 0)]
    while frontier:
        _, i = heapq.heappop(frontier)
        entry = heap[i]
        if ok(entry):
            return entry
        for child in (2 * i + 1, 2 * i + 2):
            if child < n:
                heapq.heappush(frontier, (heap[child][:3], child))
    return None


def _open(entry: Entry) -> bool:
    """A queued place is still open: its task goes on and its line wants another team."""
    task, line = entry[3], entry[4]
    return not task.done and line.open_slots > 0 and not line.complete
