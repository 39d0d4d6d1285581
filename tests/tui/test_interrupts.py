"""Ctrl-C at any moment (with Pilot): over every dialog, twice in a row, and while the report is written.

Each time the facilitator is asked first; the answer "carry on" leaves everything as it was; "end"
closes a complete log; and leaving never waits for a report still being written.
"""

from __future__ import annotations

import signal
import subprocess
import time

import pytest

from drillsim.log import read_log
from drillsim.tui.screens.confirm import ConfirmEnd
from drillsim.tui.screens.decision import DecisionDialog
from drillsim.tui.screens.end import EndScreen
from drillsim.tui.screens.inject import InjectDialog
from drillsim.tui.screens.inject_detail import InjectDetail
from drillsim.tui.screens.note import NoteDialog
from drillsim.tui.screens.roles import RolesDialog
from tests.tui.conftest import make_app, wait_until
from tests.tui.screen_text import screen_text


def confirmations(app) -> int:
    return sum(isinstance(s, ConfirmEnd) for s in app.screen_stack)


def test_ctrl_c_over_a_decision_asks_once_and_carrying_on_keeps_the_decision(run_async, tmp_path):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(players=("mtg-flood-hq",), log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("m")
            await wait_until(pilot, lambda: isinstance(app.screen, DecisionDialog))
            await pilot.press("ctrl+c")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd))
            assert confirmations(app) == 1 and not app.driver.ended
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, DecisionDialog))
            assert [d.key for d in app.view.pending] == ["D-01"]  # the question to the players is intact
            await pilot.press("ctrl+c")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd))
            await pilot.press("ctrl+c")  # Ctrl-C twice ends, as the README says (the second answers the question)
            await wait_until(pilot, lambda: isinstance(app.screen, EndScreen))
            assert not any(isinstance(s, (ConfirmEnd, DecisionDialog)) for s in app.screen_stack)
            await pilot.press("ctrl+c", "ctrl+c")  # leave, without waiting for the report

    run_async(go())
    data = read_log(log)
    assert data.complete and not data.torn
    assert data.records[-1].t == 180.0 and data.records[-1].data["reason"] == "facilitator"
    assert not [r for r in data.records if r.kind == "decision.made"]


@pytest.mark.parametrize(("key", "dialog"), [("i", InjectDialog), ("o", NoteDialog), ("r", RolesDialog)])
def test_ctrl_c_over_a_dialog_ends_without_logging_the_half_filled_dialog(run_async, tmp_path, key, dialog):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("n")
            await wait_until(pilot, lambda: not app.clock.active and app.view.injects["M-01"].delivered_at is not None)
            await pilot.press(key)
            await wait_until(pilot, lambda: isinstance(app.screen, dialog))
            await pilot.press("tab", *"half")
            await pilot.press("ctrl+c")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd))
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, EndScreen))
            await pilot.press("q", "q")

    run_async(go())
    data = read_log(log)
    assert data.complete
    assert [r.data for r in data.inputs] == [{"kind": "end", "reason": "facilitator"}]


def test_ctrl_c_over_the_inject_text_and_the_palette(run_async, tmp_path):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("n")
            await wait_until(pilot, lambda: not app.clock.active and app.view.injects["M-01"].delivered_at is not None)
            app.action_show_inject("M-01")
            await wait_until(pilot, lambda: isinstance(app.screen, InjectDetail))
            await pilot.press("ctrl+c")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd))
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, InjectDetail))
            await pilot.press("escape", "ctrl+p")  # the command palette
            await pilot.pause(0.3)
            await pilot.press("ctrl+c")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd))
            await pilot.press("ctrl+p")  # the palette over the question, and Ctrl-C again: that ends it
            await pilot.pause(0.3)
            await pilot.press("ctrl+c")
            await wait_until(pilot, lambda: isinstance(app.screen, EndScreen))
            assert confirmations(app) == 0
            await pilot.press("q", "q")

    run_async(go())
    assert read_log(log).complete


def test_the_clock_holds_while_the_end_question_is_open(run_async, tmp_path):
    async def go():
        app = make_app(speed=3600)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("space")
            await wait_until(pilot, lambda: app.driver.now > 30)
            await pilot.press("ctrl+c")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd))
            held = app.driver.now
            await pilot.pause(0.5)
            assert app.driver.now == held and not app.clock.active
            await pilot.press("n")  # carry on: running again, at the same speed
            await wait_until(pilot, lambda: app.driver.now > held, what="the clock to run again")
            assert app.clock.running and app.clock.speed == 3600
            await pilot.press("space")
            await wait_until(pilot, lambda: not app.clock.active, what="the pause")
            # the next inject from here (M-02 at 60 min, unless a slow machine ran the clock past it)
            target = app.view.next_inject_time(after=app.driver.now)
            assert target is not None
            await pilot.press("n")  # run to the next inject, interrupted by the question, then resumed
            await pilot.press("ctrl+c")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd))
            await pilot.press("escape")
            await wait_until(pilot, lambda: not app.clock.active and app.driver.now == target,
                             what="the run to the next inject to finish")
            assert "PAUSED" in screen_text(app)

    run_async(go())


@pytest.fixture
def slow_report(monkeypatch):
    """The report's child process takes a minute (a big exercise): it sleeps, with the report's arguments."""
    from drillsim.tui import bridge

    popen = subprocess.Popen

    def slow(cmd, **kwargs):
        return popen([cmd[0], "-c", "import time; time.sleep(60)", *cmd[3:]], **kwargs)

    monkeypatch.setattr(bridge.subprocess, "Popen", slow)


def test_leaving_while_the_report_is_written_stops_it_and_keeps_the_log(run_async, tmp_path, slow_report):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("n", "n")
            await wait_until(pilot, lambda: app.driver.now == 60.0 and not app.clock.active)
            await pilot.press("ctrl+c", "y")
            await wait_until(pilot, lambda: isinstance(app.screen, EndScreen) and app._report_proc is not None)
            await pilot.press("ctrl+c")
            await pilot.pause(0.2)
            notices = [n.message for n in app._notifications]
            assert any("press q (or Ctrl+C) again to leave without it" in m for m in notices)
            assert isinstance(app.screen, EndScreen) and app.files is None  # still writing
            left = time.monotonic()
            await pilot.press("ctrl+c")
        return app, time.monotonic() - left

    app, seconds = run_async(go())
    assert seconds < 30  # did not wait for the minute-long report
    assert app._report_proc.returncode == -signal.SIGTERM  # its process was stopped
    data = read_log(log)
    assert data.complete and data.records[-1].data["reason"] == "facilitator"
    assert not (tmp_path / "report-en.md").exists()
