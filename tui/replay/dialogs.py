"""The replay viewer's two dialogs: go to a moment (``g``) and "what if?" at a decision (``b``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from drillsim.tui.i18n import Names, text
from drillsim.tui.replay.strings import tr


class GotoDialog(ModalScreen[float | None]):
    """Type a time; dismisses with simulated minutes, or None when cancelled.

    Args:
        parse: Turns the text into minutes or raises ``ValueError`` with the reason (shown in place).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]
    DEFAULT_CSS = """
    GotoDialog { align: center middle; }
    GotoDialog > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    GotoDialog .title { text-style: bold; color: $primary; }
    GotoDialog .hint { color: $text-muted; }
    GotoDialog #goto-error { color: $error; }
    """

    def __init__(self, parse: Callable[[str], float], lang: str, initial: str = "") -> None:
        super().__init__()
        self.parse = parse
        self.lang = lang
        self.initial = initial

    def compose(self) -> ComposeResult:
        """Title, the input, a hint, the error line."""
        with Vertical():
            yield Static(tr("goto.title", self.lang), classes="title")
            yield Input(value=self.initial, placeholder="T+6h", id="goto-input")
            yield Static(tr("goto.hint", self.lang), classes="hint")
            yield Static("", id="goto-error")

    def on_mount(self) -> None:
        """Type at once."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: go there, or say why not."""
        event.stop()
        try:
            minutes = self.parse(event.value)
        except ValueError as exc:
            self.query_one("#goto-error", Static).update(str(exc))
            return
        self.dismiss(minutes)

    def action_cancel(self) -> None:
        """Esc."""
        self.dismiss(None)


class BranchDialog(ModalScreen[str | None]):
    """Pick the other option of a decision; dismisses with its id, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        *(Binding(str(i), f"choose({i})", show=False) for i in range(1, 10)),
    ]
    DEFAULT_CSS = """
    BranchDialog { align: center middle; }
    BranchDialog > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    BranchDialog .title { text-style: bold; color: $warning; }
    BranchDialog #branch-prompt { margin: 1 0; text-style: bold; }
    BranchDialog OptionList { height: auto; max-height: 10; }
    BranchDialog .hint { color: $text-muted; }
    """

    def __init__(self, opened: Any, made: Any | None, names: Names, lang: str) -> None:
        super().__init__()
        self.opened = opened
        self.made = made
        self.names = names
        self.lang = lang
        self.options = list((opened.data.get("options") or {}).keys())

    def compose(self) -> ComposeResult:
        """The decision, what this log chose, the options."""
        lang, d = self.lang, self.opened
        chosen = self.made.data.get("option") if self.made is not None else None
        with Vertical():
            yield Static(tr("branch.title", lang, decision=d.subject), classes="title")
            yield Static(text(d.data.get("prompt"), lang) or str(d.subject), id="branch-prompt")
            if self.made is not None:
                label = text((d.data.get("options") or {}).get(chosen), lang) or chosen
                yield Static(tr("branch.parent", lang, option=label, by=self.made.data.get("by"),
                                time=self.names.clock(self.made.t)), classes="hint")
            items = []
            for i, oid in enumerate(self.options, start=1):
                label = Text(f"{i}  ")
                label.append(text((d.data.get("options") or {}).get(oid), lang) or oid, style="bold")
                if oid == chosen:
                    label.append("  ✓", style="dim")
                items.append(Option(label, id=oid))
            yield OptionList(*items, id="branch-options")

    def on_mount(self) -> None:
        """Arrows and Enter work at once."""
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an option."""
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self, number: int) -> None:
        """A number key picks that option."""
        if 1 <= number <= len(self.options):
            self.dismiss(self.options[number - 1])

    def action_cancel(self) -> None:
        """Esc."""
        self.dismiss(None)
