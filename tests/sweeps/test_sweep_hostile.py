"""Sweeps that must not lose or hang: one sweep per folder, nothing touched that is not the sweep's own,
designs too large to lay out, runs that kill their worker, and Dask addresses that are not a scheduler."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pandas as pd
import pytest

from drillsim.errors import InputError
from drillsim.sweeps import sweep
from drillsim.sweeps.lock import NAME as LOCK
from tests.sweeps.test_sweep_cli import LONG, TOTAL, _start, _wait_for_parts

SMALL = ["mentougou-flash-flood", "--vary", "flood-rate=1/h,2/h", "-r", "2", "-j", "1", "--no-report"]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid  # exited and reaped: no process has it now (pids are not reused this soon)


# -- one sweep per folder --------------------------------------------------------------------------------


def test_a_resume_started_while_the_sweep_runs_is_refused_and_the_sweep_completes(drillsim, tmp_path):
    out = tmp_path / "s"
    first = _start([*LONG, "--out", str(out)])
    _wait_for_parts(out, 2, first)
    held = json.loads((out / LOCK).read_text())
    assert held["pid"] == first.pid and held["host"] == socket.gethostname()
    second = drillsim("sweep", *LONG, "--out", str(out), "--resume")
    assert second.returncode == 2
    assert f"another sweep is using this folder (process {first.pid} on {socket.gethostname()}" in second.stderr
    assert "Traceback" not in second.stderr
    again = drillsim("sweep", *LONG, "--out", str(out))  # a new sweep into the same folder: refused alike
    assert again.returncode == 2 and "another sweep is using this folder" in again.stderr
    _, err = first.communicate(timeout=240)
    assert first.returncode == 0, err
    df = pd.read_parquet(out / "results.parquet")
    assert len(df) == TOTAL and df["run_id"].is_unique
    assert not (out / LOCK).exists()  # released at the end


def test_two_new_sweeps_started_together_one_runs_the_other_is_refused(tmp_path):
    out = tmp_path / "s"
    procs = [_start([*SMALL, "--out", str(out)]) for _ in range(2)]
    results = [p.communicate(timeout=240) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 2], results
    refused = next(err for p, (_, err) in zip(procs, results, strict=True) if p.returncode == 2)
    assert "another sweep is using this folder" in refused or "already holds a sweep" in refused
    df = pd.read_parquet(out / "results.parquet")
    assert len(df) == 4 and (df["status"] == "ok").all()


def test_a_stale_lock_of_a_dead_process_is_taken_over_with_a_notice(drillsim, tmp_path):
    out = tmp_path / "s"
    out.mkdir()
    dead = _dead_pid()
    (out / LOCK).write_text(json.dumps({"pid": dead, "host": socket.gethostname(), "since": "earlier"}))
    r = drillsim("sweep", *SMALL, "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert f"took over {out / LOCK}: its holder (process {dead} on {socket.gethostname()}, since earlier) is no " \
           "longer running" in r.stderr
    assert len(pd.read_parquet(out / "results.parquet")) == 4
    assert not (out / LOCK).exists()


def test_a_lock_written_on_another_host_is_not_taken_over(drillsim, tmp_path):
    out = tmp_path / "s"
    out.mkdir()
    (out / LOCK).write_text(json.dumps({"pid": 1234, "host": "node-7.cluster", "since": "2026-12-01T10:00"}))
    r = drillsim("sweep", *SMALL, "--out", str(out))
    assert r.returncode == 2
    assert "locked by a sweep on another host (process 1234 on node-7.cluster" in r.stderr
    assert f"delete {out / LOCK}" in r.stderr
    assert sorted(p.name for p in out.iterdir()) == [LOCK]  # nothing else written


# -- nothing touched that is not the sweep's own ---------------------------------------------------------------


def test_a_refused_sweep_touches_nothing_in_the_folder(drillsim, tmp_path):
    out = tmp_path / "s"
    assert drillsim("sweep", *SMALL, "--out", str(out)).returncode == 0
    mine = {".notes.tmp": b"a user's file", ".draft.1a2b3c4d.tmp": b"another program's temp file"}
    for name, data in mine.items():
        (out / name).write_bytes(data)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    r = drillsim("sweep", *SMALL, "--out", str(out))  # no --resume: refused
    assert r.returncode == 2 and "already holds a sweep" in r.stderr
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_a_refused_sweep_leaves_no_parts_folder_behind(drillsim, tmp_path):
    out = tmp_path / "s"
    out.mkdir()
    (out / "results.parquet").write_bytes(b"someone else's results")
    r = drillsim("sweep", *SMALL, "--out", str(out))
    assert r.returncode == 2 and "results here but no sweep.json" in r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["results.parquet"]


def test_resume_removes_only_the_temporaries_the_store_names(drillsim, tmp_path):
    out = tmp_path / "s"
    assert drillsim("sweep", *SMALL, "--out", str(out)).returncode == 0
    (out / "parts").mkdir(exist_ok=True)
    own = [out / ".results.parquet.k2j3x9ab.tmp", out / "parts" / ".part-000007.parquet.0a1b2c3d.tmp"]
    theirs = [out / ".notes.tmp", out / ".results.parquet.bak", out / "parts" / ".other.0a1b2c3d.tmp"]
    for p in own + theirs:
        p.write_bytes(b"x")
    r = drillsim("sweep", *SMALL, "--out", str(out), "--resume")
    assert r.returncode == 0, r.stderr
    assert not any(p.exists() for p in own)
    assert all(p.exists() for p in theirs)


# -- designs too large --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "runs"), [
    (["--vary", "flood-rate", "--design", "lhs", "--points", "1000000000000"], "1,000,000,000,000 runs"),
    (["--vary", "flood-rate", "--vary", "county-deadline", "--vary", "reporter-probability", "--vary",
      "flood-half-life", "--vary", "teams.mtg-fire.members=1:100000", "--points", "1000"],
     "1,000,000,000,000,000 runs"),
    (["--vary", "flood-rate", "--vary", "county-deadline", "--design", "sobol", "--points", "4096", "-r", "50"],
     "24,576 points × 50 replicates = 1,228,800 runs"),
])
def test_a_design_over_the_limit_is_refused_before_it_is_laid_out(drillsim, tmp_path, args, runs):
    started = time.monotonic()
    r = drillsim("sweep", "mentougou-flash-flood", *args, "--out", str(tmp_path / "s"))
    assert r.returncode == 2
    assert runs in r.stderr and "over the limit of 1,000,000 runs per sweep" in r.stderr
    assert time.monotonic() - started < 30
    assert not (tmp_path / "s").exists()


def test_values_a_results_table_cannot_hold_are_refused_where_they_are_given(drillsim, tmp_path):
    r = drillsim("sweep", "mentougou-flash-flood", "--vary", "teams.mtg-fire.members=1,1e23", "--out",
                 str(tmp_path / "s"))
    assert r.returncode == 2
    assert r.stderr.startswith("--vary:0:0: teams.mtg-fire.members: bad value for `teams.mtg-fire.members`: "
                                "1e+23 is too large")
    assert "internal error" not in r.stderr


# -- a run that kills its worker ---------------------------------------------------------------------------

CRASH = """
import os, signal, sys
import drillsim.sweeps.tasks as tasks
real = tasks._run
def crashing(loaded, job, keep_logs, t0):
    if job.point == 3:
        os.kill(os.getpid(), signal.SIGSEGV)  # what a crash in native code does to the worker
    return real(loaded, job, keep_logs, t0)
tasks._run = crashing
if __name__ == "__main__":
    from drillsim.sweeps import sweep
    df = sweep("mentougou-flash-flood", {"flood-rate": ("0.5/h", "4/h")}, points=8, replicates=3, seed=5,
               workers=2, batch=4, out=sys.argv[1], resume=sys.argv[2] == "resume")
    print(df[["run_id", "status", "error"]].to_json(orient="records"))
"""


def test_a_run_that_kills_its_worker_is_a_failed_row_and_resume_does_not_repeat_it(tmp_path):
    script = tmp_path / "crash.py"
    script.write_text(CRASH)
    out = tmp_path / "s"

    def go(mode: str) -> list[dict]:
        done = subprocess.run([sys.executable, str(script), str(out), mode], capture_output=True, text=True,
                              timeout=240)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    rows = go("new")
    assert len(rows) == 24
    failed = {r["run_id"]: r["error"] for r in rows if r["status"] != "ok"}
    assert sorted(failed) == ["p000003-r0000", "p000003-r0001", "p000003-r0002"]
    assert all(e == "the run killed its worker process (signal 11, SIGSEGV)" for e in failed.values())
    started = time.monotonic()
    assert go("resume") == rows  # nothing to run again: the killers are recorded, not retried
    assert time.monotonic() - started < 60


# -- Dask addresses that are not a scheduler ---------------------------------------------------------------


class _Dashboard(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_port():
    server = HTTPServer(("127.0.0.1", 0), _Dashboard)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def test_an_http_service_is_not_taken_for_a_scheduler(tmp_path, http_port, monkeypatch):
    pytest.importorskip("distributed")
    from drillsim.sweeps import backends

    monkeypatch.setattr(backends, "CONNECT_TIMEOUT_S", 3.0)
    out = tmp_path / "s"
    started = time.monotonic()
    with pytest.raises(InputError, match=rf"nothing at tcp://127.0.0.1:{http_port} answered as a Dask scheduler "
                                         r"within 3 s"):
        sweep("mentougou-flash-flood", {"flood-rate": ["1/h"]}, backend="dask",
              address=f"tcp://127.0.0.1:{http_port}", out=out)
    assert time.monotonic() - started < 30
    assert not out.exists()  # no sweep.json left to block the corrected command


def test_an_unknown_scheme_is_a_bad_address_not_an_internal_error(drillsim, tmp_path):
    pytest.importorskip("distributed")
    r = drillsim("sweep", *SMALL, "--backend", "dask", "--address", "gopher://example.org:70", "--out",
                 str(tmp_path / "s"))
    assert r.returncode == 2
    assert "--address:0:0: <document>: 'gopher://example.org:70' is not a Dask scheduler address" in r.stderr
    assert "internal error" not in r.stderr
    assert not (tmp_path / "s").exists()


def test_a_scheduler_without_workers_is_waited_for_with_a_message_and_a_limit(drillsim, tmp_path):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, protocol="tcp", dashboard_address=":0") as cluster:
        address = cluster.scheduler_address
        r = drillsim("sweep", *SMALL, "--backend", "dask", "--address", address, "--wait-workers", "2",
                     "--out", str(tmp_path / "s"))
    assert r.returncode == 2, r.stderr
    assert f"waiting up to 2 s for Dask workers to join {address}" in r.stderr
    assert f"the Dask scheduler at {address} has no workers (waited 2 s)" in r.stderr
    assert "worker thread" not in r.stdout  # no progress line claiming a worker
    assert not (tmp_path / "s").exists()


def test_the_lock_file_names_this_process_while_the_api_runs(tmp_path):
    seen: dict = {}
    out = tmp_path / "s"

    def peek() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "lock" not in seen:
            if (out / LOCK).exists():
                try:
                    seen["lock"] = json.loads((out / LOCK).read_text())
                except ValueError:
                    continue
            time.sleep(0.01)

    watcher = threading.Thread(target=peek)
    watcher.start()
    sweep("mentougou-flash-flood", {"flood-rate": ["1/h", "2/h"]}, replicates=20, workers=1, out=out)
    watcher.join()
    assert seen["lock"]["pid"] == os.getpid()
    assert not (out / LOCK).exists()
    assert Path(out / "results.parquet").exists()


def test_a_sweep_file_asking_for_too_many_points_is_refused_at_its_line(drillsim, tmp_path):
    spec = tmp_path / "big.sweep.yaml"
    spec.write_text("scenario: mentougou-flash-flood\ndesign: lhs\npoints: 1000000000000\nvary:\n  flood-rate:\n")
    r = drillsim("sweep", "-f", str(spec), "--out", str(tmp_path / "s"))
    assert r.returncode == 2
    assert r.stderr.startswith(f"{spec}:3:9: points: the lhs design has 1,000,000,000,000 points × 1 replicate = "
                               "1,000,000,000,000 runs, over the limit of 1,000,000 runs per sweep")
    assert not (tmp_path / "s").exists()


_HOLD = """
import fcntl, json, os, socket, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
fcntl.flock(fd, fcntl.LOCK_EX)
holder = {"pid": int(sys.argv[2]), "host": socket.gethostname(), "since": "earlier"}
os.pwrite(fd, (json.dumps(holder) + "\\n").encode(), 0)
print("held", flush=True)
time.sleep(float(sys.argv[3]))
"""


def _hold_as_orphan(path: Path, dead: int, seconds: float) -> subprocess.Popen[str]:
    """A process holding the lock whose file names ``dead``: a worker of a killed sweep, still exiting."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), str(dead), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_resume_right_after_kill_9_waits_for_the_dead_sweeps_workers_to_let_go(tmp_path):
    """After ``kill -9`` of a sweep its forked workers, which share the lock's file, may take a moment
    to exit; a resume started at once waits for them and takes the lock over, it is not refused."""
    from drillsim.sweeps.lock import FolderLock

    out = tmp_path / "s"
    out.mkdir()
    dead = _dead_pid()
    holder = _hold_as_orphan(out / LOCK, dead, 1.0)
    try:
        notices: list[str] = []
        t0 = time.monotonic()
        with FolderLock.acquire(out, notice=notices.append) as lock:
            waited = time.monotonic() - t0
            assert lock.took_over is not None and lock.took_over["pid"] == dead
        assert waited >= 0.5  # it waited for the orphan instead of being refused at once
        assert notices and f"process {dead}" in notices[0] and "no longer running" in notices[0]
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_a_dead_sweeps_process_keeps_holding_is_refused_after_the_wait(tmp_path, monkeypatch):
    from drillsim.sweeps import lock as lock_module

    monkeypatch.setattr(lock_module, "ORPHAN_WAIT_S", 0.3)
    out = tmp_path / "s"
    out.mkdir()
    dead = _dead_pid()
    holder = _hold_as_orphan(out / LOCK, dead, 30.0)
    try:
        with pytest.raises(InputError) as exc:
            lock_module.FolderLock.acquire(out)
        text = str(exc.value)
        assert f"the sweep that held this folder (process {dead}" in text
        assert "has ended, but a process it started still holds the lock after 0.3 s" in text
    finally:
        holder.kill()
        holder.wait()
