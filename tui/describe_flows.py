"""Sentences for the doctrine-flow records: hazards, coordination desks, borders, storage, materials.

Split from :mod:`drillsim.tui.describe` (the spine's kinds) so each module stays small; both feed one table.
Every function takes a :class:`drillsim.tui.describe._Line` and returns the line in its language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drillsim import vocab

TOPICS = {"level": ("level", "响应级别"), "fire": ("fire", "火情"), "flood": ("flood", "汛情"),
          "quake": ("earthquake", "震情"), "warning": ("warning", "预警"), "river": ("river", "水情")}
"""What neighbours share (``border.shared`` ``topic``)."""


def _cause(x: Any, code: Any) -> str:
    """A cause: a hazard in words, an inject or decision by its id."""
    return vocab.hazard(code, x.lang) or x.n(code)


def _hazard(x: Any, code: Any) -> str:
    """A hazard id in words, or a named river, fire or quake by its name."""
    name = x.n(code)
    return name if name != code else (vocab.hazard(code, x.lang) or str(code))


def _names(x: Any, ids: Any) -> str:
    if isinstance(ids, list):
        return x.names.list_names([i for i in ids if isinstance(i, str)], x.lang)
    return x.n(ids) if isinstance(ids, str) else str(ids)


def _zero(x: Any) -> str:
    held = x.z(" (held: no communications)", "(通信中断,暂缓)") if x.d.get("held") else ""
    n = x.d.get("incidents", 0)
    return x.z(f"{x.a} sends its day-{x.d.get('day')} zero report to {x.n(x.d.get('to'))} ({n} new){held}",
               f"{x.a} 向 {x.n(x.d.get('to'))} 报送第 {x.d.get('day')} 日零报告(新增 {n} 起){held}")


def _whistle(x: Any) -> str:
    if x.kind == "whistle.answered":
        return x.z(f"{x.a} reports to the scene of {x.n(x.subject)} ({x.dur(x.d.get('delay'))} after the call)",
                   f"{x.a} 到 {x.n(x.subject)} 现场报到(吹哨后 {x.dur(x.d.get('delay'))})")
    deps = _names(x, x.d.get("departments") or [])
    return x.z(f"{x.a} blows the whistle on {x.n(x.subject)}: {deps} must report to the scene",
               f"{x.a} 就 {x.n(x.subject)} 吹哨:{deps} 须到现场报到")


def _comms(x: Any) -> str:
    if x.kind == "comms.restored":
        return x.z(f"Communications restored in {x.n(x.subject)} after {x.dur(x.d.get('after'))}",
                   f"{x.n(x.subject)} 通信恢复(中断 {x.dur(x.d.get('after'))})")
    return x.z(f"Communications lost in {x.n(x.subject)} ({_cause(x, x.d.get('cause'))})",
               f"{x.n(x.subject)} 通信中断({_cause(x, x.d.get('cause'))})")


def _road(x: Any) -> str:
    if x.kind == "road.restored":
        return x.z(f"Roads reopened in {x.n(x.subject)}", f"{x.n(x.subject)} 道路恢复通行")
    f = float(x.d.get("factor") or 1)
    return x.z(f"Roads cut in {x.n(x.subject)}: journeys take ×{f:g} ({_cause(x, x.d.get('cause'))})",
               f"{x.n(x.subject)} 道路中断:通行时间 ×{f:g}({_cause(x, x.d.get('cause'))})")


def _warning(x: Any) -> str:
    colour = vocab.colour(x.d.get("level"), x.lang)
    where, what = x.n(x.d.get("region")), _hazard(x, x.subject)
    return x.z(f"{x.a} issues a {colour} {what} warning for {where}",
               f"{x.a} 发布 {where} {what}{colour}预警")


def _river(x: Any) -> str:
    flow = float(x.d.get("flow") or 0)
    peak = x.z(" — PEAK", " — 洪峰") if x.d.get("peak") else ""
    river = _hazard(x, x.subject)
    return x.z(f"{river} at {x.a}: {flow:,.0f} m³/s{peak}", f"{x.a} {river} 流量 {flow:,.0f} 立方米/秒{peak}")


def _cleared(x: Any) -> str:
    return x.z(f"Flooding over in {x.n(x.subject)} ({_hazard(x, x.actor)})",
               f"{x.n(x.subject)} 汛情解除({_hazard(x, x.actor)})")


def _fire(x: Any) -> str:
    area = float(x.d.get("area_ha") or 0)
    fire = _hazard(x, x.actor)
    if x.kind == "fire.state":
        crown = x.z(", CROWN FIRE", ",树冠火") if x.d.get("crown") else ""
        return x.z(f"{fire}: {area:,.1f} ha, {x.d.get('crews', 0)} crews on the line{crown}",
                   f"{fire}:过火 {area:,.1f} 公顷,{x.d.get('crews', 0)} 支队伍在线{crown}")
    if x.kind == "fire.crossed":
        return x.z(f"{fire} crosses from {x.n(x.d.get('from'))} into {x.n(x.d.get('to'))}",
                   f"{fire} 由 {x.n(x.d.get('from'))} 蔓延至 {x.n(x.d.get('to'))}")
    if x.kind == "fire.crown":
        return x.z(f"{fire} becomes a crown fire at {area:,.1f} ha",
                   f"{fire} 发展为树冠火(过火 {area:,.1f} 公顷)")
    if x.kind == "fire.contained":
        return x.z(f"{fire} contained at {area:,.1f} ha", f"{fire} 得到控制(过火 {area:,.1f} 公顷)")
    return x.z(f"{fire} out ({area:,.1f} ha burned)", f"{fire} 扑灭(过火 {area:,.1f} 公顷)")


def _quake(x: Any) -> str:
    m, i = x.d.get("magnitude"), x.d.get("max_intensity")
    if x.kind == "quake.aftershock":
        return x.z(f"Aftershock M{m} near {x.n(x.subject)} (intensity {i}); {x.d.get('trapped', 0)} newly trapped",
                   f"{x.n(x.subject)} 附近发生 {m} 级余震(烈度 {i}),新增被困 {x.d.get('trapped', 0)} 人")
    return x.z(f"EARTHQUAKE M{m}, depth {x.d.get('depth_km')} km, near {x.n(x.subject)}; max intensity {i}",
               f"{x.n(x.subject)} 附近发生 {m} 级地震,震源深度 {x.d.get('depth_km')} 公里,最高烈度 {i}")


def _search_ended(x: Any) -> str:
    left, cause = x.d.get("unfound", 0), x.d.get("cause")
    return x.z(f"Search declared complete ({cause}): {left} rescue sites not yet found stay buried",
               f"宣布搜救基本结束({cause}):{left} 处尚未找到的埋压点不再搜索")


def _mishap(x: Any) -> str:
    return x.z(f"{x.a} in trouble at {x.n(x.subject)}: {x.d.get('people')} rescuers need rescue",
               f"{x.a} 在 {x.n(x.subject)} 遇险:{x.d.get('people')} 名救援人员待救")


def _coordination(x: Any) -> str:
    k = x.kind
    if k == "coordination.activated":
        return x.z(f"{x.a} opens {x.n(x.subject)} ({x.d.get('capacity')} teams at a time)",
                   f"{x.a} 启动{x.n(x.subject)}(同时登记 {x.d.get('capacity')} 支)")
    if k == "coordination.called":
        return x.z(f"{x.a} calls for {x.d.get('teams')} social teams ({x.subject})",
                   f"{x.a} 发布社会应急力量需求 {x.subject}({x.d.get('teams')} 支)")
    if k == "coordination.rule":
        rule = x.z("invitation letters", "邀请函要求") if x.subject == "invitation_letter" else str(x.subject)
        on = x.d.get("value")
        state = x.z("required" if on else "waived", "启用" if on else "取消") if isinstance(on, bool) else str(on)
        return x.z(f"Rule changed: {rule} {state}", f"规则调整:{rule}{state}")
    if k == "coordination.stood_down":
        return x.z(f"{x.a} stands down {x.n(x.subject)} ({x.d.get('teams')} teams)",
                   f"{x.a} 撤销{x.n(x.subject)}({x.d.get('teams')} 支队伍)")
    return x.z(f"COORDINATION FAILURE: {x.a} works {x.n(x.subject)} without registering",
               f"协调失序:{x.a} 未报备即参与 {x.n(x.subject)} 救援")


def _social_team(x: Any) -> str:
    k = x.kind
    if k == "team.arrived":
        how = x.z(" (self-deployed)", "(自行前往)") if x.d.get("self_deployed") else ""
        return x.z(f"{x.a} arrives at {x.n(x.subject)}{how}", f"{x.a} 抵达 {x.n(x.subject)}{how}")
    if k == "team.refused":
        why = x.z("no invitation letter", "缺少邀请函") if x.d.get("reason") == "invitation_letter" else \
            str(x.d.get("reason"))
        return x.z(f"{x.a} turns {x.n(x.subject)} away: {why}", f"{x.a} 暂不接收 {x.n(x.subject)}:{why}")
    if k == "team.registered":
        wait, code = x.dur(x.d.get("wait")), x.d.get("pass_code")
        return x.z(f"{x.n(x.subject)} registered at {x.a} after {wait}, pass {code}",
                   f"{x.n(x.subject)} 在 {x.a} 完成报备登记(等待 {wait}),通行码 {code}")
    if k == "team.tasked":
        return x.z(f"{x.a} tasks {x.n(x.subject)} with {x.n(x.d.get('incident'))} ({x.n(x.d.get('zone'))})",
                   f"{x.a} 指派 {x.n(x.subject)} 负责 {x.n(x.d.get('incident'))}({x.n(x.d.get('zone'))})")
    if k == "team.progress":
        done = float(x.d.get("done") or 0)
        return x.z(f"{x.a} reports {done:.0%} done at {x.n(x.subject)}",
                   f"{x.a} 报告 {x.n(x.subject)} 完成 {done:.0%}")
    filed = x.z("filed", "已报备") if x.d.get("filed") else x.z("NOT filed", "未报备")
    return x.z(f"{x.a} withdraws from {x.n(x.subject)} (withdrawal {filed})",
               f"{x.a} 撤离 {x.n(x.subject)}(撤离{filed})")


def _border(x: Any) -> str:
    k, to = x.kind, x.n(x.subject)
    if k == "border.shared":
        topic = TOPICS.get(str(x.d.get("topic")), (str(x.d.get("topic")), str(x.d.get("topic"))))
        return x.z(f"{x.a} shares {topic[0]} information with {to}", f"{x.a} 向 {to} 通报{topic[1]}信息")
    if k == "border.notified":
        delay = x.dur(x.d.get("delay"))
        return x.z(f"FIRE NOTICE: {x.a} notifies {to} ({delay} after the fire neared the border)",
                   f"火情通报:{x.a} 通报 {to}(火场接近边界后 {delay})")
    if k == "border.consulted":
        who = _names(x, x.d.get("participants") or [])
        topic = TOPICS.get(str(x.subject), (str(x.subject), str(x.subject)))
        return x.z(f"Joint consultation on the {topic[0]} convened by {x.a}: {who}",
                   f"{x.a} 召集{topic[1]}会商研判:{who}")
    what = x.d.get("request")
    if k == "border.support_requested":
        return x.z(f"{x.a} asks {to} for support ({what})", f"{x.a} 请求 {to} 支援({what})")
    if k == "border.support_approved":
        return x.z(f"{x.a} approves support {what} for {to}", f"{x.a} 同意支援 {to}({what})")
    if k == "border.support_sent":
        return x.z(f"{x.a} sends support {what} to {to}", f"{x.a} 派出支援力量 {what} 前往 {to}")
    return x.z(f"Support {what} from {x.a} arrives in {x.n(x.d.get('region'))}",
               f"{x.a} 支援力量 {what} 抵达 {x.n(x.d.get('region'))}")


def _storage(x: Any) -> str:
    k, area, people = x.kind, x.n(x.subject), x.d.get("people")
    if k == "storage.ordered":
        return x.z(f"{x.a} orders the evacuation of {area} ({people} people)",
                   f"{x.a} 下达{area}转移令({people} 人)")
    if k == "storage.evacuation_reported":
        return x.z(f"{x.a} reports {area} evacuated ({x.d.get('evacuated')} of {people})",
                   f"{x.a} 报告{area}群众已转移({x.d.get('evacuated')}/{people})")
    forced = x.z(" WITHOUT the evacuation report", ",未收到转移完成报告") if x.d.get("forced") else ""
    return x.z(f"{x.a} activates {area}{forced}", f"{x.a} 启用{area}{forced}")


def _material(x: Any) -> str:
    k, item, q, for_ = x.kind, x.n(x.d.get("item", x.subject)), x.d.get("quantity"), x.n(x.d.get("for"))
    if k == "material.requested":
        return x.z(f"{x.a} requests {q} {item} for {for_}", f"{x.a} 申请 {item} {q} 份(用于 {for_})")
    if k == "material.dispatched":
        pool = x.d.get("source")
        pool_text = x.z("agreement reserve", "协议储备") if pool == "agreement" else x.z("physical reserve", "实物储备")
        return x.z(f"{x.a} sends {q} {item} to {for_} ({pool_text})",
                   f"{x.a} 调运 {item} {q} 份至 {for_}({pool_text})")
    if k == "material.delivered":
        return x.z(f"{q} {item} delivered to {for_}, {x.dur(x.d.get('fill_time'))} after the request",
                   f"{item} {q} 份送达 {for_}(申请后 {x.dur(x.d.get('fill_time'))})")
    return x.z(f"SHORTFALL: {x.d.get('short')} of {q} {item} for {for_} cannot be supplied",
               f"物资缺口:{for_} 所需 {item} {q} 份中 {x.d.get('short')} 份无法保障")


def _skipped(x: Any) -> str:
    return x.z(f"Contingency inject {x.subject} not needed: the expected action happened",
               f"应急注入 {x.subject} 未下达:预期行动已完成")


DESCRIBERS: dict[str, Callable[[Any], str]] = {
    "report.zero": _zero, "whistle.called": _whistle, "whistle.answered": _whistle,
    "comms.lost": _comms, "comms.restored": _comms, "road.cut": _road, "road.restored": _road,
    "hazard.warning": _warning, "hazard.river": _river, "flood.cleared": _cleared,
    "fire.state": _fire, "fire.crossed": _fire, "fire.crown": _fire, "fire.contained": _fire,
    "fire.extinguished": _fire, "quake.occurred": _quake, "quake.aftershock": _quake, "team.mishap": _mishap,
    "quake.search_ended": _search_ended,
    "coordination.activated": _coordination, "coordination.called": _coordination,
    "coordination.rule": _coordination, "coordination.stood_down": _coordination,
    "coordination.failure": _coordination,
    "team.arrived": _social_team, "team.refused": _social_team, "team.registered": _social_team,
    "team.tasked": _social_team, "team.progress": _social_team, "team.withdrawn": _social_team,
    "border.shared": _border, "border.notified": _border, "border.consulted": _border,
    "border.support_requested": _border, "border.support_approved": _border, "border.support_sent": _border,
    "border.support_arrived": _border,
    "storage.ordered": _storage, "storage.evacuation_reported": _storage, "storage.activated": _storage,
    "material.requested": _material, "material.dispatched": _material, "material.delivered": _material,
    "material.shortfall": _material, "inject.skipped": _skipped,
}
"""Record kind → describer for the doctrine-flow kinds (docs/records.md)."""

FAMILY_OF_PREFIX: dict[str, str] = {
    "whistle": "report", "comms": "hazard", "road": "hazard", "hazard": "hazard", "flood": "hazard",
    "fire": "hazard", "quake": "hazard", "coordination": "coordination", "border": "border",
    "storage": "border", "material": "logistics",
}
"""Feed-filter groups of the doctrine-flow record families."""
