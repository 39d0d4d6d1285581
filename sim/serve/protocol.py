"""The seat protocol, version 1: JSON messages over a websocket, validated by pydantic models.

A client opens a websocket and sends ``hello`` with its token within :data:`HELLO_TIMEOUT` seconds.
The server answers ``welcome`` (the seat, and the log header as far as the seat may see it),
then ``records`` (everything the seat may see so far, in batches; ``reset`` on the first) and
``status`` (the clock), and from then on new records and the clock as they change. Every request
carries a client-chosen ``id``; the server answers each with ``result`` (``ok`` or the refusal),
and answers a repeated ``id`` with the first answer (``duplicate``) instead of applying it again,
so a client may resend what it sent just before a connection dropped.

Limits: a client message is at most :data:`MAX_MESSAGE` bytes; text fields are bounded; ids are
plain identifiers. A message that is not JSON, not one of these models, or too big closes that
connection (the server says why in ``error`` first when it can). Nothing a client sends is ever
evaluated or used as a path: ids are only looked up among the exercise's own ids. See docs/serve.md.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

PROTOCOL = 1
"""The protocol version; a client speaking another one is refused with the reason."""

MAX_MESSAGE = 64 * 1024
"""Largest client message in bytes (the websocket closes the connection on a bigger one)."""

HELLO_TIMEOUT = 10.0
"""Seconds a new connection has to say ``hello``."""

MAX_TEXT = 2000
"""Longest text a client may send (a note, a message, an inject's title or message)."""

Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$", max_length=80)]
RequestId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]
Words = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Rights = Literal["player", "observer", "evaluator", "controller"]


class Message(BaseModel):
    """Base of every message: frozen, strict types, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# -- client → server ------------------------------------------------------------------------------


class Hello(Message):
    """The first message: who the client is (its token) and which protocol it speaks."""

    type: Literal["hello"]
    protocol: int
    token: Annotated[str, StringConstraints(max_length=200)]
    client: Annotated[str, StringConstraints(max_length=80)] = ""


class Request(Message):
    """A request the server answers with a ``result`` of the same ``id``."""

    id: RequestId


class Decide(Request):
    """Answer a pending decision (players: only their own roles' decisions)."""

    type: Literal["decide"]
    decision: Ident
    option: Ident


class Inject(Request):
    """Deliver an ad-hoc inject (controllers only): a scenario template, or a written title/message."""

    type: Literal["inject"]
    template: Ident | None = None
    title: Words | None = None
    message: Words | None = None
    to: Annotated[list[Ident], Field(max_length=64)] = []


class Note(Request):
    """An evaluator observation (evaluators and controllers)."""

    type: Literal["note"]
    text: Words
    objective: Ident | None = None
    rating: Literal["P", "S", "M", "U"] | None = None


class Say(Request):
    """A message or request to control (players, evaluators, controllers), logged as ``message.sent``."""

    type: Literal["message"]
    text: Words
    role: Ident | None = None


class ClockCommand(Request):
    """Run, pause or change the speed of the exercise clock (controllers only)."""

    type: Literal["clock"]
    action: Literal["run", "pause", "faster", "slower", "step"]


class End(Request):
    """End the exercise (controllers only)."""

    type: Literal["end"]


class Ping(Request):
    """Measure a round trip; answered with an ``ok`` result."""

    type: Literal["ping"]


ClientMessage = Annotated[Hello | Decide | Inject | Note | Say | ClockCommand | End | Ping,
                          Field(discriminator="type")]
CLIENT_TYPES = ("hello", "decide", "inject", "note", "message", "clock", "end", "ping")


# -- server → client ------------------------------------------------------------------------------


class SeatInfo(Message):
    """A seat as the server tells its client."""

    id: str
    name: dict[str, str]
    rights: Rights
    roles: list[str]


class Welcome(Message):
    """The answer to a good ``hello``: the seat, and the log header as far as the seat may see it."""

    type: Literal["welcome"] = "welcome"
    protocol: int = PROTOCOL
    seat: SeatInfo
    header: dict[str, Any]


RecordRow = tuple[float, int, str, str | None, str | None, dict[str, Any]]


class Records(Message):
    """Records the seat may see, in the order it learned of them (``reset``: start a new view)."""

    type: Literal["records"] = "records"
    reset: bool = False
    records: list[RecordRow]


class Status(Message):
    """The exercise clock (sent at least every :data:`~drillsim.serve.host.STATUS_INTERVAL` while it runs)."""

    type: Literal["status"] = "status"
    now: float
    duration: float
    running: bool
    speed: int
    behind: bool = False
    ended: bool = False
    end_reason: str | None = None
    online: list[str] = []


class Result(Message):
    """The answer to one request: applied (``ok``) or refused with the reason."""

    type: Literal["result"] = "result"
    id: str
    ok: bool
    error: str | None = None
    duplicate: bool = False


class Bye(Message):
    """The server closes this connection: the exercise ended, the server stops, or another connection took the seat."""

    type: Literal["bye"] = "bye"
    reason: str
    code: Literal["ended", "shutdown", "replaced"]


class Error(Message):
    """The server refuses this connection (bad token, protocol violation); the connection closes next."""

    type: Literal["error"] = "error"
    reason: str


ServerMessage = Annotated[Welcome | Records | Status | Result | Bye | Error, Field(discriminator="type")]

_client = TypeAdapter(ClientMessage)
_server = TypeAdapter(ServerMessage)


class ProtocolError(ValueError):
    """A message that is not valid protocol; ``reason`` says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_client(raw: str | bytes) -> Hello | Decide | Inject | Note | Say | ClockCommand | End | Ping:
    """Validate one client message (JSON text); raise :class:`ProtocolError` with a one-line reason."""
    if isinstance(raw, bytes):
        raise ProtocolError("binary messages are not part of the protocol (send JSON text)")
    try:
        return _client.validate_json(raw)
    except ValidationError as exc:
        raise ProtocolError(_reason(exc)) from None


def parse_server(raw: str | bytes) -> Welcome | Records | Status | Result | Bye | Error:
    """Validate one server message (the client's side); raise :class:`ProtocolError`."""
    try:
        return _server.validate_json(raw)
    except ValidationError as exc:
        raise ProtocolError(_reason(exc)) from None


def _reason(exc: ValidationError) -> str:
    """The first problem, short: ``unknown message type 'x'``, ``not JSON``, ``decide.option: …``."""
    err = exc.errors(include_url=False, include_input=False)[0]
    etype = err["type"]
    if etype == "json_invalid":
        return "not JSON"
    if etype == "union_tag_invalid":
        return f"unknown message type (one of {', '.join(CLIENT_TYPES)})"
    if etype == "union_tag_not_found":
        return "a message needs a `type`"
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}"[:300]


def dump(message: Message) -> str:
    """One server message as JSON text."""
    return message.model_dump_json()


def schema() -> dict[str, Any]:
    """JSON Schema of both directions (docs/serve.md is written from it)."""
    return {"client": _client.json_schema(), "server": _server.json_schema()}
