"""Response levels over time per agency (分级响应): one row per agency, coloured by level.

With fourteen agencies a line per agency repeats colours and hides lines behind each other and
behind the legend; a row per agency, named on the axis and filled with the level's colour (IV blue,
III yellow, II orange, I red — the colours of China's warning and response levels), reads at once.
The level is also written inside every band wide enough to hold it.
"""

from __future__ import annotations

from typing import Any

from drillsim.levels import name as level_name
from drillsim.levels import rank_of as level_rank
from drillsim.reports.figures.common import L, bars, hours_axis, legend_above, new_figure
from drillsim.scoring.text import pick
from drillsim.scoring.view import LogView

KEY = "levels"
KINDS = ("level.changed",)
LEVEL_COLOURS = {1: "#4e79c8", 2: "#f2c94c", 3: "#f2994a", 4: "#d64545"}
"""Rank → colour: IV blue, III yellow, II orange, I red."""


def caption(lang: str) -> str:
    """Figure caption."""
    return L(lang, "Response level of each agency over time", "各单位应急响应级别变化")


def _bands(points: list[tuple[float, int]], end: float) -> list[tuple[float, float, int]]:
    """(start, end, rank) for each stretch of one level (hours)."""
    out = []
    for (t, rank), (t_next, _) in zip(points, [*points[1:], (end, 0)], strict=True):
        if t_next > t:
            out.append((t, t_next, rank))
    return out


def draw(view: LogView, lang: str) -> Any | None:
    """One row per agency that changed level, highest level reached first; None when none changed."""
    changes = view.kind("level.changed")
    if not changes:
        return None
    series: dict[str | None, list[tuple[float, int]]] = {}
    for r in changes:
        agency = r.subject or r.actor
        series.setdefault(agency, [(0.0, level_rank(r.data.get("from")))]).append(
            (r.t / 60.0, level_rank(r.data.get("to")))
        )
    end = view.horizon / 60.0
    order = sorted(series, key=lambda a: (-max(p[1] for p in series[a]),
                                          next((p[0] for p in series[a] if p[1] > 0), end), str(a)))
    fig, ax = new_figure(height=max(2.6, 1.5 + 0.34 * len(order)))
    span = max(end, 1e-3)
    bands: list[tuple[float, float, float, float]] = []
    colours: list[str] = []
    for row, agency in enumerate(order):
        for start, stop, rank in _bands(series[agency], end):
            if rank <= 0:
                continue
            bands.append((start, stop - start, row, 0.7))
            colours.append(LEVEL_COLOURS[rank])
            if (stop - start) / span > 0.035:
                ax.text((start + stop) / 2, row, level_name(rank), ha="center", va="center", fontsize=8,
                        color="white" if rank in (1, 4) else "#222222")
    bars(ax, [(0.0, span, row, 0.7) for row in range(len(order))], "#eef0f3")  # no response: the whole row
    bars(ax, bands, colours, edgecolors="white", linewidths=0.5)
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([pick(view.name(a), lang) for a in order], fontsize=8)
    ax.set_ylim(len(order) - 0.5, -0.5)
    hours_axis(ax, lang, view.horizon)
    from matplotlib.patches import Patch

    keys = [Patch(color="#eef0f3", label=L(lang, "no response", "未响应"))]
    keys += [Patch(color=LEVEL_COLOURS[rank], label=L(lang, f"Level {level_name(rank)}",
                                                      f"{level_name(rank)}级"))
             for rank in (1, 2, 3, 4)]
    legend_above(ax, handles=keys, ncols=5)
    ax.set_title(caption(lang), pad=22)
    return fig
