"""What a sweep is: scenario, fixed overrides, factors, design, replicates, seeds.

A spec comes from ``--vary`` options, from a sweep file (YAML, for larger designs), or from the
Python API; all three end up as :class:`VaryRequest` s resolved against the loaded scenario, so
every mistake (unknown parameter, bad range, wrong unit) is one located problem and exit code 2
before any run starts.

The sweep file format is documented, with an example, in docs/sweeps.md ("Sweep files").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillsim.errors import InputError, Problem
from drillsim.scenario.load import Loaded
from drillsim.scenario.overrides import get_path, parse_assignment
from drillsim.scenario.yamlsafe import Document, PathT, read_document, resolve_plain
from drillsim.sweeps import designs as designs_mod
from drillsim.sweeps.factors import KINDS, Factor, Level, hint, infer_kind, make_levels, parse_value

Where = Callable[[str, str], Problem]
"""``where(message, expected) -> Problem``: locates a complaint about one factor."""

FILE_KEYS = ("scenario", "design", "points", "replicates", "seed", "crn", "set", "vary", "list")


@dataclass(frozen=True)
class VaryRequest:
    """One factor as asked for, before it is checked against the scenario.

    Attributes:
        name: A declared parameter or a dotted path.
        low: Range start as written (``30m``), or None.
        high: Range end as written.
        values: Explicit values as written, or None.
        kind: Kind forced by the sweep file (raw paths only), or None.
        where: Builds a located problem for this request.
    """

    name: str
    low: Any = None
    high: Any = None
    values: tuple[Any, ...] | None = None
    kind: str | None = None
    where: Where = field(default=lambda m, e: Problem("--vary", 0, 0, "", m, e), compare=False, repr=False)


@dataclass(frozen=True)
class SweepSpec:
    """A resolved sweep: everything that determines its table, except wall times.

    Attributes:
        factors: The knobs, in column order.
        design: ``grid``, ``lhs``, ``sobol`` or ``list``.
        points: Design size (see :mod:`drillsim.sweeps.designs`); None for the design's default.
        replicates: Runs per point, each with its own seed.
        crn: Common random numbers: replicate *r* has the same seed at every point.
        seed: Root seed.
        overrides: Fixed ``--set`` overrides applied before each point's values.
        listed: The points of a ``list`` design.
    """

    factors: tuple[Factor, ...]
    design: str
    points: int | None
    replicates: int
    crn: bool
    seed: int
    overrides: tuple[tuple[str, Any], ...] = ()
    listed: tuple[tuple[Level, ...], ...] | None = None

    def describe(self) -> dict[str, Any]:
        """JSON form (``sweep.json``)."""
        return {
            "design": self.design, "points": self.points, "replicates": self.replicates, "crn": self.crn,
            "seed": self.seed, "overrides": [[p, v] for p, v in self.overrides],
            "factors": [f.describe() for f in self.factors],
            "listed": None if self.listed is None else [[lv.text for lv in p] for p in self.listed],
        }


# ---- the command line ------------------------------------------------------------------------------


def parse_vary(text: str) -> VaryRequest:
    """``NAME``, ``NAME=LO:HI`` or ``NAME=V1,V2,...`` (values are YAML scalars: ``30m``, ``0.8``, ``true``)."""
    def where(message: str, expected: str, _name: str = text.partition("=")[0].strip()) -> Problem:
        return Problem("--vary", 0, 0, _name, message, expected)

    name, eq, rest = text.partition("=")
    name = name.strip()
    if not name:
        raise InputError([where("empty name", "NAME=LO:HI, NAME=V1,V2,... or a declared parameter NAME")])
    if not eq:
        return VaryRequest(name, where=where)
    rest = rest.strip()
    if not rest:
        raise InputError([where("nothing after '='", "NAME=LO:HI or NAME=V1,V2,...")])
    if "," in rest:
        values = tuple(resolve_plain(v.strip()) for v in rest.split(","))
        if any(v is None for v in values):
            raise InputError([where(f"empty value in {rest!r}", "NAME=V1,V2,... with no empty item")])
        return VaryRequest(name, values=values, where=where)
    if ":" in rest:
        lo, _, hi = rest.partition(":")
        if not lo.strip() or not hi.strip():
            raise InputError([where(f"bad range {rest!r}", "LO:HI, e.g. 30m:2h or 0.5:1")])
        return VaryRequest(name, resolve_plain(lo.strip()), resolve_plain(hi.strip()), where=where)
    return VaryRequest(name, values=(resolve_plain(rest),), where=where)


# ---- the sweep file ------------------------------------------------------------------------------------


@dataclass
class SweepFile:
    """What a sweep file says (every field optional; the command line overrides it)."""

    scenario: str | None = None
    design: str | None = None
    points: int | None = None
    replicates: int | None = None
    seed: int | None = None
    crn: bool | None = None
    overrides: list[tuple[str, Any]] = field(default_factory=list)
    vary: list[VaryRequest] = field(default_factory=list)
    listed: list[tuple[dict[str, Any], PathT]] | None = None
    doc: Document | None = None


def read_sweep_file(path: str | Path) -> SweepFile:
    """Read and check a sweep file; every problem is located (file:line:col)."""
    doc = read_document(path)
    data = doc.data
    if not isinstance(data, dict):
        raise InputError([doc.problem((), "a sweep file must be a mapping", "keys such as design, vary, replicates")])
    problems: list[Problem] = list(doc.problems)
    out = SweepFile(doc=doc)
    for key in data:
        if key not in FILE_KEYS:
            problems.append(doc.problem((key,), f"unknown key `{key}`", "one of: " + ", ".join(FILE_KEYS), key=True))

    def scalar(key: str, ok: Callable[[Any], bool], expected: str) -> Any:
        if key not in data or data[key] is None:
            return None
        value = data[key]
        if not ok(value):
            problems.append(doc.problem((key,), f"{value!r} is not allowed", expected))
            return None
        return value

    def positive(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 1

    out.scenario = scalar("scenario", lambda v: isinstance(v, str) and bool(v), "a scenario file or bundled id")
    out.design = scalar("design", lambda v: v in designs_mod.DESIGNS, "one of " + ", ".join(designs_mod.DESIGNS))
    out.points = scalar("points", positive, "a whole number of 1 or more")
    out.replicates = scalar("replicates", positive, "a whole number of 1 or more")
    out.seed = scalar("seed", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                      "a whole number of 0 or more")
    out.crn = scalar("crn", lambda v: isinstance(v, bool), "true or false")
    sets = data.get("set")
    if isinstance(sets, dict):
        out.overrides = [(str(k), v) for k, v in sets.items()]
    elif isinstance(sets, list):
        for i, item in enumerate(sets):
            try:
                out.overrides.append(parse_assignment(str(item)))
            except InputError:
                problems.append(doc.problem(("set", i), f"{item!r} is not PATH=VALUE", "PATH=VALUE"))
    elif sets is not None:
        problems.append(doc.problem(("set",), "not a mapping", "a mapping of path: value"))
    vary = data.get("vary")
    if isinstance(vary, dict):
        for name, body in vary.items():
            req = _file_vary(doc, str(name), body, problems)
            if req is not None:
                out.vary.append(req)
    elif vary is not None:
        problems.append(doc.problem(("vary",), "not a mapping", "a mapping of parameter: range or values"))
    listed = data.get("list")
    if isinstance(listed, list):
        out.listed = []
        for i, item in enumerate(listed):
            if isinstance(item, dict):
                out.listed.append((item, ("list", i)))
            else:
                problems.append(doc.problem(("list", i), "not a mapping", "a mapping of parameter: value"))
    elif listed is not None:
        problems.append(doc.problem(("list",), "not a list", "a list of mappings parameter: value"))
    if problems:
        raise InputError(problems)
    return out


def _file_vary(doc: Document, name: str, body: Any, problems: list[Problem]) -> VaryRequest | None:
    base: PathT = ("vary", name)

    def where_at(path: PathT) -> Where:
        return lambda m, e: doc.problem(path, m, e)

    if body is None:
        return VaryRequest(name, where=where_at(base))
    if isinstance(body, list):
        if len(body) != 2:
            problems.append(doc.problem(base, "a range needs two values", "[LO, HI], or {values: [...]}"))
            return None
        return VaryRequest(name, body[0], body[1], where=where_at(base))
    if not isinstance(body, dict):
        problems.append(doc.problem(base, f"{body!r} is not a range", "[LO, HI], {range: [LO, HI]} or {values: [...]}"))
        return None
    bad = [k for k in body if k not in ("range", "values", "kind")]
    for k in bad:
        problems.append(doc.problem((*base, k), f"unknown key `{k}`", "range, values or kind", key=True))
    kind = body.get("kind")
    if kind is not None and kind not in KINDS:
        problems.append(doc.problem((*base, "kind"), f"{kind!r} is not a kind", "one of " + ", ".join(KINDS)))
        return None
    rng, values = body.get("range"), body.get("values")
    if rng is not None and values is not None:
        problems.append(doc.problem(base, "both range and values", "one of range or values"))
        return None
    if rng is not None:
        if not isinstance(rng, list) or len(rng) != 2:
            problems.append(doc.problem((*base, "range"), "a range needs two values", "[LO, HI]"))
            return None
        return VaryRequest(name, rng[0], rng[1], kind=kind, where=where_at((*base, "range")))
    if values is not None:
        if not isinstance(values, list) or not values:
            problems.append(doc.problem((*base, "values"), "not a non-empty list", "[V1, V2, ...]"))
            return None
        return VaryRequest(name, values=tuple(values), kind=kind, where=where_at((*base, "values")))
    return VaryRequest(name, kind=kind, where=where_at(base))


# ---- resolving against the scenario -------------------------------------------------------------------


def resolve_factors(requests: Sequence[VaryRequest], loaded: Loaded) -> tuple[Factor, ...]:
    """Check each request against the scenario; all problems are reported together."""
    problems: list[Problem] = []
    factors: list[Factor] = []
    dump: dict[str, Any] | None = None
    seen: dict[str, str] = {}
    for req in requests:
        if req.name in seen:
            problems.append(req.where(f"`{req.name}` is varied twice", "each parameter once"))
            continue
        try:
            if req.name not in loaded.scenario.parameters and dump is None:
                dump = loaded.scenario.model_dump(mode="python", by_alias=True)
            factor = _resolve(req, loaded, dump or {})
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        seen[req.name] = req.name
        factors.append(factor)
    targets: dict[str, str] = {}
    for f in factors:
        paths = loaded.scenario.parameters[f.target].path if f.declared else (f.target,)
        for p in paths:
            if p in targets:
                problems.append(Problem("--vary", 0, 0, f.name,
                                        f"writes to {p}, which `{targets[p]}` also varies", "independent factors"))
            targets[p] = f.name
    if problems:
        raise InputError(problems)
    return tuple(factors)


def _resolve(req: VaryRequest, loaded: Loaded, dump: Mapping[str, Any]) -> Factor:
    params = loaded.scenario.parameters
    if req.name in params:
        p = params[req.name]
        if req.kind is not None and req.kind != p.kind:
            raise InputError([req.where(f"kind {req.kind!r} differs from the parameter's kind {p.kind!r}",
                                        f"kind {p.kind} or no kind")])
        if req.low is None and req.values is None:
            if p.values:
                return _with_values(req, p.kind, p.values, declared=True)
            if p.range is not None:
                return _with_range(VaryRequest(req.name, p.range[0], p.range[1], where=req.where), p.kind,
                                   declared=True)
            raise InputError([req.where(f"parameter `{req.name}` declares no range or values",
                                        f"--vary {req.name}=LO:HI or {req.name}=V1,V2,...")])
        if req.values is not None:
            return _with_values(req, p.kind, req.values, declared=True)
        return _with_range(req, p.kind, declared=True)
    try:
        raw = get_path(loaded.data, req.name)
    except (KeyError, ValueError):
        raw = _default_value(req, loaded, dump)
    if isinstance(raw, dict | list):
        raise InputError([req.where(f"`{req.name}` holds a {'mapping' if isinstance(raw, dict) else 'list'}, "
                                    "not a single value", "a path to one value, e.g. reporting.deadlines.county")])
    if req.low is None and req.values is None:
        raise InputError([req.where(f"`{req.name}` is not a declared parameter, so it needs a range or values",
                                    f"--vary {req.name}=LO:HI or {req.name}=V1,V2,...")])
    kind = req.kind
    if kind is None:
        try:
            validated = get_path(dump, req.name)
        except (KeyError, ValueError):
            validated = None
        sample = raw if raw is not None else (req.low if req.values is None else req.values[0])
        kind = infer_kind(sample, validated)
        if kind is None:
            raise InputError([req.where(f"cannot tell what kind of value `{req.name}` holds ({raw!r})",
                                        "declare it under parameters: with a kind, or give kind: in a sweep file")])
    if kind == "choice" and req.values is None:
        raise InputError([req.where(f"`{req.name}` holds text ({raw!r}), so it needs a list of values",
                                    f"--vary {req.name}=A,B,C")])
    if req.values is not None:
        return _with_values(req, kind, req.values, declared=False)
    return _with_range(req, kind, declared=False)


def _split(exc: ValueError, kind: str) -> tuple[str, str]:
    """``bad duration 'x' (a duration with a unit ...)`` → message and expected, said once."""
    msg = str(exc)
    if msg.endswith(")") and " (" in msg:
        head, _, tail = msg.rpartition(" (")
        return head, tail[:-1]
    return msg, hint(kind)


def _default_value(req: VaryRequest, loaded: Loaded, dump: Mapping[str, Any]) -> Any:
    """A path not written in the file but holding a default (``teams.x.count``): allowed, like ``--set``."""
    parent = req.name.rpartition(".")[0]
    try:
        get_path(dump, req.name)
        holder = get_path(loaded.data, parent) if parent else None
    except (KeyError, ValueError):
        holder = None
    if not isinstance(holder, dict):
        known = ", ".join(loaded.scenario.parameters) or "none declared"
        raise InputError([req.where(f"`{req.name}` is neither a parameter of this scenario nor a path in it",
                                    f"a parameter ({known}) or a dotted path such as teams.<id>.members")])
    return None


def _with_values(req: VaryRequest, kind: str, values: Sequence[Any], *, declared: bool) -> Factor:
    try:
        levels = make_levels(kind, values)
    except ValueError as exc:
        msg, expected = _split(exc, kind)
        raise InputError([req.where(f"bad value for `{req.name}`: {msg}", expected)]) from None
    if len({lv.text for lv in levels}) != len(levels):
        raise InputError([req.where(f"repeated value for `{req.name}`", "each value once")])
    return Factor(req.name, req.name, kind, values=levels, declared=declared)


def _with_range(req: VaryRequest, kind: str, *, declared: bool) -> Factor:
    if kind in ("bool", "choice"):
        raise InputError([req.where(f"`{req.name}` is a {kind}: it takes values, not a range",
                                    f"{req.name}=V1,V2,..." if kind == "choice" else f"{req.name}=false,true")])
    try:
        lo = parse_value(kind, req.low)
        hi = parse_value(kind, req.high)
    except ValueError as exc:
        msg, expected = _split(exc, kind)
        raise InputError([req.where(f"bad range for `{req.name}`: {msg}", expected)]) from None
    if not lo < hi:
        raise InputError([req.where(f"empty range for `{req.name}`: {req.low} is not below {req.high}",
                                    "LO below HI")])
    return Factor(req.name, req.name, kind, float(lo), float(hi), declared=declared)


def resolve_listed(factors: Sequence[Factor], items: Sequence[tuple[Mapping[str, Any], Where]]
                   ) -> tuple[tuple[Level, ...], ...]:
    """Points of a ``list`` design: each item gives one value for every factor."""
    problems: list[Problem] = []
    out: list[tuple[Level, ...]] = []
    names = [f.name for f in factors]
    for item, where in items:
        extra = [k for k in item if k not in names]
        missing = [n for n in names if n not in item]
        if extra or missing:
            msg = "; ".join(filter(None, [f"not varied: {', '.join(extra)}" if extra else "",
                                          f"missing: {', '.join(missing)}" if missing else ""]))
            problems.append(where(msg, "one value for each of " + ", ".join(names)))
            continue
        point = []
        for f in factors:
            try:
                (level,) = make_levels(f.kind, [item[f.name]])
            except ValueError as exc:
                msg, expected = _split(exc, f.kind)
                problems.append(where(f"bad value for `{f.name}`: {msg}", expected))
                break
            point.append(level)
        else:
            out.append(tuple(point))
    if problems:
        raise InputError(problems)
    return tuple(out)


def listed_from_values(factors: Sequence[Factor]) -> tuple[tuple[Level, ...], ...]:
    """``--design list`` on the command line: the i-th values of every factor form point i."""
    if not factors:
        return ()
    lengths = {len(f.values) if f.values is not None else -1 for f in factors}
    if -1 in lengths:
        bad = next(f for f in factors if f.values is None)
        raise InputError([Problem("--vary", 0, 0, bad.name, "design list needs explicit values, not a range",
                                  f"--vary {bad.name}=V1,V2,...")])
    if len(lengths) != 1:
        raise InputError([Problem("--vary", 0, 0, "", "design list needs the same number of values for every "
                                  "factor", "equal-length value lists (point i takes the i-th value of each)")])
    n = lengths.pop()
    columns = [f.values for f in factors if f.values is not None]  # all of them (checked above)
    return tuple(tuple(column[i] for column in columns) for i in range(n))
