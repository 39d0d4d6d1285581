"""``python -m benchmarks.gc_policy``: what freezing the garbage collector in ``Exercise.run`` cost and bought.

Until issue 19, ``Exercise.run`` called ``gc.freeze()`` before simulating and ``gc.unfreeze()`` after:
whatever was alive *or already garbage* when a run started went to the permanent generation, which
full collections never scan, so the cyclic garbage of every earlier run in the process was parked
there for as long as a run lasted, and collected by nobody. Now the program (modules, the
scenario) is frozen once, before the first exercise of a process (``drillsim.engine.freeze_the_program``,
after a collection), and nothing of a run ever is; a sweep worker's start-up freeze is no longer
undone by the first run's ``unfreeze``.

Both policies are measured in this one invocation, interleaved, each workload in a fresh process
per policy and repeat: ``freeze`` wraps ``Exercise.run`` exactly as the old code did; ``current`` is
the engine as it is. Reported per workload: CPU seconds per run (median over repeats; CPU time, not
wall time, because the machine is shared) and how much resident memory the process gained between
the first runs and the last. Writes ``benchmarks/gc_results.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

CHILD = r"""
import gc, json, os, resource, sys, time
policy, workload, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
import drillsim.engine as engine

if policy == "freeze":  # the old Exercise.run, exactly: freeze before, unfreeze after; no start-up freeze
    engine.freeze_the_program = lambda: None
    plain = engine.Exercise.run
    def run(self, *args, **kwargs):
        gc.freeze()
        try:
            return plain(self, *args, **kwargs)
        finally:
            gc.unfreeze()
    engine.Exercise.run = run

def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

if workload == "sweep":  # one worker process (forked: it inherits the policy); its peak memory
    from drillsim import sweep
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    df = sweep("mentougou-flash-flood", {"flood-rate": ("0.5/h", "4/h")}, points=runs // 10, replicates=10,
               seed=4, workers=1, batch=25)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"cpu_per_run": (children.ru_utime + children.ru_stime) / runs,
                      "peak": children.ru_maxrss * 1024, "rows": len(df)}))
    sys.exit()
if workload == "generated-10k":
    sys.path.insert(0, os.getcwd())
    from benchmarks.measure import _load_generated
    loaded, keep = _load_generated(10_000), False
else:
    from drillsim.scenario import load
    loaded, keep = load(workload), True
warm = max(1, runs // 10)
cpu = []
marks = {}
for seed in range(runs):
    c = time.process_time()
    engine.Exercise(loaded, seed=seed, keep=keep).run()
    cpu.append(time.process_time() - c)
    if seed + 1 in (warm, runs):
        marks[seed + 1] = rss()
print(json.dumps({"cpu_per_run": sum(cpu) / runs, "after_warm": marks[warm], "after_all": marks[runs],
                  "warm": warm}))
"""

WORKLOADS = {
    "mentougou-flash-flood": 300,
    "rainstorm-2023-07": 12,
    "generated-10k": 3,
    "sweep": 600,
}
"""Workload → runs in one process (the sweep: runs in one worker process)."""
QUICK = {"mentougou-flash-flood": 100, "rainstorm-2023-07": 4, "generated-10k": 1, "sweep": 200}


def measure(policy: str, workload: str, runs: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", CHILD, policy, workload, str(runs)], capture_output=True,
                          text=True, cwd=HERE.parent, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.gc_policy", description=__doc__)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="fewer runs (a smoke test)")
    ap.add_argument("--out", type=Path, default=HERE / "gc_results.json")
    args = ap.parse_args(argv)
    sizes = QUICK if args.quick else WORKLOADS
    raw: dict[str, dict[str, list[dict[str, Any]]]] = {w: {"freeze": [], "current": []} for w in sizes}
    for _ in range(args.repeats):
        for workload, runs in sizes.items():
            for policy in ("freeze", "current"):
                raw[workload][policy].append(measure(policy, workload, runs))
    results: dict[str, Any] = {}
    lines = [f"{'workload':24}{'runs':>6}  {'policy':8}{'CPU s/run':>11}{'memory gained':>16}", ""]
    for workload, by_policy in raw.items():
        results[workload] = {"runs": sizes[workload]}
        for policy, rows in by_policy.items():
            cpu = statistics.median(r["cpu_per_run"] for r in rows)
            if workload == "sweep":
                grown = statistics.median(r["peak"] for r in rows)
                shown = f"peak {grown / 2**20:,.0f} MiB"
            else:
                grown = statistics.median(r["after_all"] - r["after_warm"] for r in rows)
                shown = f"+{grown / 2**20:,.1f} MiB"
            results[workload][policy] = {"cpu_per_run_s": round(cpu, 5), "memory_bytes": int(grown),
                                         "repeats": len(rows)}
            lines.append(f"{workload:24}{sizes[workload]:>6}  {policy:8}{cpu:>11.4f}{shown:>16}")
        ratio = results[workload]["current"]["cpu_per_run_s"] / results[workload]["freeze"]["cpu_per_run_s"]
        results[workload]["cpu_ratio_current_over_freeze"] = round(ratio, 3)
        lines.append(f"{'':24}{'':>6}  {'ratio':8}{ratio:>11.3f}")
    print("\n".join(lines))
    from drillsim.fileio import atomic_write_text

    atomic_write_text(args.out, json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
