"""The replay header: title and the moment shown; play state, position in the log, levels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from drillsim.tui.i18n import format_offset
from drillsim.tui.replay.strings import tr
from drillsim.tui.widgets.header import ExerciseHeader, speed_label

if TYPE_CHECKING:
    from drillsim.tui.state import ExerciseView


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

    def show_replay(self, view: ExerciseView, lang: str, status: ReplayStatus) -> None:
        """Redraw with the current position."""
        self.view, self.lang, self.replay = view, lang, status
        self.refresh()

    def when(self) -> str:
        """The simulated date and time of the moment shown."""
        v = self.view
        return f"{self.names.date_time(v.now, seconds=self.replay.speed < 60)}  {format_offset(v.now)}"

    def state_line(self) -> tuple[Text, Text]:
        """Replay mode, play state, speed, position in the log, branch; tail: decisions open then."""
        v, lang, st = self.view, self.lang, self.replay
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
        if v.pending:
            tail.append(f" {tr('replay.pending', lang, n=len(v.pending))} ", style="bold white on red")
        return line2, tail
