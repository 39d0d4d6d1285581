"""Team activity Gantt chart: travel, work on scene, return."""

from __future__ import annotations

from typing import Any

from drillsim.reports.figures.common import COLOURS, L, bars, hours_axis, legend_above, new_figure, wrap_title
from drillsim.scoring.text import pick
from drillsim.scoring.timelines import team_intervals
from drillsim.scoring.view import LogView

KEY = "teams"
KINDS = ("team.dispatched", "rescue.started", "team.returning")
MAX_ROWS = 40
"""Teams shown (the busiest); a note in the caption says how many were left out."""


def caption(lang: str) -> str:
    """Figure caption."""
    return L(
        lang,
        "Team activity: travel to scene, work on scene, return to base",
        "救援队伍任务甘特图:出动、现场处置、返回",
    )


def draw(view: LogView, lang: str) -> Any | None:
    """One row per team (busiest first, up to 40), or None when no team moved."""
    intervals = team_intervals(view)
    if not intervals:
        return None
    busy = sorted(intervals, key=lambda t: (-sum(e - s for s, e, _, _ in intervals[t]), t))
    shown = sorted(busy[:MAX_ROWS])
    fig, ax = new_figure(height=max(2.8, 1.3 + 0.32 * len(shown)))
    labels = {
        "travel": L(lang, "travel", "出动途中"),
        "work": L(lang, "work on scene", "现场处置"),
        "return": L(lang, "return", "返回"),
    }
    rects: list[tuple[float, float, float, float]] = []
    colours: list[str] = []
    phases: list[str] = []  # in order of first appearance: the legend's order
    for row, team in enumerate(shown):
        for start, end, phase, _ in intervals[team]:
            rects.append((start / 60.0, (end - start) / 60.0, row, 0.7))
            colours.append(COLOURS[phase])
            if phase not in phases:
                phases.append(phase)
    bars(ax, rects, colours)
    ax.set_yticks(range(len(shown)))
    ax.set_yticklabels([pick(view.name(t), lang) for t in shown], fontsize=8)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    hours_axis(ax, lang, view.horizon)
    from matplotlib.patches import Patch

    legend_above(ax, handles=[Patch(color=COLOURS[p], label=labels[p]) for p in phases], ncols=3)
    title = caption(lang)
    if len(busy) > MAX_ROWS:
        title += "\n" + L(lang, f"the {MAX_ROWS} busiest of {len(busy)} teams",
                          f"任务最多的{MAX_ROWS}支(共{len(busy)}支)")
    ax.set_title(wrap_title(title), pad=28)
    return fig
