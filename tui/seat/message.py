"""A message or request to control (``m``): one line of text, logged as ``message.sent``."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from drillsim.tui.seat.strings import st


class MessageDialog(ModalScreen[str | None]):
    """Dismisses with the text to send, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]
    DEFAULT_CSS = """
    MessageDialog { align: center middle; }
    MessageDialog > Vertical { width: 72; max-width: 100%; height: auto; border: thick $accent;
                               background: $surface; padding: 1 2; }
    MessageDialog Horizontal { height: auto; margin-top: 1; }
    MessageDialog Button { margin-right: 2; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Title, the text, two buttons."""
        with Vertical():
            yield Static(st("message.title", self.lang), id="message-title")
            yield Input(placeholder=st("message.placeholder", self.lang), max_length=2000, id="message-text")
            with Horizontal():
                yield Button(st("message.send", self.lang), variant="primary", id="message-send")
                yield Button(st("message.cancel", self.lang), id="message-cancel")

    def on_mount(self) -> None:
        """Type at once."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter sends."""
        event.stop()
        self._send()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Send or cancel."""
        event.stop()
        if event.button.id == "message-send":
            self._send()
        else:
            self.dismiss(None)

    def _send(self) -> None:
        text = self.query_one(Input).value.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        """Close without sending."""
        self.dismiss(None)
