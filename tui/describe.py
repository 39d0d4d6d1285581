"""One line of plain language per event-log record, in Chinese or English, for the event feed.

The feed must read like a duty log (值班记录), not like JSON: "09:12 Mentougou Fire 01 dispatched
to flood-3 (Zhaitang), 14.2 km, ETA 09:40". Unknown kinds (added by later flows) still get a
line built from actor, kind and subject, so a newer log never breaks an older console. The
family of a kind (``incident``, ``report``, ``response``…) drives the feed filter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from drillsim import vocab
from drillsim.tui.describe_flows import DESCRIBERS as FLOW_DESCRIBERS
from drillsim.tui.describe_flows import FAMILY_OF_PREFIX as FLOW_FAMILIES
from drillsim.tui.describe_operations import DESCRIBERS as OPERATION_DESCRIBERS
from drillsim.tui.describe_operations import FAMILY_OF_PREFIX as OPERATION_FAMILIES
from drillsim.tui.i18n import STRINGS, Names, duration, text, tr

if TYPE_CHECKING:
    from collections.abc import Mapping

    from drillsim.log import Row
    from drillsim.tui.state import IncidentView

FAMILIES: tuple[str, ...] = ("incident", "report", "response", "rescue", "hazard", "coordination", "border",
                             "logistics", "msel", "decision", "input", "other")
"""Feed filter groups, in menu order (``kind.<family>`` names them in :mod:`drillsim.tui.i18n`)."""

_FAMILY_OF_PREFIX = {
    "incident": "incident", "report": "report", "response": "response", "level": "response",
    "agency": "response", "rescue": "rescue", "team": "rescue", "inject": "msel", "decision": "decision",
    "input": "input", "note": "input", "role": "input", "exercise": "input", "message": "input",
    **FLOW_FAMILIES,
    **OPERATION_FAMILIES,
}


def family(kind: str) -> str:
    """The feed-filter group of a record kind (``team.dispatched`` → ``rescue``)."""
    return _FAMILY_OF_PREFIX.get(kind.split(".", 1)[0], "other")


def involves(rec: Sequence[Any], key: str, region_of: dict[str, str]) -> bool:
    """True when a record concerns ``key`` (an agency, region or team): as actor, subject or recipient.

    An agency also owns what happens at its region's office (reports received there), so filtering
    by ``mtg-flood-hq`` shows the reports that reached Mentougou as well as its level changes.
    """
    _t, _seq, _kind, actor, subject, data = rec
    if key in (actor, subject):
        return True
    if isinstance(data, dict):
        to = data.get("to")
        if to == key or (isinstance(to, list) and (key in to or "all" in to)):
            return True
        if key in (data.get("region"), data.get("team"), data.get("from"), data.get("agency")):
            return True
    region = region_of.get(key)
    return region is not None and region in (actor, subject)


def describe(rec: Row, names: Names, lang: str, incidents: Mapping[str, IncidentView] | None = None) -> str:
    """The record as one line of text (without the time, which the feed adds).

    ``incidents`` (the view's) lets a line say an incident's place and kind (``Wangping 8 · flash
    flood``) instead of its id.
    """
    fn = _DESCRIBERS.get(rec[2])
    line = _Line(rec, names, lang, incidents)
    if fn is not None:
        try:
            return fn(line)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    return " ".join(x for x in (line.a, vocab.record_kind(line.kind, lang), line.n(line.subject)) if x)


class _Line:
    """One record with the helpers a describer needs (names, language, durations)."""

    def __init__(self, rec: Row, names: Names, lang: str,
                 incidents: Mapping[str, IncidentView] | None = None) -> None:
        self.t, _seq, self.kind, self.actor, self.subject, data = rec
        self.d: dict[str, Any] = data if isinstance(data, dict) else {}
        self.names = names
        self.lang = lang
        self.incidents = incidents or {}

    def n(self, key: Any) -> str:
        """Display name of an id (empty for None): an incident as its place and kind, else its name."""
        if not isinstance(key, str):
            return ""
        inc = self.incidents.get(key)
        if inc is not None:
            return self.names.incident(inc.key, inc.kind, inc.region, inc.name, self.lang)
        return self.names.name(key, self.lang)

    @property
    def a(self) -> str:
        """Display name of the actor (the control cell, the facilitator… in words)."""
        return self.names.who(self.actor, self.lang) if isinstance(self.actor, str) else ""

    @property
    def s(self) -> str:
        """Display name of the subject (an incident: its place and kind)."""
        return self.n(self.subject)

    def z(self, en: str, zh: str) -> str:
        """Pick the English or the Chinese wording."""
        return zh if self.lang == "zh" else en

    def dur(self, minutes: Any) -> str:
        """A duration in words of the current language."""
        return duration(float(minutes or 0), self.lang)

    def txt(self, value: Any) -> str:
        """A ``{zh, en}`` text in the current language."""
        return text(value, self.lang)

    def level(self, level: Any) -> str:
        """``II`` → ``Level II`` / ``II级``."""
        if not level:
            return self.z("no response", "未响应")
        return self.z(f"Level {level}", f"{level}级")


def _started(x: _Line) -> str:
    title, dur = x.txt(x.d.get("title")), x.dur(x.d.get("duration"))
    return x.z(f"Exercise started: {title} ({dur})", f"推演开始: {title}(时长 {dur})")


def _ended(x: _Line) -> str:
    d = x.d
    key = f"end.reason.{d.get('reason')}"
    why = tr(key, x.lang) if key in STRINGS else str(d.get("reason"))
    return x.z(f"Exercise ended ({why}): rescued {d.get('rescued')}, lost {d.get('lost')}, "
               f"unresolved {d.get('unresolved')}",
               f"推演结束({why}):获救 {d.get('rescued')},遇难 {d.get('lost')},未解决 {d.get('unresolved')}")


def _occurred(x: _Line) -> str:
    d = x.d
    region = d.get("region") or x.actor
    named = x.txt(d.get("name"))
    place = x.names.incident(x.subject, d.get("kind"), region, None, x.lang)  # Wangping 8 · flash flood
    people = d.get("people") or 0
    extra = []
    if people:
        extra.append(x.z(f"{people} at risk", f"被困 {people} 人"))
    if d.get("dead"):
        extra.append(x.z(f"{d['dead']} dead", f"死亡 {d['dead']} 人"))
    if d.get("missing"):
        extra.append(x.z(f"{d['missing']} missing", f"失联 {d['missing']} 人"))
    tail = f" — {x.z(', ', ',').join(extra)}" if extra else ""
    prio = f" P{d.get('priority')}" if people else ""
    label = x.z(f"{named} ({place})", f"{place}:{named}") if named else place
    return x.z(f"Incident{prio}: {label}{tail}", f"事件{prio}: {label}{tail}")


def _detected(x: _Line) -> str:
    by_reporter = x.d.get("by") == "reporters"
    how = x.z("by a grid worker" if by_reporter else "late (patrol or hotline)",
              "网格员发现" if by_reporter else "迟发现(巡查或热线)")
    delay = x.dur(x.d.get("delay"))
    return x.z(f"{x.s} detected at {x.a} {how}, {delay} after onset",
               f"{x.a} {x.s} 被发现({how}),距发生 {delay}")


def _missed(x: _Line) -> str:
    later = x.z("; a later check will find it", ";稍后巡查可发现") if x.d.get("fallback") else \
        x.z("; nobody will report it", ";无人上报")
    return x.z(f"{x.s} at {x.a} not noticed by reporters{later}",
               f"{x.a} {x.s} 未被网格员发现{later}")


def _closed(x: _Line) -> str:
    res, lost = x.d.get("rescued", 0), x.d.get("lost", 0)
    return x.z(f"{x.s} closed: {res} rescued, {lost} lost",
               f"{x.s} 结案:获救 {res} 人,遇难 {lost} 人")


def _unresolved(x: _Line) -> str:
    alive, people = x.d.get("alive"), x.d.get("people")
    return x.z(f"{x.s} unresolved at the end ({alive} of {people} still alive)",
               f"{x.s} 结束时未解决(被困 {people} 人中 {alive} 人仍生存)")


def _report(x: _Line) -> str:
    if x.kind == "report.sent":
        to = x.n(x.d.get("to"))
        return x.z(f"{x.a} reports {x.s} to {to}", f"{x.a} 向 {to} 报送 {x.s}")
    due = x.d.get("due")
    late = ""
    if due is not None:
        late = x.z(f" — LATE by {x.dur(x.t - due)}", f" — 超时 {x.dur(x.t - due)}") if x.t > due else \
            x.z(" (on time)", "(按时)")
    latency = x.dur(x.d.get("latency"))
    return x.z(f"{x.a} received the report on {x.s} ({latency} after detection){late}",
               f"{x.a} 收到 {x.s} 报告(发现后 {latency}){late}")


def _triggered(x: _Line) -> str:
    facts = vocab.facts_text(x.d.get("facts"), x.lang)
    lvl = x.level(x.subject)
    return x.z(f"{x.a}: trigger for {lvl} met ({facts})", f"{x.a}: 达到{lvl}响应条件({facts})")


def _level(x: _Line) -> str:
    who, old, new = x.n(x.subject), x.level(x.d.get("from")), x.level(x.d.get("to"))
    if x.d.get("reason") == "initial":
        return x.z(f"{who} starts at {new}", f"{who} 初始 {new}响应")
    if x.d.get("reason") == "cascade":  # the cause is the higher command whose raise this follows (逐级响应)
        return x.z(f"{who}: {old} → {new} (after {x.n(x.d.get('cause'))})",
                   f"{who}:{old} → {new}(随{x.n(x.d.get('cause'))}启动)")
    cause = f" [{x.d.get('cause')}]" if x.d.get("cause") else ""
    return f"{who}: {old} → {new}{cause}"


def _kept(x: _Line) -> str:
    who, level = x.n(x.subject), x.level(x.d.get("level"))
    cause = f" [{x.d.get('cause')}]" if x.d.get("cause") else ""
    return x.z(f"{who}: already at {level}{cause}", f"{who}:{level}响应已启动{cause}")


def _activated(x: _Line) -> str:
    return x.z(f"{x.n(x.subject)} activated by {x.a}", f"{x.a} 启动 {x.n(x.subject)}")


def _queued(x: _Line) -> str:
    p, people = x.d.get("priority"), x.d.get("people")
    return x.z(f"{x.s} waits for a team (P{p}, {people} at risk)",
               f"{x.s} 等待救援队伍(P{p},被困 {people} 人)")


def _dispatched(x: _Line) -> str:
    eta = x.names.clock(x.d["eta"]) if x.d.get("eta") is not None else "?"
    km = f"{float(x.d.get('distance_km') or 0):.1f}"
    where = x.n(x.d.get("region"))
    return x.z(f"{x.a} dispatched to {x.s} ({where}), {km} km, ETA {eta}",
               f"{x.a} 出动前往 {x.s}({where}),{km} 公里,预计 {eta} 到达")


def _on_scene(x: _Line) -> str:
    since = x.dur(x.d.get("since_onset"))
    return x.z(f"{x.a} on scene at {x.s}, {since} after onset",
               f"{x.a} 到达 {x.s},距发生 {since}")


def _rescue_started(x: _Line) -> str:
    if x.d.get("people") == 0 and x.d.get("line"):  # plain work (closing a leak, clearing a slide): nobody to rescue
        return x.z(f"{x.a} starts work at {x.s}", f"{x.a} 在 {x.s} 开始处置")
    return x.z(f"{x.a} starts the rescue at {x.s}", f"{x.a} 在 {x.s} 开始救援")


def _rescue_done(x: _Line) -> str:
    res, lost, waited = x.d.get("rescued"), x.d.get("lost"), x.dur(x.d.get("waited"))
    return x.z(f"{x.a} finished {x.s}: {res} rescued, {lost} lost after {waited}",
               f"{x.a} 完成 {x.s}:获救 {res} 人,遇难 {lost} 人(等待 {waited})")


def _returning(x: _Line) -> str:
    base = x.n(x.subject)
    if x.kind == "team.returned":
        return x.z(f"{x.a} back at {base}", f"{x.a} 返回 {base}")
    return x.z(f"{x.a} returning to {base}", f"{x.a} 返回 {base} 途中")


def _inject(x: _Line) -> str:
    to = x.names.list_names(list(x.d.get("to") or ()), x.lang)
    title = x.txt(x.d.get("title"))
    return x.z(f"INJECT {x.subject} → {to}: {title}", f"注入 {x.subject} → {to}: {title}")


def _decision(x: _Line) -> str:
    """A scenario decision's id; a doctrine question (``raise-…``) has none of its own to show."""
    return f" {x.subject}" if x.subject in x.names.decisions else ""


def _opened(x: _Line) -> str:
    who = x.z("the players", "参演人员") if x.d.get("asked") == "players" else x.z("doctrine", "预案")
    limit, prompt = x.dur(x.d.get("time_limit")), x.txt(x.d.get("prompt"))
    return x.z(f"DECISION{_decision(x)} for {x.a} (asked of {who}, {limit} limit): {prompt}",
               f"决策{_decision(x)}({x.a},由{who}决定,时限 {limit}):{prompt}")


def _made(x: _Line) -> str:
    label = x.txt(x.d.get("label")) or str(x.d.get("option"))
    by = x.d.get("by")
    by = tr(f"by.{by}", x.lang) if by in ("players", "default", "doctrine") else str(by)
    delay = x.dur(x.d.get("delay"))
    return x.z(f"DECIDED{_decision(x)}: {label} (by {by}, after {delay})",
               f"已决策{_decision(x)}:{label}({by},用时 {delay})")


def _input(x: _Line) -> str:
    what = vocab.input_kind(x.subject, x.lang)
    return x.z(f"input from {x.a}: {what}", f"{x.a} 输入: {what}")


def _note(x: _Line) -> str:
    obj = f" [{x.d.get('objective')}]" if x.d.get("objective") else ""  # objective ids: O-1, O-report…
    rating = f" {x.d.get('rating')}" if x.d.get("rating") else ""
    return x.z(f"OBSERVATION{obj}{rating}: {x.d.get('text')}", f"评估记录{obj}{rating}: {x.d.get('text')}")


def _message(x: _Line) -> str:
    return x.z(f"MESSAGE to control from {x.actor}: {x.d.get('text')}", f"{x.actor} 报告导调组: {x.d.get('text')}")


def _role(x: _Line) -> str:
    state = tr("roles.played" if x.d.get("played") else "roles.doctrine", x.lang)
    return tr("roles.changed", x.lang, agency=x.n(x.subject), state=state)


_DESCRIBERS: dict[str, Callable[[_Line], str]] = {
    "exercise.started": _started, "exercise.ended": _ended,
    "incident.occurred": _occurred, "incident.detected": _detected, "incident.missed": _missed,
    "incident.closed": _closed, "incident.unresolved": _unresolved,
    "report.sent": _report, "report.received": _report,
    "response.triggered": _triggered, "level.changed": _level, "level.kept": _kept,
    "agency.activated": _activated, "team.activated": _activated,
    "rescue.queued": _queued, "team.dispatched": _dispatched, "team.on_scene": _on_scene,
    "rescue.started": _rescue_started, "rescue.completed": _rescue_done,
    "team.returning": _returning, "team.returned": _returning,
    "inject.delivered": _inject, "decision.opened": _opened, "decision.made": _made,
    "input.received": _input, "note.added": _note, "role.changed": _role, "message.sent": _message,
    **FLOW_DESCRIBERS,
    **OPERATION_DESCRIBERS,
}
