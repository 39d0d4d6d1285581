"""The grid a forest fire burns on: geometry, fuel, spread and the fire line.

The grid is a square of ``size`` × ``size`` cells of side ``cell`` centred on the ignition point;
each cell belongs to the region whose anchor point is nearest (a rough map of the border). Fuel
varies from cell to cell (lognormal) and a share of cells does not burn. Every step:

- the head rate of spread comes from the wind speed (the scenario's table, from the fact sheet);
  the fire is an ellipse whose length-to-breadth ratio grows with the wind (Anderson 1983,
  LB = 0.936·e^(0.2566·U) + 0.461·e^(−0.1548·U) − 0.397, U midflame wind in mph, taken as 0.4 of
  the open wind and capped at 8), so the rate towards a neighbour at angle φ from the spread
  direction is R·(1 − e)/(1 − e·cos φ), e = √(1 − 1/LB²), φ taken to the nearest heading within the
  neighbour's 45° sector;
- an unburned cell accumulates ignition progress from its fastest burning neighbour and ignites
  at 1 (crown cells under strong wind spread at the crown-fire rate);
- crews on the fire line hold edge cells, slowest-spreading first (flanks and rear before the
  head), at the line rate per crew; an edge spreading faster than ``max_rate`` cannot be held.

Everything here is numpy on whole arrays: a step costs a few dozen array operations whatever the
fire's size.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from drillsim.scenario.model_hazards import Fire

DIRS = ((1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1))
"""Neighbour offsets (rows northward, columns eastward)."""
SECTOR = 45.0
"""Each neighbour direction stands for a 45° sector of headings (without this, a wind between two
grid directions would slow the head to the rate at 22.5° off the wind)."""
KM_PER_DEG_LAT = 110.57


def shifted(a: np.ndarray, di: int, dj: int) -> np.ndarray:
    """``out[i, j] = a[i - di, j - dj]`` (zero outside): what a cell sees of its neighbour at (−di, −dj)."""
    n, m = a.shape
    out = np.zeros_like(a)
    out[max(di, 0) : n + min(di, 0), max(dj, 0) : m + min(dj, 0)] = a[
        max(-di, 0) : n + min(-di, 0), max(-dj, 0) : m + min(-dj, 0)
    ]
    return out


def length_to_breadth(wind_kmh: float) -> float:
    """Anderson (1983) length-to-breadth ratio of a wind-driven fire ellipse (capped at 8)."""
    u = wind_kmh * 0.621371 * 0.4
    return max(1.0, min(8.0, 0.936 * math.exp(0.2566 * u) + 0.461 * math.exp(-0.1548 * u) - 0.397))


def interp(table: tuple[tuple[float, float], ...], x: float) -> float:
    """Piecewise-linear lookup, flat outside the table."""
    if x <= table[0][0]:
        return table[0][1]
    for (x0, y0), (x1, y1) in pairwise(table):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return table[-1][1]


class FireGrid:
    """Cells, fuel, ownership by region, and the fire's state on them."""

    def __init__(self, spec: Fire, anchors: list[tuple[float, float]], provinces: list[str],
                 gen: np.random.Generator) -> None:
        """Build the grid.

        Args:
            spec: The scenario's fire.
            anchors: (lon, lat) of each area's anchor point, in ``spec.areas`` order.
            provinces: The province of each area (cells of different provinces form a border).
            gen: The fire's random stream (fuel and canopy).
        """
        self.spec = spec
        n, c = spec.size, spec.cell
        self.n, self.c = n, c
        self.lon0, self.lat0 = spec.ignition
        self.kx = 111.32 * math.cos(math.radians(self.lat0))
        coords = (np.arange(n) - (n - 1) / 2.0) * c
        self.x, self.y = np.meshgrid(coords, coords)  # [i, j] → (east km, north km)
        km = [((lon - self.lon0) * self.kx, (lat - self.lat0) * KM_PER_DEG_LAT) for lon, lat in anchors]
        d2 = np.stack([(self.x - ax) ** 2 + (self.y - ay) ** 2 for ax, ay in km])
        self.owner = np.argmin(d2, axis=0)
        self.border: dict[tuple[int, str], np.ndarray] = {}
        for a, (ax, ay) in enumerate(km):
            for b, (bx, by) in enumerate(km):
                if provinces[a] == provinces[b]:
                    continue
                gap = math.hypot(bx - ax, by - ay) or 1e-9
                dist = (d2[b] - d2[a]) / (2.0 * gap)  # distance to the a|b bisector
                key = (a, provinces[b])
                self.border[key] = np.minimum(self.border[key], dist) if key in self.border else dist
        self.fuel = (
            gen.lognormal(0.0, spec.fuel_variability, (n, n))
            if spec.fuel_variability > 0
            else np.ones((n, n))
        )
        self.fuel[gen.random((n, n)) < spec.unburnable] = 0.0
        share = spec.spread.crown.share if spec.spread.crown else 0.0
        self.crown_cells = gen.random((n, n)) < share
        self.mid = n // 2
        self.fuel[self.mid, self.mid] = max(self.fuel[self.mid, self.mid], 1.0)
        self.ignited = np.zeros((n, n), dtype=bool)
        self.ignite_t = np.full((n, n), np.inf)
        self.progress = np.zeros((n, n))
        self.held = np.zeros((n, n), dtype=bool)
        self.crown_on = False
        self._line_carry = 0.0
        # fastest edge crews can hold (an attack order can raise it: helicopters, concentrated forces)
        self.max_rate = spec.suppression.max_rate if spec.suppression is not None else 0.0

    # -- geometry ----------------------------------------------------------------------------------

    def lonlat(self, i: int, j: int) -> tuple[float, float]:
        """Longitude/latitude of the centre of cell (i, j)."""
        return (
            round(self.lon0 + float(self.x[i, j]) / self.kx, 6),
            round(self.lat0 + float(self.y[i, j]) / KM_PER_DEG_LAT, 6),
        )

    def km_from_ignition(self, point: tuple[float, float]) -> tuple[float, float]:
        """(east km, north km) of a (lon, lat) point from the ignition point."""
        return (point[0] - self.lon0) * self.kx, (point[1] - self.lat0) * KM_PER_DEG_LAT

    def area_ha(self, mask: np.ndarray | None = None) -> float:
        """Burned area (ha) of the fire, or of the cells in ``mask``."""
        cells = int(np.count_nonzero(self.ignited if mask is None else self.ignited & mask))
        return round(cells * self.c * self.c * 100.0, 2)

    # -- weather ------------------------------------------------------------------------------------

    def wind(self, t: float) -> tuple[float, float]:
        """(speed km/h, direction it blows from) at ``t``."""
        current = self.spec.wind[0]
        for w in self.spec.wind:
            if w.at <= t:
                current = w
        return current.speed, current.direction

    def rates(self, t: float) -> tuple[float, float, float]:
        """(head rate km/h, spread bearing, eccentricity) at ``t``."""
        speed, frm = self.wind(t)
        head = interp(self.spec.spread.by_wind, speed)
        lb = length_to_breadth(speed)
        return head, (frm + 180.0) % 360.0, math.sqrt(1.0 - 1.0 / (lb * lb))

    # -- fire ---------------------------------------------------------------------------------------

    def ignite(self, t: float) -> None:
        """Start the fire: the ignition cell and everything within the initial area."""
        radius = math.sqrt(self.spec.initial_area / 100.0 / math.pi)  # ha → km², then km
        start = (self.x**2 + self.y**2 <= radius * radius) & (self.fuel > 0)
        start[self.mid, self.mid] = True
        self.ignited |= start
        self.ignite_t[start] = t

    def spread(self, t: float, dt: float) -> np.ndarray:
        """Advance the fire by ``dt`` minutes at time ``t``; return the cells that ignited."""
        head, bearing, e = self.rates(t)
        crown = self.spec.spread.crown
        source = (self.ignited & ~self.held).astype(float)
        if self.crown_on and crown is not None and head > 0:
            source[self.crown_cells & (source > 0)] = max(1.0, crown.rate / head)
        gain = np.zeros_like(source)
        for di, dj in DIRS:
            theta = math.degrees(math.atan2(dj, di))
            off = abs((theta - bearing + 180.0) % 360.0 - 180.0)
            off = max(0.0, off - SECTOR / 2.0)  # a neighbour stands for a 45° sector: its fastest heading
            rate = head * (1.0 - e) / (1.0 - e * math.cos(math.radians(off)))
            per_step = rate * dt / 60.0 / (self.c * math.hypot(di, dj))
            np.maximum(gain, shifted(source, di, dj) * per_step, out=gain)
        unburned = ~self.ignited & (self.fuel > 0)
        self.progress[unburned] += gain[unburned] * self.fuel[unburned]
        new = unburned & (self.progress >= 1.0)
        if new.any():
            self.ignited |= new
            self.ignite_t[new] = t
        return new

    def edge(self) -> np.ndarray:
        """Ignited, unheld cells next to unburned fuel (or to the grid's boundary)."""
        fuel_left = ~self.ignited & (self.fuel > 0)
        near = np.zeros_like(fuel_left)
        for di, dj in DIRS:
            near |= shifted(fuel_left, -di, -dj)
        near[0, :] = near[-1, :] = True
        near[:, 0] = near[:, -1] = True
        return self.ignited & ~self.held & near

    def hold(self, crews: int, t: float, dt: float) -> bool:
        """Crews build line for ``dt`` minutes; return True when no unheld edge is left (contained)."""
        sup = self.spec.suppression
        edge = self.edge()
        if not edge.any():
            return True
        if sup is None or crews <= 0:
            return False
        head, bearing, e = self.rates(t)
        self._line_carry += crews * sup.line_rate * dt / 60.0 / self.c
        cells = int(self._line_carry)
        if cells <= 0:
            return False
        ii, jj = np.nonzero(edge)
        cx, cy = float(self.x[self.ignited].mean()), float(self.y[self.ignited].mean())
        out = np.degrees(np.arctan2(self.x[ii, jj] - cx, self.y[ii, jj] - cy))
        rate = head * (1.0 - e) / (1.0 - e * np.cos(np.radians(out - bearing)))
        crown = self.spec.spread.crown
        if self.crown_on and crown is not None:
            rate = np.where(self.crown_cells[ii, jj], np.maximum(rate, crown.rate), rate)
        ok = np.nonzero(rate <= self.max_rate)[0]
        if ok.size == 0:
            self._line_carry = min(self._line_carry, 1.0)  # crews cannot work the edge: no stockpiling
            return False
        order = ok[np.lexsort((ii[ok] * self.n + jj[ok], rate[ok]))][:cells]
        self.held[ii[order], jj[order]] = True
        self._line_carry -= order.size
        return False

    def edge_cells_by_sector(self, sectors: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Edge cells (rows, columns) and the sector (0 … sectors−1) of each, by bearing from the centroid."""
        ii, jj = np.nonzero(self.edge())
        if ii.size == 0:
            return ii, jj, ii
        cx, cy = float(self.x[self.ignited].mean()), float(self.y[self.ignited].mean())
        bearing = np.degrees(np.arctan2(self.x[ii, jj] - cx, self.y[ii, jj] - cy)) % 360.0
        return ii, jj, bearing // (360.0 / sectors)
