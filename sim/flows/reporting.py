"""Information reporting (信息报送): detection by grid workers, then hop by hop up the region tree.

Each hop logs ``report.sent`` by the lower office and ``report.received`` by the upper one, with
the deadline (``due``) that applies at the receiving level, so scoring can rate punctuality from
the log alone. When a report arrives, the receiving region's knowledge is updated; that is what
response rules test and what puts incidents in the dispatch queue.
"""

from __future__ import annotations

from collections.abc import Generator as Gen
from typing import Any

from agents.incident import Incident
from agents.region import Region
from sim.flows.context import Context
from sim.rng import make_sampler
from sim.scenario.model import ADMIN_LEVELS

RANK = {name: i for i, name in enumerate(ADMIN_LEVELS)}


class ReportingFlow:
    """Detection and the reporting chain for every incident."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        rep = ctx.scenario.reporting
        self.top_rank = RANK[rep.top]
        self.deadlines: dict[str, float] = dict(rep.deadlines)
        self._hop: dict[str, Any] = {}
        default = rep.hop_delay.get("default", 0.0)
        for rid in ctx.model.regions:
            level = ctx.model.regions[rid].level
            dist = rep.hop_delay.get(level, default)
            self._hop[rid] = make_sampler(dist, ctx.streams.get("report", rid, "hop"))
        self.dispatch_rank = RANK[ctx.scenario.rescue.dispatch_level]

    def on_incident(self, inc: Incident) -> None:
        """Start detection and reporting for a new incident."""
        self.ctx.env.process(self._chain(inc))

    def _chain(self, inc: Incident) -> Gen[Any, Any, None]:
        ctx = self.ctx
        env = ctx.env
        emit = ctx.emit
        region = inc.region
        pool = region.reporters
        by = "reporters"
        if pool is None or not pool.notices():
            if pool is None or pool.fallback is None:
                emit("incident.missed", region.key, inc.key, {"region": region.key, "fallback": False})
                return
            emit("incident.missed", region.key, inc.key, {"region": region.key, "fallback": True})
            delay = pool.fallback()
            by = "fallback"
        else:
            delay = pool.delay()
        if delay > 0:
            yield env.timeout(delay)
        inc.detected_at = detected = env.now
        inc.state = "detected"
        facts = inc.facts()
        emit("incident.detected", region.key, inc.key, {"region": region.key, "by": by,
                                                         "delay": round(detected - inc.onset, 4)})
        self._receive(region, inc, facts, detected)
        node: Region = region
        while node.parent is not None and node.rank < self.top_rank:
            upper = node.parent
            emit("report.sent", node.key, inc.key, {"to": upper.key, "level": upper.level, "type": "initial",
                                                    "facts": facts})
            yield env.timeout(self._hop[node.key]())
            due = self.deadlines.get(upper.level)
            emit("report.received", upper.key, inc.key, {
                "from": node.key, "level": upper.level, "type": "initial", "facts": facts,
                "latency": round(env.now - detected, 4),
                "due": round(detected + due, 4) if due is not None else None,
            })
            self._receive(upper, inc, facts, detected)
            node = upper

    def _receive(self, region: Region, inc: Incident, facts: dict[str, float], detected: float) -> None:
        """An office learns about an incident: update knowledge, test triggers, queue rescue."""
        region.learn(inc.key, inc.kind, facts)
        if region.agencies:
            self.ctx.activation.on_knowledge(region)
        if inc.queued_at is None and inc.needs_rescue and (
            region.rank >= self.dispatch_rank or region.parent is None or region.rank >= self.top_rank
        ):
            self.ctx.dispatcher.enqueue(inc)
