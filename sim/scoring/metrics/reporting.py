"""Information reporting (信息报送): first-report latency and punctuality, follow-ups, skipped levels.

A detected incident's first report is expected at every level above the incident's region, up to
the scenario's ``reporting.top``; the deadline at each level comes from ``reporting.deadlines``
(minutes from detection), or from the record's ``due``. A report still missing when its deadline
has passed by the horizon counts as late (a censored observation with no record behind it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from drillsim.levels import ADMIN_RANK
from drillsim.log import Record
from drillsim.scoring.observation import Observation, absent, observe
from drillsim.scoring.scope import ScopeFilter
from drillsim.scoring.spec import MetricSpec, T
from drillsim.scoring.text import Clock, Minutes, phrase
from drillsim.scoring.view import LogView

EPS = 1e-6


def _first_reports(view: LogView) -> dict[tuple[str, str], Record]:
    """The first report (初报: ``type`` initial, or untyped) received per (incident, receiving region).

    Updates (续报) and final reports (核报) have their own deadlines and are not first reports.
    """
    out: dict[tuple[str, str], Record] = {}
    for r in view.kind("report.received"):
        if (
            r.subject is not None
            and r.actor is not None
            and r.data.get("type", "initial") in ("initial", None)
        ):
            out.setdefault((r.subject, r.actor), r)
    return out


def _expected(
    view: LogView, scope: ScopeFilter
) -> Iterator[tuple[str, str, str | None, float, float | None, Record | None]]:
    """Every level a first report was due at (or arrived at), in scope.

    Yields ``(incident, region, level, detected_t, deadline, first report or None)``.
    """
    reporting = view.definition.get("reporting") or {}
    deadlines: dict[str, float] = reporting.get("deadlines") or {}
    top = ADMIN_RANK.get(reporting.get("top", "nation"), len(ADMIN_RANK))
    firsts = _first_reports(view)
    by_incident: dict[str, list[str]] = {}
    for first, region in firsts:
        by_incident.setdefault(first, []).append(region)
    # seqs, not records: a compact view decodes records anew on each pass (docs/design.md, "Memory")
    detections = {r.subject: r.seq for r in reversed(view.kind("incident.detected"))}
    for det in view.kind("incident.detected"):
        inc = det.subject
        if inc is None or detections.get(inc) != det.seq or not scope.incident(inc):
            continue
        home = det.data.get("region") or det.actor
        chain = view.ancestors(home)[1:]
        received = [reg for reg in by_incident.get(inc, ()) if reg not in chain]
        for region in [*chain, *received]:
            level = view.region_level(region)
            if level is not None and ADMIN_RANK.get(level, 0) > top and (inc, region) not in firsts:
                continue
            if not (scope.level(level) and scope.region_agencies(region)):
                continue
            deadline = deadlines.get(level) if level else None
            yield (
                inc,
                region,
                level,
                float(det.t),
                (float(deadline) if deadline is not None else None),
                firsts.get((inc, region)),
            )


def first_report_latency(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from detection to the first report at each level (missing and overdue: censored)."""
    out: list[Observation] = []
    for inc, region, _level, detected, deadline, rec in _expected(view, scope):
        dl = Minutes(deadline) if deadline is not None else "—"
        if rec is not None:
            latency = rec.data.get("latency")
            latency = float(latency) if isinstance(latency, int | float) else rec.t - detected
            out.append(
                observe(
                    rec,
                    latency,
                    phrase(
                        "{inc} → {reg}: {lat} after detection (deadline {dl})",
                        "{inc} → {reg}:发现后{lat}(时限{dl})",
                        inc=view.name(inc),
                        reg=view.name(region),
                        lat=Minutes(latency),
                        dl=dl,
                    ),
                )
            )
        elif (deadline is not None and detected + deadline <= view.horizon + EPS) or view.final:
            waited = view.horizon - detected
            out.append(
                absent(
                    view.horizon,
                    inc,
                    waited,
                    phrase(
                        "{inc} → {reg}: no first report {lat} after detection (deadline {dl})",
                        "{inc} → {reg}:发现后{lat}仍未首报(时限{dl})",
                        inc=view.name(inc),
                        reg=view.name(region),
                        lat=Minutes(waited),
                        dl=dl,
                    ),
                    actor=region,
                )
            )
    return out


def report_on_time_ratio(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """1 per first report that arrived by its deadline, 0 per late or overdue-and-missing one."""
    out: list[Observation] = []
    for inc, region, _level, detected, deadline, rec in _expected(view, scope):
        due = rec.data.get("due") if rec is not None else None
        if not isinstance(due, int | float):
            due = detected + deadline if deadline is not None else None
        if due is None:
            continue
        names = {"inc": view.name(inc), "reg": view.name(region)}
        if rec is not None:
            on_time = rec.t <= due + EPS
            lat = rec.t - detected
            if on_time:
                text = phrase(
                    "{inc} → {reg}: on time, {lat} after detection (deadline {dl})",
                    "{inc} → {reg}:按时,发现后{lat}(时限{dl})",
                    lat=Minutes(lat),
                    dl=Minutes(due - detected),
                    **names,
                )
            else:
                text = phrase(
                    "{inc} → {reg}: late, {lat} after detection (deadline {dl}, {over} over)",
                    "{inc} → {reg}:迟报,发现后{lat}(时限{dl},超时{over})",
                    lat=Minutes(lat),
                    dl=Minutes(due - detected),
                    over=Minutes(rec.t - due),
                    **names,
                )
            out.append(observe(rec, 1.0 if on_time else 0.0, text))
        elif due <= view.horizon + EPS:
            out.append(
                absent(
                    view.horizon,
                    inc,
                    0.0,
                    phrase(
                        "{inc} → {reg}: missing, no first report by {end} (deadline {dl} after detection)",
                        "{inc} → {reg}:漏报,截至{end}未收到首报(时限为发现后{dl})",
                        end=Minutes(view.horizon - detected),
                        dl=Minutes(due - detected),
                        **names,
                    ),
                    actor=region,
                )
            )
    return out


FOLLOW_UPS = {"update": {"en": "update (续报)", "zh": "续报"}, "final": {"en": "final report (核报)", "zh": "核报"}}


def follow_up_on_time_ratio(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """1 per update (续报) or final report (核报) that arrived by its ``due``, 0 per late one.

    Each ``report.received`` of type ``update`` or ``final`` with a ``due`` (``reporting.updates.deadline``,
    ``reporting.final.deadlines``) is an item. A final report still missing at a level that had the first
    report, once the incident closed more than that level's deadline before the horizon, is a 0; one whose
    deadline had not passed when the exercise ended is not counted (censored: it could still come).
    """
    out: list[Observation] = []
    finals: set[tuple[str | None, str | None]] = set()
    for r in view.kind("report.received"):
        kind = r.data.get("type")
        if kind not in FOLLOW_UPS:
            continue
        if kind == "final":
            finals.add((r.subject, r.actor))
        level = r.data.get("level") or view.region_level(r.actor)
        due = r.data.get("due")
        if not (isinstance(due, int | float) and scope.incident(r.subject) and scope.level(level)
                and scope.region_agencies(r.actor)):
            continue
        names = {"inc": view.name(r.subject), "reg": view.name(r.actor), "what": FOLLOW_UPS[kind],
                 "at": Clock(r.t), "due": Clock(float(due))}
        if r.t <= float(due) + EPS:
            text = phrase("{inc} → {reg}: {what} on time at {at} (due {due})",
                      "{inc} → {reg}:{what}按时,{at}送达(时限{due})", **names)
            out.append(observe(r, 1.0, text))
        else:
            text = phrase("{inc} → {reg}: {what} late at {at} (due {due}, {over} over)",
                      "{inc} → {reg}:{what}迟报,{at}送达(时限{due},超时{over})",
                      over=Minutes(r.t - float(due)), **names)
            out.append(observe(r, 0.0, text))
    deadlines: dict[str, float] = ((view.definition.get("reporting") or {}).get("final") or {}).get("deadlines") or {}
    if not deadlines:
        return out
    closed = {r.subject: r for r in view.kind("incident.closed")}
    for (inc, region), first in _first_reports(view).items():
        rec = closed.get(inc)
        level = view.region_level(region)
        deadline = deadlines.get(level) if level else None
        if rec is None or deadline is None or (inc, region) in finals:
            continue
        if not (scope.incident(inc) and scope.level(level) and scope.region_agencies(region)):
            continue
        due = rec.t + float(deadline)
        if due > view.horizon + EPS:
            continue  # the exercise ended before this final report was due
        out.append(absent(view.horizon, inc, 0.0, phrase(
            "{inc} → {reg}: no final report (核报) by {end} (closed at {at}, due {due})",
            "{inc} → {reg}:截至{end}未收到核报({at}结案,时限{due})",
            inc=view.name(inc), reg=view.name(region), end=Clock(view.horizon), at=Clock(rec.t), due=Clock(due)),
            actor=region, refs=(first.seq, rec.seq), censored=False))
    return out


def skipped_level_reports(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """1 per report that skipped a level of the chain (``direct`` or not from a child region), else 0."""
    out: list[Observation] = []
    for r in view.kind("report.received"):
        if not scope.incident(r.subject):
            continue
        level = r.data.get("level") or view.region_level(r.actor)
        if not (scope.level(level) and scope.region_agencies(r.actor)):
            continue
        sender = r.data.get("from")
        skipped: list[str] = []
        if sender is not None and view.regions:
            chain = view.ancestors(sender)[1:]
            if r.actor in chain:
                skipped = chain[: chain.index(r.actor)]
        direct = bool(r.data.get("direct")) or bool(skipped)
        names = {"inc": view.name(r.subject), "frm": view.name(sender), "to": view.name(r.actor)}
        if direct:
            missed = [view.name(s) for s in skipped]
            text = phrase(
                "{inc}: {frm} → {to} directly (skipping {sk})",
                "{inc}:{frm}越级报{to}(跳过{sk})",
                sk={
                    "en": ", ".join(m["en"] for m in missed) or "—",
                    "zh": "、".join(m["zh"] for m in missed) or "—",
                },
                **names,
            )
        else:
            text = phrase("{inc}: {frm} → {to}", "{inc}:{frm} → {to}", **names)
        out.append(observe(r, 1.0 if direct else 0.0, text))
    return out


SPECS = (
    MetricSpec(
        "first_report_latency",
        first_report_latency,
        T("First-report latency", "首报用时"),
        T("first reports", "首报"),
        T(
            "Shorten the reporting chain: review hop processing at each level, pre-fill report templates and "
            "drill first-report timing with grid workers.",
            "压缩报送链条:梳理各级接报处理环节,推行首报模板,组织网格员开展首报时效演练。",
        ),
        T(
            "no incident was detected, or none of its first reports falls in the scope",
            "没有发现事件,或首报不在考核范围内",
        ),
    ),
    MetricSpec(
        "report_on_time_ratio",
        report_on_time_ratio,
        T("First reports on time", "首报及时率"),
        T("first reports", "首报"),
        T(
            "Enforce first-report deadlines: duty officers confirm receipt and forward within the "
            "deadline; add a deadline reminder to the duty log.",
            "严格落实首报时限:值班人员接报后立即确认并在时限内上报,值班日志增加时限提醒。",
        ),
        T(
            "no first report had a deadline in the scope (check reporting.deadlines)",
            "考核范围内没有设定时限的首报(请检查情景中各层级的首报时限设置)",
        ),
        yes=T("on time", "按时"),
        no=T("late or missing", "迟报或漏报"),
    ),
    MetricSpec(
        "follow_up_on_time_ratio",
        follow_up_on_time_ratio,
        T("Updates and final reports on time", "续报、核报及时率"),
        T("updates and final reports", "续报和核报"),
        T(
            "Set a rhythm for updates (续报) and a date for the final report (核报) at each level, and track "
            "them in the duty log as first reports are tracked.",
            "明确各级续报频次和核报时限,并像首报一样纳入值班日志跟踪。",
        ),
        T(
            "no update or final report with a due time was received in the scope (check "
            "reporting.updates.deadline and reporting.final.deadlines)",
            "考核范围内没有设定时限的续报或核报(请检查续报和核报时限设置)",
        ),
        yes=T("on time", "按时"),
        no=T("late or missing", "迟报或漏报"),
    ),
    MetricSpec(
        "skipped_level_reports",
        skipped_level_reports,
        T("Skipped-level reports", "越级报告"),
        T("reports", "报告"),
        T(
            "Clarify when direct (skip-level) reports are required and make sure the bypassed level "
            "is copied.",
            "明确越级上报的适用情形,越级上报时同时抄报被越过的层级。",
        ),
        T("no report was received in the scope", "考核范围内没有收到报告"),
        yes=T("skipped a level", "越级"),
        no=T("went level by level", "逐级报送"),
    ),
)
