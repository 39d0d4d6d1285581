"""Forest fire spreading on a grid, across provincial borders, contained by crews.

The grid is a square of ``size`` × ``size`` cells of side ``cell`` centred on the ignition point;
each cell belongs to the region whose anchor point is nearest (a rough map of the border). Fuel
varies from cell to cell (lognormal) and a share of cells does not burn. Every ``step``:

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

The fire is contained when no edge cell is left unheld, and extinguished after mop-up. The model
logs one ``fire.state`` per ``record_every``, ``fire.crossed`` when it enters another region,
``fire.crown`` when crown fire starts, and tells the border flow when it nears another province.
"""

from __future__ import annotations

import math
from collections.abc import Generator as Gen
from itertools import pairwise
from typing import Any

import numpy as np

from agents.incident import Incident
from agents.team import Team
from sim.flows.context import Context
from sim.scenario.model import IncidentSpec

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


class FireModel:
    """One forest fire (see the module docstring)."""

    def __init__(self, ctx: Context, key: str, spec: Any) -> None:
        self.ctx = ctx
        self.key = key
        self.spec = spec
        n, c = spec.size, spec.cell
        self.n, self.c = n, c
        self.lon0, self.lat0 = spec.ignition
        self.kx = 111.32 * math.cos(math.radians(self.lat0))
        coords = (np.arange(n) - (n - 1) / 2.0) * c
        self.x, self.y = np.meshgrid(coords, coords)  # [i, j] → (east km, north km)
        regions = ctx.model.regions
        self.areas = list(spec.areas)
        anchors = []
        for rid in self.areas:
            loc = spec.areas[rid] or regions[rid].location
            anchors.append(((loc[0] - self.lon0) * self.kx, (loc[1] - self.lat0) * KM_PER_DEG_LAT))
        d2 = np.stack([(self.x - ax) ** 2 + (self.y - ay) ** 2 for ax, ay in anchors])
        self.owner = np.argmin(d2, axis=0)
        self.prov = [regions[r].province.key for r in self.areas]
        self.border: dict[tuple[int, str], np.ndarray] = {}
        for a, (ax, ay) in enumerate(anchors):
            for b, (bx, by) in enumerate(anchors):
                if self.prov[a] == self.prov[b]:
                    continue
                gap = math.hypot(bx - ax, by - ay) or 1e-9
                dist = (d2[b] - d2[a]) / (2.0 * gap)  # distance to the a|b bisector
                key_ = (a, self.prov[b])
                self.border[key_] = np.minimum(self.border[key_], dist) if key_ in self.border else dist
        gen = ctx.streams.get("fire", key, "fuel")
        self.fuel = (
            gen.lognormal(0.0, spec.fuel_variability, (n, n))
            if spec.fuel_variability > 0
            else np.ones((n, n))
        )
        self.fuel[gen.random((n, n)) < spec.unburnable] = 0.0
        share = spec.spread.crown.share if spec.spread.crown else 0.0
        self.crown_cells = gen.random((n, n)) < share
        mid = n // 2
        self.fuel[mid, mid] = max(self.fuel[mid, mid], 1.0)
        self.ignited = np.zeros((n, n), dtype=bool)
        self.ignite_t = np.full((n, n), np.inf)
        self.progress = np.zeros((n, n))
        self.held = np.zeros((n, n), dtype=bool)
        self.mid = mid
        self.crews: set[str] = set()
        self.incidents: dict[str, Incident] = {}
        self.reported_ha: dict[str, float] = {}
        self.tasks_open = 0
        self._tasks = 0
        self._line_carry = 0.0
        self._near: set[tuple[int, str]] = set()
        self._threatened: set[str] = set()
        self.contained = False
        self.crown_on = False
        self.out = False
        self._fire_spec = IncidentSpec(kind=spec.kind, name=spec.name, priority=spec.priority)
        sup = spec.suppression
        self._task_spec = (
            IncidentSpec(
                kind="fire_line", needs=tuple(sup.needs), priority=spec.priority, work_time=f"{sup.shift}m"
            )
            if sup is not None
            else None
        )

    # -- geometry -----------------------------------------------------------------------------------

    def lonlat(self, i: int, j: int) -> tuple[float, float]:
        """Longitude/latitude of the centre of cell (i, j)."""
        return (
            round(self.lon0 + float(self.x[i, j]) / self.kx, 6),
            round(self.lat0 + float(self.y[i, j]) / KM_PER_DEG_LAT, 6),
        )

    def area_ha(self, mask: np.ndarray | None = None) -> float:
        """Burned area (ha) of the fire, or of the cells in ``mask``."""
        cells = int(np.count_nonzero(self.ignited if mask is None else self.ignited & mask))
        return round(cells * self.c * self.c * 100.0, 2)

    def wind(self, t: float) -> tuple[float, float]:
        """(speed km/h, direction it blows from) at ``t``."""
        current = self.spec.wind[0]
        for w in self.spec.wind:
            if w.at <= t:
                current = w
        return current.speed, current.direction

    # -- the run ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Ignite at the scenario's time."""
        self.ctx.env.process(self._run())

    def _run(self) -> Gen[Any, Any, None]:
        env = self.ctx.env
        spec = self.spec
        if spec.at > env.now:
            yield env.timeout(spec.at - env.now)
        radius = math.sqrt(spec.initial_area / 100.0 / math.pi)  # ha → km²
        start = (self.x**2 + self.y**2 <= radius * radius) & (self.fuel > 0)
        start[self.mid, self.mid] = True
        self.ignited |= start
        self.ignite_t[start] = env.now
        self._enter(int(self.owner[self.mid, self.mid]), None)
        next_record = env.now
        while not self.contained:
            if env.now >= next_record:
                self._record()
                next_record += spec.record_every
            yield env.timeout(spec.step)
            self._step(spec.step)
        self._record()
        area = self.area_ha()
        self.ctx.emit("fire.contained", self.key, None, {"area_ha": area})
        for task in [
            i for i in self.ctx.model.incidents.values() if i.owner is self and i.kind == "fire_line"
        ]:
            if task.state == "queued":
                task.state = "closed"
        yield env.timeout(spec.suppression.mop_up if spec.suppression else 0.0)
        self.out = True
        self.ctx.emit("fire.extinguished", self.key, None, {"area_ha": area})
        for inc in self.incidents.values():
            inc.active = False
            inc.state = "closed"
            self.ctx.reporting.changed(inc)

    def _rates(self, t: float) -> tuple[float, float, float]:
        """(head rate km/h, spread bearing, eccentricity) now."""
        speed, frm = self.wind(t)
        head = interp(self.spec.spread.by_wind, speed)
        lb = length_to_breadth(speed)
        return head, (frm + 180.0) % 360.0, math.sqrt(1.0 - 1.0 / (lb * lb))

    def _step(self, dt: float) -> None:
        env = self.ctx.env
        spec = self.spec
        head, bearing, e = self._rates(env.now)
        crown = spec.spread.crown
        speed, _ = self.wind(env.now)
        if (
            crown is not None
            and not self.crown_on
            and speed >= crown.wind_at_least
            and self.area_ha() >= crown.area_at_least
        ):
            self.crown_on = True
            self.ctx.emit(
                "fire.crown",
                self.key,
                self.areas[int(self.owner[self.mid, self.mid])],
                {"area_ha": self.area_ha(), "wind_kmh": round(speed, 2)},
            )
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
            self.ignite_t[new] = env.now
            for a in np.unique(self.owner[new]).tolist():
                if self.areas[a] not in self.incidents:
                    self._enter(a, new)
            self._check_border()
            self._check_threats()
        self._suppress(dt, head, bearing, e)

    def edge(self) -> np.ndarray:
        """Ignited, unheld cells next to unburned fuel (or to the grid's boundary)."""
        fuel_left = ~self.ignited & (self.fuel > 0)
        near = np.zeros_like(fuel_left)
        for di, dj in DIRS:
            near |= shifted(fuel_left, -di, -dj)
        near[0, :] = near[-1, :] = True
        near[:, 0] = near[:, -1] = True
        return self.ignited & ~self.held & near

    def _suppress(self, dt: float, head: float, bearing: float, e: float) -> None:
        sup = self.spec.suppression
        edge = self.edge()
        if not edge.any():
            self.contained = True
            return
        if sup is None or not self.crews:
            return
        self._line_carry += len(self.crews) * sup.line_rate * dt / 60.0 / self.c
        cells = int(self._line_carry)
        if cells <= 0:
            return
        ii, jj = np.nonzero(edge)
        cx, cy = float(self.x[self.ignited].mean()), float(self.y[self.ignited].mean())
        out = np.degrees(np.arctan2(self.x[ii, jj] - cx, self.y[ii, jj] - cy))
        rate = head * (1.0 - e) / (1.0 - e * np.cos(np.radians(out - bearing)))
        if self.crown_on and self.spec.spread.crown is not None:
            rate = np.where(self.crown_cells[ii, jj], np.maximum(rate, self.spec.spread.crown.rate), rate)
        ok = np.nonzero(rate <= sup.max_rate)[0]
        if ok.size == 0:
            self._line_carry = min(self._line_carry, 1.0)  # crews cannot work the edge: no stockpiling
            return
        order = ok[np.lexsort((ii[ok] * self.n + jj[ok], rate[ok]))][:cells]
        self.held[ii[order], jj[order]] = True
        self._line_carry -= order.size

    # -- regions, borders, threats -------------------------------------------------------------------

    def _enter(self, area: int, new: np.ndarray | None) -> None:
        """The fire reaches a region for the first time: a fire incident there (its office reports it)."""
        ctx = self.ctx
        rid = self.areas[area]
        if new is not None:
            counts = {
                self.areas[a]: self.area_ha(self.owner == a)
                for a in range(len(self.areas))
                if self.areas[a] in self.incidents
            }
            source = max(counts, key=lambda k: (counts[k], k)) if counts else None
            ctx.emit(
                "fire.crossed",
                self.key,
                rid,
                {
                    "from": source,
                    "to": rid,
                    "province_from": ctx.model.regions[source].province.key if source else None,
                    "province_to": ctx.model.regions[rid].province.key,
                },
            )
            if source is not None and ctx.model.regions[source].province.key != self.prov[area]:
                ctx.border.fire_near(
                    self.key,
                    self.incidents[source].key,
                    ctx.model.regions[source].province.key,
                    self.prov[area],
                    crossed=True,
                )
            cells = np.argwhere(new & (self.owner == area))
            i, j = (int(v) for v in cells[0])
        else:
            i = j = self.mid
        inc = ctx.incidents.occur(
            self._fire_spec,
            rid,
            source=self.key,
            key=f"{self.key}-{rid}",
            gen=ctx.streams.get("fire", self.key, rid),
            location=self.lonlat(i, j),
            extra={"area_ha": self.area_ha(self.owner == area)},
            owner=self,
        )
        inc.active = True
        self.incidents[rid] = inc
        self.reported_ha[rid] = inc.extra["area_ha"]

    def _check_border(self) -> None:
        bf = self.ctx.scenario.cross_region.border_fire
        if bf is None:
            return
        for (a, other), dist in self.border.items():
            if (a, other) in self._near:
                continue
            mine = self.ignited & (self.owner == a)
            if mine.any() and float(dist[mine].min()) <= bf.distance:
                self._near.add((a, other))
                inc = self.incidents.get(self.areas[a])
                self.ctx.border.fire_near(
                    self.key, inc.key if inc else None, self.prov[a], other, crossed=False
                )

    def _check_threats(self) -> None:
        for tid, threat in self.spec.threats.items():
            if tid in self._threatened:
                continue
            tx, ty = (
                (threat.location[0] - self.lon0) * self.kx,
                (threat.location[1] - self.lat0) * KM_PER_DEG_LAT,
            )
            near = float(np.sqrt(((self.x[self.ignited] - tx) ** 2 + (self.y[self.ignited] - ty) ** 2).min()))
            if near <= threat.distance:
                self._threatened.add(tid)
                self.ctx.incidents.occur(
                    threat.incident,
                    threat.region,
                    source=self.key,
                    key=f"{self.key}-{tid}",
                    gen=self.ctx.streams.get("fire", self.key, tid),
                    location=tuple(threat.location),
                )

    def _record(self) -> None:
        ctx = self.ctx
        regions = {
            rid: self.area_ha(self.owner == a) for a, rid in enumerate(self.areas) if rid in self.incidents
        }
        for rid, ha in regions.items():
            inc = self.incidents[rid]
            inc.extra["area_ha"] = ha
            if ha - self.reported_ha[rid] >= max(1.0, 0.1 * self.reported_ha[rid]):
                self.reported_ha[rid] = ha
                ctx.reporting.changed(inc)
        speed, frm = self.wind(ctx.env.now)
        head, _, _ = self._rates(ctx.env.now)
        flaming = self.ignited & (ctx.env.now - self.ignite_t < self.spec.burn_time)
        rim = self.ignited.copy()
        rim[1:-1, 1:-1] = False
        ctx.emit(
            "fire.state",
            self.key,
            self.areas[int(self.owner[self.mid, self.mid])],
            {
                "area_ha": self.area_ha(),
                "burning_cells": int(np.count_nonzero(flaming)),
                "regions": regions,
                "head_rate": round(head * 1000.0 / 60.0, 3),
                "wind_kmh": round(speed, 2),
                "wind_from": frm,
                "crews": len(self.crews),
                "held_cells": int(np.count_nonzero(self.held)),
                "crown": self.crown_on,
                "at_edge": bool(rim.any()),
            },
        )
        self._open_tasks()

    # -- crews (the dispatcher calls these through Incident.owner) -------------------------------------

    def on_dispatch_known(self, inc: Incident) -> None:
        """A fire incident reached the dispatch level: open fire-line tasks for crews."""
        self._open_tasks()

    def _open_tasks(self) -> None:
        sup = self.spec.suppression
        if sup is None or self.contained or not any(i.dispatch_known for i in self.incidents.values()):
            return
        edge = self.edge()
        if not edge.any():
            return
        ii, jj = np.nonzero(edge)
        cx, cy = float(self.x[self.ignited].mean()), float(self.y[self.ignited].mean())
        sector = (np.degrees(np.arctan2(self.x[ii, jj] - cx, self.y[ii, jj] - cy)) % 360.0) // (
            360.0 / sup.sectors
        )
        ctx = self.ctx
        while self.tasks_open < sup.sectors:
            s = self._tasks % sup.sectors
            pick = np.nonzero(sector == s)[0]
            if pick.size == 0:
                pick = np.arange(ii.size)
            k = int(pick[pick.size // 2])
            i, j = int(ii[k]), int(jj[k])
            self._tasks += 1
            self.tasks_open += 1
            rid = self.areas[int(self.owner[i, j])]
            task = ctx.incidents.occur(
                self._task_spec,
                rid,
                source=self.key,
                key=f"{self.key}-line-{self._tasks:04d}",
                gen=ctx.streams.get("fire", self.key, "line"),
                location=self.lonlat(i, j),
                owner=self,
                report=False,
            )
            task.dispatch_known = True
            ctx.dispatcher.enqueue(task)

    def crew_started(self, team: Team, inc: Incident) -> None:
        """A crew starts a line shift."""
        self.crews.add(team.key)

    def crew_finished(self, team: Team, inc: Incident) -> None:
        """A crew ends a line shift: the task closes and a new one opens while the fire runs."""
        self.crews.discard(team.key)
        self.tasks_open = max(0, self.tasks_open - 1)
        self._open_tasks()
