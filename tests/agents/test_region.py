"""What an office knows: the latest facts per incident, and sums kept only once somebody asks."""

from __future__ import annotations

from benchmarks.measure import _load_generated
from drillsim.engine import Exercise
from drillsim.scenario import load
from drillsim.scenario.model import MAX_FACTS
from drillsim.scenarios import bundled


def expected_totals(region) -> dict[str, float]:
    """The sums recomputed from scratch from ``region.known`` (largest value for magnitudes)."""
    out: dict[str, float] = {}
    for facts in region.known.values():
        for name, value in facts.items():
            if name in MAX_FACTS:
                out[name] = max(out.get(name, 0.0), value)
            else:
                out[name] = out.get(name, 0.0) + value
    return out


def same(totals: dict[str, float], want: dict[str, float]) -> bool:
    names = set(totals) | set(want)
    return all(abs(totals.get(n, 0.0) - want.get(n, 0.0)) < 1e-9 for n in names)


def test_offices_nobody_asks_about_keep_no_sums_until_asked() -> None:
    ex = Exercise(_load_generated(300), keep=False)
    ex.run()
    regions = ex.model.regions
    village, province = regions["c0k0t0v0"], regions["prov"]
    assert village.known and village._totals is None  # learned about incidents, never asked for sums
    assert province._totals is not None  # its agency's response rules read them at every report
    # asked now: built from what it knows, equal to the sums the province kept all along by difference
    for region in regions.values():
        assert same(region.totals, expected_totals(region)), region.key
    assert village.totals["incidents"] == len(village.known) > 0


def test_sums_kept_by_difference_match_a_recount_in_every_bundled_scenario() -> None:
    for path in bundled():
        ex = Exercise(load(path), keep=False)
        ex.run()
        for region in ex.model.regions.values():
            assert same(region.totals, expected_totals(region)), (path.stem, region.key)
            by_kind: dict[str, dict[str, float]] = {}
            for incident, facts in region.known.items():
                kind = ex.model.incidents[incident].kind if incident in ex.model.incidents else None
                if kind is None:
                    continue
                acc = by_kind.setdefault(kind, {})
                for name, value in facts.items():
                    acc[name] = max(acc.get(name, 0.0), value) if name in MAX_FACTS else acc.get(name, 0.0) + value
            for kind, want in by_kind.items():
                assert same(region.totals_by_kind.get(kind, {}), want), (path.stem, region.key, kind)


def test_a_magnitude_keeps_its_largest_value_whenever_the_sums_start() -> None:
    """Built late or kept from the start, the sums agree: magnitudes keep the largest value learned."""
    ex = Exercise(_load_generated(10), keep=False)
    early, late = ex.model.regions["c1k1"], ex.model.regions["c2k2"]
    assert early.totals["incidents"] == 0  # asked before anything is known: tracked from the start
    for region in (early, late):
        region.learn("quake-1", "collapse", {"incidents": 1, "magnitude": 6.5, "people": 3})
        region.learn("quake-1", "collapse", {"incidents": 1, "magnitude": 5.0, "people": 5})
        region.learn("quake-2", "collapse", {"incidents": 1, "magnitude": 4.0, "people": 2})
    assert late._totals is None
    for region in (early, late):
        assert region.totals["magnitude"] == 6.5 and region.totals["people"] == 7
        assert region.totals_by_kind["collapse"]["magnitude"] == 6.5
        assert region.totals_by_kind["collapse"]["incidents"] == 2
