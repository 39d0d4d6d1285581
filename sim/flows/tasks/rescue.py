"""The primary operation: free the trapped (rescue), or plain work when nobody is trapped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillsim.flows.tasks.base import KindBase

if TYPE_CHECKING:
    from drillsim.agents.operation import Task


class Rescues(KindBase):
    """Extract the survivors when the work is done: who is alive then depends only on when that is."""

    def completed(self, task: Task) -> None:
        """``rescue.completed`` (people rescued and lost) or, for plain work, ``task.completed``."""
        if task.kind != "rescue":
            super().completed(task)
            return
        ctx = self.ctx
        inc = task.incident
        now = ctx.env.now
        waited = now - inc.onset
        rescued = inc.alive_after(waited)
        lost = len(inc.death_times) - rescued
        inc.death_times = []
        inc.rescued += rescued
        inc.lost += lost
        teams = sorted({t.key for line in task.lines.values() for t in line.teams.values()})
        lead = inc.team.key if inc.team is not None and (inc.team.key in teams or not teams) else \
            (teams[0] if teams else None)
        data: dict[str, object] = {"rescued": rescued, "lost": lost, "waited": round(waited, 4),
                                   "work": round(now - task.started_at, 4) if task.started_at is not None else 0.0}
        if len(teams) > 1:
            data["teams"] = teams
        ctx.emit("rescue.completed", lead, inc.key, data)
