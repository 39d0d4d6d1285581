"""The console's narrow links to scoring and to the after-action report, both optional.

Scoring (``sim.scoring``) and reports (``reports``) are built separately. The console uses them
through two small doors so it works — and says what is missing — whether or not they are present:

* :func:`live_score` asks ``sim.scoring.score_until(header, records, t)`` for the objective
  ratings so far. The result may be an object or a dict; what is read is ``objectives`` (a list,
  or a dict keyed by id) whose items carry ``id``/``key``, ``rating`` (P/S/M/U or None), optional
  ``capability``, ``summary``/``explanation``, and an optional ``overall`` (0–100).
* :func:`write_report` runs ``drillsim report LOG --out DIR --lang L`` in a child process when
  that command exists, so the report is exactly what the command line would build from the log.

Without them the scorecard pane shows evaluator observations and live counts, and the end screen
says which files were not written and why.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.fileio import atomic_write_text

SCORING_MODULE = "sim.scoring"
SCORING_FUNCTION = "score_until"


@dataclass
class ObjectiveScore:
    """One objective's rating so far."""

    key: str
    rating: str | None
    capability: str = ""
    summary: str = ""


@dataclass
class LiveScore:
    """Ratings so far, or why there are none."""

    available: bool
    objectives: list[ObjectiveScore] = field(default_factory=list)
    overall: float | None = None
    problem: str = ""


def scorer() -> Any | None:
    """The scoring entry point if this build has one, else None."""
    try:
        module = importlib.import_module(SCORING_MODULE)
    except ImportError:
        return None
    fn = getattr(module, SCORING_FUNCTION, None)
    return fn if callable(fn) else None


def live_score(header: Mapping[str, Any], records: Sequence[tuple[Any, ...]], t: float) -> LiveScore:
    """Objective ratings from the records up to ``t`` (or ``available=False`` with the reason)."""
    fn = scorer()
    if fn is None:
        return LiveScore(False, problem="unavailable")
    try:
        result = fn(header, records, t)
    except Exception as exc:  # a scoring bug must not take the console down
        return LiveScore(False, problem=f"{type(exc).__name__}: {exc}")
    return _convert(result)


def _get(obj: Any, *names: str) -> Any:
    for name in names:
        if isinstance(obj, Mapping) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


def _convert(result: Any) -> LiveScore:
    objectives = _get(result, "objectives")
    items: list[tuple[str | None, Any]]
    if isinstance(objectives, Mapping):
        items = list(objectives.items())
    else:
        items = [(None, o) for o in (objectives or ())]
    rows = []
    for key, obj in items:
        oid = key or _get(obj, "id", "key", "objective")
        if oid is None:
            continue
        rating = _get(obj, "rating")
        summary = _get(obj, "summary", "explanation", "evidence")
        if isinstance(summary, list | tuple):
            summary = "; ".join(str(s) for s in summary[:3])
        rows.append(ObjectiveScore(str(oid), str(rating) if rating else None,
                                   str(_get(obj, "capability") or ""), str(summary or "")))
    overall = _get(result, "overall", "score")
    return LiveScore(True, rows, float(overall) if isinstance(overall, int | float) else None)


def report_available() -> bool:
    """True when ``drillsim report`` exists in this build."""
    from sim.cli import COMMANDS

    return any(name == "report" for name, _ in COMMANDS)


@dataclass
class EndFiles:
    """What the end of an exercise wrote, and what it could not write (with the reason)."""

    log: str
    scorecard: str | None = None
    report: list[str] = field(default_factory=list)
    scorecard_problem: str = ""
    report_problem: str = ""


def write_report(log_path: str, out_dir: str, lang: str, timeout: float = 600.0) -> EndFiles:
    """Build the scorecard and after-action report from the closed log (blocking: run it in a worker)."""
    files = EndFiles(log_path)
    out = Path(out_dir)
    if report_available():
        cmd = [sys.executable, "-m", "sim.cli", "report", log_path, "--out", str(out), "--lang", lang]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            files.report_problem = str(exc)
        else:
            if proc.returncode != 0:
                lines = (proc.stderr or proc.stdout or "").strip().splitlines()
                files.report_problem = lines[-1] if lines else f"exit code {proc.returncode}"
        files.report = sorted(str(p) for p in out.iterdir()
                              if p.is_file() and p.name.startswith("report")) if out.is_dir() else []
    else:
        files.report_problem = "unavailable"
    card = out / "scorecard.json"
    if card.exists():
        files.scorecard = str(card)
    return files


def write_live_scorecard(path: Path, score: LiveScore, t: float) -> str:
    """Write the ratings the console computed as ``scorecard.json`` (when the report did not)."""
    data = {"t": t, "overall": score.overall,
            "objectives": [{"id": o.key, "rating": o.rating, "capability": o.capability, "summary": o.summary}
                           for o in score.objectives]}
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return str(path)
