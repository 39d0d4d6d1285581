"""Storage areas (蓄滞洪区): activation only after the evacuation-complete report, or forced at a deadline."""

from flowworld import kinds

AREA = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
storage_areas:
  basin:
    name: {zh: 兰沟洼, en: Langouwa}
    region: town-a
    agency: flood-hq
    evacuating: county-hq
    people: 1000
    evacuation_time: 3h
    report_delay: 30m
    open_delay: 15m
    DEADLINE
injects:
  order:
    at: 1h
    to: [flood-hq]
    title: Prepare the storage area
    message: Evacuate Langouwa
    effects: [{storage: basin}]
"""


def test_gates_open_only_after_the_evacuation_report(run_world):
    recs = run_world(AREA.replace("DEADLINE", ""))
    ordered = kinds(recs, "storage.ordered")
    reported = kinds(recs, "storage.evacuation_reported")
    activated = kinds(recs, "storage.activated")
    assert [(r[0], r[3], r[4]) for r in ordered] == [(60.0, "flood-hq", "basin")]
    assert [(r[0], r[3], r[5]["evacuated"]) for r in reported] == [(270.0, "county-hq", 1000)]
    assert [(r[0], r[5]["forced"], r[5]["evacuated"]) for r in activated] == [(285.0, False, 1000)]


def test_forced_activation_leaves_people_behind(run_world):
    recs = run_world(AREA.replace("DEADLINE", "deadline: 2h\n    left_behind_trapped: 0.03"))
    activated = kinds(recs, "storage.activated")
    # at the 2-hour deadline two thirds have left; 334 remain and 3% of them (10) are trapped
    assert [(r[0], r[5]["forced"], r[5]["evacuated"]) for r in activated] == [(180.0, True, 666)]
    assert kinds(recs, "storage.evacuation_reported") == []
    trapped = kinds(recs, "incident.occurred", kind="storage_trapped")
    assert [(r[0], r[5]["people"]) for r in trapped] == [(180.0, 10)]


def test_river_threshold_orders_the_area(run_world):
    text = (
        AREA.replace("DEADLINE", "").replace("injects:", "injects_unused:").split("injects_unused:")[0]
        + """
hazards:
  rain:
    step: 1h
    regions:
      county-a: {curve: [[0h, 10], [10h, 10]]}
  rivers:
    main:
      name: Main river
      region: county-a
      base_flow: 50
      inflow: {county-a: 100}
      response: 1h
      thresholds:
        - {flow: 900, warning: orange, agency: flood-hq, storage: [basin]}
"""
    )
    recs = run_world(text)
    flows = [(r[0], r[5]["flow"]) for r in kinds(recs, "hazard.river")]
    first = next(t for t, q in flows if q >= 900)
    assert kinds(recs, "storage.ordered")[0][0] == first
    assert kinds(recs, "storage.ordered")[0][5]["cause"] == "main"
    assert kinds(recs, "hazard.warning", level="orange")[0][0] == first


MOVING = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
shelters:
  school: {name: School, region: county-a, capacity: 5000}
storage_areas:
  lowland:
    name: Lowland storage area
    region: town-a
    agency: flood-hq
    people: 3000
    order: {after: 1h}
    evacuate: {to: [school], on_foot: 1000/h}
    report_delay: 30m
    FORCE
    left_behind_trapped: 0.1
"""


def test_people_walk_out_and_the_report_follows_the_last_one(run_world):
    recs = run_world(MOVING.replace("FORCE", ""))
    (done,) = kinds(recs, "evacuation.completed")
    assert done[5]["evacuated"] == 3000 and done[0] == 60.0 + 180.0  # 1,000 an hour from the order
    (rep,) = kinds(recs, "storage.evacuation_reported")
    assert rep[0] == done[0] + 30.0 and rep[5]["evacuated"] == 3000
    assert not kinds(recs, "evacuation.danger")


def test_gates_forced_open_catch_the_people_still_there(run_world):
    recs = run_world(MOVING.replace("FORCE", "force: {after: 2h}"))
    (act,) = kinds(recs, "storage.activated")
    assert act[0] == 120.0 and act[5]["forced"] and act[5]["evacuated"] == 1000
    (hit,) = kinds(recs, "evacuation.danger")
    assert hit[5]["left"] == 2000 and hit[5]["trapped"] == 200
    trapped = [r for r in kinds(recs, "incident.occurred") if r[5]["kind"] == "storage_trapped"]
    assert trapped and trapped[0][5]["people"] == 200



def test_people_walking_to_a_distant_shelter_arrive_later():
    """The walk from the area to a shelter 17 km away takes time at the walking speed (4 km/h by default)."""
    from flowworld import scenario_text

    from drillsim.engine import Exercise
    from drillsim.scenario import load_text

    def done(extra: str) -> float:
        text = scenario_text(extra).replace("level: nation}", "level: nation, location: [116.3, 39.9]}", 1)
        ex = Exercise(load_text(text, "storage.yaml"), 1)
        ex.run()
        (end,) = kinds([r for r in ex.log.records if r[2] != "log.header"], "evacuation.completed")
        assert end[5]["evacuated"] == 3000
        return float(end[0])

    base = MOVING.replace("FORCE", "")
    far = base.replace("capacity: 5000}", "capacity: 5000, location: [116.5, 39.9]}")
    assert done(base.replace("capacity: 5000}", "capacity: 5000, location: [116.3, 39.9]}")) == 240.0
    walked, driven = done(far), done(far.replace("on_foot: 1000/h}", "on_foot: 1000/h, walk_speed: 20km/h}"))
    assert 240.0 < driven < walked
