"""The seat's connection to the server: hello, the stream of messages, requests, reconnecting.

Nothing here imports textual. :meth:`SeatLink.run` connects, says ``hello`` with the token, hands
every server message to a callback, and when the connection drops reconnects (with backoff, for
``retry`` seconds) and says hello again: the server then sends the seat's whole view again, so a
screen is rebuilt from the records, never patched. Requests carry a random id; one sent while the
connection was down, or whose answer was lost with it, is sent again on reconnecting, and the
server answers a repeated id without applying it twice.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from drillsim.serve.protocol import PROTOCOL, Bye, Error, ProtocolError, Result, Welcome, parse_server

MAX_SERVER_MESSAGE = 64 * 1024 * 1024
"""Largest server message accepted (a batch of records, the header of a large scenario)."""

Message = Any


@dataclass
class Ending:
    """Why the link stopped: the exercise ended (``ended``), the seat was refused or replaced, or the server is gone."""

    code: str
    reason: str


def url_for(target: str, tls: bool) -> str:
    """``HOST:PORT`` → ``ws://HOST:PORT`` (``wss://`` with TLS); a ``ws://``/``wss://`` URL is kept."""
    if "://" in target:
        return target
    return f"{'wss' if tls else 'ws'}://{target}"


class SeatLink:
    """One seat's connection, kept up.

    Args:
        url: ``ws://host:port`` or ``wss://host:port``.
        token: The seat's token.
        on_message: Called with every server message (``Welcome``, ``Records``, ``Status``, ``Bye``…).
        on_state: Called with ``connected``, ``reconnecting`` (and the reason) or ``closed``.
        tls: TLS context for ``wss://`` (None: the system's defaults).
        retry: Seconds to keep trying after the server is lost before giving up.
    """

    def __init__(self, url: str, token: str, on_message: Callable[[Message], None],
                 on_state: Callable[[str, str], None] | None = None, *, tls: ssl.SSLContext | None = None,
                 retry: float = 30.0) -> None:
        self.url = url
        self.token = token
        self.on_message = on_message
        self.on_state = on_state or (lambda state, reason: None)
        self.tls = tls
        self.retry = retry
        self.ws: ClientConnection | None = None
        self.welcome: Welcome | None = None
        self._waiting: dict[str, tuple[bytes, asyncio.Future[Result]]] = {}
        self.connects = 0

    async def run(self) -> Ending:
        """Stay connected until the server says goodbye, refuses the seat, or cannot be reached for ``retry`` s."""
        lost_at: float | None = None
        delay = 0.2
        reason = ""
        while True:
            before = self.connects
            try:
                ending = await self._session()
                if ending is not None:
                    return ending
                reason = "the connection dropped"
            except (OSError, TimeoutError, InvalidHandshake) as exc:
                reason = _why(exc)
            except ConnectionClosed as exc:
                reason = f"the connection dropped ({exc.rcvd.code if exc.rcvd else 1006})"
            except InvalidURI as exc:
                return Ending("refused", f"not a server address: {exc}")
            self.ws = None
            now = time.monotonic()
            if self.connects != before:  # it was connected: the outage starts now
                lost_at, delay = now, 0.2
            lost_at = lost_at if lost_at is not None else now
            if now - lost_at >= self.retry:
                return Ending("lost", f"lost the server at {self.url}: {reason}")
            self.on_state("reconnecting", reason)
            await asyncio.sleep(delay)
            delay = min(2.0, delay * 2)

    async def _session(self) -> Ending | None:
        kwargs: dict[str, Any] = {"ssl": self.tls} if self.url.startswith("wss://") and self.tls is not None else {}
        async with connect(self.url, proxy=None, max_size=MAX_SERVER_MESSAGE, open_timeout=5, compression=None,
                           ping_interval=10, ping_timeout=20, close_timeout=2, **kwargs) as ws:
            await ws.send(orjson.dumps({"type": "hello", "protocol": PROTOCOL, "token": self.token,
                                        "client": "drillsim join"}).decode())
            first = _parse(await ws.recv())
            if isinstance(first, Error):
                return Ending("refused", f"the server refused this seat: {first.reason}")
            if not isinstance(first, Welcome):
                return Ending("refused", "the server did not answer hello")
            self.welcome = first
            self.ws = ws
            self.connects += 1
            self.on_message(first)
            self.on_state("connected", "")
            for body, fut in list(self._waiting.values()):
                if not fut.done():
                    await ws.send(body.decode())
            async for raw in ws:
                msg = _parse(raw)
                if isinstance(msg, Result):
                    waiting = self._waiting.pop(msg.id, None)
                    if waiting is not None and not waiting[1].done():
                        waiting[1].set_result(msg)
                self.on_message(msg)
                if isinstance(msg, Bye):
                    return Ending(msg.code, msg.reason)
                if isinstance(msg, Error):
                    return Ending("refused", msg.reason)
        return None

    async def request(self, body: dict[str, Any], timeout: float = 30.0) -> Result:
        """Send a request (``type`` and fields; the id is added) and wait for its result.

        Sent now if connected, else when the link reconnects; either way at most once applied.
        """
        rid = uuid.uuid4().hex[:24]
        raw = orjson.dumps({**body, "id": rid})
        fut: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting[rid] = (raw, fut)
        ws = self.ws
        if ws is not None:
            try:
                await ws.send(raw.decode())
            except ConnectionClosed:
                pass  # sent again when the link reconnects
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            self._waiting.pop(rid, None)
            return Result(id=rid, ok=False, error="no answer from the server")

    async def close(self) -> None:
        """Leave (the seat stays at the exercise; joining again with the token resumes it)."""
        ws = self.ws
        if ws is not None:
            await ws.close(1000, "left")


def _parse(raw: str | bytes) -> Message:
    try:
        return parse_server(raw)
    except ProtocolError as exc:
        return Error(reason=f"the server sent something this console does not understand: {exc.reason}")


def _why(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return "no answer"
    if isinstance(exc, ssl.SSLError):
        return f"TLS: {exc.reason or exc}"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
