"""The end of the exercise: the scorecard full screen, the observations, and where the files are."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Sparkline, Static

from drillsim.scoring.text import points
from drillsim.tui.bridge import EndFiles, LiveScore
from drillsim.tui.i18n import STRINGS, Names, capability, clip, duration, text, tr
from drillsim.tui.state import ExerciseView
from drillsim.tui.widgets.scorecard import observations, rating_cell


class EndScreen(Screen[None]):
    """Shown once the log is closed; q, Enter or Esc leaves the console."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,enter,escape", "app.leave", "Leave", show=True),
    ]
    """(The footer's label is set in the screen's language when it is built.)"""
    DEFAULT_CSS = """
    EndScreen > VerticalScroll { padding: 0 1; height: 1fr; }
    EndScreen #end-title { text-style: bold; background: $primary; color: $text; padding: 0 1; }
    EndScreen #end-score { margin: 1 0 0 0; text-style: bold; }
    EndScreen #end-summary { margin: 1 0 0 0; }
    EndScreen Sparkline { height: 3; margin: 0 0 1 0; }
    EndScreen DataTable { height: auto; max-height: 20; margin-bottom: 1; }
    EndScreen #end-files-box { border: round $accent; padding: 0 1; margin: 0 1; height: auto; max-height: 50%; }
    EndScreen #end-files { height: auto; }
    EndScreen #end-notes { margin-bottom: 1; }
    EndScreen #end-evidence { margin-bottom: 1; }
    """

    def __init__(self, view: ExerciseView, names: Names, lang: str, score: LiveScore) -> None:
        super().__init__()
        for key in ("q", "enter", "escape"):
            self._bindings.key_to_bindings[key] = [Binding(key, "app.leave", tr("key.leave", lang), show=key == "q")]
        self.view = view
        self.names = names
        self.lang = lang
        self.score = score
        self.files: EndFiles | None = None

    def compose(self) -> ComposeResult:
        """Title, summary, open-incident curve, objectives, observations, files."""
        v, lang = self.view, self.lang
        reason_key = f"end.reason.{v.end_reason}"
        reason = tr(reason_key, lang) if reason_key in STRINGS else str(v.end_reason or "")
        c = v.counts
        title = tr("end.title", lang, reason=reason) + f" — {text(self.names.title, lang)}"
        summary = tr("end.summary", lang, dur=duration(v.now, lang), inc=c["incidents"], res=c["rescued"],
                     lost=c["lost"], unres=c["unresolved"])
        with VerticalScroll():
            yield Static(title, id="end-title")
            yield Static(self._overall(), id="end-score")
            yield Static(summary, id="end-summary")
            yield Static(f"{tr('score.open', lang)} (0 → {self.names.clock(v.now)})", classes="dim")
            yield Sparkline(v.open_samples(100) or [0.0], summary_function=max)
            yield DataTable(id="end-table", cursor_type="row")
            yield Static(self._evidence(), id="end-evidence")
            yield Static(self._notes(), id="end-notes")
        with VerticalScroll(id="end-files-box"):  # below the scorecard, always in sight; scrolls when tall
            yield Static(tr("end.writing", lang), id="end-files")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the objectives table."""
        lang, v = self.lang, self.view
        table = self.query_one("#end-table", DataTable)
        for key, label in (("id", "col.id"), ("objective", "col.objective"), ("capability", "col.capability"),
                           ("rating", "col.rating"), ("score", "col.score"), ("notes", "col.notes")):
            table.add_column(tr(label, lang), key=key)
        rated = {o.key: o for o in self.score.objectives} if self.score.available else {}
        for key, obj in (v.definition.get("objectives") or {}).items():
            got = rated.get(key)
            score_text = points(got.score if got else None)
            table.add_row(key, clip(text(obj.get("text"), lang), 50),
                          capability(str(obj.get("capability", "")), lang),
                          rating_cell(got.rating if got else None), score_text, observations(v, key), key=key)
        if not self.score.available:
            table.border_title = tr("score.unavailable", lang, problem=self.score.problem)
        elif self.score.overall is not None:
            table.border_title = tr("score.overall", lang, score=points(self.score.overall)) + \
                f" ({self.score.rating or '—'})"

    def _overall(self) -> Text:
        """``Overall score 42/100 · M — performed with major challenges (weight measured 100%)``."""
        lang, score = self.lang, self.score
        out = Text()
        if not score.available:
            out.append(tr("score.unavailable", lang, problem=score.problem), style="italic")
        elif score.overall is None:
            out.append(tr("end.no_score", lang))
        else:
            out.append(tr("end.score", lang, score=points(score.overall)) + "  ")
            out.append_text(rating_cell(score.rating))
            words = f"rating.{score.rating}"
            if words in STRINGS:
                out.append("  " + tr(words, lang).split("—", 1)[-1].strip())
            out.append("  " + tr("end.coverage", lang, cov=f"{score.coverage * 100:.0f}%"), style="dim")
        return out

    def _evidence(self) -> Text:
        """Why each objective got its rating: the scoring's own sentences."""
        out = Text()
        if not self.score.available:
            return out
        for obj in self.score.objectives:
            out.append(f"{obj.key} ", style="bold")
            out.append_text(rating_cell(obj.rating))
            out.append(" " + (" · ".join(text(s, self.lang) for s in obj.summaries)
                              or tr("score.not_measured", self.lang)) + "\n")
        return out

    def _notes(self) -> Text:
        out = Text()
        for n in self.view.notes:
            out.append(f"{self.names.clock(n.t)} ", style="dim")
            if n.objective:
                out.append(f"[{n.objective}] ", style="bold")
            if n.rating:
                out.append(f"{n.rating} ", style="bold")
            out.append(n.text + "\n")
        return out

    def show_files(self, files: EndFiles) -> None:
        """Say where the log, scorecard and report are (or why one was not written)."""
        self.files = files
        lang = self.lang
        out = Text()
        out.append(f"{tr('end.log', lang)}: ", style="bold")
        out.append(files.log + "\n")
        out.append(f"{tr('end.scorecard', lang)}: ", style="bold")
        out.append((files.scorecard or _problem(files.scorecard_problem or "unavailable", "end.no_scorecard",
                                                lang)) + "\n")
        out.append(f"{tr('end.report', lang)}: ", style="bold")
        if files.report:
            out.append(", ".join(files.report))
            if files.report_problem:
                out.append(f" ({files.report_problem})", style="red")
        else:
            out.append(_problem(files.report_problem, "end.no_report", lang))
        out.append("\n\n" + tr("end.keys", lang), style="dim")
        self.query_one("#end-files", Static).update(out)


def _problem(problem: str, unavailable_key: str, lang: str) -> str:
    if problem in ("", "unavailable"):
        return tr(unavailable_key, lang)
    return tr("end.report_failed", lang, error=problem)
