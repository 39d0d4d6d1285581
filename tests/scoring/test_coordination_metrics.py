"""Coordination, hazard, logistics and exercise-control metrics on hand-built logs."""

import pytest

from tests.logbuild import LogBuilder, one_task, task

MIN = {"P": 30, "S": 60, "M": 120}


def forces_world() -> LogBuilder:
    b = LogBuilder()
    b.region("cty", "county").region("a", "township", "cty")
    b.agency("hq", "cty").agency("nb", "cty")
    for t in ("sky-01", "sky-02", "star", "rogue", "far", "quit"):
        b.team(t, "social", "cty", group="sky" if t.startswith("sky") else t, on_duty=False)
    b.team("fire", "fire_rescue", "cty")
    b.add(10, "coordination.activated", "hq", "desk", capacity=1, level="II")
    b.add(20, "team.arrived", "sky-01", "desk", self_deployed=False)
    b.add(20, "team.arrived", "sky-02", "desk", self_deployed=False)
    b.add(25, "team.arrived", "star", "desk", self_deployed=False)
    b.add(25, "team.arrived", "rogue", "desk", self_deployed=True)  # never goes to the desk: left out
    b.add(30, "team.arrived", "far", "desk", self_deployed=False)
    b.add(30, "team.arrived", "quit", "desk", self_deployed=False)
    b.add(35, "team.refused", "desk", "far", reason="invitation_letter", gave_up=False, filing_until=150)
    b.add(35, "team.refused", "desk", "quit", reason="invitation_letter", gave_up=True)  # left out
    b.add(40, "team.registered", "desk", "sky-01", wait=20, pass_code="A1")
    b.add(95, "team.registered", "desk", "sky-02", wait=75, pass_code="A2")
    b.add(60, "team.tasked", "desk", "sky-01", incident="i1", zone="a", capability="water_rescue")
    b.add(150, "team.registered", "desk", "far", wait=120, pass_code="A3")
    b.end(300)
    return b


def test_registration_wait_with_a_team_still_waiting():
    res = one_task(forces_world(), task("registration_wait", MIN, statistic="max"))
    # sky-01 20, sky-02 75, far 120 (refused, then registered), star never registered → 300 - 25 = 275
    assert sorted(o.value for o in res.observations) == [20, 75, 120, 275]
    assert res.rating == "U"
    res = one_task(
        forces_world(), task("registration_wait", MIN, statistic="median", scope={"teams": ["sky"]})
    )
    assert res.value == pytest.approx(47.5) and res.rating == "S"


def test_untasked_registered_teams():
    res = one_task(
        forces_world(), task("untasked_registered_teams", {"P": 0, "S": 1, "M": 2}, statistic="count")
    )
    assert res.value == 2 and res.rating == "M"
    assert res.summary["en"].startswith("2 of 3 registered teams left untasked: sky-02")


def border_world(consult: bool = True) -> LogBuilder:
    b = LogBuilder()
    b.region("bj", "province").region("tj", "province")
    b.agency("bj-hq", "bj").agency("tj-hq", "tj")
    b.add(0, "fire.state", "fire-1", "bj", area_ha=1, burning_cells=2)
    b.add(30, "fire.crossed", "fire-1", "tj", **{"from": "bj"}, to="tj")
    b.add(50, "border.notified", "bj-hq", "tj-hq", hazard="fire-1", delay=20, due=45)
    if consult:
        b.add(90, "border.consulted", "bj-hq", "topic", participants=["bj-hq", "tj-hq"], delay=40)
    b.add(100, "fire.state", "fire-2", "tj", area_ha=3)
    b.add(130, "fire.crossed", "fire-2", "bj", **{"from": "tj"}, to="bj")
    b.add(400, "fire.contained", "fire-1", None, area_ha=120)
    b.end(600)
    return b


def test_border_notification_delay_and_unnotified_crossing():
    res = one_task(border_world(), task("border_notification_delay", MIN, statistic="max"))
    # fire-1: notified with delay 20 (after its deadline); fire-2 crossed at 130, never notified → 470
    assert sorted(o.value for o in res.observations) == [20, 470]
    assert res.rating == "U"
    assert any("after its deadline" in o.text["en"] for o in res.observations)
    res = one_task(
        border_world(), task("border_notification_delay", MIN, statistic="max", scope={"hazards": ["fire-1"]})
    )
    assert res.value == 20 and res.rating == "P"


def test_joint_consultation_held():
    res = one_task(
        border_world(),
        task("joint_consultation_held", {"P": 1, "S": 1, "M": 1}, statistic="count", better="higher"),
    )
    assert res.value == 1 and res.rating == "P"
    res = one_task(
        border_world(False),
        task("joint_consultation_held", {"P": 1, "S": 1, "M": 1}, statistic="count", better="higher"),
    )
    assert res.value == 0 and res.rating == "U"
    assert "without consultation" in res.summary["en"]


def test_time_to_contain():
    res = one_task(border_world(), task("time_to_contain", {"P": 300, "S": 420, "M": 600}, statistic="max"))
    # fire-1: 0 → 400 contained; fire-2: 100 → not contained by 600 → 500 (censored)
    assert sorted(o.value for o in res.observations) == [400, 500]
    assert res.value == 500 and res.rating == "M"


def test_time_to_clear():
    b = LogBuilder()
    b.region("cty", "county").region("a", "township", "cty").region("b", "township", "cty")
    b.add(60, "incident.occurred", "a", "i1", kind="flood", region="a", people=1, source="rain")
    b.add(90, "incident.occurred", "b", "i2", kind="flood", region="b", people=1, source="rain")
    b.add(300, "flood.cleared", "rain", "a")
    b.end(500)
    res = one_task(b, task("time_to_clear", {"P": 240, "S": 300, "M": 400}, statistic="max"))
    # a: 60 → 300 = 240; b: never cleared → 500 - 90 = 410 (censored)
    assert sorted(o.value for o in res.observations) == [240, 410]
    assert res.rating == "U"
    assert one_task(b, task("time_to_clear", {"P": 240, "S": 300, "M": 400}, statistic="min")).rating == "P"


def test_time_to_clear_not_measured_without_flood_records():
    b = LogBuilder()
    b.region("cty", "county")
    b.add(60, "incident.occurred", "cty", "i1", kind="flood", region="cty", people=1, source="rain")
    b.end(500)
    res = one_task(b, task("time_to_clear", {"P": 240, "S": 300, "M": 400}))
    assert not res.measured and "does not model" in res.summary["en"]


def materials_world() -> LogBuilder:
    b = LogBuilder()
    b.region("cty", "county")
    b.agency("hq", "cty")
    b.add(10, "material.requested", "hq", "water", item="water", quantity=100, **{"for": "i1"})
    b.add(20, "material.requested", "hq", "tents", item="tents", quantity=50, **{"for": "i1"})
    b.add(
        70, "material.delivered", "depot", "water", item="water", quantity=100, **{"for": "i1"}, fill_time=60
    )
    b.add(25, "material.shortfall", "depot", "tents", item="tents", quantity=50, **{"for": "i1"}, short=20)
    b.add(200, "material.delivered", "depot", "tents", item="tents", quantity=30, **{"for": "i1"})
    b.add(210, "material.requested", "hq", "food", item="food", quantity=10, **{"for": "i2"})
    b.end(300)
    return b


def test_material_fill_time_and_shortfall():
    res = one_task(
        materials_world(), task("material_fill_time", {"P": 60, "S": 120, "M": 180}, statistic="max")
    )
    # water 60 (logged fill_time), tents 200 - 20 = 180, food open → 300 - 210 = 90 (censored)
    assert sorted(o.value for o in res.observations) == [60, 90, 180]
    assert res.rating == "M"
    res = one_task(materials_world(), task("material_shortfall", {"P": 0, "S": 10, "M": 30}, statistic="sum"))
    assert res.value == 20 and res.rating == "M"
    assert "tents for i1: 20 short" in res.summary["en"]


def decisions_world() -> LogBuilder:
    b = LogBuilder()
    b.region("cty", "county")
    b.agency("hq", "cty")
    b.add(10, "decision.opened", "hq", "D1", asked="players", time_limit=30)
    b.add(22, "decision.made", "hq", "D1", option="a", by="players", delay=12)
    b.add(50, "decision.opened", "hq", "D2", asked="players", time_limit=30)
    b.add(80, "decision.made", "hq", "D2", option="b", by="default", delay=30)
    b.add(90, "decision.opened", "hq", "D3", asked="doctrine", time_limit=30)
    b.add(95, "decision.made", "hq", "D3", option="a", by="doctrine", delay=5)
    b.add(200, "decision.opened", "hq", "D4", asked="players", time_limit=60)
    b.end(220)
    return b


def test_decision_delay_counts_only_people():
    res = one_task(decisions_world(), task("decision_delay", {"P": 10, "S": 15, "M": 30}, statistic="max"))
    # D1 12, D2 timed out 30, D4 still open 20 (censored); D3 was doctrine's
    assert sorted(o.value for o in res.observations) == [12, 20, 30]
    assert res.value == 30 and res.rating == "M"
    assert "the default applied" in res.summary["en"]
    res = one_task(
        decisions_world(),
        task("decision_delay", {"P": 10, "S": 15, "M": 30}, statistic="mean", scope={"decisions": ["D1"]}),
    )
    assert res.value == 12 and res.rating == "S"


def test_decision_delay_not_measured_headless():
    b = LogBuilder()
    b.region("cty", "county")
    b.add(90, "decision.opened", "hq", "D3", asked="doctrine", time_limit=30)
    b.add(95, "decision.made", "hq", "D3", option="a", by="doctrine", delay=5)
    b.end(100)
    res = one_task(b, task("decision_delay", {"P": 10, "S": 15, "M": 30}))
    assert not res.measured and "no role was played" in res.summary["en"]


def injects_world() -> LogBuilder:
    b = LogBuilder()
    b.region("cty", "county")
    b.agency("hq", "cty").agency("eb", "cty")
    b.team("fire-01", "fire_rescue", "cty", group="fire")
    b.injects = {
        "M1": {
            "expects": [{"kind": "level.changed", "by": ["hq"], "within": 30.0, "data": {"to": ["II", "I"]}}]
        },
        "M2": {
            "expects": [
                {"kind": "team.dispatched", "by": ["fire"], "subject": [], "within": 20.0, "data": {}}
            ]
        },
        "M3": {},  # expected_action text only: inferred
        "M4": {},  # nothing expected
        "M5": {"expects": [{"kind": "border.notified", "by": [], "subject": [], "within": None, "data": {}}]},
    }
    b.add(0, "inject.delivered", "simcell", "M1", to=["hq"], title={"en": "Rain", "zh": "雨"})
    b.add(20, "level.changed", "hq", "hq", **{"from": "III"}, to="II", reason="rule 0")
    b.add(100, "inject.delivered", "simcell", "M2", to=["hq"], title={"en": "Flood", "zh": "洪"})
    b.add(130, "team.dispatched", "fire-01", "i1")  # too late: window 20 min
    b.add(
        200,
        "inject.delivered",
        "simcell",
        "M3",
        to=["eb"],
        title={"en": "Train", "zh": "列车"},
        expected_action={"en": "Send supplies", "zh": "送物资"},
    )
    b.add(230, "material.requested", "eb", "water", item="water", quantity=10)
    b.add(300, "inject.delivered", "simcell", "M4", to=["hq"], title={"en": "FYI", "zh": "通报"})
    b.add(400, "inject.delivered", "simcell", "M5", to=["hq"], title={"en": "Fire", "zh": "火"})
    b.end(500)
    return b


def test_injects_answered_ratio():
    res = one_task(
        injects_world(),
        task("injects_answered_ratio", {"P": 0.9, "S": 0.7, "M": 0.5}, statistic="ratio", better="higher"),
    )
    answered = {o.refs[0] if o.value else o.seq: o.value for o in res.observations}
    # M1 answered (level II within 30), M2 not (dispatch after its window), M3 inferred, M5 not (by the end)
    assert len(res.observations) == 4 and sum(answered.values()) == 2
    assert res.value == 0.5 and res.rating == "M"
    assert any("(inferred)" in o.text["en"] for o in res.observations)


def test_injects_answered_so_far_skips_open_windows():
    res = one_task(
        injects_world(),
        task("injects_answered_ratio", {"P": 0.9, "S": 0.7, "M": 0.5}, statistic="ratio", better="higher"),
        until=450,
    )
    # M5 (no window) is still open at T+450: not counted yet
    assert len(res.observations) == 3 and res.value == pytest.approx(2 / 3)


def test_materials_matched_by_request_id():
    b = LogBuilder()
    b.region("cty", "county")
    b.add(0, "material.requested", "desk", "fuel", item="fuel", quantity=10, request="r1", **{"for": "cty"})
    b.add(0, "material.requested", "desk", "fuel", item="fuel", quantity=5, request="r2", **{"for": "cty"})
    # r2 is filled first; r1 comes from two depots, the last at 90
    b.add(
        20,
        "material.delivered",
        "d2",
        "fuel",
        item="fuel",
        quantity=5,
        request="r2",
        fill_time=20,
        **{"for": "cty"},
    )
    b.add(
        40,
        "material.delivered",
        "d1",
        "fuel",
        item="fuel",
        quantity=6,
        request="r1",
        fill_time=40,
        **{"for": "cty"},
    )
    b.add(
        90,
        "material.delivered",
        "d3",
        "fuel",
        item="fuel",
        quantity=4,
        request="r1",
        fill_time=90,
        **{"for": "cty"},
    )
    b.end(100)
    res = one_task(b, task("material_fill_time", {"P": 30, "S": 60, "M": 120}, statistic="max"))
    assert sorted(o.value for o in res.observations) == [20, 90]
    assert res.rating == "M"
