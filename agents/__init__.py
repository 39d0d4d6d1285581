"""mesa agents of an exercise: regions, agencies, reporter pools, teams, incidents.

Agents hold state and small helpers; the doctrine (how reports climb, how teams are dispatched)
lives in :mod:`sim.flows`, which drives these agents from simpy processes.
"""

from agents.agency import Agency
from agents.incident import Incident
from agents.model import DrillModel
from agents.region import Region
from agents.reporter import ReporterPool
from agents.team import Team

__all__ = ["Agency", "DrillModel", "Incident", "Region", "ReporterPool", "Team"]
