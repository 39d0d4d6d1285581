"""Nothing a user made is lost: an existing log is never emptied or truncated, whatever fails.

`run` once emptied `events.jsonl` when the header could not be written (a number beyond 64 bits
from `--set`, `--seed`, a scenario's `seed:`, a branch's `--continuation`). Now every number is
checked where it is typed, the header is checked before any file is opened, an existing log is
refused without `--force`, and with `--force` the new log replaces the old one only when complete.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drillsim.cli import main
from drillsim.engine import Exercise
from drillsim.errors import InputError
from drillsim.log import read_log
from drillsim.scenario import load

ROOT = Path(__file__).resolve().parents[2]
HUGE = "100000000000000000000"  # 10^20: beyond 64 bits


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def earlier(tmp_path, capsys) -> Path:
    """A run directory with a log, scorecard and report the user wants to keep."""
    out = tmp_path / "o2"
    assert main(["run", "mentougou-flash-flood", "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    return out


@pytest.mark.parametrize("args", [
    ["--set", f"teams.mtg-fire.members={HUGE}"],
    ["--set", f"teams.mtg-fire.members={HUGE}", "--force"],
    ["--seed", "18446744073709551616"],
    ["--seed", "18446744073709551616", "--force"],
    [],  # the same run again, without --force
])
def test_a_run_that_cannot_be_written_leaves_the_earlier_run_untouched(earlier, args, capsys):
    before = _files(earlier)
    command = ["run", "mentougou-flash-flood", "--out", str(earlier), *args]
    if "--seed" in args:  # refused by the option's own check, before anything runs
        with pytest.raises(SystemExit) as stopped:
            main(command)
        assert stopped.value.code == 2
    else:
        assert main(command) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err
    assert _files(earlier) == before


def test_the_refusals_say_why(earlier, capsys):
    assert main(["run", "mentougou-flash-flood", "--out", str(earlier)]) == 2
    assert capsys.readouterr().err == (f"drillsim: {earlier / 'events.jsonl'}: an event log is already here "
                                       "(--force replaces it; or choose another --out)\n")
    assert main(["run", "mentougou-flash-flood", "--out", str(earlier), "--force", "--set",
                 f"teams.mtg-fire.members={HUGE}"]) == 2
    assert capsys.readouterr().err == (f"--set:0:0: teams.mtg-fire.members: {HUGE} is too large for the event log "
                                       "(expected a whole number from -9223372036854775808 to 9223372036854775807)\n")
    with pytest.raises(SystemExit):
        main(["run", "mentougou-flash-flood", "--seed", "18446744073709551616"])
    assert "a seed must be at most 9223372036854775807" in capsys.readouterr().err


def test_a_seed_in_the_scenario_that_a_log_cannot_hold_is_a_located_error(tmp_path, capsys):
    text = (ROOT / "scenarios" / "mentougou-flash-flood.yaml").read_text(encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("seed:"))
    big = tmp_path / "big-seed.yaml"
    big.write_text(text.replace("\nseed: ", "\nseed: 18446744073709551616 # was ", 1), encoding="utf-8")
    assert main(["validate", str(big)]) == 2
    expected = (f"{big}:{line}:7: seed: 18446744073709551616 is too large for the event log (expected a whole "
                "number from 0 to 9223372036854775807)\n")
    assert capsys.readouterr().err == expected
    assert main(["run", str(big), "--out", str(tmp_path / "r")]) == 2
    assert capsys.readouterr().err == expected
    assert not (tmp_path / "r").exists()


def test_force_replaces_the_log_only_once_the_new_one_is_complete(earlier, capsys):
    old = (earlier / "events.jsonl").read_bytes()
    assert main(["run", "mentougou-flash-flood", "--out", str(earlier), "--seed", "9", "--force", "--quiet"]) == 0
    new = (earlier / "events.jsonl").read_bytes()
    assert new != old and read_log(earlier / "events.jsonl").header["seed"] == 9
    assert not list(earlier.glob(".events.jsonl.*.tmp"))


def test_force_killed_mid_run_keeps_the_old_log_and_the_new_prefix_aside(tmp_path):
    from tests.test_log_crash import long_scenario

    scenario = long_scenario(tmp_path / "long.yaml")
    out = tmp_path / "run"
    assert subprocess.run([sys.executable, "-m", "drillsim.cli", "run", str(scenario), "--out", str(out),
                           "--no-report", "--quiet", "--seed", "1"], cwd=ROOT, capture_output=True,
                          timeout=600).returncode == 0
    old = (out / "events.jsonl").read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "drillsim.cli", "run", str(scenario), "--out", str(out),
                             "--no-report", "--quiet", "--seed", "2", "--force"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        temps = list(out.glob(".events.jsonl.*.tmp"))
        if temps and temps[0].stat().st_size > 1_000_000:
            break
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("the replacing run wrote nothing in time")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (out / "events.jsonl").read_bytes() == old  # the old log, whole
    (temp,) = out.glob(".events.jsonl.*.tmp")
    partial = read_log(temp)  # the new run's readable prefix, set aside
    assert partial.header["seed"] == 2 and not partial.complete


def test_the_python_api_refuses_to_overwrite_a_log(tmp_path, scenario_path):
    path = tmp_path / "events.jsonl"
    loaded = load(scenario_path("one-incident"))
    Exercise(loaded, seed=1, log_path=path).run()
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="an event log is already here"):
        Exercise(loaded, seed=2, log_path=path)
    assert path.read_bytes() == before
    Exercise(loaded, seed=2, log_path=path, replace=True).run()
    assert read_log(path).header["seed"] == 2


def test_the_python_api_refuses_a_header_a_log_cannot_hold_before_opening_anything(tmp_path, scenario_path):
    path = tmp_path / "events.jsonl"
    loaded = load(scenario_path("one-incident"))
    with pytest.raises(InputError, match=r"events.jsonl:1:0: data.seed: .* does not fit in a log"):
        Exercise(loaded, seed=2**64, log_path=path)
    assert not path.exists()


def test_a_continuation_a_log_cannot_hold_is_refused_on_the_command_line(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["replay", str(tmp_path / "x.jsonl"), "--branch", "D-01=wait", "--continuation",
              "18446744073709551616"])
    assert "a continuation must be at most 9223372036854775807" in capsys.readouterr().err


def test_a_reseed_input_a_log_cannot_hold_is_refused_by_the_engine(scenario_path):
    from drillsim.engine import InputRefused

    ex = Exercise(load(scenario_path("one-incident")), seed=1)
    with pytest.raises(InputRefused, match="salt: 18446744073709551616 is not a whole number from 0"):
        ex.submit({"kind": "reseed", "salt": 2**64})
    with pytest.raises(InputRefused, match="text: 10,001 characters, over the limit of 10,000"):
        ex.submit({"kind": "note", "text": "x" * 10_001})
    with pytest.raises(InputRefused, match="title: not text"):
        ex.submit({"kind": "inject", "title": ["a", "list"]})


def test_a_branch_of_an_edited_parent_says_so_and_leaves_no_log(tmp_path, capsys):
    parent_dir = tmp_path / "parent"
    assert main(["run", str(ROOT / "tests" / "scenarios" / "decision.yaml"), "--out", str(parent_dir),
                 "--no-report", "--quiet"]) == 0
    capsys.readouterr()
    log = parent_dir / "events.jsonl"
    lines = log.read_bytes().split(b"\n")
    edited = json.loads(lines[2])
    assert edited["kind"] == "inject.delivered"
    edited["data"]["method"] = "fax"  # a plausible edit: the reader accepts it, the re-run does not agree
    lines[2] = json.dumps(edited, ensure_ascii=False, separators=(",", ":")).encode()
    log.write_bytes(b"\n".join(lines))
    out = tmp_path / "branch"
    assert main(["replay", str(log), "--branch", "D-1=hold", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "the parent log was edited at seq 2" in err
    assert "internal error" not in err and "please report" not in err
    assert not (out / "events.jsonl").exists()
    assert not list(out.glob(".*.tmp")) if out.exists() else True


def test_an_existing_branch_log_is_refused_without_force(tmp_path, capsys):
    parent_dir = tmp_path / "parent"
    assert main(["run", str(ROOT / "tests" / "scenarios" / "decision.yaml"), "--out", str(parent_dir),
                 "--no-report", "--quiet"]) == 0
    out = tmp_path / "branch"
    args = ["replay", str(parent_dir / "events.jsonl"), "--branch", "D-1=hold", "--out", str(out), "--no-report",
            "--quiet"]
    assert main(args) == 0
    first = (out / "events.jsonl").read_bytes()
    capsys.readouterr()
    assert main(args) == 2
    assert "a branch log is already here" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert (out / "events.jsonl").read_bytes() == first  # the same branch, byte for byte
