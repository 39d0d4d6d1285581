"""Incidents: facts as reported, and each person's fate drawn at onset."""

from __future__ import annotations

import math

import numpy as np

from drillsim.agents.incident import Incident
from drillsim.scenario.model import IncidentSpec
from tests.agents.world import build


def incident(people: int, deaths: list[float], **spec: object) -> Incident:
    m = build()
    s = IncidentSpec.model_validate({"kind": "flash_flood", "people": people,
                                     "needs": ["water_rescue"], **spec})
    return Incident(m, "flood-1", s, m.regions["v1"], (115.9, 40.0), 60.0, people, sorted(deaths), "scenario")


def test_facts_account_for_rescued_lost_dead_and_missing():
    inc = incident(5, [30.0, 90.0, math.inf, math.inf, math.inf], dead=1, missing=2)
    assert inc.needs_rescue
    assert inc.facts() == {"incidents": 1, "people": 5, "trapped": 5, "dead": 1, "missing": 2,
                           "dead_or_missing": 3, "injured": 0}
    inc.rescued, inc.lost = 2, 1
    facts = inc.facts()
    assert (facts["trapped"], facts["dead"], facts["dead_or_missing"]) == (2, 2, 4)
    inc.state = "closed"
    assert inc.facts()["trapped"] == 0


def test_only_people_still_alive_after_the_wait_are_extracted():
    inc = incident(4, [30.0, 90.0, math.inf, math.inf])
    assert inc.alive_after(0) == 4 and inc.alive_after(60) == 3 and inc.alive_after(100) == 2
    gen = np.random.default_rng(1)
    assert inc.extract(5, waited=100.0, gen=gen) == 2  # only two are alive after 100 min
    assert inc.rescued == 2 and inc.remaining == 2 and inc.alive_after(0) == 2
    assert inc.extract(1, waited=100.0, gen=gen) == 0


def test_extraction_picks_among_the_living_at_random_and_never_revives():
    inc = incident(3, [50.0, math.inf, math.inf])
    got = inc.extract(1, waited=10.0, gen=np.random.default_rng(7))
    assert got == 1 and len(inc.death_times) == 2
    assert inc.alive_after(60.0) in (1, 2)


def test_an_incident_without_people_needs_no_rescue():
    assert not incident(0, []).needs_rescue
