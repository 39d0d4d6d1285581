"""Paired runs of a bundled scenario with each option of its decisions, and a paired test on world outcomes.

A decision *matters* when changing it changes what happens in the world — people rescued or lost,
evacuations, fires, materials (:data:`drillsim.catalog.WORLD`) — not only a score. Each option is
run on the same seeds as the doctrine's choice (common random numbers: the same incidents, the same
fates), and a two-sided Wilcoxon signed-rank test on the paired differences of each world outcome
must reject "no difference" at 5 %.

The test is group-sequential, with two looks: after 10 pairs it passes if some outcome's p-value
is below 0.0052, otherwise 10 more pairs are run and it passes if some p-value of all 20 is below
0.048 — O'Brien–Fleming boundaries for two equally spaced looks, which keep the chance of passing
an option that changes nothing at 5 % overall, as the single test at 20 pairs did (whose final
threshold, 0.05, this barely tightens). An option that changes the world consistently passes at
the first look (10 pairs all one way give p = 0.002) for half the runs; the others get the 20.

Runs are shared through :class:`tests.scenarios.runcache.RunCache`: the doctrine's runs once per
session for every decision and every xdist worker. :func:`decision_tests` makes one test class per
decision, so that pytest-xdist (``--dist loadscope``) spreads a scenario's decisions over the cores.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from scipy.stats import wilcoxon

from drillsim.catalog import WORLD
from drillsim.engine import Exercise
from drillsim.scenario import load
from drillsim.sweeps.metrics import record_metrics
from tests.scenarios.runcache import RunCache

SEEDS = range(1, 21)
"""Twenty paired replicates per option at most."""
LOOKS = ((10, 0.0052), (20, 0.048))
"""(pairs, p-value that passes) at each look: O'Brien–Fleming boundaries, 5 % overall (two-sided)."""


@cache
def outcomes(scenario: str, overrides: tuple[str, ...], seed: int) -> dict[str, Any]:
    """The world outcomes of one run (cached: the doctrine's runs are shared by every decision)."""
    ex = Exercise(load(scenario, list(overrides)), seed=seed)
    ex.run()
    records = [r for r in ex.log.records if r[2] != "log.header"]
    metrics = record_metrics(ex.log.header, records).metrics
    return {k: metrics.get(k) for k in WORLD}


def _runs(scenario: str, overrides: tuple[str, ...], seeds: range, runs: RunCache | None) -> list[dict[str, Any]]:
    keys = [("decision-run", scenario, overrides, s) for s in seeds]
    if runs is None:
        return [outcomes(scenario, overrides, s) for s in seeds]
    return runs.many(keys, lambda key: outcomes(*key[1:]))  # type: ignore[index]


def doctrine_run(scenario: str, seed: int) -> dict[str, Any]:
    """A run where every decision is taken as doctrine says (a headless run)."""
    return outcomes(scenario, (), seed)


def p_values(other: list[dict[str, Any]], base: list[dict[str, Any]]) -> dict[str, float]:
    """World outcome -> p-value of the paired test (outcomes that never differ are left out)."""
    out: dict[str, float] = {}
    for name in WORLD:
        diffs = [float(o[name] or 0.0) - float(b[name] or 0.0) for o, b in zip(other, base, strict=True)]
        if any(abs(d) > 1e-9 for d in diffs):
            out[name] = float(wilcoxon(diffs, zero_method="wilcox").pvalue)
    return out


def paired(
    scenario: str, decision: str, option: str, runs: RunCache | None = None
) -> tuple[int, float, dict[str, float]]:
    """``(pairs, threshold, p-values)`` at the look where the test stopped (see the module docstring)."""
    override = (f"decisions.{decision}.doctrine={option}",)
    p: dict[str, float] = {}
    pairs, threshold = LOOKS[-1]
    for pairs, threshold in LOOKS:
        seeds = range(SEEDS.start, SEEDS.start + pairs)
        p = p_values(_runs(scenario, override, seeds, runs), _runs(scenario, (), seeds, runs))
        if p and min(p.values()) < threshold:
            break
    return pairs, threshold, p


def alternatives(scenario: str) -> list[tuple[str, str]]:
    """Every (decision, option) of the scenario other than the option its doctrine takes."""
    s = load(scenario).scenario
    return [(did, opt) for did, d in s.decisions.items() for opt in d.options if opt != d.doctrine]


def assert_changes_the_world(scenario: str, decision: str, option: str, runs: RunCache | None = None) -> None:
    """Fail unless ``option`` moves some world outcome away from the doctrine's choice at 5 %."""
    pairs, threshold, p = paired(scenario, decision, option, runs)
    assert p, f"{decision}={option} changes no world outcome in {pairs} paired runs"
    best = min(p, key=p.__getitem__)
    assert p[best] < threshold, (
        f"{decision}={option}: no world outcome differs at 5 % (best after {pairs} pairs: {best}, "
        f"p={p[best]:.3f}, needed < {threshold})"
    )


def decision_tests(scenario: str) -> dict[str, type]:
    """One test class per decision of ``scenario`` (``TestDecision_<id>``), its options as parameters.

    A test module does ``globals().update(decision_tests("..."))``. Classes, not one parametrized
    function, because pytest-xdist's ``--dist loadscope`` keeps a module's functions on one worker
    but hands out a module's classes separately: a scenario's decisions run side by side.
    """
    by_decision: dict[str, list[str]] = {}
    for decision, option in alternatives(scenario):
        by_decision.setdefault(decision, []).append(option)
    return {
        f"TestDecision_{_name(decision)}": _decision_class(scenario, decision, options)
        for decision, options in by_decision.items()
    }


def _name(key: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in key)


def _decision_class(scenario: str, decision: str, options: list[str]) -> type:
    @pytest.mark.parametrize("option", options)
    def test_the_option_changes_what_happens(self: Any, option: str, shared_runs: RunCache) -> None:
        assert_changes_the_world(scenario, decision, option, shared_runs)

    doc = f"Every option of {scenario}'s decision {decision} changes a world outcome."
    return type(f"TestDecision_{_name(decision)}", (), {"__doc__": doc,
                "test_the_option_changes_what_happens": test_the_option_changes_what_happens})

