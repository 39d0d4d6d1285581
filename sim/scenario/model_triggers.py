"""Triggers: conditions on what the event log has shown so far (MSEL state injects, flow starts).

A trigger is evaluated against records as they are written, so anything a reader of the log can
see can start an inject or a flow: a river passing a flow (``hazard.river``), any team capsizing
(``team.mishap``), an agency reaching a level, the facts a region's office knows. Response rules
(:class:`drillsim.scenario.model.FactTest` …) stay separate: they test one office's knowledge only.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import BeforeValidator, Discriminator, Field, Tag

from drillsim.levels import ResponseLevel
from drillsim.scenario.types import Amount, Duration, Frozen, Id, TimePoint

KIND_PATTERN = r"^[a-z_]+\.[a-z_]+$"


def _as_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


Ids = Annotated[tuple[Id, ...], BeforeValidator(_as_tuple)]


class Bound(Frozen):
    """A numeric comparison on a record field: ``{at_least: 4000}`` and/or ``{at_most: 10}``."""

    at_least: float | None = None
    at_most: float | None = None


FieldTest = Union[Bound, list[Any], str, int, float, bool, None]  # noqa: UP007


class RecordTest(Frozen):
    """True once ``count`` records of kind ``record`` matching ``by``/``subject``/``data`` were written.

    ``by`` and ``subject`` list acceptable actors and subjects (empty: any; a team group id also
    matches its numbered copies ``id-01`` …). ``data`` maps a field to a value, a list of values
    (any of them), or ``{at_least, at_most}`` bounds.
    """

    record: str = Field(pattern=KIND_PATTERN, description="A record kind, e.g. hazard.river or team.mishap.")
    by: Ids = ()
    subject: Ids = ()
    data: dict[str, FieldTest] = Field(default_factory=dict)
    count: int = Field(default=1, ge=1)


class FactAt(Frozen):
    """True when what ``region``'s office knows (summed over incidents) reaches ``at_least``."""

    fact: str
    at_least: Amount
    region: Id
    incident_kind: Id | None = None


class LevelAt(Frozen):
    """True when ``agency`` holds at least ``level_at_least`` (IV lowest … I highest)."""

    agency: Id
    level_at_least: ResponseLevel


class After(Frozen):
    """True from a moment on (an offset such as ``6h`` or a clock time)."""

    after: TimePoint


class AllT(Frozen):
    """True when every trigger is true."""

    all: tuple[Trigger, ...] = Field(min_length=1)


class AnyT(Frozen):
    """True when at least one trigger is true."""

    any: tuple[Trigger, ...] = Field(min_length=1)


_TRIGGER_KEYS = ("all", "any", "record", "fact", "agency", "after")


def _trigger_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((k for k in _TRIGGER_KEYS if k in value), None)
    kinds: dict[type, str] = {
        AllT: "all",
        AnyT: "any",
        RecordTest: "record",
        FactAt: "fact",
        LevelAt: "agency",
        After: "after",
    }
    return kinds.get(type(value))


Trigger = Annotated[
    Union[  # noqa: UP007
        Annotated[RecordTest, Tag("record")],
        Annotated[FactAt, Tag("fact")],
        Annotated[LevelAt, Tag("agency")],
        Annotated[After, Tag("after")],
        Annotated[AllT, Tag("all")],
        Annotated[AnyT, Tag("any")],
    ],
    Discriminator(
        _trigger_kind,
        custom_error_type="condition",
        custom_error_message="unknown trigger (expected {record: KIND, ...}, {fact: NAME, at_least: N, "
        "region: ID}, {agency: ID, level_at_least: II}, {after: 2h}, {all: [...]} or {any: [...]})",
    ),
]
AllT.model_rebuild()
AnyT.model_rebuild()


class Contingency(Frozen):
    """Deliver the inject only if an expected action has *not* happened within ``window``.

    The window opens at the inject's ``at`` time (or when its ``when`` trigger fires); record
    tests in ``unless`` count only records written after it opened.
    """

    unless: Trigger
    window: Duration = Field(gt=0, description="How long players have to act.")
