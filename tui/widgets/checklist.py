"""A list of check boxes that reads the same in any theme: ``[✓]`` ticked, ``[ ]`` not.

textual's :class:`~textual.widgets.SelectionList` draws every box with the same "X" and tells the
states apart by colour only; on a dark theme an unticked box still looks ticked. The recipients of
an ad-hoc inject, the roles played and any other multiple choice use this list instead.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED = "[✓]"
EMPTY = "[ ]"


class CheckList(SelectionList[str]):
    """A :class:`SelectionList` whose boxes show their state by shape, not only by colour."""

    DEFAULT_CSS = """
    CheckList > .selection-list--button-selected { color: $success; text-style: bold; }
    """

    def _get_left_gutter_width(self) -> int:
        return len(TICKED) + 1

    def render_line(self, y: int) -> Strip:
        """The option's prompt after a box: ``[✓]`` when selected, ``[ ]`` when not."""
        line = OptionList.render_line(self, y)
        index = self.scroll_offset[1] + y
        try:
            option = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        base = next(iter(line)).style or self.rich_style
        ticked = option.value in self._selected
        box = Style(bold=True, color="green") if ticked else Style(dim=True)
        box = (base or Style()) + box + Style(meta={"option": index})
        return Strip([Segment(TICKED if ticked else EMPTY, style=box), Segment(" ", style=base), *line])
