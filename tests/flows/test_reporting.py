"""Reporting: 初报 / 续报 / 核报, skip-level and zero reports, outages (fixed delays, exact times)."""

from flowworld import kinds

ONE = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 4, dead: DEAD, needs: [water_rescue],
            priority: 1}
"""


def chain(records, kind):
    return [(r[0], r[3]) for r in kinds(records, "report.received", type=kind)]


def test_initial_update_and_final_reports_climb_the_chain(run_world):
    recs = run_world(
        ONE.replace("DEAD", "0")
        + """
reporting:
  reporters: {delay: 10m}
  hop_delay: {default: 5m}
  deadlines: {township: 15m, county: 30m}
  top: nation
  updates: {min_interval: 30m}
  final: {after: 1h}
"""
    )
    # detected at 70; the initial report climbs one 5-minute hop at a time, due 15m/30m after detection
    assert chain(recs, "initial") == [
        (75.0, "town-a"),
        (80.0, "county-a"),
        (85.0, "prov-a"),
        (90.0, "nation"),
    ]
    dues = [r[5]["due"] for r in kinds(recs, "report.received", type="initial")]
    assert dues == [85.0, 100.0, None, None]
    # the rescue completes at 80 + 45 = 125: the update (续报) carries trapped 0 up the chain
    assert chain(recs, "update") == [
        (130.0, "town-a"),
        (135.0, "county-a"),
        (140.0, "prov-a"),
        (145.0, "nation"),
    ]
    assert kinds(recs, "report.received", type="update")[0][5]["facts"]["trapped"] == 0
    # closed and stable for 1h after the update chain ended (145): the final report (核报) at 205
    assert chain(recs, "final") == [
        (210.0, "town-a"),
        (215.0, "county-a"),
        (220.0, "prov-a"),
        (225.0, "nation"),
    ]


def test_updates_change_what_offices_know(run_world):
    recs = run_world(ONE.replace("DEAD", "0"))
    # nation knew 4 trapped from the initial report; after the update it knows 0
    facts = [r[5]["facts"]["trapped"] for r in kinds(recs, "report.received", actor="nation")]
    assert facts == [4, 0]


def test_updates_are_rate_limited(run_world):
    recs = run_world(
        ONE.replace("DEAD", "0")
        + """
reporting:
  reporters: {delay: 10m}
  hop_delay: {default: 5m}
  top: nation
  updates: {min_interval: 2h}
"""
    )
    # last report left the village at 70; a change at 125 waits until 70 + 120 = 190
    sent = kinds(recs, "report.sent", type="update", actor="village-a")
    assert [r[0] for r in sent] == [190.0]


def test_skip_level_report_when_ten_dead(run_world):
    recs = run_world(
        ONE.replace("DEAD", "12")
        + """
reporting:
  reporters: {delay: 10m}
  hop_delay: {default: 5m}
  top: nation
  direct:
    - {from: county, to: [province, nation], fact: dead_or_missing, at_least: 10, delay: 10m, due: 2h}
"""
    )
    direct = kinds(recs, "report.received", direct=True)
    # the county learns of 12 dead at 80; 10 minutes later it reports to province and ministry at once
    assert [(r[0], r[3]) for r in direct] == [(90.0, "prov-a"), (90.0, "nation")]
    assert all(r[5]["due"] == 200.0 and r[5]["facts"]["dead_or_missing"] == 12 for r in direct)
    assert all(r[5]["from"] == "county-a" for r in direct)


def test_zero_reports_every_interval_once_the_rule_starts(run_world):
    recs = run_world(
        ONE.replace("DEAD", "0")
        + """
  flood-2: {at: 8h, region: village-a, kind: flash_flood, people: 1, needs: [water_rescue]}
response:
  county-hq:
    rules: [{level: IV, when: {fact: people, at_least: 1}, delay: 10m}]
reporting:
  reporters: {delay: 10m}
  hop_delay: {default: 5m}
  top: nation
  zero_report: {level: county, interval: 6h, start: {agency: county-hq, level_at_least: IV}}
"""
    )
    # Level IV at 80 + 10 = 90; zero reports at 90 + 6h, + 12h, + 18h (before the 24h end), each
    # counting incidents new since the last one (flood-2 reaches the county at 8h20m)
    zero = kinds(recs, "report.zero", actor="county-a")
    assert [(r[0], r[5]["day"], r[5]["incidents"]) for r in zero] == [
        (450.0, 1, 0),
        (810.0, 2, 1),
        (1170.0, 3, 0),
    ]
    assert all(r[5]["to"] == "prov-a" for r in zero)


def test_reports_wait_for_communications(run_world):
    recs = run_world(
        ONE.replace("DEAD", "0")
        + """
injects:
  cut:
    at: 0m
    to: [county-hq]
    title: Town A cut off
    message: Base stations down
    effects: [{comms_lost: {region: town-a, for: 2h}}]
"""
    )
    lost = kinds(recs, "comms.lost")
    restored = kinds(recs, "comms.restored")
    assert [(r[0], r[3]) for r in lost] == [(0.0, "town-a")] and [r[0] for r in restored] == [120.0]
    # detected at 70, the village cannot send until 120 (held 50 minutes)
    first = kinds(recs, "report.sent", type="initial")[0]
    assert first[0] == 120.0 and first[5]["held"] == 50.0
    assert chain(recs, "initial")[1] == (130.0, "county-a")


def test_satellite_phone_fallback_limits_the_wait(run_world):
    recs = run_world(
        ONE.replace("DEAD", "0")
        + """
reporting:
  reporters: {delay: 10m}
  hop_delay: {default: 5m}
  top: nation
  comms_fallback: 30m
injects:
  cut:
    at: 0m
    to: [county-hq]
    title: Town A cut off
    message: Base stations down
    effects: [{comms_lost: {region: town-a}}]
"""
    )
    first = kinds(recs, "report.sent", type="initial")[0]
    assert first[0] == 100.0 and first[5]["held"] == 30.0
