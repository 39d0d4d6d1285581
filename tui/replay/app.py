"""The replay viewer (``drillsim replay LOG``): the console's panes, driven by a recorded log.

The log is read once and indexed (:class:`~drillsim.tui.replay.player.Player`); every pane draws the
console's own view (:mod:`drillsim.tui.state`) at the position shown, so what a trainer sees at 14:20 in a
replay is what the facilitator saw at 14:20. Play at any speed, go to a time, step record by
record (through the feed's filter), jump between decisions and injects. At a decision, ``b`` asks
"what if?": the branch is simulated from the log (:mod:`drillsim.replay.branch`), written next to it,
and opened at its branch point; ``p`` comes back to the parent.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import traceback
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingsMap, BindingType
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from drillsim.log import LogData
from drillsim.logstore import StoredLog, read_store
from drillsim.tui import bridge
from drillsim.tui.app import ConsoleScreen, translate_palette_key
from drillsim.tui.guard import FailsCleanly
from drillsim.tui.i18n import Names, text
from drillsim.tui.replay.dialogs import BranchDialog, GotoDialog
from drillsim.tui.replay.feed import ReplayFeed
from drillsim.tui.replay.header import ReplayHeader, ReplayStatus
from drillsim.tui.replay.player import DECISION_KINDS, INJECT_KINDS, Player
from drillsim.tui.replay.strings import STRINGS, tr
from drillsim.tui.screens.filter import FilterDialog
from drillsim.tui.screens.inject_detail import InjectDetail
from drillsim.tui.widgets.feed import EventFeed, FeedFilter
from drillsim.tui.widgets.incidents import IncidentsTable
from drillsim.tui.widgets.msel import MselTable
from drillsim.tui.widgets.panes import exercise_panes
from drillsim.tui.widgets.scorecard import ScorecardPane
from drillsim.tui.widgets.teams import TeamsTable

ACTIONS: tuple[tuple[str, str, str, bool, bool], ...] = (
    # (keys, action, i18n suffix, shown in the footer, priority over the focused pane)
    ("space", "toggle_play", "r_play", True, True),
    ("plus,equals_sign", "faster", "faster", True, False),
    ("minus,underscore", "slower", "slower", True, False),
    ("g", "goto", "r_goto", True, False),
    ("right,full_stop", "step_next", "r_next", True, True),
    ("left,comma", "step_prev", "r_prev", True, True),
    ("n", "next_inject", "r_next_inject", True, False),
    ("N", "prev_inject", "r_prev_inject", False, False),
    ("m", "next_decision", "r_next_decision", True, False),
    ("M", "prev_decision", "r_prev_decision", False, False),
    ("home", "to_start", "r_start", False, True),
    ("end", "to_end", "r_end", False, True),
    ("f", "filter", "filter", True, False),
    ("b", "branch", "r_branch", True, False),
    ("p", "parent", "r_parent", False, False),
    ("l", "lang", "lang", True, False),
    ("z", "zoom", "zoom", False, False),
    ("q", "quit_viewer", "r_quit", True, False),
)

KEY_DISPLAY = {"space": "space", "plus,equals_sign": "+", "minus,underscore": "-", "right,full_stop": "→",
               "left,comma": "←"}

PANE_INTERVAL = 0.25
"""Seconds between pane redraws while playing (the header follows every tick)."""

SYNC_SCORING = 0.04
"""Score on the UI thread when scoring is expected to take less than this (seconds); else in a worker.
The expectation is the last scoring's time per record times the records to score."""


def replay_bindings(lang: str, compact: bool = False) -> list[Binding]:
    """The viewer's key bindings with descriptions in ``lang``."""
    out = []
    for keys, action, name, show, priority in ACTIONS:
        short = f"key.{name}.short"
        label = tr(short if compact and short in STRINGS else f"key.{name}", lang)
        out.append(Binding(keys, f"app.{action}", label, show=show and not (compact and name in ("filter", "lang")),
                           key_display=tr("keycap.space", lang) if keys == "space" else KEY_DISPLAY.get(keys),
                           priority=priority))
    return out


class ReplayScreen(ConsoleScreen):
    """The console's layout with the replay header and the replay's keys."""

    def set_lang(self, lang: str) -> None:
        """Footer and pane titles in ``lang``."""
        self.lang = lang
        base = self._merged_bindings.copy() if self._merged_bindings is not None else BindingsMap()
        for binding in replay_bindings(lang, self.has_class("-compact")):
            for key in (k.strip() for k in binding.key.split(",")):
                base.key_to_bindings[key] = [Binding(key, binding.action, binding.description, show=binding.show,
                                                     key_display=binding.key_display, priority=binding.priority)]
        self._bindings = base
        if self.is_mounted:
            self._titles()
            self.refresh_bindings()

    def compose(self) -> ComposeResult:
        """Replay header, the console's panes, footer."""
        names, lang = self.names, self.lang
        yield ReplayHeader(self.view, names, lang, id="header")
        yield from exercise_panes(names, lang, feed=ReplayFeed)
        yield Footer(compact=True)


@dataclass
class Opened:
    """A log open in the viewer."""

    path: Path
    player: Player


class ReplayViewer(FailsCleanly, App[None]):
    """The replay viewer.

    Args:
        path: The log file.
        log: The log, read (the file is not read again): a :func:`drillsim.logstore.read_store` store,
            or a :class:`~drillsim.log.LogData` (moved into a store by the player).
        lang: ``zh`` or ``en``.
        scenario: The scenario file for branches, when it moved since the run.
        speed: Initial speed (simulated seconds per wall second).
        start: Open at this moment (minutes).
        tick: Seconds between clock ticks while playing.
        freeze_gc: Move the log and its index out of the cyclic garbage collector's sight once built
            (``gc.freeze``): they live as long as the viewer, and re-scanning a few million objects
            at every full collection is what made jumps in a long log stutter. For the process
            that runs the viewer only (``drillsim replay``), not for tests sharing a process.
    """

    TITLE = "drillsim replay"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "quit_viewer", "Quit", show=False, priority=True),
        Binding("ctrl+q", "quit_viewer", "Quit", show=False, priority=True),
    ]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, path: Path, log: LogData | StoredLog, *, lang: str = "en", scenario: Path | None = None,
                 speed: int = 300, start: float | None = None, tick: float = 0.1, freeze_gc: bool = False) -> None:
        super().__init__()
        self.failure: str | None = None  # "Type: message" of the fault that closed the viewer, if one did
        self.failure_details = ""
        self.opened = Opened(Path(path), Player(log, speed))
        self.freeze_gc = freeze_gc
        if freeze_gc:
            gc.freeze()
        self.parents: list[Opened] = []
        self.names = Names(log.header)
        self.lang = lang if lang in ("zh", "en") else "en"
        self.scenario = scenario
        self.start_at = start
        self.tick_seconds = tick
        self.screen_: ReplayScreen | None = None
        self.score = bridge.LiveScore(False, problem="")
        self.scored_position = -1
        self._scores: OrderedDict[tuple[str, int], bridge.LiveScore] = OrderedDict()
        self._last_score_seconds = 0.0
        self._score_per_record = 0.0
        self._last_wall = time.perf_counter()
        self._panes_wall = 0.0
        self._score_wall = 0.0
        self._scoring = False  # a scoring worker is running
        self._score_again = False  # the position moved while it ran: score the new one when it is done
        self.busy = False
        self.last_jump_seconds = 0.0
        self.last_refresh_seconds = 0.0

    @property
    def player(self) -> Player:
        """The player of the log shown."""
        return self.opened.player

    # -- lifecycle ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the panes at the start (or ``start``) and start the tick timer (paused)."""
        self.title = text(self.names.title, self.lang) or "drillsim replay"
        translate_palette_key(self, self.lang)
        self.screen_ = ReplayScreen(self.player.view, self.names, self.lang)
        self.push_screen(self.screen_)
        if self.start_at is not None:
            self.player.seek_time(self.start_at)
        self.set_interval(self.tick_seconds, self._tick)
        self.call_after_refresh(self.refresh_panes)

    def _tick(self) -> None:
        now = time.perf_counter()
        wall, self._last_wall = now - self._last_wall, now
        if not self.player.playing:
            return
        self.player.tick(wall)
        self.refresh_panes(throttle=self.player.playing)

    # -- drawing --------------------------------------------------------------------------------------

    def status(self) -> ReplayStatus:
        """What the header says about the replay."""
        p = self.player
        bp = p.header.get("branch_point") or {}
        branch = f"{bp.get('decision')}={bp.get('option')}" if bp else ""
        return ReplayStatus(p.speed, p.playing, p.position, len(p.records), p.at_end, branch)

    def refresh_panes(self, *, throttle: bool = False) -> None:
        """Redraw the header and every pane from the view at the current position."""
        screen = self.screen_
        if screen is None or not screen.is_mounted:
            return
        started = time.perf_counter()
        view, lang = self.player.view, self.lang
        try:
            header = screen.query_one(ReplayHeader)
            panes = (screen.query_one(MselTable), screen.query_one(IncidentsTable), screen.query_one(TeamsTable),
                     screen.query_one(EventFeed))
            scorecard = screen.query_one(ScorecardPane)
        except NoMatches:
            return
        header.show_replay(view, lang, self.status())
        if throttle and started - self._panes_wall < PANE_INTERVAL:
            return
        self._panes_wall = started
        for pane in panes:
            pane.sync(view, lang)
        self._rescore(throttle)
        scorecard.sync(view, lang, self.score)
        if self.scored_position != self.player.position:
            scorecard.query_one("#score-head", Static).update(
                tr("replay.scoring", lang, time=self.names.clock(view.now)))
        self.last_refresh_seconds = time.perf_counter() - started

    def _rescore(self, throttle: bool) -> None:
        """The scorecard at the current position: cached, computed here when cheap, else in a worker."""
        p = self.player
        key = (str(self.opened.path), p.position)
        cached = self._scores.get(key)
        if cached is not None:
            self.score, self.scored_position = cached, p.position
            return
        if self._scoring:
            # one scoring at a time: each reads (and decodes) the records so far, and several at once
            # would hold several copies; the latest position is scored when this one is done
            self._score_again = True
            return
        wall = time.perf_counter()
        if throttle and wall - self._score_wall < max(1.0, 10 * self._last_score_seconds):
            return
        self._score_wall = wall
        # the records applied so far, as a window on the player's (nothing decoded until scoring reads
        # them). Not score(header, store, now): stepping record by record stops between records of
        # the same time, and the scorecard shown is that of the records applied.
        header, records, now = p.header, p.view.records, p.view.now
        if self._score_per_record * len(records) < SYNC_SCORING:
            self._scored(key, bridge.live_score(header, records, now))
            return

        def work() -> None:
            score = bridge.live_score(header, records, now)
            self.call_from_thread(self._scored, key, score, True)

        self._scoring = True
        self.run_worker(work, thread=True, group="score", exclusive=True, name="scoring")

    def _scored(self, key: tuple[str, int], score: bridge.LiveScore, worker: bool = False) -> None:
        if worker:
            self._scoring = False
        self._last_score_seconds = score.seconds
        self._score_per_record = score.seconds / max(1, key[1])
        self._scores[key] = score
        while len(self._scores) > 64:
            self._scores.popitem(last=False)
        if key == (str(self.opened.path), self.player.position):
            self.score, self.scored_position = score, key[1]
            self._show_score()
        if worker and self._score_again:
            self._score_again = False
            if key != (str(self.opened.path), self.player.position):
                self._rescore(False)
                if self.scored_position == self.player.position:  # it was cached: show it now
                    self._show_score()

    def _show_score(self) -> None:
        """Draw the scorecard pane with :attr:`score` (a scoring finished after the panes were drawn)."""
        screen = self.screen_
        if screen is not None and screen.is_mounted:
            try:
                screen.query_one(ScorecardPane).sync(self.player.view, self.lang, self.score)
            except NoMatches:
                pass

    def _moved(self) -> None:
        """After a jump: redraw everything now (and time it)."""
        self.refresh_panes()
        self.last_jump_seconds = self.player.last_seek_seconds + self.last_refresh_seconds

    # -- actions ----------------------------------------------------------------------------------------

    def action_toggle_play(self) -> None:
        """Space: play or pause (from the start again at the end)."""
        p = self.player
        if not p.playing and p.at_end:
            p.seek(0)
        p.playing = not p.playing
        self._last_wall = time.perf_counter()
        self.refresh_panes()

    def action_faster(self) -> None:
        """One speed step up."""
        self.player.faster()
        self.refresh_panes()

    def action_slower(self) -> None:
        """One speed step down."""
        self.player.slower()
        self.refresh_panes()

    def action_goto(self) -> None:
        """Ask for a moment and go there."""
        from drillsim.replay.timespec import parse_time

        p = self.player
        try:
            start = datetime.fromisoformat(str(p.header.get("start")))
        except ValueError:
            start = None

        def parse(value: str) -> float:
            return parse_time(value, start, max(p.duration, p.end_time), p.now)

        def done(minutes: float | None) -> None:
            if minutes is not None:
                self.goto(minutes)

        self.push_screen(GotoDialog(parse, self.lang), done)

    def goto(self, minutes: float) -> None:
        """Show the moment ``minutes`` (the log's state then)."""
        self.player.playing = False
        self.player.seek_time(minutes)
        self._moved()

    def _step(self, moved: bool) -> None:
        self.player.playing = False
        if not moved:
            self.notify(tr("notify.no_more", self.lang))
        self._moved()

    def action_step_next(self) -> None:
        """The next record (through the feed's filter)."""
        self._step(self.player.step(True))

    def action_step_prev(self) -> None:
        """Back one record (through the feed's filter)."""
        self._step(self.player.step(False))

    def action_next_inject(self) -> None:
        """The next inject delivered."""
        self._step(self.player.jump_kind(INJECT_KINDS, True))

    def action_prev_inject(self) -> None:
        """The previous inject delivered."""
        self._step(self.player.jump_kind(INJECT_KINDS, False))

    def action_next_decision(self) -> None:
        """The next decision opened."""
        self._step(self.player.jump_kind(DECISION_KINDS, True))

    def action_prev_decision(self) -> None:
        """The previous decision opened."""
        self._step(self.player.jump_kind(DECISION_KINDS, False))

    def action_to_start(self) -> None:
        """The start of the log."""
        self.player.playing = False
        self.player.seek(0)
        self._moved()

    def action_to_end(self) -> None:
        """The end of the log."""
        self.player.playing = False
        self.player.seek(len(self.player.records))
        self._moved()

    def action_filter(self) -> None:
        """Filter the feed — and what stepping visits — by agency and kind."""
        screen = self.screen_
        if screen is None or self.screen is not screen:
            return
        feed = screen.query_one(EventFeed)

        def done(flt: FeedFilter | None) -> None:
            if flt is None:
                return
            feed.set_filter(flt)
            if flt.key is None and flt.family is None:
                self.player.accept = None
            else:
                region_of = feed.region_of
                self.player.accept = lambda rec: flt.matches(rec, region_of)

        self.push_screen(FilterDialog(dict(self.player.header), feed.filter, self.names, self.lang), done)

    def action_lang(self) -> None:
        """Switch between Chinese and English."""
        self.lang = "en" if self.lang == "zh" else "zh"
        self.title = text(self.names.title, self.lang) or "drillsim replay"
        translate_palette_key(self, self.lang)
        if self.screen_ is not None:
            self.screen_.set_lang(self.lang)
        self.refresh_panes()

    def action_zoom(self) -> None:
        """Zoom the focused pane to the whole screen, or back."""
        screen = self.screen
        if not isinstance(screen, ReplayScreen):
            return
        if screen.maximized is not None:
            screen.minimize()
            return
        focused = screen.focused
        if focused is not None:
            pane = next((w for w in [focused, *focused.ancestors] if isinstance(w, Widget)
                         and w.has_class("pane")), focused)
            screen.maximized = pane

    def on_msel_table_selected(self, message: MselTable.Selected) -> None:
        """Enter on an MSEL row: the inject's full text."""
        row = self.player.view.injects.get(message.key)
        if row is not None:
            self.push_screen(InjectDetail(row, self.names.injects.get(row.key), self.names, self.lang))

    def action_quit_viewer(self) -> None:
        """Leave (nothing to save: the viewer never writes the log it shows)."""
        self.exit(None)

    # -- faults -----------------------------------------------------------------------------------------

    def fail(self, exc: BaseException) -> None:
        """Remember the first fault and leave; :func:`run_viewer` says what happened once the terminal is back.

        The viewer only reads the log it shows (a what-if branch is written whole, atomically), so
        nothing is lost: the trainer is told, and the same log opens again.
        """
        if self.failure is None:
            self.failure = f"{type(exc).__name__}: {exc}"
            self.failure_details = "".join(traceback.format_exception(exc))
        self.exit(None, return_code=1)

    # -- what if? ---------------------------------------------------------------------------------------

    def action_branch(self) -> None:
        """At the last decision opened so far: pick another option, simulate the branch, open it."""
        if self.busy or self.screen is not self.screen_:
            return
        p = self.player
        found = p.decision_at()
        if found is None:
            self.notify(tr("branch.none", self.lang), severity="warning")
            return
        opened, made_rec = found
        p.playing = False

        def done(option: str | None) -> None:
            if option is not None:
                self.run_branch(str(opened.subject), option)

        self.push_screen(BranchDialog(opened, made_rec, self.names, self.lang), done)

    def run_branch(self, decision: str, option: str) -> None:
        """Simulate the branch in a worker thread, then open it at its branch point."""
        from drillsim.replay.branch import BranchSpec

        spec = BranchSpec(decision, option)
        parent = self.opened
        self.busy = True
        self.notify(tr("branch.running", self.lang, decision=decision, option=option), timeout=4)

        def work() -> None:
            try:
                path, player, point = _make_branch(parent, spec, self.scenario)
            except Exception as exc:  # a refused branch is shown, never raised into the UI
                self.call_from_thread(self._branch_failed, str(exc))
                return
            self.call_from_thread(self._open_branch, path, player, point)

        self.run_worker(work, thread=True, group="branch", name="branch")

    def _branch_failed(self, error: str) -> None:
        self.busy = False
        self.notify(tr("branch.failed", self.lang, error=error), severity="error", timeout=10)

    def _open_branch(self, path: Path, player: Player, point: int) -> None:
        self.busy = False
        if self.freeze_gc:
            gc.freeze()
        self.parents.append(self.opened)
        self.opened = Opened(path, player)
        player.seek(max(0, point - 1))
        self._moved()
        self.notify(tr("branch.done", self.lang, path=str(path)), timeout=10)

    def action_parent(self) -> None:
        """Back to the log this branch was made from (at the same moment)."""
        if not self.parents:
            self.notify(tr("notify.no_parent", self.lang))
            return
        now = self.player.now
        self.opened = self.parents.pop()
        self.player.playing = False
        self.player.seek_time(now)
        self._moved()
        self.notify(tr("notify.parent", self.lang))

    # -- command palette ----------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every viewer action in the current language, then textual's own."""
        if isinstance(screen, ReplayScreen):
            for _keys, action, name, _show, _prio in ACTIONS:
                yield SystemCommand(tr(f"key.{name}", self.lang), tr(f"key.{name}", self.lang),
                                    getattr(self, f"action_{action}"))
        for cmd in super().get_system_commands(screen):
            if cmd.title != "Quit":
                yield cmd


def _make_branch(parent: Opened, spec: Any, scenario: Path | None) -> tuple[Path, Player, int]:
    """Plan, run and write a branch of the parent log; read it back into a new player."""
    from drillsim.replay.branch import branch_dir, file_sha256, plan_branch, run_branch
    from drillsim.replay.source import load_for_log

    log = parent.player.log
    loaded = load_for_log(log.header, scenario, log_name=str(parent.path))
    sha = file_sha256(parent.path)
    plan = plan_branch(log, spec, sha)
    folder, made = branch_dir(parent.path, spec, sha)  # never over another parent's branch
    out = folder / "events.jsonl"
    if not made:
        run_branch(log, loaded, plan, log_path=out)
    return out, Player(read_store(out), parent.player.speed), plan.point_seq


def run_viewer(path: Path, *, lang: str = "en", start: str | None = None, scenario: Path | None = None) -> int:
    """Open the viewer on a log (the command's entry point); returns the exit code."""
    from drillsim.errors import InputError, Problem
    from drillsim.replay.timespec import parse_time

    log = read_store(path)  # held compactly: the viewer keeps no list of records (docs/design.md, "Memory")
    for warning in log.warnings:
        print(f"drillsim: warning: {warning}")
    minutes = None
    if start is not None:
        try:
            begin = datetime.fromisoformat(str(log.header.get("start")))
        except ValueError:
            begin = None
        try:
            minutes = parse_time(start, begin, float(log.header.get("duration") or 0.0))
        except ValueError as exc:
            raise InputError([Problem("--start", 0, 0, "", str(exc))]) from None
    from drillsim.tui.signals import exit_on_signals

    app = ReplayViewer(path, log, lang=lang, start=minutes, scenario=scenario, freeze_gc=True)
    signals: list[str] = []
    restore = exit_on_signals(lambda: app.exit(None), signals)
    try:
        app.run()
    finally:
        restore()
    try:
        if app.failure is not None:
            print(f"drillsim replay: the viewer stopped after an internal error: {app.failure}\n"
                  f"  the log is unchanged: drillsim replay {path}", file=sys.stderr, flush=True)
            if os.environ.get("DRILLSIM_DEBUG"):
                print(app.failure_details.rstrip(), file=sys.stderr, flush=True)
            return 1
        if signals:
            print(f"drillsim replay: interrupted by {signals[0]}", flush=True)
            return 130
    except OSError:  # the terminal is gone (SIGHUP: the window was closed)
        return 130 if signals else 1
    return 0
