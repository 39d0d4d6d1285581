"""The parent side of a sweep: cut runs into batches, keep the workers busy, store every result.

Batching: a run of a small scenario takes a few milliseconds, less than the cost of shipping a task
to a process (and far less than a Dask task's), so runs go out in batches sized to take about
``target_task_s`` each, measured from the runs already finished. Batch sizes shrink towards the
end (at most the remaining runs over four times the slots, guided self-scheduling) so no worker is left
with a long last batch while the others idle. At most two tasks per slot are in flight, so a sweep
of a million runs does not queue a million tasks, and a Ctrl-C has little to cancel.

Each finished batch becomes one part file before the next result is taken (see
:mod:`drillsim.sweeps.store`), so a killed sweep loses only the runs in flight.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, wait
from dataclasses import dataclass

from drillsim.sweeps.backends import Backend
from drillsim.sweeps.plan import Plan
from drillsim.sweeps.progress import Progress
from drillsim.sweeps.store import Store
from drillsim.sweeps.tasks import FAILED, Job, Outcome, describe_error, run_batch

MAX_BATCH = 1000
REFRESH_S = 5.0
GUIDED = 4
"""A batch holds at most the remaining runs over GUIDED × slots: with two tasks per slot in flight,
the last tasks are small enough that no worker idles long at the end of the sweep."""


class SweepBroken(RuntimeError):
    """The executor itself failed (a local worker process died); finished runs are kept."""


@dataclass
class Tally:
    """Runs finished in this session."""

    ran: int = 0
    failed: int = 0


class BatchSizer:
    """Chooses how many runs go into the next task.

    Args:
        target_s: Wanted duration of one task.
        fixed: A fixed batch size (``--batch``), or None to adapt.
    """

    def __init__(self, target_s: float, fixed: int | None = None) -> None:
        self.target_s = target_s
        self.fixed = fixed
        self._runs = 0
        self._seconds = 0.0

    def observe(self, walls: Sequence[float]) -> None:
        """Learn from the wall times of finished runs."""
        self._runs += len(walls)
        self._seconds += sum(walls)

    def next(self, remaining: int, slots: int) -> int:
        """Batch size for the next task."""
        if self.fixed:
            return max(1, min(self.fixed, remaining))
        if self._runs == 0 or self._seconds <= 0:
            size = 2  # learn the run time before committing to big batches
        else:
            size = max(1, round(self.target_s / (self._seconds / self._runs)))
        guided = math.ceil(remaining / (GUIDED * max(1, slots)))
        return max(1, min(size, guided, MAX_BATCH, remaining))


def execute(backend: Backend, plan: Plan, jobs: Iterable[Job], count: int, store: Store,
            progress: Progress | None = None, *, keep_logs: bool = False, batch: int | None = None) -> Tally:
    """Run ``jobs`` on ``backend``; every finished batch is stored before the next is looked at.

    ``jobs`` is consumed lazily (a sweep of millions of runs never holds them all); ``count`` says
    how many there are, for batch sizing.

    Raises:
        SweepBroken: the executor broke (e.g. a local worker was killed); the caller aborts.
        KeyboardInterrupt: passed through; the caller aborts and compacts.
    """
    pending = iter(jobs)
    remaining = count
    inflight: dict[Future[list[Outcome]], list[Job]] = {}
    sizer = BatchSizer(backend.target_task_s, batch)
    tally = Tally()
    refreshed = time.monotonic()
    order = 0
    submitted: dict[Future[list[Outcome]], int] = {}
    while remaining or inflight:
        if time.monotonic() - refreshed > REFRESH_S:
            backend.refresh()
            refreshed = time.monotonic()
        slots = backend.slots
        while remaining and len(inflight) < 2 * slots:
            size = sizer.next(remaining, slots)
            chunk = list(itertools.islice(pending, size))
            remaining = remaining - len(chunk) if chunk else 0
            if not chunk:
                break
            try:
                future = backend.executor.submit(run_batch, plan.scenario, chunk, keep_logs)
            except BrokenExecutor as exc:
                raise SweepBroken(describe_error(exc)) from None
            inflight[future] = chunk
            submitted[future] = order
            order += 1
        done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
        for future in sorted(done, key=submitted.__getitem__):
            chunk = inflight.pop(future)
            submitted.pop(future, None)
            rows = _rows(plan, chunk, future, store, keep_logs, sizer)
            store.write_part(rows)
            failed = sum(1 for r in rows if r["status"] == FAILED)
            tally.ran += len(rows)
            tally.failed += failed
            if progress is not None:
                progress.update(len(rows), failed)
    return tally


def _rows(plan: Plan, chunk: list[Job], future: Future[list[Outcome]], store: Store, keep_logs: bool,
          sizer: BatchSizer) -> list[dict[str, object]]:
    try:
        outcomes = future.result()
    except BrokenExecutor as exc:
        raise SweepBroken(f"a worker process died ({describe_error(exc)})") from None
    except Exception as exc:  # a task lost for good (e.g. Dask's KilledWorker): its runs are failures
        error = f"task failed: {describe_error(exc)}"
        return [plan.failed_row(job, error) for job in chunk]
    assert isinstance(outcomes, list) and len(outcomes) == len(chunk)
    sizer.observe([o.wall_s for o in outcomes])
    rows = []
    for job, outcome in zip(chunk, outcomes, strict=True):
        if keep_logs and outcome.log is not None:
            store.write_log(job.run_id, outcome.log)
        rows.append(plan.row(job, outcome))
    return rows
