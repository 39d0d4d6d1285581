"""Incidents: what happened, to how many people, and how their survival depends on time."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Protocol

from drillsim.agents.mesa_core import Agent, Model
from drillsim.geo import Point

if TYPE_CHECKING:
    import numpy as np
    import simpy

    from drillsim.agents.operation import Task
    from drillsim.agents.region import Region
    from drillsim.agents.team import Team
    from drillsim.scenario.model import IncidentSpec


class Owner(Protocol):
    """A hazard model that manages its own incidents (a fire's line tasks), told what happens to them."""

    def crew_started(self, team: Team, inc: Incident) -> None:
        """A crew starts working the incident."""

    def crew_finished(self, team: Team, inc: Incident) -> None:
        """A crew stops working the incident."""

    def on_dispatch_known(self, inc: Incident) -> None:
        """The incident reached the dispatch level (the owner opens tasks instead of the queue)."""


class Incident(Agent):
    """One incident, with each person's fate drawn when it occurs.

    ``death_times`` are minutes after onset, sorted (``inf`` for people who would survive any wait),
    so each person's fate depends only on when help arrives, never on the order other incidents
    were handled (common random numbers across policies).
    """

    def __init__(self, model: Model, key: str, spec: IncidentSpec, region: Region, location: Point | None,
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
        self.stranded: int = spec.stranded
        self.tasks: dict[str, Task] = {}
        self.priority: int = spec.priority
        self.death_times = death_times
        self.source = source
        self.state = "occurred"
        self.detected_at: float | None = None
        self.queued_at: float | None = None
        self.team: Team | None = None
        self.rescued = 0
        self.lost = 0
        self.extra: dict[str, float] = {}
        self.owner: Owner | None = None
        self.active = False
        self.dirty = False
        self.changed: simpy.Event | None = None
        self.materials_requested = False
        self.dispatch_known = False

    @property
    def needs_rescue(self) -> bool:
        """True when people are trapped (at risk until rescued)."""
        return self.people > 0

    @property
    def has_work(self) -> bool:
        """True when the incident asks anything of teams (it enters the dispatch queue once reported)."""
        return bool(self.tasks)

    def facts(self) -> dict[str, float]:
        """What a report about this incident states now (初报, then 续报 as it changes).

        ``extra`` holds hazard facts (burned area, magnitude, collapsed buildings …) kept current
        by the hazard model that owns the incident.
        """
        trapped = self.people - self.rescued - self.lost if self.state != "closed" else 0
        dead = self.dead + self.lost
        facts: dict[str, float] = {"incidents": 1, "people": self.people, "trapped": trapped, "dead": dead,
                 "missing": self.missing, "dead_or_missing": dead + self.missing, "injured": self.injured}
        if self.stranded:
            facts["stranded"] = self.stranded
        if self.extra:
            facts.update(self.extra)
        return facts

    @property
    def remaining(self) -> int:
        """People still at the site (alive or not): not yet extracted."""
        return self.people - self.rescued - self.lost

    def extract(self, count: int, waited: float, gen: np.random.Generator) -> int:
        """Free ``count`` of the people still alive after ``waited`` minutes; return how many.

        They are chosen at random: first responders reach the lightly trapped, whoever they are.
        """
        alive = [i for i, t in enumerate(self.death_times) if t > waited]
        if count <= 0 or not alive:
            return 0
        count = min(count, len(alive))
        picked = sorted(gen.choice(len(alive), size=count, replace=False).tolist()) if count < len(alive) else \
            list(range(len(alive)))
        drop = {alive[i] for i in picked}
        self.death_times = [t for i, t in enumerate(self.death_times) if i not in drop]
        self.rescued += count
        return count

    def alive_after(self, waited: float) -> int:
        """How many of the people still at the site are alive after waiting ``waited`` minutes."""
        return len(self.death_times) - bisect_right(self.death_times, waited)
