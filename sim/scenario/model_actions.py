"""Effects that drive the doctrine flows.

Effects that drive the doctrine flows: warnings, outages, storage areas, consultation, support,
the coordination desk, social-force calls, rules, materials.

Each effect is a one-key mapping (``{storage: langouwa}``), like the effects in
:mod:`drillsim.scenario.model`; injects and decision options list them, and
:mod:`drillsim.flows.effects` applies them through the flow that owns the mechanism.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias

from pydantic import BeforeValidator, Field

from drillsim.scenario.types import Amount, Duration, DurationDist, Frozen, Id, Speed, Text, written_dist

WarningLevel = Literal["blue", "yellow", "orange", "red"]
WARNING_RANK = {"blue": 1, "yellow": 2, "orange": 3, "red": 4}
"""Warning colours as a fact value (``warning`` ≥ 4 means a red warning is known)."""


def _as_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


Ids = Annotated[tuple[Id, ...], BeforeValidator(_as_tuple)]


class WarningSpec(Frozen):
    """A warning (预警) issued by ``agency`` for ``region`` (and everything under it)."""

    agency: Id
    region: Id
    level: WarningLevel
    hazard: Id = "rain"
    text: Text | None = None


class IssueWarning(Frozen):
    """Issue a warning now (e.g. the real 17:30 red rainstorm signal)."""

    warning: WarningSpec


class OutageSpec(Frozen):
    """A communications outage or road cut in ``region`` (and the regions under it)."""

    region: Id
    for_: Duration | None = Field(default=None, alias="for", description="Restored after this; none: stays.")
    factor: float = Field(default=3.0, ge=1.0, description="Road cuts: travel-time multiplier.")
    cause: str = "effect"


class RegionRef(Frozen):
    """Names a region."""

    region: Id


class CommsLost(Frozen):
    """Cut communications (reports wait for restoration or a fallback such as a satellite phone)."""

    comms_lost: OutageSpec


class CommsRestored(Frozen):
    """Restore communications."""

    comms_restored: RegionRef


class RoadCut(Frozen):
    """Cut roads: travel to, from and within the region takes ``factor`` times longer."""

    road_cut: OutageSpec


class RoadRestored(Frozen):
    """Reopen roads."""

    road_restored: RegionRef


class OrderStorage(Frozen):
    """Order a storage area's evacuation; it is activated after the evacuation-complete report."""

    storage: Id


class ConsultSpec(Frozen):
    """A joint consultation (会商研判) convened by an agency."""

    convener: Id
    participants: Ids = Field(min_length=1)
    topic: Id = "situation"
    delay: DurationDist = Field(default=written_dist(0), description="Time to convene.")


class Consult(Frozen):
    """Convene a joint consultation now."""

    consult: ConsultSpec


class RequestSupport(Frozen):
    """Start a linked-response request (联动响应) from ``cross_region.support``."""

    request_support: Id


class ActivateDesk(Frozen):
    """Start an on-site coordination desk (现场协调机制)."""

    desk: Id


class StandDownDesk(Frozen):
    """Close a coordination desk: its teams finish their task, file withdrawal and go home."""

    stand_down: Id


class EndSearch(Frozen):
    """Declare an earthquake's search complete (搜救基本结束): sites not yet found are no longer searched for.

    They are found later only if the quake's ``search.after_end`` says so (clearance crews, returning
    residents); their people wait meanwhile.
    """

    end_search: Id


class CallTeams(Frozen):
    """Issue a call for social teams (from ``coordination.calls``)."""

    call: Id


class RuleSpec(Frozen):
    """Switches of the coordination rules."""

    invitation_letter: bool | None = Field(default=None, description="Out-of-province teams need a letter.")
    cross_border_materials: bool | None = Field(
        default=None, description="Depots of other provinces may supply requests (after the cross-border approval).")


class SetRule(Frozen):
    """Change a rule now (e.g. drop the invitation-letter requirement)."""

    rule: RuleSpec


class AttackSpec(Frozen):
    """How hard a forest fire is attacked: line tasks open at once and crews on each."""

    fire: Id
    sectors: int | None = Field(default=None, ge=1, le=50, description="Line tasks open at once.")
    crews: int | None = Field(default=None, ge=1, le=50, description="Crews each line task takes.")
    max_rate: Speed | None = Field(default=None, description="Fastest-spreading edge the attack can hold "
                                   "(helicopters and concentrated forces knock down a faster edge).")


class ReleaseSpec(Frozen):
    """Teams to stand down."""

    teams: tuple[Id, ...] = Field(min_length=1)


class Release(Frozen):
    """Stand teams down: each goes off duty once its current task is done (moved to other work, sent home)."""

    release: ReleaseSpec


class Attack(Frozen):
    """Change the attack on a forest fire now (e.g. the final assault, 总攻)."""

    attack: AttackSpec


class MaterialSpec(Frozen):
    """A request for materials delivered to a region."""

    item: Id
    quantity: Amount
    for_: Id = Field(alias="for", description="The region that needs it.")
    by: Id | None = Field(default=None, description="The requesting agency (default: the region's).")


class RequestMaterial(Frozen):
    """Request materials now."""

    request_material: MaterialSpec


ACTION_TAGS: dict[str, type[Frozen]] = {
    "warning": IssueWarning,
    "comms_lost": CommsLost,
    "comms_restored": CommsRestored,
    "road_cut": RoadCut,
    "road_restored": RoadRestored,
    "storage": OrderStorage,
    "consult": Consult,
    "request_support": RequestSupport,
    "desk": ActivateDesk,
    "stand_down": StandDownDesk,
    "call": CallTeams,
    "rule": SetRule,
    "request_material": RequestMaterial,
    "attack": Attack,
    "release": Release,
    "end_search": EndSearch,
}
"""Effect key → model, for the effect union in :mod:`drillsim.scenario.model`."""

Action: TypeAlias = (
    IssueWarning | CommsLost | CommsRestored | RoadCut | RoadRestored | OrderStorage | Consult | RequestSupport
    | ActivateDesk | StandDownDesk | CallTeams | SetRule | RequestMaterial | Attack | Release | EndSearch
)
"""The models of :data:`ACTION_TAGS` as one type (for code that applies effects)."""
