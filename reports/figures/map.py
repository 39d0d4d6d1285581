"""A map of the regions (as a tree of points), incident locations and team bases."""

from __future__ import annotations

import math
from typing import Any

from drillsim.levels import ADMIN_RANK
from drillsim.reports.figures.common import COLOURS, L, new_figure
from drillsim.scoring.text import pick
from drillsim.scoring.view import LogView

KEY = "map"
KINDS = ("incident.occurred",)


def caption(lang: str) -> str:
    """Figure caption."""
    return L(
        lang,
        "Regions, incident locations (by outcome) and team bases",
        "行政区划、事件位置(按结果)及队伍驻地",
    )


def _outcomes(view: LogView) -> dict[str | None, str]:
    out: dict[str | None, str] = {}
    for r in view.kind("rescue.completed", "incident.closed"):
        out.setdefault(r.subject, "lost" if (r.data.get("lost") or 0) > 0 else "rescued")
    for r in view.kind("incident.unresolved"):
        out.setdefault(r.subject, "unresolved")
    return out


def draw(view: LogView, lang: str) -> Any | None:
    """Scatter map in lon/lat (scaled by cos(latitude)), or None when nothing has a location."""
    located = {rid: view.location(rid) for rid in view.regions}
    regions = {k: v for k, v in located.items() if v is not None}
    occurred = [(r, r.data.get("location")) for r in view.kind("incident.occurred")]
    incidents = [(r, loc) for r, loc in occurred if isinstance(loc, list | tuple) and len(loc) == 2]
    if not regions and not incidents:
        return None
    fig, ax = new_figure(width=8.5, height=6.5)
    for rid, (lon, lat) in regions.items():
        parent = view.parent(rid)
        if parent in regions:
            plon, plat = regions[parent]
            ax.plot([lon, plon], [lat, plat], color="#c9d3df", linewidth=0.8, zorder=1)
    for rid, (lon, lat) in regions.items():
        rank = ADMIN_RANK.get(view.region_level(rid) or "village", 0)
        ax.scatter([lon], [lat], s=20 + 30 * rank, color="#dde3ea", edgecolor="#6b7a8f", zorder=2)
        if rank >= 1 or len(regions) <= 25:
            ax.annotate(
                pick(view.name(rid), lang),
                (lon, lat),
                fontsize=7 + min(rank, 4),
                xytext=(4, 4),
                textcoords="offset points",
                color="#3a4556",
                zorder=5,
            )
    outcomes = _outcomes(view)
    styles = {
        "rescued": L(lang, "incident: all rescued", "事件:全部获救"),
        "lost": L(lang, "incident: people lost", "事件:有人员遇难"),
        "unresolved": L(lang, "incident: unresolved", "事件:未处置完"),
        "open": L(lang, "incident: no rescue needed / open", "事件:无需救援或进行中"),
    }
    groups: dict[str, list[tuple[float, float]]] = {}
    for r, (lon, lat) in incidents:
        groups.setdefault(outcomes.get(r.subject, "open"), []).append((float(lon), float(lat)))
    for outcome, points in groups.items():
        jitter = [
            (lon + 0.004 * math.cos(i * 2.4), lat + 0.004 * math.sin(i * 2.4))
            for i, (lon, lat) in enumerate(points)
        ]
        ax.scatter(
            [p[0] for p in jitter],
            [p[1] for p in jitter],
            marker="x",
            s=36,
            linewidths=1.6,
            color=COLOURS.get(outcome, "#f28e2b"),
            label=f"{styles[outcome]} ({len(points)})",
            zorder=4,
        )
    bases: dict[str, int] = {}
    for team in view.teams:
        base = view.teams[team].get("base")
        if base in regions:
            bases[base] = bases.get(base, 0) + 1
    if bases:
        ax.scatter(
            [regions[b][0] for b in bases],
            [regions[b][1] for b in bases],
            marker="^",
            s=90,
            color="#1f4e79",
            label=L(lang, "team base", "队伍驻地"),
            zorder=3,
        )
    lats = [p[1] for p in regions.values()] + [float(loc[1]) for _, loc in incidents]
    ax.set_aspect(1.0 / max(0.2, math.cos(math.radians(sum(lats) / len(lats)))), adjustable="datalim")
    ax.set_xlabel(L(lang, "longitude (°E)", "经度(°E)"))
    ax.set_ylabel(L(lang, "latitude (°N)", "纬度(°N)"))
    ax.margins(0.12)
    ax.legend(loc="best", fontsize=8, frameon=True)
    ax.set_title(caption(lang))
    return fig
