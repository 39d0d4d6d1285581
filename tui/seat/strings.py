"""Words of the seat console that the facilitator console does not have (Chinese and English)."""

from __future__ import annotations

from typing import Any

SEAT_STRINGS: dict[str, tuple[str, str]] = {
    "seat.connecting": ("connecting to {url} …", "正在连接 {url} …"),
    "seat.reconnecting": ("connection lost ({reason}); reconnecting …", "连接中断({reason}),正在重连 …"),
    "seat.connected": ("connected", "已连接"),
    "seat.title": ("{seat} · {rights}", "{seat} · {rights}"),
    "rights.player": ("player", "参演"),
    "rights.observer": ("observer (read only)", "观摩(只读)"),
    "rights.evaluator": ("evaluator", "评估"),
    "rights.controller": ("control", "导调"),
    "pane.injects": ("Injects received", "收到的注入"),
    "key.message": ("Message control", "报告导调"),
    "key.leave": ("Leave", "退出"),
    "message.title": ("Message or request to control", "向导调组报告或请示"),
    "message.placeholder": ("what you report or ask for", "报告或请示内容"),
    "message.send": ("Send", "发送"),
    "message.cancel": ("Cancel", "取消"),
    "message.sent": ("sent to control", "已发送给导调组"),
    "refused": ("refused: {error}", "被拒绝: {error}"),
    "clock.control_only": ("only the control group runs the clock", "只有导调组可以控制时钟"),
    "ended": ("the exercise has ended", "演练已结束"),
}


def st(key: str, lang: str, **fields: Any) -> str:
    """A seat console string in ``lang`` (``en`` or ``zh``), with ``{fields}`` filled in."""
    en, zh = SEAT_STRINGS[key]
    return (zh if lang == "zh" else en).format(**fields)
