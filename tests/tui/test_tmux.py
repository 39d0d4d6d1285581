"""The console for real, in a terminal: tmux runs ``drillsim play``, keys are typed, the screen is read.

Skipped where tmux is not installed. Uses its own tmux server socket, so it never touches a
user's sessions, and kills only that server at the end.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.log import read_log

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """One tmux server and session for one test."""

    def __init__(self, name: str) -> None:
        self.socket = f"drillsim-test-{os.getpid()}-{name}"
        self.session = name

    def run(self, *args: str) -> str:
        # A stale COLUMNS/LINES (pytest sets them) would make the program ignore the real window size.
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        proc = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30,
                              check=True, env=env)
        return proc.stdout

    def start(self, command: str, width: int, height: int) -> None:
        self.run("-f", "/dev/null", "new-session", "-d", "-s", self.session, "-x", str(width),
                 "-y", str(height), "-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8", command)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(0.15)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30,
                       check=False)


def test_facilitator_session_in_a_real_terminal(tmp_path: Path):
    out = tmp_path / "play"
    done = tmp_path / "exit-code"
    play = shlex.join([sys.executable, "-m", "sim.cli", "play", "mentougou-flash-flood", "--out", str(out),
                       "--role", "mtg-flood-hq", "--lang", "en"])
    tmux = Tmux("play")
    tmux.start(f"{play}; echo $? > {shlex.quote(str(done))}; sleep 60", 120, 40)
    try:
        tmux.wait_for("PAUSED")
        screen = tmux.wait_for("space Run/Pause")  # the footer lists the keys (once laid out at 120×40)
        assert "Mentougou flash floods" in screen and "Beijing Flood Control HQ" in screen
        tmux.keys("n")
        tmux.wait_for("1/4 delivered")
        tmux.keys("n")
        screen = tmux.wait_for("2/4 delivered")
        assert "07:00" in screen
        tmux.keys("m")  # run to the decision: the players are asked
        screen = tmux.wait_for("Request the Armed Police now?")
        assert "Time limit 30m" in screen
        tmux.keys("1")
        tmux.wait_for("D-01: Request now")
        tmux.keys("l")  # Chinese, and back
        tmux.wait_for("已暂停")
        tmux.keys("l")
        tmux.wait_for("PAUSED")
        tmux.keys("C-c")
        tmux.wait_for("End the exercise now?")
        tmux.keys("n")
        time.sleep(0.5)
        assert "End the exercise now?" not in tmux.screen()
        tmux.keys("q")
        tmux.wait_for("End the exercise now?")
        tmux.keys("y")
        screen = tmux.wait_for("Exercise ended")
        tmux.wait_for("leave the console")
        tmux.keys("q")
        deadline = time.monotonic() + 30
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert done.read_text().strip() == "0"
        screen = tmux.screen()
        assert f"log        {out / 'events.jsonl'}" in screen
    finally:
        tmux.kill()
    data = read_log(out / "events.jsonl")
    assert data.complete and not data.torn
    made = next(r for r in data.records if r.kind == "decision.made")
    assert (made.t, made.data["option"], made.data["by"]) == (180.0, "request", "players")
    assert data.records[-1].data["reason"] == "facilitator"
