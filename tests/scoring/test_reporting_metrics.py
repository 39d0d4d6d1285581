"""Reporting metrics on a hand-built log with known answers."""

import pytest

from tests.logbuild import LogBuilder, one_task, task

RATIO = {"P": 0.9, "S": 0.75, "M": 0.5}


def world() -> LogBuilder:
    b = LogBuilder()
    b.region("bj", "province").region("cty", "county", "bj", name="Fangshan")
    b.region("t1", "township", "cty").region("t2", "township", "cty").region("v", "village", "t1")
    b.agency("hq", "cty")
    b.reporting = {"deadlines": {"township": 30.0, "county": 60.0}, "top": "province"}
    # inc1 in village v, detected at 10: township on time (20 <= 40), county late (80 > 70)
    b.add(5, "incident.occurred", "v", "inc1", kind="flood", region="v", people=2)
    b.add(10, "incident.detected", "v", "inc1", region="v", by="reporters", delay=5)
    b.add(
        20,
        "report.received",
        "t1",
        "inc1",
        **{"from": "v"},
        level="township",
        type="initial",
        latency=10,
        due=40,
    )
    b.add(
        80,
        "report.received",
        "cty",
        "inc1",
        **{"from": "t1"},
        level="county",
        type="initial",
        latency=70,
        due=70,
    )
    b.add(
        100,
        "report.received",
        "bj",
        "inc1",
        **{"from": "cty"},
        level="province",
        type="initial",
        latency=90,
        due=None,
    )
    # inc2 in township t2, detected at 100: county on time
    b.add(100, "incident.occurred", "t2", "inc2", kind="flood", region="t2", people=1)
    b.add(100, "incident.detected", "t2", "inc2", region="t2", by="reporters", delay=0)
    b.add(
        120,
        "report.received",
        "cty",
        "inc2",
        **{"from": "t2"},
        level="county",
        type="initial",
        latency=20,
        due=160,
    )
    # inc3 detected at 200: never reaches the county (due 260)
    b.add(200, "incident.occurred", "t2", "inc3", kind="flood", region="t2", people=1)
    b.add(200, "incident.detected", "t2", "inc3", region="t2", by="reporters", delay=0)
    # inc4 detected at 290: county due at 350, after the end at 300
    b.add(290, "incident.occurred", "t2", "inc4", kind="landslide", region="t2", people=1)
    b.add(290, "incident.detected", "t2", "inc4", region="t2", by="reporters", delay=0)
    b.end(300)
    return b


def test_on_time_ratio_counts_late_and_missing_reports():
    res = one_task(
        world(),
        task("report_on_time_ratio", RATIO, statistic="ratio", better="higher", scope={"levels": ["county"]}),
    )
    assert res.value == pytest.approx(1 / 3)
    assert res.rating == "U"
    assert len(res.observations) == 3
    # the evidence names the late and the missing report, worst first
    assert res.summary["en"].startswith("2 of 3 first reports late or missing: ")
    assert "Fangshan" in res.summary["en"] and "missing" in res.summary["en"]
    late = [o for o in res.observations if o.value == 0]
    assert {o.subject for o in late} == {"inc1", "inc3"}
    assert next(o for o in late if o.subject == "inc1").seq == 4


def test_on_time_ratio_count_and_township_level():
    res = one_task(
        world(),
        task(
            "report_on_time_ratio",
            {"P": 3, "S": 2, "M": 1},
            statistic="count",
            better="higher",
            scope={"levels": ["county"]},
        ),
    )
    assert res.value == 1 and res.rating == "M"
    res = one_task(
        world(),
        task(
            "report_on_time_ratio", RATIO, statistic="ratio", better="higher", scope={"levels": ["township"]}
        ),
    )
    assert res.value == 1.0 and res.rating == "P" and res.summary["en"] == "all 1 first reports on time"


def test_on_time_ratio_so_far_ignores_reports_not_yet_due():
    res = one_task(
        world(),
        task("report_on_time_ratio", RATIO, statistic="ratio", better="higher", scope={"levels": ["county"]}),
        until=250,
    )
    assert res.value == 0.5  # inc1 late, inc2 on time; inc3's deadline (260) has not passed
    assert res.rating == "M"


def test_first_report_latency_with_censored_missing_reports():
    res = one_task(
        world(),
        task(
            "first_report_latency",
            {"P": 30, "S": 60, "M": 90},
            statistic="mean",
            scope={"levels": ["county"]},
        ),
    )
    # 70 (inc1), 20 (inc2), missing inc3: 300-200 = 100, missing inc4 at the end: 300-290 = 10
    assert res.value == pytest.approx(50.0)
    assert res.rating == "S"
    assert sum(o.censored for o in res.observations) == 2
    res = one_task(
        world(),
        task(
            "first_report_latency", {"P": 30, "S": 60, "M": 90}, statistic="max", scope={"levels": ["county"]}
        ),
    )
    assert res.value == 100 and res.rating == "U"


def test_first_report_latency_region_and_kind_scope():
    res = one_task(
        world(),
        task(
            "first_report_latency",
            {"P": 30, "S": 60, "M": 90},
            statistic="mean",
            scope={"levels": ["county"], "regions": ["t1"]},
        ),
    )
    assert [o.subject for o in res.observations] == ["inc1"] and res.value == 70
    res = one_task(
        world(),
        task(
            "first_report_latency",
            {"P": 30, "S": 60, "M": 90},
            statistic="mean",
            scope={"incident_kinds": ["landslide"]},
        ),
    )
    assert [o.subject for o in res.observations] == ["inc4", "inc4"]  # county and province, both censored


def test_skipped_level_reports_direct_and_gap():
    b = world()
    b.records.pop()  # drop the end
    b.add(
        250, "report.received", "bj", "inc3", **{"from": "t2"}, level="province", type="initial", latency=50
    )
    b.add(260, "report.received", "cty", "inc2", **{"from": "t2"}, level="county", type="update", direct=True)
    b.end(300)
    res = one_task(b, task("skipped_level_reports", {"P": 0, "S": 1, "M": 2}, statistic="count"))
    assert res.value == 2 and res.rating == "M"
    assert "skipping Fangshan" in res.summary["en"]
    res = one_task(b, task("skipped_level_reports", {"P": 0, "S": 0.1, "M": 0.2}, statistic="ratio"))
    assert res.value == pytest.approx(2 / 6) and res.rating == "U"


def test_not_measured_without_detections():
    b = LogBuilder()
    b.region("c", "county")
    b.end(60)
    res = one_task(b, task("report_on_time_ratio", RATIO, statistic="ratio", better="higher"))
    assert res.value is None and res.rating is None and not res.measured
    assert res.summary["en"].startswith("not measured: ")


def test_updates_and_final_reports_are_not_first_reports():
    b = world()
    b.records.pop()
    # a late update (续报) at the county for inc2 must not replace its on-time first report
    b.add(
        290,
        "report.received",
        "cty",
        "inc2",
        **{"from": "t2"},
        level="county",
        type="update",
        latency=190,
        due=200,
    )
    b.end(300)
    res = one_task(
        b,
        task("report_on_time_ratio", RATIO, statistic="ratio", better="higher", scope={"levels": ["county"]}),
    )
    assert res.value == pytest.approx(1 / 3) and len(res.observations) == 3


# -- follow-ups on a simulated run: the tiny world of the flow tests ---------------------------------

FOLLOW_UPS = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 3, needs: [water_rescue], priority: 1}
reporting:
  reporters: {delay: 10m}
  hop_delay: {default: 10m}
  deadlines: {township: 15m, county: 30m, province: 1h}
  top: province
  updates: {min_interval: 10m, deadline: 15m}
  final: {after: 30m, deadlines: {township: 45m, county: 45m, province: 45m}}
rescue: {dispatch_level: county, work_time: 45m, road_factor: 1.0}
objectives:
  O-report:
    capability: operational_communications
    text: Updates and final reports on time
    tasks:
      follow-ups:
        text: 续报 and 核报 reach each level by their due time
        metric: follow_up_on_time_ratio
        statistic: ratio
        better: higher
        thresholds: {P: 90%, S: 75%, M: 50%}
"""


def _scored(extra: str, inputs=()):
    from drillsim.engine import Exercise
    from drillsim.scenario import load_text
    from drillsim.scoring import score
    from tests.flows.flowworld import scenario_text

    ex = Exercise(load_text(scenario_text(extra), "fixture.yaml"), None)
    ex.run(inputs=inputs)
    return ex.log.records, score(ex.log.header, ex.log.records)


def test_a_late_update_and_a_late_final_report_are_scored_late():
    records, card = _scored(FOLLOW_UPS)
    follow = [r for r in records if r[2] == "report.received" and r[5]["type"] in ("update", "final")]
    # each hop takes 10 min: an update is due 15 min after it is sent, so it reaches the township
    # (10 min) on time and the county (20 min) late; a final report is due 45 min after the incident
    # became stable and is sent after 30 min stable: township (40 min) on time, county (50 min) late
    assert {(r[5]["type"], r[5]["level"]) for r in follow} >= {("update", "township"), ("update", "county"),
                                                              ("final", "township"), ("final", "county")}
    result = card.objectives[0].tasks[0]
    by_item = {(o.seq, o.value) for o in result.observations}
    for r in follow:
        late = r[0] > r[5]["due"] + 1e-6
        assert (r[1], 0.0 if late else 1.0) in by_item
    assert any(o.value == 0.0 for o in result.observations) and any(o.value == 1.0 for o in result.observations)
    late_final = next(o for o in result.observations if o.value == 0.0 and "final" in o.text["en"])
    assert "late" in late_final.text["en"] and "核报迟报" in late_final.text["zh"]
    assert result.value == pytest.approx(sum(o.value for o in result.observations) / len(result.observations))
    assert result.rating != "P"


def test_a_final_report_never_sent_is_missing_once_due():
    records, card = _scored(FOLLOW_UPS.replace("final: {after: 30m,", "final: {after: 23h,"))
    assert not [r for r in records if r[2] == "report.received" and r[5]["type"] == "final"]
    missing = [o for o in card.objectives[0].tasks[0].observations if "no final report" in o.text["en"]]
    # the 23 h stable wait outlasts the 24 h run, so no final report is sent; the incident closed near
    # T+03:00 and its final report was due 45 min later at every level that had the first report
    # (township, county, province): three missing items
    assert len(missing) == 3 and all(o.value == 0.0 and o.seq is None for o in missing)
