"""What an exercise can be measured by, and which way is better: the one definition of each metric's facts.

Two families of measures read the event log:

* **Task metrics** (:data:`METRICS`) are what a scenario's critical tasks name (``metric:
  report_on_time_ratio``). The scenario loader checks a task against its metric here (a statistic
  that fits the metric's kind of value, the task fields it needs, the scope fields it honours), the
  semantic check asks which records and features make it measurable, and the scoring package
  (:mod:`drillsim.scoring.library`) adds the function and the words. The library refuses to import
  if the two lists ever disagree.
* **Run measures** (:data:`MEASURES`) are the numbers every run leaves (people rescued, incidents,
  report latency per level…): the columns of a sweep's results, and the key metrics ``compare`` and
  replay branches put side by side.

Both carry their direction (``higher`` / ``lower`` is better, ``None`` for counts that are not a
performance, such as how many incidents the hazard caused); :func:`better` answers for any column
name, so no report guesses a direction from a name.

This module sits below the scenario format and scoring and imports nothing of drillsim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

Better = Literal["higher", "lower"]
Kind = Literal["duration", "amount", "fraction", "flag"]

Statistic = Literal["count", "sum", "ratio", "mean", "median", "p90", "min", "max", "first", "last"]
STATISTICS: tuple[str, ...] = get_args(Statistic)
"""Every statistic a task can reduce its metric's observations by (see :mod:`drillsim.scoring.statistics`)."""

ALLOWED: dict[str, tuple[str, ...]] = {
    "duration": ("count", "sum", "mean", "median", "p90", "min", "max", "first", "last"),
    "amount": ("count", "sum", "mean", "median", "p90", "min", "max", "first", "last"),
    "fraction": ("count", "ratio", "mean", "median", "p90", "min", "max", "first", "last"),
    "flag": ("count", "sum", "ratio", "mean"),
}
"""Statistics that make sense for each kind of metric value (checked when a scenario loads)."""

TaskKind = Literal["rescue", "work", "evacuate", "suppress", "cordon", "monitor", "guard", "supply"]
TASK_KINDS: tuple[str, ...] = get_args(TaskKind)
"""Every kind of task an incident can hold: ``rescue`` and ``work`` are an incident's own (people trapped,
or work such as clearing a slide or closing a leak); the rest come from its ``tasks:``."""

HOLD_KINDS: tuple[str, ...] = ("cordon", "monitor", "guard")
"""Task kinds that hold a place for a time (a line kept at strength) rather than finish an amount of work."""

_REPORT_SCOPE = ("levels", "regions", "agencies", "incident_kinds", "hazards")
_PEOPLE = ("incident.occurred", "rescue.completed", "incident.closed", "incident.unresolved")
_PEOPLE_SCOPE = ("regions", "incident_kinds", "hazards")
_TASK_SCOPE = ("regions", "incident_kinds", "hazards", "task_kinds")


@dataclass(frozen=True)
class MetricInfo:
    """The facts of one task metric that do not depend on how it is computed.

    Attributes:
        name: The name scenarios use (``report_on_time_ratio``).
        kind: ``duration`` (minutes), ``amount`` (people, quantities), ``fraction`` (0..1 per item,
            weighted) or ``flag`` (1/0 per item).
        better: The direction that is better; a task's ``better`` defaults to it.
        scope: Scope fields the metric honours (others are ignored, with a warning).
        reads: Record kinds the metric reads.
        requires: Record kinds without which it has nothing to observe.
        features: Alternative sets of scenario features that produce those records (any one set suffices).
        needs: Task fields that must be set (``level`` for time_to_level).
    """

    name: str
    kind: Kind
    better: Better
    scope: tuple[str, ...]
    reads: tuple[str, ...]
    requires: tuple[str, ...]
    features: tuple[tuple[str, ...], ...]
    needs: tuple[str, ...] = ()


METRICS: dict[str, MetricInfo] = {m.name: m for m in (
    MetricInfo("first_report_latency", "duration", "lower", _REPORT_SCOPE,
               ("incident.detected", "report.received"), ("report.received",), (("reports",),)),
    MetricInfo("report_on_time_ratio", "flag", "higher", _REPORT_SCOPE,
               ("incident.detected", "report.received"), ("report.received",), (("reports", "deadlines"),)),
    MetricInfo("follow_up_on_time_ratio", "flag", "higher", _REPORT_SCOPE,
               ("report.received", "incident.closed"), ("report.received",), (("reports", "follow_up_deadlines"),)),
    MetricInfo("skipped_level_reports", "flag", "lower", _REPORT_SCOPE,
               ("report.received",), ("report.received",), (("reports",),)),
    MetricInfo("time_to_level", "duration", "lower", ("agencies", "regions"),
               ("level.changed", "response.triggered", "decision.opened", "inject.delivered", "incident.detected",
                "report.received"), ("level.changed",), (("levels",),),
               needs=("level",)),
    MetricInfo("trigger_to_activation", "duration", "lower", ("agencies", "regions"),
               ("response.triggered", "level.changed"), ("response.triggered", "level.changed"),
               (("rules", "reports"),)),
    MetricInfo("registration_wait", "duration", "lower", ("teams", "team_kinds"),
               ("team.arrived", "team.registered", "team.refused"), ("team.arrived", "team.registered"),
               (("registration",),)),
    MetricInfo("untasked_registered_teams", "flag", "lower", ("teams", "team_kinds"),
               ("team.registered", "team.tasked", "team.dispatched"), ("team.registered", "team.tasked"),
               (("registration",),)),
    MetricInfo("border_notification_delay", "duration", "lower", ("agencies", "hazards"),
               ("border.notified", "fire.crossed"), ("border.notified",), (("border",),)),
    MetricInfo("joint_consultation_held", "flag", "higher", ("agencies",),
               ("border.notified", "border.consulted"), ("border.consulted",), (("border",),)),
    MetricInfo("time_to_first_on_scene", "duration", "lower", ("regions", "incident_kinds", "hazards", "teams",
                                                               "team_kinds"),
               ("incident.occurred", "team.on_scene"), ("team.on_scene",), (("people_at_risk", "teams"),)),
    MetricInfo("rescue_completion_ratio", "flag", "higher", _PEOPLE_SCOPE, _PEOPLE,
               ("incident.occurred", "rescue.completed"), (("people_at_risk", "teams"),)),
    MetricInfo("people_rescued", "amount", "higher", _PEOPLE_SCOPE, _PEOPLE,
               ("rescue.completed",), (("people_at_risk", "teams"),)),
    MetricInfo("people_lost", "amount", "lower", _PEOPLE_SCOPE, _PEOPLE,
               ("incident.closed", "incident.unresolved"), (("people_at_risk",),)),
    MetricInfo("people_rescued_ratio", "fraction", "higher", _PEOPLE_SCOPE, _PEOPLE,
               ("incident.occurred", "rescue.completed"), (("people_at_risk",),)),
    MetricInfo("team_utilisation", "fraction", "higher", ("teams", "team_kinds", "regions"),
               ("team.dispatched", "team.on_scene", "rescue.started", "rescue.completed", "team.activated",
                "team.registered", "team.arrived", "team.withdrawn"),
               ("team.dispatched", "rescue.completed"), (("teams",),)),
    MetricInfo("time_to_contain", "duration", "lower", ("hazards",),
               ("fire.state", "fire.crossed", "fire.contained", "fire.extinguished", "incident.occurred"),
               ("fire.contained",), (("fire_model",),)),
    MetricInfo("time_to_clear", "duration", "lower", ("hazards", "regions"),
               ("flood.cleared", "incident.occurred"), ("flood.cleared",), (("hazard_model",),)),
    MetricInfo("material_fill_time", "duration", "lower", ("agencies", "regions"),
               ("material.requested", "material.delivered", "material.shortfall"),
               ("material.requested", "material.delivered"), (("materials",),)),
    MetricInfo("material_shortfall", "amount", "lower", ("agencies", "regions"),
               ("material.requested", "material.delivered", "material.shortfall"),
               ("material.requested", "material.shortfall"), (("materials",),)),
    MetricInfo("decision_delay", "duration", "lower", ("decisions", "agencies"),
               ("decision.opened", "decision.made"), ("decision.opened", "decision.made"), (("decisions",),)),
    MetricInfo("injects_answered_ratio", "flag", "higher", ("injects", "agencies"),
               ("inject.delivered", "(the records named by each inject's expects)"), ("inject.delivered",),
               (("injects",),)),
    MetricInfo("evacuation_completion_time", "duration", "lower", _PEOPLE_SCOPE,
               ("evacuation.ordered", "evacuation.completed", "task.unresolved"), ("evacuation.ordered",),
               (("evacuations",),)),
    MetricInfo("evacuation_ratio", "fraction", "higher", _PEOPLE_SCOPE,
               ("evacuation.ordered", "evacuation.completed", "task.unresolved"), ("evacuation.ordered",),
               (("evacuations",),)),
    MetricInfo("shelter_overflow", "amount", "lower", ("regions",), ("shelter.overflow", "shelter.occupancy"),
               ("shelter.occupancy",), (("shelters", "evacuations"),)),
    MetricInfo("time_to_control", "duration", "lower", ("regions", "incident_kinds", "hazards"),
               ("incident.occurred", "suppression.controlled", "fire.contained"), ("incident.occurred",),
               (("site_fires",), ("fire_model",))),
    MetricInfo("area_burned", "amount", "lower", ("regions", "incident_kinds", "hazards"),
               ("incident.occurred", "suppression.state", "suppression.extinguished", "fire.state", "task.unresolved"),
               ("incident.occurred",), (("site_fires",), ("fire_model",))),
    MetricInfo("hold_coverage", "fraction", "higher", _TASK_SCOPE,
               ("task.queued", "task.held", "task.completed", "task.unresolved"), ("task.queued",), (("holds",),)),
    MetricInfo("supply_delivered_ratio", "fraction", "higher", _PEOPLE_SCOPE, ("task.queued", "supply.delivered"),
               ("task.queued",), (("supplies",),)),
    MetricInfo("dispatch_wait", "duration", "lower", _TASK_SCOPE,
               ("rescue.queued", "task.queued", "team.dispatched"), ("team.dispatched",), (("teams",),)),
    MetricInfo("task_completion_time", "duration", "lower", _TASK_SCOPE,
               ("incident.occurred", "task.queued", "task.completed", "task.unresolved"), ("task.queued",),
               (("tasks",),)),
    MetricInfo("threshold_exceedance_time", "duration", "lower", ("hazards", "regions"),
               ("hazard.reading", "hazard.threshold", "hazard.cleared"), ("hazard.reading",), (("series",),)),
    MetricInfo("first_response_respond", "duration", "lower", ("teams", "team_kinds", "regions", "incident_kinds"),
               ("team.dispatched",), ("team.dispatched",), (("stations",),)),
    MetricInfo("first_response_arrive", "duration", "lower", ("teams", "team_kinds", "regions", "incident_kinds"),
               ("team.dispatched", "team.on_scene"), ("team.on_scene",), (("stations",),)),
    MetricInfo("first_response_handle", "duration", "lower", ("teams", "team_kinds", "regions", "incident_kinds"),
               ("rescue.started", "rescue.completed"), ("rescue.completed",), (("stations",),)),
)}
"""Task metric name → its facts, in documentation order."""


MEASURES: dict[str, Better | None] = {
    "score": "higher",
    "incidents": None,
    "reports": None,
    "dispatches": None,
    "rescues": "higher",
    "rescued": "higher",
    "lost": "lower",
    "trapped": "lower",
    "unresolved": "lower",
    "late_reports": "lower",
    "people_at_risk": None,
    "people_rescued_ratio": "higher",
    "first_report_latency_mean": "lower",
    "first_report_latency_p90": "lower",
    "report_on_time_ratio": "higher",
    "detection_delay_mean": "lower",
    "incidents_missed": "lower",
    "dispatch_wait_mean": "lower",
    "dispatch_wait_p90": "lower",
    "on_scene_mean": "lower",
    "evacuated": "higher",
    "evacuation_ratio": "higher",
    "evacuation_time_mean": "lower",
    "left_behind": "lower",
    "shelter_overflow": "lower",
    "area_burned": "lower",
    "time_to_control_max": "lower",
    "supplies_delivered": "higher",
    "material_short": "lower",
    "trapped_at_end": "lower",
    "rescue_finished": "lower",
    "material_fill_mean": "lower",
    "threshold_minutes": "lower",
    "source_stopped": "lower",
}
"""Run measure → the direction that is better (``None``: not a performance, no direction).

A measure given per administrative level is one entry (``report_on_time_ratio`` stands for
``report_on_time_ratio.county``)."""


WORLD: tuple[str, ...] = (
    "rescued", "lost", "unresolved", "trapped_at_end", "people_rescued_ratio", "evacuated", "evacuation_ratio",
    "evacuation_time_mean", "left_behind", "shelter_overflow", "area_burned", "time_to_control_max",
    "supplies_delivered", "material_short", "material_fill_mean", "rescue_finished", "threshold_minutes",
    "source_stopped",
)
"""Run measures that describe what happened in the world (people, places, fires, materials), as opposed to
how the exercise was run (reports on time, decision delays). A decision or a parameter that moves none of
them changes nothing a trainee should learn from (a parameter then says ``affects: scoring``)."""


def better(column: str, tasks: Mapping[str, str] | None = None) -> Better | None:
    """The better direction of a measure, a task metric or a sweep column, or None if it has none.

    Args:
        column: ``score``, ``rescued``, ``metric.report_on_time_ratio.county``, ``metric.O1.T2``, or a
            task metric name.
        tasks: ``OBJECTIVE.TASK`` → that task's ``better`` (a sweep's manifest records them), for
            the columns that hold a critical task's value.

    Raises:
        KeyError: ``column`` names nothing known: a direction is never guessed.
    """
    name = column.removeprefix("metric.")
    if tasks and name in tasks:
        return "higher" if tasks[name] == "higher" else "lower"
    if name in MEASURES:
        return MEASURES[name]
    if name in METRICS:
        return METRICS[name].better
    base, _, _level = name.rpartition(".")
    if base in MEASURES:
        return MEASURES[base]
    raise KeyError(f"no direction is known for {column!r}")


def check_task(task: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """Problems with one critical task's use of its metric.

    Returns:
        ``(field, severity, message, expected)`` tuples; severity is ``error`` or ``warning``.
    """
    import difflib

    problems: list[tuple[str, str, str, str]] = []
    name = str(task.get("metric"))
    info = METRICS.get(name)
    if info is None:
        near = difflib.get_close_matches(name, METRICS, n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        problems.append(("metric", "error", f"unknown metric {name!r}", hint + "one of " + ", ".join(METRICS)))
        return problems
    statistic = str(task.get("statistic"))
    if statistic not in ALLOWED[info.kind]:
        problems.append(("statistic", "error",
                         f"statistic {statistic!r} does not apply to {name} (a {info.kind} metric)",
                         "one of " + ", ".join(ALLOWED[info.kind])))
    for field in info.needs:
        if task.get(field) is None:
            problems.append((field, "error", f"metric {name} needs `{field}`",
                             "a response level IV, III, II or I" if field == "level" else "a value"))
    for field, values in (task.get("scope") or {}).items():
        if values and field not in info.scope:
            problems.append((f"scope.{field}", "warning", f"{name} does not use scope `{field}`; it is ignored",
                             "one of " + ", ".join(info.scope) if info.scope else "no scope"))
    return problems
