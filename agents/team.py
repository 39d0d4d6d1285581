"""Teams: fire rescue, professional, militia and social emergency forces (社会应急力量)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from drillsim.agents.mesa_core import Agent, Model
from drillsim.geo import Point, lerp

if TYPE_CHECKING:
    import simpy

    from drillsim.agents.incident import Incident
    from drillsim.agents.operation import Line, Task
    from drillsim.agents.region import Region
    from drillsim.scenario.model import Team as TeamSpec
    from drillsim.scenario.model_grassroots import Station
    from drillsim.scenario.types import Distribution

STATES = ("off_duty", "idle", "travelling", "working", "returning")


class Team(Agent):
    """A team with kind, base, members, capabilities and speed.

    Its behaviour is a simpy process kept in :attr:`process`, so a recall is ``process.interrupt()``.

    Attributes:
        state: One of :data:`STATES`.
        position: Last known position; while travelling see :meth:`position_at`.
        region: The region the team is in (its base, a staging area, or its last incident's region).
        assigned: The incident the team is tasked with, if any.
        province: Home province (region id): which side of a border the team belongs to.
        zones: Regions the team may be tasked in (none: anywhere), e.g. a coordination desk's zones.
        cleared: Provinces the team may also work in (sent on a support request, joint command).
        requires_registration / registered / desk: social forces register (报备登记) at a desk first.
        self_deployed: Came in without registering (its tasks are coordination failures).
        withdrawing: Finishes its task, then files withdrawal and goes home.
        first_response: Grassroots station spec while on a first-response mission.
    """

    def __init__(self, model: Model, key: str, group: str, spec: TeamSpec, base: Region,
                 home: Point | None, work: Callable[[Distribution], Callable[[], float]]) -> None:
        super().__init__(model)
        self.key = key
        self.group = group
        self.spec = spec
        self.kind: str = spec.kind
        self.base = base
        self._home = home
        self.capabilities: frozenset[str] = frozenset(spec.capabilities)
        self.speed: float = spec.speed
        self.members: int = spec.members
        self.work_factor: float = spec.work_factor
        self.state = "idle" if spec.on_duty else "off_duty"
        self.position: Point | None = home
        self.assigned: Incident | None = None
        self.task: Task | None = None
        self.line: Line | None = None
        self.process: simpy.Process | None = None
        self.wake: simpy.Event | None = None
        self._leg: tuple[Point | None, Point | None, float, float] | None = None
        self._work = work
        self._samplers: dict[int, Callable[[], float]] = {}
        self.busy_minutes = 0.0
        self.missions = 0
        self.region: Region = base
        self.province: str = base.key
        self.zones: frozenset[str] | None = None
        self.cleared: set[str] = set()
        self.requires_registration: bool = spec.requires_registration
        self.registered = False
        self.desk: str | None = None
        self.self_deployed = False
        self.tasked_once = False
        self.withdrawing = False
        self.standing_down = False  # released by the command: off duty after its current task
        self.released = False  # off duty since a release (until activated again)
        self.called = False
        self.progress_every: float | None = None
        self.first_response: Station | None = None
        self.origin_home: Point | None = None

    @property
    def home(self) -> Point | None:
        """Where the team returns between tasks (its base, a desk's staging area, a support post)."""
        return self._home

    @home.setter
    def home(self, value: Point | None) -> None:
        # The dispatcher ranks teams by distance from home; a move invalidates those rankings.
        self._home = value
        self.model.home_moves += 1

    @property
    def carries(self) -> int:
        """People (an evacuation) or units (a delivery) per trip: the scenario's ``carries``, else its members."""
        return self.spec.carries or max(1, self.members)

    @property
    def available(self) -> bool:
        """Can be tasked now: on duty and idle at base or on the way back."""
        return self.assigned is None and self.state in ("idle", "returning")

    def can_serve(self, needs: frozenset[str]) -> bool:
        """True when the team has every capability the incident needs."""
        return needs <= self.capabilities

    def work_sampler(self, dist: Distribution) -> Callable[[], float]:
        """Sampler of work times for ``dist`` on this team's own stream (scaled by work_factor)."""
        sampler = self._samplers.get(id(dist))
        if sampler is None:
            sampler = self._samplers[id(dist)] = self._work(dist)
        return sampler

    def start_leg(self, origin: Point | None, dest: Point | None, now: float, duration: float) -> None:
        """Remember a journey so the position can be interpolated if the team is redirected."""
        self._leg = (origin, dest, now, duration)

    def position_at(self, now: float) -> Point | None:
        """Where the team is at ``now`` (interpolated along the current journey)."""
        if self._leg is None:
            return self.position
        origin, dest, t0, duration = self._leg
        if duration <= 0:
            return dest
        return lerp(origin, dest, (now - t0) / duration)
