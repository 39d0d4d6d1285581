"""Materials (物资保障): time to fill requests, and shortfalls.

Requests, deliveries and shortfalls are matched first-in first-out on ``(item, for)`` (``for``
defaults to the record's actor), so each request has at most one delivery and its shortfalls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drillsim.log import Record
from drillsim.scoring.observation import Observation, absent, observe
from drillsim.scoring.scope import ScopeFilter
from drillsim.scoring.spec import MetricSpec, T
from drillsim.scoring.text import Clock, Minutes, phrase
from drillsim.scoring.view import LogView


def _key(r: Record) -> tuple[str, str]:
    request = r.data.get("request")
    if request is not None:
        return "request", str(request)
    item = r.data.get("item") or r.subject or "?"
    return str(item), str(r.data.get("for") or r.actor)


def _in_scope(view: LogView, scope: ScopeFilter, r: Record) -> bool:
    who = r.data.get("for") or r.actor
    if scope.fields["agencies"]:
        return scope.agency(who) or scope.agency(r.actor)
    if scope.fields["regions"]:
        return scope.region(view.agency_region(who) or who) or scope.region(
            view.agency_region(r.actor) or r.actor
        )
    return True


def _qty(r: Record, field: str = "quantity") -> float:
    value = r.data.get(field)
    return float(value) if isinstance(value, int | float) else 0.0


def _match(view: LogView) -> list[tuple[Record, Record | None, list[Record]]]:
    """``(request, delivery or None, shortfalls)`` per request; unmatched records make their own rows.

    Records that carry a ``request`` id belong to that request (one served by several depots keeps
    its latest delivery). Otherwise a delivery fills the oldest undelivered request with the same
    ``(item, for)``, and a shortfall attaches to the oldest undelivered request (else the latest).
    Matched once per view (both metrics here read it).
    """
    result: list[tuple[Record, Record | None, list[Record]]] = view.memo("logistics.match", lambda: _matched(view))
    return result


def _matched(view: LogView) -> list[tuple[Record, Record | None, list[Record]]]:
    rows: list[list[Any]] = []
    waiting: dict[tuple[str, str], list[int]] = {}
    latest: dict[tuple[str, str], int] = {}
    for r in view.kind("material.requested", "material.delivered", "material.shortfall"):
        key = _key(r)
        queue = waiting.setdefault(key, [])
        if r.kind == "material.requested":
            rows.append([r, None, []])
            queue.append(len(rows) - 1)
            latest[key] = len(rows) - 1
        elif r.kind == "material.delivered":
            if key[0] == "request" and key in latest:
                rows[latest[key]][1] = r
                if queue:
                    queue.pop(0)
            elif queue:
                rows[queue.pop(0)][1] = r
            else:
                rows.append([r, r, []])
        else:
            idx = queue[0] if queue else latest.get(key)
            if idx is None:
                rows.append([r, None, [r]])
            else:
                rows[idx][2].append(r)
    return [(req, dlv, shorts) for req, dlv, shorts in rows]


def material_fill_time(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from request to delivery (``fill_time`` when logged); an open request is censored."""
    out: list[Observation] = []
    for req, dlv, shorts in _match(view):
        if req.kind == "material.shortfall" or not _in_scope(view, scope, req):
            continue
        item = req.data.get("item") or req.subject
        qty = _qty(req)
        names = {
            "item": view.name(item),
            "who": view.name(req.data.get("for") or req.actor),
            "q": f"{qty:g}" if qty else "",
            "xq": f"×{qty:g}" if qty else "",
        }
        if dlv is not None:
            fill = dlv.data.get("fill_time")
            value = float(fill) if req is dlv and isinstance(fill, int | float) else dlv.t - req.t
            out.append(
                observe(
                    dlv,
                    value,
                    phrase(
                        "{q} {item} for {who}: delivered {v} after the request",
                        "{who}申请的{item}{xq}:申请后{v}送达",
                        v=Minutes(value),
                        **names,
                    ),
                    refs=(req.seq,) if req is not dlv else (),
                )
            )
        elif not shorts or sum(_qty(s, "short") for s in shorts) < _qty(req):
            value = view.horizon - req.t
            out.append(
                absent(
                    view.horizon,
                    str(item),
                    value,
                    phrase(
                        "{q} {item} for {who}: requested at {at}, not delivered {v} later",
                        "{who}于{at}申请的{item}{xq}:{v}后仍未送达",
                        at=Clock(req.t),
                        v=Minutes(value),
                        **names,
                    ),
                    actor=req.actor,
                    refs=(req.seq,),
                )
            )
    return out


def material_shortfall(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Quantity short per request (0 when filled); ``sum`` is the total shortfall."""
    out: list[Observation] = []
    for req, _dlv, shorts in _match(view):
        if not _in_scope(view, scope, req):
            continue
        short = sum(_qty(s, "short") or _qty(s) for s in shorts)
        item = req.data.get("item") or req.subject
        names = {"item": view.name(item), "who": view.name(req.data.get("for") or req.actor), "s": f"{short:g}"}
        evidence = shorts[-1] if shorts else req
        text = (
            phrase("{item} for {who}: {s} short", "{who}申请的{item}:缺口{s}", **names)
            if short
            else phrase("{item} for {who}: filled", "{who}申请的{item}:已满足", **names)
        )
        out.append(observe(evidence, short, text, refs=tuple(s.seq for s in shorts if s is not evidence)))
    return out


SPECS = (
    MetricSpec(
        "material_fill_time",
        material_fill_time,
        T("Material fill time", "物资保障用时"),
        T("material requests", "物资申请"),
        T(
            "Pre-position reserves near the risk areas and pre-sign agreement reserves with shorter "
            "lead times.",
            "在风险区域附近前置储备物资,签订响应更快的协议储备。",
        ),
        T("no material was requested", "没有物资申请"),
    ),
    MetricSpec(
        "material_shortfall",
        material_shortfall,
        T("Material shortfall", "物资缺口"),
        T("material requests", "物资申请"),
        T(
            "Raise physical reserves of the items that ran short, and add agreement reserves with "
            "local suppliers.",
            "增加短缺物资的实物储备,与本地供应商签订协议储备。",
        ),
        T("no material was requested and no shortfall logged", "没有物资申请或缺口记录"),
    ),
)
