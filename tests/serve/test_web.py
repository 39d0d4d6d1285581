"""A seat in a web browser: ``drillsim join --web`` (textual-serve) driven by headless Chromium over CDP.

Chromium (Debian's ``chromium``) opens the page; the DevTools protocol types into the terminal
like a participant would. Skipped where Chromium or textual-serve is not installed.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from websockets.asyncio.client import connect

from drillsim.log import read_log
from tests.serve.harness import Client, Server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# slow (a browser start-up): the seat console itself is tested with Pilot and in tmux in the default run
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]
pytest.importorskip("textual_serve")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DevTools:
    """The smallest DevTools-protocol client: one page, calls in order."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.n = 0

    async def call(self, method: str, **params):
        self.n += 1
        await self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            message = json.loads(await self.ws.recv())
            if message.get("id") == self.n:
                return message.get("result")

    async def key(self, key: str, code: str, text: str) -> None:
        await self.call("Input.dispatchKeyEvent", type="keyDown", key=key, code=code, text=text)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code)


def test_a_player_seat_in_a_browser_joins_and_writes_to_control(tmp_path):
    srv = Server(tmp_path / "run")
    web_port, devtools_port = free_port(), free_port()
    web = subprocess.Popen([sys.executable, "-m", "drillsim.cli", "join", f"127.0.0.1:{srv.port}", "--token",
                            srv.tokens["command"], "--web", str(web_port), "--lang", "en", "--retry", "3"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    chromium = None
    try:
        deadline = time.monotonic() + 30
        while True:  # the page is served
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{web_port}/", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline and web.poll() is None, "the page was never served"
                time.sleep(0.2)
        chromium = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,900",
                                     f"--remote-debugging-port={devtools_port}", f"--user-data-dir={tmp_path / 'c'}",
                                     f"http://127.0.0.1:{web_port}/"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        async def go():
            watch = await Client.join(srv.url, srv.tokens["watch"])
            await watch.until(lambda: watch.status and "command" in watch.status["online"], 60,
                              "the browser's seat to join")
            await asyncio.sleep(2.0)  # the console draws its first screen
            pages = []
            while not pages:
                pages = [p for p in json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list"))
                         if p["type"] == "page"]
            async with connect(pages[0]["webSocketDebuggerUrl"], max_size=None, proxy=None) as ws:
                tools = DevTools(ws)
                await tools.call("Runtime.evaluate", expression="document.querySelector('textarea').focus()")
                await tools.key("m", "KeyM", "m")
                await asyncio.sleep(1.0)
                await tools.call("Input.insertText", text="typed in a browser")
                await asyncio.sleep(0.3)
                await tools.key("Enter", "Enter", "\r")
                await watch.until(lambda: any(r[2] == "message.sent" for r in watch.records), 20, "the message")
                shot = await tools.call("Page.captureScreenshot", format="png")
            await watch.close()
            return base64.b64decode(shot["data"])

        png = asyncio.run(go())
    finally:
        if chromium is not None:
            chromium.terminate()
            chromium.wait(20)
        web.terminate()
        web.wait(20)
        srv.kill()
    (tmp_path / "browser-seat.png").write_bytes(png)
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # a drawn console, not a blank page
    sent = [(r.actor, r.data) for r in read_log(srv.log).records if r.kind == "message.sent"]
    assert sent == [("command", {"text": "typed in a browser", "role": "mtg-flood-hq"})]
    assert "seat command (player) joined from 127.0.0.1" in srv.server_log()
