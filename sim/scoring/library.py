"""The metric library: every metric by name, in one explicit table.

Adding a metric is one small function plus one :class:`~drillsim.scoring.spec.MetricSpec` in its
family's module, listed here. Nothing registers itself at import time. The facts a scenario is
checked against (names, kinds, scopes, directions) are in :mod:`drillsim.catalog`; the two lists
must name the same metrics in the same order, or this module refuses to import.
"""

from __future__ import annotations

from drillsim.catalog import METRICS as CATALOG
from drillsim.scoring.metrics import (
    coordination,
    exercise,
    hazards,
    logistics,
    operations,
    reporting,
    rescue,
    response,
)
from drillsim.scoring.spec import MetricSpec

METRICS: dict[str, MetricSpec] = {
    spec.name: spec
    for spec in (
        *reporting.SPECS,
        *response.SPECS,
        *coordination.SPECS,
        *rescue.SPECS,
        *hazards.SPECS,
        *logistics.SPECS,
        *exercise.SPECS,
        *operations.SPECS,
    )
}
"""Metric name → spec, in documentation order."""


def metric_names() -> list[str]:
    """Every metric name, in documentation order."""
    return list(METRICS)


if list(METRICS) != list(CATALOG):  # pragma: no cover - a metric added to one list only
    raise ImportError("the metric library and drillsim.catalog.METRICS list different metrics: "
                      + ", ".join(sorted(set(METRICS) ^ set(CATALOG))))
