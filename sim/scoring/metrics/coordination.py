"""Social emergency forces (报备登记) and cross-region coordination (火情通报, 会商研判)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drillsim.log import Record
from drillsim.scoring.observation import Observation, absent, observe
from drillsim.scoring.scope import ScopeFilter
from drillsim.scoring.spec import MetricSpec, T
from drillsim.scoring.text import Clock, Minutes, phrase
from drillsim.scoring.view import LogView


def registration_wait(view: LogView, scope: ScopeFilter, params: Mapping[str, Any]) -> list[Observation]:
    """Minutes from a team's arrival at the coordination desk to its registration.

    Uses ``team.registered``'s ``wait`` (else the time since ``team.arrived``). A team refused for now
    (e.g. until it files an invitation letter) keeps waiting until it registers; a team still
    unregistered at the horizon is censored; one that gave up after a refusal, or deployed itself
    without going to the desk (``self_deployed``), is left out.
    """
    arrived: dict[str, Record] = {}
    for r in view.kind("team.arrived"):
        if r.actor is not None and not r.data.get("self_deployed"):
            arrived.setdefault(r.actor, r)
    gave_up = {r.subject for r in view.kind("team.refused") if r.data.get("gave_up")}
    registered: set[str] = set()
    out: list[Observation] = []
    for r in view.kind("team.registered"):
        team = r.subject
        if team is None or team in registered or not scope.team(team):
            continue
        registered.add(team)
        wait = r.data.get("wait")
        if not isinstance(wait, int | float):
            wait = r.t - arrived[team].t if team in arrived else 0.0
        text = phrase(
            "{team}: registered {w} after arrival",
            "{team}:到达后{w}完成报备登记",
            team=view.name(team),
            w=Minutes(float(wait)),
        )
        out.append(observe(r, float(wait), text, refs=(arrived[team].seq,) if team in arrived else ()))
    for team, arr in arrived.items():
        if team in registered or team in gave_up or not scope.team(team):
            continue
        wait = view.horizon - arr.t
        text = phrase(
            "{team}: arrived at {at}, still not registered {w} later",
            "{team}:{at}到达,{w}后仍未完成报备登记",
            team=view.name(team),
            at=Clock(arr.t),
            w=Minutes(wait),
        )
        out.append(absent(view.horizon, team, wait, text, actor=team, refs=(arr.seq,)))
    return out


def untasked_registered_teams(
    view: LogView, scope: ScopeFilter, params: Mapping[str, Any]
) -> list[Observation]:
    """1 per registered team never tasked or dispatched after registering (by the horizon), else 0."""
    tasked: dict[str | None, Record] = {}
    for r in view.kind("team.tasked", "team.dispatched"):
        team = r.subject if r.kind == "team.tasked" else r.actor
        if team is not None:
            tasked.setdefault(team, r)
    registered: dict[str | None, Record] = {}
    for r in view.kind("team.registered"):
        registered.setdefault(r.subject, r)
    out: list[Observation] = []
    for team, reg in registered.items():
        if not scope.team(team):
            continue
        task = tasked.get(team)
        if task is not None and task.t >= reg.t:
            out.append(
                observe(
                    task,
                    0.0,
                    phrase(
                        "{team}: registered at {r}, tasked at {at}",
                        "{team}:{r}登记,{at}受领任务",
                        team=view.name(team),
                        r=Clock(reg.t),
                        at=Clock(task.t),
                    ),
                    refs=(reg.seq,),
                )
            )
        else:
            idle = view.horizon - reg.t
            out.append(
                observe(
                    reg,
                    1.0,
                    phrase(
                        "{team}: registered at {r}, no task {w} later",
                        "{team}:{r}登记,{w}后仍未受领任务",
                        team=view.name(team),
                        r=Clock(reg.t),
                        w=Minutes(idle),
                    ),
                )
            )
    return out


def _border_scope(scope: ScopeFilter, *agencies: Any) -> bool:
    names = scope.fields["agencies"]
    return not names or any(a in names for a in agencies if isinstance(a, str))


def border_notification_delay(
    view: LogView, scope: ScopeFilter, params: Mapping[str, Any]
) -> list[Observation]:
    """``delay`` of each border notification (火情通报); a border crossing never notified is censored."""
    out: list[Observation] = []
    notified: set[str] = set()
    for r in view.kind("border.notified"):
        hazard = r.data.get("hazard") or r.data.get("incident")
        if hazard is not None:
            notified.add(str(hazard))
        if not (_border_scope(scope, r.actor, r.subject) and scope.hazard(r.data.get("hazard"))):
            continue
        delay = r.data.get("delay")
        delay = float(delay) if isinstance(delay, int | float) else 0.0
        due = r.data.get("due")
        late = isinstance(due, int | float) and r.t > due + 1e-6
        out.append(
            observe(
                r,
                delay,
                phrase(
                    "{a} notified {b} {d} after the trigger{late}",
                    "{a}向{b}通报火情,用时{d}{late}",
                    a=view.name(r.actor),
                    b=view.name(r.subject),
                    d=Minutes(delay),
                    late={"en": " (after its deadline)", "zh": "(超过时限)"} if late else "",
                ),
            )
        )
    for r in view.kind("fire.crossed"):
        hazard = r.actor
        if hazard in notified or not scope.hazard(hazard):
            continue
        notified.add(str(hazard))
        wait = view.horizon - r.t
        out.append(
            absent(
                view.horizon,
                hazard,
                wait,
                phrase(
                    "{h} crossed from {a} into {b} at {at}; no border notification {w} later",
                    "{h}于{at}由{a}蔓延至{b},{w}后仍未通报",
                    h=view.name(hazard),
                    a=view.name(r.data.get("from")),
                    b=view.name(r.data.get("to") or r.subject),
                    at=Clock(r.t),
                    w=Minutes(wait),
                ),
                refs=(r.seq,),
            )
        )
    return out


def joint_consultation_held(
    view: LogView, scope: ScopeFilter, params: Mapping[str, Any]
) -> list[Observation]:
    """1 per border notification followed by a joint consultation (会商研判) with either side, else 0.

    Without notifications, each consultation held counts as 1 (so ``count`` is the number held).
    """
    consults = view.kind("border.consulted")
    out: list[Observation] = []
    notices = [r for r in view.kind("border.notified") if _border_scope(scope, r.actor, r.subject)]
    for n in notices:
        sides = {n.actor, n.subject}
        held = next(
            (
                c
                for c in consults
                if c.seq > n.seq and (c.actor in sides or sides & set(c.data.get("participants") or ()))
            ),
            None,
        )
        names = {"a": view.name(n.actor), "b": view.name(n.subject), "at": Clock(n.t)}
        if held is not None:
            out.append(
                observe(
                    held,
                    1.0,
                    phrase(
                        "{a} → {b} notice at {at}: joint consultation at {c}",
                        "{at}{a}向{b}通报后,于{c}开展会商研判",
                        c=Clock(held.t),
                        **names,
                    ),
                    refs=(n.seq,),
                )
            )
        else:
            out.append(
                observe(
                    n,
                    0.0,
                    phrase(
                        "{a} → {b} notice at {at}: no joint consultation by {end}",
                        "{at}{a}向{b}通报后,截至{end}未开展会商研判",
                        end=Clock(view.horizon),
                        **names,
                    ),
                )
            )
    if not notices:
        for c in consults:
            if _border_scope(scope, c.actor, *(c.data.get("participants") or ())):
                out.append(
                    observe(
                        c,
                        1.0,
                        phrase(
                            "{a} convened a joint consultation at {at}",
                            "{a}于{at}召集会商研判",
                            a=view.name(c.actor),
                            at=Clock(c.t),
                        ),
                    )
                )
    return out


SPECS = (
    MetricSpec(
        "registration_wait",
        registration_wait,
        T("Registration wait", "报备登记等待"),
        T("arriving teams", "到达队伍"),
        T(
            "Add registration desks or online pre-registration for social emergency forces at peak "
            "arrival times.",
            "在队伍集中到达时段增设报备登记窗口,推行社会应急力量线上预先报备。",
        ),
        T("no team arrived at a coordination desk", "没有队伍到达现场协调机制报到"),
    ),
    MetricSpec(
        "untasked_registered_teams",
        untasked_registered_teams,
        T("Registered teams left untasked", "登记后未派任务队伍"),
        T("registered teams", "已登记队伍"),
        T(
            "Match registered teams to tasks by capability and zone as soon as they register.",
            "队伍登记后按能力和区域及时匹配任务。",
        ),
        T("no team registered", "没有队伍完成报备登记"),
        yes=T("left untasked", "未派任务"),
        no=T("tasked", "已派任务"),
    ),
    MetricSpec(
        "border_notification_delay",
        border_notification_delay,
        T("Border notification delay", "跨界火情通报用时"),
        T("border notifications", "跨界通报"),
        T(
            "Agree a cross-border notification protocol with neighbouring command centres (contacts, trigger "
            "distance, deadline) and drill it.",
            "与相邻地区指挥中心建立火情通报机制(联系人、触发距离、时限)并开展演练。",
        ),
        T("no border notification was made and no fire crossed a border", "没有跨界通报,也没有火情越界"),
    ),
    MetricSpec(
        "joint_consultation_held",
        joint_consultation_held,
        T("Joint consultation held", "联合会商研判"),
        T("border notices", "跨界通报"),
        T(
            "Convene joint consultation (会商研判) with the neighbouring region after every border notice.",
            "每次跨界通报后及时与相邻地区开展联合会商研判。",
        ),
        T("no border notification or consultation in the log", "日志中没有跨界通报或会商记录"),
        yes=T("followed by a consultation", "已会商"),
        no=T("without consultation", "未会商"),
    ),
)
