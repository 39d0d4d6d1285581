"""Crash safety of the event log: a real `drillsim run` killed with SIGKILL (or interrupted with
SIGINT) leaves a log whose readable part is exactly the start of an uninterrupted run, and the
reader drops a torn last line and says so."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drillsim.commands.common import read_run_log
from drillsim.engine import Exercise
from drillsim.log import END_KIND, HEADER_KIND, LogError, iter_records, read_log
from drillsim.scenario import load


def long_scenario(path: Path, days: int = 30) -> Path:
    """A generated scenario that writes a log of tens of MB (``days`` of flash floods, 20 boats)."""
    villages = "".join(f"  v{i:02d}: {{name: V{i}, level: village, parent: town-{i % 4}, "
                       f"location: [{116 + 0.01 * i:.2f}, {40 + 0.005 * i:.3f}]}}\n" for i in range(40))
    towns = "".join(f"  town-{j}: {{name: T{j}, level: township, parent: county}}\n" for j in range(4))
    weights = ", ".join(f"v{i:02d}: 1" for i in range(40))
    path.write_text(f"""drillsim: 1
id: long-generated
title: Long generated scenario
hazard: flood
start: 2024-07-20T00:00:00+08:00
duration: {days}d
seed: 3
regions:
  county: {{name: County, level: county, location: [116.2, 40.1]}}
{towns}{villages}agencies:
  hq: {{name: HQ, region: county, kind: command, initial_level: IV}}
teams:
  boats: {{name: Boats, kind: fire_rescue, base: county, count: 20, capabilities: [water_rescue],
          speed: 40km/h}}
reporting:
  reporters: {{delay: {{exponential: {{mean: 10m}}}}}}
  hop_delay: {{default: {{exponential: {{mean: 5m}}}}}}
  deadlines: {{township: 30m, county: 1h}}
  top: county
rescue:
  work_time: {{exponential: {{mean: 40m}}}}
generators:
  floods:
    rate: 20/h
    until: {days}d
    regions: {{{weights}}}
    incident: {{kind: flash_flood, people: {{poisson: {{mean: 2}}}}, needs: [water_rescue]}}
""", encoding="utf-8")
    return path


def drillsim() -> list[str]:
    script = Path(sys.executable).with_name("drillsim")
    return [str(script)] if script.exists() else [sys.executable, "-m", "drillsim.cli"]


def start_run(scenario: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DRILLSIM_DEBUG"}
    return subprocess.Popen([*drillsim(), "run", str(scenario), "--out", str(out), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def wait_for_bytes(proc: subprocess.Popen[bytes], log: Path, size: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be interrupted: {proc.stderr.read().decode()}")
        if log.exists() and log.stat().st_size >= size:
            return
        time.sleep(0.005)
    pytest.fail("the log never grew")


def reference_lines(scenario: Path, until: float, tmp: Path) -> list[bytes]:
    """The log of an uninterrupted in-process run of the same scenario, advanced to ``until``."""
    ref = tmp / "reference.jsonl"
    ex = Exercise(load(str(scenario)), log_path=ref)
    ex.advance(until)
    ex.log.flush()
    return ref.read_bytes().split(b"\n")


def assert_intact_prefix(log: Path, scenario: Path, tmp: Path) -> list[bytes]:
    data = read_log(log)
    assert data.header["scenario"]["id"] == "long-generated"
    assert not data.complete
    assert [r.seq for r in data.records] == list(range(1, len(data.records) + 1))
    assert any(w.startswith(f"{log}: the run did not finish") for w in data.warnings)
    raw = log.read_bytes()
    complete_lines = raw.split(b"\n")[: len(data.records) + 1]
    reference = reference_lines(scenario, data.records[-1].t + 0.01, tmp)  # t is rounded in the log
    assert complete_lines == reference[: len(complete_lines)]  # byte for byte the start of a whole run
    return complete_lines


def test_kill_9_leaves_the_start_of_the_run_intact(tmp_path):
    scenario = long_scenario(tmp_path / "long.yaml")
    out = tmp_path / "run"
    proc = start_run(scenario, out)
    wait_for_bytes(proc, out / "events.jsonl", 1_000_000)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    lines = assert_intact_prefix(out / "events.jsonl", scenario, tmp_path)
    assert len(lines) > 1000
    # nothing else under a final name: only the append-only log (and hidden temp files) may exist
    others = [p.name for p in out.iterdir() if p.name != "events.jsonl" and not p.name.startswith(".")]
    for name in others:
        json.loads((out / name).read_text(encoding="utf-8"))  # any result file present is whole


def test_ctrl_c_flushes_the_log_and_exits_130(tmp_path):
    # 90 days: the interrupt must land mid-run even when a loaded machine delays this process for
    # seconds after the log reached the size it waits for (the whole 30-day run once ended first)
    scenario = long_scenario(tmp_path / "long.yaml", days=90)
    out = tmp_path / "run"
    proc = start_run(scenario, out)
    wait_for_bytes(proc, out / "events.jsonl", 500_000)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert b"interrupted" in err
    log = out / "events.jsonl"
    assert log.read_bytes().endswith(b"\n")  # closed cleanly: no torn line
    assert not read_log(log).torn
    assert_intact_prefix(log, scenario, tmp_path)


@pytest.fixture(scope="module")
def whole_log(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("whole")
    scenario = Path(__file__).resolve().parent / "scenarios" / "one-incident.yaml"
    log = tmp / "events.jsonl"
    Exercise(load(str(scenario)), log_path=log).run()
    return log.read_bytes()


@pytest.mark.parametrize("cut", [1, 7, 100, 1000, -300, -50, -2])
def test_a_torn_last_line_is_dropped_and_reported(whole_log, tmp_path, cut):
    lines = whole_log.split(b"\n")[:-1]
    # cut inside a line (never on a boundary): the kill landed in the middle of a write
    offsets = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines) + 1)]
    at = cut if cut > 0 else len(whole_log) + cut
    at = max(offsets[1] + 1, at)
    if at in offsets:
        at += 1
    log = tmp_path / "events.jsonl"
    log.write_bytes(whole_log[:at])
    data = read_log(log)
    kept = sum(1 for o in offsets[1:] if o <= at) - 1  # whole lines after the header
    assert data.torn
    assert len(data.records) == kept
    assert [json.loads(x)["seq"] for x in lines[1: kept + 1]] == [r.seq for r in data.records]
    assert any("dropped an incomplete last line" in w for w in data.warnings)
    notes: list[str] = []
    streamed = list(iter_records(log, on_torn=notes.append))
    assert len(streamed) == kept + 1 and notes


def test_a_last_line_without_its_newline_is_kept_and_reported(whole_log, tmp_path):
    log = tmp_path / "events.jsonl"
    log.write_bytes(whole_log[:-1])
    data = read_log(log)
    assert data.torn and data.complete
    assert data.records[-1].kind == END_KIND
    assert any("has no newline" in w for w in data.warnings)


def test_commands_print_the_readers_warnings(whole_log, tmp_path):
    log = tmp_path / "events.jsonl"
    log.write_bytes(whole_log[: len(whole_log) // 2])
    stream = io.StringIO()
    data = read_run_log(log, stream)
    printed = stream.getvalue().splitlines()
    assert data.torn
    assert printed and all(line.startswith("drillsim: warning: ") for line in printed)
    assert any("dropped an incomplete last line" in line for line in printed)
    assert any("did not finish" in line for line in printed)


def test_damage_before_the_last_line_is_an_error_not_a_crash_artefact(whole_log, tmp_path):
    lines = whole_log.split(b"\n")
    lines[3] = lines[3][:20]
    log = tmp_path / "events.jsonl"
    log.write_bytes(b"\n".join(lines))
    with pytest.raises(LogError, match=r":4: <record>: not a JSON line"):
        read_log(log)
    with pytest.raises(LogError, match=r":4: <record>: not a JSON line"):
        list(iter_records(log))


def test_a_run_killed_at_once_still_has_its_header(tmp_path):
    scenario = Path(__file__).resolve().parent / "scenarios" / "one-incident.yaml"
    log = tmp_path / "events.jsonl"
    ex = Exercise(load(str(scenario)), log_path=log)  # nothing advanced, nothing closed
    first = log.read_bytes().split(b"\n")[0]
    assert json.loads(first)["kind"] == HEADER_KIND
    ex.log.close()


def test_ctrl_c_inside_an_event_stops_the_run_between_events(tmp_path):
    """SIGINT while a simpy process is half way through an event: the run stops at the next event.

    Python raises KeyboardInterrupt wherever the main thread is; inside a simpy process simpy made
    it that process's failure and went on with the instant's other events, so the log ended with
    records no uninterrupted run writes there. The engine takes the signal between events instead.
    """
    scenario = long_scenario(tmp_path / "long.yaml")
    whole = Exercise(load(str(scenario)))
    steps = [0]
    step = whole.env.step

    def counted() -> None:
        steps[0] += 1
        step()

    whole.env.step = counted  # type: ignore[method-assign]
    event_of: dict[int, int] = {}  # seq -> the simpy event that emitted it
    in_process: set[int] = set()  # seqs emitted by a simpy process (not a plain callback)
    whole.log.subscribe(lambda rec: (event_of.setdefault(rec[1], steps[0]),
                                     whole.env.active_process is not None and in_process.add(rec[1])))
    whole.advance(2000.0)
    records = whole.log.records
    # a process's record, its event goes on emitting, and another event's records are due at that instant
    candidates = [i for i in range(3000, len(records) - 2)
                  if i in in_process and event_of[i] == event_of[i + 1] and records[i][0] == records[i + 2][0]
                  and event_of[i + 2] != event_of[i]][:8]
    assert len(candidates) == 8
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in `drillsim run`
    try:
        for at in candidates:
            log = tmp_path / f"events-{at}.jsonl"
            ex = Exercise(load(str(scenario)), log_path=log)

            def interrupt_inside_an_event(rec, at=at):
                if rec[1] == records[at][1]:
                    os.kill(os.getpid(), signal.SIGINT)  # Python runs the handler at the next bytecode: in here

            ex.log.subscribe(interrupt_inside_an_event)
            with pytest.raises(KeyboardInterrupt):
                ex.run()
            ex.log.close()
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the engine put it back
            (tmp_path / str(at)).mkdir()
            lines = assert_intact_prefix(log, scenario, tmp_path / str(at))
            assert len(lines) > at
    finally:
        signal.signal(signal.SIGINT, previous)


def test_ctrl_c_while_the_header_is_written_leaves_no_log(tmp_path, monkeypatch, scenario_path):
    """A log on disk always has its header: one stopped before it leaves nothing (an old log stays whole)."""
    from drillsim.log import EventLog

    loaded = load(scenario_path("one-incident"))
    old = tmp_path / "old" / "events.jsonl"
    Exercise(loaded, seed=1, log_path=old).run()
    before = old.read_bytes()
    flush = EventLog.flush

    def interrupted(self):
        if self.header is not None and self.next_seq == 1:  # the header's own flush
            raise KeyboardInterrupt
        flush(self)

    monkeypatch.setattr(EventLog, "flush", interrupted)
    new = tmp_path / "new" / "events.jsonl"
    with pytest.raises(KeyboardInterrupt):
        Exercise(loaded, seed=2, log_path=new)
    assert not new.exists() and not list(new.parent.iterdir())
    with pytest.raises(KeyboardInterrupt):
        Exercise(loaded, seed=2, log_path=old, replace=True)
    assert old.read_bytes() == before and [p.name for p in old.parent.iterdir()] == ["events.jsonl"]
