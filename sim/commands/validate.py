"""Check scenario files: one located line per problem.

Exit status: 0 when every file is valid (warnings are printed but do not fail), 2 when any file
has an error. With ``--lint`` the doctrine lint runs too, and any warning (semantic or lint) makes
the exit status 1 unless a file has an error (2 wins). See docs/limits.md.
"""

from __future__ import annotations

import argparse
import sys

HELP = "check scenario files (exit 0 valid, 2 invalid; --lint: 1 on warnings)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim validate``."""
    from drillsim.errors import MAX_SHOWN

    p.add_argument("files", nargs="+", metavar="FILE", help="scenario files (or bundled ids)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="check with an override applied")
    p.add_argument("--lint", action="store_true",
                   help="also run the doctrine lint; exit 1 if there is any warning")
    p.add_argument("--max-problems", type=int, default=MAX_SHOWN, metavar="N",
                   help=f"print at most N problems per file, then '… and N more' "
                        f"(default {MAX_SHOWN}; 0: all)")
    p.add_argument("--quiet", "-q", action="store_true", help="print problems only")


def main(args: argparse.Namespace) -> int:
    """Validate each file; print problems as FILE:LINE:COL: path: message (expected)."""
    from drillsim.errors import InputError, format_problems
    from drillsim.scenario.lint import lint
    from drillsim.scenario.load import load_with_document
    from drillsim.scenario.semantic import check as semantic_check

    status = 0
    limit = max(0, args.max_problems)
    for name in args.files:
        try:
            loaded, doc = load_with_document(name, args.overrides)
        except InputError as exc:
            for line in format_problems(exc.problems, limit, exc.omitted):
                print(line, file=sys.stderr)
            status = 2
            continue
        warnings = [*loaded.warnings, *semantic_check(loaded, doc)]
        if args.lint:
            warnings += lint(loaded, doc)
        warnings.sort(key=lambda p: (p.line, p.column, p.path))
        for line in format_problems(warnings, limit):
            print(line, file=sys.stderr)
        if args.lint and warnings and status == 0:
            status = 1
        if not args.quiet:
            s = loaded.scenario
            print(f"{name}: ok ({s.id}: {len(s.regions)} regions, {len(s.agencies)} agencies, "
                  f"{len(s.teams)} teams, {len(s.injects)} injects, {len(s.decisions)} decisions, "
                  f"{len(s.objectives)} objectives"
                  + (f", {len(warnings)} warning(s)" if warnings else "") + ")")
    return status
