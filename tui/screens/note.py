"""An evaluator observation, tied to an objective and optionally rated P/S/M/U."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from drillsim.tui.i18n import Names, capability, clip, text, tr

NONE = "__none__"


class NoteDialog(ModalScreen[dict[str, Any] | None]):
    """Dismisses with a ``note`` input payload, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+s", "save", "Save", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    NoteDialog { align: center middle; }
    NoteDialog > VerticalScroll {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $success; background: $surface; padding: 0 1;
    }
    NoteDialog .title { text-style: bold; color: $success; }
    NoteDialog Label { margin-top: 1; color: $text-muted; }
    NoteDialog Horizontal { height: auto; margin-top: 1; }
    NoteDialog Button { margin-right: 2; }
    """

    def __init__(self, header: dict[str, Any], names: Names, lang: str, objective: str | None = None) -> None:
        super().__init__()
        self.names = names
        self.lang = lang
        self.objectives: dict[str, Any] = dict((header.get("definition") or {}).get("objectives") or {})
        self.objective = objective if objective in self.objectives else None

    def compose(self) -> ComposeResult:
        """Objective, rating, text, buttons."""
        lang = self.lang
        objectives = [(tr("note.none", lang), NONE)]
        for key, obj in self.objectives.items():
            cap = capability(str(obj.get("capability", "")), lang)
            label = f"{key} — {text(obj.get('text'), lang)} ({cap})"
            objectives.append((clip(label, 76), key))
        ratings = [(tr("note.no_rating", lang), NONE)] + [(tr(f"rating.{r}", lang), r) for r in "PSMU"]
        with VerticalScroll():
            yield Static(tr("note.title", lang), classes="title")
            yield Label(tr("note.objective", lang))
            yield Select(objectives, value=self.objective or NONE, allow_blank=False, id="note-objective")
            yield Label(tr("note.rating", lang))
            yield Select(ratings, value=NONE, allow_blank=False, id="note-rating")
            yield Label(tr("note.text", lang))
            yield Input(id="note-text")
            with Horizontal():
                yield Button(tr("dlg.save", lang) + " (Enter)", variant="success", id="save")
                yield Button(tr("dlg.cancel", lang) + " (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Start typing at once when the objective is already chosen."""
        target = "#note-text" if self.objective else "#note-objective"
        self.query_one(target).focus()

    def payload(self) -> dict[str, Any] | None:
        """The input as the engine takes it (None without text)."""
        words = self.query_one("#note-text", Input).value.strip()
        if not words:
            return None
        objective = self.query_one("#note-objective", Select).value
        rating = self.query_one("#note-rating", Select).value
        return {"kind": "note", "by": "evaluator", "text": words,
                "objective": objective if objective != NONE else None,
                "rating": rating if rating != NONE else None}

    def action_save(self) -> None:
        """Log the observation (or say what is missing)."""
        payload = self.payload()
        if payload is None:
            self.notify(tr("note.need_text", self.lang), severity="warning")
            self.query_one("#note-text").focus()
            return
        self.dismiss(payload)

    def action_cancel(self) -> None:
        """Close without logging."""
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the text saves."""
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Mouse users."""
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
