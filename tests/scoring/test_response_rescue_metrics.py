"""Response, rescue and team metrics on hand-built logs with known answers."""

import pytest

from tests.logbuild import LogBuilder, one_task, task

MIN = {"P": 30, "S": 60, "M": 120}


def response_world() -> LogBuilder:
    b = LogBuilder()
    b.region("city", "city").region("cty", "county", "city").region("t", "township", "cty")
    b.agency("city-hq", "city").agency("cty-hq", "cty").agency("other", "cty")
    b.add(0, "level.changed", "city-hq", "city-hq", **{"from": None}, to="IV", reason="initial")
    b.add(100, "incident.occurred", "t", "i1", kind="flood", region="t", people=12)
    b.add(110, "incident.detected", "t", "i1", region="t", by="reporters", delay=10)
    b.add(130, "report.received", "cty", "i1", **{"from": "t"}, level="county", type="initial", latency=20)
    b.add(130, "response.triggered", "cty-hq", "II", rule=0, level="II", facts={"trapped": 12})
    b.add(175, "level.changed", "cty-hq", "cty-hq", **{"from": None}, to="II", reason="rule 0")
    b.add(200, "report.received", "city", "i1", **{"from": "cty"}, level="city", type="initial", latency=90)
    b.add(200, "response.triggered", "city-hq", "III", rule=0, level="III", facts={})
    b.add(300, "level.changed", "city-hq", "city-hq", **{"from": "IV"}, to="I", reason="effect")
    b.end(400)
    return b


def test_time_to_level_from_first_knowledge():
    res = one_task(response_world(), task("time_to_level", MIN, statistic="max", level="II"))
    # cty-hq: first heard at 130, level II at 175 → 45; city-hq: heard at 200, level I (>= II) at 300 → 100
    assert sorted(o.value for o in res.observations) == [45, 100]
    assert res.value == 100 and res.rating == "M"
    res = one_task(
        response_world(),
        task("time_to_level", MIN, statistic="first", level="II", scope={"agencies": ["cty-hq"]}),
    )
    assert res.value == 45 and res.rating == "S"


def test_time_to_level_initial_level_counts_zero_and_named_agency_censored():
    res = one_task(
        response_world(),
        task("time_to_level", MIN, statistic="max", level="IV", scope={"agencies": ["city-hq", "other"]}),
    )
    values = {o.subject if o.seq is None else o.actor: o.value for o in res.observations}
    assert values["city-hq"] == 0  # held IV before any report
    assert values["other"] == 270  # never raised: its office (cty) first heard at 130, horizon 400
    assert res.rating == "U"
    assert "had not reached Level IV" in res.summary["en"]


def test_trigger_to_activation():
    res = one_task(response_world(), task("trigger_to_activation", MIN, statistic="mean"))
    assert [o.value for o in res.observations] == [45, 100]
    assert res.value == pytest.approx(72.5) and res.rating == "M"
    assert res.observations[0].refs == (5,)  # the response.triggered record


def rescue_world() -> LogBuilder:
    b = LogBuilder()
    b.region("cty", "county").region("a", "township", "cty").region("b", "township", "cty")
    b.team("fire-01", "fire_rescue", "cty", group="fire")
    b.team("sky", "social", "cty", on_duty=False)
    # i1: 4 people, fire on scene after 40, 3 rescued 1 lost
    b.add(0, "incident.occurred", "a", "i1", kind="flood", region="a", people=4)
    b.add(10, "team.dispatched", "fire-01", "i1", region="a")
    b.add(40, "team.on_scene", "fire-01", "i1", region="a")
    b.add(40, "rescue.started", "fire-01", "i1", people=4)
    b.add(100, "rescue.completed", "fire-01", "i1", rescued=3, lost=1)
    b.add(100, "incident.closed", "a", "i1", rescued=3, lost=1, team="fire-01")
    b.add(100, "team.returning", "fire-01", "cty")
    b.add(130, "team.returned", "fire-01", "cty")
    # i2: 6 people, social team activated at 200, on scene at 260 (i2 began at 150 → 110), all rescued
    b.add(150, "incident.occurred", "b", "i2", kind="collapse", region="b", people=6)
    b.add(200, "team.activated", "hq", "sky", kind="social")
    b.add(200, "team.dispatched", "sky", "i2", region="b")
    b.add(260, "team.on_scene", "sky", "i2", region="b")
    b.add(260, "rescue.started", "sky", "i2", people=6)
    b.add(300, "rescue.completed", "sky", "i2", rescued=6, lost=0)
    # i3: 10 people at 300, nobody comes; 4 still alive at the end (400)
    b.add(300, "incident.occurred", "a", "i3", kind="flood", region="a", people=10)
    b.add(310, "incident.occurred", "a", "i4", kind="flood", region="a", people=0)  # no rescue needed
    b.add(400, "incident.unresolved", "a", "i3", state="queued", people=10, alive=4, team=None)
    b.end(400)
    return b


def test_time_to_first_on_scene_and_team_scope():
    res = one_task(rescue_world(), task("time_to_first_on_scene", MIN, statistic="mean"))
    # i1: 40, i2: 110, i3: none → censored 400 - 300 = 100
    assert [o.value for o in res.observations] == [40, 110, 100]
    assert res.value == pytest.approx(250 / 3) and res.rating == "M"
    res = one_task(
        rescue_world(),
        task("time_to_first_on_scene", MIN, statistic="median", scope={"team_kinds": ["fire_rescue"]}),
    )
    # only the fire team counts: i1 40; i2 and i3 censored (250, 100)
    assert res.value == 100 and res.rating == "M"


def test_rescue_outcomes():
    b = rescue_world()
    res = one_task(
        b, task("rescue_completion_ratio", {"P": 0.9, "S": 0.6, "M": 0.3}, statistic="ratio", better="higher")
    )
    assert res.value == pytest.approx(2 / 3) and res.rating == "S"
    res = one_task(b, task("people_rescued", {"P": 15, "S": 10, "M": 5}, statistic="sum", better="higher"))
    assert res.value == 9 and res.rating == "M"
    res = one_task(b, task("people_lost", {"P": 0, "S": 2, "M": 5}, statistic="sum"))
    assert res.value == 7 and res.rating == "U"  # 1 in i1 + 6 of 10 in i3 died waiting
    res = one_task(
        b, task("people_rescued_ratio", {"P": 0.9, "S": 0.6, "M": 0.4}, statistic="ratio", better="higher")
    )
    assert res.value == pytest.approx(9 / 20) and res.rating == "M"
    res = one_task(
        b, task("people_rescued_ratio", {"P": 0.9, "S": 0.6, "M": 0.4}, statistic="mean", better="higher")
    )
    assert res.value == pytest.approx((0.75 + 1 + 0) / 3)


def test_rescue_so_far_only_known_outcomes():
    res = one_task(
        rescue_world(),
        task("people_rescued_ratio", {"P": 0.9, "S": 0.6, "M": 0.4}, statistic="ratio", better="higher"),
        until=200,
    )
    assert res.value == 0.75 and len(res.observations) == 1  # only i1 has an outcome by T+200
    res = one_task(
        rescue_world(),
        task("rescue_completion_ratio", {"P": 0.9, "S": 0.6, "M": 0.3}, statistic="ratio", better="higher"),
        until=200,
    )
    assert res.value == 0.5


def test_team_utilisation():
    res = one_task(
        rescue_world(),
        task("team_utilisation", {"P": 0.5, "S": 0.3, "M": 0.1}, statistic="mean", better="higher"),
    )
    by_team = {o.subject: o.value for o in res.observations}
    # fire-01 on duty 0..400, busy 10..100 (travel + work) = 90 → 0.225
    # sky on duty from activation 200..400, busy 200..300 = 100 → 0.5
    assert sorted(o.value for o in res.observations) == [pytest.approx(0.225), pytest.approx(0.5)]
    assert res.value == pytest.approx(0.3625) and res.rating == "S"
    assert by_team == {"fire-01": pytest.approx(0.225), "sky": pytest.approx(0.5)}


# -- on simulated runs of the flow tests' tiny world -----------------------------------------------

def _scored(extra: str, inputs=()):
    from drillsim.engine import Exercise
    from drillsim.scenario import load_text
    from drillsim.scoring import score
    from tests.flows.flowworld import scenario_text

    ex = Exercise(load_text(scenario_text(extra), "fixture.yaml"), None)
    ex.run(inputs=inputs)
    return ex.log.records, score(ex.log.header, ex.log.records)


WARNED = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
incidents:
  flood-1: {at: 5h, region: village-a, kind: flash_flood, people: 2, needs: [water_rescue], priority: 1}
response:
  county-hq:
    rules: [{level: IV, when: {fact: warning, at_least: 4}, delay: 30m}]
injects:
  red:
    at: 1h
    from: flood-hq
    to: [county-hq]
    title: Red flash-flood warning
    message: Red warning for County A
    capability: public_information_and_warning
    effects: [{warning: {agency: flood-hq, region: county-a, level: red, hazard: flood}}]
objectives:
  O-level:
    capability: operational_coordination
    text: Level IV in time
    tasks:
      level:
        text: County A reaches Level IV
        metric: time_to_level
        level: IV
        scope: {agencies: [county-hq]}
        statistic: max
        thresholds: {P: 10m, S: 20m, M: 40m}
"""


def test_time_to_level_runs_from_the_warning_that_called_for_it():
    records, card = _scored(WARNED)
    trig = next(r for r in records if r[2] == "response.triggered")
    change = next(r for r in records if r[2] == "level.changed" and r[3] == "county-hq")
    first_incident = next(r for r in records if r[2] == "incident.occurred")
    assert trig[0] == 60.0 and change[0] == 90.0 and first_incident[0] == 300.0  # the level came before any incident
    result = card.objectives[0].tasks[0]
    (obs,) = result.observations
    assert obs.value == 30.0 and obs.refs == (trig[1],)  # not 0 min: from the rule the warning fired
    assert result.rating == "M"
    assert "after its trigger fired (T+01:00)" in obs.text["en"]


RESCUE = """
teams:
  boat: {name: Boat, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
incidents:
  flood-1: {at: 1h, region: village-a, kind: flash_flood, people: 4, needs: [water_rescue], priority: 1,
            work: {water_rescue: 8h}}
objectives:
  O-rescue:
    capability: mass_search_and_rescue
    text: People rescued
    tasks:
      share:
        text: Share rescued alive
        metric: people_rescued_ratio
        statistic: ratio
        better: higher
        thresholds: {P: 90%, S: 70%, M: 50%}
      done:
        text: Rescues completed
        metric: rescue_completion_ratio
        statistic: ratio
        better: higher
        thresholds: {P: 90%, S: 70%, M: 50%}
"""


def test_an_exercise_ended_early_censors_rescues_in_progress():
    records, card = _scored(RESCUE, inputs=[(180.0, {"kind": "end", "reason": "time-box"})])
    ended = next(r for r in records if r[2] == "exercise.ended")
    assert ended[0] == 180.0 and ended[5]["reason"] == "time-box"
    assert [r for r in records if r[2] == "rescue.started"]  # the boat is working when the table stops
    share, done = card.objectives[0].tasks
    for result in (share, done):
        (obs,) = result.observations
        assert obs.censored and obs.weight == 0.0
        assert "still in progress when the exercise ended early" in obs.text["en"]
        assert result.value is None and result.rating != "U"  # not measured, not U 0 %
        assert "censored" in result.summary["en"]


def test_a_full_length_exercise_still_fails_a_rescue_it_never_finished():
    records, card = _scored(RESCUE.replace("water_rescue: 8h", "water_rescue: 30h"))
    assert next(r for r in records if r[2] == "exercise.ended")[5]["reason"] == "duration"
    share, done = card.objectives[0].tasks
    assert share.value == 0.0 and done.value == 0.0 and share.rating == "U"
    assert not any(o.censored and o.weight == 0.0 for o in share.observations)
