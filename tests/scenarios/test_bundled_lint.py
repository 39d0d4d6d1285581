"""Every bundled scenario is a clean exercise under the doctrine lint: `drillsim validate --lint` exits 0."""

from __future__ import annotations

import pytest

from drillsim.cli import main
from drillsim.scenarios import bundled

BUNDLED = bundled()


def test_the_four_scenarios_are_bundled():
    assert {p.stem for p in BUNDLED} >= {"rainstorm-2023-07", "border-forest-fire", "earthquake",
                                        "mentougou-flash-flood"}


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_scenario_passes_the_lint_without_warnings(path, capsys):
    code = main(["validate", "--lint", str(path)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 0, text
    assert "warning" not in text and ": ok (" in text
