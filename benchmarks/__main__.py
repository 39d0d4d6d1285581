"""``python -m benchmarks [--quick] [--reuse-sweep]``: print a table and write benchmarks/results.json.

Every ratio is measured within one invocation (engine and baseline interleaved in one process), so
a busy machine slows both sides alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path

from benchmarks import measure

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller sizes (for a smoke test)")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    ap.add_argument("--reuse-sweep", action="store_true",
                    help="take the sweep measurement from benchmarks/sweep_results.json instead of running it "
                         "(it takes a few minutes and wants a quiet machine)")
    args = ap.parse_args(argv)
    sizes = (500, 2_000, 8_000) if args.quick else (1_000, 10_000, 100_000)
    results = {
        "date": dt.date.today().isoformat(),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "efficiency": measure.efficiency(2_000 if args.quick else 10_000),
        "scale": measure.scale(sizes),
        "flagships": measure.flagships(),
        "startup": measure.startup(),
    }
    sweep_file = HERE / "sweep_results.json"
    if not args.reuse_sweep:
        from benchmarks import sweep_bench

        sweep_args = ["--out", str(sweep_file)]
        if args.quick:
            sweep_args = ["--runs", "100", "--repeats", "1", "--wait", "10", "--no-dask",
                          "--out", str(args.out.with_name("sweep_quick.json"))]
            sweep_file = args.out.with_name("sweep_quick.json")
        sweep_bench.main([*sweep_args, "--quiet"])
    if sweep_file.exists():
        results["sweep"] = json.loads(sweep_file.read_text())
    from drillsim.fileio import atomic_write_text

    atomic_write_text(args.out, json.dumps(results, indent=2) + "\n")
    print(render(results))
    return 0


def render(r: dict) -> str:
    e, s, st = r["efficiency"], r["scale"], r["startup"]
    lines = [f"drillsim benchmarks — {r['date']}, {r['machine']['cores']} cores, Python {r['machine']['python']}", ""]
    lines += ["1. Engine efficiency (generated scenario, log to file)",
              f"   incidents {e['incidents']:,}: drillsim {e['engine_events']:,} events in {e['engine_wall_s']} s "
              f"= {e['engine_events_per_s']:,} ev/s; plain simpy {e['baseline_events']:,} events in "
              f"{e['baseline_wall_s']} s = {e['baseline_events_per_s']:,} ev/s",
              f"   ratio {e['ratio']} (target ≥ {e['target_ratio']})",
              f"   {e['records_per_incident']} records per incident; writing them alone takes "
              f"{e['log_only_wall_s']} s: simpy + log with free agents would give ratio "
              f"{e['ratio_if_only_simpy_and_log']}", ""]
    lines += ["2. Scale", "   incidents      events     wall s   peak MiB"]
    for row in s["rows"]:
        mib = row["peak_bytes"] / 2**20
        lines.append(f"   {row['incidents']:>9,} {row['events']:>11,} {row['wall_s']:>10.2f} {mib:>10.1f}")
    lines += [f"   fitted exponent {s['exponent']} (target ≤ {s['target_exponent']}); largest peak "
              f"{s['largest_peak_mib']} MiB (limit {s['memory_limit_mib']})", ""]
    lines += ["3. Bundled scenarios", "   scenario                     wall s     events   ev/s"]
    for row in r["flagships"]:
        lines.append(f"   {row['scenario']:<26} {row['wall_s']:>8.3f} {row['events']:>10,} {row['events_per_s']:>7,}")
    lines += ["", "4. Start-up", f"   python -c pass {st['python_bare_s']} s; drillsim --help {st['help_s']} s "
              f"(target ≤ {st['help_target_s']}); drillsim validate {st['validate_scenario']} {st['validate_s']} s"]
    if "sweep" in r:
        sw = r["sweep"]
        lp = sw["local_parallel_efficiency"]
        lines += ["", f"5. Sweep ({sw['runs']:,} runs of {sw['scenario']}, measured {sw['date']})",
                  f"   1 worker {lp['best_1_s']} s, 2 workers {lp['best_2_s']} s: parallel efficiency "
                  f"{lp['efficiency']} (target ≥ {lp['target']})"
                  + (" — the machine was busy" if lp.get("machine_was_busy") else "")]
        dask = sw.get("dask")
        if dask and "skipped" not in dask:
            start = round(dask["startup_dask_s"] - dask["startup_local_s"], 2)
            lines.append(f"   Dask LocalCluster vs local pool: +{start} s to start, "
                         f"+{dask['overhead_per_run_ms']} ms per run")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
