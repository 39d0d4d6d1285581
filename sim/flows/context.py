"""What a flow may use from its exercise (a Protocol, so flows never import the engine)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import simpy

    from agents.model import DrillModel
    from sim.flows.activation import ActivationFlow
    from sim.flows.border import BorderFlow
    from sim.flows.comms import CommsFlow
    from sim.flows.coordination import CoordinationFlow
    from sim.flows.decisions import DecisionFlow
    from sim.flows.duty_reports import DutyReports
    from sim.flows.grassroots import GrassrootsFlow
    from sim.flows.incidents import IncidentFlow
    from sim.flows.materials import MaterialsFlow
    from sim.flows.msel import MselFlow
    from sim.flows.reporting import ReportingFlow
    from sim.flows.rescue import Dispatcher
    from sim.flows.roads import RoadsFlow
    from sim.flows.storage import StorageFlow
    from sim.flows.triggers import Triggers
    from sim.flows.warnings import WarningsFlow
    from sim.log import EventLog
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
    log: EventLog
    triggers: Triggers
    comms: CommsFlow
    roads: RoadsFlow
    warnings: WarningsFlow
    duty_reports: DutyReports
    coordination: CoordinationFlow
    border: BorderFlow
    storage: StorageFlow
    materials: MaterialsFlow
    grassroots: GrassrootsFlow

    def emit(self, kind: str, actor: str | None, subject: str | None, data: dict[str, Any]) -> Any:
        """Append a record to the event log."""
        ...
