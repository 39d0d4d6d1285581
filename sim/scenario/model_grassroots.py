"""The ``grassroots`` section: stations and the whistle.

The ``grassroots`` section: community rescue stations and micro fire stations that act before
professional teams (the 1-3-5 minute standard), and the township's "whistle" (吹哨报到).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from drillsim.scenario.model import IdList
from drillsim.scenario.types import Duration, DurationDist, Frozen, Id, Probability, written, written_dist


class Station(Frozen):
    """First response by a team (a station) the moment an incident in its area is detected.

    "1 minute to respond, 3 minutes on site, 5 minutes to handle": the station frees the lightly
    trapped (``extract``) before professional teams arrive; the rest wait for the dispatcher.
    """

    respond: DurationDist = written_dist("1m")
    arrive: DurationDist = written_dist("3m")
    handle: DurationDist = written_dist("5m")
    extract: Probability = Field(default=0.3, description="Share of the people at risk the station frees.")
    kinds: IdList = Field(default=(), description="Incident kinds it answers (none: every kind).")
    duty_hours: tuple[int, int] | None = Field(
        default=None, description="[from, to] clock hours staffed; none: 24-hour duty."
    )
    off_duty_delay: DurationDist = Field(
        default=written_dist("30m"), description="Extra time to respond off duty hours.")

    @model_validator(mode="after")
    def _hours(self) -> Station:
        if self.duty_hours is not None and not all(0 <= h <= 24 for h in self.duty_hours):
            raise ValueError("duty_hours are clock hours 0..24")
        return self


class Department(Frozen):
    """A department that must report to the scene when the township blows the whistle."""

    answer: DurationDist = written_dist("30m")
    teams: IdList = Field(default=(), description="Teams the department brings (put on duty on arrival).")


class Whistle(Frozen):
    """吹哨报到: the township calls departments, which must report to the scene within ``due``."""

    level: Literal["village", "township", "county"] = "township"
    kinds: IdList = Field(default=(), description="Incident kinds that make it blow (none: all).")
    departments: dict[Id, Department] = Field(min_length=1)
    due: Duration = written("30m")
    min_people: int = Field(
        default=0, ge=0, description="Blow only when at least this many people are at risk."
    )


class Grassroots(Frozen):
    """Stations (keyed by team id) and the whistle."""

    stations: dict[Id, Station] = Field(default_factory=dict)
    whistle: Whistle | None = None
