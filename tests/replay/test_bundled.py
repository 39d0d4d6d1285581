"""Every bundled scenario verifies, branches at its first decision, and forks into distinct continuations."""

import dataclasses

import pytest

from drillsim.cli import main
from drillsim.log import encode, read_log
from drillsim.replay.branch import BranchSpec, check_prefix, plan_branch, run_branch
from drillsim.replay.source import load_for_log
from drillsim.replay.verify import verify_log
from drillsim.scenario.load import bundled_dir

BUNDLED = sorted(p.stem for p in bundled_dir().glob("*.yaml"))


@pytest.mark.parametrize("scenario", BUNDLED)
def test_bundled_scenario_verifies_branches_and_forks(scenario, tmp_path):
    assert main(["run", scenario, "--out", str(tmp_path), "--no-report", "-q"]) == 0
    path = tmp_path / "events.jsonl"
    assert verify_log(path).ok
    parent = read_log(path)
    loaded = load_for_log(parent.header)
    opened = next(r for r in parent.records if r.kind == "decision.opened")
    made = next(r for r in parent.records if r.kind == "decision.made" and r.subject == opened.subject)
    other = next(o for o in opened.data["options"] if o != made.data["option"])
    spec = BranchSpec(str(opened.subject), other)
    plan = plan_branch(parent, spec, "0" * 64)
    branch = run_branch(parent, loaded, plan, log_path=tmp_path / "b" / "events.jsonl")
    assert branch.made[5]["option"] == other
    # the branch holds its records as `drillsim run` does (compactly, in a store), exactly as written
    assert branch.exercise.log.records == []
    assert list(branch.log.records) == read_log(tmp_path / "b" / "events.jsonl").records
    assert verify_log(tmp_path / "b" / "events.jsonl").ok
    runs = {}
    for k in (1, 2):
        arm = dataclasses.replace(spec, option=made.data["option"], continuation=k, arm="parent")
        result = run_branch(parent, loaded, plan_branch(parent, arm, "0" * 64))
        check_prefix(parent.records, result.log.records.records(), plan.point_seq)
        runs[k] = list(result.log.records)
    after = [[encode(r) for r in runs[k][plan.point_seq + 1:]] for k in (1, 2)]
    assert after[0] != after[1]  # re-keyed continuations draw new luck


def test_generated_incidents_after_the_branch_point_differ_between_continuations(tmp_path):
    """Arrival gaps drawn ahead in blocks are dropped at a re-key, not reused by every continuation."""
    assert main(["run", "mentougou-flash-flood", "--out", str(tmp_path), "--no-report", "-q"]) == 0
    parent = read_log(tmp_path / "events.jsonl")
    loaded = load_for_log(parent.header)
    times = {}
    for k in (1, 2):
        plan = plan_branch(parent, BranchSpec("D-01", "request", continuation=k, arm="parent"), "0" * 64)
        log = run_branch(parent, loaded, plan).log
        times[k] = [r[0] for r in log.records.kind("incident.occurred") if r[1] > plan.point_seq
                    and str(r[4]).startswith("mountain-floods")]
    assert times[1] and times[2] and times[1][1:] != times[2][1:]
