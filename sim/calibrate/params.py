"""Parameters files: ``parameters: {name: value}`` for ``run``, ``play``, ``sweep`` and ``calibrate``.

A calibration writes one (``DIR/params.yaml``); a user may write one by hand to keep a set of values
together. Each name must be a parameter the scenario declares, each value must fit the parameter's
kind and lie within its declared ``range`` (or be one of its ``values``): a fitted value outside
the range the scenario's author allowed is refused where it is written (file, line, column), exit 2.

The values become overrides exactly like ``--set NAME=VALUE`` (applied first, so a ``--set`` on the
same command line wins).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from drillsim.errors import InputError, Problem
from drillsim.scenario.yamlsafe import Document, read_document
from drillsim.sweeps.factors import hint, parse_value

MAX_PARAMS_BYTES = 1024 * 1024
"""A parameters file is a few lines; a larger one is a mistake (or not a parameters file)."""


def read_params(path: str | Path, declared: Mapping[str, Any], scenario_id: str | None = None
                ) -> list[tuple[str, Any]]:
    """Read and check a parameters file against the scenario's declared parameters.

    Args:
        path: The YAML file.
        declared: The scenario's ``parameters`` (name → :class:`drillsim.scenario.model.Parameter`).
        scenario_id: The scenario's id: a file whose ``scenario:`` names another one is refused.

    Returns:
        ``(name, value)`` overrides in file order, values as written (units kept: ``13.5h``).

    Raises:
        InputError: the file cannot be read, is not ``parameters: {name: value}``, names an
            undeclared parameter, or holds a value of the wrong kind or outside the declared range;
            every problem located.
    """
    doc = read_document(path, max_bytes=MAX_PARAMS_BYTES)
    return check_params(doc, declared, scenario_id)


def check_params(doc: Document, declared: Mapping[str, Any], scenario_id: str | None = None
                 ) -> list[tuple[str, Any]]:
    """:func:`read_params` on a composed document (tests, or text that is not on disk)."""
    if doc.problems:
        raise InputError(list(doc.problems))
    data = doc.data
    expected = "a mapping `parameters: {name: value}`"
    if not isinstance(data, dict):
        raise InputError([doc.problem((), "a parameters file must be a mapping", expected)])
    problems: list[Problem] = []
    for key in data:
        if key not in ("parameters", "scenario", "fit"):
            problems.append(doc.problem((key,), f"unknown key `{key}`",
                                        "parameters (and optionally scenario, fit)", key=True))
    named = data.get("scenario")
    if scenario_id is not None and named is not None and named != scenario_id:
        problems.append(doc.problem(("scenario",), f"the file is for scenario `{named}`, not `{scenario_id}`",
                                    f"scenario: {scenario_id} (or no scenario key)"))
    params = data.get("parameters")
    if not isinstance(params, dict):
        problems.append(doc.problem(("parameters",), "`parameters` is missing or not a mapping", expected))
        raise InputError(problems)
    out: list[tuple[str, Any]] = []
    known = ", ".join(declared) or "none declared"
    for name, value in params.items():
        where = ("parameters", name)
        spec = declared.get(name)
        if spec is None:
            problems.append(doc.problem(where, f"`{name}` is not a parameter of this scenario",
                                        f"one of: {known}", key=True))
            continue
        problem = _check_value(spec, value)
        if problem is not None:
            problems.append(doc.problem(where, f"`{name}`: {problem[0]}", problem[1]))
            continue
        out.append((str(name), value))
    if problems:
        raise InputError(problems)
    return out


def _check_value(spec: Any, value: Any) -> tuple[str, str] | None:
    """Why ``value`` does not fit the declared parameter ``spec`` (None when it does)."""
    kind = spec.kind
    try:
        parsed = parse_value(kind, value)
    except ValueError as exc:
        return str(exc), hint(kind)
    if spec.values is not None:
        allowed = list(spec.values)
        try:
            choices = [parse_value(kind, v) for v in allowed]
        except ValueError:
            choices = allowed
        if parsed not in choices:
            return f"{value!r} is not one of the declared values", ", ".join(str(v) for v in allowed)
    if spec.range is not None and kind not in ("bool", "choice"):
        low, high = (parse_value(kind, v) for v in spec.range)
        if not (low - _slack(low) <= parsed <= high + _slack(high)):
            return (f"{value} is outside the declared range {spec.range[0]} to {spec.range[1]}",
                    f"a value from {spec.range[0]} to {spec.range[1]}")
    return None


def _slack(bound: float) -> float:
    """Rounding allowance at a range's end (a fitted value written with 10 significant digits)."""
    return 1e-9 * max(1.0, abs(bound))


def params_overrides(paths: Sequence[str | Path], declared: Mapping[str, Any], scenario_id: str | None = None
                     ) -> list[tuple[str, Any]]:
    """Overrides from several parameters files, in order (a later file wins on the same name)."""
    out: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            out.extend(read_params(path, declared, scenario_id))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return out


def format_params(values: Mapping[str, Any], *, scenario: str, header: Sequence[str] = ()) -> str:
    """The text of a parameters file: optional ``#`` comment lines, ``scenario:``, ``parameters:``."""
    lines = [f"# {line}" if line else "#" for line in header]
    lines.append(f"scenario: {scenario}")
    lines.append("parameters:")
    for name, value in values.items():
        lines.append(f"  {name}: {_yaml_scalar(value)}")
    return "\n".join(lines) + "\n"


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    return str(value)
