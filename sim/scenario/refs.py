"""Cross-reference checks between scenario sections, located at the referring field.

Runs after the models validate, so every value has its type; each check returns ``(path, message,
expected)`` and the caller attaches the YAML mark. Errors stop loading; warnings are printed by
``drillsim validate`` and kept on :class:`~drillsim.scenario.load.Loaded`.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Collection
from typing import Any

from drillsim.catalog import check_task
from drillsim.errors import Problem
from drillsim.levels import ADMIN_LEVELS, ADMIN_RANK
from drillsim.scenario import quantities
from drillsim.scenario.model import (
    Activate,
    DeliverInject,
    RaiseLevel,
    Scenario,
    SetLevel,
    SpawnIncident,
)
from drillsim.scenario.types import Text
from drillsim.scenario.yamlsafe import Document, PathT

PSEUDO_ORIGINATORS = ("simcell", "control", "public", "media")
HINT_BUDGET = 200
"""Dangling references that get a "did you mean" hint; the rest get the list of known ids only."""
HINT_POOL = 5000
"""Largest pool searched for a hint (difflib compares against every id in the pool)."""


def check(s: Scenario, doc: Document) -> tuple[list[Problem], list[Problem]]:
    """Return ``(errors, warnings)`` for references that do not resolve or make no sense."""
    c = _Checker(s, doc)
    c.run()
    return c.errors, c.warnings


class _Checker:
    def __init__(self, s: Scenario, doc: Document) -> None:
        self.s, self.doc = s, doc
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.hints = HINT_BUDGET

    def err(self, path: PathT, message: str, expected: str = "") -> None:
        self.errors.append(self.doc.problem(path, message, expected))

    def warn(self, path: PathT, message: str, expected: str = "") -> None:
        self.warnings.append(self.doc.problem(path, message, expected, severity="warning"))

    def ref(self, path: PathT, value: str | None, pool: Collection[str], what: str) -> bool:
        if value is None or value in pool:  # pools are dicts or short tuples: membership is cheap
            return True
        hint = ""
        if self.hints > 0 and len(pool) <= HINT_POOL:
            import difflib

            self.hints -= 1
            near = difflib.get_close_matches(value, list(pool), n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
        shown = ", ".join(itertools.islice(pool, 8)) + (", …" if len(pool) > 8 else "")
        known = f"one of {shown}" if pool else f"no {what}s defined"
        self.err(path, f"unknown {what} {value!r}", hint + known)
        return False

    def run(self) -> None:
        s = self.s
        self.regions()
        for aid, a in s.agencies.items():
            self.ref(("agencies", aid, "region"), a.region, s.regions, "region")
        for tid, t in s.teams.items():
            self.ref(("teams", tid, "base"), t.base, s.regions, "region")
        for aid, resp in s.response.items():
            self.ref(("response", aid), aid, s.agencies, "agency")
            for level, act in resp.activates.items():
                self.activation(("response", aid, "activates", level), act)
            if resp.follows is not None:
                self.follows(aid, resp.follows.agency)
        rescue = s.rescue
        if rescue.default_survival is not None:
            self.ref(("rescue", "default_survival"), rescue.default_survival, rescue.survival,
                     "survival curve")
        capabilities = {c for t in s.teams.values() for c in t.capabilities}
        for iid, inc in s.incidents.items():
            self.incident(("incidents", iid), inc, capabilities)
        for gid, g in s.generators.items():
            for rid in g.regions:
                self.ref(("generators", gid, "regions", rid), rid, s.regions, "region")
            self.incident(("generators", gid, "incident"), g.incident, capabilities)
            if g.until is not None and g.until <= g.start:
                self.err(("generators", gid, "until"), "until is not after start", "a time after `start`")
        recipients = dict.fromkeys([*s.agencies, *s.teams, "all"])
        originators = dict.fromkeys([*s.agencies, *s.teams, *s.regions, *PSEUDO_ORIGINATORS])
        live = quantities.available(s)
        for iid, inj in s.injects.items():
            base = ("injects", iid)
            self.ref((*base, "from"), inj.from_, originators, "originator")
            for i, to in enumerate(inj.to):
                self.ref((*base, "to", i), to, recipients, "recipient")
            for i, objective in enumerate(inj.objectives):
                self.ref((*base, "objectives", i), objective, s.objectives, "objective")
            for i, other in enumerate(inj.contingency_for):
                self.ref((*base, "contingency_for", i), other, s.injects, "inject")
            self.effects((*base, "effects"), inj.effects, capabilities)
            self.placeholders(base, inj.title, inj.message, live)
            if inj.at is not None and inj.at > s.duration:
                self.warn((*base, "at"), "inject is after the end of the exercise",
                          "a time within `duration`")
        for did, d in s.decisions.items():
            base = ("decisions", did)
            self.ref((*base, "role"), d.role, s.agencies, "agency")
            for oid, opt in d.options.items():
                self.effects((*base, "options", oid, "effects"), opt.effects, capabilities)
            for i, objective in enumerate(d.objectives):
                self.ref((*base, "objectives", i), objective, s.objectives, "objective")
        for oid, obj in s.objectives.items():
            self.ref(("objectives", oid, "responsible"), obj.responsible, s.agencies, "agency")
            for tid, task in obj.tasks.items():
                self.scope(("objectives", oid, "tasks", tid, "scope"), task.scope)
                self.metric(("objectives", oid, "tasks", tid), task)
        # every id that acts in records (docs/records.md): coordination desks register and task teams,
        # shelters report occupancy, depots ship materials, hazard models report their state
        hz = s.hazards
        actors = dict.fromkeys([*originators, *s.coordination.desks, *s.shelters, *s.materials.depots,
                                *hz.fires, *hz.quakes, *hz.rivers, *hz.series])
        for iid, inj in s.injects.items():
            for i, exp in enumerate(inj.expects):
                for j, actor in enumerate(exp.by):
                    self.ref(("injects", iid, "expects", i, "by", j), actor, actors, "actor")
        from drillsim.scenario import refs_flows

        refs_flows.check(self)
        for pid, p in s.parameters.items():
            from drillsim.scenario.overrides import explain_path

            for i, path in enumerate(p.path):
                why = explain_path(self.doc.data, path)
                if why is not None:
                    where = ("parameters", pid, "path", i) if len(p.path) > 1 else ("parameters", pid, "path")
                    reason = why.removeprefix("no such path ")
                    self.err(where, f"path {path!r} does not exist in this scenario: {reason}",
                             "a dotted path to an existing value; list items in brackets, e.g. "
                             "response.county-hq.rules[1].level")

    def follows(self, aid: str, upper: str) -> None:
        """A cascade (逐级响应) runs down the tree: the followed command sits in a region above."""
        s = self.s
        raw = self.doc.data.get("response", {}).get(aid, {}) if isinstance(self.doc.data, dict) else {}
        path: PathT = ("response", aid, "follows")
        if isinstance(raw, dict) and isinstance(raw.get("follows"), dict):
            path = (*path, "agency")  # the mapping form: point at its agency
        if not self.ref(path, upper, s.agencies, "agency") or aid not in s.agencies:
            return
        here, there = s.agencies[aid].region, s.agencies[upper].region
        seen: set[str] = set()
        node = s.regions[here].parent if here in s.regions else None
        while node is not None and node not in seen and node != there and node in s.regions:
            seen.add(node)
            node = s.regions[node].parent
        if node != there:
            self.err(path, f"agency {upper!r} (region {there!r}) is not above {aid!r} (region {here!r})",
                     "a command of a region that contains this agency's region")
    def placeholders(self, base: PathT, title: Text, message: Text, live: dict[str, str]) -> None:
        """Every ``{name}`` an inject quotes is a quantity the scenario simulates (located at the name)."""
        for field, text in (("title", title), ("message", message)):
            for lang, value in text.as_dict().items():
                for name in quantities.placeholders(value):
                    if name in live:
                        continue
                    path = (*base, field, lang)
                    before = len(self.errors)
                    self.ref(path, name, live, "quantity")
                    if len(self.errors) > before:
                        p = self.errors[-1]
                        line, col = quantities.locate(self.doc.text, p.line, p.column, "{" + name + "}")
                        self.errors[-1] = dataclasses.replace(p, line=line, column=col)

    def regions(self) -> None:
        regions = self.s.regions
        for rid, r in regions.items():
            if r.parent is not None and self.ref(("regions", rid, "parent"), r.parent, regions, "region"):
                parent = regions[r.parent]
                if ADMIN_RANK[parent.level] <= ADMIN_RANK[r.level]:
                    self.err(("regions", rid, "parent"),
                             f"parent {r.parent!r} is a {parent.level}, not above this {r.level}",
                             "a parent at a higher administrative level")
            for i, n in enumerate(r.neighbours):
                if n == rid:
                    self.err(("regions", rid, "neighbours", i), "a region cannot neighbour itself",
                             "another region")
                else:
                    self.ref(("regions", rid, "neighbours", i), n, regions, "region")
        if any(r.location is not None for r in regions.values()):
            for rid in regions:
                if self._location(rid) is None:
                    self.err(("regions", rid), "no location here or in any parent region",
                             "location: [lon, lat] on this region or an ancestor")

    def _location(self, rid: str) -> Any:
        seen = 0
        regions = self.s.regions
        while rid in regions and seen < len(ADMIN_LEVELS) + 1:
            r = regions[rid]
            if r.location is not None:
                return r.location
            if r.parent is None:
                return None
            rid, seen = r.parent, seen + 1
        return None

    def activation(self, path: PathT, act: Any) -> None:
        for i, tid in enumerate(act.teams):
            self.ref((*path, "teams", i), tid, self.s.teams, "team")
        for i, aid in enumerate(act.agencies):
            self.ref((*path, "agencies", i), aid, self.s.agencies, "agency")

    def incident(self, path: PathT, inc: Any, capabilities: set[str]) -> None:
        self.ref((*path, "region"), inc.region, self.s.regions, "region")
        self.ref((*path, "survival"), inc.survival, self.s.rescue.survival, "survival curve")
        self.needs((*path, "needs"), inc.needs, capabilities, "this incident")
        self.work_lines((*path, "work"), inc.work, inc.needs)
        from drillsim.scenario import refs_flows

        for tid, task in inc.tasks.items():
            refs_flows.task(self, (*path, "tasks", tid), task, capabilities)

    def work_lines(self, path: PathT, work: Any, needs: Any) -> None:
        """Work given per capability must name the capabilities the operation needs (else a line never ends)."""
        if not isinstance(work, dict):
            return
        lines = list(needs) if isinstance(needs, dict | tuple | list) else []
        for line in work:
            if line not in lines:
                self.err((*path, line), f"work for {line!r}, which this operation does not need",
                         "one of its needs: " + (", ".join(lines) or "(none)"))
        for line in lines:
            if line not in work:
                self.err(path, f"no work is given for the line {line!r}",
                         "an amount for every capability in needs, or one amount for all")

    def needs(self, path: PathT, needs: Any, capabilities: set[str], what: str) -> None:
        """Warn about a capability no team has (a list entry, or a key of the mapping form)."""
        keyed = isinstance(needs, dict)
        for i, need in enumerate(needs):
            if need not in capabilities:
                self.warn((*path, need if keyed else i),
                          f"no team has capability {need!r}; {what} will wait forever",
                          "a capability listed by some team")

    def effects(self, path: PathT, effects: Any, capabilities: set[str]) -> None:
        for i, eff in enumerate(effects):
            p = (*path, i)
            if isinstance(eff, RaiseLevel | SetLevel):
                body = eff.raise_level if isinstance(eff, RaiseLevel) else eff.set_level
                key = "raise_level" if isinstance(eff, RaiseLevel) else "set_level"
                self.ref((*p, key, "agency"), body.agency, self.s.agencies, "agency")
            elif isinstance(eff, Activate):
                self.activation((*p, "activate"), eff.activate)
            elif isinstance(eff, SpawnIncident):
                self.incident((*p, "incident"), eff.incident, capabilities)
                if eff.id is not None and eff.id in self.s.incidents:
                    self.err((*p, "id"), f"{eff.id!r} is a scripted incident; a spawned incident needs its own id",
                             "an id no scripted incident uses")
            elif isinstance(eff, DeliverInject):
                self.ref((*p, "inject"), eff.inject, self.s.injects, "inject")
            else:
                from drillsim.scenario import refs_flows

                refs_flows.effect(self, p, eff)

    def metric(self, path: PathT, task: Any) -> None:
        """Metric name, statistic and required fields, checked against the scoring library."""
        for field, severity, message, expected in check_task(task.model_dump(mode="json")):
            (self.err if severity == "error" else self.warn)((*path, *field.split(".")), message, expected)

    def scope(self, path: PathT, scope: Any) -> None:
        pools: dict[str, tuple[Collection[str], str]] = {
            "agencies": (self.s.agencies, "agency"), "regions": (self.s.regions, "region"),
            "teams": (self.s.teams, "team"), "injects": (self.s.injects, "inject"),
            "decisions": (self.s.decisions, "decision")}
        for name, (pool, what) in pools.items():
            for i, value in enumerate(getattr(scope, name)):
                self.ref((*path, name, i), value, pool, what)
