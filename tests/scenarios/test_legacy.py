"""Scenario files written before operations (needs as lists, `people` as the trapped) keep their meaning.

``tests/scenarios/legacy/`` holds the bundled scenarios exactly as they stood at 07ec3a8, before tasks,
shelters and joint operations. Each must validate and run unchanged, and read the old way: a list of
capabilities asks for one team, `people` are trapped people to rescue, nothing is evacuated.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.engine import Exercise
from drillsim.scenario import load

LEGACY = sorted((Path(__file__).parent / "legacy").glob("*.yaml"))


@pytest.mark.parametrize("path", LEGACY, ids=lambda p: p.stem)
def test_a_scenario_written_before_operations_runs_with_its_old_meaning(path: Path) -> None:
    ex = Exercise(load(path), seed=2, keep=True)
    summary = ex.run()
    recs = ex.log.records
    assert summary.incidents > 0 and recs[-1][2] == "exercise.ended"
    kinds = {r[2] for r in recs}
    # the old forms read the old way: no task of a new kind, no joint line, no evacuation
    assert not kinds & {"evacuation.ordered", "task.reinforcement", "suppression.controlled", "supply.delivered"}
    assert all("line" not in r[5] for r in recs if r[2] == "team.dispatched")
    occurred = [r for r in recs if r[2] == "incident.occurred"]
    assert all("tasks" not in r[5] for r in occurred)
    assert summary.rescued > 0 or path.stem == "border-forest-fire"
    assert len(LEGACY) == 4
