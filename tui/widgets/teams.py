"""The teams pane: each team's state (off duty, registering, idle, travelling, working, returning), where."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from drillsim.tui.i18n import Names, clip, tr
from drillsim.tui.state import TEAM_BUSY, ExerciseView, TeamView

STATE_STYLE = {
    "off_duty": "dim", "registering": "magenta", "idle": "green", "tasked": "yellow", "travelling": "yellow",
    "on_scene": "bold yellow", "working": "bold red", "returning": "cyan", "withdrawn": "dim",
    "refused": "red",
}

COLUMNS = ("team", "state", "where")
TEAM_WIDTH = 28
WHERE_WIDTH = 40


class TeamsTable(DataTable):
    """One row per team in roster order; only changed cells are redrawn."""

    def __init__(self, names: Names, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.names = names
        self.lang = lang
        self._rows: dict[str, tuple[Any, ...]] = {}
        self._version = -1

    def on_mount(self) -> None:
        """Columns in the current language."""
        self._columns_for(self.lang)

    def _columns_for(self, lang: str) -> None:
        # Fixed widths: a changed cell then costs one redraw, not a re-measure of the whole column
        # (which made many busy teams at ×3600 noticeably slow).
        self.clear(columns=True)
        self._rows.clear()
        states = max(cell_len(tr(f"team.{state}", lang)) for state in STATE_STYLE)
        self.add_column(tr("col.team", lang), key="team", width=TEAM_WIDTH)
        self.add_column(tr("col.state", lang), key="state", width=max(states, cell_len(tr("col.state", lang))))
        self.add_column(tr("col.where", lang), key="where", width=WHERE_WIDTH)

    def sync(self, view: ExerciseView, lang: str) -> None:
        """Bring rows up to date with the view."""
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
            region = self.names.name(inc.region, lang) if inc else ""
            place = f"{team.incident} ({region})" if region else team.incident
            where = tr("team.to" if team.toward else "team.at", lang, place=clip(place, 34))
            if team.eta is not None and team.toward:
                where += f" {self.names.clock(team.eta)}"
        elif team.state == "returning":
            where = tr("team.to", lang, place=self.names.name(team.base, lang))
            if team.eta is not None:
                where += f" {self.names.clock(team.eta)}"
        elif team.state == "idle" and team.place and team.place != team.base:
            where = tr("team.at", lang, place=team.place)
        else:
            where = tr("team.at_base", lang, base=self.names.name(team.place or team.base, lang))
        return (clip(self.names.name(team.key, lang), TEAM_WIDTH), state, Text(clip(where, WHERE_WIDTH)))
