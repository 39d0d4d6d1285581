"""Where runs execute: one ``concurrent.futures.Executor`` interface, two engines (DESIGN §6).

- ``local``: a :class:`~concurrent.futures.ProcessPoolExecutor` (default: every core this process
  may use). Workers ignore SIGINT, so Ctrl-C reaches only the parent, which cancels what is queued
  and terminates the workers; no worker dies half-way through writing anything, because workers
  write nothing (the parent stores results).
- ``dask``: Dask distributed. With ``address`` (``tcp://host:8786``) it connects to an existing
  scheduler — a cluster started with dask-jobqueue on SLURM, dask-kubernetes, or ``dask scheduler``
  / ``dask worker`` by hand — and uses ``Client(address).get_executor()``; without one it starts a
  ``LocalCluster`` with ``workers`` single-threaded worker processes. Dask retries the tasks of a
  worker that is lost; tasks are pure, so a retry gives the same result.

Dask is imported only when the dask backend is used (``pip install 'drillsim[cluster]'``).
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from drillsim.errors import InputError, Problem

BACKENDS = ("local", "dask")


def _init_worker() -> None:
    """Worker initializer: Ctrl-C is for the parent, which decides how to stop; warm the imports.

    A worker also exits when its parent is gone (``kill -9`` of the sweep): otherwise it would wait
    forever on a queue whose other end it holds itself.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm()
    gc.freeze()  # the imported modules are permanent: keep them out of every full collection
    parent = os.getppid()  # the sweep (fork, spawn) or the fork server, which exits with the sweep

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="drillsim-parent-watch", daemon=True).start()


def warm() -> None:
    """Import the engine now, so the first run of a worker is not charged with import time."""
    import drillsim.engine
    import drillsim.sweeps.metrics
    import drillsim.sweeps.tasks  # noqa: F401


def _mp_context() -> multiprocessing.context.BaseContext:
    """How local workers start.

    Chosen explicitly because importing mesa switches the global default to ``spawn`` (its batch
    runner does so at import), which would re-import the caller's main module in every worker.
    ``fork`` starts fastest and inherits the imported engine, but forking a process that runs
    threads (a notebook kernel, a Dask client) is unsafe; then a ``forkserver`` that preloads only
    the engine (never ``__main__``) is used, and ``spawn`` where neither exists.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["drillsim.sweeps.tasks", "drillsim.engine"])
        return ctx
    return multiprocessing.get_context("spawn")


def available_cores() -> int:
    """Cores this process may run on (affinity-aware where the OS says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


@dataclass
class Backend:
    """An open executor plus what the scheduler needs to know about it.

    Attributes:
        executor: Where tasks are submitted.
        slots: How many tasks can run at once (workers × threads).
        name: ``local`` or ``dask``.
        description: One line for the console (``local: 2 processes``, ``dask: tcp://…, 8 workers``).
        target_task_s: How long a task should take so that per-task overhead stays small.
        dashboard: The Dask dashboard link, if any.
    """

    executor: Executor
    slots: int
    name: str
    description: str
    target_task_s: float
    dashboard: str | None = None
    _close: list[Callable[[], object]] = field(default_factory=list, repr=False)
    _slots_now: Callable[[], int] | None = field(default=None, repr=False)

    def close(self) -> None:
        """Wait for nothing further and release the workers (normal end)."""
        _shutdown(self.executor, wait=True)
        for fn in reversed(self._close):
            fn()
        self._close.clear()

    def refresh(self) -> int:
        """Re-read the number of slots (an adaptive cluster grows and shrinks); returns it."""
        if self._slots_now is not None:
            try:
                self.slots = max(1, self._slots_now())
            except Exception:  # pragma: no cover - scheduler briefly unreachable: keep the last count
                pass
        return self.slots

    def abort(self) -> None:
        """Stop now (Ctrl-C, a fatal error): cancel queued tasks, terminate local workers."""
        try:
            _shutdown(self.executor, wait=False)
        except Exception:  # pragma: no cover - shutting down a broken pool
            pass
        if isinstance(self.executor, ProcessPoolExecutor):
            _terminate(self.executor)
        for fn in reversed(self._close):
            try:
                fn()
            except Exception:  # pragma: no cover - best effort while aborting
                pass
        self._close.clear()


def _shutdown(executor: Executor, *, wait: bool) -> None:
    if isinstance(executor, ProcessPoolExecutor):
        executor.shutdown(wait=wait, cancel_futures=True)
    else:  # dask's ClientExecutor: wait=False cancels what is pending
        executor.shutdown(wait=wait)


def _terminate(pool: ProcessPoolExecutor) -> None:
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if callable(terminate):
        terminate()
        return
    processes: dict[int, Any] = dict(getattr(pool, "_processes", None) or {})
    for proc in processes.values():
        if proc.is_alive():
            proc.terminate()
    for proc in processes.values():
        proc.join(timeout=5)


def open_backend(name: str, *, workers: int | None = None, address: str | None = None) -> Backend:
    """Start (or connect to) the executor for ``name``.

    Raises:
        InputError: unknown backend, a bad worker count, dask not installed, or a scheduler that
            cannot be reached (exit code 2: the option cannot be used).
    """
    if name not in BACKENDS:
        raise InputError([Problem("--backend", 0, 0, "", f"unknown backend {name!r}", "local or dask")])
    if workers is not None and workers < 1:
        raise InputError([Problem("--workers", 0, 0, "", f"{workers} workers", "1 or more")])
    if name == "local":
        if address:
            raise InputError([Problem("--address", 0, 0, "", "an address is only used by the dask backend",
                                      "--backend dask --address tcp://host:8786")])
        n = workers or available_cores()
        warm()  # forked workers inherit the imports
        pool = ProcessPoolExecutor(max_workers=n, mp_context=_mp_context(), initializer=_init_worker)
        return Backend(pool, n, "local", f"local: {n} process{'es' if n > 1 else ''}", target_task_s=0.3)
    return _open_dask(workers, address)


def _open_dask(workers: int | None, address: str | None) -> Backend:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError([Problem("--backend", 0, 0, "", "the dask backend needs dask.distributed",
                                  "pip install 'drillsim[cluster]'")]) from None
    closers: list[Callable[[], object]] = []
    if address:
        try:
            client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InputError([Problem("--address", 0, 0, "", f"cannot reach the Dask scheduler at {address}: {exc}",
                                      "the address printed by the scheduler, e.g. tcp://10.0.0.5:8786")]) from None
        closers.append(client.close)
        where = address
    else:
        n = workers or available_cores()
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
        closers.append(cluster.close)
        client = Client(cluster)
        closers.append(client.close)
        where = "LocalCluster"
    if address and workers:
        try:
            client.wait_for_workers(workers, timeout=120)
        except TimeoutError:
            pass
    try:
        client.run(warm)
    except Exception:  # pragma: no cover - a worker that cannot import drillsim fails its tasks visibly
        pass
    slots = max(1, sum(client.nthreads().values()))
    link = getattr(client, "dashboard_link", None)
    executor = client.get_executor(pure=False)
    backend = Backend(executor, slots, "dask", f"dask: {where}, {slots} worker thread{'s' if slots > 1 else ''}",
                      target_task_s=1.0, dashboard=link)
    backend._close = closers
    backend._slots_now = lambda: sum(client.nthreads().values())
    return backend
