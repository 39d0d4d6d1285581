"""Cross-references of the response section are located at the referring field."""

import textwrap

import pytest

from drillsim.errors import InputError
from drillsim.scenario import load_text

BASE = """
drillsim: 1
id: refs
title: Refs
hazard: flood
start: 2023-07-29T00:00:00+08:00
duration: 1h
regions:
  prov-a: {name: Province A, level: province}
  county-a: {name: County A, level: county, parent: prov-a}
  prov-b: {name: Province B, level: province}
agencies:
  a-hq: {name: A HQ, region: prov-a}
  b-hq: {name: B HQ, region: prov-b}
  county-hq: {name: County HQ, region: county-a}
"""


def problems(extra: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(BASE + textwrap.dedent(extra), "refs.yaml")
    return [p.format() for p in info.value.problems]


def test_a_cascade_must_follow_a_command_above_the_follower():
    out = problems("""
    response:
      county-hq: {follows: b-hq}
    """)
    assert out == ["refs.yaml:18:24: response.county-hq.follows: agency 'b-hq' (region 'prov-b') is not above "
                   "'county-hq' (region 'county-a') (expected a command of a region that contains this agency's "
                   "region)"]


def test_a_cascade_names_an_existing_agency():
    (line,) = problems("""
    response:
      county-hq: {follows: {agency: c-hq, levels: {I: II}}}
    """)
    assert "response.county-hq.follows.agency: unknown agency 'c-hq'" in line
