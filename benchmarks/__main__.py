"""``python -m benchmarks [--quick] [--reuse-sweep]``: print a table and write benchmarks/results.json.

Every ratio is measured within one invocation — the engine and its baseline interleaved in one
process, this version and 07ec3a8 interleaved as child processes — so a busy machine slows both
sides alike. results.json holds the headline numbers under fixed keys (:data:`KEYS`) and every
measurement behind them in its own section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

from benchmarks import measure

HERE = Path(__file__).resolve().parent

TARGETS: dict[str, tuple[str, float | None]] = {
    "engine_ratio": (">=", 0.3),
    "run_cpu_ratio_vs_base": ("<=", 0.5),
    "sweep_run_cpu_ratio_vs_base": ("<=", 0.5),
    "peak_mib_100k_run": ("<=", 1024.0),
    "exponent": ("<", 1.0),
    "help_s": ("<=", 0.3),
    "sweep_efficiency": (">=", 0.85),
}
"""Headline key -> (direction, target); None: the measuring module states the target."""
KEYS = tuple(TARGETS)
WHAT = {
    "engine_ratio": "engine events/s ÷ plain simpy events/s (generated workload, log kept and written)",
    "run_cpu_ratio_vs_base": "CPU of `drillsim run` rainstorm (report included) ÷ the same at 07ec3a8",
    "sweep_run_cpu_ratio_vs_base": "CPU of one more sweep run (rainstorm, --no-report) ÷ the same at 07ec3a8",
    "peak_mib_100k_run": "peak memory of `drillsim run` on 100,000 generated incidents, report included (MiB)",
    "exponent": "growth of peak memory with the log's length (M/M/6, 1,000 h vs 10,000 h; fitted power)",
    "help_s": "`drillsim --help`, whole process (s)",
    "sweep_efficiency": "parallel efficiency, 2 workers vs 1, rainstorm sweep",
}


def memory() -> dict[str, Any]:
    """Peak memory and growth exponent from benchmarks.memory_run, or "n/a" where it is not there."""
    try:
        from benchmarks import memory_run  # type: ignore[attr-defined]
    except ImportError:
        return {"peak_mib_100k_run": "n/a", "exponent": "n/a",
                "note": "benchmarks/memory_run.py is not in this version"}
    out: dict[str, Any] = {}
    for key, fn in (("peak_mib_100k_run", "measure_peak_mib_100k_run"), ("exponent", "measure_growth_exponent")):
        value = getattr(memory_run, fn)()
        if isinstance(value, dict):
            out[f"{key}_details"] = value
            value = value.get(key, value.get("value", "n/a"))
        out[key] = value
    target = getattr(memory_run, "TARGET_PEAK_MIB", None)
    if target is not None:
        out["peak_target_mib"] = target
    return out


def run_sweep(scenario: str, out: Path, quick: bool, repeats: int | None = None,
              budget: float | None = None) -> dict[str, Any]:
    """Run benchmarks.sweep_bench in a fresh process and return what it wrote.

    A fresh process, because this one has run other benchmarks (and a Dask client may have left
    threads): with threads alive the local pool starts its workers from a forkserver, whose
    children are not ours, so their CPU would count as "the rest of the machine" and every
    measurement would look busy.
    """
    import subprocess

    args = ["--scenario", scenario, "--out", str(out), "--quiet"]
    if repeats is not None:
        args += ["--repeats", str(repeats)]
    if budget is not None:
        args += ["--budget", str(budget), "--wait", str(min(budget / 4, 120.0))]
    if quick:
        args += ["--runs", "100" if scenario.startswith("mentougou") else "40", "--repeats", "1", "--wait", "10",
                 "--no-dask", "--budget", "300"]
    subprocess.run([sys.executable, "-m", "benchmarks.sweep_bench", *args], cwd=HERE.parent, check=True)
    return json.loads(out.read_text())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats (a smoke test)")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    ap.add_argument("--reuse-sweep", action="store_true",
                    help="take the sweep measurements from benchmarks/sweep_results*.json instead of running "
                         "them (they take several minutes and want a quiet machine)")
    ap.add_argument("--sweep-repeats", type=int, default=None,
                    help="pairs of 1- and 2-worker sweeps to measure (default: sweep_bench's 3)")
    ap.add_argument("--sweep-budget", type=float, default=None,
                    help="seconds each sweep benchmark may spend waiting for a quiet machine and measuring "
                         "(default: sweep_bench's 900; a busy shared machine is never quiet)")
    ap.add_argument("--scale", action="store_true",
                    help="also time 1k/10k/100k-incident runs in fresh processes (records kept)")
    args = ap.parse_args(argv)
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "cpu": _cpu_name()},
        "efficiency": measure.efficiency(2_000 if args.quick else 10_000, repeats=2 if args.quick else 3),
    }
    from benchmarks import versus

    results["versus_base"] = (versus.side_by_side(repeats=1, sweep_small=1, sweep_big=3, sweep_repeats=1)
                              if args.quick else versus.side_by_side())
    results["memory"] = memory()
    if args.scale:
        results["scale"] = measure.scale((500, 2_000, 8_000) if args.quick else (1_000, 10_000, 100_000))
    results["flagships"] = measure.flagships()
    results["startup"] = measure.startup()
    sweeps = {"mentougou-flash-flood": "sweep_results.json", "rainstorm-2023-07": "sweep_results_rainstorm.json"}
    for scenario, name in sweeps.items():
        file = HERE / name if not args.quick else args.out.with_name(f"quick_{name}")
        key = "sweep" if scenario.startswith("mentougou") else "sweep_rainstorm"
        if args.reuse_sweep and file.exists():
            results[key] = json.loads(file.read_text())
        else:
            results[key] = run_sweep(scenario, file, args.quick, args.sweep_repeats, args.sweep_budget)
    results.update(headline(results))
    from drillsim.fileio import atomic_write_text

    atomic_write_text(args.out, json.dumps(results, indent=2) + "\n")
    print(render(results))
    return 0


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            return next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown"


def headline(r: dict[str, Any]) -> dict[str, Any]:
    """The named keys of results.json, taken from the sections that measured them."""
    rain = r.get("sweep_rainstorm", {}).get("local_parallel_efficiency", {})
    return {
        "engine_ratio": r["efficiency"]["ratio"],
        "run_cpu_ratio_vs_base": r["versus_base"]["run_cpu_ratio_vs_base"],
        "sweep_run_cpu_ratio_vs_base": r["versus_base"]["sweep_run_cpu_ratio_vs_base"],
        "peak_mib_100k_run": r["memory"]["peak_mib_100k_run"],
        "exponent": r["memory"]["exponent"],
        "help_s": r["startup"]["help_s"],
        "sweep_efficiency": rain.get("efficiency", "n/a"),
    }


def met(key: str, value: Any, r: dict[str, Any]) -> str:
    direction, target = TARGETS[key]
    if key == "peak_mib_100k_run":
        target = r.get("memory", {}).get("peak_target_mib") or target
    if not isinstance(value, int | float) or target is None:
        return "—"
    ok = {">=": value >= target, "<=": value <= target, "<": value < target}[direction]
    return "yes" if ok else "NO"


def render(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [f"drillsim benchmarks — {r['date']}, {m['cores']} cores ({m.get('cpu', '?')}), Python {m['python']}",
             "", "| key | what | measured | target | met |", "|---|---|---:|---:|---|"]
    for key in KEYS:
        direction, target = TARGETS[key]
        if key == "peak_mib_100k_run":
            target = r.get("memory", {}).get("peak_target_mib") or target
        shown = f"{direction} {target}" if target is not None else "—"
        lines.append(f"| {key} | {WHAT[key]} | {r.get(key, 'n/a')} | {shown} | {met(key, r.get(key), r)} |")
    e = r["efficiency"]
    lines += ["", "1. Engine efficiency (generated workload: 4 cities, 64 teams, road cuts, joint operations)",
              f"   incidents {e['incidents']:,}: drillsim {e['engine_events']:,} events in {e['engine_wall_s']} s "
              f"= {e['engine_events_per_s']:,} ev/s; plain simpy {e['baseline_events']:,} events in "
              f"{e['baseline_wall_s']} s = {e['baseline_events_per_s']:,} ev/s; ratio {e['ratio']}",
              f"   {e['records_per_incident']} records per incident, held as drillsim run holds them "
              f"({e.get('engine_keeps', 'kept')}); writing and holding them alone takes "
              f"{e['log_only_wall_s']} s (ratio if agents and flows were free: {e['ratio_if_only_simpy_and_log']})"]
    mix = e.get("event_mix_per_incident", {})
    if mix:
        kinds = sorted(set(mix["engine"]) | set(mix["baseline"]))
        lines.append("   events per incident (engine / baseline): " + ", ".join(
            f"{k} {mix['engine'].get(k, 0)}/{mix['baseline'].get(k, 0)}" for k in kinds))
    v = r["versus_base"]
    lines += ["", f"2. Against {v['base_commit']} ({v['scenario_file']}), interleaved, CPU seconds",
              f"   drillsim run (report included): base {v['run_cpu_s'][v['base_commit']]} "
              f"head {v['run_cpu_s']['head']} -> ratio {v['run_cpu_ratio_vs_base']}",
              f"   one sweep run (--no-report, -j 1, from {v['sweep_replicates'][0]} vs "
              f"{v['sweep_replicates'][1]} replicates): base {v['sweep_run_cpu_s'][v['base_commit']]} s, "
              f"head {v['sweep_run_cpu_s']['head']} s -> ratio {v['sweep_run_cpu_ratio_vs_base']}"]
    fl = v.get("floors")
    if fl:
        lines += [f"   floors of head: drillsim report on its run's log (everything but simulating) "
                  f"{fl['run_without_simulation_cpu_s']} s -> run ratio {fl['run_ratio_if_simulation_were_free']} "
                  f"even if simulating cost nothing",
                  f"   simulating alone, nothing logged, kept or scored: {fl['sweep_run_simulation_only_cpu_s']} s "
                  f"a run -> sweep-run ratio {fl['sweep_run_ratio_if_log_and_scoring_were_free']} even if the log "
                  f"and scoring cost nothing"]
    mem = r["memory"]
    lines += ["", f"3. Memory: peak of a 100k-incident run {mem['peak_mib_100k_run']} MiB; growth exponent "
              f"{mem['exponent']}" + (f" ({mem['note']})" if "note" in mem else "")]
    if "scale" in r:
        lines.append("   incidents      events     wall s   peak MiB")
        for row in r["scale"]["rows"]:
            lines.append(f"   {row['incidents']:>9,} {row['events']:>11,} {row['wall_s']:>10.2f} "
                         f"{row['peak_bytes'] / 2**20:>10.1f}")
    lines += ["", "4. Bundled scenarios (one run, records kept)",
              "   scenario                     wall s     events   ev/s"]
    for row in r["flagships"]:
        lines.append(f"   {row['scenario']:<26} {row['wall_s']:>8.3f} {row['events']:>10,} {row['events_per_s']:>7,}")
    st = r["startup"]
    lines += ["", "5. Start-up", f"   python -c pass {st['python_bare_s']} s; drillsim --help {st['help_s']} s; "
              f"drillsim validate {st['validate_scenario']} {st['validate_s']} s"]
    for n, key in ((6, "sweep"), (7, "sweep_rainstorm")):
        if key in r:
            lines += ["", *_sweep_lines(n, r[key])]
    return "\n".join(lines)


def _sweep_lines(n: int, sw: dict[str, Any]) -> list[str]:
    lp = sw["local_parallel_efficiency"]
    out = [f"{n}. Sweep ({sw['runs']:,} runs of {sw['scenario']}, measured {sw['date']})",
           f"   1 worker {lp['best_1_s']} s, 2 workers {lp['best_2_s']} s: parallel efficiency "
           f"{lp['efficiency']} (target ≥ {lp['target']})"
           + (" — the machine was busy" if lp.get("machine_was_busy") else "")]
    dask = sw.get("dask")
    if dask and "skipped" not in dask:
        start = round(dask["startup_dask_s"] - dask["startup_local_s"], 2)
        out.append(f"   Dask LocalCluster vs local pool: +{start} s to start, "
                   f"+{dask['overhead_per_run_ms']} ms per run")
    return out


if __name__ == "__main__":
    sys.exit(main())
