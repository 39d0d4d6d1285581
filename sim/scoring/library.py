"""The metric library: every metric by name, in one explicit table.

Adding a metric is one small function plus one :class:`~drillsim.scoring.spec.MetricSpec` in its
family's module, listed here. Nothing registers itself at import time. This module imports only
the metric modules (pure Python), so the scenario loader can check metric names cheaply.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from drillsim.scoring.metrics import coordination, exercise, hazards, logistics, reporting, rescue, response
from drillsim.scoring.spec import MetricSpec
from drillsim.scoring.statistics import ALLOWED

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
    )
}
"""Metric name → spec, in documentation order."""


def metric_names() -> list[str]:
    """Every metric name, in documentation order."""
    return list(METRICS)


def check_task(task: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """Problems with one critical task's use of the library.

    Returns:
        ``(field, severity, message, expected)`` tuples; severity is ``error`` or ``warning``.
    """
    problems: list[tuple[str, str, str, str]] = []
    name = str(task.get("metric"))
    spec = METRICS.get(name)
    if spec is None:
        near = difflib.get_close_matches(name, METRICS, n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        problems.append(
            ("metric", "error", f"unknown metric {name!r}", hint + "one of " + ", ".join(METRICS))
        )
        return problems
    statistic = str(task.get("statistic"))
    if statistic not in ALLOWED[spec.kind]:
        problems.append(
            (
                "statistic",
                "error",
                f"statistic {statistic!r} does not apply to {name} (a {spec.kind} metric)",
                "one of " + ", ".join(ALLOWED[spec.kind]),
            )
        )
    for field in spec.needs:
        if task.get(field) is None:
            problems.append(
                (
                    field,
                    "error",
                    f"metric {name} needs `{field}`",
                    "a response level IV, III, II or I" if field == "level" else "a value",
                )
            )
    scope = task.get("scope") or {}
    for field, values in scope.items():
        if values and field not in spec.scope:
            problems.append(
                (
                    f"scope.{field}",
                    "warning",
                    f"{name} does not use scope `{field}`; it is ignored",
                    "one of " + ", ".join(spec.scope) if spec.scope else "no scope",
                )
            )
    return problems
