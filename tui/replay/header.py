"""The replay header: title and the moment shown; play state, position in the log, levels."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from tui.i18n import clip, format_offset, text
from tui.replay.strings import tr
from tui.widgets.header import LEVEL_STYLE, ExerciseHeader, level_label, speed_label


@dataclass
class ReplayStatus:
    """What the header says about the replay itself."""

    speed: int = 300
    playing: bool = False
    position: int = 0
    total: int = 0
    at_end: bool = False
    branch: str = ""


class ReplayHeader(ExerciseHeader):
    """Two lines, like the console's header, with the replay's state instead of the live clock's."""

    replay = ReplayStatus()

    def show_replay(self, view: object, lang: str, status: ReplayStatus) -> None:
        """Redraw with the current position."""
        self.view, self.lang, self.replay = view, lang, status  # type: ignore[assignment]
        self.refresh()

    def render(self) -> Text:
        """Line 1: title and simulated date/time; line 2: replay state, position, levels, open decisions."""
        width = max(10, self.content_size.width)
        v, lang, st = self.view, self.lang, self.replay
        when = f"{self.names.date_time(v.now, seconds=st.speed < 60)}  {format_offset(v.now)}"
        title = text(self.names.title, lang) or str((v.header.get("scenario") or {}).get("id", ""))
        room = width - cell_len(when) - 2
        line1 = Text()
        line1.append(clip(title, room), style="bold")
        line1.append(" " * max(1, width - cell_len(clip(title, room)) - cell_len(when)))
        line1.append(when, style="bold")

        line2 = Text()
        line2.append(f" {tr('replay.mode', lang)} ", style="bold white on dark_blue")
        if st.at_end and not st.playing:
            line2.append(f" ■ {tr('replay.end', lang)} ", style="bold white on grey37")
        elif st.playing:
            line2.append(f" ▶ {tr('replay.playing', lang)} ", style="bold black on green")
        else:
            line2.append(f" ⏸ {tr('replay.paused', lang)} ", style="bold black on yellow")
        line2.append(f" {speed_label(st.speed, lang)}", style="bold")
        line2.append(f"  {tr('replay.position', lang, pos=st.position, total=st.total)}", style="dim")
        if st.branch:
            line2.append(f"  ⑂ {st.branch}", style="bold magenta")
        tail = Text()
        pending = len(v.pending)
        if pending:
            tail.append(f" {tr('replay.pending', lang, n=pending)} ", style="bold white on red")
        line2.append("  ")
        used = line2.cell_len + tail.cell_len
        agencies = v.main_agencies
        room_each = (width - used) // max(1, len(agencies)) - 6
        shown = 0
        for key in agencies:
            name = clip(self.names.name(key, lang), max(8, min(32, room_each)))
            lvl = level_label(v.levels.get(key), lang)
            piece = cell_len(name) + cell_len(lvl) + 4
            if used + piece > width:
                rest = len(agencies) - shown
                if rest and used + 4 <= width:
                    line2.append(f"+{rest}", style="dim")
                break
            line2.append(name + " ")
            line2.append(f" {lvl} ", style=LEVEL_STYLE.get(v.levels.get(key) or "", "dim"))
            line2.append(" ")
            used += piece
            shown += 1
        if tail:
            line2.append(" " * max(0, width - line2.cell_len - tail.cell_len))
            line2.append_text(tail)
        out = Text()
        out.append_text(line1)
        out.append("\n")
        out.append_text(line2)
        out.no_wrap = True
        out.overflow = "crop"
        return out
