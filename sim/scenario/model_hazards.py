"""The ``hazards`` section: rain and rivers, forest fire on a grid, earthquakes with aftershocks.

Hazards generate the work: flash floods and trapped people from rain, road cuts and outages,
river peaks that order storage areas; a fire that spreads with the wind across a border; a quake
whose intensity falls with distance and collapses buildings. Every number here is data: the
scenario cites where it comes from (or makes it a parameter when the fact sheet marks it [U]).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from drillsim import units
from drillsim.scenario.model import IdList, IncidentSpec, Location
from drillsim.scenario.model_actions import WarningLevel
from drillsim.scenario.model_series import FireUpdates, Series
from drillsim.scenario.types import (
    Amount,
    Area,
    CountDist,
    Distance,
    Duration,
    DurationDist,
    Frozen,
    Id,
    Probability,
    Speed,
    Text,
    TimePoint,
    written,
    written_dist,
)

Curve = tuple[tuple[Duration, Amount], ...]


def _calm_or_speed(value: Any) -> float:
    """A wind speed: like :data:`Speed`, but calm (``0`` or ``0km/h``) is allowed."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
        return 0.0
    if isinstance(value, str) and _CALM.match(value):
        return 0.0
    return units.parse_speed(value)


_CALM = re.compile(r"^\s*0+(\.0*)?\s*(km/h|kmh|kph|m/min|m/s|kn)?\s*$")

WindSpeed = Annotated[
    float,
    BeforeValidator(_calm_or_speed),
    WithJsonSchema({"type": ["string", "number"], "description": "A wind speed, e.g. 8m/s or 0."}),
]


def _increasing(curve: tuple[tuple[float, float], ...], what: str) -> None:
    xs = [x for x, _ in curve]
    if xs != sorted(xs) or len(set(xs)) != len(xs):
        raise ValueError(f"{what} must be listed in increasing order")


# ---- rain and rivers ----------------------------------------------------------------------------


class RainRegion(Frozen):
    """Rain falling on one region (and everything under it): a curve of intensity over time."""

    curve: Curve = Field(min_length=1, description="[[time, mm/h], ...]; linear between points, 0 after.")
    scale: float = Field(default=1.0, ge=0, description="Multiplies the curve (a sweep knob).")
    flash_floods: float = Field(
        default=0.0,
        ge=0,
        description="Flash floods per hour per mm/h above the "
        "threshold (how prone the region's gullies are).",
    )
    road_cut_at: Amount | None = Field(default=None, description="Accumulated mm at which roads are cut.")
    comms_lost_at: Amount | None = Field(
        default=None, description="Accumulated mm at which communications fail."
    )

    @model_validator(mode="after")
    def _order(self) -> RainRegion:
        _increasing(self.curve, "curve times")
        return self


class FlashFloods(Frozen):
    """Flash floods (山洪) drawn as a Poisson stream whose rate grows with rain above a threshold."""

    threshold: Amount = Field(default=20.0, description="mm/h below which no flash flood starts.")
    incident: IncidentSpec


class RainWarning(Frozen):
    """A warning issued when the rain over ``region`` will reach ``rate_at_least`` within ``lead``."""

    agency: Id
    region: Id
    level: WarningLevel
    rate_at_least: Amount = Field(description="mm/h.")
    lead: Duration = Field(default=0, description="Forecast lead: warn this long before the rate is reached.")


class Outage(Frozen):
    """How rain-caused road cuts and outages behave."""

    factor: float = Field(default=3.0, ge=1.0, description="Travel-time multiplier while roads are cut.")
    restore: DurationDist | None = Field(
        default=None, description="Time from failure to repair; none: never."
    )


class Rain(Frozen):
    """Rain over regions, evaluated every ``step``."""

    step: Duration = Field(default=written("1h"), ge=5, description="Evaluation interval (at least 5m).")
    regions: dict[Id, RainRegion] = Field(min_length=1)
    flash_floods: FlashFloods | None = None
    warnings: tuple[RainWarning, ...] = ()
    roads: Outage = Field(default_factory=Outage)
    comms: Outage = Field(default_factory=Outage)


class RiverThreshold(Frozen):
    """What happens when a river's flow first reaches ``flow`` (m³/s)."""

    flow: Amount
    warning: WarningLevel | None = None
    agency: Id | None = Field(default=None, description="Who issues the warning.")
    region: Id | None = Field(default=None, description="Region warned (default: the river's).")
    storage: IdList = Field(default=(), description="Storage areas whose evacuation is ordered.")


class River(Frozen):
    """A river gauge fed by rain regions.

    A river gauge fed by rain regions: rain above the infiltration loss (φ-index) runs off, after
    a lag, through a linear reservoir (time constant ``response``).
    """

    name: Text
    region: Id
    base_flow: Amount = Field(description="m³/s before the rain.")
    inflow: dict[Id, Amount] = Field(min_length=1, description="Rain region → m³/s per mm/h of rain.")
    loss: Amount = Field(
        default=0.0, description="Infiltration (φ-index, mm/h) subtracted from the rain before it runs off."
    )
    lag: Duration = 0
    response: Duration = Field(default=written("3h"), gt=0, description="Reservoir time constant (peak attenuation).")
    scale: float = Field(default=1.0, ge=0)
    thresholds: tuple[RiverThreshold, ...] = ()


# ---- forest fire ---------------------------------------------------------------------------------


class Wind(Frozen):
    """Wind from ``at`` on: speed and the direction it blows *from* (degrees, 0 = north, 90 = east)."""

    at: TimePoint = 0
    speed: WindSpeed
    direction: float = Field(ge=0, le=360)


class CrownFire(Frozen):
    """Transition to crown fire (树冠火) in forest cells under strong wind."""

    wind_at_least: WindSpeed
    area_at_least: Area = written("0ha")
    share: Probability = Field(default=0.3, description="Share of cells whose canopy can carry a crown fire.")
    rate: Speed = Field(description="Head rate of spread of a crown fire.")


class FireSpread(Frozen):
    """Head rate of spread as a function of wind speed, and crown-fire risk."""

    by_wind: tuple[tuple[WindSpeed, Speed], ...] = Field(
        min_length=1, description="[[wind speed, head rate], ...], linear between."
    )
    crown: CrownFire | None = None

    @model_validator(mode="after")
    def _order(self) -> FireSpread:
        _increasing(self.by_wind, "wind speeds")
        return self


class Suppression(Frozen):
    """Crews build fire line on the edge; an edge spreading faster than ``max_rate`` cannot be held."""

    needs: IdList = ("fire_suppression",)
    line_rate: Speed = Field(description="Fire line one crew builds (e.g. 0.3km/h).")
    max_rate: Speed = Field(description="Crews cannot hold an edge spreading faster than this.")
    shift: Duration = Field(default=written("2h"), gt=0, description="Length of one line task before re-tasking.")
    sectors: int = Field(default=4, ge=1, le=50, description="Line tasks open at once.")
    crews: int = Field(default=1, ge=1, le=50, description="Crews each sector's task takes, working its line "
                       "together (a joint operation; with more than one, `needs` names one capability).")
    mop_up: Duration = Field(default=written("2h"), description="Containment to extinguished.")

    @model_validator(mode="after")
    def _joint(self) -> Suppression:
        if self.crews > 1 and len(self.needs) != 1:
            raise ValueError("crews above 1 work one capability side by side: give `needs` one capability")
        return self


class FireThreat(Frozen):
    """A village or site the fire threatens: when the fire comes within ``distance`` people must leave."""

    region: Id
    location: Location
    distance: Distance = written("500m")
    incident: IncidentSpec
    reach: Distance | None = Field(
        default=None, description="The fire reaches the place when this close (`fire.reached`): an evacuation's "
        "`danger: {when: {record: fire.reached, subject: [THREAT]}}` then catches whoever is still there.")


class Fire(Frozen):
    """A forest fire spreading on a square grid centred on its ignition point."""

    at: TimePoint = 0
    ignition: Location
    initial_area: Area = Field(
        default=written("0ha"), description="Already burning when it starts (a fire found late)."
    )
    name: Text | None = None
    cell: Distance = Field(default=written("50m"), gt=0, description="Cell side.")
    size: int = Field(default=80, ge=5, le=400, description="Cells per side.")
    step: Duration = Field(default=written("2m"), ge=0.5, description="Spread step (at least 30s).")
    record_every: Duration = Field(default=written("30m"), gt=0, description="Interval of fire.state records.")
    areas: dict[Id, Location | None] = Field(
        min_length=1,
        description="Region → anchor point; each cell belongs to the nearest (none: the region's location).",
    )
    fuel_variability: float = Field(default=0.2, ge=0, le=2, description="Lognormal sigma of fuel per cell.")
    unburnable: Probability = Field(default=0.05, description="Share of cells without fuel (rock, roads).")
    burn_time: Duration = Field(default=written("1h"), gt=0, description="How long a cell burns.")
    wind: tuple[Wind, ...] = Field(min_length=1)
    spread: FireSpread
    suppression: Suppression | None = None
    threats: dict[Id, FireThreat] = Field(default_factory=dict)
    kind: Id = "forest_fire"
    priority: int = Field(default=2, ge=1, le=5)


# ---- earthquake ----------------------------------------------------------------------------------


class Attenuation(Frozen):
    """Intensity attenuation I = a + b·M − c·log10(R + r0), R epicentral distance in km."""

    a: float
    b: float
    c: float
    r0: float = Field(ge=0)


class QuakeSite(Frozen):
    """Buildings of a region exposed to the shaking."""

    buildings: int = Field(ge=0)
    occupants: Amount = Field(description="People per building at the hour of the quake.")
    location: Location | None = None
    radius: Distance = Field(default=written("2km"), description="Collapses scatter this far around the location.")
    fragility: float = Field(
        default=1.0, ge=0, description="Multiplies the collapse share (building quality)."
    )


class Aftershocks(Frozen):
    """Aftershocks: Reasenberg–Jones rate 10^(a + b(Mm − M)) (t + c)^-p per day, magnitudes ≥ m_min."""

    a: float = -1.67
    b: float = 0.91
    p: float = 1.08
    c: Duration = written("72m")
    m_min: float = 4.0
    until: Duration = Field(default=written("3d"), gt=0)
    damage: float = Field(
        default=0.3, ge=0, le=1, description="Share of the fragility left for damaged stock."
    )


class Secondary(Frozen):
    """A secondary hazard (sand-mud flow 砂涌, landslide) where shaking reaches an intensity."""

    region: Id
    intensity_at_least: float = 8.0
    probability: Probability = 1.0
    delay: DurationDist = written_dist(0)
    incident: IncidentSpec


class Search(Frozen):
    """How buried people are found (搜索): each rescue site is located some time after the shaking.

    Survivors near the surface are found at once by neighbours (自救互救); the deeply buried only as
    searchers, dogs and detectors work through the rubble, so extractions spread over days and the
    survival curve's later days matter. The site's people are at risk from the shaking (their
    survival clock starts then); nobody is dispatched before the site is found. Without ``search``
    every site is noticed by the region's reporters, as any other incident.
    """

    found: DurationDist = Field(description="Time from the shaking until a rescue site is found "
                                "(one draw per site), e.g. {lognormal: {median: 6h, p95: 60h}}.")
    after_end: DurationDist | None = Field(
        default=None, description="Once the search is declared complete (effect `end_search`), a site not "
        "yet found is found this long after the declaration (clearance crews, returning residents); "
        "none: not during the exercise.")


class Quake(Frozen):
    """An earthquake: magnitude, depth, epicentre → intensity by distance → collapses → trapped people."""

    at: TimePoint = 0
    epicentre: Location
    region: Id = Field(
        description="The office that receives the seismic network's automatic report (the "
        "province of every other exposed site receives it too)."
    )
    magnitude: float = Field(ge=0, le=10)
    depth: Distance
    density: Amount = Field(
        default=0.0, description="People per km² around the epicentre (a fact rules test)."
    )
    detect: DurationDist = Field(default=written_dist("2m"), description="Automatic report delay (自动速报).")
    long_axis: Attenuation
    short_axis: Attenuation | None = None
    azimuth: float = Field(default=0.0, ge=0, le=360, description="Bearing of the long axis (degrees).")
    fragility: tuple[tuple[float, Probability], ...] = Field(
        min_length=1, description="[[intensity, share of buildings that collapse], ...], linear between."
    )
    trapped_share: Probability = Field(description="Share of occupants of collapsed buildings trapped alive.")
    killed_share: Probability = Field(default=0.0, description="Share killed at once.")
    per_incident: CountDist = Field(default=written_dist(3.0), description="Trapped people per rescue site.")
    max_sites: int = Field(default=300, ge=1, description="At most this many rescue sites per region.")
    sites: dict[Id, QuakeSite] = Field(min_length=1)
    incident: IncidentSpec
    aftershocks: Aftershocks | None = None
    secondary: dict[Id, Secondary] = Field(default_factory=dict)
    search: Search | None = Field(default=None, description="Rescue sites are found progressively "
                                  "(none: the region's reporters notice them like any incident).")
    kind: Id = "earthquake"

    @model_validator(mode="after")
    def _order(self) -> Quake:
        _increasing(self.fragility, "fragility intensities")
        return self


class Hazards(Frozen):
    """Hazard models that generate incidents, outages and the state injects can watch."""

    rain: Rain | None = None
    rivers: dict[Id, River] = Field(default_factory=dict)
    fires: dict[Id, Fire] = Field(default_factory=dict)
    quakes: dict[Id, Quake] = Field(default_factory=dict)
    series: dict[Id, Series] = Field(default_factory=dict, description="Generic hazards: a quantity over time at "
                                     "stations, with thresholds (storm surge, wind, plume, heat).")
    fire_updates: FireUpdates = Field(default_factory=FireUpdates,
                                      description="When a fire's growth is worth an update report.")
