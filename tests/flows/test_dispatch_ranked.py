"""The ranked nearest-team search picks exactly the team the full scan would pick.

:meth:`Dispatcher._near_ranked` is the fast path (teams at home taken from a per-location
ranking, teams away measured where they are); :meth:`Dispatcher._near_by_scan` is the reference. Both
return the teams within the tie window of the nearest; the tie-break then chooses among them.
Every dispatch in these runs is checked against the reference: returning teams being redirected,
teams re-homed at a coordination desk or across a border, road cuts, zones and registration.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.measure import _load_generated
from drillsim.engine import Exercise
from drillsim.flows.rescue import Dispatcher
from drillsim.scenario import load
from drillsim.scenarios import bundled


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Patch the fast path to compare every answer with the full scan; count checks and ranked hits."""
    fast = Dispatcher._near_ranked
    seen = {"checks": 0, "disagreements": 0}

    def key(near):
        return sorted((round(m, 9), t.key) for m, t in near)

    def compare(self: Dispatcher, inc, needs, loc):
        got = fast(self, inc, needs, loc)
        want = self._near_by_scan(inc, needs)
        seen["checks"] += 1
        if key(got) != key(want):
            seen["disagreements"] += 1
        return got

    monkeypatch.setattr(Dispatcher, "_near_ranked", compare)
    return seen


@pytest.mark.parametrize("path", bundled(), ids=lambda p: Path(p).stem)
@pytest.mark.parametrize("seed", [1, 5])
def test_bundled_scenarios_dispatch_as_the_scan_would(checked: dict[str, int], path: Path, seed: int) -> None:
    Exercise(load(path), seed=seed, keep=False).run()
    assert checked["disagreements"] == 0


def test_busy_generated_province_dispatches_as_the_scan_would(checked: dict[str, int]) -> None:
    """2,000 calls to 64 teams: most dispatches find the nearest teams busy or on their way home."""
    ex = Exercise(_load_generated(2000, joint=False, road_cuts=False), seed=3, keep=True)
    ex.run()
    dispatched = sum(1 for r in ex.log.records if r[2] == "team.dispatched")
    assert dispatched == 2000
    assert checked["checks"] > 1500  # the ranked path served most of them (a location's first call scans)
    assert checked["disagreements"] == 0


LINE = """
drillsim: 1
id: ranked-line
title: Teams on a line
hazard: other
start: 2024-01-01T00:00:00+08:00
duration: 12h
seed: 1
regions:
  prov: {name: Province, level: province, location: [116.0, 40.0]}
  county: {name: County, level: county, parent: prov, location: [116.0, 40.0]}
  west: {name: West, level: township, parent: county, location: [116.0, 40.0]}
  mid: {name: Mid, level: township, parent: county, location: [116.2, 40.0]}
  east: {name: East, level: township, parent: county, location: [116.4, 40.0]}
teams:
  west-team: {name: West team, kind: fire_rescue, base: west, capabilities: [rescue], speed: 30km/h}
  east-team: {name: East team, kind: fire_rescue, base: east, capabilities: [rescue], speed: 30km/h}
reporting:
  reporters: {delay: 1m}
  hop_delay: {default: 1m}
  top: province
rescue: {dispatch_level: county, work_time: 30m, road_factor: 1.0}
incidents:
  first: {at: 1h, region: east, kind: call, people: 1, needs: [rescue]}
  second: {at: 1h1m, region: east, kind: call, people: 1, needs: [rescue]}
  third: {at: 3h, region: west, kind: call, people: 1, needs: [rescue]}
  fourth: {at: 3h, region: west, kind: call, people: 1, needs: [rescue]}
  fifth: {at: 5h, region: mid, kind: call, people: 1, needs: [rescue]}
  sixth: {at: 7h, region: mid, kind: call, people: 1, needs: [rescue]}
"""


def test_nearest_team_by_travel_time_including_teams_on_their_way_home(checked: dict[str, int]) -> None:
    """The east calls take the east team, then the west team (the only one free, 17 km away)."""
    from drillsim.scenario import load_text

    ex = Exercise(load_text(LINE, "ranked-line.yaml"), keep=True)
    ex.run()
    tasked = {r[4]: r[3] for r in ex.log.records if r[2] == "team.dispatched"}
    assert tasked["first"] == "east-team"
    assert tasked["second"] == "west-team"
    assert len(tasked) == 6
    assert checked["disagreements"] == 0
