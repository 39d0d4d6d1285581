"""Atomic result files: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from drillsim import fileio
from drillsim.fileio import atomic_write_bytes, atomic_write_text


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "scorecard.json"
    atomic_write_text(target, '{"v": 1}')
    atomic_write_text(target, '{"v": 2}')
    assert target.read_text() == '{"v": 2}'
    assert [p.name for p in target.parent.iterdir()] == ["scorecard.json"]


def test_a_failure_mid_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    atomic_write_text(target, "old")

    def broken_fsync(fd):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(fileio.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new" * 1000)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_killed_writer_never_leaves_half_a_file_under_the_final_name(tmp_path):
    """A process writing 50 MB is killed mid-way: the target is absent or whole, never partial."""
    target = tmp_path / "big.bin"
    code = ("import sys; from drillsim.fileio import atomic_write_bytes; "
            f"atomic_write_bytes({str(target)!r}, b'x' * 50_000_000); print('done', flush=True)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    # wait until the temporary file exists, then kill
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(".big.bin.") for p in tmp_path.iterdir()):
            break
        time.sleep(0.001)
    proc.kill()
    proc.wait()
    assert not target.exists() or target.stat().st_size == 50_000_000
