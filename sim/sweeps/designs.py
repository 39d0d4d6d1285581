"""Experimental designs: which points of the parameter space a sweep visits.

- ``grid``: every combination of each factor's levels (``points`` evenly spaced levels per range
  factor; every value of a value-list factor).
- ``lhs``: Latin hypercube, ``points`` samples: each factor's range is cut into ``points`` equal
  strata and each stratum is sampled exactly once (SALib ``latin``).
- ``sobol``: Saltelli's extension of the Sobol' sequence for variance-based sensitivity
  (SALib ``sobol``), ``points`` base samples N giving ``N·(2D+2)`` points for D factors, in the
  order SALib's ``analyze`` expects. N should be a power of two.
- ``list``: the points exactly as listed.

Random designs draw from a generator derived from the sweep's root seed, so the same root seed
gives the same points. SALib is imported only when a random design is used.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from drillsim.sweeps.factors import Factor, Level
from drillsim.sweeps.seeds import design_rng

DESIGNS = ("grid", "lhs", "sobol", "list")
DEFAULT_POINTS = {"grid": 5, "lhs": 20, "sobol": 32}
"""Default ``points``: levels per factor (grid), samples (lhs), base samples N (sobol)."""

Point = tuple[Level, ...]


def unit_problem(factors: Sequence[Factor]) -> dict[str, Any]:
    """The SALib problem over the unit cube (factors map unit coordinates to their levels)."""
    return {"num_vars": len(factors), "names": [f.name for f in factors], "bounds": [[0.0, 1.0]] * len(factors)}


def grid(factors: Sequence[Factor], points: int) -> list[Point]:
    """Full factorial design."""
    return [tuple(p) for p in itertools.product(*(f.grid(points) for f in factors))]


def unit_lhs(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """Latin hypercube on [0, 1]^d: ``n`` rows; each column has one value in each of ``n`` strata."""
    from SALib.sample import latin

    return np.asarray(latin.sample({"num_vars": d, "names": [f"x{i}" for i in range(d)],
                                    "bounds": [[0.0, 1.0]] * d}, n, seed=rng))


def unit_sobol(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """Saltelli sample on [0, 1]^d: ``n·(2d+2)`` rows (second-order indices included)."""
    from SALib.sample import sobol

    with warnings.catch_warnings():
        # scipy warns when n is not a power of two; the CLI says so once, in its own words.
        warnings.simplefilter("ignore", UserWarning)
        return np.asarray(sobol.sample({"num_vars": d, "names": [f"x{i}" for i in range(d)],
                                        "bounds": [[0.0, 1.0]] * d}, n, calc_second_order=True, seed=rng))


def from_unit(factors: Sequence[Factor], matrix: np.ndarray) -> list[Point]:
    """Map each row of unit coordinates to the factors' levels."""
    return [tuple(f.from_unit(u) for f, u in zip(factors, row, strict=True)) for row in matrix.tolist()]


def make_points(design: str, factors: Sequence[Factor], points: int | None, root: int,
                listed: Sequence[Point] | None = None) -> list[Point]:
    """The points of a design, in a fixed order (the point ids are their positions)."""
    n = points if points is not None else DEFAULT_POINTS.get(design, 0)
    if design == "grid":
        return grid(factors, n)
    if design == "lhs":
        return from_unit(factors, unit_lhs(n, len(factors), design_rng(root, design)))
    if design == "sobol":
        return from_unit(factors, unit_sobol(n, len(factors), design_rng(root, design)))
    if design == "list":
        return list(listed or ())
    raise ValueError(f"unknown design {design!r} (one of {', '.join(DESIGNS)})")


def design_size(design: str, factors: Sequence[Factor], points: int | None,
                listed: Sequence[Point] | None = None) -> int:
    """How many points :func:`make_points` would lay out, computed without laying any out.

    A grid of counts gives each count factor at most one level per whole number of its range.
    """
    n = points if points is not None else DEFAULT_POINTS.get(design, 0)
    if design == "grid":
        size = 1
        for f in factors:
            if f.values is not None:
                size *= len(f.values)
            elif f.kind == "count" and f.low is not None and f.high is not None:
                size *= max(1, min(n, int(f.high) - int(f.low) + 1))
            else:
                size *= max(1, n)
        return size
    if design == "lhs":
        return n
    if design == "sobol":
        return n * (2 * len(factors) + 2)
    return len(listed or ())


def is_power_of_two(n: int) -> bool:
    """True for 1, 2, 4, 8, and so on."""
    return n > 0 and n & (n - 1) == 0
