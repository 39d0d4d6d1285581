"""The open-incidents pane: incidents with people at risk, not yet closed, most urgent first."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from drillsim.tui.i18n import Names, clip, duration, text, tr
from drillsim.tui.state import ExerciseView, IncidentView

PRIORITY_STYLE = {1: "bold white on red", 2: "bold black on dark_orange", 3: "bold black on yellow"}
STATE_STYLE = {"occurred": "dim", "missed": "bold red", "detected": "yellow", "queued": "bold red",
               "assigned": "cyan", "working": "green"}
COLUMNS = ("prio", "age", "people", "state", "incident", "team")
MAX_ROWS = 60
"""Open incidents listed (most urgent first); more would not be read, and would slow every redraw."""
INCIDENT_WIDTH = 36
TEAM_WIDTH = 24


class IncidentsTable(DataTable):
    """Rows re-ordered when the set of open incidents changes; cells updated in place otherwise."""

    def __init__(self, names: Names, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.names = names
        self.lang = lang
        self._keys: list[str] = []
        self._rows: dict[str, tuple[Any, ...]] = {}
        self._stamp: tuple[int, float] = (-1, -1.0)

    def on_mount(self) -> None:
        """Columns in the current language."""
        self._columns_for(self.lang)

    def _columns_for(self, lang: str) -> None:
        # Fixed widths, so updating a cell never re-measures a column (see teams.py).
        self.clear(columns=True)
        self._keys, self._rows = [], {}
        states = max(cell_len(tr(f"incident.{s}", lang)) for s in STATE_STYLE)
        widths = {"prio": 3, "age": 7, "people": 6, "state": states, "incident": INCIDENT_WIDTH, "team": TEAM_WIDTH}
        for key, label in zip(COLUMNS, ("col.prio", "col.age", "col.people", "col.state", "col.incident",
                                        "col.team"), strict=True):
            title = tr(label, lang)
            self.add_column(title, key=key, width=max(widths[key], cell_len(title)))

    def sync(self, view: ExerciseView, lang: str) -> None:
        """Bring rows up to date (ages move with the clock)."""
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
                for col, value, before in zip(COLUMNS, cells, old, strict=True):
                    if value != before:
                        self.update_cell(inc.key, col, value)
                self._rows[inc.key] = cells
        closed = sum(1 for i in view.incidents.values() if i.state == "closed")
        self.border_subtitle = tr("incident.summary", lang, open=total, closed=closed,
                                  total=len(view.incidents))

    def _cells(self, inc: IncidentView, view: ExerciseView) -> tuple[Any, ...]:
        lang = self.lang
        label = clip(f"{clip(text(inc.name, lang) or inc.key, 24)} · {self.names.name(inc.region, lang)}",
                     INCIDENT_WIDTH)
        team = self.names.name(inc.team, lang) if inc.team else ""
        return (Text(f" {inc.priority} ", style=PRIORITY_STYLE.get(inc.priority, "bold")),
                duration(view.now - inc.onset, lang), Text(str(inc.people), justify="right"),
                Text(tr(f"incident.{inc.state}", lang), style=STATE_STYLE.get(inc.state, "")),
                label, clip(team, TEAM_WIDTH))
