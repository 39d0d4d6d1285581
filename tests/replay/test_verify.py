"""`drillsim replay LOG --verify`: byte-identical re-runs, and every way a log can fail to reproduce."""

import hashlib
import json
import shutil

import pytest

from drillsim.cli import main
from drillsim.log import LogError
from drillsim.replay.verify import verify_log
from tests.scripted import play_log

ACTIONS = [
    (50.0, {"kind": "inject", "title": "Bridge down", "message": "The west bridge collapsed", "to": ["county-hq"]}),
    (70.0, {"kind": "inject", "template": "M-2"}),
    (95.0, {"kind": "note", "text": "HQ slow to confirm the trapped count", "objective": "O-1", "rating": "S"}),
    (200.0, {"kind": "role", "agency": "county-hq", "played": False}),
    (260.0, {"kind": "note", "text": "reserve crews used well"}),
]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """A private copy of the what-if scenario (tests edit it)."""
    from tests.conftest import SCENARIOS

    d = tmp_path_factory.mktemp("scen")
    path = d / "whatif.yaml"
    shutil.copy(SCENARIOS / "whatif.yaml", path)
    return path


@pytest.fixture(scope="module")
def run_log(scenario, tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert main(["run", str(scenario), "--out", str(out), "--no-report", "-q"]) == 0
    return out / "events.jsonl"


@pytest.fixture(scope="module")
def play(scenario, tmp_path_factory):
    """A console-style log: odd slices, a decision answered by players, injects, notes, a role change, an end."""
    path = tmp_path_factory.mktemp("play") / "events.jsonl"
    return play_log(path, scenario=str(scenario), players=("county-hq",), answer=lambda key, options: "hold",
                    actions=ACTIONS, end_at=600.0)


def test_run_log_verifies(run_log, capsys):
    assert main(["replay", str(run_log), "--verify"]) == 0
    out = capsys.readouterr().out
    assert "OK: byte-identical" in out and "records are byte-identical" in out and "0 recorded input(s)" in out


def test_play_log_with_decisions_injects_notes_and_end_verifies(play, capsys):
    records = [json.loads(line) for line in play.read_text(encoding="utf-8").splitlines()]
    kinds = [r["data"].get("kind") for r in records if r["kind"] == "input.received"]
    assert {"decide", "inject", "note", "role", "end"} <= set(kinds)
    assert any(r["kind"] == "decision.made" and r["data"]["by"] == "players" for r in records)
    assert records[-1]["kind"] == "exercise.ended" and records[-1]["data"]["reason"] == "facilitator"
    assert main(["replay", str(play.parent), "--verify", "-q"]) == 0
    assert "OK: byte-identical" in capsys.readouterr().out


def _tamper(src, dst, seq, edit):
    lines = src.read_bytes().split(b"\n")
    rec = json.loads(lines[seq])
    edit(rec)
    lines[seq] = json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode()
    dst.write_bytes(b"\n".join(lines))
    return dst


def test_one_tampered_record_is_found_and_blamed_on_the_log(play, tmp_path, capsys):
    recs = [json.loads(line) for line in play.read_text(encoding="utf-8").splitlines()]
    seq = next(r["seq"] for r in recs if r["kind"] == "incident.closed")
    bad = _tamper(play, tmp_path / "events.jsonl", seq, lambda r: r["data"].update(rescued=r["data"]["rescued"] + 1))
    assert main(["replay", str(bad), "--verify"]) == 1
    out = capsys.readouterr().out
    assert f"first difference at seq {seq} (fields: data.rescued)" in out
    assert "DIFFERENT (mismatch)" in out and "edited after the run" in out
    result = verify_log(bad)
    assert result.cause == "mismatch" and result.divergence.seq == seq


def test_a_tampered_input_is_found(play, tmp_path):
    recs = [json.loads(line) for line in play.read_text(encoding="utf-8").splitlines()]
    seq = next(r["seq"] for r in recs if r["kind"] == "input.received" and r["data"].get("kind") == "decide")
    bad = _tamper(play, tmp_path / "events.jsonl", seq, lambda r: r["data"].update(option="reinforce"))
    result = verify_log(bad)
    assert not result.ok and result.divergence.seq == seq + 1  # the input re-applied as written; its effect differs
    assert "data.option" in result.divergence.fields


def test_an_input_that_no_longer_applies_is_reported(play, tmp_path):
    recs = [json.loads(line) for line in play.read_text(encoding="utf-8").splitlines()]
    seq = next(r["seq"] for r in recs if r["kind"] == "input.received" and r["data"].get("kind") == "decide")
    bad = _tamper(play, tmp_path / "events.jsonl", seq, lambda r: r["data"].update(decision="D-9"))
    result = verify_log(bad)
    assert result.cause == "input" and "no longer applies" in result.explanation and "D-9" in result.explanation


def test_changed_scenario_file_is_detected_by_hash_before_running(scenario, run_log, tmp_path, capsys, monkeypatch):
    moved = tmp_path / "whatif.yaml"
    moved.write_bytes(scenario.read_bytes().replace(b"count: 2", b"count: 3"))
    old = hashlib.sha256(scenario.read_bytes()).hexdigest()
    new = hashlib.sha256(moved.read_bytes()).hexdigest()
    import drillsim.replay.verify as verify

    monkeypatch.setattr(verify, "_run", lambda *a, **k: pytest.fail("simulated a changed scenario"))
    assert main(["replay", str(run_log), "--verify", "--scenario", str(moved)]) == 1
    out = capsys.readouterr().out
    assert "DIFFERENT (scenario)" in out and old in out and new in out and "Nothing was simulated" in out


def test_moved_scenario_file_is_accepted_by_hash(scenario, run_log, tmp_path, capsys):
    moved = tmp_path / "elsewhere.yaml"
    shutil.copy(scenario, moved)
    assert main(["replay", str(run_log), "--verify", "--scenario", str(moved), "-q"]) == 0
    assert "OK" in capsys.readouterr().out


def test_missing_scenario_file_says_how_to_point_at_it(run_log, tmp_path, capsys):
    lines = run_log.read_bytes().split(b"\n")
    header = json.loads(lines[0])
    header["data"]["scenario"]["source"] = str(tmp_path / "gone.yaml")
    lines[0] = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    log = tmp_path / "events.jsonl"
    log.write_bytes(b"\n".join(lines))
    assert main(["replay", str(log), "--verify"]) == 2
    err = capsys.readouterr().err
    assert "gone.yaml" in err and "--scenario PATH" in err and "Traceback" not in err


def test_torn_log_verifies_as_a_prefix(play, tmp_path, capsys):
    raw = play.read_bytes()
    cut = tmp_path / "events.jsonl"
    cut.write_bytes(raw[: len(raw) * 2 // 3])  # killed mid-line
    assert main(["replay", str(cut), "--verify"]) == 0
    out = capsys.readouterr().out
    assert "partial" in out and "did not finish" in out and "last line was cut" in out
    result = verify_log(cut)
    assert result.ok and result.partial and result.torn


def test_truncated_log_that_lost_a_record_in_the_middle_is_refused_where_it_lost_it(run_log, tmp_path):
    lines = run_log.read_bytes().split(b"\n")
    del lines[40]
    bad = tmp_path / "events.jsonl"
    bad.write_bytes(b"\n".join(lines))
    with pytest.raises(LogError, match=r"events.jsonl:41: seq: 41 out of order \(this line holds record 40"):
        verify_log(bad)


def test_other_version_is_named(run_log, tmp_path):
    lines = run_log.read_bytes().split(b"\n")
    header = json.loads(lines[0])
    header["data"]["drillsim"] = "0.0.9"
    lines[0] = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    old = tmp_path / "events.jsonl"
    old.write_bytes(b"\n".join(lines))
    result = verify_log(old)
    assert not result.ok and result.cause == "version" and "0.0.9" in result.explanation
    assert result.divergence.seq == 0


def test_nondeterminism_is_told_apart_from_a_bad_log(run_log, monkeypatch):
    import itertools

    import drillsim.rng as rng

    counter = itertools.count()
    real = rng.key_int
    monkeypatch.setattr(rng, "key_int", lambda part: real(part) ^ next(counter))  # a new key on every call
    result = verify_log(run_log)
    assert not result.ok and result.cause == "nondeterminism" and "not deterministic" in result.explanation


def test_bad_logs_exit_2_with_one_line(tmp_path, capsys):
    assert main(["replay", str(tmp_path / "missing.jsonl"), "--verify"]) == 2
    assert "cannot read" in capsys.readouterr().err
    junk = tmp_path / "junk.jsonl"
    junk.write_text('{"t":0}\nnot json\n{"t":1}\n')
    assert main(["replay", str(junk), "--verify"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_log_ended_by_a_simulation_error_verifies_its_prefix(scenario, tmp_path, capsys):
    """The console closes a log with finish("error") when the simulation raised: no `end` input was
    recorded, so the closing records cannot be reproduced, but everything before them must be."""
    from drillsim.engine import Exercise
    from drillsim.scenario import load

    path = tmp_path / "events.jsonl"
    ex = Exercise(load(str(scenario)), log_path=path)
    ex.advance(300.0)
    ex.finish("error")
    result = verify_log(path)
    assert result.ok and result.partial
    assert "stopped on an error" in result.explanation
    assert main(["replay", str(path), "--verify"]) == 0


@pytest.mark.parametrize("duration", ["14h", "13h20m", "7h"])
def test_a_duration_whose_slices_round_down_at_a_boundary_still_verifies(scenario, tmp_path, duration):
    """Slice boundaries that divide to just below themselves (14 h / 200) must not stall the re-run."""
    text = scenario.read_text(encoding="utf-8")
    path = tmp_path / "odd.yaml"
    path.write_text("\n".join(f"duration: {duration}" if line.startswith("duration:") else line
                              for line in text.splitlines()) + "\n", encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "run"), "--no-report", "-q"]) == 0
    assert verify_log(tmp_path / "run" / "events.jsonl").ok


def test_a_log_closed_on_an_error_verifies_up_to_its_closing_records(tmp_path):
    """The console closes a log directly when the simulation raised: ``exercise.ended`` (reason
    ``error``) after the open incidents and tasks. A re-run does not raise, so those closing records are left
    out and everything before them must match (the log is read into a compact store, not a list)."""
    from drillsim.engine import Exercise
    from drillsim.log import read_log
    from drillsim.scenario import load

    path = tmp_path / "events.jsonl"
    ex = Exercise(load("mentougou-flash-flood"), log_path=path)
    ex.advance(300.0)
    ex.finish("error")  # what the console does when the engine raised
    data = read_log(path)
    closing = [r for r in data.records if r.t == data.records[-1].t
               and r.kind in ("incident.unresolved", "task.unresolved")]
    kinds = {r.kind for r in closing}
    assert data.records[-1].data["reason"] == "error" and kinds == {"incident.unresolved", "task.unresolved"}
    result = verify_log(path)
    assert result.ok and result.partial and result.cause == "identical"
    assert result.total == len(data.records) + 1 - len(closing) - 1  # header counted, closing records not
    assert "it stopped on an error" in result.explanation
    # an edit before the closing records is still found
    lines = path.read_bytes().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if b'"kind":"incident.detected"' in line)
    lines[at] = lines[at].replace(b'"by":"reporters"', b'"by":"fallback"')
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"".join(lines))
    edited = verify_log(bad)
    assert not edited.ok and edited.cause == "mismatch" and edited.divergence.seq == at
