"""Skip-level direct reports and the 24-hour zero report.

Reports owed by duty rather than by a single incident: skip-level direct reports (越级上报) and
the 24-hour zero report (24小时零报告). The immediate report of a fire near a provincial border
(``cross_region.border_fire.report``) is one more skip-level rule, on the ``border_fire`` fact.

A direct report fires once per office and rule, when the facts the office knows (summed over its
incidents) reach the rule's threshold: the office tells the listed higher levels at once, and they
learn everything it knows. Zero reports go from every office at the rule's level to its parent
every interval while the rule is in force, saying how many new incidents it learned of.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Generator as Gen
from typing import TYPE_CHECKING

from drillsim.agents.incident import Incident
from drillsim.agents.region import Region
from drillsim.flows.context import Context
from drillsim.rng import make_sampler
from drillsim.scenario.model_doctrine import DirectRule

if TYPE_CHECKING:
    import simpy


class DutyReports:
    """Skip-level and zero reports."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        rep = ctx.scenario.reporting
        self.rules = [
            (i, rule, make_sampler(rule.delay, ctx.streams.get("direct", i)))
            for i, rule in enumerate(rep.direct)
        ]
        bf = ctx.scenario.cross_region.border_fire
        if bf is not None and bf.report is not None:
            # the immediate report of a border fire (立即报告) is a skip-level rule on ``border_fire``
            r = bf.report
            rule = DirectRule.model_construct(
                from_=r.from_, to=r.to, fact="border_fire", at_least=1.0, delay=r.delay, due=r.due)
            i = len(self.rules)
            self.rules.append((i, rule, make_sampler(rule.delay, ctx.streams.get("direct", "border-fire"))))
        self._fired: set[tuple[str, int]] = set()
        self.zero = rep.zero_report

    def start(self) -> None:
        """Start the zero-report rule (now, or when its trigger fires)."""
        z = self.zero
        if z is None:
            return
        if z.start is None:
            self.ctx.env.process(self._zero_reports())
        else:
            self.ctx.triggers.watch(z.start, lambda: self.ctx.env.process(self._zero_reports()))

    # -- skip-level ----------------------------------------------------------------------------

    def on_knowledge(self, region: Region, inc: Incident) -> None:
        """An office learned something: start any skip-level report that now applies."""
        if not self.rules:
            return
        for i, rule, delay in self.rules:
            if region.level != rule.from_ or (region.key, i) in self._fired:
                continue
            if region.totals.get(rule.fact, 0.0) >= rule.at_least:
                self._fired.add((region.key, i))
                self.ctx.env.process(self._direct(region, inc, rule, delay))

    def _direct(
        self, region: Region, inc: Incident, rule: DirectRule, delay: Callable[[], float]
    ) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        t0 = env.now
        wait = delay()
        if wait > 0:
            yield env.timeout(wait)
        if ctx.comms.down and ctx.comms.blocked(region) is not None:
            yield from ctx.comms.wait_clear(region, None)
        targets = [a for a in region.ancestors() if a.level in rule.to]
        facts = {k: v for k, v in region.totals.items() if v}
        for upper in targets:
            ctx.emit(
                "report.sent",
                region.key,
                inc.key,
                {"to": upper.key, "level": upper.level, "type": "update", "facts": facts, "direct": True},
            )
        for upper in targets:
            ctx.emit(
                "report.received",
                upper.key,
                inc.key,
                {
                    "from": region.key,
                    "level": upper.level,
                    "type": "update",
                    "facts": facts,
                    "latency": round(env.now - t0, 4),
                    "due": round(t0 + rule.due, 4) if rule.due is not None else None,
                    "direct": True,
                },
            )
            for key, known in list(region.known.items()):
                kind = ctx.model.incidents[key].kind if key in ctx.model.incidents else "warning"
                upper.learn(key, kind, known)
            if upper.agencies:
                ctx.activation.on_knowledge(upper)

    # -- zero reports -----------------------------------------------------------------------------

    def _zero_reports(self) -> Gen[simpy.Event, object, None]:
        ctx = self.ctx
        env = ctx.env
        z = self.zero
        assert z is not None  # started only with a zero-report rule
        offices = [r for r in ctx.model.regions.values() if r.level == z.level and r.parent is not None]
        seen = {r.key: len(r.known) for r in offices}
        day = 0
        while True:
            yield env.timeout(z.interval)
            if z.until is not None and env.now > z.until:
                return
            day += 1
            for r in offices:
                new = len(r.known) - seen[r.key]
                seen[r.key] = len(r.known)
                if ctx.comms.down and ctx.comms.blocked(r) is not None:
                    env.process(self._zero_held(r, day, new))
                else:
                    assert r.parent is not None  # offices have parents
                    ctx.emit("report.zero", r.key, None, {"to": r.parent.key, "day": day, "incidents": new})

    def _zero_held(self, region: Region, day: int, new: int) -> Gen[simpy.Event, object, None]:
        t0 = self.ctx.env.now
        yield from self.ctx.comms.wait_clear(region, None)
        self.ctx.emit(
            "report.zero",
            region.key,
            None,
            {
                "to": region.parent.key if region.parent else None,
                "day": day,
                "incidents": new,
                "held": round(self.ctx.env.now - t0, 4),
            },
        )
