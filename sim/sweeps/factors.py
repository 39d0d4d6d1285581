"""Factors: the knobs a sweep turns, with their kind, range and how a value is written back.

A factor is either a parameter declared in the scenario's ``parameters:`` section (its paths, kind
and range come from there) or a raw dotted path (``teams.bluesky-mtg.members``), whose kind is
worked out from the value already at that path. A sweep point sets each factor through the same
override mechanism as ``--set``, and values of unit kinds are written back *with* their unit
(``37.5m``, ``0.025/m``) so that every point is validated exactly like a value typed in the file.
Internal units are the engine's: minutes, km/h, km, hectares and events per minute; the text is
written in those units too, so the number in the results table is exactly what the run used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from drillsim import units
from drillsim.limits import INT_MAX, INT_MIN

KINDS = ("duration", "speed", "distance", "area", "rate", "count", "number", "probability", "bool", "choice")
UNIT_KINDS = ("duration", "speed", "distance", "area", "rate")
NUMERIC_KINDS = (*UNIT_KINDS, "count", "number", "probability")

_PARSERS: dict[str, Callable[[object], float]] = {
    "duration": units.parse_duration,
    "speed": units.parse_speed,
    "distance": units.parse_distance,
    "area": units.parse_area,
    "rate": units.parse_rate,
}
_WRITE = {"duration": ("m", 1.0), "speed": ("km/h", 1.0), "distance": ("km", 1.0), "area": ("ha", 1.0),
          "rate": ("/h", 60.0)}
"""How a generated value is written back: unit suffix and factor from internal units."""
DIGITS = 10
"""Significant digits of generated values (far below any effect on a run, and readable)."""
_HINTS = {
    "duration": units.DURATION_HINT, "speed": units.SPEED_HINT, "distance": units.DISTANCE_HINT,
    "area": units.AREA_HINT, "rate": units.RATE_HINT, "count": "a whole number such as 12",
    "number": "a number such as 2.5", "probability": "a number from 0 to 1", "bool": "true or false",
    "choice": "one of the listed values",
}


def hint(kind: str) -> str:
    """What a value of ``kind`` looks like (for error messages)."""
    return _HINTS[kind]


def parse_value(kind: str, raw: Any) -> Any:
    """Read a value as an author writes it (``30m``, ``0.8``, ``true``) into internal units.

    Raises:
        ValueError: with a message saying what was expected.
    """
    if kind in _PARSERS:
        return _PARSERS[kind](raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise ValueError(f"{raw!r} is not true or false")
    if kind == "choice":
        if isinstance(raw, dict | list):
            raise ValueError("a choice value must be a single scalar")
        return raw
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError(f"{raw!r} is not a number")
    if not math.isfinite(raw):
        raise ValueError(f"{raw!r} is not a finite number")
    if kind == "count":
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError(f"{raw!r} is not a whole number")
        if not INT_MIN <= raw <= INT_MAX:  # the results table and the event log hold 64-bit whole numbers
            raise ValueError(f"{raw!r} is too large (a whole number from {INT_MIN} to {INT_MAX})")
        return int(raw)
    if kind == "probability" and not 0.0 <= raw <= 1.0:
        raise ValueError(f"{raw!r} is not between 0 and 1")
    return float(raw)


def write_value(kind: str, value: Any) -> Any:
    """The plain YAML value written into the scenario for an internal value (units re-attached).

    Generated numbers are rounded to :data:`DIGITS` significant digits; durations are written in
    minutes (``37.5m``), rates per hour (``2.25/h``), speeds in km/h, distances in km, areas in ha.
    """
    if kind in _WRITE:
        suffix, factor = _WRITE[kind]
        return f"{float(value) * factor:.{DIGITS}g}{suffix}"
    if kind == "count":
        return round(value)
    if kind in ("number", "probability"):
        return float(f"{float(value):.{DIGITS}g}")
    return value


def show_value(value: Any) -> str:
    """A value as text for the results table and reproduce commands (YAML spelling)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        return repr(value)
    return str(value)


@dataclass(frozen=True)
class Level:
    """One value of a factor: the internal value (a number, or the raw choice) and the text written."""

    value: Any
    text: str
    written: Any


@dataclass(frozen=True)
class Factor:
    """A knob of the sweep.

    Attributes:
        name: Column name in the results (the parameter name or the raw path).
        target: What the override writes to (a parameter name or a dotted path).
        kind: One of :data:`KINDS`.
        low: Lower end of the range in internal units (None when only ``values`` are given).
        high: Upper end of the range.
        values: Explicit levels, in the order given (None for a range).
        declared: True when the factor is a parameter declared in the scenario.
        affects: ``world`` or ``scoring`` (a declared parameter that only moves how runs are rated).
    """

    name: str
    target: str
    kind: str
    low: float | None = None
    high: float | None = None
    values: tuple[Level, ...] | None = None
    declared: bool = False
    affects: str = "world"

    @property
    def is_range(self) -> bool:
        """True when the factor varies over ``[low, high]`` rather than a list of values."""
        return self.values is None

    def level(self, value: Any) -> Level:
        """The level for a generated internal value.

        The value is written (with units), and the number recorded is the written text read back,
        so the results table holds exactly what the run used.
        """
        written = write_value(self.kind, value)
        return Level(parse_value(self.kind, written), show_value(written), written)

    def from_unit(self, u: float) -> Level:
        """Map ``u`` in [0, 1] (an LHS or Sobol coordinate) to a level.

        Ranges are linear; counts give every whole number in ``[low, high]`` an equal share; value
        lists give each value an equal share of [0, 1] in the order listed.
        """
        u = min(max(float(u), 0.0), 1.0)
        if self.values is not None:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        assert self.low is not None and self.high is not None
        if self.kind == "count":
            lo, hi = int(self.low), int(self.high)
            return self.level(min(lo + int(u * (hi - lo + 1)), hi))
        return self.level(self.low + u * (self.high - self.low))

    def grid(self, points: int) -> list[Level]:
        """``points`` evenly spaced levels over the range (counts deduplicated), or every listed value."""
        if self.values is not None:
            return list(self.values)
        assert self.low is not None and self.high is not None
        if points <= 1:
            return [self.level((self.low + self.high) / 2 if self.kind != "count"
                               else round((self.low + self.high) / 2))]
        step = (self.high - self.low) / (points - 1)
        raw = [self.low + i * step for i in range(points - 1)] + [self.high]
        if self.kind == "count":
            seen = dict.fromkeys(round(x) for x in raw)  # in order, each whole number once
            return [self.level(n) for n in seen]
        return [self.level(x) for x in raw]

    def describe(self) -> dict[str, Any]:
        """JSON form for ``sweep.json`` (and the fingerprint of a sweep)."""
        out: dict[str, Any] = {"name": self.name, "target": self.target, "kind": self.kind,
                               "declared": self.declared}
        if self.affects != "world":
            out["affects"] = self.affects
        if self.values is None:
            out["range"] = [self.low, self.high]
        else:
            out["values"] = [[lv.value, lv.text] for lv in self.values]
        return out


def make_levels(kind: str, raws: Sequence[Any]) -> tuple[Level, ...]:
    """Explicit levels from values as written (kept as written, parsed for the number column).

    Raises:
        ValueError: a value does not fit the kind.
    """
    out = []
    for raw in raws:
        value = parse_value(kind, raw)
        written = raw if kind in UNIT_KINDS else write_value(kind, value)
        out.append(Level(value, show_value(written), written))
    return tuple(out)


def infer_kind(raw: Any, validated: Any) -> str | None:
    """Guess the kind of a raw path from the value written there and the value after validation.

    ``30m`` reads both as 30 minutes and as 30 metres; the validated scenario says which one the
    field means (30.0 vs 0.03). Returns None when the kind cannot be told.
    """
    if isinstance(raw, bool):
        return "bool"
    if isinstance(raw, int):
        return "count"
    if isinstance(raw, float):
        return "number"
    if not isinstance(raw, str):
        return None
    fits = []
    for kind, parser in _PARSERS.items():
        try:
            value = parser(raw)
        except ValueError:
            continue
        if isinstance(validated, int | float) and not isinstance(validated, bool):
            if math.isclose(value, float(validated), rel_tol=1e-9, abs_tol=1e-12):
                fits.append(kind)
        else:
            fits.append(kind)
    if len(fits) == 1:
        return fits[0]
    if not fits:
        return "choice"
    return None
