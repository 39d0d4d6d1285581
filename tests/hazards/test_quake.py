"""Earthquake: intensity attenuation, collapses → trapped people, aftershocks, secondary hazards."""

import math
from types import SimpleNamespace as NS

import pytest
from flowworld import kinds

from drillsim.hazards.quake import collapse_share, intensity_at

LONG = NS(a=5.019, b=1.446, c=4.136, r0=24.0)
SHORT = NS(a=2.240, b=1.446, c=3.070, r0=9.0)


def spec(short=None, azimuth=0.0):
    return NS(epicentre=(116.0, 40.0), long_axis=LONG, short_axis=short, azimuth=azimuth)


def test_circular_relation():
    at_20km_north = (116.0, 40.0 + 20.0 / 110.57)
    expected = 5.019 + 1.446 * 6.2 - 4.136 * math.log10(20.0 + 24.0)
    assert intensity_at(spec(), 6.2, at_20km_north) == pytest.approx(expected, abs=1e-6)
    assert intensity_at(spec(), 6.2, (116.0, 40.0)) == pytest.approx(
        5.019 + 1.446 * 6.2 - 4.136 * math.log10(24)
    )


def test_elliptical_relation_uses_each_axis():
    s = spec(SHORT, azimuth=0.0)  # long axis north–south
    north = (116.0, 40.0 + 30.0 / 110.57)
    east = (116.0 + 30.0 / (111.32 * math.cos(math.radians(40.0))), 40.0)
    assert intensity_at(s, 6.2, north) == pytest.approx(
        5.019 + 1.446 * 6.2 - 4.136 * math.log10(54.0), abs=1e-6
    )
    assert intensity_at(s, 6.2, east) == pytest.approx(
        2.240 + 1.446 * 6.2 - 3.070 * math.log10(39.0), abs=1e-6
    )
    assert intensity_at(s, 6.2, east) < intensity_at(s, 6.2, north)


def test_collapse_share_table():
    table = ((6.0, 0.0), (8.0, 0.1), (10.0, 0.5))
    assert collapse_share(table, 5.0) == 0.0
    assert collapse_share(table, 7.0) == pytest.approx(0.05)
    assert collapse_share(table, 11.0) == 0.5


QUAKE = """
teams:
  usar: {name: USAR, kind: fire_rescue, base: county-a, capabilities: [search_rescue], count: 4}
hazards:
  quakes:
    main:
      at: 10m
      epicentre: [116.0, 40.0]
      region: prov-a
      magnitude: 6.2
      depth: 10km
      density: 800
      long_axis: {a: 5.019, b: 1.446, c: 4.136, r0: 24}
      fragility: [[6, 0.0], [7, 0.02], [8, 0.08], [9, 0.2]]
      trapped_share: 0.3
      killed_share: 0.05
      per_incident: 3
      sites:
        village-a: {buildings: 2000, occupants: 3, location: [116.0, 40.02], radius: 1km}
        county-b: {buildings: 2000, occupants: 3, location: [116.0, 41.0]}
      incident: {kind: building_collapse, needs: [search_rescue], priority: 1}
      aftershocks: {m_min: 4.0, until: 3d}
      secondary:
        sand-mud:
          region: village-a
          intensity_at_least: 7.5
          delay: 2h
          incident: {kind: sand_mud_flow, people: 5, needs: [search_rescue], priority: 1}
"""


def test_quake_collapses_buildings_near_the_epicentre_only(run_world):
    recs = run_world(QUAKE)
    q = kinds(recs, "quake.occurred")[0]
    sites = q[5]["sites"]
    assert q[0] == 10.0 and q[5]["magnitude"] == 6.2 and q[5]["depth_km"] == 10.0
    assert sites["village-a"]["intensity"] > 8.0 and sites["county-b"]["intensity"] < 6.0
    assert sites["county-b"]["collapsed"] == 0 and sites["village-a"]["collapsed"] > 100
    collapses = kinds(recs, "incident.occurred", kind="building_collapse")
    main = [r for r in collapses if r[5]["source"] == "main"]
    assert sum(r[5]["people"] for r in main) == sites["village-a"]["trapped"]
    assert sum(r[5]["dead"] for r in main) == sites["village-a"]["killed"]
    assert all(r[5]["people"] <= 3 for r in main)


def test_aftershocks_and_secondary_hazards(run_world):
    recs = run_world(QUAKE)
    after = kinds(recs, "quake.aftershock")
    assert 1 <= len(after) <= 40 and all(4.0 <= r[5]["magnitude"] < 6.2 for r in after)
    assert [r[0] for r in after] == sorted(r[0] for r in after)
    sand = kinds(recs, "incident.occurred", kind="sand_mud_flow")
    assert [(r[0], r[5]["people"]) for r in sand] == [(130.0, 5)]


# Search finds the buried progressively: the Tangshan curve (E11) read as day averages, each day's
# value at the middle of that day; sites found over five days by a uniform search [U: fixture values].
SEARCH = """
teams:
  usar: {name: USAR, kind: fire_rescue, base: county-a, capabilities: [search_rescue], count: 6}
rescue:
  dispatch_level: county
  work_time: 45m
  road_factor: 1.0
  default_survival: tangshan
  survival:
    tangshan: {curve: [[30m, 0.993], [12h, 0.81], [36h, 0.537], [60h, 0.367], [84h, 0.19], [108h, 0.074]]}
hazards:
  quakes:
    main:
      at: 10m
      epicentre: [116.0, 40.0]
      region: prov-a
      magnitude: 6.2
      depth: 10km
      long_axis: {a: 5.019, b: 1.446, c: 4.136, r0: 24}
      fragility: [[6, 0.0], [7, 0.02], [8, 0.08], [9, 0.2]]
      trapped_share: 0.3
      per_incident: 3
      sites:
        village-a: {buildings: 2000, occupants: 3, location: [116.0, 40.02], radius: 1km}
      incident: {kind: building_collapse, needs: [search_rescue], priority: 1}
      search:
        found: FOUND
"""


def _run_search(found: str) -> list[tuple]:
    """The tiny world over six days with the quake's sites found by ``found``."""
    from flowworld import scenario_text

    from drillsim.engine import Exercise
    from drillsim.scenario import load_text

    text = scenario_text(SEARCH.replace("FOUND", found)).replace("duration: 24h", "duration: 6d")
    ex = Exercise(load_text(text, "search-test.yaml"), None)
    ex.run()
    return [r for r in ex.log.records if r[2] != "log.header"]


def test_search_finds_the_buried_over_days_and_slower_search_loses_more():
    slow = _run_search("{uniform: {low: 0m, high: 5d}}")
    found = kinds(slow, "incident.detected", by="search")
    sites = kinds(slow, "incident.occurred", kind="building_collapse")
    assert len(found) == len(sites) > 20
    # found one by one: detections spread over the five days, each site at its own time
    assert min(r[5]["delay"] for r in found) < 1440 and max(r[5]["delay"] for r in found) > 4 * 1440
    done = kinds(slow, "rescue.completed")
    days = {int(r[5]["waited"] // 1440) + 1 for r in done}
    assert {2, 3, 4, 5} <= days  # extractions on days 2-5: the curve's later days are exercised
    late = [r for r in done if r[5]["waited"] > 3 * 1440]
    assert sum(r[5]["lost"] for r in late) > sum(r[5]["rescued"] for r in late)  # most are dead by then
    fast = _run_search("{uniform: {low: 0m, high: 6h}}")
    lost = {name: sum(r[5]["lost"] for r in kinds(recs, "rescue.completed")) for name, recs in
            (("slow", slow), ("fast", fast))}
    trapped = {name: sum(r[5]["people"] for r in kinds(recs, "incident.occurred", kind="building_collapse"))
               for name, recs in (("slow", slow), ("fast", fast))}
    assert trapped["slow"] == trapped["fast"]  # the same shaking: only the search differs
    assert lost["slow"] > 2 * lost["fast"]


def test_without_search_the_reporters_notice_every_site(run_world):
    recs = run_world(QUAKE)
    detected = {r[4]: r[5]["by"] for r in kinds(recs, "incident.detected")}
    sites = [r[4] for r in kinds(recs, "incident.occurred", kind="building_collapse")]
    assert sites and all(detected[s] == "reporters" for s in sites if s in detected)


END_AT_DAY_1 = """
injects:
  declare:
    at: 1d
    to: [a-hq]
    title: Search declared complete
    message: Forces move to clearance
    effects: [{end_search: main}]
"""


def test_declaring_the_search_complete_leaves_the_unfound_buried():
    search = "{uniform: {low: 0m, high: 5d}}"
    full = _run_search(search)
    ended = _run_search(search + END_AT_DAY_1)
    stop = kinds(ended, "quake.search_ended")
    assert len(stop) == 1 and stop[0][0] == 1440 and stop[0][5]["cause"] == "declare"
    found = kinds(ended, "incident.detected", by="search")
    assert found and all(r[0] <= stop[0][0] for r in found)  # nothing is found after the declaration
    sites = kinds(ended, "incident.occurred", kind="building_collapse")
    assert stop[0][5]["unfound"] == len(sites) - len(found) > 10
    rescued = {name: sum(r[5]["rescued"] for r in kinds(recs, "rescue.completed"))
               for name, recs in (("full", full), ("ended", ended))}
    assert rescued["ended"] < rescued["full"]  # people found on days 2-5 in the full search are never reached
    unresolved = kinds(ended, "incident.unresolved")
    assert len(unresolved) >= stop[0][5]["unfound"]


def test_after_the_search_ends_clearance_still_finds_the_buried_later():
    late = _run_search("{uniform: {low: 0m, high: 5d}}\n        after_end: 2d" + END_AT_DAY_1)
    stop = kinds(late, "quake.search_ended")[0]
    after = [r for r in kinds(late, "incident.detected", by="search") if r[0] > stop[0]]
    assert len(after) == stop[5]["unfound"] and all(r[0] == stop[0] + 2880 for r in after)
