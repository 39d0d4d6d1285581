"""Logs and scenario sources that are not files, or files too large to be logs: refused at once.

Each case ran into a hang or into memory exhaustion before: a FIFO given as a log or named by a log
header as its scenario, ``/dev/zero`` as a log, a 200 MB single-line note, a 56 MB header with
100,000 objectives. Every command runs in a real process here, with a timeout, so a hang fails the
test instead of stopping the suite. Then the smaller failures of the same family: a full disk
that did not name the file, ``schema --out`` a folder, report files that ignored the umask.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import drillsim.log as log_module
from drillsim.log import LogError, read_log
from drillsim.replay.source import recorded_path

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "badlogs" / "good.jsonl"
NOT_REGULAR = "is not a regular file (a pipe, socket or device)"
MEASURED = """
import sys
from drillsim.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as fh:  # this process's own peak (ru_maxrss would count the parent's too)
    print(next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")), file=sys.stderr)
sys.exit(code)
"""
"""Runs drillsim's command line and prints the process's peak resident memory in KiB on the last line."""


def drillsim(*args: str, timeout: float = 60, cwd: Path = ROOT, **kw) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "drillsim.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd, **kw)
    done.seconds = time.monotonic() - started  # type: ignore[attr-defined]
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    return done


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.jsonl"
    os.mkfifo(path)
    return path


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    """A real log of a scenario with a decision (for --verify, --branch and --baseline)."""
    out = tmp_path_factory.mktemp("rec") / "run"
    done = drillsim("run", str(ROOT / "tests" / "scenarios" / "decision.yaml"), "--out", str(out), "--no-report",
                    "--quiet", timeout=120)
    assert done.returncode == 0, done.stderr
    return out / "events.jsonl"


@pytest.mark.parametrize("command", [["report", "{}"], ["replay", "{}", "--verify"], ["compare", str(GOOD), "{}"],
                                     ["replay", "{}", "--branch", "D-1=hold"]])
def test_a_fifo_given_as_a_log_is_refused_without_waiting(fifo, command):
    done = drillsim(*[c.format(fifo) for c in command], timeout=30)
    assert done.returncode == 2
    assert done.stderr == f"{fifo}: {NOT_REGULAR}\n"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_given_as_a_log_is_refused_without_reading(device):
    done = drillsim("report", device, timeout=30)
    assert done.returncode == 2 and done.stderr == f"{device}: {NOT_REGULAR}\n"
    assert done.seconds < 20


def _with_source(recorded: Path, tmp_path: Path, source: str) -> Path:
    lines = recorded.read_bytes().split(b"\n")
    head = json.loads(lines[0])
    head["data"]["scenario"]["source"] = source
    lines[0] = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
    log = tmp_path / "events.jsonl"
    log.write_bytes(b"\n".join(lines))
    return log


@pytest.mark.parametrize("command", [["replay", "{log}", "--verify"], ["replay", "{log}", "--branch", "D-1=hold"],
                                     ["compare", "{log}", "--baseline", "1"]])
def test_a_header_naming_a_fifo_as_its_scenario_is_refused_without_waiting(recorded, tmp_path, fifo, command):
    log = _with_source(recorded, tmp_path, str(fifo))
    done = drillsim(*[c.format(log=log) for c in command], timeout=60)
    assert done.returncode == 2
    assert f"{fifo}:0:0: <document>: the scenario file {NOT_REGULAR}" in done.stderr


def test_a_fifo_given_with_scenario_is_refused_without_waiting(recorded, fifo):
    done = drillsim("replay", str(recorded), "--verify", "--scenario", str(fifo), timeout=60)
    assert done.returncode == 2 and f"the scenario file {NOT_REGULAR}" in done.stderr


def test_a_bundled_source_never_names_a_file_outside_the_bundled_folder():
    assert recorded_path({"scenario": {"source": "bundled:../../etc/passwd"}}) is None
    assert recorded_path({"scenario": {"source": "bundled:mentougou-flash-flood"}}).name == \
        "mentougou-flash-flood.yaml"


def _line_of(size: int, prefix: bytes, path: Path) -> None:
    """A line of ``size`` bytes that starts with ``prefix`` (sparse: the rest is a hole on disk)."""
    with open(path, "ab") as fh:
        fh.write(prefix)
        fh.flush()
        fh.truncate(fh.tell() + size - len(prefix) - 1)  # NUL bytes, never written
        fh.write(b"\n")


def test_a_200_mb_note_is_refused_at_its_line_quickly_and_in_little_memory(tmp_path):
    log = tmp_path / "events.jsonl"
    good = GOOD.read_bytes().split(b"\n")
    log.write_bytes(b"\n".join(good[:12]) + b"\n")
    _line_of(200 * 2**20, b'{"t":120.0,"seq":12,"kind":"note.added","actor":"facilitator","subject":null,'
                          b'"data":{"text":"', log)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", MEASURED, "report", str(log), "--out", str(tmp_path / "r")],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2
    first, peak = done.stderr.splitlines()
    assert first == f"{log}:13: <record>: the line is longer than 1 MiB, the limit for a record"
    assert time.monotonic() - started < 20 and int(peak) * 1024 < 512 * 2**20
    assert not (tmp_path / "r").exists()


def test_a_header_over_the_limit_is_refused_at_line_1(tmp_path):
    log = tmp_path / "events.jsonl"
    _line_of(65 * 2**20, b'{"t":0.0,"seq":0,"kind":"log.header","actor":"drillsim","subject":"x","data":{"x":"', log)
    with pytest.raises(LogError, match=r"events.jsonl:1: <record>: the line is longer than 64 MiB, the limit for "
                                       r"the header"):
        read_log(log)


def test_a_header_with_100000_objectives_is_refused_in_bounded_memory(tmp_path):
    good = GOOD.read_bytes().split(b"\n")
    head = json.loads(good[0])
    objective = head["data"]["definition"]["objectives"]["O1"]
    objective["text"]["en"] += " " + "the county command post coordinates the boats" * 5
    head["data"]["definition"]["objectives"] = {f"O{i}": objective for i in range(100_000)}
    log = tmp_path / "events.jsonl"
    log.write_bytes(json.dumps(head, separators=(",", ":")).encode() + b"\n" + b"\n".join(good[1:]))
    assert log.stat().st_size > 54_000_000  # about 56 MB, as reported
    done = subprocess.run([sys.executable, "-c", MEASURED, "report", str(log), "--out", str(tmp_path / "r")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 2
    first, peak = done.stderr.splitlines()
    assert first == f"{log}:1: data.definition.objectives: 100,000 objectives, over the limit of 200"
    assert int(peak) * 1024 < 2**30  # it exhausted 7.5 GB before


def test_a_log_with_more_records_than_a_run_may_write_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(log_module, "MAX_RECORDS", 5)  # the check, at a size a test can afford
    with pytest.raises(LogError, match=r"good.jsonl:7: <record>: more than 5 records, the limit for one log"):
        read_log(GOOD)


def test_compare_on_a_fifo_does_not_say_no_such_file(fifo):
    done = drillsim("compare", str(fifo), str(GOOD), timeout=30)
    assert done.returncode == 2 and "no such file" not in done.stderr and NOT_REGULAR in done.stderr


# -- writing: a full disk names its file, folders are not files, the umask is honoured --------------------


def _no_core() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))


def test_a_write_that_fails_names_the_file_it_could_not_write(tmp_path):
    out = tmp_path / "run"
    done = drillsim("run", "mentougou-flash-flood", "--out", str(out), "--quiet", preexec_fn=_no_core, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("drillsim: ") and done.stderr.rstrip().endswith(": File too large")
    named = done.stderr.removeprefix("drillsim: ").rsplit(": ", 1)[0]
    assert named.startswith(str(out)), done.stderr


def test_schema_out_a_folder_says_so_without_a_temporary_name(tmp_path):
    done = drillsim("schema", "--out", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr == f"drillsim: {tmp_path}: is a directory (give a file name)\n"
    assert list(tmp_path.iterdir()) == []


def test_report_files_honour_the_umask_like_the_log(tmp_path):
    out = tmp_path / "run"
    old = os.umask(0o077)
    try:
        done = drillsim("run", "mentougou-flash-flood", "--out", str(out), "--quiet")
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    modes = {p.name: p.stat().st_mode & 0o777 for p in out.rglob("*") if p.is_file()}
    assert modes["events.jsonl"] == 0o600
    assert set(modes.values()) == {0o600}, modes
