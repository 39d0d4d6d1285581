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


def _random_world(teams: int, seed: int) -> str:
    """A province of two counties, four townships each, and ``teams`` teams spread over it."""
    import numpy as np

    rng = np.random.default_rng(seed)
    lines = ["drillsim: 1", "id: ranked-cuts", "title: Teams under road cuts", "hazard: other",
             "start: 2024-01-01T00:00:00+08:00", "duration: 12h", "seed: 1", "regions:",
             "  prov: {name: Province, level: province, location: [116.0, 40.0]}"]
    for c in range(2):
        lines.append(f"  c{c}: {{name: County {c}, level: county, parent: prov, location: [{116 + c * 0.5}, 40.0]}}")
        for t in range(4):
            lines.append(f"  t{c}{t}: {{name: Town {c}{t}, level: township, parent: c{c}, "
                         f"location: [{116 + c * 0.5 + t * 0.1}, {40 + t * 0.05}]}}")
    lines.append("teams:")
    for i in range(teams):
        base = f"t{rng.integers(2)}{rng.integers(4)}"
        caps = ["rescue"] + (["boat"] if rng.random() < 0.4 else [])
        lon, lat = 116 + rng.random() * 0.9, 40 + rng.random() * 0.3
        lines.append(f"  team-{i}: {{name: Team {i}, kind: fire_rescue, base: {base}, "
                     f"capabilities: [{', '.join(caps)}], speed: {int(rng.integers(20, 80))}km/h, "
                     f"location: [{lon:.4f}, {lat:.4f}]}}")
    lines += ["reporting:", "  reporters: {delay: 1m}", "  hop_delay: {default: 1m}", "  top: province",
              "rescue: {dispatch_level: county, work_time: 30m, road_factor: 1.3}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def cut_world() -> Exercise:
    from drillsim.scenario import load_text

    return Exercise(load_text(_random_world(40, 7), "ranked-cuts.yaml"), keep=False)


def test_ranked_search_under_road_cuts_and_jams_is_the_scan_on_random_cases(cut_world: Exercise) -> None:
    """Random cuts, jams, free teams (many, or few on a busy day), teams away from home, re-homed teams
    and calls: the same candidates.

    With roads cut the ranked walk multiplies each team's open-road time by the larger of its own
    region's and the incident region's factor, and stops on the lower bound ``time × incident
    factor``; the scan prices every free team. Both must return the same teams with the same times,
    so the tie-break chooses the same team.
    """
    from types import SimpleNamespace

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    ex = cut_world
    d = ex.dispatcher
    roads = ex.roads
    teams = list(ex.model.teams.values())
    regions = [r for r in ex.model.regions.values()]
    homes = [t.home for t in teams]
    factor = st.sampled_from([1.5, 2.0, 3.0, 7.25])

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        cuts=st.dictionaries(st.sampled_from([r.key for r in regions]), factor, max_size=4),
        jams=st.dictionaries(st.sampled_from([r.key for r in regions]), st.sampled_from([0.25, 0.5, 2.0]),
                             max_size=3),
        free=st.lists(st.booleans(), min_size=len(teams), max_size=len(teams)),
        busy_day=st.booleans(),
        away=st.dictionaries(st.integers(0, len(teams) - 1),
                             st.tuples(st.floats(116.0, 116.9), st.floats(40.0, 40.3)), max_size=5),
        rehome=st.dictionaries(st.integers(0, len(teams) - 1),
                               st.tuples(st.floats(116.0, 116.9), st.floats(40.0, 40.3)), max_size=12),
        where=st.sampled_from(regions),
        spot=st.tuples(st.integers(0, 5), st.integers(0, 5)),
        boat=st.booleans(),
        tie=st.sampled_from([0.0, 0.5, 5.0]),
    )
    def case(cuts, jams, free, busy_day, away, rehome, where, spot, boat, tie):
        for key in list(roads.cut):
            roads.restore(key)
        for key in list(roads.jams):
            roads.jam(frozenset((key,)), -roads.jams[key], "test")
        for key, f in cuts.items():
            roads.cut_road(key, f, "test")
        for key, j in jams.items():
            roads.jam(frozenset((key,)), j, "test")
        d.tie_within = tie
        d.available.clear()
        d._away.clear()
        for i, team in enumerate(teams):
            if team.home != homes[i] or i in rehome:
                team.home = rehome.get(i, homes[i])  # a re-homed team's rankings go stale
            team.position, team._leg = team.home, None
            if i in away:
                team.position = away[i]
            if free[i] and not (busy_day and i % 5):  # a busy day: few free, looked up one by one
                d._free(team)
        loc = (round(where.location[0] + spot[0] * 0.01, 4), round(where.location[1] + spot[1] * 0.01, 4))
        inc = SimpleNamespace(location=loc, region=where)
        needs = frozenset({"rescue", "boat"} if boat else {"rescue"})
        want = sorted((m, t.key) for m, t in d._near_by_scan(inc, needs))
        # the first call may start the rankings afresh (many homes moved) and scan; the second is ranked
        for _ in range(2):
            got = d._near_ranked(inc, needs, loc)
            assert sorted((m, t.key) for m, t in got) == want
        assert loc in d._ranked
        assert roads.slowed == bool(cuts or jams)

    case()
    assert ex.model.home_moves > 0


def test_first_in_order_is_the_smallest_accepted_entry_of_a_heap() -> None:
    """A restricted team's pick from the queue: the same entry as ``min`` over the accepted ones."""
    import heapq

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from drillsim.flows.rescue import first_in_order

    @settings(max_examples=300, deadline=None)
    @given(keys=st.lists(st.tuples(st.integers(1, 3), st.sampled_from([0.0, 5.5, 12.0, 60.0])), max_size=40),
           accepted=st.sets(st.integers(0, 39)))
    def case(keys, accepted):
        heap: list = []
        for seq, (priority, at) in enumerate(keys):
            heapq.heappush(heap, (priority, at, seq, None, None))
        want = min((e for e in heap if e[2] in accepted), default=None)
        assert first_in_order(heap, lambda e: e[2] in accepted) == want

    case()
