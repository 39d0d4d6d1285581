"""Targets files: what the real event record says the simulation should show, with sources.

A target names records the way an inject's trigger does (``select: {record: storage.activated,
subject: [langouwa]}``: a record kind, and optionally actors, subjects and data fields, see
:class:`drillsim.scenario.model_triggers.RecordTest`), the real time (a date-time or an offset
from the scenario's start) or, with ``value: FIELD``, the real value of a field of that record, a
tolerance, a weight and the source the real figure comes from. The format is documented with an
example in docs/calibration.md.

Every problem is located (file, line, column, field) and all are reported together (exit 2): a
selector naming an id the scenario does not have would never match, so it is refused here, not
discovered as a target "missed" by every run of a long calibration.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from drillsim import units
from drillsim.errors import InputError, Problem
from drillsim.scenario.model_triggers import RecordTest
from drillsim.scenario.types import Frozen
from drillsim.scenario.yamlsafe import Document, PathT, read_document

MAX_TARGETS_BYTES = 4 * 1024 * 1024
MAX_TARGETS = 500
PICKS = ("first", "last", "max", "min", "count")
TOP_KEYS = ("scenario", "targets")


class TargetSpec(Frozen):
    """One target as written (``real`` and ``tolerance`` are read once the target's type is known)."""

    select: RecordTest
    real: Any
    tolerance: Any
    source: str = Field(min_length=1, description="Where the real figure comes from (a source id and words).")
    weight: float = Field(default=1.0, gt=0, le=1000)
    value: str | None = Field(default=None, min_length=1, description="A data field: compare its value, not a time.")
    pick: Literal["first", "last", "max", "min", "count"] = "first"
    holdout: bool | None = None
    note: str | None = None


@dataclass(frozen=True)
class Target:
    """A checked target.

    Attributes:
        id: The target's key in the file.
        select: Which records (kind, actors, subjects, data), as a trigger selects them.
        value: ``None`` for a time target, else the data field compared.
        pick: Which matching record: the ``first`` (the ``count``-th), the ``last``, or the one with
            the ``max`` / ``min`` value; ``count``: how many records match (a number target).
        real: Real time in minutes after the scenario's start, or the real value.
        tolerance: Minutes (time) or units of the value: an error of one tolerance is "on target".
        weight: The target's share of the loss.
        source: The source of the real figure.
        holdout: True: never fitted; False: always fitted; None: the split decides.
        line: Where the target is written (for the report).
    """

    id: str
    select: RecordTest
    value: str | None
    pick: str
    real: float
    tolerance: float
    weight: float
    source: str
    holdout: bool | None = None
    note: str | None = None
    line: int = 0

    @property
    def is_time(self) -> bool:
        """True when the target is a moment (the record's ``t``), not a field's value or a count."""
        return self.value is None and self.pick != "count"

    def describe(self) -> dict[str, Any]:
        """JSON form (the calibration's manifest and report)."""
        return {"id": self.id, "select": self.select.model_dump(mode="json", exclude_defaults=True),
                "value": self.value, "pick": self.pick, "real": self.real, "tolerance": self.tolerance,
                "weight": self.weight, "source": self.source, "holdout": self.holdout}


@dataclass(frozen=True)
class Targets:
    """A targets file, checked against a scenario."""

    file: str
    scenario: str | None
    items: tuple[Target, ...]

    def __iter__(self) -> Iterator[Target]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def read_targets(path: str | Path, loaded: Any) -> Targets:
    """Read a targets file and check it against ``loaded`` (a :class:`drillsim.scenario.load.Loaded`).

    Raises:
        InputError: every problem, located.
    """
    doc = read_document(path, max_bytes=MAX_TARGETS_BYTES)
    return check_targets(doc, loaded)


def check_targets(doc: Document, loaded: Any) -> Targets:
    """:func:`read_targets` on a composed document."""
    if doc.problems:
        raise InputError(list(doc.problems))
    data = doc.data
    if not isinstance(data, dict):
        raise InputError([doc.problem((), "a targets file must be a mapping", "scenario: ID and targets: {...}")])
    problems: list[Problem] = []
    for key in data:
        if key not in TOP_KEYS:
            problems.append(doc.problem((key,), f"unknown key `{key}`", ", ".join(TOP_KEYS), key=True))
    scenario = loaded.scenario
    named = data.get("scenario")
    if named is not None and named != scenario.id:
        problems.append(doc.problem(("scenario",), f"the targets are for scenario `{named}`, not `{scenario.id}`",
                                    f"scenario: {scenario.id}"))
    raw = data.get("targets")
    if not isinstance(raw, dict) or not raw:
        problems.append(doc.problem(("targets",), "`targets` is missing, empty or not a mapping",
                                    "targets: {ID: {select: {...}, real: ..., tolerance: ..., source: ...}}"))
        raise InputError(problems)
    if len(raw) > MAX_TARGETS:
        raise InputError([doc.problem(("targets",), f"{len(raw):,} targets, over the limit of {MAX_TARGETS}",
                                      f"at most {MAX_TARGETS} targets")])
    ids = _scenario_ids(loaded.data)
    out: list[Target] = []
    for tid, body in raw.items():
        target = _target(doc, str(tid), body, scenario, ids, problems)
        if target is not None:
            out.append(target)
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.line, p.column, p.path)))
    return Targets(doc.file, named if isinstance(named, str) else None, tuple(out))


def _target(doc: Document, tid: str, body: Any, scenario: Any, ids: set[str], problems: list[Problem]
            ) -> Target | None:
    at: PathT = ("targets", tid)
    if not isinstance(body, dict):
        problems.append(doc.problem(at, "a target must be a mapping", "select, real, tolerance, source"))
        return None
    try:
        spec = TargetSpec.model_validate(body)
    except ValidationError as exc:
        problems.extend(_located(doc, at, body, exc))
        return None
    for field_name in ("by", "subject"):
        for i, name in enumerate(getattr(spec.select, field_name)):
            if not _known(name, ids):
                where = (*at, "select", field_name) if not isinstance(body["select"].get(field_name), list) else (
                    *at, "select", field_name, i)
                problems.append(doc.problem(where, f"`{name}` is not an id in scenario `{scenario.id}`: "
                                                   "this selector would never match",
                                            "the id of a region, agency, team, river, storage area, incident …"))
    if spec.pick in ("max", "min") and spec.value is None:
        problems.append(doc.problem((*at, "pick"), f"pick: {spec.pick} compares a field's values",
                                    "value: FIELD with it, or pick: first / last"))
        return None
    if spec.pick == "count" and spec.value is not None:
        problems.append(doc.problem((*at, "value"), "pick: count counts records; it compares no field",
                                    "no value: with pick: count"))
        return None
    if spec.value is None and spec.pick != "count":
        try:
            real = _moment(spec.real, scenario.start)
        except ValueError as exc:
            problems.append(doc.problem((*at, "real"), str(exc), "a date-time such as 2023-07-31T23:30:00+08:00, "
                                        "or an offset from the start such as 54h30m"))
            return None
        try:
            tolerance = units.parse_duration(spec.tolerance)
        except ValueError as exc:
            problems.append(doc.problem((*at, "tolerance"), str(exc), "a duration such as 2h"))
            return None
    else:
        real_num = _number(spec.real)
        if real_num is None:
            problems.append(doc.problem((*at, "real"), f"{spec.real!r} is not a number",
                                        f"the real value of `{spec.value}`" if spec.value else "the real count"))
            return None
        real = real_num
        tol = _number(spec.tolerance)
        if tol is None:
            problems.append(doc.problem((*at, "tolerance"), f"{spec.tolerance!r} is not a number",
                                        "a positive number in the units of the value"))
            return None
        tolerance = tol
    if not tolerance > 0:
        problems.append(doc.problem((*at, "tolerance"), "the tolerance must be above zero", "e.g. 2h, or 500"))
        return None
    line, _ = doc.where(at, key=True)
    return Target(tid, spec.select, spec.value, spec.pick, float(real), float(tolerance), spec.weight,
                  spec.source, spec.holdout, spec.note, line)


def _moment(value: Any, start: Any) -> float:
    """Minutes after ``start`` for a date-time (ISO, with or without offset) or an offset (``54h30m``)."""
    from datetime import datetime, timedelta

    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"bad date-time {value!r}") from None
    else:
        text = str(value).strip() if isinstance(value, str) else value
        if isinstance(text, str) and text.upper().startswith("T+"):
            text = text[2:]
        return units.parse_duration(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=start.tzinfo)
    return (moment - start) / timedelta(minutes=1)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _known(name: str, ids: set[str]) -> bool:
    """An id of the scenario, or one the engine derives from it (``langouwa-evacuation``, ``team-01``)."""
    parts = name.split("-")
    return any("-".join(parts[:n]) in ids for n in range(len(parts), 0, -1))


def _scenario_ids(data: Mapping[str, Any]) -> set[str]:
    """Every key of every mapping in the scenario, and every text value: the ids a record can name."""
    out: set[str] = {"control", "simcell", "facilitator", "drillsim", "rain"}
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            out.update(k for k in node if isinstance(k, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and len(node) <= 80:
            out.add(node)
    return out


def _located(doc: Document, at: PathT, body: Any, exc: ValidationError) -> list[Problem]:
    """Pydantic's errors as located problems (the path cut to what exists in the file)."""
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if isinstance(p, int) or not _is_tag(str(p))]
        path: list[Any] = []
        node: Any = body
        for part in loc:
            if isinstance(node, dict) and part in node:
                node = node[part]
                path.append(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                path.append(part)
            else:
                if err["type"] in ("missing", "extra_forbidden"):
                    path.append(part)
                break
        etype = err["type"]
        if etype == "missing":
            message = f"required field `{loc[-1]}` is missing"
            full: PathT = (*at, *path[:-1])
            problem = doc.problem(full, message, _EXPECT.get(str(loc[-1]), ""))
            problem = Problem(problem.file, problem.line, problem.column, ".".join(map(str, (*at, *path))),
                              message, problem.expected)
        elif etype == "extra_forbidden":
            problem = doc.problem((*at, *path), f"unknown key `{loc[-1]}`",
                                  ", ".join(TargetSpec.model_fields) if len(path) == 1 else "", key=True)
        else:
            problem = doc.problem((*at, *path), str(err["msg"]))
        key = (problem.path, problem.message)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out


def _is_tag(part: str) -> bool:
    """A pydantic union tag in an error's location (``function-before[...]``), not a key of the file."""
    return "[" in part


_EXPECT = {
    "select": "{record: KIND, subject: [ID], data: {FIELD: VALUE}}",
    "real": "the real time (2023-07-31T23:30:00+08:00) or value",
    "tolerance": "a duration such as 2h (or a number for a value target)",
    "source": "the source of the real figure, e.g. 'S14: ...'",
    "record": "a record kind such as storage.activated",
}
