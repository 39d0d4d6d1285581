"""Graded response on warnings and hazard facts; standing down when quiet; played tasking decisions."""

from flowworld import kinds

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
