"""Run a scenario headless; write its event log (events.jsonl), scorecard.json and the after-action report.

The scorecard is printed as a table. ``--no-report`` skips report.md / report.html / figures (matplotlib
is then never imported).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from drillsim.commands.common import (
    ProgressBar,
    add_scenario_options,
    freeze_now,
    permanent_heap,
    scenario_overrides,
    thousands,
)
from drillsim.commands.report import add_report_options, write_outputs

HELP = "run a scenario headless; write its event log, scorecard and after-action report"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim run``."""
    add_scenario_options(p)
    p.add_argument("--quiet", "-q", action="store_true", help="print only the paths written (the log last)")
    p.add_argument("--no-report", action="store_true",
                   help="write only events.jsonl and scorecard.json (skip report.md/report.html/figures)")
    add_report_options(p)
    p.add_argument("--force", action="store_true",
                   help="replace the run already in the output directory: the old log stays until the new one is "
                        "complete, then what was made from it is removed (by default it is refused, never touched)")


def _short(path: Path, run: Path) -> str:
    """A removed file's path, relative to the run folder's parent (``w/report-zh.md``, ``compare-w-vs-x/…``)."""
    try:
        return str(path.resolve().relative_to(run.resolve().parent))
    except ValueError:
        return str(path)


def main(args: argparse.Namespace) -> int:
    """Load, simulate, summarise (the heap made by then frozen: :func:`~drillsim.commands.common.permanent_heap`)."""
    with permanent_heap():
        return _main(args)


def _main(args: argparse.Namespace) -> int:
    from drillsim.commands import outputs
    from drillsim.engine import Exercise
    from drillsim.log import RunLimit
    from drillsim.logstore import RecordStore, StoredLog
    from drillsim.scenario import load
    from drillsim.units import format_duration

    loaded = load(args.scenario, scenario_overrides(args.scenario, args.params, args.overrides))
    freeze_now()  # the modules and the loaded scenario live until the end
    scenario = loaded.scenario
    seed = scenario.seed if args.seed is None else args.seed
    out = Path(args.out) if args.out is not None else outputs.run_dir(scenario.id, seed, loaded.overrides)
    log_path = out / "events.jsonl"
    outputs.check_log_free(log_path, args.force)  # said before simulating; the engine refuses it anyway
    replaced = outputs.file_sha256(log_path) if log_path.is_file() else None
    wall0 = time.perf_counter()
    store = RecordStore()  # what is scored: the records as written, compressed (docs/design.md, "Memory")
    exercise = Exercise(loaded, seed, log_path=log_path, replace=args.force, keep=False, tee=store.add_line)
    bar = ProgressBar() if not args.quiet else None
    limited: RunLimit | None = None
    stale: list[Path] = []
    try:
        summary = exercise.run(progress=bar)
    except RunLimit as exc:
        limited = exc
    finally:
        if bar:
            bar.close()
        exercise.log.close()  # with --force, the new log replaces the old one now
        if replaced:  # so what was made from the old log goes, however the run ended
            stale = outputs.remove_stale(out, replaced, keep=[log_path])
    wall = time.perf_counter() - wall0
    if limited is not None:
        print(f"drillsim: the run stopped: {limited}\n  log         {log_path} (up to the limit; no scorecard "
              "or report)", file=sys.stderr)
        return 2
    log = StoredLog(exercise.log.header or {}, store, exercise.ended, False, str(log_path))
    exercise.model.release()  # the engine's state (agents, incidents, queues) is not needed to score and report:
    del exercise  # its memory is reused by the report instead of adding to it
    gc.collect()  # its cycles go now, not whenever the collector next runs
    freeze_now()  # the modules, the scenario and the stored log stay until the end: no collection need walk them
    if args.quiet:
        write_outputs(log, out, lang=args.lang, form=args.form, report=not args.no_report, quiet=True,
                      force=args.force, doc_format=args.doc_format)
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
    if stale:
        print(f"  replaced    the earlier run's log; removed {len(stale)} output(s) made from it: "
              + ", ".join(_short(p, out) for p in stale[:6]) + (" …" if len(stale) > 6 else ""))
    print()
    write_outputs(log, out, lang=args.lang, form=args.form, report=not args.no_report, force=args.force,
                  doc_format=args.doc_format)
    return 0
