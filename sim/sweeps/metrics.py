"""One run summarised as a row: metrics, objective ratings and an overall score.

The sweep needs only :func:`run_metrics`, a pure function of the log header and records (the same
inputs the scoring package reads), so the sweep never depends on how a run was executed.

When the scoring package (``drillsim.scoring``) is installed, every run is scored: each critical task's
value becomes a metric ``OBJECTIVE.TASK``, each objective's band a rating ``OBJECTIVE`` (and each
task's ``OBJECTIVE.TASK``), the overall band ``overall``, and the overall score 0–100 the row's
``score``. Without it, ratings and score are empty. In both cases the row also carries these
metrics, derived from the records alone:

- the counts of ``exercise.ended`` (incidents, reports, dispatches, rescues, rescued, lost,
  unresolved) and ``people_at_risk`` (people in incidents that needed rescue);
- ``people_rescued_ratio`` = rescued / people at risk;
- per administrative level that received initial reports: ``first_report_latency_mean.<level>``,
  ``first_report_latency_p90.<level>`` (minutes from detection) and
  ``report_on_time_ratio.<level>`` (share received by the deadline, when the level has one);
- ``detection_delay_mean`` (minutes from onset to detection), ``incidents_missed`` (never
  detected, not even by the fallback);
- ``dispatch_wait_mean`` / ``dispatch_wait_p90`` (minutes from entering the dispatch queue to the
  first team dispatched; incidents never dispatched count until the end of the run) and
  ``on_scene_mean`` (minutes from onset to the first team on scene).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from drillsim.levels import ADMIN_LEVELS
from drillsim.logstore import RecordStore
from drillsim.scoring.statistics import quantile

COUNTS = ("incidents", "reports", "dispatches", "rescues", "rescued", "lost", "unresolved")
READ = ("report.received", "incident.occurred", "incident.detected", "incident.missed", "rescue.queued",
        "team.dispatched", "team.on_scene", "exercise.ended")
"""The kinds :func:`record_metrics` reads besides the world's (:attr:`_World.KINDS`)."""


@dataclass(frozen=True)
class RunScore:
    """What a run contributes to its row.

    Attributes:
        metrics: Metric name → value (None when the run gave nothing to measure).
        ratings: Objective id → band (P/S/M/U) or None when not measured.
        score: Overall score 0–100, None when nothing was rated.
    """

    metrics: dict[str, float | None] = field(default_factory=dict)
    ratings: dict[str, str | None] = field(default_factory=dict)
    score: float | None = None


def run_metrics(header: Mapping[str, Any], records: Iterable[Sequence[Any]]) -> RunScore:
    """Summarise one run from its header and records (tuples, :class:`drillsim.log.Record` or a record store)."""
    records = records if isinstance(records, list | RecordStore) else list(records)
    base = record_metrics(header, records)
    if importlib.util.find_spec("drillsim.scoring") is None:
        return base
    from drillsim.scoring import score

    card = score(dict(header), records)
    metrics = {**base.metrics, **card.task_values()}
    ratings: dict[str, str | None] = {"overall": card.rating}
    for objective in card.objectives:
        ratings[objective.id] = objective.rating
        for task in objective.tasks:
            ratings[f"{objective.id}.{task.id}"] = task.rating
    return RunScore(metrics, ratings, card.score)


def record_metrics(header: Mapping[str, Any], records: Iterable[Sequence[Any]]) -> RunScore:
    """The metrics computed here from the records (no ratings, no score)."""
    ended: dict[str, Any] = {}
    at_risk = 0.0
    latency: dict[str, list[float]] = {}
    on_time: dict[str, list[bool]] = {}
    detection: list[float] = []
    missed = 0
    queued: dict[str, float] = {}
    dispatched: dict[str, float] = {}
    on_scene: dict[str, float] = {}
    world = _World(header)
    end_t = 0.0
    last: float | None = None  # the last record's time, known up front from a store
    read: Iterable[Sequence[Any]] = records
    if isinstance(records, RecordStore):  # only the kinds read here are decoded (a third of a log is not)
        final = records.final
        last = final.t if final is not None else 0.0
        read = records.kind(*READ, *_World.KINDS)
    for rec in read:
        t, _seq, kind, _actor, subject, data = rec[:6]
        end_t = t
        if kind == "report.received":
            if data.get("type", "initial") != "initial":
                continue
            level = data.get("level")
            latency.setdefault(level, []).append(float(data["latency"]))
            if data.get("due") is not None:
                on_time.setdefault(level, []).append(t <= float(data["due"]) + 1e-9)
        elif kind == "incident.occurred":
            at_risk += float(data.get("people") or 0)
        elif kind == "incident.detected":
            detection.append(float(data.get("delay", 0.0)))
        elif kind == "incident.missed":
            missed += 0 if data.get("fallback") else 1
        elif kind == "rescue.queued":
            queued.setdefault(subject, t)
        elif kind == "team.dispatched":
            dispatched.setdefault(subject, t)
        elif kind == "team.on_scene":
            on_scene.setdefault(subject, float(data.get("since_onset", 0.0)))
        elif kind == "exercise.ended":
            ended = data
        elif kind in _World.KINDS:
            world.read(t, kind, _actor, subject, data)
    if last is not None:
        end_t = last
    metrics: dict[str, float | None] = {name: _num(ended.get(name)) for name in COUNTS}
    metrics["people_at_risk"] = at_risk
    rescued = metrics["rescued"]
    metrics["people_rescued_ratio"] = rescued / at_risk if at_risk > 0 and rescued is not None else None
    for level in _report_levels(header):
        values = latency.get(level, [])
        metrics[f"first_report_latency_mean.{level}"] = _mean(values)
        metrics[f"first_report_latency_p90.{level}"] = _quantile(values, 0.9)
        flags = on_time.get(level, [])
        metrics[f"report_on_time_ratio.{level}"] = _mean([1.0 if f else 0.0 for f in flags])
    metrics["detection_delay_mean"] = _mean(detection)
    metrics["incidents_missed"] = float(missed)
    waits = [dispatched.get(k, end_t) - t0 for k, t0 in queued.items()]
    metrics["dispatch_wait_mean"] = _mean(waits)
    metrics["dispatch_wait_p90"] = _quantile(waits, 0.9)
    metrics["on_scene_mean"] = _mean(list(on_scene.values()))
    metrics.update(world.metrics(end_t))
    return RunScore(metrics, {}, None)


class _World:
    """What happened in the world besides rescues: people moved, fires, supplies (one pass over the records)."""

    KINDS = frozenset(("evacuation.ordered", "evacuation.completed", "task.unresolved", "shelter.overflow",
                       "suppression.controlled", "suppression.extinguished", "fire.contained", "fire.state",
                       "fire.extinguished", "supply.delivered", "material.shortfall", "incident.unresolved",
                       "rescue.completed", "material.requested", "material.delivered", "hazard.threshold",
                       "hazard.cleared", "hazard.stopped", "task.queued"))

    def __init__(self, header: Mapping[str, Any]) -> None:
        series = ((header.get("definition") or {}).get("hazards") or {}).get("series") or {}
        # series whose source can be stopped (a leak closed): never stopped by the end counts until the end
        self.stoppable = {k for k, v in series.items() if isinstance(v, dict) and v.get("stop")}
        self.stopped: dict[Any, float] = {}
        self.exceeded = 0.0
        self.over: dict[tuple[Any, Any], float] = {}
        self.to_move = 0.0
        self.moved = 0.0
        self.left = 0.0
        self.overflow = 0.0
        self.evac_open: dict[tuple[Any, Any], float] = {}
        self.evac_times: list[float] = []
        self.fires: dict[Any, float] = {}
        self.fire_start: dict[Any, float] = {}
        self.controlled: dict[Any, float] = {}
        self.delivered = 0.0
        self.short = 0.0
        self.trapped = 0.0
        self.last_rescue: float | None = None
        self.requested: dict[Any, float] = {}
        self.fills: list[float] = []

    def read(self, t: float, kind: str, actor: Any, subject: Any, data: Mapping[str, Any]) -> None:
        """Take one record into account (a forest fire is known by its actor, a site fire by incident and task)."""
        key = (subject, data.get("task"))
        if kind == "evacuation.ordered":
            self.to_move += _f(data.get("people"))
            self.evac_open[key] = t
        elif kind == "evacuation.completed":
            self.moved += _f(data.get("evacuated"))
            self.left += _f(data.get("left_behind"))
            self.evac_times.append(_f(data.get("since_order")))
            self.evac_open.pop(key, None)
        elif kind == "task.unresolved":
            if data.get("kind") == "evacuate":
                self.moved += _f(data.get("evacuated"))
            elif data.get("kind") == "suppress":
                self.fires[key] = _f(data.get("area_ha"))
        elif kind == "task.queued":
            if data.get("kind") == "suppress":  # a site fire never controlled still counts until the end
                self.fire_start.setdefault(key, t - _f(data.get("since_onset")))
        elif kind == "shelter.overflow":
            self.overflow += _f(data.get("people"))
        elif kind in ("suppression.controlled", "fire.contained"):
            self.controlled[key if kind.startswith("suppression") else actor] = t
            if kind == "suppression.controlled":
                self.fire_start.setdefault(key, t - _f(data.get("since_onset")))
        elif kind in ("suppression.extinguished", "fire.state", "fire.extinguished"):
            fire = key if kind.startswith("suppression") else actor
            self.fires[fire] = _f(data.get("area_ha"))
            if kind == "suppression.extinguished":
                self.fire_start.setdefault(key, t - _f(data.get("since_onset")))
            elif kind == "fire.state":
                self.fire_start.setdefault(fire, t)
        elif kind == "supply.delivered":
            self.delivered += _f(data.get("quantity"))
        elif kind == "material.shortfall":
            self.short += _f(data.get("short"))
        elif kind == "incident.unresolved":
            self.trapped += _f(data.get("alive")) if data.get("people") else 0.0
        elif kind == "rescue.completed" and not data.get("partial"):
            self.last_rescue = t
        elif kind == "material.requested":
            self.requested[data.get("request")] = t
        elif kind == "material.delivered":
            t0 = self.requested.pop(data.get("request"), None)
            if t0 is not None:
                self.fills.append(t - t0)
        elif kind == "hazard.threshold":
            self.over.setdefault((actor, subject), t)
        elif kind == "hazard.cleared":
            t0 = self.over.pop((actor, subject), None)
            if t0 is not None:
                self.exceeded += t - t0
        elif kind == "hazard.stopped":
            self.stopped.setdefault(actor, t)

    def metrics(self, end: float) -> dict[str, float | None]:
        """The world outcomes (see :data:`drillsim.catalog.WORLD`)."""
        times = self.evac_times + [end - t0 for t0 in self.evac_open.values()]  # still going: censored at the end
        control = [self.controlled.get(f, end) - t0 for f, t0 in self.fire_start.items()]
        return {
            "evacuated": self.moved,
            "evacuation_ratio": self.moved / self.to_move if self.to_move > 0 else None,
            "evacuation_time_mean": _mean(times),
            "left_behind": self.left,
            "shelter_overflow": self.overflow,
            "area_burned": sum(self.fires.values()) if self.fires else None,
            "time_to_control_max": max(control) if control else None,
            "supplies_delivered": self.delivered,
            "material_short": self.short,
            "trapped_at_end": self.trapped,
            # when the last trapped person was reached (people still trapped at the end: the end)
            "rescue_finished": end if self.trapped > 0 else self.last_rescue,
            # how long supplies took to arrive (requests still open at the end count until the end)
            "material_fill_mean": _mean(self.fills + [end - t0 for t0 in self.requested.values()]),
            # minutes over any series threshold, summed over thresholds (still over at the end: until the end)
            "threshold_minutes": self.exceeded + sum(end - t0 for t0 in self.over.values()),
            # when the last stoppable source stopped (one still running at the end: the end)
            "source_stopped": max((self.stopped.get(k, end) for k in self.stoppable), default=None),
        }


def _f(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _report_levels(header: Mapping[str, Any]) -> list[str]:
    """Levels that can receive a report: every level in the roster above the lowest one, up to ``top``."""
    regions = (header.get("roster") or {}).get("regions") or {}
    present = {r.get("level") for r in regions.values()}
    ranked = [lv for lv in ADMIN_LEVELS if lv in present]
    top = ((header.get("definition") or {}).get("reporting") or {}).get("top")
    if top in ADMIN_LEVELS:
        ranked = [lv for lv in ranked if ADMIN_LEVELS.index(lv) <= ADMIN_LEVELS.index(top)]
    return ranked[1:]


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _quantile(values: Sequence[float], q: float) -> float | None:
    return quantile(values, q) if values else None
