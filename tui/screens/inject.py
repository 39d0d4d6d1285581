"""Deliver an ad-hoc inject: from one of the scenario's injects (templates first) or written now.

The recipients start ticked for the roles people play (everyone when nobody plays a role), so an
inject never goes to nobody by accident; an empty list is refused with a message, not delivered.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from drillsim.tui.i18n import Names, clip, text, tr
from drillsim.tui.widgets.checklist import CheckList

WRITTEN = "__written__"
MAX_TEAM_RECIPIENTS = 60
"""Teams are offered as recipients individually only when there are few of them."""


class InjectDialog(ModalScreen[dict[str, Any] | None]):
    """Dismisses with an ``inject`` input payload, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+s", "send", "Deliver", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    InjectDialog { align: center middle; }
    InjectDialog > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    InjectDialog .title { text-style: bold; color: $accent; }
    InjectDialog Label { margin-top: 1; color: $text-muted; }
    InjectDialog CheckList { height: auto; max-height: 8; }
    InjectDialog Horizontal { height: auto; margin-top: 1; }
    InjectDialog Button { margin-right: 2; }
    """

    def __init__(self, header: dict[str, Any], names: Names, lang: str, played: tuple[str, ...] | list[str] = ()
                 ) -> None:
        super().__init__()
        self.names = names
        self.lang = lang
        definition = header.get("definition") or {}
        roster = header.get("roster") or {}
        self.injects: dict[str, Any] = dict(definition.get("injects") or {})
        self.agencies = list(roster.get("agencies") or {})
        teams = list(roster.get("teams") or {})
        self.teams = teams if len(teams) <= MAX_TEAM_RECIPIENTS else []
        self._prefill: dict[str, str] = {"title": "", "message": ""}
        self._prefill_to: list[str] = []
        self.default_to = [a for a in self.agencies if a in played] or ["all"]
        """Ticked when the dialog opens: the played roles, else everyone."""

    def compose(self) -> ComposeResult:
        """Template picker, title, message, recipients, buttons."""
        lang, names = self.lang, self.names
        options: list[tuple[str, str]] = [(tr("inject.written", lang), WRITTEN)]
        ordered = sorted(self.injects.items(),
                         key=lambda kv: (not kv[1].get("template"), kv[1].get("at") or 0))
        for key, inj in ordered:
            label = f"{key} — {text(inj.get('title'), lang)}"
            if inj.get("at") is not None and not inj.get("template"):
                label += " " + tr("inject.scheduled", lang, time=names.clock(float(inj["at"])))
            options.append((clip(label, 80), key))
        with VerticalScroll():
            yield Static(tr("inject.title", lang), classes="title")
            yield Label(tr("inject.template", lang))
            yield Select(options, value=WRITTEN, allow_blank=False, id="inject-template")
            yield Label(tr("inject.head", lang))
            yield Input(id="inject-title")
            yield Label(tr("inject.message", lang))
            yield Input(id="inject-message")
            yield Label(tr("inject.recipients", lang))
            choices = [(tr("inject.everyone", lang), "all")]
            choices += [(names.name(a, lang), a) for a in self.agencies]
            choices += [(names.name(t, lang), t) for t in self.teams]
            yield CheckList(*((label, value, value in self.default_to) for label, value in choices), id="inject-to")
            with Horizontal():
                yield Button(tr("dlg.send", lang) + " (ctrl+s)", variant="primary", id="send")
                yield Button(tr("dlg.cancel", lang) + " (Esc)", id="cancel")

    def on_mount(self) -> None:
        """Start in the template picker."""
        self.query_one("#inject-template", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        """A template fills in title, message and recipients (all still editable)."""
        key = event.value
        inj = self.injects.get(key) if isinstance(key, str) else None
        title = text(inj.get("title"), self.lang) if inj else ""
        message = text(inj.get("message"), self.lang) if inj else ""
        self._prefill = {"title": title, "message": message}
        self.query_one("#inject-title", Input).value = title
        self.query_one("#inject-message", Input).value = message
        recipients = self.query_one("#inject-to", CheckList)
        recipients.deselect_all()
        offered = {"all", *self.agencies, *self.teams}
        wanted = [to for to in (inj.get("to") or ()) if to in offered] if inj else []  # group ids are not offered
        for to in wanted or self.default_to:
            recipients.select(to)
        self._prefill_to = sorted(recipients.selected) if wanted else []

    def payload(self) -> dict[str, Any] | None:
        """The input as the engine takes it, or None when there is nothing to deliver."""
        template = self.query_one("#inject-template", Select).value
        title = self.query_one("#inject-title", Input).value.strip()
        message = self.query_one("#inject-message", Input).value.strip()
        to = list(self.query_one("#inject-to", CheckList).selected)
        out: dict[str, Any] = {"kind": "inject"}
        if isinstance(template, str) and template != WRITTEN:
            out["template"] = template
            if title and title != self._prefill["title"]:
                out["title"] = title
            if message and message != self._prefill["message"]:
                out["message"] = message
        else:
            if not (title or message):
                return None
            if title:
                out["title"] = title
            if message:
                out["message"] = message
        if "template" in out and self._prefill_to and sorted(to) == self._prefill_to:
            return out  # the template's own recipients (group ids included) apply
        out["to"] = ["all"] if "all" in to else to
        return out

    def action_send(self) -> None:
        """Deliver (or say what is missing: a text, or at least one recipient)."""
        payload = self.payload()
        if payload is None:
            self.notify(tr("inject.need_text", self.lang), severity="warning")
            return
        if "to" in payload and not payload["to"]:
            self.notify(tr("inject.need_to", self.lang), severity="warning")
            self.query_one("#inject-to", CheckList).focus()
            return
        self.dismiss(payload)

    def action_cancel(self) -> None:
        """Close without delivering."""
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the message field delivers; in the title field it moves on."""
        event.stop()
        if event.input.id == "inject-message":
            self.action_send()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Mouse users."""
        if event.button.id == "send":
            self.action_send()
        else:
            self.action_cancel()
