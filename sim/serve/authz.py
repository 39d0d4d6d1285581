"""Who may do what: every request is checked here, on the server, whatever the client sends.

=========== ====== ====== ======= ====== ===== ===== ====
rights      decide inject note    message clock end  ping
=========== ====== ====== ======= ====== ===== ===== ====
player      own    –      –       yes    –     –     yes
observer    –      –      –       –      –     –     yes
evaluator   –      –      yes     yes    –     –     yes
controller  any    yes    yes     yes    yes   yes   yes
=========== ====== ====== ======= ====== ===== ===== ====

A player may answer only decisions of its own roles (the role is the engine's, looked up by the
decision's id, never taken from the client) and may speak only for its own roles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drillsim.serve.protocol import ClockCommand, Decide, End, Inject, Note, Ping, Say
from drillsim.serve.seats import Seat

ALLOWED: dict[str, frozenset[str]] = {
    "player": frozenset({"decide", "message", "ping"}),
    "observer": frozenset({"ping"}),
    "evaluator": frozenset({"note", "message", "ping"}),
    "controller": frozenset({"decide", "inject", "note", "message", "clock", "end", "ping"}),
}


class Refused(Exception):
    """The seat may not do this (the reason is sent back and logged; nothing is applied)."""


Request = Decide | Inject | Note | Say | ClockCommand | End | Ping


def authorize(seat: Seat, msg: Request, role_of: Callable[[str], str | None]) -> dict[str, Any] | None:
    """Check ``msg`` against the seat's rights; return the engine input to apply (None: not an engine input).

    Args:
        seat: Who sent it (from its token, never from the message).
        msg: The validated request.
        role_of: The agency whose decision this is (None: no such decision is waiting).

    Raises:
        Refused: the seat may not do this.
    """
    kind = msg.type
    if kind not in ALLOWED[seat.rights]:
        raise Refused(f"a {seat.rights} seat may not send {kind!r}")
    sign = {"by": seat.id, "seat": seat.id}
    if isinstance(msg, Decide):
        role = role_of(msg.decision)
        if role is None:
            raise Refused(f"decision {msg.decision!r} is not waiting for an answer")
        if seat.rights == "player" and role not in seat.roles:
            raise Refused(f"decision {msg.decision!r} belongs to {role}, not to this seat's roles")
        return {"kind": "decide", "decision": msg.decision, "option": msg.option, **sign, "role": role}
    if isinstance(msg, Inject):
        payload: dict[str, Any] = {"kind": "inject"}
        if msg.template is not None:
            payload["template"] = msg.template
        if msg.title:
            payload["title"] = msg.title
        if msg.message:
            payload["message"] = msg.message
        if msg.to:
            payload["to"] = list(msg.to)
        return {**payload, **sign}
    if isinstance(msg, Note):
        return {"kind": "note", "text": msg.text, "objective": msg.objective, "rating": msg.rating, **sign}
    if isinstance(msg, Say):
        role = msg.role
        if role is not None and seat.rights == "player" and role not in seat.roles:
            raise Refused(f"this seat does not play {role}")
        if role is None and seat.roles:
            role = seat.roles[0]
        out = {"kind": "message", "text": msg.text, **sign}
        if role is not None:
            out["role"] = role
        return out
    if isinstance(msg, End):
        return {"kind": "end", "reason": "facilitator", **sign}
    return None
