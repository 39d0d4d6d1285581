"""The front door: ``drillsim run|list|validate|schema|…``.

Each command lives in its own module under :mod:`drillsim.commands` with ``HELP``,
``add_arguments(parser)`` and ``main(args) -> int``; modules import heavy libraries (mesa,
matplotlib, textual, pandas) inside ``main`` only, so ``drillsim --help`` answers fast.

Exit codes: 0 success; 1 failure (the run or the check failed); 2 bad input (a scenario, log or
option that cannot be used; every problem is printed located, never as a traceback); 130 when
interrupted with Ctrl-C.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from drillsim.version import __version__

COMMANDS: tuple[tuple[str, str], ...] = (
    ("run", "drillsim.commands.run"),
    ("list", "drillsim.commands.list_cmd"),
    ("validate", "drillsim.commands.validate"),
    ("schema", "drillsim.commands.schema"),
    ("report", "drillsim.commands.report"),
    ("play", "drillsim.commands.play"),
    ("replay", "drillsim.commands.replay"),
    ("compare", "drillsim.commands.compare"),
    ("sweep", "drillsim.commands.sweep"),
    ("calibrate", "drillsim.commands.calibrate"),
    ("msel", "drillsim.commands.msel"),
    ("serve", "drillsim.commands.serve"),
    ("join", "drillsim.commands.join"),
)
"""(command, module) pairs; add a line here to add a command."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every command's options (or, with ``only``, just that command's).

    Why ``only``: every command module is imported to build its options; a command run from
    the shell needs only its own (``drillsim run`` imported and compiled the other twelve, about
    40 ms of CPU on each run). The other commands are still there, by name, so a mistyped
    option still reads the same; ``drillsim --help`` builds them all.
    """
    parser = argparse.ArgumentParser(
        prog="drillsim",
        description="Tabletop-exercise and drill simulation for emergency management (桌面推演).",
        epilog="Exit codes: 0 ok, 1 failure, 2 bad input, 130 interrupted. Docs: docs/cli.md",
    )
    parser.add_argument("--version", action="version", version=f"drillsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, module_name in COMMANDS:
        if only is not None and name != only:
            sub.add_parser(name)
            continue
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the command, map errors to exit codes (no tracebacks for bad input)."""
    from drillsim.errors import InputError, format_problems

    words = list(sys.argv[1:] if argv is None else argv)
    only = words[0] if words and words[0] in dict(COMMANDS) else None
    parser = build_parser(only)
    args = parser.parse_args(words)
    try:
        return int(args._module.main(args) or 0)
    except InputError as exc:
        for line in format_problems(exc.problems, omitted=exc.omitted):
            print(line, file=sys.stderr)
        return 2
    except FileExistsError as exc:  # an output that would replace something the user made: --force says so
        print(f"drillsim: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ndrillsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `drillsim schema | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except OSError as exc:  # a full disk, a directory we may not write: the system's words, one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"drillsim: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        from drillsim.log import LogError, RunLimit

        if isinstance(exc, LogError):  # FILE:LINE: field: problem
            print(str(exc), file=sys.stderr)
            return 2
        if isinstance(exc, RunLimit):
            print(f"drillsim: {exc}", file=sys.stderr)
            return 2
        if os.environ.get("DRILLSIM_DEBUG"):
            raise
        print(f"drillsim: internal error: {type(exc).__name__}: {exc} (set DRILLSIM_DEBUG=1 for a traceback; "
              "please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
