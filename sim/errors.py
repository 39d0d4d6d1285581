"""Located problems: every complaint about user input names file, line, column and field.

A :class:`Problem` is one line of ``drillsim validate`` output; :class:`InputError` carries a
list of them so the CLI can print all problems at once and exit 2 without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    expected: str = ""
    severity: str = "error"

    def format(self) -> str:
        """Render as ``FILE:LINE:COL: path: message (expected)``."""
        where = f"{self.file}:{self.line}:{self.column}"
        text = self.message + (f" (expected {self.expected})" if self.expected else "")
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {self.path or '<document>'}: {prefix}{text}"


class InputError(Exception):
    """Bad user input: one or more located problems. The CLI prints them and exits 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class Refusal(InputError):
    """Input refused before parsing (too large, binary, wrong encoding): never a traceback."""
