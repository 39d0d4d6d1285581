"""The search: Optuna's samplers asked for candidates, candidates run on the sweep backends, runs stored.

How a calibration runs (``drillsim calibrate``; docs/calibration.md):

1. :func:`prepare` checks every input before a run starts: the scenario (with ``--params`` and
   ``--set``), the targets file, the ``--vary`` ranges (inside each declared parameter's range, so
   the fitted values are a parameters file ``run`` accepts), and splits the targets into *fitted*
   and *held-out* ones (``--holdout``: a seeded draw; a target's ``holdout: true/false`` forces it).
2. :func:`run` asks Optuna (TPE, CMA-ES or random sampling) for a batch of candidates, runs each
   candidate with the same ``--seeds`` seeds (common random numbers: differences between candidates
   come from the parameters, not the draw) on a local process pool or Dask — the sweep backends —,
   and tells Optuna each candidate's loss over the fitted targets only
   (:mod:`drillsim.calibrate.loss`).
3. The scenario as given (*before*) and the best candidate (*after*) are run with ``--check-seeds``
   seeds and compared with every target, fitted and held-out, for the report.

Reproducible and resumable. Candidates are asked in fixed-size batches (``--batch``), each batch by
a sampler seeded from the root seed and the number of trials so far, and told in trial order once the
whole batch has run: the trial sequence depends on the results only, never on which worker finished
first or how many there are. Every finished run is a row in the sweep store (part files, fsynced:
:mod:`drillsim.sweeps.store`) and the study is an Optuna journal file (``study.journal``), so a
calibration killed at any point continues with ``--resume``: finished candidates are never run
again, the runs of the batch in flight that finished are kept, and that batch's candidates (already
in the journal) are completed rather than asked anew.
"""

from __future__ import annotations

import hashlib
import json
import math
import shlex
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from drillsim.calibrate import METHODS
from drillsim.calibrate.loss import Summary, loss, summarise, within
from drillsim.calibrate.observe import Observed, Probe, observe_batch
from drillsim.calibrate.targets import Target, Targets, read_targets
from drillsim.errors import InputError, Problem
from drillsim.rng import key_int
from drillsim.sweeps.factors import Factor, Level, parse_value
from drillsim.sweeps.seeds import run_seed
from drillsim.sweeps.tasks import FAILED, OK, Job, ScenarioSource
from drillsim.version import __version__

STUDY = "calibration"
JOURNAL = "study.journal"
BASE = -1
"""Point id of the scenario as given (the *before* runs)."""
AFTER = -2
"""Point ids from here down are the *after* runs of a candidate (:func:`after_point`)."""
SPLIT = key_int("calibrate-holdout")
SAMPLER = key_int("calibrate-sampler")
MAX_BUDGET = 100_000


@dataclass(frozen=True)
class Setup:
    """A checked calibration, ready to run.

    Attributes:
        scenario: The scenario's bytes as shipped to workers.
        scenario_id: Its ``id``.
        scenario_ref: As given on the command line.
        sha256: Hash of its bytes.
        duration: Minutes the exercise lasts.
        fixed: ``--params`` and ``--set`` overrides applied to every run (before a candidate's values).
        factors: What is fitted (declared parameters or raw paths, with their search ranges).
        defaults: Each factor's value in the scenario as given (text as written), for the report.
        targets: The targets.
        fitted: Ids of the targets the loss is computed on.
        held_out: Ids of the targets never used in the fit.
        seeds: Runs per candidate.
        check_seeds: Runs of the *before* and *after* checks.
        budget: Candidates in all.
        batch: Candidates asked at once.
        method: ``tpe``, ``cmaes`` or ``random``.
        root: Root seed (run seeds, the split and the samplers derive from it).
        command: The command that reproduces this calibration.
    """

    scenario: ScenarioSource
    scenario_id: str
    scenario_ref: str
    sha256: str
    duration: float
    fixed: tuple[tuple[str, Any], ...]
    factors: tuple[Factor, ...]
    defaults: dict[str, Any]
    targets: Targets
    fitted: tuple[str, ...]
    held_out: tuple[str, ...]
    seeds: int
    check_seeds: int
    budget: int
    batch: int
    method: str
    root: int
    command: str = ""

    @property
    def probes(self) -> tuple[Probe, ...]:
        """What workers observe: one probe per target."""
        return tuple(Probe(t.id, t.select, t.value, t.pick) for t in self.targets)

    def seed(self, replicate: int) -> int:
        """The engine seed of replicate ``replicate`` (the same for every candidate)."""
        return run_seed(self.root, 0, replicate, crn=True)

    def describe(self) -> dict[str, Any]:
        """What determines the calibration's runs and trials (``sweep.json``'s ``spec``).

        The budget is not in it: a finished calibration can be continued to a larger one.
        """
        return {"kind": "calibration", "method": self.method, "seeds": self.seeds, "check_seeds": self.check_seeds,
                "batch": self.batch, "seed": self.root, "overrides": [[p, v] for p, v in self.fixed],
                "factors": [f.describe() for f in self.factors],
                "targets": [t.describe() for t in self.targets], "fitted": list(self.fitted),
                "held_out": list(self.held_out)}

    def manifest(self) -> dict[str, Any]:
        """The store's manifest, with the fingerprint ``--resume`` compares."""
        body = {"drillsim": __version__, "scenario": {"id": self.scenario_id, "ref": self.scenario_ref,
                                                      "source": self.scenario.source, "sha256": self.sha256},
                "spec": self.describe()}
        fingerprint = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        return {**body, "fingerprint": fingerprint}


# ---- preparing ---------------------------------------------------------------------------------------


def prepare(scenario: str | Path, targets: str | Path, vary: Sequence[str], *, seeds: int = 10, budget: int = 500,
            method: str = "tpe", holdout: float = 0.3, seed: int | None = None,
            overrides: Sequence[str] | Sequence[tuple[str, Any]] = (), batch: int = 4, check_seeds: int = 10,
            command: str = "") -> Setup:
    """Check everything; raise :class:`InputError` (located problems, exit 2) for any bad input."""
    from drillsim.fileio import Refused, read_regular
    from drillsim.scenario.load import load_document, resolve
    from drillsim.scenario.overrides import parse_assignment
    from drillsim.scenario.yamlsafe import MAX_BYTES, parse_document
    from drillsim.sweeps.spec import parse_vary, resolve_factors

    problems: list[Problem] = []
    if method not in METHODS:
        problems.append(Problem("--method", 0, 0, "", f"unknown method {method!r}", ", ".join(METHODS)))
    if not 0.0 <= holdout < 1.0:
        problems.append(Problem("--holdout", 0, 0, "", f"{holdout} is not a share from 0 to below 1",
                                "e.g. 0.3 (30 % of the targets held out)"))
    if not 1 <= budget <= MAX_BUDGET:
        problems.append(Problem("--budget", 0, 0, "", f"{budget} candidates", f"1 to {MAX_BUDGET:,}"))
    if not vary:
        problems.append(Problem("--vary", 0, 0, "", "nothing to fit", "--vary NAME=LO:HI (repeatable)"))
    if method == "cmaes":
        import importlib.util

        if importlib.util.find_spec("cmaes") is None:
            problems.append(Problem("--method", 0, 0, "", "--method cmaes needs the `cmaes` package",
                                    "pip install cmaes, or --method tpe"))
    if problems:
        raise InputError(problems)
    path, source = resolve(str(scenario))
    display = str(path) if source.startswith("bundled:") else str(scenario)
    try:
        raw = read_regular(path, max_bytes=MAX_BYTES)
    except Refused as exc:
        raise InputError([Problem(display, 0, 0, "", exc.reason, "a YAML scenario file")]) from None
    doc = parse_document(raw, display)
    fixed = tuple(parse_assignment(o) if isinstance(o, str) else (o[0], o[1]) for o in overrides)
    loaded = load_document(doc, source, list(fixed))
    factors = resolve_factors([parse_vary(v) for v in vary], loaded)
    problems = _outside_declared(factors, loaded)
    targets_checked: Targets | None = None
    try:
        targets_checked = read_targets(targets, loaded)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems or targets_checked is None:
        raise InputError(problems)
    root = int(seed if seed is not None else loaded.scenario.seed)
    fitted, held = split(targets_checked, holdout, root)
    if not fitted:
        raise InputError([Problem(targets_checked.file, 0, 0, "targets", "every target is held out: nothing to fit",
                                  "a smaller --holdout, or fewer `holdout: true`")])
    defaults = {f.name: _current(loaded, f) for f in factors}
    return Setup(ScenarioSource(raw, display, source), loaded.scenario.id, str(scenario), doc.sha256,
                 float(loaded.scenario.duration), fixed, factors, defaults, targets_checked, fitted, held, seeds,
                 check_seeds, budget, batch, method, root, command)


def _outside_declared(factors: Iterable[Factor], loaded: Any) -> list[Problem]:
    """A search range must lie within the declared parameter's: the fit is then a valid parameters file."""
    out = []
    for f in factors:
        spec = loaded.scenario.parameters.get(f.name) if f.declared else None
        if spec is None or spec.range is None or f.low is None or f.high is None:
            continue
        low, high = (parse_value(spec.kind, v) for v in spec.range)
        if f.low < low - 1e-9 * max(1, abs(low)) or f.high > high + 1e-9 * max(1, abs(high)):
            out.append(Problem("--vary", 0, 0, f.name, f"the range goes beyond the declared range "
                               f"{spec.range[0]} to {spec.range[1]}", "a range inside the declared one (or just "
                               f"--vary {f.name} for all of it)"))
    return out


def _current(loaded: Any, factor: Factor) -> Any:
    from drillsim.scenario.overrides import get_path

    spec = loaded.scenario.parameters.get(factor.name) if factor.declared else None
    path = spec.path[0] if spec is not None else factor.target
    try:
        return get_path(loaded.data, path)
    except KeyError:
        return None


def split(targets: Targets, share: float, root: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Fitted and held-out target ids: ``holdout: true/false`` first, then a seeded draw of the rest.

    The draw holds out ``round(share × free targets)`` targets (at least one when ``share`` > 0 and
    two or more are free), chosen with a generator keyed by the root seed, so the same file and seed
    always give the same split.
    """
    forced_out = [t.id for t in targets if t.holdout is True]
    forced_in = [t.id for t in targets if t.holdout is False]
    free = sorted(t.id for t in targets if t.holdout is None)
    n = round(share * len(free))
    if share > 0 and n == 0 and len(free) >= 2:
        n = 1
    n = min(n, max(0, len(free) - (0 if forced_in else 1)))
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(root, spawn_key=(SPLIT,))))
    chosen = set(rng.choice(free, size=n, replace=False).tolist()) if n else set()
    order = [t.id for t in targets]
    held = [i for i in order if i in chosen or i in forced_out]
    fitted = [i for i in order if i not in held]
    return tuple(fitted), tuple(held)


# ---- running -----------------------------------------------------------------------------------------


@dataclass
class Result:
    """What :func:`run` did and found.

    Attributes:
        out: The output directory.
        interrupted: Stopped by Ctrl-C (everything finished is stored; ``--resume`` continues).
        ran: Runs finished in this call.
        reused: Runs found finished in the store (``--resume``).
        seconds: Wall time of this call.
        backend: The backend's description.
        data: The analysis (``calibration.json``): fitted values, spread, per-target errors.
    """

    out: Path
    interrupted: bool = False
    ran: int = 0
    reused: int = 0
    seconds: float = 0.0
    backend: str = ""
    data: dict[str, Any] = field(default_factory=dict)


Say = Callable[[str], None]


def run(setup: Setup, out: str | Path, *, backend: str = "local", workers: int | None = None,
        address: str | None = None, resume: bool = False, say: Say | None = None, notice: Say | None = None,
        progress: TextIO | None = None, stop_after: int | None = None) -> Result:
    """Run the calibration into ``out`` (locked for the whole call), or continue it with ``resume``.

    Args:
        setup: From :func:`prepare`.
        out: Output directory (``sweep.json``, ``results.parquet``, ``study.journal``).
        backend: ``local`` or ``dask`` (the sweep backends).
        workers: Local processes or LocalCluster workers.
        address: A Dask scheduler.
        resume: Continue the calibration in ``out``.
        say: Told one line per batch.
        notice: Told about a stale lock taken over, or workers awaited.
        progress: Unused (kept for symmetry with sweeps; batches are reported through ``say``).
        stop_after: Stop (as if interrupted) once this many candidates are complete (tests of resume).

    Raises:
        InputError: the folder holds another calibration or sweep, or the backend cannot be used.
    """
    import optuna

    from drillsim.sweeps.backends import open_backend
    from drillsim.sweeps.lock import FolderLock
    from drillsim.sweeps.store import Store

    tell = say or (lambda _m: None)
    warn = notice or tell
    folder = Path(out)
    lock = FolderLock.acquire(folder, notice=warn)
    started = time.perf_counter()
    try:
        store = Store(folder)
        manifest = setup.manifest()
        done = store.decide(manifest, resume=resume)
        back = open_backend(backend, workers=workers, address=address, say=warn)
        result = Result(folder, backend=back.description, reused=len(done))
        try:
            store.start(manifest)
            rows = _rows(store)
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            study = _study(folder)
            tell(f"  backend     {back.description}; {setup.method} over {len(setup.factors)} parameter(s), "
                 f"{setup.budget} candidates × {setup.seeds} seeds, batches of {setup.batch}"
                 + (f"; {len(done)} runs already done" if done else ""))
            executor = _Executor(back, setup, store, rows, result)
            _search(setup, study, executor, tell, stop_after)
            if stop_after is None or _complete_count(study) < stop_after:
                best = best_trial(study)
                executor.run_point(BASE, {}, setup.check_seeds)
                if best is not None:
                    executor.run_point(after_point(best.number), dict(best.params), setup.check_seeds)
                result.data = analyse(setup, study, rows)
            else:
                result.interrupted = True
        except KeyboardInterrupt:
            result.interrupted = True
            back.abort()
        except BaseException:
            back.abort()
            store.compact()
            raise
        else:
            back.close()
        store.compact()
    finally:
        lock.release()
    result.seconds = time.perf_counter() - started
    return result


def _study(folder: Path) -> Any:
    import optuna
    from optuna.storages.journal import JournalFileBackend, JournalStorage

    storage = JournalStorage(JournalFileBackend(str(folder / JOURNAL)))
    return optuna.create_study(study_name=STUDY, storage=storage, direction="minimize", load_if_exists=True)


def _sampler(setup: Setup, asked: int) -> Any:
    """The sampler for the batch that starts at trial ``asked``: seeded by the root seed and ``asked``."""
    import optuna

    seed = run_seed(setup.root, SAMPLER % 1_000_003, asked) % (2**32)
    if setup.method == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if setup.method == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed, n_startup_trials=max(setup.batch, 1))
    startup = max(setup.batch, min(10, setup.budget // 4))
    return optuna.samplers.TPESampler(seed=seed, n_startup_trials=startup, multivariate=True, constant_liar=True)


def distributions(factors: Iterable[Factor]) -> dict[str, Any]:
    """Optuna's search space: a float range, a whole-number range or categories per factor."""
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    out: dict[str, Any] = {}
    for f in factors:
        if f.values is not None:
            out[f.name] = CategoricalDistribution([lv.text for lv in f.values])
        elif f.kind == "count":
            assert f.low is not None and f.high is not None
            out[f.name] = IntDistribution(int(f.low), int(f.high))
        else:
            assert f.low is not None and f.high is not None
            out[f.name] = FloatDistribution(float(f.low), float(f.high))
    return out


def level_of(factor: Factor, value: Any) -> Level:
    """The level (text written into the scenario) of a value Optuna suggested."""
    if factor.values is not None:
        for lv in factor.values:
            if lv.text == value:
                return lv
        raise ValueError(f"{value!r} is not a value of {factor.name}")
    return factor.level(value)


def candidate_overrides(setup: Setup, params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The fixed overrides, then the candidate's values (written with units, as a sweep writes them)."""
    by_name = {f.name: f for f in setup.factors}
    values = [(by_name[name].target, level_of(by_name[name], params[name]).written)
              for name in (f.name for f in setup.factors) if name in params]
    return (*setup.fixed, *values)


def after_point(number: int) -> int:
    """The point id of candidate ``number``'s *after* runs: a new best after ``--resume`` has its own runs."""
    return AFTER - number


def _run_id(point: int, replicate: int) -> str:
    if point == BASE:
        return f"before-r{replicate:04d}"
    if point <= AFTER:
        return f"after-c{AFTER - point:06d}-r{replicate:04d}"
    return f"c{point:06d}-r{replicate:04d}"


def _search(setup: Setup, study: Any, executor: _Executor, say: Say, stop_after: int | None) -> None:
    """Batches of candidates until the budget is spent (the batch in flight of a killed run first)."""
    from optuna.trial import TrialState

    space = distributions(setup.factors)
    while True:
        trials = study.get_trials(deepcopy=False)
        pending = [(t.number, dict(t.params)) for t in trials if t.state == TrialState.RUNNING]
        if stop_after is not None and sum(1 for t in trials if t.state.is_finished()) >= stop_after:
            return
        if not pending:
            if len(trials) >= setup.budget:
                return
            study.sampler = _sampler(setup, len(trials))
            for _ in range(min(setup.batch, setup.budget - len(trials))):
                trial = study.ask(space)
                pending.append((trial.number, dict(trial.params)))
        for number, params in pending:
            executor.submit_point(number, params, setup.seeds)
        executor.drain()
        for number, _params in sorted(pending):
            summaries, failed = executor.summaries(number, setup.seeds)
            if failed:
                study.tell(number, state=TrialState.FAIL, skip_if_finished=True)
                continue
            value = loss([t for t in setup.targets if t.id in setup.fitted], summaries)
            study.tell(number, value, skip_if_finished=True)
        best = best_trial(study)
        finished = _complete_count(study)
        say(f"  candidates  {finished}/{setup.budget}; best loss {best.value:.3f} (candidate {best.number})"
            if best is not None else f"  candidates  {finished}/{setup.budget}; no candidate has run without failing")


def _complete_count(study: Any) -> int:
    return sum(1 for t in study.get_trials(deepcopy=False) if t.state.is_finished())


def best_trial(study: Any) -> Any:
    """The complete trial of least loss (the earliest of equals), or None."""
    from optuna.trial import TrialState

    done = [t for t in study.get_trials(deepcopy=False) if t.state == TrialState.COMPLETE and t.value is not None]
    return min(done, key=lambda t: (t.value, t.number)) if done else None


class _Executor:
    """Runs candidates' seeds on a sweep backend and stores each finished run at once (one part per run)."""

    def __init__(self, backend: Any, setup: Setup, store: Any, rows: dict[str, dict[str, Any]], result: Result
                 ) -> None:
        self.backend = backend
        self.setup = setup
        self.store = store
        self.rows = rows
        self.result = result
        self.inflight: dict[Future[list[Observed]], Job] = {}
        self.probes = setup.probes
        self.restarts = 0

    def submit_point(self, point: int, params: Mapping[str, Any], count: int) -> None:
        """Queue the runs of ``point`` not in the store yet."""
        overrides = candidate_overrides(self.setup, params)
        for k in range(count):
            rid = _run_id(point, k)
            if rid in self.rows or any(j.run_id == rid for j in self.inflight.values()):
                continue
            job = Job(rid, point, k, self.setup.seed(k), overrides)
            self._submit(job)

    def run_point(self, point: int, params: Mapping[str, Any], count: int) -> None:
        """Run ``point``'s missing runs and wait for them."""
        self.submit_point(point, params, count)
        self.drain()

    def _submit(self, job: Job) -> None:
        future = self.backend.executor.submit(observe_batch, self.setup.scenario, [job], self.probes)
        self.inflight[future] = job

    def drain(self) -> None:
        """Wait for every queued run, storing each as it finishes; a broken local pool is restarted."""
        while self.inflight:
            done, _ = wait(list(self.inflight), return_when=FIRST_COMPLETED)
            for future in done:
                job = self.inflight.pop(future, None)
                if job is None:
                    continue
                try:
                    observed = future.result()
                except BrokenProcessPool:
                    if not self.backend.restartable or self.restarts >= 3:
                        raise
                    self.restarts += 1
                    lost = [job, *self.inflight.values()]
                    self.inflight.clear()
                    self.backend.restart()
                    for again in lost:
                        self._submit(again)
                    break
                except Exception as exc:  # a task lost for good (Dask's KilledWorker): a failed run
                    observed = [Observed(job.run_id, FAILED, f"task failed: {exc}", 0.0)]
                self._store(job, observed[0])

    def _store(self, job: Job, obs: Observed) -> None:
        row: dict[str, Any] = {"run_id": job.run_id, "point": job.point, "replicate": job.replicate,
                               "seed": job.seed, "status": obs.status, "error": obs.error, "end": obs.end,
                               "wall_s": obs.wall_s}
        for target in self.setup.targets:
            row[f"obs.{target.id}"] = obs.values.get(target.id)
        self.store.write_part([row])
        self.rows[job.run_id] = row
        self.result.ran += 1

    def summaries(self, point: int, count: int) -> tuple[dict[str, Summary], bool]:
        """Each target over ``point``'s runs; and whether any of them failed."""
        return summaries_of(self.setup, self.rows, point, count)


def summaries_of(setup: Setup, rows: Mapping[str, Mapping[str, Any]], point: int, count: int
                 ) -> tuple[dict[str, Summary], bool]:
    """Each target's :class:`Summary` over the stored runs of ``point``; and whether any failed."""
    runs = [rows[_run_id(point, k)] for k in range(count) if _run_id(point, k) in rows]
    failed = any(r.get("status") != OK for r in runs)
    ok = [r for r in runs if r.get("status") == OK]
    ends = [_num(r.get("end")) for r in ok]
    out = {t.id: summarise(t, [_num(r.get(f"obs.{t.id}")) for r in ok], ends) for t in setup.targets}
    return out, failed


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _rows(store: Any) -> dict[str, dict[str, Any]]:
    table = store.read_all()
    if table is None:
        return {}
    return {r["run_id"]: r for r in table.to_pylist()}


# ---- analysing ---------------------------------------------------------------------------------------


TOP_SHARE = 0.1
"""The best tenth of the candidates (at least three) give the spread of the fitted values."""


def analyse(setup: Setup, study: Any, rows: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The calibration's findings as JSON-able data (``calibration.json``; the report draws from it)."""
    from optuna.trial import TrialState

    trials = [t for t in study.get_trials(deepcopy=False) if t.state == TrialState.COMPLETE and t.value is not None]
    trials.sort(key=lambda t: (t.value, t.number))
    best = trials[0] if trials else None
    top = trials[:max(3, math.ceil(TOP_SHARE * len(trials)))]
    by_name = {f.name: f for f in setup.factors}
    params: list[dict[str, Any]] = []
    for f in setup.factors:
        entry: dict[str, Any] = {"name": f.name, "kind": f.kind, "target": f.target, "declared": f.declared,
                                 "range": None if f.low is None else [f.low, f.high],
                                 "default": setup.defaults.get(f.name)}
        if best is not None and f.name in best.params:
            lv = level_of(f, best.params[f.name])
            entry["fitted"] = lv.written
            entry["fitted_value"] = lv.value
            values = [level_of(f, t.params[f.name]).value for t in top if f.name in t.params]
            if f.values is None and values:
                entry["spread"] = {"low": min(values), "high": max(values), "median": float(np.median(values)),
                                   "n": len(values)}
            else:
                entry["spread"] = {"values": sorted({str(v) for v in values}), "n": len(values)}
        params.append(entry)
    before, before_failed = summaries_of(setup, rows, BASE, setup.check_seeds)
    after, after_failed = (summaries_of(setup, rows, after_point(best.number), setup.check_seeds) if best
                           else ({}, False))
    targets = []
    for t in setup.targets:
        role = "fitted" if t.id in setup.fitted else "held-out"
        targets.append({**t.describe(), "role": role, "is_time": t.is_time, "line": t.line,
                        "before": _summary_json(t, before.get(t.id)), "after": _summary_json(t, after.get(t.id))})
    fitted = [t for t in setup.targets if t.id in setup.fitted]
    held = [t for t in setup.targets if t.id in setup.held_out]
    scores = {}
    for label, chosen in (("before", before), ("after", after)):
        scores[label] = {"fitted": _score(fitted, chosen), "held_out": _score(held, chosen),
                         "all": _score(list(setup.targets), chosen)}
    history = [{"number": t.number, "loss": t.value} for t in sorted(trials, key=lambda t: t.number)]
    return {
        "drillsim": __version__, "scenario": {"id": setup.scenario_id, "ref": setup.scenario_ref,
                                              "sha256": setup.sha256},
        "command": setup.command, "method": setup.method, "seeds": setup.seeds, "check_seeds": setup.check_seeds,
        "budget": setup.budget, "batch": setup.batch, "seed": setup.root,
        "run_seeds": [setup.seed(k) for k in range(max(setup.seeds, setup.check_seeds))],
        "overrides": [[p, v] for p, v in setup.fixed], "targets_file": setup.targets.file,
        "candidates": len(trials), "failed_candidates": sum(
            1 for t in study.get_trials(deepcopy=False) if t.state == TrialState.FAIL),
        "best": None if best is None else {"number": best.number, "loss": best.value,
                                            "params": {n: level_of(by_name[n], v).written
                                                       for n, v in best.params.items()}},
        "top": len(top), "parameters": params, "targets": targets, "scores": scores, "history": history,
        "check_failed": {"before": before_failed, "after": after_failed},
    }


def _summary_json(target: Target, s: Summary | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"median": s.median, "low": s.low, "high": s.high, "missed": s.missed, "runs": s.runs,
            "error": s.error(target), "z": s.z(target)}


def _score(targets: Sequence[Target], summaries: Mapping[str, Summary]) -> dict[str, Any]:
    """Loss, mean |error| in tolerances, and for time targets: hours off and how many land within ±2 h / ±6 h."""
    if not targets or not summaries:
        return {"n": len(targets)}
    zs = [abs(z) for t in targets if (s := summaries.get(t.id)) is not None and (z := s.z(t)) is not None]
    times = [t for t in targets if t.is_time]
    hours = [abs(e) / 60 for t in times if (s := summaries.get(t.id)) is not None and (e := s.error(t)) is not None]
    return {
        "n": len(targets), "loss": loss(targets, summaries),
        "mean_abs_z": float(np.mean(zs)) if zs else None,
        "within_tolerance": sum(1 for z in zs if z <= 1.0),
        "time_targets": len(times),
        "mean_abs_hours": float(np.mean(hours)) if hours else None,
        "within_2h": sum(1 for t in times if (s := summaries.get(t.id)) is not None and within(t, s, 120)),
        "within_6h": sum(1 for t in times if (s := summaries.get(t.id)) is not None and within(t, s, 360)),
    }


def reproduce_command(scenario: str, targets: str, vary: Sequence[str], *, seeds: int, budget: int, method: str,
                      holdout: float, batch: int, check_seeds: int, seed: int, out: str,
                      params: Sequence[str] = (), overrides: Sequence[str] = ()) -> str:
    """The ``drillsim calibrate`` command line that reproduces a calibration (every default spelt out)."""
    parts = ["drillsim", "calibrate", scenario, "--targets", targets]
    for v in vary:
        parts += ["--vary", v]
    for p in params:
        parts += ["--params", p]
    for o in overrides:
        parts += ["--set", o]
    parts += ["--seeds", str(seeds), "--budget", str(budget), "--method", method, "--holdout", f"{holdout:g}",
              "--batch", str(batch), "--check-seeds", str(check_seeds), "--seed", str(seed), "--out", out]
    return shlex.join(parts)
