"""What a facilitator sees at 160×48 (and 60×20): rows told apart, the MSEL in time order, the level
question with its cause, the score at the end, one clock, honest "not measured" lines, small notices."""

from __future__ import annotations

import re

from drillsim.scoring.text import points
from drillsim.tui.i18n import Names, format_offset
from drillsim.tui.screens.decision import DecisionDialog
from drillsim.tui.screens.end import EndScreen
from drillsim.tui.state import DecisionView
from drillsim.tui.widgets.incidents import IncidentsTable
from drillsim.tui.widgets.msel import DAY, MselTable
from tests.tui.conftest import make_app, wait_until
from tests.tui.screen_text import screen_text


def _column(table, key: str) -> list[str]:
    return [str(table.get_cell(row, key)) for row in table.rows]


def test_open_incidents_are_told_apart_by_place_kind_and_number_with_the_full_name_on_focus(run_async):
    async def go():
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            app.clock.start_run_to(190.0, "step")
            await wait_until(pilot, lambda: app.driver.now == 190.0 and not app.clock.active)
            await pilot.pause(0.4)
            table = app.screen.query_one(IncidentsTable)
            labels = _column(table, "incident")
            assert len(labels) >= 2 and len(set(labels)) == len(labels)  # no two rows read the same
            text = screen_text(app)
            for label in labels:
                assert label in text and "…" not in label  # whole at 160 columns: place, number, kind
                assert re.fullmatch(r"\w[\w ]* \d+ · flash flood|\w[\w ]* · [\w ]+", label), label
            table.focus()
            await pilot.pause(0.3)
            first = app.view.incidents[str(table.coordinate_to_cell_key(table.cursor_coordinate)[0].value)]
            lines = screen_text(app).splitlines()
            title = next(line for line in lines if "Open incidents — " in line)
            facts = next(line for line in lines if f"{first.people} at risk" in line)  # the pane's bottom edge
            assert first.key in title and "flash flood · " in facts  # its id, kind, place, people on focus

    run_async(go())


def test_a_multi_day_msel_is_in_time_order_with_a_line_for_each_day(run_async):
    async def go():
        app = make_app("rainstorm-2023-07", speed=3600)
        async with app.run_test(size=(160, 48)) as pilot:
            app.clock.start_run_to(1560.0, "step")  # day 2, 19:00
            await wait_until(pilot, lambda: app.driver.now == 1560.0 and not app.clock.active, timeout=60)
            app.driver.submit({"kind": "inject", "title": "Road closed", "message": "G108 shut", "to": ["all"]})
            app.refresh_panes()
            await pilot.pause(0.3)
            msel = app.screen.query_one(MselTable)
            keys = [str(k.value) for k in msel.rows]
            days = [k for k in keys if k.startswith(DAY)]
            assert days[:2] == ["day:1", "day:2"] and days == sorted(days)
            assert "── Sun 30 Jul · day 2 ──" in screen_text(app) or "Sun 30 Jul · day 2" in _column(msel, "title")[
                keys.index("day:2")]
            stamps, day = [], 0
            for key, when in zip(keys, _column(msel, "time"), strict=True):
                if key.startswith(DAY):
                    day = int(key.removeprefix(DAY))
                elif when != "--:--":
                    stamps.append((day, when))
            assert stamps == sorted(stamps)  # every row in the order of the time it shows
            adhoc = keys.index("adhoc-1")
            later = [k for k in keys[adhoc + 1:] if not k.startswith(DAY)]
            assert later and all(app.view.injects[k].delivered_at is None for k in later)  # not last: due ones follow

    run_async(go())


def test_the_level_question_says_who_knows_what_and_which_rule_it_meets(run_async):
    prompt = {"en": "Mentougou Flood Control HQ now knows: people trapped 12 — the response rule for Level II "
                    "(people trapped ≥ 10) is met. Raise to Level II?", "zh": "…"}
    decision = DecisionView("raise-mtg-flood-hq-II", "mtg-flood-hq", prompt, {"raise": "Raise", "hold": "Hold"},
                            "raise", 30.0, 300.0, 330.0, "players")

    async def go():
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            app.push_screen(DecisionDialog(decision, Names(app.driver.header), "en"))
            await wait_until(pilot, lambda: isinstance(app.screen, DecisionDialog))
            await pilot.pause(0.2)
            text = " ".join(screen_text(app).split())
            assert "Decision for Mentougou Flood Control HQ" in text and "mtg-flood-hq" not in text
            assert "now knows: people trapped 12" in text and "(people trapped ≥ 10) is met" in text

    run_async(go())


def test_the_engine_asks_the_level_question_with_its_trigger(tmp_path):
    from drillsim.log import read_log
    from tests.scripted import play_log

    log = play_log(tmp_path / "events.jsonl", answer=lambda key, options: None, end_at=400.0)
    opened = [r for r in read_log(log).records if r.kind == "decision.opened" and r.subject.startswith("raise-")]
    assert opened, "the played headquarters was asked to raise its level"
    trigger = next(r for r in read_log(log).records if r.kind == "response.triggered" and r.t <= opened[0].t)
    trapped = int(trigger.data["facts"]["trapped"])
    en, zh = opened[0].data["prompt"]["en"], opened[0].data["prompt"]["zh"]
    assert en.startswith(f"Mentougou Flood Control HQ now knows: people trapped {trapped} ")
    assert "(people trapped ≥ 10)" in en and en.endswith("Raise to Level II?")
    assert zh.startswith(f"门头沟区防汛指挥部已掌握:被困人数 {trapped},") and "mtg-flood-hq" not in zh


def test_the_end_screen_shows_the_overall_score(run_async, tmp_path):
    async def go():
        app = make_app(out_dir=tmp_path, speed=3600)
        async with app.run_test(size=(160, 48)) as pilot:
            app.clock.start_run_to(600.0, "step")
            await wait_until(pilot, lambda: app.driver.now == 600.0 and not app.clock.active, timeout=60)
            await pilot.press("e", "y")
            await wait_until(pilot, lambda: isinstance(app.screen, EndScreen))
            await pilot.pause(0.3)
            score = app.score
            assert score.available and score.overall is not None
            text = screen_text(app)
            assert f"Overall score {points(score.overall)}/100" in text
            assert "of the objectives' weight measured" in text

    run_async(go())


def test_the_header_clock_and_the_offset_tell_the_same_minute(run_async):
    names = Names(make_app().driver.header)  # starts 06:00
    for t in (2.6, 59.5, 61.99, 1439.7):
        _hh, mm = names.clock(t).split(":")
        assert format_offset(t) == f"T+{int(t) // 60:02d}:{mm}", t  # the same minute, never one ahead

    async def go():
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            app.clock.start_run_to(2.6, "step")
            await wait_until(pilot, lambda: app.driver.now == 2.6 and not app.clock.active)
            await pilot.pause(0.2)
            assert "06:02  T+00:02" in screen_text(app).splitlines()[0]

    run_async(go())


def test_not_measured_lines_during_play_do_not_blame_the_scenario_or_a_headless_run(run_async):
    async def go():
        app = make_app("rainstorm-2023-07")
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause(0.5)
            app.refresh_panes(force_score=True)
            await pilot.pause(0.3)
            text = " ".join(screen_text(app).split())
            assert "not measured yet" in text
            assert "headless" not in text and "check reporting" not in text

    run_async(go())


def test_notices_on_a_60x20_terminal_take_one_line(run_async):
    async def go():
        app = make_app(notify_injects=True)
        async with app.run_test(size=(60, 20), notifications=True) as pilot:
            await pilot.press("n")
            await wait_until(pilot, lambda: not app.clock.active and app.driver.now == 0.0 and app.view.records)
            await pilot.press("n")
            await wait_until(pilot, lambda: app.driver.now == 60.0 and not app.clock.active)
            await pilot.pause(0.5)
            lines = screen_text(app).splitlines()
            notices = [line for line in lines if "Inject M-0" in line]
            assert len(notices) == 1 and "Inject M-02" in notices[0]  # the latest only, on one line
            assert any("Teams" in line for line in lines) and any("Scorecard" in line for line in lines)

    run_async(go())
