"""What every task kind does unless it says otherwise."""

from __future__ import annotations

from collections.abc import Generator as Gen
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import simpy

    from drillsim.agents.operation import Line, Task
    from drillsim.agents.team import Team
    from drillsim.flows.context import Context


class KindBase:
    """Defaults of :class:`~drillsim.flows.operations.TaskKind`: work a line until it is done."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def build(self, task: Task, gen: np.random.Generator) -> None:
        """Nothing to set up."""

    def opened(self, task: Task) -> None:
        """Nothing runs without teams."""

    def team_work(self, team: Team, task: Task, line: Line) -> Gen[simpy.Event, object, None]:
        """Work on the line until it is done (or the task ends)."""
        yield from self.ctx.operations.wait_line(team, line)

    def productive(self, task: Task) -> bool:
        """Work always advances."""
        return True

    def changed(self, task: Task) -> None:
        """Nothing depends on who is on the lines."""

    def queued(self, task: Task) -> dict[str, Any]:
        """Nothing more to say."""
        return {}

    def completed(self, task: Task) -> None:
        """``task.completed`` with how long the work took."""
        ctx = self.ctx
        inc = task.incident
        ctx.emit("task.completed", inc.region.key, inc.key, {
            "task": task.key, "kind": task.kind,
            "since_queued": round(ctx.env.now - task.queued_at, 4) if task.queued_at is not None else None})

    def unresolved(self, task: Task) -> dict[str, Any]:
        """Nothing more than the task's state."""
        return {}


def stop_asking(task: Task) -> None:
    """Nothing is left for another team to do (all picked up, all fetched): no line asks for more."""
    for line in task.lines.values():
        line.wanted = 0
