"""Grassroots first response (1-3-5) and the township whistle (吹哨报到)."""

from flowworld import kinds

STATION = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
  station:
    name: {zh: 社区救援站, en: Community rescue station}
    kind: community
    base: town-a
    capabilities: [water_rescue]
  pumps: {name: Pump team, kind: professional, base: county-a, capabilities: [pumping], on_duty: false}
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 4, needs: [water_rescue], priority: 1}
grassroots:
  stations:
    station: {respond: 1m, arrive: 3m, handle: 5m, extract: 0.5 DUTY}
  whistle:
    level: township
    due: 30m
    departments:
      county-hq: {answer: 20m, teams: [pumps]}
"""


def test_station_acts_before_professionals_and_frees_the_lightly_trapped(run_world):
    recs = run_world(STATION.replace(" DUTY", ""))
    disp = kinds(recs, "team.dispatched", actor="station")
    assert [(r[0], r[5]["first_response"], r[5]["eta"]) for r in disp] == [(70.0, True, 74.0)]
    done = kinds(recs, "rescue.completed")
    # the station frees half (2) at 70 + 1 + 3 + 5 = 79; the boat, tasked at 80, frees the other 2
    assert [(r[0], r[3], r[5]["rescued"], r[5].get("partial", False)) for r in done] == [
        (79.0, "station", 2, True),
        (125.0, "boat", 2, False),
    ]
    assert kinds(recs, "incident.closed")[0][5]["rescued"] == 4
    # the partial rescue is news: an update report follows (30 minutes after the initial one left)
    first = kinds(recs, "report.sent", type="update")[0]
    assert first[0] == 100.0 and first[5]["facts"]["trapped"] == 2


def test_off_duty_hours_slow_the_station(run_world):
    # the scenario starts at 00:00; the incident comes at 01:00, outside 08:00–20:00 duty hours
    recs = run_world(STATION.replace(" DUTY", ", duty_hours: [8, 20], off_duty_delay: 30m"))
    disp = kinds(recs, "team.dispatched", actor="station")
    assert disp[0][5]["eta"] == 104.0


def test_whistle_calls_departments_to_the_scene(run_world):
    recs = run_world(STATION.replace(" DUTY", ""))
    called = kinds(recs, "whistle.called")
    assert [(r[0], r[3], r[4], r[5]["departments"], r[5]["due"]) for r in called] == [
        (70.0, "town-a", "flood-1", ["county-hq"], 100.0)
    ]
    answered = kinds(recs, "whistle.answered")
    assert [(r[0], r[3], r[5]["delay"]) for r in answered] == [(90.0, "county-hq", 20.0)]
    assert [(r[0], r[4]) for r in kinds(recs, "team.activated")] == [(90.0, "pumps")]


OTHER_DISTRICT = """
incidents:
  flood-a: {at: 1h, region: county-a, kind: flash_flood, people: 4}
  flood-b: {at: 2h, region: county-b, kind: flash_flood, people: 4}
grassroots:
  whistle:
    level: county
    due: 30m
    departments:
      county-hq: {answer: 20m}
"""


def test_whistle_calls_only_departments_with_jurisdiction(run_world):
    # 街乡吹哨、部门报到: County A's department answers its own county, never County B in another province
    recs = run_world(OTHER_DISTRICT)
    called = kinds(recs, "whistle.called")
    assert [(r[3], r[4], r[5]["departments"]) for r in called] == [("county-a", "flood-a", ["county-hq"])]
    assert [r[4] for r in kinds(recs, "whistle.answered")] == ["flood-a"]


def test_a_station_on_duty_answers_before_one_listed_first_that_is_off_duty(run_world):
    two = STATION.replace(" DUTY", ", duty_hours: [8, 20]").replace("""  pumps:""", """  night:
    name: Night station
    kind: community
    base: town-a
    capabilities: [water_rescue]
  pumps:""").replace("""  whistle:""", """    night: {respond: 2m, arrive: 3m, handle: 5m, extract: 0.5}
  whistle:""")
    recs = run_world(two)
    # "station" is listed first but staffed 08:00-20:00; at 01:00 the 24-hour night station goes
    assert [r[3] for r in kinds(recs, "team.dispatched") if r[5].get("first_response")] == ["night"]
