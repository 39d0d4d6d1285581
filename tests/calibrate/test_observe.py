"""What a run shows for a target: the records its selector picks, as an inject's trigger would pick them."""

from __future__ import annotations

from drillsim.calibrate.observe import Probe, observe
from drillsim.scenario.model_triggers import RecordTest

RECORDS = [
    (60.0, 1, "hazard.river", "county-a", "main", {"flow": 800.0}),
    (120.0, 2, "hazard.river", "county-a", "main", {"flow": 1700.0}),
    (180.0, 3, "hazard.river", "county-a", "other", {"flow": 9000.0}),
    (240.0, 4, "hazard.river", "county-a", "main", {"flow": 1200.0}),
    (300.0, 5, "team.arrived", "boat-01", "desk", {}),
    (310.0, 6, "team.arrived", "boat-02", "desk", {}),
]


def probe(pick: str = "first", value: str | None = None, **select) -> Probe:
    return Probe("x", RecordTest(**select), value, pick)


def test_a_time_target_is_the_moment_of_the_count_th_matching_record():
    assert observe(RECORDS, [probe(record="hazard.river", subject=["main"])]) == {"x": 60.0}
    assert observe(RECORDS, [probe(record="hazard.river", subject=["main"], count=2)]) == {"x": 120.0}
    crossing = probe(record="hazard.river", subject=["main"], data={"flow": {"at_least": 1610}})
    assert observe(RECORDS, [crossing]) == {"x": 120.0}
    assert observe(RECORDS, [probe("last", record="hazard.river", subject=["main"])]) == {"x": 240.0}


def test_a_value_target_reads_the_field_and_picks_the_largest():
    crest = probe("max", "flow", record="hazard.river", subject=["main"])
    assert observe(RECORDS, [crest]) == {"x": 1700.0}  # the other river's 9,000 is not this one's


def test_a_count_target_counts_and_a_team_group_matches_its_numbered_copies():
    assert observe(RECORDS, [probe("count", record="team.arrived", by=["boat"])]) == {"x": 2.0}
    assert observe(RECORDS, [probe("count", record="team.arrived", by=["truck"])]) == {"x": 0.0}


def test_a_target_no_record_matches_is_none():
    assert observe(RECORDS, [probe(record="storage.activated")]) == {"x": None}
