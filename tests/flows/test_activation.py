"""Graded response on warnings and hazard facts; standing down when quiet; played tasking decisions."""

from flowworld import kinds, scenario_text

from drillsim.engine import Exercise
from drillsim.scenario import load_text

WARN = """
response:
  county-hq:
    rules:
      - {level: III, when: {fact: warning, at_least: 4}, delay: 30m}
    stand_down: {quiet: 6h, step: 2h, to: IV}
injects:
  red:
    at: 1h
    to: [county-hq]
    title: Red rainstorm warning
    message: Red warning for Province A
    effects: [{warning: {agency: a-hq, region: prov-a, level: red}}]
"""


def test_red_warning_raises_the_level_and_quiet_lowers_it(run_world):
    recs = run_world(WARN)
    warn = kinds(recs, "hazard.warning")
    assert [(r[0], r[3], r[5]["level"], r[5]["region"]) for r in warn] == [(60.0, "a-hq", "red", "prov-a")]
    changes = [(r[0], r[5]["from"], r[5]["to"], r[5]["reason"]) for r in kinds(recs, "level.changed")]
    # raised 30 minutes after the warning reached the county; quiet for 6h after the news (60),
    # one step down (to IV, the floor), checked every 90 minutes
    assert changes[0] == (90.0, None, "III", "rule 0")
    assert len(changes) == 2 and changes[1][1:] == ("III", "IV", "stand_down")
    assert 420.0 <= changes[1][0] <= 520.0


def test_magnitude_and_density_trigger_like_the_national_plan(run_world):
    recs = run_world("""
response:
  a-hq:
    rules:
      - {level: I, when: {all: [{fact: magnitude, at_least: 6.0}, {fact: density, at_least: 500}]}}
      - {level: II, when: {fact: magnitude, at_least: 5.0}}
hazards:
  quakes:
    main:
      at: 10m
      epicentre: [116.0, 40.0]
      region: prov-a
      magnitude: 6.2
      depth: 10km
      density: 800
      detect: 2m
      long_axis: {a: 5.019, b: 1.446, c: 4.136, r0: 24}
      fragility: [[6, 0.0], [9, 0.1]]
      trapped_share: 0.2
      sites: {village-a: {buildings: 0, occupants: 3, location: [116.0, 40.05]}}
      incident: {kind: building_collapse, needs: [search_rescue]}
""")
    assert [(r[0], r[3]) for r in kinds(recs, "incident.detected", by="network")] == [(12.0, "prov-a")]
    lv = kinds(recs, "level.changed", actor="a-hq")
    assert [(r[0], r[5]["to"]) for r in lv] == [(12.0, "I")]


def test_played_desk_decides_each_teams_first_task(run_world):
    recs = run_world(
        """
teams:
  blue: {name: Blue Sky, kind: social, base: county-a, capabilities: [water_rescue], on_duty: false,
         requires_registration: true}
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 3, needs: [water_rescue]}
coordination:
  desks:
    desk: {name: Desk, agency: county-hq, region: county-a, register_time: 10m, activate: {after: 0m}}
  calls:
    c: {desk: desk, teams: [blue], at: 0m, mobilise: 0m}
""",
        players=("county-hq",),
        inputs=[(80.0, {"kind": "decide", "decision": "task-blue-flood-1", "option": "task"})],
    )
    opened = kinds(recs, "decision.opened")
    assert [(r[0], r[4], r[5]["asked"]) for r in opened] == [(80.0, "task-blue-flood-1", "players")]
    assert [(r[0], r[5]["by"]) for r in kinds(recs, "decision.made")] == [(80.0, "players")]
    assert [(r[0], r[4]) for r in kinds(recs, "team.tasked")] == [(80.0, "blue")]


# -- levels cascade down (逐级响应) ---------------------------------------------------------------

CASCADE = """
teams:
  boat: {name: County boat team, kind: fire_rescue, base: county-a, capabilities: [water_rescue], on_duty: false}
incidents:
  flood-1: {at: 2h, region: village-a, kind: flash_flood, people: 4, needs: [water_rescue]}
response:
  county-hq:
    FOLLOWS
    activates:
      II: {teams: [boat]}
injects:
  order:
    at: 1h
    to: [a-hq]
    title: Province-wide Level I
    message: Province A starts its Level I response
    effects: [{raise_level: {agency: a-hq, level: I}}]
"""


def cascade(run_world, follows):
    return run_world(CASCADE.replace("FOLLOWS", follows))


def test_a_county_command_responds_at_the_level_its_plan_maps_the_provinces_order_to(run_world):
    recs = cascade(run_world, "follows: {agency: a-hq, levels: {I: II}, delay: 20m}")
    county = [(r[0], r[5]["from"], r[5]["to"], r[5]["reason"], r[5]["cause"])
              for r in kinds(recs, "level.changed", actor="county-hq")]
    # the province's Level I at 1h reaches the county 20 minutes later, which its plan makes Level II
    assert county == [(80.0, None, "II", "cascade", "a-hq")]
    assert [r[0] for r in kinds(recs, "team.activated", subject="boat")] == [80.0]
    # the boat team it put on duty rescues the four people cut off at 2h
    (closed,) = kinds(recs, "incident.closed", subject="flood-1")
    assert closed[5]["rescued"] == 4


def test_without_a_cascade_the_county_never_responds_and_nobody_is_rescued(run_world):
    recs = cascade(run_world, "rules: []")
    assert not kinds(recs, "level.changed", actor="county-hq")
    assert not kinds(recs, "team.activated", subject="boat")
    assert not kinds(recs, "incident.closed", subject="flood-1")
    assert kinds(recs, "incident.unresolved", subject="flood-1")[0][5]["alive"] == 4


def test_by_default_the_county_takes_the_same_level_at_once(run_world):
    recs = cascade(run_world, "follows: a-hq")
    assert [(r[0], r[5]["to"]) for r in kinds(recs, "level.changed", actor="county-hq")] == [(60.0, "I")]


# -- a scripted raise that a rule already made ---------------------------------------------------


def test_a_scripted_raise_already_in_force_is_logged_as_kept(run_world):
    recs = run_world("""
incidents:
  flood-1: {at: 0m, region: village-a, kind: flash_flood, people: 12, needs: [water_rescue]}
response:
  county-hq:
    rules:
      - {level: III, when: {fact: trapped, at_least: 10}}
injects:
  raise:
    at: 3h
    to: [county-hq]
    title: County raises to Level III
    message: The county starts its Level III response
    effects: [{raise_level: {agency: county-hq, level: III}}]
""")
    changes = kinds(recs, "level.changed", actor="county-hq")
    assert [(r[5]["to"], r[5]["reason"]) for r in changes] == [("III", "rule 0")]
    (kept,) = kinds(recs, "level.kept", actor="county-hq")
    assert kept[0] == 180.0
    assert kept[5] == {"level": "III", "requested": "III", "reason": "rule 0", "since": changes[0][0], "cause": "raise"}


# -- thresholds count per jurisdiction (按省统计) -------------------------------------------------

PER = """
teams:
  national-team: {name: National team, kind: professional, base: nation, capabilities: [water_rescue],
                  on_duty: false}
incidents:
  slide-a: {at: 0m, region: county-a, kind: landslide, dead: 20, missing: 2}
  slide-b: {at: 0m, region: county-b, kind: landslide, dead: 12}
response:
  ministry:
    rules:
      - {level: III, when: {fact: dead_or_missing, at_least: 30PER}}
    activates:
      III: {teams: [national-team]}
"""


def per_run(per):
    """The tiny world with a ministry at the nation (an agency the shared world does not have)."""
    text = scenario_text(PER.replace("PER", per)).replace(
        "agencies:\n", "agencies:\n  ministry: {name: Ministry, region: nation, kind: emergency}\n", 1)
    ex = Exercise(load_text(text, "per.yaml"))
    ex.run()
    return [r for r in ex.log.records if r[2] != "log.header"]


def test_a_national_threshold_counts_within_one_province():
    recs = per_run(", per: province")
    # 22 dead or missing in Province A and 12 in Province B: no province reaches 30
    known = [r[5]["facts"]["dead_or_missing"] for r in kinds(recs, "report.received", actor="nation")]
    assert sorted(known) == [12, 22]
    assert not kinds(recs, "level.changed", actor="ministry")
    assert not kinds(recs, "team.activated", subject="national-team")


def test_summed_over_provinces_the_same_losses_raise_the_ministry():
    recs = per_run("")
    assert [r[5]["to"] for r in kinds(recs, "level.changed", actor="ministry")] == ["III"]
    assert kinds(recs, "team.activated", subject="national-team")


def test_a_relief_response_can_count_people_evacuated(run_world):
    recs = run_world("""
teams:
  bus: {name: Bus company, kind: other, base: county-a, capabilities: [transport], carries: 40}
shelters:
  school: {name: School, region: town-a, capacity: 200}
reporting:
  reporters: {delay: 10m}
  hop_delay: {default: 5m}
  top: nation
  updates: {min_interval: 10m, facts: [trapped, dead, missing, evacuated]}
  final: {enabled: false}
incidents:
  levee:
    at: 1h
    region: village-a
    kind: levee_breach
    tasks:
      evacuate: {kind: evacuate, people: 100, to: [school], needs: {transport: 1}, load: 10m}
response:
  county-hq:
    rules:
      - {level: IV, when: {fact: evacuated, at_least: 60}}
""")
    trips = kinds(recs, "evacuation.trip")
    assert [r[5]["people"] for r in trips] == [40, 40, 20]
    (change,) = kinds(recs, "level.changed", actor="county-hq")
    # the relief response starts when the update that first tells the county of ≥ 60 evacuees arrives
    known = [(r[0], r[5]["facts"].get("evacuated", 0)) for r in kinds(recs, "report.received", actor="county-a")]
    at, count = next((t, n) for t, n in known if n >= 60)
    assert change[0] == at and change[5]["to"] == "IV"
    (triggered,) = kinds(recs, "response.triggered", actor="county-hq")
    assert triggered[5]["facts"] == {"evacuated": count}
