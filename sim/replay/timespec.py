"""Times as trainers type them: ``14:20``, ``D2 14:20``, ``2023-07-31 14:20``, ``T+6h``, ``+30m``.

All of them become simulated minutes after the scenario start:

* ``T+6h``, ``T+1d2h30m``, ``T+06:30`` (hours may pass 24), ``T+0`` — an offset from the start;
* ``+30m``, ``-1h`` — relative to the current moment (the viewer's position; the start elsewhere);
* ``14:20`` or ``14:20:30`` — that clock time, in the scenario's time zone, on the current day
  (the day of the viewer's position; the first day elsewhere); ``D3 14:20`` on day 3 (day 1 is the
  start's date); ``2023-07-31 14:20`` on that date.

A bare number is refused: minutes or hours? The result must fall inside the exercise.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from drillsim.units import parse_duration

HINT = "a time such as 14:20, D2 14:20, 2023-07-31 14:20, T+6h, T+06:30 or +30m"

_CLOCK = r"(\d{1,2}):(\d{2})(?::(\d{2}))?"
_RE_CLOCK = re.compile(rf"^{_CLOCK}$")
_RE_DAY = re.compile(rf"^[Dd](\d+)\s+{_CLOCK}$")
_RE_DATE = re.compile(rf"^(\d{{4}})-(\d{{2}})-(\d{{2}})[T ]\s*{_CLOCK}$")
_RE_OFFSET_CLOCK = re.compile(r"^T\s*\+\s*(\d+):(\d{2})(?::(\d{2}))?$", re.IGNORECASE)
_RE_OFFSET = re.compile(r"^T\s*\+\s*(.+)$", re.IGNORECASE)


def parse_time(text: str, start: datetime | None, duration: float, now: float = 0.0) -> float:
    """Simulated minutes for ``text`` (see the module docstring).

    Args:
        text: What was typed.
        start: The scenario's start (aware datetime); None when unknown (clock times are then refused).
        duration: The exercise's length in minutes (the result must be within ``[0, duration]``).
        now: The current moment, for relative times and "the current day".

    Raises:
        ValueError: Not a time, or outside the exercise (the message says which and what was expected).
    """
    raw = text.strip()
    if not raw:
        raise ValueError(f"empty time (expected {HINT})")
    minutes = _parse(raw, start, now)
    if minutes < -1e-9 or minutes > duration + 1e-9:
        raise ValueError(f"{raw!r} is outside the exercise (T+0 to {_offset(duration)})")
    return min(max(minutes, 0.0), duration)


def _parse(raw: str, start: datetime | None, now: float) -> float:
    m = _RE_OFFSET_CLOCK.match(raw)
    if m:
        return int(m.group(1)) * 60 + int(m.group(2)) + int(m.group(3) or 0) / 60
    m = _RE_OFFSET.match(raw)
    if m:
        body = m.group(1).strip()
        return 0.0 if body == "0" else _duration(body, raw)
    if raw[0] in "+-":
        return now + _duration(raw, raw, allow_negative=True)
    for pattern in (_RE_CLOCK, _RE_DAY, _RE_DATE):
        m = pattern.match(raw)
        if m:
            if start is None:
                raise ValueError(f"{raw!r}: the log has no start time; use an offset such as T+6h")
            return _clock(pattern, m, raw, start, now)
    raise ValueError(f"{raw!r} is not a time (expected {HINT})")


def _duration(body: str, raw: str, allow_negative: bool = False) -> float:
    try:
        return parse_duration(body, allow_negative=allow_negative)
    except ValueError:
        raise ValueError(f"{raw!r} is not a time (expected {HINT})") from None


def _clock(pattern: re.Pattern[str], m: re.Match[str], raw: str, start: datetime, now: float) -> float:
    groups = m.groups()
    if pattern is _RE_CLOCK:
        day = (start + timedelta(minutes=now)).date()
        hh, mm, ss = groups
    elif pattern is _RE_DAY:
        n = int(groups[0])
        if n < 1:
            raise ValueError(f"{raw!r}: days are numbered from D1 (the start's date)")
        day = start.date() + timedelta(days=n - 1)
        hh, mm, ss = groups[1:]
    else:
        try:
            day = date(int(groups[0]), int(groups[1]), int(groups[2]))
        except ValueError:
            raise ValueError(f"{raw!r} is not a date (expected {HINT})") from None
        hh, mm, ss = groups[3:]
    h, mi, s = int(hh), int(mm), int(ss or 0)
    if h > 23 or mi > 59 or s > 59:
        raise ValueError(f"{raw!r} is not a clock time (expected {HINT})")
    moment = datetime.combine(day, time(h, mi, s), tzinfo=start.tzinfo)
    return (moment - start).total_seconds() / 60.0


def _offset(minutes: float) -> str:
    total = round(minutes)
    return f"T+{total // 60:02d}:{total % 60:02d}"
