"""Each spine flow on tiny scenarios whose every time is known in advance."""

from __future__ import annotations

import math

import pytest

from drillsim.engine import Exercise
from drillsim.geo import EARTH_RADIUS_KM
from drillsim.scenario import load


def run(path, **kw):
    ex = Exercise(load(path), **kw)
    ex.run()
    return ex, {(r[2], r[4]): r for r in ex.log.records}, ex.log.records


def test_reporting_climbs_hop_by_hop_with_deadlines(scenario_path):
    _, by, records = run(scenario_path("one-incident"))
    assert by[("incident.occurred", "flood-1")][0] == 60.0
    detected = by[("incident.detected", "flood-1")]
    assert detected[0] == 70.0 and detected[5]["delay"] == 10.0
    received = [r for r in records if r[2] == "report.received" and r[5]["type"] == "initial"]
    assert [(r[0], r[3], r[5]["level"], r[5]["due"]) for r in received] == [
        (75.0, "town-a", "township", 85.0),   # detected 70 + 15m deadline
        (80.0, "county-a", "county", 100.0),  # detected 70 + 30m deadline
    ]
    sent = [r for r in records if r[2] == "report.sent" and r[5]["type"] == "initial"]
    assert [(r[0], r[3], r[5]["to"]) for r in sent] == [(70.0, "village-a", "town-a"), (75.0, "town-a", "county-a")]
    # after the rescue an update (续报) tells the chain nobody is trapped any more, then the final (核报)
    updates = [r for r in records if r[2] == "report.received" and r[5]["type"] == "update"]
    assert updates and all(r[5]["facts"]["trapped"] == 0 for r in updates)
    assert updates[0][0] > by[("rescue.completed", "flood-1")][0]
    assert [r[3] for r in records if r[2] == "report.received" and r[5]["type"] == "final"] == ["town-a", "county-a"]


def test_rescue_dispatch_travel_work_return(scenario_path):
    _, by, _ = run(scenario_path("one-incident"))
    km = EARTH_RADIUS_KM * math.radians(0.1)  # 0.1° of latitude, road factor 1.0
    travel = km / 40 * 60
    assert by[("rescue.queued", "flood-1")][0] == 80.0  # queued when the report reaches the county
    disp = by[("team.dispatched", "flood-1")]
    assert disp[0] == 80.0 and disp[3] == "boat-1"
    assert disp[5]["distance_km"] == pytest.approx(km, abs=1e-3)
    assert by[("team.on_scene", "flood-1")][0] == pytest.approx(80 + travel, abs=1e-3)
    done = by[("rescue.completed", "flood-1")]
    assert done[0] == pytest.approx(80 + travel + 45, abs=1e-3)
    assert done[5]["rescued"] == 4 and done[5]["lost"] == 0
    assert by[("team.returned", "county-a")][0] == pytest.approx(80 + 2 * travel + 45, abs=1e-3)


def test_activation_rule_fires_after_delay(scenario_path):
    _, by, _ = run(scenario_path("one-incident"))
    trig = by[("response.triggered", "IV")]
    assert trig[0] == 80.0 and trig[5]["facts"] == {"people": 4.0}
    change = by[("level.changed", "county-hq")]
    assert change[0] == 90.0 and change[5]["to"] == "IV" and change[5]["reason"] == "rule 0"


def test_msel_inject_delivered_on_time(scenario_path):
    _, by, _ = run(scenario_path("one-incident"))
    inj = by[("inject.delivered", "I-01")]
    assert inj[0] == 30.0 and inj[5]["to"] == ["county-hq"]
    assert inj[5]["message"] == {"zh": "暴雨红色预警", "en": "Red rainstorm warning"}


def test_doctrine_decides_after_its_delay(scenario_path):
    _, by, _records = run(scenario_path("decision"))
    opened = by[("decision.opened", "D-1")]
    made = by[("decision.made", "D-1")]
    assert opened[0] == 120.0 and opened[5]["asked"] == "doctrine" and opened[5]["deadline"] == 150.0
    assert made[0] == 130.0 and made[5]["option"] == "raise" and made[5]["by"] == "doctrine"
    assert by[("level.changed", "city-hq")][5]["to"] == "II"
    assert by[("team.activated", "reserve")][3] == "D-1"


def test_players_decision_halts_and_records_choice(scenario_path):
    ex = Exercise(load(scenario_path("decision")), players=["city-hq"])
    ex.advance(600)
    assert ex.halted and ex.now == 120.0
    assert [p.id for p in ex.pending] == ["D-1"]
    ex.advance(125)
    ex.submit({"kind": "decide", "decision": "D-1", "option": "hold"})
    ex.advance(126)
    made = [r for r in ex.log.records if r[2] == "decision.made"]
    assert [(r[0], r[5]["option"], r[5]["by"], r[5]["delay"]) for r in made] == [(125.0, "hold", "players", 5.0)]
    assert not [r for r in ex.log.records if r[2] == "level.changed"]


def test_players_timeout_applies_default(scenario_path):
    ex = Exercise(load(scenario_path("decision")), players=["city-hq"])
    ex.run()
    made = [r for r in ex.log.records if r[2] == "decision.made"]
    assert [(r[0], r[5]["option"], r[5]["by"]) for r in made] == [(150.0, "hold", "default")]


def test_invalid_inputs_are_refused_and_not_logged(scenario_path):
    ex = Exercise(load(scenario_path("decision")), players=["city-hq"])
    n = len(ex.log.records)
    for bad in ({"kind": "decide", "decision": "D-1", "option": "raise"},  # not open yet
                {"kind": "fly"}, {"kind": "note", "text": " "}, {"kind": "inject", "template": "nope"},
                {"kind": "role", "agency": "nobody", "played": True}):
        with pytest.raises(ValueError):
            ex.submit(bad)
    assert len(ex.log.records) == n


def test_adhoc_inject_and_note_are_logged_as_inputs(scenario_path):
    ex = Exercise(load(scenario_path("decision")))
    ex.advance(45)
    ex.submit({"kind": "inject", "template": "I-2"})
    ex.submit({"kind": "note", "text": "Slow to acknowledge", "rating": "S"})
    kinds = [(r[0], r[2], r[4]) for r in ex.log.records if r[0] == 45.0]
    assert kinds == [(45.0, "input.received", "inject"), (45.0, "inject.delivered", "adhoc-1"),
                     (45.0, "input.received", "note"), (45.0, "note.added", None)]


def test_reporter_probability_zero_without_fallback_misses(tmp_path, scenario_path):
    text = scenario_path("one-incident").read_text().replace("reporters: {delay: 10m}",
                                                             "reporters: {delay: 10m, probability: 0}")
    path = tmp_path / "missed.yaml"
    path.write_text(text)
    _ex, by, _ = run(path)
    assert ("incident.missed", "flood-1") in by
    assert ("team.dispatched", "flood-1") not in by
    unresolved = by[("incident.unresolved", "flood-1")]
    assert unresolved[5]["people"] == 4 and unresolved[5]["state"] == "occurred"
