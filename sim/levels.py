"""Response levels (分级响应) as ranks: 0 none, 1 = IV (lowest) … 4 = I (highest)."""

from __future__ import annotations

NAMES = ("none", "IV", "III", "II", "I")
RANK = {name: i for i, name in enumerate(NAMES)}


def name(rank: int) -> str | None:
    """``3`` → ``"II"``; ``0`` → ``None`` (no response), as written in the log."""
    return NAMES[rank] if rank > 0 else None


def rank(level: str | None) -> int:
    """``"II"`` → ``3``; ``None`` → ``0``."""
    return RANK[level] if level else 0
