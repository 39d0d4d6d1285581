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
CONNECT_TIMEOUT_S = 20.0
"""How long a Dask scheduler has to answer the handshake (a service that is not one never does)."""
WAIT_WORKERS_S = 300.0
"""How long a sweep waits for the first worker of a scheduler that has none (``--wait-workers``)."""


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
    _restart: Callable[[], Executor] | None = field(default=None, repr=False)

    @property
    def restartable(self) -> bool:
        """True for a local pool: a worker that died breaks it, and a new one can take over."""
        return self._restart is not None

    def restart(self) -> None:
        """Replace a broken local pool with a fresh one (its workers are terminated first)."""
        assert self._restart is not None, "only a local pool is restarted"
        self.abort()
        _shutdown(self.executor, wait=True)  # its threads are gone before the new pool forks
        self.executor = self._restart()

    def worker_processes(self) -> list[Any]:
        """The local pool's worker processes (``multiprocessing.Process``), for their exit status."""
        return list((getattr(self.executor, "_processes", None) or {}).values())

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


def open_backend(name: str, *, workers: int | None = None, address: str | None = None,
                 wait_workers: float = WAIT_WORKERS_S, say: Callable[[str], None] | None = None) -> Backend:
    """Start (or connect to) the executor for ``name``.

    Args:
        name: ``local`` or ``dask``.
        workers: Local processes, LocalCluster workers, or the Dask workers to wait for.
        address: A Dask scheduler (``tcp://host:8786``).
        wait_workers: Seconds to wait for the first worker of a scheduler that has none yet.
        say: Told (one line) while waiting for workers.

    Raises:
        InputError: unknown backend, a bad worker count, dask not installed, an address that is not
            a Dask scheduler (nothing answers the handshake within :data:`CONNECT_TIMEOUT_S`), or a
            scheduler no worker joins within ``wait_workers`` (exit code 2: the option cannot be used).
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
        ctx = _mp_context()  # chosen once: a restarted pool starts its workers the same way
        backend = Backend(_local_pool(n, ctx), n, "local", f"local: {n} process{'es' if n > 1 else ''}",
                          target_task_s=0.3)
        backend._restart = lambda: _local_pool(n, ctx)
        return backend
    return _open_dask(workers, address, wait_workers, say or (lambda _: None))


def _local_pool(n: int, ctx: multiprocessing.context.BaseContext) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker)


_EXPECTED_ADDRESS = "the address printed by the scheduler, e.g. tcp://10.0.0.5:8786"


def _probe(address: str) -> None:
    """Check that a Dask scheduler answers at ``address``, within :data:`CONNECT_TIMEOUT_S` in all.

    ``Client(address, timeout=...)`` bounds the TCP connect but not the handshake: pointed at a
    service that accepts connections and never speaks Dask (its HTTP dashboard, say) it waits for
    minutes. So the handshake is tried first on a bare connection, under one deadline.

    Raises:
        InputError: a malformed address, nothing listening, or no Dask scheduler answering.
    """
    import asyncio

    from distributed.comm import connect

    async def identity() -> Any:
        comm = await connect(address, timeout=CONNECT_TIMEOUT_S)
        try:
            await comm.write({"op": "identity"})
            return await comm.read()
        finally:
            comm.abort()

    def refuse(message: str) -> InputError:
        return InputError([Problem("--address", 0, 0, "", message, _EXPECTED_ADDRESS)])

    try:
        reply = asyncio.run(asyncio.wait_for(identity(), CONNECT_TIMEOUT_S))
    except ValueError as exc:  # an unknown scheme (gopher://), a malformed address
        raise refuse(f"{address!r} is not a Dask scheduler address: {exc}") from None
    except TimeoutError:
        raise refuse(f"nothing at {address} answered as a Dask scheduler within {CONNECT_TIMEOUT_S:.0f} s "
                     "(is it another service, such as the dashboard's port?)") from None
    except (OSError, EOFError) as exc:  # refused, unreachable, closed: distributed's CommClosedError is an OSError
        raise refuse(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    except Exception as exc:  # anything a non-Dask peer makes the protocol raise (garbage, wrong framing)
        raise refuse(f"{address} did not answer as a Dask scheduler ({type(exc).__name__})") from None
    if not (isinstance(reply, dict) and reply.get("type") == "Scheduler"):
        raise refuse(f"{address} answered, but not as a Dask scheduler")


def _wait_for_workers(client: Any, address: str, wanted: int, wait_s: float, say: Callable[[str], None]) -> None:
    """Wait until the scheduler has workers (``wanted`` of them, at least one), saying so, up to ``wait_s``.

    Raises:
        InputError: not a single worker joined in time.
    """
    if sum(client.nthreads().values()) >= wanted:
        return
    say(f"waiting up to {wait_s:.0f} s for Dask workers to join {address} (none yet; start them with "
        f"`dask worker {address}`)")
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if sum(client.nthreads().values()) >= wanted:
            return
        time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
    if not client.nthreads():
        raise InputError([Problem("--address", 0, 0, "", f"the Dask scheduler at {address} has no workers "
                                  f"(waited {wait_s:.0f} s)",
                                  f"workers started with `dask worker {address}`, or a longer --wait-workers")])


def _open_dask(workers: int | None, address: str | None, wait_s: float, say: Callable[[str], None]) -> Backend:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError([Problem("--backend", 0, 0, "", "the dask backend needs dask.distributed",
                                  "pip install 'drillsim[cluster]'")]) from None
    closers: list[Callable[[], object]] = []
    if address:
        _probe(address)
        try:
            client = Client(address, timeout=f"{CONNECT_TIMEOUT_S:.0f}s")
        except (OSError, TimeoutError) as exc:
            raise InputError([Problem("--address", 0, 0, "", f"cannot reach the Dask scheduler at {address}: {exc}",
                                      _EXPECTED_ADDRESS)]) from None
        closers.append(client.close)
        where = address
        try:
            _wait_for_workers(client, address, max(1, workers or 1), wait_s, say)
        except BaseException:
            client.close()
            raise
    else:
        n = workers or available_cores()
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
        closers.append(cluster.close)
        client = Client(cluster)
        closers.append(client.close)
        where = "LocalCluster"
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
