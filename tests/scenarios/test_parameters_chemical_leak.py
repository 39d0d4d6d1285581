"""Every parameter of `chemical-leak` moves the world or is `affects: scoring` (tests.scenarios.parameters)."""

import pytest

from tests.scenarios.parameters import assert_does_what_it_says, declared


@pytest.mark.parametrize(("parameter", "affects"), declared("chemical-leak"))
def test_the_parameter_does_what_it_says(parameter: str, affects: str) -> None:
    assert_does_what_it_says("chemical-leak", parameter, affects)
