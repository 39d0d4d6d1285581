"""Objectives → critical tasks → metrics → P/S/M/U → the scorecard. A pure function of the log.

:func:`score` reads the objectives from the header's ``definition`` and the records up to a moment
(``until``: the facilitator console's "scorecard so far"), and never looks at engine state.
``scorecard.json`` is :meth:`Scorecard.to_dict`; its schema is documented in docs/metrics.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from drillsim.scoring import rating
from drillsim.scoring.capabilities import capability_name
from drillsim.scoring.evidence import bad_first, summarise, value_unit
from drillsim.scoring.library import METRICS
from drillsim.scoring.observation import Observation
from drillsim.scoring.scope import ScopeFilter
from drillsim.scoring.statistics import reduce
from drillsim.scoring.text import Text
from drillsim.scoring.view import LogView

FORMAT = 1
"""scorecard.json format version (bumped on incompatible changes)."""

EVIDENCE_CAP = 200
"""Observations kept per task in scorecard.json (worst first); ``omitted`` counts the rest."""


class DefinitionError(ValueError):
    """The log header's objectives cannot be read (a corrupt or foreign log)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"header definition.{path}: {message}")


@dataclass
class TaskResult:
    """A critical task's rating with the observations behind it."""

    id: str
    text: Text
    metric: str
    kind: str
    statistic: str
    better: str
    thresholds: dict[str, float]
    weight: float
    params: dict[str, Any]
    value: float | None
    rating: str | None
    observations: list[Observation]
    summary: Text

    @property
    def measured(self) -> bool:
        """False when the metric had nothing to observe."""
        return self.rating is not None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (worst observations first, capped)."""
        ordered = bad_first(self.observations, self.kind, self.better)
        return {
            "id": self.id,
            "text": self.text,
            "metric": self.metric,
            "kind": self.kind,
            "unit": value_unit(self.kind, self.statistic),
            "statistic": self.statistic,
            "better": self.better,
            "thresholds": self.thresholds,
            "weight": self.weight,
            **self.params,
            "value": _round(self.value),
            "rating": self.rating,
            "measured": self.measured,
            "n": len(self.observations),
            "summary": self.summary,
            "evidence": [o.to_dict() for o in ordered[:EVIDENCE_CAP]],
            "omitted": max(0, len(ordered) - EVIDENCE_CAP),
        }


@dataclass
class ObjectiveResult:
    """An objective's rating aggregated from its tasks, with evaluator notes tied to it."""

    id: str
    capability: str
    text: Text
    weight: float
    responsible: str | None
    tasks: list[TaskResult]
    rating: str | None
    score: float | None
    coverage: float
    notes: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "capability": self.capability,
            "capability_name": capability_name(self.capability),
            "text": self.text,
            "weight": self.weight,
            "responsible": self.responsible,
            "rating": self.rating,
            "score": _round(self.score, 1),
            "coverage": _round(self.coverage),
            "tasks": [t.to_dict() for t in self.tasks],
            "notes": self.notes,
        }


@dataclass
class CapabilityResult:
    """A core capability's rating over the objectives that exercise it."""

    id: str
    objectives: list[str]
    rating: str | None
    score: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "name": capability_name(self.id),
            "objectives": self.objectives,
            "rating": self.rating,
            "score": _round(self.score, 1),
        }


@dataclass
class Scorecard:
    """Every objective's rating, the capabilities, the overall score, and the notes."""

    scenario: dict[str, Any]
    seed: Any
    replicate: Any
    start: str | None
    horizon: float
    final: bool
    objectives: list[ObjectiveResult]
    capabilities: list[CapabilityResult]
    rating: str | None
    score: float | None
    coverage: float
    notes: list[dict[str, Any]]

    def task_values(self) -> dict[str, float | None]:
        """``{"O-1.task-id": value}`` for every task (a flat row for sweep results)."""
        return {f"{o.id}.{t.id}": t.value for o in self.objectives for t in o.tasks}

    def to_dict(self) -> dict[str, Any]:
        """The scorecard.json document."""
        return {
            "format": FORMAT,
            "scenario": self.scenario,
            "seed": self.seed,
            "replicate": self.replicate,
            "start": self.start,
            "horizon": round(self.horizon, 4),
            "final": self.final,
            "score": _round(self.score, 1),
            "rating": self.rating,
            "coverage": _round(self.coverage),
            "objectives": [o.to_dict() for o in self.objectives],
            "capabilities": [c.to_dict() for c in self.capabilities],
            "notes": self.notes,
        }

    def to_json(self) -> str:
        """Deterministic JSON text (same log ⇒ same bytes)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _round(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(float(x), digits)


def objectives_of(header: dict[str, Any]) -> dict[str, Any]:
    """The validated objectives from a log header's ``definition``.

    Raises:
        DefinitionError: the definition's objectives are not valid (a corrupt or hand-edited log).
    """
    from pydantic import ValidationError

    from drillsim.scenario.model import Objective

    definition = header.get("definition")
    if definition is None:
        return {}
    if not isinstance(definition, dict):
        raise DefinitionError("", "not an object")
    raw = definition.get("objectives") or {}
    if not isinstance(raw, dict):
        raise DefinitionError("objectives", "not a mapping of objective id → objective")
    out: dict[str, Any] = {}
    for oid, obj in raw.items():
        try:
            out[str(oid)] = Objective.model_validate(obj)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err.get("loc", ()))
            raise DefinitionError(
                f"objectives.{oid}" + (f".{where}" if where else ""), err.get("msg", "invalid")
            ) from None
    return out


def _task(view: LogView, tid: str, task: Any) -> TaskResult:
    spec = METRICS.get(task.metric)
    scope = task.scope.model_dump(mode="json")
    params = {"level": task.level} if task.level is not None else {}
    obs: list[Observation] = spec.fn(view, ScopeFilter(scope, view), params) if spec else []
    if task.warm_up > 0:
        obs = [o for o in obs if o.t >= task.warm_up]
    kind = spec.kind if spec else "amount"
    value = reduce(task.statistic, obs, kind)
    thresholds = {k: float(v) for k, v in task.thresholds.items()}
    band = rating.band(value, thresholds, task.better) if value is not None else None
    return TaskResult(
        tid,
        task.text.as_dict(),
        task.metric,
        kind,
        task.statistic,
        task.better,
        thresholds,
        task.weight,
        params,
        value,
        band,
        obs,
        summarise(spec, task.statistic, task.better, value, obs, view.horizon),
    )


def _note(r: Any) -> dict[str, Any]:
    data = r.data
    return {
        "seq": r.seq,
        "t": r.t,
        "by": r.actor,
        "objective": data.get("objective"),
        "rating": data.get("rating"),
        "text": data.get("text"),
    }


def score(header: dict[str, Any], records: Iterable[Sequence[Any]], until: float | None = None) -> Scorecard:
    """Score a log (or its first part, up to simulated minute ``until``).

    Args:
        header: The log header's data (``LogData.header`` or ``EventLog.header``).
        records: The records after the header (``Record`` named tuples or plain tuples), in order.
        until: Score only records at or before this time ("so far"); None: everything given.
    """
    objectives = objectives_of(header)
    view = LogView(header, records, until)
    notes = [_note(r) for r in view.kind("note.added")]
    results: list[ObjectiveResult] = []
    for oid, obj in objectives.items():
        tasks = [_task(view, tid, task) for tid, task in obj.tasks.items()]
        view.forget()  # what this objective's metrics shared (LogView.memo) is not kept through the rest
        band, pts, coverage = rating.aggregate((t.rating, t.weight) for t in tasks)
        results.append(
            ObjectiveResult(
                oid,
                obj.capability,
                obj.text.as_dict(),
                obj.weight,
                obj.responsible,
                tasks,
                band,
                pts,
                coverage,
                [n for n in notes if n["objective"] == oid],
            )
        )
    caps: dict[str, list[ObjectiveResult]] = {}
    for res in results:
        caps.setdefault(res.capability, []).append(res)
    capabilities = []
    for cap, objs in caps.items():
        band, pts, _ = rating.combine_scores((o.rating, o.score, o.weight) for o in objs)
        capabilities.append(CapabilityResult(cap, [o.id for o in objs], band, pts))
    band, overall, _ = rating.combine_scores((o.rating, o.score, o.weight) for o in results)
    total = sum(o.weight for o in results)
    coverage = sum(o.weight * o.coverage for o in results) / total if total > 0 else 0.0
    scenario = header.get("scenario") or {}
    return Scorecard(
        {"id": scenario.get("id"), "title": scenario.get("title"), "sha256": scenario.get("sha256")},
        header.get("seed"),
        header.get("replicate"),
        header.get("start"),
        view.horizon,
        view.final,
        results,
        capabilities,
        band,
        overall,
        coverage,
        [n for n in notes if n["objective"] not in objectives],
    )
