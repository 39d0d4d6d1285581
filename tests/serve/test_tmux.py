"""One tmux session, three terminals: the facilitator's ``drillsim serve`` console and two players' ``drillsim join``.

Real processes in real terminals: keys are typed with send-keys and the screens read with
capture-pane. The facilitator runs the clock; the command group gets its decision and answers it;
the rescue group writes to control; the facilitator ends the exercise and leaves; both players'
consoles say why they stopped and give their terminal back in working order. A second test kills a
headless server under a player's console. Skipped where tmux is not installed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drillsim.log import read_log
from tests.serve.harness import SEATS, Server
from tests.tui.test_tmux import Tmux, assert_terminal_usable

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Window(Tmux):
    """One window of a shared session (``session:name``)."""

    def __init__(self, base: Tmux, name: str) -> None:
        self.socket = base.socket
        self.session = f"{base.session}:{name}"


def drillsim(*args: str) -> str:
    return shlex.join([sys.executable, "-m", "drillsim.cli", *args])


def read_address(tokens: Path, timeout: float = 60.0) -> tuple[str, dict[str, str]]:
    deadline = time.monotonic() + timeout
    while not tokens.exists():
        assert time.monotonic() < deadline, "serve never wrote its tokens"
        time.sleep(0.1)
    time.sleep(0.2)
    address, seats = "", {}
    for line in tokens.read_text().splitlines():
        if line.startswith("#   drillsim join "):
            address = line.split()[3]
        elif line and not line.startswith("#"):
            seat, _rights, _roles, token = line.split("\t")
            seats[seat] = token
    return address, seats


def test_facilitator_and_two_players_in_one_tmux_session(tmp_path: Path):
    out = tmp_path / "serve"
    seats_file = tmp_path / "seats.yaml"
    seats_file.write_text(SEATS, encoding="utf-8")
    tmux = Tmux("serve")
    control = Window(tmux, "control")
    try:
        tmux.run("-f", "/dev/null", "new-session", "-d", "-s", "serve", "-n", "control", "-x", "130", "-y", "40",
                 "-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8", "-e", "HISTFILE=/dev/null",
                 "bash --norc --noprofile -i")
        control.type("echo ready-$((1+1))")
        control.wait_for_line("ready-2")
        control.type(drillsim("serve", "mentougou-flash-flood", "--port", "0", "--out", str(out), "--seats",
                              str(seats_file), "--lang", "en", "--no-report", "--speed", "3600") + '; echo "exit=$?"')
        address, tokens = read_address(out / "tokens.txt")
        control.wait_for("PAUSED")
        players = {}
        for seat in ("command", "rescue"):
            tmux.run("new-window", "-t", "serve", "-n", seat, "bash --norc --noprofile -i")
            win = players[seat] = Window(tmux, seat)
            win.type("echo ready-$((2+2))")
            win.wait_for_line("ready-4")
            win.type(drillsim("join", address, "--token", tokens[seat], "--lang", "en", "--retry", "3")
                     + '; echo "exit=$?"')
        players["command"].wait_for("Command group")
        players["rescue"].wait_for("Rescue group")
        players["command"].wait_for("connected")
        control.keys("Space")  # the facilitator runs the clock; D-01 (the command group's) stops it
        screen = players["command"].wait_for("Request the Armed Police now?", timeout=60)
        assert "Time limit 30m" in screen
        assert "Request the Armed Police" not in players["rescue"].screen()  # not the rescue group's decision
        players["command"].keys("1")
        control.wait_for("D-01", timeout=30)
        players["rescue"].keys("m")
        players["rescue"].wait_for("Message or request to control")
        players["rescue"].run("send-keys", "-t", players["rescue"].session, "-l", "road to Qingshui blocked")
        players["rescue"].keys("Enter")
        players["rescue"].wait_for("sent to control")
        control.wait_for("road to Qingshui blocked", timeout=30)
        control.keys("e")
        control.wait_for("End the exercise now?")
        control.keys("y")
        control.wait_for("Exercise ended")
        players["command"].wait_for("ENDED", timeout=30)
        control.keys("q")
        time.sleep(0.5)
        if "exit=" not in control.screen():
            control.keys("q")  # asked once more while the scorecard is written
        assert control.wait_for_line("exit=") == "exit=0"
        for win in players.values():
            assert win.wait_for_line("exit=", timeout=30) == "exit=0"
            assert "drillsim join: the server is shutting down" in win.screen(joined=True)
            assert_terminal_usable(win)
        assert_terminal_usable(control)
    finally:
        tmux.kill()
    data = read_log(out / "events.jsonl")
    assert data.complete
    inputs = [(r.data["kind"], r.data.get("seat")) for r in data.records if r.kind == "input.received"]
    assert ("decide", "command") in inputs and ("message", "rescue") in inputs
    verify = subprocess.run([sys.executable, "-m", "drillsim.cli", "replay", str(out / "events.jsonl"), "--verify"],
                            capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.mark.slow  # the default run kills a server under protocol clients (test_faults.py) and restores
# a join terminal after the server's goodbye (above)
def test_a_player_console_exits_cleanly_when_the_server_is_killed(tmp_path: Path):
    srv = Server(tmp_path / "run", "--speed", "600", "--run")
    tmux = Tmux("killed")
    try:
        tmux.start_shell(110, 34)
        tmux.type(drillsim("join", f"127.0.0.1:{srv.port}", "--token", srv.tokens["command"], "--lang", "en",
                           "--retry", "2") + '; echo "exit=$?"')
        tmux.wait_for("connected")
        os.kill(srv.proc.pid, signal.SIGKILL)
        assert tmux.wait_for_line("exit=", timeout=30) == "exit=1"
        assert "drillsim join: lost the server at ws://127.0.0.1:" in tmux.screen(joined=True)
        assert_terminal_usable(tmux)
    finally:
        tmux.kill()
        srv.kill()
    assert read_log(srv.log).records  # an intact prefix
