"""Live quantities an inject's message can quote: ``{river.lugouqiao.flow}``, ``{incidents.open}``.

One definition of which simulated quantities exist in a scenario, their units and how a value is
written in a message. The loader refuses a placeholder that names none of them (file, line, column,
field); ``validate --lint`` warns when a message states a number next to a simulated quantity's
name without quoting it (:mod:`drillsim.scenario.lint`); the MSEL flow fills the placeholders with
the values at the moment the inject fires (:mod:`drillsim.flows.msel`), so an inject can never
contradict the simulated world it is delivered into.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drillsim.scenario.model import Scenario

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)\}")
"""``{name.with.dots}``: a dotted name in braces (a single word in braces is left as written)."""

WORLD = {
    "incidents.open": "incidents",
    "incidents.closed": "incidents",
    "people.trapped": "people",
    "people.rescued": "people",
    "people.lost": "people",
}
"""Quantities of every scenario: incidents known (detected) and not closed, closed; people still
trapped at known incidents, rescued, lost waiting."""


def available(s: Scenario) -> dict[str, str]:
    """Every quantity the scenario simulates, name → unit (what a message may quote)."""
    hz = s.hazards
    out: dict[str, str] = {}
    for rid in hz.rivers:
        out[f"river.{rid}.flow"] = "m³/s"
        out[f"river.{rid}.max_flow"] = "m³/s"
    for sid, series in hz.series.items():
        for station in series.stations:
            out[f"series.{sid}.{station}"] = series.unit
    for fid in hz.fires:
        out[f"fire.{fid}.area_ha"] = "ha"
    for qid in hz.quakes:
        out[f"quake.{qid}.collapsed"] = "buildings"
    out.update(WORLD)
    return out


FLOW_UNITS = ("m³/s", "m3/s", "立方米每秒", "立方米/秒", "方每秒")
"""How a message writes a river flow's unit."""

_ZH_RIVER_PREFIX = re.compile(r"^.+?[河江]")
_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"


class Stated:
    """A quantity as prose states it: words that name its place, then a number and its unit."""

    def __init__(self, name: str, places: tuple[str, ...], units: tuple[str, ...]) -> None:
        self.name = name
        self.places = tuple(sorted({p for p in places if len(p) >= 2}, key=len, reverse=True))
        unit = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
        self.pattern = re.compile(_NUMBER + r"\s*(?:" + unit + ")")


def _places(key: str, zh: str | None, en: str | None) -> list[str]:
    """Words that name a station in prose.

    Its id, its id without a ``-gauge``/``-station`` suffix, and its name without the river's name
    (``Yongding River at Lugouqiao`` → ``Lugouqiao``, 永定河卢沟桥 → 卢沟桥): a river's name alone
    names every station on it, so it would claim numbers of stations the scenario does not simulate.
    """
    out = [key, re.sub(r"-(gauge|station|monitor)$", "", key)]
    if en:
        out.append(en.rpartition(" at ")[2].strip())
    if zh:
        rest = _ZH_RIVER_PREFIX.sub("", zh).strip("()（）") or zh
        out.append(rest)
        out += re.findall(r"[（(]([^)）]+)[)）]", zh)
    return out


def stated(s: Scenario) -> list[Stated]:
    """The station-like quantities a message may state as a number (river gauges, series stations)."""
    out: list[Stated] = []
    for rid, river in s.hazards.rivers.items():
        out.append(Stated(f"river.{rid}.flow", tuple(_places(rid, river.name.zh, river.name.en)), FLOW_UNITS))
    for sid, series in s.hazards.series.items():
        for station_id, station in series.stations.items():
            name = station.name
            places = _places(station_id, name.zh if name else None, name.en if name else None)
            out.append(Stated(f"series.{sid}.{station_id}", tuple(places), (series.unit,)))
    return out


def placeholders(text: str) -> list[str]:
    """The quantity names quoted in ``text``, in order."""
    return PLACEHOLDER.findall(text)


def fill(text: str, values: dict[str, float]) -> str:
    """``text`` with each known placeholder replaced by its value (unknown ones left as written)."""

    def one(m: re.Match[str]) -> str:
        value = values.get(m.group(1))
        return m.group(0) if value is None else show(value)

    return PLACEHOLDER.sub(one, text)


def show(value: float) -> str:
    """A value as a message writes it: whole numbers with thousands separators, else one decimal."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 100 or float(value).is_integer():
        return f"{round(value):,}"
    return f"{value:,.1f}"


def locate(text: str, line: int, column: int, needle: str, *, span: int = 6) -> tuple[int, int]:
    """Where ``needle`` is written in ``text`` at or after ``(line, column)`` (1-based), within ``span`` lines.

    A message is one YAML scalar, located at its start; pointing at the placeholder itself (or at a
    number, for the lint) saves the author a search through a long line. Falls back to the scalar's
    own position when the scalar's source does not contain ``needle`` verbatim (escapes, folding).
    """
    lines = text.splitlines()
    for n in range(line - 1, min(len(lines), line - 1 + span)):
        start = column - 1 if n == line - 1 else 0
        at = lines[n].find(needle, start)
        if at >= 0:
            return n + 1, at + 1
    return line, column
