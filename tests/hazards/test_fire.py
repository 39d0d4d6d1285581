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


# -- doctrine: a fire is classed by its whole area; border fires are reported at once -------------

RESERVE = "  reserve: {name: Reserve, kind: forest_fire, base: county-a, capabilities: [fire_suppression], count: 3, " \
          "on_duty: false}\n"


def classed(run_world, at_least):
    """One crew on the line; the county's Level II (at ``at_least`` ha burned) calls three more crews."""
    text = FIRE.replace("CREWS", "1").replace("WIND", "30").replace("teams:\n", "teams:\n" + RESERVE, 1)
    return run_world(text + f"""
response:
  county-hq:
    rules:
      - {{level: II, when: {{fact: area_ha, at_least: {at_least}}}}}
    activates:
      II: {{teams: [reserve]}}
""")


def test_every_side_of_a_border_fire_knows_the_whole_burned_area(run_world):
    recs = classed(run_world, 10)
    states = kinds(recs, "fire.state")
    # the wind drives the fire into county-b: county A's own part never reaches 10 ha …
    assert max(r[5]["regions"]["town-a"] for r in states) < 10
    # … but the fire does, and county A's office classes the fire by that (森林防火条例 Art. 40)
    (change,) = kinds(recs, "level.changed", actor="county-hq")
    first = next(r for r in states if r[5]["area_ha"] >= 10)
    assert change[5]["to"] == "II" and first[0] <= change[0] <= first[0] + 30
    updates = kinds(recs, "report.received", actor="county-a", type="update")
    assert [r[5]["facts"]["area_ha"] for r in updates][-1] == states[-1][5]["area_ha"]
    # the higher office hearing from both sides knows the fire's area, not the sum of two copies
    nation = [r[5]["facts"]["area_ha"] for r in kinds(recs, "report.received", actor="nation")]
    assert max(nation) == states[-1][5]["area_ha"]
    # the reserve crews it calls contain the fire sooner and smaller than one crew alone
    assert [r[4] for r in kinds(recs, "team.activated")] == ["reserve-01", "reserve-02", "reserve-03"]
    alone = classed(run_world, 1000)
    assert not kinds(alone, "team.activated")
    held, burned = kinds(recs, "fire.contained")[0], kinds(alone, "fire.contained")[0]
    assert held[0] < burned[0] / 2 and held[5]["area_ha"] < burned[5]["area_ha"] / 2


def near_border(run_world, report=""):
    """The fire starts ~500 m from the border, inside a 600 m notification distance."""
    text = FIRE.replace("CREWS", "2").replace("WIND", "30").replace("distance: 200m", "distance: 600m" + report)
    return run_world(text)


def test_a_fire_started_near_the_border_is_notified_and_reported_from_ignition(run_world):
    recs = near_border(run_world)
    # the notice deadline runs from ignition (t=0), not from the first step the fire spreads
    (notice,) = kinds(recs, "border.notified", actor="a-hq")
    assert (notice[0], notice[5]["delay"], notice[5]["due"]) == (10.0, 10.0, 30.0)
    # the county tells the province and the ministry at once (立即报告) when it first hears of it
    first = kinds(recs, "report.received", actor="county-a", subject="ridge-town-a")[0]
    direct = kinds(recs, "report.received", direct=True, subject="ridge-town-a")
    assert [(r[0], r[3], r[5]["from"]) for r in direct] == [(first[0], "prov-a", "county-a"),
                                                            (first[0], "nation", "county-a")]
    assert direct[0][5]["facts"]["border_fire"] == 1
    # the ordinary chain reaches the province only one hop later
    chain = kinds(recs, "report.received", actor="prov-a", subject="ridge-town-a", type="initial")
    assert chain[0][0] == first[0] + 5.0


def test_the_immediate_report_can_be_turned_off(run_world):
    recs = near_border(run_world, ", report: null")
    assert not kinds(recs, "report.received", direct=True)
    assert kinds(recs, "border.notified", actor="a-hq")[0][5]["due"] == 30.0
