"""MSEL rows out of a scenario file, and back into it without disturbing the rest of the file.

**Export** reads the scenario with ruamel.yaml's round-trip loader, so each cell holds the value as
the author wrote it (``at: 1h`` is ``1h``, not 60).

**Import** is a textual splice. The ``injects:`` section is cut into one block per inject (the
comment lines right above its key belong to it); an inject whose row means the same as before
(compared as validated models, so ``{zh: A, en: A}`` and ``A`` are equal) keeps its block byte for
byte; a changed one is re-emitted by ruamel from its round-trip node with only the changed fields
replaced, so its remaining comments stay; new rows are added, rows removed from the sheet are
removed from the file, and blocks follow the sheet's order. Everything outside the injects is
untouched. The result is validated as a whole scenario before anything is written; every problem
is located at its cell (``FILE:SHEET!CELL: injects.M04.to: …``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from drillsim.errors import InputError, Problem
from drillsim.scenario.msel_sheet import COLUMNS, FIELDS, Column, Row, Sheet, problem

LIST_SEPARATORS = (",", "、", ";", ";", "\n")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a line a person wrote
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _flow_text(value: Any) -> str:
    """A structured value as one line of flow-style YAML."""
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=True)
    y.default_flow_style = True
    y.width = 1 << 16
    y.representer.sort_base_mapping_type_on_output = False  # keys in the author's order
    buffer = io.StringIO()
    y.dump(_plain(value), buffer)
    return buffer.getvalue().strip().removesuffix("...").strip()


def _plain(value: Any) -> Any:
    """Round-trip types (ruamel's) as plain Python, for comparing and dumping."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _scalar(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


# -- export ---------------------------------------------------------------------------------------------


def export_rows(text: str) -> list[dict[str, str]]:
    """One row (column key → cell text) per inject of the scenario ``text``, in file order."""
    data = _yaml().load(text)
    injects = (data or {}).get("injects") or {}
    rows = []
    for key, inj in injects.items():
        row = {"id": str(key)}
        for column in COLUMNS[1:]:
            name, _, lang = column.key.partition(".")
            if name not in inj:
                continue
            row[column.key] = _cell(column, inj[name], lang)
        rows.append(row)
    return rows


def _cell(column: Column, value: Any, lang: str) -> str:
    if column.kind == "text":
        if isinstance(value, Mapping):
            return _scalar(value.get(lang))
        return _scalar(value)  # one text for both languages: in both columns
    if column.kind == "list":
        return ", ".join(_scalar(v) for v in value) if isinstance(value, list | tuple) else _scalar(value)
    if column.kind == "yaml":
        return _flow_text(value)
    if column.kind == "bool":
        return "true" if value is True else ("false" if value is False else _scalar(value))
    return _scalar(value)


# -- rows to injects --------------------------------------------------------------------------------------


@dataclass
class Parsed:
    """The injects a sheet describes, in sheet order, with the row each came from."""

    injects: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: dict[str, Row] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def parse_rows(sheet: Sheet) -> Parsed:
    """Cell texts → inject fields (lists split, the two languages joined, YAML cells parsed, bounded)."""
    out = Parsed()
    for row in sheet.rows:
        key = row.cells.get("id", "").strip()
        if not key:
            out.problems.append(problem(sheet.file, row.places["id"], "id", "no inject number",
                                        "an id such as M01 (letters, digits, - and _)"))
            continue
        if key in out.injects:
            first = out.rows[key].places["id"]
            out.problems.append(problem(sheet.file, row.places["id"], "id", f"{key!r} is already the inject of {first}",
                                        "each inject number once"))
            continue
        inj: dict[str, Any] = {}
        for name in FIELDS:
            value = _field(sheet, row, name, out.problems)
            if value is not None:
                inj[name] = value
        out.injects[key] = inj
        out.rows[key] = row
    return out


def _field(sheet: Sheet, row: Row, name: str, problems: list[Problem]) -> Any:
    columns = [c for c in COLUMNS if c.key.split(".")[0] == name]
    column = columns[0]
    if column.kind == "text":
        # texts are kept exactly as written (a trailing space is the author's); a blank cell is empty
        zh, en = (row.cells.get(f"{name}.{lang}", "") for lang in ("zh", "en"))
        zh, en = (t if t.strip() else "" for t in (zh, en))
        if zh and en:
            return zh if zh == en else {"zh": zh, "en": en}
        return {"zh": zh} if zh else ({"en": en} if en else None)
    text = row.cells.get(column.key, "").strip()
    if not text:
        return None
    if column.kind == "list":
        parts = [text]
        for sep in LIST_SEPARATORS:
            parts = [p for part in parts for p in part.split(sep)]
        return [p.strip() for p in parts if p.strip()]
    if column.kind == "bool":
        truth = text.casefold()
        if truth in ("true", "yes", "y", "1", "是", "x", "✓"):
            return True
        if truth in ("false", "no", "n", "0", "否"):
            return False
        problems.append(problem(sheet.file, row.places[column.key], name, f"{text!r} is not yes or no",
                                "true/false (是/否)"))
        return None
    if column.kind == "yaml":
        return _structured(sheet, row, column, text, problems)
    return text


def _structured(sheet: Sheet, row: Row, column: Column, text: str, problems: list[Problem]) -> Any:
    """A YAML cell: checked by the bounded loader first (no tags, no alias bombs), then read round-trip."""
    from drillsim.scenario.yamlsafe import parse_document

    try:
        checked = parse_document(text, file=f"{sheet.file}:{row.places[column.key]}")
    except InputError as exc:
        first = exc.problems[0] if exc.problems else None
        problems.append(problem(sheet.file, row.places[column.key], column.key,
                                f"not YAML: {first.message if first else 'unreadable'}",
                                "YAML in flow style, e.g. {record: fire.crossed, subject: [xiaying]}"))
        return None
    if checked.data is None:
        return None
    return _yaml().load(text)


# -- merge ----------------------------------------------------------------------------------------------------


@dataclass
class Merge:
    """The scenario text after the import, and what changed."""

    text: str
    unchanged: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: bool = False


def merge(text: str, sheet: Sheet, scenario_name: str) -> Merge:
    """Splice the sheet's injects into the scenario ``text``; validate; raise cell-located problems."""
    from drillsim.scenario.load import load_text
    from drillsim.scenario.yamlsafe import parse_document

    parsed = parse_rows(sheet)
    if parsed.problems:
        raise InputError(parsed.problems)
    before = load_text(text, scenario_name)  # the file itself must be valid first (its own problems, located)
    doc = parse_document(text, scenario_name)
    context = {"start": before.scenario.start}
    rt = _yaml().load(text)
    nodes = rt.get("injects") or {}
    problems: list[Problem] = []
    result = Merge(text)
    blocks: dict[str, str] = {}
    section = _section(text, doc)
    for key, raw in parsed.injects.items():
        new = _validate(sheet, parsed.rows[key], key, raw, context, problems)
        if new is None:
            continue
        old = before.scenario.injects.get(key)
        if old is not None and old == new:
            blocks[key] = section.blocks[key]
            result.unchanged.append(key)
            continue
        node = nodes.get(key) if old is not None else None
        fields = _changed(old, new, raw) if old is not None else list(raw)
        blocks[key] = section.lead.get(key, "") + _emit(key, _updated(node, raw, fields), section.indent)
        if old is not None:
            result.changed[key] = fields
        else:
            result.added.append(key)
    if problems:
        raise InputError(problems)
    result.removed = [k for k in section.blocks if k not in parsed.injects]
    result.moved = [k for k in section.blocks if k in parsed.injects] != [k for k in parsed.injects
                                                                          if k in section.blocks]
    body = "".join(blocks[k] for k in parsed.injects)
    result.text = section.before + body + section.after
    if result.text != text:
        _check(result.text, scenario_name, sheet, parsed)
    return result


def _validate(sheet: Sheet, row: Row, key: str, raw: dict[str, Any], context: dict[str, Any],
              problems: list[Problem]) -> Any:
    """The inject as the scenario format reads it, or None with its problems located at cells."""
    from pydantic import ValidationError

    from drillsim.scenario.model import Inject

    try:
        return Inject.model_validate(_plain(raw), context=context)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            problems.append(problem(sheet.file, _place(row, loc), ".".join(["injects", key, *loc]), err["msg"]))
        return None


def _place(row: Row, loc: list[str]) -> str:
    """The cell of a field path inside one inject (``title.zh``, ``to.0`` → the To cell)."""
    if not loc:
        return row.places["id"]
    name = "from" if loc[0] in ("from", "from_") else loc[0]
    for key in (f"{name}.{loc[1]}" if len(loc) > 1 else "", f"{name}.zh", name):
        if key and key in row.places:
            return row.places[key]
    return row.places["id"]


def _changed(old: Any, new: Any, raw: Mapping[str, Any]) -> list[str]:
    """The inject fields whose meaning changed."""
    out = []
    for name in FIELDS:
        attr = "from_" if name == "from" else name
        if getattr(old, attr) != getattr(new, attr):
            out.append(name)
    return out


def _updated(node: Any, raw: Mapping[str, Any], fields: list[str]) -> Any:
    """The round-trip node with only ``fields`` replaced (absent ones removed); a new node for a new inject."""
    from ruamel.yaml.comments import CommentedMap

    if node is None:
        node = CommentedMap()
    for name in fields:
        if name in raw:
            node[name] = _styled(raw[name])
        elif name in node:
            del node[name]
    return node


def _styled(value: Any) -> Any:
    """Id lists and short texts in flow style (``to: [a, b]``, ``title: {zh: …, en: …}``), as scenarios write them."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, list) and not isinstance(value, CommentedSeq):
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        mapping = CommentedMap(value)
        if sum(len(str(v)) for v in value.values()) < 100:
            mapping.fa.set_flow_style()
        return mapping
    return value


def _emit(key: str, node: Any, indent: str) -> str:
    """The inject as YAML lines (its id, then its fields) at the injects' own indentation."""
    buffer = io.StringIO()
    _yaml().dump({key: node}, buffer)
    lines = buffer.getvalue().splitlines()
    return "".join(f"{indent}{line}\n" if line else "\n" for line in lines)


@dataclass
class _Section:
    before: str
    after: str
    blocks: dict[str, str]
    lead: dict[str, str]
    indent: str


def _section(text: str, doc: Any) -> _Section:
    """The injects section cut into blocks: text before its first inject, one block per inject, the rest."""
    lines = text.splitlines(keepends=True)
    keys = list((doc.data or {}).get("injects") or {}) if isinstance(doc.data, dict) else []
    if "injects" not in (doc.data or {}):
        tail = "" if text.endswith("\n") or not text else "\n"
        return _Section(text + tail + "injects:\n", "", {}, {}, "  ")
    if not keys or not isinstance(doc.data["injects"], dict):
        line = doc.key_marks[("injects",)][0]
        head = "".join(lines[: line - 1]) + "injects:\n"
        return _Section(head, "".join(lines[line:]), {}, {}, "  ")
    starts = [doc.key_marks[("injects", k)] for k in keys]
    indent = " " * (starts[0][1] - 1)
    top_line = doc.key_marks[("injects",)][0]
    later = [doc.key_marks[(k,)][0] for k in doc.data if (k,) in doc.key_marks and doc.key_marks[(k,)][0] > top_line]
    end = min(later) - 1 if later else len(lines)
    while end > starts[-1][0] and _skippable(lines[end - 1]) and not lines[end - 1].startswith(indent + " "):
        end -= 1  # comments and blank lines before the next section belong to it
    firsts = [_lead_start(lines, line, top_line) for line, _ in starts]
    blocks, lead = {}, {}
    for i, key in enumerate(keys):
        stop = firsts[i + 1] if i + 1 < len(keys) else end
        blocks[key] = "".join(lines[firsts[i] - 1: stop - 1] if i + 1 < len(keys) else lines[firsts[i] - 1: end])
        lead[key] = "".join(lines[firsts[i] - 1: starts[i][0] - 1])
    return _Section("".join(lines[: firsts[0] - 1]), "".join(lines[end:]), blocks, lead, indent)


def _skippable(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _lead_start(lines: list[str], line: int, floor: int) -> int:
    """The first line of the comment lines directly above ``line`` (the inject's own comments)."""
    start = line
    while start - 1 > floor and lines[start - 2].lstrip().startswith("#"):
        start -= 1
    return start


def _check(text: str, name: str, sheet: Sheet, parsed: Parsed) -> None:
    """The new scenario loads; each problem inside an inject is moved to its cell."""
    from drillsim.scenario.load import load_text

    try:
        load_text(text, name)
    except InputError as exc:
        out = []
        for p in exc.problems:
            parts = re.sub(r"\[(\d+)\]", r".\1", p.path).split(".")  # injects.M-02.to[1] → injects, M-02, to, 1
            if len(parts) >= 2 and parts[0] == "injects" and parts[1] in parsed.rows:
                row = parsed.rows[parts[1]]
                out.append(Problem(sheet.file, 0, 0, p.path, p.message, p.expected, p.severity,
                                   cell=_place(row, parts[2:])))
            else:
                out.append(p)
        raise InputError(out, omitted=exc.omitted) from None


def read_text(path: Path) -> str:
    """A scenario file's text (UTF-8)."""
    return path.read_text(encoding="utf-8")
