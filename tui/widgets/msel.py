"""The MSEL pane: scheduled injects with their delivery state, plus chained and ad-hoc ones.

Rows come from the scenario definition in the log header (the schedule) and ``inject.delivered``
records (what was actually delivered, when); a contingency inject the players made unnecessary
(``inject.skipped``) is struck through with the time its window closed. Rows are in the order of
the time they show (an ad-hoc inject where it was delivered), and an MSEL that runs over several
days has a line for each new day (``── 30 Jul · D2 ──``). Enter on a row opens the full text, which
the facilitator reads out to the players.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

from drillsim.tui.i18n import Names, clip, text, tr
from drillsim.tui.state import ExerciseView, InjectView, row_time
from drillsim.tui.widgets.fit import fit

COLUMNS = ("status", "time", "id", "title", "to")
TO_WIDTH = 26
"""The recipients column, shown when the pane has room for it beside a readable title."""

DAY = "day:"
"""Row keys of the day lines (``day:2``); they are not injects."""


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
        self._widths: dict[str, int] = {"title": 48, "to": TO_WIDTH}
        self._view: ExerciseView | None = None

    def on_mount(self) -> None:
        """Columns in the current language."""
        self._columns_for(self.lang)

    def _columns_for(self, lang: str) -> None:
        self.clear(columns=True)
        self._rows.clear()
        self._order = []
        ids = max((cell_len(k) for k in self.names.injects), default=4)
        ids = max(min(ids, 10), cell_len(tr("col.id", lang)), len("adhoc-9"))  # ad-hoc injects: adhoc-N
        self._widths = fit(self.size.width or 120, [("status", 2), ("time", 5), ("id", ids)], [("title", 12, 1)],
                           [("to", TO_WIDTH)], keep=30)
        self.add_column("", key="status", width=2)
        self.add_column(tr("col.time", lang), key="time", width=5)
        self.add_column(tr("col.id", lang), key="id", width=ids)
        self.add_column(tr("col.inject", lang), key="title", width=self._widths["title"])
        if "to" in self._widths:
            self.add_column(tr("col.to", lang), key="to", width=self._widths["to"])

    def on_resize(self, event: events.Resize) -> None:
        """Give the title column the pane's new width."""
        if self._view is not None:
            self._columns_for(self.lang)
            self._version = -1
            self.sync(self._view, self.lang)

    def sync(self, view: ExerciseView, lang: str) -> None:
        """Bring rows up to date with the view (cheap when nothing changed)."""
        self._view = view
        if lang != self.lang:
            self.lang = lang
            self._columns_for(lang)
            self._version = -1
        if view.version == self._version and view.now == self._now:
            return
        self._version, self._now = view.version, view.now
        rows = self._with_days(view.msel_rows())
        upcoming = view.next_inject_time()
        keys = [k for k, _ in rows]
        if keys != self._order:  # a row moved (delivered late, ad hoc, skipped): rebuild in the new order
            self._columns_for(lang)
        cursor_key = None
        for key, item in rows:
            cells = self._day_cells(item) if isinstance(item, int) else self._cells(item, upcoming)
            if key not in self._rows:
                self.add_row(*cells, key=key)
                self._order.append(key)
            elif self._rows[key] != cells:
                for col, value in zip(COLUMNS, cells, strict=False):
                    self.update_cell(key, col, value)
            self._rows[key] = cells
            if cursor_key is None and not isinstance(item, int) and _next(item, upcoming):
                cursor_key = key
        if cursor_key is not None and not self.has_focus:  # follow the schedule unless the user is browsing
            self.move_cursor(row=self.get_row_index(cursor_key), animate=False)
        delivered = sum(1 for i in view.injects.values() if i.delivered_at is not None)
        self.border_subtitle = tr("msel.summary", lang, done=delivered, total=len(view.injects))

    def _with_days(self, injects: list[tuple[str, InjectView]]) -> list[tuple[str, InjectView | int]]:
        """The rows with a day line before each calendar day's first row, when there is more than one day."""
        days = [self.names.day(row_time(inj)) for _, inj in injects]
        known = {d for d in days if d is not None}
        out: list[tuple[str, InjectView | int]] = []
        last = None
        for (key, inj), day in zip(injects, days, strict=True):
            if len(known) > 1 and day is not None and day != last:
                out.append((f"{DAY}{day}", day))
                last = day
            out.append((key, inj))
        return out

    def _day_cells(self, day: int) -> tuple[Any, ...]:
        label = self.names.day_label(day, self.lang)
        return (Text(""), Text(""), Text(""), Text(f"── {label} ──", style="bold"), Text(""))[:self._shown()]

    def _shown(self) -> int:
        return 5 if "to" in self._widths else 4

    def _cells(self, inj: InjectView, upcoming: float | None) -> tuple[Any, ...]:
        return self._all_cells(inj, upcoming)[:self._shown()]

    def _all_cells(self, inj: InjectView, upcoming: float | None) -> tuple[Any, ...]:
        lang = self.lang
        title = clip(text(inj.title, lang) or inj.key, self._widths["title"])
        to = clip(self.names.list_names(inj.to, lang), self._widths.get("to", TO_WIDTH))
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
        """Enter on a row: ask the app to show that inject in full (a day line has nothing to show)."""
        event.stop()
        if event.row_key.value is not None and not str(event.row_key.value).startswith(DAY):
            self.post_message(self.Selected(str(event.row_key.value)))


def _next(inj: InjectView, upcoming: float | None) -> bool:
    """The row "run to next inject" stops at (a contingency's window may open then, it is not due)."""
    return inj.source == "msel" and inj.delivered_at is None and inj.at is not None and inj.at == upcoming
