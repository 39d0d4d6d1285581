"""The mesa model: regions, agencies and teams built from a scenario, looked up by id."""

from __future__ import annotations

import mesa

from tests.agents.world import build


def test_the_region_tree_lineage_provinces_and_inherited_locations():
    m = build()
    v2, town, mtg, bj = (m.regions[k] for k in ("v2", "town", "mtg", "bj"))
    assert v2.parent is town and town.parent is mtg and mtg.parent is bj
    assert v2 in town.children and mtg in bj.children
    assert v2.lineage == frozenset({"v2", "town", "mtg", "bj"})
    assert v2.province is bj and m.regions["zz"].province is m.regions["hb"]
    assert town.location == mtg.location and v2.location == mtg.location  # nearest ancestor with one
    assert m.regions["hb"] in bj.neighbours and bj in m.regions["hb"].neighbours  # symmetric
    assert [r.rank for r in (v2, town, mtg, bj)] == [0, 1, 2, 4]


def test_reporter_pools_take_the_region_spec_or_the_scenario_default():
    m = build()
    assert (m.regions["v1"].reporters.count, m.regions["v1"].reporters.probability) == (1, 1.0)
    assert m.regions["v1"].reporters.delay() == 3.0
    assert (m.regions["v2"].reporters.count, m.regions["v2"].reporters.probability) == (2, 0.5)
    assert m.regions["v2"].reporters.delay() == 20.0


def test_team_groups_expand_into_numbered_teams():
    m = build()
    assert list(m.team_groups["boats"]) == [m.teams["boats-01"], m.teams["boats-02"], m.teams["boats-03"]]
    assert [t.key for t in m.teams_in(("blue-sky", "boats"))] == ["blue-sky", "boats-01", "boats-02", "boats-03"]
    boat = m.teams["boats-02"]
    assert boat.group == "boats" and boat.home == m.regions["mtg"].location and boat.province == "bj"
    social = m.teams["blue-sky"]
    assert social.home == (116.0, 39.5) and social.province == "bj"  # its declared home province
    assert social.state == "off_duty" and social.requires_registration and not social.registered


def test_agencies_sit_in_their_regions():
    m = build()
    assert m.agencies["mtg-hq"].region is m.regions["mtg"]
    assert m.agencies["mtg-hq"] in m.regions["mtg"].agencies


def test_release_lets_a_finished_model_be_collected():
    m = build()
    ids = getattr(mesa.Agent, "_ids", None)
    m.release()
    if isinstance(ids, dict):
        assert m not in ids
