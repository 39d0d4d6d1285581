"""Teams: availability, capabilities, journeys, homes and work times."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from drillsim.scenario.types import DurationDist
from tests.agents.world import build


def test_availability_follows_state_and_assignment():
    m = build()
    boat = m.teams["boats-01"]
    assert boat.available
    boat.state = "returning"
    assert boat.available  # can be redirected on the way home
    boat.state = "travelling"
    assert not boat.available
    boat.state, boat.assigned = "idle", object()
    assert not boat.available
    assert not m.teams["blue-sky"].available  # off duty


def test_a_team_serves_an_incident_only_with_every_capability_it_needs():
    social = build().teams["blue-sky"]
    assert social.can_serve(frozenset({"water_rescue"}))
    assert social.can_serve(frozenset({"water_rescue", "search_rescue"}))
    assert not social.can_serve(frozenset({"water_rescue", "heavy_machinery"}))


def test_position_is_interpolated_along_a_journey():
    boat = build().teams["boats-01"]
    boat.start_leg((116.0, 40.0), (117.0, 40.0), now=10.0, duration=20.0)
    assert boat.position_at(20.0) == pytest.approx((116.5, 40.0))
    assert boat.position_at(30.0) == pytest.approx((117.0, 40.0))


def test_moving_home_invalidates_the_dispatchers_rankings():
    m = build()
    before = m.home_moves
    m.teams["boats-01"].home = (116.2, 39.9)
    assert m.home_moves == before + 1 and m.teams["boats-01"].home == (116.2, 39.9)


def test_work_times_are_scaled_by_the_teams_work_factor_and_drawn_on_its_own_stream():
    m = build()
    dist = TypeAdapter(DurationDist)
    fixed = dist.validate_python("30m")
    assert m.teams["boats-01"].work_sampler(fixed)() == 60.0  # work_factor 2
    assert m.teams["blue-sky"].work_sampler(fixed)() == 30.0
    spread = dist.validate_python({"lognormal": {"median": "30m", "p95": "90m"}})
    a = [m.teams["boats-01"].work_sampler(spread)() for _ in range(5)]
    b = [m.teams["boats-02"].work_sampler(spread)() for _ in range(5)]
    assert a != b  # two teams of a group do not share draws
    again = build()
    assert [again.teams["boats-01"].work_sampler(spread)() for _ in range(5)] == a
