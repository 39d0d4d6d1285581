"""Every decision of `chemical-leak` changes a world outcome (see :mod:`tests.scenarios.decisions`)."""

from __future__ import annotations

import pytest

from tests.scenarios.decisions import alternatives, paired

SCENARIO = "chemical-leak"


@pytest.mark.parametrize(("decision", "option"), alternatives(SCENARIO))
def test_the_decision_changes_what_happens(decision: str, option: str) -> None:
    p = paired(SCENARIO, decision, option)
    assert p, f"{decision}={option} changes no world outcome in 20 paired runs"
    best = min(p, key=p.__getitem__)
    assert p[best] < 0.05, f"{decision}={option}: no world outcome differs at 5 % (best: {best}, p={p[best]:.3f})"
