"""Words for the things a log names by code: kinds of agency, team and incident, facts, causes, reasons.

A log says ``"kind": "fire_rescue"`` or ``"reason": "rule 0"``; a person reads 消防救援队伍 or "response
rule 1". The console, the reports and the engine's own prompts take these words from here, in
English and Chinese (docs/glossary.md), so one code is always said the same way. A code that is
not in a table (a scenario may invent incident kinds) is shown as its words, ``land_slip`` → "land
slip", in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from drillsim.text import of_pair

Pair = tuple[str, str]
"""``(en, zh)``."""

AGENCY_KINDS: dict[str, Pair] = {
    "command": ("command headquarters", "指挥机构"),
    "emergency": ("emergency management", "应急管理部门"),
    "fire": ("fire and rescue", "消防救援机构"),
    "water": ("water authority", "水务部门"),
    "meteorology": ("meteorological service", "气象部门"),
    "hydrology": ("hydrological service", "水文部门"),
    "transport": ("transport", "交通运输部门"),
    "health": ("health", "卫生健康部门"),
    "police": ("police", "公安机关"),
    "telecom": ("telecommunications", "通信管理部门"),
    "forestry": ("forestry and grassland", "林业和草原部门"),
    "earthquake": ("earthquake agency", "地震部门"),
    "military": ("military", "驻军"),
    "railway": ("railway", "铁路部门"),
    "civil_affairs": ("civil affairs", "民政部门"),
    "coordination": ("coordination body", "协调机构"),
    "government": ("people's government", "人民政府"),
    "environment": ("ecology and environment", "生态环境部门"),
    "other": ("other", "其他"),
}
"""Every agency kind of the scenario format (``scenario.model.AgencyKind``)."""

TEAM_KINDS: dict[str, Pair] = {
    "fire_rescue": ("fire and rescue", "消防救援队伍"),
    "professional": ("professional rescue", "专业救援队伍"),
    "militia": ("militia", "民兵"),
    "social": ("social emergency force", "社会应急力量"),
    "community": ("grassroots station", "基层应急队伍"),
    "medical": ("medical", "医疗救护队伍"),
    "police": ("police", "公安力量"),
    "army": ("army", "解放军"),
    "armed_police": ("armed police", "武警部队"),
    "forest_fire": ("forest fire brigade", "森林消防队伍"),
    "other": ("other", "其他"),
}
"""Every team kind of the scenario format (``scenario.model.TeamKind``)."""

INCIDENT_KINDS: dict[str, Pair] = {
    "flash_flood": ("flash flood", "山洪"),
    "urban_flood": ("urban flooding", "城市内涝"),
    "river_flood": ("river flood", "河道洪水"),
    "stranded_train": ("stranded train", "列车滞留"),
    "stranded_vehicle": ("stranded vehicle", "车辆被困"),
    "house_collapse": ("house collapse", "房屋倒塌"),
    "building_collapse": ("building collapse", "建筑物倒塌"),
    "landslide": ("landslide", "滑坡"),
    "debris_flow": ("debris flow", "泥石流"),
    "sand_mud_flow": ("sand-mud flow", "砂涌"),
    "dam_breach": ("dam breach", "溃坝"),
    "levee_breach": ("levee breach", "决堤"),
    "rescuer_down": ("rescuers in danger", "救援人员遇险"),
    "earthquake": ("earthquake", "地震"),
    "forest_fire": ("forest fire", "森林火灾"),
    "fire_line": ("fire line", "火线"),
    "evacuation": ("evacuation", "群众转移"),
    "injured_firefighter": ("injured firefighter", "扑火队员受伤"),
    "fire": ("fire", "火灾"),
    "chemical_leak": ("chemical leak", "危化品泄漏"),
    "power_outage": ("power outage", "停电"),
    "isolated_village": ("village cut off", "村庄失联"),
    "displaced": ("people displaced", "受灾群众转移安置"),
    "evacuation_order": ("evacuation order", "组织群众转移"),
    "flood_evacuation": ("flood evacuation", "洪水转移避险"),
    "storage_evacuation": ("storage-area evacuation", "蓄滞洪区群众转移"),
    "storage_trapped": ("people caught in a storage area", "蓄滞洪区群众被困"),
    "fire_trapped": ("people cut off by fire", "群众受火围困"),
    "ammonia_leak": ("ammonia leak", "液氨泄漏"),
    "exposed_workers": ("workers caught by the gas", "作业人员遇险"),
    "inhalation_injuries": ("inhalation injuries", "吸入性损伤"),
    "workplace_evacuation": ("workplace evacuation", "企业人员撤离"),
    "village_evacuation": ("village evacuation", "村庄群众转移"),
    "gas_casualties": ("people overcome by gas", "中毒遇险群众"),
    "left_behind": ("people left behind", "未转移群众遇险"),
}
"""Incident kinds the bundled scenarios and generators use (a scenario may add its own)."""

TASK_KINDS: dict[str, Pair] = {
    "rescue": ("rescue", "救援"),
    "work": ("work", "处置"),
    "evacuate": ("evacuation", "转移安置"),
    "suppress": ("fire suppression", "灭火"),
    "cordon": ("cordon", "警戒"),
    "monitor": ("monitoring", "监测"),
    "guard": ("guard", "值守"),
    "supply": ("supply", "物资保障"),
}
"""Every kind of task an incident's work is made of (``task.*`` ``kind``; docs/scenario-format.md, tasks)."""

CAPABILITIES: dict[str, Pair] = {
    "water_rescue": ("water rescue", "水上救援"),
    "search_rescue": ("search and rescue", "搜索救援"),
    "rescue": ("rescue", "救援"),
    "evacuation": ("evacuation", "转移安置"),
    "rail_evacuation": ("rail passenger evacuation", "铁路旅客转移"),
    "transport": ("transport", "运输保障"),
    "fire_suppression": ("fire suppression", "火灾扑救"),
    "heavy_machinery": ("heavy machinery", "工程机械"),
    "medical": ("medical", "医疗救护"),
    "hazmat_containment": ("hazmat containment", "危化品堵漏"),
    "chemical_rescue": ("chemical rescue", "化学救援"),
    "water_curtain": ("water curtain", "水幕稀释"),
    "env_monitoring": ("environmental monitoring", "环境监测"),
    "traffic_control": ("traffic control", "交通管制"),
}
"""What teams can do (a team's ``capabilities``, an incident's ``needs``, a task's lines; a scenario may add
its own, shown as words)."""

FACTS: dict[str, Pair] = {
    "incidents": ("incidents", "事件数"),
    "people": ("people affected", "涉及人数"),
    "trapped": ("people trapped", "被困人数"),
    "dead": ("dead", "死亡人数"),
    "missing": ("missing", "失联人数"),
    "dead_or_missing": ("dead or missing", "死亡失联人数"),
    "injured": ("injured", "受伤人数"),
    "area_ha": ("burned area (ha)", "过火面积(公顷)"),
    "collapsed": ("buildings collapsed", "倒塌房屋数"),
    "magnitude": ("magnitude", "震级"),
    "intensity": ("intensity", "烈度"),
    "density": ("population density", "人口密度"),
    "warning": ("warning level", "预警级别"),
    "evacuated": ("people evacuated", "转移安置人数"),
    "border_fire": ("fire near a provincial border", "省界附近火情"),
}
"""Every fact an office can know (``scenario.model.FACTS``), as a response rule tests it."""

HAZARDS: dict[str, Pair] = {
    "rain": ("rainstorm", "暴雨"),
    "flood": ("flood", "洪水"),
    "river": ("river", "河道"),
    "storm": ("storm", "暴雨"),
    "quake": ("earthquake", "地震"),
    "earthquake": ("earthquake", "地震"),
    "fire": ("fire", "火灾"),
    "forecast": ("forecast", "预报"),
    "washout": ("washed out", "冲毁"),
    "bridge": ("bridge damage", "桥梁受损"),
    "landslide": ("landslide", "塌方"),
    "typhoon": ("typhoon", "台风"),
    "geological": ("geological hazard", "地质灾害"),
    "chemical": ("chemical accident", "危化品事故"),
    "other": ("other", "其他"),
    "teams waiting": ("convoys waiting", "待命车队拥堵"),
}
"""Hazards and the natural causes records name (``comms.lost`` by ``rain``, a ``flood`` warning…)."""

WARNING_COLOURS: dict[str, Pair] = {
    "blue": ("blue", "蓝色"), "yellow": ("yellow", "黄色"), "orange": ("orange", "橙色"), "red": ("red", "红色"),
}
"""Warning colours (预警颜色), lowest to highest."""

DECIDED_BY: dict[str, Pair] = {
    "players": ("by the players", "参演人员决定"),
    "default": ("default on timeout", "超时采用默认"),
    "doctrine": ("by doctrine", "按预案"),
    "facilitator": ("by the facilitator", "导调人员决定"),
}
"""Who took a decision (``decision.made`` ``by``)."""

LEVEL_REASONS: dict[str, Pair] = {
    "initial": ("initial level", "初始级别"),
    "effect": ("ordered by an inject or decision", "情景注入或决策要求"),
    "stand_down": ("stood down", "降低响应"),
    "decision": ("decision", "决策"),
    "border": ("linked response", "联动响应"),
    "cascade": ("a higher command raised its level", "上级启动响应(逐级响应)"),
}
"""Why a level changed (``level.changed`` ``reason``; ``rule N`` is a response rule, see :func:`reason`)."""

SOURCES: dict[str, Pair] = {
    "msel": ("scheduled", "按计划"),
    "trigger": ("triggered", "条件触发"),
    "contingency": ("contingency", "应急注入"),
    "effect": ("chained", "连锁触发"),
    "facilitator": ("ad hoc", "临时下达"),
}
"""How an inject came to be delivered (``inject.delivered`` ``source``)."""

INJECT_TYPES: dict[str, Pair] = {
    "informational": ("information", "信息通报"), "event": ("event", "事件"), "media": ("media", "舆情"),
    "contingency": ("contingency", "应急注入"),
}
"""Every inject type of the scenario format (``scenario.model.InjectType``)."""

METHODS: dict[str, Pair] = {
    "phone": ("phone", "电话"), "email": ("e-mail", "电子邮件"), "fax": ("fax", "传真"), "radio": ("radio", "电台"),
    "message": ("text message", "短信"), "handout": ("handout", "书面材料"), "verbal": ("verbal", "口头"),
    "simcell": ("control cell", "导调组"), "system": ("system", "系统推送"),
}
"""Every delivery method of the scenario format (``scenario.model.DeliveryMethod``)."""

ACTORS: dict[str, Pair] = {
    "simcell": ("control cell", "导调组"), "control": ("exercise control", "演练导调"),
    "public": ("the public", "公众"),
    "media": ("the media", "媒体"), "facilitator": ("facilitator", "导调人员"), "evaluator": ("evaluator", "评估人员"),
    "players": ("players", "参演人员"), "drillsim": ("the simulation", "仿真系统"),
}
"""Who acts without being an agency, team or region: the pseudo-originators and the people at the table."""

INPUTS: dict[str, Pair] = {
    "decide": ("a decision", "决策"), "inject": ("an ad-hoc inject", "临时注入"),
    "note": ("an observation", "评估记录"), "role": ("a role change", "角色调整"), "end": ("the end", "结束推演"),
    "reseed": ("a new random stream", "重设随机数"),
    "message": ("a message to control", "报告导调组"),
}
"""External inputs (``input.received``)."""

RECORD_KINDS: dict[str, Pair] = {
    "exercise.started": ("Exercise started", "推演开始"),
    "exercise.ended": ("Exercise ended", "推演结束"),
    "incident.occurred": ("Incident", "事件发生"),
    "incident.detected": ("Incident detected", "发现事件"),
    "incident.missed": ("Incident not noticed", "事件未被发现"),
    "incident.closed": ("Incident closed", "事件结案"),
    "incident.unresolved": ("Incident unresolved", "事件未处置完"),
    "report.sent": ("Report sent", "报送"),
    "report.received": ("Report received", "接报"),
    "report.zero": ("Zero report", "零报告"),
    "whistle.called": ("Whistle blown", "吹哨"),
    "whistle.answered": ("Department reports to the scene", "部门报到"),
    "response.triggered": ("Response trigger met", "达到响应启动条件"),
    "level.changed": ("Response level", "响应级别调整"),
    "level.kept": ("Response level already in force", "响应级别已启动"),
    "agency.activated": ("Agency activated", "启动机构"),
    "team.activated": ("Team activated", "启动队伍"),
    "rescue.queued": ("Waiting for a team", "等待救援力量"),
    "team.dispatched": ("Team dispatched", "队伍出动"),
    "team.on_scene": ("Team on scene", "队伍到达现场"),
    "rescue.started": ("Rescue started", "开始救援"),
    "rescue.completed": ("Rescue completed", "救援完成"),
    "team.returning": ("Team returning", "队伍返回"),
    "team.returned": ("Team back at base", "队伍返回驻地"),
    "team.mishap": ("Rescuers in danger", "救援人员遇险"),
    "inject.delivered": ("Inject delivered", "下达情景注入"),
    "inject.skipped": ("Contingency inject not needed", "应急注入未下达"),
    "decision.opened": ("Decision asked", "提出决策"),
    "decision.made": ("Decision taken", "作出决策"),
    "input.received": ("Facilitator input", "导调输入"),
    "note.added": ("Evaluator observation", "评估记录"),
    "role.changed": ("Role changed", "角色调整"),
    "comms.lost": ("Communications lost", "通信中断"),
    "comms.restored": ("Communications restored", "通信恢复"),
    "road.cut": ("Roads cut", "道路中断"),
    "road.restored": ("Roads reopened", "道路恢复"),
    "hazard.warning": ("Warning issued", "发布预警"),
    "hazard.river": ("River flow", "河道流量"),
    "flood.cleared": ("Flooding over", "汛情解除"),
    "fire.state": ("Fire state", "火场态势"),
    "fire.crossed": ("Fire crossed a border", "火势越界"),
    "fire.crown": ("Crown fire", "发展为树冠火"),
    "fire.contained": ("Fire contained", "火势得到控制"),
    "fire.extinguished": ("Fire out", "明火扑灭"),
    "quake.occurred": ("Earthquake", "地震发生"),
    "quake.aftershock": ("Aftershock", "余震"),
    "quake.search_ended": ("Search declared complete", "搜救基本结束"),
    "coordination.activated": ("Coordination desk opened", "启动现场协调机制"),
    "coordination.called": ("Social teams called", "发布社会力量需求"),
    "coordination.rule": ("Coordination rule changed", "协调规则调整"),
    "coordination.stood_down": ("Coordination desk stood down", "撤销现场协调机制"),
    "coordination.failure": ("Uncoordinated rescue", "协调失序"),
    "team.arrived": ("Social team arrived", "社会力量抵达"),
    "team.refused": ("Social team turned away", "社会力量暂不接收"),
    "team.registered": ("Social team registered", "社会力量完成报备"),
    "team.tasked": ("Social team tasked", "社会力量任务派发"),
    "team.progress": ("Team progress", "队伍进展"),
    "team.withdrawn": ("Team withdrawn", "队伍撤离"),
    "border.shared": ("Information shared", "信息共享"),
    "border.notified": ("Fire notice to a neighbour", "火情通报"),
    "border.consulted": ("Joint consultation", "会商研判"),
    "border.support_requested": ("Support requested", "请求支援"),
    "border.support_approved": ("Support approved", "同意支援"),
    "border.support_sent": ("Support sent", "派出支援"),
    "border.support_arrived": ("Support arrived", "支援力量抵达"),
    "storage.ordered": ("Storage-area evacuation ordered", "下达蓄滞洪区转移令"),
    "storage.evacuation_reported": ("Storage area evacuated", "蓄滞洪区转移完成"),
    "storage.activated": ("Storage area activated", "启用蓄滞洪区"),
    "material.requested": ("Materials requested", "物资申请"),
    "material.dispatched": ("Materials dispatched", "物资调运"),
    "material.delivered": ("Materials delivered", "物资送达"),
    "material.shortfall": ("Material shortfall", "物资缺口"),
    "material.rule": ("Material rule changed", "物资调配规则调整"),
    "task.queued": ("Task waiting for teams", "任务等待派遣力量"),
    "task.started": ("Task started", "任务开始"),
    "task.reinforcement": ("Reinforcement requested", "请求增援"),
    "task.held": ("Holding strength", "警戒值守力量变化"),
    "task.completed": ("Task completed", "任务完成"),
    "task.unresolved": ("Task unfinished", "任务未完成"),
    "evacuation.ordered": ("Evacuation ordered", "下达转移令"),
    "evacuation.trip": ("Evacuees moved", "群众转移"),
    "evacuation.danger": ("Hazard reaches evacuees", "险情威胁未转移群众"),
    "evacuation.completed": ("Evacuation complete", "转移完成"),
    "shelter.occupancy": ("Shelter occupancy", "安置点安置情况"),
    "shelter.overflow": ("Shelter full", "安置点满员"),
    "suppression.state": ("Site fire", "火场扑救态势"),
    "suppression.controlled": ("Site fire under control", "火势得到控制"),
    "suppression.extinguished": ("Site fire out", "明火扑灭"),
    "supply.delivered": ("Supplies delivered", "物资送达"),
    "hazard.reading": ("Monitoring reading", "监测读数"),
    "hazard.threshold": ("Threshold reached", "监测值达到阈值"),
    "hazard.cleared": ("Back below a threshold", "监测值回落"),
    "hazard.stopped": ("Hazard source stopped", "险源切断"),
    "fire.reached": ("Fire reached a place", "火线逼近"),
    "fire.attack": ("Fire attack ordered", "组织扑火总攻"),
    "team.released": ("Team released", "队伍解除任务"),
    "message.sent": ("Message to control", "报告导调组"),
}
"""Every record kind of docs/records.md by name (a timeline row, an inject's answer, a trigger's cause)."""


UNITS: dict[str, Pair] = {
    "mg/m³": ("mg/m³", "毫克/立方米"),
    "mg/m3": ("mg/m³", "毫克/立方米"),
    "ppm": ("ppm", "百万分比浓度"),
    "m": ("m", "米"),
    "m/s": ("m/s", "米/秒"),
    "km/h": ("km/h", "千米/时"),
    "mm": ("mm", "毫米"),
    "°C": ("°C", "摄氏度"),
    "m³/s": ("m³/s", "立方米/秒"),
}
"""Units a series hazard's values are written in (``hazards.series.*.unit``; others are shown as written)."""


def unit(code: object, lang: str) -> str:
    """A series unit in ``lang`` (as written when unknown)."""
    pair = UNITS.get(str(code))
    return str(code or "") if pair is None else pair[0 if lang == "en" else 1]


def words(code: str) -> str:
    """A code as words: ``land_slip`` → ``land slip`` (for codes no table knows)."""
    return re.sub(r"[_.]+", " ", code).strip()


def word(table: Mapping[str, Pair], code: object, lang: str) -> str:
    """``code`` in ``lang`` from ``table``; an unknown code as its words; nothing for None."""
    if code is None or code == "":
        return ""
    key = str(code)
    pair = table.get(key)
    return of_pair(pair, lang) if pair is not None else words(key)


def agency_kind(code: object, lang: str) -> str:
    """``fire`` → fire and rescue / 消防救援机构."""
    return word(AGENCY_KINDS, code, lang)


def team_kind(code: object, lang: str) -> str:
    """``armed_police`` → armed police / 武警部队."""
    return word(TEAM_KINDS, code, lang)


def task_kind(code: object, lang: str) -> str:
    """``evacuate`` → evacuation / 转移安置."""
    return word(TASK_KINDS, code, lang)


def capability(code: object, lang: str) -> str:
    """``water_rescue`` → water rescue / 水上救援 (what a team can do)."""
    return word(CAPABILITIES, code, lang)


def incident_kind(code: object, lang: str) -> str:
    """``stranded_train`` → stranded train / 列车滞留."""
    return word(INCIDENT_KINDS, code, lang)


def fact(code: object, lang: str) -> str:
    """``trapped`` → people trapped / 被困人数."""
    return word(FACTS, code, lang)


def hazard(code: object, lang: str) -> str:
    """``rain`` → rainstorm / 暴雨 (a river or other id comes back as it is)."""
    key = str(code) if code is not None else ""
    return of_pair(HAZARDS[key], lang) if key in HAZARDS else key


def colour(code: object, lang: str) -> str:
    """``orange`` → orange / 橙色."""
    return word(WARNING_COLOURS, code, lang)


def decided_by(code: object, lang: str) -> str:
    """``doctrine`` → by doctrine / 按预案."""
    return word(DECIDED_BY, code, lang)


def source(code: object, lang: str) -> str:
    """``trigger`` → triggered / 条件触发."""
    return word(SOURCES, code, lang)


def inject_type(code: object, lang: str) -> str:
    """``media`` → media / 舆情."""
    return word(INJECT_TYPES, code, lang)


def method(code: object, lang: str) -> str:
    """``phone`` → phone / 电话."""
    return word(METHODS, code, lang)


def actor(code: object, lang: str) -> str | None:
    """``simcell`` → control cell / 导调组; None when ``code`` is not one of these (then it has a name of its own)."""
    pair = ACTORS.get(str(code)) if code is not None else None
    return of_pair(pair, lang) if pair is not None else None


def input_kind(code: object, lang: str) -> str:
    """``decide`` → a decision / 决策."""
    return word(INPUTS, code, lang)


def record_kind(code: object, lang: str) -> str:
    """``level.changed`` → Response level / 响应级别调整."""
    return word(RECORD_KINDS, code, lang)


def reason(code: object, lang: str) -> str:
    """Why a level changed: ``rule 0`` → response rule 1 / 第1条响应规则; ``initial`` → initial level / 初始级别."""
    text = str(code or "")
    match = re.fullmatch(r"rule (\d+)", text)
    if match:
        n = int(match.group(1)) + 1
        return f"第{n}条响应规则" if lang == "zh" else f"response rule {n}"
    return word(LEVEL_REASONS, text, lang)


def fact_value(code: str, value: object, lang: str) -> str:
    """``trapped``, 13.0 → ``people trapped 13`` / ``被困人数 13`` (whole numbers without a decimal point).

    ``trapped[flash_flood]`` (a fact counted over one incident kind, as triggers write it) →
    ``people trapped (flash flood) 13`` / ``被困人数(山洪) 13``.
    """
    kind = re.fullmatch(r"(\w+)\[(\w+)\]", code)
    if kind:
        inner = f"({incident_kind(kind.group(2), lang)})"
        return f"{fact(kind.group(1), lang)}{inner if lang == 'zh' else ' ' + inner} {_number(value)}"
    value = _number(value)
    if code == "warning" and isinstance(value, int | float):
        names = list(WARNING_COLOURS)
        if 1 <= int(value) <= len(names):
            return f"{fact(code, lang)} {colour(names[int(value) - 1], lang)}"
    return f"{fact(code, lang)} {value}"


def _number(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def facts_text(facts: Mapping[str, object] | None, lang: str) -> str:
    """``{"trapped": 13.0, "dead": 2}`` → ``people trapped 13, dead 2`` / ``被困人数 13,死亡人数 2``."""
    sep = "," if lang == "zh" else ", "
    return sep.join(fact_value(k, v, lang) for k, v in (facts or {}).items())
