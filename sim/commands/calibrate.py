"""Fit a scenario's unverified parameters to a sourced record of real events (docs/calibration.md).

Candidates come from an Optuna sampler (TPE by default), each is run with several seeds on the sweep
backends (local processes or Dask), and its loss is the weighted squared error of the median over
seeds against the *fitted* targets; *held-out* targets are never used in the fit and are reported
separately. Writes DIR/params.yaml (for ``run``/``play``/``sweep --params``), DIR/calibration.json,
DIR/report.md, DIR/report.html and DIR/timeline.png. A calibration killed at any point continues with
the same command and ``--resume``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drillsim.commands.common import add_backend_options, add_params_option, scenario_overrides, whole_number

HELP = "fit a scenario's [U] parameters to real events (targets file); report fitted vs held-out error"


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a share from 0 to below 1 (e.g. 0.3)")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim calibrate``."""
    from drillsim.calibrate import METHODS

    p.add_argument("scenario", metavar="SCENARIO", help="a scenario file or bundled id")
    p.add_argument("--targets", type=Path, required=True, metavar="TARGETS.yaml",
                   help="observed events and values with sources (docs/calibration.md)")
    p.add_argument("--vary", action="append", default=[], metavar="NAME=LO:HI",
                   help="a parameter to fit and its search range (units as in the scenario: 6h:18h), or NAME "
                        "alone for a declared parameter's whole range (repeatable)")
    p.add_argument("--seeds", type=whole_number(1, "--seeds", 1000), default=10, metavar="N",
                   help="runs per candidate, each with its own seed; the loss uses their median (default 10)")
    p.add_argument("--method", choices=METHODS, default="tpe",
                   help="Optuna sampler: tpe (default), cmaes, or random (a baseline)")
    p.add_argument("--budget", type=whole_number(1, "--budget", 100_000), default=500, metavar="N",
                   help="candidates in all (default 500); a finished calibration continues to a larger budget "
                        "with --resume")
    p.add_argument("--holdout", type=_share, default=0.3, metavar="SHARE",
                   help="share of the targets never used in the fit, reported separately (default 0.3)")
    p.add_argument("--batch", type=whole_number(1, "--batch", 1000), default=4, metavar="N",
                   help="candidates asked and run at once (default 4); fixed, so the fit does not depend on "
                        "the number of workers")
    p.add_argument("--check-seeds", type=whole_number(1, "--check-seeds", 1000), default=10, metavar="N",
                   help="runs of the scenario as given and of the best candidate, for the report (default 10)")
    p.add_argument("--seed", type=whole_number(0, "a seed"), default=None, metavar="ROOT",
                   help="root seed of run seeds, the held-out split and the sampler (default: the scenario's)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="a fixed override for every run (repeatable)")
    add_params_option(p)
    add_backend_options(p)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output directory")
    p.add_argument("--resume", action="store_true", help="continue the interrupted calibration in DIR")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the parameters file written")


def main(args: argparse.Namespace) -> int:
    """Prepare (every input checked), search, check before/after, write the parameters file and the report."""
    from drillsim.calibrate.params import format_params
    from drillsim.calibrate.search import prepare, reproduce_command, run
    from drillsim.fileio import atomic_write_text

    overrides = scenario_overrides(args.scenario, args.params, args.overrides)
    probe = prepare(args.scenario, args.targets, args.vary, seeds=args.seeds, budget=args.budget, method=args.method,
                    holdout=args.holdout, seed=args.seed, overrides=overrides, batch=args.batch,
                    check_seeds=args.check_seeds)
    command = reproduce_command(args.scenario, str(args.targets), args.vary, seeds=args.seeds, budget=args.budget,
                                method=args.method, holdout=args.holdout, batch=args.batch,
                                check_seeds=args.check_seeds, seed=probe.root, out=str(args.out),
                                params=[str(p) for p in args.params], overrides=args.overrides)
    from dataclasses import replace

    setup = replace(probe, command=command)
    say = (lambda _m: None) if args.quiet else (lambda m: print(m, flush=True))

    def note(message: str) -> None:
        print(f"drillsim calibrate: note: {message}", file=sys.stderr, flush=True)

    say(f"drillsim calibrate: {setup.scenario_id} — {len(setup.targets)} targets ({len(setup.fitted)} fitted, "
        f"{len(setup.held_out)} held out: {', '.join(setup.held_out) or 'none'}); root seed {setup.root}")
    result = run(setup, args.out, backend=args.backend, workers=args.workers, address=args.address,
                 resume=args.resume, say=say, notice=note)
    if result.interrupted:
        print(f"\ndrillsim calibrate: interrupted; finished runs and candidates are saved in {args.out}; continue "
              "with the same command and --resume", file=sys.stderr)
        return 130
    data = result.data
    best = data.get("best")
    if best is None:
        print("drillsim calibrate: no candidate ran without failing; see the errors in "
              f"{args.out / 'results.parquet'}", file=sys.stderr)
        return 1
    import json

    out = Path(args.out)
    atomic_write_text(out / "calibration.json", json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")
    header = [f"Fitted by drillsim calibrate {data['drillsim']} (loss {best['loss']:.4g}, candidate "
              f"{best['number']} of {data['candidates']}); report: report.md", "Reproduce:", f"  {command}"]
    params_path = out / "params.yaml"
    atomic_write_text(params_path, format_params(best["params"], scenario=setup.scenario_id, header=header))
    from drillsim.reports.calibration import write_report

    written = write_report(out, data)
    if args.quiet:
        print(params_path)
        return 0
    s = data["scores"]
    say(f"  ran         {result.ran:,} runs this session ({result.reused:,} reused) in {result.seconds:.1f} s")
    for label in ("before", "after"):
        f, h = s[label]["fitted"], s[label]["held_out"]
        say(f"  {label:<11} fitted loss {_g(f.get('loss'))}, held-out loss {_g(h.get('loss'))}; time targets "
            f"within ±2 h {_count(s[label]['all'], 'within_2h')}, ±6 h {_count(s[label]['all'], 'within_6h')}")
    say(f"  parameters  {params_path}")
    for path in written:
        say(f"  report      {path}")
    return 0


def _g(value: object) -> str:
    return "–" if not isinstance(value, int | float) else f"{value:.3g}"


def _count(score: dict[str, object], key: str) -> str:
    return f"{score.get(key, 0)}/{score.get('time_targets', 0)}"
