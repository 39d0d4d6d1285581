"""Run independent replay jobs (branch continuations, baseline runs) on a local process pool.

Each job is a picklable function and argument; results come back in job order. Workers ignore
Ctrl-C so the parent decides: on an interrupt it cancels what has not started, terminates the
workers and re-raises, so the command exits 130 and no half-written result is reported. Every job
writes its files atomically or not at all (event logs are append-only and flushed, so a killed
job leaves a readable, torn prefix that is never mistaken for a finished run: it has no
``exercise.ended``).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

T = TypeVar("T")


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_workers(jobs: int) -> int:
    """One worker per core, never more than there are jobs."""
    return max(1, min(jobs, os.cpu_count() or 1))


def run_jobs(fn: Callable[[Any], T], args: Sequence[Any], *, workers: int | None = None,
             progress: Callable[[int, int], None] | None = None) -> list[T]:
    """``[fn(a) for a in args]``, in parallel when ``workers`` > 1; exceptions propagate (first one wins).

    Args:
        fn: A module-level function (it is sent to worker processes).
        args: One argument per job.
        workers: Processes to use (default: one per core); 1 runs in this process.
        progress: Called with ``(done, total)`` as jobs finish.
    """
    total = len(args)
    n = default_workers(total) if workers is None else max(1, workers)
    if n == 1 or total <= 1:
        out = []
        for i, a in enumerate(args):
            out.append(fn(a))
            if progress is not None:
                progress(i + 1, total)
        return out
    pool = ProcessPoolExecutor(max_workers=min(n, total), initializer=_ignore_sigint)
    futures: list[Future[T]] = []
    try:
        futures = [pool.submit(fn, a) for a in args]
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when="FIRST_COMPLETED")
            for f in finished:
                f.result()  # raise the first failure now
            if progress is not None:
                progress(total - len(pending), total)
        return [f.result() for f in futures]
    except BaseException:
        for f in futures:
            f.cancel()
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
