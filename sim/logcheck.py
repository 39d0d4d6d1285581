"""What a log line must be before anything downstream reads it: the event log as hostile input.

A log is read by scoring, the reports, compare, replay and the replay viewer; each of them reads
fields of the header and of records. Rather than making every reader defend itself, the reader
(:func:`drillsim.log.read_log`) checks every line against what the engine writes — the envelope
(``t``, ``seq``, ``kind``, ``actor``, ``subject``, ``data``), the type of every field a reader
uses, references inside the header (players and roster entries name existing agencies and
regions) — and refuses the first bad one as ``FILE:LINE: field: problem``. Unknown record kinds
and unknown fields are allowed (their envelope is checked): readers skip what they do not know.

The same checks guard the writing side: the engine checks the header it is about to write, and
the inputs it accepts, with these functions, so whatever a run writes the reader accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeGuard

import orjson

from drillsim.limits import INT_MAX, INT_MIN, MAX_DEPTH, MAX_MESSAGE, MAX_MINUTES, MAX_OBJECTIVES, MAX_TEXT, SEED_MAX

Check = Callable[[Any], str | None]
"""A field check: None when the value is fine, else what is wrong with it."""

FIELDS = ("t", "seq", "kind", "actor", "subject", "data")
_FIELD_SET = frozenset(FIELDS)
KIND = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$")
BUNDLED_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
"""What may follow ``bundled:`` in a header's scenario source: an id, never a path."""
MAX_ID = 200
"""Longest actor, subject or record kind (ids are short; this only stops a megabyte-long id)."""
LEVELS = ("P", "S", "M", "U")


def _show(value: Any) -> str:
    """A value as it is written in the log (JSON), clipped: ``"abc"``, ``null``, ``true``, ``1e+40``."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    try:
        text = orjson.dumps(value).decode()
    except TypeError:  # not JSON (a value made in Python, e.g. a tuple key): as Python writes it
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]{1,60}$")


def key(parent: str, name: Any) -> str:
    """``parent.name`` — or ``parent["odd name"]`` for a key that is not a plain id (spaces, dots, empty)."""
    if isinstance(name, str) and _PLAIN_KEY.match(name):
        return f"{parent}.{name}" if parent else name
    shown = _show(name) if isinstance(name, str) else repr(name)
    return f"{parent}[{shown}]"


def clip_path(path: str, limit: int = 80) -> str:
    """A field path short enough to print (a path 1,000 levels deep is not)."""
    return path if len(path) <= limit else path[: limit - 1] + "…"


_NUM = frozenset({int, float})
_STR = frozenset({str})
_LEVEL = frozenset({str, type(None)})


def _is_num(v: Any) -> TypeGuard[int | float]:
    return type(v) in _NUM  # exact types: a bool is not a number here (JSON never makes subclasses)


def _is_int(v: Any) -> TypeGuard[int]:
    return type(v) is int


def num(v: Any) -> str | None:
    """A number (orjson never reads NaN or infinity)."""
    return None if _is_num(v) else f"not a number: {_show(v)}"


def minutes(v: Any) -> str | None:
    """A time or delay in minutes, within the span a log may hold (:data:`MAX_MINUTES`)."""
    if not _is_num(v):
        return f"not a number of minutes: {_show(v)}"
    return None if -MAX_MINUTES <= v <= MAX_MINUTES else f"{v:g} minutes is more than 100 years"


def whole(v: Any) -> str | None:
    """A whole number a log can hold."""
    if not _is_int(v):
        return f"not a whole number: {_show(v)}"
    return None if INT_MIN <= v <= INT_MAX else f"{v} does not fit in 64 bits"


def count(v: Any) -> str | None:
    """A whole number ≥ 0."""
    problem = whole(v)
    return problem if problem else (f"{v} is negative" if v < 0 else None)


def text(v: Any) -> str | None:
    """A string."""
    return None if type(v) is str else f"not text: {_show(v)}"


def boolean(v: Any) -> str | None:
    """True or false."""
    return None if isinstance(v, bool) else f"not true or false: {_show(v)}"


def obj(v: Any) -> str | None:
    """An object (mapping)."""
    return None if type(v) is dict else f"not an object: {_show(v)}"


def lst(v: Any) -> str | None:
    """A list."""
    return None if isinstance(v, list) else f"not a list: {_show(v)}"


def strings(v: Any) -> str | None:
    """A list of strings."""
    if type(v) is not list:
        return f"not a list: {_show(v)}"
    if _STR.issuperset(map(type, v)):
        return None
    bad = next(i for i, x in enumerate(v) if type(x) is not str)
    return f"item {bad} is not text: {_show(v[bad])}"


def bilingual(v: Any) -> str | None:
    """Text for people: ``{"zh": ..., "en": ...}`` (strings)."""
    if type(v) is not dict:
        return f"not text in languages (an object such as {{\"zh\": ..., \"en\": ...}}): {_show(v)}"
    if _STR.issuperset(map(type, v.values())):
        return None
    bad = next(k for k, x in v.items() if type(x) is not str)
    return f"the {bad!r} text is not a string: {_show(v[bad])}"


def numbers(v: Any) -> str | None:
    """An object whose values are numbers (facts, areas by region)."""
    if type(v) is not dict:
        return f"not an object: {_show(v)}"
    if _NUM.issuperset(map(type, v.values())):
        return None
    bad = next(k for k, x in v.items() if not _is_num(x))
    return f"{bad!r} is not a number: {_show(v[bad])}"


def point(v: Any) -> str | None:
    """``[longitude, latitude]``."""
    if not (isinstance(v, list) and len(v) == 2 and all(_is_num(x) for x in v)):
        return f"not a [longitude, latitude] pair: {_show(v)}"
    return None


def levels_map(v: Any) -> str | None:
    """An object of response levels (strings) or null."""
    if type(v) is not dict:
        return f"not an object: {_show(v)}"
    if _LEVEL.issuperset(map(type, v.values())):
        return None
    bad = next(k for k, x in v.items() if x is not None and type(x) is not str)
    return f"the level of {bad!r} is not text: {_show(v[bad])}"


def texts(v: Any) -> str | None:
    """A string or text in languages (an ad-hoc inject's title as typed, or as stored)."""
    return None if isinstance(v, str) else bilingual(v)


def cause(v: Any) -> str | None:
    """Why an inject came: the ``seq`` of the record whose trigger fired it, or an effect's source id."""
    if type(v) is str or (_is_int(v) and v >= 0):
        return None
    return f"not a record's seq or an id: {_show(v)}"


def optional(check: Check) -> Check:
    """``check``, or null."""
    def inner(v: Any) -> str | None:
        return None if v is None else check(v)
    return inner


def one_of(*values: Any) -> Check:
    """One of fixed values."""
    def inner(v: Any) -> str | None:
        return None if v in values and type(v) is type(values[0]) else (
            f"{_show(v)} is not one of {', '.join(map(str, values))}")
    return inner


def bounded(limit: int) -> Check:
    """A string of at most ``limit`` characters."""
    def inner(v: Any) -> str | None:
        if not isinstance(v, str):
            return f"not text: {_show(v)}"
        return None if len(v) <= limit else f"{len(v):,} characters, over the limit of {limit:,}"
    return inner


def bounded_texts(limit: int) -> Check:
    """A string or text in languages, each at most ``limit`` characters."""
    def inner(v: Any) -> str | None:
        problem = texts(v)
        if problem:
            return problem
        parts = [v] if isinstance(v, str) else list(v.values())
        long = max((len(x) for x in parts), default=0)
        return None if long <= limit else f"{long:,} characters, over the limit of {limit:,}"
    return inner


_TYPES: dict[str, Check] = {
    "num": num, "min": minutes, "int": whole, "count": count, "str": text, "bool": boolean, "dict": obj, "list": lst,
    "strs": strings, "text": bilingual, "nums": numbers, "point": point, "levels": levels_map, "cause": cause,
}


def _table(spec: Mapping[str, str]) -> dict[str, tuple[tuple[str, Check], ...]]:
    """Parse ``"field:type field:type?"`` specs (``?``: null allowed)."""
    out: dict[str, tuple[tuple[str, Check], ...]] = {}
    for kind, fields in spec.items():
        parsed = []
        for item in fields.split():
            name, _, tname = item.partition(":")
            check = _TYPES[tname.rstrip("?")]
            parsed.append((name, optional(check) if tname.endswith("?") else check))
        out[kind] = tuple(parsed)
    return out


RECORDS = _table({
    "exercise.started": "start:str duration:min title:text hazard:str?",
    "exercise.ended": "reason:str incidents:count reports:count dispatches:count rescues:count rescued:count "
                      "lost:count unresolved:count levels:levels",
    "note.added": "text:str rating:str? objective:str?",
    "role.changed": "played:bool",
    "incident.occurred": "kind:str region:str location:point? people:count dead:count missing:count "
                         "injured:count needs:strs priority:int source:str name:text? facts:nums",
    "incident.detected": "region:str by:str delay:min",
    "incident.missed": "region:str fallback:bool",
    "incident.closed": "rescued:count lost:count team:str?",
    "incident.unresolved": "state:str people:count alive:count rescued:count team:str?",
    "report.sent": "to:str level:str? type:str facts:nums held:min direct:bool",
    "report.received": "from:str level:str? type:str facts:nums latency:min due:min? direct:bool",
    "report.zero": "to:str day:count incidents:count held:min",
    "whistle.called": "departments:strs due:min",
    "whistle.answered": "called_at:min delay:min",
    "response.triggered": "rule:int level:str facts:nums",
    "level.changed": "from:str? to:str? reason:str cause:str?",
    "level.kept": "level:str? requested:str reason:str? since:min cause:str?",
    "team.activated": "kind:str",
    "rescue.queued": "priority:int needs:strs people:count since_onset:min",
    "team.dispatched": "region:str kind:str distance_km:num? eta:min priority:int first_response:bool",
    "team.on_scene": "region:str since_onset:min",
    "rescue.started": "people:count first_response:bool",
    "rescue.completed": "rescued:count lost:count waited:min work:min partial:bool",
    "team.returning": "distance_km:num eta:min",
    "team.progress": "done:num",
    "team.mishap": "incident:str people:count capability:str members_left:count",
    "team.refused": "reason:str gave_up:bool filing_until:min?",
    "team.registered": "wait:min pass_code:str kind:str members:count",
    "team.arrived": "self_deployed:bool from_province:bool members:count",
    "team.tasked": "incident:str zone:str capability:str",
    "team.withdrawn": "filed:bool registered:bool missions:count",
    "inject.delivered": "to:strs type:str method:str source:str cause:cause? title:text message:text "
                        "expected_action:text? objectives:strs capability:str? scheduled:min? quoted:nums",
    "inject.skipped": "reason:str opened:min after:min",
    "decision.opened": "prompt:text options:dict default:str time_limit:min deadline:min asked:str "
                       "objectives:strs",
    "decision.made": "option:str by:str delay:min label:text?",
    "comms.lost": "cause:str",
    "comms.restored": "cause:str after:min",
    "road.cut": "factor:num cause:str",
    "road.restored": "factor:num",
    "hazard.warning": "level:str region:str text:text? cause:str?",
    "hazard.river": "flow:num peak:bool max_flow:num",
    "flood.cleared": "cause:str flow:num total_mm:num",
    "fire.state": "area_ha:num burning_cells:count regions:nums head_rate:num wind_kmh:num wind_from:num "
                  "crews:count held_cells:count crown:bool at_edge:bool",
    "fire.crossed": "from:str to:str province_from:str? province_to:str?",
    "fire.crown": "area_ha:num wind_kmh:num",
    "fire.contained": "area_ha:num",
    "fire.extinguished": "area_ha:num",
    "quake.occurred": "magnitude:num depth_km:num epicentre:point max_intensity:num sites:dict",
    "quake.aftershock": "magnitude:num depth_km:num epicentre:point max_intensity:num collapsed:count "
                        "trapped:count",
    "quake.search_ended": "unfound:count cause:str",
    "border.notified": "hazard:str? incident:str? delay:min due:min?",
    "border.shared": "topic:str delay:min agency:str to:str? level:str? region:str hazard:str? river:str "
                     "max_flow:num",
    "border.consulted": "participants:strs delay:min cause:str?",
    "border.support_requested": "request:str teams:strs materials:nums cause:str?",
    "border.support_approved": "request:str teams:strs materials:nums delay:min",
    "border.support_sent": "request:str teams:strs materials:nums",
    "border.support_arrived": "request:str teams:strs region:str",
    "coordination.activated": "capacity:count level:str? cause:str? zones:strs",
    "coordination.called": "desk:str teams:count cause:str?",
    "coordination.failure": "reason:str region:str",
    "coordination.rule": "value:bool cause:str?",
    "coordination.stood_down": "teams:count cause:str?",
    "material.requested": "item:str quantity:num for:str request:str cause:str?",
    "material.dispatched": "item:str quantity:num for:str request:str source:str cross_border:bool eta:min",
    "material.delivered": "item:str quantity:num for:str request:str source:str fill_time:min",
    "storage.ordered": "people:count region:str cause:str?",
    "storage.activated": "evacuated:count people:count forced:bool volume:num? since_order:min",
    "storage.evacuation_reported": "evacuated:count people:count to:str since_order:min",
    "message.sent": "text:str role:str?",
})
"""For each record kind the engine writes, the fields readers use and their types. A field that is
absent is not checked (readers default it); a field that is present must have its type."""


# -- inputs -------------------------------------------------------------------------------------------

INPUTS = {
    "decide": _table({"x": "decision:str option:str"})["x"],
    "inject": _table({"x": "template:str? to:strs objectives:strs type:str method:str from:str"})["x"],
    "note": _table({"x": "objective:str?"})["x"],
    "role": _table({"x": "agency:str played:bool"})["x"],
    "end": _table({"x": "reason:str"})["x"],
    "reseed": (),
    "message": _table({"x": "text:str role:str?"})["x"],
}
_TEXTS = {"title", "message", "expected_action"}


def input_problem(payload: Any) -> tuple[str, str] | None:
    """What is wrong with an external input's structure (``(field, problem)``), or None.

    The engine refuses such an input before applying it, and the reader refuses an
    ``input.received`` record holding one: a replay re-applies recorded inputs.
    """
    if not isinstance(payload, dict):
        return "", f"not an object: {_show(payload)}"
    kind = payload.get("kind")
    if type(kind) is not str or kind not in INPUTS:
        return "kind", f"{_show(kind)} is not an input kind ({', '.join(INPUTS)})"
    for name in ("by", "seat", "role"):  # who gave it; a `drillsim serve` seat adds itself and its agency
        if payload.get(name) is not None and (problem := bounded(MAX_ID)(payload[name])):
            return name, problem
    for name, check in INPUTS[kind]:
        if name in payload and (problem := check(payload[name])):
            return name, problem
    if kind == "note":
        if (problem := bounded(MAX_TEXT)(payload.get("text"))) is not None:
            return "text", problem
        if payload.get("rating") not in (None, *LEVELS):
            return "rating", f"{_show(payload.get('rating'))} is not P, S, M or U"
    elif kind == "inject":
        for name in _TEXTS & payload.keys():
            if payload[name] is not None and (problem := bounded_texts(MAX_TEXT)(payload[name])):
                return name, problem
    elif kind == "message":
        if (problem := bounded(MAX_MESSAGE)(payload.get("text"))) is not None:
            return "text", problem
    elif kind == "reseed":
        salt = payload.get("salt")
        if not _is_int(salt) or not 0 <= salt <= SEED_MAX:
            return "salt", f"{_show(salt)} is not a whole number from 0 to {SEED_MAX}"
    return None


# -- records --------------------------------------------------------------------------------------------


_ABSENT = object()


def record_problem(obj: Any, seq: int, last_t: float, duration: float) -> tuple[str, str] | None:
    """What is wrong with the record on the line holding ``seq`` (``(field, problem)``), or None.

    Args:
        obj: The parsed line.
        seq: The sequence number the line must have (its line number minus one).
        last_t: The time of the record before it (times never go back).
        duration: The exercise's duration (no record comes after it).
    """
    if type(obj) is not dict:
        return "", f"not a record (a JSON object with {', '.join(FIELDS)}): {_show(obj)}"
    if obj.keys() != _FIELD_SET:
        missing = [k for k in FIELDS if k not in obj]
        if missing:
            return missing[0], "missing"
        extra = next(k for k in obj if k not in FIELDS)
        return "<record>", f"unknown field {_show(extra)} (a record has t, seq, kind, actor, subject, data)"
    t, s = obj["t"], obj["seq"]
    if not _is_num(t):
        return "t", f"not a time in minutes: {_show(t)}"
    if not _is_int(s):
        return "seq", f"not a whole number: {_show(s)}"
    if s != seq:
        return "seq", f"{s} out of order (this line holds record {seq}: records are numbered in order)"
    if t > duration + 1e-6 or t < 0:
        return "t", f"{t:g} is outside the exercise (0 to {duration:g} minutes)"
    if t < last_t:
        return "t", f"{t:g} is before the previous record's time {last_t:g} (records are in time order)"
    kind = obj["kind"]
    if type(kind) is not str or (kind not in RECORDS and (len(kind) > MAX_ID or not KIND.match(kind))):
        return "kind", f"not a record kind (family.event, lower case): {_show(kind)}"
    if kind == "log.header":
        return "kind", "a second header (only line 1 is a header)"
    for name in ("actor", "subject"):
        value = obj[name]
        if value is not None and (type(value) is not str or len(value) > MAX_ID):
            return name, f"not an id (text of at most {MAX_ID} characters, or null): {_show(value)}"
    data = obj["data"]
    if type(data) is not dict:
        return "data", f"not an object: {_show(data)}"
    for name, check in RECORDS.get(kind, ()):
        value = data.get(name, _ABSENT)
        if value is not _ABSENT and (problem := check(value)):
            return f"data.{name}", problem
    if kind == "input.received":
        if (found := input_problem(data)) is not None:
            return f"data.{found[0]}" if found[0] else "data", found[1]
        if obj["subject"] != data["kind"]:
            return "subject", f"{_show(obj['subject'])} is not the input's kind {data['kind']!r}"
    return None


def too_deep(value: Any, limit: int = MAX_DEPTH, root: str = "") -> str | None:
    """The path (under ``root``) of the first value nested deeper than ``limit`` (None if none is)."""
    stack: list[tuple[Any, int, str]] = [(value, 0, root)]
    while stack:
        node, depth, path = stack.pop()
        if depth > limit:
            return path
        if isinstance(node, dict):
            stack.extend((v, depth + 1, key(path, k)) for k, v in node.items() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend((v, depth + 1, f"{path}[{i}]") for i, v in enumerate(node) if isinstance(v, dict | list))
    return None


def unencodable(value: Any, path: str = "") -> tuple[str, str] | None:
    """The first value a log cannot hold (a whole number beyond 64 bits, a non-text key), or None."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if not isinstance(k, str):
                    return where, f"the key {_show(k)} is not text"
                stack.append((v, key(where, k)))
        elif isinstance(node, list | tuple):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(node))
        elif _is_int(node) and not INT_MIN <= node <= INT_MAX:
            return where, (f"{node} does not fit in a log (a whole number from {INT_MIN} to {INT_MAX})")
    return None


# -- the header -------------------------------------------------------------------------------------------

_HEADER = _table({"x": "drillsim:str scenario:dict seed:count replicate:count overrides:list players:strs "
                       "start:str duration:num hazard:str? roster:dict definition:dict"})["x"]
_SCENARIO = _table({"x": "id:str title:text source:str sha256:str"})["x"]
_REGION = _table({"x": "name:text level:str parent:str? location:point?"})["x"]
_AGENCY = _table({"x": "name:text region:str kind:str"})["x"]
_TEAM = _table({"x": "name:text kind:str group:str base:str capabilities:strs members:count speed:num"})["x"]
_BRANCH_OF = _table({"x": "sha256:str scenario:str? seed:int? replicate:int? records:count complete:bool"})["x"]
_BRANCH_POINT = _table({"x": "t:min seq:count decision:str option:str case:str role:str at:min? parent:dict? "
                             "later:str continuation:count arm:str"})["x"]
_DEFINITION_MAPS = ("objectives", "injects", "decisions", "teams", "agencies", "regions", "response",
                    "materials", "reporting", "hazards")
_DEFINED = {
    "injects": _table({"x": "at:min? delay:min? title:text to:strs template:bool type:str message:text? "
                            "expected_action:text? objectives:strs capability:str? from:str"})["x"],
    "decisions": _table({"x": "at:min? role:str prompt:text default:str time_limit:min options:dict "
                              "objectives:strs"})["x"],
    "teams": _table({"x": "on_duty:bool kind:str base:str members:count"})["x"],
    "agencies": _table({"x": "initial_level:str? region:str kind:str"})["x"],
}
"""Fields of the validated scenario in the header that readers use (the console's schedule, the
report's facts, scoring's team and inject specs), checked where present."""
_MATERIALS = _table({"x": "name:text? stock:nums agreements:dict"})["x"]


def _fields(data: dict[str, Any], table: tuple[tuple[str, Check], ...], where: str, *,
            required: bool = True) -> tuple[str, str] | None:
    for name, check in table:
        if name not in data:
            if required:
                return f"{where}{name}", "missing"
            continue
        if (problem := check(data[name])) is not None:
            return f"{where}{name}", problem
    return None


def header_problem(h: Any) -> tuple[str, str] | None:
    """What is wrong with a header's data (``(field, problem)``, the field under ``data.``), or None."""
    if not isinstance(h, dict):
        return "", f"not an object: {_show(h)}"
    if h.get("format") != 1 or not _is_int(h.get("format")):
        return "format", f"log format {_show(h.get('format'))} is not supported (expected 1)"
    if (found := _fields(h, _HEADER, "")) is not None:
        return found
    if h["seed"] > SEED_MAX:
        return "seed", f"{h['seed']} is over the largest seed, {SEED_MAX}"
    if not 0 < h["duration"] <= MAX_MINUTES:
        return "duration", (f"{h['duration']:g} minutes: a duration is more than 0 and at most {MAX_MINUTES:,} "
                            "minutes (100 years)")
    if (found := _fields(h["scenario"], _SCENARIO, "scenario.")) is not None:
        return found
    source = h["scenario"]["source"]
    if source.startswith("bundled:") and not BUNDLED_ID.match(source.removeprefix("bundled:")):
        return "scenario.source", f"{_show(source)} names no bundled scenario (an id of letters, digits, - and _)"
    try:
        start = datetime.fromisoformat(h["start"])
    except ValueError:
        return "start", f"not a date-time: {_show(h['start'])}"
    if start.tzinfo is None:
        return "start", f"{h['start']} has no UTC offset"
    if not 100 <= start.year <= 9899:  # with every time within 100 years of it, each is a date a reader can show
        return "start", f"{h['start']} is not a date from the year 100 to 9899"
    for i, pair in enumerate(h["overrides"]):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            return f"overrides[{i}]", f"not a [path, value] pair: {_show(pair)}"
    if (found := _roster(h["roster"])) is not None:
        return found
    agencies = h["roster"]["agencies"]
    for i, player in enumerate(h["players"]):
        if player not in agencies:
            return f"players[{i}]", f"{player!r} is not an agency of the roster"
    if (found := _definition(h["definition"])) is not None:
        return found
    for name, table in (("branch_of", _BRANCH_OF), ("branch_point", _BRANCH_POINT)):
        if name in h:
            if not isinstance(h[name], dict):
                return name, f"not an object: {_show(h[name])}"
            if (found := _fields(h[name], table, f"{name}.")) is not None:
                return found
    if "baseline_of" in h and not isinstance(h["baseline_of"], dict):
        return "baseline_of", f"not an object: {_show(h['baseline_of'])}"
    return None


def _roster(roster: dict[str, Any]) -> tuple[str, str] | None:
    for part in ("regions", "agencies", "teams"):
        if not isinstance(roster.get(part), dict):
            return f"roster.{part}", "missing" if part not in roster else f"not an object: {_show(roster[part])}"
    regions = roster["regions"]
    for part, table, refs in (("regions", _REGION, ("parent",)), ("agencies", _AGENCY, ("region",)),
                              ("teams", _TEAM, ("base",))):
        for name, entry in roster[part].items():
            where = key(f"roster.{part}", name)
            if not isinstance(entry, dict):
                return where, f"not an object: {_show(entry)}"
            if (found := _fields(entry, table, where + ".")) is not None:
                return found
            for ref in refs:
                if entry[ref] is not None and entry[ref] not in regions:
                    return f"{where}.{ref}", f"{entry[ref]!r} is not a region of the roster"
    return None


def _objectives(objectives: dict[str, Any]) -> tuple[str, str] | None:
    """The first objective scoring could not read, checked as scoring reads it (the scenario's model)."""
    from pydantic import ValidationError

    from drillsim.scenario.model import Objective

    for oid, objective in objectives.items():
        try:
            Objective.model_validate(objective)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            where = key("definition.objectives", oid)
            for part in err.get("loc", ()):
                where = f"{where}[{part}]" if isinstance(part, int) else key(where, part)
            return clip_path(where), str(err.get("msg"))
    return None


def _definition(definition: dict[str, Any]) -> tuple[str, str] | None:
    for part in _DEFINITION_MAPS:
        value = definition.get(part)
        if value is not None and not isinstance(value, dict):
            return f"definition.{part}", f"not an object: {_show(value)}"
    objectives = definition.get("objectives") or {}
    if len(objectives) > MAX_OBJECTIVES:
        return "definition.objectives", f"{len(objectives):,} objectives, over the limit of {MAX_OBJECTIVES}"
    if objectives and (found := _objectives(objectives)) is not None:
        return found
    for part, table in _DEFINED.items():
        for name, entry in (definition.get(part) or {}).items():
            where = key(f"definition.{part}", name)
            if not isinstance(entry, dict):
                return where, f"not an object: {_show(entry)}"
            if (found := _fields(entry, table, where + ".", required=False)) is not None:
                return found
    if "description" in definition and (problem := optional(texts)(definition["description"])):
        return "definition.description", problem
    deadlines = (definition.get("reporting") or {}).get("deadlines")
    if deadlines is not None:
        if not isinstance(deadlines, dict):
            return "definition.reporting.deadlines", f"not an object: {_show(deadlines)}"
        for level, value in deadlines.items():
            if (problem := minutes(value)) is not None:
                return key("definition.reporting.deadlines", level), problem
    materials = definition.get("materials") or {}
    for pool in ("depots", "items"):
        entries = materials.get(pool)
        if entries is None:
            continue
        if not isinstance(entries, dict):
            return f"definition.materials.{pool}", f"not an object: {_show(entries)}"
        for name, entry in entries.items():
            where = key(f"definition.materials.{pool}", name)
            if not isinstance(entry, dict):
                return where, f"not an object: {_show(entry)}"
            if (found := _fields(entry, _MATERIALS, where + ".", required=False)) is not None:
                return found
    return None
