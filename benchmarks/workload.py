"""The benchmark workload: a generated scenario with N incidents, and the same work in plain simpy.

The scenario is a province of 4 cities × 4 counties × 4 townships × 2 villages (a 5-hop reporting
chain), 64 rescue teams (one per township) and a Poisson stream of N incidents spread over the
villages, at a rate the teams can keep up with (so cost grows with N, not with queue length).
"""

from __future__ import annotations

import math
from typing import Any

CITIES, COUNTIES, TOWNS, VILLAGES = 4, 4, 4, 2
TEAMS = CITIES * COUNTIES * TOWNS
RATE_PER_H = 24.0
WORK_MEAN_MIN = 60.0
JOINT_SHARE = 4
"""One incident in JOINT_SHARE is a joint operation: a line that asks for two teams side by side."""
CHECK_EVERY_MIN = 30.0
"""The engine's default ``rescue.reinforcement.check_every``: a task looks at its pace this often."""
CUT_EVERY_H, CUT_HOURS, CUT_FACTOR = 6, 12, 3
"""Every 6 h the roads of one county are cut for 12 h (travel to and from it × 3), cities in turn."""


def scenario_data(n: int, joint: bool = True, road_cuts: bool = True) -> dict[str, Any]:
    """Plain data of the benchmark scenario with ``n`` incidents.

    ``joint`` and ``road_cuts`` off give the plain workload of single-team calls on open roads
    (what tests of the nearest-team search want: every dispatch on its fast path).
    """
    regions: dict[str, Any] = {"prov": {"name": "Province", "level": "province", "location": [116.0, 40.0]}}
    teams: dict[str, Any] = {}
    weights: dict[str, float] = {}
    for c in range(CITIES):
        city = f"c{c}"
        regions[city] = {"name": city, "level": "city", "parent": "prov",
                         "location": [116.0 + c * 0.5, 40.0]}
        for k in range(COUNTIES):
            county = f"{city}k{k}"
            regions[county] = {"name": county, "level": "county", "parent": city,
                               "location": [116.0 + c * 0.5 + k * 0.1, 40.1]}
            for t in range(TOWNS):
                town = f"{county}t{t}"
                regions[town] = {"name": town, "level": "township", "parent": county,
                                 "location": [116.0 + c * 0.5 + k * 0.1 + t * 0.02, 40.15]}
                teams[f"team-{town}"] = {"name": f"Team {town}", "kind": "fire_rescue", "base": town,
                                         "capabilities": ["rescue"], "speed": "40km/h"}
                for v in range(VILLAGES):
                    village = f"{town}v{v}"
                    regions[village] = {"name": village, "level": "village", "parent": town,
                                        "location": [116.0 + c * 0.5 + k * 0.1 + t * 0.02 + v * 0.005, 40.17]}
                    weights[village] = 1.0
    hours = math.ceil(n / RATE_PER_H * 1.5) + 24
    joint = n // JOINT_SHARE if joint else 0
    injects = {
        f"CUT-{i}": {"at": f"{at}h", "to": ["prov-hq"], "title": f"Road cut in c{c}k{k}",
                     "message": f"Roads of c{c}k{k} washed out for {CUT_HOURS} h",
                     "effects": [{"road_cut": {"region": f"c{c}k{k}", "factor": CUT_FACTOR,
                                               "for": f"{CUT_HOURS}h", "cause": "washout"}}]}
        for i, (c, k, at) in enumerate(cuts(hours) if road_cuts else [])
    }
    return {
        "drillsim": 1, "id": f"bench-{n}", "title": f"Benchmark with {n} incidents", "hazard": "other",
        "start": "2024-01-01T00:00:00+08:00", "duration": f"{hours}h", "seed": 1,
        "regions": regions,
        "agencies": {"prov-hq": {"name": "Province HQ", "region": "prov", "kind": "command"}},
        "teams": teams,
        "reporting": {"reporters": {"delay": {"exponential": {"mean": "10m"}}},
                      "hop_delay": {"default": {"exponential": {"mean": "5m"}}},
                      "deadlines": {"township": "30m", "county": "1h", "city": "2h", "province": "4h"},
                      "top": "province"},
        "rescue": {"dispatch_level": "county", "work_time": {"exponential": {"mean": f"{WORK_MEAN_MIN}m"}},
                   "road_factor": 1.3},
        "response": {"prov-hq": {"rules": [{"level": "IV", "when": {"fact": "incidents", "at_least": 1}}]}},
        "generators": {
            "calls": {"rate": f"{RATE_PER_H * (n - joint) / n}/h", "count": n - joint, "regions": weights,
                      "incident": {"kind": "call", "people": 1, "needs": ["rescue"]}},
            # joint operations: two teams side by side on one line, sharing its team-time
            "collapses": {"rate": f"{RATE_PER_H * joint / n}/h", "count": joint, "regions": weights,
                          "incident": {"kind": "collapse", "people": 1, "needs": {"rescue": 2}}},
        } if joint else {
            "calls": {"rate": f"{RATE_PER_H}/h", "count": n, "regions": weights,
                      "incident": {"kind": "call", "people": 1, "needs": ["rescue"]}}},
        "injects": injects,
    }


def cuts(hours: int) -> list[tuple[int, int, int]]:
    """(city, county, hour) of each road cut: one county of each city every CUT_EVERY_H hours, in turn."""
    out = []
    for i, at in enumerate(range(2, hours, CUT_EVERY_H)):
        c = i % CITIES
        out.append((c, (i // CITIES) % COUNTIES, at))
    return out


def plain_simpy(n: int, seed: int = 1) -> tuple[int, float]:
    """The engine's events for ``n`` incidents in plain simpy: same mechanisms, no agents, no log.

    It mirrors how the engine drives simpy, event kind by event kind, so that the ratio measures
    what the agents and the log add, not a different way of using simpy. Numbers are plain Python
    floats drawn from :class:`random.Random` (what hand-written simpy code uses; numpy scalars would
    make every timeout and comparison slower and flatter the ratio):

    - an arrival process per generator with one timeout per incident (calls, and joint operations);
    - per incident, one reporting process (a process start and its end event): a detection
      timeout, the initial report (初报) climbing 4 hops (a timeout each; at the county hop the
      incident is queued and free teams are woken with a plain event), then a wait on the
      incident's ``changed`` event, the update report (续报) after the rate limit (a timeout), 4
      hops, a wait on ``changed | timeout(6 h)`` (a condition) and the final report (核报), 4 hops;
    - 64 long-lived team processes waiting on a wake event: travel (× the road-cut factor of the
      incident's county while it is cut), work, signal ``changed``, then take the next queued
      incident or travel home (a timeout a new task interrupts);
    - per incident, from its detection, a task process (as the engine's): team-time work shared by the teams on scene,
      woken through a condition ``changed | timeout`` when a team is tasked or arrives, when the
      work is due and at every 30-min pace check while a team is on scene (with none, it sleeps on
      a condition of ``changed`` alone and replays the skipped checks' arithmetic when woken, as the
      engine's does); the teams wait on its ``finished`` event. A joint operation asks for two
      teams on the one task: the second arrival re-times what is left;
    - one process per road cut: a timeout to the cut, the cut, a timeout to the restoration.

    The distributions are the benchmark scenario's (detection ~ Exp(10 min), hops ~ Exp(5 min),
    work ~ Exp(60 min)); travel is uniform 2–15 min. ``efficiency`` checks and reports that it
    schedules at least as many events as the engine. Returns ``(events scheduled, simulated minutes)``.
    """
    import collections
    import random

    import simpy
    from simpy.events import Condition

    # the engine's own arithmetic for the checks an idle task skips (one definition; pure floats)
    from drillsim.flows.operations import skip_idle_checks

    rng = random.Random(seed)
    env = simpy.Environment()
    joint_n = n // JOINT_SHARE
    kinds = [False] * (n - joint_n) + [True] * joint_n  # True: a joint operation
    gaps = [rng.expovariate(RATE_PER_H / 60.0) for _ in range(n)]
    detect = [rng.expovariate(1 / 10.0) for _ in range(n)]
    hops = [[rng.expovariate(1 / 5.0) for _ in range(12)] for _ in range(n)]
    work = [rng.expovariate(1 / WORK_MEAN_MIN) for _ in range(n)]
    travel = [rng.uniform(2.0, 15.0) for _ in range(n)]
    county = [rng.randrange(CITIES * COUNTIES) for _ in range(n)]
    cut_factor = [1.0] * (CITIES * COUNTIES)
    changed: list[Any] = [None] * n
    dirty = [False] * n
    queue: collections.deque[int] = collections.deque()
    free: collections.deque[Team] = collections.deque()

    class Task:
        """An incident's work: team-time shared by the teams on it, as the engine's task process does it.

        One process per incident wakes on ``changed`` (a team tasked, a team on scene) or, once a
        team is on scene, when the work is due or the periodic check (every CHECK_EVERY_MIN) comes
        round — a condition each time — brings the work done up to now and ends with ``finished``,
        which the teams wait on.
        """

        __slots__ = ("changed", "finished", "left", "since", "teams")

        def __init__(self, amount: float) -> None:
            self.left = amount
            self.teams = 0
            self.since = 0.0
            self.changed = env.event()
            self.finished = env.event()
            env.process(self.run())

        def account(self) -> None:
            now = env.now
            if self.teams:
                self.left -= (now - self.since) * self.teams
            self.since = now

        def poke(self) -> None:
            if not self.changed.triggered:
                self.changed.succeed()

        def arrive(self) -> None:
            self.account()
            self.teams += 1
            self.poke()

        def run(self) -> Any:
            next_check = env.now + CHECK_EVERY_MIN
            while True:
                self.account()
                if self.left <= 1e-9 and self.teams:
                    self.finished.succeed()
                    return
                if env.now >= next_check:
                    next_check = env.now + CHECK_EVERY_MIN
                if self.changed.triggered:
                    self.changed = env.event()
                if not self.teams:  # idle until a team arrives; the skipped checks replayed (as the engine)
                    since = env.now
                    yield Condition(env, Condition.any_events, [self.changed])
                    next_check = skip_idle_checks(since, next_check, CHECK_EVERY_MIN, env.now)
                    continue
                eta = self.left / self.teams
                wait = min(eta, next_check - env.now)
                yield self.changed | env.timeout(max(wait, 0.0))

    tasks: dict[int, Task] = {}

    class Team:
        __slots__ = ("assigned", "away", "process", "returning", "wake")

        def __init__(self) -> None:
            self.assigned: int | None = None
            self.wake: Any = None
            self.returning = False
            self.away = 0.0
            self.process = env.process(self.life())

        def life(self) -> Any:
            while True:
                i = self.assigned
                if i is None:
                    if self.away:
                        self.returning = True
                        try:
                            yield env.timeout(self.away)
                            self.away = 0.0
                        except simpy.Interrupt:
                            self.away = max(self.away / 2, 1.0)  # redirected on the way home
                        self.returning = False
                        continue
                    self.wake = env.event()
                    yield self.wake
                    self.wake = None
                    continue
                there = travel[i] * cut_factor[county[i]]
                yield env.timeout(there)
                task = tasks[i]
                task.arrive()
                yield task.finished
                self.away = there
                if not dirty[i]:
                    dirty[i] = True
                    ev = changed[i]
                    if ev is not None and not ev.triggered:
                        ev.succeed()
                self.assigned = None
                if queue:
                    self.assigned = queue.popleft()
                    tasks[self.assigned].poke()
                else:
                    free.append(self)

    def send(i: int) -> None:
        if not free:
            queue.append(i)
            return
        team = free.popleft()  # the longest free: usually back at base
        team.assigned = i
        tasks[i].poke()
        if team.wake is not None:
            team.wake.succeed()
        elif team.returning:
            team.process.interrupt("tasked")

    def dispatch(i: int) -> None:
        if kinds[i]:
            send(i)
        send(i)

    def climb(i: int, first: int) -> Any:
        for h in range(first, first + 4):
            yield env.timeout(hops[i][h])
            if h == 1:  # the initial report reaches the county: dispatch
                dispatch(i)

    def life(i: int) -> Any:
        yield env.timeout(detect[i])
        tasks[i] = Task(work[i])  # the task opens when the incident is known (rescue.queued)
        yield from climb(i, 0)
        if not dirty[i]:  # the rescue is not over yet: wait for it
            changed[i] = env.event()
            yield changed[i]
        yield env.timeout(1.0)  # the update's rate limit
        yield from climb(i, 4)
        changed[i] = env.event()
        yield changed[i] | env.timeout(360.0)
        yield from climb(i, 8)
        changed[i] = None
        tasks.pop(i, None)

    def source(ids: list[int]) -> Any:
        for i in ids:
            yield env.timeout(gaps[i] * n / len(ids))
            env.process(life(i))

    def road_cut(where: int, at: float) -> Any:
        yield env.timeout(at)
        cut_factor[where] = float(CUT_FACTOR)
        yield env.timeout(CUT_HOURS * 60.0)
        cut_factor[where] = 1.0

    hours = math.ceil(n / RATE_PER_H * 1.5) + 24
    for c, k, at in cuts(hours):
        env.process(road_cut(c * COUNTIES + k, at * 60.0))
    free.extend(Team() for _ in range(TEAMS))
    env.process(source([i for i in range(n) if not kinds[i]]))
    if joint_n:
        env.process(source([i for i in range(n) if kinds[i]]))
    env.run()
    return next(env._eid), env.now  # _eid counts every event ever scheduled
