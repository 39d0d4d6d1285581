"""Does a declared parameter change what happens, or only how the exercise is rated?

Each parameter of a bundled scenario is run at both ends of its range (or its first and last values)
on the same seeds, with every decision taken by doctrine. A parameter that moves a world outcome
(:data:`drillsim.catalog.WORLD`: people, evacuations, fires, materials) in at least one seed changes
the world; one that moves none must say ``affects: scoring`` — and a parameter that says so must
indeed leave every world outcome unchanged.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from drillsim.catalog import WORLD
from drillsim.engine import Exercise
from drillsim.scenario import load
from drillsim.sweeps.metrics import record_metrics

SEEDS = (1, 2)


@cache
def outcomes(scenario: str, parameter: str, value: Any, seed: int) -> dict[str, Any]:
    """The world outcomes of one run with ``parameter`` set to ``value``."""
    ex = Exercise(load(scenario, [(parameter, value)]), seed=seed)
    ex.run()
    records = [r for r in ex.log.records if r[2] != "log.header"]
    metrics = record_metrics(ex.log.header, records).metrics
    return {k: metrics.get(k) for k in WORLD}


def ends(scenario: str, parameter: str) -> tuple[Any, Any]:
    """The two ends of a parameter's range (or its first and last listed values)."""
    p = load(scenario).scenario.parameters[parameter]
    values = list(p.range or ()) or list(p.values or ())
    return values[0], values[-1]


def world_changes(scenario: str, parameter: str) -> list[str]:
    """World outcomes that differ between the two ends, in any of the seeds."""
    lo, hi = ends(scenario, parameter)
    out: set[str] = set()
    for seed in SEEDS:
        a, b = outcomes(scenario, parameter, lo, seed), outcomes(scenario, parameter, hi, seed)
        out |= {k for k in WORLD if a[k] != b[k]}
    return sorted(out)


def declared(scenario: str) -> list[tuple[str, str]]:
    """``(parameter, affects)`` of every declared parameter."""
    return [(pid, p.affects) for pid, p in load(scenario).scenario.parameters.items()]


def assert_does_what_it_says(scenario: str, parameter: str, affects: str) -> None:
    """Fail if a world parameter moves no world outcome, or a scoring parameter moves one."""
    changed = world_changes(scenario, parameter)
    if affects == "scoring":
        assert not changed, f"{parameter} says affects: scoring but changes {changed}"
    else:
        assert changed, f"{parameter} changes no world outcome across its range: declare affects: scoring"
