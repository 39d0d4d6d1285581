"""What a run shows for each target: the moment (or value) of the records its selector picks.

:func:`observe_batch` is what a calibration submits to a sweep backend (a local process pool or
Dask): it runs one scenario, with one candidate's overrides, for each seed asked, and returns one
small :class:`Observed` per run — never the event log. Records are matched with the same test an
inject's trigger uses (:func:`drillsim.flows.triggers.record_matches`), so a target selects records
exactly as a trigger written with the same fields would.

Like a sweep's task, a batch is a pure function of its arguments (a retried Dask task gives the same
observations), and a run that fails (an override that makes the scenario invalid) comes back as a
failed observation with the error text; the batch goes on.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from drillsim.log import Row
from drillsim.scenario.model_triggers import RecordTest
from drillsim.sweeps.tasks import FAILED, OK, Job, ScenarioSource, describe_error, release_model


@dataclass(frozen=True)
class Probe:
    """What a worker needs of a target: its id, selector, field and which matching record counts."""

    id: str
    select: RecordTest
    value: str | None = None
    pick: str = "first"


@dataclass(frozen=True)
class Observed:
    """One run's observations.

    Attributes:
        run_id: As in the job.
        status: ``ok`` or ``failed``.
        error: The error text of a failed run.
        wall_s: Seconds the run took.
        end: The run's last simulated minute (a time target not seen by then is censored there).
        values: Target id → minutes after the start (time targets) or the field's value; None when
            no record matched.
    """

    run_id: str
    status: str
    error: str | None
    wall_s: float
    end: float | None = None
    values: dict[str, float | None] = field(default_factory=dict)


def observe(records: Iterable[Row], probes: Sequence[Probe]) -> dict[str, float | None]:
    """Each probe's observation in ``records`` (rows ``(t, seq, kind, actor, subject, data)``)."""
    from drillsim.flows.triggers import record_matches

    by_kind: dict[str, list[Probe]] = {}
    for probe in probes:
        by_kind.setdefault(probe.select.record, []).append(probe)
    seen: dict[str, int] = {}
    found: dict[str, float | None] = {p.id: 0.0 if p.pick == "count" else None for p in probes}
    for rec in records:
        wanted = by_kind.get(rec[2])
        if not wanted:
            continue
        for probe in wanted:
            if not record_matches(probe.select, rec):
                continue
            if probe.pick == "count":
                found[probe.id] = float(seen.get(probe.id, 0) + 1)
                seen[probe.id] = seen.get(probe.id, 0) + 1
                continue
            if probe.value is None:
                point = float(rec[0])
            else:
                raw = rec[5].get(probe.value) if isinstance(rec[5], dict) else None
                if not isinstance(raw, int | float) or isinstance(raw, bool):
                    continue
                point = float(raw)
            n = seen[probe.id] = seen.get(probe.id, 0) + 1
            current = found[probe.id]
            if probe.pick == "first":
                if n == probe.select.count:
                    found[probe.id] = point
            elif probe.pick == "last":
                found[probe.id] = point
            elif probe.pick == "max":
                found[probe.id] = point if current is None or point > current else current
            elif probe.pick == "min":
                found[probe.id] = point if current is None or point < current else current
    return found


def observe_batch(scenario: ScenarioSource, jobs: Sequence[Job], probes: Sequence[Probe]) -> list[Observed]:
    """Run each job (a candidate's overrides, one seed) and observe the probes; never raises for a run."""
    from drillsim.errors import InputError
    from drillsim.scenario.load import load_document
    from drillsim.scenario.yamlsafe import parse_document

    out: list[Observed] = []
    doc = None
    loaded: Any = None
    key: Any = object()
    for job in jobs:
        t0 = time.perf_counter()
        try:
            if job.overrides != key:
                key = job.overrides
                doc = doc or parse_document(scenario.raw, scenario.name)
                try:
                    loaded = load_document(doc, scenario.source, list(job.overrides))
                except InputError as exc:
                    loaded = exc
            if isinstance(loaded, InputError):
                raise loaded
            out.append(_run(loaded, job, probes, t0))
        except Exception as exc:  # a failing run is data, not a crash of the calibration
            out.append(Observed(job.run_id, FAILED, describe_error(exc), time.perf_counter() - t0))
    return out


def _run(loaded: Any, job: Job, probes: Sequence[Probe], t0: float) -> Observed:
    from drillsim.engine import Exercise

    exercise = Exercise(loaded, job.seed, keep=True)
    try:
        exercise.run(slices=8)
        records = exercise.log.records
        values = observe(records[1:], probes)
        end = float(records[-1][0]) if len(records) > 1 else 0.0
    finally:
        release_model(exercise.model)
    return Observed(job.run_id, OK, None, time.perf_counter() - t0, end, values)
