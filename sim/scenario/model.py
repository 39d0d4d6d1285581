"""The scenario format as immutable pydantic models (one class per YAML section).

The authoring guide (docs/scenario-format.md) documents every field with an example; `drillsim
schema` exports these models as JSON Schema. Cross-references between sections are checked in
:mod:`drillsim.scenario.refs`, not here, so each error can be located at the referring field.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, Union

from pydantic import BeforeValidator, Discriminator, Field, PlainSerializer, Tag, field_validator, model_validator

from drillsim.catalog import METRICS, Statistic, TaskKind
from drillsim.levels import ADMIN_LEVELS, AdminLevel, ResponseLevel
from drillsim.scenario.model_actions import ACTION_TAGS, Action
from drillsim.scenario.model_doctrine import DirectRule, Final, Mishap, StandDown, Updates, ZeroReport
from drillsim.scenario.model_tasks import Dispatch, Needs, Reinforcement, Shelter, TaskSpec, WorkSpec
from drillsim.scenario.model_triggers import Contingency, Trigger
from drillsim.scenario.types import (
    Amount,
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
    start_time,
    written,
    written_dist,
)

AgencyKind = Literal[
    "command", "emergency", "fire", "water", "meteorology", "hydrology", "transport", "health", "police",
    "telecom", "forestry", "earthquake", "military", "railway", "civil_affairs", "coordination",
    "government", "environment", "other",
]
TeamKind = Literal[
    "fire_rescue", "professional", "militia", "social", "community", "medical", "police", "army",
    "armed_police", "forest_fire", "other",
]


FACTS = ("incidents", "people", "trapped", "dead", "missing", "dead_or_missing", "injured",
         "area_ha", "collapsed", "magnitude", "intensity", "density", "warning", "evacuated", "border_fire")
"""Facts an incident report carries and response rules can test (summed over known incidents, except
MAX_FACTS, which take the largest value: a magnitude or a warning colour does not add up).

``area_ha`` is the burned area of the whole fire an incident belongs to, wherever it burns (森林防火条例
Art. 40 classes a fire by its area, facts.md §4), so it is a largest value: the offices of every region a
fire entered know the same area, and a higher office that hears from several of them does not add
them up. ``evacuated`` counts people moved to safety (紧急转移安置), what relief-response plans count
besides deaths. ``border_fire`` is 1 once a fire is within the border-fire distance of another province
(the immediate-report rule for border fires, facts.md §4).
"""
MAX_FACTS = ("magnitude", "intensity", "density", "warning", "area_ha", "border_fire")


def _as_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


IdList = Annotated[tuple[Id, ...], BeforeValidator(_as_tuple)]


class Source(Frozen):
    """A citation for facts the scenario rests on (see shared/domain/facts.md)."""

    title: str
    url: str | None = None
    confidence: Literal["H", "M", "L", "U"] | None = None


class ReporterPool(Frozen):
    """Grid workers / disaster information officers (网格员 / 灾害信息员) who detect incidents."""

    count: int = Field(default=1, ge=0, description="How many reporters; 0 means nobody watches here.")
    delay: DurationDist = Field(default=written_dist(0.0), description="Time from the incident to its detection.")
    probability: Probability = Field(default=1.0, description="Chance that a reporter notices the incident.")
    fallback: DurationDist | None = Field(
        default=None, description="If missed, detection after this delay (patrol, 12119 call); none = never.")


class Region(Frozen):
    """A node of the administrative tree; reports climb from a region to its parent."""

    name: Text
    level: AdminLevel
    parent: Id | None = None
    location: Location | None = None
    population: int | None = Field(default=None, ge=0)
    neighbours: IdList = ()
    reporters: ReporterPool | None = None



class Agency(Frozen):
    """A command centre, bureau or headquarters that holds a response level."""

    name: Text
    region: Id
    kind: AgencyKind = "command"
    initial_level: ResponseLevel | None = None


class Team(Frozen):
    """A rescue team (or ``count`` identical teams ``<id>-01``, ``<id>-02``, …)."""

    name: Text
    kind: TeamKind
    base: Id
    members: int = Field(default=10, ge=1)
    count: int = Field(default=1, ge=1, le=10_000)
    capabilities: IdList = Field(min_length=1)
    speed: Speed = written("40km/h")
    on_duty: bool = Field(default=True, description="False: the team waits for an activation list.")
    location: Location | None = None
    work_factor: float = Field(default=1.0, gt=0, description="Multiplies work times (experience, kit).")
    requires_registration: bool = Field(default=False, description="Social force: tasked only after 报备登记.")
    province: Id | None = Field(default=None, description="Home province region (default: the base's).")
    carries: int | None = Field(default=None, ge=1, le=100_000,
                                description="People (evacuation) or units (supply) per trip; default: members.")
    invited: bool = Field(default=False, description="Holds an invitation letter (邀请函) from the host.")
    self_deploy: Probability = Field(default=0.0, description="Chance the team goes in without registering.")



class Reporting(Frozen):
    """Information reporting (信息报送): detection, hop delays, deadlines per level."""

    reporters: ReporterPool = Field(default_factory=ReporterPool,
                                    description="Default reporters for regions that name none.")
    hop_delay: dict[str, DurationDist] = Field(
        default_factory=dict,
        description="Processing delay per sending level (village, township, …) or `default`.")
    deadlines: dict[AdminLevel, Duration] = Field(
        default_factory=dict, description="Latest arrival of the first report at each level, from detection.")
    top: AdminLevel = Field(default="nation", description="The highest level reports climb to.")
    updates: Updates = Field(default_factory=Updates, description="Update reports (续报) on fact changes.")
    final: Final = Field(default_factory=Final, description="Final reports (核报) once stable.")
    direct: tuple[DirectRule, ...] = Field(default=(), description="Skip-level reports (越级上报).")
    zero_report: ZeroReport | None = Field(default=None, description="The 24-hour zero-report rule.")
    comms_fallback: DurationDist | None = Field(
        default=None, description="While communications are down, a report still gets out after this "
        "(satellite phone, runner); none: it waits for restoration.")

    @field_validator("hop_delay")
    @classmethod
    def _levels(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if key not in (*ADMIN_LEVELS, "default"):
                raise ValueError(f"unknown level {key!r} (one of {', '.join(ADMIN_LEVELS)} or default)")
        return value


class Survival(Frozen):
    """Chance that a person waiting for rescue is still alive, as a function of waiting time."""

    curve: tuple[tuple[Duration, Probability], ...] | None = Field(
        default=None, description="[[time, survival], ...]; linear between points, flat after the last.")
    half_life: Duration | None = None

    @model_validator(mode="after")
    def _one(self) -> Survival:
        if (self.curve is None) == (self.half_life is None):
            raise ValueError("give exactly one of `curve` or `half_life`")
        if self.curve is not None:
            times = [t for t, _ in self.curve]
            probs = [p for _, p in self.curve]
            if times != sorted(times) or len(set(times)) != len(times):
                raise ValueError("curve times must increase")
            if any(b > a for a, b in itertools.pairwise(probs)):
                raise ValueError("survival must not increase with time")
        if self.half_life is not None and self.half_life <= 0:
            raise ValueError("half_life must be positive")
        return self


class Rescue(Frozen):
    """Rescue flow: who dispatches, how long work takes, how survival falls with waiting."""

    dispatch_level: AdminLevel = Field(
        default="county", description="Incidents are queued for dispatch when a report reaches this level.")
    work_time: DurationDist = Field(
        default=written_dist("1h"), description="Time on scene per incident (teams may scale).")
    road_factor: float = Field(default=1.3, ge=1.0, description="Road distance / straight-line distance.")
    survival: dict[Id, Survival] = Field(default_factory=dict)
    default_survival: Id | None = None
    mishaps: dict[Id, Mishap] = Field(default_factory=dict, description="Capability → rescuer accident risk.")
    dispatch: Dispatch = Field(default_factory=Dispatch, description="Choosing among equally near teams.")
    reinforcement: Reinforcement = Field(default_factory=Reinforcement,
                                         description="When the scene asks for more teams.")


class IncidentSpec(Frozen):
    """What happened: where, to how many people, which capabilities its operations need.

    The primary operation frees the people trapped (``people``) or does plain work (``needs`` as a
    mapping with no one trapped, e.g. clearing a slide); ``tasks`` adds operations of other kinds
    (evacuate, suppress, cordon/monitor/guard, supply). See :mod:`drillsim.scenario.model_tasks`.
    """

    kind: Id
    name: Text | None = None
    region: Id | None = None
    location: Location | None = None
    people: CountDist = Field(default=written_dist(0.0), description="People trapped, at risk until rescued.")
    stranded: int = Field(default=0, ge=0, le=10_000_000,
                          description="People stranded but safe (a stopped train): not at risk, not trapped.")
    dead: int = Field(default=0, ge=0)
    missing: int = Field(default=0, ge=0)
    injured: int = Field(default=0, ge=0)
    needs: Needs = Field(default=(), description="A list: one team with every capability listed (its primary "
                         "operation runs only when people are trapped); a mapping {capability: teams}: a joint "
                         "operation, run whenever there is work.")
    work: WorkSpec | None = Field(default=None, description="Team-time of the primary operation per line "
                                  "(default: rescue.work_time).")
    priority: int = Field(default=3, ge=1, le=5, description="1 is the most urgent.")
    work_time: DurationDist | None = Field(default=None, description="The original name of `work` (one team's time).")
    survival: Id | None = None
    tasks: dict[Id, TaskSpec] = Field(default_factory=dict, description="Operations beyond the primary one.")

    @model_validator(mode="after")
    def _one_work(self) -> IncidentSpec:
        if self.work is not None and self.work_time is not None:
            raise ValueError("give `work` or its original name `work_time`, not both")
        return self



class ScriptedIncident(IncidentSpec):
    """An incident at a fixed time (from the real timeline or the MSEL)."""

    at: TimePoint
    region: Id


class Generator(Frozen):
    """A stream of incidents: Poisson at ``rate`` or with ``interarrival`` times."""

    rate: Rate | None = None
    interarrival: DurationDist | None = None
    start: TimePoint = 0.0
    until: TimePoint | None = None
    count: int | None = Field(default=None, ge=0, description="Stop after this many incidents.")
    regions: dict[Id, Amount] = Field(min_length=1, description="Region → relative weight.")
    incident: IncidentSpec

    @model_validator(mode="after")
    def _one(self) -> Generator:
        if (self.rate is None) == (self.interarrival is None):
            raise ValueError("give exactly one of `rate` or `interarrival`")
        if self.until is None and self.count is None:
            raise ValueError("give `until` or `count` so the generator ends")
        return self


# ---- Conditions (response triggers) -----------------------------------------------------------


class FactTest(Frozen):
    """True when the sum of ``fact`` over incidents known at the agency's region reaches a value.

    ``per`` counts per jurisdiction (按行政区域统计): the incidents the office knows are grouped by
    the region at that administrative level they happened in, and the test holds when one group
    reaches the value. National plans count "≥ 30 dead or missing" within one province, not summed
    over provinces (国家自然灾害救助应急预案: "某一省(区、市)行政区域内…"); without ``per`` the sum over
    the office's whole area counts.
    """

    fact: str
    at_least: Amount
    incident_kind: Id | None = None
    per: AdminLevel | None = Field(
        default=None, description="Count per region of this administrative level (none: the whole area).")

    @field_validator("fact")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in FACTS:
            raise ValueError(f"unknown fact {value!r} (one of {', '.join(FACTS)})")
        return value


class AllOf(Frozen):
    """True when every condition is true."""

    all: tuple[Condition, ...] = Field(min_length=1)


class AnyOf(Frozen):
    """True when at least one condition is true."""

    any: tuple[Condition, ...] = Field(min_length=1)


def _cond_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("all", "any", "fact"):
            if key in value:
                return key
        return None
    kinds: dict[type, str] = {AllOf: "all", AnyOf: "any", FactTest: "fact"}
    return kinds.get(type(value))


Condition = Annotated[
    Union[Annotated[FactTest, Tag("fact")], Annotated[AllOf, Tag("all")], Annotated[AnyOf, Tag("any")]],  # noqa: UP007
    Discriminator(
        _cond_kind, custom_error_type="condition",
        custom_error_message="unknown condition (expected {fact: NAME, at_least: N}, {all: [...]} or {any: [...]})"),
]
AllOf.model_rebuild()
AnyOf.model_rebuild()


class Activation(Frozen):
    """Teams and agencies put on duty when a level is reached."""

    teams: IdList = ()
    agencies: IdList = ()


class LevelRule(Frozen):
    """Raise the agency to ``level`` when ``when`` holds, after ``delay`` (consultation, signature)."""

    level: ResponseLevel
    when: Condition
    delay: DurationDist = written_dist(0.0)


def _follow(value: Any) -> Any:
    return {"agency": value} if isinstance(value, str) else value


class Follow(Frozen):
    """Levels cascade down (逐级响应, 响应联动): the agency responds when a higher command raises its level.

    When ``agency`` (a command of a region above this one) raises its level, this agency responds at
    the level its plan prescribes for it: ``levels`` maps the higher command's level to its own; a
    level not listed maps to the same level (the doctrine default: a citywide Level I puts every
    district's command at Level I, facts.md §1, the Beijing flood HQ's citywide red response). The
    change follows after ``delay`` (the order passing down) and only ever raises the level; a
    higher command's initial level cascades too.
    """

    agency: Id
    levels: dict[ResponseLevel, ResponseLevel] = Field(
        default_factory=dict, description="Higher command's level → this agency's level (unlisted: the same).")
    delay: DurationDist = Field(default=written_dist(0.0), description="Time for the order to pass down.")


class AgencyResponse(Frozen):
    """One agency's graded response: its triggers and what each level activates."""

    rules: tuple[LevelRule, ...] = ()
    activates: dict[ResponseLevel, Activation] = Field(default_factory=dict)
    stand_down: StandDown | None = None
    follows: Annotated[Follow | None, BeforeValidator(_follow)] = Field(
        default=None, description="A higher command whose level changes this agency's level (cascade).")


# ---- Effects (what injects and decision options do) --------------------------------------------


class LevelChange(Frozen):
    """Target of a level effect."""

    agency: Id
    level: ResponseLevel


class RaiseLevel(Frozen):
    """Raise an agency's response level (never lowers)."""

    raise_level: LevelChange


class SetLevel(Frozen):
    """Set an agency's response level, up or down (lowering at the end of an emergency)."""

    set_level: LevelChange


class Activate(Frozen):
    """Put teams and agencies on duty now."""

    activate: Activation


class SpawnIncident(Frozen):
    """Create an incident now (a region is required).

    Without ``id`` the incident is named ``<cause>-<n>`` (the decision or inject that spawned it
    and a running count). With ``id`` it is created once: a second effect naming the same id (a
    decision taken early and the threshold that would have forced it) does nothing, so two ways of
    starting one operation cannot double it.
    """

    incident: IncidentSpec
    id: Id | None = Field(default=None, description="Name of the incident; created once (default <cause>-<n>).")

    @model_validator(mode="after")
    def _region(self) -> SpawnIncident:
        if self.incident.region is None:
            raise ValueError("an incident effect needs `region`")
        return self


class DeliverInject(Frozen):
    """Deliver another inject from the MSEL now (chained injects)."""

    inject: Id


def _effect_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = [k for k in value if k != "id"]  # `id` names a spawned incident; not a kind
        return keys[0] if len(keys) == 1 else None
    fields = type(value).model_fields if hasattr(type(value), "model_fields") else {}
    return next(iter(fields), None)


if TYPE_CHECKING:
    # Statically the union of the effect models (the runtime union below is built from ACTION_TAGS).
    Effect: TypeAlias = RaiseLevel | SetLevel | Activate | SpawnIncident | DeliverInject | Action
else:
    Effect = Annotated[
        Union[
            Annotated[RaiseLevel, Tag("raise_level")], Annotated[SetLevel, Tag("set_level")],
            Annotated[Activate, Tag("activate")], Annotated[SpawnIncident, Tag("incident")],
            Annotated[DeliverInject, Tag("inject")],
            *(Annotated[model, Tag(tag)] for tag, model in ACTION_TAGS.items()),
        ],
        Discriminator(
            _effect_kind, custom_error_type="effect",
            custom_error_message="unknown effect (expected one of raise_level, set_level, activate, incident, inject, "
            + ", ".join(ACTION_TAGS) + ")"),
    ]

# ---- MSEL and decisions --------------------------------------------------------------------------

InjectType = Literal["informational", "event", "media", "contingency"]
DeliveryMethod = Literal["phone", "email", "fax", "radio", "message", "handout", "verbal", "simcell", "system"]


class Expectation(Frozen):
    """Evidence in the log that an inject's expected action was taken (scored by injects_answered_ratio).

    The inject is *answered* when, for every expectation, a record of ``kind`` by one of ``by``
    (any actor when empty; a team id also matches its numbered copies) about one of ``subject``
    appears after delivery and within ``within``, with every ``data`` field equal to the given value
    (or one of the given values when a list is written).
    """

    kind: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$", description="A record kind, e.g. level.changed.")
    by: IdList = Field(default=(), description="Actors that count (agency, team, region); empty: anyone.")
    subject: IdList = Field(default=(), description="Subjects that count (incident, team, level, …); empty: any.")
    within: Duration | None = Field(default=None, description="Deadline after delivery; none: by the end.")
    data: dict[str, Any] = Field(default_factory=dict, description="Fields the record's data must have.")


class Inject(Frozen):
    """One row of the Master Scenario Events List."""

    at: TimePoint | None = Field(default=None, description="When to deliver; omit for templates.")
    when: Trigger | None = Field(default=None, description="Deliver when this becomes true (state-driven).")
    delay: Duration = Field(default=0.0, description="Deliver this long after `at`/`when`.")
    contingency: Contingency | None = Field(
        default=None, description="Deliver only if an expected action has not happened within a window.")
    from_: Id = Field(default="simcell", alias="from", description="Originator (agency, team, region, simcell).")
    to: IdList = Field(min_length=1, description="Recipient agencies or teams.")
    type: InjectType = "informational"
    method: DeliveryMethod = "verbal"
    title: Text
    message: Text
    expected_action: Text | None = None
    expects: tuple[Expectation, ...] = Field(
        default=(), description="Records that show the expected action was taken (for scoring).")
    objectives: IdList = ()
    capability: str | None = None
    source: str | None = None
    effects: tuple[Effect, ...] = ()
    template: bool = Field(default=False, description="Not scheduled: offered to the facilitator for ad-hoc use.")
    contingency_for: IdList = Field(
        default=(), description="For a contingency inject: the injects whose expected action it stands "
                                "in for (doctrine lint, docs/limits.md).")

    @model_validator(mode="after")
    def _when(self) -> Inject:
        if self.at is None and self.when is None and not self.template:
            raise ValueError("an inject needs `at` or `when` (or `template: true` for ad-hoc use)")
        return self


class Option(Frozen):
    """One choice of a decision point."""

    label: Text
    effects: tuple[Effect, ...] = ()


class Decision(Frozen):
    """A decision point for the players: prompt, options, default on timeout, doctrine choice."""

    at: TimePoint
    role: Id = Field(description="The agency whose players decide.")
    prompt: Text
    options: dict[Id, Option] = Field(min_length=2)
    default: Id = Field(description="The option that applies when the time limit passes.")
    doctrine: Id | None = Field(default=None, description="What the plan says; taken in headless runs.")
    doctrine_delay: DurationDist = Field(default=written_dist(0.0), description="How long doctrine takes to decide.")
    time_limit: Duration = Field(gt=0)
    objectives: IdList = ()
    source: str | None = None

    @model_validator(mode="after")
    def _options(self) -> Decision:
        for name, value in (("default", self.default), ("doctrine", self.doctrine)):
            if value is not None and value not in self.options:
                raise ValueError(f"{name} {value!r} is not one of the options ({', '.join(self.options)})")
        return self


# ---- Objectives and parameters --------------------------------------------------------------------

Rating = Literal["P", "S", "M", "U"]


def _threshold(value: Any) -> Any:
    """Thresholds may be durations (``30m``), percentages (``90%``) or plain numbers."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return float(value.strip()[:-1]) / 100.0
        except ValueError:
            raise ValueError(f"bad percentage {value!r} (e.g. 90%)") from None
    if isinstance(value, str):
        from drillsim import units

        return units.parse_duration(value)
    return value


Threshold = Annotated[float, BeforeValidator(_threshold)]


class Scope(Frozen):
    """Which records a metric looks at; an empty field means all."""

    agencies: IdList = ()
    regions: IdList = ()
    levels: tuple[AdminLevel, ...] = ()
    team_kinds: tuple[TeamKind, ...] = ()
    teams: IdList = ()
    incident_kinds: IdList = ()
    injects: IdList = ()
    decisions: IdList = ()
    hazards: IdList = ()
    task_kinds: tuple[TaskKind, ...] = ()


class CriticalTask(Frozen):
    """A measurable task: metric over a scope, reduced by a statistic, rated by thresholds."""

    text: Text
    metric: Id
    scope: Scope = Field(default_factory=Scope)
    statistic: Statistic = "mean"
    better: Literal["lower", "higher"] = Field(
        default="lower", description="Which way is better; defaults to the metric's direction (docs/metrics.md).")
    thresholds: dict[Literal["P", "S", "M"], Threshold] = Field(
        description="Rating bands: the value meets P, S or M, else U.")
    level: ResponseLevel | None = Field(default=None, description="The response level time_to_level waits for.")
    weight: float = Field(default=1.0, ge=0)
    source: str | None = None
    warm_up: Annotated[Duration, PlainSerializer(lambda v: f"{v:g}m", when_used="json")] = Field(
        default=0.0, description="Observations before this time are left out (the start-up of a long run, before "
        "queues reach their steady state).")

    @model_validator(mode="before")
    @classmethod
    def _metric_direction(cls, data: Any) -> Any:
        """A task that does not say which way is better takes its metric's direction (drillsim.catalog)."""
        if isinstance(data, dict) and "better" not in data and isinstance(data.get("metric"), str):
            info = METRICS.get(data["metric"])
            if info is not None:
                return {**data, "better": info.better}
        return data

    @model_validator(mode="after")
    def _bands(self) -> CriticalTask:
        missing = [b for b in ("P", "S", "M") if b not in self.thresholds]
        if missing:
            raise ValueError(f"thresholds need P, S and M (missing {', '.join(missing)})")
        p, s, m = (self.thresholds[b] for b in ("P", "S", "M"))
        ordered = p <= s <= m if self.better == "lower" else p >= s >= m
        if not ordered:
            raise ValueError(f"thresholds must get worse from P to M for better={self.better}")
        return self


CORE_CAPABILITIES = (
    "operational_coordination", "operational_communications", "situational_assessment",
    "mass_search_and_rescue", "public_information_and_warning", "logistics", "mass_care",
    "planning", "critical_transportation", "fire_management", "environmental_response",
    "public_health_and_medical", "infrastructure_systems", "on_scene_security",
)


class Objective(Frozen):
    """An exercise objective tied to a core capability (HSEEP), rated P/S/M/U from its tasks."""

    # mypy cannot expand a tuple constant into a Literal (pydantic can, at run time)
    capability: Literal[CORE_CAPABILITIES]  # type: ignore[valid-type]
    text: Text
    weight: float = Field(default=1.0, ge=0)
    tasks: dict[Id, CriticalTask] = Field(min_length=1)
    responsible: Id | None = Field(default=None, description="Agency responsible for improvements.")
    source: str | None = None


class Parameter(Frozen):
    """A named, sweepable knob bound to one or more paths in this scenario."""

    path: tuple[str, ...] = Field(min_length=1, description="Dotted path(s) the value is written to.")
    default: Any = None
    range: tuple[Any, Any] | None = None
    values: tuple[Any, ...] | None = None
    kind: Literal["duration", "speed", "distance", "area", "rate", "count", "number", "probability", "bool",
                  "choice"] = "number"
    description: Text | None = None
    source: str | None = None
    affects: Literal["world", "scoring"] = Field(
        default="world", description="`scoring`: the parameter moves only how the exercise is rated (a deadline, "
        "a threshold), never what happens; sweeps and the docs say so.")

    @field_validator("path", mode="before")
    @classmethod
    def _paths(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value


# ---- Sections defined in sibling modules (they build on the models above, so they come last) ----

from drillsim.scenario.model_coordination import Coordination, CrossRegion, StorageArea  # noqa: E402
from drillsim.scenario.model_grassroots import Grassroots  # noqa: E402
from drillsim.scenario.model_hazards import Hazards  # noqa: E402
from drillsim.scenario.model_materials import Materials  # noqa: E402


class Scenario(Frozen):
    """A whole exercise: the world, its hazards, the MSEL, decisions, objectives and knobs."""

    drillsim: Literal[1] = Field(description="Format version; always 1.")
    id: Id
    title: Text
    description: Text | None = None
    hazard: Literal["flood", "fire", "earthquake", "typhoon", "chemical", "other"]
    start: Annotated[datetime, BeforeValidator(start_time), Field(json_schema_extra={"format": "date-time"})]
    duration: Duration = Field(gt=0)
    seed: int = Field(default=0, ge=0)
    sources: dict[Id, Source] = Field(default_factory=dict)
    regions: dict[Id, Region] = Field(min_length=1)
    agencies: dict[Id, Agency] = Field(default_factory=dict)
    teams: dict[Id, Team] = Field(default_factory=dict)
    reporting: Reporting = Field(default_factory=Reporting)
    response: dict[Id, AgencyResponse] = Field(default_factory=dict)
    rescue: Rescue = Field(default_factory=Rescue)
    incidents: dict[Id, ScriptedIncident] = Field(default_factory=dict)
    generators: dict[Id, Generator] = Field(default_factory=dict)
    injects: dict[Id, Inject] = Field(default_factory=dict)
    decisions: dict[Id, Decision] = Field(default_factory=dict)
    objectives: dict[Id, Objective] = Field(default_factory=dict)
    parameters: dict[Id, Parameter] = Field(default_factory=dict)
    hazards: Hazards = Field(default_factory=Hazards)
    coordination: Coordination = Field(default_factory=Coordination)
    cross_region: CrossRegion = Field(default_factory=CrossRegion)
    storage_areas: dict[Id, StorageArea] = Field(default_factory=dict)
    shelters: dict[Id, Shelter] = Field(default_factory=dict, description="Where evacuees go (安置点).")
    materials: Materials = Field(default_factory=Materials)
    grassroots: Grassroots = Field(default_factory=Grassroots)
