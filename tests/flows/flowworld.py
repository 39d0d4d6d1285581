"""A tiny two-province world for flow and hazard tests, a runner that returns the records, and a filter."""

from __future__ import annotations

import re
import textwrap

from drillsim.engine import Exercise
from drillsim.scenario import load_text

WORLD = """
drillsim: 1
id: flow-test
title: {zh: 流程测试, en: Flow test}
hazard: flood
start: 2023-07-29T00:00:00+08:00
duration: 24h
seed: 1
regions:
  nation: {name: Nation, level: nation}
  prov-a: {name: Province A, level: province, parent: nation, neighbours: [prov-b]}
  county-a: {name: County A, level: county, parent: prov-a}
  town-a: {name: Town A, level: township, parent: county-a}
  village-a: {name: Village A, level: village, parent: town-a}
  prov-b: {name: Province B, level: province, parent: nation}
  county-b: {name: County B, level: county, parent: prov-b}
agencies:
  a-hq: {name: A command centre, region: prov-a, kind: command}
  county-hq: {name: County A HQ, region: county-a, kind: command}
  b-hq: {name: B command centre, region: prov-b, kind: command}
  flood-hq: {name: A flood HQ, region: prov-a, kind: water}
"""

DEFAULTS = {
    "reporting": """
reporting:
  reporters: {delay: 10m}
  hop_delay: {default: 5m}
  deadlines: {township: 15m, county: 30m, province: 1h}
  top: nation
  final: {enabled: false}
""",
    "rescue": """
rescue:
  dispatch_level: county
  work_time: 45m
  road_factor: 1.0
""",
}


def scenario_text(extra: str) -> str:
    """The tiny world plus extra YAML sections; default reporting/rescue unless ``extra`` has its own."""
    extra = textwrap.dedent(extra)
    text = WORLD + extra
    for key, block in DEFAULTS.items():
        if not re.search(rf"^{key}:", extra, re.M):
            text += block
    return text


def run(extra: str, seed: int | None = None, players: tuple[str, ...] = (), inputs=()):
    """Run the tiny world plus ``extra`` YAML; return the record tuples (header excluded)."""
    ex = Exercise(load_text(scenario_text(extra), "flow-test.yaml"), seed, players=players)
    ex.run(inputs=inputs)
    return [r for r in ex.log.records if r[2] != "log.header"]


def kinds(records, record_kind, **match):
    """Records of ``record_kind`` whose data (or actor/subject) match every keyword."""
    out = []
    for r in records:
        if r[2] != record_kind:
            continue
        ok = True
        for k, v in match.items():
            if k == "actor":
                ok = ok and r[3] == v
            elif k == "subject":
                ok = ok and r[4] == v
            else:
                ok = ok and r[5].get(k) == v
        if ok:
            out.append(r)
    return out
