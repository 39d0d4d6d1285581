"""Incidents: what happened, to how many people, and how their survival depends on time."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Any

import mesa

from sim.geo import Point

if TYPE_CHECKING:
    from agents.region import Region
    from agents.team import Team


class Incident(mesa.Agent):
    """One incident, with each person's fate drawn when it occurs.

    ``death_times`` are minutes after onset, sorted (``inf`` for people who would survive any wait),
    so each person's fate depends only on when help arrives, never on the order other incidents
    were handled (common random numbers across policies).
    """

    def __init__(self, model: mesa.Model, key: str, spec: Any, region: Region, location: Point | None,
                 onset: float, people: int, death_times: list[float], source: str) -> None:
        super().__init__(model)
        self.key = key
        self.spec = spec
        self.kind: str = spec.kind
        self.region = region
        self.location = location
        self.onset = onset
        self.people = people
        self.dead: int = spec.dead
        self.missing: int = spec.missing
        self.injured: int = spec.injured
        self.needs: frozenset[str] = frozenset(spec.needs)
        self.priority: int = spec.priority
        self.death_times = death_times
        self.source = source
        self.state = "occurred"
        self.detected_at: float | None = None
        self.queued_at: float | None = None
        self.team: Team | None = None
        self.rescued = 0
        self.lost = 0

    @property
    def needs_rescue(self) -> bool:
        """True when people are at risk: the incident goes to the dispatch queue once reported."""
        return self.people > 0

    def facts(self) -> dict[str, float]:
        """What a report about this incident states (the initial report: 初报)."""
        trapped = self.people - self.rescued - self.lost if self.state != "closed" else 0
        dead = self.dead + self.lost
        return {"incidents": 1, "people": self.people, "trapped": trapped, "dead": dead,
                "missing": self.missing, "dead_or_missing": dead + self.missing, "injured": self.injured}

    def alive_after(self, waited: float) -> int:
        """How many of the people at risk are still alive after waiting ``waited`` minutes."""
        return len(self.death_times) - bisect_right(self.death_times, waited)
