"""Operations: what an incident asks of teams, beyond freeing the people trapped in it.

An incident's own ``needs`` and ``work`` describe its primary operation (freeing the trapped, or plain
work such as clearing a slide). Its ``tasks`` add operations of other kinds, each with its own lines
of work, records and metrics:

* ``evacuate`` — people at the place (not trapped) move to shelters (安置点), carried in trips by
  teams or walking out on their own; they are at risk only if the danger reaches the place first;
* ``suppress`` — a site fire whose growth depends on the suppression applied (cooling beside earth
  covering: each capability its own line of work);
* ``cordon`` / ``monitor`` / ``guard`` — no people: teams hold the place for a time or until a trigger;
* ``supply`` — materials delivered to the place by teams, drawn from depots.

``needs`` is written two ways. A **list** (``[water_rescue]``, the original form) asks for one team
with every capability listed; a **mapping** (``{search_rescue: 2, heavy_machinery: 1}``) asks for
that many teams with each capability, working side by side on one shared amount of work per line.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from drillsim.scenario.model_triggers import Trigger
from drillsim.scenario.types import (
    Amount,
    Area,
    CountDist,
    Duration,
    DurationDist,
    Frozen,
    Id,
    Location,
    Probability,
    Rate,
    Speed,
    Text,
    TimePoint,
    written,
    written_dist,
)

_TEAM_TIME = re.compile(r"(?<=[0-9.\s])\s*team[-\s]?(hours?|hrs?|h|minutes?|mins?|m|days?|d)\b")
_UNIT = {"hour": "h", "hours": "h", "hr": "h", "hrs": "h", "h": "h", "minute": "m", "minutes": "m", "min": "m",
         "mins": "m", "m": "m", "day": "d", "days": "d", "d": "d"}


def team_time(value: Any) -> Any:
    """``"12 team-hours"`` → ``"12h"`` (in every string of a distribution), so work reads as what it is."""
    if isinstance(value, str):
        return _TEAM_TIME.sub(lambda m: _UNIT[m.group(1)], value)
    if isinstance(value, dict):
        return {k: team_time(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(team_time(v) for v in value)
    return value


Work = Annotated[DurationDist, BeforeValidator(team_time)]
"""An amount of work in team-time (``12 team-hours``; a plain duration such as ``45m`` is the same):
one team of work factor 1 does it in that time, two teams in half of it."""


def _needs(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


TeamCount = Annotated[int, Field(ge=1, le=1000)]
Needs = Annotated[
    Union[dict[Id, TeamCount], tuple[Id, ...]],  # noqa: UP007 - pydantic reports each arm by name
    BeforeValidator(_needs),
    Field(description="Capabilities: a list asks for one team with all of them; a mapping asks for that many "
                      "teams with each capability, working side by side ({search_rescue: 2, heavy_machinery: 1})."),
]
WorkSpec = Annotated[
    Union[dict[Id, Work], Work],  # noqa: UP007
    Field(description="Team-time of work on each line (one amount for every line, or per capability)."),
]


class Shelter(Frozen):
    """A shelter (安置点): where evacuees go, with a capacity and supplies drawn from depots."""

    name: Text
    region: Id
    location: Location | None = Field(default=None, description="Default: the region's location.")
    capacity: int = Field(ge=0, le=10_000_000, description="People it can hold.")
    supplies: dict[Id, Amount] = Field(
        default_factory=dict, description="Item → quantity per person arriving, requested from depots.")


class Danger(Frozen):
    """The hazard reaching an evacuation's place: people still there are then at risk."""

    at: TimePoint | None = Field(default=None, description="A fixed time.")
    after: Duration | None = Field(default=None, description="This long after the evacuation is ordered.")
    when: Trigger | None = Field(default=None, description="When a trigger fires.")
    trapped: Probability = Field(default=1.0, description="Share of the people still there who become trapped.")
    needs: Needs = Field(default=("water_rescue",), description="What rescuing them needs.")
    survival: Id | None = Field(default=None, description="Their survival curve (default: the scenario's).")
    kind: Id = Field(default="left_behind", description="Kind of the incident of people trapped.")
    per_team: int = Field(default=20, ge=1, le=100_000,
                          description="Rescuing them is a joint operation: one team per this many people trapped.")
    per_person: Work = Field(default=written_dist("10m"), description="Team-time of rescue work per person trapped.")

    @model_validator(mode="after")
    def _one(self) -> Danger:
        if sum(x is not None for x in (self.at, self.after, self.when)) != 1:
            raise ValueError("give exactly one of `at`, `after` or `when`")
        return self


class EvacuateTask(Frozen):
    """Move people from the incident's place to shelters, in trips or on foot."""

    kind: Literal["evacuate"]
    people: CountDist | None = Field(default=None, description="People to move (not trapped: they count toward "
                                     "evacuation, never toward `trapped`); default: the incident's stranded people.")
    to: tuple[Id, ...] = Field(min_length=1, description="Shelters, in order of preference.")
    needs: Needs = Field(default_factory=dict, description="Teams that carry people (each takes `carries`).")
    load: DurationDist = Field(default=written_dist("10m"), description="Time to load one trip.")
    on_foot: Rate | None = Field(default=None, description="People leaving on their own, e.g. 300/h.")
    walk_speed: Speed = Field(default=written("4km/h"), description="Their speed to the shelter.")
    danger: Danger | None = None
    priority: int = Field(default=2, ge=1, le=5)

    @model_validator(mode="after")
    def _movers(self) -> EvacuateTask:
        if not self.needs and not self.on_foot:
            raise ValueError("an evacuation needs teams (`needs`) or people leaving on foot (`on_foot`)")
        return self


class SuppressTask(Frozen):
    """A site fire: it grows until the suppression applied controls it, then teams put it out."""

    kind: Literal["suppress"]
    area: Area = Field(default=written("0.1ha"), description="Burning at onset.")
    growth: Rate = Field(description="Growth of the burning area without suppression, e.g. 0.5/h (50 % an hour).")
    max_area: Area | None = Field(default=None, description="It cannot grow beyond this (the site's size).")
    needs: Needs = Field(description="Lines of suppression: each capability with the teams it takes to control "
                                     "the fire (e.g. {fire_suppression: 3, earth_cover: 2}).")
    work: WorkSpec = Field(default=written_dist("2h"),
                           description="Team-time per line to put it out once controlled.")
    priority: int = Field(default=1, ge=1, le=5)


class HoldTask(Frozen):
    """Hold a place with teams: a cordon (警戒), a monitoring post (监测), a guard (值守)."""

    kind: Literal["cordon", "monitor", "guard"]
    needs: Needs
    for_: Duration | None = Field(default=None, alias="for", description="Held this long from the first arrival.")
    until: Trigger | None = Field(default=None, description="Held until this fires.")
    priority: int = Field(default=3, ge=1, le=5)

    @model_validator(mode="after")
    def _end(self) -> HoldTask:
        if (self.for_ is None) == (self.until is None):
            raise ValueError("give exactly one of `for` or `until`")
        return self


class SupplyTask(Frozen):
    """Deliver materials to the place, carried by teams from the nearest depots with stock."""

    kind: Literal["supply"]
    item: Id
    quantity: Amount = Field(gt=0)
    needs: Needs
    priority: int = Field(default=3, ge=1, le=5)


def _task_kind(value: Any) -> str | None:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    if kind in ("cordon", "monitor", "guard"):
        return "hold"
    return kind if kind in ("evacuate", "suppress", "supply") else None


TaskSpec = Annotated[
    Union[  # noqa: UP007
        Annotated[EvacuateTask, Tag("evacuate")], Annotated[SuppressTask, Tag("suppress")],
        Annotated[HoldTask, Tag("hold")], Annotated[SupplyTask, Tag("supply")],
    ],
    Discriminator(_task_kind, custom_error_type="task",
                  custom_error_message="unknown task (expected `kind:` evacuate, suppress, cordon, monitor, guard "
                                       "or supply)"),
]
"""One operation of an incident beyond its primary one."""


class Dispatch(Frozen):
    """How the dispatcher chooses among teams: the nearest on duty, then a tie-break."""

    tie_within: Duration = Field(default=written("1m"),
                                 description="Teams this close in travel time are equally near.")
    tie_break: Literal["longest_idle", "random"] = Field(
        default="longest_idle",
        description="Among equally near teams: the one idle longest (then a seeded draw), or a seeded draw.")


class Reinforcement(Frozen):
    """The scene asks for more teams when an operation is too slow (增援请求)."""

    remaining_over: Duration | None = Field(
        default=written("4h"), description="Ask when the work left would take longer than this at the "
                                           "current pace; none: never ask.")
    check_every: Duration = Field(default=written("30m"), gt=0, description="How often the scene checks.")
    up_to: float = Field(default=2.0, ge=1.0, description="At most this many times the teams first asked for.")
