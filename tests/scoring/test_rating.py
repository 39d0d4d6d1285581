"""Rating bands, aggregation into objectives and capabilities, the overall score, scorecard.json."""

import json

import pytest

from drillsim.scoring import rating
from tests.logbuild import LogBuilder, task

LOWER = {"P": 10, "S": 20, "M": 30}
HIGHER = {"P": 0.9, "S": 0.75, "M": 0.5}


@pytest.mark.parametrize(
    ("value", "band"),
    [(5, "P"), (10, "P"), (15, "S"), (20, "S"), (25, "M"), (30, "M"), (30.5, "U"), (1e9, "U")],
)
def test_band_lower_is_better(value, band):
    assert rating.band(value, LOWER, "lower") == band


@pytest.mark.parametrize(
    ("value", "band"),
    [(1.0, "P"), (0.9, "P"), (0.8, "S"), (0.75, "S"), (0.6, "M"), (0.5, "M"), (0.49, "U"), (0.0, "U")],
)
def test_band_higher_is_better(value, band):
    assert rating.band(value, HIGHER, "higher") == band


def test_aggregate_rules():
    assert rating.aggregate([("P", 1), ("P", 1)])[:2] == ("P", 100.0)
    assert rating.aggregate([("P", 1), ("S", 1)])[0] == "S"  # 2.5 ties to the worse band
    assert rating.aggregate([("P", 3), ("S", 1)])[0] == "P"
    band, score, _ = rating.aggregate([("P", 3), ("P", 3), ("U", 1)])
    assert band == "M" and score == pytest.approx(50.0)  # a U task caps the band at M and the score at 50
    assert rating.aggregate([("P", 1), (None, 1)]) == ("P", 100.0, 0.5)
    assert rating.aggregate([(None, 1)]) == (None, None, 0.0)
    assert rating.aggregate([("M", 0), ("U", 0)])[0] == "U"  # all weights zero: equal weights


def scored_world() -> LogBuilder:
    """Durations 5 / 15 / 25 / 35 to first team on scene; two incidents rescued of three."""
    b = LogBuilder()
    b.region("cty", "county").region("a", "township", "cty")
    b.agency("hq", "cty")
    b.team("t1", "fire_rescue", "cty")
    for i, (onset, lag) in enumerate([(0, 5), (100, 15), (200, 25), (300, 35)]):
        b.add(onset, "incident.occurred", "a", f"i{i}", kind="flood", region="a", people=2)
        b.add(onset + lag, "team.on_scene", "t1", f"i{i}", region="a")
        b.add(
            onset + lag + 10,
            "rescue.completed",
            "t1",
            f"i{i}",
            rescued=2 if i < 2 else 1,
            lost=0 if i < 2 else 1,
        )
    b.add(
        450,
        "note.added",
        "evaluator",
        "O-rescue",
        text="Teams arrived late at the collapse",
        rating="S",
        objective="O-rescue",
    )
    b.add(460, "note.added", "evaluator", None, text="Good radio discipline", rating=None, objective=None)
    b.end(500)
    return b


def test_each_band_from_one_log():
    b = scored_world()
    b.objective(
        "O-bands",
        {
            "p": task("time_to_first_on_scene", LOWER, statistic="min"),  # 5  → P
            "s": task("time_to_first_on_scene", LOWER, statistic="median"),  # 20 → S
            "m": task("time_to_first_on_scene", LOWER, statistic="p90"),  # p90 of 5, 15, 25, 35 = 32 → U
            "u": task("time_to_first_on_scene", LOWER, statistic="max"),  # 35 → U
            "m2": task("time_to_first_on_scene", LOWER, statistic="mean"),  # 20 → S
            "m3": task("time_to_first_on_scene", LOWER, statistic="last"),  # 35 → U
            "m4": task("time_to_first_on_scene", {"P": 1, "S": 2, "M": 5}, statistic="first"),  # 5 → M
        },
    )
    card = b.score()
    tasks = {t.id: t for t in card.objectives[0].tasks}
    assert {k: (t.value, t.rating) for k, t in tasks.items()} == {
        "p": (5, "P"),
        "s": (20, "S"),
        "m": (pytest.approx(32), "U"),
        "u": (35, "U"),
        "m2": (20, "S"),
        "m3": (35, "U"),
        "m4": (5, "M"),
    }
    # points (3 + 2 + 0 + 0 + 2 + 0 + 1) / 7 = 1.143 → M
    assert card.objectives[0].rating == "M"
    assert card.objectives[0].score == pytest.approx(100 * 8 / 21)


def test_objective_capability_overall_and_notes():
    b = scored_world()
    b.objective(
        "O-rescue",
        {
            "speed": task("time_to_first_on_scene", LOWER, statistic="median"),  # S
            "saved": task("people_rescued_ratio", HIGHER, statistic="ratio", better="higher"),
        },
        capability="mass_search_and_rescue",
        weight=2,
        responsible="hq",
    )
    b.objective(
        "O-comms",
        {"reports": task("report_on_time_ratio", HIGHER, statistic="ratio", better="higher")},
        capability="operational_communications",
    )
    card = b.score()
    rescue, comms = card.objectives
    # speed: median 20 → S (2 points); saved: 6 of 8 = 0.75 → S (2 points) ⇒ S, score 66.7
    assert [t.rating for t in rescue.tasks] == ["S", "S"]
    assert rescue.rating == "S" and rescue.score == pytest.approx(200 / 3)
    assert comms.rating is None and comms.score is None  # nothing to report on: not measured
    assert "not measured" in comms.tasks[0].summary["en"]
    # overall: only measured objectives count; coverage says how much weight that was
    assert card.score == pytest.approx(200 / 3) and card.rating == "S"
    assert card.coverage == pytest.approx(2 / 3)
    assert [c.id for c in card.capabilities] == ["mass_search_and_rescue", "operational_communications"]
    assert (
        rescue.notes[0]["text"] == "Teams arrived late at the collapse" and rescue.notes[0]["rating"] == "S"
    )
    assert [n["text"] for n in card.notes] == ["Good radio discipline"]


def test_scorecard_json_schema_is_stable_and_deterministic():
    b = scored_world()
    b.objective(
        "O-rescue",
        {"speed": task("time_to_first_on_scene", LOWER, statistic="median")},
        capability="mass_search_and_rescue",
    )
    text = b.score().to_json()
    assert text == b.score().to_json()
    doc = json.loads(text)
    assert set(doc) == {
        "format",
        "scenario",
        "seed",
        "replicate",
        "start",
        "horizon",
        "final",
        "score",
        "rating",
        "coverage",
        "objectives",
        "capabilities",
        "notes",
    }
    obj = doc["objectives"][0]
    assert set(obj) == {
        "id",
        "capability",
        "capability_name",
        "text",
        "weight",
        "responsible",
        "rating",
        "score",
        "coverage",
        "tasks",
        "notes",
    }
    t = obj["tasks"][0]
    assert set(t) == {
        "id",
        "text",
        "metric",
        "kind",
        "unit",
        "statistic",
        "better",
        "thresholds",
        "weight",
        "value",
        "rating",
        "measured",
        "n",
        "summary",
        "evidence",
        "omitted",
    }
    assert t["unit"] == "min" and t["n"] == 4 and t["omitted"] == 0
    ev = t["evidence"][0]
    assert {"seq", "t", "kind", "actor", "subject", "value", "text"} <= set(ev)
    assert ev["value"] == 35  # worst first
    assert ev["seq"] is not None and ev["kind"] == "team.on_scene"


def test_score_so_far_matches_a_log_cut_at_that_time():
    b = scored_world()
    b.objective("O", {"speed": task("time_to_first_on_scene", LOWER, statistic="max")})
    early = b.score(until=150)
    assert not early.final and early.horizon == 150
    assert early.objectives[0].tasks[0].value == 15  # i0 5, i1 15; nothing later yet
    cut = [r for r in b.records if r.t <= 150]
    assert (
        early.to_json() == __import__("drillsim.scoring", fromlist=["score"]).score(b.header(), cut, 150).to_json()
    )
    assert b.score().final


def test_every_rating_has_evidence_with_records():
    b = scored_world()
    b.objective(
        "O",
        {
            "speed": task("time_to_first_on_scene", LOWER, statistic="max"),
            "saved": task("people_rescued_ratio", HIGHER, statistic="ratio", better="higher"),
        },
    )
    for t in b.score().objectives[0].tasks:
        assert t.rating is not None
        assert t.summary["en"] and t.summary["zh"]
        assert all(o.seq is not None or o.censored or o.refs for o in t.observations)
        seqs = {r.seq for r in b.records}
        assert {o.seq for o in t.observations if o.seq is not None} <= seqs
