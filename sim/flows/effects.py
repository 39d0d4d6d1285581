"""Effects of injects and decision options.

Raise or set a level, activate forces, spawn an incident, deliver another inject, and the doctrine
actions (warnings, outages, storage areas, consultation, support requests, coordination desks,
calls for teams, rules, materials). Each effect is handed to the flow that owns its mechanism, so
an inject and a rule do the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillsim import levels
from drillsim.flows.context import Context
from drillsim.scenario.model import Activate, DeliverInject, RaiseLevel, SetLevel, SpawnIncident
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
    SetRule,
    StandDownDesk,
)

if TYPE_CHECKING:
    from drillsim.scenario.model import Effect
    from drillsim.scenario.model_actions import Action


def apply(ctx: Context, effects: tuple[Effect, ...], cause: str) -> None:
    """Apply ``effects`` now; ``cause`` (an inject or decision id) is recorded with each change."""
    for eff in effects:
        if isinstance(eff, RaiseLevel):
            agency = ctx.model.agencies[eff.raise_level.agency]
            ctx.activation.raise_to(agency, levels.rank(eff.raise_level.level), "effect", cause)
        elif isinstance(eff, SetLevel):
            agency = ctx.model.agencies[eff.set_level.agency]
            ctx.activation.set_level(agency, levels.rank(eff.set_level.level), "effect", cause)
        elif isinstance(eff, Activate):
            ctx.activation.activate(eff.activate, cause)
        elif isinstance(eff, SpawnIncident):
            ctx.incidents.spawn(eff.incident, cause, eff.id)
        elif isinstance(eff, DeliverInject):
            ctx.msel.deliver(eff.inject, source="effect", cause=cause)
        else:
            _doctrine(ctx, eff, cause)


def _doctrine(ctx: Context, eff: Action, cause: str) -> None:
    if isinstance(eff, IssueWarning):
        w = eff.warning
        ctx.warnings.issue(w.agency, w.region, w.level, w.hazard, w.text.as_dict() if w.text else None, cause)
    elif isinstance(eff, CommsLost):
        ctx.comms.lose(eff.comms_lost.region, eff.comms_lost.cause or cause, eff.comms_lost.for_)
    elif isinstance(eff, CommsRestored):
        ctx.comms.restore(eff.comms_restored.region, cause)
    elif isinstance(eff, RoadCut):
        o = eff.road_cut
        ctx.roads.cut_road(o.region, o.factor, o.cause or cause, o.for_)
    elif isinstance(eff, RoadRestored):
        ctx.roads.restore(eff.road_restored.region)
    elif isinstance(eff, OrderStorage):
        ctx.storage.order(eff.storage, cause)
    elif isinstance(eff, Consult):
        c = eff.consult
        ctx.border.consult(c.convener, tuple(c.participants), c.topic, c.delay, cause)
    elif isinstance(eff, RequestSupport):
        ctx.border.request(eff.request_support, cause)
    elif isinstance(eff, ActivateDesk):
        ctx.coordination.activate(eff.desk, cause)
    elif isinstance(eff, StandDownDesk):
        ctx.coordination.stand_down(eff.stand_down, cause)
    elif isinstance(eff, CallTeams):
        ctx.coordination.call(eff.call, cause)
    elif isinstance(eff, SetRule):
        if eff.rule.invitation_letter is not None:
            ctx.coordination.set_invitation_rule(eff.rule.invitation_letter, cause)
        if eff.rule.cross_border_materials is not None:
            ctx.materials.set_cross_border(eff.rule.cross_border_materials, cause)
    elif isinstance(eff, Release):
        ctx.activation.release(eff.release.teams, cause)
    elif isinstance(eff, Attack):
        a = eff.attack
        for model in ctx.hazards:
            set_attack = getattr(model, "set_attack", None)  # a forest fire (the flows never import hazards)
            if set_attack is not None and getattr(model, "key", None) == a.fire:
                set_attack(a.sectors, a.crews, cause, a.max_rate)
    elif isinstance(eff, EndSearch):
        for model in ctx.hazards:
            end_search = getattr(model, "end_search", None)  # an earthquake (the flows never import hazards)
            if end_search is not None and getattr(model, "key", None) == eff.end_search:
                end_search(cause)
    elif isinstance(eff, RequestMaterial):
        m = eff.request_material
        ctx.materials.request(m.item, m.quantity, m.for_, m.by or m.for_, cause)
    else:  # pragma: no cover - the schema admits nothing else
        raise TypeError(f"unknown effect {eff!r}")
