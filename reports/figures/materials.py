"""Material stock over time (物资保障), from the scenario's depots and the ``material.*`` records.

Stock starts at each depot's physical reserve (``materials.depots.<id>.stock``) and agreement reserve
(``agreements.<item>.quantity``) in the log header's definition, and falls with every
``material.dispatched`` from that depot and pool (``source``: physical / agreement). Shortfalls are
marked. When the scenario defines no depots, a ``stock`` field on the records is drawn if present,
else cumulative requested, delivered and short quantities per item.
"""

from __future__ import annotations

from typing import Any

from drillsim.reports.figures.common import L, hours_axis, new_figure
from drillsim.scoring.text import pick
from drillsim.scoring.view import LogView

KEY = "materials"
KINDS = ("material.requested", "material.dispatched", "material.delivered", "material.shortfall")
MAX_LINES = 10


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


def _stock_series(view: LogView, records: list[Any]) -> dict[str, list[tuple[float, float]]]:
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
    """Stock step curves per depot, item and pool; or None when no material moved."""
    records = view.kind(*KINDS)
    if not records:
        return None
    fig, ax = new_figure()
    end = view.horizon / 60.0
    stock = _stock_series(view, records)
    if not stock:
        for r in records:
            if isinstance(r.data.get("stock"), int | float):
                key = f"{r.data.get('item') or r.subject} @ {r.data.get('depot') or r.actor}"
                stock.setdefault(key, []).append((r.t / 60.0, float(r.data["stock"])))
    if stock:
        for key, points in stock.items():
            depot = key.split(" @ ")[1].split(" (")[0]
            label = key.replace(f"@ {depot}", f"@ {pick(view.name(depot), lang)}")
            if lang == "zh":
                label = label.replace("(physical)", "(实物储备)").replace("(agreement)", "(协议储备)")
            xs = [p[0] for p in points] + [end]
            ys = [p[1] for p in points] + [points[-1][1]]
            ax.step(
                xs,
                ys,
                where="post",
                linewidth=2,
                label=label,
                linestyle="--" if "(agreement)" in key else "-",
            )
        ax.set_ylabel(L(lang, "stock", "库存"))
    else:
        _flows(ax, records, end, lang)
    shorts = [r for r in records if r.kind == "material.shortfall"]
    if shorts:
        ax.scatter(
            [r.t / 60.0 for r in shorts],
            [0.0] * len(shorts),
            marker="x",
            s=60,
            color="#b00020",
            zorder=5,
            clip_on=False,
            label=L(lang, "shortfall", "物资缺口"),
        )
    hours_axis(ax, lang, view.horizon)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False, loc="best")
    ax.set_title(caption(lang))
    return fig


def _flows(ax: Any, records: list[Any], end: float, lang: str) -> None:
    """Cumulative requested / delivered / short quantities per item (no stock known)."""
    styles = {
        "material.requested": ("-", L(lang, "requested", "申请")),
        "material.delivered": ("--", L(lang, "delivered", "送达")),
        "material.shortfall": (":", L(lang, "short", "缺口")),
    }
    items = sorted({str(r.data.get("item") or r.subject) for r in records})
    for item in items:
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
            ax.step(xs, ys, where="post", linestyle=style, linewidth=2, label=f"{item}: {label}")
    ax.set_ylabel(L(lang, "quantity (cumulative)", "数量(累计)"))
