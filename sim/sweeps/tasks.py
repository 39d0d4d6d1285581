"""What a worker does: run a batch of sweep runs and return one small outcome per run.

This module is imported on the workers (local processes or Dask workers on other machines), so a
task carries the scenario's *bytes* rather than a path, and a worker parses each scenario once
(:func:`_document`, cached per process) and re-validates it per point with that point's overrides
(``load_document`` copies the data before applying them). A task is a pure function of its
arguments: a retried task (a lost Dask worker) gives the same outcomes, and the parent keeps one
row per run whatever happens.

A run that raises — an override that makes the scenario invalid, a bug in a flow — becomes an
outcome with ``status="failed"`` and the error text; the batch goes on.
"""

from __future__ import annotations

import functools
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

OK = "ok"
FAILED = "failed"
SLICES = 8
"""Slices per run (a worker runs each inside ``engine.one_run``, the collector paused throughout); a
sweep shows no per-run progress, and the engine's default of 200 costs a short run a fifth of its time."""


@dataclass(frozen=True)
class ScenarioSource:
    """A scenario as shipped to workers.

    Attributes:
        raw: The file's bytes (hashed into the log header exactly as ``drillsim run`` does).
        name: Name used in error messages (the path as given).
        source: What the log header records as the source (``bundled:<id>`` or an absolute path).
    """

    raw: bytes = field(repr=False)
    name: str
    source: str


@dataclass(frozen=True)
class Job:
    """One run: which point, which replicate, which seed, which overrides."""

    run_id: str
    point: int
    replicate: int
    seed: int
    overrides: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Outcome:
    """What came back from one run (metrics, not the log, unless logs were asked for)."""

    run_id: str
    status: str
    error: str | None
    wall_s: float
    metrics: dict[str, float | None] = field(default_factory=dict)
    ratings: dict[str, str | None] = field(default_factory=dict)
    score: float | None = None
    log: bytes | None = field(default=None, repr=False)


@functools.lru_cache(maxsize=4)
def _document(raw: bytes, name: str) -> Any:
    from drillsim.scenario.yamlsafe import parse_document

    return parse_document(raw, name)


def run_batch(scenario: ScenarioSource, jobs: Sequence[Job], keep_logs: bool = False) -> list[Outcome]:
    """Run ``jobs`` one after another; never raises for a failing run (it is recorded as failed)."""
    from drillsim.engine import one_run
    from drillsim.errors import InputError
    from drillsim.scenario.load import load_document

    loaded_cache: dict[tuple[tuple[str, Any], ...], Any] = {}
    out: list[Outcome] = []
    for job in jobs:
        t0 = time.perf_counter()
        try:
            loaded = loaded_cache.get(job.overrides)
            if loaded is None:
                try:
                    loaded = load_document(_document(scenario.raw, scenario.name), scenario.source,
                                           list(job.overrides))
                except InputError as exc:
                    loaded = exc
                loaded_cache = {job.overrides: loaded}  # points arrive in order: keep only the last
            if isinstance(loaded, InputError):
                raise loaded
            with one_run():  # the collector sleeps through the run; its cycles are collected after
                outcome = _run(loaded, job, keep_logs, t0)
            out.append(outcome)
        except Exception as exc:  # a failing run is data, not a crash of the sweep
            out.append(Outcome(job.run_id, FAILED, describe_error(exc), time.perf_counter() - t0))
    return out


def _run(loaded: Any, job: Job, keep_logs: bool, t0: float) -> Outcome:
    from drillsim.engine import Exercise
    from drillsim.logstore import RecordStore
    from drillsim.sweeps.metrics import run_metrics

    # The records go to a compact store, not a list (docs/design.md, "Memory"); kept logs are the lines as written.
    store = RecordStore()
    lines: list[bytes] = []
    add = store.add_line

    def keep_line(line: bytes) -> None:
        lines.append(line)
        add(line)

    exercise = Exercise(loaded, job.seed, keep=False, tee=keep_line if keep_logs else add)
    try:
        exercise.run(slices=SLICES)
        score = run_metrics(exercise.log.header or {}, store)
        log = b"".join(lines) if keep_logs else None
    finally:
        if exercise.ended:
            exercise.dispose()  # the records go now; the rest is the young generation's to collect
        else:
            release_model(exercise.model)
    return Outcome(job.run_id, OK, None, time.perf_counter() - t0, score.metrics, score.ratings, score.score, log)


def release_model(model: Any) -> None:
    """Let a finished run's mesa model be garbage-collected (see ``DrillModel.release``)."""
    model.release()


def describe_error(exc: BaseException) -> str:
    """One readable paragraph: the located problems of bad input, or the exception and where it came from."""
    from drillsim.errors import InputError
    from drillsim.log import RunLimit

    if isinstance(exc, InputError):
        return "; ".join(p.format() for p in exc.problems[:5]) + (
            f"; … {len(exc.problems) - 5} more" if len(exc.problems) > 5 else "")
    if isinstance(exc, RunLimit):  # a limit of docs/limits.md, not a fault: where it was raised says nothing
        return f"RunLimit: {exc}"
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"
