"""Verify a log: re-simulate it from its header and recorded inputs and compare byte for byte.

The scenario file is checked by sha256 before anything runs. The re-run's records are encoded
exactly as the engine writes them and compared with the log's lines as they are produced, so the
first difference stops the run. When a difference is found, the cause is narrowed down:

* ``scenario`` — the scenario file's bytes changed (nothing is simulated);
* ``version`` — the log was written by another drillsim version;
* ``input`` — a recorded input no longer applies at its time;
* ``mismatch`` — two re-runs agree with each other but not with the log: the log was edited, or
  written by different code under the same version number;
* ``nondeterminism`` — two re-runs of the same inputs disagree: a bug in drillsim.

A log whose run did not finish (killed: no ``exercise.ended``, or a torn last line the reader
dropped) is verified as far as it goes: its records must be a prefix of the re-run. That is sound
because an input is logged before any of its effects, so no record in the prefix can depend on an
input the log lost. The result says ``partial``.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from drillsim.fileio import open_regular
from drillsim.limits import MAX_LOG_BYTES
from drillsim.log import Record, encode
from drillsim.logstore import StoredLog, read_store
from drillsim.replay.inputs import Ending, InputRefused, Step, drive, exercise_for, recorded_ending, recorded_inputs
from drillsim.replay.source import ScenarioChanged, load_for_log
from drillsim.version import __version__


@dataclass
class Divergence:
    """The first record where the log and the re-run differ (a side is None where it had no record)."""

    seq: int
    log_line: bytes | None
    run_line: bytes | None

    @property
    def fields(self) -> list[str]:
        """Which fields differ (``t``, ``kind``, ``data.option``, ...)."""
        if self.log_line is None or self.run_line is None:
            return []
        try:
            a, b = orjson.loads(self.log_line), orjson.loads(self.run_line)
        except orjson.JSONDecodeError:
            return ["<not JSON>"]
        if not isinstance(a, dict) or not isinstance(b, dict):
            return ["<record>"]
        out = [k for k in ("t", "seq", "kind", "actor", "subject") if a.get(k) != b.get(k)]
        if "kind" in out:
            return [k for k in out if k in ("t", "seq", "kind")]
        da, db = a.get("data"), b.get("data")
        if isinstance(da, dict) and isinstance(db, dict):
            keys = list(da) + [k for k in db if k not in da]
            out += [f"data.{k}" for k in keys if da.get(k) != db.get(k)]
            if not out and list(da) != list(db):
                out.append("data (key order)")
        elif da != db:
            out.append("data")
        return out or ["<bytes>"]


@dataclass
class VerifyResult:
    """The outcome of :func:`verify_log`.

    Attributes:
        ok: The log is byte-identical to its re-run (or, when ``partial``, a prefix of it).
        cause: ``identical``, ``scenario``, ``version``, ``input``, ``mismatch`` or ``nondeterminism``.
        explanation: One or two sentences for people.
        compared: Records compared (the header counts as one).
        partial: The recorded run did not finish (no ``exercise.ended``); only its records were compared.
        torn: The reader dropped a torn last line.
    """

    ok: bool
    cause: str
    explanation: str
    path: str
    header: dict[str, Any]
    compared: int = 0
    total: int = 0
    inputs: int = 0
    partial: bool = False
    torn: bool = False
    divergence: Divergence | None = None
    scenario_path: str = ""
    changed: ScenarioChanged | None = None
    notes: list[str] = field(default_factory=list)


class _Comparer:
    """Compares produced records with the log's lines as the engine emits them."""

    def __init__(self, lines: Iterator[bytes], total: int, complete: bool) -> None:
        self._lines = lines
        self.total = total
        self.complete = complete
        self.index = 0
        self.divergence: Divergence | None = None
        self.digests = array("Q")  # 8 bytes a record: what a second run is compared with
        self.prefix_done = False

    def done(self) -> bool:
        return self.divergence is not None or self.prefix_done

    def __call__(self, rec: tuple[Any, ...]) -> None:
        if self.done():
            return
        line = encode(rec)
        self.digests.append(int.from_bytes(hashlib.blake2b(line, digest_size=8).digest(), "little"))
        if self.index >= self.total:
            if self.complete:
                self.divergence = Divergence(self.index, None, line)
            else:
                self.prefix_done = True  # the recorded run stopped here; everything it holds matched
            return
        expected = next(self._lines)
        if not expected.endswith(b"\n"):
            expected += b"\n"  # a last line that lost only its newline (the reader keeps it)
        if expected != line:
            self.divergence = Divergence(self.index, expected, line)
        self.index += 1


def _log_lines(path: Path) -> Generator[bytes, None, None]:
    with open_regular(path, max_bytes=MAX_LOG_BYTES)[0] as fh:  # read_log checked it moments ago
        yield from fh


def verify_log(path: str | Path, scenario: str | Path | None = None,
               progress: Callable[[float, float], None] | None = None) -> VerifyResult:
    """Re-simulate the log at ``path`` and compare (see the module docstring).

    Raises:
        LogError: The log cannot be read (missing, not a drillsim log, corrupt before its last line).
        InputError: No scenario file could be read (the log names none, or it is gone).
    """
    path = Path(path)
    log = read_store(path)  # held compactly: a long log is not kept as objects (docs/design.md, "Memory")
    header = log.header
    stopped = _error_close(log)
    inputs = recorded_inputs(log.records.kind("input.received"))
    if stopped:  # a run that stopped on an error: its closing records are not reproducible
        recorded = _Recorded(inputs, None, len(log.records) - stopped + 1, False)
    else:
        recorded = _Recorded(inputs, log.records.records(), len(log.records) + 1, log.complete)
    total = recorded.total
    result = VerifyResult(False, "", "", str(path), header, total=total, inputs=len(inputs),
                          partial=not recorded.complete, torn=log.torn)
    try:
        loaded = load_for_log(header, scenario, log_name=str(path))
    except ScenarioChanged as exc:
        result.cause, result.changed, result.scenario_path = "scenario", exc, str(exc.path)
        result.explanation = (f"the scenario file changed since the run: {exc.path} now has sha256 {exc.found}; "
                              f"the log was recorded from sha256 {exc.recorded}. Nothing was simulated.")
        return result
    result.scenario_path = loaded.source
    first = _run(header, loaded, recorded, path, progress)
    result.compared = first.index
    if isinstance(first, _Refusal):
        result.divergence = first.divergence
        result.cause = "input"
        result.explanation = (f"the recorded input at seq {first.refused.step.seq} (t={first.refused.step.t:g}) "
                              f"no longer applies: {first.refused.reason}.")
        _blame_version(result)
        return result
    if first.divergence is None:
        result.ok, result.cause = True, "identical"
        if result.partial:
            how = ("a torn last line was dropped" if log.torn else
                   "it stopped on an error; its closing records were left out" if stopped else
                   "the log has no exercise.ended record")
            result.explanation = (f"the recorded run did not finish ({how}); its {total} record(s) are "
                                  f"byte-identical to the start of the re-run.")
        else:
            result.explanation = f"all {total} records are byte-identical."
        return result
    result.divergence = first.divergence
    if header.get("drillsim") != __version__:
        result.cause = "version"
        result.explanation = (f"the log was written by drillsim {header.get('drillsim')}; this is drillsim "
                              f"{__version__}, which simulates the same scenario, seed and inputs differently.")
        return result
    second = _run(header, loaded, recorded, path, None, until=first.divergence.seq)
    split = next((i for i, (a, b) in enumerate(zip(first.digests, second.digests, strict=False)) if a != b), None)
    if split is None and len(second.digests) < min(len(first.digests), first.divergence.seq + 1):
        split = len(second.digests)
    if split is not None:
        result.cause = "nondeterminism"
        result.explanation = (f"two re-runs of the same scenario, seed and inputs disagree at seq {split}: "
                              "drillsim is not deterministic here (a bug; please report it with this log).")
    else:
        result.cause = "mismatch"
        result.explanation = ("two re-runs agree with each other but not with the log: the log was edited after "
                              f"the run, or written by different code under the same version ({__version__}).")
    return result


CLOSING_KINDS = ("incident.unresolved", "task.unresolved")
"""What :meth:`drillsim.engine.Exercise.finish` writes before ``exercise.ended``."""


def _error_close(log: StoredLog) -> int:
    """How many closing records an error-ended run wrote (0 if it did not end on an error).

    The console closes a log with ``exercise.ended`` (reason ``error``) after the open incidents
    and tasks (:data:`CLOSING_KINDS`), written directly by ``finish`` when the simulation itself
    raised (no ``end`` input: the clock's state was unknown). A re-run does not raise, so only the
    records before those can be verified.
    """
    last = log.records.final
    if last is None or last.kind != "exercise.ended" or last.data.get("reason") != "error":
        return 0
    if any(r.subject == "end" for r in log.records.kind("input.received")):
        return 0  # ended by an input: it replays like any other
    closing: set[int] = set()  # what ``finish`` writes for what is still open, at the end's time
    for kind in CLOSING_KINDS:
        for r in reversed(log.records.kind(kind)):
            if r.t != last.t:
                break
            closing.add(r.seq)
    n = 1
    while last.seq - n in closing:  # only the run of them right before the end
        n += 1
    return n


class _Refusal:
    """A re-run that stopped at a refused input."""

    def __init__(self, comparer: _Comparer, refused: InputRefused) -> None:
        self.index = comparer.index
        self.refused = refused
        seq = refused.step.seq if refused.step.seq is not None else comparer.index
        self.divergence = Divergence(seq, None, None)


@dataclass
class _Recorded:
    """What a re-run needs from the log: its inputs, how it ended, how many records it holds."""

    inputs: list[Step]
    records: Sequence[Record] | None  # None: the ending is not reproduced (a run stopped on an error)
    total: int
    complete: bool

    def ending(self, duration: float) -> Ending | None:
        return recorded_ending(self.records, duration) if self.records is not None else None


def _run(header: dict[str, Any], loaded: Any, recorded: _Recorded, path: Path,
         progress: Callable[[float, float], None] | None, until: int | None = None) -> Any:
    """One re-run compared with the log; ``until`` stops it after that many records (the second run)."""
    lines = _log_lines(path)
    cmp = _Comparer(lines, recorded.total, recorded.complete)
    try:
        ex = exercise_for(header, loaded, keep=True)
        for rec in ex.log.records:  # emitted while the exercise was built (header, start, initial levels)
            cmp(rec)
        ex.log.keep = False
        ex.log.records.clear()
        ex.log.subscribe(cmp)

        def stop() -> bool:
            return cmp.done() or (until is not None and len(cmp.digests) > until)

        try:
            drive(ex, recorded.inputs, ending=recorded.ending(ex.duration), stop=stop, progress=progress)
        except InputRefused as exc:
            return _Refusal(cmp, exc)
        if cmp.divergence is None and not cmp.prefix_done and cmp.index < cmp.total:
            cmp.divergence = Divergence(cmp.index, next(lines), None)
        return cmp
    finally:
        lines.close()


def _blame_version(result: VerifyResult) -> None:
    if result.header.get("drillsim") != __version__:
        result.explanation += (f" The log was written by drillsim {result.header.get('drillsim')}; this is "
                               f"drillsim {__version__}.")
