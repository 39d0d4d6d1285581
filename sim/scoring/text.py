"""Bilingual phrases for evidence: every sentence a rating shows is built in Chinese and English.

Scorecards are language-neutral (each text is ``{"zh": ..., "en": ...}``); reports and the terminal
table pick a language. :func:`bi` fills one English and one Chinese template with the same values,
where a value may itself be bilingual (a name) or a quantity that is written differently per
language (:class:`Minutes`, :class:`Share`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from drillsim.text import pick

Text = dict[str, str]
"""``{"zh": ..., "en": ...}`` as in the event log."""

LANGS = ("en", "zh")


@dataclass(frozen=True, slots=True)
class Minutes:
    """A duration in minutes, written ``41 min`` / ``41分钟`` or ``2h05m`` / ``2小时05分``."""

    value: float

    def render(self, lang: str) -> str:
        """Compact duration text in ``lang``."""
        return format_minutes(self.value, lang)


@dataclass(frozen=True, slots=True)
class Share:
    """A share 0..1 written as a percentage."""

    value: float

    def render(self, lang: str) -> str:
        """``0.789`` → ``78.9%``."""
        return f"{self.value * 100:.1f}%"


@dataclass(frozen=True, slots=True)
class Clock:
    """A moment as ``T+HH:MM`` (simulated minutes after the exercise start)."""

    value: float

    def render(self, lang: str) -> str:
        """``T+04:35``."""
        return format_clock(self.value)


def points(score: float | None, none: str = "—") -> str:
    """A 0–100 score as everyone shows it: a whole number, halves rounded up (``41.67`` → ``42``, ``42.5`` → ``43``).

    The one rounding rule for scores: ``drillsim run``, ``report``, ``compare``, the console and the
    reports all print scores through this, so the same run never reads 42 in one place and 41.7 in
    another. The rounding starts from the one decimal ``scorecard.json`` keeps, so a score read back from
    the file (``compare``, baseline) prints as the score computed in memory (``run``, the console).
    """
    if score is None or score != score:
        return none
    return str(math.floor(round(score, 1) + 0.5))


def format_minutes(minutes: float, lang: str = "en") -> str:
    """``41`` → ``41 min``; ``125`` → ``2h05m`` (zh: ``41分钟``, ``2小时05分``)."""
    if minutes != minutes:  # NaN
        return "—"
    sign = "-" if minutes < 0 else ""
    m = round(abs(minutes), 1)
    if m < 60:
        text = f"{m:.0f}" if abs(m - round(m)) < 0.05 or m >= 10 else f"{m:.1f}"
        return sign + (f"{text}分钟" if lang == "zh" else f"{text} min")
    total = round(m)
    d, rem = divmod(total, 1440)
    h, mm = divmod(rem, 60)
    if lang == "zh":
        out = (f"{d}天{h:02d}小时" if d else f"{h}小时") + f"{mm:02d}分"
    else:
        out = (f"{d}d{h:02d}h" if d else f"{h}h") + f"{mm:02d}m"
    return sign + out


def format_clock(minutes: float) -> str:
    """``T+HH:MM`` (hours may pass 24)."""
    sign = "-" if minutes < 0 else "+"
    total = round(abs(minutes))
    return f"T{sign}{total // 60:02d}:{total % 60:02d}"


def _pick(value: Any, lang: str) -> Any:
    if isinstance(value, dict | Phrase):
        return pick(value, lang)
    if isinstance(value, Minutes | Share | Clock):
        return value.render(lang)
    return value


def bi(en: str, zh: str, **values: Any) -> Text:
    """Fill an English and a Chinese template with the same (possibly bilingual) values."""
    return {
        "en": en.format(**{k: _pick(v, "en") for k, v in values.items()}),
        "zh": zh.format(**{k: _pick(v, "zh") for k, v in values.items()}),
    }


class Phrase(Mapping[str, str]):
    """A bilingual sentence like :func:`bi`'s, filled in only when first read (then kept).

    Why: a metric builds one evidence line per observation, but few are ever read — a rainstorm
    run has 7,535 observations, ``scorecard.json`` keeps at most 200 per task (1,414) and a report
    quotes a few, and a sweep reads none. Formatting two templates per observation was about a
    third of scoring; a phrase keeps the templates and the values (names, :class:`Minutes`, …,
    which do not change) and formats them on first read. It reads like the ``{"en", "zh"}`` dict
    :func:`bi` returns (``p["en"]``, :func:`~drillsim.text.pick`, ``==`` a dict); :func:`plain`
    gives that dict, for JSON.
    """

    __slots__ = ("_en", "_text", "_values", "_zh")

    def __init__(self, en: str, zh: str, values: dict[str, Any]) -> None:
        self._en = en
        self._zh = zh
        self._values: dict[str, Any] | None = values
        self._text: Text | None = None

    def text(self) -> Text:
        """The ``{"en": ..., "zh": ...}`` dict (formatted now if it was not yet)."""
        if self._text is None:
            self._text = bi(self._en, self._zh, **(self._values or {}))
            self._values = None  # what it was made from is not needed any more
        return self._text

    def __getitem__(self, lang: str) -> str:
        return self.text()[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(self.text())

    def __len__(self) -> int:
        return len(self.text())

    def __eq__(self, other: object) -> bool:
        return self.text() == (other.text() if isinstance(other, Phrase) else other)

    __hash__ = None  # type: ignore[assignment]  # equal to a dict, so unhashable like one

    def __repr__(self) -> str:
        return repr(self.text())


def phrase(en: str, zh: str, **values: Any) -> Phrase:
    """:func:`bi`, formatted when first read (:class:`Phrase`): for evidence lines, most never read."""
    return Phrase(en, zh, values)


def plain(text: Text | Phrase) -> Text:
    """A text as a plain ``{"en", "zh"}`` dict (what JSON writes)."""
    return text.text() if isinstance(text, Phrase) else text


def incident_label(key: str, name: Text | None, place: Text) -> Text:
    """An incident as evidence names it: what, where, and its id.

    Hazard and generated incidents share one name (a hundred "Collapsed houses, people buried"), so
    the line says which one and where: ``Collapsed houses, people buried at Lixian (main-lixian-0043)``
    / ``礼贤房屋倒塌人员被埋压(main-lixian-0043)``. Without a name: ``main-lixian-0043 (Lixian)``.
    """
    if name is None:
        return {"en": f"{key} ({place['en']})", "zh": f"{key}({place['zh']})"}
    return {"en": f"{name['en']} at {place['en']} ({key})", "zh": f"{place['zh']}{name['zh']}({key})"}


def join(items: list[Text], sep_en: str = ", ", sep_zh: str = ",") -> Text:
    """Join bilingual items per language."""
    return {"en": sep_en.join(pick(i, "en") for i in items), "zh": sep_zh.join(pick(i, "zh") for i in items)}
