"""Seats: who sits at which table, with which rights and roles, and the token each joins with.

A seats file (YAML) names each seat, its rights (``player``, ``observer``, ``evaluator``,
``controller``) and, for players, the agencies it plays::

    seats:
      command:
        name: {zh: 指挥组, en: Command group}
        rights: player
        roles: [mtg-flood-hq]
      control:
        rights: controller

Without a file the server seats one player per agency the command line names with ``--role``
(or every agency), one controller and one observer. Problems are reported like a scenario's:
``FILE:LINE:COL: field: message`` (exit 2). Tokens are random (``secrets``), held only in memory
and in a file readable by its owner alone (mode 0600); a token is checked by comparing digests in
constant time against every seat's, so neither its length nor its first wrong character shows.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from drillsim.errors import InputError, Problem
from drillsim.scenario.yamlsafe import Document, read_document
from drillsim.serve.protocol import Rights

RESERVED = ("facilitator", "control", "simcell", "drillsim", "branch", "players", "doctrine", "default", "all")
"""Actors the log already uses: a seat may not take one of these ids (its inputs would be mistaken)."""

SeatId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$", max_length=40)]


class SeatSpec(BaseModel):
    """One seat in the seats file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | dict[str, str] | None = Field(default=None, description="A name, or {zh: …, en: …}.")
    rights: Rights = Field(description="player, observer, evaluator or controller.")
    roles: tuple[Annotated[str, StringConstraints(max_length=80)], ...] = Field(
        default=(), description="Agencies this seat plays (players need at least one).")


class SeatsFile(BaseModel):
    """The seats file: ``seats:`` mapping seat id → seat."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seats: dict[SeatId, SeatSpec] = Field(min_length=1, max_length=200)


@dataclass
class Seat:
    """A seat at the exercise, with its token (never logged)."""

    id: str
    name: dict[str, str]
    rights: Rights
    roles: tuple[str, ...]
    token: str = field(default="", repr=False)

    @property
    def sees_all(self) -> bool:
        """Observers, evaluators and controllers see the whole exercise; players what their roles know."""
        return self.rights != "player"

    def public(self) -> dict[str, Any]:
        """What the log header records of this seat (no token)."""
        return {"name": self.name, "rights": self.rights, "roles": list(self.roles)}


def load_seats(path: str | Path, agencies: Mapping[str, Any], *, other_ids: Iterable[str] = ()) -> list[Seat]:
    """Read and check a seats file against the scenario's agencies (and its other ids).

    Raises:
        InputError: every problem, located at its line and column.
    """
    doc = read_document(path)
    problems = list(doc.problems)
    if problems:
        raise InputError(problems)
    try:
        spec = SeatsFile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(_located(doc, exc)) from None
    taken = set(other_ids) | set(agencies)
    for key, seat in spec.seats.items():
        if key in RESERVED or key in taken:
            problems.append(doc.problem(("seats", key), f"seat id {key!r} is already used by the exercise",
                                        "an id that is not an agency, team, region or one of " + ", ".join(RESERVED),
                                        key=True))
        for i, role in enumerate(seat.roles):
            if role not in agencies:
                problems.append(doc.problem(("seats", key, "roles", i), f"unknown agency {role!r}",
                                            "one of " + ", ".join(agencies)))
        if seat.rights == "player" and not seat.roles:
            problems.append(doc.problem(("seats", key, "rights"), "a player seat needs roles",
                                        "roles: [AGENCY, …]"))
    if problems:
        raise InputError(problems)
    return [Seat(key, _name(key, s.name), s.rights, tuple(dict.fromkeys(s.roles)))
            for key, s in spec.seats.items()]


def default_seats(agencies: Mapping[str, Any], roles: Sequence[str] = ()) -> list[Seat]:
    """One player per agency in ``roles`` (all agencies when empty), a controller and an observer."""
    seats = [Seat("controller", {"en": "Control group", "zh": "导调组"}, "controller", ()),
             Seat("observer", {"en": "Observer", "zh": "观摩"}, "observer", ())]
    for agency in roles or list(agencies):
        name = (agencies.get(agency) or {}).get("name") if isinstance(agencies.get(agency), Mapping) else None
        seats.append(Seat(f"seat-{agency}"[:40], dict(name) if isinstance(name, Mapping) else {"en": agency},
                          "player", (agency,)))
    return seats


def _name(key: str, name: str | dict[str, str] | None) -> dict[str, str]:
    if name is None:
        return {"en": key}
    if isinstance(name, str):
        return {"en": name, "zh": name}
    return dict(name)


def _located(doc: Document, exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False, include_input=False)[:50]:
        path = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in ("str", "dict[str,str]")))
        extra = err["type"] == "extra_forbidden"
        message = f"unknown key `{path[-1]}`" if extra and path else err["msg"]
        expected = {"seats": "seats: {SEAT: {rights: …, roles: […]}}"}.get(str(path[0]) if path else "", "")
        if extra:
            expected = "one of name, rights, roles" if len(path) > 2 else "seats"
        out.append(doc.problem(path, message, expected, key=extra))
    return out


def issue_tokens(seats: Iterable[Seat]) -> None:
    """Give every seat a fresh random token: 128 bits as 32 hex digits (safe in a shell and after ``--token``)."""
    for seat in seats:
        seat.token = secrets.token_hex(16)


def find_seat(seats: Sequence[Seat], token: str) -> Seat | None:
    """The seat whose token this is, comparing digests in constant time against every seat (no early exit)."""
    given = hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
    found: Seat | None = None
    for seat in seats:
        if hmac.compare_digest(given, hashlib.sha256(seat.token.encode()).digest()) and seat.token:
            found = seat
    return found


def write_tokens(path: Path, seats: Sequence[Seat], address: str) -> None:
    """Write the tokens file, readable by its owner only (mode 0600 from creation, then renamed in place)."""
    lines = ["# drillsim serve — join tokens (keep this file private: a token is a seat)", ""]
    for seat in seats:
        roles = ",".join(seat.roles) or "-"
        lines.append(f"{seat.id}\t{seat.rights}\t{roles}\t{seat.token}")
        lines.append(f"#   drillsim join {address} --token {seat.token}")
    data = ("\n".join(lines) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
