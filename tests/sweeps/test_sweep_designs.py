"""Designs: grid size, Latin hypercube strata, Saltelli sample size, reproducible from the root seed."""

from __future__ import annotations

import numpy as np

from drillsim.sweeps.designs import make_points, unit_lhs
from drillsim.sweeps.factors import Factor, make_levels
from drillsim.sweeps.seeds import design_rng

A = Factor("a", "a", "duration", 30.0, 120.0)
B = Factor("b", "b", "probability", 0.5, 1.0)
C = Factor("c", "c", "choice", values=make_levels("choice", ["x", "y", "z"]))


def test_grid_is_the_full_factorial():
    points = make_points("grid", [A, B, C], 4, root=1)
    assert len(points) == 4 * 4 * 3
    assert len({tuple(lv.text for lv in p) for p in points}) == len(points)
    assert {p[2].text for p in points} == {"x", "y", "z"}


def test_latin_hypercube_has_one_sample_per_stratum_in_every_dimension():
    n, d = 40, 3
    u = unit_lhs(n, d, design_rng(7, "lhs"))
    assert u.shape == (n, d)
    for j in range(d):
        strata = np.floor(u[:, j] * n).astype(int)
        assert sorted(strata.tolist()) == list(range(n))


def test_sobol_saltelli_sample_has_n_times_2d_plus_2_points():
    for n, factors in ((8, [A, B]), (16, [A, B, C])):
        points = make_points("sobol", factors, n, root=3)
        assert len(points) == n * (2 * len(factors) + 2)


def test_random_designs_depend_only_on_the_root_seed():
    def texts(design, root):
        return [tuple(lv.text for lv in p) for p in make_points(design, [A, B], 16, root=root)]

    for design in ("lhs", "sobol"):
        assert texts(design, 5) == texts(design, 5)
        assert texts(design, 5) != texts(design, 6)


def test_lhs_values_stay_in_range():
    points = make_points("lhs", [A, B], 50, root=2)
    assert all(30.0 <= p[0].value <= 120.0 and 0.5 <= p[1].value <= 1.0 for p in points)
