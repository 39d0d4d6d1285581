"""Road cuts and the travel-time factor they impose.

Road cuts (道路中断): travel to, from or within a cut region takes ``factor`` times longer (detours,
walking in). The dispatcher, arriving teams, support convoys and material deliveries all price
their trips through :meth:`RoadsFlow.factor`.

A region's factor is computed once per state of the roads and kept until a cut, a jam or a
reopening changes it (the dispatcher asks for it for every candidate team of every tasking).
"""

from __future__ import annotations

from collections.abc import Generator as Gen
from typing import TYPE_CHECKING

from drillsim.agents.region import Region
from drillsim.flows.context import Context

if TYPE_CHECKING:
    import simpy


class RoadsFlow:
    """Which regions have cut roads, and how much slower travel there is."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.cut: dict[str, float] = {}
        self.jams: dict[str, float] = {}
        self._factors: dict[str, float] = {}  # region id -> factor, for the current cuts and jams

    @property
    def slowed(self) -> bool:
        """True while any road is cut or jammed (travel then depends on the regions a trip touches)."""
        return bool(self.cut or self.jams)

    def jam(self, zones: frozenset[str], delta: float, cause: str) -> None:
        """Add ``delta`` to the jam of ``zones`` (teams queuing on the roads); logged when it starts and ends."""
        self._factors.clear()
        for zone in sorted(zones):
            before = self.jams.get(zone, 0.0)
            after = max(0.0, before + delta)
            if after <= 1e-9:
                self.jams.pop(zone, None)
                if before > 0:
                    self.ctx.emit("road.restored", zone, zone, {"factor": 1.0, "cause": cause})
            else:
                self.jams[zone] = after
                if before <= 0:
                    self.ctx.emit("road.cut", zone, zone, {"factor": round(1.0 + after, 4), "cause": cause})

    def cut_road(self, region: str, factor: float, cause: str, duration: float | None = None) -> None:
        """Cut roads in ``region`` (a larger factor replaces a smaller one); reopen after ``duration``."""
        if self.cut.get(region, 1.0) >= factor:
            return
        self.cut[region] = factor
        self._factors.clear()
        self.ctx.emit("road.cut", region, region, {"factor": factor, "cause": cause})
        if duration is not None:
            self.ctx.env.process(self._restore_after(region, duration))

    def _restore_after(self, region: str, duration: float) -> Gen[simpy.Event, object, None]:
        yield self.ctx.env.timeout(duration)
        self.restore(region)

    def restore(self, region: str) -> None:
        """Reopen roads in ``region``."""
        if self.cut.pop(region, None) is not None:
            self._factors.clear()
            self.ctx.emit("road.restored", region, region, {"factor": 1.0})

    def factor(self, region: Region) -> float:
        """Travel-time multiplier for a trip touching ``region``: the largest cut above it, times any jam there."""
        f = self._factors.get(region.key)
        if f is None:
            f = self._factors[region.key] = self._factor(region)
        return f

    def _factor(self, region: Region) -> float:
        cut = self.cut
        f = max((f for key, f in cut.items() if key in region.lineage), default=1.0) if cut else 1.0
        if self.jams:
            f *= 1.0 + max((j for key, j in self.jams.items() if key in region.lineage), default=0.0)
        return f
