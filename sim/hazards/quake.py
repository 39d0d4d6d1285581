"""Earthquake: intensity, collapses, trapped people, aftershocks, secondary hazards.

Earthquake: magnitude, depth, epicentre → intensity by distance → collapsed buildings → trapped
people; aftershocks; secondary hazards such as sand-mud flows (砂涌).

Intensity follows the scenario's attenuation relation I = a + b·M − c·log10(R + r0) (R epicentral
distance in km). With a long and a short axis (the elliptical model used for China's intensity
zoning, e.g. Yu Yanxiang et al. 2013 behind GB 18306-2015) the intensity at a point is the one whose
iso-intensity ellipse passes through it. A site's collapse share comes from the scenario's
fragility table; collapses, occupants killed and trapped are binomial draws; trapped people are
split into rescue sites (incidents) scattered around the site, each with survival drawn from the
scenario's curve (Tangshan by default, DESIGN §7). With a ``search`` setting the sites are found one
by one (each draws its time from the shaking until found): the buried wait, their survival clock
running from the shaking, and nobody is dispatched before their site is found, so extractions
spread over days as in Tangshan and slower search loses more people. Aftershocks follow Reasenberg & Jones (1989):
rate 10^(a + b(Mm − M))·(t + c)^−p per day, magnitudes Gutenberg–Richter with slope b, and damage
what the main shock left standing.
"""

from __future__ import annotations

import math
from collections.abc import Generator as Gen
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from drillsim.flows.context import Context
from drillsim.geo import Point
from drillsim.rng import make_sampler
from drillsim.scenario.model import IncidentSpec

if TYPE_CHECKING:
    import numpy as np
    import simpy

    from drillsim.agents.incident import Incident
    from drillsim.scenario.model_hazards import Aftershocks, Attenuation, Quake, Secondary

KM_PER_DEG_LAT = 110.57


def radius_for(att: Attenuation, magnitude: float, intensity: float) -> float:
    """Epicentral distance (km) at which the relation gives ``intensity``."""
    return 10.0 ** ((att.a + att.b * magnitude - intensity) / att.c) - att.r0


def intensity_at(spec: Quake, magnitude: float, point: Point) -> float:
    """Seismic intensity at ``point`` (circular, or elliptical with a short axis)."""
    lon0, lat0 = spec.epicentre
    dx = (point[0] - lon0) * 111.32 * math.cos(math.radians(lat0))
    dy = (point[1] - lat0) * KM_PER_DEG_LAT
    long_ = spec.long_axis
    if spec.short_axis is None:
        return max(0.0, long_.a + long_.b * magnitude - long_.c * math.log10(math.hypot(dx, dy) + long_.r0))
    az = math.radians(spec.azimuth)
    u = dx * math.sin(az) + dy * math.cos(az)
    v = dx * math.cos(az) - dy * math.sin(az)
    hi = min(
        long_.a + long_.b * magnitude - long_.c * math.log10(long_.r0 or 1e-9),
        spec.short_axis.a
        + spec.short_axis.b * magnitude
        - spec.short_axis.c * math.log10(spec.short_axis.r0 or 1e-9),
    )
    if u == 0 and v == 0:
        return max(0.0, hi)
    lo = 0.0
    for _ in range(50):
        mid = (lo + hi) / 2.0
        ra, rb = radius_for(long_, magnitude, mid), radius_for(spec.short_axis, magnitude, mid)
        if ra <= 0 or rb <= 0 or (u / ra) ** 2 + (v / rb) ** 2 > 1.0:
            hi = mid
        else:
            lo = mid
    return lo


def _succeed(event: simpy.Event) -> None:
    """Succeed ``event`` (a timeout's callback: found once clearance reaches the site)."""
    event.succeed()


def collapse_share(table: tuple[tuple[float, float], ...], intensity: float) -> float:
    """Share of buildings that collapse at ``intensity`` (linear in the table, flat outside)."""
    if intensity <= table[0][0]:
        return table[0][1] if intensity >= table[0][0] else 0.0
    for (x0, y0), (x1, y1) in pairwise(table):
        if intensity <= x1:
            return y0 + (y1 - y0) * (intensity - x0) / (x1 - x0)
    return table[-1][1]


class QuakeModel:
    """One earthquake with its aftershocks and secondary hazards."""

    def __init__(self, ctx: Context, key: str, spec: Quake) -> None:
        self.ctx = ctx
        self.key = key
        self.spec = spec
        self.standing: dict[str, int] = {rid: s.buildings for rid, s in spec.sites.items()}
        self.collapsed = 0
        self.incident: Incident | None = None
        self._sites = 0
        self._size = make_sampler(spec.per_incident, ctx.streams.get("quake", key, "size"))
        # search finds the rescue sites one by one: each draws its own time from the shaking until found
        search = spec.search
        self._found = make_sampler(search.found, ctx.streams.get("quake", key, "search")) if search else None
        self._after_end = (make_sampler(search.after_end, ctx.streams.get("quake", key, "after_end"))
                           if search is not None and search.after_end is not None else None)
        self._unfound: dict[int, simpy.Event] = {}  # sites still searched for, in the order they were buried
        self.search_ended: float | None = None
        self._searches = 0

    def quantities(self) -> dict[str, float]:
        """Buildings collapsed so far (main shock and aftershocks), for inject messages that quote them."""
        return {f"quake.{self.key}.collapsed": float(self.collapsed)}

    def start(self) -> None:
        """Schedule the main shock."""
        self.ctx.env.process(self._run())

    def _site_location(self, rid: str) -> Point:
        site = self.spec.sites[rid]
        location = site.location or self.ctx.model.regions[rid].location
        assert location is not None  # the scenario's reference checks refuse a site without one
        return location

    def _run(self) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        spec = self.spec
        if spec.at > env.now:
            yield env.timeout(spec.at - env.now)
        sites, max_i = self._shake(spec.magnitude, 1.0, self.key)
        ctx.emit(
            "quake.occurred",
            self.key,
            spec.region,
            {
                "magnitude": spec.magnitude,
                "depth_km": spec.depth,
                "epicentre": list(spec.epicentre),
                "max_intensity": round(max_i, 2),
                "sites": sites,
            },
        )
        inc_spec = IncidentSpec(kind=spec.kind, region=spec.region, priority=1)
        detect = make_sampler(spec.detect, ctx.streams.get("quake", self.key, "detect"))
        extra = {
            "magnitude": spec.magnitude,
            "intensity": round(max_i, 2),
            "density": spec.density,
            "collapsed": float(self.collapsed),
        }
        self.incident = ctx.incidents.occur(
            inc_spec,
            spec.region,
            source=self.key,
            key=self.key,
            gen=ctx.streams.get("quake", self.key, "main"),
            location=spec.epicentre,
            extra=extra,
            detect=detect,
            by="network",
        )
        # the network's automatic report also reaches every other province with exposed sites
        home = ctx.model.regions[spec.region].province.key
        others = sorted(
            {ctx.model.regions[rid].province.key for rid in spec.sites} - {home},
            key=list(ctx.model.regions).index,
        )
        for province in others:
            ctx.incidents.occur(
                inc_spec,
                province,
                source=self.key,
                key=f"{self.key}-{province}",
                gen=ctx.streams.get("quake", self.key, province),
                location=spec.epicentre,
                extra=dict(extra),
                detect=detect,
                by="network",
            )
        for sid, sec in spec.secondary.items():
            if (
                intensity_at(spec, spec.magnitude, self._site_location_or_region(sec.region))
                >= sec.intensity_at_least
            ):
                gen = ctx.streams.get("quake", self.key, sid)
                if gen.random() < sec.probability:
                    env.process(self._secondary(sid, sec, gen))
        if spec.aftershocks is not None:
            env.process(self._aftershocks(spec.aftershocks))

    def _site_location_or_region(self, rid: str) -> Point:
        if rid in self.spec.sites:
            return self._site_location(rid)
        location = self.ctx.model.regions[rid].location
        assert location is not None  # the scenario's reference checks refuse a region without one here
        return location

    def _shake(self, magnitude: float, factor: float, source: str) -> tuple[dict[str, Any], float]:
        """Apply one shock to every site; returns per-site damage and the largest intensity."""
        ctx = self.ctx
        spec = self.spec
        out: dict[str, Any] = {}
        max_i = 0.0
        for rid, site in spec.sites.items():
            where = self._site_location(rid)
            i = intensity_at(spec, magnitude, where)
            max_i = max(max_i, i)
            gen = ctx.streams.get("quake", source, rid)
            share = min(1.0, collapse_share(spec.fragility, i) * site.fragility * factor)
            fell = int(gen.binomial(self.standing[rid], share)) if share > 0 and self.standing[rid] > 0 else 0
            self.standing[rid] -= fell
            self.collapsed += fell
            inside = round(fell * site.occupants)
            killed = int(gen.binomial(inside, spec.killed_share)) if inside and spec.killed_share > 0 else 0
            trapped = int(gen.binomial(inside - killed, spec.trapped_share)) if inside - killed > 0 else 0
            out[rid] = {"intensity": round(i, 2), "collapsed": fell, "trapped": trapped, "killed": killed}
            if trapped or killed:
                self._rescue_sites(rid, where, site.radius, trapped, killed, gen, source)
        return out, max_i

    def _rescue_sites(
        self, rid: str, where: Point, radius: float, trapped: int, killed: int, gen: np.random.Generator, source: str
    ) -> None:
        """Split the trapped (and the dead) of a site into rescue sites around it."""
        spec = self.spec
        sizes: list[int] = []
        total = 0
        while total < trapped:
            size = max(1, round(self._size()))
            size = min(size, trapped - total)
            sizes.append(size)
            total += size
        if len(sizes) > spec.max_sites:
            base, extra = divmod(trapped, spec.max_sites)
            sizes = [base + (1 if k < extra else 0) for k in range(spec.max_sites)]
        if not sizes:
            sizes = [0]
        lat0 = where[1]
        for k, size in enumerate(sizes):
            r = radius * math.sqrt(float(gen.random()))
            a = 2.0 * math.pi * float(gen.random())
            loc = (
                round(where[0] + r * math.sin(a) / (111.32 * math.cos(math.radians(lat0))), 6),
                round(where[1] + r * math.cos(a) / KM_PER_DEG_LAT, 6),
            )
            dead = killed // len(sizes) + (1 if k < killed % len(sizes) else 0)
            self._sites += 1
            self.ctx.incidents.occur(
                spec.incident,
                rid,
                source=source,
                key=f"{self.key}-{rid}-{self._sites:04d}",
                gen=self.ctx.streams.get("quake", self.key, "site", self._sites),
                people=size,
                location=loc,
                dead=dead,
                detect=self._searched if self._found is not None else None,
                by="search" if self._found is not None else "reporters",
            )

    def _searched(self) -> simpy.Event:
        """The event that search finds one rescue site: after its own search time, unless the search ends first."""
        env = self.ctx.env
        found = env.event()
        if self.search_ended is not None:  # buried by an aftershock after the search was declared complete
            self._found_after_end(found)
            return found
        assert self._found is not None  # only called with a search
        self._searches += 1
        n = self._searches
        self._unfound[n] = found
        env.timeout(self._found()).callbacks.append(lambda _ev: self._hit(n))
        return found

    def _hit(self, n: int) -> None:
        found = self._unfound.pop(n, None)  # gone once the search has ended
        if found is not None:
            found.succeed()

    def _found_after_end(self, found: simpy.Event) -> None:
        if self._after_end is not None:
            self.ctx.env.timeout(self._after_end()).callbacks.append(lambda _ev: _succeed(found))

    def end_search(self, cause: str) -> None:
        """The search is declared complete (effect ``end_search``): the sites not yet found stay buried.

        They are found later only by ``search.after_end`` (none: not during the exercise), so their
        people wait, and die waiting as the survival curve says.
        """
        if self.search_ended is not None or self._found is None:
            return
        self.search_ended = self.ctx.env.now
        unfound = list(self._unfound.values())
        self._unfound.clear()
        self.ctx.emit("quake.search_ended", self.key, self.spec.region, {"unfound": len(unfound), "cause": cause})
        for found in unfound:
            self._found_after_end(found)

    def _aftershocks(self, a: Aftershocks) -> Gen[simpy.Event, object, None]:
        """Reasenberg–Jones aftershock sequence; each one logged and applied to what still stands."""
        ctx = self.ctx
        env = ctx.env
        spec = self.spec
        gen = ctx.streams.get("quake", self.key, "aftershocks")
        k = 10.0 ** (a.a + a.b * (spec.magnitude - a.m_min))
        c, p, horizon = a.c / 1440.0, a.p, a.until / 1440.0

        def cumulative(t: float) -> float:
            if abs(p - 1.0) < 1e-9:
                return k * math.log((t + c) / c)
            return k * (c ** (1.0 - p) - (t + c) ** (1.0 - p)) / (p - 1.0)

        expected = cumulative(horizon)
        count = int(gen.poisson(expected))
        times = sorted(float(u) * expected for u in gen.random(count))
        t0 = env.now
        for n, target in enumerate(times, start=1):
            if abs(p - 1.0) < 1e-9:
                t_days = c * math.exp(target / k) - c
            else:
                t_days = (c ** (1.0 - p) - target * (p - 1.0) / k) ** (1.0 / (1.0 - p)) - c
            magnitude = min(spec.magnitude - 0.1, a.m_min - math.log10(1.0 - float(gen.random())) / a.b)
            at = t0 + t_days * 1440.0
            if at > env.now:
                yield env.timeout(at - env.now)
            source = f"{self.key}-as{n:03d}"
            before = self.collapsed
            sites, max_i = self._shake(magnitude, a.damage, source)
            ctx.emit(
                "quake.aftershock",
                self.key,
                spec.region,
                {
                    "magnitude": round(magnitude, 2),
                    "depth_km": spec.depth,
                    "epicentre": list(spec.epicentre),
                    "max_intensity": round(max_i, 2),
                    "collapsed": self.collapsed - before,
                    "trapped": sum(s["trapped"] for s in sites.values()),
                },
            )
            if self.collapsed != before and self.incident is not None:
                self.incident.extra["collapsed"] = float(self.collapsed)
                ctx.reporting.changed(self.incident)

    def _secondary(self, sid: str, sec: Secondary, gen: np.random.Generator) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        delay = make_sampler(sec.delay, gen)()
        if delay > 0:
            yield ctx.env.timeout(delay)
        ctx.incidents.occur(
            sec.incident, sec.region, source=f"{self.key}-{sid}", key=f"{self.key}-{sid}", gen=gen
        )
