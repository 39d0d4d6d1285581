"""Rain and rivers: the flood that generates the work.

Every ``step`` the model reads each region's rain curve (mm/h, scaled), accumulates it, and
- draws flash floods (山洪) as a Poisson count whose mean grows with rain above the threshold
  (each an incident with trapped people, placed at a random moment within the step);
- cuts roads and communications once a region's accumulated rain passes its thresholds (restored
  after a drawn repair time);
- issues warnings when the curve will reach a rate within the forecast lead;
- logs ``flood.cleared`` when a region's rain is over and its flash floods are closed, or a
  river falls back below its first threshold;
- routes rain above the infiltration loss (φ-index) into rivers through a lag and a linear
  reservoir (time constant ``response``), logs
  one ``hazard.river`` record per river per step, marks the peak, and acts on flow thresholds
  (warnings, storage-area orders).
"""

from __future__ import annotations

import math
from collections.abc import Generator as Gen
from itertools import pairwise
from typing import TYPE_CHECKING

from drillsim.flows.context import Context
from drillsim.rng import make_sampler

if TYPE_CHECKING:
    import simpy

    from drillsim.scenario.model_hazards import River


def rate_at(curve: tuple[tuple[float, float], ...], t: float) -> float:
    """Rain intensity (mm/h) of a piecewise-linear curve at ``t`` (0 outside the curve)."""
    if t < curve[0][0] or t > curve[-1][0]:
        return 0.0
    for (t0, v0), (t1, v1) in pairwise(curve):
        if t0 <= t <= t1:
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0) if t1 > t0 else v1
    return curve[-1][1]


def peak_within(curve: tuple[tuple[float, float], ...], t0: float, t1: float) -> float:
    """Largest intensity of the curve on ``[t0, t1]`` (at an end or a breakpoint inside)."""
    best = max(rate_at(curve, t0), rate_at(curve, t1))
    for t, v in curve:
        if t0 <= t <= t1:
            best = max(best, v)
    return best


class FloodModel:
    """Rain over regions and the rivers it feeds."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        hz = ctx.scenario.hazards
        self.rain = hz.rain
        self.rivers = hz.rivers
        self.total: dict[str, float] = {}
        self.flow: dict[str, float] = {k: r.base_flow * r.scale for k, r in self.rivers.items()}
        self._max: dict[str, float] = dict(self.flow)
        self._falling: dict[str, bool] = dict.fromkeys(self.rivers, False)
        self._crossed: set[tuple[str, int]] = set()
        self._warned: set[int] = set()
        self._lost: set[str] = set()
        self._cut: set[str] = set()
        self._clear: set[str] = set()
        self._flooded: set[str] = set()
        self._floods = 0
        self.step = self.rain.step if self.rain is not None else 60.0
        if self.rain is not None:
            self._restore_roads = make_sampler(self.rain.roads.restore, ctx.streams.get("rain", "roads"))
            self._restore_comms = make_sampler(self.rain.comms.restore, ctx.streams.get("rain", "comms"))

    def start(self) -> None:
        """Start the step loop (when the scenario has rain or rivers)."""
        if self.rain is not None or self.rivers:
            self.ctx.env.process(self._run())

    def quantities(self) -> dict[str, float]:
        """Each river's flow now and its peak so far (m³/s), for inject messages that quote them."""
        out: dict[str, float] = {}
        for key, q in self.flow.items():
            out[f"river.{key}.flow"] = round(q, 1)
            out[f"river.{key}.max_flow"] = round(self._max[key], 1)
        return out

    def intensity(self, region: str, t: float) -> float:
        """Rain intensity (mm/h) over ``region`` at ``t`` (0 for regions without a curve)."""
        spec = self.rain.regions.get(region) if self.rain is not None else None
        return rate_at(spec.curve, t) * spec.scale if spec is not None else 0.0

    def _run(self) -> Gen[simpy.Event, object, None]:
        env = self.ctx.env
        end = self.ctx.scenario.duration
        last_rain = (
            max((p[-1][0] for p in (r.curve for r in self.rain.regions.values())), default=0.0)
            if self.rain is not None
            else 0.0
        )
        while env.now <= end:
            t = env.now
            if self.rain is not None:
                self._rain_step(t)
            for key, river in self.rivers.items():
                self._river_step(key, river, t)
            self._cleared(t)
            if t > last_rain and not self.rivers and len(self._clear) >= len(self._flooded):
                return
            yield env.timeout(self.step)

    # -- rain ---------------------------------------------------------------------------------------

    def _rain_step(self, t: float) -> None:
        ctx = self.ctx
        rain = self.rain
        assert rain is not None
        hours = self.step / 60.0
        for key, spec in rain.regions.items():
            i = rate_at(spec.curve, t) * spec.scale
            total = self.total[key] = self.total.get(key, 0.0) + i * hours
            ff = rain.flash_floods
            if ff is not None and spec.flash_floods > 0 and i > ff.threshold:
                mean = spec.flash_floods * (i - ff.threshold) * hours
                gen = ctx.streams.get("rain", key, "floods")
                n = int(gen.poisson(mean))
                if n:
                    offsets = sorted(gen.uniform(0.0, self.step, n).tolist())
                    ctx.env.process(self._floods_in_step(key, offsets))
            if spec.road_cut_at is not None and total >= spec.road_cut_at and key not in self._cut:
                self._cut.add(key)  # one cut per region from the rain
                restore = self._restore_roads() if rain.roads.restore is not None else None
                ctx.roads.cut_road(key, rain.roads.factor, "rain", restore)
            if spec.comms_lost_at is not None and total >= spec.comms_lost_at and key not in self._lost:
                self._lost.add(key)  # one outage per region from the rain
                restore = self._restore_comms() if rain.comms.restore is not None else None
                ctx.comms.lose(key, "rain", restore)
        for n, w in enumerate(rain.warnings):
            if n in self._warned:
                continue
            under = [k for k in rain.regions if w.region in ctx.model.regions[k].lineage]
            peak = max(
                (peak_within(rain.regions[k].curve, t, t + w.lead) * rain.regions[k].scale for k in under),
                default=0.0,
            )
            if peak >= w.rate_at_least:
                self._warned.add(n)
                ctx.warnings.issue(w.agency, w.region, w.level, "rain", None, "forecast")

    def _cleared(self, t: float) -> None:
        """Log ``flood.cleared`` for regions and rivers whose flood is over.

        A rain region is clear once its rain has ended and none of its flash floods is open; a
        river once it has passed a threshold and fallen back below the first one.
        """
        ctx = self.ctx
        if self.rain is not None:
            for key, spec in self.rain.regions.items():
                if key in self._clear or t <= spec.curve[-1][0] or key not in self._flooded:
                    continue
                open_ = [
                    i
                    for i in ctx.model.incidents.values()
                    if i.source == "rain" and i.region.key == key and i.state != "closed"
                ]
                if not open_:
                    self._clear.add(key)
                    ctx.emit(
                        "flood.cleared", "rain", key, {"cause": "rain", "total_mm": round(self.total[key], 1)}
                    )
        for key, river in self.rivers.items():
            if key in self._clear or not river.thresholds or (key, 0) not in self._crossed:
                continue
            if self._falling[key] and self.flow[key] < river.thresholds[0].flow:
                self._clear.add(key)
                ctx.emit(
                    "flood.cleared", key, river.region, {"cause": "river", "flow": round(self.flow[key], 1)}
                )

    def _floods_in_step(self, region: str, offsets: list[float]) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        t0 = env.now
        ff = self.rain.flash_floods if self.rain is not None else None
        assert ff is not None
        for off in offsets:
            if t0 + off > env.now:
                yield env.timeout(t0 + off - env.now)
            self._floods += 1
            self._flooded.add(region)
            key = f"flood-{region}-{self._floods:05d}"
            ctx.incidents.occur(ff.incident, region, source="rain", key=key, gen=ctx.streams.get("rain", key))

    # -- rivers -------------------------------------------------------------------------------------

    def _river_step(self, key: str, river: River, t: float) -> None:
        ctx = self.ctx
        inflow = sum(
            c * max(0.0, self.intensity(r, t - river.lag) - river.loss) for r, c in river.inflow.items()
        )
        target = (river.base_flow + inflow) * river.scale
        q = self.flow[key]
        q += (target - q) * (1.0 - math.exp(-self.step / river.response))
        rising = q >= self.flow[key]
        self.flow[key] = q
        peak = False
        if q > self._max[key]:
            self._max[key] = q
            self._falling[key] = False
        elif not rising and not self._falling[key] and self._max[key] > river.base_flow * river.scale * 1.05:
            self._falling[key] = True
            peak = True
        ctx.emit(
            "hazard.river",
            river.region,
            key,
            {"flow": round(q, 1), "peak": peak, "max_flow": round(self._max[key], 1)},
        )
        for n, th in enumerate(river.thresholds):
            if q >= th.flow and (key, n) not in self._crossed:
                self._crossed.add((key, n))
                if th.warning is not None and th.agency is not None:
                    ctx.warnings.issue(th.agency, th.region or river.region, th.warning, key, None, "river")
                for sid in th.storage:
                    ctx.storage.order(sid, key)
        if peak:
            centre = ctx.border.centre(ctx.model.regions[river.region].province.key)
            if centre is not None:
                ctx.border.share("river", centre, {"river": key, "max_flow": round(self._max[key], 1)})
