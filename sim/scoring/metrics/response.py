"""Graded response (分级响应): how fast agencies reach a level, and from trigger to the level change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drillsim.levels import rank_of as level_rank
from drillsim.log import Record
from drillsim.scoring.observation import Observation, absent, observe
from drillsim.scoring.scope import ScopeFilter
from drillsim.scoring.spec import MetricSpec, T
from drillsim.scoring.text import Clock, Minutes, Phrase, phrase
from drillsim.scoring.view import LogView


def _first_knowledge(view: LogView) -> dict[str, float]:
    """When each region first heard of an incident (detection there, or a report received)."""
    out: dict[str, float] = {}
    for r in view.kind("incident.detected", "report.received"):
        region = r.actor if r.kind == "report.received" else (r.data.get("region") or r.actor)
        if region is not None:
            out.setdefault(region, float(r.t))
    return out


def _calls(view: LogView, target: int) -> dict[str, Record]:
    """Per agency, the first record that called for ``target`` or higher: a response rule firing."""
    out: dict[str, Record] = {}
    for r in view.kind("response.triggered"):
        level = r.data.get("level") or r.subject
        if r.actor is not None and r.actor not in out and level_rank(level) >= target:
            out[r.actor] = r
    return out


def _origin(view: LogView, change: Record | None, call: Record | None, known: float | None
            ) -> tuple[float, Phrase]:
    """When the clock of ``time_to_level`` starts for one agency, and what started it.

    The trigger that called for the level: the response rule that fired (``response.triggered``), the
    decision put to the players (``decision.opened``) or the inject (``inject.delivered``) whose effect set
    it. Without one, the office's first hearing of an incident; without that, the exercise start.
    A level raised by a warning before any incident is timed from the warning's trigger, never 0 by default.
    """
    if call is not None and (change is None or call.seq < change.seq):
        return float(call.t), phrase("its trigger fired ({o})", "触发启动条件({o})", o=Clock(call.t))
    cause = change.data.get("cause") if change is not None else None
    if isinstance(cause, str):
        for kind, en, zh in (("decision.opened", "decision {c} was put to it", "决策{c}提出"),
                             ("inject.delivered", "inject {c} arrived", "收到{c}")):
            asked = next((r for r in view.kind(kind) if r.subject == cause
                          and change is not None and r.seq < change.seq), None)
            if asked is not None:
                return float(asked.t), phrase(en + " ({o})", zh + "({o})", c=cause, o=Clock(asked.t))
    if known is not None:
        return known, phrase("its office first heard of an incident ({o})", "本级首次获悉灾情({o})", o=Clock(known))
    return 0.0, phrase("the exercise start", "演练开始")


def time_to_level(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from the trigger that called for ``level`` (or higher) to an agency reaching it.

    The trigger is the response rule that fired, the decision put to the players or the inject whose
    effect set the level (:func:`_origin`); without one, the office's first hearing of an incident, and
    without that the exercise start. An initial level counts as 0. Agencies named in the scope that never
    reach the level are censored at the horizon; without named agencies only those that reached it count.
    """
    target = level_rank(params.get("level"))
    if target == 0:
        return []
    known = _first_knowledge(view)
    calls = _calls(view, target)
    reached: dict[str | None, Any] = {}
    for r in view.kind("level.changed"):
        agency = r.subject or r.actor
        if agency not in reached and level_rank(r.data.get("to")) >= target and scope.agency(agency):
            reached[agency] = r
    agencies: list[str | None] = list(sorted(scope.fields["agencies"])) or list(reached)
    out: list[Observation] = []
    level = params.get("level")
    for agency in agencies:
        region = view.agency_region(agency)
        if not scope.region(region):
            continue
        rec = reached.get(agency)
        initial = rec is not None and rec.data.get("reason") == "initial"
        call = calls.get(agency) if agency is not None else None
        origin, why = _origin(view, rec, call, known.get(region or ""))
        refs = (call.seq,) if call is not None and rec is not None and call.seq < rec.seq else ()
        if rec is not None:
            value = 0.0 if initial else max(0.0, rec.t - origin)
            out.append(
                observe(
                    rec,
                    value,
                    phrase(
                        "{ag} reached Level {lv} at {at}, {v} after {why}",
                        "{ag}于{at}启动{lv}级响应,距{why}{v}",
                        ag=view.name(agency),
                        lv=level,
                        at=Clock(rec.t),
                        v=Minutes(value),
                        why=why,
                    ),
                    refs=refs,
                )
            )
        else:
            value = max(0.0, view.horizon - origin)
            out.append(
                absent(
                    view.horizon,
                    agency,
                    value,
                    phrase(
                        "{ag} had not reached Level {lv} by {at} ({v} after {why})",
                        "{ag}截至{at}仍未启动{lv}级响应(距{why}{v})",
                        ag=view.name(agency),
                        lv=level,
                        at=Clock(view.horizon),
                        v=Minutes(value),
                        why=why,
                    ),
                    actor=agency,
                    refs=(call.seq,) if call is not None else (),
                )
            )
    return out


def trigger_to_activation(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from a response rule firing (``response.triggered``) to the agency's level change."""
    changes = view.kind("level.changed")
    out: list[Observation] = []
    for trig in view.kind("response.triggered"):
        agency = trig.actor
        if not (scope.agency(agency) and scope.region(view.agency_region(agency))):
            continue
        level = trig.data.get("level") or trig.subject
        rank = level_rank(level)
        names = {"ag": view.name(agency), "lv": level, "at": Clock(trig.t)}
        done = next(
            (
                c
                for c in changes
                if c.seq > trig.seq
                and (c.subject or c.actor) == agency
                and level_rank(c.data.get("to")) >= rank
            ),
            None,
        )
        if done is not None:
            value = done.t - trig.t
            out.append(
                observe(
                    done,
                    value,
                    phrase(
                        "{ag}: Level {lv} triggered at {at}, in force {v} later",
                        "{ag}:{at}触发{lv}级响应条件,{v}后启动",
                        v=Minutes(value),
                        **names,
                    ),
                    refs=(trig.seq,),
                )
            )
        else:
            value = view.horizon - trig.t
            out.append(
                absent(
                    view.horizon,
                    agency,
                    value,
                    phrase(
                        "{ag}: Level {lv} triggered at {at}, not in force {v} later",
                        "{ag}:{at}触发{lv}级响应条件,{v}后仍未启动",
                        v=Minutes(value),
                        **names,
                    ),
                    actor=agency,
                    refs=(trig.seq,),
                )
            )
    return out


SPECS = (
    MetricSpec(
        "time_to_level",
        time_to_level,
        T("Time to response level", "启动响应用时"),
        T("agencies", "单位"),
        T(
            "Pre-agree the consultation and signature steps for raising the response level so a level can be "
            "declared as soon as its trigger is met.",
            "预先明确提升响应级别的会商和签发程序,确保达到启动条件后立即启动响应。",
        ),
        T("no agency in the scope reached the level", "考核范围内没有单位达到该响应级别"),
    ),
    MetricSpec(
        "trigger_to_activation",
        trigger_to_activation,
        T("Trigger to activation", "触发至启动用时"),
        T("triggered levels", "触发的响应"),
        T(
            "Shorten the time from a met trigger to a declared level: delegate authority to the duty leader, "
            "use standing consultation slots.",
            "缩短从满足条件到启动响应的时间:授权值班领导先行启动,建立常态化会商机制。",
        ),
        T("no response rule fired in the scope", "考核范围内没有触发响应条件"),
    ),
)
