"""Doctrine lint (`drillsim validate --lint`)."""

from __future__ import annotations

from pathlib import Path

from drillsim.scenario.lint import lint
from drillsim.scenario.load import load_document
from drillsim.scenario.yamlsafe import parse_document

BASE = (Path(__file__).resolve().parents[1] / "scenarios" / "one-incident.yaml").read_text(encoding="utf-8")

# I-01 names an objective; O-1 is measured by a flow (reports exist); no expected actions.
CLEAN = BASE.replace("    title: Rain warning\n", "    title: Rain warning\n    objectives: [O-1]\n") + """
objectives:
  O-1:
    capability: operational_communications
    text: Reports on time
    tasks:
      on-time:
        text: First reports reach the county on time
        metric: report_on_time_ratio
        better: higher
        thresholds: {P: 90%, S: 75%, M: 50%}
"""


def lint_text(text: str) -> tuple[list, str]:
    doc = parse_document(text, "s.yaml")
    return lint(load_document(doc, "s.yaml"), doc), text


def edited(*edits: tuple[str, str], extra: str = "") -> str:
    text = CLEAN
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text + extra


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_a_clean_scenario_has_no_findings():
    assert lint_text(CLEAN)[0] == []


def test_all_findings_are_warnings():
    found, _ = lint_text(BASE)
    assert found and {p.severity for p in found} == {"warning"}


def test_an_inject_naming_neither_capability_nor_objective():
    found, text = lint_text(edited(("    objectives: [O-1]\n", "")))
    paths = [p.path for p in found]
    assert "injects.I-01" in paths
    p = found[paths.index("injects.I-01")]
    assert p.line == line_of(text, "  I-01:")
    assert "names neither a capability nor an objective" in p.message


def test_a_capability_that_is_not_a_core_capability():
    found, _ = lint_text(edited(("    objectives: [O-1]\n", "    capability: situational_awareness\n")))
    assert [p.path for p in found] == ["injects.I-01.capability"]
    assert "did you mean 'situational_assessment'?" in found[0].expected


def test_an_objective_exercised_by_nothing():
    unmeasurable = edited(("    objectives: [O-1]\n", "    capability: planning\n"),
                          ("        metric: report_on_time_ratio\n", "        metric: material_fill_time\n"),
                          ("        better: higher\n        thresholds: {P: 90%, S: 75%, M: 50%}\n",
                           "        thresholds: {P: 1h, S: 2h, M: 4h}\n"))
    found, text = lint_text(unmeasurable)
    assert [p.path for p in found] == ["objectives.O-1"]
    assert found[0].line == line_of(text, "  O-1:")
    named_by_inject = unmeasurable.replace("    capability: planning\n", "    objectives: [O-1]\n")
    assert lint_text(named_by_inject)[0] == []


CONTINGENCY = """  I-02:
    at: 2h
    to: [county-hq]
    type: contingency
    title: Reminder
    message: The county has not yet warned the villages.
    objectives: [O-9]
"""


def test_an_expected_action_without_a_contingency_inject():
    text = edited(("    objectives: [O-1]\n", "    objectives: [O-1]\n    expected_action: Warn them\n"))
    found, _ = lint_text(text)
    assert [p.path for p in found] == ["injects.I-01.expected_action"]
    assert "contingency_for: [I-01]" in found[0].expected


def test_a_contingency_relates_by_field_by_objective_or_by_naming_the_inject():
    expected = ("    objectives: [O-1]\n", "    objectives: [O-1]\n    expected_action: Warn the villages\n")
    by_field = edited(expected, extra="").replace(
        "objectives:\n  O-1:", "  I-02:\n    at: 2h\n    to: [county-hq]\n    type: contingency\n"
        "    title: Reminder\n    message: Warn them now.\n    capability: planning\n"
        "    contingency_for: [I-01]\nobjectives:\n  O-1:")
    assert lint_text(by_field)[0] == []
    by_objective = by_field.replace("    contingency_for: [I-01]\n", "    objectives: [O-1]\n")
    assert lint_text(by_objective)[0] == []
    by_name = by_field.replace("    contingency_for: [I-01]\n", "    effects: [{inject: I-01}]\n")
    assert lint_text(by_name)[0] == []
    only_in_prose = by_field.replace("    contingency_for: [I-01]\n", "").replace(
        "message: Warn them now.", "message: Follow up on I-01.")
    assert [p.path for p in lint_text(only_in_prose)[0]] == ["injects.I-01.expected_action"]


def test_a_value_marked_unverified_must_be_a_parameter():
    sourced = edited(("        metric: report_on_time_ratio\n",
                      "        metric: report_on_time_ratio\n        source: \"[U] guessed\"\n"))
    found, text = lint_text(sourced)
    assert [p.path for p in found] == ["objectives.O-1.tasks.on-time.source"]
    assert found[0].line == line_of(text, "source: \"[U] guessed\"")
    bound = sourced + "parameters:\n  on-time-p:\n    path: objectives.O-1.tasks.on-time.thresholds.P\n"
    assert lint_text(bound)[0] == []


def test_a_source_of_confidence_u_counts_as_unverified():
    text = edited(("regions:\n", "sources:\n  S9: {title: Hearsay, confidence: U}\nregions:\n"),
                  ("        metric: report_on_time_ratio\n", "        metric: report_on_time_ratio\n"
                                                           "        source: S9\n"))
    found, _ = lint_text(text)
    assert [p.path for p in found] == ["objectives.O-1.tasks.on-time.source"]
    assert "a source of confidence U" in found[0].message


def test_a_trailing_u_comment_marks_the_value_on_its_line():
    text = edited(("  work_time: 45m\n", "  work_time: 45m  # [U] nobody measured this\n"))
    found, _ = lint_text(text)
    assert [p.path for p in found] == ["rescue.work_time"]
    assert found[0].line == line_of(text, "# [U] nobody measured")
    bound = text + "parameters:\n  work:\n    path: rescue.work_time\n"
    assert lint_text(bound)[0] == []
    full_line = edited(("  work_time: 45m\n", "  # [U] a note about the section\n  work_time: 45m\n"))
    assert lint_text(full_line)[0] == []
    quoted = edited(("    title: Rain warning\n", "    title: \"Rain # [U] warning\"\n"))
    assert lint_text(quoted)[0] == []


RIVER = """\
drillsim: 1
id: r
title: River
hazard: flood
start: 2023-07-29T17:00:00+08:00
duration: 12h
regions:
  county: {name: County, level: county, location: [116.0, 39.9]}
agencies:
  hq: {name: HQ, region: county}
hazards:
  rivers:
    lugouqiao: {name: {zh: 永定河卢沟桥, en: Yongding River at Lugouqiao}, region: county, base_flow: 50,
                inflow: {county: 10}}
  rain:
    regions:
      county: {curve: [[0h, 0], [2h, 30]]}
injects:
  M12:
    at: 1h
    to: [hq]
    capability: situational_assessment
    title: Gate opens
    message:
      zh: 卢沟桥分洪枢纽主河道闸门按50立方米每秒开启。
      en: "The gate at Lugouqiao opens at 50 m³/s; Sanjiadian reads 622 m³/s."
  M17:
    when: {record: hazard.river, subject: [lugouqiao], data: {flow: {at_least: 4000}}}
    to: [hq]
    capability: situational_assessment
    title: Flow passes 4,000
    message: {zh: 卢沟桥流量已达4000立方米每秒, en: "Lugouqiao has passed 4,000 m³/s; the forecast is over 5,000 m³/s"}
"""


def _number_warnings(text: str) -> list:
    found, _ = lint_text(text)
    return [p for p in found if "as a fixed number" in p.message]


def test_a_river_reading_written_as_a_number_is_flagged_at_the_number():
    found = _number_warnings(RIVER)
    assert [(p.path, p.line) for p in found] == [("injects.M12.message.zh", 25), ("injects.M12.message.en", 26)]
    zh, en = found
    assert zh.column == RIVER.splitlines()[24].index("50立方米每秒") + 1
    assert en.column == RIVER.splitlines()[25].index("50 m³/s") + 1
    assert "river.lugouqiao.flow" in en.message and "{river.lugouqiao.flow}" in en.expected
    assert zh.severity == "warning" and zh.file == "s.yaml"


def test_a_quoted_value_a_trigger_bound_and_an_unsimulated_station_are_not_flagged():
    quoted = RIVER.replace("按50立方米每秒开启", "开启，流量{river.lugouqiao.flow}立方米每秒").replace(
        "opens at 50 m³/s", "opens; it reads {river.lugouqiao.flow} m³/s")
    assert _number_warnings(quoted) == []  # M17 states its own trigger's bound and a forecast bound


def test_validate_lint_exits_1_and_names_file_line_and_column(tmp_path, capsys):
    from drillsim.cli import main

    path = tmp_path / "river.yaml"
    path.write_text(RIVER, encoding="utf-8")
    assert main(["validate", "--lint", str(path)]) == 1
    err = capsys.readouterr()
    text = err.out + err.err
    col = RIVER.splitlines()[25].index("50 m³/s") + 1
    assert f"{path}:26:{col}: injects.M12.message.en: warning: '50 m³/s' states river.lugouqiao.flow" in text
