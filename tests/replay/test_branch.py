"""What-if branches: one decision changed, everything before the branch point identical, replayable."""

import hashlib
import json

import pytest

from drillsim.cli import main
from drillsim.log import read_log
from drillsim.replay.branch import BranchError, BranchSpec, plan_branch, run_branch
from drillsim.replay.source import load_for_log
from drillsim.replay.verify import verify_log
from tests.conftest import SCENARIOS
from tests.scripted import play_log

WHATIF = str(SCENARIOS / "whatif.yaml")


def lines(path):
    return path.read_bytes().split(b"\n")


def records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_same_before_point(parent, branch):
    """The branch's records before its declared branch point are byte-identical to the parent's."""
    header = records(branch)[0]["data"]
    point = header["branch_point"]["seq"]
    a, b = lines(parent), lines(branch)
    assert point > 1
    assert a[1:point] == b[1:point]
    assert a[point] != b[point]  # and it does part there
    assert header["branch_of"]["sha256"] == hashlib.sha256(parent.read_bytes()).hexdigest()
    return point


@pytest.fixture(scope="module")
def run_log(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert main(["run", WHATIF, "--out", str(out), "--no-report", "-q"]) == 0
    return out / "events.jsonl"


@pytest.fixture(scope="module")
def play(tmp_path_factory):
    path = tmp_path_factory.mktemp("play") / "events.jsonl"
    actions = [(60.0, {"kind": "note", "text": "early note", "objective": "O-2"}),
               (150.0, {"kind": "inject", "template": "M-2"}),
               (160.0, {"kind": "note", "text": "comment on the parent's events"})]
    return play_log(path, scenario=WHATIF, players=("county-hq",), answer=lambda key, options: "hold",
                    actions=actions)


@pytest.fixture(scope="module")
def timed_out(tmp_path_factory):
    path = tmp_path_factory.mktemp("timeout") / "events.jsonl"
    return play_log(path, scenario=WHATIF, players=("county-hq",), answer=None)


def test_branching_a_doctrine_decision(run_log, tmp_path, capsys):
    out = tmp_path / "b"
    assert main(["replay", str(run_log), "--branch", "D-1=hold", "--out", str(out), "--no-report"]) == 0
    text = capsys.readouterr().out
    assert "case        doctrine" in text and "parent chose reinforce (doctrine" in text
    branch = out / "events.jsonl"
    assert_same_before_point(run_log, branch)
    recs = records(branch)
    made = [r for r in recs if r["kind"] == "decision.made" and r["subject"] == "D-1"]
    assert [m["data"]["option"] for m in made] == ["hold"]
    parent_made = next(r for r in records(run_log) if r["kind"] == "decision.made")
    assert made[0]["t"] == parent_made["t"]  # answered when doctrine answered in the parent
    # the role was played for this decision only, then handed back to doctrine
    roles = [r["data"]["played"] for r in recs if r["kind"] == "role.changed"]
    assert roles == [True, False]
    # what the choice changed: no reserve crews, fewer dispatches
    assert not any(r["kind"] == "team.activated" for r in recs)
    assert any(r["kind"] == "team.activated" for r in records(run_log))
    assert main(["replay", str(branch), "--verify", "-q"]) == 0


def test_branching_a_players_answer_replaces_it_and_keeps_later_inputs(play, tmp_path, capsys):
    out = tmp_path / "b"
    assert main(["replay", str(play), "--branch", "D-1=reinforce", "--out", str(out), "--no-report"]) == 0
    text = capsys.readouterr().out
    assert "case        players" in text and "dropped     1 later input(s) of the parent (note)" in text
    branch = out / "events.jsonl"
    point = assert_same_before_point(play, branch)
    parent_inputs = [r for r in records(play) if r["kind"] == "input.received"]
    branch_inputs = [r for r in records(branch) if r["kind"] == "input.received"]
    answer = next(r for r in parent_inputs if r["data"]["kind"] == "decide")
    assert answer["seq"] == point  # the replaced input is the branch point
    mine = next(r for r in branch_inputs if r["data"]["kind"] == "decide")
    assert mine["t"] == answer["t"] and mine["data"]["option"] == "reinforce" and mine["actor"] == "branch"
    texts = [r["data"].get("text") for r in branch_inputs if r["data"]["kind"] == "note"]
    assert texts == ["early note"]  # the later note described the parent's events
    assert any(r["data"].get("template") == "M-2" for r in branch_inputs)  # the later inject still applies
    assert verify_log(branch).ok


def test_branching_a_decision_left_to_time_out_answers_when_it_opens(timed_out, tmp_path):
    out = tmp_path / "b"
    assert main(["replay", str(timed_out), "--branch", "D-1=reinforce", "--out", str(out), "--no-report",
                 "-q"]) == 0
    branch = out / "events.jsonl"
    assert_same_before_point(timed_out, branch)
    opened = next(r for r in records(branch) if r["kind"] == "decision.opened" and r["subject"] == "D-1")
    made = next(r for r in records(branch) if r["kind"] == "decision.made" and r["subject"] == "D-1")
    assert made["data"] == {**made["data"], "option": "reinforce", "by": "players"} and made["t"] == opened["t"]
    assert records(branch)[0]["data"]["branch_point"]["case"] == "default"
    assert verify_log(branch).ok


def test_answer_at_another_time_inside_the_window(play, tmp_path):
    out = tmp_path / "b"
    assert main(["replay", str(play), "--branch", "D-1=reinforce", "--at", "T+1h50m", "--out", str(out),
                 "--no-report", "-q"]) == 0
    made = next(r for r in records(out / "events.jsonl") if r["kind"] == "decision.made" and r["subject"] == "D-1")
    assert made["t"] == 110.0 and made["data"]["option"] == "reinforce"
    assert_same_before_point(play, out / "events.jsonl")
    assert main(["replay", str(play), "--branch", "D-1=reinforce", "--at", "10:30", "--out", str(tmp_path / "c"),
                 "-q"]) == 2  # 10:30 is T+2h30, past the 30-minute limit


def test_bad_branch_requests_are_clear_errors(run_log, tmp_path, capsys):
    for args, expected in ((["--branch", "D-1=maybe"], "'maybe' is not an option of D-1 (reinforce, hold)"),
                           (["--branch", "D-1"], "is not DECISION=OPTION"),
                           (["--branch", "nope=x"], "never asked in this log"),
                           (["--branch", "D-1=hold", "--at", "25:00"], "is not a clock time"),
                           (["--at", "T+1h"], "go with --branch")):
        assert main(["replay", str(run_log), *args, "--out", str(tmp_path / "x")]) == 2, args
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err, (args, err)


def test_continuations_share_the_history_and_differ_after_it(run_log, tmp_path):
    paths = {}
    for name, k in (("c1", 1), ("c1-again", 1), ("c2", 2), ("c0", 0)):
        out = tmp_path / name
        assert main(["replay", str(run_log), "--branch", "D-1=hold", "--continuation", str(k), "--out", str(out),
                     "--no-report", "-q"]) == 0
        paths[name] = out / "events.jsonl"
    assert paths["c1"].read_bytes() == paths["c1-again"].read_bytes()  # a continuation is reproducible
    for name in ("c1", "c2", "c0"):
        assert_same_before_point(run_log, paths[name])
    c1, c2, c0 = (lines(paths[n]) for n in ("c1", "c2", "c0"))
    point = records(paths["c1"])[0]["data"]["branch_point"]["seq"]
    assert c1[point:] != c2[point:] and c1[point:] != c0[point:]
    reseeds = [r for r in records(paths["c2"]) if r["kind"] == "input.received" and r["data"]["kind"] == "reseed"]
    assert len(reseeds) == 1 and reseeds[0]["seq"] == point
    assert verify_log(paths["c2"]).ok


def test_branch_of_an_unasked_doctrine_decision(run_log, tmp_path):
    parent = records(run_log)
    trigger = next(r for r in parent if r["kind"] == "response.triggered")
    assert not any(r["kind"] == "decision.opened" and r["subject"].startswith("raise-") for r in parent)
    at = f"T+{int(trigger['t'] - 5) // 60}h{int(trigger['t'] - 5) % 60}m"
    out = tmp_path / "b"
    assert main(["replay", str(run_log), "--branch", "raise-county-hq-III=hold", "--role", "county-hq", "--at", at,
                 "--out", str(out), "--no-report", "-q"]) == 0
    branch = out / "events.jsonl"
    assert_same_before_point(run_log, branch)
    recs = records(branch)
    assert any(r["kind"] == "decision.made" and r["data"]["option"] == "hold" for r in recs)
    assert not any(r["kind"] == "level.changed" and r["data"]["to"] == "III" for r in recs)
    assert any(r["kind"] == "level.changed" and r["data"]["to"] == "III" for r in parent)
    assert verify_log(branch).ok


def test_a_branch_of_a_branch_is_replayable(run_log, tmp_path):
    first = tmp_path / "first"
    assert main(["replay", str(run_log), "--branch", "D-1=hold", "--out", str(first), "--no-report", "-q"]) == 0
    second = tmp_path / "second"
    assert main(["replay", str(first), "--branch", "D-1=reinforce", "--out", str(second), "--no-report",
                 "-q"]) == 0
    assert_same_before_point(first / "events.jsonl", second / "events.jsonl")
    assert verify_log(second / "events.jsonl").ok


def test_the_prefix_check_is_not_silent(run_log, monkeypatch):
    """If the branch ever differed before its point, run_branch refuses instead of writing a wrong claim."""
    parent = read_log(run_log)
    loaded = load_for_log(parent.header)
    plan = plan_branch(parent, BranchSpec("D-1", "hold"), "x" * 64)
    plan.point_seq += 40  # claim a later branch point than the truth
    with pytest.raises(BranchError, match="before the branch point"):
        run_branch(parent, loaded, plan)


def test_fork_and_sweep(run_log, tmp_path, capsys):
    out = tmp_path / "fork"
    assert main(["replay", str(run_log), "--branch", "D-1=hold", "--replicates", "3", "--workers", "2",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "reinforce (parent's choice)" in text and "hold (branch)" in text and "P(B better)" in text
    fork = json.loads((out / "fork.json").read_text(encoding="utf-8"))
    assert len(fork["branch"]) == 3 and len(fork["parent"]) == 3
    for k in (1, 2, 3):
        for arm in ("branch", "parent"):
            log = out / f"{arm}-{k:03d}" / "events.jsonl"
            assert_same_before_point(run_log, log)
            assert records(log)[0]["data"]["branch_point"]["continuation"] == k
    # reserve crews change outcomes: holding rescues fewer people in every pairing of continuations
    held = [o["metrics"]["rescued"] for o in fork["branch"]]
    reinforced = [o["metrics"]["rescued"] for o in fork["parent"]]
    assert max(held) < min(reinforced)
    html = (out / "compare.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "<script" not in html
    assert verify_log(out / "branch-002" / "events.jsonl").ok
