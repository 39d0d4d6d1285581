"""Joint operations: lines of work shared by teams, joining under way, reinforcement, tie-breaks."""

from __future__ import annotations

from flowworld import kinds

TEAMS = """
teams:
  search: {name: Search, kind: fire_rescue, base: county-a, capabilities: [search_rescue], count: COUNT}
  digger: {name: Digger, kind: professional, base: county-a, capabilities: [heavy_machinery], on_duty: false}
"""

COLLAPSE = """
incidents:
  collapse:
    at: 1h
    region: village-a
    kind: building_collapse
    people: 3
    needs: NEEDS
    work: WORK
"""


def collapse(run_world, count=2, needs="{search_rescue: 2}", work="4 team-hours", extra="", seed=1):
    text = TEAMS.replace("COUNT", str(count)) + COLLAPSE.replace("NEEDS", needs).replace("WORK", work) + extra
    return run_world(text, seed=seed)


def started(recs, subject="collapse"):
    return sorted(r[0] for r in kinds(recs, "rescue.started", subject=subject))


def completed(recs, subject="collapse"):
    (done,) = kinds(recs, "rescue.completed", subject=subject)
    return done


def test_two_teams_on_one_line_finish_in_half_the_time(run_world):
    two = collapse(run_world, count=2)
    one = collapse(run_world, count=1)
    t2, t1 = started(two), started(one)
    assert len(t2) == 2 and t2[0] == t2[1]  # both teams start together
    assert completed(two)[0] - t2[0] == 120.0  # 4 team-hours shared by two teams
    assert completed(one)[0] - t1[0] == 240.0
    assert completed(two)[5]["teams"] == ["search-01", "search-02"]
    # the second place waited in the queue when only one team existed
    assert kinds(one, "rescue.queued")[0][5]["lines"] == {"search_rescue": 2}


def test_a_team_joining_under_way_shortens_what_is_left(run_world):
    late = """
injects:
  send-more:
    at: 2h
    to: [county-hq]
    title: Second team
    message: Send the second team
    effects: [{activate: {teams: [extra]}}]
teams_extra: x
"""
    text = """
teams:
  search: {name: Search, kind: fire_rescue, base: county-a, capabilities: [search_rescue]}
  extra: {name: Extra, kind: fire_rescue, base: county-a, capabilities: [search_rescue], on_duty: false}
""" + COLLAPSE.replace("NEEDS", "{search_rescue: 2}").replace("WORK", "4 team-hours") + late.replace(
        "teams_extra: x\n", "")
    recs = run_world(text)
    first, second = started(recs)
    assert second == 120.0  # activated at 2 h, no travel in the test world
    # 240 team-minutes: (second - first) done alone, the rest by two
    assert completed(recs)[0] == second + (240.0 - (second - first)) / 2


def test_the_scene_asks_for_reinforcement_when_the_work_is_too_slow(run_world):
    recs = collapse(run_world, count=2, needs="{search_rescue: 1}", work="10 team-hours")
    asks = kinds(recs, "task.reinforcement", subject="collapse")
    assert asks and asks[0][5]["wanted"] == 2 and asks[0][5]["line"] == "search_rescue"
    begin = started(recs)
    assert len(begin) == 2 and begin[1] == asks[0][0]  # the idle second team goes at once
    assert completed(recs)[0] - begin[0] < 600.0


def test_the_original_list_form_asks_for_one_team_and_never_for_more(run_world):
    recs = collapse(run_world, count=2, needs="[search_rescue]", work="10 team-hours")
    assert not kinds(recs, "task.reinforcement")
    assert len(started(recs)) == 1
    assert completed(recs)[0] - started(recs)[0] == 600.0


def test_capabilities_work_side_by_side_and_the_slowest_line_decides(run_world):
    recs = collapse(run_world, count=2, needs="{search_rescue: 2, heavy_machinery: 1}", work="2 team-hours",
                    extra="""
injects:
  digger:
    at: 3h
    to: [county-hq]
    title: The excavator is free
    message: Send it
    effects: [{activate: {teams: [digger]}}]
""")
    lines = {r[5].get("line") for r in kinds(recs, "rescue.started")}
    assert lines == {"search_rescue", "heavy_machinery"}
    digger = next(r for r in kinds(recs, "rescue.started") if r[3] == "digger")
    assert digger[0] == 180.0
    assert completed(recs)[0] == 180.0 + 120.0  # machinery alone needs its 2 team-hours from 3 h


def test_equally_near_teams_share_the_work_whatever_order_they_are_listed_in(run_world):
    text = """
teams:
  fire: {name: Fire brigade, kind: fire_rescue, base: county-a, capabilities: [water_rescue]}
  bluesky: {name: Blue Sky, kind: social, base: county-a, capabilities: [water_rescue]}
generators:
  calls:
    rate: 2/h
    until: 20h
    regions: {village-a: 1}
    incident: {kind: flash_flood, people: 1, needs: [water_rescue]}
"""
    recs = run_world(text, seed=4)
    by = {}
    for r in kinds(recs, "team.dispatched"):
        by[r[3]] = by.get(r[3], 0) + 1
    assert by.get("bluesky", 0) >= 5 and by.get("fire", 0) >= 5  # listed second, still worked


def test_the_queue_wait_is_on_every_dispatch(run_world):
    recs = collapse(run_world, count=1, needs="[search_rescue]", work="1h", extra="""
  second:
    at: 1h
    region: village-a
    kind: building_collapse
    people: 1
    needs: [search_rescue]
    work: 1h
""")
    waits = sorted(r[5]["wait"] for r in kinds(recs, "team.dispatched"))
    assert waits == [0.0, 60.0]


def test_an_idle_task_replays_the_checks_it_skipped_to_the_very_float() -> None:
    """A task with no team on scene sleeps until one joins; when it wakes, ``next_check`` is what waking
    at every check would have made it (the same float operations, in the same order)."""
    import random

    import simpy

    from drillsim.flows.operations import skip_idle_checks

    rng = random.Random(7)
    for _ in range(300):
        start = rng.uniform(0.0, 5000.0)
        every = rng.choice([30.0, 7.3, 0.1, 45.5])
        now = start + rng.uniform(0.0, 3000.0)
        env = simpy.Environment(initial_time=start)
        seen: dict[str, float] = {}

        def idle(next_check: float, env: simpy.Environment = env, every: float = every,
                 seen: dict[str, float] = seen):  # the wakes the task used to do, one by one
            while True:
                if env.now >= next_check:
                    next_check = env.now + every
                seen["next_check"] = next_check
                yield env.timeout(max(next_check - env.now, 0.0))

        env.process(idle(start + every))
        env.run(until=now)  # every wake strictly before ``now``
        assert skip_idle_checks(start, start + every, every, now) == seen["next_check"]
