"""Run a scenario headless; write its event log (events.jsonl), scorecard.json and the after-action report.

The scorecard is printed as a table. ``--no-report`` skips report.md / report.html / figures (matplotlib
is then never imported).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from drillsim.commands.common import ProgressBar, add_scenario_options, out_dir, thousands
from drillsim.commands.report import add_report_options, write_outputs

HELP = "run a scenario headless; write its event log, scorecard and after-action report"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim run``."""
    add_scenario_options(p)
    p.add_argument("--quiet", "-q", action="store_true", help="print only the paths written (the log last)")
    p.add_argument("--no-report", action="store_true",
                   help="write only events.jsonl and scorecard.json (skip report.md/report.html/figures)")
    p.add_argument("--force", action="store_true",
                   help="replace the event log already in the output directory (by default it is refused, never "
                        "overwritten; the old log stays until the new one is complete)")
    add_report_options(p)


def main(args: argparse.Namespace) -> int:
    """Load, simulate, summarise."""
    from drillsim.engine import Exercise
    from drillsim.fileio import exists_error
    from drillsim.log import LogData, Record, RunLimit
    from drillsim.scenario import load
    from drillsim.units import format_duration

    loaded = load(args.scenario, args.overrides)
    scenario = loaded.scenario
    seed = scenario.seed if args.seed is None else args.seed
    out = out_dir(args, scenario.id, seed)
    log_path = Path(out) / "events.jsonl"
    if os.path.lexists(log_path) and not args.force:
        raise exists_error(log_path, "an event log")  # said before simulating; the engine refuses it anyway
    wall0 = time.perf_counter()
    exercise = Exercise(loaded, seed, log_path=log_path, replace=args.force)
    bar = ProgressBar() if not args.quiet else None
    try:
        summary = exercise.run(progress=bar)
    except RunLimit as exc:
        print(f"drillsim: the run stopped: {exc}\n  log         {log_path} (up to the limit; no scorecard "
              "or report)", file=sys.stderr)
        return 2
    finally:
        if bar:
            bar.close()
        exercise.log.close()
    wall = time.perf_counter() - wall0
    log = LogData(exercise.log.header or {}, [Record(*r) for r in exercise.log.records[1:]], exercise.ended,
                  False, str(log_path))
    if args.quiet:
        write_outputs(log, Path(out), lang=args.lang, form=args.form, report=not args.no_report, quiet=True)
        print(log_path)
        return 0
    title = scenario.title.get("en")
    start = scenario.start
    print(f"drillsim run: {scenario.id} — {title} (seed {seed})")
    print(f"  simulated   {format_duration(summary.sim_minutes)} from {start:%Y-%m-%d %H:%M %z}")
    print(f"  incidents   {thousands(summary.incidents)}   reports {thousands(summary.reports)}   "
          f"dispatches {thousands(summary.dispatches)}   rescues {thousands(summary.rescues)}")
    print(f"  people      rescued {thousands(summary.rescued)}, lost {thousands(summary.lost)}; "
          f"incidents unresolved {thousands(summary.unresolved)}")
    rate = summary.records / wall if wall > 0 else 0.0
    print(f"  wall time   {wall:.2f} s ({thousands(summary.records)} records, {rate:,.0f} records/s)")
    print(f"  log         {log_path}")
    print()
    write_outputs(log, Path(out), lang=args.lang, form=args.form, report=not args.no_report)
    return 0
