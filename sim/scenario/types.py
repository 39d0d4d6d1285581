"""Field types of the scenario format: ids, bilingual text, quantities with units, distributions.

Each type parses what an author writes (``"30m"``, ``{lognormal: {median: 10m, p95: 40m}}``,
``{zh: 火情通报, en: fire notice}``) into one internal representation, publishes a JSON Schema that
editors can use, and fails with a message that says what was expected.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self, TypeAlias, Union, cast

from annotated_types import GroupedMetadata
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    TypeAdapter,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from drillsim import units
from drillsim.text import pick


class Frozen(BaseModel):
    """Base of every scenario model: unknown keys are errors, objects are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, validate_default=True)


ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_\-]*$"
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=80),
    Field(description="An identifier: letters, digits, '-' and '_' (no dots or spaces)."),
]

# ---------------------------------------------------------------------------------------------
# Quantities. Internal units: minutes, km/h, km, hectares, events per minute.


Duration = Annotated[
    float,
    BeforeValidator(units.parse_duration),
    WithJsonSchema({"type": ["string", "number"], "pattern": r"^[-+]?[0-9.]+\s*(ms|s|sec|min|m|h|d|w)",
                    "description": units.DURATION_HINT}),
]
Speed = Annotated[
    float,
    BeforeValidator(units.parse_speed),
    WithJsonSchema({"type": ["string", "number"], "pattern": r"^[0-9.]+\s*(km/h|kmh|kph|m/min|m/s|kn)$",
                    "description": units.SPEED_HINT}),
]
Distance = Annotated[
    float,
    BeforeValidator(units.parse_distance),
    WithJsonSchema({"type": ["string", "number"], "pattern": r"^[0-9.]+\s*(km|m)$",
                    "description": units.DISTANCE_HINT}),
]
Area = Annotated[
    float,
    BeforeValidator(units.parse_area),
    WithJsonSchema({"type": ["string", "number"], "pattern": r"^[0-9.]+\s*(ha|km2|m2|mu)$",
                    "description": units.AREA_HINT}),
]
Rate = Annotated[
    float,
    BeforeValidator(units.parse_rate),
    WithJsonSchema({"type": ["string", "number"], "pattern": r"^[0-9.]+\s*/\s*(s|m|min|h|d)$",
                    "description": units.RATE_HINT}),
]
Probability = Annotated[float, Field(ge=0.0, le=1.0, description="A probability between 0 and 1.")]


def _check_location(loc: tuple[float, float]) -> tuple[float, float]:
    if not (-180 <= loc[0] <= 180 and -90 <= loc[1] <= 90):
        raise ValueError("location is [longitude, latitude] in degrees (lon -180..180, lat -90..90)")
    return loc


Location = Annotated[
    tuple[float, float],
    AfterValidator(_check_location),
    Field(description="[longitude, latitude] in degrees (WGS84), e.g. [116.10, 39.94]."),
]
Count = Annotated[int, Field(ge=0, description="A whole number of zero or more.")]


def _plain_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number (a plain number such as 3 or 2.5)")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{value!r} must be a finite number of zero or more")
    return float(value)


Amount = Annotated[float, BeforeValidator(_plain_number), WithJsonSchema({"type": "number", "minimum": 0})]


def parse_timepoint(value: Any, info: ValidationInfo) -> float:
    """A moment in the exercise as minutes after ``start``.

    Accepts an offset (``2h30m``, ``T+2h30m``) or a wall-clock time in the scenario's zone
    (``2023-07-30T12:50:00+08:00`` or ``2023-07-30 12:50``), which is what a facilitator copies
    from a real timeline.
    """
    if isinstance(value, datetime):
        value = value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        if text.upper().startswith("T+") or text.upper().startswith("T-"):
            minutes = units.parse_duration(text[1:], allow_negative=True)
        elif len(text) >= 10 and text[4] == "-" and text[7] == "-":
            start: datetime | None = (info.context or {}).get("start")
            if start is None:
                raise ValueError("a clock time needs the scenario's `start` (use an offset such as 2h30m)")
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(f"bad date-time {value!r} (ISO 8601, e.g. 2023-07-30T12:50:00+08:00)") from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=start.tzinfo)
            minutes = (moment - start) / timedelta(minutes=1)
        else:
            minutes = units.parse_duration(text, allow_negative=True)
    else:
        minutes = units.parse_duration(value)
    if minutes < 0:
        raise ValueError(f"{value!r} is before the scenario start (a time at or after start)")
    return minutes


TimePoint = Annotated[
    float,
    BeforeValidator(parse_timepoint),
    WithJsonSchema({"type": "string", "description": "An offset (2h30m, T+2h30m) or an ISO date-time."}),
]

# ---------------------------------------------------------------------------------------------
# Bilingual text.


class Text(Frozen):
    """Text a person reads, in Chinese and/or English. A bare string fills both languages."""

    zh: str | None = None
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"zh": value, "en": value}
        if isinstance(value, dict) and not (value.get("zh") or value.get("en")):
            raise ValueError("text needs `zh` or `en` (a string, or {zh: ..., en: ...})")
        return value

    def get(self, lang: str = "en") -> str:
        """The text in ``lang``, falling back to the other language."""
        return pick({"zh": self.zh, "en": self.en}, lang)

    def as_dict(self) -> dict[str, str]:
        """Both languages for the event log (so a log reads without the scenario)."""
        return {k: v for k, v in (("zh", self.zh), ("en", self.en)) if v}


# ---------------------------------------------------------------------------------------------
# Distributions. `30m` is a fixed value; `{exponential: {mean: 10m}}` names a family.

DIST_KINDS = ("fixed", "exponential", "lognormal", "uniform", "triangular", "empirical", "poisson")
DIST_HINT = "a value, or one of {fixed: v}, {exponential: {mean}}, {lognormal: {median, p95}}, " \
    "{uniform: {low, high}}, {triangular: {low, mode, high}}, {empirical: [v, ...]}"


def _dist_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        if len(value) == 1:
            (key,) = value
            return key if key in DIST_KINDS else None
        return None
    if isinstance(value, BaseModel):
        return getattr(value, "kind", None)
    return "fixed"


class Distribution(Frozen):
    """Base of every distribution model; ``kind`` names its family (``fixed``, ``lognormal``, …).

    The concrete models are built once per kind of value (durations, counts) by ``_make_family``; to
    the type checker :data:`DurationDist` and :data:`CountDist` are this class, and
    :func:`dist_params` reads a distribution's parameters.
    """

    kind: ClassVar[str]


class _Parsed(GroupedMetadata):
    """The metadata of an ``Annotated`` alias (``Duration``, ``Amount``) as one ``Annotated`` item.

    ``Annotated[float, _Parsed(Duration)]`` validates and exports exactly as ``Duration`` (pydantic
    unpacks grouped metadata), and it is a valid static type where ``Duration`` is a runtime value.
    """

    def __init__(self, alias: Any) -> None:
        self._metadata: tuple[object, ...] = tuple(alias.__metadata__)

    def __iter__(self) -> Iterator[object]:
        return iter(self._metadata)


def _make_family(prefix: str, value: Any, allow_poisson: bool) -> object:
    """Build the distribution union for one kind of value (``Duration`` or ``Amount``)."""
    parsed = _Parsed(value)

    class Fixed(Distribution):
        __qualname__ = prefix + "Fixed"
        fixed: Annotated[float, parsed]

        @model_validator(mode="before")
        @classmethod
        def _bare(cls, v: Any) -> Any:
            return v if isinstance(v, dict) else {"fixed": v}

        kind: ClassVar[str] = "fixed"

    class ExpParams(Frozen):
        __qualname__ = prefix + "ExpParams"
        mean: Annotated[float, parsed]

    class Exponential(Distribution):
        __qualname__ = prefix + "Exponential"
        exponential: ExpParams
        kind: ClassVar[str] = "exponential"

    class LogParams(Frozen):
        __qualname__ = prefix + "LogParams"
        median: Annotated[float, parsed]
        p95: Annotated[float, parsed]

        @model_validator(mode="after")
        def _order(self) -> Self:
            if not (self.p95 > self.median > 0):
                raise ValueError("lognormal needs 0 < median < p95")
            return self

    class Lognormal(Distribution):
        __qualname__ = prefix + "Lognormal"
        lognormal: LogParams
        kind: ClassVar[str] = "lognormal"

    class UniParams(Frozen):
        __qualname__ = prefix + "UniParams"
        low: Annotated[float, parsed]
        high: Annotated[float, parsed]

        @model_validator(mode="after")
        def _order(self) -> Self:
            if self.low > self.high:
                raise ValueError("uniform needs low <= high")
            return self

    class Uniform(Distribution):
        __qualname__ = prefix + "Uniform"
        uniform: UniParams
        kind: ClassVar[str] = "uniform"

    class TriParams(Frozen):
        __qualname__ = prefix + "TriParams"
        low: Annotated[float, parsed]
        mode: Annotated[float, parsed]
        high: Annotated[float, parsed]

        @model_validator(mode="after")
        def _order(self) -> Self:
            if not (self.low <= self.mode <= self.high):
                raise ValueError("triangular needs low <= mode <= high")
            return self

    class Triangular(Distribution):
        __qualname__ = prefix + "Triangular"
        triangular: TriParams
        kind: ClassVar[str] = "triangular"

    class EmpParams(Frozen):
        __qualname__ = prefix + "EmpParams"
        values: tuple[Annotated[float, parsed], ...] = Field(min_length=1)
        weights: tuple[Amount, ...] | None = None

        @model_validator(mode="before")
        @classmethod
        def _list(cls, v: Any) -> Any:
            return {"values": v} if isinstance(v, list) else v

        @model_validator(mode="after")
        def _weights(self) -> Self:
            if self.weights is not None:
                if len(self.weights) != len(self.values):
                    raise ValueError("empirical weights must match values one for one")
                if sum(self.weights) <= 0:
                    raise ValueError("empirical weights must not all be zero")
            return self

    class Empirical(Distribution):
        __qualname__ = prefix + "Empirical"
        empirical: EmpParams
        kind: ClassVar[str] = "empirical"

    members: list[type[Distribution]] = [Fixed, Exponential, Lognormal, Uniform, Triangular, Empirical]
    if allow_poisson:
        class PoiParams(Frozen):
            __qualname__ = prefix + "PoiParams"
            mean: Amount

        class Poisson(Distribution):
            __qualname__ = prefix + "Poisson"
            poisson: PoiParams
            kind: ClassVar[str] = "poisson"

        members.append(Poisson)
    tagged = tuple(Annotated[m, Tag(m.kind)] for m in members)
    return Annotated[
        Union[tagged],  # noqa: UP007 - a runtime-built union needs the subscript form
        Discriminator(
            _dist_kind,
            custom_error_type="distribution",
            custom_error_message="unknown distribution (expected " + DIST_HINT + ")",
        ),
    ]


if TYPE_CHECKING:
    # Statically a distribution is "one of the family": the members are built at run time.
    DurationDist: TypeAlias = Distribution
    CountDist: TypeAlias = Distribution
else:
    DurationDist = _make_family("Duration", Duration, allow_poisson=False)
    CountDist = _make_family("Count", Amount, allow_poisson=True)


def fixed_count(value: float) -> Distribution:
    """A fixed count (people) as a distribution, for models the engine builds from values it computed."""
    out: Distribution = TypeAdapter(CountDist).validate_python(value)
    return out


def fixed_minutes(value: float) -> Distribution:
    """A fixed duration of ``value`` minutes as a distribution (for models the engine builds)."""
    out: Distribution = TypeAdapter(DurationDist).validate_python(f"{value!r}m" if value else 0)
    return out


def written(text: str) -> float:
    """A quantity default as an author writes it (``"40km/h"``), declared as the float it becomes.

    Every scenario model validates its defaults (``validate_default``), so the field holds the parsed
    value, and the JSON Schema shows the default as written.
    """
    return cast(float, text)


def written_dist(value: str | float) -> Distribution:
    """A distribution default as an author writes it (``"1h"``, ``0``), declared as the model it becomes."""
    return cast(Distribution, value)


def dist_params(dist: Distribution) -> tuple[str, dict[str, Any]]:
    """``(kind, params)`` of a distribution model, for samplers and the event-log header."""
    kind = dist.kind
    body = getattr(dist, kind)
    if kind == "fixed":
        return kind, {"value": body}
    return kind, body.model_dump()


def dist_mean(dist: Distribution) -> float:
    """Mean of a distribution (used for semantic checks and travel estimates)."""
    kind, p = dist_params(dist)
    if kind == "fixed":
        return p["value"]
    if kind in ("exponential", "poisson"):
        return p["mean"]
    if kind == "lognormal":
        sigma = math.log(p["p95"] / p["median"]) / 1.6448536269514722
        return p["median"] * math.exp(sigma * sigma / 2)
    if kind == "uniform":
        return (p["low"] + p["high"]) / 2
    if kind == "triangular":
        return (p["low"] + p["mode"] + p["high"]) / 3
    vals, w = p["values"], p["weights"] or [1.0] * len(p["values"])
    return sum(v * x for v, x in zip(vals, w, strict=True)) / sum(w)


def start_time(value: Any) -> datetime:
    """Parse the scenario's ``start`` (ISO 8601 with a UTC offset)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"bad date-time {value!r} (ISO 8601 with offset, e.g. "
                             "2023-07-29T17:00:00+08:00)") from None
    else:
        raise ValueError(f"{value!r} is not a date-time (ISO 8601, e.g. 2023-07-29T17:00:00+08:00)")
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset (e.g. +08:00 for Beijing time)")
    return moment
