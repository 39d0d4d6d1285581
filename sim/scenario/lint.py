"""Doctrine lint (``drillsim validate --lint``): habits of a well-built exercise (HSEEP, MSEL).

A scenario can be valid and still be a poor exercise. The lint warns, located, when:

- an **objective is exercised by nothing**: no inject or decision lists it, and no flow of the
  scenario produces the records any of its tasks' metrics read (see :mod:`drillsim.scenario.semantic`);
- an **inject names neither a capability nor an objective** (an evaluator cannot tell what it
  tests), or names a capability that is not one of the core capabilities;
- an **expected action has no contingency inject**: an inject with ``expected_action`` needs an
  inject of ``type: contingency`` related to it, so the controller can push play back on track if
  the action does not happen. A contingency inject *C* is related to inject *I* when *C* lists *I* in
  ``contingency_for``, or shares an objective with *I*, or names *I*'s id in any other non-text
  field (e.g. a trigger that watches *I*);
- an **unverified value is not a parameter**: a ``source`` note containing ``[U]`` (or citing an
  entry of ``sources`` whose ``confidence`` is ``U``), or a trailing YAML comment containing
  ``[U]`` on the line of a value, marks a value as unverified; some parameter must be bound to
  that value, to something inside it or to something containing it, so a sweep can vary it;
- a **message states a simulated quantity as a fixed number**: a number with the unit of a river
  gauge or series station, right after that station's name, where ``{river.<id>.flow}`` would quote
  the value the world has when the inject fires (:mod:`drillsim.scenario.quantities`); a bound
  ("over 4,000 m³/s") is not a reading and is not flagged.

Every finding is a warning. ``drillsim validate --lint`` exits 1 when there is any warning
(and 2 when there is an error), so a CI job can hold scenarios to the doctrine.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator
from typing import Any

from drillsim.catalog import METRICS
from drillsim.errors import Problem
from drillsim.scenario import quantities
from drillsim.scenario.load import Loaded
from drillsim.scenario.model import CORE_CAPABILITIES, Scenario
from drillsim.scenario.model_triggers import AllT, AnyT, Bound, RecordTest
from drillsim.scenario.overrides import split_path
from drillsim.scenario.semantic import Facts, possible, scenario_facts
from drillsim.scenario.yamlsafe import Document, PathT

UNVERIFIED = "[U]"
TEXT_FIELDS = frozenset({"title", "message", "expected_action", "source", "name", "description", "prompt",
                         "label", "text"})
"""Fields whose words do not relate injects to each other (an id mentioned in a message is prose)."""

_COMMENT_U = re.compile(r"(?:^|\s)#[^\n]*\[U\]")


def lint(loaded: Loaded, doc: Document) -> list[Problem]:
    """Doctrine warnings for ``loaded`` (located through ``doc``), in file order."""
    s = loaded.scenario
    facts = scenario_facts(s, loaded.data)
    out: list[Problem] = []
    out += _objectives_exercised(s, facts, doc)
    out += _injects_named(s, doc)
    out += _contingencies(s, loaded.data, doc)
    out += _unverified_values(s, loaded.data, doc)
    out += _unquoted_numbers(s, doc)
    return sorted(out, key=lambda p: (p.line, p.column, p.path))


def _warn(doc: Document, path: PathT, message: str, expected: str = "", *, key: bool = False) -> Problem:
    return doc.problem(path, message, expected, key=key, severity="warning")


def _objectives_exercised(s: Scenario, facts: Facts, doc: Document) -> list[Problem]:
    named = {o for inj in s.injects.values() for o in inj.objectives}
    named |= {o for d in s.decisions.values() for o in d.objectives}
    out: list[Problem] = []
    for oid, obj in s.objectives.items():
        if oid in named:
            continue
        by_flow = False
        for task in obj.tasks.values():
            needs = METRICS.get(task.metric)
            if needs is None or possible(facts, needs):  # an unknown metric is the semantic check's job
                by_flow = True
                break
        if not by_flow:
            out.append(_warn(doc, ("objectives", oid),
                             f"objective {oid!r} is exercised by nothing: no inject or decision lists it and "
                             "no flow produces its metrics' records",
                             f"an inject or decision with `objectives: [{oid}]`", key=True))
    return out


def _injects_named(s: Scenario, doc: Document) -> list[Problem]:
    out: list[Problem] = []
    for iid, inj in s.injects.items():
        if inj.capability is None and not inj.objectives:
            out.append(_warn(doc, ("injects", iid),
                             f"inject {iid!r} names neither a capability nor an objective",
                             "`capability:` (a core capability) or `objectives: [...]`", key=True))
        elif inj.capability is not None and inj.capability not in CORE_CAPABILITIES:
            near = difflib.get_close_matches(inj.capability, CORE_CAPABILITIES, n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            out.append(_warn(doc, ("injects", iid, "capability"),
                             f"{inj.capability!r} is not a core capability",
                             hint + "one of " + ", ".join(CORE_CAPABILITIES)))
    return out


def _contingencies(s: Scenario, data: dict[str, Any], doc: Document) -> list[Problem]:
    raw = found if isinstance(found := data.get("injects"), dict) else {}
    contingencies = [(cid, c, set(_ids_in(raw.get(cid))))
                     for cid, c in s.injects.items() if c.type == "contingency"]
    out: list[Problem] = []
    for iid, inj in s.injects.items():
        if (inj.expected_action is None and not inj.expects) or inj.type == "contingency":
            continue
        related = any(iid in c.contingency_for or set(inj.objectives) & set(c.objectives) or iid in mentioned
                      for cid, c, mentioned in contingencies if cid != iid)
        if not related:
            out.append(_warn(doc, ("injects", iid, "expected_action"),
                             f"the expected action of {iid!r} has no contingency inject",
                             f"an inject with `type: contingency` and `contingency_for: [{iid}]` "
                             "(or a shared objective)"))
    return out


def _ids_in(value: Any, key: str = "") -> Iterator[str]:
    """Every string in an inject's plain data outside text fields (ids it refers to)."""
    if key in TEXT_FIELDS:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _ids_in(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _ids_in(v, key)


def _unverified_values(s: Scenario, data: dict[str, Any], doc: Document) -> list[Problem]:
    bound = []
    for param in s.parameters.values():
        for p in param.path:
            try:
                bound.append(tuple(split_path(p)))
            except ValueError:
                continue  # a malformed parameter path is a loading error already
    unverified_sources = {sid for sid, src in s.sources.items() if src.confidence == "U"}
    out: list[Problem] = []
    for path, note in _source_notes(data):
        if UNVERIFIED in note or note.strip() in unverified_sources:
            if not _is_bound(path, bound):
                why = ("marked [U]" if UNVERIFIED in note
                       else f"cites {note.strip()!r}, a source of confidence U")
                out.append(_warn(doc, (*path, "source"),
                                 f"{_show(path)} is unverified ({why}) but no parameter is bound to it",
                                 f"a parameter whose path is {_show(path)} or a value inside it"))
    for path, line in _commented_values(doc):
        if not _is_bound(path, bound):
            out.append(_warn(doc, path, f"{_show(path)} is unverified (a [U] comment on line {line}) but no "
                                        "parameter is bound to it",
                             f"a parameter whose path is {_show(path)}"))
    return out


def _source_notes(data: Any, path: PathT = ()) -> Iterator[tuple[PathT, str]]:
    """``(path of the mapping, note)`` for every ``source:`` text outside ``parameters`` and ``sources``."""
    if isinstance(data, dict):
        if path and isinstance(data.get("source"), str):
            yield path, data["source"]
        for k, v in data.items():
            if not path and k in ("parameters", "sources"):
                continue
            yield from _source_notes(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _source_notes(v, (*path, i))


def _commented_values(doc: Document) -> list[tuple[PathT, int]]:
    """Values whose line carries a trailing ``# ... [U]`` comment (the outermost key on that line)."""
    lines: dict[int, None] = {}
    for number, text in enumerate(doc.text.splitlines(), start=1):
        match = _COMMENT_U.search(text)
        if match and not text.lstrip().startswith("#") and _outside_quotes(text, match.start()):
            lines[number] = None
    if not lines:
        return []
    best: dict[int, PathT] = {}
    for path, (line, _) in doc.key_marks.items():
        if line in lines and path and path[0] not in ("parameters", "sources"):
            if line not in best or len(path) < len(best[line]):
                best[line] = path
    return [(best[line], line) for line in lines if line in best]


def _outside_quotes(text: str, pos: int) -> bool:
    before = text[:pos]
    return before.count('"') % 2 == 0 and before.count("'") % 2 == 0


_CLAUSE = re.compile(r"[。；;、\n]|\.\s")


def _unquoted_numbers(s: Scenario, doc: Document) -> list[Problem]:
    """A message that states a simulated quantity as a fixed number, where it could quote it live.

    The number counts as the quantity's when it carries the quantity's unit and the place named
    nearest before it in the same clause is the quantity's station (its id, or its name without
    the river's). A bound is not a reading and is exempt ("over 4,000 m³/s", "may peak above
    5,000", 5000立方米每秒以上), as is a number equal to a bound of the inject's own trigger on a
    record: the trigger makes it true ("when the flow passes 4,000 m³/s").
    """
    stated = quantities.stated(s)
    if not stated:
        return []
    out: list[Problem] = []
    for iid, inj in s.injects.items():
        exempt = set(_bounds(inj.when)) if inj.when is not None else set()
        for field, text in (("title", inj.title), ("message", inj.message)):
            for lang, value in text.as_dict().items():
                # placeholders become blanks of the same length, so offsets still point into the text
                plain = quantities.PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), value)
                folded = plain.casefold()
                for q in stated:
                    for m in q.pattern.finditer(plain):
                        number = float(m.group(1).replace(",", ""))
                        if (number in exempt or _bound_stated(folded, m.start(), m.end())
                                or _owner(folded, m.start(), stated) is not q):
                            continue
                        p = _warn(doc, ("injects", iid, field, lang),
                                  f"{m.group(0)!r} states {q.name} as a fixed number; the simulated value "
                                  "will differ when the inject fires",
                                  f"quote the live value: {{{q.name}}}")
                        line, col = quantities.locate(doc.text, p.line, p.column, m.group(0))
                        out.append(dataclasses.replace(p, line=line, column=col))
    return out


_BOUND_BEFORE = re.compile(r"(?:over|above|below|under|more than|less than|at least|at most|exceed\w*|"
                           r"超过|高于|低于|不足|大于|小于|超)\s*$")
_BOUND_AFTER = re.compile(r"^\s*(?:以上|以下)")


def _bound_stated(folded: str, start: int, end: int) -> bool:
    """True when the number is a bound or threshold ("over 4,000 m³/s", 5000立方米每秒以上), not a reading."""
    return bool(_BOUND_BEFORE.search(folded[max(0, start - 16):start]) or _BOUND_AFTER.match(folded[end:]))


def _owner(folded: str, at: int, stated: list[quantities.Stated]) -> quantities.Stated | None:
    """The quantity whose place is named nearest before offset ``at`` in the same clause."""
    start = max((m.end() for m in _CLAUSE.finditer(folded, 0, at)), default=0)
    before = folded[start:at]
    best: tuple[int, quantities.Stated] | None = None
    for q in stated:
        pos = max((before.rfind(place.casefold()) for place in q.places), default=-1)
        if pos >= 0 and (best is None or pos > best[0]):
            best = (pos, q)
    return best[1] if best is not None else None


def _bounds(trigger: Any) -> Iterator[float]:
    """Every numeric bound of the record tests in ``trigger``."""
    if isinstance(trigger, RecordTest):
        for test in trigger.data.values():
            if isinstance(test, Bound):
                yield from (v for v in (test.at_least, test.at_most) if v is not None)
    elif isinstance(trigger, AllT | AnyT):
        for child in trigger.all if isinstance(trigger, AllT) else trigger.any:
            yield from _bounds(child)


def _is_bound(path: PathT, bound: list[tuple[str | int, ...]]) -> bool:
    n = len(path)
    return any(p[:n] == path or path[: len(p)] == p for p in bound)


def _show(path: PathT) -> str:
    from drillsim.scenario.yamlsafe import dotted

    return dotted(path)
