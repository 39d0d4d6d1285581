"""Bilingual text (Chinese and English), picked and built the same way everywhere.

Scenario texts, names in a log's roster, evidence sentences and the console's and reports' own
wording are all either a ``{"zh": …, "en": …}`` mapping or an ``(en, zh)`` pair in a table. A reader
asks for one language and falls back to the other when that one is missing, so a scenario written
only in Chinese still shows in an English console (and the reverse). Everything that picks or builds
a bilingual text uses these functions.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGS = ("en", "zh")
"""The languages of every text a person reads."""


def other(lang: str) -> str:
    """The fallback language of ``lang``."""
    return "en" if lang == "zh" else "zh"


def pick(value: object, lang: str) -> str:
    """``value`` in ``lang``, falling back to the other language.

    ``value`` is a ``{zh, en}`` mapping, a plain string (the same in both languages), or None
    (empty). Anything else is shown as ``str(value)``: a log is input, and a reader never fails on it.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get(other(lang)) or "")
    return str(value)


def both(value: object, fallback: str = "") -> dict[str, str]:
    """``{"en": …, "zh": …}`` with both languages filled (each from the other when missing, else ``fallback``)."""
    if isinstance(value, str):
        return {"en": value, "zh": value}
    if isinstance(value, Mapping):
        en, zh = value.get("en"), value.get("zh")
        return {"en": str(en or zh or fallback), "zh": str(zh or en or fallback)}
    return {"en": fallback, "zh": fallback}


def of_pair(pair: tuple[str, str], lang: str) -> str:
    """One language of an ``(en, zh)`` pair from a wording table."""
    return pair[1] if lang == "zh" else pair[0]
