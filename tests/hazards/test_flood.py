"""Rain and rivers: accumulation thresholds, flash floods, warnings, river routing and peaks."""

import math

import pytest
from flowworld import kinds

from drillsim.hazards.flood import peak_within, rate_at

RAIN = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue], count: 3}
hazards:
  rain:
    step: 1h
    regions:
      town-a:
        curve: [[0h, 10], [10h, 10]]
        road_cut_at: 35
        comms_lost_at: 55
        flash_floods: FF
    roads: {factor: 2, restore: 2h}
    comms: {restore: 3h}
    flash_floods:
      threshold: 5
      incident: {kind: flash_flood, people: 2, needs: [water_rescue], priority: 2}
    warnings:
      - {agency: county-hq, region: county-a, level: orange, rate_at_least: 30, lead: 3h}
  rivers:
    main:
      name: Main river
      region: county-a
      base_flow: 50
      inflow: {town-a: 100}
      response: 1h
"""


def test_curve_lookup():
    curve = ((0.0, 0.0), (60.0, 30.0), (120.0, 0.0))
    assert rate_at(curve, 30.0) == 15.0 and rate_at(curve, 200.0) == 0.0
    assert peak_within(curve, 0.0, 45.0) == 22.5 and peak_within(curve, 0.0, 300.0) == 30.0


def test_roads_and_comms_fail_at_accumulated_rain(run_world):
    recs = run_world(RAIN.replace("FF", "0"))
    # 10 mm per hourly step: 40 mm after the step at 3h, 60 mm after the step at 5h
    assert [(r[0], r[3], r[5]["cause"]) for r in kinds(recs, "road.cut")] == [(180.0, "town-a", "rain")]
    assert [r[0] for r in kinds(recs, "road.restored")] == [300.0]
    assert [r[0] for r in kinds(recs, "comms.lost")] == [300.0]
    assert [r[0] for r in kinds(recs, "comms.restored")] == [480.0]
    assert kinds(recs, "hazard.warning") == []  # 10 mm/h never reaches the 30 mm/h warning level


def test_river_is_a_linear_reservoir_and_marks_its_peak(run_world):
    recs = run_world(RAIN.replace("FF", "0"))
    flows = [(r[0], r[5]["flow"], r[5]["peak"]) for r in kinds(recs, "hazard.river")]
    q = 50.0
    expected = []
    for k in range(len(flows)):
        t = k * 60.0
        target = 50.0 + (100.0 * 10.0 if t <= 600.0 else 0.0)
        q += (target - q) * (1.0 - math.exp(-1.0))
        expected.append(round(q, 1))
    assert [f for _, f, _ in flows] == pytest.approx(expected, abs=0.11)
    peaks = [t for t, _, p in flows if p]
    assert peaks == [660.0]  # the first step after the rain stops


def test_flash_floods_follow_rain_above_the_threshold(run_world):
    recs = run_world(RAIN.replace("FF", "0.5"))
    floods = kinds(recs, "incident.occurred", kind="flash_flood")
    # mean 0.5 × (10 − 5) = 2.5 per hour for 11 hourly steps (0h … 10h): 27.5 expected
    assert 12 <= len(floods) <= 45
    assert all(r[0] <= 11 * 60 for r in floods) and all(r[5]["source"] == "rain" for r in floods)


def test_forecast_warning_comes_before_the_rain_peak(run_world):
    recs = run_world(
        RAIN.replace("FF", "0").replace("curve: [[0h, 10], [10h, 10]]", "curve: [[0h, 0], [6h, 40], [8h, 0]]")
    )
    warn = kinds(recs, "hazard.warning")
    # 30 mm/h is reached at 4h30m; with a 3-hour lead the 2h step sees it coming
    assert [(r[0], r[5]["level"], r[5]["region"]) for r in warn] == [(120.0, "orange", "county-a")]
