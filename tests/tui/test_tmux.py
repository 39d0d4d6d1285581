"""The console for real, in a terminal: tmux runs ``drillsim play``, keys are typed, the screen is read.

``drillsim play`` is started from an interactive shell in the tmux window, so after it exits the
tests can check that the terminal works again: the shell runs a command typed at its prompt, and
``stty -a`` shows the line discipline restored (``icanon``, ``echo``, ``isig``). Real signals are
sent to the real process (SIGTERM, SIGHUP, SIGKILL) and the log it leaves is read back.

Skipped where tmux is not installed. Uses its own tmux server socket, so it never touches a
user's sessions, and kills only that server at the end.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drillsim.engine import Exercise
from drillsim.log import read_log
from drillsim.scenario import load

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
                 "-y", str(height), "-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8",
                 "-e", "HISTFILE=/dev/null", command)

    def start_shell(self, width: int, height: int) -> None:
        """An interactive shell (no rc files), ready for a command."""
        self.start("bash --norc --noprofile -i", width, height)
        self.type("echo ready-$((1+1))")
        self.wait_for_line("ready-2")

    def type(self, line: str) -> None:
        """Type a command line at the shell and press Enter."""
        self.run("send-keys", "-t", self.session, "-l", line)
        self.run("send-keys", "-t", self.session, "Enter")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(0.15)

    def screen(self, joined: bool = False) -> str:
        """The visible window as text (``joined``: lines the terminal wrapped are joined back)."""
        return self.run("capture-pane", "-p", *(("-J",) if joined else ()), "-t", self.session)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def wait_for_line(self, prefix: str, timeout: float = 60.0) -> str:
        """The first screen line that starts with ``prefix`` (output, not the typed command)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            # not the typed command itself, wrapped so that its `echo "exit=$?"` starts a line
            found = [line for line in screen.splitlines() if line.startswith(prefix) and "$?" not in line]
            if found:
                return found[0]
            time.sleep(0.2)
        raise AssertionError(f"no line starting with {prefix!r}; the screen was:\n{screen}")

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30,
                       check=False)


def play_command(out: Path, *extra: str, pid_file: Path | None = None) -> str:
    """A shell line that runs ``drillsim play`` (recording its pid) and then prints ``exit=STATUS``."""
    play = shlex.join([sys.executable, "-m", "drillsim.cli", "play", "mentougou-flash-flood", "--out", str(out),
                       "--lang", "en", *extra])
    if pid_file is not None:
        play = f"bash -c {shlex.quote(f'echo $$ > {shlex.quote(str(pid_file))}; exec {play}')}"
    return f'{play}; echo "exit=$?"'


def assert_terminal_usable(tmux: Tmux) -> None:
    """The shell is back and the terminal works: a typed command runs, the line discipline is restored."""
    tmux.type("clear")
    time.sleep(0.3)
    tmux.type("echo \"modes: $(stty -a | tr -s ' ;' '\\n' | grep -xE -- '-?(icanon|echo|isig)' | tr '\\n' ' ')\"; "
              "echo ok-$((6*7))")
    tmux.wait_for_line("ok-42")
    modes = tmux.wait_for_line("modes: ").split()[1:]
    assert sorted(modes) == ["echo", "icanon", "isig"], modes
    assert "echo ok-$((6*7))" in tmux.screen(joined=True)  # what was typed is echoed
    # The terminal's own state, as tmux sees it: off the alternate screen, cursor shown, no mouse reporting.
    flags = tmux.run("display", "-p", "-t", tmux.session, "alternate=#{alternate_on} cursor=#{cursor_flag} "
                     "mouse=#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}")
    assert flags.split() == ["alternate=0", "cursor=1", "mouse=0000"], flags


def test_facilitator_session_in_a_real_terminal(tmp_path: Path):
    out = tmp_path / "play"
    tmux = Tmux("play")
    try:
        tmux.start_shell(120, 40)  # inside try: a failed start still kills the server
        tmux.type(play_command(out, "--role", "mtg-flood-hq"))
        tmux.wait_for("PAUSED")
        screen = tmux.wait_for("space Run/Pause")  # the footer lists the keys (once laid out at 120×40)
        assert "Mentougou flash floods" in screen and "Beijing Flood Control HQ" in screen
        tmux.keys("n")
        tmux.wait_for("1/6 delivered")
        tmux.keys("n")
        screen = tmux.wait_for("2/6 delivered")
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
        assert tmux.wait_for_line("exit=") == "exit=0"
        screen = tmux.screen()
        assert f"log        {out / 'events.jsonl'}" in screen
        assert_terminal_usable(tmux)
    finally:
        tmux.kill()
    data = read_log(out / "events.jsonl")
    assert data.complete and not data.torn
    made = next(r for r in data.records if r.kind == "decision.made")
    assert (made.t, made.data["option"], made.data["by"]) == (180.0, "request", "players")
    assert data.records[-1].data["reason"] == "facilitator"


def reference_log(tmp_path: Path, inputs=()) -> bytes:
    """The log of the same scenario and seed run headless (with the given inputs), from start to end."""
    out = tmp_path / "reference.jsonl"
    Exercise(load("mentougou-flash-flood"), log_path=out).run(inputs=inputs)
    return out.read_bytes()


def test_160x48_rows_are_told_apart_and_the_clock_reads_one_minute(tmp_path: Path):
    """At 160×48 open incidents read as place, number and kind, whole; the header's clock and T+ agree."""
    out = tmp_path / "play"
    tmux = Tmux("wide")
    try:
        tmux.start_shell(160, 48)
        tmux.type(play_command(out))
        tmux.wait_for("PAUSED")
        tmux.keys("m")  # runs to 09:00: three flash floods are open by then
        screen = tmux.wait_for("T+03:00")
        pane = "\n".join(line[53:106] for line in screen.splitlines()[3:20])  # the open-incidents pane
        rows = re.findall(r"(\w+ \d+ · flash flood)", pane)
        assert len(rows) >= 2 and len(set(rows)) == len(rows), screen  # whole, and all different
        assert "2023-07-31 09:00  T+03:00" in screen
        tmux.keys("e", "y")
        tmux.wait_for("writing the after-action report")
        tmux.keys("q", "q")
        assert tmux.wait_for_line("exit=", timeout=30) == "exit=0"
    finally:
        tmux.kill()


def test_60x20_notices_take_one_line(tmp_path: Path):
    out = tmp_path / "play"
    tmux = Tmux("small")
    try:
        tmux.start_shell(60, 20)
        tmux.type(play_command(out))
        tmux.wait_for("PAUSED")
        tmux.keys("n")
        tmux.wait_for("1/6 delivered")
        tmux.keys("n")
        screen = tmux.wait_for("Inject M-02")
        notices = [line for line in screen.splitlines() if "Inject M-0" in line]
        assert len(notices) == 1, screen  # the latest notice only, on one line
        assert "Teams" in screen and "Scorecard" in screen  # the panes stay in sight
        tmux.keys("C-c", "C-c")  # Ctrl-C twice ends, as the README says
        tmux.wait_for("Exercise ended")
        tmux.keys("q", "q")
        assert tmux.wait_for_line("exit=", timeout=30) == "exit=0"
    finally:
        tmux.kill()
    assert read_log(out / "events.jsonl").records[-1].data["reason"] == "facilitator"


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT", "SIGKILL"])
def test_a_signal_to_the_running_console_leaves_a_readable_log(tmp_path: Path, signame: str):
    out = tmp_path / "play"
    pid_file = tmp_path / "pid"
    tmux = Tmux(f"signal-{signame.lower()}")
    try:
        tmux.start_shell(100, 30)  # inside try: a failed start still kills the server
        tmux.type(play_command(out, "--speed", "3600", pid_file=pid_file))
        tmux.wait_for("PAUSED")
        tmux.keys("Space")
        tmux.wait_for("RUNNING")
        time.sleep(1.5)  # simulated hours pass; the log is written slice by slice
        os.kill(int(pid_file.read_text()), getattr(signal, signame))
        status = tmux.wait_for_line("exit=")
        if signame == "SIGKILL":
            # Nothing runs after SIGKILL: the screen is left as it was (the shell restores the line
            # discipline, not the alternate screen or mouse reporting); `reset; tput rmcup` brings it back.
            assert status.startswith("exit=137")
            tmux.type("reset; tput rmcup")
            assert_terminal_usable(tmux)
        else:
            assert status == "exit=130"
            assert f"drillsim play: interrupted by {signame}" in tmux.screen(joined=True)
            assert_terminal_usable(tmux)
    finally:
        tmux.kill()
    log = out / "events.jsonl"
    data = read_log(log)  # never a LogError: a torn last line is dropped
    assert data.header["scenario"]["id"] == "mentougou-flash-flood" and data.records
    if signame == "SIGKILL":
        assert not data.complete
        written = log.read_bytes()
        whole_lines = written[: written.rfind(b"\n") + 1]
        assert reference_log(tmp_path).startswith(whole_lines)  # an intact prefix of the run
    else:
        assert data.complete and not data.torn
        end = data.records[-1]
        assert end.kind == "exercise.ended" and end.data["reason"] == "interrupted" and end.t > 0
        assert data.inputs[-1].data == {"kind": "end", "reason": "interrupted"}
        assert reference_log(tmp_path, [(r.t, r.data) for r in data.inputs]) == log.read_bytes()


SLOW_REPORT_PLAY = """
import subprocess
import sys

from drillsim.cli import main
from drillsim.tui import bridge

popen = subprocess.Popen


def slow(cmd, **kwargs):  # the report takes a minute (a big exercise); same arguments, so it can be found
    return popen([cmd[0], "-c", "import time; time.sleep(60)", *cmd[3:]], **kwargs)


bridge.subprocess.Popen = slow
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_while_the_report_is_written_leaves_at_once(tmp_path: Path):
    out = tmp_path / "play"
    script = tmp_path / "slow_report_play.py"
    script.write_text(SLOW_REPORT_PLAY)
    play = shlex.join([sys.executable, str(script), "play", "mentougou-flash-flood", "--out", str(out),
                       "--lang", "en"])
    tmux = Tmux("report")
    try:
        tmux.start_shell(100, 30)  # inside try: a failed start still kills the server
        tmux.type(f'{play}; echo "exit=$?"')
        tmux.wait_for("PAUSED")
        tmux.keys("n", "n")
        tmux.wait_for("2/6 delivered")
        tmux.keys("C-c")
        tmux.wait_for("End the exercise now?")
        tmux.keys("C-c")  # a second Ctrl-C while asked ends the exercise, as the README says
        tmux.wait_for("writing the after-action report")
        report = str(out / "events.jsonl")  # on the report's command line, not on play's
        assert report in _process_table()  # the report's process runs
        tmux.keys("C-c", "C-c")  # leave, without waiting for the report
        assert tmux.wait_for_line("exit=", timeout=30) == "exit=0"
        assert f"scorecard  not written yet: drillsim report {out / 'events.jsonl'}" in tmux.screen(joined=True)
        assert_terminal_usable(tmux)
    finally:
        tmux.kill()
    data = read_log(out / "events.jsonl")
    assert data.complete and data.records[-1].data["reason"] == "facilitator"
    assert report not in _process_table()  # the report's process was stopped, not left behind


def _process_table() -> str:
    return subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True, check=False,
                          timeout=30).stdout


FAULTY_PLAY = """
import sys

from drillsim.cli import main
from drillsim.flows.rescue import Dispatcher

original = Dispatcher.enqueue


def enqueue(self, inc):
    if self.ctx.env.now >= 100:
        raise RuntimeError("injected fault in Dispatcher.enqueue")
    return original(self, inc)


Dispatcher.enqueue = enqueue
sys.exit(main(sys.argv[1:]))
"""


def test_an_internal_error_in_a_real_terminal(tmp_path: Path):
    out = tmp_path / "play"
    script = tmp_path / "faulty_play.py"
    script.write_text(FAULTY_PLAY)
    play = shlex.join([sys.executable, str(script), "play", "mentougou-flash-flood", "--out", str(out),
                       "--lang", "en", "--speed", "3600"])
    tmux = Tmux("fault")
    try:
        tmux.start_shell(100, 30)  # inside try: a failed start still kills the server
        tmux.type(f'{play}; echo "exit=$?"')
        tmux.wait_for("PAUSED")
        tmux.keys("Space")
        screen = tmux.wait_for("The exercise stopped: internal error")
        assert "RuntimeError: injected fault in Dispatcher.enqueue" in screen
        tmux.keys("Enter")  # the scorecard so far
        tmux.wait_for("stopped by an internal error")
        tmux.keys("q", "q")
        assert tmux.wait_for_line("exit=") == "exit=1"
        screen = tmux.screen(joined=True)
        assert "the exercise stopped after an internal error: RuntimeError: injected fault" in screen
        assert f"details    {out / 'error.txt'}" in screen
        assert "Traceback" not in screen  # the traceback is in error.txt, not over the terminal
        assert_terminal_usable(tmux)
    finally:
        tmux.kill()
    data = read_log(out / "events.jsonl")
    assert data.complete and data.records[-1].data["reason"] == "error"
    assert "Traceback" in (out / "error.txt").read_text()


FAULTY_VIEWER = """
import sys

from drillsim.cli import main
from drillsim.tui.replay.app import ReplayViewer


def broken(self):
    raise RuntimeError("injected fault in the viewer")


ReplayViewer.action_next_decision = broken
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "fault"])
def test_the_replay_viewer_leaves_the_terminal_usable(tmp_path: Path, signame: str):
    """SIGTERM or SIGHUP to the viewer, or a fault behind a key: exit code, one line, a working terminal."""
    log = tmp_path / "events.jsonl"
    Exercise(load("mentougou-flash-flood"), log_path=log).run()
    before = log.read_bytes()
    pid_file = tmp_path / "pid"
    if signame == "fault":
        script = tmp_path / "faulty_viewer.py"
        script.write_text(FAULTY_VIEWER)
        argv = [sys.executable, str(script), "replay", str(log), "--lang", "en"]
    else:
        argv = [sys.executable, "-m", "drillsim.cli", "replay", str(log), "--lang", "en"]
    line = f"bash -c {shlex.quote(f'echo $$ > {shlex.quote(str(pid_file))}; exec {shlex.join(argv)}')}"
    tmux = Tmux(f"viewer-{signame.lower()}")
    try:
        tmux.start_shell(160, 40)  # inside try: a failed start still kills the server
        tmux.type(f'{line}; echo "exit=$?"')
        tmux.wait_for("REPLAY")
        if signame == "fault":
            tmux.keys("m")
            assert tmux.wait_for_line("exit=") == "exit=1"
            screen = tmux.screen(joined=True)
            assert "the viewer stopped after an internal error: RuntimeError: injected fault in the viewer" in screen
            assert "Traceback" not in screen
        else:
            os.kill(int(pid_file.read_text()), getattr(signal, signame))
            assert tmux.wait_for_line("exit=") == "exit=130"
            assert f"drillsim replay: interrupted by {signame}" in tmux.screen(joined=True)
        assert_terminal_usable(tmux)
    finally:
        tmux.kill()
    assert log.read_bytes() == before  # the viewer never writes the log it shows
