"""Every decision of `mentougou-flash-flood` changes a world outcome (see :mod:`tests.scenarios.decisions`)."""

import pytest

from tests.scenarios.decisions import alternatives, assert_changes_the_world


@pytest.mark.parametrize(("decision", "option"), alternatives("mentougou-flash-flood"))
def test_the_decision_changes_what_happens(decision: str, option: str) -> None:
    assert_changes_the_world("mentougou-flash-flood", decision, option)
