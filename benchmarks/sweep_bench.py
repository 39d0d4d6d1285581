"""Sweep benchmark: parallel efficiency of the local backend, per-run overhead of Dask.

    python -m benchmarks.sweep_bench [--scenario ID] [--runs N] [--repeats 3] [--out FILE]

Scenarios: ``mentougou-flash-flood`` (small and fast: 1,000 runs) and the flagship
``rainstorm-2023-07`` (road cuts, several provinces, joint operations: 40 runs).

1. **Parallel efficiency** of ``--backend local``: the same sweep of a bundled scenario (an LHS
   over its declared parameters, ``--runs`` runs) with 1 worker and with 2, end to end as a user
   sees it (pool start, batching, part files, compaction; no report). Efficiency =
   T(1) / (2 · T(2)). The two are interleaved and the best of ``--repeats`` is kept for each, so
   a burst of load from another process hurts both alike. For every measurement the CPU time the
   rest of the machine used meanwhile is recorded (``/proc/stat`` minus this process tree), and the
   cleanest measurement of each kind is kept; before starting, the script waits (up to ``--wait``
   s) for the load average to drop, and the results say whether the kept measurements were clean.
   On a machine shared with other busy processes, run it at a higher priority (``nice -n -10``, as
   root) so that they take less of the cores; the niceness is recorded.
   Pairs are measured until ``--repeats`` clean pairs were seen or ``--budget`` seconds passed.
2. **Dask overhead**: the same sweep on a Dask ``LocalCluster`` with 2 single-threaded workers
   against ``local`` with 2 processes. Start-up (cluster vs pool) is timed on its own; the
   per-run overhead is the difference of the remaining time divided by the number of runs.

Writes a JSON file (``benchmarks/sweep_results.json`` by default, which ``python -m benchmarks``
includes in its results) and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCENARIO = "mentougou-flash-flood"
VARY = {
    "mentougou-flash-flood": ["county-deadline", "flood-rate", "reporter-probability"],
    # a flagship: road cuts, several provinces, joint operations; ~1 s of CPU a run
    "rainstorm-2023-07": ["detection-delay", "reporter-probability", "update-interval"],
}
"""The declared parameters each benchmarked scenario's LHS varies."""
MIN_RUNS = {"mentougou-flash-flood": 100, "rainstorm-2023-07": 40}
CLEAN = 0.05
"""A measurement is clean when the rest of the machine used less than this share of one core meanwhile."""


def load1() -> float:
    return round(os.getloadavg()[0], 2)


def busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (Linux /proc/stat; 0 elsewhere)."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_s() -> float:
    """CPU seconds used by this process and its (finished) children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def busy_share(seconds: float = 3.0) -> float:
    """Share of all cores busy over the next ``seconds`` (0 … 1), whoever uses them."""
    b0, t0 = busy_cpu_s(), time.monotonic()
    time.sleep(seconds)
    return (busy_cpu_s() - b0) / ((time.monotonic() - t0) * (os.cpu_count() or 1))


def wait_quiet(limit: float) -> dict[str, Any]:
    """Wait until the machine is idle (under 10 % busy over 3 s), at most ``limit`` seconds."""
    t0 = time.monotonic()
    share = busy_share()
    while share > 0.10 and time.monotonic() - t0 < limit:
        time.sleep(2)
        share = busy_share()
    return {"busy_share": round(share, 3), "waited_s": round(time.monotonic() - t0, 1), "load1": load1()}


def timed_sweep(prepared: Any, backend: str, workers: int) -> dict[str, Any]:
    from drillsim.sweeps.api import run

    tmp = Path(tempfile.mkdtemp(prefix="sweep-bench-"))
    try:
        busy0, own0, load = busy_cpu_s(), own_cpu_s(), load1()
        t0 = time.perf_counter()
        result = run(prepared, tmp / "out", backend=backend, workers=workers)
        wall = time.perf_counter() - t0
        own = own_cpu_s() - own0
        foreign = max(0.0, busy_cpu_s() - busy0 - own)
        table = result.table
        assert table.num_rows == prepared.plan.total and result.failures == 0
        walls = table.column("wall_s").to_pylist()
        return {"wall_s": round(wall, 4), "own_cpu_s": round(own, 3), "foreign_cpu_s": round(foreign, 3),
                "load1_before": load, "runs": len(walls), "run_wall_mean_ms": round(sum(walls) / len(walls) * 1000, 3)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def startup(backend: str, workers: int) -> float:
    from drillsim.sweeps.backends import open_backend
    from drillsim.sweeps.tasks import ScenarioSource, run_batch

    t0 = time.perf_counter()
    b = open_backend(backend, workers=workers)
    # one trivial task per slot: the pool is up only once its workers answer
    futures = [b.executor.submit(run_batch, ScenarioSource(b"", "-", "-"), [], False) for _ in range(workers)]
    for f in futures:
        f.result()
    took = time.perf_counter() - t0
    b.close()
    return round(took, 4)


def _projection(one: list[dict[str, Any]], two: list[dict[str, Any]]) -> dict[str, Any]:
    c1 = min(m["own_cpu_s"] for m in one)
    c2 = min(m["own_cpu_s"] for m in two)
    quiet1 = min(one, key=lambda m: m["foreign_cpu_s"] / m["wall_s"])
    runs_s = quiet1["run_wall_mean_ms"] / 1000 * quiet1.get("runs", 0)
    serial = max(0.0, quiet1["wall_s"] - runs_s) if runs_s else 0.0
    t2 = serial + max(0.0, c2 - serial) / 2
    return {"cpu_1_s": c1, "cpu_2_s": c2, "cpu_overhead_of_parallel": round(c2 / c1 - 1, 3),
            "serial_s": round(serial, 3), "t1_s": round(c1, 3), "t2_s": round(t2, 3),
            "efficiency": round(c1 / (2 * t2), 3) if t2 > 0 else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.sweep_bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", choices=sorted(VARY), default=SCENARIO)
    ap.add_argument("--runs", type=int, default=None,
                    help="runs per sweep (default 1000 for mentougou, 40 for rainstorm; at least 100 / 40)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--wait", type=float, default=120.0, help="seconds to wait for a busy machine to calm down")
    ap.add_argument("--budget", type=float, default=900.0, help="seconds to spend collecting clean measurements")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--out", type=Path, default=HERE / "sweep_results.json")
    ap.add_argument("--quiet", action="store_true", help="do not print the results (python -m benchmarks does)")
    args = ap.parse_args(argv)
    least = MIN_RUNS[args.scenario]
    if args.runs is None:
        args.runs = 1000 if least >= 100 else least
    if args.runs < least:
        ap.error(f"--runs must be at least {least} for {args.scenario}")
    from drillsim.sweeps.api import prepare

    replicates = 4
    prepared = prepare(args.scenario, VARY[args.scenario], design="lhs",
                       points=args.runs // replicates, replicates=replicates, seed=2024)
    runs = prepared.plan.total
    timed_sweep(prepared, "local", 2)  # warm the page cache and imports
    quiet: list[dict[str, Any]] = []
    one: list[dict[str, Any]] = []
    two: list[dict[str, Any]] = []
    deadline = time.monotonic() + args.budget
    clean_pairs = 0
    while clean_pairs < args.repeats and time.monotonic() < deadline:
        quiet.append(wait_quiet(max(0.0, min(args.wait, deadline - time.monotonic()))))
        a = timed_sweep(prepared, "local", 1)
        b = timed_sweep(prepared, "local", 2)
        one.append(a)
        two.append(b)
        clean_pairs += all(m["foreign_cpu_s"] <= CLEAN * m["wall_s"] for m in (a, b))
    # Other processes on this shared machine steal CPU: judge each measurement by the CPU time the
    # rest of the machine used meanwhile, and keep the cleanest of each kind.
    best1 = min(one, key=lambda m: (m["foreign_cpu_s"] > CLEAN * m["wall_s"], m["wall_s"]))
    best2 = min(two, key=lambda m: (m["foreign_cpu_s"] > CLEAN * m["wall_s"], m["wall_s"]))
    t1, t2 = best1["wall_s"], best2["wall_s"]
    busy = any(m["foreign_cpu_s"] > CLEAN * m["wall_s"] for m in (best1, best2))
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "niceness": os.nice(0)},
        "scenario": args.scenario,
        "runs": runs,
        "quiet_checks": quiet,
        "clean_pairs": clean_pairs,
        "local_parallel_efficiency": {
            "workers_1": one, "workers_2": two, "best_1_s": t1, "best_2_s": t2,
            "speedup": round(t1 / t2, 3), "efficiency": round(t1 / (2 * t2), 3), "target": 0.85,
            "runs_per_s_1": round(runs / t1, 1), "runs_per_s_2": round(runs / t2, 1),
            "machine_was_busy": busy,
            "foreign_cpu_share_of_kept": [round(best1["foreign_cpu_s"] / best1["wall_s"], 3),
                                          round(best2["foreign_cpu_s"] / best2["wall_s"], 3)],
            # Not a measurement: what the CPU accounts imply for an idle machine. One worker needs
            # its own CPU time in wall time; two need the serial part (pool start, compaction)
            # plus half of the rest. The serial part is taken as the difference between the
            # wall time and the run time inside the workers, measured with one worker.
            "projection_if_idle": _projection(one, two),
        },
    }
    from drillsim.fileio import atomic_write_text

    atomic_write_text(args.out, json.dumps(results, indent=1) + "\n")  # kept if the Dask part is cut short
    if not args.no_dask:
        try:
            import distributed  # noqa: F401
        except ImportError:
            results["dask"] = {"skipped": "dask.distributed is not installed"}
        else:
            results["dask_quiet_check"] = wait_quiet(args.wait)
            local_start = [startup("local", 2) for _ in range(args.repeats)]
            dask_start = [startup("dask", 2) for _ in range(args.repeats)]
            local, dask = [], []
            for _ in range(args.repeats):
                local.append(timed_sweep(prepared, "local", 2))
                dask.append(timed_sweep(prepared, "dask", 2))
            tl, td = min(m["wall_s"] for m in local), min(m["wall_s"] for m in dask)
            sl, sd = min(local_start), min(dask_start)
            results["dask"] = {
                "local_2": local, "dask_localcluster_2": dask, "best_local_s": tl, "best_dask_s": td,
                "startup_local_s": sl, "startup_dask_s": sd,
                "overhead_per_run_ms": round(((td - sd) - (tl - sl)) / runs * 1000, 3),
                "overhead_per_run_ms_incl_startup": round((td - tl) / runs * 1000, 3),
            }
    text = json.dumps(results, indent=1)
    atomic_write_text(args.out, text + "\n")
    if not args.quiet:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
