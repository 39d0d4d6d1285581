"""Material stock over time (物资保障), from ``material.*`` records.

When records carry the remaining ``stock`` (per depot and item) it is drawn directly; otherwise the
figure shows cumulative requested, delivered and short quantities per item.
"""

from __future__ import annotations

from typing import Any

from reports.figures.common import L, hours_axis, new_figure
from sim.scoring.view import LogView

KEY = "materials"
KINDS = ("material.requested", "material.dispatched", "material.delivered", "material.shortfall")


def caption(lang: str) -> str:
    """Figure caption."""
    return L(lang, "Materials over time", "物资变化情况")


def _qty(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def draw(view: LogView, lang: str) -> Any | None:
    """Stock (or cumulative flow) step curves per item, or None when no material moved."""
    records = view.kind(*KINDS)
    if not records:
        return None
    fig, ax = new_figure()
    end = view.horizon / 60.0
    stock: dict[str, list[tuple[float, float]]] = {}
    for r in records:
        if isinstance(r.data.get("stock"), int | float):
            key = f"{r.data.get('item') or r.subject} @ {r.data.get('depot') or r.actor}"
            stock.setdefault(key, []).append((r.t / 60.0, float(r.data["stock"])))
    if stock:
        for key, points in sorted(stock.items()):
            xs = [p[0] for p in points] + [end]
            ys = [p[1] for p in points] + [points[-1][1]]
            ax.step(xs, ys, where="post", linewidth=2, label=key)
        ax.set_ylabel(L(lang, "stock", "库存"))
    else:
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
    hours_axis(ax, lang, view.horizon)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    ax.set_title(caption(lang))
    return fig
