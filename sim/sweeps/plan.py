"""A sweep laid out: its points, its runs, their seeds, and how each run becomes a row.

Run ``p000012-r0003`` is replicate 3 of point 12. Its seed is derived from the root seed by key
(:mod:`drillsim.sweeps.seeds`), it is run with the fixed overrides followed by the point's values, and
``drillsim run SCENARIO --seed S --set ...`` (:meth:`Plan.command`) reproduces it on its own,
byte for byte, because a sweep runs every exercise with replicate 0 of its own seed, exactly as
``drillsim run`` does.
"""

from __future__ import annotations

import hashlib
import json
import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from drillsim.sweeps.designs import Point, make_points
from drillsim.sweeps.factors import show_value
from drillsim.sweeps.seeds import run_seed
from drillsim.sweeps.spec import SweepSpec
from drillsim.sweeps.tasks import FAILED, Job, Outcome, ScenarioSource
from drillsim.version import __version__


def run_id(point: int, replicate: int) -> str:
    """``p000012-r0003``: sorts in (point, replicate) order."""
    return f"p{point:06d}-r{replicate:04d}"


@dataclass(frozen=True)
class Plan:
    """Everything needed to run a sweep and to write its rows.

    Attributes:
        spec: The resolved sweep.
        scenario: The scenario as shipped to workers.
        scenario_id: The scenario's ``id``.
        scenario_ref: The scenario as given on the command line (for reproduce commands).
        points: The design's points, in point-id order.
        better: ``OBJECTIVE.TASK`` → which way is better for that critical task's value.
    """

    spec: SweepSpec
    scenario: ScenarioSource
    scenario_id: str
    scenario_ref: str
    points: tuple[Point, ...]
    better: dict[str, str]

    @classmethod
    def build(cls, spec: SweepSpec, scenario: ScenarioSource, scenario_id: str, scenario_ref: str,
              better: Mapping[str, str] | None = None) -> Plan:
        """Lay out the design's points."""
        points = make_points(spec.design, spec.factors, spec.points, spec.seed, spec.listed)
        return cls(spec, scenario, scenario_id, scenario_ref, tuple(points), dict(better or {}))

    @property
    def total(self) -> int:
        """Number of runs."""
        return len(self.points) * self.spec.replicates

    def job(self, point: int, replicate: int) -> Job:
        """The run of ``replicate`` at ``point``."""
        spec = self.spec
        values = tuple((f.target, lv.written) for f, lv in zip(spec.factors, self.points[point], strict=True))
        return Job(run_id(point, replicate), point, replicate,
                   run_seed(spec.seed, point, replicate, crn=spec.crn), (*spec.overrides, *values))

    def run_ids(self) -> set[str]:
        """Every run id of the sweep."""
        return {run_id(p, r) for p in range(len(self.points)) for r in range(self.spec.replicates)}

    def jobs(self, skip: set[str] | frozenset[str] = frozenset()) -> Iterator[Job]:
        """Every run not in ``skip``, point by point (replicates of a point together)."""
        for p in range(len(self.points)):
            for r in range(self.spec.replicates):
                if run_id(p, r) not in skip:
                    yield self.job(p, r)

    def row(self, job: Job, outcome: Outcome) -> dict[str, Any]:
        """The results row of one run (parameters from the plan, the rest from the outcome)."""
        row: dict[str, Any] = {"run_id": job.run_id, "point": job.point, "replicate": job.replicate,
                               "seed": job.seed, "status": outcome.status, "error": outcome.error}
        for f, lv in zip(self.spec.factors, self.points[job.point], strict=True):
            row[f"param.{f.name}"] = lv.text if f.kind == "choice" else lv.value
            row[f"param.{f.name}.text"] = lv.text
        row["score"] = outcome.score
        for key, band in outcome.ratings.items():
            row[f"rating.{key}"] = band
        for key, value in outcome.metrics.items():
            row[f"metric.{key}"] = value
        row["wall_s"] = round(outcome.wall_s, 6)
        return row

    def failed_row(self, job: Job, error: str) -> dict[str, Any]:
        """The row of a run whose task was lost (not a failure inside the run)."""
        return self.row(job, Outcome(job.run_id, FAILED, error, 0.0))

    def failed_rows(self, jobs: Sequence[Job], error: str) -> list[dict[str, Any]]:
        """:meth:`failed_row` for each of ``jobs``."""
        return [self.failed_row(job, error) for job in jobs]

    def command(self, seed: int, values: Sequence[tuple[str, str]]) -> str:
        """``drillsim run SCENARIO --seed S --set ...`` for one run (values as ``(target, text)``)."""
        parts = ["drillsim", "run", self.scenario_ref, "--seed", str(seed)]
        for path, value in self.spec.overrides:
            parts += ["--set", f"{path}={_yaml(value)}"]
        for target, text in values:
            parts += ["--set", f"{target}={text}"]
        return shlex.join(parts)

    def command_for(self, point: int, replicate: int) -> str:
        """The reproduce command of run ``(point, replicate)``."""
        job = self.job(point, replicate)
        return self.command(job.seed, [(f.target, lv.text) for f, lv in
                                       zip(self.spec.factors, self.points[point], strict=True)])

    def manifest(self, sha256: str) -> dict[str, Any]:
        """``sweep.json``: what this sweep is, with a fingerprint that ``--resume`` compares."""
        body = {"drillsim": __version__, "scenario": {"id": self.scenario_id, "ref": self.scenario_ref,
                                                      "source": self.scenario.source, "sha256": sha256},
                "spec": self.spec.describe()}
        fingerprint = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        # Which way is better for each critical task's column: the report must not guess.
        return {**body, "fingerprint": fingerprint, "points": len(self.points), "runs": self.total,
                "better": self.better}


def _yaml(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return show_value(value)
