"""The panes every exercise screen shows, in one order: the console, a seat and the replay viewer.

One definition, so the three screens cannot drift apart (a pane added to the console appears in the
seat and the viewer, with the same id their styles and tests look for).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Container
from textual.widget import Widget

from drillsim.tui.i18n import Names
from drillsim.tui.widgets.feed import EventFeed
from drillsim.tui.widgets.incidents import IncidentsTable
from drillsim.tui.widgets.msel import MselTable
from drillsim.tui.widgets.scorecard import ScorecardPane
from drillsim.tui.widgets.teams import TeamsTable


def exercise_panes(names: Names, lang: str, *, feed: type[EventFeed] = EventFeed,
                   scorecard: bool = True) -> ComposeResult:
    """``#panes``: injects, incidents, teams, the event feed and (unless a seat) the scorecard.

    Args:
        names: Display names of the scenario's ids.
        lang: ``en`` or ``zh``.
        feed: The feed widget (the replay viewer's seeks instead of following).
        scorecard: Whether the scorecard pane is shown (a seat does not score).
    """
    with Container(id="panes"):
        yield MselTable(names, lang, id="msel")
        yield IncidentsTable(names, lang, id="incidents")
        yield TeamsTable(names, lang, id="teams")
        yield feed(names, lang, id="feed")
        if scorecard:
            yield ScorecardPane(names, lang, id="scorecard")


def mark_panes(screen: App[object] | Widget) -> None:
    """Give every pane under ``#panes`` the ``pane`` class the styles use (once mounted)."""
    for pane in screen.query("#panes > *"):
        pane.add_class("pane")
