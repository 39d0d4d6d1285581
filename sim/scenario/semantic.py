"""Semantic checks: a scenario that loads but cannot do what it says (``drillsim validate``).

Loading proves that every value has the right type and every reference resolves. These checks
look at the scenario as a whole and warn, located at the field to change, when:

- a capability an incident needs is held only by teams that are never put on duty;
- an incident can happen in a region no capable team can *reach*;
- an inject goes to an agency or team that is never activated;
- an objective's metric can never be measured, because nothing in the scenario produces the
  records the metric reads (see :data:`drillsim.catalog.METRICS` and :data:`FEATURES`);
- a task's scope names an incident kind, level or team kind the scenario never has.

**Reach** is deliberately simple: teams work inside their own province subtree (the region's
ancestor at ``province`` level, or the top of its tree when there is none) and in any province
subtree linked to it by a ``neighbours`` entry (the format's only cross-border road); a team based
at ``nation`` level reaches everywhere. Distances are not considered (any team can drive anywhere
inside its reach).

**Activated** agencies: an initial level, a response rule, a place in an activation list, or a
``raise_level``/``set_level``/``activate`` effect. Activated teams: ``on_duty`` (the default) or a
place in an activation list or ``activate`` effect.

Some agencies act without ever holding a response level, because a doctrine flow gives them a
standing duty (值班值守): a province's command centre in ``cross_region.centres`` (it shares
information, sends the border-fire notice, sits in joint consultations), the requesting and the
asked agency of a ``cross_region.support`` request, the lead agency of a coordination desk that can
open, the ordering and the evacuating agency of a storage area that can be ordered, a department of
the township whistle, and an agency that issues hazard warnings. An inject to one of them has
someone to act on it. An inject that expects nothing (no ``expected_action``, no ``expects``) only
informs: it needs no activated recipient, so it is not checked.

All findings are warnings (a scenario may be incomplete on purpose while it is written);
``drillsim validate --lint`` turns warnings into exit status 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from drillsim.catalog import METRICS, MetricInfo
from drillsim.errors import Problem
from drillsim.levels import ADMIN_LEVELS
from drillsim.scenario.load import Loaded
from drillsim.scenario.model import Activate, RaiseLevel, Scenario, SetLevel, SpawnIncident
from drillsim.scenario.model_actions import ActivateDesk, OrderStorage
from drillsim.scenario.types import dist_params
from drillsim.scenario.yamlsafe import Document, PathT


@dataclass
class Facts:
    """What the checks need to know about a scenario, computed once."""

    s: Scenario
    data: dict[str, Any]
    incident_sources: list[tuple[PathT, Any, tuple[tuple[PathT, str], ...]]] = field(default_factory=list)
    active_agencies: set[str] = field(default_factory=set)
    active_teams: set[str] = field(default_factory=set)
    duty_agencies: dict[str, str] = field(default_factory=dict)
    """Agency → the doctrine role that makes it act without a response level (see the module doc)."""
    level_effects: bool = False




def check(loaded: Loaded, doc: Document) -> list[Problem]:
    """Warnings for ``loaded`` (located through ``doc``), in file order."""
    facts = scenario_facts(loaded.scenario, loaded.data)
    out: list[Problem] = []
    out += _capabilities(facts, doc)
    out += _reach(facts, doc)
    out += _inject_recipients(facts, doc)
    out += _metrics(facts, doc)
    out += _scopes(facts, doc)
    return sorted(out, key=lambda p: (p.line, p.column, p.path))


def measurable(loaded: Loaded, metric: str) -> bool | None:
    """True if ``metric`` can be measured in this scenario, False if never, None if the name is unknown."""
    needs = METRICS.get(metric)
    if needs is None:
        return None
    facts = scenario_facts(loaded.scenario, loaded.data)
    return possible(facts, needs)


# ---- facts ---------------------------------------------------------------------------------------


def scenario_facts(s: Scenario, data: dict[str, Any]) -> Facts:
    """Where incidents come from, who is ever activated, whether levels can change (used by the lint too)."""
    f = Facts(s, data)
    for iid, inc in s.incidents.items():
        f.incident_sources.append((("incidents", iid), inc, ((("incidents", iid, "region"), inc.region),)))
    for gid, g in s.generators.items():
        if g.count == 0 or (g.rate is not None and g.rate <= 0):
            continue  # a generator switched off (e.g. by a sweep) makes no incidents
        regions = tuple((("generators", gid, "regions", rid), rid) for rid in g.regions)
        f.incident_sources.append((("generators", gid, "incident"), g.incident, regions))
    f.active_agencies = {aid for aid, a in s.agencies.items() if a.initial_level}
    f.active_agencies |= {aid for aid, r in s.response.items() if r.rules or r.follows is not None}
    f.active_teams = {tid for tid, t in s.teams.items() if t.on_duty}
    for resp in s.response.values():
        for act in resp.activates.values():
            f.active_agencies.update(act.agencies)
            f.active_teams.update(act.teams)
    for path, eff in _all_effects(s):
        if isinstance(eff, RaiseLevel | SetLevel):
            body = eff.raise_level if isinstance(eff, RaiseLevel) else eff.set_level
            f.active_agencies.add(body.agency)
            f.level_effects = True
        elif isinstance(eff, Activate):
            f.active_agencies.update(eff.activate.agencies)
            f.active_teams.update(eff.activate.teams)
        elif isinstance(eff, SpawnIncident) and eff.incident.region is not None:
            f.incident_sources.append(((*path, "incident"), eff.incident,
                                       (((*path, "incident", "region"), eff.incident.region),)))
    f.duty_agencies = _duty_agencies(s)
    return f


def _duty_agencies(s: Scenario) -> dict[str, str]:
    """Agencies a doctrine flow puts on duty without a level, with the role (first one found)."""
    roles: dict[str, str] = {}

    def add(aid: str | None, role: str) -> None:
        if aid is not None and aid in s.agencies:
            roles.setdefault(aid, role)

    effects = [eff for _, eff in _all_effects(s)]
    opened = {eff.desk for eff in effects if isinstance(eff, ActivateDesk)}
    ordered = {eff.storage for eff in effects if isinstance(eff, OrderStorage)}
    for river in s.hazards.rivers.values():
        for th in river.thresholds:
            ordered.update(th.storage)
            add(th.agency, "issues river warnings")
    if s.hazards.rain is not None:
        for w in s.hazards.rain.warnings:
            add(w.agency, "issues rain warnings")
    for rid, aid in s.cross_region.centres.items():
        add(aid, f"command centre of {rid} (cross_region.centres)")
    for sid, sup in s.cross_region.support.items():
        add(sup.from_, f"requests support {sid}")
        add(sup.to, f"is asked for support {sid}")
    for did, desk in s.coordination.desks.items():
        if desk.activate is not None or did in opened:
            add(desk.agency, f"leads coordination desk {did}")
    for aid_, area in s.storage_areas.items():
        if area.order is not None or aid_ in ordered:
            add(area.agency, f"orders storage area {aid_}")
            add(area.evacuating, f"evacuates storage area {aid_}")
    if s.grassroots.whistle is not None:
        for aid in s.grassroots.whistle.departments:
            add(aid, "answers the township whistle")
    return roles


def _all_effects(s: Scenario) -> Iterator[tuple[PathT, Any]]:
    for iid, inj in s.injects.items():
        for i, eff in enumerate(inj.effects):
            yield ("injects", iid, "effects", i), eff
    for did, d in s.decisions.items():
        for oid, opt in d.options.items():
            for i, eff in enumerate(opt.effects):
                yield ("decisions", did, "options", oid, "effects", i), eff
    for sid, series in s.hazards.series.items():
        for tid, th in series.thresholds.items():
            for name in ("effects", "clear"):
                for i, eff in enumerate(getattr(th, name)):
                    yield ("hazards", "series", sid, "thresholds", tid, name, i), eff


def _hazards(f: Facts) -> bool:
    return bool(f.data.get("hazards"))


def _tasks(f: Facts, *kinds: str) -> bool:
    """Some incident source (scripted, generated, an effect, a hazard's threshold) has a task of these kinds."""
    return any(task.kind in kinds for _, spec, _ in f.incident_sources for task in spec.tasks.values())


def _may_be_positive(dist: Any) -> bool:
    """Can a count distribution ever draw more than zero (after rounding)?"""
    if isinstance(dist, int | float):  # an unset field keeps its plain default
        return round(dist) > 0
    kind, p = dist_params(dist)
    if kind == "fixed":
        return round(p["value"]) > 0
    if kind in ("exponential", "poisson", "lognormal"):
        return (p.get("mean") or p.get("median") or 0) > 0
    if kind in ("uniform", "triangular"):
        return p["high"] >= 0.5
    weights = p["weights"] or [1.0] * len(p["values"])
    return any(round(v) > 0 and w > 0 for v, w in zip(p["values"], weights, strict=True))


def possible(f: Facts, needs: MetricInfo) -> bool:
    """True when every feature of at least one alternative in ``needs`` is possible in the scenario."""
    return any(all(FEATURES[name][1](f) for name in alt) for alt in needs.features)


def province_of(s: Scenario, rid: str) -> str:
    """The region's province subtree: its ancestor at ``province`` level, else the top of its tree.

    A region at ``nation`` level is its own subtree (teams based there reach everywhere).
    """
    regions = s.regions
    current = rid
    for _ in range(len(ADMIN_LEVELS) + 1):
        r = regions[current]
        if r.level in ("province", "nation") or r.parent is None or r.parent not in regions:
            return current
        if regions[r.parent].level == "nation":
            return current
        current = r.parent
    return current


def _border_links(s: Scenario) -> set[tuple[str, str]]:
    """Pairs of different province subtrees linked by a ``neighbours`` entry (both directions)."""
    links: set[tuple[str, str]] = set()
    for rid, r in s.regions.items():
        for n in r.neighbours:
            if n in s.regions:
                a, b = province_of(s, rid), province_of(s, n)
                if a != b:
                    links.add((a, b))
                    links.add((b, a))
    return links


FEATURES: dict[str, tuple[str, Callable[[Facts], bool]]] = {
    "reports": ("an incident in a region with a parent to report to",
                lambda f: _hazards(f) or any(f.s.regions[r].parent is not None
                                             for _, _, regions in f.incident_sources for _, r in regions
                                             if r in f.s.regions)),
    "deadlines": ("reporting.deadlines", lambda f: bool(f.s.reporting.deadlines)),
    "follow_up_deadlines": ("reporting.updates.deadline or reporting.final.deadlines",
                            lambda f: (f.s.reporting.updates.enabled and f.s.reporting.updates.deadline is not None)
                            or (f.s.reporting.final.enabled and bool(f.s.reporting.final.deadlines))),
    "levels": ("an initial_level, a response rule or a level effect",
               lambda f: any(a.initial_level for a in f.s.agencies.values())
               or any(r.rules for r in f.s.response.values()) or f.level_effects),
    "rules": ("a response rule", lambda f: any(r.rules for r in f.s.response.values())),
    "registration": ("a team with requires_registration, or a coordination section",
                     lambda f: "coordination" in f.data or any(
                         isinstance(t, dict) and t.get("requires_registration")
                         for t in (f.data.get("teams") or {}).values())),
    "people_at_risk": ("an incident with people at risk (people > 0) or a hazard model",
                       lambda f: _hazards(f) or any(_may_be_positive(spec.people)
                                                    for _, spec, _ in f.incident_sources)),
    "teams": ("a team", lambda f: bool(f.s.teams)),
    "fire_model": ("a fire hazard model (hazards section, hazard: fire)",
                   lambda f: _hazards(f) and f.s.hazard == "fire"),
    "hazard_model": ("a hazards section", _hazards),
    "border": ("regions in different provinces linked by `neighbours`", lambda f: bool(_border_links(f.s))),
    "materials": ("a depots (or materials) section", lambda f: "depots" in f.data or "materials" in f.data),
    "decisions": ("a decision point or a response rule (doctrine decisions of played roles)",
                  lambda f: bool(f.s.decisions) or any(r.rules for r in f.s.response.values())),
    "evacuations": ("an incident with an evacuate task", lambda f: _tasks(f, "evacuate")),
    "shelters": ("a shelters section", lambda f: bool(f.s.shelters)),
    "site_fires": ("an incident with a suppress task", lambda f: _tasks(f, "suppress")),
    "holds": ("an incident with a cordon, monitor or guard task", lambda f: _tasks(f, "cordon", "monitor", "guard")),
    "supplies": ("an incident with a supply task", lambda f: _tasks(f, "supply")),
    "tasks": ("an incident with work (needs as {capability: n}) or tasks",
              lambda f: any(spec.work is not None or spec.tasks for _, spec, _ in f.incident_sources)),
    "series": ("a series hazard with thresholds (hazards.series)",
               lambda f: any(s.thresholds for s in f.s.hazards.series.values())),
    "stations": ("grassroots.stations", lambda f: bool(f.s.grassroots.stations)),
    "injects": ("an inject with an expected_action or expects",
                lambda f: any(i.expected_action is not None or i.expects for i in f.s.injects.values())),
}
"""Feature name → (what produces it, predicate). Features of the doctrine flows that the format
does not have yet are recognised by the section names of DESIGN §4 (``hazards``, ``depots``,
``requires_registration``); when a flow lands under another name, change its line here."""


# ---- checks --------------------------------------------------------------------------------------


def _warn(doc: Document, path: PathT, message: str, expected: str = "") -> Problem:
    return doc.problem(path, message, expected, severity="warning")


def _capabilities(f: Facts, doc: Document) -> list[Problem]:
    """A needed capability that only never-activated teams hold (no team at all: refs warns)."""
    out: list[Problem] = []
    holders: dict[str, list[str]] = {}
    for tid, t in f.s.teams.items():
        for c in t.capabilities:
            holders.setdefault(c, []).append(tid)
    for path, spec, _ in f.incident_sources:
        for i, need in enumerate(spec.needs):
            teams = holders.get(need, [])
            if teams and not any(t in f.active_teams for t in teams):
                out.append(_warn(doc, (*path, "needs", i),
                                 f"only teams that are never put on duty have capability {need!r} "
                                 f"({', '.join(teams[:5])}: on_duty: false and in no activation list)",
                                 "an activation list or activate effect naming one of them, "
                                 "or on_duty: true"))
    return out


def _reach(f: Facts, doc: Document) -> list[Problem]:
    """Incident regions that no team with the needed capabilities can reach (see module docstring)."""
    s = f.s
    links = _border_links(s)
    team_reach: list[tuple[frozenset[str], set[str] | None]] = []
    for t in s.teams.values():
        if t.base not in s.regions:
            continue
        home = province_of(s, t.base)
        reach = None if s.regions[home].level == "nation" else {home} | {b for a, b in links if a == home}
        team_reach.append((frozenset(t.capabilities), reach))
    out: list[Problem] = []
    seen: set[tuple[PathT, str]] = set()
    for _, spec, regions in f.incident_sources:
        needs = frozenset(spec.needs)
        capable = [reach for caps, reach in team_reach if needs <= caps]
        if not capable or not (needs or _may_be_positive(spec.people)):
            continue  # nobody capable at all is reported by the reference checks
        for rpath, rid in regions:
            if rid not in s.regions or (rpath, rid) in seen:
                continue
            seen.add((rpath, rid))
            province = province_of(s, rid)
            if not any(reach is None or province in reach for reach in capable):
                what = f"with {', '.join(sorted(needs))} " if needs else ""
                out.append(_warn(doc, rpath, f"no team {what}can reach region {rid!r} (province subtree "
                                             f"{province!r}: no capable team is based there or in a "
                                             "province linked to it by `neighbours`)",
                                 "a capable team based in the same province, or a `neighbours` link"))
    return out


def _inject_recipients(f: Facts, doc: Document) -> list[Problem]:
    out: list[Problem] = []
    s = f.s
    for iid, inj in s.injects.items():
        if inj.expected_action is None and not inj.expects:
            continue  # it only informs: nobody needs to act on it
        for i, to in enumerate(inj.to):
            if to in s.agencies and to not in f.active_agencies and to not in f.duty_agencies:
                out.append(_warn(doc, ("injects", iid, "to", i),
                                 f"agency {to!r} is never activated (no initial_level, no response rule, "
                                 "in no activation list, raised by no effect and no duty in a doctrine flow): "
                                 "nobody acts on this inject's expected action",
                                 "an activated agency, or an activation for this one"))
            elif to in s.teams and to not in f.active_teams:
                out.append(_warn(doc, ("injects", iid, "to", i),
                                 f"team {to!r} is never put on duty (on_duty: false and in no "
                                 "activation list)",
                                 "a team on duty, or an activation for this one"))
    return out


def _metrics(f: Facts, doc: Document) -> list[Problem]:
    out: list[Problem] = []
    cache: dict[str, bool] = {}
    for oid, obj in f.s.objectives.items():
        for tid, task in obj.tasks.items():
            path = ("objectives", oid, "tasks", tid, "metric")
            needs = METRICS.get(task.metric)
            if needs is None:
                continue  # an unknown name is a loading error (drillsim.catalog.check_task)
            if task.metric not in cache:
                cache[task.metric] = possible(f, needs)
            if not cache[task.metric]:
                wanted = " or ".join(" and ".join(FEATURES[n][0] for n in alt) for alt in needs.features)
                out.append(_warn(doc, path, f"metric {task.metric!r} can never be measured here: it reads "
                                            f"{', '.join(needs.requires)} records, which need {wanted}",
                                 "a metric this scenario produces records for"))
    return out


def _scopes(f: Facts, doc: Document) -> list[Problem]:
    s = f.s
    kinds = {spec.kind for _, spec, _ in f.incident_sources}
    levels = {r.level for r in s.regions.values()}
    team_kinds = {t.kind for t in s.teams.values()}
    out: list[Problem] = []
    for oid, obj in s.objectives.items():
        for tid, task in obj.tasks.items():
            base = ("objectives", oid, "tasks", tid, "scope")
            if not _hazards(f):  # a hazard model may create kinds the file does not list
                for i, k in enumerate(task.scope.incident_kinds):
                    if k not in kinds:
                        out.append(_warn(doc, (*base, "incident_kinds", i),
                                         f"no incident of kind {k!r} can happen in this scenario",
                                         "one of " + (", ".join(sorted(kinds)) or "(no incidents)")))
            for i, lv in enumerate(task.scope.levels):
                if lv not in levels:
                    out.append(_warn(doc, (*base, "levels", i), f"no region is at level {lv!r}",
                                     "one of " + ", ".join(x for x in ADMIN_LEVELS if x in levels)))
            for i, k in enumerate(task.scope.team_kinds):
                if k not in team_kinds:
                    out.append(_warn(doc, (*base, "team_kinds", i), f"no team is of kind {k!r}",
                                     "one of " + (", ".join(sorted(team_kinds)) or "(no teams)")))
    return out
