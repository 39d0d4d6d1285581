"""The open-incidents pane: incidents with people at risk, not yet closed, most urgent first.

Each row names an incident by where it is and what it is (``Wangping 8 · flash flood``), so two
rows are never the same text; the incident column takes the room the pane has, and the age and team
columns are shown only when there is room for them beside it. With the pane focused, its title shows
the highlighted incident in full: its name in the title, kind, place, people, age, state and team
below.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

from drillsim import vocab
from drillsim.tui.i18n import Names, clip, duration, text, tr
from drillsim.tui.state import ExerciseView, IncidentView
from drillsim.tui.widgets.fit import fit

PRIORITY_STYLE = {1: "bold white on red", 2: "bold black on dark_orange", 3: "bold black on yellow"}
STATE_STYLE = {"occurred": "dim", "missed": "bold red", "detected": "yellow", "queued": "bold red",
               "assigned": "cyan", "working": "green"}
COLUMNS = ("prio", "incident", "people", "state", "age", "team")
"""In this order: on a narrow pane the incident is still in sight."""
MAX_ROWS = 60
"""Open incidents listed (most urgent first); more would not be read, and would slow every redraw."""
TEAM_WIDTH = 22
"""The team column, shown when the pane is wide enough to keep the incident readable beside it."""


def incident_label(inc: IncidentView, names: Names, lang: str) -> str:
    """``Wangping 8 · flash flood``: where, the number of a generated incident, what (the full name on focus)."""
    return names.incident(inc.key, inc.kind, inc.region, inc.name, lang)


def incident_full(inc: IncidentView, names: Names, lang: str, now: float) -> tuple[str, str]:
    """One incident in full: its name (or id), and its kind, place, people, age, state and team."""
    parts = [vocab.incident_kind(inc.kind, lang), names.name(inc.region, lang),
             tr("incident.people", lang, n=inc.people), duration(now - inc.onset, lang),
             tr(f"incident.{inc.state}", lang)]
    if inc.team:
        parts.append(names.name(inc.team, lang))
    return text(inc.name, lang) or inc.key, " · ".join(p for p in parts if p)


class IncidentsTable(DataTable):
    """Rows re-ordered when the set of open incidents changes; cells updated in place otherwise."""

    def __init__(self, names: Names, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.names = names
        self.lang = lang
        self._keys: list[str] = []
        self._rows: dict[str, tuple[Any, ...]] = {}
        self._stamp: tuple[int, float] = (-1, -1.0)
        self._widths: dict[str, int] = {}
        self._view: ExerciseView | None = None
        self._counts = ""

    def on_mount(self) -> None:
        """Columns in the current language."""
        self._columns_for(self.lang)

    def _columns_for(self, lang: str) -> None:
        # Fixed widths, so updating a cell never re-measures a column (see teams.py); the incident
        # column takes what the pane has left.
        self.clear(columns=True)
        self._keys, self._rows = [], {}
        labels = {"prio": "col.prio", "incident": "col.incident", "people": "col.people", "state": "col.state",
                  "age": "col.age", "team": "col.team"}
        states = max(cell_len(tr(f"incident.{s}", lang)) for s in STATE_STYLE)
        heads = {key: cell_len(tr(label, lang)) for key, label in labels.items()}
        fixed = [("prio", 3), ("people", max(5, heads["people"])), ("state", max(states, heads["state"]))]
        self._widths = fit(self.size.width or 80, fixed, [("incident", 14, 1)],
                           [("age", max(7, heads["age"])), ("team", TEAM_WIDTH)], keep=26)
        for key in COLUMNS:
            if key in self._widths:
                self.add_column(tr(labels[key], lang), key=key, width=self._widths[key])

    def on_resize(self, event: events.Resize) -> None:
        """Give the incident column the pane's new width."""
        self._columns_for(self.lang)
        self._stamp = (-1, -1.0)
        if self._view is not None:
            self.sync(self._view, self.lang)

    def sync(self, view: ExerciseView, lang: str) -> None:
        """Bring rows up to date (ages move with the clock)."""
        self._view = view
        if lang != self.lang:
            self.lang = lang
            self._columns_for(lang)
            self._stamp = (-1, -1.0)
        stamp = (view.version, round(view.now))
        if stamp == self._stamp:
            return
        self._stamp = stamp
        rows = view.open_incidents(MAX_ROWS)  # the most urgent; the subtitle counts them all
        total = view.open_total
        keys = [i.key for i in rows]
        shown = [c for c in COLUMNS if c in self._widths]
        if keys != self._keys:
            self.clear()
            self._rows = {}
            for inc in rows:
                cells = self._cells(inc, view)
                self.add_row(*cells, key=inc.key)
                self._rows[inc.key] = cells
            self._keys = keys
        else:
            for inc in rows:
                cells = self._cells(inc, view)
                old = self._rows[inc.key]
                for col, value, before in zip(shown, cells, old, strict=True):
                    if value != before:
                        self.update_cell(inc.key, col, value)
                self._rows[inc.key] = cells
        closed = sum(1 for i in view.incidents.values() if i.state == "closed")
        self._counts = tr("incident.summary", lang, open=total, closed=closed, total=len(view.incidents))
        self._focus_line()

    def _cells(self, inc: IncidentView, view: ExerciseView) -> tuple[Any, ...]:
        lang, w = self.lang, self._widths
        cells: dict[str, Any] = {
            "prio": Text(f" {inc.priority} ", style=PRIORITY_STYLE.get(inc.priority, "bold")),
            "age": duration(view.now - inc.onset, lang), "people": Text(str(inc.people), justify="right"),
            "state": Text(tr(f"incident.{inc.state}", lang), style=STATE_STYLE.get(inc.state, "")),
            "incident": clip(incident_label(inc, self.names, lang), w.get("incident", 22)),
            "team": clip(self.names.name(inc.team, lang) if inc.team else "", w.get("team", TEAM_WIDTH))}
        return tuple(cells[c] for c in COLUMNS if c in w)

    # -- the focus line ---------------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted incident in full, in the pane's title."""
        self._focus_line()

    def on_focus(self) -> None:
        """Show the highlighted incident in full while the pane has the focus."""
        self.call_after_refresh(self._focus_line)

    def on_blur(self) -> None:
        """Back to the plain title."""
        self.call_after_refresh(self._focus_line)

    def _focus_line(self) -> None:
        pane_title = tr("pane.incidents", self.lang)
        inc = None
        if self.has_focus and self.row_count and self._view is not None:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
            inc = self._view.incidents.get(str(row_key.value))
        room = max(10, self.size.width - 4)
        if inc is None or self._view is None:
            self.border_title = pane_title
            self.border_subtitle = self._counts
            return
        name, facts = incident_full(inc, self.names, self.lang, self._view.now)
        self.border_title = clip(f"{pane_title} — {name}", room)
        self.border_subtitle = clip(facts, room)
