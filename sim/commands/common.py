"""Options and helpers shared by commands that run a scenario (run, play, sweep)."""

from __future__ import annotations

import argparse
import atexit
import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from drillsim.limits import INT_MAX, SEED_MAX
from drillsim.units import format_clock

_EXIT_FREEZE: list[bool] = []
"""Whether :func:`gc.freeze` is registered to run at exit (once per process)."""


@contextmanager
def permanent_heap() -> Iterator[None]:
    """Inside: what is alive now is kept out of the collector's passes; when the process exits, everything is.

    Why: a command such as ``run`` imports its modules and loads its scenario once, and all of
    that lives until the process ends; every full collection after that (in the report, matplotlib
    makes enough objects to set off several) would walk it again for nothing, and so would the
    interpreter's last collection at exit — measured 0.2–0.3 s CPU of a ``drillsim run`` of the
    rainstorm scenario. So the heap is frozen on entry (:func:`gc.freeze`, call :func:`freeze_now`
    for what becomes permanent later) and thawed on the way out, so a caller in the same process
    (a test, a notebook) gets its collector back as it was; and at exit, after every file has
    been written and closed, everything is frozen again, so the interpreter's last collection has
    nothing to walk. Objects freed by reference counting are freed as ever; what is frozen and
    later becomes cyclic garbage waits until the thaw.
    """
    if not _EXIT_FREEZE:
        _EXIT_FREEZE.append(True)
        atexit.register(gc.freeze)
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def freeze_now() -> None:
    """Keep what is alive now out of later collections (inside :func:`permanent_heap`, which thaws it)."""
    gc.freeze()


def add_scenario_options(p: argparse.ArgumentParser,
                         out_default: str = "runs/<scenario-id>-<seed>/, -set-<hash> added with --set") -> None:
    """``SCENARIO``, ``--seed``, ``--set``, ``--params`` and ``--out``: the same for run and play."""
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or the id of a bundled scenario")
    p.add_argument("--seed", type=_seed, default=None, help="root random seed (default: the scenario's)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="override a value, e.g. --set teams.bluesky-tj.members=40 or a parameter name "
                        "(repeatable)")
    add_params_option(p)
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help=f"output directory (default: {out_default})")


def add_params_option(p: argparse.ArgumentParser) -> None:
    """``--params FILE``: declared parameters' values from a file (``drillsim calibrate`` writes one)."""
    p.add_argument("--params", action="append", default=[], type=Path, metavar="FILE",
                   help="a parameters file (YAML `parameters: {name: value}`, e.g. the params.yaml a "
                        "calibration writes); values are checked against the scenario's declared parameters "
                        "and ranges and applied before --set (repeatable)")


def add_backend_options(p: argparse.ArgumentParser, *, wait_workers: bool = False) -> None:
    """Where runs execute (``sweep``, ``calibrate``): the sweep backends behind one set of options."""
    p.add_argument("--backend", choices=("local", "dask"), default="local",
                   help="local processes (default) or a Dask cluster")
    p.add_argument("--address", default=None, metavar="tcp://HOST:8786",
                   help="Dask scheduler to use (default with --backend dask: start a LocalCluster)")
    if wait_workers:
        p.add_argument("--wait-workers", type=whole_number(0, "--wait-workers", 86_400), default=None,
                       metavar="SECONDS",
                       help="with --address: how long to wait for the first Dask worker to join (default 300)")
    p.add_argument("--workers", "-j", type=whole_number(1, "--workers", MAX_WORKERS), default=None, metavar="N",
                   help="worker processes (default: all cores)")


def scenario_overrides(scenario: str | Path | None, params: Sequence[Path], overrides: Sequence[str]
                       ) -> list[Any]:
    """The overrides of a command: each ``--params`` file's values, then the ``--set`` ones (which win).

    Without ``--params`` the ``--set`` texts are returned unchanged. With it, the scenario is read
    once more, unchanged, to learn its declared parameters and their ranges.

    Raises:
        InputError: the scenario or a parameters file is bad (located problems, exit 2).
    """
    if not params:
        return list(overrides)
    from drillsim.calibrate.params import params_overrides
    from drillsim.errors import InputError, Problem
    from drillsim.scenario import load
    from drillsim.scenario.overrides import parse_assignment

    if scenario is None:
        raise InputError([Problem("--params", 0, 0, "", "--params needs the scenario", "SCENARIO on the command line")])
    plain = load(scenario)
    fixed: list[Any] = params_overrides(params, plain.scenario.parameters, plain.scenario.id)
    return fixed + [parse_assignment(o) for o in overrides]


def whole_number(minimum: int, what: str = "", maximum: int = INT_MAX) -> Any:
    """An argparse ``type`` for whole numbers from ``minimum`` to ``maximum`` (seeds, counts, workers).

    The default maximum is the largest whole number a log or a results table can hold: a larger
    one would fail only when the first line is written.
    """

    def parse(text: str) -> int:
        if len(text) > 40:
            raise argparse.ArgumentTypeError(f"{text[:20]!r}… is not a whole number of at most 19 digits")
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{what or 'the value'} must be {minimum} or more")
        if value > maximum:
            raise argparse.ArgumentTypeError(f"{what or 'the value'} must be at most {maximum} "
                                             "(the largest a log can hold)")
        return value

    return parse


_seed = whole_number(0, "a seed", SEED_MAX)
MAX_WORKERS = 4096
"""Most worker processes a command starts on this machine (a typo such as 10**6 must not fork a million)."""


class ProgressBar:
    """A one-line progress bar in simulated time, drawn on a terminal only."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.width = width
        self._last = -1

    def __call__(self, now: float, total: float) -> None:
        """Redraw if the bar moved."""
        if not self.enabled or total <= 0:
            return
        frac = min(1.0, now / total)
        filled = int(frac * self.width)
        pct = int(frac * 100)
        if pct == self._last:
            return
        self._last = pct
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r  [{bar}] {format_clock(now)} / {format_clock(total)} {pct:3d}%")
        self.stream.flush()

    def close(self) -> None:
        """End the line."""
        if self.enabled and self._last >= 0:
            self.stream.write("\n")
            self.stream.flush()


def read_run_log(path: str | Path, stream: TextIO | None = None) -> Any:
    """Read a log to score and report, compactly: print what the reader noticed as ``drillsim: warning:`` lines.

    The records go into a :class:`drillsim.logstore.RecordStore` in one pass (read and checked as
    :func:`drillsim.log.read_log` does), so a long log is never held as Python objects.

    A log cut by a crash is still usable (its readable part is intact); the user must be told that
    its last line was dropped or that the run never finished, so a report is not taken for a whole
    run. A damaged log raises :class:`drillsim.log.LogError` (the CLI prints it and exits 2).
    """
    from drillsim.logstore import read_store

    data = read_store(path)
    for warning in data.warnings:
        print(f"drillsim: warning: {warning}", file=stream or sys.stderr)
    return data


def thousands(n: Any) -> str:
    """``12345`` → ``12,345``."""
    return f"{n:,}"
