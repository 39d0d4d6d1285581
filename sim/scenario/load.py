"""Load a scenario: YAML → plain data → overrides → pydantic → cross-references → ``Scenario``.

Every failure becomes a list of located :class:`~drillsim.errors.Problem` s (one per mistake), raised
as :class:`~drillsim.errors.InputError`. Validation errors from pydantic carry a ``loc`` path; it is
walked against the plain data to find the YAML mark of the offending value (or of the key, for an
unknown key; or of the enclosing mapping, for a missing one).
"""

from __future__ import annotations

import difflib
import functools
import os
import types as pytypes
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from drillsim.errors import MAX_LISTED, InputError, Problem
from drillsim.scenario import bounds, refs
from drillsim.scenario.model import Scenario
from drillsim.scenario.overrides import apply_overrides, get_path
from drillsim.scenario.types import start_time
from drillsim.scenario.yamlsafe import (
    Document,
    PathT,
    dotted,
    invisible_hint,
    parse_document,
    paused_gc,
    read_document,
)

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
    from drillsim import scenarios

    return Path(scenarios.__file__).parent


def resolve(ref: str) -> tuple[Path, str]:
    """Map a CLI argument to ``(path, source)``: an existing file, or the id of a bundled scenario."""
    p = Path(ref)
    if p.suffix in (".yaml", ".yml") or os.path.lexists(p) or "/" in ref:
        try:
            source = str(p.resolve())
        except (OSError, RuntimeError):  # a symlink loop: read_document reports it, located
            source = str(p.absolute())
        return p, source
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
    return load_with_document(ref, overrides, display=display)[0]


def load_with_document(ref: str | Path, overrides: list[str] | list[tuple[str, Any]] | tuple = (),
                       *, display: str | None = None) -> tuple[Loaded, Document]:
    """:func:`load`, also returning the :class:`Document` (marks) so later checks can locate problems.

    ``drillsim validate`` uses it for the semantic checks and the doctrine lint, which run after
    loading and must point at lines of the file like every other problem.
    """
    path, source = resolve(str(ref))
    shown = display or (str(path) if source.startswith(BUNDLED_PREFIX) else str(ref))
    doc = read_document(path, display=shown)
    return load_document(doc, source, overrides), doc


def load_text(text: str, name: str = "<string>", overrides: list[str] | tuple = ()) -> Loaded:
    """Load a scenario from YAML text (tests, fuzzing, the TUI's editor)."""
    return load_document(parse_document(text, name), name, overrides)


def load_document(doc: Document, source: str, overrides: list[str] | list[tuple[str, Any]] | tuple = ()
                  ) -> Loaded:
    """Validate a composed document (see :func:`load`)."""
    if doc.data is None:
        raise InputError([doc.problem((), "the document is empty",
                                      "a YAML mapping starting with `drillsim: 1`")])
    if not isinstance(doc.data, dict):
        raise InputError([doc.problem((), f"the document is a {_kind(doc.data)}",
                                      "a mapping with keys such as drillsim, id, title, regions")])
    with paused_gc():
        return _validate(doc, source, overrides)


def _validate(doc: Document, source: str, overrides: list[str] | list[tuple[str, Any]] | tuple) -> Loaded:
    data = _apply_parameter_defaults(doc, doc.data)  # the file must agree with itself, before overrides
    norm_overrides: list[tuple[str, Any]] = []
    if overrides:
        from drillsim.scenario.overrides import parse_assignment

        norm_overrides = [parse_assignment(o) if isinstance(o, str) else tuple(o) for o in overrides]
        data = apply_overrides(data, norm_overrides)
    if found := bounds.check(doc, data):  # numbers the event log could not hold, too many objectives
        raise InputError(_blame_overrides(found, doc.data, norm_overrides))
    context: dict[str, Any] = {}
    try:
        context["start"] = start_time(data.get("start"))
    except ValueError:
        pass  # reported by the model validation below, located at `start`
    try:
        scenario = Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        described, omitted = _problems(doc, exc)
        problems = _blame_overrides([*doc.problems, *described], doc.data, norm_overrides)
        raise InputError(sorted(problems, key=_order), omitted) from None
    errors, warnings = refs.check(scenario, doc)
    if errors or doc.problems:
        problems = _blame_overrides([*doc.problems, *errors], doc.data, norm_overrides)
        raise InputError(sorted(problems, key=_order))
    warnings = _blame_overrides(warnings, doc.data, norm_overrides)
    return Loaded(scenario, source, doc.sha256, tuple(norm_overrides), tuple(warnings), data)


def _blame_overrides(problems: list[Problem], data: dict[str, Any], overrides: list[tuple[str, Any]]
                     ) -> list[Problem]:
    """Problems in a value written by ``--set`` are the override's, not the file's: say so.

    The value at that path came from the command line, so the file's line would point at a value
    that is not the one being complained about.
    """
    if not overrides:
        return problems
    from drillsim.scenario.overrides import SOURCE, split_path, targets

    written: list[str] = []
    for name, _ in overrides:
        for target in targets(data, name):
            try:
                written.append(dotted(tuple(split_path(target))))
            except ValueError:
                continue
    out: list[Problem] = []
    for p in problems:
        if p.file != SOURCE and any(p.path == w or p.path.startswith((w + ".", w + "[")) for w in written):
            p = Problem(SOURCE, 0, 0, p.path, p.message, p.expected, p.severity)
        out.append(p)
    return out


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
    "int_parsing_size": ("number too long", "an integer of reasonable size"),
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


HINT_BUDGET = 200
"""At most this many problems get a "did you mean" hint: difflib is slow, and only the first few
dozen problems are printed anyway (a hostile file with 100 000 unknown keys must still fail fast)."""

MESSAGE_LIMIT = 300
"""Longest message or expectation kept: a 10 MB bad value must not become a 10 MB error line."""


def _problems(doc: Document, exc: ValidationError) -> tuple[list[Problem], int]:
    """Located problems for pydantic's errors, and how many more errors were only counted."""
    seen: set[tuple[str, str]] = set()
    out: list[Problem] = []
    hints = HINT_BUDGET
    errors = exc.errors(include_url=False)
    rest: set[tuple[Any, ...]] = set()
    cut_texts: set[str] = set()
    for n, err in enumerate(errors):
        if len(out) >= MAX_LISTED:  # count the rest, without pydantic's duplicates for one union value
            rest.update((tuple(e["loc"]), e["type"]) for e in errors[n:])
            return out, len(rest)
        path = _real_path(doc.data, err["loc"])
        etype = err["type"]
        message, expected = _describe(err, path, doc, hint=hints > 0)
        message, expected = _clip(message), _clip(expected)
        shown = dotted(path)
        key = (shown, message)
        if key in seen:
            continue
        seen.add(key)
        if etype == "extra_forbidden":
            hints -= 1
            if _is_text(err["loc"][:-1]):
                text_at = dotted(path[:-1])
                if text_at in cut_texts:
                    continue  # one problem per text, however many pieces the commas made
                cut_texts.add(text_at)
                shown = text_at  # the field is the text; the cut-off piece is not a path anyone wrote
        if etype == "value_error":
            path = _field_named_first(doc.data, path, message)
            shown = dotted(path)
        if etype == "missing":
            field_name = str(err["loc"][-1])
            path_for_mark = path
            message = f"required field `{field_name}` is missing"
            expected = _clip(_missing_hint(doc.data, path, err["loc"]) or expected)
            parent = _real_path(doc.data, err["loc"][:-1])
            dpath = dotted((*path, field_name)) if path == parent else shown
            line, col = doc.where(path_for_mark)
            out.append(Problem(doc.file, line, col, dpath, message, expected))
            continue
        line, col = doc.where(path, key=etype == "extra_forbidden")
        out.append(Problem(doc.file, line, col, shown, message, expected))
    return out, 0


def _field_named_first(data: Any, path: PathT, message: str) -> PathT:
    """Point a model-level check at the field it names first ("default 'x' is not one of ...").

    Cross-field validators report at the model; when their message starts with the name of a key
    present at that path, the key's own line is the better place.
    """
    word = message.split(" ", 1)[0].strip("`'\"")
    node: Any = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return path
    return (*path, word) if isinstance(node, dict) and word in node else path


def _missing_hint(data: Any, path: PathT, loc: tuple[Any, ...]) -> str:
    """What a missing field is for (its description in the model), plus choices where known."""
    field_name = str(loc[-1])
    node: Any = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
            break
    options = node.get("options") if isinstance(node, dict) else None
    if field_name in ("default", "doctrine") and isinstance(options, dict):
        return "one of the options: " + ", ".join(str(k) for k in options)
    model = _unwrap_model(_model_at(loc[:-1]))
    if isinstance(model, type) and issubclass(model, BaseModel):
        for name, f in model.model_fields.items():
            if field_name not in (name, f.alias):
                continue
            choices = _literal_choices(f.annotation)
            if choices:
                return "one of " + ", ".join(choices)
            if f.description:
                return f.description.rstrip(".")
    return ""


def _literal_choices(annotation: Any) -> list[str]:
    tp = _unwrap_model(annotation)
    if typing.get_origin(tp) is typing.Literal:
        return [str(a) for a in typing.get_args(tp)]
    return []


def _is_text(loc: tuple[Any, ...]) -> bool:
    from drillsim.scenario.types import Text

    return _unwrap_model(_model_at(loc)) is Text


def _model_at(loc: tuple[Any, ...]) -> Any:
    model: Any = Scenario
    for part in loc:
        model = _step(model, part)
        if model is None:
            return None
    return model


def _clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def _describe(err: Mapping[str, Any], path: PathT, doc: Document, *, hint: bool = True) -> tuple[str, str]:
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
        if _is_text(err["loc"][:-1]):
            # `{zh: 标题, en: Text, with a comma}` reads `with a comma` as a key of the text
            return (f"`{_clip(name, 40)}` is not a language: the text was cut at a comma or a colon",
                    'quote this text: {zh: …, en: "…, …"} (a text with a comma or ": " inside {…} needs quotes)')
        near = difflib.get_close_matches(name, allowed, n=1) if hint else []
        mean = f"did you mean `{near[0]}`? " if near else ""
        odd = invisible_hint(name)
        if odd:
            mean = f"{odd}; " + mean
        known = "one of: " + ", ".join(allowed) if allowed else "no extra keys"
        return f"unknown key `{_clip(name, 60)}`", mean + known
    if etype == "literal_error":
        if path == ("drillsim",):
            return f"format version {shown} is not supported by this drillsim", "drillsim: 1"
        return f"{shown} is not allowed", "one of " + str(ctx.get("expected", ""))
    if etype in ("dict_type", "model_type", "model_attributes_type") and _is_text(err["loc"]):
        return f"not text: {shown}", "a string, or {zh: ..., en: ...}"
    if etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = ctx.get("gt", ctx.get("ge", ctx.get("lt", ctx.get("le"))))
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
              "less_than_equal": "<="}[etype]
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


@functools.lru_cache(maxsize=1024)
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
        for f in fields.values():
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
