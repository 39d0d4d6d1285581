"""The generic hazard (``hazards.series``): a quantity over time at named stations, with thresholds.

A storm surge, a wind field, a water level, a temperature, a gas concentration downwind of a leak:
each station's value comes from a table (piecewise linear in time) or a parametric pulse, and each
threshold, when crossed, applies effects — a warning, an incident (with evacuation or other tasks),
a road or communications cut, an inject — and optionally other effects when it clears. So a typhoon,
a cold wave or a chemical plume needs no code.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from drillsim.scenario.model import Effect, Location
from drillsim.scenario.model_triggers import Trigger
from drillsim.scenario.types import Duration, Frozen, Id, Text, TimePoint, written


class Pulse(Frozen):
    """A rise from ``base`` to ``peak`` over ``rise``, peaking ``at``, then a fall back over ``fall``."""

    base: float = 0.0
    peak: float
    at: TimePoint
    rise: Duration = Field(default=written("6h"), gt=0)
    fall: Duration = Field(default=written("6h"), gt=0)
    shape: Literal["smooth", "linear"] = Field(default="smooth", description="Cosine ramps, or straight lines.")


class SeriesStation(Frozen):
    """A place where the quantity is known: a tide gauge, a wind mast, a gas monitor, a village."""

    name: Text | None = None
    region: Id
    location: Location | None = Field(default=None, description="Default: the region's location.")
    table: tuple[tuple[TimePoint, float], ...] | None = Field(
        default=None, description="[[time, value], …] in increasing time; linear between, held before and after.")
    pulse: Pulse | None = None
    scale: float = Field(default=1.0, ge=0, description="Multiplies every value (a sweepable intensity).")

    @model_validator(mode="after")
    def _one(self) -> SeriesStation:
        if (self.table is None) == (self.pulse is None):
            raise ValueError("give exactly one of `table` or `pulse`")
        if self.table is not None:
            times = [t for t, _ in self.table]
            if not times or times != sorted(times) or len(set(times)) != len(times):
                raise ValueError("table times must be listed in increasing order, each once")
        return self


class SeriesThreshold(Frozen):
    """Crossing a value at a station applies effects (and others when it falls back)."""

    station: Id
    above: float | None = Field(default=None, description="Crossed when the value rises to this or more.")
    below: float | None = Field(default=None, description="Crossed when the value falls to this or less.")
    name: Text | None = None
    effects: tuple[Effect, ...] = ()
    clear: tuple[Effect, ...] = Field(default=(), description="Applied when the value is back on the safe side.")

    @model_validator(mode="after")
    def _one(self) -> SeriesThreshold:
        if (self.above is None) == (self.below is None):
            raise ValueError("give exactly one of `above` or `below`")
        return self


class Series(Frozen):
    """One quantity (surge height, wind speed, concentration …) at its stations."""

    name: Text
    unit: str = Field(description="What the values are in (m, m/s, mg/m³, °C …), for records and reports.")
    step: Duration = Field(default=written("10m"), gt=0, description="How often values are read for thresholds.")
    record_every: Duration = Field(default=written("1h"), gt=0, description="How often readings are logged.")
    stations: dict[Id, SeriesStation] = Field(min_length=1)
    thresholds: dict[Id, SeriesThreshold] = Field(default_factory=dict)
    stop: Trigger | None = Field(default=None, description="The source is stopped (a leak plugged): from then on "
                                 "every station's value falls away with time constant `decay`.")
    decay: Duration = Field(default=written("30m"), gt=0, description="How fast values fall once the source stops.")


class FireUpdates(Frozen):
    """When a fire's burned area is worth an update report (续报): it grew by ``area`` and by ``share``."""

    area: float = Field(default=1.0, ge=0, description="Hectares of growth since the last report.")
    share: float = Field(default=0.1, ge=0, description="Growth as a share of the area last reported.")
