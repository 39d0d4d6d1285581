"""The replay viewer driven headless with textual's Pilot, as a trainer would use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drillsim.log import read_log
from drillsim.tui.replay.app import ReplayViewer
from drillsim.tui.replay.dialogs import BranchDialog, GotoDialog
from drillsim.tui.state import ExerciseView
from drillsim.tui.widgets.feed import EventFeed, FeedFilter
from drillsim.tui.widgets.incidents import IncidentsTable
from drillsim.tui.widgets.teams import TeamsTable
from tests.scripted import play_log
from tests.tui.conftest import scenario_file, wait_until
from tests.tui.screen_text import screen_text


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> Path:
    """A console-style log of the what-if scenario: the players held the reserve back."""
    path = tmp_path_factory.mktemp("viewer") / "events.jsonl"
    actions = [(130.0, {"kind": "inject", "template": "M-2"}),
               (200.0, {"kind": "note", "text": "reserve never called", "objective": "O-1", "rating": "M"})]
    return play_log(path, scenario=scenario_file("whatif"), players=("county-hq",),
                    answer=lambda key, options: "hold", actions=actions)


def viewer(path: Path, **kw) -> ReplayViewer:
    return ReplayViewer(path, read_log(path), **kw)


def fresh_view(app: ReplayViewer) -> ExerciseView:
    view = ExerciseView(app.player.header)
    view.apply_all(app.player.records[: app.player.position])
    return view


def test_opens_paused_at_the_start_and_goes_to_a_time(played, run_async):
    async def go():
        app = viewer(played)
        async with app.run_test(size=(160, 48)) as pilot:
            text = screen_text(app)
            assert "REPLAY" in text and "PAUSED" in text and "record 0/" in text
            await pilot.press("g")
            assert isinstance(app.screen, GotoDialog)
            await pilot.press(*"T+2h", "enter")
            assert app.player.now == 120.0
            assert "10:00" in screen_text(app)  # 08:00 + 2 h, the scenario's clock
            view, want = app.player.view, fresh_view(app)
            assert view.levels == want.levels and view.counts == want.counts
            assert {i.key for i in view.open_incidents()} == {i.key for i in want.open_incidents()}
            await pilot.pause(0.1)
            table = app.screen.query_one(IncidentsTable)
            shown = [str(table.coordinate_to_cell_key((r, 0)).row_key.value) for r in range(table.row_count)]
            assert shown == [i.key for i in want.open_incidents()][: len(shown)] and shown
            # a clock time on the current day, and a relative one
            await pilot.press("g", *"09:15", "enter")
            assert app.player.now == 75.0
            await pilot.press("g", *"+30m", "enter")
            assert app.player.now == 105.0
            # a bad time is explained in the dialog, which stays open
            await pilot.press("g", *"25:99", "enter")
            assert isinstance(app.screen, GotoDialog)
            assert "not a clock time" in screen_text(app)
            await pilot.press("escape")
            assert app.player.now == 105.0

    run_async(go())


def test_steps_and_jumps_between_records_decisions_and_injects(played, run_async):
    async def go():
        app = viewer(played)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("m")
            rec = app.player.current()
            assert rec.kind == "decision.opened" and rec.subject == "D-1"
            assert "1 decision(s) open" in screen_text(app)
            position = app.player.position
            await pilot.press("right")
            assert app.player.position == position + 1
            await pilot.press("left", "left")
            assert app.player.position == position - 1
            await pilot.press("n")
            assert app.player.current().kind == "inject.delivered"
            await pilot.press("N")
            assert app.player.current().kind == "inject.delivered" and app.player.current().subject == "M-1"
            await pilot.press("end")
            assert app.player.at_end and app.player.view.ended
            assert "END OF LOG" in screen_text(app)
            await pilot.press("home")
            assert app.player.position == 0
            await pilot.press("M")  # nothing before the start
            assert app.player.position == 0

    run_async(go())


def test_filter_applies_to_the_feed_and_to_stepping(played, run_async):
    async def go():
        app = viewer(played)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("f")
            app.screen.dismiss(FeedFilter(None, "decision"))
            await pilot.pause(0.1)
            kinds = []
            for _ in range(3):
                await pilot.press("right")
                kinds.append(app.player.current().kind)
            assert set(kinds) <= {"decision.opened", "decision.made"} and kinds[0] == "decision.opened"
            feed = app.screen.query_one(EventFeed)
            assert feed.filter.family == "decision"

    run_async(go())


def test_play_pause_and_speed(played, run_async):
    async def go():
        app = viewer(played, tick=0.05)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(12):
                await pilot.press("plus")
            assert app.player.speed == 14400
            await pilot.press("space")
            assert "PLAYING" in screen_text(app)
            await wait_until(pilot, lambda: app.player.now > 60, what="replay to move")
            await pilot.press("space")
            now = app.player.now
            await pilot.pause(0.3)
            assert app.player.now == now and "PAUSED" in screen_text(app)
            # the panes show the state at that moment
            want = fresh_view(app)
            table = app.screen.query_one(TeamsTable)
            assert table.row_count == len(want.teams)
            assert app.player.view.levels == want.levels

    run_async(go())


def test_scorecard_is_the_score_so_far(played, run_async):
    from drillsim.scoring import score

    async def go():
        app = viewer(played)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("g", *"T+4h", "enter")
            await wait_until(pilot, lambda: app.scored_position == app.player.position, what="scoring")
            want = score(app.player.header, app.player.records[: app.player.position], 240.0)
            assert app.score.overall == want.score
            assert [o.rating for o in app.score.objectives] == [o.rating for o in want.objectives]

    run_async(go())


def test_one_scoring_at_a_time_and_the_last_position_is_scored(played, run_async, monkeypatch):
    """Scoring in a worker reads the records so far from the store (decoding them): jumps made while
    it runs do not start more (each would hold its own decoded copy); the position shown last is
    scored when the running one is done, and its score is the score of the records applied."""
    import threading
    import time

    from drillsim.scoring import score
    from drillsim.tui import bridge
    from drillsim.tui.replay import app as app_module

    real, running, most = bridge.live_score, [0], [0]
    lock = threading.Lock()

    def slow(header, records, t):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.15)
            return real(header, records, t)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(bridge, "live_score", slow)
    monkeypatch.setattr(app_module, "SYNC_SCORING", -1.0)  # always in a worker

    async def go():
        app = viewer(played)
        async with app.run_test(size=(160, 48)) as pilot:
            for when in (60.0, 130.0, 200.0, 250.0):
                app.goto(when)
                await pilot.pause(0.02)
            await wait_until(pilot, lambda: app.scored_position == app.player.position and not app._scoring,
                             what="scoring of the last position")
            want = score(app.player.header, list(app.player.records)[: app.player.position], app.player.now)
            assert app.score.overall == want.score
            assert [o.rating for o in app.score.objectives] == [o.rating for o in want.objectives]
            assert most[0] == 1

    run_async(go())


def test_branch_from_the_viewer_and_back(played, run_async):
    async def go():
        app = viewer(played)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("b")  # no decision yet at the start
            assert not isinstance(app.screen, BranchDialog)
            await pilot.press("m", "b")
            assert isinstance(app.screen, BranchDialog)
            assert "In this log: Hold (players)" in screen_text(app)
            await pilot.press("1")  # Reinforce
            await wait_until(pilot, lambda: app.parents, timeout=30, what="the branch to open")
            header = read_log(app.opened.path).header
            assert header["branch_point"]["decision"] == "D-1" and header["branch_point"]["option"] == "reinforce"
            assert app.opened.path.parent.name == "D-1=reinforce"
            assert "D-1=reinforce" in screen_text(app)
            assert app.player.position == header["branch_point"]["seq"] - 1
            await pilot.press("m")
            await pilot.press("right", "right", "right")
            made = [r for r in app.player.records[: app.player.position] if r.kind == "decision.made"]
            assert made and made[-1].data["option"] == "reinforce"
            await pilot.press("p")
            assert not app.parents and app.opened.path == played

    run_async(go())


def test_viewer_command_needs_a_terminal(played, capsys):
    from drillsim.cli import main

    assert main(["replay", str(played)]) == 2
    assert "needs a terminal" in capsys.readouterr().err


def test_header_of_a_partial_log_is_shown(played, tmp_path, run_async):
    raw = played.read_bytes()
    cut = tmp_path / "events.jsonl"
    cut.write_bytes(raw[: len(raw) // 2])

    async def go():
        app = viewer(cut)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("end")
            assert app.player.at_end and "END OF LOG" in screen_text(app)
            assert json.loads(raw.split(b"\n")[0])["data"]["scenario"]["id"] == "whatif"

    run_async(go())


def test_a_log_from_the_real_console_verifies_and_branches(run_async, tmp_path, capsys):
    """Played in the facilitator console (decisions, an inject, a note, the end), then replayed."""
    from drillsim.cli import main
    from drillsim.tui.screens.decision import DecisionDialog
    from tests.tui.conftest import make_app

    log = tmp_path / "play" / "events.jsonl"

    async def go():
        app = make_app("whatif", players=("county-hq",), log_path=log)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(8):
                await pilot.press("plus")
            await pilot.press("space")
            await wait_until(pilot, lambda: isinstance(app.screen, DecisionDialog), timeout=30)
            await pilot.press("2")  # hold
            await wait_until(pilot, lambda: not isinstance(app.screen, DecisionDialog))
            app.driver.submit({"kind": "note", "text": "held the reserve", "objective": "O-1", "rating": "M"})
            app.driver.submit({"kind": "inject", "template": "M-2"})
            await pilot.press("space")
            await wait_until(pilot, lambda: app.driver.now > 300 or isinstance(app.screen, DecisionDialog),
                             timeout=30)
            if isinstance(app.screen, DecisionDialog):
                await pilot.press("1")
            await pilot.press("e", "y")
            await wait_until(pilot, lambda: app.driver.ended)

    run_async(go())
    assert main(["replay", str(log), "--verify"]) == 0
    assert "OK: byte-identical" in capsys.readouterr().out
    out = tmp_path / "branch"
    assert main(["replay", str(log), "--branch", "D-1=reinforce", "--out", str(out), "--no-report", "-q"]) == 0
    assert main(["replay", str(out / "events.jsonl"), "--verify", "-q"]) == 0
    parent, branch = log.read_bytes().split(b"\n"), (out / "events.jsonl").read_bytes().split(b"\n")
    point = json.loads(branch[0])["data"]["branch_point"]["seq"]
    assert parent[1:point] == branch[1:point] and parent[point] != branch[point]


def test_a_fault_in_an_action_closes_the_viewer_without_a_traceback(played, run_async, monkeypatch):
    """A bug behind a key closes the viewer with exit code 1 and the fault remembered for the message."""

    def broken(self):
        raise RuntimeError("index out of step")

    monkeypatch.setattr(ReplayViewer, "action_next_decision", broken)

    async def go():
        app = viewer(played)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("m")
            await pilot.pause(0.1)
        assert app.failure == "RuntimeError: index out of step"
        assert "Traceback" in app.failure_details and "index out of step" in app.failure_details
        assert app.return_code == 1

    run_async(go())


def test_run_viewer_reports_a_fault_after_the_terminal_is_restored(played, monkeypatch, capsys):
    """The command's side: one line on stderr naming the fault and the unchanged log, exit code 1."""
    from drillsim.tui.replay import app as viewer_app

    def run(self):
        self.failure = "KeyError: 'team-9'"
        self.failure_details = "Traceback (most recent call last): ..."

    monkeypatch.setattr(viewer_app.ReplayViewer, "run", run)
    monkeypatch.setattr(viewer_app.gc, "freeze", lambda: None)  # the command freezes; not this test process
    monkeypatch.delenv("DRILLSIM_DEBUG", raising=False)
    assert viewer_app.run_viewer(played) == 1
    err = capsys.readouterr().err
    assert "the viewer stopped after an internal error: KeyError: 'team-9'" in err
    assert f"the log is unchanged: drillsim replay {played}" in err
    assert "Traceback" not in err
