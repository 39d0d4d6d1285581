"""The mesa model: every agent of an exercise, built from a scenario, with lookups by id.

mesa provides agents, AgentSet queries and spaces; simpy is the only clock (DESIGN §6), so this
model's ``step()`` is never called. Its ``rng`` is seeded from our keyed streams so no code can
reach an unseeded generator by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from drillsim import levels
from drillsim.agents.agency import Agency
from drillsim.agents.incident import Incident
from drillsim.agents.mesa_core import Agent, Model
from drillsim.agents.region import Region
from drillsim.agents.reporter import ReporterPool
from drillsim.agents.team import Team
from drillsim.rng import Streams, make_sampler

if TYPE_CHECKING:
    import numpy as np

    from drillsim.scenario.model import Scenario
    from drillsim.scenario.types import Distribution


class DrillModel(Model):
    """Regions, agencies, reporter pools, teams and incidents of one exercise.

    The validated scenario is ``spec`` (mesa 3.5 reserves ``Model.scenario`` for its own
    experiment objects).

    Attributes:
        regions, agencies, teams, incidents: id → agent, in scenario order (deterministic).
        team_groups: scenario team id → the teams it expanded to (``count`` > 1).
    """

    def __init__(self, scenario: Scenario, streams: Streams, clock: Callable[[], float] | None = None) -> None:
        super().__init__(rng=streams.get("mesa"))
        self.spec = scenario
        self.streams = streams
        self.clock: Callable[[], float] = clock or (lambda: 0.0)
        self.regions: dict[str, Region] = {}
        self.agencies: dict[str, Agency] = {}
        self.teams: dict[str, Team] = {}
        self.team_groups: dict[str, list[Team]] = {}
        self.incidents: dict[str, Incident] = {}
        self.home_moves = 0  # bumped whenever a team's home changes (dispatch caches distances from homes)
        self._build_regions()
        self._build_agencies()
        self._build_teams()

    def _build_regions(self) -> None:
        s = self.spec
        for rid, spec in s.regions.items():
            self.regions[rid] = Region(self, rid, spec, levels.ADMIN_RANK[spec.level])
        for region in self.regions.values():
            spec = region.spec
            if spec.parent:
                region.parent = self.regions[spec.parent]
                region.parent.children.append(region)
            region.neighbours = [self.regions[n] for n in spec.neighbours]
        for region in self.regions.values():  # symmetric neighbourhood, stable order
            for n in region.neighbours:
                if region not in n.neighbours:
                    n.neighbours.append(region)
        for region in self.regions.values():
            chain = region.ancestors()
            region.lineage = frozenset((region.key, *(a.key for a in chain)))
            region.province = next((r for r in (region, *chain) if r.level == "province"),
                                   chain[-1] if chain else region)
            if region.location is None:
                for anc in region.ancestors():
                    if anc.location is not None:
                        region.location = anc.location
                        break
        default = s.reporting.reporters
        for region in self.regions.values():
            pool = region.spec.reporters
            if pool is None:
                pool = next((a.spec.reporters for a in region.ancestors() if a.spec.reporters), default)
            key = region.key  # each region's own streams: its draws never shift another region's
            region.reporters = ReporterPool(
                self, region, pool,
                make_sampler(pool.delay, self.streams.get("reporters", key, "delay")),
                make_sampler(pool.fallback, self.streams.get("reporters", key, "fallback"))
                if pool.fallback is not None else None,
                self.streams.get("reporters", key, "notice"),
            )

    def _build_agencies(self) -> None:
        s = self.spec
        for aid, spec in s.agencies.items():
            agency = Agency(self, aid, spec, self.regions[spec.region])
            self.agencies[aid] = agency
            agency.region.agencies.append(agency)
        for aid, resp in s.response.items():
            agency = self.agencies[aid]
            agency.rules = [(levels.rank(rule.level), rule) for rule in resp.rules]
            agency.activates = {levels.rank(lv): act for lv, act in resp.activates.items()}

    def _build_teams(self) -> None:
        s = self.spec
        for gid, spec in s.teams.items():
            base = self.regions[spec.base]
            home = spec.location or base.location
            width = len(str(spec.count))
            group: list[Team] = []
            for i in range(spec.count):
                key = gid if spec.count == 1 else f"{gid}-{i + 1:0{max(2, width)}d}"
                gen = self.streams.get("team", key, "work")
                factor = spec.work_factor

                def work(dist: Distribution, gen: np.random.Generator = gen,
                         factor: float = factor) -> Callable[[], float]:
                    return make_sampler(dist, gen, factor)

                team = Team(self, key, gid, spec, base, home, work)
                team.province = self.regions[spec.province].province.key if spec.province else base.province.key
                team.zones = None
                self.teams[key] = team
                group.append(team)
            self.team_groups[gid] = group

    def teams_in(self, ids: tuple[str, ...]) -> list[Team]:
        """Expand scenario team ids (groups included) into team agents."""
        out: list[Team] = []
        for tid in ids:
            out.extend(self.team_groups.get(tid, ()))
        return out

    def release(self) -> None:
        """Let this model be garbage-collected once nobody holds it (call when no more agents are made).

        mesa 3.3's ``Agent._ids`` is a class-level ``defaultdict`` keyed by model (mesa issue 3179),
        so every model — agents, incidents, simpy processes — would otherwise live as long as the
        process: a sweep worker or a long console session grows without bound. Harmless where the
        attribute no longer exists (mesa 3.5).
        """
        ids = getattr(Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)
