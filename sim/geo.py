"""Distances and positions on the map (longitude/latitude in degrees, distances in km)."""

from __future__ import annotations

import math

Point = tuple[float, float]
EARTH_RADIUS_KM = 6371.0088


def haversine_km(a: Point | None, b: Point | None) -> float:
    """Great-circle distance in km; 0 when either point is unknown (abstract scenarios have no map)."""
    if a is None or b is None or a == b:
        return 0.0
    lon1, lat1 = math.radians(a[0]), math.radians(a[1])
    lon2, lat2 = math.radians(b[0]), math.radians(b[1])
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def lerp(a: Point | None, b: Point | None, frac: float) -> Point | None:
    """The point ``frac`` of the way from ``a`` to ``b`` (where a recalled team is now)."""
    if a is None or b is None:
        return b if a is None else a
    frac = min(1.0, max(0.0, frac))
    return (a[0] + (b[0] - a[0]) * frac, a[1] + (b[1] - a[1]) * frac)
