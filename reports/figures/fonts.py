"""Chinese text in figures: find a real CJK font through matplotlib's font manager, or fall back.

matplotlib's default DejaVu Sans has no Chinese glyphs and draws boxes. When ``zh`` is asked for
and no CJK font is installed (e.g. ``apt-get install fonts-noto-cjk`` or ``fonts-wqy-microhei``),
figures use English labels and one warning says so.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Sarasa Gothic SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Droid Sans Fallback",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
"""Families that cover simplified Chinese, in order of preference."""


CJK_FILES = ("wqy", "notosanscjk", "notoserifcjk", "notosanssc", "sourcehansans", "droidsansfallback", "ukai",
             "uming", "simhei", "msyh", "pingfang")
"""File-name fragments of CJK fonts, for fonts installed after matplotlib built its font cache."""


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first installed CJK-capable font family, or None.

    matplotlib caches its font list; a font installed later (``apt-get install fonts-noto-cjk``) is
    not in it, so when the cache knows none, system font files with CJK names are added to it.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    installed = {f.name for f in manager.ttflist}
    found = next((name for name in CJK_FAMILIES if name in installed), None)
    if found is None:
        for path in font_manager.findSystemFonts():
            base = path.rsplit("/", 1)[-1].lower().replace("-", "").replace("_", "")
            if any(tag in base for tag in CJK_FILES):
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # pragma: no cover - an unreadable font file
                    continue
        installed = {f.name for f in manager.ttflist}
        found = next((name for name in CJK_FAMILIES if name in installed), None)
    return found


@lru_cache(maxsize=1)
def _warn_once() -> None:
    sys.stderr.write(
        "drillsim: no Chinese (CJK) font found for figures; their labels are in English "
        "(install fonts-noto-cjk or fonts-wqy-microhei for Chinese labels)\n"
    )


def figure_lang(lang: str) -> str:
    """The language figures can be labelled in: ``zh`` only when a CJK font exists (warns once if not)."""
    if lang != "zh":
        return "en"
    if cjk_family() is None:
        _warn_once()
        return "en"
    return "zh"


def rc(lang: str) -> dict[RcKeyType, object]:
    """Matplotlib rc settings for labels in ``lang`` (call :func:`figure_lang` first)."""
    family = cjk_family() if lang == "zh" else None
    fonts = [family] if family else []
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [*fonts, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "none",
    }
