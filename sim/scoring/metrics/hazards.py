"""Hazards: time to contain a fire, time to clear a flood."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drillsim.scoring.observation import Observation, absent, observe
from drillsim.scoring.scope import ScopeFilter
from drillsim.scoring.spec import MetricSpec, T
from drillsim.scoring.text import Clock, Minutes, phrase
from drillsim.scoring.view import LogView

FIRE_KINDS = ("fire.state", "fire.crossed", "fire.contained", "fire.extinguished")


def _hazard_onsets(view: LogView) -> dict[str, float]:
    """The first incident each hazard caused (``incident.occurred`` with ``source`` = hazard id)."""
    out: dict[str, float] = {}
    for r in view.kind("incident.occurred"):
        source = r.data.get("source")
        if isinstance(source, str):
            out.setdefault(source, float(r.t))
    return out


def time_to_contain(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from a fire's start to ``fire.contained`` (else ``fire.extinguished``).

    The start is the fire's first record or the first incident it caused; a fire not contained by
    the horizon is censored.
    """
    onsets = _hazard_onsets(view)
    first: dict[str, float] = {}
    done: dict[str, Any] = {}
    for r in view.kind(*FIRE_KINDS):
        hazard = r.actor
        if hazard is None:
            continue
        first.setdefault(hazard, float(r.t))
        if r.kind in ("fire.contained", "fire.extinguished") and hazard not in done:
            done[hazard] = r
    out: list[Observation] = []
    for hazard, t0 in first.items():
        if not scope.hazard(hazard):
            continue
        origin = min(t0, onsets.get(hazard, t0))
        rec = done.get(hazard)
        if rec is not None:
            value = rec.t - origin
            verb = (
                {"en": "contained", "zh": "得到控制"}
                if rec.kind == "fire.contained"
                else {"en": "extinguished", "zh": "被扑灭"}
            )
            area = rec.data.get("area_ha")
            out.append(
                observe(
                    rec,
                    value,
                    phrase(
                        "{h}: {verb} at {at}, {v} after it started{a}",
                        "{h}:{at}{verb},距起火{v}{a}",
                        h=view.name(hazard),
                        verb=verb,
                        at=Clock(rec.t),
                        v=Minutes(value),
                        a={"en": f" ({area:g} ha burned)", "zh": f"(过火{area:g}公顷)"}
                        if isinstance(area, int | float)
                        else "",
                    ),
                )
            )
        else:
            value = view.horizon - origin
            out.append(
                absent(
                    view.horizon,
                    hazard,
                    value,
                    phrase(
                        "{h}: not contained {v} after it started",
                        "{h}:起火{v}后仍未得到控制",
                        h=view.name(hazard),
                        v=Minutes(value),
                    ),
                    actor=hazard,
                )
            )
    return out


def time_to_clear(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from the first incident in a flooded region to its ``flood.cleared`` record.

    Flood areas are the regions named by ``flood.cleared``, plus the regions of incidents caused by a
    hazard that clears somewhere in the log (those not cleared by the horizon are censored).
    """
    cleared: dict[tuple[str, str], Any] = {}
    for r in view.kind("flood.cleared"):
        if r.actor is not None and r.subject is not None:
            cleared.setdefault((r.actor, r.subject), r)
    flood_hazards = {h for h, _ in cleared}
    areas: dict[tuple[str, str], float] = {}
    for r in view.kind("incident.occurred"):
        source, region = r.data.get("source"), r.data.get("region")
        if source in flood_hazards and isinstance(region, str):
            key = next(
                ((source, a) for a in view.ancestors(region) if (source, a) in cleared), (source, region)
            )
            areas.setdefault(key, float(r.t))
    for key in cleared:
        areas.setdefault(key, 0.0)
    out: list[Observation] = []
    for (hazard, region), t0 in areas.items():
        if not (scope.hazard(hazard) and scope.region(region)):
            continue
        rec = cleared.get((hazard, region))
        names = {"h": view.name(hazard), "reg": view.name(region)}
        if rec is not None:
            value = max(0.0, rec.t - t0)
            out.append(
                observe(
                    rec,
                    value,
                    phrase(
                        "{reg}: cleared of {h} at {at}, {v} after its first incident",
                        "{reg}:{at}{h}积水消退,距首起事件{v}",
                        at=Clock(rec.t),
                        v=Minutes(value),
                        **names,
                    ),
                )
            )
        else:
            value = view.horizon - t0
            out.append(
                absent(
                    view.horizon,
                    region,
                    value,
                    phrase(
                        "{reg}: {h} not cleared {v} after its first incident",
                        "{reg}:首起事件{v}后{h}积水仍未消退",
                        v=Minutes(value),
                        **names,
                    ),
                    actor=hazard,
                )
            )
    return out


SPECS = (
    MetricSpec(
        "time_to_contain",
        time_to_contain,
        T("Time to contain fire", "火情控制用时"),
        T("fires", "火场"),
        T(
            "Commit enough crews early and build control lines before the wind shifts; pre-plan cross-border "
            "crews.",
            "早期投入足够扑火力量,在风向变化前开设隔离带,预先安排跨界扑火力量。",
        ),
        T("no fire in the log", "日志中没有火情"),
    ),
    MetricSpec(
        "time_to_clear",
        time_to_clear,
        T("Time to clear flooding", "积水消退用时"),
        T("flooded areas", "受淹区域"),
        T(
            "Pre-position pumps and drainage crews in low-lying areas; clear drainage before the rain.",
            "在低洼地区前置排涝设备和队伍,雨前疏通排水设施。",
        ),
        T(
            "no flood.cleared records: the scenario does not model when flooding clears",
            "没有 flood.cleared 记录:情景未模拟积水消退",
        ),
    ),
)
