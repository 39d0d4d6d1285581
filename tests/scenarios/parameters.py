"""Does a declared parameter change what happens, or only how the exercise is rated?

Each parameter of a bundled scenario is run at both ends of its range (or its first and last values)
on the same seeds, with every decision taken by doctrine. A parameter that moves a world outcome
(:data:`drillsim.catalog.WORLD`: people, evacuations, fires, materials) in at least one seed changes
the world; one that moves none must say ``affects: scoring`` — and a parameter that says so must
indeed leave every world outcome unchanged.

A world parameter is judged on seed 1 first and on seed 2 only when seed 1 shows no change (the
claim is "in at least one seed": the verdict is the same, with half the runs when seed 1 settles
it); a scoring parameter is always run on both. :func:`parameter_tests` makes one test class per
parameter, so that pytest-xdist (``--dist loadscope``) spreads a scenario's parameters over the cores.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

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


def world_changes(scenario: str, parameter: str, first: bool = False) -> list[str]:
    """World outcomes that differ between the two ends, in any of the seeds.

    With ``first``, stop at the first seed that shows a change (enough to say "it changes the world").
    """
    lo, hi = ends(scenario, parameter)
    out: set[str] = set()
    for seed in SEEDS:
        a, b = outcomes(scenario, parameter, lo, seed), outcomes(scenario, parameter, hi, seed)
        out |= {k for k in WORLD if a[k] != b[k]}
        if first and out:
            break
    return sorted(out)


def declared(scenario: str) -> list[tuple[str, str]]:
    """``(parameter, affects)`` of every declared parameter."""
    return [(pid, p.affects) for pid, p in load(scenario).scenario.parameters.items()]


def assert_does_what_it_says(scenario: str, parameter: str, affects: str) -> None:
    """Fail if a world parameter moves no world outcome, or a scoring parameter moves one."""
    changed = world_changes(scenario, parameter, first=affects != "scoring")
    if affects == "scoring":
        assert not changed, f"{parameter} says affects: scoring but changes {changed}"
    else:
        assert changed, f"{parameter} changes no world outcome across its range: declare affects: scoring"


def parameter_tests(scenario: str) -> dict[str, type]:
    """One test class per declared parameter of ``scenario`` (``TestParameter_<id>``).

    A test module does ``globals().update(parameter_tests("..."))``; classes because pytest-xdist's
    ``--dist loadscope`` hands out a module's classes separately (its functions go to one worker).
    """
    return {f"TestParameter_{_name(pid)}": _parameter_class(scenario, pid, affects)
            for pid, affects in declared(scenario)}


def _name(key: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in key)


def _parameter_class(scenario: str, parameter: str, affects: str) -> type:
    @pytest.mark.parametrize("affects", [affects])
    def test_the_parameter_does_what_it_says(self: Any, affects: str) -> None:
        assert_does_what_it_says(scenario, parameter, affects)

    doc = f"{scenario}'s parameter {parameter} moves the world, or says affects: scoring."
    return type(f"TestParameter_{_name(parameter)}", (), {"__doc__": doc,
                "test_the_parameter_does_what_it_says": test_the_parameter_does_what_it_says})
