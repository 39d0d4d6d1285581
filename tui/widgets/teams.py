"""The teams pane: each team's state (off duty, registering, idle, travelling, working, returning), where."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

from drillsim.tui.i18n import Names, clip, clip_keep_number, tr
from drillsim.tui.state import TEAM_BUSY, ExerciseView, TeamView
from drillsim.tui.widgets.fit import fit
from drillsim.tui.widgets.incidents import incident_label

STATE_STYLE = {
    "off_duty": "dim", "registering": "magenta", "idle": "green", "tasked": "yellow", "travelling": "yellow",
    "on_scene": "bold yellow", "working": "bold red", "returning": "cyan", "withdrawn": "dim",
    "refused": "red",
}

COLUMNS = ("team", "state", "where")
TEAM_WIDTH = 28
WHERE_WIDTH = 40
"""Widest the team and where columns grow; narrower panes share their width between them."""


class TeamsTable(DataTable):
    """One row per team in roster order; only changed cells are redrawn."""

    def __init__(self, names: Names, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.names = names
        self.lang = lang
        self._rows: dict[str, tuple[Any, ...]] = {}
        self._version = -1
        self._widths: dict[str, int] = {"team": TEAM_WIDTH, "where": WHERE_WIDTH}
        self._view: ExerciseView | None = None

    def on_mount(self) -> None:
        """Columns in the current language."""
        self._columns_for(self.lang)

    def _columns_for(self, lang: str) -> None:
        # Fixed widths: a changed cell then costs one redraw, not a re-measure of the whole column
        # (which made many busy teams at ×3600 noticeably slow).
        self.clear(columns=True)
        self._rows.clear()
        states = max(cell_len(tr(f"team.{state}", lang)) for state in STATE_STYLE)
        state = max(states, cell_len(tr("col.state", lang)))
        widths = fit(self.size.width or 120, [("state", state)], [("team", 14, 3), ("where", 12, 2)])
        self._widths = {"team": min(TEAM_WIDTH, widths["team"]), "where": min(WHERE_WIDTH, widths["where"])}
        self.add_column(tr("col.team", lang), key="team", width=self._widths["team"])
        self.add_column(tr("col.state", lang), key="state", width=state)
        self.add_column(tr("col.where", lang), key="where", width=self._widths["where"])

    def on_resize(self, event: events.Resize) -> None:
        """Share the pane's new width between the team and where columns."""
        self._columns_for(self.lang)
        self._version = -1
        if self._view is not None:
            self.sync(self._view, self.lang)

    def sync(self, view: ExerciseView, lang: str) -> None:
        """Bring rows up to date with the view."""
        self._view = view
        if lang != self.lang:
            self.lang = lang
            self._columns_for(lang)
            self._version = -1
        if view.version == self._version:
            return
        self._version = view.version
        if set(self._rows) - set(view.teams):
            self._columns_for(lang)
        counts = {"busy": 0, "idle": 0, "off": 0}
        for key, team in view.teams.items():
            cells = self._cells(team, view)
            old = self._rows.get(key)
            if old is None:
                self.add_row(*cells, key=key)
            elif old != cells:
                for col, value, before in zip(COLUMNS, cells, old, strict=True):
                    if value != before:
                        self.update_cell(key, col, value)
            self._rows[key] = cells
            if team.state in TEAM_BUSY or team.state == "returning":
                counts["busy"] += 1
            elif team.state in ("off_duty", "withdrawn", "refused"):
                counts["off"] += 1
            else:
                counts["idle"] += 1
        self.border_subtitle = tr("team.summary", lang, **counts)

    def _cells(self, team: TeamView, view: ExerciseView) -> tuple[Any, ...]:
        lang = self.lang
        state = Text(tr(f"team.{team.state}", lang), style=STATE_STYLE.get(team.state, ""))
        if team.state in ("travelling", "tasked", "on_scene", "working") and team.incident:
            inc = view.incidents.get(team.incident)
            place = incident_label(inc, self.names, lang) if inc else self.names.name(team.incident, lang)
            eta = f"{self.names.clock(team.eta)} " if team.eta is not None and team.toward else ""
            where = tr("team.to" if team.toward else "team.at", lang, place=eta + place)
        elif team.state == "returning":
            eta = f"{self.names.clock(team.eta)} " if team.eta is not None else ""
            where = tr("team.to", lang, place=eta + self.names.name(team.base, lang))
        elif team.state == "idle" and team.place and team.place != team.base:
            inc = view.incidents.get(team.place)
            place = incident_label(inc, self.names, lang) if inc else self.names.name(team.place, lang)
            where = tr("team.at", lang, place=place)
        else:
            where = tr("team.at_base", lang, base=self.names.name(team.place or team.base, lang))
        return (clip_keep_number(self.names.name(team.key, lang), self._widths["team"]), state,
                Text(clip(where, self._widths["where"])))
