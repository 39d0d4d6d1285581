"""Road cuts and the travel-time factor they impose.

Road cuts (道路中断): travel to, from or within a cut region takes ``factor`` times longer (detours,
walking in). The dispatcher, arriving teams, support convoys and material deliveries all price
their trips through :meth:`RoadsFlow.factor`.
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

    def cut_road(self, region: str, factor: float, cause: str, duration: float | None = None) -> None:
        """Cut roads in ``region`` (a larger factor replaces a smaller one); reopen after ``duration``."""
        if self.cut.get(region, 1.0) >= factor:
            return
        self.cut[region] = factor
        self.ctx.emit("road.cut", region, region, {"factor": factor, "cause": cause})
        if duration is not None:
            self.ctx.env.process(self._restore_after(region, duration))

    def _restore_after(self, region: str, duration: float) -> Gen[simpy.Event, object, None]:
        yield self.ctx.env.timeout(duration)
        self.restore(region)

    def restore(self, region: str) -> None:
        """Reopen roads in ``region``."""
        if self.cut.pop(region, None) is not None:
            self.ctx.emit("road.restored", region, region, {"factor": 1.0})

    def factor(self, region: Region) -> float:
        """Travel-time multiplier for a trip touching ``region`` (the largest cut above it)."""
        cut = self.cut
        if not cut:
            return 1.0
        return max((f for key, f in cut.items() if key in region.lineage), default=1.0)
