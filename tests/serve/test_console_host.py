"""The facilitator's console with the seats' server in its own event loop (what ``drillsim serve`` does in a terminal).

The host serves real websocket connections on 127.0.0.1 from inside the console's loop; a remote
controller seat runs the console's clock and ends the exercise, and the console follows.
"""

from __future__ import annotations

import asyncio
import time

from drillsim.scenario import load
from drillsim.serve.host import Host, listen
from drillsim.serve.seats import Seat, issue_tokens
from drillsim.tui.app import DrillConsole
from drillsim.tui.driver import LiveDriver
from drillsim.tui.screens.decision import DecisionDialog
from drillsim.tui.screens.end import EndScreen
from tests.serve.harness import Client


async def wait(pilot, predicate, timeout=30.0, what=""):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what or predicate}"
        await pilot.pause(0.05)


def test_a_controller_seat_drives_the_facilitators_console(tmp_path):
    seats = [Seat("director", {"en": "Control"}, "controller", ()),
             Seat("command", {"en": "Command"}, "player", ("mtg-flood-hq",))]
    issue_tokens(seats)
    driver = LiveDriver.start(load("mentougou-flash-flood"), log_path=tmp_path / "events.jsonl",
                              players=["mtg-flood-hq"], extra_header={"seats": {s.id: s.public() for s in seats}})
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    holder: list[Host] = []

    async def service():
        await holder[0].start(sock)
        await holder[0].serve_forever()

    app = DrillConsole(driver, lang="en", out_dir=tmp_path, speed=3600, report=False, service=service,
                       seated={"mtg-flood-hq"})
    holder.append(Host(driver, app.clock, seats, ticking=False))

    async def go():
        async with app.run_test(size=(140, 40)) as pilot:
            await wait(pilot, lambda: holder[0].address is not None, what="the server")
            control = await Client.join(f"ws://127.0.0.1:{port}", seats[0].token)
            command = await Client.join(f"ws://127.0.0.1:{port}", seats[1].token)
            await wait(pilot, lambda: control.status is not None, what="status")
            assert (await control.request({"type": "clock", "action": "run"}))["ok"]
            await wait(pilot, lambda: any(r[2] == "decision.opened" for r in command.records), what="D-01")
            await pilot.pause(0.5)
            popped = isinstance(app.screen, DecisionDialog)  # a seated role's decision is the seat's to answer
            assert (await command.request({"type": "decide", "decision": "D-01", "option": "wait"}))["ok"]
            assert (await control.request({"type": "end"}))["ok"]
            await wait(pilot, lambda: isinstance(app.screen, EndScreen), what="the console's end screen")
            await wait(pilot, lambda: command.status and command.status["ended"], what="the seat sees the end")
            await control.close()
            await command.close()
            return popped

    popped = asyncio.run(go())
    assert not popped
    assert driver.exercise.ended and driver.end_reason == "facilitator"
    assert not driver.exercise.log.keep and not driver.exercise.log.records  # the records are in the store only
    inputs = [r[5] for r in driver.store.kind("input.received")]
    assert [(i["kind"], i["seat"]) for i in inputs] == [("decide", "command"), ("end", "director")]
