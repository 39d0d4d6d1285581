"""Information reporting (信息报送): detection by grid workers, then hop by hop up the region tree.

Each incident has one reporting process: detection, the initial report (初报), then update reports
(续报) whenever its facts change (rate-limited), and the final report (核报) once it is closed and
stable. Each hop logs ``report.sent`` by the lower office and ``report.received`` by the upper one,
with the deadline (``due``) at the receiving level, so scoring can rate punctuality from the log
alone. A hop out of a region whose communications are down waits for restoration (or the
scenario's fallback, e.g. a satellite phone). When a report arrives, the receiving office's
knowledge is updated: that is what response rules test and what puts incidents in the dispatch
queue. Skip-level and zero reports live in :mod:`drillsim.flows.duty_reports`.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Generator as Gen
from typing import TYPE_CHECKING, Any

from drillsim.agents.incident import Incident
from drillsim.agents.region import Region
from drillsim.flows.context import Context
from drillsim.levels import ADMIN_RANK
from drillsim.rng import make_sampler

if TYPE_CHECKING:
    import simpy

    from drillsim.levels import AdminLevel


class ReportingFlow:
    """Detection and the reporting chain for every incident."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        rep = ctx.scenario.reporting
        self.top_rank = ADMIN_RANK[rep.top]
        self.deadlines: dict[AdminLevel, float] = dict(rep.deadlines)
        self._hop: dict[str, Callable[[], float]] = {}
        default = rep.hop_delay.get("default", 0.0)
        for rid in ctx.model.regions:
            level = ctx.model.regions[rid].level
            dist = rep.hop_delay.get(level, default)
            self._hop[rid] = make_sampler(dist, ctx.streams.get("report", rid, "hop"))
        self.dispatch_rank = ADMIN_RANK[ctx.scenario.rescue.dispatch_level]
        self.updates = rep.updates if rep.updates.enabled else None
        self.update_facts = tuple(rep.updates.facts)
        self.final = rep.final if rep.final.enabled else None
        self.final_deadlines: dict[AdminLevel, float] = dict(rep.final.deadlines)
        self._fallback = (
            make_sampler(rep.comms_fallback, ctx.streams.get("report", "comms-fallback"))
            if rep.comms_fallback is not None
            else None
        )
        # Each region's way up, worked out once: (sender, receiver, sender id, receiver id, receiving
        # level, hop delay sampler, whether the receiver queues the rescue). The region tree never
        # changes during a run, and the climb is the innermost loop of every run.
        self._chains: dict[str, tuple[tuple[Any, ...], ...]] = {}
        for rid, region in ctx.model.regions.items():
            chain = []
            node = region
            while node.parent is not None and node.rank < self.top_rank:
                upper = node.parent
                chain.append((node, upper, node.key, upper.key, upper.level, self._hop[node.key],
                              self._dispatches(upper)))
                node = upper
            self._chains[rid] = tuple(chain)

    def _dispatches(self, region: Region) -> bool:
        """True when an incident becomes known for dispatch once its report reaches ``region``."""
        return region.rank >= self.dispatch_rank or region.parent is None or region.rank >= self.top_rank

    def on_incident(self, inc: Incident, detect: Callable[[], float | simpy.Event] | None = None,
                    by: str = "reporters") -> None:
        """Start detection and reporting for a new incident.

        Start detection and reporting for a new incident (``detect``: a delay sampler that
        replaces the region's reporters, e.g. the seismic network's automatic report; or an event
        a hazard's own process succeeds when it finds the incident, e.g. an earthquake's search,
        which can end before it finds every site).
        """
        self.ctx.env.process(self._life(inc, detect, by))

    def changed(self, inc: Incident) -> None:
        """An incident's facts changed (rescue, deaths, growth): an update report will follow."""
        inc.dirty = True
        ev = inc.changed
        if ev is not None and not ev.triggered:
            ev.succeed()

    # -- the incident's reporting life ------------------------------------------------------------

    def _life(self, inc: Incident, detect: Callable[[], float | simpy.Event] | None,
              by: str) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        emit = ctx.emit
        region = inc.region
        if detect is not None:
            found = detect()
            if isinstance(found, int | float):
                delay = found
            else:  # found when the hazard's process says so (possibly never)
                yield found
                delay = 0.0
        else:
            pool = region.reporters
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
        if inc.state == "occurred":
            inc.state = "detected"
        facts = inc.facts()
        inc.dirty = False
        emit(
            "incident.detected",
            region.key,
            inc.key,
            {"region": region.key, "by": by, "delay": round(detected - inc.onset, 4)},
        )
        self._receive(region, inc, facts)
        ctx.grassroots.on_detected(inc)
        yield from self._climb(inc, "initial", facts, detected)
        if self.updates is None and self.final is None:
            return
        yield from self._follow_up(inc, facts, detected)

    def _follow_up(self, inc: Incident, last: dict[str, float], last_sent: float) -> Gen[simpy.Event, object, None]:
        """续报 on each change (at most one per ``min_interval``), then 核报 once stable."""
        env = self.ctx.env
        upd = self.updates
        final = self.final
        while True:
            if inc.dirty and upd is not None:
                ready = last_sent + upd.min_interval
                if ready > env.now:
                    yield env.timeout(ready - env.now)
                inc.dirty = False
                facts = inc.facts()
                if _differ(facts, last, self.update_facts):
                    last, last_sent = facts, env.now
                    self.region_learns(inc.region, inc, facts)
                    yield from self._climb(inc, "update", facts, env.now)
                continue
            inc.changed = env.event()
            stable = final is not None and not inc.active and (inc.state == "closed" or not inc.has_work)
            stable_since = env.now
            if stable and final is not None:
                yield inc.changed | env.timeout(final.after)
            else:
                yield inc.changed
            woke = inc.changed.triggered
            inc.changed = None
            if stable and not woke:
                facts = inc.facts()
                self.region_learns(inc.region, inc, facts)
                # the 核报's deadlines run from when the incident became stable, not from the wait's end
                yield from self._climb(inc, "final", facts, env.now, due_from=stable_since)
                return
            if upd is None:
                inc.dirty = False

    def _climb(self, inc: Incident, kind: str, facts: dict[str, float], since: float,
               due_from: float | None = None) -> Gen[simpy.Event, object, None]:
        """Send one report up the chain, hop by hop, from the incident's region.

        The innermost loop of a run (a dozen hops per incident): the way up is precomputed
        (:attr:`_chains`) and everything read more than once is bound to a local first.
        """
        ctx = self.ctx
        env = ctx.env
        timeout = env.timeout
        emit = ctx.emit
        comms = ctx.comms
        receive = self._receive
        subject = inc.key
        deadlines: dict[AdminLevel, float] | None = (
            self.deadlines if kind == "initial" else self.final_deadlines if kind == "final" else None)
        due_base = since if due_from is None else due_from
        fixed_due = self.updates.deadline if kind == "update" and self.updates is not None else None
        for node, upper, node_key, upper_key, level, hop, dispatches in self._chains[inc.region.key]:
            held = 0.0
            if comms.down and comms.blocked(node) is not None:
                t0 = env.now
                yield from comms.wait_clear(node, self._fallback() if self._fallback else None)
                held = env.now - t0
            data: dict[str, Any] = {"to": upper_key, "level": level, "type": kind, "facts": facts}
            if held:
                data["held"] = round(held, 4)
            emit("report.sent", node_key, subject, data)
            yield timeout(hop())
            due = deadlines.get(level) if deadlines is not None else fixed_due
            emit(
                "report.received",
                upper_key,
                subject,
                {
                    "from": node_key,
                    "level": level,
                    "type": kind,
                    "facts": facts,
                    "latency": round(env.now - since, 4),
                    "due": round(due_base + due, 4) if due is not None else None,
                },
            )
            receive(upper, inc, facts, dispatches)

    def region_learns(self, region: Region, inc: Incident, facts: dict[str, float]) -> None:
        """The incident's own office learns new facts first (it writes the update)."""
        region.learn(inc.key, inc.kind, facts)
        if region.agencies:
            self.ctx.activation.on_knowledge(region)
        self.ctx.duty_reports.on_knowledge(region, inc)

    def _receive(self, region: Region, inc: Incident, facts: dict[str, float], dispatches: bool | None = None) -> None:
        """An office learns about an incident: update knowledge, test triggers, queue the work.

        ``dispatches``: :meth:`_dispatches` of ``region``, when the caller already knows it.
        """
        region.learn(inc.key, inc.kind, facts)  # region_learns, inlined: this runs at every hop
        if region.agencies:
            self.ctx.activation.on_knowledge(region)
        duty = self.ctx.duty_reports
        if duty.rules:
            duty.on_knowledge(region, inc)
        if inc.dispatch_known:
            return
        if dispatches if dispatches is not None else self._dispatches(region):
            inc.dispatch_known = True
            ctx = self.ctx
            ctx.materials.on_incident_known(inc)
            if inc.owner is not None:
                inc.owner.on_dispatch_known(inc)
            elif inc.has_work:
                ctx.operations.known(inc)


def _differ(facts: dict[str, float], last: dict[str, float], names: tuple[str, ...]) -> bool:
    """True when any of ``names`` has a different value in ``facts`` than in ``last``."""
    for name in names:
        if facts.get(name, 0.0) != last.get(name, 0.0):
            return True
    return False
