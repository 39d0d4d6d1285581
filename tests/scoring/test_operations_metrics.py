"""Metrics of operations beyond rescue, scored from real runs of small worlds."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from drillsim.engine import Exercise
from drillsim.scenario import load_text
from drillsim.scoring import score

sys.path.insert(0, str(Path(__file__).parents[1] / "flows"))
from flowworld import scenario_text


def task_value(extra: str, metric: str, statistic: str = "mean", seed: int = 1, thresholds: str = "{P: 1, S: 2, M: 3}",
               warm_up: str = "", scope: str = "{}") -> float | None:
    objective = f"""
objectives:
  O-1:
    capability: mass_care
    text: Test
    tasks:
      t:
        text: Test
        metric: {metric}
        scope: {scope}
        statistic: {statistic}
        thresholds: {thresholds}
{warm_up}"""
    ex = Exercise(load_text(scenario_text(extra + objective), "ops.yaml"), seed)
    ex.run()
    header = ex.log.header
    card = score(header, [r for r in ex.log.records if r[2] != "log.header"])
    return card.task_values()["O-1.t"]


EVAC = """
teams:
  bus: {name: Bus, kind: other, base: county-a, capabilities: [transport], carries: 40, count: BUSES}
shelters:
  school: {name: School, region: town-a, capacity: 60}
incidents:
  levee:
    at: 1h
    region: village-a
    kind: levee_breach
    tasks:
      evacuate: {kind: evacuate, people: 100, to: [school], needs: {transport: BUSES}, load: 10m DANGER}
"""


def test_evacuation_time_and_share_and_overflow():
    one = EVAC.replace("BUSES", "1").replace(" DANGER", "")
    assert task_value(one, "evacuation_completion_time", thresholds="{P: 60, S: 90, M: 120}") == 30.0
    assert task_value(one, "evacuation_ratio", "ratio", thresholds="{P: 0.9, S: 0.8, M: 0.5}") == 1.0
    assert task_value(one, "shelter_overflow", "sum", thresholds="{P: 0, S: 10, M: 50}") == 40.0
    cut = EVAC.replace("BUSES", "1").replace(" DANGER", ", danger: {after: 15m, trapped: 0}")
    assert task_value(cut, "evacuation_ratio", "ratio", thresholds="{P: 0.9, S: 0.8, M: 0.5}") == 0.8


def test_time_to_control_and_area_burned_of_a_site_fire():
    fire = """
teams:
  engine: {name: Engines, kind: fire_rescue, base: county-a, capabilities: [fire_suppression], count: 2}
incidents:
  plant:
    at: 1h
    region: village-a
    kind: plant_fire
    tasks:
      fight: {kind: suppress, area: 1ha, growth: 0.2/h, needs: {fire_suppression: 2}, work: 1h}
"""
    assert task_value(fire, "time_to_control", thresholds="{P: 30, S: 60, M: 120}") == 20.0  # detected, reported
    # it grew at 20 %/h for the 20 minutes before both engines were on it
    assert task_value(fire, "area_burned", "max", thresholds="{P: 1, S: 2, M: 5}") == round(math.exp(0.2 * 20 / 60), 4)


def test_a_site_fire_never_controlled_counts_until_the_end_in_the_sweep_measure():
    """Without engines the fire burns on: the run's longest time to control is the rest of the run, not empty."""
    from drillsim.sweeps.metrics import record_metrics

    fire = """
teams:
  engine: {name: Engines, kind: fire_rescue, base: county-a, capabilities: [fire_suppression], on_duty: false}
incidents:
  plant:
    at: 1h
    region: village-a
    kind: plant_fire
    tasks:
      fight: {kind: suppress, area: 1ha, growth: 0.2/h, needs: {fire_suppression: 2}, work: 1h}
"""
    ex = Exercise(load_text(scenario_text(fire), "ops.yaml"), 1)
    ex.run()
    m = record_metrics(ex.log.header, [r for r in ex.log.records if r[2] != "log.header"]).metrics
    assert m["time_to_control_max"] == 23 * 60  # from the onset at 1 h to the end at 24 h
    assert m["area_burned"] is not None and m["area_burned"] > 50


def test_dispatch_wait_with_a_warm_up():
    queue = """
teams:
  crew: {name: Crew, kind: professional, base: county-a, capabilities: [rescue]}
generators:
  calls:
    interarrival: 30m
    until: 10h
    regions: {village-a: 1}
    incident: {kind: call, people: 1, needs: [rescue], work: 20m}
"""
    assert task_value(queue, "dispatch_wait", "max", thresholds="{P: 1, S: 5, M: 10}") == 0.0
    busy = queue.replace("work: 20m", "work: 45m")
    waits = task_value(busy, "dispatch_wait", "max", thresholds="{P: 1, S: 5, M: 10}")
    late = task_value(busy, "dispatch_wait", "min", thresholds="{P: 1, S: 5, M: 10}", warm_up="        warm_up: 5h")
    assert waits is not None and late is not None and late > 0 and waits >= late


def test_the_1_3_5_standard_is_measured_part_by_part():
    station = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
  station: {name: Station, kind: community, base: town-a, capabilities: [water_rescue]}
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 4, needs: [water_rescue]}
grassroots:
  stations:
    station: {respond: 2m, arrive: 4m, handle: 6m, extract: 0.5}
"""
    for metric, want in (("first_response_respond", 2.0), ("first_response_arrive", 4.0),
                         ("first_response_handle", 6.0)):
        assert task_value(station, metric, thresholds="{P: 1, S: 3, M: 5}") == want, metric


LEAK = """
teams:
  hazmat: {name: Hazmat team, kind: fire_rescue, base: county-a, capabilities: [hazmat], on_duty: SOON}
  police: {name: Police, kind: police, base: county-a, capabilities: [traffic_control]}
incidents:
  leak:
    at: 30m
    region: village-a
    kind: chemical_leak
    needs: {hazmat: 1}
    work: 1 team-hours
    tasks:
      cordon: {kind: cordon, needs: {traffic_control: 1}, until: {record: hazard.stopped}}
hazards:
  series:
    plume:
      name: Ammonia downwind
      unit: mg/m3
      stop: {record: task.completed, subject: [leak], data: {task: main}}
      decay: 30m
      stations:
        village: {region: village-a, table: [[0h, 0], [6h, 300]]}
      thresholds:
        idlh: {station: village, above: 200}
"""


def test_task_time_and_time_over_a_threshold_follow_the_leak():
    """The leak's own work ends when the team finishes; the plume stays over its limit only if nobody plugs it."""
    from drillsim.sweeps.metrics import record_metrics

    fast, slow = LEAK.replace("SOON", "true"), LEAK.replace("SOON", "false")
    work = task_value(fast, "task_completion_time", "max", scope="{task_kinds: [work]}",
                      thresholds="{P: 60, S: 120, M: 240}")
    assert work is not None and 60.0 < work < 240.0  # travel plus one team-hour, from the onset
    cordon = task_value(fast, "task_completion_time", "max", scope="{task_kinds: [cordon]}",
                        thresholds="{P: 60, S: 120, M: 240}")
    assert cordon is not None and cordon >= work  # lifted when the source stops, after the work ends
    # never plugged: the work is censored at the horizon (24 h minus the 30 min onset)
    assert task_value(slow, "task_completion_time", "max", scope="{task_kinds: [work]}",
                      thresholds="{P: 60, S: 120, M: 240}") == 24 * 60 - 30
    assert task_value(fast, "threshold_exceedance_time", "sum", thresholds="{P: 0, S: 60, M: 120}") == 0.0
    over = task_value(slow, "threshold_exceedance_time", "sum", thresholds="{P: 0, S: 60, M: 120}")
    assert over is not None and over > 600  # crossed at 4 h, held at 300 after 6 h: over until the end

    def world(text: str) -> dict:
        ex = Exercise(load_text(scenario_text(text), "ops.yaml"), 1)
        ex.run()
        return record_metrics(ex.log.header, [r for r in ex.log.records if r[2] != "log.header"]).metrics

    quick, never = world(fast), world(slow)
    assert quick["threshold_minutes"] == 0.0 and never["threshold_minutes"] == over
    assert quick["source_stopped"] is not None and quick["source_stopped"] < 240
    assert never["source_stopped"] == 24 * 60  # still leaking at the end: counted until the end


def test_a_cordon_held_all_along_scores_as_held_while_the_exercise_runs():
    """The live scorecard (scored before the end) counts an open cordon's time at strength so far."""
    from drillsim.scoring import score

    ex = Exercise(load_text(scenario_text(LEAK.replace("SOON", "false") + """
objectives:
  O-1:
    capability: on_scene_security
    text: Test
    tasks:
      t: {text: Test, metric: hold_coverage, statistic: ratio, thresholds: {P: 0.9, S: 0.75, M: 0.5}}
"""), "ops.yaml"), 1)
    ex.advance(600.0)  # still running: the leak is never plugged, the cordon still held
    records = [r for r in ex.log.records if r[2] != "log.header"]
    held = [r for r in records if r[2] == "task.held" and r[5]["full"]]
    assert held and not [r for r in records if r[2] == "task.completed" and r[5]["task"] == "cordon"]
    live = score(ex.log.header, records, until=600.0).task_values()["O-1.t"]
    queued = next(r for r in records if r[2] == "task.queued" and r[5]["task"] == "cordon")
    assert live == pytest.approx((600.0 - held[0][0]) / (600.0 - queued[0]), abs=1e-3)  # not 0
