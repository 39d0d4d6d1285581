"""Communications outages and how they hold reports back.

Communications outages (通信中断): while a region (or a region above it) is cut off, reports
cannot leave it; they wait for restoration or for the scenario's fallback (a satellite phone, a
runner on foot). Outages come from hazards (rain, quakes) or from injects.
"""

from __future__ import annotations

from collections.abc import Generator as Gen

import simpy

from drillsim.agents.region import Region
from drillsim.flows.context import Context


class CommsFlow:
    """Which regions are cut off, since when, and events that fire when they are restored."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.down: dict[str, tuple[float, str]] = {}
        self._restored: dict[str, simpy.Event] = {}

    def lose(self, region: str, cause: str, duration: float | None = None) -> None:
        """Cut ``region`` off now (no effect if it already is); restore after ``duration`` if given."""
        if region in self.down:
            return
        env = self.ctx.env
        self.down[region] = (env.now, cause)
        self._restored[region] = env.event()
        self.ctx.emit("comms.lost", region, region, {"cause": cause})
        if duration is not None:
            env.process(self._restore_after(region, duration))

    def _restore_after(self, region: str, duration: float) -> Gen[simpy.Event, object, None]:
        yield self.ctx.env.timeout(duration)
        self.restore(region)

    def restore(self, region: str, cause: str | None = None) -> None:
        """Bring ``region`` back (no effect if it is not cut off)."""
        entry = self.down.pop(region, None)
        if entry is None:
            return
        since, lost_cause = entry
        self.ctx.emit(
            "comms.restored",
            region,
            region,
            {"cause": cause or lost_cause, "after": round(self.ctx.env.now - since, 4)},
        )
        self._restored.pop(region).succeed()

    def blocked(self, region: Region) -> str | None:
        """The cut-off region (this one or an ancestor) that stops a report from ``region``."""
        down = self.down
        if not down:
            return None
        for key in down:
            if key in region.lineage:
                return key
        return None

    def wait_clear(self, region: Region, fallback: float | None) -> Gen[simpy.Event, object, None]:
        """Wait until ``region`` can send again, or at most ``fallback`` minutes (none: no limit)."""
        env = self.ctx.env
        deadline = None if fallback is None else env.now + fallback
        while True:
            key = self.blocked(region)
            if key is None:
                return
            if deadline is None:
                yield self._restored[key]
            else:
                left = deadline - env.now
                if left <= 0:
                    return
                yield self._restored[key] | env.timeout(left)
