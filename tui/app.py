"""The facilitator console (``drillsim play``): a textual app over a :class:`~drillsim.tui.driver.Driver`.

A timer on the UI thread moves the clock a slice at a time (:mod:`drillsim.tui.clock`); records emitted by
the engine flow into the view (:mod:`drillsim.tui.state`) and the panes redraw from it. Every action —
a decision, an ad-hoc inject, an observation, a role change, the end — goes through the driver
as an external input, so it is logged with its simulated time and the log replays.

Nothing that raises inside the console may leave a half-dead app or a traceback over the
terminal: the simulation, a record the view cannot fold, a pane, a dialog or an action — each
ends in :meth:`DrillConsole.fail`, which stops the clock, closes the log, writes ``error.txt``
and shows :class:`~drillsim.tui.screens.error.ErrorScreen` (see :mod:`drillsim.tui.failure`).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Awaitable, Callable, Collection, Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingsMap, BindingType
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from drillsim.tui import bridge
from drillsim.tui.clock import Clock
from drillsim.tui.driver import LiveDriver, SimulationFault, ViewFault
from drillsim.tui.failure import Failure, describe, format_error, write_error_file
from drillsim.tui.guard import FailsCleanly
from drillsim.tui.i18n import STRINGS, Names, text, tr
from drillsim.tui.screens.confirm import ConfirmEnd
from drillsim.tui.screens.decision import DecisionDialog
from drillsim.tui.screens.end import EndScreen
from drillsim.tui.screens.error import ErrorScreen
from drillsim.tui.screens.filter import FilterDialog
from drillsim.tui.screens.inject import InjectDialog
from drillsim.tui.screens.inject_detail import InjectDetail
from drillsim.tui.screens.note import NoteDialog
from drillsim.tui.screens.roles import RolesDialog
from drillsim.tui.state import ExerciseView
from drillsim.tui.widgets.feed import EventFeed, FeedFilter
from drillsim.tui.widgets.header import ClockStatus, ExerciseHeader, speed_label
from drillsim.tui.widgets.incidents import IncidentsTable
from drillsim.tui.widgets.msel import MselTable
from drillsim.tui.widgets.panes import exercise_panes, mark_panes
from drillsim.tui.widgets.scorecard import ScorecardPane
from drillsim.tui.widgets.teams import TeamsTable

ACTIONS: tuple[tuple[str, str, str, bool], ...] = (
    # (keys, action, i18n suffix, shown in the footer) — one palette entry per action, in this order
    ("space", "toggle_clock", "pause", True),
    ("plus,equals_sign", "faster", "faster", True),
    ("minus,underscore", "slower", "slower", True),
    ("n", "next_inject", "next_inject", True),
    ("m", "next_decision", "next_decision", True),
    ("full_stop", "step", "step", False),
    ("i", "inject", "inject", True),
    ("o", "note", "note", True),
    ("d", "decisions", "decisions", True),
    ("r", "roles", "roles", True),
    ("f", "filter", "filter", True),
    ("l", "lang", "lang", True),
    ("z", "zoom", "zoom", False),
    ("e,q", "request_end", "end", True),
)

KEY_DISPLAY = {"space": "space", "plus,equals_sign": "+", "minus,underscore": "-", "full_stop": ".",
               "e,q": "e/q"}

DISCUSSION_SPEED = 60
"""Resuming the clock from a decision dialog starts at most this fast: 30 simulated minutes = 30 s."""

PANE_INTERVAL = 0.25
"""Seconds between pane redraws while the clock runs (the header follows every tick)."""

MAX_FAULTS = 4
"""Errors after the first one that the error screen absorbs before the console leaves (a bug that keeps
raising, e.g. in drawing, must not trap the facilitator)."""

COMPACT_WIDTH = 120
COMPACT_HEIGHT = 34
TINY_WIDTH = 80
TINY_HEIGHT = 24
"""Below this, notices are one line across the screen and one at a time."""


GROUPED = {"faster": "key.speed", "slower": "key.speed"}
"""Actions shown together in the footer under one label (``+ - Speed``)."""


WIDE_ONLY = {"decisions", "roles", "filter", "lang"}
"""Shown in the footer only when there is room (the palette and the docs list them all)."""


def console_bindings(lang: str, compact: bool = False) -> list[Binding]:
    """The console's key bindings with descriptions in ``lang`` (the footer shows them)."""
    groups = {key: Binding.Group(tr(key, lang), compact=True) for key in set(GROUPED.values())}

    def label(name: str) -> str:
        short = f"key.{name}.short"
        return tr(short if compact and short in STRINGS else f"key.{name}", lang)

    return [Binding(keys, f"app.{action}", label(name), show=show and not (compact and name in WIDE_ONLY),
                    key_display=key_display(keys, lang), group=groups.get(GROUPED.get(action, "")))
            for keys, action, name, show in ACTIONS]


def translate_palette_key(app: App[Any], lang: str) -> None:
    """The footer's command-palette label (``^p commands``) in ``lang``: the console's and the viewer's."""
    key = app.COMMAND_PALETTE_BINDING
    app._bindings.key_to_bindings[key] = [Binding(
        key, "command_palette", tr("key.palette", lang), show=False,
        key_display=app.COMMAND_PALETTE_DISPLAY, priority=True)]


def key_display(keys: str, lang: str) -> str | None:
    """How the footer writes a key: ``+``, ``e/q``, and the space bar as ``space`` / ``空格``."""
    if keys == "space":
        return tr("keycap.space", lang)
    return KEY_DISPLAY.get(keys)


class ConsoleScreen(Screen[None]):
    """Header, the five panes and the footer; the layout adapts to the terminal size."""

    DEFAULT_CSS = """
    ConsoleScreen #panes {
        layout: grid;
        grid-size: 3 2;
        grid-columns: 1fr 1fr 1fr;
        grid-rows: 2fr 3fr;
    }
    ConsoleScreen #feed { column-span: 2; }
    ConsoleScreen.-compact #panes {
        grid-size: 2 3;
        grid-columns: 1fr 1fr;
        grid-rows: 1fr 1fr 1fr;
    }
    ConsoleScreen.-compact #feed { column-span: 1; row-span: 2; }
    ConsoleScreen .pane {
        border: round $primary 50%;
        border-title-color: $text;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        height: 1fr;
        width: 1fr;
    }
    ConsoleScreen .pane:focus-within { border: round $accent; }
    ConsoleScreen.-compact .pane { border: round $primary 50%; padding: 0; }
    ConsoleScreen.-compact DataTable { scrollbar-size-horizontal: 0; }
    ConsoleScreen.-compact .pane:focus-within { border: round $accent; }
    ConsoleScreen EventFeed { scrollbar-size-horizontal: 0; }
    ConsoleScreen .pane, ConsoleScreen .pane DataTable { scrollbar-size-vertical: 1; }
    """

    def __init__(self, view: ExerciseView, names: Names, lang: str) -> None:
        super().__init__(id="console")
        self.view = view
        self.names = names
        self.lang = lang
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        """Footer and pane titles in ``lang``."""
        self.lang = lang
        base = self._merged_bindings.copy() if self._merged_bindings is not None else BindingsMap()
        for binding in console_bindings(lang, self.has_class("-compact")):
            for key in (k.strip() for k in binding.key.split(",")):
                base.key_to_bindings[key] = [Binding(key, binding.action, binding.description,
                                                     show=binding.show, key_display=binding.key_display,
                                                     group=binding.group)]
        self._bindings = base
        if self.is_mounted:
            self._titles()
            self.refresh_bindings()

    def _titles(self) -> None:
        for pane_id, key in (("msel", "pane.msel"), ("feed", "pane.feed"), ("teams", "pane.teams"),
                             ("incidents", "pane.incidents"), ("scorecard", "pane.scorecard")):
            self.query_one(f"#{pane_id}").border_title = tr(key, self.lang)

    def compose(self) -> ComposeResult:
        """Header, panes, footer."""
        names, lang = self.names, self.lang
        yield ExerciseHeader(self.view, names, lang, id="header")
        yield from exercise_panes(names, lang)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Titles and the layout for the current size."""
        mark_panes(self)
        self._titles()
        self._layout()
        self.query_one("#feed").focus()

    def on_resize(self) -> None:
        """Compact layout below 120×34."""
        self._layout()

    def _layout(self) -> None:
        w, h = self.size
        compact = w < COMPACT_WIDTH or h < COMPACT_HEIGHT
        if compact != self.has_class("-compact"):
            self.set_class(compact, "-compact")
            self.set_lang(self.lang)  # the footer shows fewer keys when compact


class DrillConsole(FailsCleanly, App[bridge.EndFiles | None]):
    """The facilitator console.

    Args:
        driver: Runs the exercise (live: :class:`~drillsim.tui.driver.LiveDriver`).
        lang: ``zh`` or ``en``.
        out_dir: Where the log is and where the scorecard and report go.
        tick: Seconds between clock ticks.
        speed: Initial clock speed (simulated seconds per second).
        notify_injects: Pop a notice when an inject is delivered (off for screenshots).
        service: Started in the console's event loop when it opens, cancelled when it closes
            (``drillsim serve``: the seats' server, which shares this loop and so the engine's thread).
        seated: Roles played from seats (``drillsim serve``): their decisions are not put before the
            facilitator by themselves (``d`` still opens them).
    """

    TITLE = "drillsim"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "request_end", "End", show=False, priority=True),
        Binding("ctrl+q", "request_end", "End", show=False, priority=True),
    ]
    ENABLE_COMMAND_PALETTE = True
    CSS = """
    Footer.-compact FooterLabel { margin: 0 1 0 0; }
    DrillConsole.-tiny Toast { width: 100%; max-width: 100%; padding: 0 1; margin-top: 0; }
    """

    def __init__(self, driver: LiveDriver, *, lang: str = "en", out_dir: str | Path | None = None,
                 tick: float = 0.1, speed: int = 60, notify_injects: bool = True, report: bool = True,
                 form: str = "aar", service: Callable[[], Awaitable[None]] | None = None,
                 seated: Collection[str] = ()) -> None:
        super().__init__()
        self.service = service
        self.seated = frozenset(seated)
        self.driver = driver
        self.view = driver.view
        self.names = Names(driver.header)
        self.lang = lang if lang in ("zh", "en") else "en"
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.clock = Clock(driver, speed=speed)
        self.tick_seconds = tick
        self.notify_injects = notify_injects
        self.write_report = report
        self.report_form = form
        self.score = bridge.LiveScore(False, problem="not scored yet")
        self.files: bridge.EndFiles | None = None
        self.console_screen: ConsoleScreen | None = None
        self.end_screen: EndScreen | None = None
        self._last_wall = time.perf_counter()
        self._seen = len(self.view.records)
        self._deferred: set[str] = set()
        self._dialog: DecisionDialog | None = None
        self._translate_palette_key()
        self._score_wall = 0.0
        self._panes_wall = 0.0
        self._score_version = -1
        self._ending = False
        self._leave_asked = False
        self._leaving = False
        self._report_proc: subprocess.Popen[str] | None = None
        self.failure: Failure | None = None
        self.error_screen: ErrorScreen | None = None
        self._faults = 0

    def _translate_palette_key(self) -> None:
        """The footer's command-palette label in the console's language."""
        translate_palette_key(self, self.lang)

    # -- lifecycle ----------------------------------------------------------------------------

    def on_resize(self, event: Any) -> None:
        """Small terminals get one-line notices, one at a time (see :meth:`notify`)."""
        self._size_class()

    def _size_class(self) -> None:
        w, h = self.size
        self.set_class(w < TINY_WIDTH or h < TINY_HEIGHT, "-tiny")

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """A notice; on a small terminal it replaces the one before, so notices never cover the panes."""
        if self.has_class("-tiny"):
            self.clear_notifications()
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        """Show the console and start the clock timer (the clock itself starts paused)."""
        self._size_class()
        self.title = text(self.names.title, self.lang) or "drillsim"
        self.console_screen = ConsoleScreen(self.view, self.names, self.lang)
        self.push_screen(self.console_screen)
        self.set_interval(self.tick_seconds, self._tick)
        self.call_after_refresh(self.refresh_panes, True)
        if self.service is not None:
            self.run_worker(self.service(), name="seats", exit_on_error=False)

    def _tick(self) -> None:
        try:
            self._tick_once()
        except Exception as exc:  # the simulation or a pane raised: stop cleanly (see fail)
            self.fail(exc)

    def _tick_once(self) -> None:
        now = time.perf_counter()
        wall_dt, self._last_wall = now - self._last_wall, now
        if self.driver.ended and not self._ending and self.failure is None:
            self._ending = True  # ended from elsewhere (a controller seat of drillsim serve): show the end
            self.clock.pause()
            self._consume_records()
            if not self._view_failed():
                self._show_end()
            return
        if self.driver.ended or self._ending:
            return
        was_active = self.clock.active
        result = self.clock.tick(wall_dt)
        self._consume_records()
        if self._view_failed():
            return
        if result.at_end and not self.driver.ended:
            self.end_exercise("duration")
            return
        if result.halted or self.view.pending:
            self._offer_decision()
        stopped = was_active and not self.clock.active  # reached a target, or a decision opened
        # When the clock stops, everything (the scorecard too) shows the moment it stopped at.
        self.refresh_panes(force_score=stopped, throttle=not stopped)

    # -- drawing ----------------------------------------------------------------------------------

    def status(self) -> ClockStatus:
        """The clock's state for the header."""
        c = self.clock
        return ClockStatus(c.speed, c.running, c.run_to_kind if c.run_to is not None else None, c.behind)

    def refresh_panes(self, force_score: bool = False, *, throttle: bool = False) -> None:
        """Redraw the header and let each pane catch up with the view.

        Args:
            force_score: Rescore now (after an observation, a language switch).
            throttle: From the clock tick: the header always, the panes at most :data:`PANE_INTERVAL`.
        """
        console = self.console_screen
        if console is None or not console.is_mounted or self.failure is not None:
            return  # after a failure the panes are hidden and may be what failed
        view, lang = self.view, self.lang
        wall = time.perf_counter()
        if throttle and wall - self._panes_wall < PANE_INTERVAL:
            try:
                console.query_one(ExerciseHeader).show(view, lang, self.status())
            except NoMatches:
                pass
            if self._dialog is not None and self._dialog.is_attached:
                self._dialog.show_clock(view.now, self.clock.active, speed_label(self.clock.speed, lang))
            return
        self._panes_wall = wall
        try:
            header = console.query_one(ExerciseHeader)
            panes = (console.query_one(MselTable), console.query_one(IncidentsTable),
                     console.query_one(TeamsTable), console.query_one(EventFeed))
            scorecard = console.query_one(ScorecardPane)
        except NoMatches:  # shutting down: the screen's widgets are already gone
            return
        header.show(view, lang, self.status())
        for pane in panes:
            pane.sync(view, lang)
        # Rescore at most once a second, and less often when scoring is slow (a huge log): the UI
        # thread spends at most a tenth of its time on it.
        every = max(1.0, 10.0 * self.score.seconds)
        if force_score or (view.version != self._score_version and wall - self._score_wall >= every):
            self._score_wall, self._score_version = wall, view.version
            self.score = bridge.live_score(view.header, self.driver.store, view.now)
        scorecard.sync(view, lang, self.score)
        if self._dialog is not None and self._dialog.is_attached:
            self._dialog.show_clock(view.now, self.clock.active, speed_label(self.clock.speed, lang))

    def _consume_records(self) -> None:
        """React to new records: inject notices, decisions that timed out."""
        records = self.view.records
        for rec in records[self._seen:]:
            kind = rec[2]
            if kind == "inject.delivered" and self.notify_injects and rec[5].get("source") != "facilitator":
                title = text(rec[5].get("title"), self.lang)
                self.notify(tr("inject.delivered", self.lang, id=rec[4], title=title), timeout=6)
            elif kind == "decision.made" and rec[5].get("by") == "default":
                dec = self.view.decisions.get(rec[4] or "")
                if dec is not None and dec.asked == "players":
                    label = text(rec[5].get("label"), self.lang) or rec[5].get("option")
                    self.notify(tr("decision.timeout", self.lang, decision=rec[4], option=label),
                                severity="warning", timeout=10)
                    self._deferred.discard(rec[4])
                    if self._dialog is not None and self._dialog.decision.key == rec[4]:
                        self._dialog.dismiss(None)
            elif kind == "decision.made" and self._dialog is not None and self._dialog.decision.key == rec[4]:
                self._dialog.dismiss(None)  # answered from a seat (drillsim serve)
        self._seen = len(records)

    # -- decisions ------------------------------------------------------------------------------

    def _offer_decision(self, explicit: bool = False) -> None:
        """Open the dialog for the oldest pending decision (unless put aside or a dialog is open)."""
        if self._dialog is not None or self.driver.ended or not isinstance(self.screen, ConsoleScreen):
            return
        waiting = [d for d in self.view.pending
                   if explicit or (d.key not in self._deferred and d.role not in self.seated)]
        if not waiting:
            if explicit:
                self.notify(tr("decision.none", self.lang))
            return
        decision = waiting[0]
        self.clock.pause()
        self._deferred.discard(decision.key)
        dialog = DecisionDialog(decision, self.names, self.lang)
        self._dialog = dialog

        def done(option: str | None) -> None:
            self._dialog = None
            if option is None:
                if decision.made is None:
                    self._deferred.add(decision.key)
            else:
                self._submit({"kind": "decide", "decision": decision.key, "option": option, "by": "players"})
                label = text(decision.options.get(option), self.lang) or option
                self.notify(tr("decision.made", self.lang, decision=decision.key, option=label,
                               by=tr("by.players", self.lang)))
            self.refresh_panes()
            self.call_after_refresh(self._offer_decision)

        self.push_screen(dialog, done)
        dialog.call_after_refresh(dialog.show_clock, self.view.now, self.clock.active,
                                  speed_label(self.clock.speed, self.lang))

    def _submit(self, payload: dict[str, Any]) -> bool:
        """Apply an input through the driver; a refusal is shown, never raised; a fault stops the exercise."""
        try:
            self.driver.submit(payload)
        except ValueError as exc:
            self.notify(tr("notify.refused", self.lang, error=str(exc)), severity="error", timeout=8)
            return False
        except SimulationFault as exc:
            self.fail(exc)
            return False
        finally:
            self._consume_records()
        return not self._view_failed()

    def _view_failed(self) -> bool:
        """Stop the exercise if the view could not fold a record (checked after every driver call)."""
        fault = self.driver.view_fault
        if fault is not None and self.failure is None:
            self.fail(fault)
            return True
        return False

    # -- actions (keys, palette) --------------------------------------------------------------------

    def action_toggle_clock(self) -> None:
        """Space: pause or resume."""
        if self.driver.ended:
            return
        if not self.clock.active and self.driver.now >= self.driver.duration:
            self.end_exercise("duration")
            return
        self.clock.toggle()
        self._last_wall = time.perf_counter()
        self.refresh_panes(force_score=not self.clock.active)

    def action_discuss(self) -> None:
        """Space in a decision dialog: let time run while the table discusses (at most ×60 to start)."""
        if not self.clock.active:
            while self.clock.speed > DISCUSSION_SPEED:
                self.clock.slower()
        self.action_toggle_clock()

    def action_faster(self) -> None:
        """One speed step up."""
        self.clock.faster()
        self.refresh_panes()

    def action_slower(self) -> None:
        """One speed step down."""
        self.clock.slower()
        self.refresh_panes()

    def action_step(self) -> None:
        """Advance one simulated minute."""
        if not self.driver.ended:
            self.clock.start_run_to(self.driver.now + 1.0, "step")

    def action_next_inject(self) -> None:
        """Run to the next scheduled inject and pause there (pressed again on the way: the one after)."""
        self._run_to(self.view.next_inject_time(after=self._heading_to("inject")), "inject")

    def action_next_decision(self) -> None:
        """Run to the next scenario decision point and pause there (again on the way: the one after)."""
        self._run_to(self.view.next_decision_time(after=self._heading_to("decision")), "decision")

    def _heading_to(self, kind: str) -> float | None:
        clock = self.clock
        return clock.run_to if clock.run_to is not None and clock.run_to_kind == kind else None

    def _run_to(self, t: float | None, kind: str) -> None:
        if self.driver.ended:
            return
        if t is None:
            self.notify(tr("notify.run_to_none", self.lang))
            return
        self.clock.start_run_to(t, kind)
        self.refresh_panes()

    def action_inject(self) -> None:
        """Open the ad-hoc inject dialog."""
        if self.driver.ended or not isinstance(self.screen, ConsoleScreen):
            return

        def done(payload: dict[str, Any] | None) -> None:
            if payload is not None and self._submit(payload):
                rec = next((r for r in reversed(self.view.records)  # this one, not a scheduled one due now
                            if r[2] == "inject.delivered" and r[5].get("source") == "facilitator"), None)
                if rec is not None:
                    self.notify(tr("inject.sent", self.lang, id=rec[4],
                                   to=self.names.list_names(rec[5].get("to") or [], self.lang)))
            self.refresh_panes()

        self.push_screen(InjectDialog(dict(self.driver.header), self.names, self.lang, sorted(self.view.players)),
                         done)

    def action_note(self) -> None:
        """Open the evaluator observation dialog."""
        if self.driver.ended or not isinstance(self.screen, ConsoleScreen):
            return

        def done(payload: dict[str, Any] | None) -> None:
            if payload is not None and self._submit(payload):
                self.notify(tr("note.saved", self.lang, time=self.names.clock(self.view.now)))
            self.refresh_panes(force_score=True)

        self.push_screen(NoteDialog(dict(self.driver.header), self.names, self.lang), done)

    def action_decisions(self) -> None:
        """Reopen a decision that was put aside."""
        self._offer_decision(explicit=True)

    def action_roles(self) -> None:
        """Choose which agencies people play."""
        if self.driver.ended or not isinstance(self.screen, ConsoleScreen):
            return
        agencies = list((self.driver.header.get("roster") or {}).get("agencies") or {})

        def done(changes: list[dict[str, Any]] | None) -> None:
            for payload in changes or ():
                if self._submit(payload):
                    state = tr("roles.played" if payload["played"] else "roles.doctrine", self.lang)
                    agency = self.names.name(payload["agency"], self.lang)
                    self.notify(tr("roles.changed", self.lang, agency=agency, state=state))
            self.refresh_panes()

        self.push_screen(RolesDialog(agencies, self.view.players, self.names, self.lang), done)

    def action_filter(self) -> None:
        """Filter the event feed."""
        if not isinstance(self.screen, ConsoleScreen):
            return
        feed = self.screen.query_one(EventFeed)

        def done(flt: FeedFilter | None) -> None:
            if flt is not None:
                feed.set_filter(flt)

        self.push_screen(FilterDialog(dict(self.driver.header), feed.filter, self.names, self.lang), done)

    def action_lang(self) -> None:
        """Switch between Chinese and English."""
        self.lang = "en" if self.lang == "zh" else "zh"
        self.title = text(self.names.title, self.lang) or "drillsim"
        self._translate_palette_key()
        if self.console_screen is not None:
            self.console_screen.set_lang(self.lang)
        self.refresh_panes(force_score=True)
        self.notify(tr("notify.lang", self.lang))

    def action_zoom(self) -> None:
        """Zoom the focused pane to the whole screen, or back."""
        screen = self.screen
        if not isinstance(screen, ConsoleScreen):
            return
        if screen.maximized is not None:
            screen.minimize()
            return
        focused = screen.focused
        if focused is not None:
            pane = next((w for w in [focused, *focused.ancestors] if isinstance(w, Widget)
                         and w.has_class("pane")), focused)
            screen.maximized = pane

    def action_show_inject(self, key: str) -> None:
        """Show one inject's full text."""
        row = self.view.injects.get(key)
        if row is not None:
            self.push_screen(InjectDetail(row, self.names.injects.get(row.key), self.names, self.lang))

    def on_msel_table_selected(self, message: MselTable.Selected) -> None:
        """Enter on an MSEL row."""
        try:
            self.action_show_inject(message.key)
        except Exception as exc:  # a handler of the app: raising would end its message loop
            self.fail(exc)

    def action_request_end(self) -> None:
        """``e``, ``q`` or Ctrl+C: end the exercise after a confirmation (or leave, once ended).

        Ctrl+C (or Ctrl+Q) pressed again while the question is open — even under the command
        palette — answers it: the exercise ends, as twice Ctrl-C ends any terminal program.
        """
        if self.driver.ended:
            self.action_leave()
            return
        if self._ending:
            return
        asked = next((s for s in self.screen_stack if isinstance(s, ConfirmEnd)), None)
        if asked is not None:  # asked already: a second Ctrl-C (or Ctrl-Q) is the answer, as in any terminal program
            while self.screen is not asked and len(self.screen_stack) > 1:
                self.pop_screen()  # a command palette opened over the question
            asked.dismiss(True)
            return
        # The clock holds while the question is open (at ×3600 hours would pass while it is read);
        # "carry on" picks up where it was.
        clock = self.clock
        running, run_to, run_to_kind = clock.running, clock.run_to, clock.run_to_kind
        clock.pause()

        def done(yes: bool | None) -> None:
            if yes:
                self.end_exercise("facilitator")
            elif not self.driver.ended and not clock.active:
                self._last_wall = time.perf_counter()
                if run_to is not None and run_to_kind is not None:
                    clock.start_run_to(run_to, run_to_kind)
                elif running:
                    clock.resume()
            self.refresh_panes()

        self.push_screen(ConfirmEnd(self.lang), done)
        self.refresh_panes()

    def action_command_palette(self) -> None:
        """Ctrl+P, unless a palette is already open under a dialog.

        (textual checks only the top screen and would push a second palette with the same id.)
        """
        if not any(isinstance(s, CommandPalette) for s in self.screen_stack):
            super().action_command_palette()

    async def action_quit(self) -> None:
        """Textual's own quit (palette) asks first, like q."""
        self.action_request_end()

    def action_leave(self) -> None:
        """Leave the console after the end (asks once more while the report is still being written)."""
        if self.files is None and self.end_screen is not None and not self._leave_asked:
            self._leave_asked = True
            self.notify(tr("end.still_writing", self.lang), severity="warning", timeout=8)
            return
        self.exit(self.files, return_code=1 if self.failure is not None else 0)

    def exit(self, result: bridge.EndFiles | None = None, return_code: int = 0, message: Any = None) -> None:
        """Leave the app (a key, a signal): a report still being written is stopped, so leaving is prompt."""
        self._leaving = True
        proc = self._report_proc
        if proc is not None and proc.poll() is None:
            proc.terminate()  # the report is written atomically: nothing half-written is left behind
        super().exit(result, return_code, message)

    # -- the end --------------------------------------------------------------------------------------

    def end_exercise(self, reason: str) -> None:
        """Close the log, show the scorecard full screen, write the report in the background."""
        if self._ending:
            return
        self._ending = True
        self.clock.pause()
        try:
            if reason == "duration" or not self.driver.live:
                self.driver.finish(reason)
            else:
                try:
                    self.driver.submit({"kind": "end", "reason": reason})
                except ValueError:
                    self.driver.finish(reason)
        except SimulationFault as exc:
            self.fail(exc)
            return
        self._consume_records()
        if self._view_failed():
            return
        self._show_end()

    def _show_end(self) -> None:
        """The scorecard full screen; the scorecard and report written by a worker thread."""
        view = self.view
        self.score = bridge.live_score(view.header, self.driver.store, view.now)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, ConsoleScreen):
            self.pop_screen()
        self.end_screen = EndScreen(view, self.names, self.lang, self.score)
        self.push_screen(self.end_screen)
        self.notify(tr("notify.ended", self.lang))
        self.run_worker(self._write_outputs, thread=True, name="after-action report", exit_on_error=False)

    def _write_outputs(self) -> None:
        """Worker thread: scorecard and report from the closed log (a failure is reported, never raised)."""
        log = self.driver.log_path
        try:
            if log is None or self.out_dir is None:
                files = bridge.EndFiles(log or "(memory only)", scorecard_problem="no log file",
                                        report_problem="no log file")
            else:
                files = bridge.write_outputs(log, self.out_dir, self.lang, form=self.report_form,
                                             report=self.write_report, score=self.score,
                                             started=self._report_started)
        except Exception as exc:  # e.g. a full disk: say so on the end screen
            problem = f"{type(exc).__name__}: {exc}"
            files = bridge.EndFiles(log or "(memory only)", scorecard_problem=problem, report_problem=problem)
        if not self._leaving:
            try:
                self.call_from_thread(self._show_files, files)
            except Exception:  # the app closed meanwhile: nobody is left to show them to
                pass

    def _report_started(self, proc: subprocess.Popen[str]) -> None:
        """Worker thread: keep the report's process, so leaving early can stop it."""
        self._report_proc = proc
        if self._leaving:
            proc.terminate()

    def _show_files(self, files: bridge.EndFiles) -> None:
        self.files = files
        if self.end_screen is not None and self.end_screen.is_mounted:
            self.end_screen.show_files(files)

    # -- failures -------------------------------------------------------------------------------------

    def fail(self, problem: BaseException | ViewFault) -> None:
        """Something raised: stop the clock, close the log, write ``error.txt``, show what happened.

        Never raises. The exercise cannot go on (see :mod:`drillsim.tui.failure` for what the log holds
        for each source); the facilitator still gets the scorecard and report of what happened
        so far, and leaves with q or Ctrl+C. A later error is added to ``error.txt``; after
        :data:`MAX_FAULTS` of them the console leaves by itself.
        """
        if self.failure is not None:
            self._fail_again(problem)
            return
        driver = self.driver
        failure = describe(problem, driver.now)
        failure.after_end = driver.ended
        self.failure = failure
        self._ending = True
        self.clock.pause()
        driver.stop("error")
        failure.log_path = driver.log_path
        failure.log_end_reason = driver.end_reason
        failure.log_records = driver.exercise.log.next_seq
        write_error_file(failure, self._error_dir(), driver.header)
        scorecard = self.end_screen is not None
        if not scorecard:
            try:
                self._consume_records()
                self._show_end()
                scorecard = True
            except Exception as exc:
                self._fail_again(exc)
        try:
            self.error_screen = ErrorScreen(failure, self.names, self.lang, scorecard=scorecard)
            self.push_screen(self.error_screen)
        except Exception as exc:
            failure.later.append(format_error(exc))
            write_error_file(failure, self._error_dir(), driver.header)
            self.exit(self.files, return_code=1)

    def _fail_again(self, problem: BaseException | ViewFault) -> None:
        failure = self.failure
        assert failure is not None
        self._faults += 1
        failure.later.append(problem.details if isinstance(problem, ViewFault) else format_error(problem))
        write_error_file(failure, self._error_dir(), self.driver.header)
        if self._faults >= MAX_FAULTS:
            self.exit(self.files, return_code=1)
            return
        try:
            if self.error_screen is not None:
                self.error_screen.refresh_details()
            if failure.error_file:
                self.notify(tr("error.again", self.lang, path=failure.error_file), severity="error", timeout=8)
        except Exception:  # the count above bounds how often this can go on
            pass

    def _error_dir(self) -> Path | None:
        if self.out_dir is not None:
            return self.out_dir
        log = self.driver.log_path
        return Path(log).parent if log is not None else None

    # -- command palette ---------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """An entry for every console action, in the current language, then textual's own (theme, keys…)."""
        lang = self.lang
        if isinstance(screen, ConsoleScreen):
            for _keys, action, name, _show in ACTIONS:
                yield SystemCommand(tr(f"key.{name}", lang), tr(f"cmd.{name}", lang),
                                    getattr(self, f"action_{action}"))
            msel = screen.query_one(MselTable)
            if msel.row_count:
                row_key, _ = msel.coordinate_to_cell_key(msel.cursor_coordinate)
                if row_key.value is not None:
                    key = str(row_key.value)
                    label = tr("cmd.show_inject", lang)
                    yield SystemCommand(f"{label} ({key})", label, lambda: self.action_show_inject(key))
        elif isinstance(screen, EndScreen):
            yield SystemCommand(tr("key.quit", lang), tr("end.keys", lang), self.action_leave)
        for cmd in super().get_system_commands(screen):
            if cmd.title != "Quit":
                yield cmd
