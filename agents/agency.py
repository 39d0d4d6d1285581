"""Agencies: command centres and bureaus that hold a graded response level."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillsim.agents.mesa_core import Agent, Model

if TYPE_CHECKING:
    from drillsim.agents.region import Region
    from drillsim.scenario.model import Activation, LevelRule
    from drillsim.scenario.model import Agency as AgencySpec


class Agency(Agent):
    """An agency with a response level (rank 0 none … 4 = Level I) and its doctrine.

    Attributes:
        rules: ``(rank, LevelRule)`` pairs from the scenario's ``response`` section.
        activates: rank → Activation (teams and agencies put on duty at that level).
        pending: ranks whose trigger fired and whose level change is being prepared.
        active: False until the agency is activated (by an activation list) or holds a level.
    """

    def __init__(self, model: Model, key: str, spec: AgencySpec, region: Region) -> None:
        super().__init__(model)
        self.key = key
        self.spec = spec
        self.kind: str = spec.kind
        self.region = region
        self.level = 0
        self.rules: list[tuple[int, LevelRule]] = []
        self.activates: dict[int, Activation] = {}
        self.pending: set[int] = set()
        self.active = True
        self.changed_at = 0.0
