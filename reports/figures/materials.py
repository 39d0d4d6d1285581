"""Material stock over time (物资保障), from the scenario's depots and the ``material.*`` records.

Stock starts at each depot's physical reserve (``materials.depots.<id>.stock``) and agreement reserve
(``agreements.<item>.quantity``) in the log header's definition, and falls with every
``material.dispatched`` from that depot and pool (``source``: physical / agreement). Shortfalls are
marked. When the scenario defines no depots, a ``stock`` field on the records is drawn if present,
else cumulative requested, delivered and short quantities per item.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drillsim.reports.figures.common import PALETTE, L, hours_axis, legend_beside, new_figure
from drillsim.scoring.text import pick
from drillsim.scoring.view import LogView

KEY = "materials"
KINDS = ("material.requested", "material.dispatched", "material.delivered", "material.shortfall")
MAX_LINES = 20
"""Stock lines drawn (each its own colour: :data:`~drillsim.reports.figures.common.PALETTE`)."""


def caption(lang: str) -> str:
    """Figure caption."""
    return L(lang, "Material stock over time", "物资库存变化")


def _qty(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _initial(view: LogView) -> dict[tuple[str, str, str], float]:
    """(depot, item, pool) → starting quantity, from the definition."""
    depots = ((view.definition.get("materials") or {}).get("depots")) or {}
    out: dict[tuple[str, str, str], float] = {}
    for depot, spec in depots.items():
        if not isinstance(spec, dict):
            continue
        for item, qty in (spec.get("stock") or {}).items():
            out[(depot, item, "physical")] = _qty(qty)
        for item, agreement in (spec.get("agreements") or {}).items():
            qty = agreement.get("quantity") if isinstance(agreement, dict) else agreement
            out[(depot, item, "agreement")] = _qty(qty)
    return out


def _stock_series(view: LogView, records: Sequence[Any]) -> dict[str, list[tuple[float, float]]]:
    initial = _initial(view)
    series: dict[tuple[str, str, str], list[tuple[float, float]]] = {
        k: [(0.0, v)] for k, v in initial.items()
    }
    for r in records:
        if r.kind != "material.dispatched":
            continue
        key = (str(r.actor), str(r.data.get("item") or r.subject), str(r.data.get("source") or "physical"))
        if key not in series:
            continue
        series[key].append((r.t / 60.0, series[key][-1][1] - _qty(r.data.get("quantity"))))
    moved = {k: v for k, v in series.items() if len(v) > 1}
    chosen = moved or series
    return {f"{k[1]} @ {k[0]} ({k[2]})": v for k, v in sorted(chosen.items())[:MAX_LINES]}


def draw(view: LogView, lang: str) -> Any | None:
    """Stock step curves, one panel per item, a line per depot and pool; or None when no material moved.

    One panel per item keeps each panel to a few lines on its own scale: sixteen lines on one axis
    (and its legend) hid each other and the small stocks along the bottom.
    """
    records = view.kind(*KINDS)
    if not records:
        return None
    end = view.horizon / 60.0
    stock = _stock_series(view, records)
    if not stock:
        for r in records:
            if isinstance(r.data.get("stock"), int | float):
                key = f"{r.data.get('item') or r.subject} @ {r.data.get('depot') or r.actor}"
                stock.setdefault(key, []).append((r.t / 60.0, float(r.data["stock"])))
    shorts = [r for r in records if r.kind == "material.shortfall"]
    if not stock:
        fig, ax = new_figure()
        _flows(ax, records, end, lang, {i: pick(view.name(i), lang) for i in _items(records)})
        _shortfalls(ax, shorts, lang)
        hours_axis(ax, lang, view.horizon)
        ax.set_ylim(bottom=0)
        legend_beside(ax)
        ax.set_title(caption(lang))
        return fig
    by_item: dict[str, list[tuple[str, str, list[tuple[float, float]]]]] = {}
    for key, points in stock.items():
        item, rest = key.split(" @ ", 1)
        depot, _, pool = rest.partition(" (")
        by_item.setdefault(item, []).append((depot, pool, points))
    from matplotlib.figure import Figure

    depots = sorted({depot for lines in by_item.values() for depot, _, _ in lines})  # one colour per depot
    fig = Figure(figsize=(9.0, 1.2 + 2.1 * len(by_item)), dpi=100)
    axes = fig.subplots(len(by_item), 1, sharex=True, squeeze=False)[:, 0]
    for ax, (item, lines) in zip(axes, sorted(by_item.items()), strict=True):
        for depot, pool, points in lines:
            label = pick(view.name(depot), lang)
            if pool:
                label += " " + (L(lang, "(agreement)", "(协议储备)") if pool.startswith("agreement")
                                else L(lang, "(physical)", "(实物储备)"))
            xs = [p[0] for p in points] + [end]
            ys = [p[1] for p in points] + [points[-1][1]]
            ax.step(xs, ys, where="post", linewidth=2, label=label,
                    color=PALETTE[depots.index(depot) % len(PALETTE)],
                    linestyle="--" if pool.startswith("agreement") else "-")
        _shortfalls(ax, [r for r in shorts if str(r.data.get("item") or r.subject) == item], lang)
        ax.set_ylim(bottom=0)
        ax.set_ylabel(pick(view.name(item), lang) + L(lang, " stock", "库存"))
        ax.grid(True, axis="x", alpha=0.3)
        legend_beside(ax)
    hours_axis(axes[-1], lang, view.horizon)
    axes[0].set_title(caption(lang))
    return fig


def _shortfalls(ax: Any, shorts: list[Any], lang: str) -> None:
    """Shortfalls as red crosses on the time axis."""
    if shorts:
        ax.scatter([r.t / 60.0 for r in shorts], [0.0] * len(shorts), marker="x", s=60, color="#b00020", zorder=5,
                   clip_on=False, label=L(lang, "shortfall", "物资缺口"))


def _items(records: Sequence[Any]) -> list[str]:
    return sorted({str(r.data.get("item") or r.subject) for r in records})


def _flows(ax: Any, records: Sequence[Any], end: float, lang: str, names: dict[str, str]) -> None:
    """Cumulative requested / delivered / short quantities per item (no stock known)."""
    styles = {
        "material.requested": ("-", L(lang, "requested", "申请")),
        "material.delivered": ("--", L(lang, "delivered", "送达")),
        "material.shortfall": (":", L(lang, "short", "缺口")),
    }
    for item in _items(records):
        for kind, (style, label) in styles.items():
            field = "short" if kind == "material.shortfall" else "quantity"
            points = [
                (r.t / 60.0, _qty(r.data.get(field)))
                for r in records
                if r.kind == kind and str(r.data.get("item") or r.subject) == item
            ]
            if not points:
                continue
            xs, ys, total = [0.0], [0.0], 0.0
            for t, q in points:
                total += q
                xs.append(t)
                ys.append(total)
            xs.append(end)
            ys.append(total)
            ax.step(xs, ys, where="post", linestyle=style, linewidth=2, label=f"{names.get(item, item)}: {label}")
    ax.set_ylabel(L(lang, "quantity (cumulative)", "数量(累计)"))
