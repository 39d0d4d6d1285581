"""Every record kind reads as a sentence in both languages; the feed filter groups kinds sensibly."""

from __future__ import annotations

import pytest

from drillsim.engine import Exercise
from drillsim.scenario import load
from drillsim.tui.describe import describe, family, involves
from drillsim.tui.i18n import Names, clip, duration, pad
from tests.tui.conftest import scenario_file


def full_run():
    ex = Exercise(load(scenario_file("mentougou-flash-flood")), players=["mtg-flood-hq"])
    while not ex.at_end:
        ex.advance(ex.duration)
        for p in ex.pending:
            ex.submit({"kind": "decide", "decision": p.id, "option": p.default})
    ex.submit({"kind": "note", "text": "ok", "objective": "O-1", "rating": "P"})
    ex.finish()
    return ex


def test_every_kind_has_a_sentence_in_both_languages():
    ex = full_run()
    names = Names(ex.log.header)
    kinds = {}
    for rec in ex.log.records[1:]:
        kinds.setdefault(rec[2], rec)
    assert len(kinds) >= 20
    for kind, rec in kinds.items():
        en, zh = describe(rec, names, "en"), describe(rec, names, "zh")
        assert en and zh, kind
        assert kind not in en and kind not in zh, f"{kind} fell back to the raw kind"
    dispatch = kinds["team.dispatched"]
    assert "Mentougou Fire and Rescue" in describe(dispatch, names, "en")
    assert "门头沟消防救援支队" in describe(dispatch, names, "zh")


@pytest.mark.parametrize("scenario", ["rainstorm-2023-07", "border-forest-fire", "earthquake"])
def test_flagship_kinds_read_as_sentences(scenario):
    ex = Exercise(load(scenario))
    ex.run()
    names = Names(ex.log.header)
    kinds = {}
    for rec in ex.log.records[1:]:
        kinds.setdefault(rec[2], rec)
    for kind, rec in kinds.items():
        for lang in ("en", "zh"):
            line = describe(rec, names, lang)
            assert line and kind not in line, f"{kind} fell back to the raw kind: {line}"
        assert family(kind) != "other", kind


def test_every_documented_kind_has_a_describer():
    import re
    from pathlib import Path

    from drillsim.tui.describe import _DESCRIBERS

    doc = (Path(__file__).parents[2] / "docs" / "records.md").read_text()
    rows = re.findall(r"^\| (`[a-z_]+\.[a-z_]+`(?: / `[a-z_]+\.[a-z_]+`)*)", doc, flags=re.M)
    documented = {k for row in rows for k in re.findall(r"`([a-z_]+\.[a-z_]+)`", row)}
    assert len(documented) > 60
    missing = sorted(k for k in documented if k not in _DESCRIBERS)
    assert not missing, missing


def test_unknown_kind_from_a_newer_log_still_reads():
    names = Names({"roster": {"regions": {"r1": {"name": {"en": "Town", "zh": "镇"}}}}})
    rec = (5.0, 9, "drone.launched", "r1", "r2", {"cause": "flood"})
    assert describe(rec, names, "en") == "Town drone launched r2"  # an unknown kind, in words
    assert family("drone.launched") == "other" and family("comms.lost") == "hazard"
    assert family("team.dispatched") == "rescue"


def test_involves_matches_actor_subject_recipients_and_the_agency_region():
    region_of = {"hq": "county"}
    assert involves((0, 1, "inject.delivered", "simcell", "M-1", {"to": ["hq"]}), "hq", region_of)
    assert involves((0, 1, "report.received", "county", "inc-1", {}), "hq", region_of)
    assert not involves((0, 1, "report.received", "town", "inc-1", {}), "hq", region_of)
    assert involves((0, 1, "inject.delivered", "simcell", "M-2", {"to": ["all"]}), "hq", region_of)


def test_cjk_text_is_clipped_and_padded_by_terminal_cells():
    assert clip("门头沟区防汛指挥部", 9) == "门头沟区…"
    assert pad("门头沟", 8) == "门头沟  "
    assert clip("abc", 3) == "abc" and clip("abcd", 3) == "ab…"
    assert duration(95, "en") == "1h35m" and duration(95, "zh") == "1小时35分" and duration(0) == "0m"
