"""Shared figure plumbing: the Agg backend, sizes, the time axis, PNG bytes without timestamps."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from drillsim.reports.figures.fonts import rc
from drillsim.text import of_pair

COLOURS = {
    "travel": "#4e79a7",
    "work": "#e15759",
    "return": "#a0cbe8",
    "open": "#f28e2b",
    "rescued": "#59a14f",
    "lost": "#2f2f2f",
    "unresolved": "#b07aa1",
}


@dataclass(frozen=True)
class Drawn:
    """A drawn figure (PNG) or the reason it could not be drawn."""

    key: str
    caption: str
    png: bytes | None = None
    missing: str | None = None


def L(lang: str, en: str, zh: str) -> str:
    """A figure label in the figure language."""
    return of_pair((en, zh), lang)


def new_figure(width: float = 9.0, height: float = 4.6) -> tuple[Any, Any]:
    """A figure and axes, not tied to any GUI backend (call inside :func:`styled`)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    return fig, fig.add_subplot(1, 1, 1)


def styled(lang: str) -> Any:
    """A context in which text gets the fonts of ``lang`` (figures are built and saved inside it)."""
    import matplotlib

    return matplotlib.rc_context(rc(lang))


def hours_axis(ax: Any, lang: str, horizon: float) -> None:
    """X axis in hours after the start."""
    ax.set_xlabel(L(lang, "hours after the start (T+h)", "演练开始后小时数(T+h)"))
    ax.set_xlim(0, max(horizon / 60.0, 1e-3))
    ax.grid(True, axis="x", alpha=0.3)


PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#1f77b4", "#aec7e8", "#2ca02c", "#98df8a", "#d62728", "#ff9896", "#9467bd", "#c5b0d5", "#8c564b", "#17becf",
)
"""Twenty distinguishable colours: a figure with up to twenty series never repeats one."""


def legend_beside(ax: Any, handles: Any = None, labels: Any = None, **kw: Any) -> Any:
    """A legend to the right of the axes, never on the data (the saved PNG grows to hold it); none if empty."""
    if handles is None and not ax.get_legend_handles_labels()[0]:
        return None
    if handles is not None:
        kw["handles"] = handles
    if labels is not None:
        kw["labels"] = labels
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=8,
                     frameon=False, **kw)


def legend_above(ax: Any, handles: Any = None, labels: Any = None, ncols: int = 4, **kw: Any) -> Any:
    """A one-row legend between the title and the axes, never on the data; none if empty."""
    if handles is None and not ax.get_legend_handles_labels()[0]:
        return None
    if handles is not None:
        kw["handles"] = handles
    if labels is not None:
        kw["labels"] = labels
    return ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), borderaxespad=0.0, fontsize=8,
                     frameon=False, ncols=ncols, **kw)


def wrap_title(text: str, width: int = 72) -> str:
    """A title cut into lines of at most ``width`` characters (CJK counted double), so none runs off the figure."""
    from drillsim.scoring.table import width as cell_len

    if "\n" in text:
        return "\n".join(wrap_title(part, width) for part in text.split("\n"))
    words = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line}{joiner}{word}" if line else word
        if line and cell_len(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return "\n".join(lines)


def bars(ax: Any, rects: list[tuple[float, float, float, float]], colours: Any, **style: Any) -> Any:
    """Horizontal bars ``(left, width, row, height)`` as one collection, drawn as ``ax.barh`` draws them.

    Why: a chart of many bars (a team Gantt of a big exercise has over a thousand) costs a
    Rectangle artist, a transform and a bounding box per bar when drawn with ``barh``; one
    :class:`~matplotlib.collections.PolyCollection` draws the same rectangles in one call, and
    ``tight_layout``/``bbox_inches="tight"`` measure one artist instead of a thousand. No edges
    unless ``style`` asks for them (as ``barh``); axis limits are the caller's (not autoscaled).
    """
    from matplotlib.collections import PolyCollection

    verts = [
        ((left, row - h / 2), (left, row + h / 2), (left + w, row + h / 2), (left + w, row - h / 2))
        for left, w, row, h in rects
    ]
    style.setdefault("edgecolors", "none")
    style.setdefault("linewidths", 0.0 if style["edgecolors"] == "none" else 1.0)
    coll = PolyCollection(verts, facecolors=colours, closed=True, **style)
    ax.add_collection(coll, autolim=False)
    return coll


def png(fig: Any) -> bytes:
    """PNG bytes of ``fig`` (deterministic: no software or date metadata).

    Saved with a tight bounding box, so a legend beside or above the axes and a long tick label are
    inside the picture, never cut.

    Why not ``savefig(bbox_inches="tight")`` after ``tight_layout``: that lays the figure out three
    times (``tight_layout`` on a throw-away Agg canvas, a full layout-only draw in ``savefig``
    because ``tight_layout`` leaves a placeholder layout engine, then the real draw). Here one Agg
    canvas serves ``tight_layout`` and the bounding box (so text is measured once for both), the
    placeholder engine is dropped and the box is passed in, so ``savefig`` draws once. The pixels
    and bytes are those of the old way (checked on every bundled scenario's figures, en and zh).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.tight_layout()
    fig.set_layout_engine(None)
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(0.15)
    fig.savefig(buf, format="png", metadata={"Software": None}, bbox_inches=box)
    return buf.getvalue()
