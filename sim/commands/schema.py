"""Print the JSON Schema of the scenario format (for editor completion and checking)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "print the JSON Schema of the scenario format"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim schema``."""
    p.add_argument("--out", type=Path, default=None, help="write to this file instead of stdout")


def main(args: argparse.Namespace) -> int:
    """Print or write the schema."""
    from drillsim.scenario import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        from drillsim.fileio import atomic_write_text

        atomic_write_text(args.out, text)
    else:
        print(text, end="")
    return 0
