"""mesa agents of an exercise: regions, agencies, reporter pools, teams, incidents.

Agents hold state and small helpers; the doctrine (how reports climb, how teams are dispatched)
lives in :mod:`drillsim.flows`, which drives these agents from simpy processes.
"""

from drillsim.agents.agency import Agency
from drillsim.agents.incident import Incident
from drillsim.agents.model import DrillModel
from drillsim.agents.region import Region
from drillsim.agents.reporter import ReporterPool
from drillsim.agents.team import Team

__all__ = ["Agency", "DrillModel", "Incident", "Region", "ReporterPool", "Team"]
