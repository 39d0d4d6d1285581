"""First-report latency per level against the deadline (信息报送时效)."""

from __future__ import annotations

from typing import Any

from drillsim.levels import ADMIN_NAMES_ZH as LEVEL_NAMES
from drillsim.levels import ADMIN_RANK
from drillsim.reports.figures.common import L, new_figure
from drillsim.scoring.view import LogView

KEY = "report-latency"
KINDS = ("report.received",)


def caption(lang: str) -> str:
    """Figure caption."""
    return L(
        lang,
        "First-report latency (minutes after detection) per level, with each level's deadline",
        "各级首报用时(发现后分钟数)及时限",
    )


def draw(view: LogView, lang: str) -> Any | None:
    """Overlaid histograms, one per receiving level, with dashed deadline lines; None without reports."""
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
    top = max(max(v) for v in by_level.values())
    top = max(top, *(float(deadlines[lv]) for lv in levels if lv in deadlines), 1.0)
    bins = [top * i / 24 for i in range(25)]
    fig, ax = new_figure()
    colours = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"]
    for i, level in enumerate(levels):
        name = LEVEL_NAMES.get(level, level) if lang == "zh" else level
        colour = colours[i % len(colours)]
        ax.hist(
            by_level[level], bins=bins, alpha=0.55, color=colour, label=f"{name} (n={len(by_level[level])})"
        )
        if level in deadlines:
            ax.axvline(float(deadlines[level]), color=colour, linestyle="--", linewidth=1.5)
            ax.text(
                float(deadlines[level]),
                0.98,
                " " + L(lang, f"{level} deadline", f"{name}时限"),
                color=colour,
                transform=ax.get_xaxis_transform(),
                va="top",
                fontsize=8,
                rotation=90,
            )
    ax.set_xlabel(
        L(lang, "minutes from detection to the first report at the level", "从发现到该级收到首报的分钟数")
    )
    ax.set_ylabel(L(lang, "first reports", "首报数量"))
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(caption(lang))
    return fig
