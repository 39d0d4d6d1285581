"""drillsim sets simpy's clock in one place (drillsim.simclock); these fail if simpy changes how it keeps it."""

from __future__ import annotations

import math

import pytest
import simpy

from drillsim.simclock import CLOCK_ATTRIBUTE, settle


def test_simpy_keeps_its_clock_where_settle_writes_it():
    env = simpy.Environment(initial_time=0.0)
    env.run(until=env.timeout(0.3))
    assert getattr(env, CLOCK_ATTRIBUTE) == env.now == 0.3
    setattr(env, CLOCK_ATTRIBUTE, 0.5)
    assert env.now == 0.5  # the public reading follows the attribute
    done = env.timeout(1.0)
    env.run(until=done)
    assert env.now == 1.5  # and simpy schedules from it


def test_settle_moves_forward_by_a_rounding_error_only():
    env = simpy.Environment(initial_time=0.0)
    start, until = 0.1 + 0.2, 0.3  # 0.30000000000000004 and 0.3: an ulp apart
    env.run(until=env.timeout(start))
    with pytest.raises(ValueError):
        settle(env, until)  # backwards
    env2 = simpy.Environment(initial_time=0.0)
    target = 7.0 * 0.1  # 0.7000000000000001
    env2.run(until=env2.timeout(0.7))
    settle(env2, target)
    assert env2.now == target
    with pytest.raises(ValueError):
        settle(env2, target + 1.0)
    assert math.isclose(env2.now, 0.7)


def test_advance_lands_exactly_on_the_time_asked(scenario_path):
    from drillsim.engine import Exercise
    from drillsim.scenario import load

    ex = Exercise(load(str(scenario_path("one-incident"))), seed=1, keep=False)
    for t in (0.1 + 0.2, 10 / 3, 7.0 * 0.1 + 100):
        assert ex.advance(t) == t and ex.now == t
