"""Road cuts change travel times: the dispatcher, returning teams and deliveries pay the factor."""

import pytest
from flowworld import kinds

from drillsim.geo import haversine_km

TRIP = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue], speed: 60km/h,
         location: [116.0, 40.0]}
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 4, needs: [water_rescue],
            location: [116.0, 40.1]}
"""

KM = haversine_km((116.0, 40.0), (116.0, 40.1))


def test_travel_time_without_cuts(run_world):
    recs = run_world(TRIP)
    d = kinds(recs, "team.dispatched")[0]
    assert d[5]["eta"] == pytest.approx(80.0 + KM, abs=1e-3)  # 60 km/h: one minute per km


def test_a_road_cut_multiplies_travel_time(run_world):
    recs = run_world(
        TRIP
        + """
injects:
  cut:
    at: 0m
    to: [county-hq]
    title: Road cut
    message: The road to Town A is washed away
    effects: [{road_cut: {region: town-a, factor: 3, for: 2h30m}}]
"""
    )
    assert [(r[0], r[3], r[5]["factor"]) for r in kinds(recs, "road.cut")] == [(0.0, "town-a", 3.0)]
    d = kinds(recs, "team.dispatched")[0]
    assert d[5]["eta"] == pytest.approx(80.0 + 3 * KM, abs=1e-3)
    # the road reopens at 2h30m, before the trip home (at 158): normal speed again
    assert [r[0] for r in kinds(recs, "road.restored")] == [150.0]
    back = kinds(recs, "team.returning")[0]
    assert back[0] > 150.0 and back[5]["eta"] == pytest.approx(back[0] + KM, abs=1e-3)
