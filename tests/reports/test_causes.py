"""Cause analysis: the phases of the log's own timeline behind a poor rating."""

from drillsim.reports.causes import analyse, rescue_phases
from drillsim.scoring.view import LogView
from tests.logbuild import LogBuilder, one_task, task


def rescue_log() -> LogBuilder:
    b = LogBuilder()
    b.region("cty", "county").region("a", "township", "cty")
    b.team("t1", "fire_rescue", "cty")
    # i1: detected +10, queued +20, dispatched +120 (waiting for a team), on scene +140, done +170
    b.add(0, "incident.occurred", "a", "i1", kind="flood", region="a", people=4)
    b.add(10, "incident.detected", "a", "i1", region="a")
    b.add(30, "rescue.queued", "a", "i1")
    b.add(150, "team.dispatched", "t1", "i1")
    b.add(170, "team.on_scene", "t1", "i1")
    b.add(200, "rescue.completed", "t1", "i1", rescued=1, lost=3)
    b.end(300)
    return b


def test_rescue_phases_and_the_largest_one():
    b = rescue_log()
    view = LogView(b.header(), b.records)
    assert rescue_phases(view, ["i1"]) == {
        "detection": 10,
        "reporting": 20,
        "queue": 120,
        "travel": 20,
        "work": 30,
    }
    res = one_task(
        b, task("people_rescued_ratio", {"P": 0.9, "S": 0.8, "M": 0.5}, statistic="ratio", better="higher")
    )
    text = analyse(view, res)
    assert "waiting for a free team 2h00m (60%)" in text["en"]
    assert "too few free teams" in text["en"] and "等待救援力量" in text["zh"]


def test_reporting_cause_names_the_slow_hop():
    b = LogBuilder()
    b.region("bj", "province").region("cty", "county", "bj").region("t", "township", "cty")
    b.reporting = {"deadlines": {"county": 30.0}, "top": "province"}
    b.add(0, "incident.occurred", "t", "i1", kind="flood", region="t", people=1)
    b.add(5, "incident.detected", "t", "i1", region="t", delay=5)
    b.add(5, "report.sent", "t", "i1", to="cty", level="county")
    b.add(60, "report.received", "cty", "i1", **{"from": "t"}, level="county", latency=55, due=35)
    b.add(60, "report.sent", "cty", "i1", to="bj", level="province")
    b.add(70, "report.received", "bj", "i1", **{"from": "cty"}, level="province", latency=65)
    b.end(100)
    res = one_task(
        b,
        task(
            "report_on_time_ratio",
            {"P": 0.9, "S": 0.8, "M": 0.5},
            statistic="ratio",
            better="higher",
            scope={"levels": ["county"]},
        ),
    )
    assert res.rating == "U"
    text = analyse(LogView(b.header(), b.records), res)
    assert "township → county (mean 55 min over 1 reports)" in text["en"]


def test_reporting_cause_reads_first_reports_only():
    # an update report sent hours later (and held by an outage) is not a slow first report
    b = LogBuilder()
    b.region("bj", "province").region("cty", "county", "bj").region("t", "township", "cty")
    b.reporting = {"deadlines": {"county": 30.0}, "top": "province"}
    b.add(0, "incident.occurred", "t", "i1", kind="flood", region="t", people=1)
    b.add(5, "incident.detected", "t", "i1", region="t", delay=5)
    b.add(5, "report.sent", "t", "i1", to="cty", level="county", type="initial")
    b.add(60, "report.received", "cty", "i1", **{"from": "t"}, level="county", type="initial", latency=55, due=35)
    b.add(60, "report.sent", "cty", "i1", to="bj", level="province", type="initial")
    b.add(70, "report.received", "bj", "i1", **{"from": "cty"}, level="province", type="initial", latency=65)
    b.add(300, "report.sent", "t", "i1", to="cty", level="county", type="update", held=120)
    b.add(310, "report.received", "cty", "i1", **{"from": "t"}, level="county", type="update", latency=10)
    b.add(310, "report.sent", "cty", "i1", to="bj", level="province", type="update")
    b.add(320, "report.received", "bj", "i1", **{"from": "cty"}, level="province", type="update", latency=20)
    b.end(400)
    res = one_task(
        b,
        task(
            "report_on_time_ratio",
            {"P": 0.9, "S": 0.8, "M": 0.5},
            statistic="ratio",
            better="higher",
            scope={"levels": ["county"]},
        ),
    )
    text = analyse(LogView(b.header(), b.records), res)["en"]
    assert "township → county (mean 55 min over 1 reports)" in text
    assert "county → province" not in text and "outages" not in text


def test_reporting_cause_names_an_outage_that_held_the_first_report():
    b = LogBuilder()
    b.region("bj", "province").region("cty", "county", "bj").region("t", "township", "cty")
    b.reporting = {"deadlines": {"county": 30.0}, "top": "province"}
    b.add(0, "incident.occurred", "t", "i1", kind="flood", region="t", people=1)
    b.add(5, "incident.detected", "t", "i1", region="t", delay=5)
    b.add(95, "report.sent", "t", "i1", to="cty", level="county", type="initial", held=90)
    b.add(105, "report.received", "cty", "i1", **{"from": "t"}, level="county", type="initial", latency=100, due=35)
    b.add(105, "report.sent", "cty", "i1", to="bj", level="province", type="initial")
    b.add(125, "report.received", "bj", "i1", **{"from": "cty"}, level="province", type="initial", latency=120)
    b.end(200)
    res = one_task(
        b,
        task(
            "report_on_time_ratio",
            {"P": 0.9, "S": 0.8, "M": 0.5},
            statistic="ratio",
            better="higher",
            scope={"levels": ["county"]},
        ),
    )
    text = analyse(LogView(b.header(), b.records), res)
    assert "township → county (mean 1h40m over 1 reports), mostly reports waiting" in text["en"]
    assert "held 1 of these reports for 1h30m" in text["en"] and "通信中断" in text["zh"]


def test_no_analysis_for_a_task_performed_without_challenges():
    b = rescue_log()
    res = one_task(b, task("people_rescued", {"P": 1, "S": 0, "M": 0}, statistic="sum", better="higher"))
    assert res.rating == "P" and analyse(LogView(b.header(), b.records), res) is None
