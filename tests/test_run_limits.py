"""What one run may generate is bounded (docs/limits.md): incidents, people in one incident, records.

A runaway rate (``--set flood-rate=1e300/h``) once made ``run`` grow to 2.5 GB and die in the JSON
encoder, and killed a sweep's worker on every ``--resume``. Now the run stops at the limit: the log
is closed with ``exercise.ended`` (reason ``limit``), ``run`` says which limit and exits 2, and a
sweep records the run as failed and goes on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import drillsim.flows.incidents as incidents_flow
from drillsim.cli import main
from drillsim.engine import Exercise
from drillsim.log import RunLimit, read_log
from drillsim.scenario import load

ROOT = Path(__file__).resolve().parents[1]
MEASURED = """
import sys
from drillsim.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as fh:  # this process's own peak (ru_maxrss would count the parent's too)
    print(next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")), file=sys.stderr)
sys.exit(code)
"""
"""Runs drillsim's command line and prints the process's peak resident memory in KiB on the last line."""


def test_a_runaway_rate_stops_at_the_incident_limit_and_closes_the_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(incidents_flow, "MAX_INCIDENTS", 300)  # the class of input, at a size a test can afford
    out = tmp_path / "run"
    assert main(["run", "mentougou-flash-flood", "--set", "flood-rate=1e300/h", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("drillsim: the run stopped: the run generated 300 incidents, the limit for one run "
                          "(docs/limits.md)")
    assert f"log         {out / 'events.jsonl'} (up to the limit" in err
    log = read_log(out / "events.jsonl")  # a complete, readable log
    assert log.complete and log.records[-1].data["reason"] == "limit"
    assert log.records[-1].data["incidents"] == 300
    assert not (out / "scorecard.json").exists()


def test_a_crowd_beyond_the_limit_stops_the_run(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "mentougou-flash-flood", "--set", "incidents.luopoling-train.people=100000000",
                 "--out", str(out)]) == 2
    assert "incident luopoling-train has 100,000,000 people at risk, over the limit of 1,000,000" in \
        capsys.readouterr().err
    assert read_log(out / "events.jsonl").records[-1].data["reason"] == "limit"


def test_the_record_limit_stops_the_run_and_the_log_says_why(scenario_path):
    ex = Exercise(load(scenario_path("one-incident")), seed=1)
    ex.log.limit = 12
    with pytest.raises(RunLimit, match="the run wrote 12 records, the limit for one run"):
        ex.run()
    assert ex.ended and ex.log.records[-1][2] == "exercise.ended" and ex.log.records[-1][5]["reason"] == "limit"


def test_a_point_over_a_limit_is_a_failed_row_and_the_sweep_goes_on(tmp_path):
    out = tmp_path / "s"
    done = subprocess.run([sys.executable, "-m", "drillsim.cli", "sweep", "mentougou-flash-flood", "--vary",
                           "incidents.luopoling-train.people=10,100000000", "-r", "2", "-j", "1", "--no-report",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    df = pd.read_parquet(out / "results.parquet")
    assert df["status"].tolist() == ["ok", "ok", "failed", "failed"]
    assert df["error"].iloc[2] == ("RunLimit: incident luopoling-train has 100,000,000 people at risk, over the "
                                   "limit of 1,000,000 for one incident (docs/limits.md); check the rates, counts "
                                   "and people of the scenario and of --set")


@pytest.mark.slow
def test_the_runaway_rate_of_the_issue_at_the_real_limit(tmp_path):
    """``--set flood-rate=1e300/h`` exactly as reported: bounded memory and a closed log (about a minute)."""
    out = tmp_path / "run"
    done = subprocess.run([sys.executable, "-c", MEASURED, "run", "mentougou-flash-flood", "--set",
                           "flood-rate=1e300/h", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 2, done.stderr
    assert "the run generated 100,000 incidents, the limit for one run" in done.stderr
    assert int(done.stderr.strip().splitlines()[-1]) * 1024 < 2**30  # under 1 GiB (it was 2.5 GB, then a segfault)
    assert read_log(out / "events.jsonl").records[-1].data["reason"] == "limit"
