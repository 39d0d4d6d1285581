"""Scoring: objectives → metrics → HSEEP ratings (P/S/M/U) → scorecard, from the event log alone.

Public surface: :func:`score` (header + records, optionally up to a time), :func:`score_log`,
:class:`Scorecard`, :data:`METRICS` (the metric library) and :func:`format_table` (the terminal
scorecard). See docs/metrics.md for every metric and the rating rules.
"""

from __future__ import annotations

from drillsim.log import LogData
from drillsim.logstore import StoredLog
from drillsim.scoring.library import METRICS, metric_names
from drillsim.scoring.scorecard import DefinitionError, Scorecard, score
from drillsim.scoring.table import format_table


def score_log(log: LogData | StoredLog, until: float | None = None) -> Scorecard:
    """Score a log read with :func:`drillsim.log.read_log` (or, compactly, :func:`drillsim.logstore.read_store`)."""
    return score(log.header, log.records, until)


__all__ = ["METRICS", "DefinitionError", "Scorecard", "format_table", "metric_names", "score", "score_log"]
