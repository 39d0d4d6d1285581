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
