"""The scorecard as a plain-text table for the terminal (``drillsim run`` / ``drillsim report``)."""

from __future__ import annotations

import unicodedata
from typing import Any

from drillsim.scoring.capabilities import capability_name
from drillsim.scoring.evidence import STAT_NAMES, format_value
from drillsim.scoring.text import format_clock, pick, points


def width(text: str) -> int:
    """Terminal cells taken by ``text`` (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def clip(text: str, cells: int) -> str:
    """Cut ``text`` to ``cells`` terminal cells, with an ellipsis when cut."""
    if width(text) <= cells:
        return text
    out, used = [], 0
    for c in text:
        w = width(c)
        if used + w > cells - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def pad(text: str, cells: int) -> str:
    """Left-align ``text`` in ``cells`` terminal cells."""
    text = clip(text, cells)
    return text + " " * (cells - width(text))


def format_table(card: Any, lang: str = "en", evidence: bool = True, cols: int = 100) -> str:
    """Render a :class:`~drillsim.scoring.scorecard.Scorecard` as text lines.

    Args:
        card: The scorecard.
        lang: ``en`` or ``zh``.
        evidence: Add each task's evidence sentence under its row.
        cols: Total width to fit.
    """
    zh = lang == "zh"
    head = (
        ("目标", "核心能力", "关键任务", "统计", "数值", "评级")
        if zh
        else ("Objective", "Capability", "Task", "Statistic", "Value", "Rating")
    )
    widths = [10, 24, 0, 10, 12, 6]
    widths[2] = max(16, cols - sum(widths) - 2 * (len(widths) - 1))
    title = pick(card.scenario.get("title"), lang) or card.scenario.get("id") or ""
    state = ("终" if zh else "final") if card.final else ("截至目前" if zh else "so far")
    name = "评估记分卡" if zh else "Scorecard"
    seed = f"随机种子 {card.seed}" if zh else f"seed {card.seed}"
    lines = [f"{name} — {title} ({seed}, {format_clock(card.horizon)}, {state})"]
    lines.append("  ".join(pad(h, w) for h, w in zip(head, widths, strict=True)).rstrip())
    lines.append("  ".join("─" * w for w in widths))
    if not card.objectives:
        lines.append("没有设定评估目标。" if zh else "The scenario defines no objectives: nothing to rate.")
    for obj in card.objectives:
        cap = pick(capability_name(obj.capability), lang)
        for i, task in enumerate(obj.tasks):
            cells = (
                obj.id if i == 0 else "",
                cap if i == 0 else "",
                pick(task.text, lang) or task.id,
                pick(STAT_NAMES.get(task.statistic), lang) or task.statistic,
                format_value(task.value, task.kind, task.statistic, lang),
                task.rating or ("未测" if zh else "n/m"),
            )
            lines.append("  ".join(pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
            if evidence:
                lines.append(" " * 4 + clip(pick(task.summary, lang), cols - 4))
        label = "目标评级" if zh else "objective rating"
        score = points(obj.score)
        lines.append(
            " " * 4 + f"→ {obj.id} {label}: {obj.rating or ('未测' if zh else 'not measured')} ({score}/100)"
        )
    lines.append("")
    if card.score is None:
        lines.append("总分:未测量" if zh else "Overall score: not measured")
    else:
        cov = f"{card.coverage * 100:.0f}%"
        lines.append(
            f"总分 {points(card.score)}/100,总评 {card.rating}(已测量权重 {cov})"
            if zh
            else f"Overall score {points(card.score)}/100, rating {card.rating} "
            f"(weight measured: {cov})"
        )
    return "\n".join(lines)
