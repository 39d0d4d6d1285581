"""The two orders of levels in Chinese emergency management, defined once.

* **Response levels** (应急响应级别, 分级响应): IV (lowest) … I (highest), as ranks 1 … 4, with 0
  for no response. Agencies hold them; the log writes the names (``"II"``) or ``null``.
* **Administrative levels** (行政层级): village (村) … nation (国家), as ranks 0 … 5. Regions
  have one; reports climb them; deadlines and scopes are keyed by them.

Everything that orders, compares or labels either kind of level imports it from here.
"""

from __future__ import annotations

from typing import Literal, get_args

ResponseLevel = Literal["IV", "III", "II", "I"]
"""A response level as scenarios and the log write it."""

RESPONSE_LEVELS: tuple[str, ...] = get_args(ResponseLevel)
"""Response levels from the lowest (IV) to the highest (I)."""

NAMES: tuple[str, ...] = ("none", *RESPONSE_LEVELS)
"""Response level by rank: ``NAMES[0]`` is no response."""

RANK: dict[str, int] = {name: i for i, name in enumerate(NAMES)}
"""Response level name → rank (``"none"`` → 0, ``"IV"`` → 1 … ``"I"`` → 4)."""

AdminLevel = Literal["village", "township", "county", "city", "province", "nation"]
"""An administrative level as scenarios and the log write it."""

ADMIN_LEVELS: tuple[str, ...] = get_args(AdminLevel)
"""Administrative levels from the lowest (village) to the highest (nation)."""

ADMIN_RANK: dict[str, int] = {name: i for i, name in enumerate(ADMIN_LEVELS)}
"""Administrative level → rank (``"village"`` → 0 … ``"nation"`` → 5)."""

ADMIN_NAMES_ZH: dict[str, str] = {"village": "村", "township": "乡镇", "county": "县区", "city": "市",
                                  "province": "省", "nation": "国家"}
"""Chinese names of the administrative levels (docs/glossary.md)."""


def name(rank: int) -> str | None:
    """``3`` → ``"II"``; ``0`` → ``None`` (no response), as written in the log."""
    return NAMES[rank] if rank > 0 else None


def rank(level: str | None) -> int:
    """``"II"`` → ``3``; ``None`` → ``0``. An unknown name is a programming error (KeyError)."""
    return RANK[level] if level else 0


def rank_of(value: object) -> int:
    """Rank of a response level read from a log or a view: anything that is not a level name is 0.

    Logs are input: a reader must not fail on a value it does not know, it ranks it as no response.
    """
    return RANK.get(value, 0) if isinstance(value, str) else 0


def admin_rank(level: object, default: int = -1) -> int:
    """Rank of an administrative level (``default`` for anything else, e.g. from a log)."""
    return ADMIN_RANK.get(level, default) if isinstance(level, str) else default
