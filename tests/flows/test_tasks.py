"""Tasks beyond rescue: evacuation to shelters, site fires, cordons, deliveries, the generic hazard."""

from __future__ import annotations

from flowworld import kinds

SHELTERS = """
shelters:
  school: {name: School, region: town-a, capacity: 80}
  gym: {name: Gym, region: county-a, capacity: 50}
"""

BUSES = """
teams:
  bus: {name: Bus company, kind: other, base: county-a, capabilities: [transport], carries: 40, count: COUNT}
"""


def evacuation(run_world, people=100, count=1, danger="", on_foot="", seed=1):
    text = BUSES.replace("COUNT", str(count)) + SHELTERS + f"""
incidents:
  levee:
    at: 1h
    region: village-a
    kind: levee_breach
    tasks:
      evacuate:
        kind: evacuate
        people: {people}
        to: [school, gym]
        needs: {{transport: {count}}}
        load: 10m
{on_foot}{danger}
"""
    return run_world(text, seed=seed)


def test_people_move_in_trips_to_the_first_shelter_with_room(run_world):
    recs = evacuation(run_world)
    trips = [(r[3], r[5]["people"], r[5]["shelter"]) for r in kinds(recs, "evacuation.trip")]
    assert trips == [("bus", 40, "school"), ("bus", 40, "school"), ("bus", 20, "gym")]
    (done,) = kinds(recs, "evacuation.completed")
    assert done[5]["evacuated"] == 100 and done[5]["left_behind"] == 0 and done[5]["overflow"] == 0
    assert done[5]["shelters"] == {"school": 80, "gym": 20}
    occupancy = [(r[3], r[5]["occupancy"]) for r in kinds(recs, "shelter.occupancy")]
    assert occupancy[-1] == ("gym", 20)
    # evacuees are never trapped and never at risk of death
    assert all(r[5]["facts"].get("trapped", 0) == 0 for r in kinds(recs, "report.received"))
    assert not kinds(recs, "rescue.queued")


def test_two_buses_finish_sooner(run_world):
    one = kinds(evacuation(run_world, count=1), "evacuation.completed")[0]
    two = kinds(evacuation(run_world, count=2), "evacuation.completed")[0]
    assert two[5]["since_order"] < one[5]["since_order"]


def test_a_full_shelter_overflows_and_says_so(run_world):
    recs = evacuation(run_world, people=170)
    over = kinds(recs, "shelter.overflow")
    assert {r[3] for r in over} == {"gym"} and sum(r[5]["people"] for r in over) == 40
    assert kinds(recs, "evacuation.completed")[0][5]["overflow"] == 40


def test_people_still_there_when_the_danger_comes_are_trapped(run_world):
    # ordered at 80 min; each trip loads for 10 minutes (no travel in the test world): 40 leave at 80, 40 at 90
    danger = "        danger: {after: 15m, trapped: 0.5, needs: [water_rescue]}\n"
    recs = evacuation(run_world, people=100, danger=danger)
    (hit,) = kinds(recs, "evacuation.danger")
    assert hit[5]["left"] == 20 and hit[5]["trapped"] == 10
    trapped = [r for r in kinds(recs, "incident.occurred") if r[5]["kind"] == "left_behind"]
    assert len(trapped) == 1 and trapped[0][5]["people"] == 10
    done = kinds(recs, "evacuation.completed")[0][5]
    assert done["left_behind"] == 20 and done["evacuated"] == 80


def test_people_also_walk_out_on_their_own(run_world):
    recs = evacuation(run_world, people=100, on_foot="        on_foot: 300/h\n")
    walked = sum(r[5]["people"] for r in kinds(recs, "evacuation.trip") if r[5].get("on_foot"))
    bused = sum(r[5]["people"] for r in kinds(recs, "evacuation.trip") if not r[5].get("on_foot"))
    assert walked > 0 and walked + bused == 100


def test_stranded_people_are_not_trapped_and_leave_with_the_evacuation(run_world):
    text = SHELTERS + """
incidents:
  train:
    at: 1h
    region: village-a
    kind: stranded_train
    stranded: 60
    tasks:
      walk-out: {kind: evacuate, to: [school], on_foot: 120/h}
"""
    recs = run_world(text)
    occurred = kinds(recs, "incident.occurred", subject="train")[0]
    assert occurred[5]["stranded"] == 60 and occurred[5]["people"] == 0
    assert kinds(recs, "evacuation.completed")[0][5]["evacuated"] == 60
    assert not kinds(recs, "rescue.queued")


FIRE = """
teams:
  engine: {name: Engines, kind: fire_rescue, base: county-a, capabilities: [fire_suppression], count: 3}
  loader: {name: Loader, kind: professional, base: county-a, capabilities: [earth_cover], on_duty: false}
incidents:
  plant:
    at: 1h
    region: village-a
    kind: plant_fire
    tasks:
      fight:
        kind: suppress
        area: 0.5ha
        growth: 0.5/h
        needs: {fire_suppression: 3, earth_cover: 1}
        work: 1 team-hours
injects:
  loader:
    at: LOADER
    to: [county-hq]
    title: Loader
    message: The loader is free
    effects: [{activate: {teams: [loader]}}]
"""


def test_a_site_fire_grows_until_every_line_is_at_full_strength(run_world):
    early = run_world(FIRE.replace("LOADER", "2h"))
    late = run_world(FIRE.replace("LOADER", "6h"))
    (c_early,) = kinds(early, "suppression.controlled")
    (c_late,) = kinds(late, "suppression.controlled")
    assert c_early[0] == 120.0 and c_late[0] == 360.0  # controlled when the earth covering arrives
    area = {k: kinds(r, "suppression.extinguished")[0][5]["area_ha"] for k, r in (("early", early), ("late", late))}
    assert area["late"] > 5 * area["early"]  # the later control, the more burned
    # the fire is put out one team-hour per line after control (the loader alone on its line)
    assert kinds(early, "suppression.extinguished")[0][0] == 120.0 + 60.0


def test_a_cordon_is_held_for_its_time(run_world):
    text = """
teams:
  police: {name: Traffic police, kind: police, base: county-a, capabilities: [traffic_control], count: 2}
incidents:
  leak:
    at: 1h
    region: village-a
    kind: gas_leak
    tasks:
      cordon: {kind: cordon, needs: {traffic_control: 2}, for: 3h}
"""
    recs = run_world(text)
    (done,) = kinds(recs, "task.completed")
    assert done[5]["kind"] == "cordon" and done[5]["held"] == 180.0 and done[5]["full"] == 180.0
    assert [r[5]["full"] for r in kinds(recs, "task.held")] == [True]
    assert kinds(recs, "incident.closed", subject="leak")


def test_supplies_are_carried_from_the_depot_until_it_runs_out(run_world):
    text = """
teams:
  truck: {name: Truck, kind: other, base: county-a, capabilities: [transport], carries: 60}
materials:
  items: {water: {name: Water, unit: case}}
  depots:
    depot-a: {name: Depot A, region: county-a, stock: {water: 100}, dispatch: 15m}
incidents:
  train:
    at: 1h
    region: village-a
    kind: stranded_train
    stranded: 500
    tasks:
      water: {kind: supply, item: water, quantity: 150, needs: {transport: 1}}
"""
    recs = run_world(text)
    delivered = [r[5]["quantity"] for r in kinds(recs, "supply.delivered")]
    assert delivered == [60.0, 40.0]
    (short,) = kinds(recs, "material.shortfall")
    assert short[5]["short"] == 50.0
    assert kinds(recs, "task.completed")[0][5]["delivered"] == 100.0


def test_a_generic_hazard_crosses_its_threshold_and_orders_an_evacuation(run_world):
    text = SHELTERS + """
hazards:
  series:
    surge:
      name: Storm surge
      unit: m
      step: 10m
      stations:
        gauge: {region: village-a, table: [[0h, 0.5], [6h, 3.5], [12h, 0.5]]}
      thresholds:
        orange:
          station: gauge
          above: 2.0
          effects:
            - incident:
                region: village-a
                kind: surge_threat
                tasks:
                  leave: {kind: evacuate, people: 40, to: [school], on_foot: 200/h}
          clear:
            - {comms_restored: {region: village-a}}
"""
    recs = run_world(text)
    (up,) = kinds(recs, "hazard.threshold")
    assert up[0] == 180.0 and up[5]["value"] == 2.0  # linear from 0.5 at 0 h to 3.5 at 6 h
    (down,) = kinds(recs, "hazard.cleared")
    assert down[0] == 550.0  # exactly 2.0 at 540 is still at the threshold; below it at the next reading
    assert kinds(recs, "evacuation.completed")[0][5]["evacuated"] == 40
    assert len(kinds(recs, "hazard.reading")) == 25  # hourly over 24 h, start and end included


def test_stopping_the_source_makes_the_values_fall_away(run_world):
    text = """
teams:
  hazmat: {name: Hazmat team, kind: fire_rescue, base: county-a, capabilities: [hazmat], on_duty: SOON}
incidents:
  leak:
    at: 30m
    region: village-a
    kind: chemical_leak
    needs: {hazmat: 1}
    work: 1 team-hours
hazards:
  series:
    plume:
      name: Ammonia downwind
      unit: mg/m3
      stop: {record: task.completed, subject: [leak]}
      decay: 30m
      stations:
        village: {region: village-a, table: [[0h, 0], [6h, 300]]}
      thresholds:
        idlh: {station: village, above: 200}
"""
    fast = run_world(text.replace("SOON", "true"))
    slow = run_world(text.replace("SOON", "false"))
    (stopped,) = kinds(fast, "hazard.stopped")
    assert stopped[0] == kinds(fast, "task.completed")[0][0]
    assert not kinds(fast, "hazard.threshold")  # plugged before the village reached 200
    assert kinds(slow, "hazard.threshold") and not kinds(slow, "hazard.stopped")  # nobody to plug it
    last = kinds(fast, "hazard.reading")[-1][5]["values"]["village"]
    assert last < 1.0


def test_a_named_incident_is_created_once_however_many_effects_name_it(run_world):
    text = SHELTERS + """
decisions:
  early:
    at: 1h
    prompt: Move the village early?
    role: county-hq
    time_limit: 30m
    options:
      yes: {label: Move now, effects: [EFFECT]}
      no: {label: Wait}
    default: OPTION
injects:
  late:
    at: 3h
    type: event
    title: The plume reaches the village
    message: The plume reaches the village
    to: [county-hq]
    effects: [EFFECT]
"""
    effect = ("{id: ID, incident: {region: village-a, kind: plume_threat,"
              " tasks: {leave: {kind: evacuate, people: 40, to: [school], on_foot: 100/h}}}}")
    named = run_world(text.replace("EFFECT", effect.replace("ID", "village-move")).replace("OPTION", "yes"))
    occurred = kinds(named, "incident.occurred")
    assert [r[4] for r in occurred] == ["village-move"] and occurred[0][0] == 60.0  # the decision's, once
    assert kinds(named, "evacuation.completed")[0][5]["evacuated"] == 40
    late = run_world(text.replace("EFFECT", effect.replace("ID", "village-move")).replace("OPTION", "no"))
    assert [(r[0], r[4]) for r in kinds(late, "incident.occurred")] == [(180.0, "village-move")]
    unnamed = run_world(text.replace("EFFECT", effect.replace("id: ID, ", "")).replace("OPTION", "yes"))
    assert [r[4] for r in kinds(unnamed, "incident.occurred")] == ["early-1", "late-2"]  # <cause>-<n>
