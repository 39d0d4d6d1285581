"""The event feed: every record as a line of plain language, filterable by agency and by kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.widgets import RichLog

from drillsim.tui.describe import describe, family, involves
from drillsim.tui.i18n import Names, tr
from drillsim.tui.state import ExerciseView

if TYPE_CHECKING:
    from drillsim.log import Row

FAMILY_STYLE = {
    "incident": "bold red", "report": "dim", "response": "bold magenta", "rescue": "green",
    "msel": "bold cyan", "decision": "bold yellow", "input": "bold blue", "other": "",
}

BURST_LINES = 60
"""At most this many new lines are written per redraw; older ones in the burst are summarised."""

REBUILD_LINES = 400
"""After a filter, language or width change, the feed is rebuilt from this many latest matching records."""


class FeedFilter:
    """Which records the feed shows: all, or those involving one agency/region/team, of one family."""

    def __init__(self, key: str | None = None, fam: str | None = None) -> None:
        self.key = key
        self.family = fam

    def matches(self, rec: Sequence[Any], region_of: dict[str, str]) -> bool:
        """True when the record passes the filter."""
        if rec[2] == "log.header":
            return False
        if rec[2] == "input.received" and self.family != "input":
            return False  # what the input did follows it (inject.delivered, decision.made, note.added…)
        if self.family is not None and family(rec[2]) != self.family:
            return False
        return self.key is None or involves(rec, self.key, region_of)

    def label(self, names: Names, lang: str) -> str:
        """What the filter shows, for the pane's subtitle."""
        parts = []
        if self.key:
            parts.append(names.name(self.key, lang))
        if self.family:
            parts.append(tr(f"kind.{self.family}", lang))
        return tr("feed.filter", lang, what=" · ".join(parts)) if parts else ""


class EventFeed(RichLog):
    """The record stream, newest at the bottom; follows the end unless the user scrolled up."""

    def __init__(self, names: Names, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id, max_lines=2000, min_width=20, wrap=True, markup=False, highlight=False,
                         auto_scroll=True)
        self.names = names
        self.lang = lang
        self.filter = FeedFilter()
        self.region_of: dict[str, str] = {}
        self._seen = 0
        self._view: ExerciseView | None = None
        self._width = 0

    def set_filter(self, flt: FeedFilter) -> None:
        """Show only matching records (rebuilds the pane)."""
        self.filter = flt
        self.border_subtitle = flt.label(self.names, self.lang)
        self._rebuild()

    def sync(self, view: ExerciseView, lang: str) -> None:
        """Write records not yet shown (or rebuild after a language, view or width change)."""
        if not self.region_of:
            roster = view.header.get("roster") or {}
            self.region_of = {k: a.get("region") for k, a in (roster.get("agencies") or {}).items()}
        if view is not self._view or lang != self.lang or self.size.width != self._width:
            self._view, self.lang = view, lang
            self.border_subtitle = self.filter.label(self.names, lang)
            self._rebuild()
            return
        records = view.records
        if self._seen >= len(records):
            return
        fresh = records[self._seen:]
        self._seen = len(records)
        matching = [r for r in fresh if self.filter.matches(r, self.region_of)]
        skipped = len(matching) - BURST_LINES
        if skipped > 0:  # the clock ran fast: nobody reads hundreds of lines a second; the log has them
            self.write(Text(tr("feed.skipped", self.lang, n=skipped), style="dim italic"),
                       width=self.scrollable_content_region.width or None)
            matching = matching[-BURST_LINES:]
        for rec in matching:
            self._write(rec)

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap lines to the new width."""
        if self._view is not None and self.size.width != self._width:
            self._rebuild()

    def _rebuild(self) -> None:
        self.clear()
        self._width = self.size.width
        view = self._view
        if view is None:
            return
        out: list[Row] = []
        for rec in reversed(view.records):
            if self.filter.matches(rec, self.region_of):
                out.append(rec)
                if len(out) >= REBUILD_LINES:
                    break
        for rec in reversed(out):
            self._write(rec)
        self._seen = len(view.records)

    def _write(self, rec: Row) -> None:
        width = self.scrollable_content_region.width
        self.write(self._line(rec), width=width if width > 0 else None)

    def _line(self, rec: Row) -> Text:
        line = Text()
        line.append(self.names.clock(rec[0]) + " ", style="dim")
        incidents = self._view.incidents if self._view is not None else None
        line.append(describe(rec, self.names, self.lang, incidents), style=FAMILY_STYLE.get(family(rec[2]), ""))
        return line
