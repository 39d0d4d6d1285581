"""What every report form says, computed once from the log and the scorecard.

The AAR (:mod:`drillsim.reports.aar`) and the GB/T evaluation report (:mod:`drillsim.reports.gbt`) lay the same facts
out differently: overview, key numbers, strengths, areas for improvement, the improvement plan,
evaluator observations and the timeline. Everything here comes from the log header and records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from drillsim import vocab
from drillsim.reports.i18n import s
from drillsim.reports.timeline import describe
from drillsim.scoring.capabilities import capability_name
from drillsim.scoring.evidence import STAT_NAMES, format_value
from drillsim.scoring.text import format_clock, format_minutes, pick
from drillsim.scoring.view import LogView

DUE_DAYS = {"U": 30, "M": 60, "S": 90}
"""Days after the exercise by which a corrective action is due, by the task's rating."""

TIMELINE_KINDS = (
    "exercise.started",
    "exercise.ended",
    "inject.delivered",
    "level.changed",
    "response.triggered",
    "decision.opened",
    "decision.made",
    "agency.activated",
    "coordination.activated",
    "border.notified",
    "border.consulted",
    "fire.crossed",
    "fire.contained",
    "storage.activated",
    "note.added",
    "role.changed",
    "quake.occurred",
    "hazard.warning",
    "comms.lost",
    "comms.restored",
)
"""Record kinds that always appear in the timeline appendix (plus key incidents and first reports)."""
TIMELINE_CAP = 300


@dataclass
class PlanRow:
    """One improvement-plan row."""

    capability: str
    issue: str
    action: str
    responsible: str
    start: str
    due: str
    rating: str


def when(view: LogView, t: float) -> str:
    """``2023-07-31 10:35 (T+04:35)``."""
    wall = view.wall(t)
    return f"{wall:%Y-%m-%d %H:%M} ({format_clock(t)})" if wall else format_clock(t)


def task_line(task: Any, lang: str) -> str:
    """``78.9% (ratio) against P 90% / S 75% / M 50% → S``."""
    th = task.thresholds
    return s(
        "value_vs",
        lang,
        value=format_value(task.value, task.kind, task.statistic, lang),
        stat=pick(STAT_NAMES.get(task.statistic), lang) or task.statistic,
        p=format_value(th["P"], task.kind, task.statistic, lang),
        s=format_value(th["S"], task.kind, task.statistic, lang),
        m=format_value(th["M"], task.kind, task.statistic, lang),
        rating=task.rating or "—",
    )


def evidence_seqs(task: Any, lang: str = "en", n: int = 8) -> str:
    """``seq 14, 20, 25, …`` / ``序号 14、20、25……`` for the records behind a rating (worst first)."""
    from drillsim.scoring.evidence import bad_first

    seqs = [o.seq for o in bad_first(task.observations, task.kind, task.better) if o.seq is not None]
    if not seqs:
        return ""
    sep, more = ("、", "……") if lang == "zh" else (", ", ", …")
    return f"{s('seq', lang)} " + sep.join(str(x) for x in seqs[:n]) + (more if len(seqs) > n else "")


def run_details(header: dict[str, Any], lang: str) -> tuple[tuple[str, str], ...]:
    """The run's identity for the method appendix: scenario, its file's hash, seed, replicate, overrides, version."""
    scen = header.get("scenario") or {}
    source = str(scen.get("source") or "")
    if source.startswith("bundled:"):
        source = s("bundled", lang)
    return (
        (s("run_scenario", lang), f"{scen.get('id')} ({source})"),
        (s("run_sha", lang), str(scen.get("sha256"))),
        (s("run_seed", lang), str(header.get("seed"))),
        (s("run_replicate", lang), str(header.get("replicate"))),
        (s("run_overrides", lang), ", ".join(f"{p}={v}" for p, v in header.get("overrides") or []) or "—"),
        (s("run_version", lang), str(header.get("drillsim"))),
    )


class Facts:
    """The shared content of every report form."""

    def __init__(self, view: LogView, card: Any, lang: str) -> None:
        self.view, self.card, self.lang = view, card, lang
        header = view.header
        self.title = pick((header.get("scenario") or {}).get("title"), lang) or str(header.get("scenario"))
        self.description = pick(view.definition.get("description"), lang)

    # -- overview ------------------------------------------------------------------------------
    def dates(self) -> tuple[str, str]:
        """Start and end (wall clock)."""
        return when(self.view, 0.0), when(self.view, self.view.horizon)

    def duration(self) -> str:
        """Simulated time covered."""
        return format_minutes(self.view.horizon, self.lang)

    def top_regions(self) -> list[str]:
        """Names of the regions at the top of the tree (the exercise area)."""
        view = self.view
        tops = [rid for rid in view.regions if view.parent(rid) not in view.regions]
        return [pick(view.name(r), self.lang) for r in tops]

    def agencies(self) -> list[tuple[str, str, str]]:
        """(name, kind, region) per agency."""
        v = self.view
        return [
            (
                pick(v.name(a), self.lang),
                vocab.agency_kind(info.get("kind"), self.lang),
                pick(v.name(info.get("region")), self.lang),
            )
            for a, info in v.agencies.items()
        ]

    def team_groups(self) -> list[tuple[str, str, int, int, str]]:
        """(name, kind, count, members, base) per scenario team (numbered copies grouped)."""
        groups: dict[str, list[Any]] = {}
        for tid, info in self.view.teams.items():
            groups.setdefault(str(info.get("group") or tid), []).append(info)
        out = []
        for gid, infos in groups.items():
            first = infos[0]
            out.append(
                (
                    pick(first.get("name"), self.lang) or gid,
                    vocab.team_kind(first.get("kind"), self.lang),
                    len(infos),
                    sum(int(i.get("members") or 0) for i in infos),
                    pick(self.view.name(first.get("base")), self.lang),
                )
            )
        return out

    def players(self) -> str:
        """Agencies played by people."""
        players = self.view.header.get("players") or []
        played = {r.subject for r in self.view.kind("role.changed") if r.data.get("played") and r.subject is not None}
        names = [pick(self.view.name(p), self.lang) for p in [*players, *sorted(played - set(players))]]
        return ", ".join(names) if names else s("players_none", self.lang)

    def numbers(self) -> dict[str, Any]:
        """Key counts for the summary."""
        v = self.view
        need = [r for r in v.kind("incident.occurred") if isinstance(r.data.get("people"), int | float)]
        risk = sum(int(r.data["people"]) for r in need)
        rescued = sum(int(r.data.get("rescued") or 0) for r in v.kind("rescue.completed"))
        lost = sum(int(r.data.get("lost") or 0) for r in v.kind("rescue.completed"))
        for r in v.kind("incident.unresolved"):
            alive = r.data.get("alive")
            if isinstance(alive, int | float):
                lost += max(0, int(r.data.get("people") or 0) - int(alive))
        return {
            "inc": len(v.kind("incident.occurred")),
            "risk": risk,
            "rescued": rescued,
            "lost": lost,
            "reports": len(v.kind("report.received")),
            "levels": len(v.kind("level.changed")),
            "injects": len(v.kind("inject.delivered")),
        }

    # -- ratings -------------------------------------------------------------------------------
    def capability(self, key: str) -> str:
        """A capability's name."""
        return pick(capability_name(key), self.lang)

    def metric(self, name: str) -> str:
        """A metric's name in the report's language (its id when the library does not know it)."""
        from drillsim.scoring.library import METRICS

        spec = METRICS.get(name)
        return pick(spec.title, self.lang) if spec is not None else name

    def tasks(self) -> list[tuple[Any, Any]]:
        """(objective, task) for every task."""
        return [(o, t) for o in self.card.objectives for t in o.tasks]

    def strengths(self, ratings: str = "PS") -> list[tuple[Any, Any, str]]:
        """(objective, task, what went well) for every task rated in ``ratings``, from its evidence.

        What went well is quoted from the records behind the rating — the reports that were on
        time, the incidents reached fastest — so a task performed with some challenges (S) still
        names its strengths, and one with major challenges (M, when asked for) what did work.
        Rated P first, then S, then M, each by objective score.
        """
        from drillsim.scoring.evidence import good_side
        from drillsim.scoring.library import METRICS

        out = []
        for o, t in self.tasks():
            if t.rating is None or t.rating not in ratings or not t.observations:
                continue
            spec = METRICS.get(t.metric)
            good = good_side(spec, t.better, t.observations) if spec is not None else None
            if good is None and t.rating != "P":
                continue
            out.append((o, t, pick(good, self.lang) if good else pick(t.summary, self.lang)))
        out.sort(key=lambda ot: ("PSM".index(ot[1].rating), -(ot[0].score or 0.0)))
        return out

    def areas(self) -> list[tuple[Any, Any]]:
        """Tasks rated S, M or U, worst first."""
        order = {"U": 0, "M": 1, "S": 2}
        return sorted(
            ((o, t) for o, t in self.tasks() if t.rating in order), key=lambda ot: order[ot[1].rating]
        )

    def responsible(self, obj: Any, task: Any) -> str:
        """Who owns a corrective action.

        The objective's responsible agency, else the agencies in the task's scope, else agencies that
        acted in the failing records, else the exercise planning team.
        """
        v = self.view
        if obj.responsible:
            return pick(v.name(obj.responsible), self.lang)
        scoped = self._task_scope(obj.id, task.id).get("agencies") or []
        if scoped:
            return ", ".join(pick(v.name(a), self.lang) for a in scoped)
        from drillsim.scoring.evidence import bad_first

        actors: list[str] = []
        for o in bad_first(task.observations, task.kind, task.better)[:10]:
            for who in (o.actor, v.agency_region(o.actor)):
                agencies = [a for a, info in v.agencies.items() if a == who or info.get("region") == who]
                actors += [a for a in agencies if a not in actors]
        if actors:
            return ", ".join(pick(v.name(a), self.lang) for a in actors[:3])
        return s("planning_team", self.lang)

    def _task_scope(self, oid: str, tid: str) -> dict[str, Any]:
        obj = (self.view.definition.get("objectives") or {}).get(oid) or {}
        return ((obj.get("tasks") or {}).get(tid) or {}).get("scope") or {}

    def plan(self) -> list[PlanRow]:
        """Improvement-plan rows: one per task rated below P, worst first, dated from the exercise."""
        from drillsim.scoring.library import METRICS

        start = self.view.wall(self.view.horizon)
        rows = []
        for obj, task in self.areas():
            spec = METRICS.get(task.metric)
            issue = (
                f"{obj.id} / {pick(task.text, self.lang)} ({task.rating}): {pick(task.summary, self.lang)}"
            )
            action = pick(spec.remedy, self.lang) if spec else ""
            due = start + timedelta(days=DUE_DAYS[task.rating]) if start else None
            rows.append(
                PlanRow(
                    self.capability(obj.capability),
                    issue,
                    action,
                    self.responsible(obj, task),
                    f"{start:%Y-%m-%d}" if start else "—",
                    f"{due:%Y-%m-%d}" if due else "—",
                    task.rating,
                )
            )
        return rows

    # -- notes and timeline --------------------------------------------------------------------
    def seat_name(self, seat: str | None) -> str:
        """A seat's name from the header (``seats``), or its id; empty for none."""
        info = (self.view.header.get("seats") or {}).get(seat) if seat else None
        if not isinstance(info, dict):
            return str(seat or "")
        return pick(info.get("name"), self.lang) or str(seat)

    def seats(self) -> list[tuple[str, str, str, str]]:
        """(seat, rights, roles, inputs) per seat of a multi-seat exercise (none for a one-terminal run)."""
        seats = self.view.header.get("seats") or {}
        counts: dict[str, int] = {}
        for r in self.view.kind("input.received"):
            seat = r.data.get("seat")
            if isinstance(seat, str):
                counts[seat] = counts.get(seat, 0) + 1
        return [(self.seat_name(k), str(v.get("rights") or ""),
                 ", ".join(pick(self.view.name(a), self.lang) for a in v.get("roles") or ()) or "—",
                 str(counts.get(k, 0)))
                for k, v in seats.items() if isinstance(v, dict)]

    def decisions(self) -> list[tuple[str, str, str, str, str]]:
        """(time, decision, role, option, taken by) per decision: the seat whose input took it, or how it was taken."""
        answered: dict[str, Any] = {}
        for r in self.view.kind("input.received"):
            if r.data.get("kind") == "decide" and isinstance(r.data.get("decision"), str):
                answered[r.data["decision"]] = r.data
        rows = []
        for r in self.view.kind("decision.made"):
            d = r.data
            by = d.get("by")
            if by == "players":
                given = answered.get(str(r.subject)) or {}
                by_console = given.get("by", "facilitator") in ("facilitator", "players")
                taken = (self.seat_name(given["seat"]) if given.get("seat")
                         else s("by_facilitator", self.lang) if by_console else str(given.get("by")))
            else:
                taken = s("by_default", self.lang) if by == "default" else s("by_doctrine", self.lang)
            rows.append((when(self.view, r.t), str(r.subject), pick(self.view.name(r.actor), self.lang),
                         pick(d.get("label"), self.lang) or str(d.get("option")), taken))
        return rows

    def messages(self) -> list[tuple[str, str, str, str]]:
        """(time, seat, role, text) per message a seat sent to control."""
        return [(when(self.view, r.t), self.seat_name(r.actor),
                 pick(self.view.name(r.data.get("role")), self.lang) if r.data.get("role") else "—",
                 str(r.data.get("text") or ""))
                for r in self.view.kind("message.sent")]

    def notes(self) -> list[tuple[str, str, str, str, str]]:
        """(time, by, objective, rating, text) per evaluator note."""
        return [
            (
                when(self.view, r.t),
                vocab.actor(r.actor or "evaluator", self.lang) or pick(self.view.name(r.actor), self.lang),
                str(r.data.get("objective") or "—"),
                str(r.data.get("rating") or "—"),
                str(r.data.get("text") or ""),
            )
            for r in self.view.kind("note.added")
        ]

    def timeline(self) -> list[tuple[str, str, str]]:
        """(time, event, details): key records, named or most urgent incidents, first top-level reports."""
        v = self.view
        key_incidents = {
            r.subject
            for r in v.kind("incident.occurred")
            if r.data.get("name") or r.data.get("priority") == 1 or (r.data.get("dead") or 0) > 0
        }
        top_report: dict[str | None, Any] = {}
        for r in v.kind("report.received"):
            if r.subject in key_incidents:
                top_report[r.subject] = r
        picked = {r.seq for r in v.kind(*TIMELINE_KINDS)}
        picked |= {r.seq for r in v.kind("incident.occurred") if r.subject in key_incidents}
        picked |= {r.seq for r in top_report.values()}
        rows = []
        for r in v.records:
            if r.seq in picked:
                rows.append((when(v, r.t), vocab.record_kind(r.kind, self.lang), describe(v, r, self.lang)))
                if len(rows) >= TIMELINE_CAP:
                    break
        return rows
