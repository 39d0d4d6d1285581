"""Which agencies are played by people: their doctrine decisions are then asked, not automatic."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from drillsim.tui.i18n import Names, tr
from drillsim.tui.widgets.checklist import CheckList


class RolesDialog(ModalScreen[list[dict[str, Any]] | None]):
    """Dismisses with the ``role`` inputs that change something (possibly none), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+s", "apply", "Apply", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    RolesDialog { align: center middle; }
    RolesDialog > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    RolesDialog .title { text-style: bold; color: $primary; }
    RolesDialog .help { color: $text-muted; margin-bottom: 1; }
    RolesDialog CheckList { height: auto; max-height: 14; }
    RolesDialog Horizontal { height: auto; margin-top: 1; }
    RolesDialog Button { margin-right: 2; }
    """

    def __init__(self, agencies: list[str], played: set[str], names: Names, lang: str) -> None:
        super().__init__()
        self.agencies = agencies
        self.played = set(played)
        self.names = names
        self.lang = lang

    def compose(self) -> ComposeResult:
        """Agencies with a check mark for those played by people."""
        lang = self.lang
        with Vertical():
            yield Static(tr("roles.title", lang), classes="title")
            yield Static(tr("roles.help", lang), classes="help")
            yield CheckList(*((self.names.name(a, lang), a, a in self.played) for a in self.agencies),
                            id="roles-list")
            with Horizontal():
                yield Button(tr("dlg.apply", lang) + " (ctrl+s)", variant="primary", id="apply")
                yield Button(tr("dlg.cancel", lang) + " (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Space toggles the highlighted agency."""
        self.query_one(CheckList).focus()

    def changes(self) -> list[dict[str, Any]]:
        """One ``role`` input per agency whose state changed, in roster order."""
        chosen = set(self.query_one(CheckList).selected)
        return [{"kind": "role", "agency": a, "played": a in chosen}
                for a in self.agencies if (a in chosen) != (a in self.played)]

    def action_apply(self) -> None:
        """Close with the changes."""
        self.dismiss(self.changes())

    def action_cancel(self) -> None:
        """Close without changes."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Mouse users."""
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.action_cancel()
