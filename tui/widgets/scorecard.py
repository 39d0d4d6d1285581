"""The live scorecard: objective ratings so far, evaluator observations, counts, open-incident sparkline."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Sparkline, Static

from drillsim.scoring.text import points
from drillsim.tui.bridge import LiveScore
from drillsim.tui.i18n import Names, capability, clip, text, tr
from drillsim.tui.state import ExerciseView

RATING_STYLE = {"P": "bold white on green", "S": "bold black on yellow", "M": "bold black on dark_orange",
                "U": "bold white on red"}


def rating_cell(rating: str | None) -> Text:
    """A coloured P/S/M/U badge (a dash when there is none yet)."""
    if not rating:
        return Text(" — ", style="dim")
    return Text(f" {rating} ", style=RATING_STYLE.get(rating, "bold"))


def observations(view: ExerciseView, objective: str) -> str:
    """``2 (S, M)``: how many observations an objective has and the ratings evaluators gave."""
    notes = view.notes_for(objective)
    if not notes:
        return ""
    ratings = [n.rating for n in notes if n.rating]
    return f"{len(notes)}" + (f" ({', '.join(ratings[-3:])})" if ratings else "")


class ScorecardPane(Vertical):
    """Counts and the sparkline on top, one row per objective below."""

    ALLOW_MAXIMIZE = True
    DEFAULT_CSS = """
    ScorecardPane { height: 1fr; }
    ScorecardPane > #score-head { height: auto; }
    ScorecardPane > #score-open { height: 2; }
    ScorecardPane > #score-open > Static { width: auto; padding-right: 1; text-style: bold; }
    ScorecardPane > #score-open > Sparkline { height: 2; width: 1fr; }
    ScorecardPane > #score-summary { height: auto; color: $text-muted; }
    ScorecardPane > #score-why { height: auto; max-height: 6; color: $text; }
    ScorecardPane > DataTable { height: auto; max-height: 1fr; min-height: 3; }
    .-compact ScorecardPane > #score-why { display: none; }
    .-compact ScorecardPane > #score-open, .-compact ScorecardPane > #score-open > Sparkline { height: 1; }
    """

    def __init__(self, names: Names, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.names = names
        self.lang = lang
        self._stamp: tuple[Any, ...] = ()
        self._rows: dict[str, tuple[Any, ...]] = {}

    def compose(self) -> ComposeResult:
        """Summary, sparkline, objectives table."""
        yield Static(id="score-head")
        with Horizontal(id="score-open"):
            yield Static(id="score-open-count")
            yield Sparkline([0.0], id="score-spark", summary_function=max)
        yield DataTable(id="score-table", cursor_type="row")
        yield Static(id="score-why")
        yield Static(id="score-summary")

    def on_mount(self) -> None:
        """Columns in the current language."""
        self._columns_for(self.lang)

    def _columns_for(self, lang: str) -> None:
        table = self.query_one("#score-table", DataTable)
        table.clear(columns=True)
        self._rows = {}
        table.add_column(tr("col.id", lang), key="id")
        table.add_column(tr("col.rating", lang), key="rating")
        table.add_column(tr("col.score", lang), key="score")
        table.add_column(tr("col.notes", lang), key="notes")
        table.add_column(tr("col.capability", lang), key="capability")

    def sync(self, view: ExerciseView, lang: str, score: LiveScore) -> None:
        """Redraw when the view, the score or the width changed."""
        stamp = (view.version, lang, id(score), self.size.width)
        if stamp == self._stamp:
            return
        if lang != self.lang:
            self.lang = lang
            self._columns_for(lang)
        self._stamp = stamp
        c = view.counts
        lines = [tr("score.counts", lang, inc=c["incidents"], res=c["rescued"], lost=c["lost"],
                    late=c["late"], reports=c["reports"]),
                 tr("score.decisions", lang, made=c["decisions"], players=c["by_players"],
                    default=c["by_default"], injects=c["injects"], notes=c["notes"])]
        head = Text()
        if score.available:
            head.append(tr("score.overall", lang, score=_points(score.overall)) + " ", style="bold")
            head.append_text(rating_cell(score.rating))
            head.append("  " + tr("score.so_far", lang, time=self.names.clock(view.now)), style="dim")
        else:
            head.append(tr("score.unavailable", lang, problem=score.problem), style="italic dim")
        self.query_one("#score-head", Static).update(head)
        self.query_one("#score-open-count", Static).update(f"{tr('score.open', lang)} {view.open_count}")
        spark = self.query_one("#score-spark", Sparkline)
        spark.data = view.open_samples(max(1, spark.size.width or self.size.width // 2)) or [0.0]
        self.query_one("#score-summary", Static).update("\n".join(lines))
        self._objectives(view, lang, score)

    def _objectives(self, view: ExerciseView, lang: str, score: LiveScore) -> None:
        table = self.query_one("#score-table", DataTable)
        rated = {o.key: o for o in score.objectives} if score.available else {}
        objectives = view.definition.get("objectives") or {}
        for key, obj in objectives.items():
            got = rated.get(key)
            cells = (key, rating_cell(got.rating if got else None), _points(got.score if got else None),
                     observations(view, key), clip(capability(str(obj.get("capability", "")), lang), 24))
            old = self._rows.get(key)
            if old is None:
                table.add_row(*cells, key=key)
            elif old != cells:
                for col, value in zip(("id", "rating", "score", "notes", "capability"), cells, strict=True):
                    table.update_cell(key, col, value, update_width=True)
            self._rows[key] = cells
        counts = Counter(n.rating for n in view.notes if n.rating)
        table.border_subtitle = " ".join(f"{r}:{counts[r]}" for r in "PSMU" if counts[r])
        self._score = score
        self._explain(lang)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Explain the highlighted objective's rating."""
        event.stop()
        self._explain(self.lang)

    def _explain(self, lang: str) -> None:
        """The evidence sentences behind the highlighted objective's rating (scoring explains itself)."""
        table = self.query_one("#score-table", DataTable)
        why = self.query_one("#score-why", Static)
        score = getattr(self, "_score", None)
        if score is None or not score.available or table.row_count == 0:
            why.update("")
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        got = next((o for o in score.objectives if o.key == row_key.value), None)
        if got is None:
            why.update("")
            return
        out = Text()
        out.append(f"{got.key}: ", style="bold")
        out.append(" · ".join(text(s, lang) for s in got.summaries) or tr("score.not_measured", lang))
        why.update(out)


def _points(value: float | None) -> str:
    """``72`` (0–100), or a dash before anything can be measured."""
    return points(value)
