"""The report's figures, one module per figure, drawn with matplotlib (Agg) from the log alone.

:func:`draw_all` returns every figure as PNG bytes, or — when the log holds nothing a figure could
show — the reason it was not drawn, so a report never embeds an empty chart.
"""

from __future__ import annotations

from drillsim.reports.figures import gantt, incidents, latency, levels, map, materials
from drillsim.reports.figures.common import Drawn, png, styled
from drillsim.reports.figures.fonts import figure_lang
from drillsim.reports.i18n import s
from drillsim.scoring.view import LogView

FIGURES = (levels, incidents, latency, gantt, map, materials)
"""Every figure module, in report order."""

MISSING = {
    "levels": ("no agency changed its response level", "没有单位调整应急响应级别"),
    "incidents": ("no incident needed rescue", "没有需要救援的事件"),
    "report-latency": ("no report was received", "没有收到报告"),
    "teams": ("no team was dispatched", "没有队伍出动"),
    "map": ("no region or incident has a location", "行政区划和事件均无位置信息"),
    "materials": (
        "no material was requested, moved or short (the scenario models no materials)",
        "没有物资申请、调运或缺口记录(情景未模拟物资保障)",
    ),
}


def draw_all(view: LogView, lang: str) -> list[Drawn]:
    """Draw every figure; labels in ``lang`` when a font allows (see :mod:`drillsim.reports.figures.fonts`)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    flang = figure_lang(lang)
    out: list[Drawn] = []
    for module in FIGURES:
        caption = module.caption(lang)
        with styled(flang):
            fig = module.draw(view, flang)
            data = png(fig) if fig is not None else None
        if data is None:
            en, zh = MISSING[module.KEY]
            out.append(
                Drawn(module.KEY, caption, missing=s("figure_missing", lang, why=zh if lang == "zh" else en))
            )
        else:
            out.append(Drawn(module.KEY, caption, png=data))
    return out
