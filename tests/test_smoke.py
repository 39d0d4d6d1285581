from drillsim.engine import Exercise
from drillsim.scenario import load


def test_one_incident_runs(scenario_path):
    ex = Exercise(load(scenario_path("one-incident")))
    summary = ex.run()
    assert summary.rescues == 1
    assert summary.rescued == 4
