"""Names of the HSEEP core capabilities used by scenario objectives, in English and Chinese."""

from __future__ import annotations

from drillsim.scoring.text import Text

CAPABILITY_NAMES: dict[str, Text] = {
    "operational_coordination": {"en": "Operational Coordination", "zh": "行动协调"},
    "operational_communications": {"en": "Operational Communications", "zh": "行动通信"},
    "situational_assessment": {"en": "Situational Assessment", "zh": "态势研判"},
    "mass_search_and_rescue": {"en": "Mass Search and Rescue Operations", "zh": "大规模搜索救援"},
    "public_information_and_warning": {"en": "Public Information and Warning", "zh": "公共信息与预警"},
    "logistics": {"en": "Logistics and Supply Chain Management", "zh": "后勤与物资保障"},
    "mass_care": {"en": "Mass Care Services", "zh": "群众安置服务"},
    "planning": {"en": "Planning", "zh": "计划"},
    "critical_transportation": {"en": "Critical Transportation", "zh": "关键运输"},
    "fire_management": {"en": "Fire Management and Suppression", "zh": "火灾管理与扑救"},
    "environmental_response": {"en": "Environmental Response/Health and Safety", "zh": "环境应急与健康安全"},
    "public_health_and_medical": {"en": "Public Health, Healthcare, and EMS", "zh": "公共卫生与医疗救护"},
    "infrastructure_systems": {"en": "Infrastructure Systems", "zh": "基础设施保障"},
    "on_scene_security": {"en": "On-scene Security, Protection, and Law Enforcement", "zh": "现场安全与秩序"},
}

RATING_NAMES: dict[str, Text] = {
    "P": {"en": "Performed without challenges", "zh": "顺利完成"},
    "S": {"en": "Performed with some challenges", "zh": "完成但存在一些问题"},
    "M": {"en": "Performed with major challenges", "zh": "完成但存在重大问题"},
    "U": {"en": "Unable to be performed", "zh": "未能完成"},
}


def capability_name(key: str) -> Text:
    """The display name of a core capability id (the id itself when unknown)."""
    return CAPABILITY_NAMES.get(key, {"en": key.replace("_", " ").title(), "zh": key})
