"""The metric catalogue: one direction per measure, no guessing from names."""

from __future__ import annotations

import pytest

from drillsim.catalog import MEASURES, METRICS, better, check_task
from drillsim.reports.sweep.analysis import direction
from drillsim.sweeps.metrics import record_metrics


def test_counts_that_are_not_a_performance_have_no_direction():
    assert better("metric.incidents") is None
    assert better("incidents") is None
    assert better("metric.people_at_risk") is None


def test_run_measures_and_per_level_columns_have_their_direction():
    assert better("score") == "higher"
    assert better("metric.lost") == "lower"
    assert better("metric.people_rescued_ratio") == "higher"
    assert better("metric.report_on_time_ratio.county") == "higher"
    assert better("metric.first_report_latency_p90.township") == "lower"
    assert better("metric.dispatch_wait_mean") == "lower"


def test_task_columns_take_the_direction_the_sweep_recorded():
    tasks = {"O-1.on-time": "higher", "O-2.lat": "lower"}
    assert better("metric.O-1.on-time", tasks) == "higher"
    assert better("metric.O-2.lat", tasks) == "lower"


def test_an_unknown_column_is_never_guessed():
    with pytest.raises(KeyError):
        better("metric.something_delay")
    assert direction("metric.something_delay", {}) is None
    assert direction("metric.O-1.t", {"better": {"O-1.t": "higher"}}) == "higher"


def test_every_measure_a_run_leaves_has_a_declared_direction(scenario_path, tmp_path):
    from drillsim.engine import Exercise
    from drillsim.log import read_log
    from drillsim.scenario import load

    Exercise(load(str(scenario_path("one-incident"))), seed=1, log_path=tmp_path / "events.jsonl").run()
    log = read_log(tmp_path / "events.jsonl")
    names = record_metrics(log.header, log.records).metrics
    assert any(name.startswith("report_on_time_ratio.") for name in names)  # per-level columns are there
    for name in names:
        better(name)  # raises KeyError for a measure without a declared direction


def test_a_task_defaults_to_its_metric_direction(scenario_path):
    from drillsim.scenario.load import load_text

    text = scenario_path("one-incident").read_text(encoding="utf-8")
    loaded = load_text(text, "s.yaml")
    for objective in loaded.scenario.objectives.values():
        for task in objective.tasks.values():
            assert task.better == METRICS[task.metric].better or "better" in text


def test_check_task_locates_what_is_wrong():
    problems = check_task({"metric": "report_on_time_ratio", "statistic": "p90", "scope": {"teams": ["x"]}})
    fields = [p[0] for p in problems]
    assert fields == ["statistic", "scope.teams"]
    assert check_task({"metric": "time_to_levl", "statistic": "mean"})[0][3].startswith("did you mean 'time_to_level'")
    assert check_task({"metric": "time_to_level", "statistic": "mean"})[0][:2] == ("level", "error")
    assert set(MEASURES) >= {"rescued", "lost", "incidents"}
