"""``drillsim sweep`` as a user runs it: exit codes, resume after kill -9 and Ctrl-C, reports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

SCENARIO = "mentougou-flash-flood"
LONG = [SCENARIO, "--vary", "county-deadline", "--vary", "flood-rate", "--design", "lhs", "--points", "100",
        "-r", "4", "--seed", "8", "--batch", "4", "-j", "1", "--no-report"]
TOTAL = 400  # runs in LONG: long enough to be stopped half-way, short enough to finish on resume


ROOT = Path(__file__).resolve().parents[2]


def _start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "drillsim.cli", "sweep", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_parts(out, n: int, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        parts = out / "parts"
        if parts.exists() and len(list(parts.glob("part-*.parquet"))) >= n:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the sweep wrote no parts in time")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _gone(pids: list[int], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [p for p in pids if os.path.exists(f"/proc/{p}") and "Z" not in _state(p)]
        if not alive:
            return True
        time.sleep(0.1)
    return False


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_resume_after_kill_9_gives_exactly_one_row_per_run(drillsim, tmp_path):
    out = tmp_path / "s"
    proc = _start([*LONG, "--out", str(out)])
    _wait_for_parts(out, 5, proc)
    workers = _children(proc.pid)
    proc.kill()  # SIGKILL: no cleanup at all
    proc.wait(timeout=30)
    assert _gone(workers), "worker processes outlived the killed sweep"
    saved = pd.concat([pd.read_parquet(p) for p in sorted((out / "parts").glob("part-*.parquet"))])
    assert 0 < len(saved) < TOTAL
    again = drillsim("sweep", *LONG, "--out", str(out))
    assert again.returncode == 2 and "--resume" in again.stderr  # never silently overwritten
    r = drillsim("sweep", *LONG, "--out", str(out), "--resume")
    assert r.returncode == 0, r.stderr
    assert f"{len(saved):,} already done" in r.stdout
    df = pd.read_parquet(out / "results.parquet")
    assert len(df) == TOTAL and df["run_id"].is_unique and (df["status"] == "ok").all()
    kept = df.set_index("run_id").loc[saved["run_id"], "wall_s"]
    assert (kept.to_numpy() == saved["wall_s"].to_numpy()).all()  # finished runs were not redone
    assert not list((out / "parts").glob("*"))


def test_ctrl_c_exits_130_and_leaves_a_resumable_store(drillsim, tmp_path):
    out = tmp_path / "s"
    proc = _start([*LONG, "--out", str(out)])
    _wait_for_parts(out, 3, proc)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "--resume" in stderr and "Traceback" not in stderr
    assert _gone(workers)
    partial = pd.read_parquet(out / "results.parquet")
    assert 0 < len(partial) < TOTAL and partial["run_id"].is_unique
    r = drillsim("sweep", *LONG, "--out", str(out), "--resume")
    assert r.returncode == 0, r.stderr
    df = pd.read_parquet(out / "results.parquet")
    assert len(df) == TOTAL and df["run_id"].is_unique


def test_resume_refuses_a_different_sweep(drillsim, tmp_path):
    out = tmp_path / "s"
    base = [SCENARIO, "--vary", "county-deadline", "--points", "2", "--out", str(out), "--no-report", "-q"]
    assert drillsim("sweep", *base).returncode == 0
    r = drillsim("sweep", *base, "--resume", "--seed", "99")
    assert r.returncode == 2 and "differs" in r.stderr and "seed" in r.stderr
    done = drillsim("sweep", *base, "--resume")
    assert done.returncode == 0  # nothing left to do


@pytest.mark.parametrize(("args", "message"), [
    (["--vary", "no-such-knob=1:2"], "neither a parameter of this scenario nor a path"),
    (["--vary", "county-deadline=2h:30m"], "empty range"),
    (["--vary", "county-deadline=30:2h"], "has no unit"),
    (["--vary", "flood-rate=fast:4/h"], "bad rate"),
    (["--vary", "teams.mtg-fire.members"], "needs a range or values"),
    (["--vary", "reporter-probability=0.5:1.5"], "not between 0 and 1"),
    (["--vary", "county-deadline", "--design", "list"], "needs explicit values"),
    (["--vary", "county-deadline", "--set", "teams.nope.members=3"], "no such path"),
    ([], "nothing to vary and one replicate"),
    (["--replicates", "3", "--design", "sobol"], "a sobol design needs something to vary"),
    (["--vary", "county-deadline", "--backend", "local", "--address", "tcp://127.0.0.1:1"], "only used by"),
])
def test_bad_input_exits_2_with_a_clear_message(drillsim, tmp_path, args, message):
    r = drillsim("sweep", SCENARIO, *args, "--out", str(tmp_path / "s"))
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "s" / "results.parquet").exists()


def test_replicates_alone_are_a_monte_carlo_study_with_the_spread_of_every_metric(drillsim, tmp_path):
    """Nothing to vary: R runs of the scenario as it is, each with its own seed, and every metric's spread."""
    out = tmp_path / "mc"
    r = drillsim("sweep", SCENARIO, "--replicates", "12", "--seed", "4", "-j", "1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "nothing varied: 12 replicates of the scenario as it is" in r.stdout
    df = pd.read_parquet(out / "results.parquet")
    assert len(df) == 12 and df["seed"].is_unique and (df["status"] == "ok").all()
    metrics = [c for c in df.columns if c.startswith("metric.")]
    lines = {line.split()[0]: line for line in r.stdout.splitlines() if line.startswith("  metric.")}
    assert set(metrics) - {c for c in metrics if df[c].isna().all()} <= set(lines)  # every metric measured
    words = lines["metric.lost"].split()
    assert float(words[1]) == pytest.approx(df["metric.lost"].mean(), rel=1e-3)  # the mean
    assert float(words[3]) == pytest.approx(df["metric.lost"].std(), rel=1e-3)  # the sample sd
    assert "rating.overall" in r.stdout
    page = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "Spread over all runs" in page and "metric.people_rescued_ratio" in page
    assert "Nothing was varied" in page and "by parameter value" not in page


def test_sweep_file_errors_are_located(drillsim, tmp_path):
    f = tmp_path / "sweep.yaml"
    f.write_text("design: grd\nvary:\n  county-deadline: [30m]\n  flood-rate: {range: [1/h, 2/h], step: 1}\n")
    r = drillsim("sweep", SCENARIO, "-f", str(f))
    assert r.returncode == 2
    assert f"{f}:1:9: design:" in r.stderr
    assert f"{f}:3:20: vary.county-deadline: a range needs two values" in r.stderr
    assert "vary.flood-rate.step: unknown key" in r.stderr


def test_sweep_file_list_design_csv_and_report(drillsim, tmp_path):
    f = tmp_path / "sweep.yaml"
    f.write_text(f"scenario: {SCENARIO}\ndesign: list\nreplicates: 2\nseed: 3\ncrn: true\n"
                 "set: {teams.bluesky-mtg.members: 30}\n"
                 "list:\n  - {county-deadline: 30m, flood-rate: 1/h}\n  - {county-deadline: 2h, flood-rate: 4/h}\n")
    out = tmp_path / "s"
    r = drillsim("sweep", "-f", str(f), "--out", str(out), "--csv")
    assert r.returncode == 0, r.stderr
    assert "2 points × 2 replicates = 4 runs" in r.stdout
    df = pd.read_parquet(out / "results.parquet")
    assert df["param.flood-rate.text"].tolist() == ["1/h", "1/h", "4/h", "4/h"]
    assert len(pd.read_csv(out / "results.csv")) == 4
    manifest = json.loads((out / "sweep.json").read_text())
    assert manifest["spec"]["overrides"] == [["teams.bluesky-mtg.members", 30]]
    assert (out / "report" / "index.html").exists()


def test_a_killed_worker_process_does_not_stop_the_sweep(drillsim, tmp_path):
    """A worker killed from outside (the out-of-memory killer) breaks the local pool and loses the runs in
    flight: they run again one by one on a new pool, and the sweep finishes with one row per run."""
    out = tmp_path / "s"
    proc = _start([*LONG, "--out", str(out)])
    _wait_for_parts(out, 3, proc)
    os.kill(_children(proc.pid)[0], signal.SIGKILL)
    _, stderr = proc.communicate(timeout=240)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr
    saved = pd.read_parquet(out / "results.parquet")
    assert len(saved) == TOTAL and saved["run_id"].is_unique
    assert (saved["status"] == "ok").all()  # the runs lost with the worker were innocent: they ran again
