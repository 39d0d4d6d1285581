"""`drillsim run` writes scorecard.json and the report; `drillsim report LOG` rebuilds them from any log."""

import json

import pytest

from drillsim.cli import main


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert main(["run", "mentougou-flash-flood", "--out", str(out)]) == 0
    return out


def test_run_writes_scorecard_and_report(run_dir, capsys):
    for name in ("events.jsonl", "scorecard.json", "report-en.md", "report-en.html", "derived.json"):
        assert (run_dir / name).is_file(), name
    card = json.loads((run_dir / "scorecard.json").read_text(encoding="utf-8"))
    assert card["final"] is True and [o["id"] for o in card["objectives"]] == ["O-1", "O-2", "O-3"]
    assert all(t["rating"] in "PSMU" for o in card["objectives"] for t in o["tasks"])
    assert (run_dir / "figures-en" / "levels.png").stat().st_size > 1000


def test_report_rebuilds_the_same_scorecard(run_dir, tmp_path, capsys):
    assert main(["report", str(run_dir / "events.jsonl"), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "scorecard.json").read_bytes() == (run_dir / "scorecard.json").read_bytes()
    out = capsys.readouterr().out
    assert "Scorecard — Mentougou flash floods" in out and "O-2" in out and "Overall score" in out


def test_report_accepts_a_run_directory_and_the_gbt_form(run_dir, tmp_path, capsys):
    assert main(["report", str(run_dir), "--out", str(tmp_path), "--form", "gbt"]) == 0
    text = (tmp_path / "report-gbt-zh.md").read_text(encoding="utf-8")
    assert "演练评估报告" in text and "存在的问题及原因分析" in text
    assert "评估记分卡" in capsys.readouterr().out  # gbt defaults to Chinese


def test_run_no_report_skips_the_report(tmp_path, capsys):
    assert main(["run", "mentougou-flash-flood", "--out", str(tmp_path), "--no-report", "-q"]) == 0
    assert (tmp_path / "scorecard.json").is_file() and not (tmp_path / "report-en.html").exists()


def test_missing_log_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "nope.jsonl: cannot read" in err and "Traceback" not in err


def test_corrupt_log_is_a_located_error(run_dir, tmp_path, capsys):
    lines = (run_dir / "events.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "events.jsonl"
    bad.write_text("".join(lines[:5]) + "{not json\n" + "".join(lines[5:]), encoding="utf-8")
    assert main(["report", str(bad)]) == 2
    assert f"{bad}:6: <record>: not a JSON line (" in capsys.readouterr().err
    not_a_log = tmp_path / "x.jsonl"
    not_a_log.write_text('{"t":0,"seq":0,"kind":"incident.occurred","actor":null,"subject":null,"data":{}}\n')
    assert main(["report", str(not_a_log)]) == 2
    assert "not a drillsim event log" in capsys.readouterr().err


def test_bad_objectives_in_a_header_are_located(run_dir, tmp_path, capsys):
    lines = (run_dir / "events.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    head = json.loads(lines[0])
    head["data"]["definition"]["objectives"]["O-1"]["tasks"]["first-report-county"]["statistic"] = "average"
    log = tmp_path / "events.jsonl"
    log.write_text(json.dumps(head, ensure_ascii=False) + "\n" + "".join(lines[1:]), encoding="utf-8")
    assert main(["report", str(log)]) == 2
    err = capsys.readouterr().err
    assert "events.jsonl:1: data.definition.objectives.O-1.tasks.first-report-county.statistic: Input should be" in err


def test_torn_log_is_reported_so_far(run_dir, tmp_path, capsys):
    text = (run_dir / "events.jsonl").read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    log = tmp_path / "events.jsonl"
    log.write_text(cut, encoding="utf-8")
    assert main(["report", str(log), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "drillsim: warning:" in captured.err
    assert "dropped an incomplete last line" in captured.err and "did not finish" in captured.err
    card = json.loads((tmp_path / "scorecard.json").read_text(encoding="utf-8"))
    assert card["final"] is False
    assert "incomplete" in (tmp_path / "report-en.md").read_text(encoding="utf-8")
