"""The header: scenario title, simulated date and time, clock state, and each main agency's level."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from drillsim.tui.i18n import Names, clip, format_offset, text, tr
from drillsim.tui.state import ExerciseView

LEVEL_STYLE = {"I": "bold white on red", "II": "bold black on dark_orange", "III": "bold black on yellow",
               "IV": "bold white on blue"}


@dataclass
class ClockStatus:
    """How the clock is running (the live console's :class:`~drillsim.tui.clock.Clock`, or a replay's)."""

    speed: int = 60
    running: bool = False
    run_to: str | None = None
    behind: bool = False


def speed_label(speed: int, lang: str) -> str:
    """``×60``; ``real time`` for ×1."""
    return tr("clock.realtime", lang) if speed == 1 else f"×{speed}"


def level_label(level: str | None, lang: str) -> str:
    """``II`` → ``II`` (``II级`` in Chinese); no level → a dash."""
    if not level:
        return tr("clock.no_level", lang)
    return f"{level}级" if lang == "zh" else level


class ExerciseHeader(Widget):
    """Two lines at the top of the console; redrawn on every clock tick (cheap)."""

    DEFAULT_CSS = """
    ExerciseHeader {
        height: 2;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, view: ExerciseView, names: Names, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.names = names
        self.lang = lang
        self.status = ClockStatus()

    def show(self, view: ExerciseView, lang: str, status: ClockStatus) -> None:
        """Redraw with the current state."""
        self.view, self.lang, self.status = view, lang, status
        self.refresh()

    def render(self) -> Text:
        """Line 1: title and simulated date/time; line 2: clock state, levels, waiting decisions."""
        width = max(10, self.content_size.width)
        line2, tail = self.state_line()
        line2.append("  ")
        self.append_levels(line2, tail, width)
        out = Text()
        out.append_text(self.title_line(width))
        out.append("\n")
        out.append_text(line2)
        out.no_wrap = True
        out.overflow = "crop"
        return out

    def when(self) -> str:
        """The simulated date and time (seconds shown while the clock runs slowly)."""
        st, v = self.status, self.view
        seconds = st.speed < 60 and (st.running or st.run_to is not None)
        return f"{self.names.date_time(v.now, seconds=seconds)}  {format_offset(v.now)}"

    def title_line(self, width: int) -> Text:
        """The scenario's title on the left, :meth:`when` on the right."""
        v, lang = self.view, self.lang
        when = self.when()
        title = text(self.names.title, lang) or str((v.header.get("scenario") or {}).get("id", ""))
        room = width - cell_len(when) - 2
        line1 = Text()
        line1.append(clip(title, room), style="bold")
        line1.append(" " * max(1, width - cell_len(clip(title, room)) - cell_len(when)))
        line1.append(when, style="bold")
        return line1

    def state_line(self) -> tuple[Text, Text]:
        """The start of line 2 (clock state, speed) and its right-hand tail (waiting decisions)."""
        v, lang, st = self.view, self.lang, self.status
        line2 = Text()
        if v.ended:
            line2.append(f" {tr('clock.ended', lang)} ", style="bold white on grey37")
        elif st.run_to is not None:
            key = "clock.to_inject" if st.run_to == "inject" else "clock.to_decision"
            label = tr(key, lang) if st.run_to in ("inject", "decision") else "»"
            line2.append(f" ▶▶ {label} ", style="bold black on cyan")
        elif st.running:
            line2.append(f" ▶ {tr('clock.running', lang)} ", style="bold black on green")
        else:
            line2.append(f" ⏸ {tr('clock.paused', lang)} ", style="bold black on yellow")
        line2.append(f" {speed_label(st.speed, lang)}", style="bold")
        if st.behind:
            line2.append(" ⚠", style="bold red")
        tail = Text()
        if v.pending:
            tail.append(f" ⚠ {tr('clock.pending', lang, n=len(v.pending))} ", style="bold white on red")
        return line2, tail

    def append_levels(self, line2: Text, tail: Text, width: int) -> None:
        """Each main agency's response level, as many as fit, then ``tail`` right-aligned."""
        v, lang = self.view, self.lang
        used = line2.cell_len + tail.cell_len
        shown = 0
        agencies = v.main_agencies
        room_each = (width - used) // max(1, len(agencies)) - 6
        for key in agencies:
            name = clip(self.names.name(key, lang), max(8, min(32, room_each)))
            lvl = level_label(v.levels.get(key), lang)
            piece = cell_len(name) + cell_len(lvl) + 4
            if used + piece > width:
                rest = len(agencies) - shown
                if rest and used + 4 <= width:
                    line2.append(f"+{rest}", style="dim")
                    used += len(f"+{rest}")
                break
            line2.append(name + " ")
            line2.append(f" {lvl} ", style=LEVEL_STYLE.get(v.levels.get(key) or "", "dim"))
            line2.append(" ")
            used += piece
            shown += 1
        if tail:
            line2.append(" " * max(0, width - line2.cell_len - tail.cell_len))
            line2.append_text(tail)
