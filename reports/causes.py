"""Why a critical task fell short: the log's own timeline, broken into phases.

For the report's "analysis" (AAR) and "原因分析" (GB/T) columns. Rescue metrics split the time from
onset to rescue into detection, reporting up to the dispatch level, waiting for a free team, travel
and work; reporting metrics split late first reports by the hop that took longest; response metrics
split time to a level into "until the trigger was met" and "from trigger to declaration". Only the
items that cost the rating (the failing or worst observations) are analysed.
"""

from __future__ import annotations

from typing import Any

from drillsim.levels import ADMIN_NAMES_ZH
from drillsim.scoring.evidence import bad_first
from drillsim.scoring.text import Clock, Minutes, Text, bi
from drillsim.scoring.view import LogView

RESCUE_METRICS = (
    "time_to_first_on_scene",
    "rescue_completion_ratio",
    "people_rescued",
    "people_lost",
    "people_rescued_ratio",
)
REPORT_METRICS = ("first_report_latency", "report_on_time_ratio")
RESPONSE_METRICS = ("time_to_level", "trigger_to_activation")

PHASES: dict[str, tuple[Text, Text]] = {
    "detection": (
        {"en": "detection (onset to first detection)", "zh": "发现环节(事发至发现)"},
        {
            "en": "incidents were noticed late: more grid workers / disaster information officers, or "
            "faster patrols where they are thin",
            "zh": "事件发现不及时:需加强网格员、灾害信息员力量或加密巡查",
        },
    ),
    "reporting": (
        {"en": "reporting up to the dispatch level", "zh": "报送环节(发现至调度层级接报)"},
        {
            "en": "reports took long to reach the level that dispatches rescue",
            "zh": "信息报送到调度层级耗时过长",
        },
    ),
    "queue": (
        {"en": "waiting for a free team", "zh": "等待救援力量"},
        {
            "en": "too few free teams with the needed capability at peak demand",
            "zh": "高峰时段具备相应能力的空闲救援力量不足",
        },
    ),
    "travel": (
        {"en": "travel to the scene", "zh": "途中行进"},
        {
            "en": "teams were based far from where incidents happened, or roads were slow",
            "zh": "救援力量驻地距事发地较远或道路通行缓慢",
        },
    ),
    "work": (
        {"en": "work on scene", "zh": "现场处置"},
        {
            "en": "on-scene work took long (equipment, team size, difficult sites)",
            "zh": "现场处置耗时较长(装备、人员规模或现场条件所限)",
        },
    ),
}


def _failing(task: Any) -> list[Any]:
    """Observations that cost the rating: failing yes/no items, else the worst third (at least one)."""
    ordered = bad_first(task.observations, task.kind, task.better)
    if task.kind == "flag":
        bad = 0.0 if task.better == "higher" else 1.0
        return [o for o in ordered if o.value == bad]
    if task.kind == "fraction" and task.better == "higher":
        return [o for o in ordered if o.value < 1.0] or ordered[:1]
    return ordered[: max(1, len(ordered) // 3)]


def _first(view: LogView, kind: str, key: str = "subject") -> dict[str, float]:
    out: dict[str, float] = {}
    for r in view.kind(kind):
        k = getattr(r, key)
        if k is not None and k not in out:
            out[k] = float(r.t)
    return out


def rescue_phases(view: LogView, incidents: list[str]) -> dict[str, float]:
    """Mean minutes per phase (detection, reporting, queue, travel, work) over the given incidents."""
    onset = _first(view, "incident.occurred")
    marks = [
        onset,
        _first(view, "incident.detected"),
        _first(view, "rescue.queued"),
        _first(view, "team.dispatched"),
        _first(view, "team.on_scene"),
        _first(view, "rescue.completed"),
    ]
    names = list(PHASES)
    totals = dict.fromkeys(names, 0.0)
    counted = 0
    for inc in incidents:
        if inc not in onset:
            continue
        counted += 1
        prev = onset[inc]
        for name, mark in zip(names, marks[1:], strict=True):
            t = mark.get(inc)
            end = t if t is not None else view.horizon
            totals[name] += max(0.0, end - prev)
            if t is None:
                break
            prev = t
    return {k: v / counted for k, v in totals.items()} if counted else {}


def _rescue(view: LogView, task: Any) -> Text | None:
    incidents = []
    for o in _failing(task):
        inc = o.subject
        if inc in view.incidents and inc not in incidents:
            incidents.append(inc)
    phases = rescue_phases(view, incidents)
    total = sum(phases.values())
    if total <= 0:
        return None
    worst = max(phases, key=lambda k: phases[k])
    parts = sorted(phases.items(), key=lambda kv: -kv[1])
    listing = {
        lang: ("; " if lang == "en" else ";").join(
            f"{PHASES[k][0][lang]} {Minutes(v).render(lang)} ({v / total:.0%})" for k, v in parts if v > 0
        )
        for lang in ("en", "zh")
    }
    return bi(
        "Over the {n} incidents that cost the rating, the time from onset to rescue averaged {total}: "
        "{listing}. The largest share was {worst}: {cause}.",
        "影响评级的{n}起事件中,从事发到完成救援平均用时{total}:{listing}。用时最多的是{worst}:{cause}。",
        n=len(incidents),
        total=Minutes(total),
        listing=listing,
        worst=PHASES[worst][0],
        cause=PHASES[worst][1],
    )


def _initial(r: Any) -> bool:
    """A first report (首报): the reporting metrics rate these; updates and final reports come later."""
    return r.data.get("type", "initial") == "initial"


def _reporting(view: LogView, task: Any) -> Text | None:
    incidents = {o.subject for o in _failing(task)}
    # a hop starts when the sender is ready: a report held by an outage is sent after the hold
    sent: dict[tuple[str | None, str | None], tuple[float, float]] = {}
    for r in view.kind("report.sent"):
        if _initial(r):
            held = r.data.get("held")
            sent.setdefault((r.subject, r.actor), (float(r.t), float(held) if isinstance(held, int | float) else 0.0))
    hops: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for r in view.kind("report.received"):
        origin = r.data.get("from")
        start = sent.get((r.subject, origin))
        if r.subject in incidents and start is not None and _initial(r):
            key = (str(view.region_level(origin) or origin), str(view.region_level(r.actor) or r.actor))
            hops.setdefault(key, []).append((float(r.t) - start[0] + start[1], start[1]))
    detection = [
        float(r.data.get("delay") or 0) for r in view.kind("incident.detected") if r.subject in incidents
    ]
    if not hops:
        return None
    (frm_code, to_code), times = max(hops.items(), key=lambda kv: sum(t for t, _ in kv[1]) / len(kv[1]))
    frm, to = _level_words(frm_code, view), _level_words(to_code, view)
    total = sum(t for t, _ in times)
    mean = total / len(times)
    waiting = sum(h for _, h in times)
    if waiting > total / 2:
        text = bi(
            "The slowest hop for the late or slow reports was {frm} → {to} (mean {m} over {n} reports), "
            "mostly reports waiting at the {frm} level for communications to come back.",
            "迟报或慢报主要卡在{frm}→{to}环节(平均{m},共{n}份),主要是{frm}级通信中断、报告无法发出。",
            frm=frm,
            to=to,
            m=Minutes(mean),
            n=len(times),
        )
    else:
        text = bi(
            "The slowest hop for the late or slow reports was {frm} → {to} (mean {m} over {n} reports): "
            "processing at the {frm} level holds reports up.",
            "迟报或慢报主要卡在{frm}→{to}环节(平均{m},共{n}份):{frm}级接报处理耗时过长。",
            frm=frm,
            to=to,
            m=Minutes(mean),
            n=len(times),
        )
    held = [
        float(r.data["held"])
        for r in view.kind("report.sent")
        if r.subject in incidents and _initial(r) and isinstance(r.data.get("held"), int | float)
    ]
    if held:
        extra = bi(
            " Communications outages held {n} of these reports for {h} in all.",
            "其中{n}份报告因通信中断滞留,累计{h}。",
            n=len(held),
            h=Minutes(sum(held)),
        )
        text = {k: text[k] + extra[k] for k in text}
    if detection:
        det = sum(detection) / len(detection)
        extra = bi(
            " Detection itself took {d} on average (deadlines count from detection).",
            "事件发现平均用时{d}(时限自发现起算)。",
            d=Minutes(det),
        )
        text = {k: text[k] + extra[k] for k in text}
    return text


def _level_words(code: str, view: LogView) -> Text:
    """An administrative level (``township``) in both languages (乡镇); a region without a level by its name."""
    if code in ADMIN_NAMES_ZH:
        return {"en": code, "zh": ADMIN_NAMES_ZH[code]}
    return view.name(code)


def _response(view: LogView, task: Any) -> Text | None:
    triggers = view.kind("response.triggered")
    lines = []
    for o in _failing(task):
        agency = o.actor if o.seq is not None else (o.actor or o.subject)
        trig = next((r for r in triggers if r.actor == agency and (o.seq is None or r.seq < o.seq)), None)
        if trig is None:
            lines.append(
                bi(
                    "{ag}: no response rule fired for it (the trigger was never met, or no rule exists)",
                    "{ag}:未触发响应条件(条件未满足或未设定规则)",
                    ag=view.name(agency),
                )
            )
        else:
            end = o.t
            lines.append(
                bi(
                    "{ag}: trigger met at {t}, level declared {d} later",
                    "{ag}:{t}满足启动条件,{d}后启动响应",
                    ag=view.name(agency),
                    t=Clock(trig.t),
                    d=Minutes(max(0.0, end - trig.t)),
                )
            )
    if not lines:
        return None
    return {lang: "; ".join(line[lang] for line in lines[:3]) for lang in ("en", "zh")}


def analyse(view: LogView, task: Any) -> Text | None:
    """A cause analysis for a task rated below P, or None when the log offers none beyond the evidence."""
    if task.rating in (None, "P") or not task.observations:
        return None
    if task.metric in RESCUE_METRICS:
        return _rescue(view, task)
    if task.metric in REPORT_METRICS:
        return _reporting(view, task)
    if task.metric in RESPONSE_METRICS:
        return _response(view, task)
    return None
