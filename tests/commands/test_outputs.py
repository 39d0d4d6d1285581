"""Nothing a user made is replaced without --force; default names say what differs; derived outputs say
where they came from, and go when the log they describe is replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drillsim.cli import main
from drillsim.commands import outputs
from drillsim.replay.branch import BranchSpec, branch_dir, file_sha256
from tests.conftest import SCENARIOS

WHATIF = str(SCENARIOS / "whatif.yaml")


@pytest.fixture
def runs(tmp_path, monkeypatch):
    """Commands run in a fresh folder, so the default ``runs/`` is inside it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "runs"


def test_a_run_with_overrides_gets_its_own_folder(runs, capsys):
    assert main(["run", WHATIF, "-q", "--no-report"]) == 0
    assert main(["run", WHATIF, "-q", "--no-report", "--set", "teams.reserve.members=30"]) == 0
    folders = sorted(p.name for p in runs.iterdir())
    tag = outputs.overrides_tag([("teams.reserve.members", 30)])
    assert folders == ["whatif-42", f"whatif-42-set-{tag}"] and len(tag) == 8
    plain = json.loads((runs / "whatif-42" / "events.jsonl").read_text().splitlines()[0])["data"]
    assert plain["overrides"] == []  # the plain run was not overwritten by the run with --set


def test_a_second_run_into_the_same_folder_is_refused_without_force(runs, capsys):
    assert main(["run", WHATIF, "-q"]) == 0
    log = runs / "whatif-42" / "events.jsonl"
    before = log.read_bytes()
    capsys.readouterr()
    assert main(["run", WHATIF, "-q", "--seed", "42"]) == 2
    err = capsys.readouterr().err
    assert err == (f"drillsim: {Path('runs/whatif-42/events.jsonl')}: an event log is already here "
                   "(--force replaces it; or choose another --out)\n")  # the engine's own refusal, said first
    assert log.read_bytes() == before
    assert main(["run", WHATIF, "-q", "--force"]) == 0  # asked for: replaced (the same run: the same bytes)
    assert log.read_bytes() == before


def test_a_chinese_report_does_not_replace_the_english_one(runs, capsys):
    assert main(["run", WHATIF, "-q"]) == 0
    run = runs / "whatif-42"
    english = (run / "report-en.md").read_bytes()
    assert main(["report", str(run), "--lang", "zh", "-q"]) == 0
    assert main(["report", str(run), "--form", "gbt", "-q"]) == 0
    assert (run / "report-en.md").read_bytes() == english
    assert "核心能力分析" in (run / "report-zh.md").read_text(encoding="utf-8")
    assert "演练评估报告" in (run / "report-gbt-zh.md").read_text(encoding="utf-8")
    assert {p.name for p in run.glob("figures-*")} == {"figures-en", "figures-zh"}
    assert "(figures-zh/levels.png)" in (run / "report-zh.md").read_text(encoding="utf-8")
    assert main(["report", str(run), "-q"]) == 0  # the same report again replaces nothing: no --force needed
    derived = json.loads((run / "derived.json").read_text(encoding="utf-8"))["files"]
    sha = file_sha256(run / "events.jsonl")
    assert {f["sha256"] for f in derived["report-zh.md"]["from"]} == {sha}
    assert "figures-zh/levels.png" in derived


def test_a_report_of_another_log_is_refused_until_forced(runs, tmp_path, capsys):
    assert main(["run", WHATIF, "-q"]) == 0
    assert main(["run", WHATIF, "-q", "--seed", "7", "--out", str(tmp_path / "other")]) == 0
    run = runs / "whatif-42"
    mine = (run / "report-en.md").read_bytes()
    capsys.readouterr()
    assert main(["report", str(tmp_path / "other"), "--out", str(run), "-q"]) == 2
    err = capsys.readouterr().err
    assert str(run / "report-en.md") in err and str(run / "scorecard.json") in err
    assert (run / "report-en.md").read_bytes() == mine  # nothing written: all or none
    assert main(["report", str(tmp_path / "other"), "--out", str(run), "-q", "--force"]) == 0
    assert (run / "report-en.md").read_bytes() != mine


def test_compare_and_baseline_write_beside_the_runs_and_name_their_logs(runs, capsys):
    assert main(["run", WHATIF, "-q", "--no-report"]) == 0
    assert main(["run", WHATIF, "-q", "--no-report", "--seed", "3"]) == 0
    a, b = runs / "whatif-42", runs / "whatif-3"
    assert main(["compare", str(a), str(b), "-q"]) == 0
    out = runs / "compare-whatif-42-vs-whatif-3"
    assert (out / "compare.html").is_file() and not (a / "compare").exists()
    made = json.loads((out / "derived.json").read_text(encoding="utf-8"))["files"]["compare.json"]["from"]
    assert {m["sha256"] for m in made} == {file_sha256(a / "events.jsonl"), file_sha256(b / "events.jsonl")}
    assert main(["compare", str(a), "--baseline", "2", "-q", "--workers", "1"]) == 0
    assert (runs / "whatif-42-baseline-2" / "compare.json").is_file() and not (a / "baseline").exists()


def test_forcing_a_new_run_removes_what_was_made_from_the_old_log_and_nothing_else(runs, capsys):
    assert main(["run", WHATIF, "-q"]) == 0
    run = runs / "whatif-42"
    assert main(["report", str(run), "--lang", "zh", "-q"]) == 0
    assert main(["replay", str(run), "--branch", "D-1=hold", "-q"]) == 0
    assert main(["run", WHATIF, "-q", "--no-report", "--seed", "3"]) == 0
    assert main(["compare", str(run), str(runs / "whatif-3"), "-q"]) == 0
    (run / "my-notes.txt").write_text("the table's own notes")
    assert main(["run", WHATIF, "--seed", "5", "--out", str(run), "--force"]) == 0
    printed = capsys.readouterr().out
    assert "removed" in printed and "report-zh.md" in printed
    assert not (run / "report-zh.md").exists() and not (run / "figures-zh").exists()
    assert not (run / "branches").exists()  # the branch described the replaced log
    assert not (runs / "compare-whatif-42-vs-whatif-3").exists()  # so did the comparison beside it
    assert (run / "my-notes.txt").read_text() == "the table's own notes"  # not made from the log: kept
    assert (runs / "whatif-3" / "events.jsonl").is_file()  # the other run is untouched
    header = json.loads((run / "events.jsonl").read_text().splitlines()[0])["data"]
    assert header["seed"] == 5 and (run / "report-en.md").is_file()


def test_a_branch_is_not_rewritten_without_force_and_the_viewer_never_overwrites_one(runs, capsys):
    assert main(["run", WHATIF, "-q", "--no-report"]) == 0
    run = runs / "whatif-42"
    assert main(["replay", str(run), "--branch", "D-1=hold", "-q", "--no-report"]) == 0
    capsys.readouterr()
    assert main(["replay", str(run), "--branch", "D-1=hold", "-q", "--no-report"]) == 2
    assert "a branch log is already here" in capsys.readouterr().err
    spec = BranchSpec("D-1", "hold", None, None, "keep", 0)
    parent = run / "events.jsonl"
    assert branch_dir(parent, spec, file_sha256(parent)) == (run / "branches" / "D-1=hold", True)  # reopened
    assert branch_dir(parent, spec, "0" * 64) == (run / "branches" / "D-1=hold-2", False)  # another parent's
