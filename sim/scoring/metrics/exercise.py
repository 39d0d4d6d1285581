"""Exercise control: how long players took to decide, and whether injects were answered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drillsim import vocab
from drillsim.log import Record
from drillsim.scoring.observation import Observation, absent, observe
from drillsim.scoring.scope import ScopeFilter
from drillsim.scoring.spec import MetricSpec, T
from drillsim.scoring.text import Clock, Minutes, phrase
from drillsim.scoring.view import LogView

INFERRED_WINDOW = 60.0
"""Minutes after delivery in which an action by a recipient answers an inject that has an
``expected_action`` but no machine-checkable ``expects``."""

ACTION_KINDS = frozenset(
    (
        "decision.made",
        "level.changed",
        "agency.activated",
        "team.activated",
        "team.dispatched",
        "team.tasked",
        "report.sent",
        "border.notified",
        "border.consulted",
        "border.support_requested",
        "border.support_sent",
        "material.requested",
        "material.dispatched",
        "storage.evacuation_reported",
        "storage.activated",
        "hazard.warning",
        "whistle.called",
        "coordination.activated",
    )
)
"""Record kinds that count as an action when an answer has to be inferred."""


def ended_early(view: LogView) -> bool:
    """True when the exercise was ended before its scenario's duration (a time-boxed tabletop, a stop).

    What was still in progress then is censored, not failed: the players were not given the time the
    scenario allows. The end record says so: any reason but ``duration`` (the facilitator's end, a run
    limit) before the scenario's duration. An exercise still running is not "ended early".
    """
    ended = view.kind("exercise.ended")
    if not ended or ended[-1].data.get("reason") == "duration":
        return False
    duration = view.header.get("duration")
    return not isinstance(duration, int | float) or view.horizon < float(duration) - 1e-6


def decision_delay(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from a decision opening to the players' answer.

    A timed-out default counts its full time limit; only decisions asked of people
    (``asked: players``) count; decisions still open at the horizon are censored.
    """
    made: dict[str | None, Record] = {}
    for r in view.kind("decision.made"):
        made.setdefault(r.subject, r)
    out: list[Observation] = []
    for op in view.kind("decision.opened"):
        key = op.subject
        if op.data.get("asked") != "players" or not (scope.decision(key) and scope.agency(op.actor)):
            continue
        rec = made.get(key)
        names = {"d": key, "role": view.name(op.actor)}
        if rec is not None and rec.seq > op.seq:
            delay = rec.data.get("delay")
            delay = float(delay) if isinstance(delay, int | float) else rec.t - op.t
            if rec.data.get("by") == "default":
                text = phrase(
                    "{d} ({role}): no answer within {v}; the default applied",
                    "{d}({role}):{v}内未决策,按默认选项处理",
                    v=Minutes(delay),
                    **names,
                )
            else:
                text = phrase(
                    "{d} ({role}): decided in {v}", "{d}({role}):{v}完成决策", v=Minutes(delay), **names
                )
            out.append(observe(rec, delay, text, refs=(op.seq,)))
        else:
            wait = view.horizon - op.t
            out.append(
                absent(
                    view.horizon,
                    key,
                    wait,
                    phrase(
                        "{d} ({role}): still open {v} after it was asked",
                        "{d}({role}):提出后{v}仍未决策",
                        v=Minutes(wait),
                        **names,
                    ),
                    actor=op.actor,
                    refs=(op.seq,),
                )
            )
    return out


def _actor_matches(view: LogView, actor: str | None, wanted: list[str]) -> bool:
    if not wanted:
        return True
    if actor is None:
        return False
    return actor in wanted or view.team_group(actor) in wanted


def _data_matches(data: dict[str, Any], wanted: Mapping[str, Any]) -> bool:
    for key, value in wanted.items():
        have = data.get(key)
        if isinstance(value, list | tuple):
            if have not in value:
                return False
        elif have != value:
            return False
    return True


def _expectation_met(view: LogView, delivered: Record, exp: Mapping[str, Any]) -> Record | None:
    within = exp.get("within")
    deadline = delivered.t + float(within) if isinstance(within, int | float) else None
    by = [str(x) for x in exp.get("by") or ()]
    subjects = [str(x) for x in exp.get("subject") or ()]
    for r in view.kind(str(exp.get("kind"))):
        if r.seq <= delivered.seq:
            continue
        if deadline is not None and r.t > deadline + 1e-9:
            break
        if (
            _actor_matches(view, r.actor, by)
            and (not subjects or r.subject in subjects or view.team_group(r.subject) in subjects)
            and _data_matches(r.data, exp.get("data") or {})
        ):
            return r
    return None


def _recipients(view: LogView, delivered: Record) -> set[str]:
    to = [str(x) for x in delivered.data.get("to") or ()]
    if "all" in to:
        return set(view.agencies) | set(view.teams)
    out = set(to)
    out |= {region for a in to if (region := view.agency_region(a))}
    return out


def _inferred_answer(
    view: LogView, delivered: Record, recipients: set[str], deadline: float
) -> Record | None:
    for r in view.after(delivered.seq):
        if r.t > deadline:
            return None
        if r.kind in ACTION_KINDS and (r.actor in recipients or view.team_group(r.actor) in recipients):
            return r
    return None


def _kinds(kinds: list[str], sep: str) -> dict[str, str]:
    """Record kinds in words, in both languages (``team.dispatched`` → team dispatched / 队伍出动)."""
    return {lang: (sep if lang == "en" else sep.replace(", ", "、")).join(vocab.record_kind(k, lang) for k in kinds)
            for lang in ("en", "zh")}


def injects_answered_ratio(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """1 per delivered inject whose expected action shows in the log, 0 per one that does not.

    With ``expects`` on the inject every expectation must be met (a record of the kind, by the actor,
    about the subject, with the data, within the window). With only an ``expected_action`` text, any
    action record by a recipient (or its region, or its teams) within 60 minutes answers it — an
    inferred answer, marked so. Injects that expect nothing are not counted; unanswered ones whose
    window is still open are not counted yet, nor are they when the exercise was ended early
    (:func:`ended_early`: the players did not get the time the window gives).
    """
    out: list[Observation] = []
    early = ended_early(view)
    for d in view.kind("inject.delivered"):
        key = d.subject
        recipients = _recipients(view, d)
        if not scope.inject(key) and not scope.inject(d.data.get("cause")):
            continue
        if scope.fields["agencies"] and not (scope.fields["agencies"] & recipients):
            continue
        spec = view.inject_spec(key) or view.inject_spec(d.data.get("cause"))
        expects = [e for e in spec.get("expects") or () if isinstance(e, dict)]
        title = d.data.get("title") if isinstance(d.data.get("title"), dict) else {"en": key, "zh": key}
        names = {"i": key, "title": title, "at": Clock(d.t)}
        if expects:
            found = [_expectation_met(view, d, e) for e in expects]
            hits = [r for r in found if r is not None]
            if len(hits) == len(found):
                last = max(hits, key=lambda r: r.seq)
                out.append(
                    observe(
                        last,
                        1.0,
                        phrase(
                            "{i} “{title}” ({at}): answered — {what} at {w}",
                            "{i}“{title}”({at}):已响应——{w}{what}",
                            what=_kinds([r.kind for r in found if r], " + "),
                            w=Clock(last.t),
                            **names,
                        ),
                        refs=(d.seq, *(r.seq for r in found if r)),
                    )
                )
                continue
            missing = [e for e, f in zip(expects, found, strict=True) if f is None]
            # "by the end" and windows still open at an early end are censored, not failed
            still_open = (not view.final or early) and any(
                not isinstance(e.get("within"), int | float) or d.t + float(e["within"]) > view.horizon
                for e in missing
            )
            if still_open:
                continue
            out.append(
                observe(
                    d,
                    0.0,
                    phrase(
                        "{i} “{title}” ({at}): not answered — no {what}",
                        "{i}“{title}”({at}):未响应——缺少{what}",
                        what=_kinds([str(e.get("kind")) for e in missing], ", "),
                        **names,
                    ),
                )
            )
        elif d.data.get("expected_action"):
            deadline = d.t + INFERRED_WINDOW
            answer = _inferred_answer(view, d, recipients, deadline)
            if answer is not None:
                out.append(
                    observe(
                        answer,
                        1.0,
                        phrase(
                            "{i} “{title}” ({at}): answered (inferred) — {who} {k} at {w}",
                            "{i}“{title}”({at}):已响应(推断)——{who}于{w}{k}",
                            who=view.name(answer.actor),
                            k=_kinds([answer.kind], ""),
                            w=Clock(answer.t),
                            **names,
                        ),
                        refs=(d.seq,),
                    )
                )
            elif (view.final and not early) or deadline <= view.horizon:
                out.append(
                    observe(
                        d,
                        0.0,
                        phrase(
                            "{i} “{title}” ({at}): no action by a recipient within {win} (inferred)",
                            "{i}“{title}”({at}):接收单位{win}内无处置行动(推断)",
                            win=Minutes(INFERRED_WINDOW),
                            **names,
                        ),
                    )
                )
    return out


SPECS = (
    MetricSpec(
        "decision_delay",
        decision_delay,
        T("Decision delay", "决策用时"),
        T("player decisions", "参演人员决策"),
        T(
            "Prepare decision criteria and delegated authority for the foreseeable decision points.",
            "针对可预见的决策点预先制定决策依据并明确授权。",
        ),
        T(
            "no decision was asked of the players (no role was played, so doctrine decided)",
            "没有需参演人员作出的决策(未设人工决策角色,均按预案决策)",
        ),
    ),
    MetricSpec(
        "injects_answered_ratio",
        injects_answered_ratio,
        T("Injects answered", "情景注入响应率"),
        T("injects", "情景注入"),
        T(
            "Review each unanswered inject's expected action with the recipients and assign an owner for it.",
            "逐条复盘未响应的情景注入,明确接收单位的处置责任人。",
        ),
        T(
            "no delivered inject had an expected action (expects or expected_action)",
            "没有设定预期行动的情景注入被下达",
        ),
        yes=T("answered", "已响应"),
        no=T("not answered", "未响应"),
    ),
)
