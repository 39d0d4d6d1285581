"""The Python API: one row per run, reproducible tables, common random numbers, failures recorded."""

from __future__ import annotations

import pandas as pd
import pytest

from drillsim.errors import InputError
from drillsim.sweeps import sweep

SCENARIO = "mentougou-flash-flood"


def _table(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["wall_s"])


def test_returns_one_row_per_run_with_parameters_metrics_and_status(tmp_path):
    df = sweep(SCENARIO, {"county-deadline": ("30m", "2h"), "reporter-probability": [0.6, 1.0]},
               points=3, replicates=2, seed=11, workers=2, out=tmp_path / "s")
    assert len(df) == 3 * 2 * 2 and df["run_id"].is_unique
    assert list(df.columns[:6]) == ["run_id", "point", "replicate", "seed", "status", "error"]
    assert set(df["param.county-deadline.text"]) == {"30m", "75m", "120m"}
    assert set(df["param.county-deadline"]) == {30.0, 75.0, 120.0}  # minutes, the engine's unit
    assert set(df["param.reporter-probability"]) == {0.6, 1.0}
    assert (df["status"] == "ok").all() and df["error"].isna().all()
    assert {"score", "metric.people_rescued_ratio", "metric.lost", "metric.report_on_time_ratio.county",
            "wall_s"} <= set(df.columns)
    assert df["metric.people_rescued_ratio"].between(0, 1).all()
    assert (tmp_path / "s" / "results.parquet").exists() and (tmp_path / "s" / "sweep.json").exists()
    pd.testing.assert_frame_equal(df, pd.read_parquet(tmp_path / "s" / "results.parquet"))


def test_same_root_seed_gives_the_same_table_however_it_is_run(tmp_path):
    kw = {"design": "lhs", "points": 12, "replicates": 3, "seed": 5}
    vary = {"county-deadline": None, "flood-rate": ("1/h", "3/h")}
    a = sweep(SCENARIO, vary, workers=1, batch=1, **kw)
    b = sweep(SCENARIO, vary, workers=2, out=tmp_path / "b", **kw)
    pd.testing.assert_frame_equal(_table(a), _table(b))
    c = sweep(SCENARIO, vary, workers=2, **{**kw, "seed": 6})
    assert not _table(a).equals(_table(c))
    assert not a["metric.lost"].equals(c["metric.lost"])


def test_common_random_numbers_give_every_point_the_same_draws(tmp_path):
    # The county deadline changes only how reports are judged, never a random draw: with common
    # random numbers every point sees the same incidents and outcomes for a given replicate.
    vary = {"county-deadline": ["30m", "1h", "2h"]}
    crn = sweep(SCENARIO, vary, replicates=3, seed=2, crn=True, workers=2)
    for _, rep in crn.groupby("replicate"):
        assert rep["seed"].nunique() == 1
        assert rep["metric.incidents"].nunique() == 1 and rep["metric.lost"].nunique() == 1
    assert crn.groupby("point")["metric.report_on_time_ratio.county"].mean().is_monotonic_increasing
    indep = sweep(SCENARIO, vary, replicates=3, seed=2, crn=False, workers=2)
    assert indep["seed"].nunique() == 9
    assert any(rep["metric.incidents"].nunique() > 1 for _, rep in indep.groupby("replicate"))


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path):
    # A raw path (not a declared parameter); 1.5 is not a probability, so those runs fail validation.
    df = sweep(SCENARIO, ["reporting.reporters.probability=0.5,1.5,0.9"], replicates=2, seed=1, workers=2)
    assert len(df) == 6
    bad = df[df["param.reporting.reporters.probability"] == 1.5]
    assert (bad["status"] == "failed").all()
    assert bad["error"].str.contains("reporting.reporters.probability").all()
    assert bad["metric.lost"].isna().all()
    good = df[df["param.reporting.reporters.probability"] != 1.5]
    assert (good["status"] == "ok").all() and good["metric.incidents"].notna().all()


def test_keep_logs_are_the_logs_drillsim_run_writes(tmp_path):
    from drillsim.engine import Exercise
    from drillsim.scenario import load

    out = tmp_path / "s"
    df = sweep(SCENARIO, {"flood-rate": ["1/h", "2.5/h"]}, replicates=2, seed=4, out=out, keep_logs=True, workers=2)
    row = df.iloc[3]
    log = (out / "logs" / f"{row['run_id']}.jsonl").read_bytes()
    Exercise(load(SCENARIO, [f"flood-rate={row['param.flood-rate.text']}"]), int(row["seed"]),
             log_path=tmp_path / "run.jsonl").run()
    assert (tmp_path / "run.jsonl").read_bytes() == log


def test_bad_input_is_refused_before_any_run(tmp_path):
    cases = [
        ({"no-such-knob": ("1", "2")}, "neither a parameter"),
        ({"county-deadline": ("2h", "30m")}, "empty range"),
        ({"county-deadline": ("30x", "2h")}, "bad range"),
        ({"teams.mtg-fire.members": None}, "needs a range or values"),
        ({"teams": ("1", "2")}, "not a single value"),
    ]
    for vary, message in cases:
        with pytest.raises(InputError) as exc:
            sweep(SCENARIO, vary, out=tmp_path / "never")
        assert message in str(exc.value), (vary, str(exc.value))
    assert not (tmp_path / "never").exists()
