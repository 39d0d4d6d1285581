"""Coordination, cross-region and storage-area sections of the scenario.

Sections for the social forces' on-site coordination mechanism (现场协调机制), cross-region
coordination (京津冀 information sharing, 火情通报, 会商研判, 联动响应) and storage areas (蓄滞洪区).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from drillsim.levels import AdminLevel as Level
from drillsim.scenario.model import IdList, Location
from drillsim.scenario.model_tasks import Needs
from drillsim.scenario.model_triggers import Trigger
from drillsim.scenario.types import (
    Amount,
    Distance,
    Duration,
    DurationDist,
    Frozen,
    Id,
    Probability,
    Rate,
    Speed,
    Text,
    TimePoint,
    written,
    written_dist,
)

# ---- on-site coordination mechanism -----------------------------------------------------------


class Desk(Frozen):
    """A coordination desk: registers arriving social teams, tasks them by zone, supports them."""

    name: Text
    agency: Id = Field(description="The lead agency (usually the emergency bureau).")
    region: Id = Field(description="Where the desk sits.")
    location: Location | None = None
    zones: IdList = Field(default=(), description="Regions its teams work in (default: the desk's region).")
    activate: Trigger | None = Field(
        default=None, description="When the mechanism starts (or a `desk:` effect)."
    )
    capacity: int = Field(default=1, ge=1, le=1000, description="Teams registered at the same time.")
    register_time: DurationDist = Field(
        default=written_dist("15m"), description="Time to register one team (报备登记).")
    pass_codes: bool = Field(default=True, description="Issue pass codes for toll-free motorway passage.")
    logistics: dict[Id, Amount] = Field(
        default_factory=dict, description="Item → quantity per registered team."
    )
    progress_every: Duration | None = Field(
        default=written("2h"), description="Teams report task progress this often."
    )
    stay: DurationDist | None = Field(default=None, description="How long a team stays before withdrawing.")
    withdrawal_filing: Probability = Field(default=1.0, description="Chance a leaving team files 撤离报备.")


class Call(Frozen):
    """A call for social teams (through the coordination system or in public)."""

    desk: Id
    teams: IdList = Field(min_length=1, description="Team ids (groups) that may answer.")
    at: TimePoint | None = None
    when: Trigger | None = None
    answer: Probability = Field(default=1.0, description="Chance that a called team comes.")
    mobilise: DurationDist = Field(default=written_dist("1h"), description="Time to assemble and set out.")


class InvitationRule(Frozen):
    """Out-of-province teams need an invitation letter (邀请函) or must file with the province."""

    required: bool = False
    filing_delay: DurationDist = Field(
        default=written_dist("6h"), description="Time to file with the provincial department."
    )
    give_up: Probability = Field(default=0.0, description="Chance a refused team turns back.")


class Coordination(Frozen):
    """The on-site coordination mechanism: desks, calls for teams, and its rules."""

    desks: dict[Id, Desk] = Field(default_factory=dict)
    calls: dict[Id, Call] = Field(default_factory=dict)
    invitation_letter: InvitationRule = Field(default_factory=InvitationRule)
    registration_required: bool = Field(
        default=True, description="Teams with requires_registration are tasked only after registering."
    )
    congestion: float = Field(
        default=0.0, ge=0, le=1, description="Each team kept waiting outside a desk (refused for want of a letter, "
        "filing) slows travel in the desk's zones by this share: convoys queue on the roads, which the mechanism "
        "exists to prevent.")


# ---- cross-region coordination -------------------------------------------------------------------

Topic = Literal["warning", "river", "level", "fire", "quake"]


class Sharing(Frozen):
    """Command centres pass information to neighbouring centres after a delay."""

    delay: DurationDist = written_dist("30m")
    topics: tuple[Topic, ...] = ("warning", "level")


class BorderReport(Frozen):
    """The immediate report of a border fire (立即报告): straight up the chain, skipping levels.

    Fires on a provincial border are among those reported at once (facts.md §4, W6): the ``from``
    office that learns of a fire within the border-fire distance reports it straight to the listed
    higher levels (越级上报), as a skip-level report (``report.received`` with ``direct: true``).
    """

    from_: Level = Field(default="county", alias="from", description="The office that reports at once.")
    to: tuple[Level, ...] = Field(default=("province", "nation"), min_length=1)
    delay: DurationDist = Field(default=written_dist(0), description="Time to prepare and send the report.")
    due: Duration | None = Field(default=None, description="Deadline from the moment the office knows (none: unrated).")


class BorderFire(Frozen):
    """A fire near a provincial border: notification (火情通报) and joint consultation (会商研判).

    The notice deadline runs from the moment the fire is within ``distance`` of the border, which is
    its ignition when it starts that close. ``report`` is the immediate report up the fire's own
    chain (on by default; ``report: null`` turns it off).
    """

    distance: Distance = Field(default=written("1km"), description="Fire this close to a border must be notified.")
    notify_delay: DurationDist = written_dist("15m")
    due: Duration = Field(default=written("30m"), description="Notice deadline, from the fire reaching the distance.")
    consult_on: Literal["notified", "crossed", "never"] = "crossed"
    consult_delay: DurationDist = written_dist("30m")
    report: BorderReport | None = Field(default_factory=BorderReport,
                                        description="Immediate report up the chain (none: the ordinary chain only).")


class Support(Frozen):
    """A linked-response request (联动响应): teams and materials across a border after approval."""

    from_: Id = Field(alias="from", description="The requesting agency.")
    to: Id = Field(description="The agency asked.")
    teams: IdList = ()
    materials: dict[Id, Amount] = Field(default_factory=dict)
    for_: Id | None = Field(default=None, alias="for", description="Region the materials go to.")
    at: TimePoint | None = None
    when: Trigger | None = None
    approval: DurationDist = written_dist("1h")
    send: Literal["off_duty", "available"] = Field(
        default="off_duty", description="Which listed teams go: only those not on duty (reserves), or also those on "
        "duty and free when the request is approved; the record says which went and which stayed.")


class CrossRegion(Frozen):
    """How provinces (or any neighbouring command areas) work together."""

    centres: dict[Id, Id] = Field(default_factory=dict, description="Region → its command centre agency.")
    sharing: Sharing | None = None
    border_fire: BorderFire | None = None
    support: dict[Id, Support] = Field(default_factory=dict)
    teams_cross: Literal["open", "consultation", "request"] = Field(
        default="open",
        description="Who may work across the border: anyone, after joint consultation, "
        "or only teams sent on an approved request.",
    )


# ---- storage areas ----------------------------------------------------------------------------------


class StorageEvacuation(Frozen):
    """How a storage area's people leave: on their own (organised by their villages) and by transport, to shelters."""

    to: tuple[Id, ...] = Field(min_length=1, description="Shelters, in order of preference.")
    on_foot: Rate | None = Field(default=None, description="People leaving on their own, e.g. 6000/h.")
    needs: Needs = Field(default_factory=dict, description="Teams that carry people (each takes `carries`).")
    load: DurationDist = Field(default=written_dist("10m"), description="Time to load one trip.")
    walk_speed: Speed = Field(default=written("4km/h"), description="Speed of those leaving on their own.")

    @model_validator(mode="after")
    def _movers(self) -> StorageEvacuation:
        if not self.needs and not self.on_foot:
            raise ValueError("people must leave on foot (`on_foot`) or be carried (`needs`)")
        return self


class StorageArea(Frozen):
    """A flood storage area (蓄滞洪区): evacuate, report complete, then open the gates."""

    name: Text
    region: Id
    agency: Id = Field(description="Orders the evacuation and activates the area.")
    evacuating: Id | None = Field(
        default=None, description="Agency that evacuates and reports (default: agency)."
    )
    people: int = Field(ge=0)
    volume: Amount | None = Field(default=None, description="Storage volume in million m³ (for the record).")
    order: Trigger | None = Field(
        default=None, description="When evacuation is ordered (or `storage:` effects)."
    )
    evacuation_time: DurationDist | None = Field(
        default=None, description="Time to move everyone out (应撤尽撤), when `evacuate` does not say how they move.")
    evacuate: StorageEvacuation | None = Field(
        default=None, description="People move to shelters (an evacuation task): the report follows the last one out.")
    force: Trigger | None = Field(
        default=None, description="The water cannot wait: the gates open when this fires, report or not.")
    report_delay: DurationDist = written_dist("30m")
    open_delay: DurationDist = written_dist(0)
    deadline: Duration | None = Field(
        default=None, description="From the order: gates open without the report (people may be left behind)."
    )
    left_behind_trapped: Probability = Field(
        default=0.01, description="Share of people left who get trapped."
    )
    needs: IdList = ("water_rescue",)

    @model_validator(mode="after")
    def _how(self) -> StorageArea:
        if (self.evacuation_time is None) == (self.evacuate is None):
            raise ValueError("give `evacuation_time` (a time to move everyone out) or `evacuate` (how they move), "
                             "one of them")
        return self
