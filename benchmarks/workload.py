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


def scenario_data(n: int) -> dict[str, Any]:
    """Plain data of the benchmark scenario with ``n`` incidents."""
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
        "generators": {"calls": {"rate": f"{RATE_PER_H}/h", "count": n, "regions": weights,
                                 "incident": {"kind": "call", "people": 1, "needs": ["rescue"]}}},
    }


def plain_simpy(n: int, seed: int = 1) -> tuple[int, float]:
    """The engine's events for ``n`` incidents in plain simpy: same mechanisms, no agents, no log.

    It mirrors how the engine drives simpy, event kind by event kind, so that the ratio measures
    what the agents and the log add, not a different way of using simpy:

    - an arrival process with one timeout per incident;
    - per incident, one reporting process (a process start and its end event): a detection
      timeout, the initial report (初报) climbing 4 hops (a timeout each; at the county hop the
      incident is queued and a free team is woken with a plain event), then a wait on the
      incident's ``changed`` event, the update report (续报) after the rate limit (a timeout, which
      the engine only needs when the rescue ends within 30 min of the last report, here always),
      4 hops, a wait on ``changed | timeout(6 h)`` (a condition) and the final report (核报), 4 hops;
    - 64 long-lived team processes waiting on a wake event: travel, work, signal ``changed``, then
      take the next queued incident or travel home (a timeout a new task interrupts).

    The arrival and timing distributions are the benchmark scenario's (detection ~ Exp(10 min),
    hops ~ Exp(5 min), work ~ Exp(60 min)); travel is uniform 2–15 min. It does at least as many
    events as the engine (``efficiency`` checks and reports it). Returns
    ``(events scheduled, simulated minutes)``.
    """
    import collections

    import numpy as np
    import simpy

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    gaps = rng.exponential(60.0 / RATE_PER_H, n)
    detect = rng.exponential(10.0, n)
    hops = rng.exponential(5.0, (n, 12))
    work = rng.exponential(WORK_MEAN_MIN, n)
    travel = rng.uniform(2.0, 15.0, n)
    changed: list[Any] = [None] * n
    dirty = [False] * n
    queue: collections.deque[int] = collections.deque()
    free: collections.deque[Team] = collections.deque()

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
                yield env.timeout(travel[i])
                yield env.timeout(work[i])
                self.away = travel[i]
                dirty[i] = True
                ev = changed[i]
                if ev is not None and not ev.triggered:
                    ev.succeed()
                self.assigned = None
                if queue:
                    self.assigned = queue.popleft()
                else:
                    free.append(self)

    def dispatch(i: int) -> None:
        if not free:
            queue.append(i)
            return
        team = free.popleft()  # the longest free: usually back at base
        team.assigned = i
        if team.wake is not None:
            team.wake.succeed()
        elif team.returning:
            team.process.interrupt("tasked")

    def climb(i: int, first: int) -> Any:
        for h in range(first, first + 4):
            yield env.timeout(hops[i, h])
            if h == 1:  # the initial report reaches the county: dispatch
                dispatch(i)

    def life(i: int) -> Any:
        yield env.timeout(detect[i])
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

    def source() -> Any:
        for i in range(n):
            yield env.timeout(gaps[i])
            env.process(life(i))

    free.extend(Team() for _ in range(TEAMS))
    env.process(source())
    env.run()
    return next(env._eid), env.now  # _eid counts every event ever scheduled
