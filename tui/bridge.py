"""The console's links to scoring and to the after-action report.

* :func:`live_score` rates the objectives from the records so far with
  :func:`drillsim.scoring.score` (a pure function of header + records, cut at the current time; from
  the console's record store, read in place as ``drillsim run`` scores) and
  keeps what the scorecard pane shows. A scoring failure is reported on screen, never raised:
  the exercise goes on.
* :func:`write_outputs` runs at the end, in a worker thread: it writes ``scorecard.json`` and runs
  ``drillsim report LOG --out DIR --lang L --form F --quiet`` in a child process, so the report is
  exactly what the command line builds from the log (and matplotlib never loads into the console).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillsim.fileio import atomic_write_text
from drillsim.tui.records import LineStore

if TYPE_CHECKING:
    from drillsim.log import Row
    from drillsim.logstore import RecordStore


@dataclass
class ObjectiveScore:
    """One objective's rating so far and the sentences that explain it (``{zh, en}`` each)."""

    key: str
    rating: str | None
    capability: str = ""
    score: float | None = None
    coverage: float = 0.0
    summaries: list[dict[str, str]] = field(default_factory=list)


@dataclass
class LiveScore:
    """Ratings so far, or why there are none."""

    available: bool
    objectives: list[ObjectiveScore] = field(default_factory=list)
    overall: float | None = None
    rating: str | None = None
    coverage: float = 0.0
    problem: str = ""
    seconds: float = 0.0
    card: Any = None


def live_score(header: Mapping[str, Any], records: Sequence[Row] | RecordStore, t: float) -> LiveScore:
    """Objective ratings from the records up to ``t`` (``available=False`` with the reason on failure).

    ``records``: the console's :class:`~drillsim.logstore.RecordStore` (``play`` and ``serve``), read in
    place kind by kind as ``drillsim run`` scores (every record it holds is at or before ``t``), or
    any sequence of records (copied up to ``t``).
    """
    start = time.perf_counter()
    try:
        from drillsim.scoring import score

        card = score(dict(header), records, t)
    except Exception as exc:  # a scoring bug, or a foreign log header: say so, keep the exercise going
        return LiveScore(False, problem=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - start)
    finally:
        if isinstance(records, LineStore):
            records.forget()  # what scoring decoded is not held until the next score
    rows = [ObjectiveScore(o.id, o.rating, o.capability, o.score, o.coverage, _distinct(o.tasks, card.final))
            for o in card.objectives]
    return LiveScore(True, rows, card.score, card.rating, card.coverage, seconds=time.perf_counter() - start,
                     card=card)


@dataclass
class EndFiles:
    """What the end of an exercise wrote, and what it could not write (with the reason)."""

    log: str
    scorecard: str | None = None
    report: list[str] = field(default_factory=list)
    scorecard_problem: str = ""
    report_problem: str = ""


def write_outputs(log_path: str, out_dir: str | Path, lang: str, *, form: str = "aar", report: bool = True,
                  score: LiveScore | None = None, timeout: float = 900.0,
                  started: Callable[[subprocess.Popen[str]], None] | None = None) -> EndFiles:
    """Scorecard and after-action report from the closed log (blocking: call it from a worker thread).

    Args:
        log_path: The closed ``events.jsonl``.
        out_dir: Where scorecard.json and the report go.
        lang: Language of the report text.
        form: ``aar`` (HSEEP AAR/IP) or ``gbt`` (演练评估报告).
        report: False writes only scorecard.json (``--no-report``).
        score: The final score the console computed (written as scorecard.json without a report).
        timeout: Seconds the report may take before it is abandoned.
        started: Called with the report's child process once it runs, so the console can stop it
            when the facilitator leaves without waiting (the report is written atomically: a
            stopped child leaves no half file).
    """
    files = EndFiles(log_path)
    out = Path(out_dir)
    card = out / "scorecard.json"
    if not report:
        if score is not None and score.card is not None:
            atomic_write_text(card, score.card.to_json())
            files.scorecard = str(card)
        else:
            files.scorecard_problem = score.problem if score is not None else "no score"
        files.report_problem = "skipped (--no-report)"
        return files
    cmd = [sys.executable, "-m", "drillsim.cli", "report", log_path, "--out", str(out), "--lang", lang,
           "--form", form, "--quiet"]
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.DEVNULL)
    except OSError as exc:
        files.report_problem = str(exc)
    else:
        if started is not None:
            started(proc)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
            files.report_problem = f"abandoned after {timeout:g} s"
        written = [line.strip() for line in stdout.splitlines() if line.strip()]
        files.report = [p for p in written if Path(p).suffix in (".md", ".html")]
        if proc.returncode < 0 and not files.report_problem:
            files.report_problem = f"stopped (signal {-proc.returncode})"
        elif proc.returncode != 0 and not files.report_problem:
            lines = (stderr or stdout or "").strip().splitlines()
            files.report_problem = lines[-1] if lines else f"exit code {proc.returncode}"
    if card.exists():
        files.scorecard = str(card)
    else:
        files.scorecard_problem = files.report_problem or "not written"
    return files


NOT_YET = {"en": "not measured yet: nothing to measure so far", "zh": "尚未测量:目前还没有可评估的记录"}
"""What a task with nothing to observe says while the exercise runs: the reason scoring gives (a
setting to check, no role played) is for the end, when it is true of the whole exercise."""


def _distinct(tasks: Any, final: bool = True) -> list[dict[str, str]]:
    """The tasks' summaries, each once (two tasks not measured for the same reason say it once)."""
    out: list[dict[str, str]] = []
    for task in tasks:
        summary = task.summary if final or task.value is not None else NOT_YET
        if summary and summary not in out:
            out.append(summary)
    return out
