"""A small world for the agent tests: two provinces, a county with villages, teams of every kind."""

from __future__ import annotations

from drillsim.agents.model import DrillModel
from drillsim.rng import Streams
from drillsim.scenario.load import load_text

WORLD = """
drillsim: 1
id: world
title: World
hazard: flood
start: 2023-07-29T17:00:00+08:00
duration: 4h
regions:
  bj: {name: Beijing, level: province, location: [116.4, 39.9], neighbours: [hb]}
  hb: {name: Hebei, level: province, location: [114.5, 38.0]}
  mtg: {name: Mentougou, level: county, parent: bj, location: [116.1, 39.94]}
  town: {name: Town, level: township, parent: mtg}
  v1: {name: V1, level: village, parent: town, location: [115.9, 40.0],
       reporters: {count: 1, probability: 1.0, delay: 3m}}
  v2: {name: V2, level: village, parent: town}
  zz: {name: Zhuozhou, level: county, parent: hb, location: [115.97, 39.48]}
agencies:
  bj-hq: {name: Beijing HQ, region: bj, kind: command}
  mtg-hq: {name: Mentougou HQ, region: mtg, kind: command}
teams:
  boats:
    name: Boat teams
    kind: fire_rescue
    base: mtg
    count: 3
    capabilities: [water_rescue]
    speed: 30km/h
    work_factor: 2.0
  blue-sky:
    name: Blue Sky
    kind: social
    base: zz
    capabilities: [water_rescue, search_rescue]
    on_duty: false
    requires_registration: true
    province: bj
    location: [116.0, 39.5]
reporting:
  reporters: {count: 2, probability: 0.5, delay: 20m}
coordination:
  desks:
    desk:
      name: Desk
      agency: mtg-hq
      region: mtg
      zones: [mtg]
      capacity: 1
      register_time: 10m
"""


def build(text: str = WORLD, seed: int = 3) -> DrillModel:
    """The model of ``text`` (default: the world above)."""
    return DrillModel(load_text(text, "world.yaml").scenario, Streams(seed, 0))
