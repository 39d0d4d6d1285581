"""Hazard models that generate the work.

Hazard models that generate the work: rain and rivers (:mod:`.flood`), forest fire on a grid
(:mod:`.fire`), earthquakes with aftershocks (:mod:`.quake`), and the generic hazard — a quantity
over time at stations with thresholds (:mod:`.series`). Each is built from the scenario's
``hazards`` section and started with the exercise; they create incidents through the incident
flow and outages through the comms and roads flows, so the doctrine flows treat them like any
other source of work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillsim.flows.context import Context

if TYPE_CHECKING:
    from drillsim.hazards.fire import FireModel
    from drillsim.hazards.flood import FloodModel
    from drillsim.hazards.quake import QuakeModel
    from drillsim.hazards.series import SeriesModel

    Model = FloodModel | FireModel | QuakeModel | SeriesModel


def build(ctx: Context) -> list[Model]:
    """The hazard models of the exercise's scenario, in a fixed order (rain/rivers, fires, quakes, series)."""
    from drillsim.hazards.fire import FireModel
    from drillsim.hazards.flood import FloodModel
    from drillsim.hazards.quake import QuakeModel
    from drillsim.hazards.series import SeriesModel

    hz = ctx.scenario.hazards
    models: list[Model] = []
    if hz.rain is not None or hz.rivers:
        models.append(FloodModel(ctx))
    models.extend(FireModel(ctx, key, spec) for key, spec in hz.fires.items())
    models.extend(QuakeModel(ctx, key, spec) for key, spec in hz.quakes.items())
    models.extend(SeriesModel(ctx, key, spec) for key, spec in hz.series.items())
    return models
