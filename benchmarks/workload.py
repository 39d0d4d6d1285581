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
RATE_PER_H = 40.0
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
    """The same kinds and numbers of events as the engine, in plain simpy: no agents, no log.

    Per incident, mirroring the engine's flows: a process start, a detection timeout, an initial
    report climbing 4 hops (a timeout each), a rescue process that requests one of 64 teams (a
    resource), travels, works, releases and returns (a timeout each), then an update report and a
    final report climbing 4 hops each. That is at least as many events per incident as the engine
    processes (``efficiency`` checks it). Returns ``(events scheduled, simulated minutes)``.
    """
    import numpy as np
    import simpy

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    teams = simpy.Resource(env, capacity=TEAMS)
    gaps = rng.exponential(60.0 / RATE_PER_H, n)
    detect = rng.exponential(10.0, n)
    hops = rng.exponential(5.0, (n, 12))
    work = rng.exponential(WORK_MEAN_MIN, n)
    travel = rng.uniform(2.0, 15.0, n)

    def incident(i: int) -> Any:
        yield env.timeout(detect[i])
        for h in range(4):  # initial report (初报)
            yield env.timeout(hops[i, h])
            if h == 1:  # the report reaches the county: dispatch
                done = env.process(rescue(i))
        yield done
        for h in range(4, 12):  # update (续报) and final (核报) reports
            yield env.timeout(hops[i, h])

    def rescue(i: int) -> Any:
        with teams.request() as req:
            yield req
            yield env.timeout(travel[i])
            yield env.timeout(work[i])
        yield env.timeout(travel[i])

    def source() -> Any:
        for i in range(n):
            yield env.timeout(gaps[i])
            env.process(incident(i))

    env.process(source())
    env.run()
    return next(env._eid), env.now  # _eid counts every event ever scheduled
