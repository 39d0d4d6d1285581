"""Run a scenario many times over a design of parameter values; write one row per run.

Results go to DIR/results.parquet (and results.csv with --csv), a summary report to DIR/report/.
A sweep killed at any point (Ctrl-C, kill -9, a lost node) continues with --resume, losing at
most the runs that were in flight.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from drillsim.commands.common import add_backend_options, add_params_option, scenario_overrides, whole_number

HELP = "run a parameter sweep (grid, LHS, Sobol, list) locally or on a Dask cluster"






def spread_table(frame: Any, manifest: dict[str, Any]) -> str:
    """Every metric over the finished runs, one line each: mean ± 95 % interval, sd, p5 … p95, min … max."""
    from drillsim.reports.sweep.analysis import rating_share, spread_of

    spreads = spread_of(frame, manifest)
    width = max((len(s.column) for s in spreads), default=10)
    lines = ["", f"  {'spread over ' + str(spreads[0].n if spreads else 0) + ' runs':<{width}}  "
                 f"{'mean':>10} {'± 95%':>9} {'sd':>9} {'p5':>10} {'median':>10} {'p95':>10} {'min':>10} {'max':>10}"]
    for s in spreads:
        lines.append(f"  {s.column:<{width}}  {_g(s.mean):>10} {_g(s.ci95):>9} {_g(s.sd):>9} {_g(s.p5):>10} "
                     f"{_g(s.median):>10} {_g(s.p95):>10} {_g(s.low):>10} {_g(s.high):>10}")
    for col, shares in rating_share(frame).items():
        bands = "  ".join(f"{b} {_share(v)}" for b, v in shares.items())
        lines.append(f"  {col:<{width}}  {bands}")
    lines.append("  (± 95%: half-width of the 95% interval of the mean, 1.96·sd/√n; p5/p95: 5th and 95th percentiles)")
    return "\n".join(lines)


def _share(value: float) -> str:
    return "<1%" if 0 < value < 0.005 else f"{100 * value:.0f}%"


def _g(value: float) -> str:
    return "–" if value != value else f"{value:.4g}"  # nan (one run: no spread) shows as a dash


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim sweep``."""
    p.add_argument("scenario", metavar="SCENARIO", nargs="?", default=None,
                   help="a scenario file or bundled id (optional when the sweep file names one)")
    p.add_argument("--vary", action="append", default=[], metavar="NAME=LO:HI",
                   help="vary a declared parameter or a dotted path: NAME=LO:HI (a range, units as in the "
                        "scenario: 30m:2h), NAME=V1,V2,... (values), or NAME alone for a declared parameter's "
                        "own range (repeatable)")
    p.add_argument("--file", "-f", type=Path, default=None, metavar="SWEEP.yaml",
                   help="a sweep file (design, factors, replicates...); options given here win")
    p.add_argument("--design", choices=("grid", "lhs", "sobol", "list"), default=None,
                   help="grid (default): every combination; lhs: Latin hypercube; sobol: Saltelli sample for "
                        "Sobol' indices; list: explicit points")
    p.add_argument("--points", type=whole_number(1), default=None, metavar="N",
                   help="levels per factor (grid, default 5), samples (lhs, default 20), or base samples N "
                        "(sobol: N·(2D+2) points, default 32)")
    p.add_argument("--replicates", "-r", type=whole_number(1), default=None, metavar="R",
                   help="runs per point, each with its own seed (default 1)")
    p.add_argument("--crn", action="store_true", default=None,
                   help="common random numbers: replicate r uses the same seed at every point")
    p.add_argument("--seed", type=whole_number(0, "a seed"), default=None, metavar="ROOT",
                   help="root seed every run's seed is derived from (default: the scenario's)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="a fixed override for every run (repeatable)")
    add_params_option(p)
    add_backend_options(p, wait_workers=True)
    p.add_argument("--batch", type=whole_number(1), default=None, metavar="N",
                   help="runs per task (default: adapted so a task takes ~0.3 s locally, ~1 s on Dask)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="output directory (default: runs/<scenario-id>-sweep-<seed>/)")
    p.add_argument("--resume", action="store_true", help="continue the interrupted sweep in DIR")
    p.add_argument("--keep-logs", action="store_true", help="keep every run's event log in DIR/logs/")
    p.add_argument("--csv", action="store_true", help="also write DIR/results.csv")
    p.add_argument("--no-report", action="store_true", help="do not write the summary report")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar; print only the results path")


def main(args: argparse.Namespace) -> int:
    """Prepare (every input checked), run, compact, report."""
    from drillsim.sweeps.api import prepare

    scenario = args.scenario
    if args.params and scenario is None and args.file is not None:
        from drillsim.sweeps.spec import read_sweep_file

        named = read_sweep_file(args.file).scenario  # as prepare() finds it: relative to the sweep file
        if named is not None and Path(named).suffix in (".yaml", ".yml") and not Path(named).is_absolute():
            beside = Path(args.file).parent / named
            named = str(beside) if beside.exists() else named
        scenario = named
    overrides = scenario_overrides(scenario, args.params, args.overrides)
    prepared = prepare(args.scenario, args.vary, design=args.design, points=args.points,
                       replicates=args.replicates, crn=args.crn, seed=args.seed, overrides=overrides,
                       file=args.file)
    plan = prepared.plan
    spec = plan.spec
    out = args.out if args.out is not None else Path("runs") / f"{plan.scenario_id}-sweep-{spec.seed}"
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    for remark in prepared.notes:
        print(f"drillsim sweep: note: {remark}", file=sys.stderr)
    names = ", ".join(f.name for f in spec.factors)
    if spec.factors:
        say(f"drillsim sweep: {plan.scenario_id} — {len(spec.factors)} factor{'s' if len(spec.factors) > 1 else ''} "
            f"({names}), {spec.design} design, {len(plan.points):,} points × {spec.replicates} replicate"
            f"{'s' if spec.replicates > 1 else ''} = {plan.total:,} runs (root seed {spec.seed}"
            f"{', common random numbers' if spec.crn else ''})")
    else:
        say(f"drillsim sweep: {plan.scenario_id} — nothing varied: {plan.total:,} replicates of the scenario as it "
            f"is, each with its own seed (root seed {spec.seed})")

    def started(backend: str, todo: int, done: int) -> None:
        extra = f", {done:,} already done" if done else ""
        say(f"  backend     {backend}; {todo:,} runs to do{extra}")

    from drillsim.sweeps.backends import WAIT_WORKERS_S
    from drillsim.sweeps.lock import FolderLock
    from drillsim.sweeps.runner import SweepBroken

    def note(message: str) -> None:
        print(f"drillsim sweep: note: {message}", file=sys.stderr, flush=True)

    lock = FolderLock.acquire(out, notice=note)  # one sweep per folder, held until the report is written
    try:
        return _run(prepared, out, args, started, say, lock, note,
                    WAIT_WORKERS_S if args.wait_workers is None else float(args.wait_workers))
    except SweepBroken as exc:
        print(f"drillsim sweep: stopped: {exc}; finished runs are saved in {out / 'results.parquet'}; "
              "continue with the same command and --resume", file=sys.stderr)
        return 1
    finally:
        lock.release()
        if lock.created_folder:
            try:
                out.rmdir()  # nothing was written (refused, or the cluster could not be reached)
            except OSError:
                pass


def _run(prepared: Any, out: Path, args: argparse.Namespace, started: Any, say: Any, lock: Any, note: Any,
         wait: float) -> int:
    """Run, then write the CSV and the report (with the folder locked)."""
    from drillsim.sweeps.api import run

    plan = prepared.plan
    result = run(prepared, out, backend=args.backend, address=args.address, workers=args.workers,
                 resume=args.resume, keep_logs=args.keep_logs, batch=args.batch,
                 progress=None if args.quiet else sys.stderr, on_start=started, lock=lock, notice=note,
                 wait_workers=wait)
    rows = result.rows
    if result.interrupted:
        print(f"\ndrillsim sweep: interrupted; {rows:,} of {plan.total:,} runs are saved in {result.results}; "
              f"continue with the same command and --resume", file=sys.stderr)
        return 130
    frame = result.frame if (args.csv or not args.no_report or result.failures) and rows else None
    if args.csv and frame is not None:
        from drillsim.sweeps.store import Store

        Store(result.out).write_csv(frame)
    failed = result.failures
    rate = result.ran / result.seconds if result.seconds > 0 else 0.0
    say(f"  finished    {rows:,} runs ({rows - failed:,} ok, {failed:,} failed); this session {result.ran:,} "
        f"runs in {result.seconds:.1f} s ({rate:,.1f} runs/s)")
    if failed and frame is not None:
        first = frame[frame["status"] == "failed"].iloc[0]
        say(f"  failures    first: {first['run_id']}: {first['error']}")
    if not plan.spec.factors and not args.quiet and rows > failed:
        import json

        manifest = json.loads((result.out / "sweep.json").read_text(encoding="utf-8"))
        print(spread_table(frame if frame is not None else result.frame, manifest))
    report = None
    if not args.no_report and frame is not None:
        from drillsim.reports.sweep import write_report

        report = write_report(result.out, frame=frame)
        say(f"  report      {report}")
    if args.quiet:
        print(result.results)
    else:
        say(f"  results     {result.results}" + (f" (+ {result.out / 'results.csv'})" if args.csv else ""))
    return 0 if failed < rows or rows == 0 else 1
