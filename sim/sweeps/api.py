"""The Python API, also what ``drillsim sweep`` calls.

    from drillsim.sweeps import sweep

    df = sweep("mentougou-flash-flood",
               {"county-deadline": ("30m", "2h"), "reporter-probability": [0.6, 0.8, 1.0]},
               design="grid", points=4, replicates=10, seed=1, crn=True)
    df.groupby("param.county-deadline")["metric.people_rescued_ratio"].mean()

:func:`prepare` resolves everything that can be wrong with the input before a run starts;
:func:`run` executes a prepared sweep into an output directory and returns the table.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from drillsim.errors import InputError, Problem
from drillsim.limits import MAX_SWEEP_RUNS, SEED_MAX
from drillsim.sweeps.backends import WAIT_WORKERS_S
from drillsim.sweeps.designs import DESIGNS, design_size
from drillsim.sweeps.lock import FolderLock
from drillsim.sweeps.plan import Plan
from drillsim.sweeps.spec import (
    SweepFile,
    SweepSpec,
    VaryRequest,
    listed_from_values,
    parse_vary,
    read_sweep_file,
    resolve_factors,
    resolve_listed,
)
from drillsim.sweeps.store import Store
from drillsim.sweeps.tasks import ScenarioSource

VaryArg = Sequence[str] | Mapping[str, Any]


@dataclass
class Prepared:
    """A checked sweep, ready to run."""

    plan: Plan
    sha256: str
    notes: list[str] = field(default_factory=list)


@dataclass
class SweepResult:
    """What :func:`run` did.

    Attributes:
        table: The results (one row per finished run) as an Arrow table; :attr:`frame` as pandas.
        out: The output directory.
        ran: Runs finished in this call.
        failed: Failures among them.
        skipped: Runs already finished before this call (``resume``).
        seconds: Wall time of the execution phase.
        backend: The backend's one-line description.
        interrupted: True when stopped by Ctrl-C (the store is consistent and resumable).
    """

    table: Any
    out: Path
    ran: int
    failed: int
    skipped: int
    seconds: float
    backend: str
    interrupted: bool = False

    @property
    def results(self) -> Path:
        """``out/results.parquet``."""
        return self.out / "results.parquet"

    @property
    def rows(self) -> int:
        """Rows in the results (finished runs)."""
        return 0 if self.table is None else int(self.table.num_rows)

    @property
    def failures(self) -> int:
        """Failed runs in the results."""
        if self.table is None:
            return 0
        return sum(1 for s in self.table.column("status").to_pylist() if s != "ok")

    @property
    def frame(self) -> Any:
        """The results as a pandas DataFrame (as ``pandas.read_parquet`` reads ``results.parquet``)."""
        if self.table is None:
            return None
        import pandas as pd

        return pd.read_parquet(self.results)


def _requests(vary: VaryArg | None) -> list[VaryRequest]:
    if vary is None:
        return []
    if isinstance(vary, Mapping):
        out = []
        for name, spec in vary.items():
            def where(m: str, e: str, _n: str = str(name)) -> Problem:
                return Problem("vary", 0, 0, _n, m, e)

            if spec is None:
                out.append(VaryRequest(str(name), where=where))
            elif isinstance(spec, tuple) and len(spec) == 2:
                out.append(VaryRequest(str(name), spec[0], spec[1], where=where))
            elif isinstance(spec, list | tuple):
                out.append(VaryRequest(str(name), values=tuple(spec), where=where))
            else:
                raise InputError([where(f"{spec!r} is neither a (low, high) tuple nor a list of values",
                                        "(low, high), [v1, v2, ...] or None for the declared range")])
        return out
    if isinstance(vary, str):
        vary = [vary]
    return [parse_vary(v) for v in vary]


def prepare(scenario: str | Path | None, vary: VaryArg | None = None, *, design: str | None = None,
            points: int | None = None, replicates: int | None = None, crn: bool | None = None,
            seed: int | None = None, overrides: Sequence[str] | Sequence[tuple[str, Any]] = (),
            file: str | Path | None = None) -> Prepared:
    """Load the scenario, resolve factors and design; raise :class:`InputError` for any bad input.

    Arguments given here win over the sweep ``file``'s.
    """
    from drillsim.fileio import Refused, read_regular
    from drillsim.scenario.load import load_document, resolve
    from drillsim.scenario.overrides import parse_assignment
    from drillsim.scenario.yamlsafe import MAX_BYTES, parse_document

    sf = read_sweep_file(file) if file is not None else SweepFile()
    ref = str(scenario) if scenario is not None else sf.scenario
    if ref is None:
        raise InputError([Problem("sweep", 0, 0, "", "no scenario given", "SCENARIO, or scenario: in the sweep file")])
    if ref == sf.scenario and file is not None and Path(ref).suffix in (".yaml", ".yml"):
        candidate = Path(file).parent / ref  # a scenario path in a sweep file is relative to that file
        if not Path(ref).is_absolute() and candidate.exists():
            ref = str(candidate)
    path, source = resolve(ref)
    display = str(path) if source.startswith("bundled:") else ref
    try:  # read once (these bytes go to the workers): a regular file within the loader's limit
        raw = read_regular(path, max_bytes=MAX_BYTES)
    except Refused as exc:
        raise InputError([Problem(display, 0, 0, "", exc.reason, "a YAML scenario file")]) from None
    doc = parse_document(raw, display)
    fixed = [*sf.overrides, *(parse_assignment(o) if isinstance(o, str) else tuple(o) for o in overrides)]
    loaded = load_document(doc, source, fixed)
    design = design or sf.design or "grid"
    if design not in DESIGNS:
        raise InputError([Problem("--design", 0, 0, "", f"unknown design {design!r}", "one of " + ", ".join(DESIGNS))])
    requests = [*sf.vary]
    cli = _requests(vary)
    names = {r.name for r in cli}
    requests = [r for r in requests if r.name not in names] + cli
    if design == "list" and sf.listed is not None:
        declared = {r.name for r in requests}
        for item, _path in sf.listed:
            for name in item:
                if name in declared:
                    continue
                declared.add(name)
                values: list[Any] = []
                for other, _ in sf.listed:
                    if name in other and other[name] not in values:
                        values.append(other[name])
                requests.append(VaryRequest(name, values=tuple(values), where=_where_file(sf, ("list",))))
    reps = replicates if replicates is not None else (sf.replicates or 1)
    if not requests and reps < 2:
        raise InputError([Problem("--vary", 0, 0, "", "nothing to vary and one replicate",
                                  "--vary NAME=LO:HI (or a declared parameter NAME), vary: in a sweep file, or "
                                  "--replicates R (R ≥ 2) for a Monte Carlo study of the scenario as it is")])
    if not requests and design not in ("grid", "list"):
        raise InputError([Problem("--design", 0, 0, "", f"a {design} design needs something to vary",
                                  "--vary NAME=LO:HI, or no --design for replicates of the scenario as it is")])
    factors = tuple(
        replace(f, affects=loaded.scenario.parameters[f.name].affects)
        if f.declared and f.name in loaded.scenario.parameters else f
        for f in resolve_factors(requests, loaded))
    listed = None
    if design == "list":
        if sf.listed is not None and not cli:
            assert sf.doc is not None
            listed = resolve_listed(factors, [(item, _where_file(sf, p)) for item, p in sf.listed])
        else:
            listed = listed_from_values(factors)
    n_points = points if points is not None else sf.points
    if n_points is not None and n_points < 1:
        raise InputError([Problem("--points", 0, 0, "", f"{n_points} points", "1 or more")])
    if reps < 1:
        raise InputError([Problem("--replicates", 0, 0, "", f"{reps} replicates", "1 or more")])
    root = seed if seed is not None else (sf.seed if sf.seed is not None else loaded.scenario.seed)
    if not 0 <= root <= SEED_MAX:
        raise InputError([Problem("--seed", 0, 0, "", f"seed {root}", f"a whole number from 0 to {SEED_MAX}")])
    size = design_size(design, factors, n_points, listed)
    if size * reps > MAX_SWEEP_RUNS:  # refused before a single point is laid out
        message = (f"the {design} design has {size:,} points × {reps:,} replicate{'s' if reps != 1 else ''} = "
                   f"{size * reps:,} runs, over the limit of {MAX_SWEEP_RUNS:,} runs per sweep (docs/limits.md)")
        expected = "fewer points, levels or replicates; or several sweeps"
        if points is None and sf.points is not None and sf.doc is not None:  # the sweep file's `points:`
            raise InputError([sf.doc.problem(("points",), message, expected)])
        raise InputError([Problem("--points" if design != "list" else "list", 0, 0, "design", message, expected)])
    spec = SweepSpec(factors, design, n_points, reps, bool(crn if crn is not None else sf.crn), int(root),
                     tuple(fixed), listed)
    better = {f"{oid}.{tid}": task.better for oid, objective in loaded.scenario.objectives.items()
              for tid, task in objective.tasks.items()}
    plan = Plan.build(spec, ScenarioSource(raw, display, source), loaded.scenario.id, ref, better)
    notes = [f"`{f.name}` affects only how runs are rated (affects: scoring): what happens in the world — people "
             "rescued and lost, evacuations, fires — does not change with it"
             for f in factors if f.affects == "scoring"]
    if design == "sobol":
        from drillsim.sweeps.designs import DEFAULT_POINTS, is_power_of_two

        n = n_points or DEFAULT_POINTS["sobol"]
        if not is_power_of_two(n):
            notes.append(f"sobol: {n} base samples is not a power of two; the Sobol' sequence is balanced "
                         "only for 2, 4, 8, 16, … (use e.g. --points "
                         f"{1 << max(1, (n - 1).bit_length())})")
    if not plan.points:
        raise InputError([Problem("--points", 0, 0, "", "the design has no points", "at least one point")])
    return Prepared(plan, doc.sha256, notes)


def _where_file(sf: SweepFile, path: tuple[Any, ...]) -> Callable[[str, str], Problem]:
    doc = sf.doc
    if doc is None:
        return lambda m, e: Problem("list", 0, 0, "", m, e)
    return lambda m, e: doc.problem(path, m, e)


def run(prepared: Prepared, out: str | Path, *, backend: str = "local", address: str | None = None,
        workers: int | None = None, resume: bool = False, keep_logs: bool = False, batch: int | None = None,
        progress: TextIO | None = None, on_start: Callable[[str, int, int], None] | None = None,
        lock: FolderLock | None = None, notice: Callable[[str], None] | None = None,
        wait_workers: float = WAIT_WORKERS_S) -> SweepResult:
    """Execute a prepared sweep into ``out``; Ctrl-C stops it cleanly (see :class:`SweepResult`).

    The folder is locked for the whole call (one sweep per folder: :mod:`drillsim.sweeps.lock`),
    checked, and only then — once the backend is up — written to: a sweep that is refused, or that
    cannot reach its cluster, leaves the folder as it found it.

    Args:
        prepared: From :func:`prepare`.
        out: Output directory (``results.parquet``, ``sweep.json``, ``logs/``).
        backend: ``local`` or ``dask``.
        address: Dask scheduler address (``tcp://host:8786``); none starts a LocalCluster.
        workers: Local processes / LocalCluster workers (default: all cores).
        resume: Continue the sweep already in ``out`` (runs finished there are skipped).
        keep_logs: Keep each run's event log in ``out/logs/``.
        batch: Runs per task (default: adaptive).
        progress: Stream for the progress bar (None: silent).
        on_start: Called with ``(backend description, runs to do, runs already done)`` before running.
        lock: The folder's lock, when the caller holds it already (the command holds it while it
            also writes the report); else this call takes and releases it.
        notice: Told about a stale lock taken over (default: a ``UserWarning``).
        wait_workers: Seconds to wait for the first Dask worker of a scheduler at ``address``.

    Raises:
        InputError: another sweep holds the folder, the folder holds another sweep, or the backend
            cannot be used (a bad address, no scheduler answering, no workers joining).
    """
    held = lock if lock is not None else FolderLock.acquire(out, notice=notice or _warn)
    try:
        return _run_locked(prepared, Store(out), backend=backend, address=address, workers=workers, resume=resume,
                           keep_logs=keep_logs, batch=batch, progress=progress, on_start=on_start,
                           wait_workers=wait_workers, notice=notice)
    finally:
        if lock is None:
            held.release()
            if held.created_folder:
                _remove_if_empty(Path(out))


def _warn(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=3)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()  # only succeeds when nothing was written (a refused or unreachable sweep)
    except OSError:
        pass


def _run_locked(prepared: Prepared, store: Store, *, backend: str, address: str | None, workers: int | None,
                resume: bool, keep_logs: bool, batch: int | None, progress: TextIO | None,
                on_start: Callable[[str, int, int], None] | None, wait_workers: float,
                notice: Callable[[str], None] | None) -> SweepResult:
    from drillsim.sweeps.backends import open_backend
    from drillsim.sweeps.progress import Progress
    from drillsim.sweeps.runner import execute

    plan = prepared.plan
    manifest = plan.manifest(prepared.sha256)
    done = store.decide(manifest, resume=resume)
    todo = plan.total - len(done & plan.run_ids()) if done else plan.total
    if not todo:
        store.start(manifest)
        return SweepResult(store.compact(), store.out, 0, 0, len(done), 0.0, "nothing to run")
    back = open_backend(backend, workers=workers, address=address, wait_workers=wait_workers,
                        say=notice or _warn)
    try:
        store.start(manifest)
        before = store.read_all() if done else None
    except BaseException:
        back.abort()
        raise
    failed_before = 0 if before is None else sum(1 for s in before.column("status").to_pylist() if s != "ok")
    started = time.perf_counter()
    if on_start is not None:
        on_start(back.description, todo, len(done))
    bar = Progress(plan.total, len(done), failed_before, stream=progress) if progress is not None else None
    interrupted = False
    try:
        tally = execute(back, plan, plan.jobs(skip=done), todo, store, bar, keep_logs=keep_logs, batch=batch)
    except KeyboardInterrupt:
        interrupted = True
        back.abort()
        tally = None
    except BaseException:
        back.abort()
        store.compact()
        if bar is not None:
            bar.close()
        raise
    else:
        back.close()
    if bar is not None:
        bar.close()
    table = store.compact()
    seconds = time.perf_counter() - started
    ran = tally.ran if tally else (0 if table is None else table.num_rows - len(done))
    failed = tally.failed if tally else 0
    return SweepResult(table, store.out, ran, failed, len(done), seconds, back.description, interrupted)


def sweep(scenario: str | Path | None, vary: VaryArg | None = None, *, design: str | None = None,
          points: int | None = None, replicates: int | None = None, crn: bool | None = None,
          seed: int | None = None, overrides: Sequence[str] = (), file: str | Path | None = None,
          backend: str = "local", address: str | None = None, workers: int | None = None,
          out: str | Path | None = None, resume: bool = False, keep_logs: bool = False,
          batch: int | None = None, progress: TextIO | None = None, wait_workers: float = WAIT_WORKERS_S) -> Any:
    """Run a parameter sweep and return its results as a pandas DataFrame (one row per run).

    Args:
        scenario: A scenario file or bundled id (None: the sweep ``file``'s ``scenario:``).
        vary: ``{"name": (low, high)}`` for a range, ``{"name": [v1, v2]}`` for values, ``{"name": None}``
            for a declared parameter's own range; or ``["name=LO:HI", ...]`` as on the command line.
            Values carry units as in the scenario (``"30m"``, ``"2/h"``).
        design: ``grid`` (default), ``lhs``, ``sobol`` or ``list``.
        points: Levels per factor (grid), samples (lhs), base samples N (sobol: N·(2D+2) points).
        replicates: Runs per point (default 1).
        crn: Common random numbers across points.
        seed: Root seed (default: the scenario's).
        overrides: Fixed ``PATH=VALUE`` overrides for every run.
        file: A sweep file (YAML); arguments given here win.
        backend: ``local`` (processes) or ``dask``.
        address: Dask scheduler address.
        workers: Number of local processes or LocalCluster workers.
        out: Output directory; None runs in a temporary directory that is removed afterwards.
        resume: Continue an interrupted sweep in ``out``.
        keep_logs: Keep every run's event log in ``out/logs`` (needs ``out``).
        batch: Runs per task (default: adaptive).
        progress: A stream for the progress bar (e.g. ``sys.stderr``); None is silent.
        wait_workers: Seconds to wait for the first worker of the Dask scheduler at ``address``.

    Raises:
        InputError: anything wrong with the scenario, the factors or the options (located problems),
            another sweep using ``out``, or a Dask backend that cannot be used.
        KeyboardInterrupt: re-raised after the store was left consistent and resumable.
    """
    prepared = prepare(scenario, vary, design=design, points=points, replicates=replicates, crn=crn, seed=seed,
                       overrides=overrides, file=file)
    if out is None:
        if keep_logs or resume:
            raise InputError([Problem("out", 0, 0, "", "keep_logs and resume need an output directory", "out=DIR")])
        with tempfile.TemporaryDirectory(prefix="drillsim-sweep-") as tmp:
            result = run(prepared, tmp, backend=backend, address=address, workers=workers, batch=batch,
                         progress=progress, wait_workers=wait_workers)
            frame = result.frame  # read before the directory goes
    else:
        result = run(prepared, out, backend=backend, address=address, workers=workers, resume=resume,
                     keep_logs=keep_logs, batch=batch, progress=progress, wait_workers=wait_workers)
        frame = result.frame
    if result.interrupted:
        raise KeyboardInterrupt
    return frame
