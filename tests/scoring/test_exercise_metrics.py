"""Exercise control metrics on simulated runs: an inject's window cut short by an early end is censored."""

from __future__ import annotations

ASKED = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
injects:
  ask:
    at: 1h
    to: [county-hq]
    title: The province asks for a Level IV decision
    message: Decide on Level IV
    capability: operational_coordination
    expected_action: Raise Level IV
    expects:
      - {kind: level.changed, by: [county-hq], within: 3h}
objectives:
  O-answer:
    capability: operational_coordination
    text: Injects answered
    tasks:
      answered:
        text: The expected action shows in the log
        metric: injects_answered_ratio
        statistic: ratio
        better: higher
        thresholds: {P: 90%, S: 70%, M: 50%}
"""


def _scored(inputs=()):
    from drillsim.engine import Exercise
    from drillsim.scenario import load_text
    from drillsim.scoring import score
    from tests.flows.flowworld import scenario_text

    ex = Exercise(load_text(scenario_text(ASKED), "fixture.yaml"), None)
    ex.run(inputs=inputs)
    return score(ex.log.header, ex.log.records).objectives[0].tasks[0]


def test_an_unanswered_inject_whose_window_the_early_end_cut_is_not_a_failure():
    early = _scored(inputs=[(120.0, {"kind": "end", "reason": "time-box"})])
    assert early.observations == [] and early.value is None  # 1 h of its 3 h window had passed
    full = _scored()
    (obs,) = full.observations
    assert obs.value == 0.0 and full.rating == "U" and "not answered" in obs.text["en"]
