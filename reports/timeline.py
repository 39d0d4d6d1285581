"""The timeline appendix: key records as sentences a reader understands, in English or Chinese.

"Level II trigger met {'trapped': 13.0}" is how a log reads; "Mentougou Flood Control HQ: the
response rule for Level II is met — people trapped 13" is how a report must. Every kind the timeline
shows has a sentence here; any other kind still reads "who → what", never a dump of the record's
fields. An inject a trigger fired names the record that fired it (its ``cause`` seq) and what that
record was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drillsim import vocab
from drillsim.scoring.text import format_minutes, pick
from drillsim.scoring.view import LogView


class Line:
    """One record with the helpers a sentence needs (names, language, numbers)."""

    def __init__(self, view: LogView, r: Any, lang: str) -> None:
        self.view, self.r, self.lang, self.d = view, r, lang, r.data

    def n(self, key: Any) -> str:
        """The name of a region, agency, team, incident, depot or item (its id when it has none)."""
        return pick(self.view.name(key), self.lang) if isinstance(key, str) else ""

    def z(self, en: str, zh: str) -> str:
        """The sentence in the report's language."""
        return zh if self.lang == "zh" else en

    def names(self, keys: Any) -> str:
        """``a, b`` / ``a、b`` (``all`` is everyone)."""
        sep = "、" if self.lang == "zh" else ", "
        return sep.join(self.z("everyone", "全体") if k == "all" else self.n(k) for k in keys or ())

    def level(self, level: Any) -> str:
        """``II`` → ``Level II`` / ``II级``; none → no response / 未响应."""
        if not level:
            return self.z("no response", "未响应")
        return self.z(f"Level {level}", f"{level}级")

    def minutes(self, value: Any) -> str:
        """A duration in words."""
        return format_minutes(float(value or 0), self.lang)


ENDINGS = {"duration": ("the scheduled end", "到达计划结束时间"),
           "facilitator": ("ended by the facilitator", "导调人员结束"),
           "interrupted": ("interrupted", "中断"), "error": ("stopped by an error", "因错误中止")}
"""Why an exercise ended (``exercise.ended`` ``reason``)."""


def _started(x: Line) -> str:
    return x.z(f"The exercise starts ({x.minutes(x.d.get('duration'))} of simulated time)",
               f"推演开始(模拟时长{x.minutes(x.d.get('duration'))})")


def _ended(x: Line) -> str:
    d = x.d
    why = ENDINGS.get(str(d.get("reason")), (str(d.get("reason")), str(d.get("reason"))))
    return x.z(f"The exercise ends ({why[0]}): {d.get('rescued')} rescued, {d.get('lost')} lost, "
               f"{d.get('unresolved')} incidents unresolved",
               f"推演结束({why[1]}):获救{d.get('rescued')}人,遇难{d.get('lost')}人,未解决事件{d.get('unresolved')}起")


def _inject(x: Line) -> str:
    d, r = x.d, x.r
    title = pick(d.get("title"), x.lang)
    to = x.names(d.get("to"))
    line = x.z(f"{r.subject} “{title}” to {to}", f"{r.subject}“{title}”下达至{to}")
    how = d.get("source")
    if how not in (None, "msel"):
        line += x.z(f" ({vocab.source(how, 'en')})", f"({vocab.source(how, 'zh')})")
    cause = d.get("cause")
    if isinstance(cause, int) and not isinstance(cause, bool):
        what = cause_text(x, cause)
        line += x.z(f"; fired by record {cause}: {what}", f";由第{cause}条记录触发:{what}")
    return line


def cause_text(x: Line, seq: int) -> str:
    """What record ``seq`` was, in a few words (the cause of a triggered inject)."""
    rec = next((r for r in x.view.records if r.seq == seq), None)
    if rec is None:
        return x.z("(not in this log)", "(日志中无此记录)")
    fn = SENTENCES.get(rec.kind)
    if fn is not None and rec.kind != "inject.delivered":
        return fn(Line(x.view, rec, x.lang))
    return _generic(Line(x.view, rec, x.lang))


def _level(x: Line) -> str:
    d = x.d
    why = vocab.reason(d.get("reason"), x.lang)
    by = x.n(d["cause"]) if d.get("reason") == "cascade" else d.get("cause")  # cascade: the higher command
    cause = f"{x.z(', ', ',')}{by}" if by else ""
    return x.z(f"{x.n(x.r.subject)}: {x.level(d.get('from'))} → {x.level(d.get('to'))} ({why}{cause})",
               f"{x.n(x.r.subject)}:{x.level(d.get('from'))} → {x.level(d.get('to'))}({why}{cause})")


def _kept(x: Line) -> str:
    d = x.d
    why = vocab.reason(d.get("reason"), x.lang)
    cause = f"{x.z(', ', ',')}{d['cause']}" if d.get("cause") else ""
    return x.z(f"{x.n(x.r.subject)}: already at {x.level(d.get('level'))} ({why}{cause})",
               f"{x.n(x.r.subject)}:{x.level(d.get('level'))}响应已启动({why}{cause})")


def _triggered(x: Line) -> str:
    facts = vocab.facts_text(x.d.get("facts"), x.lang)
    return x.z(f"{x.n(x.r.actor)}: the response rule for {x.level(x.d.get('level'))} is met — {facts}",
               f"{x.n(x.r.actor)}:达到{x.level(x.d.get('level'))}响应启动条件——{facts}")


def _opened(x: Line) -> str:
    who = x.z("the players", "参演人员") if x.d.get("asked") == "players" else x.z("doctrine", "预案")
    return x.z(f"{x.n(x.r.actor)} is asked ({who} decide{'s' if who == 'doctrine' else ''}): "
               f"{pick(x.d.get('prompt'), 'en')}",
               f"{x.n(x.r.actor)}需决策(由{who}决定):{pick(x.d.get('prompt'), 'zh')}")


def _made(x: Line) -> str:
    label = pick(x.d.get("label"), x.lang) or str(x.d.get("option"))
    return x.z(f"{x.n(x.r.actor)} decides “{label}” ({vocab.decided_by(x.d.get('by'), 'en')})",
               f"{x.n(x.r.actor)}决定“{label}”({vocab.decided_by(x.d.get('by'), 'zh')})")


def _incident(x: Line) -> str:
    d = x.d
    name = pick(d.get("name"), x.lang) or x.r.subject
    kind = vocab.incident_kind(d.get("kind"), x.lang)
    return x.z(f"{name} — {kind} in {x.n(d.get('region'))}, {d.get('people') or 0} people at risk",
               f"{name}——{x.n(d.get('region'))}{kind},被困{d.get('people') or 0}人")


def _report(x: Line) -> str:
    d = x.d
    return x.z(f"{x.n(x.r.actor)} receives the report on {x.n(x.r.subject)} from {x.n(d.get('from'))} "
               f"({x.minutes(d.get('latency'))} after detection)",
               f"{x.n(x.r.actor)}收到{x.n(d.get('from'))}关于{x.n(x.r.subject)}的报告(发现后{x.minutes(d.get('latency'))})")


def _note(x: Line) -> str:
    obj = f"[{x.d.get('objective')}] " if x.d.get("objective") else ""
    rating = f"{x.d.get('rating')} " if x.d.get("rating") else ""
    return f"{obj}{rating}{x.d.get('text')}"


def _activated(x: Line) -> str:
    return x.z(f"{x.n(x.r.actor)} activates {x.n(x.r.subject)}", f"{x.n(x.r.actor)}启动{x.n(x.r.subject)}")


def _role(x: Line) -> str:
    played = x.d.get("played")
    return x.z(f"{x.n(x.r.subject)} is {'now played by people' if played else 'back to doctrine'}",
               f"{x.n(x.r.subject)}{'改由人员扮演' if played else '恢复按预案自动决策'}")


def _warning(x: Line) -> str:
    colour = vocab.colour(x.d.get("level"), x.lang)
    named = x.n(x.r.subject)
    what = named if named != x.r.subject else vocab.hazard(x.r.subject, x.lang)
    return x.z(f"{x.n(x.r.actor)} issues a {colour} {what} warning for {x.n(x.d.get('region'))}",
               f"{x.n(x.r.actor)}发布{x.n(x.d.get('region'))}{what}{colour}预警")


def _comms(x: Line) -> str:
    cause = vocab.hazard(x.d.get("cause"), x.lang) or x.n(x.d.get("cause"))
    if x.r.kind == "comms.restored":
        return x.z(f"Communications back in {x.n(x.r.subject)} after {x.minutes(x.d.get('after'))}",
                   f"{x.n(x.r.subject)}通信恢复(中断{x.minutes(x.d.get('after'))})")
    return x.z(f"Communications lost in {x.n(x.r.subject)} ({cause})", f"{x.n(x.r.subject)}通信中断({cause})")


def _quake(x: Line) -> str:
    d = x.d
    return x.z(f"M{d.get('magnitude')} earthquake near {x.n(x.r.subject)}, depth {d.get('depth_km')} km, "
               f"intensity up to {d.get('max_intensity')}",
               f"{x.n(x.r.subject)}附近发生{d.get('magnitude')}级地震,震源深度{d.get('depth_km')}公里,"
               f"最高烈度{d.get('max_intensity')}度")


def _fire(x: Line) -> str:
    area = float(x.d.get("area_ha") or 0)
    if x.r.kind == "fire.crossed":
        return x.z(f"The fire crosses from {x.n(x.d.get('from'))} into {x.n(x.d.get('to'))}",
                   f"火势由{x.n(x.d.get('from'))}蔓延至{x.n(x.d.get('to'))}")
    return x.z(f"The fire is contained at {area:,.1f} ha", f"火势得到控制,过火面积{area:,.1f}公顷")


def _border(x: Line) -> str:
    if x.r.kind == "border.notified":
        return x.z(f"{x.n(x.r.actor)} notifies {x.n(x.r.subject)} of the fire ({x.minutes(x.d.get('delay'))} after "
                   "it neared the border)",
                   f"{x.n(x.r.actor)}向{x.n(x.r.subject)}通报火情(火场接近边界后{x.minutes(x.d.get('delay'))})")
    return x.z(f"{x.n(x.r.actor)} convenes a joint consultation with {x.names(x.d.get('participants'))}",
               f"{x.n(x.r.actor)}召集{x.names(x.d.get('participants'))}会商研判")


def _desk(x: Line) -> str:
    return x.z(f"{x.n(x.r.actor)} opens {x.n(x.r.subject)} ({x.d.get('capacity')} teams at a time)",
               f"{x.n(x.r.actor)}启动{x.n(x.r.subject)}(同时登记{x.d.get('capacity')}支队伍)")


def _storage(x: Line) -> str:
    forced = x.z(" without the evacuation report", ",未收到转移完成报告") if x.d.get("forced") else ""
    return x.z(f"{x.n(x.r.actor)} activates the storage area {x.n(x.r.subject)}{forced}",
               f"{x.n(x.r.actor)}启用{x.n(x.r.subject)}蓄滞洪区{forced}")


def _generic(x: Line) -> str:
    who, what = x.n(x.r.actor), x.n(x.r.subject)
    return f"{vocab.record_kind(x.r.kind, x.lang)}: {who}" + (f" → {what}" if what and what != who else "")


SENTENCES: dict[str, Callable[[Line], str]] = {
    "exercise.started": _started, "exercise.ended": _ended, "inject.delivered": _inject,
    "level.changed": _level, "level.kept": _kept, "response.triggered": _triggered, "decision.opened": _opened,
    "decision.made": _made, "incident.occurred": _incident, "report.received": _report, "note.added": _note,
    "agency.activated": _activated, "team.activated": _activated, "role.changed": _role,
    "hazard.warning": _warning, "comms.lost": _comms, "comms.restored": _comms, "quake.occurred": _quake,
    "fire.crossed": _fire, "fire.contained": _fire, "border.notified": _border, "border.consulted": _border,
    "coordination.activated": _desk, "storage.activated": _storage,
}
"""Record kind → its sentence (every kind of :data:`drillsim.reports.facts.TIMELINE_KINDS` has one)."""


def describe(view: LogView, r: Any, lang: str) -> str:
    """One record as a sentence in ``lang`` (a kind without its own sentence: who → what)."""
    line = Line(view, r, lang)
    fn = SENTENCES.get(r.kind, _generic)
    try:
        return fn(line)
    except (KeyError, TypeError, ValueError, AttributeError):  # a log is input: never fail on odd fields
        return _generic(line)
