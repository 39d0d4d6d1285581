"""Paired runs of a bundled scenario with each option of its decisions, and a paired test on world outcomes.

A decision *matters* when changing it changes what happens in the world — people rescued or lost,
evacuations, fires, materials (:data:`drillsim.catalog.WORLD`) — not only a score. Each option is
run on the same seeds as the doctrine's choice (common random numbers: the same incidents, the same
fates), and a two-sided Wilcoxon signed-rank test on the paired differences of each world outcome
must reject "no difference" at 5 %.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scipy.stats import wilcoxon

from drillsim.catalog import WORLD
from drillsim.engine import Exercise
from drillsim.scenario import load
from drillsim.sweeps.metrics import record_metrics

SEEDS = range(1, 21)
"""Twenty paired replicates per option."""


@cache
def outcomes(scenario: str, overrides: tuple[str, ...], seed: int) -> dict[str, Any]:
    """The world outcomes of one run (cached: the doctrine's runs are shared by every decision)."""
    ex = Exercise(load(scenario, list(overrides)), seed=seed)
    ex.run()
    records = [r for r in ex.log.records if r[2] != "log.header"]
    metrics = record_metrics(ex.log.header, records).metrics
    return {k: metrics.get(k) for k in WORLD}


def doctrine_run(scenario: str, seed: int) -> dict[str, Any]:
    """A run where every decision is taken as doctrine says (a headless run)."""
    return outcomes(scenario, (), seed)


def paired(scenario: str, decision: str, option: str) -> dict[str, float]:
    """World outcome → p-value of the paired test between ``option`` and the doctrine's choice."""
    other = [outcomes(scenario, (f"decisions.{decision}.doctrine={option}",), s) for s in SEEDS]
    base = [doctrine_run(scenario, s) for s in SEEDS]
    out: dict[str, float] = {}
    for name in WORLD:
        diffs = [float(o[name] or 0.0) - float(b[name] or 0.0) for o, b in zip(other, base, strict=True)]
        if any(abs(d) > 1e-9 for d in diffs):
            out[name] = float(wilcoxon(diffs, zero_method="wilcox").pvalue)
    return out


def alternatives(scenario: str) -> list[tuple[str, str]]:
    """Every (decision, option) of the scenario other than the option its doctrine takes."""
    s = load(scenario).scenario
    return [(did, opt) for did, d in s.decisions.items() for opt in d.options if opt != d.doctrine]


def assert_changes_the_world(scenario: str, decision: str, option: str) -> None:
    """Fail unless ``option`` moves some world outcome away from the doctrine's choice at 5 %."""
    p = paired(scenario, decision, option)
    assert p, f"{decision}={option} changes no world outcome in 20 paired runs"
    best = min(p, key=p.__getitem__)
    assert p[best] < 0.05, f"{decision}={option}: no world outcome differs at 5 % (best: {best}, p={p[best]:.3f})"
