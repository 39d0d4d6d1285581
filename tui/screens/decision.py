"""A decision for the players: situation, options, time limit in simulated minutes.

The clock is paused when the dialog opens. The facilitator can let simulated time run while the
table discusses (space); the remaining time counts down and, when the limit passes, the engine
applies the scenario's default and the dialog closes by itself. Esc puts the question aside
without losing it: the decision stays pending (the header says so, ``d`` reopens it) and its
default still applies at the deadline.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from drillsim.tui.i18n import Names, duration, text, tr
from drillsim.tui.state import DecisionView


class DecisionDialog(ModalScreen[str | None]):
    """Dismisses with the chosen option id, or None (decide later / already decided)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Later", show=False),
        Binding("space", "app.discuss", "Clock", show=False, priority=True),
        Binding("plus,equals_sign", "app.faster", "Faster", show=False),
        Binding("minus,underscore", "app.slower", "Slower", show=False),
        *(Binding(str(i), f"choose({i})", show=False) for i in range(1, 10)),
    ]
    DEFAULT_CSS = """
    DecisionDialog { align: center middle; }
    DecisionDialog > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    DecisionDialog #decision-title { text-style: bold; color: $warning; }
    DecisionDialog #decision-prompt { margin: 1 0; text-style: bold; }
    DecisionDialog OptionList { height: auto; max-height: 10; }
    DecisionDialog #decision-limit, DecisionDialog #decision-left { color: $text; }
    DecisionDialog #decision-keys { color: $text-muted; }
    """

    def __init__(self, decision: DecisionView, names: Names, lang: str) -> None:
        super().__init__()
        self.decision = decision
        self.names = names
        self.lang = lang
        self.options = list(decision.options)

    def compose(self) -> ComposeResult:
        """Title, prompt, numbered options, limit, countdown, keys."""
        d, lang, names = self.decision, self.lang, self.names
        default = text(d.options.get(d.default), lang) or d.default
        with Vertical():
            key = f"  [{d.key}]" if d.key in names.decisions else ""  # a doctrine question has no id of its own
            yield Static(f"{tr('decision.title', lang, role=names.name(d.role, lang))}{key}", id="decision-title")
            yield Static(text(d.prompt, lang) or d.key, id="decision-prompt")
            items = []
            for i, oid in enumerate(self.options, start=1):
                label = Text(f"{i}  ")
                label.append(text(d.options[oid], lang) or oid, style="bold")
                if oid == d.default:
                    label.append(f"  ({tr('by.default', lang)})", style="dim")
                items.append(Option(label, id=oid))
            yield OptionList(*items, id="decision-options")
            yield Static(tr("decision.limit", lang, limit=duration(d.time_limit, lang),
                            deadline=names.clock(d.deadline), default=default), id="decision-limit")
            yield Static(id="decision-left")
            yield Static(tr("decision.keys", lang), id="decision-keys")

    def on_mount(self) -> None:
        """Focus the options so arrows and Enter work at once.

        The dialog can be dismissed (its deadline passed on a busy machine) before its children are
        mounted; then there is nothing to focus, which must not be an error.
        """
        for options in self.query(OptionList):
            options.focus()

    def show_clock(self, now: float, running: bool, speed: str = "") -> None:
        """Update the countdown and the clock state line (``speed`` as the header shows it)."""
        if not self.is_mounted:
            return
        left = max(0.0, self.decision.deadline - now)
        state = tr("clock.running", self.lang) if running else tr("clock.paused", self.lang)
        state = f"{state} {speed}".strip()
        style = "bold red" if left < 5 else "bold"
        line = Text(tr("decision.left", self.lang, left=f"{left:.0f}"), style=style)
        line.append("   " + tr("decision.clock", self.lang, state=state), style="dim")
        self.query_one("#decision-left", Static).update(line)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on an option."""
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self, number: int) -> None:
        """A number key picks the option with that number."""
        if 1 <= number <= len(self.options):
            self.dismiss(self.options[number - 1])

    def action_later(self) -> None:
        """Put the question aside (it stays pending)."""
        self.dismiss(None)
