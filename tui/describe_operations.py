"""Sentences for the operations records: tasks, evacuations, shelters, site fires, deliveries, thresholds.

Feeds the same table as :mod:`drillsim.tui.describe` and :mod:`drillsim.tui.describe_flows`; every
function takes a :class:`drillsim.tui.describe._Line` and returns the line in its language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drillsim import vocab


def _kind(x: Any) -> str:
    return vocab.task_kind(x.d.get("kind"), x.lang)


def _task_of(x: Any) -> str:
    """The incident a task belongs to, by name; in English with the task's own key when it is not the main one.

    The Chinese line names the task by its kind (转移安置任务…) instead: the key is the scenario's code.
    """
    task = x.d.get("task")
    return f"{x.n(x.subject)}.{task}" if task and task != "main" and x.lang != "zh" else x.n(x.subject)


def _teams(x: Any, lines: Any) -> str:
    if not isinstance(lines, dict) or not lines:
        return ""
    parts = x.z(", ", "、").join(f"{vocab.capability(k, x.lang)} ×{v}" for k, v in lines.items())
    return x.z(f" (teams: {parts})", f"(所需队伍:{parts})")


def _line(x: Any) -> str:
    line = x.d.get("line")
    return f" [{vocab.capability(line, x.lang)}]" if line else ""


def _task(x: Any) -> str:
    k, what = x.kind, _task_of(x)
    if k == "task.queued":
        return x.z(f"{_kind(x).capitalize()} task {what} awaits teams{_teams(x, x.d.get('lines'))}",
                   f"{what} {_kind(x)}任务等待派遣队伍{_teams(x, x.d.get('lines'))}")
    if k == "task.started":
        return x.z(f"{x.a} starts {_kind(x)} at {what}{_line(x)}", f"{x.a} 开始 {what} {_kind(x)}{_line(x)}")
    if k == "task.reinforcement":
        line = vocab.capability(x.d.get("line"), x.lang)
        return x.z(f"{what} asks for reinforcement: {x.d.get('wanted')} teams on {line}",
                   f"{what} 请求增援:{line} 需 {x.d.get('wanted')} 支队伍")
    if k == "task.held":
        full = x.z("at full strength", "力量到位") if x.d.get("full") else x.z("short of teams", "力量不足")
        return x.z(f"{_kind(x).capitalize()} at {what}: {full}", f"{what} {_kind(x)}:{full}")
    if k == "task.unresolved":
        return x.z(f"{_kind(x).capitalize()} task {what} still open at the end",
                   f"推演结束时 {what} {_kind(x)}任务尚未完成")
    held = x.d.get("held")
    extra = x.z(f" (held {x.dur(held)})", f"(持续 {x.dur(held)})") if held else ""
    return x.z(f"{_kind(x).capitalize()} task {what} completed{extra}", f"{what} {_kind(x)}任务完成{extra}")


def _evacuation(x: Any) -> str:
    k, what = x.kind, _task_of(x)
    if k == "evacuation.ordered":
        return x.z(f"Evacuation of {x.d.get('people')} people from {what} ordered",
                   f"{what} 下达转移令:{x.d.get('people')} 人")
    if k == "evacuation.trip":
        how = x.z(" on foot", "(步行)") if x.d.get("on_foot") else ""
        who = "" if x.d.get("on_foot") else f"{x.a} "
        return x.z(f"{who}brings {x.d.get('people')} evacuees from {what} to {x.n(x.d.get('shelter'))}{how}",
                   f"{who}将 {x.d.get('people')} 名群众由 {what} 转移至 {x.n(x.d.get('shelter'))}{how}")
    if k == "evacuation.danger":
        return x.z(f"The hazard reaches {what}: {x.d.get('left')} people still there, {x.d.get('trapped')} trapped",
                   f"险情到达 {what}:尚有 {x.d.get('left')} 人未转移,{x.d.get('trapped')} 人被困")
    return x.z(f"Evacuation of {what} complete: {x.d.get('evacuated')} of {x.d.get('people')} moved in "
               f"{x.dur(x.d.get('since_order'))}", f"{what} 转移完成:{x.d.get('evacuated')}/{x.d.get('people')} 人,"
               f"用时 {x.dur(x.d.get('since_order'))}")


def _shelter(x: Any) -> str:
    if x.kind == "shelter.overflow":
        return x.z(f"Shelter {x.a} full: {x.d.get('people')} evacuees without a place",
                   f"安置点 {x.a} 已满:{x.d.get('people')} 人无处安置")
    return x.z(f"Shelter {x.a}: {x.d.get('occupancy')} of {x.d.get('capacity')} places taken",
               f"安置点 {x.a}:已安置 {x.d.get('occupancy')}/{x.d.get('capacity')} 人")


def _suppression(x: Any) -> str:
    area = float(x.d.get("area_ha") or 0)
    what = _task_of(x)
    if x.kind == "suppression.controlled":
        return x.z(f"Fire at {what} under control at {area:,.2f} ha", f"{what} 火势得到控制(过火 {area:,.2f} 公顷)")
    if x.kind == "suppression.extinguished":
        return x.z(f"Fire at {what} out: {area:,.2f} ha burned", f"{what} 明火扑灭:过火 {area:,.2f} 公顷")
    share = float(x.d.get("applied") or 0)
    return x.z(f"Fire at {what}: {area:,.2f} ha, suppression at {share:.0%}",
               f"{what} 火场:{area:,.2f} 公顷,灭火力量到位 {share:.0%}")


def _supply(x: Any) -> str:
    item = x.n(x.d.get("item"))
    return x.z(f"{x.a} delivers {x.d.get('quantity')} {item} to {_task_of(x)} from {x.n(x.d.get('depot'))}",
               f"{x.a} 将 {item} {x.d.get('quantity')} 份由 {x.n(x.d.get('depot'))} 送至 {_task_of(x)}")


def _series(x: Any) -> str:
    unit = x.z(vocab.unit(x.d.get("unit", ""), "en"), vocab.unit(x.d.get("unit", ""), "zh"))
    if x.kind == "hazard.reading":
        values = x.d.get("values") or {}
        shown = ", ".join(f"{x.n(k) or k} {v:g}" for k, v in values.items() if isinstance(v, int | float))
        return x.z(f"{x.a}: {shown} {unit}", f"{x.a}:{shown} {unit}")
    station = x.n(x.d.get("station")) or x.d.get("station")
    if x.kind == "hazard.stopped":
        values = x.d.get("values") or {}
        shown = x.z(", ", ",").join(f"{x.n(k) or k} {v:g}" for k, v in values.items() if isinstance(v, int | float))
        return x.z(f"{x.a}: the source is stopped ({shown})", f"{x.a}:险源切断({shown})")
    threshold = x.n(x.subject)
    if x.kind == "hazard.cleared":
        return x.z(f"{x.a} at {station} back below {threshold} ({x.d.get('value')} {unit})",
                   f"{station} {x.a} 回落至 {threshold} 以下({x.d.get('value')} {unit})")
    return x.z(f"{x.a} at {station} reaches {threshold}: {x.d.get('value')} {unit}",
               f"{station} {x.a} 达到 {threshold}:{x.d.get('value')} {unit}")


def _cause(x: Any) -> str:
    """A decision's or inject's id as the cause of a record (`` [D3]``), or nothing."""
    cause = x.d.get("cause")
    return f" [{cause}]" if isinstance(cause, str) and cause else ""


def _fire(x: Any) -> str:
    if x.kind == "fire.reached":
        km, area = float(x.d.get("distance_km") or 0), float(x.d.get("area_ha") or 0)
        where = x.n(x.d.get("region"))
        return x.z(f"{x.a} reaches {x.s} ({where}): {km:.1f} km away, {area:,.0f} ha burned",
                   f"{x.a} 火线逼近 {where} {x.s}(距离 {km:.1f} 公里,过火 {area:,.0f} 公顷)")
    sectors, crews = x.d.get("sectors"), x.d.get("crews")
    return x.z(f"{x.a}: attack on {sectors} sectors, {crews} crews each{_cause(x)}",
               f"{x.a} 组织扑火总攻:{sectors} 个扇区,每个扇区 {crews} 支队伍{_cause(x)}")


def _material_rule(x: Any) -> str:
    who = x.a[:1].upper() + x.a[1:]
    if x.d.get("allowed"):
        return x.z(f"{who}: depots of other provinces may supply requests{_cause(x)}",
                   f"{x.a}:允许跨省调拨物资{_cause(x)}")
    return x.z(f"{who}: requests are supplied from the province's own depots only{_cause(x)}",
               f"{x.a}:暂停跨省调拨物资{_cause(x)}")


def _released(x: Any) -> str:
    by = x.actor if x.actor in x.names.decisions else None
    who = x.z(f"decision {by}", f"决策 {by}") if by else x.a
    later = x.z(" once its current task is done", ",完成当前任务后撤收") if x.d.get("busy") else ""
    return x.z(f"{x.s} released by {who}{later}", f"{who}:{x.s} 解除任务{later}")


DESCRIBERS: dict[str, Callable[[Any], str]] = {
    "task.queued": _task, "task.started": _task, "task.completed": _task, "task.reinforcement": _task,
    "task.held": _task, "task.unresolved": _task,
    "evacuation.ordered": _evacuation, "evacuation.trip": _evacuation, "evacuation.danger": _evacuation,
    "evacuation.completed": _evacuation,
    "shelter.occupancy": _shelter, "shelter.overflow": _shelter,
    "suppression.state": _suppression, "suppression.controlled": _suppression,
    "suppression.extinguished": _suppression,
    "supply.delivered": _supply,
    "hazard.threshold": _series, "hazard.cleared": _series, "hazard.reading": _series, "hazard.stopped": _series,
    "fire.reached": _fire, "fire.attack": _fire, "material.rule": _material_rule, "team.released": _released,
}
"""Record kind → describer for the operations kinds (docs/records.md)."""

FAMILY_OF_PREFIX: dict[str, str] = {
    "task": "rescue", "evacuation": "rescue", "shelter": "logistics", "suppression": "hazard", "supply": "logistics",
}
"""Feed-filter groups of the operations record families (``hazard.*`` is already a hazard)."""
