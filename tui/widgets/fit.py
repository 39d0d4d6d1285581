"""Column widths that fit the pane: fixed columns first, the rest shared by the flexible ones.

A console pane is as wide as the terminal allows (a third of 160 columns, half of 80); columns of a
fixed width cut names at the pane's edge ("Train K396 stra"), where a reader cannot tell rows
apart. The tables ask :func:`fit` for widths from their own size and rebuild their columns when
the size changes; a column that does not fit (``optional``) is left out and its content shown
elsewhere (the focus line, the full-text dialog).
"""

from __future__ import annotations

from collections.abc import Sequence

PADDING = 2
"""Cells a DataTable column adds around its content (``cell_padding`` 1 on each side)."""
SCROLLBAR = 1
"""The vertical scroll bar's width (the console's CSS sets 1)."""


def fit(width: int, fixed: Sequence[tuple[str, int]], flexible: Sequence[tuple[str, int, int]],
        optional: Sequence[tuple[str, int]] = (), keep: int = 0) -> dict[str, int]:
    """Column name → width for a table ``width`` cells wide.

    Args:
        width: The table's width in cells (its content region).
        fixed: ``(name, width)`` of columns that always have their width.
        flexible: ``(name, minimum, weight)``: these share what is left in proportion to ``weight``,
            never narrower than ``minimum``.
        optional: ``(name, width)`` of columns shown only when the flexible ones keep their minimum
            (and ``keep`` cells in all) with them (in order; the first that does not fit and all after
            it are left out).
        keep: Cells the flexible columns keep before any optional column is shown.
    """
    room = width - SCROLLBAR - sum(w + PADDING for _, w in fixed) - PADDING * len(flexible)
    need = sum(minimum for _, minimum, _ in flexible)
    out = dict(fixed)
    for name, w in optional:
        if room - (w + PADDING) < max(need, keep):
            break
        out[name] = w
        room -= w + PADDING
    total = sum(weight for _, _, weight in flexible) or 1
    left = max(room, need)
    for i, (name, minimum, weight) in enumerate(flexible):
        share = left if i == len(flexible) - 1 else max(minimum, left * weight // total)
        out[name] = max(minimum, share)
        left -= out[name]
        total -= weight
    return out
