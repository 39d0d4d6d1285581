"""Faults, against a real server: a client killed or cut off, a decision pending across a drop, the server killed."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time

import pytest

from drillsim.log import read_log
from tests.serve.harness import Client, Server, controller_runs_to


def _seat_messages(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _records(messages: list[dict]) -> list[list]:
    out: list[list] = []
    for m in messages:
        if m["type"] == "records":
            if m["reset"]:
                out = []
            out.extend(m["records"])
    return out


def test_a_killed_client_leaves_the_exercise_running_and_its_seat_is_rebuilt_on_return(tmp_path):
    srv = Server(tmp_path / "run", "--speed", "3600")
    try:
        seen = tmp_path / "command.jsonl"
        proc = subprocess.Popen([sys.executable, "-m", "tests.serve.seat_process", srv.url, srv.tokens["command"],
                                 str(seen)])

        async def go():
            control = await Client.join(srv.url, srv.tokens["director"])
            await control.until(lambda: control.status)
            deadline = time.monotonic() + 30
            while not any(m["type"] == "status" for m in (_seat_messages(seen) if seen.exists() else [])):
                assert time.monotonic() < deadline
                await asyncio.sleep(0.05)
            await controller_runs_to(control, lambda: control.status["now"] >= 120)
            before = _records(_seat_messages(seen))
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            await control.until(lambda: "command" not in control.status["online"], 20, "the seat to drop")
            at_kill = control.status["now"]
            await controller_runs_to(control, lambda: control.status["now"] >= at_kill + 30)
            back = await Client.join(srv.url, srv.tokens["command"])
            await back.until(lambda: back.status and back.status["now"] >= at_kill + 30, 20, "the rebuilt seat")
            await back.until(lambda: len(back.records) > len(before), 20)
            answer = await back.request({"type": "ping"})
            return before, at_kill, back, answer

        before, at_kill, back, answer = asyncio.run(go())
    finally:
        srv.kill()
    assert at_kill >= 120 and answer["ok"]
    assert back.of("records")[0]["reset"] is True
    assert back.records[:len(before)] == before  # the screen is rebuilt from the same records, then goes on
    assert len(back.records) > len(before)
    assert "seat command from 127.0.0.1: connection lost" in srv.server_log()


def test_an_input_resent_after_a_dropped_connection_is_applied_once(tmp_path):
    srv = Server(tmp_path / "run", "--speed", "3600")
    try:
        async def go():
            control = await Client.join(srv.url, srv.tokens["director"])
            command = await Client.join(srv.url, srv.tokens["command"])
            await control.until(lambda: control.status)
            await controller_runs_to(control, lambda: "decision.opened" in command.kinds())
            await command.send({"type": "message", "id": "req-7", "text": "boats needed"})
            command.ws.transport.abort()  # the network drops: the answer is lost with the connection
            again = await Client.join(srv.url, srv.tokens["command"])
            first = await again.request({"type": "message", "id": "req-7", "text": "boats needed"})
            second = await again.request({"type": "message", "id": "req-7", "text": "boats needed"})
            return first, second

        first, second = asyncio.run(go())
        time.sleep(0.3)
        sent = [r for r in read_log(srv.log).records if r.kind == "message.sent"]
    finally:
        srv.kill()
    assert first["ok"] and second["ok"] and second["duplicate"]
    assert len(sent) == 1 and sent[0].data["text"] == "boats needed"


@pytest.mark.parametrize("outcome", ["answered after return", "timed out while away"])
def test_a_decision_pending_when_a_seat_drops_survives_or_times_out_to_its_default(tmp_path, outcome):
    srv = Server(tmp_path / "run", "--speed", "3600")
    try:
        async def go():
            control = await Client.join(srv.url, srv.tokens["director"])
            command = await Client.join(srv.url, srv.tokens["command"])
            await control.until(lambda: control.status)
            await controller_runs_to(control, lambda: "decision.opened" in command.kinds())
            opened = next(r for r in command.records if r[2] == "decision.opened")
            await command.close()
            if outcome == "timed out while away":  # the 30-minute limit passes in simulated time
                await controller_runs_to(control, lambda: control.status["now"] >= opened[5]["deadline"] + 1)
            back = await Client.join(srv.url, srv.tokens["command"])
            await back.until(lambda: back.status)
            await back.until(lambda: "decision.opened" in back.kinds())
            kinds = back.kinds()
            answer = await back.request({"type": "decide", "decision": "D-01", "option": "request"})
            return kinds, answer, back.records

        kinds, answer, records = asyncio.run(go())
        time.sleep(0.3)
        made = [r for r in read_log(srv.log).records if r.kind == "decision.made"]
    finally:
        srv.kill()
    if outcome == "answered after return":
        assert "decision.made" not in kinds and answer["ok"]
        assert made[0].data["by"] == "players" and made[0].data["option"] == "request"
    else:
        assert [r[5]["by"] for r in records if r[2] == "decision.made"] == ["default"]
        assert not answer["ok"] and "not waiting" in answer["error"]
        assert made[0].data["by"] == "default" and made[0].data["option"] == "wait"


def test_killing_the_server_leaves_an_intact_log_prefix_and_the_clients_see_it_go(tmp_path):
    srv = Server(tmp_path / "run", "--speed", "3600", "--run")
    try:
        async def go():
            watch = await Client.join(srv.url, srv.tokens["watch"])
            control = await Client.join(srv.url, srv.tokens["director"])
            await control.until(lambda: control.status)
            await controller_runs_to(control, lambda: control.status["now"] >= 200)
            await control.request({"type": "clock", "action": "run"})
            await asyncio.sleep(0.3)
            srv.proc.send_signal(signal.SIGKILL)
            await watch.until(lambda: watch.closed, 10, "the connection to close")
            return watch

        watch = asyncio.run(go())
        srv.proc.wait(10)
    finally:
        srv.kill()
    assert watch.closed.rcvd is None  # no goodbye: the server died
    data = read_log(srv.log)
    assert not data.complete and len(data.records) > 10
    proc = subprocess.run([sys.executable, "-m", "drillsim.cli", "replay", str(srv.log), "--verify"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "partial" in proc.stdout.lower()


def test_sigterm_ends_a_headless_exercise_with_scorecard_and_report(tmp_path):
    srv = Server(tmp_path / "run", "--speed", "3600", "--run", "--lang", "en", report=True)
    try:
        async def go():
            watch = await Client.join(srv.url, srv.tokens["watch"])
            await watch.until(lambda: watch.status and watch.status["now"] >= 60, 30)
            srv.proc.send_signal(signal.SIGTERM)
            await watch.until(lambda: watch.closed, 30, "the goodbye")
            return watch

        watch = asyncio.run(go())
        code = srv.proc.wait(60)
    finally:
        srv.kill()
    assert code == 0
    assert watch.of("bye")[-1]["code"] == "ended" and watch.status["end_reason"] == "interrupted"
    data = read_log(srv.log)
    assert data.complete and data.records[-1].data["reason"] == "interrupted"
    assert (srv.out / "scorecard.json").exists()
    assert "After-Action Report" in (srv.out / "report-en.md").read_text(encoding="utf-8")
    assert "ended by SIGTERM" in "\n".join(srv.lines)
