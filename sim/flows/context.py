"""What a flow may use from its exercise (a Protocol, so flows never import the engine)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import simpy

    from drillsim.agents.model import DrillModel
    from drillsim.flows.activation import ActivationFlow
    from drillsim.flows.border import BorderFlow
    from drillsim.flows.comms import CommsFlow
    from drillsim.flows.coordination import CoordinationFlow
    from drillsim.flows.decisions import DecisionFlow
    from drillsim.flows.duty_reports import DutyReports
    from drillsim.flows.grassroots import GrassrootsFlow
    from drillsim.flows.incidents import IncidentFlow
    from drillsim.flows.materials import MaterialsFlow
    from drillsim.flows.msel import MselFlow
    from drillsim.flows.operations import OperationFlow
    from drillsim.flows.reporting import ReportingFlow
    from drillsim.flows.rescue import Dispatcher
    from drillsim.flows.roads import RoadsFlow
    from drillsim.flows.storage import StorageFlow
    from drillsim.flows.triggers import Triggers
    from drillsim.flows.warnings import WarningsFlow
    from drillsim.log import EventLog, Row
    from drillsim.rng import Streams
    from drillsim.scenario.model import Scenario


class HazardModel(Protocol):
    """A hazard model as the flows see it (they never import :mod:`drillsim.hazards`)."""

    def start(self) -> None:
        """Start with the exercise."""
        ...

    def quantities(self) -> dict[str, float]:
        """Its simulated quantities now, by the names of :mod:`drillsim.scenario.quantities`."""
        ...


class Context(Protocol):
    """The exercise as seen by flows."""

    env: simpy.Environment
    model: DrillModel
    scenario: Scenario
    streams: Streams
    incidents: IncidentFlow
    reporting: ReportingFlow
    activation: ActivationFlow
    dispatcher: Dispatcher
    operations: OperationFlow
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
    hazards: list[HazardModel]

    def emit(self, kind: str, actor: str | None, subject: str | None, data: dict[str, Any]) -> Row:
        """Append a record to the event log."""
        ...
