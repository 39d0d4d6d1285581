"""mesa's Agent and Model load without the rest of mesa; the rest still loads in full when asked for."""

from __future__ import annotations

import subprocess
import sys

CHILD = """
import sys
import drillsim.engine
from drillsim.engine import Exercise
from drillsim.scenario import load
Exercise(load("mentougou-flash-flood")).run()
heavy = sorted(m for m in ("pandas", "scipy", "mesa.batchrunner", "mesa.datacollection") if m in sys.modules)
print("HEAVY", heavy)
import mesa
from mesa import DataCollector
from drillsim.agents import Team
assert Team.__mro__[1] is mesa.Agent is mesa.agent.Agent
assert "pandas" in sys.modules and mesa.space.MultiGrid and DataCollector
print("FULL ok")
"""


def test_a_run_loads_no_pandas_or_scipy_and_mesa_is_whole_when_used() -> None:
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, timeout=300)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
    assert "FULL ok" in out.stdout
