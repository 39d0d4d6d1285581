"""What a reader finds in the report text: strengths from the evidence, a timeline in sentences, causes."""

from __future__ import annotations

import re

from drillsim.log import LogData
from drillsim.reports.write import build
from drillsim.scoring import score_log
from tests.logbuild import LogBuilder, task


def _log(on_time: int = 4, late: int = 1) -> LogData:
    """First reports to the county, ``on_time`` of them within the 30-minute deadline; a triggered inject."""
    b = LogBuilder()
    b.region("bj", "province", location=[116.4, 39.9], name="Beijing")
    b.region("cty", "county", "bj", location=[116.1, 39.94], name="District")
    b.region("t", "township", "cty", location=[115.9, 40.0], name="Town")
    b.agency("hq", "cty", name="District HQ")
    b.reporting = {"deadlines": {"county": 30.0}, "top": "province"}
    b.injects = {"M-9": {"title": {"en": "Media calls", "zh": "媒体来电"}, "to": ["hq"], "when": {"record": "x"}}}
    b.add(0, "level.changed", "hq", "hq", **{"from": None}, to="IV", reason="initial")
    for i in range(on_time + late):
        inc = f"i{i}"
        t0 = 10.0 * i
        b.add(t0, "incident.occurred", "t", inc, kind="flash_flood", region="t", people=2)
        b.add(t0 + 5, "incident.detected", "t", inc, region="t", by="reporters", delay=5)
        latency = 20 if i < on_time else 50
        b.add(t0 + 5 + latency, "report.received", "cty", inc, **{"from": "t"}, level="county", type="initial",
              latency=latency, due=t0 + 35)
    trigger = b.add(300, "response.triggered", "hq", "II", rule=0, level="II", facts={"trapped": 13.0})
    b.add(330, "level.changed", "hq", "hq", **{"from": "IV"}, to="II", reason="rule 0")
    b.add(331, "inject.delivered", "control", "M-9", to=["hq"], title={"en": "Media calls", "zh": "媒体来电"},
          source="trigger", cause=trigger)
    b.objective("O-1", {"reports": task("report_on_time_ratio", {"P": 0.9, "S": 0.75, "M": 0.5},
                                        statistic="ratio", better="higher", text="First reports on time")},
                capability="operational_communications")
    b.end(600)
    return LogData(b.header(), sorted(b.records, key=lambda r: r.seq), True, False, "memory")


def _markdown(log: LogData, lang: str = "en", form: str = "aar") -> str:
    from drillsim.reports import markdown

    return markdown.render(build(log, score_log(log), lang, form))


def _section(md: str, heading: str) -> str:
    start = md.index(heading)
    nxt = re.search(r"\n#{1,4} ", md[start + len(heading):])
    return md[start: start + len(heading) + (nxt.start() if nxt else len(md))]


def test_strengths_come_from_the_evidence_of_a_task_rated_s():
    log = _log(on_time=4, late=1)  # 80% on time: S, no task rated P
    card = score_log(log)
    assert [t.rating for o in card.objectives for t in o.tasks] == ["S"]
    md = _markdown(log)
    strengths = _section(md, "### Major strengths")
    assert "None identified" not in strengths
    assert "O-1 First reports on time (S): 4 of 5 first reports on time" in strengths
    zh = _section(_markdown(log, "zh"), "### 主要优点")
    assert "5项首报中4项按时" in zh
    lessons = _section(_markdown(log, "zh", "gbt"), "## 五、经验总结")
    assert "5项首报中4项按时" in lessons  # the GB/T form's lessons learned name it too


def test_nothing_went_well_says_so():
    md = _markdown(_log(on_time=0, late=5))  # every first report late: U, nothing to praise
    assert "None identified" in _section(md, "### Major strengths")


def test_the_timeline_reads_as_sentences():
    md = _markdown(_log())
    timeline = _section(md, "## Appendix C: Timeline")
    assert ("| Response trigger met | District HQ: the response rule for Level II is met — people trapped 13 |"
            in timeline)
    assert "District HQ: Level IV → Level II (response rule 1)" in timeline
    assert "{'" not in timeline and "=" not in timeline  # no dict, no key=value dump
    zh = _section(_markdown(_log(), "zh"), "## 附录C:演练时间线")
    assert "| 达到响应启动条件 | District HQ:达到II级响应启动条件——被困人数 13 |" in zh


def test_a_triggered_inject_names_the_record_that_fired_it():
    log = _log()
    trigger = next(r for r in log.records if r.kind == "response.triggered")
    timeline = _section(_markdown(log), "## Appendix C: Timeline")
    assert (f"M-9 “Media calls” to District HQ (triggered); fired by record {trigger.seq}: District HQ: the "
            "response rule for Level II is met — people trapped 13") in timeline
    zh = _section(_markdown(log, "zh"), "## 附录C:演练时间线")
    assert f"由第{trigger.seq}条记录触发" in zh
