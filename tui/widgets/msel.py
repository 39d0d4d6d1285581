"""The MSEL pane: scheduled injects with their delivery state, plus chained and ad-hoc ones.

Rows come from the scenario definition in the log header (the schedule) and ``inject.delivered``
records (what was actually delivered, when); a contingency inject the players made unnecessary
(``inject.skipped``) is struck through with the time its window closed. Enter on a row opens the full text, which the
facilitator reads out to the players.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from drillsim.tui.i18n import Names, clip, text, tr
from drillsim.tui.state import ExerciseView, InjectView


class MselTable(DataTable):
    """Delivered and upcoming injects, in schedule order (extra injects where they were delivered)."""

    class Selected(Message):
        """The facilitator asked for an inject's full text."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, names: Names, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.names = names
        self.lang = lang
        self._rows: dict[str, tuple[Any, ...]] = {}
        self._order: list[str] = []
        self._version = -1
        self._now = -1.0

    def on_mount(self) -> None:
        """Columns in the current language."""
        self._columns_for(self.lang)

    def _columns_for(self, lang: str) -> None:
        self.clear(columns=True)
        self._rows.clear()
        self._order = []
        self.add_column("", key="status", width=2)
        self.add_column(tr("col.time", lang), key="time", width=5)
        self.add_column(tr("col.id", lang), key="id")
        self.add_column(tr("col.inject", lang), key="title")
        self.add_column(tr("col.to", lang), key="to")

    def sync(self, view: ExerciseView, lang: str) -> None:
        """Bring rows up to date with the view (cheap when nothing changed)."""
        if lang != self.lang:
            self.lang = lang
            self._columns_for(lang)
            self._version = -1
        if view.version == self._version and view.now == self._now:
            return
        self._version, self._now = view.version, view.now
        rows = list(view.injects.items())
        upcoming = view.next_inject_time()
        keys = [k for k, _ in rows]
        if keys[: len(self._order)] != self._order:
            self._columns_for(lang)
        cursor_key = None
        for key, inj in rows:
            cells = self._cells(inj, upcoming)
            if key not in self._rows:
                self.add_row(*cells, key=key)
                self._order.append(key)
            elif self._rows[key] != cells:
                for col, value in zip(("status", "time", "id", "title", "to"), cells, strict=True):
                    self.update_cell(key, col, value, update_width=True)
            self._rows[key] = cells
            if cursor_key is None and _next(inj, upcoming):
                cursor_key = key
        if cursor_key is not None and not self.has_focus:  # follow the schedule unless the user is browsing
            self.move_cursor(row=self.get_row_index(cursor_key), animate=False)
        delivered = sum(1 for i in view.injects.values() if i.delivered_at is not None)
        self.border_subtitle = tr("msel.summary", lang, done=delivered, total=len(view.injects))

    def _cells(self, inj: InjectView, upcoming: float | None) -> tuple[Any, ...]:
        lang = self.lang
        title = clip(text(inj.title, lang) or inj.key, 48)
        to = clip(self.names.list_names(inj.to, lang), 30)
        if inj.delivered_at is not None:
            mark = Text("✓", style="green")
            when = self.names.clock(inj.delivered_at)
            style = "dim" if inj.source == "msel" else "cyan"
            return (mark, Text(when, style=style), Text(inj.key, style=style), Text(title, style=style),
                    Text(to, style=style))
        if inj.skipped_at is not None:  # a contingency the players made unnecessary
            when = self.names.clock(inj.skipped_at)
            return (Text("–", style="dim"), Text(when, style="dim"), Text(inj.key, style="dim"),
                    Text(title, style="dim strike"), Text(to, style="dim"))
        nxt = _next(inj, upcoming)
        mark = Text("▶", style="bold yellow") if nxt else Text("·", style="dim")
        when = self.names.clock(inj.at) if inj.at is not None else "--:--"
        style = "bold" if nxt else ""
        return (mark, Text(when, style=style), Text(inj.key, style=style), Text(title, style=style),
                Text(to, style=style))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: ask the app to show that inject in full."""
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Selected(str(event.row_key.value)))


def _next(inj: InjectView, upcoming: float | None) -> bool:
    """The row "run to next inject" stops at (a contingency's window may open then, it is not due)."""
    return inj.source == "msel" and inj.delivered_at is None and inj.at is not None and inj.at == upcoming
