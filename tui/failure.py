"""When something in the console raises: what went wrong, and the ``error.txt`` that keeps the details.

The console stops the exercise on any unexpected exception rather than go on with a picture
nobody can trust (see :meth:`drillsim.tui.app.DrillConsole.fail`). Three sources are told apart because
what the log is worth afterwards differs:

* ``simulation`` — the engine raised (a flow inside ``Exercise.advance``, an input's effects, the
  end). The simulation's state is unknown, so it is never advanced again; the log is closed with
  ``finish("error")`` at the time of the fault: every record before the error is exactly what the
  simulation emitted.
* ``display`` — the view could not fold a record (:class:`drillsim.tui.driver.ViewFault`). The engine never
  saw the exception; the exercise is ended with an ``end`` input (reason ``error``) and the log
  replays byte for byte.
* ``console`` — a pane, a dialog or an action of the console raised; the same as ``display``.

``error.txt`` is written next to the log (atomically) with the traceback: a facilitator reads one
line on screen and hands the file to whoever maintains drillsim.
"""

from __future__ import annotations

import datetime as _dt
import platform
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillsim.fileio import atomic_write_text
from drillsim.tui.driver import SimulationFault, ViewFault
from drillsim.tui.i18n import format_offset
from drillsim.version import __version__

if TYPE_CHECKING:
    from drillsim.log import Row

ERROR_FILE = "error.txt"

SOURCES = ("simulation", "display", "console")


@dataclass
class Failure:
    """One failure of the console and what was done about it.

    Attributes:
        source: ``simulation``, ``display`` or ``console`` (see the module docstring).
        error: The exception that was raised (for a simulation fault: the engine's, not the wrapper).
        t: Simulated minutes when it happened.
        details: The formatted traceback.
        record: For ``display``: the record that could not be shown.
        during: For ``simulation``: ``advance``, ``input`` or ``finish``.
        log_path: The event log (None: memory only).
        log_end_reason: The reason in the log's closing ``exercise.ended`` record (None: the log
            was closed without one, intact up to the error).
        after_end: The exercise had already ended when the error happened (the log was not touched).
        log_records: Records in the log, the header included.
        error_file: Where the details were written (None: they could not be).
        error_file_problem: Why they could not be written.
        later: Tracebacks of errors raised after this one (while stopping).
    """

    source: str
    error: BaseException
    t: float
    details: str
    record: Row | None = None
    during: str = ""
    log_path: str | None = None
    log_end_reason: str | None = None
    after_end: bool = False
    log_records: int = 0
    error_file: str | None = None
    error_file_problem: str = ""
    later: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """``Type: message`` on one line (clipped): what the screen shows."""
        message = " ".join(str(self.error).split())
        line = f"{type(self.error).__name__}: {message}" if message else type(self.error).__name__
        return line if len(line) <= 200 else line[:199] + "…"


def describe(problem: BaseException | ViewFault, now: float) -> Failure:
    """A :class:`Failure` for an exception (or a view fault) caught at simulated time ``now``."""
    if isinstance(problem, ViewFault):
        return Failure("display", problem.error, float(problem.record[0]), problem.details, record=problem.record)
    if isinstance(problem, SimulationFault):
        return Failure("simulation", problem.error, problem.t, format_error(problem.error), during=problem.during)
    return Failure("console", problem, now, format_error(problem))


def format_error(exc: BaseException) -> str:
    """The traceback of ``exc`` (with its causes) as text."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def error_text(failure: Failure, header: Mapping[str, Any]) -> str:
    """The contents of ``error.txt``: what, when, which run, what the log holds, then the tracebacks."""
    scenario = header.get("scenario") or {}
    what = {
        "simulation": f"the simulation raised ({_DURING.get(failure.during, failure.during)})",
        "display": "the console could not show a record (the simulation was not affected)",
        "console": "the console raised (the simulation was not affected)",
    }[failure.source]
    if failure.log_path is None:
        log = "none (the exercise was kept in memory only)"
    elif failure.log_end_reason is not None:
        log = (f"{failure.log_path}\n            closed and readable; it ends with exercise.ended "
               f"(reason \"{failure.log_end_reason}\"); {failure.log_records} records")
    else:
        log = (f"{failure.log_path}\n            closed and readable up to the error, without exercise.ended; "
               f"{failure.log_records} records")
    lines = [
        "drillsim play: the exercise stopped after an internal error",
        "",
        f"what:       {what}",
        f"error:      {failure.summary}",
        f"simulated:  minute {failure.t:g} after the start ({format_offset(failure.t)})",
    ]
    if failure.record is not None:
        t, seq, kind, actor, subject = failure.record[:5]
        lines.append(f"record:     seq {seq}, t {t}, {kind} (actor {actor}, subject {subject})")
    lines += [
        f"scenario:   {scenario.get('id')} (sha256 {scenario.get('sha256')}), seed {header.get('seed')}, "
        f"overrides {header.get('overrides') or []}, players {header.get('players') or []}",
        f"log:        {log}",
        f"versions:   drillsim {__version__}, Python {platform.python_version()}, {_textual_version()}",
        f"written:    {_dt.datetime.now().astimezone().isoformat(timespec='seconds')} (wall clock)",
        "",
        _AFTER_END if failure.after_end else _REPLAY[failure.source],
        "",
        failure.details.rstrip(),
    ]
    for n, later in enumerate(failure.later, start=2):
        lines += ["", f"--- error {n}, raised while stopping or afterwards ---", later.rstrip()]
    return "\n".join(lines) + "\n"


_DURING = {"advance": "while the clock moved", "input": "while applying an input", "finish": "while ending"}

_AFTER_END = "The exercise had already ended when the error happened: the log was closed before it."

_REPLAY = {
    "simulation": ("The log ends at the error. Its records up to the error are what the simulation produced; "
                   "re-running the scenario with the same seed and the log's inputs raises the same error at "
                   "the same record while the bug is there."),
    "display": ("The exercise was ended with an `end` input (reason \"error\"): re-running the scenario with "
                "the same seed and the log's inputs reproduces the log byte for byte."),
    "console": ("The exercise was ended with an `end` input (reason \"error\"): re-running the scenario with "
                "the same seed and the log's inputs reproduces the log byte for byte."),
}


def _textual_version() -> str:
    try:
        from importlib.metadata import version

        return f"textual {version('textual')}"
    except Exception:  # pragma: no cover - metadata missing
        return "textual (version unknown)"


def write_error_file(failure: Failure, directory: str | Path | None, header: Mapping[str, Any]) -> None:
    """Write (or rewrite, with later errors added) ``error.txt`` in ``directory``; never raises.

    Sets :attr:`Failure.error_file`, or :attr:`Failure.error_file_problem` when it cannot be written.
    """
    if directory is None:
        failure.error_file_problem = "no output directory"
        return
    path = Path(directory) / ERROR_FILE
    try:
        atomic_write_text(path, error_text(failure, header))
    except Exception as exc:  # a full disk, a read-only directory: say so on screen
        failure.error_file = None
        failure.error_file_problem = f"{type(exc).__name__}: {exc}"
    else:
        failure.error_file = str(path)
        failure.error_file_problem = ""
