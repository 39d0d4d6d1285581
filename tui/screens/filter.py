"""Filter the event feed by agency (or region, or team) and by kind of record."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from drillsim.tui.describe import FAMILIES
from drillsim.tui.i18n import Names, clip, tr
from drillsim.tui.widgets.feed import FeedFilter

ALL = "__all__"


class FilterDialog(ModalScreen[FeedFilter | None]):
    """Dismisses with the new filter, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+s", "apply", "Apply", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    FilterDialog { align: center middle; }
    FilterDialog > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FilterDialog .title { text-style: bold; color: $primary; }
    FilterDialog Label { margin-top: 1; color: $text-muted; }
    FilterDialog Horizontal { height: auto; margin-top: 1; }
    FilterDialog Button { margin-right: 2; }
    """

    def __init__(self, header: dict[str, Any], current: FeedFilter, names: Names, lang: str) -> None:
        super().__init__()
        roster = header.get("roster") or {}
        self.keys: list[str] = [*(roster.get("agencies") or {}), *(roster.get("regions") or {})]
        teams = list(roster.get("teams") or {})
        if len(teams) <= 100:
            self.keys += teams
        self.current = current
        self.names = names
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Two pickers and buttons."""
        lang = self.lang
        who = [(tr("feed.all", lang), ALL)] + [(clip(f"{self.names.name(k, lang)} [{k}]", 60), k)
                                               for k in self.keys]
        kinds = [(tr("kind.all", lang), ALL)] + [(tr(f"kind.{f}", lang), f) for f in FAMILIES]
        with Vertical():
            yield Static(tr("filter.title", lang), classes="title")
            yield Label(tr("filter.agency", lang))
            yield Select(who, value=self.current.key or ALL, allow_blank=False, id="filter-who")
            yield Label(tr("filter.kind", lang))
            yield Select(kinds, value=self.current.family or ALL, allow_blank=False, id="filter-kind")
            with Horizontal():
                yield Button(tr("dlg.apply", lang) + " (ctrl+s)", variant="primary", id="apply")
                yield Button(tr("dlg.cancel", lang) + " (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Start in the first picker."""
        self.query_one("#filter-who").focus()

    def action_apply(self) -> None:
        """Close with the chosen filter."""
        who = self.query_one("#filter-who", Select).value
        kind = self.query_one("#filter-kind", Select).value
        self.dismiss(FeedFilter(who if isinstance(who, str) and who != ALL else None,
                                kind if isinstance(kind, str) and kind != ALL else None))

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Mouse users."""
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.action_cancel()
