"""The scenario loader checks objectives against the metric library, with located errors."""

import pytest

from drillsim.errors import InputError
from drillsim.scenario.load import load_text
from drillsim.scoring.library import METRICS

BASE = """\
drillsim: 1
id: t
title: t
hazard: flood
start: 2023-07-31T06:00:00+08:00
duration: 2h
regions:
  a: {name: A, level: county}
agencies:
  hq: {name: HQ, region: a}
injects:
  M1:
    at: 10m
    to: [hq]
    title: t
    message: m
    expects: [{kind: level.changed, by: [BY], within: 30m, data: {to: [II, I]}}]
objectives:
  O-1:
    capability: operational_communications
    text: x
    tasks:
      t1:
        text: x
        metric: METRIC
        statistic: STAT
        better: higher
        SCOPE
        thresholds: {P: 90%, S: 75%, M: 50%}
"""


def scenario(metric="report_on_time_ratio", stat="ratio", by="hq", scope="scope: {levels: [county]}"):
    return BASE.replace("METRIC", metric).replace("STAT", stat).replace("BY", by).replace("SCOPE", scope)


def problems(text):
    with pytest.raises(InputError) as exc:
        load_text(text, "s.yaml")
    return [p.format() for p in exc.value.problems]


def test_valid_objectives_load_and_every_metric_is_documented():
    loaded = load_text(scenario(), "s.yaml")
    assert loaded.scenario.injects["M1"].expects[0].within == 30.0
    assert loaded.warnings == ()
    assert len(METRICS) >= 21


def test_unknown_metric_is_located_with_a_suggestion():
    (msg,) = problems(scenario(metric="report_ontime_ratio"))
    assert msg.startswith(
        "s.yaml:25:17: objectives.O-1.tasks.t1.metric: unknown metric 'report_ontime_ratio'"
    )
    assert "did you mean 'report_on_time_ratio'?" in msg


def test_statistic_must_fit_the_metric():
    (msg,) = problems(scenario(stat="median"))
    assert "s.yaml:26:20: objectives.O-1.tasks.t1.statistic: statistic 'median' does not apply" in msg


def test_time_to_level_needs_a_level():
    text = (
        scenario(metric="time_to_level", stat="max", scope="")
        .replace("better: higher", "better: lower")
        .replace("{P: 90%, S: 75%, M: 50%}", "{P: 30m, S: 1h, M: 2h}")
    )
    (msg,) = problems(text)
    assert "objectives.O-1.tasks.t1.level: metric time_to_level needs `level`" in msg


def test_expectation_actor_is_checked():
    (msg,) = problems(scenario(by="hqq"))
    assert "injects.M1.expects[0].by[0]: unknown actor 'hqq'" in msg and "did you mean 'hq'" in msg


def test_ignored_scope_field_is_a_warning():
    loaded = load_text(scenario(scope="scope: {team_kinds: [social]}"), "s.yaml")
    assert [w.path for w in loaded.warnings] == ["objectives.O-1.tasks.t1.scope.team_kinds"]


def test_every_metric_is_documented():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    for name in METRICS:
        assert f"### `{name}`" in doc, name
