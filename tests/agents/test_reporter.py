"""Reporter pools: each region detects on its own streams."""

from __future__ import annotations

from drillsim.agents.model import DrillModel
from drillsim.rng import Streams
from drillsim.scenario.load import load_text

SCENARIO = """
drillsim: 1
id: pools
title: Pools
hazard: flood
start: 2023-07-29T17:00:00+08:00
duration: 2h
regions:
  county: {name: County, level: county, location: [116.0, 40.0]}
  town: {name: Town, level: township, parent: county}
  v1: {name: V1, level: village, parent: town}
  v2: {name: V2, level: village, parent: town}
EXTRA
agencies:
  hq: {name: HQ, region: county, kind: command}
reporting:
  reporters: {count: 3, probability: 0.6, delay: {lognormal: {median: 10m, p95: 40m}}, fallback: 2h}
"""

V3 = "  v3: {name: V3, level: village, parent: town}\n"


def draws(extra: str = "", seed: int = 11) -> dict[str, tuple[list[float], list[float], list[bool]]]:
    loaded = load_text(SCENARIO.replace("EXTRA\n", extra), "pools.yaml")
    model = DrillModel(loaded.scenario, Streams(seed, 0))
    out = {}
    for key, region in model.regions.items():
        pool = region.reporters
        assert pool.fallback is not None
        out[key] = ([pool.delay() for _ in range(20)], [pool.fallback() for _ in range(5)],
                    [pool.notices() for _ in range(40)])
    return out


def test_adding_a_region_leaves_every_other_regions_reporter_draws_unchanged():
    before = draws()
    after = draws(V3)
    assert set(after) == set(before) | {"v3"}
    for key, values in before.items():
        assert after[key] == values, key


def test_each_region_draws_from_its_own_stream():
    d = draws()
    delays = {key: tuple(v[0]) for key, v in d.items()}
    assert len(set(delays.values())) == len(delays)  # no two regions share a sequence
    notices = {key: tuple(v[2]) for key, v in d.items()}
    assert len(set(notices.values())) == len(notices)


def test_the_same_seed_gives_the_same_draws_and_another_seed_others():
    assert draws(seed=5) == draws(seed=5)
    assert draws(seed=5)["v1"][0] != draws(seed=6)["v1"][0]
