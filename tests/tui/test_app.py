"""The facilitator console driven headless with textual's Pilot, as a facilitator would use it."""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.engine import Exercise
from drillsim.log import read_log
from drillsim.scenario import load
from drillsim.tui.screens.confirm import ConfirmEnd
from drillsim.tui.screens.decision import DecisionDialog
from drillsim.tui.screens.end import EndScreen
from drillsim.tui.widgets.msel import MselTable
from tests.tui.conftest import make_app, scenario_file, wait_until
from tests.tui.screen_text import screen_text


def test_keys_change_speed_and_pause(run_async):
    async def go():
        app = make_app(speed=60)
        async with app.run_test(size=(120, 40)) as pilot:
            assert not app.clock.running
            assert "PAUSED" in screen_text(app)
            await pilot.press("plus", "plus")
            assert app.clock.speed == 300
            await pilot.press("minus")
            assert app.clock.speed == 120
            for _ in range(20):
                await pilot.press("plus")
            assert app.clock.speed == 3600  # the top step
            await pilot.pause(0.1)
            assert "×3600" in screen_text(app)
            await pilot.press("space")
            assert app.clock.running
            await wait_until(pilot, lambda: app.driver.now > 0, what="the clock to move")
            assert "RUNNING" in screen_text(app)
            await pilot.press("space")
            assert not app.clock.running
            stopped = app.driver.now
            await pilot.pause(0.4)
            assert app.driver.now == stopped  # paused means paused
            assert "PAUSED" in screen_text(app)

    run_async(go())


def test_next_inject_delivers_it_into_the_msel_pane(run_async):
    async def go():
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            msel = app.screen.query_one(MselTable)
            await wait_until(pilot, lambda: msel.row_count == 6)
            assert "▶" in str(msel.get_cell("M-01", "status"))  # next up
            await pilot.press("n")
            delivered = lambda key: not app.clock.active and app.view.injects[key].delivered_at is not None  # noqa: E731
            await wait_until(pilot, lambda: delivered("M-01"))
            await pilot.press("n")
            await wait_until(pilot, lambda: delivered("M-02"))
            assert app.driver.now == 60.0  # stopped exactly at the inject
            await pilot.pause(0.2)
            assert "✓" in str(msel.get_cell("M-02", "status"))
            assert "▶" in str(msel.get_cell("M-03", "status"))
            text = screen_text(app)
            assert "Train K396 stranded" in text
            assert "2/6 delivered" in text
            assert "07:00" in text

    run_async(go())


def test_decision_dialog_choice_is_logged_at_its_simulated_time(run_async, tmp_path):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(players=("mtg-flood-hq",), log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("m")  # run to the next decision: D-01 at 3h, played by people
            await wait_until(pilot, lambda: isinstance(app.screen, DecisionDialog), what="the dialog")
            assert not app.clock.active  # the clock paused for the players
            text = screen_text(app)
            assert "Request the Armed Police now?" in text
            assert "Time limit 30m" in text and "deadline 09:30" in text
            assert app.driver.now == 180.0
            await pilot.press("1")  # "Request now"
            await wait_until(pilot, lambda: not isinstance(app.screen, DecisionDialog))
            await pilot.press("e")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd))
            await pilot.press("y")
            await wait_until(pilot, lambda: isinstance(app.screen, EndScreen))

    run_async(go())
    data = read_log(log)
    made = [r for r in data.records if r.kind == "decision.made"]
    got = [(r.t, r.subject, r.data["option"], r.data["by"]) for r in made]
    assert got == [(180.0, "D-01", "request", "players")]
    inputs = [(r.t, r.data) for r in data.inputs]
    assert inputs[0] == (180.0, {"kind": "decide", "decision": "D-01", "option": "request", "by": "players"})
    # The choice took effect at once: the Armed Police were activated by D-01.
    assert any(r.kind == "team.activated" and r.actor == "D-01" and r.t == 180.0 for r in data.records)


def test_decision_put_aside_is_not_lost_and_default_applies_at_deadline(run_async, tmp_path):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(players=("mtg-flood-hq",), log_path=log)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("m")
            await wait_until(pilot, lambda: isinstance(app.screen, DecisionDialog))
            await pilot.press("escape")  # decide later
            await wait_until(pilot, lambda: not isinstance(app.screen, DecisionDialog))
            assert [d.key for d in app.view.pending] == ["D-01"]
            await wait_until(pilot, lambda: "1 decision(s) waiting" in screen_text(app), what="the waiting count")
            await pilot.press("d")  # bring it back
            await wait_until(pilot, lambda: isinstance(app.screen, DecisionDialog))
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, DecisionDialog))
            for _ in range(8):
                await pilot.press("plus")
            await pilot.press("space")  # let the time limit run out
            # (D-01 itself, not "nothing pending": at this speed a doctrine question for the played
            # role can open between two polls on a slow machine)
            await wait_until(pilot, lambda: app.view.decisions["D-01"].made is not None,
                             what="the default to apply")
            assert "D-01" not in [d.key for d in app.view.pending]
            dec = app.view.decisions["D-01"]
            assert (dec.made, dec.by, dec.made_at) == ("wait", "default", 210.0)

    run_async(go())


def test_ending_with_ctrl_c_asks_first_then_closes_the_log(run_async, tmp_path):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(log_path=log, out_dir=tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("n", "n")
            await wait_until(pilot, lambda: app.driver.now == 60.0 and not app.clock.active)
            await pilot.press("ctrl+c")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd))
            await pilot.press("n")  # carry on
            await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmEnd))
            assert not app.driver.ended
            await pilot.press("q")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd))
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, EndScreen) and app.files is not None,
                             timeout=180, what="the report")
            await pilot.pause(0.2)
            text = screen_text(app)
            assert "Exercise ended" in text
            assert str(log) in text
            files = app.files
            assert files.scorecard == str(tmp_path / "scorecard.json")
            assert sorted(Path(p).name for p in files.report) == ["report-en.html", "report-en.md"]
            assert all(Path(p).exists() for p in files.report)
            assert "report-en.html" in text
            await pilot.press("q")
        assert app.return_value is app.files

    run_async(go())
    data = read_log(log)
    assert data.complete and not data.torn
    end = data.records[-1]
    assert end.kind == "exercise.ended" and end.t == 60.0 and end.data["reason"] == "facilitator"
    assert data.inputs[-1].data == {"kind": "end", "reason": "facilitator"}


def test_play_log_replays_byte_for_byte(run_async, tmp_path):
    """Decisions (one at a random doctrine time), an inject and a note, replayed through Exercise.run."""
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(players=("mtg-flood-hq",), log_path=log)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(9):
                await pilot.press("plus")
            await pilot.press("space")
            answered = 0
            while answered < 2:  # D-01, then the doctrine decision to raise the level (random time)
                await wait_until(pilot, lambda: isinstance(app.screen, DecisionDialog), timeout=30)
                await pilot.press("1")
                answered += 1
                await wait_until(pilot, lambda: not isinstance(app.screen, DecisionDialog))
                await pilot.press("space")
            await pilot.press("space")
            await wait_until(pilot, lambda: not app.clock.active)
            app.driver.submit({"kind": "note", "text": "乡镇首报延误", "objective": "O-1", "rating": "M"})
            app.driver.submit({"kind": "inject", "template": "M-04", "to": ["mtg-emergency"]})
            await pilot.press("e", "y")
            await wait_until(pilot, lambda: app.driver.ended)

    run_async(go())
    data = read_log(log)
    decided = [r for r in data.inputs if r.data["kind"] == "decide"]
    assert len(decided) == 2
    # An awkward time was exercised: a doctrine decision opened at a random, unrounded instant.
    assert any(r.t != int(r.t) for r in data.records if r.kind == "decision.opened")
    replay = tmp_path / "replay.jsonl"
    header = data.header
    loaded = load(scenario_file("mentougou-flash-flood"), [f"{p}={v}" for p, v in header["overrides"]])
    Exercise(loaded, header["seed"], log_path=replay, players=header["players"]).run(
        inputs=[(r.t, r.data) for r in data.inputs])
    assert replay.read_bytes() == log.read_bytes()


def test_resize_to_small_and_back_does_not_crash(run_async):
    async def go():
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("n", "n")
            await wait_until(pilot, lambda: app.driver.now == 60.0 and not app.clock.active)
            for size in ((60, 20), (80, 24), (40, 12), (200, 60), (160, 48)):
                await pilot.resize_terminal(*size)
                await pilot.pause(0.2)
                text = screen_text(app)
                assert len(text.splitlines()) == size[1]
            assert app.screen.has_class("-compact") is False
            await pilot.resize_terminal(80, 24)
            await pilot.pause(0.2)
            assert app.screen.has_class("-compact")

    run_async(go())


def test_language_switch_and_cjk_alignment(run_async):
    async def go():
        app = make_app(lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("n", "n")
            await wait_until(pilot, lambda: app.driver.now == 60.0 and not app.clock.active)
            assert "Mentougou flash floods" in screen_text(app)
            await pilot.press("l")
            await pilot.pause(0.3)
            text = screen_text(app)
            assert "门头沟山洪" in text and "已暂停" in text
            assert "K396次列车滞留" in text  # the MSEL pane in Chinese
            assert "空格 运行" in text and "e/q 结束" in text  # footer bindings in Chinese, the space bar too
            from rich.cells import cell_len

            lines = text.splitlines()
            assert all(cell_len(line) <= 100 for line in lines)
            # Box borders line up: every pane row ends in its border column, CJK text or not.
            msel_rows = [line for line in lines[3:8] if "│" in line]
            widths = {cell_len(line.split("││")[0]) for line in msel_rows if "││" in line}
            assert msel_rows and len(widths) == 1
            await pilot.press("l")
            await pilot.pause(0.3)
            assert "space Run" in screen_text(app)

    run_async(go())


def test_every_action_has_a_palette_entry(run_async):
    async def go():
        app = make_app()
        async with app.run_test(size=(120, 40)):
            titles = [c.title for c in app.get_system_commands(app.screen)]
            for expected in ("Run/Pause", "Faster", "Slower", "+1 min", "Next inject", "Next decision",
                             "Inject", "Observe", "Decisions", "Roles", "Filter", "中文", "Zoom", "End"):
                assert expected in titles
            assert "Quit" not in titles  # textual's unconfirmed quit is replaced by End

    run_async(go())


def test_ad_hoc_inject_observation_and_roles_through_dialogs(run_async, tmp_path):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(log_path=log)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("i")
            await pilot.pause(0.2)
            await pilot.press("tab")
            await pilot.press(*"Bridge out")
            await pilot.press("tab")
            await pilot.press(*"Detour via G109")
            await pilot.press("enter")
            await wait_until(pilot, lambda: any(r[2] == "inject.delivered" and r[4] == "adhoc-1"
                                                for r in app.view.records))
            await pilot.press("o")
            await pilot.pause(0.2)
            note = app.screen
            note.query_one("#note-objective").value = "O-2"
            note.query_one("#note-rating").value = "M"
            note.query_one("#note-text").focus()
            await pilot.press(*"slow")
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.view.notes)
            await pilot.press("r")
            await pilot.pause(0.2)
            await pilot.press("space")  # toggle the first agency
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.view.players == {"bj-flood-hq"})
            await pilot.pause(0.2)
            assert "1 (M)" in screen_text(app)  # the scorecard counts the observation

    run_async(go())
    inputs = [r.data for r in read_log(log).inputs]
    assert inputs == [
        {"kind": "inject", "title": "Bridge out", "message": "Detour via G109", "to": ["all"]},
        {"kind": "note", "by": "evaluator", "text": "slow", "objective": "O-2", "rating": "M"},
        {"kind": "role", "agency": "bj-flood-hq", "played": True},
    ]


def test_ad_hoc_inject_goes_to_the_played_roles_by_default(run_async, tmp_path):
    """The recipients open ticked for the played roles; the boxes say so in text; the feed names them."""
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(players=("mtg-flood-hq",), log_path=log, notify_injects=True)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("i")
            await wait_until(pilot, lambda: app.screen.query("#inject-to"), what="the inject dialog")
            await pilot.pause(0.2)
            text = screen_text(app)
            assert "[✓] Mentougou Flood Control HQ" in text  # ticked: the played role
            assert "[ ] everyone" in text and "[ ] Beijing Flood Control HQ" in text  # unticked, unmistakably
            await pilot.press("tab", *"Roads closed", "tab", *"G109 shut at Yanchi")
            await pilot.press("enter")
            await wait_until(pilot, lambda: any(r[2] == "inject.delivered" for r in app.view.records))
            await pilot.pause(0.3)
            text = screen_text(app)
            assert "INJECT adhoc-1 → Mentougou Flood Control HQ: Roads closed" in text
            notices = [n.message for n in app._notifications]
            assert "Inject adhoc-1 delivered to Mentougou Flood Control HQ" in notices  # the pop-up names them

    run_async(go())
    delivered = [r for r in read_log(log).records if r.kind == "inject.delivered" and r.subject == "adhoc-1"]
    assert [r.data["to"] for r in delivered] == [["mtg-flood-hq"]]


def test_an_inject_to_nobody_is_refused_with_a_message(run_async, tmp_path):
    log = tmp_path / "events.jsonl"

    async def go():
        app = make_app(log_path=log, notify_injects=True)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("i")
            await wait_until(pilot, lambda: app.screen.query("#inject-to"), what="the inject dialog")
            dialog = app.screen
            dialog.query_one("#inject-to").focus()
            await pilot.press("space")  # untick "everyone", the default with no roles played
            await pilot.pause(0.1)
            assert "[ ] everyone" in screen_text(app)
            dialog.query_one("#inject-message").focus()
            await pilot.press(*"Nobody hears this", "enter")
            await pilot.pause(0.3)
            assert app.screen is dialog  # still open: nothing delivered
            assert any("Tick at least one recipient" in n.message for n in app._notifications)
            assert not any(r[2] == "inject.delivered" for r in app.view.records)
            with pytest.raises(ValueError, match="at least one recipient"):  # the engine refuses it too
                app.driver.submit({"kind": "inject", "title": "x", "to": []})

    run_async(go())
    assert not [r for r in read_log(log).records if r.kind in ("inject.delivered", "input.received")]


def test_feed_filter_by_agency_and_kind(run_async):
    from drillsim.tui.widgets.feed import EventFeed, FeedFilter

    async def go():
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("m")
            await wait_until(pilot, lambda: app.driver.now == 180.0 and not app.clock.active)
            feed = app.screen.query_one(EventFeed)
            feed.set_filter(FeedFilter(None, "msel"))
            await pilot.pause(0.2)
            lines = [str(line.text) for line in feed.lines]
            assert lines and all("INJECT" in line for line in lines if line.strip()[:5].count(":") == 1)
            feed.set_filter(FeedFilter("mtg-fire-01", None))
            await pilot.pause(0.2)
            text = " ".join(str(line.text) for line in feed.lines)
            assert "Mentougou Fire and Rescue 01" in text and "Fire and Rescue 02" not in text
            assert "Mentougou Fire and Rescue 01" in feed.border_subtitle

    run_async(go())


def test_step_one_minute_and_zoom_a_pane(run_async):
    from drillsim.tui.widgets.feed import EventFeed

    async def go():
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("full_stop")
            await wait_until(pilot, lambda: app.driver.now == 1.0 and not app.clock.active)
            await pilot.press("full_stop")
            await wait_until(pilot, lambda: app.driver.now == 2.0 and not app.clock.active)
            feed = app.screen.query_one(EventFeed)
            feed.focus()
            await pilot.press("z")
            await pilot.pause(0.1)
            assert app.screen.maximized is feed
            assert "Exercise started" in screen_text(app)
            await pilot.press("z")
            await pilot.pause(0.1)
            assert app.screen.maximized is None

    run_async(go())


def test_a_burst_of_records_is_summarised_in_the_feed(run_async):
    from drillsim.tui.app import DrillConsole
    from drillsim.tui.driver import LiveDriver
    from drillsim.tui.widgets.feed import BURST_LINES, EventFeed

    async def go():
        loaded = load(scenario_file("mentougou-flash-flood"), ["generators.mountain-floods.rate=60/h"])
        app = DrillConsole(LiveDriver.start(loaded), notify_injects=False)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause(0.2)
            app.driver.advance(600.0)  # many records at once, as at ×3600 on a slow machine
            app.refresh_panes()
            await pilot.pause(0.2)
            feed = app.screen.query_one(EventFeed)
            text = "\n".join(str(line.text) for line in feed.lines)
            assert "earlier records not shown" in text
            assert text.count("\n") < BURST_LINES * 4  # wrapped lines of at most BURST_LINES records
            assert text.splitlines()[-1][:2] in ("15", "16")  # the latest are shown (06:00 + 600 min)

    run_async(go())


def test_scorecard_shows_the_ratings_at_the_moment_the_clock_stopped(run_async):
    from drillsim.scoring import score

    async def go():
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            for _ in range(4):
                await pilot.press("n")
                await pilot.pause(0.05)
            await wait_until(pilot, lambda: app.driver.now == 480.0 and not app.clock.active)
            await pilot.pause(0.1)
            expected = score(app.view.header, app.view.records, 480.0)
            assert app.score.available and app.score.card.horizon == 480.0
            assert [(o.key, o.rating) for o in app.score.objectives] == [(o.id, o.rating) for o in expected.objectives]
            text = screen_text(app)
            assert f"score {expected.score:.0f}" in text and "so far, 14:00" in text

    run_async(go())
