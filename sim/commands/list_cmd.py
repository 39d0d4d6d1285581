"""List the bundled scenarios with their titles."""

from __future__ import annotations

import argparse

HELP = "list the bundled scenarios"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim list``."""
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the titles")


def main(args: argparse.Namespace) -> int:
    """Print one line per bundled scenario: id, hazard, duration, title."""
    from drillsim.errors import InputError
    from drillsim.scenario import load
    from drillsim.scenarios import bundled
    from drillsim.units import format_duration

    rows: list[tuple[str, str, str, str]] = []
    for path in bundled():
        try:
            s = load(path).scenario
            rows.append((s.id, s.hazard, format_duration(s.duration), s.title.get(args.lang)))
        except InputError as exc:
            rows.append((path.stem, "?", "?", f"(invalid: {len(exc.problems)} problem(s); run drillsim validate)"))
    width = max((len(r[0]) for r in rows), default=2)
    for sid, hazard, duration, title in rows:
        print(f"{sid:<{width}}  {hazard:<10} {duration:>5}  {title}")
    return 0
