"""Words on the console in Chinese and English, and names of scenario things in either language.

Every label the console draws goes through :func:`tr`, so ``--lang`` and the in-app switch change
all of them at once. Names of regions, agencies, teams, injects and objectives come from the log
header (the roster and the scenario definition), so the replay viewer names things exactly as the
live console did, without the scenario file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from rich.cells import cell_len

from drillsim import vocab
from drillsim.scoring.view import defined_names
from drillsim.text import of_pair, pick

LANGS = ("en", "zh")

STRINGS: dict[str, tuple[str, str]] = {
    # key: (en, zh)
    "app.title": ("drillsim facilitator console", "推演导调控制台"),
    "clock.paused": ("PAUSED", "已暂停"),
    "clock.running": ("RUNNING", "运行中"),
    "clock.ended": ("ENDED", "已结束"),
    "clock.speed": ("speed", "速度"),
    "clock.realtime": ("real time", "实时"),
    "clock.to_inject": ("→ next inject", "→ 下一条注入"),
    "clock.to_decision": ("→ next decision", "→ 下一个决策"),
    "clock.pending": ("{n} decision(s) waiting: press d", "{n} 个决策待定: 按 d"),
    "clock.levels": ("levels", "响应"),
    "clock.no_level": ("—", "—"),
    "pane.msel": ("MSEL", "情景事件清单"),
    "pane.feed": ("Event feed", "事件流"),
    "pane.teams": ("Teams", "救援队伍"),
    "pane.incidents": ("Open incidents", "未结事件"),
    "pane.scorecard": ("Scorecard", "评估记分卡"),
    "col.time": ("Time", "时间"),
    "col.id": ("Id", "编号"),
    "col.inject": ("Inject", "注入"),
    "col.to": ("To", "接收方"),
    "col.status": ("Status", "状态"),
    "col.team": ("Team", "队伍"),
    "col.kind": ("Kind", "类型"),
    "col.state": ("State", "状态"),
    "col.where": ("Where", "位置"),
    "col.prio": ("P", "级"),
    "col.incident": ("Incident", "事件"),
    "col.region": ("Region", "地区"),
    "col.people": ("People", "被困"),
    "col.age": ("Age", "历时"),
    "col.objective": ("Objective", "目标"),
    "col.capability": ("Capability", "核心能力"),
    "col.rating": ("Rating", "评级"),
    "col.score": ("Score", "得分"),
    "col.notes": ("Observations", "评估记录"),
    "msel.delivered": ("✓ {time}", "✓ {time}"),
    "msel.next": ("▶ next", "▶ 下一条"),
    "msel.upcoming": ("upcoming", "待发"),
    "msel.adhoc": ("ad hoc", "临时"),
    "msel.effect": ("chained", "连锁"),
    "msel.summary": ("{done}/{total} delivered", "已发 {done}/{total}"),
    "msel.day": ("{date} · day {n}", "{date} · 第{n}天"),
    "team.off_duty": ("off duty", "未启动"),
    "team.registering": ("registering", "报备中"),
    "team.idle": ("idle", "待命"),
    "team.travelling": ("travelling", "在途"),
    "team.on_scene": ("on scene", "到达现场"),
    "team.working": ("working", "作业中"),
    "team.returning": ("returning", "返回中"),
    "team.withdrawn": ("withdrawn", "已撤离"),
    "team.refused": ("refused", "被拒"),
    "team.tasked": ("tasked", "已分派"),
    "team.at_base": ("at {base}", "驻 {base}"),
    "team.to": ("→ {place}", "→ {place}"),
    "team.at": ("@ {place}", "@ {place}"),
    "team.summary": ("{busy} busy · {idle} idle · {off} off duty",
                     "出动 {busy} · 待命 {idle} · 未启动 {off}"),
    "incident.occurred": ("unseen", "未发现"),
    "incident.missed": ("missed", "漏报"),
    "incident.detected": ("reported", "已上报"),
    "incident.queued": ("waiting", "待救援"),
    "incident.assigned": ("en route", "队伍在途"),
    "incident.working": ("rescuing", "救援中"),
    "incident.closed": ("closed", "已结案"),
    "incident.people": ("{n} at risk", "被困 {n} 人"),
    "incident.summary": ("{open} open · {closed} closed · {total} in all",
                         "未结 {open} · 已结 {closed} · 共 {total}"),
    "score.unavailable": ("scoring failed: {problem}", "评分失败: {problem}"),
    "score.not_measured": ("nothing to measure yet", "尚无可评估的记录"),
    "score.so_far": ("so far, {time}", "截至 {time}"),
    "score.open": ("open incidents", "未结事件"),
    "score.counts": ("incidents {inc} · rescued {res} · lost {lost} · reports late {late}/{reports}",
                     "事件 {inc} · 获救 {res} · 遇难 {lost} · 迟报 {late}/{reports}"),
    "score.decisions": ("decisions {made} ({players} by players, {default} by default) · injects {injects} · "
                        "observations {notes}",
                        "决策 {made}(参演 {players},超时默认 {default})· 注入 {injects} · 评估记录 {notes}"),
    "score.overall": ("score {score}", "得分 {score}"),
    "score.no_objectives": ("this scenario has no objectives", "本情景未设评估目标"),
    "feed.filter": ("filter: {what}", "筛选: {what}"),
    "feed.all": ("all", "全部"),
    "feed.skipped": ("… {n} earlier records not shown (the clock ran fast; f filters, the log has them all)",
                     "… 略过 {n} 条较早记录(时钟过快;可用 f 筛选,日志中完整保存)"),
    "kind.all": ("all kinds", "全部类型"),
    "kind.incident": ("incidents", "事件"),
    "kind.report": ("reports", "信息报送"),
    "kind.response": ("response levels", "分级响应"),
    "kind.rescue": ("rescue and teams", "救援与队伍"),
    "kind.hazard": ("hazards, roads, communications", "灾情、道路与通信"),
    "kind.coordination": ("social forces coordination", "社会应急力量协调"),
    "kind.border": ("cross-region and storage areas", "区域协同与蓄滞洪区"),
    "kind.logistics": ("materials", "物资保障"),
    "kind.msel": ("injects", "注入"),
    "kind.decision": ("decisions", "决策"),
    "kind.input": ("facilitator and evaluators", "导调与评估"),
    "kind.other": ("other", "其他"),
    "key.pause": ("Run/Pause", "运行/暂停"),
    "key.slower": ("Slower", "减速"),
    "key.faster": ("Faster", "加速"),
    "key.speed": ("Speed", "速度"),
    "key.pause.short": ("Run", "运行"),
    "key.next_inject.short": ("Next inj", "下一注入"),
    "key.next_decision.short": ("Next dec", "下一决策"),
    "key.inject.short": ("Inject", "注入"),
    "key.note.short": ("Note", "评估"),
    "key.step": ("+1 min", "+1 分钟"),
    "key.next_inject": ("Next inject", "下一注入"),
    "key.next_decision": ("Next decision", "下一决策"),
    "key.inject": ("Inject", "临时注入"),
    "key.note": ("Observe", "评估记录"),
    "key.decisions": ("Decisions", "决策"),
    "key.roles": ("Roles", "角色"),
    "key.filter": ("Filter", "筛选"),
    "key.lang": ("中文", "英文"),
    "keycap.space": ("space", "空格"),
    "key.leave": ("Leave", "退出"),
    "key.zoom": ("Zoom", "放大"),
    "key.end": ("End", "结束"),
    "key.palette": ("commands", "命令"),
    "key.quit": ("Quit", "退出"),
    "cmd.pause": ("Pause or resume the clock", "暂停或继续推演时钟"),
    "cmd.slower": ("Slow the clock down one step", "时钟减速一档"),
    "cmd.faster": ("Speed the clock up one step (up to ×3600)", "时钟加速一档(最高 ×3600)"),
    "cmd.step": ("Advance one simulated minute", "推进一分钟"),
    "cmd.next_inject": ("Run to the next scheduled inject", "运行到下一条计划注入"),
    "cmd.next_decision": ("Run to the next decision point", "运行到下一个决策点"),
    "cmd.inject": ("Deliver an ad-hoc inject (template or written)", "下达临时注入(模板或自拟)"),
    "cmd.note": ("Add an evaluator observation tied to an objective", "添加与目标关联的评估记录"),
    "cmd.decisions": ("Answer the decisions waiting for the players", "回答待定的参演决策"),
    "cmd.roles": ("Choose which agencies are played by people", "选择由人员扮演的机构"),
    "cmd.filter": ("Filter the event feed by agency or kind", "按机构或类型筛选事件流"),
    "cmd.lang": ("Switch the language (中文 / English)", "切换语言(中文 / English)"),
    "cmd.zoom": ("Zoom the focused pane to full screen (again to restore)", "放大当前窗格(再按还原)"),
    "cmd.end": ("End the exercise: close the log, write the scorecard and report",
                "结束推演:关闭日志,生成记分卡和报告"),
    "cmd.show_inject": ("Show the full text of the selected inject", "显示所选注入的全文"),
    "dlg.cancel": ("Cancel", "取消"),
    "dlg.ok": ("OK", "确定"),
    "dlg.send": ("Deliver", "下达"),
    "dlg.save": ("Save", "保存"),
    "dlg.close": ("Close", "关闭"),
    "dlg.apply": ("Apply", "应用"),
    "decision.title": ("Decision for {role}", "决策:{role}"),
    "decision.limit": ("Time limit {limit} (simulated) · deadline {deadline} · default: {default}",
                       "时限 {limit}(推演时间)· 截止 {deadline} · 默认: {default}"),
    "decision.left": ("{left} simulated minutes left", "剩余 {left} 分钟(推演时间)"),
    "decision.clock": ("Clock: {state} — space lets time run while the players discuss, +/- speed",
                       "时钟: {state} — 按空格可在讨论时继续推演,+/- 调速"),
    "decision.later": ("Decide later", "稍后决定"),
    "decision.keys": ("1–9 or Enter chooses · Esc decides later (the default applies at the deadline)",
                      "1–9 或回车选择 · Esc 稍后决定(到时限自动采用默认)"),
    "decision.made": ("{decision}: {option} ({by})", "{decision}: {option}({by})"),
    "decision.timeout": ("Time limit passed for {decision}: default “{option}” applied",
                         "{decision} 超过时限,已采用默认“{option}”"),
    "decision.none": ("No decision is waiting for the players", "没有待定的参演决策"),
    "by.players": ("players", "参演人员"),
    "by.default": ("default on timeout", "超时默认"),
    "by.doctrine": ("doctrine", "预案"),
    "inject.title": ("Ad-hoc inject", "临时注入"),
    "inject.template": ("Template", "模板"),
    "inject.written": ("— write my own —", "— 自拟 —"),
    "inject.scheduled": ("(scheduled {time})", "(计划 {time})"),
    "inject.head": ("Title", "标题"),
    "inject.message": ("Message", "内容"),
    "inject.recipients": ("Recipients", "接收方"),
    "inject.everyone": ("everyone", "全体"),
    "inject.need_text": ("Choose a template or write a title or message", "请选择模板或填写标题/内容"),
    "inject.need_to": ("Tick at least one recipient (space ticks the highlighted one)",
                       "请至少勾选一个接收方(空格勾选当前项)"),
    "inject.sent": ("Inject {id} delivered to {to}", "注入 {id} 已下达给 {to}"),
    "inject.delivered": ("Inject {id}: {title}", "注入 {id}: {title}"),
    "inject.detail": ("Inject {id}", "注入 {id}"),
    "inject.from": ("From {src} to {to} · by {method} · {type}", "{src} → {to} · {method} · {type}"),
    "inject.expected": ("Expected action", "预期行动"),
    "inject.read": ("Read aloud", "宣读内容"),
    "note.title": ("Evaluator observation", "评估记录"),
    "note.objective": ("Objective", "目标"),
    "note.none": ("— no objective —", "— 不关联目标 —"),
    "note.rating": ("Rating", "评级"),
    "note.no_rating": ("— no rating —", "— 不评级 —"),
    "note.text": ("Observation", "观察记录"),
    "note.need_text": ("Write the observation first", "请先填写观察记录"),
    "note.saved": ("Observation logged at {time}", "已记录评估({time})"),
    "rating.P": ("P — performed without challenges", "P — 顺利完成"),
    "rating.S": ("S — performed with some challenges", "S — 完成但存在一些问题"),
    "rating.M": ("M — performed with major challenges", "M — 完成但存在重大问题"),
    "rating.U": ("U — unable to be performed", "U — 未能完成"),
    "roles.title": ("Roles played by people", "由人员扮演的角色"),
    "roles.help": ("Checked agencies' decisions are asked of the players instead of taken by doctrine.",
                   "勾选的机构,其预案决策(提升响应、请求支援等)改由参演人员作出。"),
    "roles.changed": ("{agency}: {state}", "{agency}: {state}"),
    "roles.played": ("played by people", "由人员扮演"),
    "roles.doctrine": ("follows doctrine", "按预案自动"),
    "filter.title": ("Filter the event feed", "筛选事件流"),
    "filter.agency": ("Agency, region or team", "机构、地区或队伍"),
    "filter.kind": ("Kind of record", "记录类型"),
    "confirm.end": ("End the exercise now?", "现在结束推演?"),
    "confirm.end_detail": ("The log is closed, the scorecard is shown and the after-action report written.",
                           "将关闭事件日志,显示记分卡并生成推演评估报告。"),
    "confirm.keys": ("y or Enter: end · n or Esc: carry on", "y 或回车: 结束 · n 或 Esc: 继续"),
    "confirm.yes": ("End exercise", "结束推演"),
    "confirm.no": ("Carry on", "继续推演"),
    "end.title": ("Exercise ended — {reason}", "推演结束 — {reason}"),
    "end.reason.duration": ("scheduled end reached", "到达计划结束时间"),
    "end.reason.facilitator": ("by the facilitator", "导调人员结束"),
    "end.reason.interrupted": ("interrupted", "中断"),
    "end.reason.error": ("stopped by an internal error", "因内部错误中止"),
    "end.log": ("Event log", "事件日志"),
    "end.scorecard": ("Scorecard", "记分卡"),
    "end.report": ("After-action report", "评估报告"),
    "end.writing": ("writing the after-action report…", "正在生成评估报告…"),
    "end.no_report": ("not written", "未生成"),
    "end.no_scorecard": ("not written", "未生成"),
    "end.report_failed": ("failed: {error}", "失败: {error}"),
    "end.keys": ("q or Enter: leave the console", "q 或回车: 退出控制台"),
    "end.still_writing": ("The report is still being written: press q (or Ctrl+C) again to leave without it",
                          "报告仍在生成: 再按 q(或 Ctrl+C)不等待直接退出"),
    "end.score": ("Overall score {score}/100", "总分 {score}/100"),
    "end.no_score": ("No objective could be measured: no overall score", "没有可测量的目标,无总分"),
    "end.coverage": ("({cov} of the objectives' weight measured)", "(已测量目标权重 {cov})"),
    "end.summary": ("Simulated {dur} · incidents {inc} · rescued {res}, lost {lost} · unresolved {unres}",
                    "推演时长 {dur} · 事件 {inc} · 获救 {res} · 遇难 {lost} · 未解决 {unres}"),
    "notify.ended": ("The exercise has ended", "推演已结束"),
    "error.title": ("The exercise stopped: internal error", "推演已中止: 内部错误"),
    "error.simulation": ("The simulation failed at {clock} ({offset}): {error}",
                         "仿真在 {clock}({offset})出错: {error}"),
    "error.display": ("The console could not show record {seq} ({kind}) at {clock} ({offset}): {error}",
                      "控制台无法显示 {clock}({offset})的第 {seq} 条记录({kind}): {error}"),
    "error.console": ("The console failed at {clock} ({offset}): {error}", "控制台在 {clock}({offset})出错: {error}"),
    "error.stopped.simulation": ("The clock has stopped for good: the simulation's state after the error is unknown.",
                                 "时钟已停止且无法继续: 出错后的仿真状态不可信。"),
    "error.stopped.display": ("The simulation itself was not affected; the exercise was ended so that the "
                              "screens cannot mislead the table.",
                              "仿真本身未受影响; 为避免界面误导参演人员,推演已结束。"),
    "error.log_ended": ("Event log — closed and readable, ends with reason \"{reason}\": {path}",
                        "事件日志 — 已关闭、可读取,结束原因 \"{reason}\": {path}"),
    "error.after_end": ("The exercise had already ended: the log was closed before the error.",
                        "出错时推演已结束: 事件日志此前已关闭,不受影响。"),
    "error.log_intact": ("Event log — closed, readable up to the error: {path}",
                         "事件日志 — 已关闭,出错前的记录完整可读: {path}"),
    "error.log_memory": ("No event log file (the exercise was kept in memory only)", "无事件日志文件(仅保存在内存中)"),
    "error.details": ("Details and traceback: {path}", "详细信息和调用栈: {path}"),
    "error.no_details": ("The details could not be written: {problem}", "详细信息未能写入: {problem}"),
    "error.scorecard": ("The scorecard and after-action report for what happened so far are being written.",
                        "正在根据已发生的情况生成记分卡和评估报告。"),
    "error.keys": ("Enter: scorecard · q or Ctrl+C: leave the console", "回车: 记分卡 · q 或 Ctrl+C: 退出控制台"),
    "error.keys_leave": ("q, Enter or Ctrl+C: leave the console (`drillsim report LOG` builds the report later)",
                         "q、回车或 Ctrl+C: 退出控制台(之后可用 `drillsim report 日志` 生成报告)"),
    "error.again": ("Another error while stopping — added to {path}", "停止过程中再次出错 — 已追加到 {path}"),
    "notify.run_to_none": ("Nothing scheduled ahead", "后面没有计划的项目"),
    "notify.reached_end": ("End of the scenario reached", "已到推演结束时间"),
    "notify.refused": ("Not applied: {error}", "未执行: {error}"),
    "notify.lang": ("Language: English", "语言: 中文"),
    "notify.decision_open": ("Decision for the players: {decision}", "参演决策: {decision}"),
}

CAPABILITIES_ZH = {
    "operational_coordination": "运行协调", "operational_communications": "应急通信",
    "situational_assessment": "态势研判", "mass_search_and_rescue": "搜索救援",
    "public_information_and_warning": "信息发布与预警", "logistics": "物资保障", "mass_care": "群众安置",
    "planning": "计划组织", "critical_transportation": "交通保障", "fire_management": "火灾扑救",
    "environmental_response": "环境应急", "public_health_and_medical": "医疗卫生",
    "infrastructure_systems": "基础设施", "on_scene_security": "现场警戒",
}
"""Chinese names of the HSEEP core capabilities the scenario format knows."""


def capability(key: str, lang: str) -> str:
    """``mass_search_and_rescue`` → ``Mass search and rescue`` / ``搜索救援``."""
    if lang == "zh" and key in CAPABILITIES_ZH:
        return CAPABILITIES_ZH[key]
    return key.replace("_", " ").capitalize()


def tr(key: str, lang: str, **kw: Any) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled; the key itself if unknown."""
    pair = STRINGS.get(key)
    if pair is None:
        return key.format(**kw) if kw else key
    value = of_pair(pair, lang)
    return value.format(**kw) if kw else value


text = pick
"""A ``{zh, en}`` dict (or a plain string, or None) in ``lang``, falling back to the other."""


def clip(value: str, cells: int) -> str:
    """Cut ``value`` to at most ``cells`` terminal cells (CJK characters are two), with an ellipsis."""
    if cells <= 0:
        return ""
    if cell_len(value) <= cells:
        return value
    out: list[str] = []
    used = 0
    for ch in value:
        w = cell_len(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def clip_keep_number(value: str, cells: int) -> str:
    """:func:`clip`, but a trailing number stays: ``Mentougou Fire and Rescue 02`` → ``Mentougou Fire… 02``.

    Numbered copies of a team differ only in that number; cutting it off makes the rows identical.
    """
    head, sep, tail = value.rpartition(" ")
    if not sep or not tail.isdigit() or cell_len(value) <= cells:
        return clip(value, cells)
    return clip(head, cells - cell_len(tail) - 1) + " " + tail


def pad(value: str, cells: int) -> str:
    """``value`` clipped and padded with spaces to exactly ``cells`` terminal cells."""
    value = clip(value, cells)
    return value + " " * (cells - cell_len(value))


def duration(minutes: float, lang: str = "en") -> str:
    """``95`` → ``1h35m`` (``1小时35分`` in Chinese)."""
    total = round(max(0.0, minutes))
    d, rem = divmod(total, 1440)
    h, m = divmod(rem, 60)
    if lang == "zh":
        parts = [f"{d}天" if d else "", f"{h}小时" if h else "", f"{m}分" if m or not (d or h) else ""]
    else:
        parts = [f"{d}d" if d else "", f"{h}h" if h else "", f"{m}m" if m or not (d or h) else ""]
    return "".join(parts)


class Names:
    """Names and labels of the things in one exercise, read from its log header.

    Args:
        header: The ``log.header`` record's data (roster + definition).
    """

    def __init__(self, header: Mapping[str, Any]) -> None:
        roster = header.get("roster") or {}
        definition = header.get("definition") or {}
        self._names: dict[str, Any] = {}
        for section in ("regions", "agencies"):
            for key, item in (roster.get(section) or {}).items():
                self._names[key] = item.get("name")
        for key, item in (roster.get("teams") or {}).items():
            name, group = item.get("name"), item.get("group") or key
            if key != group and key.startswith(group + "-") and isinstance(name, Mapping):
                suffix = key[len(group) + 1:]  # one of `count` identical teams: "Fire Rescue 02"
                name = {lang: f"{value} {suffix}" for lang, value in name.items()}
            self._names[key] = name
        for key, name in defined_names(definition).items():  # rivers, fires, desks, depots, items…
            self._names.setdefault(key, name)
        self.injects: dict[str, Any] = dict(definition.get("injects") or {})
        self.objectives: dict[str, Any] = dict(definition.get("objectives") or {})
        self.decisions: dict[str, Any] = dict(definition.get("decisions") or {})
        self.title = (header.get("scenario") or {}).get("title") or definition.get("title")
        self.start = _parse_start(header.get("start") or definition.get("start"))

    def name(self, key: str | None, lang: str) -> str:
        """The display name of a region, agency or team (its id when it has none)."""
        if key is None:
            return ""
        value = self._names.get(key)
        return text(value, lang) or key

    def who(self, key: str | None, lang: str) -> str:
        """Who acted: a region, agency or team by name, or the control cell, the facilitator, the players."""
        if key is None:
            return ""
        return self.name(key, lang) if key in self._names else (vocab.actor(key, lang) or key)

    def incident(self, key: str | None, kind: Any, region: str | None, name: Any, lang: str) -> str:
        """``Wangping 8 · flash flood``: where, the number of a generated incident, what (the name, if it has one).

        The place and number come first: cut at a narrow pane's edge, rows still differ.
        """
        place = self.name(region, lang) if region else ""
        what = vocab.incident_kind(kind, lang) if kind else (text(name, lang) or str(key or ""))
        number = re.search(r"-0*(\d+)$", str(key or ""))
        where = f"{place} {number.group(1)}" if number and place else place
        return f"{where} · {what}" if where else what

    def inject_title(self, key: str, lang: str) -> str:
        """The title of a scenario inject (its id when unknown)."""
        inj = self.injects.get(key)
        return text(inj.get("title"), lang) if inj else key

    def objective(self, key: str | None, lang: str) -> str:
        """The text of an objective (its id when unknown)."""
        if key is None:
            return ""
        obj = self.objectives.get(key)
        return text(obj.get("text"), lang) if obj else key

    def clock(self, t: float, *, seconds: bool = False) -> str:
        """Simulated time ``t`` (minutes after start) as a wall-clock time in the scenario's zone."""
        if self.start is None:
            return format_offset(t)
        moment = self.start + timedelta(minutes=t)
        return moment.strftime("%H:%M:%S" if seconds else "%H:%M")

    def date_time(self, t: float, *, seconds: bool = False) -> str:
        """``2023-07-31 09:12`` for simulated time ``t``."""
        if self.start is None:
            return format_offset(t)
        moment = self.start + timedelta(minutes=t)
        return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")

    def day(self, t: float) -> int | None:
        """The exercise day of simulated time ``t``: 1 on the start's calendar date, 2 the next… (None: no date).

        Infinite or unknown times (an inject still waiting for its trigger) have no day.
        """
        if self.start is None or t != t or t in (float("inf"), float("-inf")):
            return None
        return ((self.start + timedelta(minutes=t)).date() - self.start.date()).days + 1

    def day_label(self, day: int, lang: str) -> str:
        """``Sun 30 Jul · D2`` / ``7月30日 · 第2天`` for exercise day ``day``."""
        if self.start is None:
            return tr("msel.day", lang, n=day, date="")
        date = self.start.date() + timedelta(days=day - 1)
        text = f"{date.month}月{date.day}日" if lang == "zh" else date.strftime("%a %d %b")
        return tr("msel.day", lang, n=day, date=text)

    def list_names(self, keys: list[str] | tuple[str, ...], lang: str) -> str:
        """``a, b, c`` with display names."""
        sep = "、" if lang == "zh" else ", "
        return sep.join(self.name(k, lang) if k != "all" else tr("inject.everyone", lang) for k in keys)


def format_offset(t: float) -> str:
    """``T+03:12`` for 192 minutes (whole minutes gone, as the clock beside it shows them)."""
    total = int(max(0.0, t) + 1e-9)
    return f"T+{total // 60:02d}:{total % 60:02d}"


def _parse_start(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
