"""Operations: the work an incident asks of teams, in lines that several teams share.

A :class:`Task` is one operation of an incident (free the trapped, evacuate, suppress a fire, hold a
cordon, deliver supplies). Its :class:`Line` s are the capabilities it needs side by side, each with
the number of teams the scene asks for and an amount of work in team-minutes that the teams on it
share: two teams of work factor 1 finish a line in half the time of one. Teams can join a line
under way; the scene can ask for more (:attr:`Line.wanted` grows up to :attr:`Line.limit`).

These are plain state objects. How work progresses and what completing a task does lives in the
flows (:mod:`drillsim.flows.operations` and the flow of each task kind).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import simpy

    from drillsim.agents.incident import Incident
    from drillsim.agents.team import Team

PRIMARY = "main"
"""The id of an incident's primary operation (freeing the trapped, or plain work)."""


class Line:
    """One capability (or, in the original list form, a set of them) worked by up to ``limit`` teams.

    Attributes:
        key: The capability (``search_rescue``), or the capabilities joined by ``+`` for a list.
        needs: Capabilities a team must have to work this line.
        wanted: Teams the scene asks for now.
        limit: Most teams the scene will ever ask for (reinforcement stops there).
        first: Teams first asked for (suppression is at full strength with this many).
        amount: Team-minutes of work in all (``inf`` for a line that is held, not finished).
        done: Team-minutes done so far.
        teams: Teams working now, by key.
        coming: Teams tasked and on their way (or waiting for approval), by key.
        finished: Succeeds when the line's work is done (or its task ends).
    """

    __slots__ = ("amount", "coming", "done", "finished", "first", "key", "limit", "needs", "task", "teams", "wanted")

    def __init__(self, key: str, needs: frozenset[str], wanted: int, limit: int, amount: float) -> None:
        self.key = key
        self.needs = needs
        self.wanted = wanted
        self.first = wanted
        self.limit = max(limit, wanted)
        self.amount = amount
        self.done = 0.0
        self.teams: dict[str, Team] = {}
        self.coming: dict[str, Team] = {}
        self.finished: simpy.Event | None = None
        self.task: Task | None = None

    @property
    def open_slots(self) -> int:
        """Teams still to be tasked to reach ``wanted``."""
        return self.wanted - len(self.teams) - len(self.coming)

    @property
    def rate(self) -> float:
        """Team-minutes of work done per minute by the teams on the line now."""
        return sum(1.0 / t.work_factor for t in self.teams.values())

    @property
    def remaining(self) -> float:
        """Team-minutes of work left."""
        return max(0.0, self.amount - self.done)

    @property
    def complete(self) -> bool:
        """True when the line's work is done."""
        return self.done >= self.amount - 1e-9

    def eta(self) -> float:
        """Minutes until done at the current pace (``inf`` with nobody on it)."""
        rate = self.rate
        return self.remaining / rate if rate > 0 else math.inf


class Task:
    """One operation of an incident.

    Attributes:
        key: Task id within its incident (``main`` for the primary operation).
        kind: ``rescue``, ``work``, ``evacuate``, ``suppress``, ``cordon``, ``monitor``, ``guard``, ``supply``.
        incident: The incident it belongs to.
        spec: The task's scenario model (None for the primary operation).
        lines: Its lines of work, by key.
        priority: 1 is the most urgent.
        state: ``waiting`` (not yet known at the dispatch level), ``queued``, ``working``, ``done``.
        queued_at: When it entered the dispatch queue.
        started_at: When the first team began work.
        changed: Succeeds when a team joins or leaves (wakes the task's progress process).
        finished: Succeeds when the task is done.
        state_of_kind: What the task's own flow keeps (people moved, area burning, …).
    """

    __slots__ = ("changed", "finished", "incident", "key", "kind", "lines", "priority", "queued_at", "spec",
                 "started_at", "state", "state_of_kind")

    def __init__(self, key: str, kind: str, incident: Incident, spec: Any, lines: dict[str, Line],
                 priority: int) -> None:
        self.key = key
        self.kind = kind
        self.incident = incident
        self.spec = spec
        self.lines: dict[str, Line] = {}
        self.set_lines(lines)
        self.priority = priority
        self.state = "waiting"
        self.queued_at: float | None = None
        self.started_at: float | None = None
        self.changed: simpy.Event | None = None
        self.finished: simpy.Event | None = None
        self.state_of_kind: Any = None

    def set_lines(self, lines: dict[str, Line]) -> None:
        """Give the task its lines (each line knows its task)."""
        self.lines = lines
        for line in lines.values():
            line.task = self

    @property
    def primary(self) -> bool:
        """True for the incident's primary operation."""
        return self.key == PRIMARY

    @property
    def done(self) -> bool:
        """True once the task has ended."""
        return self.state == "done"

    @property
    def teams(self) -> list[Team]:
        """Teams working on any line now."""
        return [t for line in self.lines.values() for t in line.teams.values()]

    def label(self) -> str:
        """How records name the task: the incident, or ``incident.task`` for other operations."""
        return self.incident.key if self.primary else f"{self.incident.key}.{self.key}"
