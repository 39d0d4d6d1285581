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


def png(fig: Any) -> bytes:
    """PNG bytes of ``fig`` (deterministic: no software or date metadata)."""
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
