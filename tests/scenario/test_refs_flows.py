"""Mistakes in the doctrine-flow sections are located errors (or warnings), like every loader problem."""

from __future__ import annotations

import textwrap

import pytest

from drillsim.errors import InputError
from drillsim.scenario import load_text

BASE = """\
drillsim: 1
id: t
title: Test
hazard: flood
start: 2023-07-29T17:00:00+08:00
duration: 12h
regions:
  prov: {name: Province, level: province}
  county: {name: County, level: county, parent: prov}
  town: {name: Town, level: township, parent: county}
agencies:
  hq: {name: HQ, region: county}
teams:
  boat: {name: Boat, kind: fire_rescue, base: county, capabilities: [water_rescue], speed: 40km/h}
"""


def problems(extra: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(BASE + textwrap.dedent(extra), "<t>")
    return [p.format() for p in info.value.problems]


def test_unknown_references_in_doctrine_effects_are_located():
    out = problems("""
    injects:
      I-1:
        at: 1h
        to: [hq]
        title: T
        message: M
        effects: [{storage: nowhere}, {desk: no-desk}, {warning: {agency: hq, region: atlantis, level: red}}]
    """)
    assert any(p.startswith("<t>:22:25: injects.I-1.effects[0].storage: unknown storage area 'nowhere'") for p in out)
    assert any("injects.I-1.effects[1].desk: unknown coordination desk 'no-desk'" in p for p in out)
    assert any("injects.I-1.effects[2].warning.region: unknown region 'atlantis'" in p for p in out)


def test_team_that_must_register_needs_a_desk():
    team = "  social: {name: S, kind: social, base: county, capabilities: [water_rescue],\n" \
           "           requires_registration: true}\n"
    with pytest.raises(InputError) as info:
        load_text(BASE + team, "<t>")
    out = [p.format() for p in info.value.problems]
    assert any("teams.social.requires_registration" in p and "never be tasked" in p for p in out)


def test_bad_facts_levels_and_rivers():
    out = problems("""
    reporting:
      direct: [{from: county, to: [township], fact: drowned, at_least: 10}]
    hazards:
      rivers:
        r: {name: R, region: county, base_flow: 10, inflow: {town: 5}}
    """)
    assert any("reporting.direct[0].fact: unknown fact 'drowned'" in p for p in out)
    assert any("reporting.direct[0].to[0]: township is not above county" in p for p in out)
    assert any("hazards.rivers.r.inflow.town: unknown rain region 'town'" in p for p in out)


def test_fire_area_needs_a_location():
    out = problems("""
    hazards:
      fires:
        f:
          ignition: [116.0, 40.0]
          areas: {town: null}
          wind: [{speed: 5m/s, direction: 270}]
          spread: {by_wind: [[0, 1m/min]]}
    """)
    assert any("hazards.fires.f.areas.town: no anchor point" in p for p in out)


def test_trigger_on_an_unknown_record_kind_is_a_warning():
    loaded = load_text(BASE + textwrap.dedent("""
    injects:
      I-1:
        when: {record: team.capsized}
        to: [hq]
        title: T
        message: M
    """), "<t>")
    assert any("no flow writes records of kind 'team.capsized'" in w.format() for w in loaded.warnings)


def test_steps_have_floors():
    out = problems("""
    hazards:
      rain:
        step: 1m
        regions: {town: {curve: [[0h, 5]]}}
    """)
    assert any("hazards.rain.step" in p for p in out)


def test_an_attack_or_a_release_naming_nothing_is_an_error():
    out = problems("""
    injects:
      I-1:
        at: 1h
        to: [hq]
        title: T
        message: M
        effects: [{attack: {fire: no-fire, crews: 2}}, {release: {teams: [boat, barge]}}]
    """)
    assert any("injects.I-1.effects[0].attack.fire: unknown fire 'no-fire'" in p for p in out)
    assert any("injects.I-1.effects[1].release.teams[1]: unknown team 'barge'" in p for p in out)
    assert not any("teams[0]" in p for p in out)


def test_work_for_a_line_the_operation_does_not_need_is_an_error():
    out = problems("""
    incidents:
      slide:
        at: 1h
        region: town
        kind: landslide
        needs: {water_rescue: 1}
        work: {water_rescuee: 2h}
    """)
    assert any("incidents.slide.work.water_rescuee: work for 'water_rescuee'" in p for p in out)
    assert any("incidents.slide.work: no work is given for the line 'water_rescue'" in p for p in out)


def test_a_storage_area_sending_people_to_an_unknown_shelter_is_an_error():
    out = problems("""
    storage_areas:
      low:
        name: Low area
        region: town
        agency: hq
        evacuating: hq
        people: 100
        evacuate: {to: [nowhere], on_foot: 100/h}
    """)
    assert any("storage_areas.low.evacuate.to[0]: unknown shelter 'nowhere'" in p for p in out)
