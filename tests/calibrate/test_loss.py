"""The loss: the median over seeds against the real figure, in tolerances, censored and capped."""

from __future__ import annotations

import pytest

from drillsim.calibrate.loss import CAP, loss, summarise
from drillsim.calibrate.targets import Target
from drillsim.scenario.model_triggers import RecordTest


def target(tid: str = "t", real: float = 600.0, tolerance: float = 60.0, value: str | None = None,
           weight: float = 1.0) -> Target:
    return Target(tid, RecordTest(record="storage.activated"), value, "first", real, tolerance, weight, "test")


def test_the_median_over_seeds_is_robust_to_one_unlucky_seed():
    s = summarise(target(), [600.0, 610.0, 3000.0], [1440.0] * 3)
    assert s.median == 610.0 and (s.low, s.high) == (600.0, 3000.0)
    assert loss([target()], {"t": s}) == pytest.approx((10 / 60) ** 2)


def test_a_time_target_never_seen_counts_at_the_end_of_the_run():
    s = summarise(target(), [None, None, 660.0], [1440.0, 1440.0, 1440.0])
    assert s.missed == 2 and s.median == 1440.0


def test_one_unreachable_target_is_capped_and_weights_share_the_loss():
    far = summarise(target("far"), [100000.0], [200000.0])
    near = summarise(target("near"), [600.0], [1440.0])
    targets = [target("far", weight=1.0), target("near", weight=3.0)]
    assert loss(targets, {"far": far, "near": near}) == pytest.approx(CAP * 1 / 4)


def test_a_value_target_no_run_shows_scores_the_cap():
    s = summarise(target(value="flow"), [None, None], [1440.0, 1440.0])
    assert s.median is None
    assert loss([target(value="flow")], {"t": s}) == CAP
