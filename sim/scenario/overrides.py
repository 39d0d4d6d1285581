"""Parameter overrides: ``--set teams.bluesky-tj.members=40`` or ``--set first_report_deadline=15m``.

Overrides are applied to the plain data read from YAML, before validation, so an override is
checked exactly like a value written in the file. A name that is a declared parameter writes to
every path the parameter is bound to.
"""

from __future__ import annotations

import copy
from typing import Any

from drillsim.errors import InputError, Problem
from drillsim.scenario.yamlsafe import resolve_plain

SOURCE = "--set"


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``path=value``; the value is read as a YAML 1.2 scalar (``40``, ``30m``, ``true``)."""
    if "=" not in text:
        raise InputError([Problem(SOURCE, 0, 0, text, "an override needs '='", "PATH=VALUE, e.g. "
                                  "teams.bluesky-tj.members=40")])
    path, _, raw = text.partition("=")
    path = path.strip()
    if not path:
        raise InputError([Problem(SOURCE, 0, 0, text, "empty path", "PATH=VALUE")])
    raw = raw.strip()
    if raw.startswith("[") or raw.startswith("{"):
        from drillsim.scenario.yamlsafe import parse_document

        value = parse_document(raw, SOURCE).data
    else:
        value = resolve_plain(raw)
    return path, value


def split_path(path: str) -> list[str | int]:
    """``teams.a.capabilities[1]`` → ``['teams', 'a', 'capabilities', 1]``."""
    parts: list[str | int] = []
    if not path or any(not chunk for chunk in path.split(".")):
        raise ValueError(f"empty part in path {path!r}")
    for chunk in path.split("."):
        while "[" in chunk and chunk.endswith("]"):
            head, _, idx = chunk.partition("[")
            if head:
                parts.append(head)
            rest = "[" + idx
            for piece in rest[1:-1].split("]["):
                if not piece.lstrip("-").isdigit():
                    raise ValueError(f"bad index [{piece}]")
                parts.append(int(piece))
            chunk = ""
        if chunk:
            parts.append(chunk)
    return parts


def set_path(data: dict[str, Any], path: str, value: Any, *, create: bool = False) -> None:
    """Write ``value`` at ``path`` in ``data``; raise ``KeyError`` with a helpful message if absent."""
    try:
        parts = split_path(path)
    except ValueError as exc:
        raise KeyError(str(exc)) from None
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        if isinstance(node, dict) and isinstance(part, str):
            if part not in node:
                if create:
                    node[part] = [] if isinstance(nxt, int) else {}
                else:
                    raise KeyError(_missing(node, parts[: i + 1]))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and -len(node) <= part < len(node):
            node = node[part]
        else:
            raise KeyError(_missing(node, parts[: i + 1]))
    last = parts[-1]
    if isinstance(node, dict) and isinstance(last, str):
        if last not in node and not create:
            raise KeyError(_missing(node, parts))
        node[last] = value
    elif isinstance(node, list) and isinstance(last, int) and -len(node) <= last < len(node):
        node[last] = value
    else:
        raise KeyError(_missing(node, parts))


def get_path(data: Any, path: str) -> Any:
    """Read the value at ``path``; ``KeyError`` if absent (or if the path is malformed)."""
    node = data
    try:
        parts = split_path(path)
    except ValueError:
        raise KeyError(path) from None
    for part in parts:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and -len(node) <= part < len(node):
            node = node[part]
        else:
            raise KeyError(path)
    return node


def _missing(node: Any, parts: list[str | int]) -> str:
    shown = ".".join(str(p) for p in parts)
    if isinstance(node, dict):
        keys = ", ".join(list(node)[:12])
        return f"no such path '{shown}' (known here: {keys})"
    if isinstance(node, list):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts[:-1]).lstrip(".")
        if not node:
            return f"no such path '{shown}': `{where}` is an empty list"
        return (f"no such path '{shown}': `{where}` is a list of {len(node)}; write an item with brackets, "
                f"{where}[0] to {where}[{len(node) - 1}]")
    return f"no such path '{shown}'"


def explain_path(data: Any, path: str) -> str | None:
    """Why ``path`` does not lead to a value in ``data`` (None when it does)."""
    try:
        parts = split_path(path)
    except ValueError as exc:
        return str(exc)
    node = data
    for i, part in enumerate(parts):
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and -len(node) <= part < len(node):
            node = node[part]
        else:
            return _missing(node, parts[: i + 1])
    return None


def apply_overrides(data: dict[str, Any], assignments: list[str] | list[tuple[str, Any]]) -> dict[str, Any]:
    """Return a copy of ``data`` with each override applied; all problems are reported together.

    Args:
        data: Plain scenario data as read from YAML.
        assignments: ``"path=value"`` strings or ``(path, value)`` pairs. A path that names a
            declared parameter writes to each of its bound paths; other paths must already exist
            (a typo must not silently add an ignored key) unless the leaf is an optional field.
    """
    out = copy.deepcopy(data)
    params = found if isinstance(found := out.get("parameters"), dict) else {}
    problems: list[Problem] = []
    for item in assignments:
        try:
            path, value = parse_assignment(item) if isinstance(item, str) else item
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        targets = _parameter_paths(params, path)
        for target in targets:
            try:
                set_path(out, target, value, create=target != path or _optional_leaf(out, target))
            except KeyError as exc:
                problems.append(Problem(SOURCE, 0, 0, path, str(exc.args[0]),
                                        "an existing path such as teams.<id>.members, or a parameter name"))
    if problems:
        raise InputError(problems)
    return out


def targets(data: dict[str, Any], name: str) -> list[str]:
    """The paths an override of ``name`` writes: a parameter's bound paths, or ``name`` itself."""
    params = found if isinstance(found := data.get("parameters"), dict) else {}
    return _parameter_paths(params, name)


def _parameter_paths(params: dict[str, Any], name: str) -> list[str]:
    spec = params.get(name) if isinstance(params, dict) else None
    if isinstance(spec, dict) and "path" in spec:
        path = spec["path"]
        return [path] if isinstance(path, str) else [p for p in path if isinstance(p, str)]
    return [name]


def _optional_leaf(data: dict[str, Any], path: str) -> bool:
    """Allow setting a field that is absent because it has a default (the parent must exist)."""
    try:
        parts = split_path(path)
    except ValueError:
        return False
    if len(parts) < 2:
        return False
    try:
        parent = get_path(data, ".".join(str(p) for p in parts[:-1]))
    except KeyError:
        return False
    return isinstance(parent, dict) and isinstance(parts[-1], str)
