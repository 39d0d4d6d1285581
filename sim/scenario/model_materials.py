"""The ``materials`` section (物资保障).

The ``materials`` section (物资保障): depots with physical reserves plus agreement reserves held by
shops and pharmacies (实物储备 + 协议储备) that arrive after a lead time, and what creates demand.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from drillsim.scenario.model import Location
from drillsim.scenario.types import Amount, DurationDist, Frozen, Id, Speed, Text, written, written_dist


class Item(Frozen):
    """A kind of material (tents, boats, food, fuel …)."""

    name: Text
    unit: str = "pcs"


class Agreement(Frozen):
    """An agreement reserve (协议储备): a supplier holds ``quantity`` and delivers after ``lead_time``."""

    quantity: Amount
    lead_time: DurationDist = written_dist("4h")


class Depot(Frozen):
    """A reserve depot (储备库)."""

    name: Text
    region: Id
    location: Location | None = None
    stock: dict[Id, Amount] = Field(default_factory=dict, description="Physical reserve: item → quantity.")
    agreements: dict[Id, Agreement] = Field(default_factory=dict)
    dispatch: DurationDist = Field(default=written_dist("30m"), description="Time to load and set out.")
    speed: Speed = written("40km/h")


class Need(Frozen):
    """Demand for an item created by incidents (per incident and/or per person at risk)."""

    incident_kind: Id | None = Field(default=None, description="Only incidents of this kind (none: all).")
    item: Id
    per_incident: Amount = 0.0
    per_person: Amount = 0.0

    @model_validator(mode="after")
    def _some(self) -> Need:
        if self.per_incident <= 0 and self.per_person <= 0:
            raise ValueError("a need asks for per_incident and/or per_person above 0")
        return self


class CrossBorder(Frozen):
    """Depots of another province help after approval (京津冀救灾物资协同保障协议)."""

    approval: DurationDist = written_dist("1h")
    allowed: bool = Field(default=True, description="False: only after a `rule: {cross_border_materials: true}` "
                                                    "effect (a request to other provinces).")


class Materials(Frozen):
    """Items, depots, what creates demand, and whether depots help across borders."""

    items: dict[Id, Item] = Field(default_factory=dict)
    depots: dict[Id, Depot] = Field(default_factory=dict)
    needs: tuple[Need, ...] = ()
    cross_border: CrossBorder | None = None
