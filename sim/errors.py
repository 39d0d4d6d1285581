"""Located problems: every complaint about user input names file, line, column and field.

A :class:`Problem` is one line of ``drillsim validate`` output; :class:`InputError` carries a
list of them so the CLI can print all problems at once and exit 2 without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_SHOWN = 50
"""How many problems a command prints before summarising the rest as ``… and N more``."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in an input file.

    Attributes:
        file: The file the problem is in (or a pseudo-source such as ``--set``).
        line: 1-based line, 0 when unknown.
        column: 1-based column, 0 when unknown.
        path: Dotted field path, e.g. ``teams.bluesky-fs.speed``; empty for the whole document.
        message: What is wrong.
        expected: What was expected instead (may be empty).
        severity: ``error`` or ``warning``.
        cell: For a spreadsheet, the cell instead of line and column (``MSEL!C7``).
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    expected: str = ""
    severity: str = "error"
    cell: str = ""

    def format(self) -> str:
        """Render as ``FILE:LINE:COL: path: message (expected)`` (``FILE:SHEET!CELL: …`` for a sheet)."""
        where = f"{self.file}:{self.cell}" if self.cell else f"{self.file}:{self.line}:{self.column}"
        text = self.message + (f" (expected {self.expected})" if self.expected else "")
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {self.path or '<document>'}: {prefix}{text}"


def format_problems(problems: Sequence[Problem], limit: int | None = MAX_SHOWN,
                    omitted: int = 0) -> list[str]:
    """Lines to print for ``problems``: at most ``limit`` of them, then ``… and N more``.

    A file with 100 000 bad items must not flood the terminal: the first problems say what is
    wrong, and fixing them usually fixes the rest. ``limit=None`` (or 0) prints every problem that
    was listed; ``omitted`` counts further errors the loader found but did not list (see
    :data:`MAX_LISTED`).
    """
    shown = list(problems) if not limit else list(problems[:limit])
    hidden = len(problems) - len(shown) + omitted
    lines = [p.format() for p in shown]
    if hidden <= 0:
        return lines
    errors = sum(1 for p in problems[len(shown):] if p.severity != "warning") + omitted
    what = f"{hidden} more problem{'s' if hidden != 1 else ''}"
    if errors != hidden:
        what += f" ({errors} error{'s' if errors != 1 else ''}, {hidden - errors} warning"
        what += "s)" if hidden - errors != 1 else ")"
    return [*lines, f"… and {what}"]


MAX_LISTED = 1000
"""Validation errors described one by one per file; beyond this they are only counted (describing
120 000 errors took 0.7 s and 50 MB for lines nobody reads)."""


class InputError(Exception):
    """Bad user input: one or more located problems. The CLI prints them and exits 2.

    Attributes:
        problems: The problems, in file order.
        omitted: Further errors that were counted but not described (over :data:`MAX_LISTED`).
    """

    def __init__(self, problems: list[Problem], omitted: int = 0) -> None:
        self.problems = problems
        self.omitted = omitted
        super().__init__(f"{len(problems) + omitted} problem(s)")

    def __str__(self) -> str:
        return "\n".join(format_problems(self.problems, omitted=self.omitted))


class Refusal(InputError):
    """Input refused before parsing (too large, binary, wrong encoding): never a traceback."""
