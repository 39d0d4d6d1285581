"""Figures of a comparison: the key curves on shared axes, response levels, and the scores.

A single run is a line; a set of runs is its median line with a p10–p90 band, so a run can be
read against the spread of a set (a baseline, the continuations of a branch). Side A is blue,
side B orange, on every figure.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from drillsim.replay.compare import Comparison, RunSummary
from drillsim.reports.figures.common import L, hours_axis, new_figure

COLOUR = {"a": "#1f77b4", "b": "#ff7f0e"}


def _names(comp: Comparison, lang: str) -> tuple[str, str]:
    def name(side: list[RunSummary], letter: str) -> str:
        if len(side) == 1:
            return f"{letter}: {side[0].label}"
        return f"{letter}: " + L(lang, f"{len(side)} runs (median, p10–p90)", f"{len(side)}次运行(中位数,p10–p90)")

    return name(comp.a, "A"), name(comp.b, "B")


def _plot_side(ax: Any, xs: np.ndarray, runs: list[RunSummary], key: str, colour: str, label: str,
               step: bool = True) -> None:
    style = {"linewidth": 2.6, "linestyle": "-"} if colour == COLOUR["a"] else {"linewidth": 1.8, "linestyle": "--"}
    data = np.asarray([r.curves.get(key, [0.0] * len(xs)) for r in runs], dtype=float)
    if data.size == 0:
        return
    if len(runs) == 1:
        if step:
            ax.step(xs, data[0], where="post", color=colour, label=label, **style)
        else:
            ax.plot(xs, data[0], color=colour, label=label, **style)
        return
    lo, med, hi = np.quantile(data, [0.1, 0.5, 0.9], axis=0)
    ax.fill_between(xs, lo, hi, step="post" if step else None, color=colour, alpha=0.22, linewidth=0)
    ax.step(xs, med, where="post", color=colour, label=label, **style)


def curves(comp: Comparison, lang: str) -> Any:
    """Open incidents, people rescued and people lost over time: three panels, one time axis."""
    from matplotlib.figure import Figure

    xs = np.asarray(comp.times, dtype=float) / 60.0
    horizon = comp.times[-1] if comp.times else 0.0
    fig = Figure(figsize=(9.0, 7.6), dpi=100)
    axes = fig.subplots(3, 1, sharex=True)
    a_name, b_name = _names(comp, lang)
    panels = (("open", L(lang, "incidents open", "待处置事件")), ("rescued", L(lang, "people rescued", "获救人数")),
              ("lost", L(lang, "people lost", "遇难人数")))
    for ax, (key, title) in zip(axes, panels, strict=True):
        _plot_side(ax, xs, comp.a, key, COLOUR["a"], a_name)
        _plot_side(ax, xs, comp.b, key, COLOUR["b"], b_name)
        ax.set_ylabel(title)
        ax.grid(True, alpha=0.3)
    hours_axis(axes[-1], lang, horizon)
    axes[0].legend(loc="upper right", fontsize=8, frameon=False)
    axes[0].set_title(L(lang, "Key curves on shared axes", "关键曲线对比(同一坐标)"))
    return fig


def levels(comp: Comparison, lang: str, names: dict[str, str]) -> Any | None:
    """Each main agency's response level over time (median for a set), A against B; None without agencies."""
    if not comp.agencies:
        return None
    xs = np.asarray(comp.times, dtype=float) / 60.0
    fig, axes = _grid(len(comp.agencies))
    a_name, b_name = _names(comp, lang)
    for ax, agency in zip(axes, comp.agencies, strict=False):
        key = f"level:{agency}"
        _plot_side(ax, xs, comp.a, key, COLOUR["a"], a_name)
        _plot_side(ax, xs, comp.b, key, COLOUR["b"], b_name)
        ax.set_yticks(range(5))
        ax.set_yticklabels([L(lang, "none", "无"), "IV", "III", "II", "I"])
        ax.set_ylim(-0.3, 4.3)
        ax.set_title(names.get(agency, agency), fontsize=9)
        ax.grid(True, alpha=0.3)
        hours_axis(ax, lang, comp.times[-1] if comp.times else 0.0)
    axes[0].legend(loc="lower right", fontsize=7, frameon=False)
    return fig


def _grid(n: int) -> tuple[Any, list[Any]]:
    from matplotlib.figure import Figure

    cols = 1 if n == 1 else 2
    rows = (n + cols - 1) // cols
    fig = Figure(figsize=(9.0, 2.6 * rows + 0.6), dpi=100)
    axes = fig.subplots(rows, cols, squeeze=False)
    flat = [ax for row in axes for ax in row]
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def scores(comp: Comparison, lang: str, objectives: list[str]) -> Any | None:
    """Overall and objective scores: bars for single runs, box plots for sets (a single run as a marker)."""
    keys = ["score", *(f"objective:{o}" for o in objectives)]
    labels = [L(lang, "overall", "总分"), *objectives]

    def values(runs: list[RunSummary], key: str) -> list[float]:
        return [v for v in (r.outcome.value(key) for r in runs) if v is not None]

    if not any(values(comp.a, k) or values(comp.b, k) for k in keys):
        return None
    fig, ax = new_figure(width=max(6.0, 1.4 * len(keys) + 3), height=4.4)
    pos = np.arange(len(keys), dtype=float)
    for side, runs, shift in (("a", comp.a, -0.18), ("b", comp.b, 0.18)):
        colour = COLOUR[side]
        for i, key in enumerate(keys):
            vals = values(runs, key)
            if not vals:
                continue
            if len(runs) == 1:
                ax.bar(pos[i] + shift, vals[0], width=0.34, color=colour, alpha=0.85)
            else:
                box = ax.boxplot([vals], positions=[pos[i] + shift], widths=0.3, patch_artist=True,
                                 showfliers=True, manage_ticks=False)
                for patch in box["boxes"]:
                    patch.set(facecolor=colour, alpha=0.35, edgecolor=colour)
                for part in ("medians", "whiskers", "caps"):
                    for line in box[part]:
                        line.set(color=colour)
    a_name, b_name = _names(comp, lang)
    ax.plot([], [], color=COLOUR["a"], linewidth=6, label=a_name)
    ax.plot([], [], color=COLOUR["b"], linewidth=6, label=b_name)
    ax.set_xticks(pos)
    ax.set_xticklabels(labels)
    ax.set_ylim(0, 105)
    for y, band in ((100 * 2.5 / 3, "P"), (100 * 1.5 / 3, "S"), (100 * 0.5 / 3, "M")):
        ax.axhline(y, color="#999999", linewidth=0.8, linestyle=":")
        ax.text(-0.45, y + 1, band, fontsize=7, color="#777777")
    ax.set_ylabel(L(lang, "score (0–100)", "得分(0–100)"))
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    ax.set_title(L(lang, "Scores: overall and per objective", "总分与各目标得分"))
    return fig

