"""Load a scenario: YAML → plain data → overrides → pydantic → cross-references → ``Scenario``.

Every failure becomes a list of located :class:`~sim.errors.Problem` s (one per mistake), raised
as :class:`~sim.errors.InputError`. Validation errors from pydantic carry a ``loc`` path; it is
walked against the plain data to find the YAML mark of the offending value (or of the key, for an
unknown key; or of the enclosing mapping, for a missing one).
"""

from __future__ import annotations

import difflib
import types as pytypes
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.errors import InputError, Problem
from sim.scenario import refs
from sim.scenario.model import Scenario
from sim.scenario.overrides import apply_overrides, get_path
from sim.scenario.types import start_time
from sim.scenario.yamlsafe import Document, PathT, dotted, parse_document, read_document

BUNDLED_PREFIX = "bundled:"


@dataclass(frozen=True)
class Loaded:
    """A validated scenario and where it came from (for the event-log header and replay)."""

    scenario: Scenario
    source: str
    sha256: str
    overrides: tuple[tuple[str, Any], ...] = ()
    warnings: tuple[Problem, ...] = ()
    data: dict[str, Any] = field(default_factory=dict, repr=False)


def bundled_dir() -> Path:
    """Directory of the scenarios shipped with drillsim."""
    import scenarios

    return Path(scenarios.__file__).parent


def resolve(ref: str) -> tuple[Path, str]:
    """Map a CLI argument to ``(path, source)``: an existing file, or the id of a bundled scenario."""
    p = Path(ref)
    if p.suffix in (".yaml", ".yml") or p.exists() or "/" in ref:
        return p, str(p.resolve())
    ref_id = ref.removeprefix(BUNDLED_PREFIX)
    candidate = bundled_dir() / f"{ref_id}.yaml"
    if candidate.exists():
        return candidate, BUNDLED_PREFIX + ref_id
    known = ", ".join(sorted(x.stem for x in bundled_dir().glob("*.yaml")))
    raise InputError([Problem(ref, 0, 0, "", "no such file or bundled scenario",
                              f"a path to a .yaml file or one of: {known}")])


def load(ref: str | Path, overrides: list[str] | list[tuple[str, Any]] | tuple = (),
         *, display: str | None = None) -> Loaded:
    """Load and validate a scenario file or bundled id; raise :class:`InputError` if anything is wrong."""
    path, source = resolve(str(ref))
    shown = display or (str(path) if source.startswith(BUNDLED_PREFIX) else str(ref))
    doc = read_document(path, display=shown)
    return load_document(doc, source, overrides)


def load_text(text: str, name: str = "<string>", overrides: list[str] | tuple = ()) -> Loaded:
    """Load a scenario from YAML text (tests, fuzzing, the TUI's editor)."""
    return load_document(parse_document(text, name), name, overrides)


def load_document(doc: Document, source: str, overrides: list[str] | list[tuple[str, Any]] | tuple = ()
                  ) -> Loaded:
    """Validate a composed document (see :func:`load`)."""
    if not isinstance(doc.data, dict):
        raise InputError([doc.problem((), f"the document is a {_kind(doc.data)}",
                                      "a mapping with keys such as drillsim, id, title, regions")])
    data = doc.data
    norm_overrides: list[tuple[str, Any]] = []
    if overrides:
        from sim.scenario.overrides import parse_assignment

        norm_overrides = [parse_assignment(o) if isinstance(o, str) else tuple(o) for o in overrides]
        data = apply_overrides(data, norm_overrides)
    data = _apply_parameter_defaults(doc, data)
    context: dict[str, Any] = {}
    try:
        context["start"] = start_time(data.get("start"))
    except ValueError:
        pass  # reported by the model validation below, located at `start`
    try:
        scenario = Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        raise InputError(sorted([*doc.problems, *_problems(doc, exc)], key=_order)) from None
    errors, warnings = refs.check(scenario, doc)
    if errors or doc.problems:
        raise InputError(sorted([*doc.problems, *errors], key=_order))
    return Loaded(scenario, source, doc.sha256, tuple(norm_overrides), tuple(warnings), data)


def _order(p: Problem) -> tuple[int, int, str]:
    return (p.line, p.column, p.path)


def _kind(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__)


def _apply_parameter_defaults(doc: Document, data: dict[str, Any]) -> dict[str, Any]:
    """A parameter's ``default`` must agree with the value at its path (one source of truth)."""
    params = data.get("parameters")
    if not isinstance(params, dict):
        return data
    problems: list[Problem] = []
    for name, spec in params.items():
        if not isinstance(spec, dict) or "default" not in spec:
            continue
        paths = spec.get("path")
        paths = [paths] if isinstance(paths, str) else paths if isinstance(paths, list) else []
        for path in paths:
            if not isinstance(path, str):
                continue
            try:
                current = get_path(data, path)
            except KeyError:
                continue  # refs.check reports dangling parameter paths
            if current != spec["default"]:
                problems.append(doc.problem(("parameters", name, "default"),
                                            f"default {spec['default']!r} differs from {current!r} at {path}",
                                            "the same value as the bound path, or no default"))
    if problems:
        raise InputError(problems)
    return data


# ---- pydantic error → located problem ------------------------------------------------------------

_MESSAGES = {
    "missing": ("required field is missing", ""),
    "extra_forbidden": ("unknown key", ""),
    "int_type": ("not a whole number", "an integer"),
    "int_parsing": ("not a whole number", "an integer"),
    "int_from_float": ("not a whole number", "an integer"),
    "float_type": ("not a number", "a number"),
    "float_parsing": ("not a number", "a number"),
    "bool_type": ("not true or false", "true or false"),
    "bool_parsing": ("not true or false", "true or false"),
    "string_type": ("not text", "a string"),
    "dict_type": ("not a mapping", "a mapping of key: value"),
    "model_type": ("not a mapping", "a mapping of key: value"),
    "model_attributes_type": ("not a mapping", "a mapping of key: value"),
    "list_type": ("not a list", "a list [...]"),
    "tuple_type": ("not a list", "a list [...]"),
    "too_short": ("too few items", ""),
    "too_long": ("too many items", ""),
    "string_pattern_mismatch": ("not a valid id", "letters, digits, '-' and '_' only (no dots or spaces)"),
    "string_too_long": ("text too long", ""),
    "literal_error": ("not an allowed value", ""),
    "greater_than": ("too small", ""),
    "greater_than_equal": ("too small", ""),
    "less_than": ("too large", ""),
    "less_than_equal": ("too large", ""),
    "datetime_type": ("not a date-time", "ISO 8601 with offset, e.g. 2023-07-29T17:00:00+08:00"),
    "datetime_from_date_parsing": ("not a date-time", "ISO 8601 with offset"),
    "finite_number": ("not a finite number", "a finite number"),
}


def _problems(doc: Document, exc: ValidationError) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        path = _real_path(doc.data, err["loc"])
        etype = err["type"]
        message, expected = _describe(err, path, doc)
        key = (dotted(path), message)
        if key in seen:
            continue
        seen.add(key)
        if etype == "missing":
            field_name = str(err["loc"][-1])
            path_for_mark = path
            message = f"required field `{field_name}` is missing"
            dpath = dotted((*path, field_name)) if path == _real_path(doc.data, err["loc"][:-1]) else dotted(path)
            line, col = doc.where(path_for_mark)
            out.append(Problem(doc.file, line, col, dpath, message, expected))
            continue
        line, col = doc.where(path, key=etype == "extra_forbidden")
        out.append(Problem(doc.file, line, col, dotted(path), message, expected))
    return out


def _real_path(data: Any, loc: tuple[Any, ...]) -> PathT:
    """Keep the parts of a pydantic ``loc`` that exist in the data (drop union tags etc.)."""
    node = data
    path: list[str | int] = []
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
    return tuple(path)


def _describe(err: dict[str, Any], path: PathT, doc: Document) -> tuple[str, str]:
    etype = err["type"]
    ctx = err.get("ctx") or {}
    if etype == "value_error":
        msg = str(ctx.get("error", err["msg"]))
        msg = msg.removeprefix("Value error, ")
        if msg.endswith(")") and " (" in msg:
            head, _, tail = msg.rpartition(" (")
            return head, tail[:-1]
        return msg, ""
    if etype in ("distribution", "condition", "effect"):
        msg = err["msg"]
        head, _, tail = msg.partition(" (expected ")
        return head, tail.rstrip(")")
    message, expected = _MESSAGES.get(etype, (err["msg"], ""))
    value = err.get("input")
    shown = _show(value)
    if etype == "extra_forbidden":
        allowed = _allowed_keys(err["loc"][:-1])
        name = str(err["loc"][-1])
        near = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean `{near[0]}`? " if near else ""
        return f"unknown key `{name}`", hint + ("one of: " + ", ".join(allowed) if allowed else "no extra keys")
    if etype == "literal_error":
        return f"{shown} is not allowed", "one of " + str(ctx.get("expected", ""))
    if etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = ctx.get("gt", ctx.get("ge", ctx.get("lt", ctx.get("le"))))
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}[etype]
        return f"{shown} is {message}", f"a value {op} {bound}"
    if etype in ("too_short", "too_long"):
        n = ctx.get("min_length", ctx.get("max_length"))
        return message, (f"at least {n}" if etype == "too_short" else f"at most {n}")
    if etype != "missing" and shown:
        message = f"{message}: {shown}"
    if etype == "missing":
        expected = "see docs/scenario-format.md"
    return message, expected


def _show(value: Any) -> str:
    if isinstance(value, dict | list):
        return "a " + ("mapping" if isinstance(value, dict) else "list")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model at ``loc`` (for 'did you mean' hints)."""
    model: Any = Scenario
    for part in loc:
        model = _step(model, part)
        if model is None:
            return []
    model = _unwrap_model(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _unwrap_model(tp: Any) -> Any:
    seen = 0
    while seen < 10:
        seen += 1
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, pytypes.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp
    return tp


def _step(tp: Any, part: Any) -> Any:
    tp = _unwrap_model(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        fields = tp.model_fields
        if part in fields:
            return fields[part].annotation
        for _name, f in fields.items():
            if f.alias == part:
                return f.annotation
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is dict:
        return args[1]
    if origin in (tuple, list):
        return args[0]
    if origin in (typing.Union, pytypes.UnionType):
        for a in args:  # union tag: pick the member whose tag matches
            inner = _unwrap_model(a)
            if isinstance(inner, type) and getattr(inner, "kind", None) == part:
                return inner
            for meta in getattr(a, "__metadata__", ()):
                if getattr(meta, "tag", None) == part:
                    return inner
        return None
    return None
