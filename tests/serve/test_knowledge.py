"""What a player seat learns, checked record by record against the reporting chain of a three-province fire."""

from __future__ import annotations

import pytest

from drillsim import Exercise, load
from drillsim.serve.knowledge import Knowledge

TOLD = {"report.received", "incident.detected", "rescue.queued", "whistle.called", "team.dispatched",
        "team.on_scene", "rescue.started", "rescue.completed", "team.tasked"}


@pytest.fixture(scope="module")
def fire():
    ex = Exercise(load("border-forest-fire"), keep=True)
    ex.run()
    return ex.log.header, list(ex.log.records)


def learn(header, records, roles):
    k = Knowledge(header, roles, "seat-x", everything=False)
    got = []
    for rec in records:
        got.extend(k.feed(rec))
    return k, got


@pytest.mark.parametrize("roles", [("jz-forest-hq",), ("tj-command",), ("xl-forest-hq", "hb-command"),
                                   ("pg-forest-hq",)])
def test_a_seat_learns_an_incident_only_when_it_reaches_the_seat(fire, roles):
    header, records = fire
    k, got = learn(header, records, roles)
    agencies = header["roster"]["agencies"]
    offices = {agencies[a]["region"] for a in roles}
    assert len(got) < len(records)
    first_told: dict[str, int] = {}
    for rec in records:  # an independent reading of the log: when did the news first reach an office or own team?
        _t, seq, kind, actor, subject, data = rec
        incident = data.get("incident") if kind == "team.tasked" else subject
        if kind not in TOLD or incident is None or incident in first_told:
            continue
        by_office = actor in offices or (kind == "whistle.called" and set(data.get("departments") or ()) & set(roles))
        by_team = (subject if kind == "team.tasked" else actor) in k.teams
        if (by_office and kind not in ("team.dispatched", "team.tasked")) or by_team:
            first_told[incident] = seq
    occurred = [i for i, r in enumerate(got) if r[2] == "incident.occurred"]
    assert {got[i][4] for i in occurred} == set(first_told)
    for i in occurred:
        assert got[i + 1][1] == first_told[got[i][4]]  # released just before the record that told it
    known = set(first_told)
    for rec in got:
        about = rec[4] if rec[2].startswith(("incident.", "rescue.", "report.")) else None
        if about is not None and rec[2] != "report.zero":
            assert about in known, rec
        if rec[2] == "inject.delivered":
            assert set(rec[5]["to"]) & (set(roles) | k.teams | {"all"})
        if rec[2].startswith("decision."):
            assert rec[3] in roles


def test_neighbouring_provinces_learn_different_things(fire):
    header, records = fire
    _, tianjin = learn(header, records, ("tj-command",))
    _, hebei = learn(header, records, ("hb-command",))
    assert {r[1] for r in tianjin} != {r[1] for r in hebei}
    observer = Knowledge(header, (), "obs", everything=True)
    assert [r for rec in records for r in observer.feed(rec)] == [r for r in records if r[2] != "log.header"]


def test_a_player_header_hides_the_msel_decisions_and_scoring(fire):
    header, _ = fire
    k = Knowledge(header, ("jz-forest-hq",), "s", everything=False)
    seat = k.header()
    assert set(header["definition"]) - set(seat["definition"]) >= {"injects", "decisions", "objectives"}
    assert set(seat["roster"]["teams"]) == k.teams and k.teams < set(header["roster"]["teams"])
    assert "jizhou" in k.area and "pinggu" not in k.area and "tianjin" in k.line
    assert Knowledge(header, (), "o", everything=True).header() == dict(header)
