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
from collections import deque
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

    A run that kills its worker process (a crash in native code, the out-of-memory killer) must not
    stop the sweep, nor be run again by every ``--resume``. When a local worker dies, the pool is
    broken and every task in flight is lost with it; their runs are *suspects*: the pool is
    restarted and each suspect runs alone, one at a time, so a run that kills its worker again is
    known for certain and stored as a failed row (``the run killed its worker process``); the
    others get their normal rows. On Dask a task lost with its workers (``KilledWorker``) has its
    runs retried one per task the same way.

    Raises:
        SweepBroken: the executor cannot be used (it broke and is not a local pool, or worker
            processes keep dying whatever they run); finished runs are stored. The caller aborts.
        KeyboardInterrupt: passed through; the caller aborts and compacts.
    """
    pending = iter(jobs)
    remaining = count
    suspects: deque[Job] = deque()
    inflight: dict[Future[list[Outcome]], list[Job]] = {}
    sizer = BatchSizer(backend.target_task_s, batch)
    tally = Tally()
    refreshed = time.monotonic()
    order = itertools.count()
    submitted: dict[Future[list[Outcome]], int] = {}
    killers = 0
    while remaining or inflight or suspects:
        if time.monotonic() - refreshed > REFRESH_S:
            backend.refresh()
            refreshed = time.monotonic()
        alone = backend.restartable and bool(suspects)  # isolating: one suspect at a time, nothing else
        room = 1 if alone else 2 * backend.slots
        while len(inflight) < room:
            if suspects:
                chunk = [suspects.popleft()]
            elif remaining and not alone:
                chunk = list(itertools.islice(pending, sizer.next(remaining, backend.slots)))
                remaining = remaining - len(chunk) if chunk else 0
                if not chunk:
                    break
            else:
                break
            try:
                future = backend.executor.submit(run_batch, plan.scenario, chunk, keep_logs)
            except BrokenExecutor as exc:  # the pool broke under the tasks in flight: all of them are suspects
                if not backend.restartable:
                    raise SweepBroken(describe_error(exc)) from None
                suspects.extendleft(reversed(chunk))
                for lost in inflight.values():
                    suspects.extend(lost)
                inflight.clear()
                submitted.clear()
                killers += 1  # no run could be blamed: a pool that breaks again and again is the problem
                if killers >= MAX_KILLERS:
                    raise SweepBroken(f"worker processes keep dying ({describe_error(exc)})") from None
                backend.restart()
                break
            inflight[future] = chunk
            submitted[future] = next(order)
        if not inflight:
            continue
        done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
        for future in sorted(done, key=submitted.__getitem__):
            if future not in inflight:
                continue  # lost with a broken pool: its runs are suspects now
            chunk = inflight.pop(future)
            submitted.pop(future, None)
            try:
                outcomes = future.result()
            except BrokenExecutor as exc:
                if not backend.restartable:
                    raise SweepBroken(f"a worker process died ({describe_error(exc)})") from None
                codes = _exit_codes(backend)  # read before the restart closes them
                backend.restart()
                if alone:  # this run was alone in the pool: it killed its worker
                    killers += 1
                    _store(plan.failed_rows(chunk, KILLED + _how_died(codes)), store, tally, progress)
                    if killers >= MAX_KILLERS:
                        raise SweepBroken(f"worker processes keep dying: the last {killers} runs each killed theirs "
                                          "(stored as failed)") from None
                else:
                    suspects.extend(chunk)
                    for lost in inflight.values():
                        suspects.extend(lost)
                inflight.clear()
                submitted.clear()
                break
            except Exception as exc:  # a task lost for good (e.g. Dask's KilledWorker)
                if len(chunk) > 1:
                    suspects.extend(chunk)  # one run per task: only the run that loses its task again fails
                    continue
                _store(plan.failed_rows(chunk, f"task failed: {describe_error(exc)}"), store, tally, progress)
                continue
            killers = 0
            _store(_rows(plan, chunk, outcomes, store, keep_logs, sizer), store, tally, progress)
    return tally


KILLED = "the run killed its worker process"
MAX_KILLERS = 8
"""Runs in a row that each kill their worker before the sweep stops: by then it is the workers, not the runs."""


def _exit_codes(backend: Backend) -> list[int | None]:
    """Exit statuses of the pool's workers that have exited (an exiting one is waited for briefly)."""
    from multiprocessing.connection import wait as ready

    out = []
    deadline = time.monotonic() + 2.0
    for proc in backend.worker_processes():
        try:
            # Its end was seen (sentinel ready) but no status yet: the pool's own thread may be reaping
            # it at this moment (then our waitpid finds no child and reads None, and the status lands on
            # the same process object a moment later): ask again until it does.
            while proc.exitcode is None and ready([proc.sentinel], 0) and time.monotonic() < deadline:
                proc.join(timeout=0.05)
                if proc.exitcode is None:
                    time.sleep(0.01)
            out.append(proc.exitcode)
        except (ValueError, OSError):  # a process object already closed
            out.append(None)
    return out


def _how_died(exits: list[int | None]) -> str:
    """`` (signal 11, SIGSEGV)`` from the exit statuses of the broken pool's workers."""
    import signal

    codes = [c for c in exits if c not in (None, 0)]
    own = [c for c in codes if c != -signal.SIGTERM]  # the pool terminates the other workers itself
    if not codes:
        return " (a crash in native code, or killed by the system, e.g. out of memory)"
    code = (own or codes)[0]
    if code < 0:
        try:
            return f" (signal {-code}, {signal.Signals(-code).name})"
        except ValueError:
            return f" (signal {-code})"
    return f" (exit status {code})"


def _store(rows: list[dict[str, object]], store: Store, tally: Tally, progress: Progress | None) -> None:
    store.write_part(rows)
    failed = sum(1 for r in rows if r["status"] == FAILED)
    tally.ran += len(rows)
    tally.failed += failed
    if progress is not None:
        progress.update(len(rows), failed)


def _rows(plan: Plan, chunk: list[Job], outcomes: list[Outcome], store: Store, keep_logs: bool,
          sizer: BatchSizer) -> list[dict[str, object]]:
    assert isinstance(outcomes, list) and len(outcomes) == len(chunk)
    sizer.observe([o.wall_s for o in outcomes])
    rows = []
    for job, outcome in zip(chunk, outcomes, strict=True):
        if keep_logs and outcome.log is not None:
            store.write_log(job.run_id, outcome.log)
        rows.append(plan.row(job, outcome))
    return rows
