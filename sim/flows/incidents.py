"""Incidents enter the world: scripted (the real timeline), generated (Poisson streams), spawned.

Hazard models (rainfall, fire spread, earthquakes) also create incidents through
:meth:`IncidentFlow.occur`, so reporting and rescue treat every incident the same way.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections.abc import Callable
from collections.abc import Generator as Gen
from typing import TYPE_CHECKING, Any

from drillsim.agents.incident import Incident
from drillsim.flows.context import Context
from drillsim.limits import MAX_INCIDENTS, MAX_PEOPLE
from drillsim.log import RunLimit
from drillsim.rng import draw_buffer, make_sampler

if TYPE_CHECKING:
    import numpy as np
    import simpy

    from drillsim.agents.incident import Owner
    from drillsim.geo import Point
    from drillsim.scenario.model import Generator, IncidentSpec, ScriptedIncident


class IncidentFlow:
    """Creates incidents, draws each person's fate, logs ``incident.occurred``, starts reporting."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._spawned = 0
        self._curves: dict[str, Any] = {}

    def start(self) -> None:
        """Schedule scripted incidents and start every generator."""
        ctx = self.ctx
        scripted = sorted(ctx.scenario.incidents.items(), key=lambda kv: kv[1].at)
        if scripted:
            ctx.env.process(self._scripted(scripted))
        for gid, gen in ctx.scenario.generators.items():
            ctx.env.process(self._generator(gid, gen))

    def _scripted(self, items: list[tuple[str, ScriptedIncident]]) -> Gen[simpy.Event, object, None]:
        env = self.ctx.env
        for key, spec in items:
            if spec.at > env.now:
                yield env.timeout(spec.at - env.now)
            self.occur(spec, spec.region, source="scenario", key=key,
                       gen=self.ctx.streams.get("incident", key))

    def _generator(self, gid: str, g: Generator) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        streams = ctx.streams
        if g.rate is not None:
            if g.rate <= 0:
                return
            arrival = streams.get("gen", gid, "arrival")
            mean = 1.0 / g.rate
            buf: list[float] = draw_buffer(arrival)  # emptied when a branch re-keys the streams

            def gap() -> float:
                if not buf:
                    buf.extend(reversed(arrival.exponential(mean, 256).tolist()))
                return buf.pop()
        else:
            gap = make_sampler(g.interarrival, streams.get("gen", gid, "arrival"))
        keys = list(g.regions)
        weights = [g.regions[k] for k in keys]
        total = sum(weights)
        cum = []
        acc = 0.0
        for w in weights:
            acc += w / total
            cum.append(acc)
        where = streams.get("gen", gid, "where")
        fate = streams.get("gen", gid, "fate")
        people = make_sampler(g.incident.people, streams.get("gen", gid, "people"))
        limit = g.count if g.count is not None else math.inf
        until = g.until if g.until is not None else math.inf
        n = 0
        if g.start > env.now:
            yield env.timeout(g.start - env.now)
        wbuf: list[float] = draw_buffer(where)
        last = len(keys) - 1
        while n < limit:
            dt = gap()
            if env.now + dt >= until:
                return
            yield env.timeout(dt)
            n += 1
            if len(keys) == 1:
                region = keys[0]
            else:
                if not wbuf:
                    wbuf.extend(reversed(where.random(256).tolist()))
                u = wbuf.pop()
                region = keys[min(bisect_right(cum, u), last)]  # the first cumulative weight above u
            self.occur(g.incident, region, source=gid, key=f"{gid}-{n:06d}", gen=fate,
                       people=round(people()))

    def spawn(self, spec: IncidentSpec, cause: str, key: str | None = None) -> Incident | None:
        """Create an incident now from an inject or decision effect.

        A named incident (``key``) is created once: the second effect naming it returns None.
        """
        if key is not None and key in self.ctx.model.incidents:
            return None
        while key is None or key in self.ctx.model.incidents:
            # ids have no dots (a threshold's cause `series.threshold` becomes `series-threshold-<n>`)
            self._spawned += 1
            key = f"{cause.replace('.', '-')}-{self._spawned}"
        assert spec.region is not None  # an incident effect needs a region (model check)
        # what a decision orders, or a monitoring threshold reads, is known at once to whoever ordered or read
        # it; an inject's incident is news from the scene and waits for the region's reporters like any other
        series = self.ctx.scenario.hazards.series
        by = ("order" if cause in self.ctx.scenario.decisions
              else "monitoring" if cause.partition(".")[0] in series else None)
        gen = self.ctx.streams.get("incident", key)
        if by is None:
            return self.occur(spec, spec.region, source=cause, key=key, gen=gen)
        return self.occur(spec, spec.region, source=cause, key=key, gen=gen, detect=_at_once, by=by)

    def occur(self, spec: IncidentSpec, region_key: str, *, source: str, key: str, gen: np.random.Generator,
              people: int | None = None, location: Point | None = None, dead: int | None = None,
              extra: dict[str, float] | None = None, owner: Owner | None = None, report: bool = True,
              detect: Callable[[], float | simpy.Event] | None = None, by: str = "reporters") -> Incident:
        """Create the incident agent, draw its people's fates, log it and hand it to reporting.

        Hazard models pass what they computed (``people``, ``location``, ``dead``, hazard facts in
        ``extra``), an ``owner`` that manages the incident, and ``detect``/``by`` when something
        other than the region's reporters detects it (the seismic network). ``report=False`` makes
        a work item that never enters the reporting chain (a fire-line task).
        """
        ctx = self.ctx
        region = ctx.model.regions[region_key]
        if people is None:
            people = round(make_sampler(spec.people, gen)())
        if len(ctx.model.incidents) >= MAX_INCIDENTS or people > MAX_PEOPLE:
            raise _over_limit(len(ctx.model.incidents), key, people)
        if location is None:
            location = spec.location or region.location
        death_times = self._fates(spec, people, gen)
        inc = Incident(ctx.model, key, spec, region, location, ctx.env.now, people, death_times, source)
        ctx.operations.build(inc, spec, gen, work=not report)
        if dead is not None:
            inc.dead = dead
        if extra:
            inc.extra = dict(extra)
        inc.owner = owner
        ctx.model.incidents[key] = inc
        ctx.emit("incident.occurred", region_key, key, {
            "kind": inc.kind, "region": region_key, "location": list(location) if location else None,
            "people": people, "dead": inc.dead, "missing": inc.missing, "injured": inc.injured,
            "needs": sorted(inc.needs), "priority": inc.priority, "source": source,
            "name": spec.name.as_dict() if spec.name else None, **({"facts": dict(inc.extra)} if inc.extra else {}),
            **({"stranded": inc.stranded} if inc.stranded else {}),
            **({"tasks": {k: t.kind for k, t in inc.tasks.items()}}
               if isinstance(spec.needs, dict) or spec.tasks else {}),
        })
        if report:
            ctx.reporting.on_incident(inc, detect, by)
        return inc

    def _fates(self, spec: IncidentSpec, people: int, gen: np.random.Generator) -> list[float]:
        """Minutes after onset at which each person dies if not rescued (inf: survives)."""
        if people <= 0:
            return []
        name = spec.survival or self.ctx.scenario.rescue.default_survival
        if name is None:
            return [math.inf] * people
        curve = self.ctx.scenario.rescue.survival[name]
        u = gen.random(people).tolist()
        if curve.half_life is not None:
            h = curve.half_life
            return sorted(h * math.log2(1.0 / max(x, 1e-300)) for x in u)
        assert curve.curve is not None  # a survival model has a half-life or a curve (model check)
        points = [(0.0, 1.0), *curve.curve] if curve.curve[0][0] > 0 else list(curve.curve)
        return sorted(_inverse(points, x) for x in u)


def _at_once() -> float:
    return 0.0


def _over_limit(incidents: int, key: str, people: int) -> RunLimit:
    """The limit a new incident would break (an incident storm from a runaway rate, or a huge crowd)."""
    what = (f"the run generated {incidents:,} incidents, the limit for one run" if incidents >= MAX_INCIDENTS
            else f"incident {key} has {people:,} people at risk, over the limit of {MAX_PEOPLE:,} for one incident")
    return RunLimit(f"{what} (docs/limits.md); check the rates, counts and people of the scenario and of --set")


def _inverse(points: list[tuple[float, float]], u: float) -> float:
    """Time at which a piecewise-linear survival curve falls to ``u`` (inf if it never does)."""
    if u > points[0][1]:
        return 0.0
    for (t0, s0), (t1, s1) in itertools.pairwise(points):
        if s1 < u <= s0:
            return t0 + (t1 - t0) * (s0 - u) / (s0 - s1) if s0 != s1 else t1
    return math.inf
