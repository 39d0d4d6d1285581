"""A forest fire that crosses provincial borders and is fought by crews.

The fire burns on a :class:`~drillsim.hazards.fire_grid.FireGrid` (spread with the wind, crown fire,
fire line). This module ties it to the exercise: one fire incident per region it enters (each
reported by that region's own office),
fire-line tasks for crews once a fire incident is known at the dispatch level, border notices when
the fire nears or crosses another province, threatened sites that must be evacuated, and a bounded
number of records: one ``fire.state`` per ``record_every``, ``fire.crossed``, ``fire.crown``,
``fire.contained`` and ``fire.extinguished``.

Every fire incident reports the burned area of the whole fire (``area_ha``), wherever it burns: a
fire is classed by its area (森林防火条例 Art. 40, facts.md §4), so the office on the side where
only a few hectares burned knows the fire's class as well as the side where most of it burns. The
fire's part in each region is in ``fire.state`` ``regions``. A fire within the border-fire distance
of another province, from ignition on, carries ``border_fire: 1`` (the immediate-report rule).
"""

from __future__ import annotations

from collections.abc import Generator as Gen
from typing import TYPE_CHECKING

import numpy as np

from drillsim.agents.incident import Incident
from drillsim.agents.team import Team
from drillsim.flows.context import Context
from drillsim.hazards.fire_grid import FireGrid
from drillsim.scenario.model import IncidentSpec

if TYPE_CHECKING:
    import simpy

    from drillsim.geo import Point
    from drillsim.scenario.model_hazards import Fire


class FireModel:
    """One forest fire and the work it makes."""

    def __init__(self, ctx: Context, key: str, spec: Fire) -> None:
        self.ctx = ctx
        self.key = key
        self.spec = spec
        regions = ctx.model.regions
        self.areas = list(spec.areas)
        self.prov = [regions[r].province.key for r in self.areas]
        anchors: list[Point] = []
        for r in self.areas:
            anchor = spec.areas[r] or regions[r].location
            assert anchor is not None  # the scenario's reference checks refuse an area without one
            anchors.append(anchor)
        self.grid = FireGrid(spec, anchors, self.prov, ctx.streams.get("fire", key, "fuel"))
        self.crews: set[str] = set()
        self.incidents: dict[str, Incident] = {}
        self.reported_ha = 0.0  # the whole fire's area at the last update report
        self.tasks_open = 0
        self._tasks = 0
        self._near: set[tuple[int, str]] = set()
        self._threatened: set[str] = set()
        self._reached: set[str] = set()
        self.contained = False
        self.out = False
        self._fire_spec = IncidentSpec(kind=spec.kind, name=spec.name, priority=spec.priority)
        sup = spec.suppression
        self._task_spec = (
            IncidentSpec(
                kind="fire_line", priority=spec.priority,
                # one crew with the line's capabilities, or `crews` of them side by side on a shift's work each
                needs=tuple(sup.needs) if sup.crews == 1 else {sup.needs[0]: sup.crews},
                work=f"{sup.shift * sup.crews}m",
            )
            if sup is not None
            else None
        )
        self._closed: set[str] = set()
        self.sectors = sup.sectors if sup is not None else 0
        self.crews_per_sector = sup.crews if sup is not None else 0

    def quantities(self) -> dict[str, float]:
        """Area burned so far (ha; 0 before ignition), for inject messages that quote it."""
        return {f"fire.{self.key}.area_ha": self.grid.area_ha()}

    def start(self) -> None:
        """Ignite at the scenario's time."""
        self.ctx.env.process(self._run())

    def _run(self) -> Gen[simpy.Event, object, None]:
        env = self.ctx.env
        spec = self.spec
        grid = self.grid
        if spec.at > env.now:
            yield env.timeout(spec.at - env.now)
        grid.ignite(env.now)
        self._enter(int(grid.owner[grid.mid, grid.mid]), None)
        self._check_border()  # a fire that starts near a border is a border fire from its ignition
        next_record = env.now
        while not self.contained:
            if env.now >= next_record:
                self._record()
                next_record += spec.record_every
            yield env.timeout(spec.step)
            self._step(spec.step)
        self._record()
        area = grid.area_ha()
        self.ctx.emit("fire.contained", self.key, None, {"area_ha": area})
        for task in [
            i for i in self.ctx.model.incidents.values() if i.owner is self and i.kind == "fire_line"
        ]:
            if task.state in ("queued", "assigned", "pending"):  # nobody on the line yet: the task is dropped
                self.ctx.operations.cancel(task)
        yield env.timeout(spec.suppression.mop_up if spec.suppression else 0.0)
        self.out = True
        self.ctx.emit("fire.extinguished", self.key, None, {"area_ha": area})
        for inc in self.incidents.values():
            inc.active = False
            inc.state = "closed"
            self.ctx.reporting.changed(inc)

    def _step(self, dt: float) -> None:
        now = self.ctx.env.now
        grid = self.grid
        crown = self.spec.spread.crown
        speed, _ = grid.wind(now)
        if (
            crown is not None
            and not grid.crown_on
            and speed >= crown.wind_at_least
            and (grid.area_ha() >= crown.area_at_least)
        ):
            grid.crown_on = True
            self.ctx.emit(
                "fire.crown",
                self.key,
                self.areas[int(grid.owner[grid.mid, grid.mid])],
                {"area_ha": grid.area_ha(), "wind_kmh": round(speed, 2)},
            )
        new = grid.spread(now, dt)
        if new.any():
            for a in np.unique(grid.owner[new]).tolist():
                if self.areas[a] not in self.incidents:
                    self._enter(a, new)
            self._check_border()
            self._check_threats()
        self.contained = grid.hold(len(self.crews), now, dt)

    # -- regions, borders, threats ------------------------------------------------------------------

    def _enter(self, area: int, new: np.ndarray | None) -> None:
        """The fire reaches a region for the first time: a fire incident there (its office reports it)."""
        ctx = self.ctx
        grid = self.grid
        rid = self.areas[area]
        if new is not None:
            counts = {
                self.areas[a]: grid.area_ha(grid.owner == a)
                for a in range(len(self.areas))
                if self.areas[a] in self.incidents
            }
            source = max(counts, key=lambda k: (counts[k], k)) if counts else None
            from_province = ctx.model.regions[source].province.key if source else None
            ctx.emit(
                "fire.crossed",
                self.key,
                rid,
                {"from": source, "to": rid, "province_from": from_province, "province_to": self.prov[area]},
            )
            if source is not None and from_province is not None and from_province != self.prov[area]:
                ctx.border.fire_near(
                    self.key, self.incidents[source].key, from_province, self.prov[area], crossed=True
                )
            i, j = (int(v) for v in np.argwhere(new & (grid.owner == area))[0])
        else:
            i = j = grid.mid
        inc = ctx.incidents.occur(
            self._fire_spec,
            rid,
            source=self.key,
            key=f"{self.key}-{rid}",
            gen=ctx.streams.get("fire", self.key, rid),
            location=grid.lonlat(i, j),
            extra={"area_ha": grid.area_ha()},
            owner=self,
        )
        inc.active = True
        self.incidents[rid] = inc

    def _check_border(self) -> None:
        bf = self.ctx.scenario.cross_region.border_fire
        if bf is None:
            return
        grid = self.grid
        for (a, other), dist in grid.border.items():
            if (a, other) in self._near:
                continue
            mine = grid.ignited & (grid.owner == a)
            if mine.any() and float(dist[mine].min()) <= bf.distance:
                self._near.add((a, other))
                inc = self.incidents.get(self.areas[a])
                if inc is not None and not inc.extra.get("border_fire"):
                    inc.extra["border_fire"] = 1.0
                    self.ctx.reporting.changed(inc)
                self.ctx.border.fire_near(
                    self.key, inc.key if inc else None, self.prov[a], other, crossed=False
                )

    def _check_threats(self) -> None:
        grid = self.grid
        for tid, threat in self.spec.threats.items():
            if tid in self._reached:
                continue
            tx, ty = grid.km_from_ignition(threat.location)
            burning = grid.ignited
            near = float(np.sqrt(((grid.x[burning] - tx) ** 2 + (grid.y[burning] - ty) ** 2).min()))
            if threat.reach is not None and near <= threat.reach:
                self._reached.add(tid)
                self.ctx.emit("fire.reached", self.key, tid, {"region": threat.region, "distance_km": round(near, 3),
                                                             "area_ha": grid.area_ha()})
            if tid in self._threatened:
                continue
            if near <= threat.distance:
                self._threatened.add(tid)
                self.ctx.incidents.occur(
                    threat.incident,
                    threat.region,
                    source=self.key,
                    key=f"{self.key}-{tid}",
                    gen=self.ctx.streams.get("fire", self.key, tid),
                    location=threat.location,
                )

    def _record(self) -> None:
        ctx = self.ctx
        grid = self.grid
        now = ctx.env.now
        regions = {
            rid: grid.area_ha(grid.owner == a) for a, rid in enumerate(self.areas) if rid in self.incidents
        }
        whole = grid.area_ha()
        updates = ctx.scenario.hazards.fire_updates
        grown = whole - self.reported_ha >= max(updates.area, updates.share * self.reported_ha)
        if grown:
            self.reported_ha = whole
        for inc in self.incidents.values():  # every side reports the whole fire's area
            inc.extra["area_ha"] = whole
            if grown:
                ctx.reporting.changed(inc)
        speed, frm = grid.wind(now)
        head, _, _ = grid.rates(now)
        flaming = grid.ignited & (now - grid.ignite_t < self.spec.burn_time)
        rim = grid.ignited.copy()
        rim[1:-1, 1:-1] = False
        ctx.emit(
            "fire.state",
            self.key,
            self.areas[int(grid.owner[grid.mid, grid.mid])],
            {
                "area_ha": grid.area_ha(),
                "burning_cells": int(np.count_nonzero(flaming)),
                "regions": regions,
                "head_rate": round(head * 1000.0 / 60.0, 3),
                "wind_kmh": round(speed, 2),
                "wind_from": frm,
                "crews": len(self.crews),
                "held_cells": int(np.count_nonzero(grid.held)),
                "crown": grid.crown_on,
                "at_edge": bool(rim.any()),
            },
        )
        self._open_tasks()

    # -- crews (the dispatcher calls these through Incident.owner) ---------------------------------

    def set_attack(self, sectors: int | None, crews: int | None, cause: str, max_rate: float | None = None) -> None:
        """Attack harder or less hard: more sectors, more crews on each line, faster edges held."""
        sup = self.spec.suppression
        if sup is None:
            return
        if max_rate is not None:
            self.grid.max_rate = max_rate
        self.sectors = sectors or self.sectors
        self.crews_per_sector = crews or self.crews_per_sector
        cap = sup.needs[0]
        crews = self.crews_per_sector
        self._task_spec = IncidentSpec(
            kind="fire_line", priority=self.spec.priority,
            needs=tuple(sup.needs) if crews == 1 and len(sup.needs) > 1 else {cap: crews},
            work=f"{sup.shift * crews}m")
        self.ctx.emit("fire.attack", self.key, None, {"sectors": self.sectors, "crews": self.crews_per_sector,
                                                      "max_rate": round(self.grid.max_rate, 4), "cause": cause})
        # the line tasks already open take the new number of crews at once (joint operations)
        for inc in [i for i in self.ctx.model.incidents.values() if i.owner is self and i.kind == "fire_line"]:
            for task in inc.tasks.values():
                if task.done:
                    continue
                for line in task.lines.values():
                    line.limit = max(line.limit, crews)
                    line.wanted = max(line.wanted, crews)
                self.ctx.dispatcher.fill(task)
        self._open_tasks()

    def on_dispatch_known(self, inc: Incident) -> None:
        """A fire incident reached the dispatch level: open fire-line tasks for crews."""
        self._open_tasks()

    def _open_tasks(self) -> None:
        """Keep ``sectors`` line tasks open, spread around the edge by bearing from the centroid."""
        sup = self.spec.suppression
        if sup is None or self.contained or not any(i.dispatch_known for i in self.incidents.values()):
            return
        ii, jj, sector = self.grid.edge_cells_by_sector(self.sectors)
        if ii.size == 0:
            return
        assert self._task_spec is not None  # made whenever the fire has suppression
        ctx = self.ctx
        while self.tasks_open < self.sectors:
            pick = np.nonzero(sector == self._tasks % self.sectors)[0]
            if pick.size == 0:
                pick = np.arange(ii.size)
            k = int(pick[pick.size // 2])
            i, j = int(ii[k]), int(jj[k])
            self._tasks += 1
            self.tasks_open += 1
            task = ctx.incidents.occur(
                self._task_spec,
                self.areas[int(self.grid.owner[i, j])],
                source=self.key,
                key=f"{self.key}-line-{self._tasks:04d}",
                gen=ctx.streams.get("fire", self.key, "line"),
                location=self.grid.lonlat(i, j),
                owner=self,
                report=False,
            )
            task.dispatch_known = True
            ctx.operations.known(task)

    def crew_started(self, team: Team, inc: Incident) -> None:
        """A crew starts a line shift."""
        self.crews.add(team.key)

    def crew_finished(self, team: Team, inc: Incident) -> None:
        """A crew ends a line shift: once the task is done, a new one opens while the fire runs."""
        self.crews.discard(team.key)
        if all(t.done for t in inc.tasks.values()) and inc.key not in self._closed:
            self._closed.add(inc.key)
            self.tasks_open = max(0, self.tasks_open - 1)
            self._open_tasks()
