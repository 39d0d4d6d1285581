"""Operations beyond rescue: evacuations, shelters, fires, holds, deliveries, queue waits, and 1-3-5.

The grassroots 1-3-5 standard: respond in 1 minute, arrive in 3, handle in 5. Every metric here reads
the records of :mod:`drillsim.flows.operations` and the task flows; a task still open at the horizon
is observed from its ``task.unresolved`` record (or censored at the horizon).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from drillsim.log import Record
from drillsim.scoring.observation import Observation, absent, observe
from drillsim.scoring.scope import ScopeFilter
from drillsim.scoring.spec import MetricSpec, T
from drillsim.scoring.text import Minutes, Share, Text, phrase
from drillsim.scoring.view import LogView


def _num(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _task_name(view: LogView, r: Record) -> Any:
    """The incident by name; in English with the task's key when it is not the main task.

    Chinese text names no codes: the evidence sentence says what kind of task it is.
    """
    task = r.data.get("task")
    name = view.name(r.subject)
    if not task or task == "main":
        return name
    return {lang: text if lang == "zh" else f"{text}.{task}" for lang, text in name.items()}


def _ends(view: LogView, kinds: tuple[str, ...], ended: str) -> tuple[Sequence[Record], dict[tuple[Any, Any], Record]]:
    """Opening records of ``kinds`` and, per ``(incident, task)``, its ending record (``ended`` or unresolved)."""
    opened = view.kind(*kinds)
    out: dict[tuple[Any, Any], Record] = {}
    for r in view.kind(ended, "task.unresolved"):
        out.setdefault((r.subject, r.data.get("task")), r)
    return opened, out


# -- evacuation and shelters -----------------------------------------------------------------------


def evacuation_completion_time(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from the evacuation order to the last evacuee at a shelter; still going: censored."""
    ordered, ended = _ends(view, ("evacuation.ordered",), "evacuation.completed")
    out: list[Observation] = []
    for r in ordered:
        if not scope.incident(r.subject):
            continue
        end = ended.get((r.subject, r.data.get("task")))
        name = _task_name(view, r)
        if end is not None and end.kind == "evacuation.completed":
            value = _num(end.data.get("since_order"))
            out.append(observe(end, value, phrase("{e}: everyone out {v} after the order",
                                                  "{e}:转移令下达后{v}完成转移", e=name, v=Minutes(value)),
                               refs=(r.seq,)))
        else:
            value = view.horizon - r.t
            out.append(absent(view.horizon, r.subject, value, phrase(
                "{e}: evacuation still going {v} after the order", "{e}:转移令下达{v}后仍在转移", e=name,
                v=Minutes(value)), refs=(r.seq,)))
    return out


def evacuation_ratio(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Share of the people to move who reached a shelter (by the horizon), weighted by people."""
    ordered, ended = _ends(view, ("evacuation.ordered",), "evacuation.completed")
    out: list[Observation] = []
    for r in ordered:
        people = _num(r.data.get("people"))
        if people <= 0 or not scope.incident(r.subject):
            continue
        end = ended.get((r.subject, r.data.get("task")))
        moved = _num(end.data.get("evacuated")) if end is not None else 0.0
        share = min(1.0, moved / people)
        evidence = end if end is not None else r
        text = phrase("{e}: {m:g} of {p:g} people moved ({s})", "{e}:{p:g}人中已转移{m:g}人({s})",
                  e=_task_name(view, r), m=moved, p=people, s=Share(share))
        out.append(observe(evidence, share, text,
                           weight=people, refs=(r.seq,)))
    return out


def shelter_overflow(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """People who reached a full shelter, per shelter (0 for a shelter that never overflowed)."""
    shelters = view.definition.get("shelters") or {}
    over: dict[str, float] = {}
    last: dict[str, Record] = {}
    for r in view.kind("shelter.overflow", "shelter.occupancy"):
        key = str(r.actor)
        if r.kind == "shelter.overflow":
            over[key] = over.get(key, 0.0) + _num(r.data.get("people"))
        last[key] = r
    out: list[Observation] = []
    for key, spec in shelters.items():
        region = spec.get("region") if isinstance(spec, dict) else None
        if not scope.region(region):
            continue
        people = over.get(key, 0.0)
        text = phrase("{s}: {n:g} evacuees found no place", "{s}:{n:g}名转移群众无处安置", s=view.name(key), n=people)
        rec = last.get(key)
        out.append(observe(rec, people, text) if rec is not None else absent(view.horizon, key, 0.0, text,
                                                                             censored=False))
    return out


# -- fires --------------------------------------------------------------------------------------------


def _fires(view: LogView, scope: ScopeFilter) -> list[tuple[str, Any, Record]]:
    """``(fire key, task, onset record)`` for every site fire and forest fire in scope."""
    out: list[tuple[str, Any, Record]] = []
    for r in view.kind("incident.occurred"):
        tasks = r.data.get("tasks") or {}
        for tid, kind in (tasks.items() if isinstance(tasks, dict) else ()):
            if kind == "suppress" and scope.incident(r.subject):
                out.append((f"{r.subject}.{tid}", tid, r))
    seen: set[str] = set()
    for r in view.kind("fire.state", "fire.contained"):
        if r.actor is not None and r.actor not in seen and scope.hazard(r.actor):
            seen.add(r.actor)
            first = next((x for x in view.kind("incident.occurred") if x.data.get("source") == r.actor), None)
            if first is not None:
                out.append((r.actor, None, first))
    return out


def time_to_control(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from a fire's start to control (a site fire) or containment (a forest fire); else censored."""
    controlled = {(r.subject, r.data.get("task")): r for r in view.kind("suppression.controlled")}
    contained = {r.actor: r for r in view.kind("fire.contained")}
    out: list[Observation] = []
    for key, tid, onset in _fires(view, scope):
        done = controlled.get((onset.subject, tid)) if tid is not None else contained.get(key)
        name = view.name(onset.subject) if tid is not None else {"en": key, "zh": key}
        if done is not None:
            value = done.t - onset.t
            out.append(observe(done, value, phrase("{f}: under control {v} after it started", "{f}:起火后{v}得到控制",
                                               f=name, v=Minutes(value)), refs=(onset.seq,)))
        else:
            value = view.horizon - onset.t
            out.append(absent(view.horizon, key, value, phrase("{f}: not under control {v} after it started",
                                                           "{f}:起火{v}后仍未控制", f=name, v=Minutes(value)),
                              refs=(onset.seq,)))
    return out


def area_burned(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Hectares burned by each fire by its end (or the horizon)."""
    last: dict[Any, Record] = {}
    for r in view.kind("suppression.state", "suppression.controlled", "suppression.extinguished", "task.unresolved"):
        if r.kind != "task.unresolved" or r.data.get("kind") == "suppress":
            last[(r.subject, r.data.get("task"))] = r
    for r in view.kind("fire.state", "fire.contained", "fire.extinguished"):
        last[r.actor] = r
    out: list[Observation] = []
    for key, tid, onset in _fires(view, scope):
        rec = last.get((onset.subject, tid)) if tid is not None else last.get(key)
        if rec is None:
            continue
        value = _num(rec.data.get("area_ha"))
        name = view.name(onset.subject) if tid is not None else {"en": key, "zh": key}
        out.append(observe(rec, value, phrase("{f}: {a:,.2f} ha burned", "{f}:过火{a:,.2f}公顷", f=name, a=value)))
    return out


# -- holds, deliveries, the queue ---------------------------------------------------------------------


def hold_coverage(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Share of a cordon's, post's or guard's time (from the order to its end) that it was at full strength."""
    queued = {(r.subject, r.data.get("task")): r for r in view.kind("task.queued")
              if r.data.get("kind") in ("cordon", "monitor", "guard")}
    out: list[Observation] = []
    ended: dict[tuple[Any, Any], Record] = {}
    for r in view.kind("task.completed", "task.unresolved"):
        ended.setdefault((r.subject, r.data.get("task")), r)
    # a hold still open (scored while the exercise runs): its time at full strength so far, from the
    # task.held transitions, so the live scorecard does not rate a cordon held all along as not held
    held: dict[tuple[Any, Any], float] = {}
    since: dict[tuple[Any, Any], float] = {}
    for r in view.kind("task.held"):
        key = (r.subject, r.data.get("task"))
        if r.data.get("full"):
            since.setdefault(key, r.t)
        elif key in since:
            held[key] = held.get(key, 0.0) + r.t - since.pop(key)
    for key, t0 in since.items():
        held[key] = held.get(key, 0.0) + view.horizon - t0
    for key, q in queued.items():
        if not scope.incident(q.subject) or not scope.task_kind(q.data.get("kind")):
            continue
        end = ended.get(key)
        span = (end.t if end is not None else view.horizon) - q.t
        full = _num(end.data.get("full")) if end is not None else held.get(key, 0.0)
        share = min(1.0, full / span) if span > 0 else 1.0
        out.append(observe(end or q, share, phrase("{e}: at full strength {s} of the time", "{e}:力量到位时间占{s}",
                                               e=_task_name(view, q), s=Share(share)), weight=max(span, 1.0)))
    return out


def supply_delivered_ratio(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Share of each supply task's quantity delivered, weighted by the quantity."""
    delivered: dict[tuple[Any, Any], float] = {}
    for r in view.kind("supply.delivered"):
        key = (r.subject, r.data.get("task"))
        delivered[key] = delivered.get(key, 0.0) + _num(r.data.get("quantity"))
    out: list[Observation] = []
    for q in view.kind("task.queued"):
        quantity = _num(q.data.get("quantity"))
        if q.data.get("kind") != "supply" or quantity <= 0 or not scope.incident(q.subject):
            continue
        got = delivered.get((q.subject, q.data.get("task")), 0.0)
        share = min(1.0, got / quantity)
        out.append(observe(q, share, phrase("{e}: {g:g} of {q:g} {i} delivered", "{e}:{i}已送达{g:g}/{q:g}",
                                        e=_task_name(view, q), g=got, q=quantity,
                                        i=view.name(q.data["item"]) if q.data.get("item") else ""),
                           weight=quantity))
    return out


def dispatch_wait(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes a task waited in the dispatch queue for its first team; never sent: censored at the horizon."""
    first: dict[tuple[Any, Any], Record] = {}
    for r in view.kind("team.dispatched"):
        if not r.data.get("first_response"):
            first.setdefault((r.subject, r.data.get("task")), r)
    out: list[Observation] = []
    for q in view.kind("rescue.queued", "task.queued"):
        kind = "rescue" if q.kind == "rescue.queued" else q.data.get("kind")
        if not scope.incident(q.subject) or not scope.task_kind(kind):
            continue
        sent = first.get((q.subject, q.data.get("task") if q.kind == "task.queued" and q.data.get("task") != "main"
                          else None))
        name = _task_name(view, q)
        if sent is not None:
            value = sent.t - q.t
            text = phrase("{e}: first team sent {v} after it was queued", "{e}:排队{v}后派出首支队伍", e=name,
                      v=Minutes(value))
            out.append(observe(sent, value, text, refs=(q.seq,)))
        else:
            value = view.horizon - q.t
            out.append(absent(view.horizon, q.subject, value, phrase("{e}: no team sent {v} after it was queued",
                                                                 "{e}:排队{v}后仍无队伍派出", e=name, v=Minutes(value)),
                              refs=(q.seq,)))
    return out


def task_completion_time(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from the incident's onset to the end of each of its tasks; still open: censored at the horizon.

    The onset, not the queueing, because what the world feels is how long the leak ran or the road stayed
    cut, however late the task was noticed. Hold tasks end when their ``until`` trigger fires.
    """
    ended: dict[tuple[Any, Any], Record] = {}
    for r in view.kind("task.completed", "task.unresolved"):
        ended.setdefault((r.subject, r.data.get("task")), r)
    out: list[Observation] = []
    seen: set[tuple[Any, Any]] = set()
    for q in view.kind("task.queued"):
        key = (q.subject, q.data.get("task"))
        if key in seen or not scope.incident(q.subject) or not scope.task_kind(q.data.get("kind")):
            continue
        seen.add(key)
        occurred = view.incidents.get(q.subject)
        onset = occurred.t if occurred is not None else q.t
        end = ended.get(key)
        name = _task_name(view, q)
        if end is not None and end.kind == "task.completed":
            value = end.t - onset
            out.append(observe(end, value, phrase("{e}: done {v} after the onset", "{e}:事发后{v}完成",
                                              e=name, v=Minutes(value)), refs=(q.seq,)))
        else:
            value = view.horizon - onset
            out.append(absent(view.horizon, q.subject, value, phrase(
                "{e}: still not done {v} after the onset", "{e}:事发{v}后仍未完成", e=name, v=Minutes(value)),
                refs=(q.seq,)))
    return out


# -- series hazards -------------------------------------------------------------------------------------


def _thresholds(view: LogView) -> list[tuple[str, str, str | None, Text]]:
    """``(series, threshold, region, name)`` of every threshold defined in the scenario, in definition order."""
    series = (view.definition.get("hazards") or {}).get("series") or {}
    out: list[tuple[str, str, str | None, Text]] = []
    for key, spec in series.items() if isinstance(series, dict) else ():
        stations = spec.get("stations") or {}
        for tid, th in (spec.get("thresholds") or {}).items():
            th = th if isinstance(th, dict) else {}
            station = stations.get(th.get("station"))
            named = th.get("name")
            name = named if isinstance(named, dict) else {"en": str(named or tid), "zh": str(named or tid)}
            out.append((key, tid, station.get("region") if isinstance(station, dict) else None, name))
    return out


def threshold_exceedance_time(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes each series threshold was exceeded, crossing to clearing, summed over its spells.

    Still exceeded at the end: until the horizon, censored. Never crossed: 0, not censored, because a plume
    kept below the village's limit is a result, not missing data.
    """
    spells: dict[tuple[str, str], list[Record]] = {}
    for r in view.kind("hazard.threshold", "hazard.cleared"):
        spells.setdefault((str(r.actor), str(r.subject)), []).append(r)
    out: list[Observation] = []
    for key, tid, region, name in _thresholds(view):
        if not scope.hazard(key) or not scope.region(region):
            continue
        total, since, last = 0.0, None, None
        for r in spells.get((key, tid), ()):
            if r.kind == "hazard.threshold" and since is None:
                since = r.t
            elif r.kind == "hazard.cleared" and since is not None:
                total, since = total + r.t - since, None
            last = r
        if since is not None:
            total += view.horizon - since
            out.append(absent(view.horizon, tid, total, phrase("{e}: still exceeded at the end, {v} in all",
                                                           "{e}:推演结束时仍超限,累计{v}", e=name,
                                                           v=Minutes(total)), actor=key))
        elif last is not None:
            out.append(observe(last, total, phrase("{e}: exceeded for {v}", "{e}:超限{v}", e=name, v=Minutes(total))))
        else:
            out.append(absent(view.horizon, tid, 0.0, phrase("{e}: never exceeded", "{e}:未超限", e=name),
                              actor=key, censored=False))
    return out


# -- 1-3-5 ----------------------------------------------------------------------------------------------


def _first_responses(view: LogView, scope: ScopeFilter) -> list[tuple[Record, Record | None, Record | None,
                                                                      Record | None]]:
    """``(dispatched, on scene, started, completed)`` of each station's first response in scope."""
    out = []
    rest = {k: {(r.actor, r.subject): r for r in view.kind(k)} for k in ("team.on_scene", "rescue.started",
                                                                         "rescue.completed")}
    for d in view.kind("team.dispatched"):
        if d.data.get("first_response") and scope.team(d.actor) and scope.incident(d.subject):
            key = (d.actor, d.subject)
            out.append((d, rest["team.on_scene"].get(key), rest["rescue.started"].get(key),
                        rest["rescue.completed"].get(key)))
    return out


def _part(view: LogView, scope: ScopeFilter, part: str) -> list[Observation]:
    out: list[Observation] = []
    words = {"respond": ("responded in {v}", "{v}内响应"), "arrive": ("arrived {v} after setting out", "出发后{v}到达"),
             "handle": ("handled in {v}", "{v}内完成先期处置")}
    for d, scene, start, done in _first_responses(view, scope):
        respond = _num(d.data.get("respond"))
        if part == "respond":
            rec, value = d, respond
        elif part == "arrive":
            if scene is None:
                continue
            rec, value = scene, max(0.0, scene.t - d.t - respond)
        else:
            if start is None or done is None:
                continue
            rec, value = done, done.t - start.t
        en, zh = words[part]
        out.append(observe(rec, value, phrase("{s} at {e}: " + en, "{s}赴{e}:" + zh, s=view.name(d.actor),
                                          e=view.name(d.subject), v=Minutes(value))))
    return out


def first_response_respond(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from detection to a station setting out (the "1" of 1-3-5)."""
    return _part(view, scope, "respond")


def first_response_arrive(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from setting out to arriving at the scene (the "3" of 1-3-5)."""
    return _part(view, scope, "arrive")


def first_response_handle(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes of first handling at the scene (the "5" of 1-3-5)."""
    return _part(view, scope, "handle")


_NO_EVAC = T("no evacuation was ordered in the scope", "考核范围内没有下达转移令")
_NO_FIRE = T("no fire burned in the scope", "考核范围内没有火灾")
_NO_STATION = T("no station made a first response in the scope", "考核范围内没有基层站点先期处置")

SPECS = (
    MetricSpec("evacuation_completion_time", evacuation_completion_time, T("Evacuation time", "转移用时"),
               T("evacuations", "转移任务"),
               T("Pre-assign transport and escorts to each evacuation zone and rehearse the order chain.",
                 "为各转移片区预先落实车辆和引导人员,演练转移指令传达链条。"), _NO_EVAC),
    MetricSpec("evacuation_ratio", evacuation_ratio, T("People evacuated", "转移完成率"), T("evacuations", "转移任务"),
               T("Start evacuations earlier and add transport so everyone is out before the hazard arrives.",
                 "提前下达转移令、增加运力,确保险情到来前应转尽转。"), _NO_EVAC),
    MetricSpec("shelter_overflow", shelter_overflow, T("Shelter overflow", "安置点超员"), T("shelters", "安置点"),
               T("Open more shelter places (schools, gyms) before ordering evacuations into a full shelter.",
                 "转移前增设安置场所(学校、体育馆),避免安置点超员。"),
               T("the scenario has no shelters in the scope", "考核范围内没有安置点")),
    MetricSpec("time_to_control", time_to_control, T("Time to control", "控制火势用时"), T("fires", "火场"),
               T("Send every line a fire needs at once (cooling and covering side by side).",
                 "一次性调足各类灭火力量(冷却与覆盖同时进行)。"), _NO_FIRE),
    MetricSpec("area_burned", area_burned, T("Area burned", "过火面积"), T("fires", "火场"),
               T("Control fires sooner: earlier dispatch and full strength on every line.",
                 "提前出动、各作业面力量到位,尽早控制火势。"), _NO_FIRE),
    MetricSpec("hold_coverage", hold_coverage, T("Cordons held", "警戒值守到位率"),
               T("cordons and posts", "警戒监测点位"),
               T("Assign cordon and monitoring teams when the order is given, not after the scene asks.",
                 "下达指令时即落实警戒和监测力量。"),
               T("no cordon, post or guard in the scope", "考核范围内没有警戒监测任务")),
    MetricSpec("supply_delivered_ratio", supply_delivered_ratio, T("Supplies delivered", "物资送达率"),
               T("deliveries", "物资运送任务"),
               T("Pre-position stock and transport for isolated places; arrange agreement reserves.",
                 "为孤立点位预置物资和运力,落实协议储备。"),
               T("no delivery in the scope", "考核范围内没有物资运送任务")),
    MetricSpec("dispatch_wait", dispatch_wait, T("Dispatch queue wait", "派遣排队时间"), T("tasks", "任务"),
               T("Add teams or registered social forces for peak demand; clear the queue by priority.",
                 "高峰期增加队伍或已报备的社会应急力量,按优先级消化待派任务。"),
               T("no task entered the dispatch queue in the scope", "考核范围内没有任务进入派遣队列")),
    MetricSpec("task_completion_time", task_completion_time, T("Task completion time", "任务完成用时"),
               T("tasks", "任务"),
               T("Send every line a task needs at once and name who ends each hold, so the work is finished early.",
                 "一次性调足任务所需各类力量,明确警戒监测的解除条件,尽早完成处置。"),
               T("no task in the scope", "考核范围内没有处置任务")),
    MetricSpec("threshold_exceedance_time", threshold_exceedance_time, T("Time over a threshold", "超限时长"),
               T("thresholds", "监测阈值"),
               T("Stop the source sooner and move people before the plume or water reaches their limit.",
                 "尽早控制泄漏源,在浓度或水位超限前完成人员转移。"),
               T("the scenario defines no threshold in the scope", "考核范围内没有监测阈值")),
    MetricSpec("first_response_respond", first_response_respond, T("1-3-5: respond", "1-3-5:响应"),
               T("first responses", "先期处置"),
               T("Keep station duty staff at the phone and kit ready (1 minute to respond).",
                 "站点值守人员坚守岗位、装备随时待命(1分钟响应)。"), _NO_STATION),
    MetricSpec("first_response_arrive", first_response_arrive, T("1-3-5: arrive", "1-3-5:到场"),
               T("first responses", "先期处置"),
               T("Place stations and micro fire stations within 3 minutes of their area.",
                 "合理布设站点和微型消防站,确保3分钟到场。"), _NO_STATION),
    MetricSpec("first_response_handle", first_response_handle, T("1-3-5: handle", "1-3-5:处置"),
               T("first responses", "先期处置"),
               T("Drill first handling so the scene is stabilised within 5 minutes.",
                 "加强先期处置演练,5分钟内稳控现场。"),
               _NO_STATION),
)
