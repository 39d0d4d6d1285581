"""Operations under way: lines of work shared by teams, reinforcement, and completion.

Every incident's work is a set of :class:`~drillsim.agents.operation.Task` s (its primary operation —
freeing the trapped, or plain work — and its ``tasks``). This flow builds them when the incident
occurs, hands them to the dispatcher once the incident is known at the dispatch level, runs what a
team does on scene (through the flow of the task's kind), and keeps the work accounts:

* a line's work is an amount in team-minutes; the teams on it do ``1 / work_factor`` each per minute,
  so two teams finish in half the time and a team joining under way shortens what is left;
* the scene asks for reinforcement (``task.reinforcement``) when, at the current pace, a line would
  take longer than ``rescue.reinforcement.remaining_over`` — up to ``up_to`` times the teams first
  asked for (a list-form ``needs`` asks for exactly one team and never for more);
* a task ends when every line is done (work kinds) or when its kind's flow says so (evacuations,
  holds, deliveries); an incident closes when all its tasks have ended.
"""

from __future__ import annotations

import math
from collections.abc import Generator as Gen
from typing import TYPE_CHECKING, Any, Protocol, cast

from simpy.events import Condition

from drillsim.agents.operation import PRIMARY, Line, Task
from drillsim.flows.context import Context
from drillsim.rng import make_sampler

if TYPE_CHECKING:
    import numpy as np
    import simpy

    from drillsim.agents.incident import Incident
    from drillsim.agents.team import Team
    from drillsim.flows.tasks.evacuate import Evacuations
    from drillsim.scenario.model import IncidentSpec
    from drillsim.scenario.types import Distribution


class TaskKind(Protocol):
    """What the flow of one task kind does (see :mod:`drillsim.flows.tasks` and siblings)."""

    def build(self, task: Task, gen: np.random.Generator) -> None:
        """Set up the task's own state when the incident occurs (draws come from the incident's stream)."""

    def opened(self, task: Task) -> None:
        """The task entered the dispatch queue (start what runs without teams)."""

    def team_work(self, team: Team, task: Task, line: Line) -> Gen[simpy.Event, object, None]:
        """What a team on ``line`` does on scene until it leaves."""
        ...

    def productive(self, task: Task) -> bool:
        """Whether the lines' work advances now (a fire must be controlled before it is put out)."""
        ...

    def changed(self, task: Task) -> None:
        """A team joined or left (after the work accounts were brought up to date)."""

    def queued(self, task: Task) -> dict[str, Any]:
        """What the task's ``task.queued`` record says besides its lines (a delivery's item and quantity)."""
        ...

    def completed(self, task: Task) -> None:
        """The task has ended: log its outcome."""

    def unresolved(self, task: Task) -> dict[str, Any]:
        """What an open task's record says at the end of the exercise."""
        ...


def lines_for(needs: tuple[str, ...] | dict[str, int], amounts: dict[str, float] | float,
              up_to: float) -> dict[str, Line]:
    """The lines of a task: one for a list of capabilities, one per capability for a mapping.

    Args:
        needs: The scenario's ``needs`` (list form: one team with all of them).
        amounts: Team-minutes per line (one value for every line, or by capability).
        up_to: Reinforcement cap as a multiple of the teams first asked for (mapping form only).
    """
    def amount(key: str) -> float:
        return amounts if isinstance(amounts, float | int) else float(amounts.get(key, math.inf))

    if isinstance(needs, dict):
        return {cap: Line(cap, frozenset((cap,)), n, max(n, math.ceil(n * up_to)), amount(cap))
                for cap, n in needs.items()}
    key = "+".join(sorted(needs)) or "any"  # no capability named: any team will do
    return {key: Line(key, frozenset(needs), 1, 1, amount(key))}


def draw_work(work: Distribution | dict[str, Distribution], lines: tuple[str, ...] | dict[str, int],
              gen: np.random.Generator) -> dict[str, float] | float:
    """Team-minutes of work per line, drawn from the incident's stream (one draw per line, in line order)."""
    if isinstance(work, dict):
        return {k: make_sampler(d, gen)() for k, d in work.items()}
    if isinstance(lines, dict) and len(lines) > 1:
        sample = make_sampler(work, gen)
        return {k: sample() for k in lines}
    return make_sampler(work, gen)()


class OperationFlow:
    """Builds every incident's tasks and keeps their work accounts."""

    def __init__(self, ctx: Context, kinds: dict[str, TaskKind]) -> None:
        self.ctx = ctx
        self.kinds = kinds
        r = ctx.scenario.rescue
        self.up_to = r.reinforcement.up_to
        self.remaining_over = r.reinforcement.remaining_over
        self.check_every = r.reinforcement.check_every
        self._progress_at: dict[int, float] = {}
        self._handlers: dict[str, TaskKind] = {}

    # -- building ---------------------------------------------------------------------------------

    def build(self, inc: Incident, spec: IncidentSpec, gen: np.random.Generator, *, work: bool = False) -> None:
        """Create the incident's tasks: its primary operation (if it has one) and its ``tasks``.

        ``work``: the incident is a work item a hazard made (a fire's line task), whatever its form.
        """
        primary_kind = "rescue" if inc.people > 0 else "work"  # plain work: clear a slide, pump out a tunnel
        mapping = isinstance(spec.needs, dict)
        if inc.people > 0 or (mapping and spec.needs) or (work and spec.needs):
            amount = spec.work or spec.work_time or self.ctx.scenario.rescue.work_time
            lines = lines_for(spec.needs, draw_work(amount, spec.needs, gen), self.up_to if mapping else 1.0)
            inc.tasks[PRIMARY] = Task(PRIMARY, primary_kind, inc, None, lines, inc.priority)
        for tid, tspec in spec.tasks.items():
            kind = tspec.kind
            handler = self.kinds["hold" if kind in ("cordon", "monitor", "guard") else kind]
            task = Task(tid, kind, inc, tspec, {}, tspec.priority)
            handler.build(task, gen)
            inc.tasks[tid] = task

    @property
    def evacuations(self) -> Evacuations:
        """The evacuation flow (storage areas drive evacuations of their own)."""
        return cast("Evacuations", self.kinds["evacuate"])

    def handler(self, task: Task) -> TaskKind:
        """The flow of the task's kind (looked up once per kind: the work accounts ask at every wake)."""
        kind = task.kind
        found = self._handlers.get(kind)
        if found is None:
            found = self._handlers[kind] = self.kinds["hold" if kind in ("cordon", "monitor", "guard") else
                                                      "rescue" if kind == "work" else kind]
        return found

    # -- dispatch -------------------------------------------------------------------------------------

    def known(self, inc: Incident) -> None:
        """The incident is known at the dispatch level: every task enters the queue."""
        for task in inc.tasks.values():
            if task.state == "waiting":
                self.open(task)

    def open(self, task: Task) -> None:
        """Queue one task and start what runs without teams."""
        ctx = self.ctx
        task.finished = ctx.env.event()
        for line in task.lines.values():
            line.finished = ctx.env.event()
        ctx.dispatcher.enqueue(task)
        self.handler(task).opened(task)
        if task.lines and any(math.isfinite(line.amount) for line in task.lines.values()):
            self._progress_at[id(task)] = ctx.env.now
            task.changed = ctx.env.event()
            ctx.env.process(self._progress(task))

    # -- teams on scene ---------------------------------------------------------------------------------

    def work(self, team: Team, task: Task, line: Line) -> Gen[simpy.Event, object, None]:
        """A team arrived: join the line, do the kind's work, leave."""
        ctx = self.ctx
        env = ctx.env
        inc = task.incident
        self.account(task)
        line.teams[team.key] = team
        team.state = "working"
        if task.started_at is None:
            task.started_at = env.now
            if task.primary and inc.state != "closed":
                inc.state = "working"
        data: dict[str, Any] = {"people": inc.remaining} if task.primary else {"task": task.key, "kind": task.kind}
        if len(task.lines) > 1 or line.wanted > 1 or line.limit > 1:
            data["line"] = line.key
            data["teams"] = len(line.teams)
        ctx.emit("rescue.started" if task.primary else "task.started", team.key, inc.key, data)
        if inc.owner is not None:
            inc.owner.crew_started(team, inc)
        self._changed(task)
        try:
            yield from self.handler(task).team_work(team, task, line)
        finally:
            self.account(task)
            line.teams.pop(team.key, None)
            if inc.owner is not None:
                inc.owner.crew_finished(team, inc)
            if not task.done:
                self._changed(task)
                if line.open_slots > 0 and not line.complete:
                    ctx.dispatcher.fill(task)

    def wait_line(self, team: Team, line: Line) -> Gen[simpy.Event, object, None]:
        """Work on a line until it is done; teams under a desk report progress (任务进展) on the way."""
        env = self.ctx.env
        finished = line.finished
        assert finished is not None  # made when the task opened
        every = team.progress_every
        if not every:
            yield finished
            return
        while not finished.triggered:
            tick = env.timeout(every)
            yield finished | tick
            if not finished.triggered and line.amount > 0 and math.isfinite(line.amount):
                self.account_line(line)
                self.ctx.emit("team.progress", team.key, team.assigned.key if team.assigned else None,
                              {"done": round(min(1.0, line.done / line.amount), 4)})
        if math.isfinite(line.amount):
            self.ctx.emit("team.progress", team.key, team.assigned.key if team.assigned else None, {"done": 1.0})

    # -- work accounts ----------------------------------------------------------------------------------

    def account(self, task: Task) -> None:
        """Bring the lines' work up to now at the pace of the teams on them since the last account."""
        key = id(task)
        last = self._progress_at.get(key)
        if last is None:
            return
        now = self.ctx.env.now
        if now > last and self.handler(task).productive(task):
            for line in task.lines.values():
                if line.teams and not line.complete:
                    line.done = min(line.amount, line.done + line.rate * (now - last))
        self._progress_at[key] = now

    def account_line(self, line: Line) -> None:
        """Bring a line's task up to now (a progress report reads the line's share done)."""
        if line.task is not None:
            self.account(line.task)

    def _changed(self, task: Task) -> None:
        self.handler(task).changed(task)
        ev = task.changed
        if ev is not None and not ev.triggered:
            ev.succeed()

    def _progress(self, task: Task) -> Gen[simpy.Event, object, None]:
        """Finish lines as their work is done; ask for reinforcement when the pace is too slow.

        While no team is on any line the process sleeps until one joins (``task.changed``) instead
        of waking at every ``check_every``: such a wake changes nothing (no work is done, no line
        can finish, reinforcement asks only for lines with teams) and was more than half of all
        task wakes in the rainstorm. The wakes it skips are replayed arithmetically when it wakes
        (:func:`skip_idle_checks`), so ``next_check`` — when reinforcement is next considered — is
        the very float the waking process would have reached. Simpy orders events by (time,
        priority, id) with ids given in scheduling order, so not scheduling the skipped timeouts
        and conditions leaves every other event's order, and the log, unchanged; the wait stays a
        condition on ``task.changed``, so the process resumes at the same point as before.
        """
        env = self.ctx.env
        every = self.check_every
        lines = task.lines.values()
        next_check = env.now + every
        while not task.done:
            self.account(task)
            open_lines = []
            for line in lines:
                if line.complete:
                    finished = line.finished
                    if finished is not None and not finished.triggered:
                        finished.succeed()
                else:
                    open_lines.append(line)
            if not open_lines:
                self.complete(task)
                break
            if env.now >= next_check:
                if task.started_at is not None:
                    self._reinforce(task)
                next_check = env.now + every
            changed = task.changed
            assert changed is not None  # made when the task opened
            if changed.triggered:
                changed = task.changed = env.event()
            if not any(line.teams for line in lines):  # idle: nothing to do until a team joins
                now = env.now
                yield Condition(env, Condition.any_events, [changed])
                next_check = skip_idle_checks(now, next_check, every, env.now)
                continue
            productive = self.handler(task).productive(task)
            eta = min((line.eta() for line in open_lines), default=math.inf)
            wait = min(eta if productive else math.inf, next_check - env.now)
            yield changed | env.timeout(max(wait, 0.0))
        self._progress_at.pop(id(task), None)

    def _reinforce(self, task: Task) -> None:
        """Ask for one more team on each line that would take too long at the current pace."""
        limit = self.remaining_over
        if limit is None or task.done:
            return
        asked = False
        for line in task.lines.values():
            if line.complete or not line.teams or line.wanted >= line.limit:
                continue
            eta = line.eta()
            if eta > limit:
                line.wanted += 1
                asked = True
                self.ctx.emit("task.reinforcement", task.incident.region.key, task.incident.key, {
                    "task": task.key, "line": line.key, "wanted": line.wanted,
                    "eta": round(eta, 4) if math.isfinite(eta) else None})
        if asked:
            self.ctx.dispatcher.fill(task)

    # -- ending -----------------------------------------------------------------------------------------

    def complete(self, task: Task, *, record: bool = True, by: Team | None = None) -> None:
        """End a task: wake its teams, log its outcome (``record``), close the incident if it was the last.

        Args:
            task: The task.
            record: Log the kind's outcome record (a station that freed everyone ends the operation
                without a rescue of its own).
            by: The team named by ``incident.closed`` if this closes the incident (default: the first tasked).
        """
        if task.done:
            return
        self.account(task)
        self._end(task)
        if record:
            self.handler(task).completed(task)
        inc = task.incident
        if inc.state != "closed" and all(t.done for t in inc.tasks.values()):
            self.close(inc, by=by)

    def _end(self, task: Task) -> None:
        task.state = "done"
        for line in task.lines.values():
            if line.finished is not None and not line.finished.triggered:
                line.finished.succeed()
        if task.finished is not None and not task.finished.triggered:
            task.finished.succeed()
        self._progress_at.pop(id(task), None)

    def close(self, inc: Incident, *, by: Team | None = None) -> None:
        """The incident is over: log it and let reporting send the final report."""
        inc.state = "closed"
        team = by or inc.team
        self.ctx.emit("incident.closed", inc.region.key, inc.key, {
            "rescued": inc.rescued, "lost": inc.lost, "team": team.key if team is not None else None})
        self.ctx.reporting.changed(inc)

    def cancel(self, inc: Incident) -> None:
        """Drop an incident's open work without a record (a fire's line task once the fire is held)."""
        for task in inc.tasks.values():
            if not task.done:
                self._end(task)
        inc.state = "closed"

    def open_tasks(self, inc: Incident) -> list[Task]:
        """Tasks of ``inc`` that have not ended."""
        return [t for t in inc.tasks.values() if not t.done]


def skip_idle_checks(since: float, next_check: float, every: float, now: float) -> float:
    """``next_check`` after the idle wakes of a task's progress process between ``since`` and ``now``.

    An idle process (no team on any line) would have waited ``next_check - t`` (never less than 0)
    at each wake ``t`` and, woken at or after ``next_check``, set it to ``t + every``; this repeats
    those float operations in the same order, for the wakes strictly before ``now`` (the instant
    the process really wakes, where it does the check itself).
    """
    t = since + max(next_check - since, 0.0)
    while t < now:
        if t >= next_check:
            next_check = t + every
        t = t + max(next_check - t, 0.0)
    return next_check
