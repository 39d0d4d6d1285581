"""Rescue: time to the first team on scene, completion, people rescued and lost, team utilisation.

An incident needs rescue when ``incident.occurred`` says ``people > 0``. Its outcome is known when it
closes (``incident.closed``, with the totals; else a ``rescue.completed`` that is not a first
responder's ``partial`` one) or when the exercise ends with it open
(``incident.unresolved``: people still alive then are not counted as lost, and are not rescued).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drillsim.log import Record
from drillsim.scoring.metrics.exercise import ended_early
from drillsim.scoring.observation import Observation, absent, observe
from drillsim.scoring.scope import ScopeFilter
from drillsim.scoring.spec import MetricSpec, T
from drillsim.scoring.text import Clock, Minutes, Share, phrase
from drillsim.scoring.timelines import team_intervals
from drillsim.scoring.view import LogView


def _people(rec: Record) -> int:
    value = rec.data.get("people")
    return int(value) if isinstance(value, int | float) else 0


def rescue_incidents(view: LogView, scope: ScopeFilter) -> list[Record]:
    """``incident.occurred`` records of incidents with people at risk, in scope."""
    return [r for r in view.kind("incident.occurred") if _people(r) > 0 and scope.incident(r.subject)]


def outcomes(view: LogView) -> dict[str | None, tuple[Record, int, int]]:
    """Incident → (record, rescued, lost) for incidents whose outcome is known by the horizon."""
    out: dict[str | None, tuple[Record, int, int]] = {}
    # incident.closed carries the totals; a first responder's partial rescue is not an outcome
    for r in view.kind("incident.closed"):
        if r.subject not in out:
            out[r.subject] = (r, int(r.data.get("rescued") or 0), int(r.data.get("lost") or 0))
    for r in view.kind("rescue.completed"):
        if r.subject not in out and not r.data.get("partial"):
            out[r.subject] = (r, int(r.data.get("rescued") or 0), int(r.data.get("lost") or 0))
    for r in view.kind("incident.unresolved"):
        if r.subject not in out:
            occurred = view.incidents.get(r.subject)
            people = _people(occurred) if occurred is not None else int(r.data.get("people") or 0)
            alive = r.data.get("alive")
            freed = int(r.data.get("rescued") or 0)  # freed by first responders before the end
            lost = people - freed - int(alive) if isinstance(alive, int | float) else 0
            out[r.subject] = (r, freed, max(0, lost))
    return out


def time_to_first_on_scene(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from onset to the first (in-scope) team on scene; none yet: censored at the horizon."""
    first: dict[str | None, Record] = {}
    for r in view.kind("team.on_scene"):
        if r.subject not in first and scope.team(r.actor):
            first[r.subject] = r
    out: list[Observation] = []
    for occ in rescue_incidents(view, scope):
        rec = first.get(occ.subject)
        name = view.name(occ.subject)
        if rec is not None:
            value = rec.t - occ.t
            out.append(
                observe(
                    rec,
                    value,
                    phrase(
                        "{inc}: {team} on scene {v} after onset",
                        "{inc}:{team}于事发后{v}到达现场",
                        inc=name,
                        team=view.name(rec.actor),
                        v=Minutes(value),
                    ),
                    refs=(occ.seq,),
                )
            )
        else:
            value = view.horizon - occ.t
            out.append(
                absent(
                    view.horizon,
                    occ.subject,
                    value,
                    phrase(
                        "{inc}: no team on scene {v} after onset",
                        "{inc}:事发后{v}仍无救援队伍到场",
                        inc=name,
                        v=Minutes(value),
                    ),
                    refs=(occ.seq,),
                )
            )
    return out


def rescue_completion_ratio(
    view: LogView, scope: ScopeFilter, params: Mapping[str, Any]
) -> list[Observation]:
    """1 per incident needing rescue whose rescue was completed by the horizon, else 0."""
    done = outcomes(view)
    early = ended_early(view)
    out: list[Observation] = []
    for occ in rescue_incidents(view, scope):
        rec = done.get(occ.subject)
        name = view.name(occ.subject)
        if rec is not None and rec[0].kind == "incident.unresolved" and early:
            # in progress when the exercise was ended early: censored, not failed (weight 0)
            out.append(observe(rec[0], 0.0, phrase(
                "{inc}: still in progress when the exercise ended early at {at} (censored)",
                "{inc}:演练于{at}提前结束时仍在处置(删失,不计入)", inc=name, at=Clock(view.horizon)),
                weight=0.0, censored=True, refs=(occ.seq,)))
            continue
        if rec is not None and rec[0].kind != "incident.unresolved":
            out.append(
                observe(
                    rec[0],
                    1.0,
                    phrase("{inc}: rescue completed at {at}", "{inc}:{at}完成救援", inc=name, at=Clock(rec[0].t)),
                    refs=(occ.seq,),
                )
            )
        else:
            ref = rec[0] if rec is not None else None
            text = phrase(
                "{inc}: rescue not completed by {at}",
                "{inc}:截至{at}救援未完成",
                inc=name,
                at=Clock(view.horizon),
            )
            if ref is not None:
                out.append(observe(ref, 0.0, text, refs=(occ.seq,)))
            else:
                out.append(absent(view.horizon, occ.subject, 0.0, text, refs=(occ.seq,), censored=False))
    return out


def _outcome_obs(view: LogView, scope: ScopeFilter, which: str) -> list[Observation]:
    done = outcomes(view)
    early = ended_early(view)
    out: list[Observation] = []
    for occ in rescue_incidents(view, scope):
        if occ.subject not in done:
            continue
        rec, rescued, lost = done[occ.subject]
        people = _people(occ)
        name = view.name(occ.subject)
        open_ = rec.kind == "incident.unresolved"
        if which == "ratio" and open_ and early:
            # still in progress when the exercise was ended early: censored, not failed (weight 0)
            text = phrase("{inc}: still in progress when the exercise ended early ({p} at risk; censored)",
                      "{inc}:演练提前结束时仍在处置({p}人被困;删失,不计入)", inc=name, p=people)
            out.append(observe(rec, rescued / people if people else 0.0, text, weight=0.0, censored=True,
                               refs=(occ.seq,)))
            continue
        if which == "ratio":
            share = rescued / people if people else 0.0
            text = phrase(
                "{inc}: {r} of {p} rescued alive ({s})",
                "{inc}:{p}人中{r}人获救({s})",
                inc=name,
                r=rescued,
                p=people,
                s=Share(share),
            )
            if open_:
                text = phrase(
                    "{inc}: not rescued by the end ({p} at risk, {l} lost)",
                    "{inc}:演练结束仍未救出({p}人被困,{l}人遇难)",
                    inc=name,
                    p=people,
                    l=lost,
                )
            out.append(observe(rec, share, text, weight=float(people), refs=(occ.seq,)))
        elif which == "rescued":
            out.append(
                observe(
                    rec,
                    rescued,
                    phrase(
                        "{inc}: {r} of {p} rescued alive",
                        "{inc}:{p}人中{r}人获救",
                        inc=name,
                        r=rescued,
                        p=people,
                    ),
                    refs=(occ.seq,),
                )
            )
        else:
            text = phrase(
                "{inc}: {l} of {p} lost while waiting for rescue",
                "{inc}:{p}人中{l}人在等待救援中遇难",
                inc=name,
                l=lost,
                p=people,
            )
            out.append(observe(rec, lost, text, refs=(occ.seq,)))
    return out


def people_rescued(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """People rescued alive per incident with a known outcome (use ``sum`` for the total)."""
    return _outcome_obs(view, scope, "rescued")


def people_lost(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """People at risk who died before rescue, per incident with a known outcome."""
    return _outcome_obs(view, scope, "lost")


def people_rescued_ratio(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Share rescued alive per incident, weighted by people at risk (``ratio`` = Σ rescued / Σ at risk)."""
    return _outcome_obs(view, scope, "ratio")


def team_utilisation(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Share of a team's time on duty spent on missions (travel to scene + work), per team on duty."""
    intervals = team_intervals(view)
    duty_from: dict[str, tuple[float, Record | None]] = {}
    for team in view.teams:
        if view.team_on_duty_at_start(team):
            duty_from[team] = (0.0, None)
    for r in view.kind("team.activated", "team.registered", "team.arrived"):
        if r.subject in view.teams and r.subject not in duty_from:
            duty_from[r.subject] = (float(r.t), r)
    withdrawn = {r.actor: float(r.t) for r in view.kind("team.withdrawn")}
    out: list[Observation] = []
    for team, (since, rec) in duty_from.items():
        if not scope.team(team) or not scope.region(view.teams[team].get("base")):
            continue
        until = min(view.horizon, withdrawn.get(team, view.horizon))
        duty = until - since
        if duty <= 0:
            continue
        busy = sum(
            min(e, until) - max(s, since)
            for s, e, phase, _ in intervals.get(team, ())
            if phase in ("travel", "work") and min(e, until) > max(s, since)
        )
        share = busy / duty
        text = phrase(
            "{team}: busy {b} of {d} on duty ({s})",
            "{team}:在岗{d}中执行任务{b}({s})",
            team=view.name(team),
            b=Minutes(busy),
            d=Minutes(duty),
            s=Share(share),
        )
        if rec is not None:
            out.append(observe(rec, share, text))
        else:
            out.append(absent(until, team, share, text, actor=team, censored=False))
    return out



_NO_RESCUE = T(
    "no incident with people at risk in the scope had an outcome yet", "考核范围内还没有有结果的需救援事件"
)
SPECS = (
    MetricSpec(
        "time_to_first_on_scene",
        time_to_first_on_scene,
        T("Time to first team on scene", "首支队伍到场用时"),
        T("incidents", "事件"),
        T(
            "Pre-position rescue teams near high-risk areas and speed up dispatch once an incident "
            "is reported.",
            "在高风险区域前置救援力量,接报后加快调度派遣。",
        ),
        T("no incident with people at risk in the scope", "考核范围内没有需救援的事件"),
    ),
    MetricSpec(
        "rescue_completion_ratio",
        rescue_completion_ratio,
        T("Rescues completed", "救援完成率"),
        T("incidents needing rescue", "需救援事件"),
        T(
            "Add rescue capacity or reinforcements (social forces, neighbouring regions) for peak demand.",
            "针对高峰需求增加救援力量,提前联系社会应急力量和周边地区增援。",
        ),
        T("no incident with people at risk in the scope", "考核范围内没有需救援的事件"),
        yes=T("completed", "已完成"),
        no=T("not completed", "未完成"),
    ),
    MetricSpec(
        "people_rescued",
        people_rescued,
        T("People rescued", "获救人数"),
        T("incidents", "事件"),
        T(
            "Reduce waiting time for trapped people: faster detection, dispatch and travel.",
            "缩短被困群众等待时间:加快发现、调度和到场。",
        ),
        _NO_RESCUE,
    ),
    MetricSpec(
        "people_lost",
        people_lost,
        T("People lost", "遇难人数"),
        T("incidents", "事件"),
        T(
            "Prioritise the most time-critical incidents and shorten the time to rescue.",
            "优先处置最紧急的事件,缩短救援时间。",
        ),
        _NO_RESCUE,
    ),
    MetricSpec(
        "people_rescued_ratio",
        people_rescued_ratio,
        T("Share rescued alive", "获救比例"),
        T("incidents", "事件"),
        T(
            "Reduce the time from onset to extraction: earlier detection, faster reporting and "
            "dispatch, more teams in the hardest-hit areas.",
            "缩短从事发到救出的时间:提早发现、加快报送和调度,向重灾区增派力量。",
        ),
        _NO_RESCUE,
    ),
    MetricSpec(
        "team_utilisation",
        team_utilisation,
        T("Team utilisation", "队伍使用率"),
        T("teams", "队伍"),
        T(
            "Balance tasking across teams: task idle registered teams and relieve overloaded ones.",
            "均衡分配任务:为闲置队伍派任务,为超负荷队伍安排轮换。",
        ),
        T("no team in the scope was on duty", "考核范围内没有在岗队伍"),
    ),
)
