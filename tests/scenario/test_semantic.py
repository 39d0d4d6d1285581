"""Semantic checks of `drillsim validate`: scenarios that load but cannot do what they say."""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.catalog import METRICS
from drillsim.scenario.load import load_document
from drillsim.scenario.semantic import FEATURES, check, measurable, province_of
from drillsim.scenario.yamlsafe import parse_document

BASE = (Path(__file__).resolve().parents[1] / "scenarios" / "one-incident.yaml").read_text(encoding="utf-8")

SCORING_METRICS = (
    "first_report_latency report_on_time_ratio skipped_level_reports time_to_level trigger_to_activation "
    "registration_wait untasked_registered_teams time_to_first_on_scene rescue_completion_ratio "
    "people_rescued people_lost people_rescued_ratio time_to_contain time_to_clear border_notification_delay "
    "joint_consultation_held material_fill_time material_shortfall team_utilisation decision_delay "
    "injects_answered_ratio").split()


def scenario(*edits: tuple[str, str], extra: str = ""):
    text = BASE
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    text += extra
    doc = parse_document(text, "s.yaml")
    return load_document(doc, "s.yaml"), doc, text


def warnings(*edits: tuple[str, str], extra: str = "") -> list:
    loaded, doc, _ = scenario(*edits, extra=extra)
    return check(loaded, doc)


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_the_catalogue_covers_the_scoring_library():
    from drillsim.scoring.library import METRICS as LIBRARY

    assert set(SCORING_METRICS) <= set(METRICS)
    assert list(METRICS) == list(LIBRARY)
    for name, info in METRICS.items():
        assert set(info.requires) <= set(LIBRARY[name].reads), name  # needs only what scoring reads
        assert info.requires and info.features
        for alternative in info.features:
            assert set(alternative) <= set(FEATURES)


def test_a_consistent_scenario_has_no_warnings():
    assert warnings() == []


def test_capability_held_only_by_a_team_never_put_on_duty():
    found = warnings(("    speed: 40km/h\n", "    speed: 40km/h\n    on_duty: false\n"))
    assert [(p.path, p.severity) for p in found] == [("incidents.flood-1.needs[0]", "warning")]
    assert "never put on duty" in found[0].message
    activated = warnings(("    speed: 40km/h\n", "    speed: 40km/h\n    on_duty: false\n"),
                         ("      - {level: IV, when: {fact: people, at_least: 1}, delay: 10m}\n",
                          "      - {level: IV, when: {fact: people, at_least: 1}, delay: 10m}\n"
                          "    activates:\n      IV: {teams: [boat-1]}\n"))
    assert activated == []


TWO_PROVINCES = (
    ("regions:\n", "regions:\n  prov-a: {name: A, level: province, location: [116.0, 40.0]}\n"
                   "  prov-b: {name: B, level: province, location: [117.0, 39.0]}\n"
                   "  county-b: {name: County B, level: county, parent: prov-b}\n"
                   "  village-b: {name: Village B, level: village, parent: county-b}\n"),
    ("  county-a: {name: County A, level: county, location: [116.0, 40.0]}",
     "  county-a: {name: County A, level: county, parent: prov-a, location: [116.0, 40.0]}"),
    ("    region: village-a\n", "    region: village-b\n"),
)


def test_an_incident_in_a_province_no_capable_team_reaches():
    loaded, doc, text = scenario(*TWO_PROVINCES)
    assert province_of(loaded.scenario, "village-b") == "prov-b"
    found = check(loaded, doc)
    assert [p.path for p in found] == ["incidents.flood-1.region"]
    assert found[0].line == line_of(text, "region: village-b")
    assert "no team with water_rescue can reach region 'village-b'" in found[0].message


def test_a_neighbours_link_or_a_national_base_gives_reach():
    linked = (TWO_PROVINCES[0][0], TWO_PROVINCES[0][1].replace(
        "  village-b: {name: Village B, level: village, parent: county-b}",
        "  village-b: {name: Village B, level: village, parent: county-b, neighbours: [county-a]}"))
    assert warnings(linked, *TWO_PROVINCES[1:]) == []
    national = (("regions:\n", "regions:\n  china: {name: China, level: nation, location: [116.4, 39.9]}\n"),
                ("    base: county-a\n", "    base: china\n"))
    assert warnings(*TWO_PROVINCES, *national) == []


def test_an_inject_to_an_agency_never_activated():
    extra_agency = ("  county-hq: {name: County flood HQ, region: county-a, kind: command}\n",
                    "  county-hq: {name: County flood HQ, region: county-a, kind: command}\n"
                    "  weather: {name: Weather bureau, region: county-a, kind: meteorology}\n")
    to_weather = ("    to: [county-hq]\n", "    to: [county-hq, weather]\n    expected_action: Warn the villages\n")
    found = warnings(extra_agency, to_weather)
    assert [p.path for p in found] == ["injects.I-01.to[1]"]
    assert "agency 'weather' is never activated" in found[0].message
    # an inject that expects nothing only informs: it needs nobody to act
    info_only = ("    to: [county-hq]\n", "    to: [county-hq, weather]\n")
    assert warnings(extra_agency, info_only) == []
    with_level = extra_agency[1].replace("kind: meteorology}", "kind: meteorology, initial_level: IV}")
    assert warnings((extra_agency[0], with_level), to_weather) == []
    raised = "    effects: [{raise_level: {agency: weather, level: IV}}]\n"
    effect = ("    title: Rain warning\n", "    title: Rain warning\n" + raised)
    assert warnings(extra_agency, to_weather, effect) == []


@pytest.mark.parametrize("duty", [
    "cross_region:\n  centres: {county-a: weather}\n",
    "coordination:\n  desks:\n    desk:\n      name: Desk\n      agency: weather\n      region: county-a\n"
    "      activate: {after: 1h}\n",
    "grassroots:\n  whistle:\n    departments: {weather: {answer: 20m}}\n",
])
def test_an_agency_with_a_standing_duty_needs_no_level(duty):
    # a command centre on 24-hour duty, a desk's lead agency, a whistle department: they act without a level
    extra_agency = ("  county-hq: {name: County flood HQ, region: county-a, kind: command}\n",
                    "  county-hq: {name: County flood HQ, region: county-a, kind: command}\n"
                    "  weather: {name: Weather bureau, region: county-a, kind: meteorology}\n")
    to_weather = ("    to: [county-hq]\n", "    to: [county-hq, weather]\n    expected_action: Share the forecast\n")
    assert [p.path for p in warnings(extra_agency, to_weather)] == ["injects.I-01.to[1]"]
    assert warnings(extra_agency, to_weather, extra=duty) == []


def test_a_metric_that_can_never_be_measured():
    objectives = """objectives:
  O-1:
    capability: logistics
    text: Supplies arrive
    tasks:
      fill:
        text: Material requests are filled
        metric: material_fill_time
        thresholds: {P: 1h, S: 2h, M: 4h}
      rescued:
        text: People at risk are rescued
        metric: people_rescued_ratio
        better: higher
        thresholds: {P: 90%, S: 80%, M: 50%}
"""
    loaded, doc, text = scenario(extra=objectives)
    found = {p.path: p for p in check(loaded, doc)}
    assert set(found) == {"objectives.O-1.tasks.fill.metric"}
    fill = found["objectives.O-1.tasks.fill.metric"]
    assert "can never be measured" in fill.message and "depots" in fill.message
    assert fill.line == line_of(text, "metric: material_fill_time")
    assert measurable(loaded, "people_rescued_ratio") is True
    assert measurable(loaded, "material_fill_time") is False
    assert measurable(loaded, "no_such_metric") is None
    no_people = scenario(("    people: 4\n", "    people: 0\n"), extra=objectives)[0]
    assert measurable(no_people, "people_rescued_ratio") is False


def test_features_of_later_flows_are_recognised_by_their_section_names():
    loaded, _, _ = scenario(("    speed: 40km/h\n", "    speed: 40km/h\n"), extra="")
    assert measurable(loaded, "registration_wait") is False
    assert measurable(loaded, "joint_consultation_held") is False
    border = scenario(*TWO_PROVINCES[:2], ("  county-b: {name: County B, level: county, parent: prov-b}",
                                           "  county-b: {name: County B, level: county, parent: prov-b, "
                                           "neighbours: [county-a]}"))[0]
    assert measurable(border, "joint_consultation_held") is True


@pytest.mark.parametrize(("scope", "path"), [
    ("{incident_kinds: [earthquake]}", "objectives.O-1.tasks.t.scope.incident_kinds[0]"),
    ("{levels: [province]}", "objectives.O-1.tasks.t.scope.levels[0]"),
    ("{team_kinds: [medical]}", "objectives.O-1.tasks.t.scope.team_kinds[0]"),
])
def test_a_scope_naming_something_the_scenario_never_has(scope, path):
    extra = f"""objectives:
  O-1:
    capability: mass_search_and_rescue
    text: Rescue
    tasks:
      t:
        text: Rescue fast
        metric: time_to_first_on_scene
        scope: {scope}
        thresholds: {{P: 30m, S: 1h, M: 2h}}
"""
    assert [p.path for p in warnings(extra=extra)] == [path]
