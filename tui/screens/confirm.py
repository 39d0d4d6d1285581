"""Ask before ending the exercise: ``y`` or Enter confirms, ``n`` or Esc carries on."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from drillsim.tui.i18n import tr


class ConfirmEnd(ModalScreen[bool]):
    """A small yes/no dialog; dismisses with True to end the exercise."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", show=False, priority=True),
        Binding("n,escape", "answer(False)", "No", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    ConfirmEnd { align: center middle; }
    ConfirmEnd > Vertical {
        width: 64; max-width: 100%; height: auto; border: thick $error; background: $surface; padding: 1 2;
    }
    ConfirmEnd #confirm-question { text-style: bold; }
    ConfirmEnd #confirm-keys { color: $text-muted; margin-top: 1; }
    ConfirmEnd Horizontal { height: auto; margin-top: 1; }
    ConfirmEnd Button { margin-right: 2; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Question, explanation, keys, two buttons."""
        lang = self.lang
        with Vertical():
            yield Static(tr("confirm.end", lang), id="confirm-question")
            yield Static(tr("confirm.end_detail", lang))
            yield Static(tr("confirm.keys", lang), id="confirm-keys")
            with Horizontal():
                yield Button(tr("confirm.yes", lang), variant="error", id="yes")
                yield Button(tr("confirm.no", lang), id="no")

    def action_answer(self, yes: bool) -> None:
        """Close the dialog with the answer."""
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Mouse users."""
        self.dismiss(event.button.id == "yes")
