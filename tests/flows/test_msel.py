"""MSEL injects driven by simulation state and contingency injects."""

from flowworld import kinds

BASE = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 4, needs: [water_rescue], priority: 1}
response:
  county-hq:
    rules: [{level: IV, when: {fact: people, at_least: 1}, delay: 10m}]
injects:
  after-rescue:
    when: {record: rescue.completed, by: [boat]}
    delay: 5m
    to: [county-hq]
    title: Media asks about the rescue
    message: A reporter calls
  trapped-known:
    when: {fact: trapped, at_least: 4, region: prov-a}
    to: [a-hq]
    title: Province learns of trapped people
    message: Four people trapped in Village A
  no-level-yet:
    at: 1h
    contingency: {unless: {agency: county-hq, level_at_least: IV}, window: 20m}
    to: [county-hq]
    title: The city asks why there is no response yet
    message: Start Level IV now
  level-in-time:
    at: 1h
    contingency: {unless: {record: level.changed, subject: county-hq}, window: 1h}
    to: [county-hq]
    title: Reminder
    message: Not needed if the level was raised
  chained:
    when: {all: [{record: inject.delivered, subject: trapped-known}, {after: 2h}]}
    to: [county-hq]
    title: Two hours in
    message: Status meeting
"""


def delivered(recs):
    return {r[4]: r[0] for r in kinds(recs, "inject.delivered")}


def test_state_triggers_deliver_when_the_log_shows_the_state(run_world):
    d = delivered(run_world(BASE))
    assert d["after-rescue"] == 130.0  # rescue completed at 125, delivered 5 minutes later
    assert d["trapped-known"] == 85.0  # the province learns at 85
    assert d["chained"] == 120.0


def test_contingency_injects_fire_only_without_the_expected_action(run_world):
    recs = run_world(BASE)
    d = delivered(recs)
    assert d["no-level-yet"] == 80.0  # window 60–80 passed with no Level IV (raised at 90)
    assert "level-in-time" not in d
    skipped = kinds(recs, "inject.skipped")
    assert [(r[0], r[4], r[5]["reason"]) for r in skipped] == [(90.0, "level-in-time", "expected_action")]


def test_a_capsize_drives_an_inject(run_world):
    recs = run_world("""
teams:
  boat: {name: Boat, kind: social, base: county-a, capabilities: [water_rescue], members: 10}
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 4, needs: [water_rescue], priority: 1}
rescue:
  dispatch_level: county
  work_time: 45m
  road_factor: 1.0
  mishaps:
    water_rescue: {probability: 1.0, people: 6, kind: rescuer_down, needs: [water_rescue]}
injects:
  capsize:
    when: {record: team.mishap}
    to: [county-hq]
    title: A rescue boat capsized
    message: Six rescuers in the water
""")
    mishap = kinds(recs, "team.mishap")
    assert mishap and mishap[0][5]["people"] == 6 and mishap[0][5]["members_left"] == 4
    assert delivered(recs)["capsize"] == mishap[0][0]
    assert kinds(recs, "incident.occurred", kind="rescuer_down")[0][5]["people"] == 6


def test_a_triggered_inject_names_the_record_that_fired_it(run_world):
    """``cause`` is the seq of the record that made ``when`` true; time-only triggers and schedules have none."""
    recs = run_world(BASE)
    by_seq = {r[1]: r for r in recs}
    got = {r[4]: r[5]["cause"] for r in kinds(recs, "inject.delivered")}
    rescue = by_seq[got["after-rescue"]]  # a record test: that very record
    assert (rescue[2], rescue[3]) == ("rescue.completed", "boat")
    report = by_seq[got["trapped-known"]]  # a state test: the record that made the province know
    assert report[2] == "report.received" and report[0] == 85.0
    assert got["chained"] is None  # all of: a record at 85, then the clock at 2h made it true
    assert got["no-level-yet"] is None  # a contingency opened by its time, not by a record


RIVER = """
rain:
  step: 30m
  regions:
    county-a: {curve: [[0h, 0], [2h, 40], [6h, 0]]}
rivers:
  gauge:
    name: {zh: 测站, en: The gauge}
    region: county-a
    base_flow: 20
    inflow: {county-a: 30}
    response: 1h
"""

QUOTING = """
hazards:
RIVER
injects:
  gate:
    at: 3h
    from: flood-hq
    to: [a-hq]
    title: Gauge report
    message:
      zh: 测站流量{river.gauge.flow}立方米每秒，已处置{incidents.closed}起
      en: "The gauge reads {river.gauge.flow} m³/s; peak so far {river.gauge.max_flow} m³/s"
"""


def test_an_inject_quotes_the_simulated_value_when_it_fires(run_world):
    import textwrap

    recs = run_world(QUOTING.replace("RIVER", textwrap.indent(RIVER.strip("\n"), "  ")))
    inject = kinds(recs, "inject.delivered")[0]
    river = [r for r in kinds(recs, "hazard.river", subject="gauge") if r[0] == inject[0]]
    assert inject[0] == 180.0 and river and river[0][1] < inject[1]  # read after the river's step that minute
    flow = river[0][5]["flow"]
    assert flow > 500  # the rain has raised the river well above its base flow (20)
    assert inject[5]["quoted"]["river.gauge.flow"] == flow
    assert inject[5]["message"]["en"] == (f"The gauge reads {round(flow):,} m³/s; peak so far "
                                          f"{round(river[0][5]['max_flow']):,} m³/s")
    assert inject[5]["message"]["zh"] == f"测站流量{round(flow):,}立方米每秒，已处置0起"
    assert "{" not in inject[5]["message"]["zh"]


def test_an_inject_without_placeholders_is_delivered_as_written(run_world):
    d = kinds(run_world(BASE), "inject.delivered", subject="trapped-known")[0]
    assert d[5]["message"] == {"zh": "Four people trapped in Village A", "en": "Four people trapped in Village A"}
    assert "quoted" not in d[5]


COUNTS = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
incidents:
  stuck: {at: 1h, region: village-a, kind: collapse, people: 4, needs: [heavy_machinery], priority: 1}
  saved: {at: 1h, region: village-a, kind: flash_flood, people: 2, needs: [water_rescue], priority: 1}
injects:
  status:
    at: 5h
    to: [a-hq]
    title: Status
    message: >-
      {incidents.open} incident open, {incidents.closed} closed;
      {people.trapped} still trapped, {people.rescued} rescued
"""


def test_an_inject_quotes_the_world_counts(run_world):
    recs = run_world(COUNTS)
    closed = kinds(recs, "incident.closed")
    assert [r[4] for r in closed] == ["saved"] and closed[0][0] < 300  # nobody can free the collapse
    inject = kinds(recs, "inject.delivered", subject="status")[0]
    assert inject[5]["message"]["en"] == "1 incident open, 1 closed; 4 still trapped, 2 rescued"
    assert inject[5]["quoted"] == {"incidents.open": 1.0, "incidents.closed": 1.0, "people.trapped": 4.0,
                                   "people.rescued": 2.0}
