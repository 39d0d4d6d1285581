"""Quantities with units, as scenario authors write them: ``30s 15m 2h 3d``, ``40km/h``, ``12km``.

Internal units are fixed so the hot path never converts: time in **minutes**, speed in **km/h**,
distance in **km**, area in **hectares**, rates in **events per minute**. Every parser raises
``ValueError`` with a message that says what was expected, which the loader turns into a located
problem.
"""

from __future__ import annotations

import math
import re

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_DURATION_PART = re.compile(rf"\s*({_NUM})\s*(ms|s|sec|min|m|h|d|w)\s*")
_TIME_FACTORS = {"ms": 1 / 60000, "s": 1 / 60, "sec": 1 / 60, "m": 1.0, "min": 1.0, "h": 60.0, "d": 1440.0,
                 "w": 10080.0}
_SPEED = re.compile(rf"^\s*({_NUM})\s*(km/h|kmh|kph|m/min|m/s|kn)\s*$")
_SPEED_FACTORS = {"km/h": 1.0, "kmh": 1.0, "kph": 1.0, "m/min": 0.06, "m/s": 3.6, "kn": 1.852}
_DIST = re.compile(rf"^\s*({_NUM})\s*(km|m)\s*$")
_DIST_FACTORS = {"km": 1.0, "m": 0.001}
_AREA = re.compile(rf"^\s*({_NUM})\s*(ha|km2|km²|m2|m²|mu|亩)\s*$")
_AREA_FACTORS = {"ha": 1.0, "km2": 100.0, "km²": 100.0, "m2": 1e-4, "m²": 1e-4, "mu": 1 / 15, "亩": 1 / 15}
_RATE = re.compile(rf"^\s*({_NUM})\s*/\s*(s|m|min|h|d)\s*$")

DURATION_HINT = "a duration with a unit, e.g. 30s, 15m, 2h, 3d or 1h30m"
SPEED_HINT = "a speed with a unit, e.g. 40km/h, 15m/min, 2m/s"
DISTANCE_HINT = "a distance with a unit, e.g. 12km or 300m"
AREA_HINT = "an area with a unit, e.g. 100ha, 2km2"
RATE_HINT = "a rate such as 4/h, 10/d or 0.5/m"


def _finite(value: float, what: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite")
    return value


def parse_duration(value: object, *, allow_negative: bool = False) -> float:
    """Parse a duration into minutes.

    Args:
        value: ``"30m"``, ``"1h30m"``, ``"2d"``, or the number ``0``. Other bare numbers are refused
            because a unit-less duration is the classic drill-script mistake (minutes or hours?).
        allow_negative: Accept ``-15m`` (used for offsets before the scenario start).

    Returns:
        The duration in minutes.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration ({DURATION_HINT})")
    if isinstance(value, int | float):
        if value == 0:
            return 0.0
        raise ValueError(f"{value!r} has no unit ({DURATION_HINT})")
    if not isinstance(value, str):
        raise ValueError(f"{type(value).__name__} is not a duration ({DURATION_HINT})")
    text = value.strip()
    if text in ("0", "+0", "-0"):
        return 0.0
    sign = 1.0
    if text.startswith("-"):
        sign, text = -1.0, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    pos, total, parts = 0, 0.0, 0
    while pos < len(text):
        m = _DURATION_PART.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"bad duration {value!r} ({DURATION_HINT})")
        total += float(m.group(1)) * _TIME_FACTORS[m.group(2)]
        pos = m.end()
        parts += 1
    if parts == 0:
        raise ValueError(f"empty duration ({DURATION_HINT})")
    total = _finite(sign * total, "duration")
    if total < 0 and not allow_negative:
        raise ValueError(f"negative duration {value!r} (a duration of zero or more)")
    return total


def parse_speed(value: object) -> float:
    """Parse a speed into km/h; must be positive."""
    m = _SPEED.match(value) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"bad speed {value!r} ({SPEED_HINT})")
    speed = _finite(float(m.group(1)) * _SPEED_FACTORS[m.group(2)], "speed")
    if speed <= 0:
        raise ValueError(f"speed {value!r} must be positive ({SPEED_HINT})")
    return speed


def parse_distance(value: object) -> float:
    """Parse a distance into km; must not be negative."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
        return 0.0
    m = _DIST.match(value) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"bad distance {value!r} ({DISTANCE_HINT})")
    dist = _finite(float(m.group(1)) * _DIST_FACTORS[m.group(2)], "distance")
    if dist < 0:
        raise ValueError(f"negative distance {value!r} ({DISTANCE_HINT})")
    return dist


def parse_area(value: object) -> float:
    """Parse an area into hectares; must not be negative."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
        return 0.0
    m = _AREA.match(value) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"bad area {value!r} ({AREA_HINT})")
    area = _finite(float(m.group(1)) * _AREA_FACTORS[m.group(2)], "area")
    if area < 0:
        raise ValueError(f"negative area {value!r} ({AREA_HINT})")
    return area


def parse_rate(value: object) -> float:
    """Parse a rate (events per unit of time) into events per minute; must not be negative."""
    m = _RATE.match(value) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"bad rate {value!r} ({RATE_HINT})")
    rate = _finite(float(m.group(1)) / _TIME_FACTORS[m.group(2)], "rate")
    if rate < 0:
        raise ValueError(f"negative rate {value!r} ({RATE_HINT})")
    return rate


def format_duration(minutes: float) -> str:
    """Render minutes compactly for people: ``95.5`` → ``1h35m30s``, ``2880`` → ``2d``."""
    if minutes < 0:
        return "-" + format_duration(-minutes)
    total_s = round(minutes * 60)
    d, rem = divmod(total_s, 86400)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    out = "".join(f"{v}{u}" for v, u in ((d, "d"), (h, "h"), (m, "m"), (s, "s")) if v)
    return out or "0m"


def format_clock(minutes: float) -> str:
    """Render a time offset as ``T+HH:MM`` (hours may exceed 24) for logs and tables."""
    sign = "-" if minutes < 0 else "+"
    total = round(abs(minutes))
    return f"T{sign}{total // 60:02d}:{total % 60:02d}"
