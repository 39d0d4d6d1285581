"""What a run came to, in a few numbers: the scorecard's ratings and the key metrics.

Fork-and-sweep, ``compare`` and the baseline put runs side by side by these. They come from the log
alone (scoring is a pure function of it), so an outcome computed in a worker process is the same
as one computed later from the saved log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from drillsim.catalog import MEASURES
from drillsim.scoring import score

METRICS: tuple[tuple[str, str, str], ...] = tuple((key, label, MEASURES[key] or "") for key, label in (
    ("score", "overall score"),
    ("rescued", "people rescued"),
    ("lost", "people dead (by the end)"),
    ("trapped", "people still trapped at the end"),
    ("unresolved", "incidents unresolved at the end"),
    ("incidents", "incidents"),
    ("late_reports", "reports late"),
    ("dispatches", "team dispatches"),
))
"""Key metrics in display order as ``(key, label, better)``, the direction from
:data:`drillsim.catalog.MEASURES` ("" for counts that are not a performance, such as how many
incidents the hazard caused: no percentile is given for them)."""

RATING_ORDER = ("P", "S", "M", "U")


@dataclass
class Outcome:
    """One run's ratings and key metrics.

    Attributes:
        label: How tables name the run.
        rating, score: Overall band and score (0–100), None when nothing could be measured.
        objectives: Objective id → ``{"rating", "score"}``.
        metrics: Key metric → value (see :data:`METRICS`).
        levels: Agency → response level at the end.
    """

    label: str
    rating: str | None
    score: float | None
    coverage: float
    objectives: dict[str, dict[str, Any]] = field(default_factory=dict)
    metrics: dict[str, float | None] = field(default_factory=dict)
    levels: dict[str, str | None] = field(default_factory=dict)
    seed: Any = None
    replicate: Any = None
    final: bool = True

    def value(self, key: str) -> float | None:
        """A key metric or ``objective:<id>`` score."""
        if key.startswith("objective:"):
            obj = self.objectives.get(key.split(":", 1)[1]) or {}
            return obj.get("score")
        return self.metrics.get(key)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"label": self.label, "rating": self.rating, "score": self.score, "coverage": self.coverage,
                "objectives": self.objectives, "metrics": self.metrics, "levels": self.levels,
                "seed": self.seed, "replicate": self.replicate, "final": self.final}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Outcome:
        """Inverse of :meth:`to_dict`."""
        return cls(d.get("label", ""), d.get("rating"), d.get("score"), float(d.get("coverage") or 0.0),
                   dict(d.get("objectives") or {}), dict(d.get("metrics") or {}), dict(d.get("levels") or {}),
                   d.get("seed"), d.get("replicate"), bool(d.get("final", True)))


def outcome_of(header: dict[str, Any], records: Iterable[Sequence[Any]], label: str = "") -> Outcome:
    """The outcome of a log (header + records after it)."""
    card = score(header, records)
    rescued = lost = trapped = unresolved = incidents = late = dispatches = 0
    levels: dict[str, str | None] = dict.fromkeys((header.get("roster") or {}).get("agencies") or {})
    for r in records:
        kind, data = r[2], r[5]
        if kind in ("incident.closed",):
            rescued += int(data.get("rescued") or 0)
            lost += int(data.get("lost") or 0)
        elif kind == "incident.unresolved":
            unresolved += 1
            people, alive = data.get("people"), data.get("alive")
            if isinstance(people, int | float) and isinstance(alive, int | float):
                lost += max(0, int(people) - int(alive))  # died waiting; the rest are still trapped
                trapped += int(alive)
        elif kind == "incident.occurred":
            incidents += 1
        elif kind == "report.received":
            due = data.get("due")
            if isinstance(due, int | float) and r[0] > due:
                late += 1
        elif kind == "team.dispatched":
            dispatches += 1
        elif kind == "level.changed" and r[4] is not None:
            levels[r[4]] = data.get("to")
    objectives = {o.id: {"rating": o.rating, "score": None if o.score is None else round(o.score, 1)}
                  for o in card.objectives}
    metrics: dict[str, float | None] = {
        "score": None if card.score is None else round(card.score, 1), "rescued": rescued, "lost": lost,
        "trapped": trapped, "unresolved": unresolved, "incidents": incidents, "late_reports": late,
        "dispatches": dispatches}
    return Outcome(label, card.rating, metrics["score"], round(card.coverage, 4), objectives, metrics, levels,
                   header.get("seed"), header.get("replicate"), card.final)


def percentile(value: float | None, population: Iterable[float | None], better: str = "higher") -> float | None:
    """Share of ``population`` (in %) that ``value`` does better than; ties count half.

    50 means "as good as the typical run", 100 "better than every one". None when there is no value,
    no population to compare with, or no direction (``better`` is neither ``higher`` nor ``lower``).
    """
    pop = [p for p in population if p is not None]
    if value is None or not pop or better not in ("higher", "lower"):
        return None
    worse = sum(1 for p in pop if (p < value if better == "higher" else p > value))
    ties = sum(1 for p in pop if p == value)
    return round(100.0 * (worse + 0.5 * ties) / len(pop), 1)


def summary(values: Iterable[float | None]) -> dict[str, float | None]:
    """n, mean, min, p10, median, p90, max of the values that exist."""
    import numpy as np

    xs = np.asarray([v for v in values if v is not None], dtype=float)
    if xs.size == 0:
        return {"n": 0, "mean": None, "min": None, "p10": None, "median": None, "p90": None, "max": None}
    q = np.quantile(xs, [0.1, 0.5, 0.9])
    return {"n": int(xs.size), "mean": round(float(xs.mean()), 2), "min": round(float(xs.min()), 2),
            "p10": round(float(q[0]), 2), "median": round(float(q[1]), 2), "p90": round(float(q[2]), 2),
            "max": round(float(xs.max()), 2)}


def rating_counts(ratings: Iterable[str | None]) -> dict[str, int]:
    """How many runs got each band (``-`` for not measured)."""
    out = {k: 0 for k in (*RATING_ORDER, "-")}
    for r in ratings:
        out[r if r in RATING_ORDER else "-"] += 1
    return out
