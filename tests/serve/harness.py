"""A real ``drillsim serve`` process on 127.0.0.1 (a free port) and scripted websocket clients for it.

Nothing here fakes the server: :class:`Server` starts the command in a child process and reads the
address it printed and the tokens it wrote; :class:`Client` speaks the protocol over a real
connection (``websockets``), records every message with its arrival time, and can send anything,
valid or not.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

SEATS = """\
seats:
  command:
    name: {zh: 指挥组, en: Command group}
    rights: player
    roles: [mtg-flood-hq]
  rescue:
    name: {zh: 抢险组, en: Rescue group}
    rights: player
    roles: [mtg-emergency]
  city:
    rights: player
    roles: [bj-flood-hq]
  director:
    rights: controller
  eval:
    rights: evaluator
  watch:
    rights: observer
"""


class Server:
    """``drillsim serve SCENARIO --no-console --port 0`` in a child process."""

    def __init__(self, out: Path, *extra: str, scenario: str = "mentougou-flash-flood", seats: str | None = SEATS,
                 env: dict[str, str] | None = None, report: bool = False) -> None:
        self.out = out
        args = [sys.executable, "-m", "drillsim.cli", "serve", scenario, "--no-console", "--port", "0",
                "--out", str(out), *(() if report else ("--no-report",)), *extra]
        if seats is not None:
            seats_file = out.parent / f"{out.name}-seats.yaml"
            seats_file.write_text(seats, encoding="utf-8")
            args += ["--seats", str(seats_file)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                     text=True, env={**os.environ, **(env or {})})
        self.lines: list[str] = []
        self.errors: list[str] = []
        threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, self.errors), daemon=True).start()
        self.port = self._wait_port()
        self.tokens = self._tokens()

    @staticmethod
    def _read(stream: Any, into: list[str]) -> None:
        for line in stream:
            into.append(line.rstrip("\n"))

    def _wait_port(self, timeout: float = 60.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if " listening on " in line:
                    return int(line.rsplit(":", 1)[1])
            if self.proc.poll() is not None:
                time.sleep(0.2)
                raise AssertionError(f"serve exited {self.proc.returncode}: {self.errors}")
            time.sleep(0.05)
        raise AssertionError(f"serve never said where it listens: {self.lines} {self.errors}")

    def _tokens(self) -> dict[str, str]:
        out = {}
        for line in (self.out / "tokens.txt").read_text().splitlines():
            if line and not line.startswith("#"):
                seat, _rights, _roles, token = line.split("\t")
                out[seat] = token
        return out

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.out / "events.jsonl"

    def server_log(self) -> str:
        path = self.out / "serve.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        finally:
            time.sleep(0.1)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(30)


class Client:
    """A scripted seat: real websocket, every message kept with its arrival time."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.messages: list[tuple[float, dict[str, Any]]] = []
        self.closed: ConnectionClosed | None = None
        self._n = 0
        self._task = asyncio.create_task(self._reader())

    @classmethod
    async def join(cls, url: str, token: str | None, *, hello: dict[str, Any] | None = None) -> Client:
        ws = await connect(url, proxy=None, max_size=None, compression=None, open_timeout=10)
        client = cls(ws)
        if token is not None or hello is not None:
            await client.send(hello if hello is not None else {"type": "hello", "protocol": 1, "token": token})
        return client

    async def _reader(self) -> None:
        try:
            async for raw in self.ws:
                self.messages.append((time.monotonic(), json.loads(raw)))
        except ConnectionClosed as exc:
            self.closed = exc
        else:
            self.closed = self.ws.protocol.close_exc

    async def send(self, body: Any) -> None:
        await self.ws.send(body if isinstance(body, str | bytes) else json.dumps(body))

    async def request(self, body: dict[str, Any], timeout: float = 20.0) -> dict[str, Any]:
        self._n += 1
        rid = body.get("id") or f"r{self._n}-{time.monotonic_ns()}"
        await self.send({**body, "id": rid})
        got = await self.until(lambda: self.result(rid), timeout, f"result of {body}")
        return got

    def result(self, rid: str) -> dict[str, Any] | None:
        for _t, m in reversed(self.messages):
            if m.get("type") == "result" and m.get("id") == rid:
                return m
        return None

    async def until(self, predicate: Callable[[], Any], timeout: float = 20.0, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                kinds = [m.get("type") for _t, m in self.messages[-10:]]
                raise AssertionError(f"timed out waiting for {what or predicate}; last messages: {kinds}; "
                                     f"closed: {self.closed}")
            await asyncio.sleep(0.02)

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [m for _t, m in self.messages if m.get("type") == kind]

    @property
    def welcome(self) -> dict[str, Any] | None:
        found = self.of("welcome")
        return found[-1] if found else None

    @property
    def records(self) -> list[list[Any]]:
        out: list[list[Any]] = []
        for m in self.of("records"):
            if m.get("reset"):
                out = []
            out.extend(m["records"])
        return out

    @property
    def status(self) -> dict[str, Any] | None:
        found = self.of("status")
        return found[-1] if found else None

    def kinds(self) -> list[str]:
        return [r[2] for r in self.records]

    async def close(self) -> None:
        await self.ws.close()
        self._task.cancel()


async def controller_runs_to(control: Client, predicate: Callable[[], Any], timeout: float = 60.0) -> None:
    """Keep the clock running (a decision pauses it) until ``predicate()`` holds, then pause."""
    deadline = time.monotonic() + timeout
    while not predicate():
        status = control.status
        if status is not None and not status["running"] and not status["ended"]:
            await control.request({"type": "clock", "action": "run"})
        if time.monotonic() > deadline:
            raise AssertionError("the clock never got there")
        await asyncio.sleep(0.05)
    await control.request({"type": "clock", "action": "pause"})
