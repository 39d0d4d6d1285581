"""Check scenario files: one located line per problem; exit 0 when all are valid, 2 otherwise."""

from __future__ import annotations

import argparse
import sys

HELP = "check scenario files (exit 0 valid, 2 invalid)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim validate``."""
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario files (or bundled ids)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="check with an override applied")
    p.add_argument("--quiet", "-q", action="store_true", help="print problems only")


def main(args: argparse.Namespace) -> int:
    """Validate each file; print problems as FILE:LINE:COL: path: message (expected)."""
    from sim.errors import InputError
    from sim.scenario import load

    status = 0
    for name in args.files:
        try:
            loaded = load(name, args.overrides)
        except InputError as exc:
            for problem in exc.problems:
                print(problem.format(), file=sys.stderr)
            status = 2
            continue
        for warning in loaded.warnings:
            print(warning.format(), file=sys.stderr)
        if not args.quiet:
            s = loaded.scenario
            print(f"{name}: ok ({s.id}: {len(s.regions)} regions, {len(s.agencies)} agencies, "
                  f"{len(s.teams)} teams, {len(s.injects)} injects, {len(s.decisions)} decisions, "
                  f"{len(s.objectives)} objectives"
                  + (f", {len(loaded.warnings)} warning(s)" if loaded.warnings else "") + ")")
    return status
