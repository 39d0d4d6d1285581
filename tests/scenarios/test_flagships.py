"""The flagship scenarios run headless with a fixed seed and show their signature events."""

import math
from functools import cache
from itertools import pairwise

import pytest

from drillsim.engine import Exercise
from drillsim.log import read_log
from drillsim.scenario import load
from drillsim.scenario.overrides import get_path

FLAGSHIPS = ("rainstorm-2023-07", "border-forest-fire", "earthquake")
METRICS = {
    "first_report_latency",
    "report_on_time_ratio",
    "follow_up_on_time_ratio",
    "skipped_level_reports",
    "time_to_level",
    "trigger_to_activation",
    "registration_wait",
    "untasked_registered_teams",
    "time_to_first_on_scene",
    "rescue_completion_ratio",
    "people_rescued",
    "people_lost",
    "people_rescued_ratio",
    "time_to_contain",
    "time_to_clear",
    "border_notification_delay",
    "joint_consultation_held",
    "material_fill_time",
    "material_shortfall",
    "team_utilisation",
    "decision_delay",
    "injects_answered_ratio",
}


@cache
def records(name):
    ex = Exercise(load(name))
    ex.run()
    return tuple(r for r in ex.log.records if r[2] != "log.header")


def of(recs, kind):
    return [r for r in recs if r[2] == kind]


@pytest.mark.parametrize("name", FLAGSHIPS)
def test_flagship_is_a_complete_exercise(name):
    s = load(name).scenario
    assert s.title.zh and s.title.en
    assert len(s.injects) >= 25 and len(s.decisions) >= 3
    assert all(i.title.zh and i.title.en and i.message.zh and i.message.en for i in s.injects.values())
    assert all(i.source in s.sources for i in s.injects.values())
    tasks = [t for o in s.objectives.values() for t in o.tasks.values()]
    assert tasks and all(t.metric in METRICS for t in tasks)
    assert len(s.parameters) >= 8


@pytest.mark.parametrize("name", FLAGSHIPS)
def test_every_parameter_sweeps_across_its_range(name):
    loaded = load(name)
    for pid, p in loaded.scenario.parameters.items():
        for value in (p.range or ()) or (p.values or ()):
            again = load(name, [(pid, value)])  # validates like a value written in the file
            first = p.path[0]
            assert get_path(again.data, first) == value


@pytest.mark.parametrize("name", FLAGSHIPS)
def test_flagship_log_is_deterministic(name, tmp_path):
    paths = []
    for i in range(2):
        path = tmp_path / f"run{i}.jsonl"
        Exercise(load(name), log_path=path).run()
        paths.append(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    log = read_log(paths[0])
    assert log.complete and not log.torn


def test_rainstorm_signature_events():
    recs = records("rainstorm-2023-07")
    assert len(of(recs, "team.registered")) >= 20
    assert of(recs, "team.tasked") and of(recs, "team.withdrawn") and of(recs, "team.refused")
    reported = {r[4]: r[0] for r in of(recs, "storage.evacuation_reported")}
    activated = [r for r in of(recs, "storage.activated") if not r[5]["forced"]]
    assert len(activated) >= 3
    for r in activated:  # never before the evacuation-complete report of that storage area
        assert r[4] in reported and reported[r[4]] <= r[0]
    assert any(r[5]["to"] == "I" for r in of(recs, "level.changed"))
    # the real warning times drive the Beijing response: Level I at 19:00 (S2)
    bj = [r for r in of(recs, "level.changed") if r[3] == "bj-flood-hq"]
    assert bj[0][0] == 120.0 and bj[0][5]["to"] == "I"
    # the citywide Level I is the districts' Level I (逐级响应), not a day and a half later by their own rules
    for district in ("mtg-flood-hq", "fs-flood-hq"):
        first_i = next(r for r in of(recs, "level.changed") if r[3] == district and r[5]["to"] == "I")
        assert (first_i[0], first_i[5]["reason"], first_i[5]["cause"]) == (120.0, "cascade", "bj-flood-hq")
    # Hebei's relief Level II ordered by M32 was already in force by rule: the log says so
    kept = [r for r in of(recs, "level.kept") if r[5]["cause"] == "M32"]
    assert kept and kept[0][5]["level"] == "II" and kept[0][5]["reason"].startswith("rule")
    assert of(recs, "comms.lost") and of(recs, "road.cut") and of(recs, "hazard.river")
    assert any(r[5]["direct"] for r in of(recs, "report.received") if "direct" in r[5])
    assert of(recs, "report.zero") and of(recs, "whistle.called") and of(recs, "border.support_arrived")
    # the train is stranded, not trapped: the armed police walk all 1,000 out to Fengtai (S24: by 08-02 08:32)
    k396 = [r for r in of(recs, "evacuation.completed") if r[4] == "k396"]
    assert k396 and k396[0][5]["evacuated"] == 1000 and k396[0][5]["left_behind"] == 0
    assert not [r for r in of(recs, "rescue.completed") if r[4] == "k396"]


# Sourced activation times of the storage areas in July-August 2023 (shared/domain/facts.md).
STORAGE_OPENED = {"langouwa": "2023-07-31T23:30", "dongdian": "2023-08-01T02:00",
                  "xianxian": "2023-08-01T11:00", "yongding-fanqu": "2023-08-02T06:00"}


def test_rainstorm_storage_areas_open_near_their_real_times():
    """Over six seeds each storage area opens within 4 h of the real time, 2 h on average."""
    import datetime as dt

    loaded = load("rainstorm-2023-07")
    start = loaded.scenario.start
    errors: dict[str, list[float]] = {k: [] for k in STORAGE_OPENED}
    for seed in range(1, 7):
        ex = Exercise(loaded, seed=seed, keep=True)
        ex.run()
        for r in ex.log.records:
            if r[2] == "storage.activated" and r[4] in STORAGE_OPENED:
                real = dt.datetime.fromisoformat(STORAGE_OPENED[r[4]]).replace(tzinfo=start.tzinfo)
                errors[r[4]].append((start + dt.timedelta(minutes=r[0]) - real).total_seconds() / 3600)
    for area, hours in errors.items():
        assert len(hours) == 6, area
        assert max(abs(h) for h in hours) <= 4, (area, hours)
        assert sum(abs(h) for h in hours) / 6 <= 2, (area, hours)


def test_fire_crosses_the_border_and_a_notification_follows():
    recs = records("border-forest-fire")
    scenario = load("border-forest-fire").scenario
    centres = scenario.cross_region.centres
    crossings = [r for r in of(recs, "fire.crossed") if r[5]["province_from"] != r[5]["province_to"]]
    assert crossings
    due = scenario.cross_region.border_fire.due
    for c in crossings:
        src, dst = centres[c[5]["province_from"]], centres[c[5]["province_to"]]
        notices = [r for r in of(recs, "border.notified") if r[3] == src and r[4] == dst]
        assert notices and notices[0][0] <= c[0] + due
    assert of(recs, "border.consulted") and of(recs, "fire.contained") and of(recs, "fire.extinguished")
    assert max(r[5]["area_ha"] for r in of(recs, "fire.state")) >= 100


def test_beijing_classes_the_border_fire_by_its_whole_area():
    """A trainer's reading: the fire starts 300 m from the line, so it is reported at once and notified
    within 30 min of ignition; once the fire (mostly in Jizhou) passes 100 ha, Beijing's side sends the
    ≥ 100 ha skip-level report and the city rises to Level II, though only a few hectares burn in Pinggu."""
    recs = records("border-forest-fire")
    states = of(recs, "fire.state")
    assert max(r[5]["regions"]["jinhaihu"] for r in states) < 20
    first = of(recs, "report.received")[0][0]
    immediate = [r for r in of(recs, "report.received") if r[5].get("direct") and r[5]["from"] == "pinggu"]
    assert [r[3] for r in immediate[:2]] == ["beijing", "nation"] and immediate[0][5]["facts"]["border_fire"] == 1
    assert immediate[0][0] <= first + 30
    notices = [r for r in of(recs, "border.notified") if r[3] == "bj-command"]
    assert notices and all(r[5]["due"] == 30.0 and r[0] <= 30.0 for r in notices)
    big = next(r[0] for r in states if r[5]["area_ha"] >= 100)
    assert any(r[5]["facts"].get("area_ha", 0) >= 100 for r in immediate if r[0] >= big)
    bj = [(r[0], r[5]["to"], r[5]["reason"]) for r in of(recs, "level.changed") if r[3] == "bj-forest-hq"]
    assert ("II", "rule 1") in [(to, why) for _, to, why in bj]
    assert next(t for t, to, _ in bj if to == "II") >= big


@cache
def tangshan_points():
    """The bundled earthquake's survival curve (E11, each day's figure at mid-day: day averages)."""
    curve = load("earthquake").scenario.rescue.survival["tangshan"].curve
    assert curve is not None and curve[1] == (720.0, 0.81)  # day 1's 81 % stands at 12 h
    return [(0.0, 1.0), *curve]


def tangshan(t):
    pts = tangshan_points()
    for (t0, s0), (t1, s1) in pairwise(pts):
        if t <= t1:
            return s0 + (s1 - s0) * (t - t0) / (t1 - t0)
    return pts[-1][1]


def survival_z(recs):
    """(z, variance) of the rescued alive against the Tangshan curve at each extraction's wait."""
    people = {r[4]: r[5]["people"] for r in of(recs, "incident.occurred") if r[5]["kind"] == "building_collapse"}
    partial = {r[4] for r in of(recs, "rescue.completed") if r[5].get("partial")}
    obs = exp = var = 0.0
    for r in of(recs, "rescue.completed"):
        if r[4] not in people or r[4] in partial:
            continue
        p = tangshan(r[5]["waited"])
        n = people[r[4]]
        obs += r[5]["rescued"]
        exp += n * p
        var += n * p * (1 - p)
    return (obs - exp) / math.sqrt(var), var


def test_earthquake_signature_events():
    recs = records("earthquake")
    z, var = survival_z(recs)
    assert var > 3 and abs(z) < 3.0  # within sampling error
    assert any(r[5]["to"] == "I" for r in of(recs, "level.changed") if r[3] == "bj-quake-hq")
    assert of(recs, "team.registered") and of(recs, "quake.aftershock") and of(recs, "border.support_arrived")
    assert any(r[5]["kind"] == "sand_mud_flow" for r in of(recs, "incident.occurred"))


def test_earthquake_survival_follows_the_tangshan_curve_over_days():
    # few rescuers and many buried: waits stretch over days, where the curve falls fastest
    few = [(f"teams.{t}.count", 1) for t in ("dx-fire", "bj-usar-1", "bj-usar-2", "armed-police", "ga-fire",
                                              "hb-usar", "lf-fire", "tj-usar", "social-usar-bj", "social-usar-hb")]
    few += [("trapped-share", 0.4), ("hazards.quakes.main.secondary.sand-mud.probability", 0.0)]
    waits, zs = [], []
    for seed in (1, 2, 3):
        ex = Exercise(load("earthquake", few), seed)
        ex.run()
        recs = [r for r in ex.log.records if r[2] != "log.header"]
        z, _ = survival_z(recs)
        zs.append(z)
        waits += [r[5]["waited"] for r in of(recs, "rescue.completed") if not r[5].get("partial")]
    assert max(waits) > 2 * 1440  # the curve is probed beyond day 2
    assert all(abs(z) < 3.0 for z in zs)
