"""The server's parts on their own: protocol models, the seats file, tokens, rate limits, authorisation."""

from __future__ import annotations

import hmac
import json
import stat

import pytest

from drillsim.errors import InputError
from drillsim.serve import seats as seats_module
from drillsim.serve.authz import Refused, authorize
from drillsim.serve.limits import Backoff, Bucket
from drillsim.serve.protocol import (
    MAX_TEXT,
    Decide,
    ProtocolError,
    Records,
    Status,
    dump,
    parse_client,
    parse_server,
    schema,
)
from drillsim.serve.seats import Seat, default_seats, find_seat, issue_tokens, load_seats, write_tokens

AGENCIES = {"hq": {"name": {"en": "HQ"}}, "ems": {"name": {"en": "EMS"}}}


def test_client_messages_are_validated_strictly():
    assert parse_client('{"type":"decide","id":"a1","decision":"D-01","option":"wait"}') == Decide(
        type="decide", id="a1", decision="D-01", option="wait")
    for raw, why in [
        ("[1,2", "not JSON"),
        ('{"type":"shell","id":"a"}', "unknown message type"),
        ('{"id":"a"}', "needs a `type`"),
        ('{"type":"decide","id":"a","decision":"../x","option":"y"}', "decision"),
        ('{"type":"decide","id":"a","decision":1,"option":"y"}', "decision"),
        ('{"type":"ping","id":"a b"}', "id"),
        (json.dumps({"type": "note", "id": "a", "text": "x" * (MAX_TEXT + 1)}), "text"),
        ('{"type":"ping","id":"a","x":1}', "x"),
        ('{"type":"clock","id":"a","action":"rewind"}', "action"),
    ]:
        with pytest.raises(ProtocolError) as caught:
            parse_client(raw)
        assert why in caught.value.reason, (raw, caught.value.reason)
    with pytest.raises(ProtocolError):
        parse_client(b"{}")


def test_server_messages_round_trip_and_the_schema_names_every_type():
    status = Status(now=12.5, duration=60.0, running=True, speed=600, online=["a"])
    assert parse_server(dump(status)) == status
    records = parse_server('{"type":"records","reset":true,"records":[[1.5,3,"x.y","a",null,{"k":1}]]}')
    assert isinstance(records, Records) and records.records[0][5] == {"k": 1}
    names = json.dumps(schema())
    for kind in ("hello", "decide", "inject", "note", "message", "clock", "end", "ping",
                 "welcome", "records", "status", "result", "bye", "error"):
        assert f'"{kind}"' in names


def test_a_seats_file_is_checked_with_located_problems(tmp_path):
    path = tmp_path / "seats.yaml"
    path.write_text("seats:\n  table-1:\n    rights: player\n    roles: [hq, nowhere]\n"
                    "  control:\n    rights: controller\n  t2:\n    rights: player\n  t3:\n    rights: boss\n"
                    "  t4:\n    rihgts: observer\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_seats(path, AGENCIES)
    lines = [p.format() for p in caught.value.problems]
    assert any(line.startswith(f"{path}:12:5: seats.t4.rihgts: unknown key") for line in lines), lines
    assert any(line.startswith(f"{path}:10:13: seats.t3.rights:") for line in lines), lines
    path.write_text("seats:\n  table-1:\n    rights: player\n    roles: [hq, nowhere]\n"
                    "  control:\n    rights: controller\n  t2:\n    rights: player\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_seats(path, AGENCIES)
    lines = [p.format() for p in caught.value.problems]
    assert f"{path}:4:17: seats.table-1.roles[1]: unknown agency 'nowhere' (expected one of hq, ems)" in lines
    assert any(line.startswith(f"{path}:5:3: seats.control: seat id 'control' is already used") for line in lines)
    assert any(line.startswith(f"{path}:8:13: seats.t2.rights: a player seat needs roles") for line in lines)


def test_a_good_seats_file_and_the_default_seats(tmp_path):
    path = tmp_path / "seats.yaml"
    path.write_text("seats:\n  cmd:\n    name: {zh: 指挥组, en: Command}\n    rights: player\n    roles: [hq, hq]\n"
                    "  eval:\n    rights: evaluator\n", encoding="utf-8")
    got = load_seats(path, AGENCIES)
    assert [(s.id, s.rights, s.roles, s.name) for s in got] == [
        ("cmd", "player", ("hq",), {"zh": "指挥组", "en": "Command"}), ("eval", "evaluator", (), {"en": "eval"})]
    assert [(s.id, s.rights) for s in default_seats(AGENCIES)] == [
        ("controller", "controller"), ("observer", "observer"), ("seat-hq", "player"), ("seat-ems", "player")]


def test_tokens_are_random_written_for_the_owner_only_and_compared_in_constant_time(tmp_path, monkeypatch):
    seats = default_seats(AGENCIES)
    issue_tokens(seats)
    assert len({s.token for s in seats}) == len(seats) and all(len(s.token) >= 32 for s in seats)
    path = tmp_path / "tokens.txt"
    write_tokens(path, seats, "127.0.0.1:9")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert seats[2].token in path.read_text()
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(seats_module.hmac, "compare_digest", spy)
    assert find_seat(seats, seats[0].token) is seats[0]
    assert find_seat(seats, "short") is None
    assert find_seat(seats, seats[0].token + "x") is None
    # every seat's digest is compared every time (no early exit), always 32 bytes against 32 bytes
    assert calls == [(32, 32)] * (3 * len(seats))


def test_rate_limit_and_backoff_follow_their_clocks():
    now = [0.0]
    bucket = Bucket(rate=10, burst=5, clock=lambda: now[0])
    assert [bucket.take() for _ in range(7)] == [True] * 5 + [False] * 2
    assert bucket.dropped == 2
    now[0] += 0.25
    assert [bucket.take() for _ in range(3)] == [True, True, False]
    backoff = Backoff(base=0.25, cap=2.0, forget=60, clock=lambda: now[0])
    assert [backoff.failed("10.0.0.1") for _ in range(5)] == [0.25, 0.5, 1.0, 2.0, 2.0]
    assert backoff.failed("10.0.0.2") == 0.25
    now[0] += 61
    assert backoff.failures("10.0.0.1") == 0 and backoff.failed("10.0.0.1") == 0.25


def test_authorisation_is_by_rights_and_roles():
    player = Seat("cmd", {"en": "c"}, "player", ("hq",))
    control = Seat("ctl", {"en": "c"}, "controller", ())
    role_of = {"D-1": "hq", "D-2": "ems"}.get
    decide = parse_client('{"type":"decide","id":"a","decision":"D-2","option":"x"}')
    with pytest.raises(Refused, match="belongs to ems"):
        authorize(player, decide, role_of)
    assert authorize(control, decide, role_of)["role"] == "ems"
    for raw in ('{"type":"clock","id":"a","action":"run"}', '{"type":"end","id":"a"}',
                '{"type":"inject","id":"a","title":"x"}', '{"type":"note","id":"a","text":"x"}'):
        with pytest.raises(Refused):
            authorize(player, parse_client(raw), role_of)
    said = authorize(player, parse_client('{"type":"message","id":"a","text":"hi"}'), role_of)
    assert said == {"kind": "message", "text": "hi", "by": "cmd", "seat": "cmd", "role": "hq"}


def test_the_seats_file_in_the_docs_loads_against_its_scenario(tmp_path):
    import re
    from pathlib import Path

    from drillsim.scenario import load

    doc = (Path(__file__).resolve().parents[2] / "docs" / "serve.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, flags=re.S) if b.startswith("seats:"))
    path = tmp_path / "seats.yaml"
    path.write_text(block, encoding="utf-8")
    scenario = load("mentougou-flash-flood").scenario
    seats = load_seats(path, {k: {} for k in scenario.agencies}, other_ids=[*scenario.regions, *scenario.teams])
    assert [(s.id, s.rights) for s in seats] == [("command", "player"), ("rescue", "player"),
                                                 ("director", "controller"), ("evaluators", "evaluator"),
                                                 ("screen", "observer")]
