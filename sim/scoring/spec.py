"""What the metric library knows about each metric besides its function.

The metadata drives load-time checks (statistics that fit the metric's kind of value, required
task fields, scope fields it reads), the evidence sentences, the corrective actions of the
improvement plan, and docs/metrics.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from drillsim.scoring.observation import Observation
from drillsim.scoring.scope import ScopeFilter
from drillsim.scoring.text import Text
from drillsim.scoring.view import LogView

MetricFn = Callable[[LogView, ScopeFilter, Mapping[str, Any]], list[Observation]]
"""``(log view, scope, task parameters) -> observations``."""


@dataclass(frozen=True)
class MetricSpec:
    """One metric of the library.

    Attributes:
        name: The name scenarios use (``report_on_time_ratio``).
        fn: Computes the observations.
        kind: ``duration`` (minutes), ``amount`` (people, quantities), ``fraction`` (0..1 per item,
            weighted) or ``flag`` (1/0 per item).
        title: Short name for tables.
        item: What one observation is, plural (``first reports``).
        reads: Record kinds read.
        scope: Scope fields the metric honours.
        better: The usual direction (a hint for authors; the task's ``better`` decides).
        yes: For flags, what value 1 means (``on time``); ``no`` what 0 means (``late``).
        remedy: The corrective action proposed when a task on this metric is rated below P.
        absent: Why a metric may have nothing to observe (shown when a task is not measured).
        needs: Task fields that must be set (``level`` for time_to_level).
    """

    name: str
    fn: MetricFn
    kind: str
    title: Text
    item: Text
    reads: tuple[str, ...]
    scope: tuple[str, ...]
    better: str
    remedy: Text
    absent: Text
    yes: Text | None = None
    no: Text | None = None
    needs: tuple[str, ...] = ()


def T(en: str, zh: str) -> Text:
    """A bilingual literal."""
    return {"en": en, "zh": zh}
