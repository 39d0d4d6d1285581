"""A map of the regions (as a tree of points), incident locations and team bases.

The map frames where things happened — the incidents, the team bases and the regions of county level
and below — so a province hundreds of kilometres away does not squeeze the exercise area into a
corner; region names that would overlap are left out, the highest administrative level first kept.
"""

from __future__ import annotations

import math
from typing import Any

from drillsim.levels import ADMIN_RANK
from drillsim.reports.figures.common import COLOURS, L, legend_beside, new_figure, wrap_title
from drillsim.scoring.text import pick
from drillsim.scoring.view import LogView

SHAPE = 1.25
"""Width over height (in kilometres) of the framed area: near the figure's own."""
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
    bases_at = {view.teams[t].get("base") for t in view.teams}
    frame = _frame(view, regions, [(float(lon), float(lat)) for _, (lon, lat) in incidents], bases_at)
    inside = {rid: loc for rid, loc in regions.items() if _within(loc, frame)}
    from matplotlib.collections import LineCollection

    edges = [((lon, lat), inside[p]) for rid, (lon, lat) in inside.items() if (p := view.parent(rid)) in inside]
    if edges:  # one collection, not a line per region (a big exercise has hundreds)
        ax.add_collection(LineCollection(edges, colors="#c9d3df", linewidths=0.8, zorder=1), autolim=False)
    labels = []
    ranks = {rid: ADMIN_RANK.get(view.region_level(rid) or "village", 0) for rid in inside}
    if inside:
        ax.scatter([loc[0] for loc in inside.values()], [loc[1] for loc in inside.values()],
                   s=[20 + 30 * ranks[rid] for rid in inside], color="#dde3ea", edgecolor="#6b7a8f", zorder=2)
    for rid, (lon, lat) in inside.items():
        rank = ranks[rid]
        text = ax.annotate(pick(view.name(rid), lang), (lon, lat), fontsize=7 + min(rank, 4), xytext=(4, 4),
                           textcoords="offset points", color="#3a4556", zorder=5)
        labels.append((rank, text))
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
    bases = {b: n for b, n in _bases(view).items() if b in inside}
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
    (west, south), (east, north) = frame
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    away = sorted(((b, n) for b, n in _bases(view).items() if b in regions and b not in inside),
                  key=lambda bn: (-bn[1], str(bn[0])))
    if away:
        sep = "、" if lang == "zh" else ", "
        listing = sep.join(f"{pick(view.name(b), lang)} ({n})" for b, n in away[:6]) + ("…" if len(away) > 6 else "")
        ax.text(0.0, -0.1, wrap_title(L(lang, f"Teams based off the map: {listing}", f"驻地在图外的队伍:{listing}"),
                                      90), transform=ax.transAxes, fontsize=8, color="#3a4556", va="top")
    ax.set_aspect(1.0 / max(0.2, math.cos(math.radians((south + north) / 2))), adjustable="box")
    ax.set_xlabel(L(lang, "longitude (°E)", "经度(°E)"))
    ax.set_ylabel(L(lang, "latitude (°N)", "纬度(°N)"))
    legend_beside(ax)
    ax.set_title(caption(lang))
    _declutter(fig, labels)
    return fig


def _bases(view: LogView) -> dict[str, int]:
    """Region → how many teams are based there."""
    out: dict[str, int] = {}
    for info in view.teams.values():
        base = info.get("base")
        if isinstance(base, str):
            out[base] = out.get(base, 0) + 1
    return out


def _within(loc: tuple[float, float], frame: tuple[tuple[float, float], tuple[float, float]]) -> bool:
    (west, south), (east, north) = frame
    return west <= loc[0] <= east and south <= loc[1] <= north


def _frame(view: LogView, regions: dict[str, tuple[float, float]], incidents: list[tuple[float, float]],
           bases: set[Any]) -> tuple[tuple[float, float], tuple[float, float]]:
    """The corners (west, south), (east, north) of where the exercise happened: its incidents.

    Without located incidents, the regions of county level and below and the team bases; without
    those either, every region.
    """
    points = list(incidents)
    if not points:
        county = ADMIN_RANK["county"]
        points = [loc for rid, loc in regions.items()
                  if rid in bases or ADMIN_RANK.get(view.region_level(rid) or "village", 0) <= county]
    if not points:
        points = list(regions.values())
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    squeeze = max(0.2, math.cos(math.radians((south + north) / 2)))
    wide, high = max(0.1, (east - west) * squeeze), max(0.1, north - south)
    if wide < SHAPE * high:  # widen a tall, narrow area (or heighten a flat one) to the figure's shape
        grow = (SHAPE * high - wide) / squeeze / 2
        west, east = west - grow, east + grow
    else:
        grow = (wide / SHAPE - high) / 2
        south, north = south - grow, north + grow
    pad_x, pad_y = max(0.05, (east - west) * 0.1), max(0.05, (north - south) * 0.1)
    return (west - pad_x, south - pad_y), (east + pad_x, north + pad_y)


def _declutter(fig: Any, labels: list[tuple[int, Any]]) -> None:
    """Hide region names that would overlap a name already kept (higher administrative levels first)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    fig.tight_layout()
    fig.draw_without_rendering()  # applies the aspect ratio: label positions are final (nothing is painted)
    renderer = canvas.get_renderer()
    kept: list[Any] = []
    for _rank, text in sorted(labels, key=lambda rt: -rt[0]):
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(other) for other in kept):
            text.set_visible(False)
        else:
            kept.append(box)
