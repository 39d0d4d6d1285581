"""The seat console (``drillsim join``): header and clock, injects received, incidents, teams, feed, decisions.

Everything drawn comes from the records the server sends this seat, folded into the same
:class:`~drillsim.tui.state.ExerciseView` the facilitator console uses, and drawn by the same panes
and dialogs. On every (re)connection the server sends the seat's whole view again and the screen
is rebuilt from it. The keys a seat has follow its rights, but they only ask: the server decides
(a refusal is shown as a notice). See docs/serve.md.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from drillsim.serve.protocol import Bye, Records, SeatInfo, Status, Welcome
from drillsim.tui.guard import FailsCleanly
from drillsim.tui.i18n import Names, text, tr
from drillsim.tui.records import HeldRecords
from drillsim.tui.screens.confirm import ConfirmEnd
from drillsim.tui.screens.decision import DecisionDialog
from drillsim.tui.screens.filter import FilterDialog
from drillsim.tui.screens.inject import InjectDialog
from drillsim.tui.screens.note import NoteDialog
from drillsim.tui.seat.link import Ending, SeatLink
from drillsim.tui.seat.message import MessageDialog
from drillsim.tui.seat.strings import st
from drillsim.tui.state import ExerciseView
from drillsim.tui.widgets.feed import EventFeed, FeedFilter
from drillsim.tui.widgets.header import ClockStatus, ExerciseHeader, speed_label
from drillsim.tui.widgets.incidents import IncidentsTable
from drillsim.tui.widgets.msel import MselTable
from drillsim.tui.widgets.panes import exercise_panes, mark_panes
from drillsim.tui.widgets.teams import TeamsTable

ALLOWED: dict[str, frozenset[str]] = {
    "player": frozenset({"decisions", "message"}),
    "observer": frozenset(),
    "evaluator": frozenset({"note", "message"}),
    "controller": frozenset({"toggle_clock", "faster", "slower", "step", "inject", "note", "decisions", "message",
                             "request_end"}),
}
"""Keys each right offers (the server checks every request again)."""

PANE_INTERVAL = 0.25
"""Seconds between pane redraws (the header follows every status)."""


class SeatScreen(Screen[None]):
    """Header, a status line (seat, connection), four panes and the footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "app.toggle_clock", "Run/Pause"),
        Binding("plus,equals_sign", "app.faster", "Faster", key_display="+"),
        Binding("minus,underscore", "app.slower", "Slower", key_display="-"),
        Binding("full_stop", "app.step", "+1 min", show=False),
        Binding("i", "app.inject", "Inject"),
        Binding("o", "app.note", "Observe"),
        Binding("d", "app.decisions", "Decisions"),
        Binding("m", "app.message", "Message control"),
        Binding("e", "app.request_end", "End"),
        Binding("f", "app.filter", "Filter"),
        Binding("l", "app.lang", "中文"),
        Binding("q", "app.leave", "Leave"),
    ]
    DEFAULT_CSS = """
    SeatScreen #seat-line { height: 1; background: $boost; color: $text; padding: 0 1; }
    SeatScreen #panes { layout: grid; grid-size: 2 2; grid-columns: 1fr 1fr; grid-rows: 1fr 1fr; }
    SeatScreen .pane { border: round $primary 50%; border-title-color: $text; border-title-style: bold;
                       height: 1fr; width: 1fr; }
    SeatScreen .pane:focus-within { border: round $accent; }
    SeatScreen EventFeed { scrollbar-size-horizontal: 0; }
    """

    def __init__(self, view: ExerciseView, names: Names, lang: str) -> None:
        super().__init__(id="seat")
        self.view = view
        self.names = names
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Header, seat line, panes, footer."""
        names, lang = self.names, self.lang
        yield ExerciseHeader(self.view, names, lang, id="header")
        yield Static(id="seat-line")
        yield from exercise_panes(names, lang, scorecard=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Pane titles; the feed has the focus."""
        mark_panes(self)
        self.titles()
        self.query_one("#feed").focus()

    def titles(self) -> None:
        """Pane titles in the current language."""
        for pane_id, title in (("msel", st("pane.injects", self.lang)), ("feed", tr("pane.feed", self.lang)),
                               ("teams", tr("pane.teams", self.lang)),
                               ("incidents", tr("pane.incidents", self.lang))):
            self.query_one(f"#{pane_id}").border_title = title

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys this seat's rights offer."""
        app = self.app
        return app.check_action(action, parameters) if isinstance(app, SeatConsole) else True


class SeatConsole(FailsCleanly, App[Ending | None]):
    """One seat's console, connected to ``drillsim serve``.

    Args:
        url: ``ws://host:port`` or ``wss://host:port``.
        token: The seat's token.
        lang: ``zh`` or ``en``.
        tls: TLS context for ``wss://``.
        retry: Seconds to keep reconnecting after the server is lost.
    """

    TITLE = "drillsim"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "leave", "Leave", show=False, priority=True),
    ]

    def __init__(self, url: str, token: str, *, lang: str = "en", tls: Any = None, retry: float = 30.0) -> None:
        super().__init__()
        self.url = url
        self.lang = lang if lang in ("zh", "en") else "en"
        self.link = SeatLink(url, token, self._server_message, self._link_state, tls=tls, retry=retry)
        self.seat: SeatInfo | None = None
        self.view: ExerciseView | None = None
        self.held = HeldRecords()  # the records the view shows: a compact store (see _fresh_view)
        self.names: Names | None = None
        self.status: Status | None = None
        self.connection = st("seat.connecting", self.lang, url=url)
        self.ending: Ending | None = None
        self.problem: str | None = None
        self.seat_screen: SeatScreen | None = None
        self._dialog: DecisionDialog | None = None
        self._deferred: set[str] = set()
        self._panes_version = -1
        self._panes_wall = 0.0
        self.updates = 0
        """Times the screen was redrawn with news from the server (tests and the benchmark read it)."""

    # -- lifecycle ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Until the server answers: one line saying where it is connecting."""
        yield Static(self.connection, id="connecting")

    def on_mount(self) -> None:
        """Connect, and redraw ten times a second."""
        self.run_worker(self._run_link(), name="link", exit_on_error=False)
        self.set_interval(0.1, self._refresh)

    async def _run_link(self) -> None:
        try:
            ending = await self.link.run()
        except Exception as exc:  # a bug in the link: leave with the reason, never a traceback
            ending = Ending("lost", f"internal error: {type(exc).__name__}: {exc}")
        self.ending = ending
        if ending.code == "ended":
            self.notify(st("ended", self.lang), timeout=30)
            self.connection = ending.reason
            return
        self.exit(ending)

    def fail(self, problem: Any) -> None:
        """A key or a pane raised: leave with one line instead of a traceback."""
        self.problem = f"{type(problem).__name__}: {problem}"
        self.exit(Ending("error", f"the console stopped after an internal error: {self.problem}"), return_code=1)

    # -- messages from the server ------------------------------------------------------------------------

    def _link_state(self, state: str, reason: str) -> None:
        self.connection = (st("seat.connected", self.lang) if state == "connected"
                           else st("seat.reconnecting", self.lang, reason=reason))
        self._seat_line()

    def _server_message(self, msg: Any) -> None:
        if isinstance(msg, Welcome):
            self.seat = msg.seat
            self.view = self._fresh_view(msg.header)
            self.names = Names(msg.header)
            self._deferred.clear()
            self._rebuild()
        elif isinstance(msg, Records) and self.view is not None:
            if msg.reset and self.view.records:
                self.view = self._fresh_view(self.view.header)
                self._rebuild()
            view, held = self.view, self.held
            for rec in msg.records:
                held.add(rec)
                view.apply(rec)
        elif isinstance(msg, Status):
            self.status = msg
            if self.view is not None:
                self.view.advance_clock(msg.now)
            self.updates += 1
        elif isinstance(msg, Bye):
            self.connection = msg.reason

    def _fresh_view(self, header: Mapping[str, Any]) -> ExerciseView:
        """A view on a new record store: what a seat holds of the records it received (docs/design.md, "Memory").

        Why a store: a seat used to keep every record it received as Python objects (~1 KB each) for
        as long as the exercise ran; the server sends everything again on a reconnection (``reset``),
        so that starts a new store, as it starts a new view.
        """
        self.held = HeldRecords()
        return ExerciseView(header, self.held)

    def _rebuild(self) -> None:
        """A fresh screen on a fresh view (a reconnection rebuilds everything from the records)."""
        if self.view is None or self.names is None:
            return
        if self._dialog is not None:
            self._dialog = None
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.seat_screen = SeatScreen(self.view, self.names, self.lang)
        self.push_screen(self.seat_screen)
        self._panes_version = -1
        self.title = text(self.names.title, self.lang) or "drillsim"

    # -- drawing ----------------------------------------------------------------------------------------

    def clock_status(self) -> ClockStatus:
        """The server's clock for the header."""
        s = self.status
        if s is None:
            return ClockStatus(60, False)
        return ClockStatus(s.speed, s.running, None, s.behind)

    def _refresh(self) -> None:
        screen, view = self.seat_screen, self.view
        if screen is None or view is None or not screen.is_mounted:
            return
        try:
            screen.query_one(ExerciseHeader).show(view, self.lang, self.clock_status())
            wall = time.perf_counter()
            if view.version != self._panes_version and wall - self._panes_wall >= PANE_INTERVAL:
                self._panes_version, self._panes_wall = view.version, wall
                for pane in (screen.query_one(MselTable), screen.query_one(IncidentsTable),
                             screen.query_one(TeamsTable), screen.query_one(EventFeed)):
                    pane.sync(view, self.lang)
        except Exception:  # the screen is being replaced (a reconnection): the next tick draws
            return
        self._seat_line()
        dialog = self._dialog
        if dialog is not None and dialog.is_attached:
            status = self.clock_status()
            dialog.show_clock(view.now, status.running, speed_label(status.speed, self.lang))
            if dialog.decision.made is not None:
                dialog.dismiss(None)
        self._offer_decision()

    def _seat_line(self) -> None:
        screen, seat = self.seat_screen, self.seat
        if screen is None or seat is None or not screen.is_mounted:
            return
        line = Text()
        line.append(f" {text(seat.name, self.lang) or seat.id} ", style="bold reverse")
        line.append(f" {st('rights.' + seat.rights, self.lang)}", style="bold")
        if seat.roles and self.names is not None:
            line.append(" · " + self.names.list_names(list(seat.roles), self.lang))
        line.append(f"   {self.connection}", style="dim")
        try:
            screen.query_one("#seat-line", Static).update(line)
        except Exception:  # not mounted yet
            pass

    # -- decisions --------------------------------------------------------------------------------------

    def _offer_decision(self, explicit: bool = False) -> None:
        view, names = self.view, self.names
        if (view is None or names is None or self._dialog is not None or not self.may("decisions")
                or not isinstance(self.screen, SeatScreen)):
            return
        if not explicit and self.seat is not None and self.seat.rights != "player":
            return  # control answers a role's decision only when it chooses to (d)
        waiting = [d for d in view.pending if explicit or d.key not in self._deferred]
        if not waiting:
            if explicit:
                self.notify(tr("decision.none", self.lang))
            return
        decision = waiting[0]
        self._deferred.discard(decision.key)
        dialog = DecisionDialog(decision, names, self.lang)
        self._dialog = dialog

        def done(option: str | None) -> None:
            self._dialog = None
            if option is None:
                if decision.made is None:
                    self._deferred.add(decision.key)
                return
            label = text(decision.options.get(option), self.lang) or option
            self._send({"type": "decide", "decision": decision.key, "option": option},
                       tr("decision.made", self.lang, decision=decision.key, option=label,
                          by=text(self.seat.name if self.seat else None, self.lang)))

        self.push_screen(dialog, done)

    # -- actions ----------------------------------------------------------------------------------------

    def may(self, action: str) -> bool:
        """True when this seat's rights offer ``action``."""
        return self.seat is not None and action in ALLOWED[self.seat.rights]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys of actions the seat's rights do not offer are hidden (the server would refuse them anyway)."""
        if action in ALLOWED["controller"] or action in ("message", "decisions"):
            return self.may(action)
        return True

    def _send(self, body: dict[str, Any], ok: str | None = None) -> None:
        async def go() -> None:
            result = await self.link.request(body)
            if not result.ok:
                self.notify(st("refused", self.lang, error=result.error or "?"), severity="error", timeout=8)
            elif ok:
                self.notify(ok)

        self.run_worker(go(), exit_on_error=False)

    def _clock(self, action: str) -> None:
        if not self.may("toggle_clock"):
            self.notify(st("clock.control_only", self.lang), severity="warning")
            return
        self._send({"type": "clock", "action": action})

    def action_toggle_clock(self) -> None:
        """Space: run or pause the exercise clock (control only)."""
        running = self.status is not None and self.status.running
        self._clock("pause" if running else "run")

    def action_discuss(self) -> None:
        """Space in a decision dialog: run or pause (control only)."""
        self.action_toggle_clock()

    def action_faster(self) -> None:
        """One speed step up (control only)."""
        self._clock("faster")

    def action_slower(self) -> None:
        """One speed step down (control only)."""
        self._clock("slower")

    def action_step(self) -> None:
        """One simulated minute (control only)."""
        self._clock("step")

    def action_decisions(self) -> None:
        """Reopen a decision put aside."""
        self._offer_decision(explicit=True)

    def action_message(self) -> None:
        """Send a message or request to control."""
        if not self.may("message") or not isinstance(self.screen, SeatScreen):
            return

        def done(body: str | None) -> None:
            if body:
                self._send({"type": "message", "text": body}, st("message.sent", self.lang))

        self.push_screen(MessageDialog(self.lang), done)

    def action_inject(self) -> None:
        """Deliver an ad-hoc inject (control only)."""
        if not self.may("inject") or self.view is None or self.names is None or not isinstance(self.screen, SeatScreen):
            return

        def done(payload: dict[str, Any] | None) -> None:
            if payload is None:
                return
            body: dict[str, Any] = {"type": "inject", "to": list(payload.get("to") or [])}
            if payload.get("template"):
                body["template"] = payload["template"]
            for key in ("title", "message"):
                value = payload.get(key)
                if value:
                    body[key] = value if isinstance(value, str) else text(value, self.lang)
            self._send(body)

        self.push_screen(InjectDialog(dict(self.view.header), self.names, self.lang), done)

    def action_note(self) -> None:
        """Add an evaluator observation (evaluators and control)."""
        if not self.may("note") or self.view is None or self.names is None or not isinstance(self.screen, SeatScreen):
            return

        def done(payload: dict[str, Any] | None) -> None:
            if payload is not None:
                self._send({"type": "note", "text": payload["text"], "objective": payload.get("objective"),
                            "rating": payload.get("rating")}, tr("note.saved", self.lang, time=self._now()))

        self.push_screen(NoteDialog(dict(self.view.header), self.names, self.lang), done)

    def _now(self) -> str:
        return self.names.clock(self.view.now) if self.names is not None and self.view is not None else ""

    def action_request_end(self) -> None:
        """End the exercise after a confirmation (control only)."""
        if not self.may("request_end") or not isinstance(self.screen, SeatScreen):
            return

        def done(yes: bool | None) -> None:
            if yes:
                self._send({"type": "end"})

        self.push_screen(ConfirmEnd(self.lang), done)

    def action_filter(self) -> None:
        """Filter the feed by agency or kind."""
        screen = self.screen
        if not isinstance(screen, SeatScreen) or self.view is None or self.names is None:
            return
        feed = screen.query_one(EventFeed)

        def done(flt: FeedFilter | None) -> None:
            if flt is not None:
                feed.set_filter(flt)

        self.push_screen(FilterDialog(dict(self.view.header), feed.filter, self.names, self.lang), done)

    def action_lang(self) -> None:
        """Switch between Chinese and English."""
        self.lang = "en" if self.lang == "zh" else "zh"
        self._rebuild()

    def action_leave(self) -> None:
        """Leave this console (the seat stays at the exercise; join again with the token to come back)."""
        self.exit(self.ending or Ending("left", "left the exercise (join again with the same token to come back)"))
