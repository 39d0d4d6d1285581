"""The console stopped after an internal error: one line on what happened, where the log and the details are.

Deliberately plain (a few ``Static`` lines, no table, nothing from the panes), so it still works
when the bug is in the drawing code. It is a full screen, not a modal, so the screen below — which
may be the one that failed — is not drawn behind it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from drillsim.tui.failure import Failure
from drillsim.tui.i18n import Names, format_offset, tr


class ErrorScreen(Screen[None]):
    """Enter or Esc shows the scorecard (when there is one); q leaves the console."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", "Scorecard", show=False),
        Binding("q", "app.leave", "Leave", show=False),
    ]
    DEFAULT_CSS = """
    ErrorScreen { border: thick $error; }
    ErrorScreen > VerticalScroll { height: 1fr; padding: 0 1; }
    ErrorScreen #error-title { text-style: bold; color: $error; }
    ErrorScreen #error-what { text-style: bold; margin: 1 0; }
    ErrorScreen .error-line { margin-bottom: 1; }
    ErrorScreen #error-keys { dock: bottom; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, failure: Failure, names: Names, lang: str, *, scorecard: bool) -> None:
        super().__init__(id="error")
        self.failure = failure
        self.names = names
        self.lang = lang
        self.scorecard = scorecard

    def compose(self) -> ComposeResult:
        """Title, what happened, what it means, the log, the details; the keys below."""
        f, lang = self.failure, self.lang
        with VerticalScroll():
            yield Static(tr("error.title", lang), id="error-title", markup=False)
            yield Static(self.what(), id="error-what", markup=False)
            if f.after_end:
                stopped = "error.after_end"
            else:
                stopped = "error.stopped.simulation" if f.source == "simulation" else "error.stopped.display"
            yield Static(tr(stopped, lang), classes="error-line", markup=False)
            if f.log_path is None:
                log = tr("error.log_memory", lang)
            elif f.log_end_reason is None:
                log = tr("error.log_intact", lang, path=f.log_path)
            else:
                log = tr("error.log_ended", lang, path=f.log_path, reason=f.log_end_reason)
            yield Static(log, id="error-log", classes="error-line", markup=False)
            yield Static(self.details(), id="error-details", classes="error-line", markup=False)
            if self.scorecard:
                yield Static(tr("error.scorecard", lang), classes="error-line", markup=False)
        # Outside the scrolled text, so the keys show however small the window is.
        yield Static(tr("error.keys" if self.scorecard else "error.keys_leave", lang), id="error-keys",
                     markup=False)

    def what(self) -> str:
        """One line: what failed, when, and the error."""
        f, lang = self.failure, self.lang
        when = {"clock": self.names.clock(f.t), "offset": format_offset(f.t), "error": f.summary}
        if f.source == "display" and f.record is not None:
            return tr("error.display", lang, seq=f.record[1], kind=f.record[2], **when)
        return tr(f"error.{f.source}", lang, **when)

    def details(self) -> str:
        """Where the traceback is (or why it could not be written)."""
        f = self.failure
        if f.error_file is not None:
            return tr("error.details", self.lang, path=f.error_file)
        return tr("error.no_details", self.lang, problem=f.error_file_problem or "?")

    def refresh_details(self) -> None:
        """After a later error was added to the file (or writing it failed)."""
        if self.is_mounted:
            self.query_one("#error-details", Static).update(Text(self.details()))

    async def action_close(self) -> None:
        """Show the scorecard below, or leave when there is none."""
        if self.scorecard:
            self.dismiss(None)
        else:
            await self.app.run_action("leave")
