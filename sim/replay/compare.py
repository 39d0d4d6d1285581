"""Put runs side by side: outcomes, key curves on one time grid, and where their logs part.

``compare`` reads logs (files, run directories, or directories of runs), scores each, samples its
key curves on a grid shared by all of them, and finds the first record where each log of side B
differs from the (single) log of side A. Heavy lifting for many logs runs on the process pool.
Nothing here draws: :mod:`drillsim.reports.compare` turns a :class:`Comparison` into tables and figures.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from drillsim.errors import InputError, Problem
from drillsim.fileio import Refused, open_regular
from drillsim.limits import MAX_LOG_BYTES
from drillsim.log import LogError, read_header, read_log
from drillsim.replay.curves import curves_of, grid, main_agencies
from drillsim.replay.outcome import Outcome, outcome_of
from drillsim.replay.pool import run_jobs

LOG_NAME = "events.jsonl"


@dataclass
class Divergence:
    """Where two logs part: the first record (seq ≥ 1) whose bytes differ; a side is None past its end."""

    seq: int
    t: float | None
    a: dict[str, Any] | None
    b: dict[str, Any] | None

    def fields(self) -> list[str]:
        """The record fields that differ (``kind``, ``data.option``, ...)."""
        if self.a is None or self.b is None:
            return []
        out = [k for k in ("t", "kind", "actor", "subject") if self.a.get(k) != self.b.get(k)]
        if "kind" in out:
            return [k for k in out if k in ("t", "kind")]
        da, db = self.a.get("data") or {}, self.b.get("data") or {}
        if isinstance(da, dict) and isinstance(db, dict):
            out += [f"data.{k}" for k in [*da, *(k for k in db if k not in da)] if da.get(k) != db.get(k)]
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"seq": self.seq, "t": self.t, "a": self.a, "b": self.b, "fields": self.fields()}


@dataclass
class RunSummary:
    """One log, reduced to what a comparison shows."""

    label: str
    path: str
    header: dict[str, Any]
    outcome: Outcome
    curves: dict[str, list[float]]
    horizon: float
    complete: bool
    divergence: Divergence | None = None
    identical: bool = False


@dataclass
class Comparison:
    """Side A (one run, or a set) against side B (one run, or a set)."""

    a: list[RunSummary]
    b: list[RunSummary]
    times: list[float]
    agencies: list[str]
    kind: str = "logs"
    notes: list[str] = field(default_factory=list)

    @property
    def a_set(self) -> bool:
        """Side A is a set of runs."""
        return len(self.a) > 1

    @property
    def b_set(self) -> bool:
        """Side B is a set of runs."""
        return len(self.b) > 1


def resolve_logs(paths: Sequence[str | Path], what: str) -> list[Path]:
    """Logs named by ``paths``: files, run directories (``events.jsonl`` inside) or directories of runs.

    Raises:
        InputError: A path does not exist or holds no log.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir() and os.path.lexists(p / LOG_NAME):
            out.append(p / LOG_NAME)
        elif os.path.lexists(p) and not p.is_dir():
            out.append(p)  # the reader refuses what is not a regular file (a pipe, a device), saying so
        elif p.is_dir():
            found = sorted(p.glob(f"*/{LOG_NAME}")) or sorted(x for x in p.glob("*.jsonl") if x.is_file())
            if not found:
                raise InputError([Problem(str(p), 0, 0, "", f"no event log in this directory ({what})",
                                          f"{LOG_NAME} files, or run directories holding one")])
            out.extend(found)
        else:
            raise InputError([Problem(str(p), 0, 0, "", f"no such file or directory ({what})",
                                      "an events.jsonl file or a run directory")])
    return out


def _lines(path: str) -> list[bytes]:
    try:
        with open_regular(path, max_bytes=MAX_LOG_BYTES)[0] as fh:
            lines = fh.read().split(b"\n")
    except Refused as exc:
        raise LogError(f"{path}: {exc.reason}", path=path) from None
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        try:  # a last line without its newline: kept when complete, as the reader does
            orjson.loads(lines[-1])
        except ValueError:
            lines.pop()
    return lines


def divergence(a_lines: Sequence[bytes], b_lines: Sequence[bytes]) -> Divergence | None:
    """The first differing record after the headers (None: the logs hold the same records)."""
    n = min(len(a_lines), len(b_lines))
    i = next((i for i in range(1, n) if a_lines[i] != b_lines[i]), None)
    if i is None:
        if len(a_lines) == len(b_lines):
            return None
        i = n
    a = orjson.loads(a_lines[i]) if i < len(a_lines) else None
    b = orjson.loads(b_lines[i]) if i < len(b_lines) else None
    t = (a or b or {}).get("t")
    if a is not None and b is not None:
        t = min(a.get("t", t), b.get("t", t))
    return Divergence(i, t, a, b)


@dataclass(frozen=True)
class _Job:
    path: str
    label: str
    times: tuple[float, ...]
    agencies: tuple[str, ...]
    reference: str | None


def summarise(job: _Job) -> RunSummary:
    """Read one log and reduce it (runs in a worker for big sets)."""
    log = read_log(job.path)
    outcome = outcome_of(log.header, log.records, job.label)
    curves = curves_of(log.records, job.times, job.agencies)
    horizon = float(log.records[-1].t) if log.records else 0.0
    summary = RunSummary(job.label, job.path, log.header, outcome, curves, horizon, log.complete)
    if job.reference is not None and job.reference != job.path:
        summary.divergence = divergence(_lines(job.reference), _lines(job.path))
        summary.identical = summary.divergence is None
    return summary


def label_for(path: Path, header: dict[str, Any], lang: str = "en") -> str:
    """A short name for a run: what it is (branch, replicate) rather than where it lies (``zh``: in Chinese)."""
    zh = lang == "zh"
    bp = header.get("branch_point")
    if isinstance(bp, dict):
        cont = f" #{bp.get('continuation')}" if bp.get("continuation") else ""
        arm = "" if bp.get("arm", "branch") == "branch" else ("(原选择)" if zh else " (parent's choice)")
        return f"{bp.get('decision')}={bp.get('option')}{arm}{cont}"
    name = path.parent.name if path.name == LOG_NAME else path.stem
    seed, rep = header.get("seed"), header.get("replicate")
    if zh:
        return f"{name}(随机种子 {seed}" + (f",重复 {rep})" if rep else ")")
    return f"{name} (seed {seed}" + (f", rep {rep})" if rep else ")")


def compare_logs(a_paths: Sequence[Path], b_paths: Sequence[Path], *, workers: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> Comparison:
    """Summarise every log on a shared grid; B logs are diffed against A when A is a single log."""
    headers = [(p, read_log_header(p)) for p in [*a_paths, *b_paths]]
    horizon = max(float(h.get("duration") or 0.0) for _, h in headers)
    times = tuple(grid(horizon))
    agencies = tuple(main_agencies(headers[0][1]))
    reference = str(a_paths[0]) if len(a_paths) == 1 else None
    jobs = [_Job(str(p), label_for(p, h), times, agencies, None) for p, h in headers[: len(a_paths)]]
    jobs += [_Job(str(p), label_for(p, h), times, agencies, reference) for p, h in headers[len(a_paths):]]
    summaries = run_jobs(summarise, jobs, workers=workers if len(jobs) > 4 else 1, progress=progress)
    comp = Comparison(summaries[: len(a_paths)], summaries[len(a_paths):], list(times), list(agencies))
    ids = {(h.get("scenario") or {}).get("id") for _, h in headers}
    if len(ids) > 1:
        comp.notes.append(f"the logs come from different scenarios ({', '.join(sorted(map(str, ids)))})")
    return comp


def read_log_header(path: Path) -> dict[str, Any]:
    """Only the header of a log (the first line), checked as the reader checks it."""
    return read_header(path)
