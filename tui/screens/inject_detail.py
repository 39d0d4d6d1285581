"""The full text of one inject, to read out to the players (and what they are expected to do)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from drillsim import vocab
from drillsim.tui.i18n import Names, text, tr
from drillsim.tui.state import InjectView


class InjectDetail(ModalScreen[None]):
    """Read-only; any of Esc, Enter or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "close", "Close", show=False)]
    DEFAULT_CSS = """
    InjectDetail { align: center middle; }
    InjectDetail > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, row: InjectView, spec: dict[str, Any] | None, names: Names, lang: str) -> None:
        super().__init__()
        self.row = row
        self.spec = spec or {}
        self.names = names
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Heading, routing, message, expected action."""
        yield VerticalScroll(Static(self.body()))

    def body(self) -> Text:
        """Everything known about the inject, delivered or not."""
        row, spec, lang, names = self.row, self.spec, self.lang, self.names
        data = row.data or {}
        get = lambda key: data.get(key) if data.get(key) is not None else spec.get(key)  # noqa: E731
        out = Text()
        out.append(tr("inject.detail", lang, id=row.key) + "  ", style="bold")
        out.append(text(row.title or spec.get("title"), lang) + "\n", style="bold cyan")
        when = []
        if row.at is not None:
            when.append(f"{tr('msel.upcoming', lang)} {names.clock(row.at)}")
        if row.delivered_at is not None:
            when.append(tr("msel.delivered", lang, time=names.clock(row.delivered_at)))
        if when:
            out.append(" · ".join(when) + "\n", style="dim")
        src = get("from") or "simcell"
        out.append(tr("inject.from", lang, src=names.who(src, lang), to=names.list_names(row.to, lang),
                      method=vocab.method(get("method") or "verbal", lang),
                      type=vocab.inject_type(get("type") or "informational", lang)) + "\n\n", style="dim")
        out.append(tr("inject.read", lang) + "\n", style="bold")
        out.append((text(get("message"), lang) or "—") + "\n\n")
        expected = get("expected_action")
        if expected:
            out.append(tr("inject.expected", lang) + "\n", style="bold")
            out.append(text(expected, lang) + "\n")
        objectives = get("objectives") or []
        if objectives:
            out.append("\n" + ", ".join(f"{o}: {names.objective(o, lang)}" for o in objectives), style="dim")
        return out

    def action_close(self) -> None:
        """Back to the console."""
        self.dismiss(None)
