"""Graded response (分级响应): rules on reported facts raise agencies' levels, levels activate forces.

A rule fires once, when the facts known at the agency's region first satisfy it; after the rule's
delay (consultation, signature) the level changes, unless it was already reached. Raising a level
applies the activation list of every level passed on the way up (social teams that must register
go to a coordination desk instead of straight on duty). When the agency's role is played by people,
the doctrine's decision is asked of them instead (see :mod:`drillsim.flows.decisions`). An agency with a
``stand_down`` rule lowers its level step by step once its office has known no trapped people and
no new incident for the quiet period.

Levels cascade down (逐级响应): an agency that ``follows`` a higher command responds, after the
order's delay, at the level its plan maps the higher command's new level to. A scripted raise to a
level the agency already holds (a rule got there first) is logged as ``level.kept``, not dropped, so
the log shows the order arrived and found the response in force.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Generator as Gen
from typing import TYPE_CHECKING

from drillsim import levels, vocab
from drillsim.agents.agency import Agency
from drillsim.agents.region import Region
from drillsim.flows.context import Context
from drillsim.rng import make_sampler
from drillsim.scenario.model import MAX_FACTS, AllOf, AnyOf, FactTest

if TYPE_CHECKING:
    import simpy

    from drillsim.agents.incident import Incident
    from drillsim.scenario.model import Activation, Condition, Follow
    from drillsim.scenario.model_doctrine import StandDown


class ActivationFlow:
    """Evaluates response rules and changes levels."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._fired: set[tuple[str, int]] = set()
        self._delay: dict[tuple[str, int], Callable[[], float]] = {}
        self._why: dict[str, str] = {}  # agency → reason of its last level change (for ``level.kept``)
        for agency in ctx.model.agencies.values():
            for i, (_, rule) in enumerate(agency.rules):
                self._delay[(agency.key, i)] = make_sampler(rule.delay, ctx.streams.get("response", agency.key, i))
        # higher command → the agencies that follow it, with their plan's mapping and order delay
        self._followers: dict[str, list[tuple[Agency, Follow, Callable[[], float]]]] = {}
        for aid, resp in ctx.scenario.response.items():
            if resp.follows is not None:
                self._followers.setdefault(resp.follows.agency, []).append((
                    ctx.model.agencies[aid], resp.follows,
                    make_sampler(resp.follows.delay, ctx.streams.get("response", aid, "follows"))))

    def start(self) -> None:
        """Apply initial levels (logged at t=0, reason ``initial``); start stand-down watches."""
        ctx = self.ctx
        for agency in ctx.model.agencies.values():
            if agency.spec.initial_level:
                self.set_level(agency, levels.rank(agency.spec.initial_level), "initial", None)
        for aid, resp in ctx.scenario.response.items():
            if resp.stand_down is not None:
                ctx.env.process(self._stand_down(ctx.model.agencies[aid], resp.stand_down))

    def _stand_down(self, agency: Agency, rule: StandDown) -> Gen[simpy.Event, object, None]:
        """Lower the level one step at a time while the agency's office has quiet news."""
        env = self.ctx.env
        floor = levels.rank(rule.to)
        check = max(10.0, min(rule.quiet, rule.step or rule.quiet) / 4.0)
        region = agency.region
        while True:
            yield env.timeout(check)
            if agency.level <= floor:
                continue
            if region.totals.get("trapped", 0.0) > 0 or env.now - region.last_news < rule.quiet:
                continue
            if env.now - agency.changed_at < rule.step:
                continue
            self.set_level(agency, agency.level - 1, "stand_down", None)

    def on_knowledge(self, region: Region) -> None:
        """Test the rules of every agency seated in ``region`` against what it now knows."""
        for agency in region.agencies:
            for i, (rank, rule) in enumerate(agency.rules):
                if rank <= agency.level or (agency.key, i) in self._fired:
                    continue
                if holds(rule.when, region, self.ctx.model.incidents):
                    self._fired.add((agency.key, i))
                    facts = _facts(rule.when, region, self.ctx.model.incidents)
                    self.ctx.emit("response.triggered", agency.key, levels.name(rank), {
                        "rule": i, "level": levels.name(rank), "facts": facts})
                    self.ctx.env.process(self._after_delay(agency, rank, i, facts))

    def _after_delay(self, agency: Agency, rank: int, rule: int, facts: dict[str, float]
                     ) -> Gen[simpy.Event, object, None]:
        delay = self._delay[(agency.key, rule)]()
        decisions = self.ctx.decisions
        if decisions.is_played(agency.key):
            choice = yield from decisions.ask_doctrine(
                agency.key, f"raise-{agency.key}-{levels.name(rank)}",
                prompt=_prompt(agency, levels.name(rank) or "", agency.rules[rule][1].when, facts),
                options={"raise": {"en": "Raise the level", "zh": "提升响应级别"},
                         "hold": {"en": "Hold", "zh": "暂不提升"}},
                default="raise", time_limit=max(delay, 30.0))
            if choice != "raise":
                return
        elif delay > 0:
            yield self.ctx.env.timeout(delay)
        if rank > agency.level:
            self.set_level(agency, rank, f"rule {rule}", None)

    def raise_to(self, agency: Agency, rank: int, reason: str, cause: str | None) -> None:
        """Raise ``agency`` to ``rank``; if it already holds that level or higher, log ``level.kept``.

        A scripted order (an inject, a decision) that a rule or a cascade already carried out is
        part of the exercise's record: the trainer sees the order came and the response stood.
        """
        if rank > agency.level:
            self.set_level(agency, rank, reason, cause)
            return
        self.ctx.emit("level.kept", agency.key, agency.key, {
            "level": levels.name(agency.level), "requested": levels.name(rank),
            "reason": self._why.get(agency.key), "since": round(agency.changed_at, 4), "cause": cause})

    def set_level(self, agency: Agency, rank: int, reason: str, cause: str | None) -> None:
        """Change ``agency``'s level; raising applies activation lists of each level passed."""
        old = agency.level
        if rank == old:
            return
        agency.level = rank
        agency.active = True
        agency.changed_at = self.ctx.env.now
        self._why[agency.key] = reason
        self.ctx.emit("level.changed", agency.key, agency.key, {
            "from": levels.name(old), "to": levels.name(rank), "reason": reason, "cause": cause})
        self.ctx.border.share("level", agency.key, {"agency": agency.key, "to": levels.name(rank)})
        for r in range(old + 1, rank + 1):
            act = agency.activates.get(r)
            if act is not None:
                self.activate(act, agency.key)
        if rank > old:
            for follower, follow, delay in self._followers.get(agency.key, ()):
                own = levels.rank(follow.levels.get(levels.NAMES[rank], levels.NAMES[rank]))  # type: ignore[call-overload]
                if own > follower.level:
                    self.ctx.env.process(self._cascade(follower, own, agency.key, delay()))

    def _cascade(self, agency: Agency, rank: int, by: str, delay: float) -> Gen[simpy.Event, object, None]:
        """The higher command's order reaches ``agency`` after ``delay``: it responds at ``rank``."""
        if delay > 0:
            yield self.ctx.env.timeout(delay)
        if rank > agency.level:
            self.set_level(agency, rank, "cascade", by)

    def activate(self, act: Activation, by: str) -> None:
        """Put the listed agencies and teams on duty (logs each one that changes)."""
        ctx = self.ctx
        for aid in act.agencies:
            target = ctx.model.agencies[aid]
            ctx.emit("agency.activated", by, aid, {})
            target.active = True
        for team in ctx.model.teams_in(act.teams):
            if team.state == "off_duty" and not team.called:
                ctx.emit("team.activated", by, team.key, {"kind": team.kind})
                if team.requires_registration and ctx.coordination.desks:
                    ctx.coordination.mobilise(team, by)
                else:
                    ctx.dispatcher.put_on_duty(team)


    def release(self, teams: tuple[str, ...], by: str) -> None:
        """Stand teams down: free ones at once, busy ones when their current task is done."""
        ctx = self.ctx
        for team in ctx.model.teams_in(teams):
            if team.state == "off_duty" or team.standing_down:
                continue
            ctx.emit("team.released", by, team.key, {"kind": team.kind, "busy": team.assigned is not None})
            team.standing_down = True
            if team.key in ctx.dispatcher.available:
                ctx.dispatcher.release(team)


def holds(cond: Condition, region: Region, incidents: Mapping[str, Incident]) -> bool:
    """Evaluate a condition against a region's known facts (``incidents``: the run's, by key)."""
    if isinstance(cond, FactTest):
        return value(cond, region, incidents) >= cond.at_least
    if isinstance(cond, AllOf):
        return all(holds(c, region, incidents) for c in cond.all)
    if isinstance(cond, AnyOf):
        return any(holds(c, region, incidents) for c in cond.any)
    raise TypeError(f"unknown condition {cond!r}")  # pragma: no cover


def value(test: FactTest, region: Region, incidents: Mapping[str, Incident]) -> float:
    """What ``region``'s office knows of ``test``'s fact: over its whole area, or per jurisdiction.

    With ``per`` (按行政区域统计) the known incidents are grouped by the region at that administrative
    level they happened in (an incident above that level is a group of its own; warnings are no
    incidents and do not count) and the largest group counts: a national "≥ 30 dead or missing" is
    met within one province.
    """
    if test.per is None:
        totals = region.totals if test.incident_kind is None else region.totals_by_kind.get(test.incident_kind, {})
        return totals.get(test.fact, 0.0)
    largest = test.fact in MAX_FACTS
    groups: dict[str, float] = {}
    for key, facts in region.known.items():
        inc = incidents.get(key)
        if inc is None or (test.incident_kind is not None and inc.kind != test.incident_kind):
            continue
        node: Region | None = inc.region
        while node is not None and node.level != test.per:
            node = node.parent
        group = node.key if node is not None else key
        v = facts.get(test.fact, 0.0)
        groups[group] = max(groups.get(group, 0.0), v) if largest else groups.get(group, 0.0) + v
    return max(groups.values(), default=0.0)


def _condition(cond: Condition, lang: str) -> str:
    """A response rule's condition in words: ``people trapped ≥ 10 (flash flood)``."""
    if isinstance(cond, FactTest):
        kind = f" ({vocab.incident_kind(cond.incident_kind, lang)})" if cond.incident_kind else ""
        return f"{vocab.fact(cond.fact, lang)} ≥ {cond.at_least:g}{kind}"
    if isinstance(cond, AllOf):
        return (" 且 " if lang == "zh" else " and ").join(_condition(c, lang) for c in cond.all)
    return (" 或 " if lang == "zh" else " or ").join(_condition(c, lang) for c in cond.any)


def _prompt(agency: Agency, level: str, cond: Condition, facts: dict[str, float]) -> dict[str, str]:
    """The question put to the players: who, what they now know, the rule it meets, and the level."""
    name = agency.spec.name.as_dict()
    return {
        "en": f"{name['en']} now knows: {vocab.facts_text(facts, 'en')} — the response rule for Level {level} "
              f"({_condition(cond, 'en')}) is met. Raise to Level {level}?",
        "zh": f"{name['zh']}已掌握:{vocab.facts_text(facts, 'zh')},达到{level}级响应启动条件"
              f"({_condition(cond, 'zh')})。是否启动{level}级响应?",
    }


def _facts(cond: Condition, region: Region, incidents: Mapping[str, Incident]) -> dict[str, float]:
    """The facts a condition looked at, with their values (the evidence for the trigger)."""
    out: dict[str, float] = {}
    stack = [cond]
    while stack:
        c = stack.pop()
        if isinstance(c, FactTest):
            name = c.fact if c.incident_kind is None else f"{c.fact}[{c.incident_kind}]"
            out[name] = value(c, region, incidents)
        elif isinstance(c, AllOf):
            stack.extend(reversed(c.all))
        elif isinstance(c, AnyOf):
            stack.extend(reversed(c.any))
    return out
