"""Baseline: how would doctrine alone have done? N runs of the recorded scenario with nobody playing.

Each baseline run uses the log's scenario file (checked by sha256), overrides and seed, no players
and no inputs, and replicate r = 1..N (the replicate is part of every random stream's key, so the
runs differ in their luck, reproducibly: replicate r of a seed is always the same run). A run the
facilitator ended early is compared over the same span: baseline runs end when it ended. The
recorded run is then placed in that distribution per objective and overall (a percentile).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drillsim.fileio import exists_error
from drillsim.log import END_KIND, INPUT_KIND, read_log
from drillsim.replay.compare import RunSummary
from drillsim.replay.curves import curves_of
from drillsim.replay.inputs import Ending, drive, exercise_for
from drillsim.replay.outcome import outcome_of
from drillsim.replay.pool import run_jobs
from drillsim.replay.source import load_for_log


@dataclass(frozen=True)
class BaselineJob:
    """One doctrine-only run."""

    log: str
    scenario: str | None
    replicate: int
    times: tuple[float, ...]
    agencies: tuple[str, ...]
    ending: Ending | None
    out: str | None
    replace: bool = False


@functools.lru_cache(maxsize=1)
def _header(path: str, mtime_ns: int) -> dict[str, Any]:
    return read_log(path).header


def run_one(job: BaselineJob) -> RunSummary:
    """Run one baseline replicate (in a worker); write its log when ``out`` is set."""
    header = dict(_header(job.log, Path(job.log).stat().st_mtime_ns))
    loaded = load_for_log(header, job.scenario, log_name=job.log)
    header.update(players=[], replicate=job.replicate)
    log_path = Path(job.out) / "events.jsonl" if job.out else None
    ex = exercise_for(header, loaded, log_path=log_path, keep=True, players=(), replace=job.replace,
                      extra_header={"baseline_of": {"scenario": (header.get("scenario") or {}).get("id"),
                                                    "seed": header.get("seed"), "replicate": job.replicate}})
    try:
        drive(ex, [], ending=job.ending)
    finally:
        ex.log.close()
    records = ex.log.records[1:]
    label = f"doctrine #{job.replicate}"
    outcome = outcome_of(ex.log.header or {}, records, label)
    curves = curves_of(records, job.times, job.agencies)
    return RunSummary(label, str(log_path) if log_path else "", ex.log.header or {}, outcome, curves,
                      float(records[-1][0]) if records else 0.0, ex.ended)


def recorded_span(records: list[Any], duration: float) -> Ending | None:
    """When the recorded run ended early (an ``end`` input or a direct finish): the baseline ends then too."""
    if not records or records[-1].kind != END_KIND:
        return None
    last = records[-1]
    if float(last.t) >= duration:
        return None
    ended_by_input = any(r.kind == INPUT_KIND and r.data.get("kind") == "end" for r in records)
    return Ending(float(last.t), "facilitator" if ended_by_input else str(last.data.get("reason", "duration")))


def run_baseline(log_path: str | Path, n: int, times: tuple[float, ...], agencies: tuple[str, ...], *,
                 scenario: str | Path | None = None, out: str | Path | None = None, workers: int | None = None,
                 progress: Callable[[int, int], None] | None = None, replace: bool = False) -> list[RunSummary]:
    """Run replicates 1..n with doctrine only; logs go to ``out/doctrine-NNN/`` when ``out`` is set.

    Logs already there are refused before anything runs, unless ``replace`` (``--force``).
    """
    log = read_log(log_path)
    load_for_log(log.header, scenario, log_name=str(log_path))  # fail fast: scenario changed or missing
    ending = recorded_span(log.records, float(log.header.get("duration") or 0.0))
    jobs = [BaselineJob(str(log_path), str(scenario) if scenario is not None else None, r, times, agencies, ending,
                        str(Path(out) / f"doctrine-{r:03d}") if out is not None else None, replace)
            for r in range(1, n + 1)]
    for job in jobs if not replace else ():
        if job.out is not None and os.path.lexists(Path(job.out) / "events.jsonl"):
            raise exists_error(Path(job.out) / "events.jsonl", "a baseline run's log")
    return run_jobs(run_one, jobs, workers=workers, progress=progress)
