"""Fork-and-sweep: N continuations of a branch, and the same N continuations of the parent's choice.

One branch run shows one possible future. A trainer asking "would waiting have been better?"
needs the spread of futures after each choice. Continuation k re-keys every random stream at the
branch point with salt k (see :meth:`drillsim.rng.Streams.rekey`), so all runs share the parent's
history up to the branch point exactly, and draw new luck after it. Both arms use the same salts:
continuation k of the branch and continuation k of the parent's choice face the same re-keyed
streams (common random numbers), so the difference between the arms is the choice, not the dice.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillsim.fileio import atomic_write_text, exists_error
from drillsim.logstore import StoredLog, read_store
from drillsim.replay.branch import BranchError, BranchSpec, file_sha256, plan_branch, run_branch
from drillsim.replay.outcome import Outcome, outcome_of
from drillsim.replay.pool import run_jobs
from drillsim.replay.source import load_for_log


@dataclass(frozen=True)
class ForkJob:
    """One continuation to run in a worker."""

    parent: str
    scenario: str | None
    spec: BranchSpec
    out: str
    label: str
    replace: bool = False


@dataclass
class ForkResult:
    """Outcomes of both arms, continuation by continuation."""

    spec: BranchSpec
    parent_option: str | None
    branch: list[Outcome] = field(default_factory=list)
    parent: list[Outcome] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    point: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """fork.json."""
        return {"decision": self.spec.decision, "option": self.spec.option, "parent_option": self.parent_option,
                "point": self.point, "continuations": len(self.branch),
                "branch": [o.to_dict() for o in self.branch], "parent": [o.to_dict() for o in self.parent],
                "logs": self.logs}


@functools.lru_cache(maxsize=1)
def _parent(path: str, mtime_ns: int) -> tuple[StoredLog, str]:
    """The parent log (held compactly) and its sha256, read once per worker process (the cache holds one log)."""
    return read_store(path), file_sha256(path)


def run_job(job: ForkJob) -> dict[str, Any]:
    """Run one continuation; write its log; return its outcome as a dict (sent back to the parent process)."""
    parent, sha = _parent(job.parent, Path(job.parent).stat().st_mtime_ns)
    loaded = load_for_log(parent.header, job.scenario, log_name=job.parent)
    plan = plan_branch(parent, job.spec, sha)
    out = Path(job.out)
    result = run_branch(parent, loaded, plan, log_path=out / "events.jsonl", replace=job.replace)
    outcome = outcome_of(result.log.header, result.log.records, job.label)
    atomic_write_text(out / "outcome.json", json.dumps(outcome.to_dict(), ensure_ascii=False, indent=1) + "\n")
    return {"outcome": outcome.to_dict(), "log": str(out / "events.jsonl"), "skipped": len(result.skipped),
            "point": {"t": plan.point_t, "seq": plan.point_seq}}


def fork_and_sweep(parent_path: str | Path, spec: BranchSpec, n: int, out: str | Path, *,
                   scenario: str | Path | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None, replace: bool = False) -> ForkResult:
    """Run continuations 1..n of the branch and of the parent's choice (see the module docstring).

    Args:
        parent_path: The parent log.
        spec: The branch.
        n: Continuations per arm.
        out: Where ``branch-NNN/`` and ``parent-NNN/`` go.
        scenario: The scenario file, when it moved.
        workers: Processes.
        progress: Called with ``(done, total)``.
        replace: Replace continuation logs already in ``out`` (``--force``); else they are refused
            before anything runs.

    Raises:
        BranchError: The branch cannot be made (checked once, before any worker starts).
        FileExistsError: A continuation's log is already in ``out`` and ``replace`` is false.
    """
    if n < 1:
        raise BranchError("--replicates needs at least 1 continuation")
    parent_path = Path(parent_path)
    parent = read_store(parent_path)
    sha = file_sha256(parent_path)
    load_for_log(parent.header, scenario, log_name=str(parent_path))  # fail fast: scenario changed or missing
    probe = plan_branch(parent, dataclasses.replace(spec, continuation=1, arm="branch"), sha)
    parent_option = probe.parent_choice["option"] if probe.parent_choice else None
    out = Path(out)
    jobs: list[ForkJob] = []
    scen = str(scenario) if scenario is not None else None
    for k in range(1, n + 1):
        jobs.append(ForkJob(str(parent_path), scen, dataclasses.replace(spec, continuation=k, arm="branch"),
                            str(out / f"branch-{k:03d}"), f"{spec.option} #{k}", replace))
        jobs.append(ForkJob(str(parent_path), scen,
                            dataclasses.replace(spec, option=parent_option or spec.option, continuation=k,
                                                arm="parent"),
                            str(out / f"parent-{k:03d}"), f"{parent_option or 'parent'} #{k}", replace))
    if not replace:
        for job in jobs:
            if os.path.lexists(Path(job.out) / "events.jsonl"):
                raise exists_error(Path(job.out) / "events.jsonl", "a continuation's log")
    results = run_jobs(run_job, jobs, workers=workers, progress=progress)
    fork = ForkResult(spec, parent_option, point={"t": probe.point_t, "seq": probe.point_seq})
    for job, res in zip(jobs, results, strict=True):
        (fork.branch if job.spec.arm == "branch" else fork.parent).append(Outcome.from_dict(res["outcome"]))
        fork.logs.append(res["log"])
    atomic_write_text(out / "fork.json", json.dumps(fork.to_dict(), ensure_ascii=False, indent=1) + "\n")
    return fork
