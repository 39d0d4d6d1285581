"""The event feed for replay: the console's feed, rebuilt with only as many lines as a reader sees.

Jumping to another moment shows a different view, so the feed is rebuilt from the records up to
that moment. The live console rebuilds 400 lines (after a filter or language change); drawing
them costs most of a jump in a long log. The replay feed draws the last few screens instead —
stepping back (←) shows earlier records one at a time, exactly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillsim.tui.widgets.feed import EventFeed

if TYPE_CHECKING:
    from drillsim.log import Row

SCREENS = 1.5
"""Screens of lines the rebuilt feed holds."""

MIN_LINES = 40


class ReplayFeed(EventFeed):
    """:class:`~drillsim.tui.widgets.feed.EventFeed` with a rebuild sized to the pane."""

    def _rebuild(self) -> None:
        self.clear()
        self._width = self.size.width
        view = self._view
        if view is None:
            return
        cap = max(MIN_LINES, int(SCREENS * max(1, self.size.height)))
        out: list[Row] = []
        for rec in reversed(view.records):
            if self.filter.matches(rec, self.region_of):
                out.append(rec)
                if len(out) >= cap:
                    break
        for rec in reversed(out):
            self._write(rec)
        self._seen = len(view.records)
