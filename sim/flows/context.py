"""What a flow may use from its exercise (a Protocol, so flows never import the engine)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import simpy

    from agents.model import DrillModel
    from sim.flows.activation import ActivationFlow
    from sim.flows.decisions import DecisionFlow
    from sim.flows.incidents import IncidentFlow
    from sim.flows.msel import MselFlow
    from sim.flows.reporting import ReportingFlow
    from sim.flows.rescue import Dispatcher
    from sim.rng import Streams


class Context(Protocol):
    """The exercise as seen by flows."""

    env: simpy.Environment
    model: DrillModel
    scenario: Any
    streams: Streams
    incidents: IncidentFlow
    reporting: ReportingFlow
    activation: ActivationFlow
    dispatcher: Dispatcher
    msel: MselFlow
    decisions: DecisionFlow

    def emit(self, kind: str, actor: str | None, subject: str | None, data: dict[str, Any]) -> Any:
        """Append a record to the event log."""
        ...
