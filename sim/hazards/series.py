"""The generic hazard: a quantity over time at stations, and what crossing a threshold does.

Each station's value is read every ``step`` (a table, linear between its points; or a pulse with
cosine or straight ramps), times its ``scale``. A threshold is crossed when the value reaches it
(``above``) or falls to it (``below``): ``hazard.threshold`` is logged and its effects are applied
(warnings, incidents with their tasks, outages, injects — :mod:`drillsim.flows.effects`); when the
value is back on the safe side, ``hazard.cleared`` and its ``clear`` effects. ``hazard.reading``
records every station's value each ``record_every``, so injects, the console and reports can show it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Generator as Gen
from typing import TYPE_CHECKING

from drillsim.flows import effects
from drillsim.flows.context import Context

if TYPE_CHECKING:
    import simpy

    from drillsim.scenario.model_series import Pulse, Series, SeriesStation


def value_at(station: SeriesStation, t: float) -> float:
    """The station's value at ``t`` minutes (scaled)."""
    if station.table is not None:
        times = [x for x, _ in station.table]
        i = bisect_right(times, t)
        if i == 0:
            v = station.table[0][1]
        elif i == len(times):
            v = station.table[-1][1]
        else:
            (t0, v0), (t1, v1) = station.table[i - 1], station.table[i]
            v = v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    else:
        assert station.pulse is not None  # a station has a table or a pulse (model check)
        v = pulse_at(station.pulse, t)
    return v * station.scale


def pulse_at(p: Pulse, t: float) -> float:
    """A pulse's value at ``t``: base, ramping to the peak over ``rise``, back over ``fall``."""
    if t <= p.at - p.rise or t >= p.at + p.fall:
        return p.base
    x = (t - (p.at - p.rise)) / p.rise if t <= p.at else 1.0 - (t - p.at) / p.fall
    if p.shape == "smooth":
        x = (1.0 - math.cos(math.pi * x)) / 2.0
    return p.base + (p.peak - p.base) * x


class SeriesModel:
    """One generic hazard: readings, threshold crossings and their effects."""

    def __init__(self, ctx: Context, key: str, spec: Series) -> None:
        self.ctx = ctx
        self.key = key
        self.spec = spec
        self.crossed: set[str] = set()
        self.values: dict[str, float] = {}
        self.stopped: tuple[float, dict[str, float]] | None = None

    def start(self) -> None:
        """Start reading at the exercise start (and watch for the source being stopped)."""
        if self.spec.stop is not None:
            self.ctx.triggers.watch(self.spec.stop, self._stop)
        self.ctx.env.process(self._run())

    def _stop(self) -> None:
        """The source is stopped: values fall away from what they are now."""
        now = self.ctx.env.now
        values = {sid: value_at(st, now) for sid, st in self.spec.stations.items()}
        self.stopped = (now, values)
        self.ctx.emit("hazard.stopped", self.key, None, {"values": {k: round(v, 6) for k, v in values.items()}})

    def quantities(self) -> dict[str, float]:
        """Each station's value now (in the series' unit), for inject messages that quote them."""
        now = self.ctx.env.now
        return {f"series.{self.key}.{sid}": round(self.value(sid, now), 6) for sid in self.spec.stations}

    def value(self, sid: str, t: float) -> float:
        """A station's value at ``t``: its series, or less once the source has stopped."""
        v = value_at(self.spec.stations[sid], t)
        if self.stopped is not None:
            t0, start = self.stopped
            v = min(v, start[sid] * math.exp(-(t - t0) / self.spec.decay))
        return v

    def _run(self) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        spec = self.spec
        next_record = 0.0
        while True:
            now = env.now
            self.values = {sid: round(self.value(sid, now), 6) for sid in spec.stations}
            for tid, th in spec.thresholds.items():
                v = self.values[th.station]
                over = v >= th.above if th.above is not None else v <= (th.below if th.below is not None else -math.inf)
                if over and tid not in self.crossed:
                    self.crossed.add(tid)
                    ctx.emit("hazard.threshold", self.key, tid, {
                        "station": th.station, "value": v, "unit": spec.unit,
                        "limit": th.above if th.above is not None else th.below,
                        "direction": "above" if th.above is not None else "below",
                        "region": spec.stations[th.station].region})
                    effects.apply(ctx, th.effects, f"{self.key}.{tid}")
                elif not over and tid in self.crossed:
                    self.crossed.discard(tid)
                    ctx.emit("hazard.cleared", self.key, tid, {"station": th.station, "value": v, "unit": spec.unit})
                    effects.apply(ctx, th.clear, f"{self.key}.{tid}")
            if now >= next_record:
                ctx.emit("hazard.reading", self.key, None, {"unit": spec.unit, "values": dict(self.values)})
                next_record = now + spec.record_every
            if now + spec.step > ctx.scenario.duration:
                return
            yield env.timeout(spec.step)
