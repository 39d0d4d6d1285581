"""Cross-reference checks for the doctrine-flow sections.

Cross-reference checks for the doctrine-flow sections (hazards, coordination, cross-region,
storage areas, materials, grassroots, triggers and doctrine effects), located at the referring
field like the checks in :mod:`drillsim.scenario.refs`, which calls :func:`check` and :func:`effect`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drillsim.levels import ADMIN_RANK, RESPONSE_LEVELS
from drillsim.scenario.model import FACTS
from drillsim.scenario.model_actions import (
    ActivateDesk,
    Attack,
    CallTeams,
    CommsLost,
    CommsRestored,
    Consult,
    EndSearch,
    IssueWarning,
    OrderStorage,
    Release,
    RequestMaterial,
    RequestSupport,
    RoadCut,
    RoadRestored,
    StandDownDesk,
)
from drillsim.scenario.model_triggers import AllT, AnyT, FactAt, LevelAt, RecordTest

if TYPE_CHECKING:
    from drillsim.scenario.refs import _Checker
    from drillsim.scenario.yamlsafe import PathT

KNOWN_KINDS = frozenset(
    """
exercise.started exercise.ended input.received note.added role.changed message.sent
incident.occurred incident.detected incident.missed incident.closed incident.unresolved
report.sent report.received report.zero response.triggered level.changed level.kept agency.activated
team.activated
rescue.queued team.dispatched team.on_scene rescue.started rescue.completed team.returning team.returned
team.mishap team.progress inject.delivered inject.skipped decision.opened decision.made
whistle.called whistle.answered comms.lost comms.restored road.cut road.restored hazard.warning hazard.river
fire.state fire.crossed fire.crown fire.contained fire.extinguished fire.reached quake.occurred quake.aftershock
coordination.activated coordination.called coordination.rule coordination.stood_down coordination.failure
team.arrived team.registered team.refused team.tasked team.withdrawn
border.shared border.notified border.consulted border.support_requested border.support_approved
border.support_sent border.support_arrived storage.ordered storage.evacuation_reported storage.activated
material.rule fire.attack team.released
material.requested material.dispatched material.delivered material.shortfall
task.queued task.started task.completed task.reinforcement task.held task.unresolved
evacuation.ordered evacuation.trip evacuation.danger evacuation.completed shelter.occupancy shelter.overflow
suppression.state suppression.controlled suppression.extinguished supply.delivered
hazard.threshold hazard.cleared hazard.reading hazard.stopped
""".split()
)
"""Record kinds the engine writes (docs/records.md); a trigger on another kind gets a warning."""


def fact(c: _Checker, path: PathT, name: str) -> None:
    """A fact name must be one the reports carry."""
    if name not in FACTS:
        c.err(path, f"unknown fact {name!r}", "one of " + ", ".join(FACTS))


def trigger(c: _Checker, path: PathT, node: Any) -> None:
    """Check the references inside a trigger."""
    s = c.s
    if isinstance(node, RecordTest):
        if node.record not in KNOWN_KINDS:
            c.warn(
                (*path, "record"),
                f"no flow writes records of kind {node.record!r}; this trigger never fires",
                "a kind from docs/records.md",
            )
    elif isinstance(node, FactAt):
        fact(c, (*path, "fact"), node.fact)
        c.ref((*path, "region"), node.region, s.regions, "region")
    elif isinstance(node, LevelAt):
        c.ref((*path, "agency"), node.agency, s.agencies, "agency")
    elif isinstance(node, AllT | AnyT):
        key = "all" if isinstance(node, AllT) else "any"
        for i, sub in enumerate(node.all if isinstance(node, AllT) else node.any):
            trigger(c, (*path, key, i), sub)


def effect(c: _Checker, p: PathT, eff: Any) -> None:
    """Check the references of a doctrine effect (warnings, outages, storage, support …)."""
    s = c.s
    if isinstance(eff, IssueWarning):
        c.ref((*p, "warning", "agency"), eff.warning.agency, s.agencies, "agency")
        c.ref((*p, "warning", "region"), eff.warning.region, s.regions, "region")
    elif isinstance(eff, CommsLost | RoadCut):
        key = "comms_lost" if isinstance(eff, CommsLost) else "road_cut"
        c.ref((*p, key, "region"), getattr(eff, key).region, s.regions, "region")
    elif isinstance(eff, CommsRestored | RoadRestored):
        key = "comms_restored" if isinstance(eff, CommsRestored) else "road_restored"
        c.ref((*p, key, "region"), getattr(eff, key).region, s.regions, "region")
    elif isinstance(eff, OrderStorage):
        c.ref((*p, "storage"), eff.storage, s.storage_areas, "storage area")
    elif isinstance(eff, Consult):
        c.ref((*p, "consult", "convener"), eff.consult.convener, s.agencies, "agency")
        for i, a in enumerate(eff.consult.participants):
            c.ref((*p, "consult", "participants", i), a, s.agencies, "agency")
    elif isinstance(eff, RequestSupport):
        c.ref((*p, "request_support"), eff.request_support, s.cross_region.support, "support request")
    elif isinstance(eff, ActivateDesk | StandDownDesk):
        key = "desk" if isinstance(eff, ActivateDesk) else "stand_down"
        c.ref((*p, key), getattr(eff, key), s.coordination.desks, "coordination desk")
    elif isinstance(eff, CallTeams):
        c.ref((*p, "call"), eff.call, s.coordination.calls, "call")
    elif isinstance(eff, Attack):
        c.ref((*p, "attack", "fire"), eff.attack.fire, s.hazards.fires, "fire")
    elif isinstance(eff, EndSearch):
        quakes = {k: q for k, q in s.hazards.quakes.items() if q.search is not None}
        c.ref((*p, "end_search"), eff.end_search, quakes, "earthquake with a search")
    elif isinstance(eff, Release):
        for i, team in enumerate(eff.release.teams):
            c.ref((*p, "release", "teams", i), team, s.teams, "team")
    elif isinstance(eff, RequestMaterial):
        m = eff.request_material
        c.ref((*p, "request_material", "item"), m.item, s.materials.items, "material item")
        c.ref((*p, "request_material", "for"), m.for_, s.regions, "region")


def task(c: _Checker, path: PathT, spec: Any, capabilities: set[str]) -> None:
    """An incident's task: its teams' capabilities, its shelters, item, danger and triggers."""
    s = c.s
    c.needs((*path, "needs"), spec.needs, capabilities, "this task")
    if spec.kind == "evacuate":
        for i, sid in enumerate(spec.to):
            c.ref((*path, "to", i), sid, s.shelters, "shelter")
        if spec.danger is not None:
            d = spec.danger
            c.needs((*path, "danger", "needs"), d.needs, capabilities, "rescuing the people left behind")
            c.ref((*path, "danger", "survival"), d.survival, s.rescue.survival, "survival curve")
            if d.when is not None:
                trigger(c, (*path, "danger", "when"), d.when)
    elif spec.kind == "supply":
        c.ref((*path, "item"), spec.item, s.materials.items, "material item")
        if not s.materials.depots:
            c.warn((*path, "item"), "no depot holds materials; the delivery will be short", "materials.depots")
    elif spec.kind == "suppress":
        c.work_lines((*path, "work"), spec.work, spec.needs)
    elif spec.kind in ("cordon", "monitor", "guard") and spec.until is not None:
        trigger(c, (*path, "until"), spec.until)


def _shelters(c: _Checker) -> None:
    s = c.s
    for key, shelter in s.shelters.items():
        base = ("shelters", key)
        c.ref((*base, "region"), shelter.region, s.regions, "region")
        for item in shelter.supplies:
            c.ref((*base, "supplies", item), item, s.materials.items, "material item")


def _series(c: _Checker) -> None:
    s = c.s
    caps = {cap for t in s.teams.values() for cap in t.capabilities}
    for key, series in s.hazards.series.items():
        base = ("hazards", "series", key)
        for sid, st in series.stations.items():
            c.ref((*base, "stations", sid, "region"), st.region, s.regions, "region")
        if series.stop is not None:
            trigger(c, (*base, "stop"), series.stop)
        for tid, th in series.thresholds.items():
            c.ref((*base, "thresholds", tid, "station"), th.station, series.stations, "station")
            c.effects((*base, "thresholds", tid, "effects"), th.effects, caps)
            c.effects((*base, "thresholds", tid, "clear"), th.clear, caps)


def check(c: _Checker) -> None:
    """Run every check of the flow sections."""
    _teams_and_reporting(c)
    _shelters(c)
    _series(c)
    _hazards(c)
    _coordination(c)
    _cross_region(c)
    _storage(c)
    _materials(c)
    _grassroots(c)
    for iid, inj in c.s.injects.items():
        if inj.when is not None:
            trigger(c, ("injects", iid, "when"), inj.when)
        if inj.contingency is not None:
            trigger(c, ("injects", iid, "contingency", "unless"), inj.contingency.unless)


def _teams_and_reporting(c: _Checker) -> None:
    s = c.s
    for tid, t in s.teams.items():
        c.ref(("teams", tid, "province"), t.province, s.regions, "region")
        if t.requires_registration and s.coordination.registration_required and not s.coordination.desks:
            c.err(
                ("teams", tid, "requires_registration"),
                "this team must register, but with no coordination desk it can never be tasked",
                "a desk under coordination.desks, or requires_registration: false",
            )
    rep = s.reporting
    for i, name in enumerate(rep.updates.facts):
        fact(c, ("reporting", "updates", "facts", i), name)
    for i, rule in enumerate(rep.direct):
        fact(c, ("reporting", "direct", i, "fact"), rule.fact)
        for j, lv in enumerate(rule.to):
            if ADMIN_RANK[lv] <= ADMIN_RANK[rule.from_]:
                c.err(
                    ("reporting", "direct", i, "to", j),
                    f"{lv} is not above {rule.from_}",
                    "levels above the reporting office",
                )
    if rep.zero_report is not None and rep.zero_report.start is not None:
        trigger(c, ("reporting", "zero_report", "start"), rep.zero_report.start)
    for cap, m in s.rescue.mishaps.items():
        c.ref(("rescue", "mishaps", cap, "survival"), m.survival, s.rescue.survival, "survival curve")
    for aid, resp in s.response.items():
        if (
            resp.stand_down is not None
            and resp.stand_down.to is not None
            and resp.stand_down.to not in RESPONSE_LEVELS
        ):
            c.err(("response", aid, "stand_down", "to"), "unknown level", "IV, III, II or I")


def _hazards(c: _Checker) -> None:
    s = c.s
    hz = s.hazards
    caps = {cap for t in s.teams.values() for cap in t.capabilities}
    if hz.rain is not None:
        for rid in hz.rain.regions:
            c.ref(("hazards", "rain", "regions", rid), rid, s.regions, "region")
        if hz.rain.flash_floods is not None:
            c.incident(("hazards", "rain", "flash_floods", "incident"), hz.rain.flash_floods.incident, caps)
        for i, w in enumerate(hz.rain.warnings):
            c.ref(("hazards", "rain", "warnings", i, "agency"), w.agency, s.agencies, "agency")
            c.ref(("hazards", "rain", "warnings", i, "region"), w.region, s.regions, "region")
    rain_regions = hz.rain.regions if hz.rain is not None else {}
    for key, river in hz.rivers.items():
        base = ("hazards", "rivers", key)
        c.ref((*base, "region"), river.region, s.regions, "region")
        for rid in river.inflow:
            c.ref((*base, "inflow", rid), rid, rain_regions, "rain region")
        for i, th in enumerate(river.thresholds):
            c.ref((*base, "thresholds", i, "agency"), th.agency, s.agencies, "agency")
            c.ref((*base, "thresholds", i, "region"), th.region, s.regions, "region")
            if th.warning is not None and th.agency is None:
                c.err(
                    (*base, "thresholds", i, "warning"), "a warning needs the issuing `agency`", "agency: ID"
                )
            for j, sid in enumerate(th.storage):
                c.ref((*base, "thresholds", i, "storage", j), sid, s.storage_areas, "storage area")
    for key, fire in hz.fires.items():
        base = ("hazards", "fires", key)
        for rid, anchor in fire.areas.items():
            if (
                c.ref((*base, "areas", rid), rid, s.regions, "region")
                and anchor is None
                and c._location(rid) is None
            ):
                c.err(
                    (*base, "areas", rid),
                    "no anchor point and the region has no location",
                    "[lon, lat], or a location on the region",
                )
        for tid, threat in fire.threats.items():
            c.ref((*base, "threats", tid, "region"), threat.region, s.regions, "region")
            c.incident((*base, "threats", tid, "incident"), threat.incident, caps)
        if fire.suppression is not None:
            for i, need in enumerate(fire.suppression.needs):
                if need not in caps:
                    c.warn(
                        (*base, "suppression", "needs", i),
                        f"no team has capability {need!r}; no crew can fight this fire",
                        "a capability listed by some team",
                    )
    for key, q in hz.quakes.items():
        base = ("hazards", "quakes", key)
        c.ref((*base, "region"), q.region, s.regions, "region")
        for rid, site in q.sites.items():
            if (
                c.ref((*base, "sites", rid), rid, s.regions, "region")
                and site.location is None
                and c._location(rid) is None
            ):
                c.err(
                    (*base, "sites", rid),
                    "no location here and the region has no location",
                    "location: [lon, lat] on the site or the region",
                )
        c.incident((*base, "incident"), q.incident, caps)
        for sid, sec in q.secondary.items():
            if (
                c.ref((*base, "secondary", sid, "region"), sec.region, s.regions, "region")
                and sec.region not in q.sites
                and c._location(sec.region) is None
            ):
                c.err(
                    (*base, "secondary", sid, "region"),
                    "the region has no location to measure shaking at",
                    "a region with a location, or one listed under sites",
                )
            c.incident((*base, "secondary", sid, "incident"), sec.incident, caps)


def _coordination(c: _Checker) -> None:
    s = c.s
    co = s.coordination
    for key, d in co.desks.items():
        base = ("coordination", "desks", key)
        c.ref((*base, "agency"), d.agency, s.agencies, "agency")
        c.ref((*base, "region"), d.region, s.regions, "region")
        for i, z in enumerate(d.zones):
            c.ref((*base, "zones", i), z, s.regions, "region")
        for item in d.logistics:
            c.ref((*base, "logistics", item), item, s.materials.items, "material item")
        if d.activate is not None:
            trigger(c, (*base, "activate"), d.activate)
    for key, call in co.calls.items():
        base = ("coordination", "calls", key)
        c.ref((*base, "desk"), call.desk, co.desks, "coordination desk")
        for i, t in enumerate(call.teams):
            c.ref((*base, "teams", i), t, s.teams, "team")
        if call.when is not None:
            trigger(c, (*base, "when"), call.when)
        if call.when is None and call.at is None and key not in _effect_targets(c, CallTeams, "call"):
            c.warn(
                base,
                "this call has no `at` or `when` and no `call:` effect issues it",
                "at: TIME or when: ...",
            )


def _effect_targets(c: _Checker, model: type, attr: str) -> set[str]:
    """Ids named by effects of one kind in any inject or decision option."""
    out: set[str] = set()
    effects = [e for inj in c.s.injects.values() for e in inj.effects]
    effects += [e for d in c.s.decisions.values() for o in d.options.values() for e in o.effects]
    for eff in effects:
        if isinstance(eff, model):
            out.add(getattr(eff, attr))
    return out


def _cross_region(c: _Checker) -> None:
    s = c.s
    cr = s.cross_region
    for rid, aid in cr.centres.items():
        c.ref(("cross_region", "centres", rid), rid, s.regions, "region")
        c.ref(("cross_region", "centres", rid), aid, s.agencies, "agency")
    for key, sup in cr.support.items():
        base = ("cross_region", "support", key)
        c.ref((*base, "from"), sup.from_, s.agencies, "agency")
        c.ref((*base, "to"), sup.to, s.agencies, "agency")
        c.ref((*base, "for"), sup.for_, s.regions, "region")
        for i, t in enumerate(sup.teams):
            c.ref((*base, "teams", i), t, s.teams, "team")
        for item in sup.materials:
            c.ref((*base, "materials", item), item, s.materials.items, "material item")
        if sup.when is not None:
            trigger(c, (*base, "when"), sup.when)


def _storage(c: _Checker) -> None:
    s = c.s
    for key, area in s.storage_areas.items():
        base = ("storage_areas", key)
        c.ref((*base, "region"), area.region, s.regions, "region")
        c.ref((*base, "agency"), area.agency, s.agencies, "agency")
        c.ref((*base, "evacuating"), area.evacuating, s.agencies, "agency")
        if area.order is not None:
            trigger(c, (*base, "order"), area.order)
        if area.force is not None:
            trigger(c, (*base, "force"), area.force)
        if area.evacuate is not None:
            caps = {cap for t in s.teams.values() for cap in t.capabilities}
            for i, sid in enumerate(area.evacuate.to):
                c.ref((*base, "evacuate", "to", i), sid, s.shelters, "shelter")
            c.needs((*base, "evacuate", "needs"), area.evacuate.needs, caps, "this evacuation")


def _materials(c: _Checker) -> None:
    s = c.s
    m = s.materials
    for key, depot in m.depots.items():
        base = ("materials", "depots", key)
        c.ref((*base, "region"), depot.region, s.regions, "region")
        for item in (*depot.stock, *depot.agreements):
            c.ref(
                (*base, "stock" if item in depot.stock else "agreements", item),
                item,
                m.items,
                "material item",
            )
    for i, need in enumerate(m.needs):
        c.ref(("materials", "needs", i, "item"), need.item, m.items, "material item")


def _grassroots(c: _Checker) -> None:
    s = c.s
    g = s.grassroots
    for key in g.stations:
        c.ref(("grassroots", "stations", key), key, s.teams, "team")
    if g.whistle is not None:
        for aid, dept in g.whistle.departments.items():
            c.ref(("grassroots", "whistle", "departments", aid), aid, s.agencies, "agency")
            for i, t in enumerate(dept.teams):
                c.ref(("grassroots", "whistle", "departments", aid, "teams", i), t, s.teams, "team")
