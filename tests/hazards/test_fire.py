"""Forest fire on a grid: spread with the wind, crossing a provincial border, notification and joint
consultation, containment by crews, a bounded number of state records."""

import math

from flowworld import kinds

from drillsim.hazards.fire_grid import length_to_breadth, shifted

FIRE = """
cross_region:
  centres: {prov-a: a-hq, prov-b: b-hq}
  border_fire: {distance: 200m, notify_delay: 10m, due: 30m, consult_on: crossed, consult_delay: 20m}
teams:
  crew: {name: Crew, kind: forest_fire, base: town-a, capabilities: [fire_suppression], count: CREWS}
reporting:
  reporters: {delay: 10m}
  hop_delay: {default: 5m}
  top: nation
  final: {after: 1h}
hazards:
  fires:
    ridge:
      at: 0m
      ignition: [116.0, 40.0]
      cell: 50m
      size: 100
      step: 2m
      record_every: 30m
      areas: {town-a: [115.99, 40.0], county-b: [116.0217, 40.0]}
      fuel_variability: 0
      unburnable: 0
      wind: [{at: 0m, speed: WINDkm/h, direction: 270}]
      spread:
        by_wind: [[0, 0.6m/min], [30km/h, 15m/min]]
      suppression: {line_rate: 0.5km/h, max_rate: 20m/min, shift: 2h, sectors: 4, mop_up: 1h}
"""


def fire(run_world, crews=2, wind=30):
    return run_world(FIRE.replace("CREWS", str(crews)).replace("WIND", str(wind)))


def test_geometry_helpers():
    a = [[1, 2], [3, 4]]
    import numpy as np

    assert shifted(np.array(a), 1, 0).tolist() == [[0, 0], [1, 2]]
    assert length_to_breadth(0.0) == 1.0
    assert 5.0 < length_to_breadth(30.0) < 7.0  # Anderson (1983) at ~7.5 mph midflame wind


def test_wind_drives_the_fire_across_the_border_and_a_notice_follows(run_world):
    recs = fire(run_world)
    crossed = kinds(recs, "fire.crossed")
    assert [(r[3], r[4], r[5]["from"], r[5]["province_to"]) for r in crossed] == [
        ("ridge", "county-b", "town-a", "prov-b")
    ]
    # the border is ~500 m east; at 15 m/min the fire comes within 200 m after ~20 minutes
    notice = kinds(recs, "border.notified", actor="a-hq")
    assert len(notice) == 1 and notice[0][4] == "b-hq"
    assert notice[0][0] < crossed[0][0] + 10 and notice[0][5]["delay"] == 10.0
    assert notice[0][5]["due"] == notice[0][0] - 10.0 + 30.0
    consult = kinds(recs, "border.consulted")
    assert [(r[0] - crossed[0][0], r[5]["participants"]) for r in consult] == [(20.0, ["a-hq", "b-hq"])]
    # the side the fire entered reports it through its own chain
    assert kinds(recs, "incident.detected", region="county-b")[0][0] == crossed[0][0] + 10


def test_crews_contain_the_fire_and_final_reports_follow(run_world):
    recs = fire(run_world)
    contained = kinds(recs, "fire.contained")
    out = kinds(recs, "fire.extinguished")
    assert len(contained) == 1 and out[0][0] == contained[0][0] + 60.0
    assert [r[3] for r in kinds(recs, "team.dispatched")][:2] == ["crew-01", "crew-02"]
    finals = {r[4] for r in kinds(recs, "report.received", type="final")}
    assert finals == {"ridge-town-a", "ridge-county-b"}
    # the burned area climbs the chain in update reports
    areas = [
        r[5]["facts"]["area_ha"]
        for r in kinds(recs, "report.received", actor="nation")
        if r[4] == "ridge-town-a"
    ]
    assert areas == sorted(areas) and areas[-1] > areas[0]


def test_state_records_are_bounded(run_world):
    recs = fire(run_world, crews=1)
    states = kinds(recs, "fire.state")
    end = kinds(recs, "fire.contained")[0][0]
    assert len(states) <= math.ceil(end / 30.0) + 2
    assert all(set(r[5]) >= {"area_ha", "burning_cells", "regions"} for r in states)


def test_calm_fire_grows_slowly_and_evenly(run_world):
    recs = fire(run_world, crews=1, wind=0)
    assert kinds(recs, "fire.crossed") == []
    assert kinds(recs, "fire.state")[-1][5]["area_ha"] < 2.0


def test_downwind_side_burns_most(run_world):
    recs = fire(run_world, crews=1)
    regions = kinds(recs, "fire.state")[-1][5]["regions"]
    assert regions["county-b"] > 5 * regions["town-a"]
