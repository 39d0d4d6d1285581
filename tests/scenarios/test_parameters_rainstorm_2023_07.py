"""Every parameter of `rainstorm-2023-07` changes a world outcome or says `affects: scoring`.

See :mod:`tests.scenarios.parameters`.
"""

from __future__ import annotations

import pytest

from tests.scenarios.parameters import declared, world_changes

SCENARIO = "rainstorm-2023-07"


@pytest.mark.parametrize(("parameter", "affects"), declared(SCENARIO))
def test_the_parameter_does_what_it_says(parameter: str, affects: str) -> None:
    changed = world_changes(SCENARIO, parameter)
    if affects == "scoring":
        assert not changed, f"{parameter} says affects: scoring but changes {changed}"
    else:
        assert changed, f"{parameter} changes no world outcome across its range: declare affects: scoring"
