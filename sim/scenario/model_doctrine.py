"""Doctrine details of reporting, rescue and response.

Doctrine details of reporting, rescue and response: 续报/核报, skip-level and zero reports,
rescuer accidents, standing down. Small models that extend sections of :mod:`drillsim.scenario.model`.

Fact names are checked against the known facts in :mod:`drillsim.scenario.refs`, where the error can be
located at the referring field.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from drillsim.levels import AdminLevel as Level
from drillsim.levels import ResponseLevel as Response
from drillsim.scenario.model_triggers import Trigger
from drillsim.scenario.types import (
    Amount,
    CountDist,
    Duration,
    DurationDist,
    Frozen,
    Id,
    Probability,
    TimePoint,
    written,
    written_dist,
)


def _as_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


Ids = Annotated[tuple[Id, ...], BeforeValidator(_as_tuple)]


class Updates(Frozen):
    """Update reports (续报): when an incident's facts change, the news climbs the chain again.

    Updates of one incident are rate-limited: a change within ``min_interval`` of the last update
    waits and is merged into the next one, so a stream of small changes costs one report.
    """

    enabled: bool = True
    min_interval: Duration = Field(
        default=written("30m"), description="Least time between two updates of an incident."
    )
    facts: tuple[str, ...] = Field(
        default=("trapped", "dead", "missing", "injured", "area_ha", "collapsed", "border_fire"),
        description="Facts whose change triggers an update (add ``evacuated`` when a rule counts evacuees).",
    )
    deadline: Duration | None = Field(default=None, description="Due time at each level, from the change.")


class Final(Frozen):
    """The final report (核报): sent once an incident is closed and its facts stable for ``after``."""

    enabled: bool = True
    after: Duration = Field(default=written("6h"), description="Stable period before the final report.")
    deadlines: dict[Level, Duration] = Field(
        default_factory=dict, description="Latest arrival of the final report at each level, from the moment "
        "the incident became stable (closed, no work left); e.g. 2/3/5 days county/city/province.")


class DirectRule(Frozen):
    """Skip-level report (越级上报) rule.

    Skip-level report (越级上报): a ``from`` office reports straight to higher levels when a fact
    it knows (summed over incidents) reaches ``at_least``, e.g. ≥10 dead incl. missing → province
    and ministry at once.
    """

    from_: Level = Field(alias="from")
    to: tuple[Level, ...] = Field(min_length=1)
    fact: str = "dead_or_missing"
    at_least: Amount = 10.0
    delay: DurationDist = Field(default=written_dist(0), description="Time to prepare and send the direct report.")
    due: Duration | None = Field(default=None, description="Deadline from the moment the threshold is met.")


class ZeroReport(Frozen):
    """The 24-hour zero-report rule (24小时零报告).

    The 24-hour zero-report rule (24小时零报告): offices at ``level`` report every ``interval``
    during a serious disaster, even when nothing new happened.
    """

    level: Level = "county"
    interval: Duration = Field(default=written("1d"), gt=0)
    start: Trigger | None = Field(default=None, description="When the rule starts (none: at the start).")
    until: TimePoint | None = None


class Mishap(Frozen):
    """A rescuer accident (a capsized boat) during work that needs one capability.

    The team's current task is abandoned and re-queued, ``people`` of its members need rescue
    themselves (a new incident), and the team goes back to base.
    """

    probability: Probability
    people: CountDist = Field(
        default=written_dist(2.0), description="Rescuers in danger (capped at the team's members).")
    kind: Id = "rescuer_down"
    needs: Ids = ()
    priority: int = Field(default=1, ge=1, le=5)
    unregistered_factor: float = Field(
        default=1.0, ge=1.0, description="Risk multiplier for self-deployed, unregistered teams."
    )
    survival: Id | None = None


class StandDown(Frozen):
    """Lowering the level (降低/终止响应) once the situation is quiet.

    Lowering the level (降低/终止响应) once the situation is quiet: no trapped people known to the
    agency's office and no new incident for ``quiet``; then one level down every ``step``.
    """

    quiet: Duration = Field(gt=0)
    step: Duration = 0
    to: Response | None = Field(default=None, description="Lowest level to reach (none: end the response).")
