"""The seat console (``drillsim join``'s app) driven by textual's Pilot against a real server process."""

from __future__ import annotations

import asyncio
import time

from drillsim.log import read_log
from drillsim.tui.screens.decision import DecisionDialog
from drillsim.tui.seat.app import SeatConsole, SeatScreen
from drillsim.tui.widgets.header import ExerciseHeader
from tests.serve.harness import Client, Server, controller_runs_to
from tests.tui.screen_text import screen_text


async def wait(pilot, predicate, timeout=90.0, what=""):  # generous: a loaded 2-core CI box
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what or predicate}"
        await pilot.pause(0.05)


def test_a_player_sees_its_decision_and_answers_it_from_the_console(tmp_path):
    srv = Server(tmp_path / "run", "--speed", "3600")
    try:
        async def go():
            control = await Client.join(srv.url, srv.tokens["director"])
            app = SeatConsole(srv.url, srv.tokens["command"], lang="en", retry=2)
            async with app.run_test(size=(140, 40)) as pilot:
                await wait(pilot, lambda: isinstance(app.screen, SeatScreen) and app.connection == "connected",
                           what="join")
                await pilot.pause(0.3)
                text = screen_text(app)
                assert "Command group" in text and "Mentougou Flood Control HQ" in text
                assert "Injects received" in text
                # a player's console offers no clock keys; space asks the server nothing
                assert app.check_action("toggle_clock", ()) is False and app.check_action("message", ()) is True
                await control.until(lambda: control.status)
                await controller_runs_to(control, lambda: any(r[2] == "decision.opened" for r in app.view.records)
                                         if app.view else False)
                await wait(pilot, lambda: isinstance(app.screen, DecisionDialog), what="the decision dialog")
                await pilot.pause(0.3)
                assert "Request the Armed Police now?" in screen_text(app)
                await pilot.press("1")
                await wait(pilot, lambda: any(r[2] == "decision.made" for r in app.view.records), what="made")
                await pilot.press("m")
                await pilot.pause(0.2)
                await pilot.press(*"boats")
                await pilot.press("enter")
                await wait(pilot, lambda: any(r[2] == "message.sent" for r in app.view.records), what="message")
                header = app.screen.query_one(ExerciseHeader)
                return header.view.now, screen_text(app)

        now, _text = asyncio.run(go())
        time.sleep(0.3)
        records = read_log(srv.log).records
    finally:
        srv.kill()
    decide = [r.data for r in records if r.kind == "input.received" and r.data["kind"] == "decide"]
    assert decide == [{"kind": "decide", "decision": "D-01", "option": "request", "by": "command", "seat": "command",
                       "role": "mtg-flood-hq"}]
    assert [r.data["text"] for r in records if r.kind == "message.sent"] == ["boats"]
    assert now >= 180


def test_a_controller_console_runs_the_clock_and_an_observer_only_watches(tmp_path):
    srv = Server(tmp_path / "run", "--speed", "600")
    try:
        async def go():
            director = SeatConsole(srv.url, srv.tokens["director"], lang="zh", retry=2)
            async with director.run_test(size=(140, 40)) as pilot:
                await wait(pilot, lambda: isinstance(director.screen, SeatScreen) and director.status is not None
                           and director.connection == "已连接")
                await pilot.pause(0.3)
                assert "导调" in screen_text(director)
                await pilot.press("space")
                await wait(pilot, lambda: director.status.running and director.status.now > 5, what="running")
                await pilot.press("space")
                await wait(pilot, lambda: not director.status.running, what="paused")
                ran_to = director.status.now
            watch = SeatConsole(srv.url, srv.tokens["watch"], lang="en", retry=2)
            async with watch.run_test(size=(140, 40)) as pilot:
                await wait(pilot, lambda: isinstance(watch.screen, SeatScreen) and watch.connection == "connected")
                await pilot.press("space")
                await pilot.pause(0.5)
                text = screen_text(watch)
                still = watch.status.now
                offered = [a for a in ("toggle_clock", "inject", "note", "decisions", "message", "request_end")
                           if watch.check_action(a, ())]
            return ran_to, still, text, offered

        ran_to, still, text, offered = asyncio.run(go())
    finally:
        srv.kill()
    assert ran_to > 5 and still == ran_to  # the observer's space did nothing
    assert "Observer" in text or "watch" in text
    assert offered == []
