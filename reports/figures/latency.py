"""First-report latency per level against the deadline (信息报送时效): one box per level.

Overlaid histograms of five levels blend into grey; a box per level (median, quartiles, the 5th to
95th percentile, the slowest as dots) on its own row, with that level's deadline marked on the row
and the share of late first reports written beside it, compares the levels at a glance.
"""

from __future__ import annotations

from typing import Any

from drillsim.levels import ADMIN_NAMES_ZH as LEVEL_NAMES
from drillsim.levels import ADMIN_RANK
from drillsim.reports.figures.common import L, new_figure
from drillsim.scoring.view import LogView

KEY = "report-latency"
KINDS = ("report.received",)
LEVEL_NAMES_EN = {"village": "village", "township": "township", "county": "county", "city": "city",
                  "province": "province", "nation": "nation"}


def caption(lang: str) -> str:
    """Figure caption."""
    return L(
        lang,
        "First-report latency (minutes after detection) per level, with each level's deadline",
        "各级首报用时(发现后分钟数)及时限",
    )


def draw(view: LogView, lang: str) -> Any | None:
    """A horizontal box per receiving level, its deadline as a red mark; None without reports."""
    firsts: dict[tuple[str | None, str | None], tuple[str, float]] = {}
    for r in view.kind("report.received"):
        latency = r.data.get("latency")
        key = (r.subject, r.actor)
        if key not in firsts and isinstance(latency, int | float):
            firsts[key] = (str(r.data.get("level") or view.region_level(r.actor)), float(latency))
    if not firsts:
        return None
    by_level: dict[str, list[float]] = {}
    for level, latency in firsts.values():
        by_level.setdefault(level, []).append(latency)
    deadlines = (view.definition.get("reporting") or {}).get("deadlines") or {}
    levels = sorted(by_level, key=lambda lv: ADMIN_RANK.get(lv, 99))
    fig, ax = new_figure(height=max(2.6, 1.4 + 0.6 * len(levels)))
    import matplotlib

    sideways = ({"orientation": "horizontal"} if tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) >= (3, 10)
                else {"vert": False})  # `vert` is deprecated from 3.10; `orientation` is new in it
    ax.boxplot([by_level[lv] for lv in levels], positions=range(len(levels)), widths=0.55, **sideways,
               whis=(5, 95), patch_artist=True, boxprops={"facecolor": "#cfe0f3", "edgecolor": "#4e79a7"},
               medianprops={"color": "#1f4e79", "linewidth": 2},
               flierprops={"marker": ".", "markersize": 3, "markerfacecolor": "#6b7a8f", "markeredgecolor": "none"})
    names = LEVEL_NAMES if lang == "zh" else LEVEL_NAMES_EN
    top = max(max(v) for v in by_level.values())
    for row, level in enumerate(levels):
        values = by_level[level]
        note = L(lang, f"n={len(values)}", f"{len(values)}份")
        if level in deadlines:
            due = float(deadlines[level])
            ax.plot([due, due], [row - 0.38, row + 0.38], color="#d62728", linewidth=2.5, zorder=5)
            late = sum(1 for v in values if v > due) / len(values)
            note += L(lang, f", {late:.0%} late", f",超时{late:.0%}")
            top = max(top, due)
        ax.text(1.01, row, note, transform=ax.get_yaxis_transform(), va="center", fontsize=8, color="#3a4556")
    ax.set_yticks(range(len(levels)))
    ax.set_yticklabels([names.get(lv, lv) for lv in levels])
    ax.set_ylim(len(levels) - 0.5, -0.5)
    ax.set_xlim(0, top * 1.05)
    ax.grid(True, axis="x", alpha=0.3)
    ax.set_xlabel(L(lang, "minutes from detection to the first report at the level (red: the level's deadline)",
                    "从发现到该级收到首报的分钟数(红线:该级时限)"))
    ax.set_title(caption(lang))
    return fig
