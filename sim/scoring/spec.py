"""What the metric library knows about each metric besides its catalogue facts: its function and words.

The facts that do not depend on how a metric is computed (kind of value, direction, scope fields,
records read, required task fields) are in :mod:`drillsim.catalog`, which the scenario loader checks
tasks against; a spec reads them from there by name. The words drive the evidence sentences, the
corrective actions of the improvement plan, and docs/metrics.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from drillsim.catalog import METRICS as CATALOG
from drillsim.catalog import Better, Kind, MetricInfo
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
        name: The name scenarios use (``report_on_time_ratio``); its facts are ``CATALOG[name]``.
        fn: Computes the observations.
        title: Short name for tables.
        item: What one observation is, plural (``first reports``).
        remedy: The corrective action proposed when a task on this metric is rated below P.
        absent: Why a metric may have nothing to observe (shown when a task is not measured).
        yes: For flags, what value 1 means (``on time``); ``no`` what 0 means (``late``).
    """

    name: str
    fn: MetricFn
    title: Text
    item: Text
    remedy: Text
    absent: Text
    yes: Text | None = None
    no: Text | None = None

    @property
    def info(self) -> MetricInfo:
        """The catalogue's facts of this metric."""
        return CATALOG[self.name]

    @property
    def kind(self) -> Kind:
        """``duration``, ``amount``, ``fraction`` or ``flag`` (see :class:`drillsim.catalog.MetricInfo`)."""
        return CATALOG[self.name].kind

    @property
    def better(self) -> Better:
        """The metric's usual direction (a task's ``better`` defaults to it)."""
        return CATALOG[self.name].better

    @property
    def scope(self) -> tuple[str, ...]:
        """Scope fields the metric honours."""
        return CATALOG[self.name].scope

    @property
    def reads(self) -> tuple[str, ...]:
        """Record kinds read."""
        return CATALOG[self.name].reads

    @property
    def needs(self) -> tuple[str, ...]:
        """Task fields that must be set."""
        return CATALOG[self.name].needs


def T(en: str, zh: str) -> Text:
    """A bilingual literal."""
    return {"en": en, "zh": zh}
