"""This version against commit 07ec3a8, side by side in one benchmark run (issue 18).

Both versions run the rainstorm scenario file *as it stands at 07ec3a8* (so a change to the
bundled scenario since then cannot make either side cheaper), as whole processes, interleaved —
base, head, head, base, … — so that a burst of load from another process falls on both alike.
CPU time (user + system of the child and everything it waited for) is the measure, not wall time.
Both run from compiled bytecode, as an installed package does (:func:`versions`).

- **run**: ``drillsim run FILE --out DIR -q``, report and figures included: imports, simulation,
  scoring, report, PNGs — what a user pays per ``drillsim run``.
- **sweep run**: the CPU one more run adds to ``drillsim sweep FILE -r R -j 1 --no-report``:
  the difference between a sweep of ``R_big`` and one of ``R_small`` replicates, divided by
  ``R_big - R_small`` (process start, imports and pool set-up cancel out). The sweep varies the
  county first-report deadline over one value, the file's own (07ec3a8's sweep needs a ``--vary``),
  so every run is the file as written, with its own seed.

The base version is checked out once with ``git worktree add --detach`` into a cache directory
(``$DRILLSIM_BENCH_CACHE``, default ``<tmp>/drillsim-bench-cache``) and reused. At 07ec3a8 the
packages were top-level folders (``sim``, ``agents``, …), so it needs no installing: it runs on
this interpreter and these very library versions with the worktree on ``PYTHONPATH`` — a stricter
comparison than a second venv, whose libraries could differ.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASE = "07ec3a8"
SCENARIO = "rainstorm-2023-07"


@dataclass(frozen=True)
class Version:
    """How to start one version's CLI: the module to run with ``-m`` and its environment."""

    name: str
    module: str
    env: dict[str, str]


def cache_dir() -> Path:
    return Path(os.environ.get("DRILLSIM_BENCH_CACHE") or Path(tempfile.gettempdir()) / "drillsim-bench-cache")


def prepare_base(commit: str = BASE) -> Path:
    """The base version's worktree (created once, then reused)."""
    where = cache_dir() / commit
    if (where / "sim" / "cli.py").exists():
        return where
    where.parent.mkdir(parents=True, exist_ok=True)
    if where.exists():  # a half-made checkout: start again
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)], capture_output=True)
        shutil.rmtree(where, ignore_errors=True)
    subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True, check=False)
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), commit],
                   capture_output=True, text=True, check=True)
    return where


def versions(base_tree: Path) -> tuple[Version, Version]:
    """Both versions, each run as a user runs an installed drillsim: from compiled bytecode.

    An installed package has its ``.pyc`` files (pip compiles them), so neither side pays for
    compiling its source on every run; an inherited ``PYTHONDONTWRITEBYTECODE`` (set on this
    machine) would make both recompile ~1 MB of source per process, ~0.1–0.2 s of CPU each that no
    user pays. Both trees are compiled once here (:func:`compile_tree`).
    """
    drop = ("PYTHONPATH", "DRILLSIM_DEBUG", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    base = Version(BASE, "sim.cli", {**env, "PYTHONPATH": str(base_tree)})
    head = Version("head", "drillsim.cli", dict(env))
    return base, head


def compile_tree(tree: Path) -> None:
    """Write the bytecode of a version's packages (what installing it does), before anything is timed."""
    dirs = [str(tree / d) for d in ("sim", "agents", "tui", "reports") if (tree / d).is_dir()]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *dirs], capture_output=True, check=False)


def child_cpu(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    """CPU seconds (user + system) of ``cmd`` and every process it waited for; fails loudly."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_cmd(v: Version, scenario: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", v.module, "run", str(scenario), "--out", str(out), "-q"]


def sweep_cmd(v: Version, scenario: Path, out: Path, replicates: int) -> list[str]:
    return [sys.executable, "-m", v.module, "sweep", str(scenario), "--vary", "first-report-deadline=1h",
            "--design", "list", "-r", str(replicates), "-j", "1", "--no-report", "-q", "--out", str(out)]


def report_cmd(v: Version, log: Path) -> list[str]:
    """``drillsim report LOG``: what ``run`` does after simulating (imports, scoring, report, figures)."""
    return [sys.executable, "-m", v.module, "report", str(log), "--force", "-q"]


def simulate_cmd(v: Version, scenario: Path, runs: int) -> list[str]:
    """The simulation alone, ``runs`` times in one process (:func:`simulate_only`)."""
    return [sys.executable, "-m", "benchmarks.versus", "simulate", str(scenario), str(runs)]


def simulate_only(scenario: Path, runs: int) -> float:
    """CPU seconds a run of ``scenario`` costs with nothing logged, kept or scored: the engine's floor.

    ``keep=False`` and no file or store: every record is still made (the flows emit it) but none is
    encoded, written or held. The first run (imports, caches) is not counted; the cheapest of the
    rest (a floor: a burst of load from another process on this shared machine only adds).
    What a sweep run cannot go below however cheap its log and scoring become.
    """
    import time

    from drillsim.engine import Exercise, one_run
    from drillsim.scenario import load

    loaded = load(str(scenario))
    spent: list[float] = []
    for i in range(runs + 1):
        exercise = Exercise(loaded, 100 + i, keep=False)
        with one_run():
            start = time.process_time()
            exercise.run(slices=8)
            spent.append(time.process_time() - start)
        exercise.dispose()
    return min(spent[1:])


def _order(i: int, pair: tuple[Version, Version]) -> tuple[Version, Version]:
    return pair if i % 2 == 0 else (pair[1], pair[0])


def side_by_side(repeats: int = 3, sweep_small: int = 2, sweep_big: int = 10, sweep_repeats: int = 2,
                 commit: str = BASE) -> dict[str, Any]:
    """Measure both versions, interleaved; the ratios are head / base (below 1: head is cheaper)."""
    tree = prepare_base(commit)
    for where in (tree, ROOT):
        compile_tree(where)
    pair = versions(tree)
    scenario = tree / "scenarios" / f"{SCENARIO}.yaml"
    with tempfile.TemporaryDirectory(prefix="drillsim-versus-") as tmp:
        work = Path(tmp)
        # the old file, copied out of the worktree: both versions read the same bytes
        shutil.copy(scenario, work / scenario.name)
        scenario = work / scenario.name
        # warm the page cache and the bytecode of both (not measured)
        for v in pair:
            child_cpu(run_cmd(v, scenario, work / f"warm-{v.name}"), v.env, work)
        run_cpu: dict[str, list[float]] = {v.name: [] for v in pair}
        for i in range(repeats):
            for v in _order(i, pair):
                run_cpu[v.name].append(round(child_cpu(run_cmd(v, scenario, work / f"run-{v.name}-{i}"), v.env,
                                                       work), 3))
        # floors of the head version: what is left when one part costs nothing
        head_v = pair[1]
        no_sim = [round(child_cpu(report_cmd(head_v, work / f"run-head-{i}" / "events.jsonl"), head_v.env, work), 3)
                  for i in range(repeats)]
        child_env = {**head_v.env, "PYTHONPATH": str(ROOT)}
        sim_only = json.loads(subprocess.run(simulate_cmd(head_v, scenario, 5), env=child_env, cwd=work,
                                             capture_output=True, text=True, check=True).stdout)
        sweep_cpu: dict[str, dict[str, list[float]]] = {v.name: {"small": [], "big": []} for v in pair}
        for i in range(sweep_repeats):
            for v in _order(i, pair):
                for size, r in (("small", sweep_small), ("big", sweep_big)):
                    out = work / f"sweep-{v.name}-{size}-{i}"
                    sweep_cpu[v.name][size].append(round(child_cpu(sweep_cmd(v, scenario, out, r), v.env, work), 3))
    per_run = {name: round((min(c["big"]) - min(c["small"])) / (sweep_big - sweep_small), 4)
               for name, c in sweep_cpu.items()}
    run_med = {name: statistics.median(xs) for name, xs in run_cpu.items()}
    base, head = pair[0].name, pair[1].name
    return {
        "base_commit": commit,
        "scenario_file": f"scenarios/{SCENARIO}.yaml at {commit}",
        "run_cpu_s": run_cpu,
        "run_cpu_median_s": run_med,
        "run_cpu_ratio_vs_base": round(run_med[head] / run_med[base], 3),
        "run_target": 0.5,
        "sweep_cpu_s": sweep_cpu,
        "sweep_replicates": [sweep_small, sweep_big],
        "sweep_run_cpu_s": per_run,
        "sweep_run_cpu_ratio_vs_base": round(per_run[head] / per_run[base], 3),
        "sweep_target": 0.5,
        "floors": {
            "why": "what the head version cannot go below: the ratio left if the simulation (run) or the log "
                   "and scoring (sweep run) cost nothing",
            "run_without_simulation_cpu_s": no_sim,
            "run_ratio_if_simulation_were_free": round(min(no_sim) / run_med[base], 3),
            "sweep_run_simulation_only_cpu_s": round(sim_only, 4),
            "sweep_run_ratio_if_log_and_scoring_were_free": round(sim_only / per_run[base], 3),
        },
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.versus simulate FILE RUNS``: print :func:`simulate_only` as JSON (a child process)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 3 and args[0] == "simulate":
        print(json.dumps(simulate_only(Path(args[1]), int(args[2]))))
        return 0
    print("usage: python -m benchmarks.versus simulate FILE RUNS", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
