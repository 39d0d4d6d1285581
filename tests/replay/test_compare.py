"""`drillsim compare`: two runs, a run against a set, two sets, and a doctrine-only baseline."""

import json

import pytest

from drillsim.cli import main
from drillsim.replay.outcome import percentile, summary
from drillsim.replay.verify import verify_log
from tests.conftest import SCENARIOS
from tests.scripted import play_log

WHATIF = str(SCENARIOS / "whatif.yaml")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A recorded run, its branch, and a directory of three runs with other seeds."""
    root = tmp_path_factory.mktemp("runs")
    assert main(["run", WHATIF, "--out", str(root / "run"), "--no-report", "-q"]) == 0
    assert main(["replay", str(root / "run"), "--branch", "D-1=hold", "--out", str(root / "branch"),
                 "--no-report", "-q"]) == 0
    for seed in (1, 2, 3):
        assert main(["run", WHATIF, "--seed", str(seed), "--out", str(root / "seeds" / f"s{seed}"), "--no-report",
                     "-q"]) == 0
    return root


def test_two_runs_side_by_side(runs, tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", str(runs / "run"), str(runs / "branch"), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "A: run (seed 42)" in text and "B: D-1=hold" in text and "objective O-1" in text
    point = json.loads((runs / "branch" / "events.jsonl").read_text().splitlines()[0])["data"]["branch_point"]
    assert f"First divergence: seq {point['seq']}" in text
    data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert data["b"][0]["divergence"]["seq"] == point["seq"]
    a, b = data["a"][0]["outcome"], data["b"][0]["outcome"]
    assert a["metrics"]["rescued"] > b["metrics"]["rescued"]  # holding the reserve back cost lives
    html = (out / "compare.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 3 and "http" not in html.replace("http-equiv", "")
    for name in ("compare-curves", "compare-levels", "compare-scores"):
        assert (out / "figures" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "compare.md").is_file()


def test_identical_logs_say_so(runs, tmp_path, capsys):
    assert main(["compare", str(runs / "run"), str(runs / "run" / "events.jsonl"), "--no-report"]) == 0
    assert "hold the same records" in capsys.readouterr().out


def test_a_run_against_a_set(runs, tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", str(runs / "run"), str(runs / "seeds"), "--out", str(out), "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    assert "A优于B组运行的比例" in text and "B:3次" in text
    data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert len(data["b"]) == 3 and {r["outcome"]["seed"] for r in data["b"]} == {1, 2, 3}
    score_row = data["table"]["rows"][0]
    assert score_row[3].endswith("%")


def test_two_sets(runs, tmp_path, capsys):
    assert main(["compare", str(runs / "seeds"), str(runs / "seeds" / "s1"), str(runs / "seeds" / "s2"),
                 "--no-report"]) == 0
    text = capsys.readouterr().out
    assert "P(B better)" in text and "A: 3 runs" in text


def test_bad_inputs(runs, tmp_path, capsys):
    assert main(["compare", str(runs / "run")]) == 2
    assert "nothing to compare with" in capsys.readouterr().err
    assert main(["compare", str(runs / "run"), str(tmp_path / "none")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert main(["compare", str(runs / "run"), str(runs / "branch"), "--baseline", "2"]) == 2
    assert "not both" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["compare", str(runs / "run"), str(tmp_path / "empty")]) == 2
    assert "no event log" in capsys.readouterr().err


def test_baseline_places_a_played_run_among_doctrine_runs(tmp_path, capsys):
    played = play_log(tmp_path / "play" / "events.jsonl", scenario=WHATIF, players=("county-hq",),
                      answer=lambda key, options: "hold", end_at=600.0)
    out = tmp_path / "base"
    assert main(["compare", str(played), "--baseline", "4", "--workers", "2", "--keep-logs", "--out",
                 str(out)]) == 0
    text = capsys.readouterr().out
    assert "A better than … of the baseline" in text and "B: 4 runs" in text
    # the terminal says in words what the notation and the percentile mean, with this run's own numbers
    assert "median of 4 doctrine-only runs" in text and "middle 80% (10th to 90th percentile)" in text
    score_cell = next(line for line in text.splitlines() if line.startswith("overall score"))
    counts = score_cell.split("·")[1].split("  ")[0].strip()  # e.g. "3 S, 1 M"
    assert f'"{counts}" on the overall score means' in text and "rated" in text
    assert "scored better than" in text and "ties count half" in text
    data = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert [r["outcome"]["replicate"] for r in data["b"]] == [1, 2, 3, 4]
    for k in range(1, 5):
        log = out / f"doctrine-{k:03d}" / "events.jsonl"
        last = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
        assert last["kind"] == "exercise.ended" and last["t"] == 600.0  # the span the facilitator ran
        header = json.loads(log.read_text(encoding="utf-8").splitlines()[0])["data"]
        assert header["players"] == [] and header["replicate"] == k
    assert verify_log(out / "doctrine-002" / "events.jsonl").ok
    # holding the reserve back (the players' choice) puts the run at the bottom for people rescued
    rescued_row = next(r for r in data["table"]["rows"] if r[0] == "people rescued")
    assert float(rescued_row[3].rstrip("%")) <= 25


def test_scores_are_rounded_one_way_in_report_and_compare(runs, capsys):
    """One rounding rule: the scores ``report`` prints are the ones ``compare`` prints (41.67 is 42, 42.5 is 43)."""
    from drillsim.scoring.text import points

    assert [points(v) for v in (41.666, 42.5, 41.4, 0.5, 100.0, None)] == ["42", "43", "41", "1", "100", "—"]
    run = runs / "seeds" / "s1"
    assert main(["report", str(run), "--out", str(run)]) == 0
    printed = capsys.readouterr().out
    card = json.loads((run / "scorecard.json").read_text(encoding="utf-8"))
    assert f"Overall score {points(card['score'])}/100" in printed
    assert main(["compare", str(run), str(runs / "seeds" / "s2"), "--no-report"]) == 0
    lines = capsys.readouterr().out.splitlines()
    row = next(line for line in lines if line.startswith("overall score"))
    assert row.split()[2:4] == [card["rating"], points(card["score"])]  # "overall score  M 42  …"
    for obj in card["objectives"]:
        assert f"objective rating: {obj['rating']} ({points(obj['score'])}/100)" in printed
        row = next(line for line in lines if line.startswith(f"objective {obj['id']}"))
        assert row.split()[2:4] == [obj["rating"], points(obj["score"])]


def test_percentile_and_summary():
    assert percentile(5, [1, 5, 9]) == 50.0
    assert percentile(10, [1, 5, 9]) == 100.0
    assert percentile(1, [1, 5, 9], better="lower") == pytest.approx(83.3)
    assert percentile(None, [1]) is None and percentile(3, []) is None
    s = summary([1, 2, 3, 4, None])
    assert s["n"] == 4 and s["median"] == 2.5 and s["min"] == 1
