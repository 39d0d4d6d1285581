"""Evidence wording: an incident is named by what, where and its id."""

from __future__ import annotations

from drillsim.scoring.text import incident_label

QUAKE = """
teams:
  usar: {name: USAR, kind: fire_rescue, base: county-a, capabilities: [search_rescue], count: 2}
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
        village-a: {buildings: 300, occupants: 3, location: [116.0, 40.02], radius: 1km}
      incident: {kind: building_collapse, name: {zh: 房屋倒塌人员被埋压, en: "Collapsed houses, people buried"},
                 needs: [search_rescue], priority: 1}
objectives:
  O-report:
    capability: operational_communications
    text: First reports
    tasks:
      latency:
        text: First reports reach the county
        metric: first_report_latency
        scope: {levels: [county]}
        statistic: p90
        thresholds: {P: 30m, S: 1h, M: 2h}
"""


def test_the_label_says_what_where_and_which():
    place = {"en": "Lixian", "zh": "礼贤"}
    named = incident_label("main-lixian-0043", {"en": "Collapsed houses", "zh": "房屋倒塌"}, place)
    assert named == {"en": "Collapsed houses at Lixian (main-lixian-0043)", "zh": "礼贤房屋倒塌(main-lixian-0043)"}
    assert incident_label("flood-7", None, place) == {"en": "flood-7 (Lixian)", "zh": "flood-7(礼贤)"}


def test_evidence_lines_of_a_run_name_the_incident_and_its_place():
    from drillsim.engine import Exercise
    from drillsim.scenario import load_text
    from drillsim.scoring import score
    from tests.flows.flowworld import scenario_text

    ex = Exercise(load_text(scenario_text(QUAKE), "fixture.yaml"), None)
    ex.run()
    card = score(ex.log.header, ex.log.records)
    obs = card.objectives[0].tasks[0].observations
    sites = {r[4] for r in ex.log.records if r[2] == "incident.occurred" and r[5]["kind"] == "building_collapse"}
    assert len(sites) > 3 and len(obs) >= len(sites)
    for o in obs:
        assert o.text["en"].startswith(f"Collapsed houses, people buried at Village A ({o.subject})")
        assert o.text["zh"].startswith(f"Village A房屋倒塌人员被埋压({o.subject})")
    assert {o.subject for o in obs} >= set(sites)  # one line per site, each telling which one it is
