"""Effects of injects and decision options.

Raise or set a level, activate forces, spawn an incident, deliver another inject: a small
vocabulary that scenario authors combine, applied in one place.
"""

from __future__ import annotations

from typing import Any

from sim import levels
from sim.flows.context import Context
from sim.scenario.model import Activate, DeliverInject, RaiseLevel, SetLevel, SpawnIncident


def apply(ctx: Context, effects: tuple[Any, ...], cause: str) -> None:
    """Apply ``effects`` now; ``cause`` (an inject or decision id) is recorded with each change."""
    for eff in effects:
        if isinstance(eff, RaiseLevel):
            agency = ctx.model.agencies[eff.raise_level.agency]
            rank = levels.rank(eff.raise_level.level)
            if rank > agency.level:
                ctx.activation.set_level(agency, rank, "effect", cause)
        elif isinstance(eff, SetLevel):
            agency = ctx.model.agencies[eff.set_level.agency]
            ctx.activation.set_level(agency, levels.rank(eff.set_level.level), "effect", cause)
        elif isinstance(eff, Activate):
            ctx.activation.activate(eff.activate, cause)
        elif isinstance(eff, SpawnIncident):
            ctx.incidents.spawn(eff.incident, cause)
        elif isinstance(eff, DeliverInject):
            ctx.msel.deliver(eff.inject, source="effect", cause=cause)
        else:  # pragma: no cover - the schema admits nothing else
            raise TypeError(f"unknown effect {eff!r}")
