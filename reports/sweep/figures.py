"""Figures of the sweep report, drawn with matplotlib's Agg backend into PNG bytes.

Labels are English (parameter and metric names are identifiers), so no CJK font is needed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from drillsim.reports.sweep.analysis import Analysis, FactorInfo, Group, direction

DPI = 110


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    _plt().close(fig)
    return buf.getvalue()


def nice(column: str) -> str:
    """``metric.people_rescued_ratio`` → ``people rescued ratio``."""
    return column.removeprefix("metric.").replace("_", " ")


def distributions(a: Analysis, column: str) -> bytes:
    """One box plot per factor: ``column`` at each value (or bin) of the factor, mean marked."""
    plt = _plt()
    groups = a.groups[column]
    factors = [f for f in a.factors if groups.get(f.name)]
    n = max(1, len(factors))
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.6 * rows), squeeze=False, sharey=True)
    for ax, f in zip(axes.flat, factors, strict=False):
        _box(ax, groups[f.name], f)
        ax.set_xlabel(f.label)
    for ax in axes[:, 0]:
        ax.set_ylabel(nice(column))
    for ax in list(axes.flat)[len(factors):]:
        ax.set_visible(False)
    way = direction(column, a.manifest)
    fig.suptitle(f"{nice(column)} by parameter value" + (f" ({way} is better)" if way else ""))
    fig.tight_layout()
    return _png(fig)


def histograms(frame: Any, a: Analysis, columns: Sequence[str]) -> bytes:
    """One histogram per column over all finished runs, mean and 5th–95th percentiles marked."""
    plt = _plt()
    spreads = {s.column: s for s in a.spread}
    shown = [c for c in columns if c in spreads]
    n = max(1, len(shown))
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.2 * rows), squeeze=False)
    ok = frame[frame["status"] == "ok"]
    for ax, col in zip(axes.flat, shown, strict=False):
        s = spreads[col]
        ax.hist(ok[col].dropna().to_numpy(), bins=min(30, max(5, s.n // 5)), color="#4c78a8", alpha=0.85)
        ax.axvline(s.mean, color="#222", lw=1.5, label=f"mean {s.mean:.3g}")
        for q in (s.p5, s.p95):
            ax.axvline(q, color="#e45756", lw=1, ls="--")
        ax.set_title(nice(col) + (f" ({s.better} is better)" if s.better else ""), fontsize=10)
        ax.set_ylabel("runs")
        ax.legend(fontsize=8, loc="best", frameon=False)
    for ax in list(axes.flat)[len(shown):]:
        ax.set_visible(False)
    fig.suptitle(f"Spread over {a.ok:,} runs (dashed: 5th and 95th percentiles)")
    fig.tight_layout()
    return _png(fig)


def _box(ax: Any, groups: Sequence[Group], f: FactorInfo) -> None:
    data = [g.values for g in groups]
    labels = [g.label for g in groups]
    ax.boxplot(data, showfliers=True, widths=0.6, medianprops={"color": "#1f4e79"},
               flierprops={"markersize": 3, "alpha": 0.5})
    ax.plot(range(1, len(groups) + 1), [g.mean for g in groups], "D", color="#c0392b", markersize=4,
            label="mean")
    ax.set_xticks(range(1, len(groups) + 1))
    ax.set_xticklabels(labels, rotation=30 if max((len(t) for t in labels), default=0) > 6 else 0,
                       ha="right" if max((len(t) for t in labels), default=0) > 6 else "center", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    for i, g in enumerate(groups, start=1):
        ax.annotate(f"n={len(g.values)}", (i, 0), xycoords=("data", "axes fraction"), xytext=(0, 2),
                    textcoords="offset points", ha="center", fontsize=6, color="#555")


def response_surface(labels_x: list[str], labels_y: list[str], grid: list[list[float]], fx: FactorInfo,
                     fy: FactorInfo, column: str, higher: bool) -> bytes:
    """Heat map of the mean of ``column`` over two factors, cell values written in."""
    import numpy as np

    plt = _plt()
    z = np.array(grid, dtype=float)
    fig, ax = plt.subplots(figsize=(1.1 * len(labels_x) + 3.2, 0.7 * len(labels_y) + 2.2))
    cmap = plt.get_cmap("viridis" if higher else "viridis_r").with_extremes(bad="#eeeeee")
    im = ax.imshow(np.ma.masked_invalid(z), origin="lower", aspect="auto", cmap=cmap)
    ax.set_xticks(range(len(labels_x)))
    ax.set_xticklabels(labels_x, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels_y)))
    ax.set_yticklabels(labels_y, fontsize=8)
    ax.set_xlabel(fx.label)
    ax.set_ylabel(fy.label)
    finite = z[np.isfinite(z)]
    mid = (finite.min() + finite.max()) / 2 if finite.size else 0.0
    if z.size <= 100:
        for (i, j), v in np.ndenumerate(z):
            if math.isfinite(v):
                light = (v < mid) if higher else (v > mid)
                ax.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=7, color="white" if light else "black")
    fig.colorbar(im, ax=ax, label=f"mean {nice(column)}")
    ax.set_title(f"Response surface: mean {nice(column)}")
    fig.tight_layout()
    return _png(fig)


def sobol_bars(names: Sequence[str], indices: dict[str, list[float]], column: str) -> bytes:
    """First-order and total Sobol' indices with their 95 % confidence intervals."""
    import numpy as np

    plt = _plt()
    x = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(max(4.5, 1.3 * len(names) + 2), 3.6))
    w = 0.38
    ax.bar(x - w / 2, indices["S1"], w, yerr=indices["S1_conf"], capsize=3, label="first order S1", color="#2e86c1")
    ax.bar(x + w / 2, indices["ST"], w, yerr=indices["ST_conf"], capsize=3, label="total ST", color="#e67e22")
    ax.set_xticks(x)
    ax.set_xticklabels(names, rotation=20 if len(names) > 4 else 0, fontsize=9)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel("Sobol' index")
    ax.set_title(f"Sensitivity of {nice(column)}")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return _png(fig)
