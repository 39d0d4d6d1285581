"""Security, against a real ``drillsim serve`` on 127.0.0.1 with real websocket connections.

Every refusal here is decided by the server: the scripted client sends whatever it likes.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from drillsim.log import read_log
from tests.serve.harness import Client, Server, controller_runs_to


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("security") / "run", "--speed", "3600")
    yield srv
    srv.kill()


def inputs(srv: Server) -> list[dict]:
    time.sleep(0.3)  # the engine flushes the log after every slice and input
    return [r.data for r in read_log(srv.log).records if r.kind == "input.received"]


def test_no_token_and_wrong_token_are_refused_and_logged(server):
    async def go():
        nothing = await Client.join(server.url, None, hello={"type": "hello", "protocol": 1, "token": ""})
        await nothing.until(lambda: nothing.closed, 10, "the close")
        wrong = await Client.join(server.url, "x" * 32)
        await wrong.until(lambda: wrong.closed, 10, "the close")
        silent = await Client.join(server.url, None)  # says nothing at all
        await silent.send({"type": "ping", "id": "p1"})  # a request before hello
        await silent.until(lambda: silent.closed, 10, "the close")
        return nothing, wrong, silent

    nothing, wrong, silent = asyncio.run(go())
    for client in (nothing, wrong):
        assert [m["type"] for _t, m in client.messages] == ["error"]
        assert client.messages[0][1]["reason"] == "invalid token"
        assert client.closed.rcvd.code == 1008
    assert silent.of("error")[0]["reason"] == "the first message must be hello"
    assert not any(m.get("type") == "welcome" for c in (nothing, wrong, silent) for _t, m in c.messages)
    log = server.server_log()
    assert log.count("refused a join from 127.0.0.1: wrong token") >= 2


def test_a_player_acts_only_for_its_own_roles(server):
    async def go():
        control = await Client.join(server.url, server.tokens["director"])
        command = await Client.join(server.url, server.tokens["command"])
        rescue = await Client.join(server.url, server.tokens["rescue"])
        watch = await Client.join(server.url, server.tokens["watch"])
        await control.until(lambda: control.status)
        # run to the first decision, D-01 of mtg-flood-hq (the command group's)
        await controller_runs_to(control, lambda: "decision.opened" in command.kinds())
        answers = {
            "other agency": await rescue.request({"type": "decide", "decision": "D-01", "option": "request"}),
            "clock": await rescue.request({"type": "clock", "action": "run"}),
            "inject": await command.request({"type": "inject", "title": "fake", "to": ["mtg-emergency"]}),
            "end": await command.request({"type": "end"}),
            "note": await command.request({"type": "note", "text": "I rate myself P", "rating": "P"}),
            "observer decides": await watch.request({"type": "decide", "decision": "D-01", "option": "wait"}),
            "observer message": await watch.request({"type": "message", "text": "hello"}),
            "speak for another": await command.request({"type": "message", "text": "x", "role": "mtg-emergency"}),
        }
        own = await command.request({"type": "decide", "decision": "D-01", "option": "request"})
        for c in (control, command, rescue, watch):
            await c.close()
        return answers, own

    answers, own = asyncio.run(go())
    for what, result in answers.items():
        assert result["ok"] is False, what
    assert "belongs to mtg-flood-hq" in answers["other agency"]["error"]
    assert answers["clock"]["error"] == "a player seat may not send 'clock'"
    assert own["ok"] is True
    applied = inputs(server)
    assert [(i["kind"], i["seat"]) for i in applied if i.get("seat") in ("command", "rescue", "watch")] == [
        ("decide", "command")]
    decide = next(i for i in applied if i["kind"] == "decide")
    assert decide == {"kind": "decide", "decision": "D-01", "option": "request", "by": "command", "seat": "command",
                      "role": "mtg-flood-hq"}
    log = server.server_log()
    assert "seat rescue: refused decide: decision 'D-01' belongs to mtg-flood-hq" in log
    assert "seat command: refused inject" in log and "seat rescue: refused clock" in log


@pytest.mark.parametrize("bad, why", [
    ("{not json", "not JSON"),
    (json.dumps({"type": "launch", "id": "a"}), "unknown message type"),
    (json.dumps({"type": "decide", "id": "a", "decision": "../../etc/passwd", "option": "x"}), "decision"),
    (json.dumps({"type": "inject", "id": "a", "template": "__import__('os').system('touch /tmp/x')"}), "template"),
    (json.dumps({"type": "ping", "id": "a", "extra": 1}), "extra"),
    (b"\x00\x01binary", "binary"),
])
def test_a_malformed_or_unknown_message_closes_that_connection_only(server, bad, why):
    async def go():
        watch = await Client.join(server.url, server.tokens["watch"])
        bad_seat = await Client.join(server.url, server.tokens["eval"])
        await bad_seat.until(lambda: bad_seat.welcome)
        await bad_seat.send(bad)
        await bad_seat.until(lambda: bad_seat.closed, 10, "the close")
        pong = await watch.request({"type": "ping"})  # the other seat carries on
        await watch.close()
        return bad_seat, pong

    bad_seat, pong = asyncio.run(go())
    assert bad_seat.closed.rcvd.code == 1008
    assert why in bad_seat.of("error")[0]["reason"]
    assert pong["ok"] is True
    assert "seat eval from 127.0.0.1: closed: " in server.server_log()


def test_an_oversized_message_closes_that_connection_only(server):
    async def go():
        watch = await Client.join(server.url, server.tokens["watch"])
        big = await Client.join(server.url, server.tokens["eval"])
        await big.until(lambda: big.welcome)
        await big.send({"type": "note", "id": "n", "text": "x" * (65 * 1024)})
        await big.until(lambda: big.closed, 10, "the close")
        pong = await watch.request({"type": "ping"})
        await watch.close()
        return big, pong

    big, pong = asyncio.run(go())
    assert big.closed.rcvd.code == 1009
    assert pong["ok"] is True
    assert "seat eval from 127.0.0.1: connection lost: message over 64 KiB (1009)" in server.server_log()
    assert not any(i.get("seat") == "eval" and len(i.get("text", "")) > 60000 for i in inputs(server))


def test_a_flood_is_rate_limited_and_the_others_carry_on(server):
    async def go():
        control = await Client.join(server.url, server.tokens["director"])
        flood = await Client.join(server.url, server.tokens["city"])
        await flood.until(lambda: flood.welcome)
        await control.until(lambda: control.status)
        await control.request({"type": "clock", "action": "run"})
        t0 = time.monotonic()
        for i in range(600):
            try:
                await flood.send({"type": "message", "id": f"m{i}", "text": f"spam {i}"})
            except Exception:
                break
        rtts = []
        for _ in range(5):
            start = time.monotonic()
            await control.request({"type": "ping"})
            rtts.append(time.monotonic() - start)
        await flood.until(lambda: flood.closed, 10, "the flood closed")
        statuses_after = [t for t, m in control.messages if m.get("type") == "status" and t > t0]
        await control.request({"type": "clock", "action": "pause"})
        await control.close()
        return flood, rtts, statuses_after

    flood, rtts, statuses = asyncio.run(go())
    applied = [r for r in flood.of("result") if r["ok"]]
    assert 20 <= len(applied) <= 80  # the burst and a little more, not 600
    assert any(r["error"] == "rate limited: slow down" for r in flood.of("result"))
    assert flood.closed.rcvd.code == 1008 and flood.of("error")[0]["reason"] == "flooding: too many messages"
    assert max(rtts) < 5.0 and len(statuses) >= 2  # the controller is still served (no speed target here)
    messages = [i for i in inputs(server) if i.get("seat") == "city"]
    assert len(messages) == len(applied)
    log = server.server_log()
    assert "seat city from 127.0.0.1: over the rate limit" in log and "closed for flooding" in log


def test_repeated_failures_from_one_address_are_slowed(tmp_path):
    srv = Server(tmp_path / "run")
    try:
        async def go():
            spent = []
            for _ in range(4):
                start = time.monotonic()
                client = await Client.join(srv.url, "guess-" + "a" * 20)
                await client.until(lambda c=client: c.closed, 20, "the refusal")
                spent.append(time.monotonic() - start)
            good = time.monotonic()
            ok = await Client.join(srv.url, srv.tokens["watch"])
            await ok.until(lambda: ok.welcome)
            await ok.close()
            return spent, time.monotonic() - good

        spent, good = asyncio.run(go())
    finally:
        srv.kill()
    assert spent[3] >= 1.9 and spent[2] >= 0.9 and spent[1] >= 0.45  # 0.25 s, doubled for every failure
    assert spent[3] > spent[0]
    assert good < spent[3]  # a right token is not slowed
    assert "wrong token (failure 4 from this address; answered after 2.00 s)" in srv.server_log()
