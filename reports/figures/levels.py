"""Response levels over time per agency (a step chart of 分级响应)."""

from __future__ import annotations

from typing import Any

from drillsim.levels import rank_of as level_rank
from drillsim.reports.figures.common import L, hours_axis, new_figure
from drillsim.scoring.text import pick
from drillsim.scoring.view import LogView

KEY = "levels"
KINDS = ("level.changed",)


def caption(lang: str) -> str:
    """Figure caption."""
    return L(lang, "Response level of each agency over time", "各单位应急响应级别变化")


def draw(view: LogView, lang: str) -> Any | None:
    """The step chart, or None when no agency changed level."""
    changes = view.kind("level.changed")
    if not changes:
        return None
    series: dict[str | None, list[tuple[float, int]]] = {}
    for r in changes:
        agency = r.subject or r.actor
        series.setdefault(agency, [(0.0, level_rank(r.data.get("from")))]).append(
            (r.t / 60.0, level_rank(r.data.get("to")))
        )
    fig, ax = new_figure(height=max(3.2, 2.0 + 0.25 * len(series)))
    end = view.horizon / 60.0
    for i, (agency, points) in enumerate(sorted(series.items())):
        xs = [p[0] for p in points] + [end]
        ys = [p[1] for p in points] + [points[-1][1]]
        offset = (i - (len(series) - 1) / 2) * 0.04
        ax.step(xs, [y + offset for y in ys], where="post", linewidth=2, label=pick(view.name(agency), lang))
    ax.set_yticks(range(5))
    ax.set_yticklabels([L(lang, "none", "无"), "IV", "III", "II", "I"])
    ax.set_ylim(-0.3, 4.3)
    ax.set_ylabel(L(lang, "response level", "响应级别"))
    hours_axis(ax, lang, view.horizon)
    ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=2 if len(series) > 6 else 1)
    ax.set_title(caption(lang))
    return fig
