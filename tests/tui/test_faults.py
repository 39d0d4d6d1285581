"""The console when something raises: the simulation, the view of a record, a pane, a dialog (with Pilot).

Faults are injected by monkeypatching: a doctrine flow (``Dispatcher.enqueue``) raising at a
simulated time, a view handler raising on a record kind, a pane raising while it redraws, a dialog
raising while it is built. Each time the console must stop the clock, close the log, write
``error.txt``, show the error screen, stay responsive, and let the facilitator leave.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drillsim.engine import Exercise
from drillsim.flows.decisions import DecisionFlow
from drillsim.flows.rescue import Dispatcher
from drillsim.log import read_log
from drillsim.scenario import load
from drillsim.tui import state
from drillsim.tui.app import MAX_FAULTS
from drillsim.tui.screens.decision import DecisionDialog
from drillsim.tui.screens.end import EndScreen
from drillsim.tui.screens.error import ErrorScreen
from drillsim.tui.widgets.teams import TeamsTable
from tests.tui.conftest import make_app, scenario_file, wait_until
from tests.tui.screen_text import screen_text

pytestmark = pytest.mark.usefixtures("faults_expected")

FAULT_AT = 100.0
"""Simulated minute from which the injected engine fault raises (the first dispatch after it)."""


@pytest.fixture
def enqueue_raises(monkeypatch):
    """Dispatcher.enqueue raises once the simulated clock has passed FAULT_AT."""
    original = Dispatcher.enqueue

    def enqueue(self, inc):
        if self.ctx.env.now >= FAULT_AT:
            raise RuntimeError("injected fault in Dispatcher.enqueue")
        return original(self, inc)

    monkeypatch.setattr(Dispatcher, "enqueue", enqueue)


async def error_screen(pilot, app) -> None:
    """Wait until the error screen is up and drawn."""
    await wait_until(pilot, lambda: isinstance(app.screen, ErrorScreen), what="the error screen")
    await pilot.pause(0.2)


def full_run_bytes(tmp_path: Path, inputs=()) -> bytes:
    """The log of the same scenario and seed run headless, without faults."""
    out = tmp_path / "reference.jsonl"
    Exercise(load(scenario_file("mentougou-flash-flood")), log_path=out).run(inputs=inputs)
    return out.read_bytes()


def closing_records(lines: list[bytes]) -> int:
    """How many of the last lines ``Exercise.finish`` wrote (exercise.ended, incident.unresolved, task.unresolved)."""
    n = 0
    for line in reversed(lines):
        if json.loads(line)["kind"] not in ("exercise.ended", "incident.unresolved", "task.unresolved"):
            break
        n += 1
    return n


def test_a_flow_raising_stops_the_exercise_and_leaves_a_complete_log(run_async, tmp_path, enqueue_raises,
                                                                     monkeypatch):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(6):
                await pilot.press("plus")
            await pilot.press("space")
            await error_screen(pilot, app)
            assert not app.clock.active and app.driver.ended
            stopped_at = app.driver.now
            await pilot.pause(0.3)
            assert app.driver.now == stopped_at  # the clock stopped for good
            text = screen_text(app)
            assert "The exercise stopped: internal error" in text
            assert "The simulation failed at" in text and "RuntimeError: injected fault" in text
            assert str(tmp_path / "error.txt") in text and 'ends with reason "error"' in text
            await pilot.press("space", "n", "i")  # console keys do nothing here, and nothing breaks
            assert isinstance(app.screen, ErrorScreen)
            await pilot.press("enter")  # the scorecard of what happened so far
            await wait_until(pilot, lambda: isinstance(app.screen, EndScreen))
            await wait_until(pilot, lambda: app.files is not None, timeout=180, what="the report")
            await pilot.pause(0.2)
            assert "stopped by an internal error" in screen_text(app)
            assert app.files.scorecard == str(tmp_path / "scorecard.json")
            assert all(Path(p).exists() for p in app.files.report)
            await pilot.press("q")
        assert app.return_code == 1
        assert app.failure.source == "simulation" and FAULT_AT <= app.failure.t == stopped_at

    run_async(go())
    monkeypatch.undo()  # the reference run below is without the fault
    data = read_log(log)
    assert data.complete and not data.torn
    end = data.records[-1]
    assert end.kind == "exercise.ended" and end.data["reason"] == "error"
    assert not [r for r in data.inputs if r.data["kind"] == "end"]  # finished directly, at the fault
    # Every record before the ones that close the log is what the simulation produced, byte for byte.
    lines = log.read_bytes().splitlines(keepends=True)
    before = b"".join(lines[:-closing_records(lines)])
    assert full_run_bytes(tmp_path).startswith(before)
    details = (tmp_path / "error.txt").read_text()
    assert "the simulation raised (while the clock moved)" in details
    assert "injected fault in Dispatcher.enqueue" in details and "Traceback" in details
    assert 'exercise.ended (reason "error")' in details and "seed 20230731" in details
    assert not list(tmp_path.glob(".error.txt.*"))  # written atomically: no temp file left


def test_a_value_error_inside_an_input_is_a_fault_not_a_refusal(run_async, tmp_path, monkeypatch):
    log = tmp_path / "events.jsonl"

    def choose(self, key, option):
        raise ValueError("bug while applying the choice")

    monkeypatch.setattr(DecisionFlow, "choose", choose)

    async def go():
        app = make_app(players=("mtg-flood-hq",), log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("m")
            await wait_until(pilot, lambda: isinstance(app.screen, DecisionDialog))
            await pilot.press("1")
            await error_screen(pilot, app)
            assert app.failure.source == "simulation" and app.failure.during == "input"
            assert "ValueError: bug while applying the choice" in screen_text(app)
            await pilot.press("q", "q")  # leave without waiting for the report

    run_async(go())
    data = read_log(log)
    assert data.complete and data.records[-1].data["reason"] == "error"
    # The input was logged before it raised, and the log says so.
    assert data.inputs[-1].data["kind"] == "decide" and data.records[-1].t == 180.0


def test_a_view_that_cannot_show_a_record_ends_with_a_replayable_log(run_async, tmp_path, monkeypatch):
    log = tmp_path / "events.jsonl"

    def broken(view, t, actor, subject, data):
        raise KeyError("no such pane row")

    monkeypatch.setitem(state._HANDLERS, "team.dispatched", broken)

    async def go():
        app = make_app(log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(6):
                await pilot.press("plus")
            await pilot.press("space")
            await error_screen(pilot, app)
            failure = app.failure
            assert failure.source == "display" and failure.record[2] == "team.dispatched"
            text = screen_text(app)
            assert "could not show record" in text and "team.dispatched" in text
            assert "The simulation itself was not affected" in text
            await pilot.press("ctrl+c", "ctrl+c")  # leave (the second press: without the report)
        assert app.return_code == 1

    run_async(go())
    data = read_log(log)
    assert data.complete and data.records[-1].data["reason"] == "error"
    # The engine never saw the exception (the record is logged) and the end is an input …
    assert any(r.kind == "team.dispatched" for r in data.records)
    assert data.inputs[-1].data == {"kind": "end", "reason": "error"}
    # … so the log is exactly what the scenario, seed and inputs produce: it replays byte for byte.
    assert full_run_bytes(tmp_path, [(r.t, r.data) for r in data.inputs]) == log.read_bytes()
    assert "could not show a record" in (tmp_path / "error.txt").read_text()


def test_a_pane_raising_while_it_redraws_stops_the_exercise(run_async, tmp_path, monkeypatch):
    log = tmp_path / "events.jsonl"
    original = TeamsTable.sync

    def sync(self, view, lang):
        if view.now >= 60:
            raise ZeroDivisionError("bad column width")
        original(self, view, lang)

    monkeypatch.setattr(TeamsTable, "sync", sync)

    async def go():
        app = make_app(log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("n", "n")
            await error_screen(pilot, app)
            assert app.failure.source == "console"
            assert "The console failed at" in screen_text(app)
            for size in ((60, 20), (120, 40)):  # still readable when the window is small
                await pilot.resize_terminal(*size)
                await pilot.pause(0.2)
                text = screen_text(app)
                assert len(text.splitlines()) == size[1]
                assert "internal error" in text and "ZeroDivisionError" in text and "leave the console" in text
            await pilot.press("escape")  # to the scorecard, then leave
            await wait_until(pilot, lambda: isinstance(app.screen, EndScreen))
            await pilot.press("q", "q")

    run_async(go())
    data = read_log(log)
    assert data.complete and data.records[-1].data["reason"] == "error"
    assert data.inputs[-1].data == {"kind": "end", "reason": "error"}


def test_a_dialog_raising_while_it_is_built_is_caught_by_the_last_resort(run_async, tmp_path, monkeypatch):
    """An exception textual itself catches (a screen's compose) ends in the error screen, not a traceback."""
    from drillsim.tui.screens.inject_detail import InjectDetail

    log = tmp_path / "events.jsonl"

    def body(self):
        raise AttributeError("'NoneType' object has no attribute 'get'")

    monkeypatch.setattr(InjectDetail, "body", body)

    async def go():
        app = make_app(log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("n")
            await wait_until(pilot, lambda: not app.clock.active and app.view.injects["M-01"].delivered_at is not None)
            app.action_show_inject("M-01")
            await error_screen(pilot, app)
            assert "AttributeError" in screen_text(app)
            await pilot.press("q", "q")
        assert app.return_code == 1

    run_async(go())
    data = read_log(log)
    assert data.complete and data.records[-1].data["reason"] == "error"
    assert (tmp_path / "error.txt").exists()


def test_errors_that_keep_coming_do_not_trap_the_facilitator(run_async, tmp_path):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            app.fail(RuntimeError("first"))
            await error_screen(pilot, app)
            for n in range(MAX_FAULTS - 1):
                app.fail(RuntimeError(f"again {n}"))
                await pilot.pause(0.05)
            assert isinstance(app.screen, ErrorScreen)  # still there, still usable
            app.fail(RuntimeError("one too many"))
            await pilot.pause(0.5)
        assert app.return_code == 1

    run_async(go())
    details = (tmp_path / "error.txt").read_text()
    assert "RuntimeError: first" in details and "one too many" in details
    assert f"--- error {MAX_FAULTS + 1}," in details
    assert read_log(log).complete


def test_error_file_that_cannot_be_written_is_said_on_screen(run_async, tmp_path, enqueue_raises):
    out = tmp_path / "out"
    out.mkdir()
    (out / "error.txt").mkdir()  # a directory in the way: the file cannot be written

    async def go():
        app = make_app(log_path=out / "events.jsonl", out_dir=out)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("m")
            await error_screen(pilot, app)
            assert "The details could not be written" in screen_text(app)
            await pilot.press("q", "q")

    run_async(go())
    assert read_log(out / "events.jsonl").complete


def test_a_refused_input_is_only_a_notice(run_async, tmp_path):
    async def go():
        app = make_app(log_path=tmp_path / "events.jsonl", out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            assert not app._submit({"kind": "note", "text": "   "})
            assert not app._submit({"kind": "inject", "title": "x", "to": ["nobody"]})
            await pilot.pause(0.1)
            notices = [n.message for n in app._notifications]
            assert any("Not applied: a note needs text" in m for m in notices)
            assert any("unknown recipient 'nobody'" in m for m in notices)
            assert app.failure is None and not app.driver.ended and not isinstance(app.screen, ErrorScreen)

    run_async(go())


def test_an_error_that_ends_textuals_own_loop_still_closes_the_log(run_async, tmp_path):
    """The worst case: textual exits by itself — without a traceback, with the log and error.txt written."""
    import asyncio

    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("n")
            await wait_until(pilot, lambda: not app.clock.active and app.view.injects["M-01"].delivered_at is not None)

            def broken() -> None:
                raise RuntimeError("in the app's own message loop")

            app.call_later(broken)
            for _ in range(100):
                await asyncio.sleep(0.1)
                if not app.is_running:
                    break
            assert not app.is_running
        return app

    app = run_async(go())
    assert app.failure is not None and app.failure.source == "console"
    assert app._exception is None  # handled: textual has no traceback to print
    data = read_log(log)
    assert data.complete and data.records[-1].data["reason"] == "error"
    assert "in the app's own message loop" in (tmp_path / "error.txt").read_text()
