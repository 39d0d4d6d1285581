"""Incidents open, people rescued and people lost over time."""

from __future__ import annotations

from typing import Any

from drillsim.reports.figures.common import COLOURS, L, hours_axis, legend_above, new_figure
from drillsim.scoring.view import LogView

KEY = "incidents"
KINDS = ("incident.occurred", "rescue.completed", "incident.closed", "incident.unresolved")


def caption(lang: str) -> str:
    """Figure caption."""
    return L(
        lang,
        "Incidents needing rescue still open, and people rescued and lost (cumulative)",
        "待救援事件数量及累计获救、遇难人数",
    )


def draw(view: LogView, lang: str) -> Any | None:
    """Three step curves on two axes, or None when no incident needed rescue."""
    need = {
        r.subject: r
        for r in view.kind("incident.occurred")
        if isinstance(r.data.get("people"), int | float) and r.data["people"] > 0
    }
    if not need:
        return None
    events: list[tuple[float, int, int, int]] = [(r.t, 1, 0, 0) for r in need.values()]
    closed: set[str | None] = set()
    for r in view.kind("rescue.completed", "incident.closed"):
        if r.subject in need and r.subject not in closed:
            closed.add(r.subject)
            events.append((r.t, -1, int(r.data.get("rescued") or 0), int(r.data.get("lost") or 0)))
    for r in view.kind("incident.unresolved"):
        if r.subject in need and r.subject not in closed:
            alive = r.data.get("alive")
            people = int(need[r.subject].data.get("people") or 0)
            died = people - int(alive) if isinstance(alive, int | float) else 0
            events.append((r.t, 0, 0, max(0, died)))
    events.sort(key=lambda e: e[0])
    xs, open_, rescued, lost = [0.0], [0], [0], [0]
    for t, d_open, d_res, d_lost in events:
        xs.append(t / 60.0)
        open_.append(open_[-1] + d_open)
        rescued.append(rescued[-1] + d_res)
        lost.append(lost[-1] + d_lost)
    xs.append(view.horizon / 60.0)
    open_.append(open_[-1])
    rescued.append(rescued[-1])
    lost.append(lost[-1])
    fig, ax = new_figure()
    ax.step(
        xs,
        open_,
        where="post",
        color=COLOURS["open"],
        linewidth=2,
        label=L(lang, "incidents open", "待救援事件"),
    )
    ax.set_ylabel(L(lang, "incidents open", "待救援事件(起)"))
    ax2 = ax.twinx()
    ax2.step(
        xs,
        rescued,
        where="post",
        color=COLOURS["rescued"],
        linewidth=2,
        label=L(lang, "people rescued", "累计获救(人)"),
    )
    ax2.step(
        xs,
        lost,
        where="post",
        color=COLOURS["lost"],
        linewidth=2,
        linestyle="--",
        label=L(lang, "people lost", "累计遇难(人)"),
    )
    ax2.set_ylabel(L(lang, "people (cumulative)", "人数(累计)"))
    ax.set_ylim(bottom=0)
    ax2.set_ylim(bottom=0)
    hours_axis(ax, lang, view.horizon)
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    legend_above(ax, lines[0] + lines2[0], lines[1] + lines2[1], ncols=3)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # incidents are whole
    ax2.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(caption(lang), pad=22)
    return fig
