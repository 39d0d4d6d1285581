"""Compare runs side by side: scorecards, objective ratings, key curves and where the logs part.

drillsim compare LOG_A LOG_B puts two runs side by side; LOG_B may be several logs or a directory
of runs (a set: its distribution is shown, and LOG_A's percentile in it). --baseline N runs N
doctrine-only runs of LOG_A's scenario (no players, replicates 1..N of its seed) and places the
recorded run in that distribution per objective and overall. Writes compare.html (self-contained),
compare.md, compare.json and figures/*.png into --out (default: a folder of its own beside LOG_A's
run, runs/compare-<A>-vs-<B> or runs/<A>-baseline-<N>; derived.json there names the logs it was
made from), and prints the table. A file that exists with other content is replaced only with
--force. See docs/replay.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from drillsim.commands.common import MAX_WORKERS, whole_number
from drillsim.commands.outputs import FORCE_HELP
from drillsim.limits import MAX_SWEEP_RUNS

HELP = "compare two runs, a run and a set of runs, or a run and a doctrine-only baseline"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim compare``."""
    p.add_argument("log_a", metavar="LOG_A", type=Path,
                   help="an events.jsonl file or run directory (a directory of runs makes A a set)")
    p.add_argument("log_b", metavar="LOG_B", type=Path, nargs="*",
                   help="one or more logs, run directories, or a directory of runs")
    p.add_argument("--baseline", type=whole_number(1, "--baseline", MAX_SWEEP_RUNS), default=None, metavar="N",
                   help="compare LOG_A with N doctrine-only runs of its scenario instead of LOG_B")
    p.add_argument("--scenario", type=Path, default=None, metavar="PATH",
                   help="--baseline: the scenario file, when it moved since the run (checked by sha256)")
    p.add_argument("--keep-logs", action="store_true", help="--baseline: keep the baseline runs' event logs")
    p.add_argument("--workers", type=whole_number(1, "--workers", MAX_WORKERS), default=None, metavar="N",
                   help="processes to use")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="where the report goes")
    p.add_argument("--no-report", action="store_true", help="print the table only; write nothing")
    p.add_argument("--force", action="store_true",
                   help=FORCE_HELP + "; with --baseline --keep-logs, also the baseline runs' logs")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the table and report")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the paths written")




def main(args: argparse.Namespace) -> int:
    """Summarise, print, write."""
    from drillsim.commands import outputs
    from drillsim.commands.replay import JobCounter
    from drillsim.errors import InputError, Problem
    from drillsim.replay.compare import Comparison, compare_logs, resolve_logs
    from drillsim.replay.source import ScenarioChanged

    if args.baseline is None and not args.log_b:
        raise InputError([Problem("LOG_B", 0, 0, "", "nothing to compare with", "LOG_B, or --baseline N")])
    if args.baseline is not None and args.log_b:
        raise InputError([Problem("--baseline", 0, 0, "", "give LOG_B or --baseline N, not both")])
    a_paths = resolve_logs([args.log_a], "LOG_A")
    counter = JobCounter("runs") if not args.quiet else None
    progress = counter if counter is not None else None
    try:
        if args.baseline is not None:
            if len(a_paths) != 1:
                raise InputError([Problem(str(args.log_a), 0, 0, "", "--baseline needs one recorded run",
                                          "an events.jsonl file or a run directory")])
            try:
                comp: Comparison = _baseline(a_paths[0], args, progress)
            except ScenarioChanged as exc:
                print(f"drillsim: {exc}; a baseline needs the scenario the run used", file=sys.stderr)
                return 1
            default_out = outputs.baseline_dir(a_paths[0], args.baseline)
            sources = [outputs.Source.of(a_paths[0])]
            title = "Recorded run against a doctrine-only baseline" if args.lang == "en" else "实际推演与纯预案基线对比"
        else:
            b_paths = resolve_logs(args.log_b, "LOG_B")
            comp = compare_logs(a_paths, b_paths, workers=args.workers, progress=progress)
            default_out = outputs.compare_dir(args.log_a, args.log_b)
            sources = [outputs.Source.of(p) for p in [*a_paths, *b_paths]]
            title = ""
    finally:
        if counter is not None:
            counter.close()
    from drillsim.reports.compare import compare_files, terminal_table

    written: list[Path] = []
    if not args.no_report:
        out = Path(args.out if args.out is not None else default_out)
        files = {out / rel: data for rel, data in compare_files(comp, args.lang, title).items()}
        written = outputs.write_files(files, force=args.force, sources=sources,
                                      by="drillsim compare" + (" --baseline" if args.baseline else ""))
    if args.quiet:
        for path in written:
            print(path)
        return 0
    print(terminal_table(comp, args.lang, title))
    for path in written:
        if path.suffix in (".html", ".json"):
            print(f"  wrote       {path}")
    return 0


def _baseline(log: Path, args: argparse.Namespace, progress: Any) -> Any:
    from drillsim.log import read_log
    from drillsim.replay.baseline import run_baseline
    from drillsim.replay.compare import Comparison, compare_logs, read_log_header
    from drillsim.replay.curves import grid, main_agencies

    header = read_log_header(log)
    read_log(log)  # a damaged log is refused before anything runs
    recorded = compare_logs([log], [log], workers=1)
    times = tuple(recorded.times) if recorded.times else tuple(grid(float(header.get("duration") or 0.0)))
    agencies = tuple(main_agencies(header))
    from drillsim.commands import outputs

    out = args.out if args.out is not None else outputs.baseline_dir(log, args.baseline)
    if args.keep_logs:
        for k in range(1, args.baseline + 1):
            outputs.check_log_free(Path(out) / f"doctrine-{k:03d}" / "events.jsonl", args.force, "a baseline run's log")
    runs = run_baseline(log, args.baseline, times, agencies, scenario=args.scenario,
                        out=out if args.keep_logs else None, workers=args.workers, progress=progress,
                        replace=args.force)
    comp = Comparison(recorded.a, runs, list(times), list(agencies), kind="baseline")
    return comp
