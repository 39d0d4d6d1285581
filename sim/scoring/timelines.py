"""Team activity as intervals (travel, work, return), read from the log.

Shared by the ``team_utilisation`` metric and the report's Gantt chart, so the figure and the number
agree. An interval still open at the horizon ends there.
"""

from __future__ import annotations

from drillsim.scoring.view import LogView

Interval = tuple[float, float, str, str | None]
"""``(start, end, phase, incident or base)`` with phase ``travel``, ``work`` or ``return``."""

_KINDS = (
    "team.dispatched",
    "team.on_scene",
    "rescue.started",
    "task.started",
    "rescue.completed",
    "evacuation.trip",
    "supply.delivered",
    "team.returning",
    "team.returned",
    "team.withdrawn",
)


def team_intervals(view: LogView) -> dict[str, list[Interval]]:
    """Per team, its travel / work / return intervals in time order."""
    out: dict[str, list[Interval]] = {}
    open_: dict[str, tuple[float, str, str | None]] = {}

    def close(team: str, t: float) -> None:
        cur = open_.pop(team, None)
        if cur is not None and t >= cur[0]:
            out.setdefault(team, []).append((cur[0], t, cur[1], cur[2]))

    for r in view.kind(*_KINDS):
        team = r.actor
        if team is None:
            continue
        if r.kind == "team.dispatched":
            close(team, r.t)
            open_[team] = (r.t, "travel", r.subject)
        elif r.kind == "team.on_scene":
            close(team, r.t)
        elif r.kind in ("rescue.started", "task.started"):
            close(team, r.t)
            open_[team] = (r.t, "work", r.subject)
        elif r.kind == "team.returning":
            close(team, r.t)
            open_[team] = (r.t, "return", r.subject)
        elif r.kind in ("evacuation.trip", "supply.delivered"):
            continue  # a trip within a task: the team is still at work
        else:  # completed, returned, withdrawn
            close(team, r.t)
    for team in list(open_):
        close(team, max(view.horizon, open_[team][0]))
    return out
