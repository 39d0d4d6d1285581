"""A whole multi-seat exercise against a real server: every seat's part, then the log and the report.

Control runs the clock and sends an inject, the command group answers its decision and writes to
control, the evaluator observes, control ends it. The log replays byte for byte, the report names
each seat and who took each decision, and no player was sent anything its role could not know.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from drillsim.log import read_log
from tests.serve.harness import Client, Server, controller_runs_to

ROLES = {"command": {"mtg-flood-hq"}, "rescue": {"mtg-emergency"}, "city": {"bj-flood-hq"}}


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """Play the exercise once; return the server (stopped), the clients, and the log."""
    srv = Server(tmp_path_factory.mktemp("session") / "run", "--speed", "3600")

    async def go():
        seats = {k: await Client.join(srv.url, srv.tokens[k]) for k in ("director", "command", "rescue", "city",
                                                                          "eval", "watch")}
        control, command = seats["director"], seats["command"]
        await control.until(lambda: control.status)
        await controller_runs_to(control, lambda: "decision.opened" in command.kinds())
        assert (await command.request({"type": "decide", "decision": "D-01", "option": "request"}))["ok"]
        assert (await command.request({"type": "message", "text": "need two more boats at Zhaitang"}))["ok"]
        assert (await seats["eval"].request({"type": "note", "text": "county HQ asked early", "objective": "O-1",
                                             "rating": "S"}))["ok"]
        assert (await control.request({"type": "inject", "title": "Road to Qingshui cut", "message": "landslide",
                                       "to": ["mtg-emergency"]}))["ok"]
        await controller_runs_to(control, lambda: (control.status or {}).get("now", 0) >= 240)
        assert (await control.request({"type": "end"}))["ok"]
        for c in seats.values():
            await c.until(lambda c=c: c.closed, 30, "the goodbye")
        return seats

    seats = asyncio.run(go())
    code = srv.proc.wait(60)
    return srv, seats, code


def test_the_server_ends_with_the_exercise_and_says_goodbye(played):
    srv, seats, code = played
    assert code == 0
    for client in seats.values():
        assert client.of("bye")[-1]["code"] == "ended"
        assert client.status["ended"] is True
    data = read_log(srv.log)
    assert data.complete and data.records[-1].data["reason"] == "facilitator"


def test_every_seat_input_is_logged_with_its_seat_and_role(played):
    srv, _seats, _ = played
    inputs = [r.data for r in read_log(srv.log).records if r.kind == "input.received"]
    assert [(i["kind"], i["seat"], i.get("role")) for i in inputs] == [
        ("decide", "command", "mtg-flood-hq"), ("message", "command", "mtg-flood-hq"), ("note", "eval", None),
        ("inject", "director", None), ("end", "director", None)]
    made = next(r for r in read_log(srv.log).records if r.kind == "decision.made")
    assert made.data["by"] == "players" and made.data["option"] == "request"
    header = read_log(srv.log).header
    assert header["seats"]["command"] == {"name": {"zh": "指挥组", "en": "Command group"}, "rights": "player",
                                          "roles": ["mtg-flood-hq"]}
    assert "token" not in srv.log.read_text()


def test_the_multi_seat_log_replays_byte_for_byte(played):
    srv, _seats, _ = played
    proc = subprocess.run([sys.executable, "-m", "drillsim.cli", "replay", str(srv.log), "--verify"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK: byte-identical" in proc.stdout


def test_the_report_lists_seats_and_who_took_each_decision(played, tmp_path):
    srv, _seats, _ = played
    proc = subprocess.run([sys.executable, "-m", "drillsim.cli", "report", str(srv.log), "--out", str(tmp_path),
                           "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = (tmp_path / "report-en.md").read_text(encoding="utf-8")
    assert "Seats (drillsim serve)" in report
    assert "| Command group | player | Mentougou Flood Control HQ | 2 |" in report
    assert "| D-01 | Mentougou Flood Control HQ | Request now | Command group |" in report
    assert "need two more boats at Zhaitang" in report


def _seat_areas(header):
    regions = header["roster"]["regions"]
    agencies = header["roster"]["agencies"]

    def below(region):
        out = {region}
        for key, r in regions.items():
            node = r.get("parent")
            while node is not None:
                if node == region:
                    out.add(key)
                    break
                node = regions[node].get("parent")
        return out

    return {seat: set().union(*(below(agencies[a]["region"]) for a in roles)) for seat, roles in ROLES.items()}


def test_a_player_is_sent_only_what_its_role_could_know(played):
    srv, seats, _ = played
    full = read_log(srv.log)
    header = full.header
    areas = _seat_areas(header)
    all_records = [list(r) for r in full.records]
    assert seats["watch"].records == all_records  # an observer sees everything
    for seat, roles in ROLES.items():
        got = seats[seat].records
        office = {header["roster"]["agencies"][a]["region"] for a in roles}
        teams = {k for k, t in header["roster"]["teams"].items() if t["base"] in areas[seat]}
        assert len(got) < len(all_records)
        for i, (_t, _seq, kind, actor, subject, data) in enumerate(got):
            if kind == "inject.delivered":
                assert set(data["to"]) & (roles | teams | {"all"}), (seat, subject)
            if kind.startswith("decision."):
                assert actor in roles
            if kind in ("note.added", "inject.skipped"):
                raise AssertionError(f"{seat} was sent {kind}")
            if kind in ("input.received", "message.sent"):
                assert actor == seat
            if kind == "incident.occurred":
                # released just before the record that told the seat: a report or detection at its office,
                # or its own team sent there
                told = got[i + 1]
                assert told[4] == subject or told[5].get("incident") == subject
                assert told[3] in office or told[3] in teams
            if kind == "report.received":
                assert actor in office
        # the seat's header: no MSEL, no decisions, no scoring, only its own teams
        seat_header = seats[seat].welcome["header"]
        assert not {"injects", "decisions", "objectives", "response_rules"} & set(seat_header["definition"])
        assert set(seat_header["roster"]["teams"]) == teams
    # the inject control sent to mtg-emergency reached the rescue group only
    adhoc = [r for r in all_records if r[2] == "inject.delivered" and r[4].startswith("adhoc")]
    assert adhoc and adhoc[0] in seats["rescue"].records
    assert adhoc[0] not in seats["command"].records and adhoc[0] not in seats["city"].records
    # the city HQ learned of incidents only once reports reached Beijing
    city_incidents = {r[4] for r in seats["city"].records if r[2] == "incident.occurred"}
    reached = {r[4] for r in all_records if r[2] == "report.received" and r[3] == "beijing"}
    assert city_incidents <= reached
    assert {r[4] for r in all_records if r[2] == "incident.occurred"} - city_incidents  # some never reached it
