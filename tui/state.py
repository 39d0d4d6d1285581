"""What the console shows, folded from event-log records: the same code serves live play and replay.

:class:`ExerciseView` starts from the log header (roster and scenario definition) and applies
records one by one. It never touches the engine, so the replay viewer can build the view at any
moment of a recorded log by applying its records up to that time, and the live console gets the
same picture from records as they are emitted. Nothing here imports textual.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from drillsim.log import Row

from drillsim.logstore import position
from drillsim.scoring.view import level_holders

Opt = str | None
Data = dict[str, Any]

TEAM_BUSY = ("travelling", "on_scene", "working", "tasked")


@dataclass
class TeamView:
    """A team as the console shows it.

    Attributes:
        state: off_duty, registering, idle, tasked, travelling, on_scene, working, returning, withdrawn.
        place: Region or incident id the team is at or heading to (``toward`` says which).
    """

    key: str
    name: Any
    kind: str
    group: str
    base: str
    state: str
    place: str | None = None
    toward: bool = False
    incident: str | None = None
    since: float = 0.0
    eta: float | None = None
    missions: int = 0
    withdrawing: bool = False
    task: str | None = None
    """The task of the incident the team works on (``None``: the incident's main rescue)."""


@dataclass
class IncidentView:
    """An incident as the console shows it (``state`` follows the rescue flow)."""

    key: str
    kind: str
    region: str
    name: Any
    people: int
    priority: int
    onset: float
    state: str = "occurred"
    team: str | None = None
    rescued: int = 0
    lost: int = 0
    detected_at: float | None = None
    missed: bool = False

    @property
    def open(self) -> bool:
        """People at risk and not closed: what the "open incidents" pane and sparkline count."""
        return self.people > 0 and self.state != "closed"


@dataclass
class InjectView:
    """One MSEL row: scheduled, chained by an effect, or written by the facilitator."""

    key: str
    at: float | None
    title: Any
    to: list[str]
    source: str = "msel"
    delivered_at: float | None = None
    data: dict[str, Any] = field(default_factory=dict)
    skipped_at: float | None = None
    """A contingency inject not needed: the expected action showed up in its window (``inject.skipped``)."""


def row_time(row: InjectView) -> float:
    """The time an MSEL row shows: when it was delivered, else when its window closed, else when it is due."""
    for t in (row.delivered_at, row.skipped_at, row.at):
        if t is not None:
            return float(t)
    return float("inf")


@dataclass
class DecisionView:
    """A decision that was opened; ``made`` holds the choice once taken."""

    key: str
    role: str
    prompt: Any
    options: dict[str, Any]
    default: str
    time_limit: float
    opened: float
    deadline: float
    asked: str
    made: str | None = None
    by: str | None = None
    made_at: float | None = None


@dataclass
class Note:
    """An evaluator observation (``note.added``)."""

    t: float
    by: str
    objective: str | None
    rating: str | None
    text: str


class Prefix(Sequence["Row"]):
    """The first ``n`` records of a log's records, without copying them: what a view has applied.

    Why: a console view used to append every record it applied to a list of its own, a second copy
    of the whole log in memory (the engine or the replay viewer holds the first). The view's
    :attr:`ExerciseView.records` is now this window on the owner's records (a live
    :class:`drillsim.logstore.LogRecords` in ``play``, the player's records in the replay viewer).
    """

    __slots__ = ("n", "source")

    def __init__(self, source: Sequence[Row], n: int) -> None:
        self.source = source
        self.n = n

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | Sequence[Row]:
        n = self.n
        if isinstance(index, slice):
            start, stop, step = index.indices(n)
            return self.source[start:stop:step] if step != 1 else self.source[start:stop]
        index = position(index, n)
        return self.source[index]

    def __iter__(self) -> Iterator[Row]:
        return islice(iter(self.source), self.n)

    def __reversed__(self) -> Iterator[Row]:
        source = self.source
        for i in range(self.n - 1, -1, -1):
            yield source[i]


class ExerciseView:
    """The state of an exercise as far as the records applied so far tell it.

    Args:
        header: The ``log.header`` record's data.
        source: The log's records after the header, held by the view's owner (an engine's record
            store, a replay's records), of which the view has applied the first :attr:`seen`.
            None: the view keeps the records it applies in a list of its own (a small log, a test).
    """

    def __init__(self, header: Mapping[str, Any], source: Sequence[Row] | None = None) -> None:
        self.header = header
        self._own: list[Row] | None = None
        self.source: Sequence[Row]
        if source is None:
            own: list[Row] = []
            self._own = self.source = own
        else:
            self.source = source
        self.seen = 0
        definition = header.get("definition") or {}
        roster = header.get("roster") or {}
        self.definition = definition
        self.duration: float = float(header.get("duration") or definition.get("duration") or 0.0)
        self.now = 0.0
        self.version = 0
        self.ended = False
        self.end_reason: str | None = None
        self.players: set[str] = set(header.get("players") or ())
        agencies = roster.get("agencies") or {}
        self.levels: dict[str, str | None] = dict.fromkeys(agencies)
        # Agencies holding a response level first; with none, every agency (the header shows someone).
        self.main_agencies = level_holders(header) or list(agencies)
        self.teams: dict[str, TeamView] = {}
        team_specs = definition.get("teams") or {}
        for key, t in (roster.get("teams") or {}).items():
            on_duty = (team_specs.get(t.get("group")) or {}).get("on_duty", True)
            self.teams[key] = TeamView(key, t.get("name"), t.get("kind", ""), t.get("group", key),
                                       t.get("base", ""), "idle" if on_duty else "off_duty", t.get("base"))
        self.incidents: dict[str, IncidentView] = {}
        self.injects: dict[str, InjectView] = {}
        scheduled = [(inj.get("at"), key, inj) for key, inj in (definition.get("injects") or {}).items()
                     if inj.get("at") is not None and not inj.get("template")]
        for at, key, inj in sorted(scheduled, key=lambda x: x[0]):
            # as the engine: only plain timed injects are on the schedule ("run to next inject");
            # a contingency opens its window at `at` and may never be delivered, a `when` one waits
            origin = "contingency" if inj.get("contingency") else "trigger" if inj.get("when") else "msel"
            self.injects[key] = InjectView(key, float(at) + float(inj.get("delay") or 0.0), inj.get("title"),
                                           list(inj.get("to") or ()), source=origin)
        decisions = definition.get("decisions") or {}
        self.decision_schedule = sorted(
            ((float(d["at"]), key) for key, d in decisions.items() if d.get("at") is not None),
            key=lambda x: x[0])
        self.decisions: dict[str, DecisionView] = {}
        self.notes: list[Note] = []
        self.open_series: list[tuple[float, int]] = [(0.0, 0)]
        self.open_count = 0
        self.counts: dict[str, int] = {"incidents": 0, "rescued": 0, "lost": 0, "reports": 0, "late": 0,
                                       "injects": 0, "decisions": 0, "by_players": 0, "by_default": 0,
                                       "by_doctrine": 0, "notes": 0, "unresolved": 0}

    # -- folding --------------------------------------------------------------------------------

    def apply_all(self, records: Iterable[Row]) -> None:
        """Apply records in order (the header record, if present, is skipped)."""
        for rec in records:
            self.apply(rec)

    def apply(self, rec: Row) -> None:
        """Apply one record ``(t, seq, kind, actor, subject, data)``."""
        t, _seq, kind, actor, subject, data = rec
        if kind == "log.header":
            return
        if self._own is not None:
            self._own.append(rec)
        self.seen += 1
        self.version += 1
        if t > self.now:
            self.now = t
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, t, actor, subject, data)

    @property
    def records(self) -> Prefix:
        """The records applied so far, in order (a window on :attr:`source`; nothing is copied)."""
        return Prefix(self.source, self.seen)

    def advance_clock(self, t: float) -> None:
        """The clock moved without records (a quiet slice)."""
        if t > self.now:
            self.now = t

    # -- questions the panes ask ------------------------------------------------------------------

    @property
    def pending(self) -> list[DecisionView]:
        """Decisions waiting for the players, oldest first."""
        return [d for d in self.decisions.values() if d.asked == "players" and d.made is None]

    def next_inject_time(self, after: float | None = None) -> float | None:
        """When the next scheduled inject not yet delivered is due (at or after now; later than ``after``)."""
        return next((i.at for i in self.injects.values() if i.source == "msel" and i.at is not None
                     and i.delivered_at is None and i.at >= self.now and (after is None or i.at > after)), None)

    def next_decision_time(self, after: float | None = None) -> float | None:
        """When the next scenario decision not yet opened opens (at or after now; later than ``after``)."""
        now, opened = self.now, self.decisions
        return next((at for at, key in self.decision_schedule
                     if key not in opened and at >= now and (after is None or at > after)), None)

    def msel_rows(self) -> list[tuple[str, InjectView]]:
        """``(row key, row)`` of the MSEL in the order of the time each shows: delivered, skipped or due.

        Ad-hoc and chained injects fall where they were delivered, a contingency made unnecessary
        where its window closed; rows with the same time keep the schedule's order.
        """
        rows = list(self.injects.items())
        order = {key: i for i, (key, _) in enumerate(rows)}
        return sorted(rows, key=lambda kv: (row_time(kv[1]), order[kv[0]]))

    def open_incidents(self, limit: int | None = None) -> list[IncidentView]:
        """Open incidents, most urgent first (priority, then oldest); the first ``limit`` only if given.

        With ten thousand open incidents a pane shows sixty: picking them with a heap instead of
        sorting all of them keeps a replay jump on a big log within its time budget.
        """
        rows = [i for i in self.incidents.values() if i.open]
        key = lambda i: (i.priority, i.onset, i.key)  # noqa: E731
        if limit is not None and limit < len(rows):
            return heapq.nsmallest(limit, rows, key=key)
        return sorted(rows, key=key)

    @property
    def open_total(self) -> int:
        """How many incidents are open."""
        return sum(1 for i in self.incidents.values() if i.open)

    def open_at(self, t: float) -> int:
        """Open incidents at time ``t`` (from the series)."""
        value = 0
        for when, n in self.open_series:
            if when > t:
                break
            value = n
        return value

    def open_samples(self, buckets: int, until: float | None = None) -> list[float]:
        """Maximum open incidents in each of ``buckets`` equal slices of [0, until] (for a sparkline)."""
        end = self.now if until is None else until
        if buckets <= 0:
            return []
        if end <= 0:
            return [float(self.open_count)] * buckets
        width = end / buckets
        out: list[float] = []
        series = self.open_series
        i = 0
        current = 0
        for b in range(buckets):
            lo, hi = b * width, (b + 1) * width
            while i < len(series) and series[i][0] <= lo:
                current = series[i][1]
                i += 1
            peak = current
            j = i
            while j < len(series) and series[j][0] < hi:
                peak = max(peak, series[j][1])
                j += 1
            out.append(float(peak))
        return out

    def notes_for(self, objective: str | None) -> list[Note]:
        """Observations tied to ``objective`` (None: the ones tied to none)."""
        return [n for n in self.notes if n.objective == objective]

    # -- internals -------------------------------------------------------------------------------

    def _bump_open(self, t: float, delta: int) -> None:
        self.open_count += delta
        if self.open_series and self.open_series[-1][0] == t:
            self.open_series[-1] = (t, self.open_count)
        else:
            self.open_series.append((t, self.open_count))

    def _team(self, key: str | None) -> TeamView | None:
        return self.teams.get(key) if key else None




# -- one handler per record kind ------------------------------------------------------------------


def _level_changed(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    if subject is not None:
        v.levels[subject] = d.get("to")


def _incident_occurred(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    if subject is None:
        return
    v.incidents[subject] = IncidentView(
        subject, d.get("kind", ""), d.get("region") or actor or "", d.get("name"),
        int(d.get("people") or 0), int(d.get("priority") or 3), t)
    v.counts["incidents"] += 1
    if v.incidents[subject].open:
        v._bump_open(t, 1)


def _incident_state(state: str) -> Any:
    def handler(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
        inc = v.incidents.get(subject or "")
        if inc is None or inc.state == "closed":
            return
        if state == "detected":
            inc.detected_at = t
            inc.missed = False
        inc.state = state

    return handler


def _incident_missed(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    inc = v.incidents.get(subject or "")
    if inc is not None:
        inc.missed = True
        inc.state = "missed"


def _incident_closed(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    inc = v.incidents.get(subject or "")
    if inc is None or inc.state == "closed":
        return
    was_open = inc.open
    inc.state = "closed"
    inc.rescued = int(d.get("rescued") or 0)
    inc.lost = int(d.get("lost") or 0)
    v.counts["rescued"] += inc.rescued
    v.counts["lost"] += inc.lost
    if was_open:
        v._bump_open(t, -1)


def _unresolved(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    v.counts["unresolved"] += 1


def _report_received(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    v.counts["reports"] += 1
    due = d.get("due")
    if due is not None and t > due:
        v.counts["late"] += 1


def _team_to(state: str, toward: bool) -> Any:
    def handler(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
        team = v._team(actor)
        if team is None:
            return
        team.state = state
        team.since = t
        team.toward = toward
        if state in ("travelling", "on_scene", "working"):
            team.task = d.get("task")
        if state == "travelling":
            team.incident = subject
            team.place = subject
            team.eta = d.get("eta")
            team.missions += 1
            inc = v.incidents.get(subject or "")
            if inc is not None and inc.state != "closed":
                inc.state = "assigned"
                inc.team = team.key
        elif state in ("on_scene", "working"):
            team.incident = subject
            team.place = subject
            team.eta = None
            inc = v.incidents.get(subject or "")
            if inc is not None and inc.state != "closed":
                inc.state = "working"
                inc.team = team.key
        elif state == "returning":
            team.incident = team.task = None
            team.place = team.base
            team.eta = d.get("eta")
        elif state == "idle":
            team.incident = team.task = None
            team.eta = None

    return handler


def _done(team: TeamView, t: float, place: str | None) -> None:
    """A team's work is over and it is free where it stands (a later record says where it goes next)."""
    team.state, team.since, team.toward = "idle", t, False
    team.incident = team.task = None
    team.eta = None
    team.place = place


def _evacuation_trip(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    """A team's last trip of an evacuation (nobody left to fetch) ends its work at the shelter."""
    team = v._team(actor)
    if team is not None and d.get("last") and team.state == "working":
        _done(team, t, d.get("shelter") or subject)


def _task_completed(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    """A task done (its line finished, the last delivery made): every team still working on it is free.

    An evacuation's teams are not: one on its way back from a shelter drives on and leaves from
    the place (``team.returning``); each team's own last trip frees it (:func:`_evacuation_trip`).
    """
    task = d.get("task")
    # the incident's own work (`main`) is started by `rescue.started`, which names no task
    same = (task, None) if task == "main" else (task,)
    for team in v.teams.values():
        if team.state == "working" and team.incident == subject and team.task in same:
            _done(team, t, subject)


def _team_mishap(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    """A team that lost people abandons the task (it is released: a later record sends it on or home)."""
    team = v._team(actor)
    if team is not None:
        _done(team, t, subject)


def _rescue_completed(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    team = v._team(actor)
    if team is not None:
        team.state = "idle"
        team.since = t
        team.toward = False
        team.incident = team.task = None
        team.place = subject
    if not d.get("partial"):  # a first responder's partial rescue leaves the incident open
        _incident_closed(v, t, actor, subject, d)


def _team_returned(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    team = v._team(actor)
    if team is not None:
        # a team home after withdrawing (撤离) is off duty, as in the engine
        team.state, team.since, team.toward = ("off_duty" if team.withdrawing else "idle"), t, False
        team.place, team.eta, team.incident, team.task = team.base, None, None, None


def _team_subject(state: str) -> Any:
    """Records whose subject is the team (activation, registration, tasking, withdrawal)."""
    def handler(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
        team = v._team(subject)
        if team is None:
            return
        if state == "idle" and team.state not in ("off_duty", "registering", "refused"):
            return  # registered after being turned away (once the rule allowed it): on duty too
        team.state, team.since = state, t
        if state == "tasked":
            team.incident = d.get("incident")
            team.place = d.get("incident") or team.place
            team.toward = True

    return handler


def _team_arrived(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    team = v._team(actor)
    if team is not None:
        # a self-deployed team skips the desk and goes to work unregistered (a coordination failure)
        state = "idle" if d.get("self_deployed") else "registering"
        team.state, team.since, team.place, team.toward = state, t, subject, False


def _team_withdrawn(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    team = v._team(actor)
    if team is not None:
        team.state, team.since, team.incident, team.toward = "withdrawn", t, None, False
        team.withdrawing = True


def _support_arrived(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    """Cross-border support teams arrive on duty (联动响应)."""
    for key in d.get("teams") or ():
        team = v._team(key)
        if team is not None and team.state == "off_duty":
            team.state, team.since, team.place, team.toward = "idle", t, d.get("region"), False


def _inject_delivered(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    if subject is None:
        return
    v.counts["injects"] += 1
    row = v.injects.get(subject)
    if row is None or row.delivered_at is not None:
        key = subject if row is None else f"{subject}@{t:g}"
        row = v.injects[key] = InjectView(subject, d.get("scheduled"), d.get("title"),
                                          list(d.get("to") or ()), source=d.get("source") or "msel")
    row.delivered_at = t
    row.data = dict(d, **{"from": actor})
    row.title = d.get("title") or row.title
    row.to = list(d.get("to") or row.to)


def _inject_skipped(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    row = v.injects.get(subject) if subject is not None else None
    if row is not None and row.delivered_at is None:
        row.skipped_at = t


def _decision_opened(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    if subject is None:
        return
    v.decisions[subject] = DecisionView(
        subject, actor or "", d.get("prompt"), dict(d.get("options") or {}), d.get("default", ""),
        float(d.get("time_limit") or 0.0), t, float(d.get("deadline") or t), d.get("asked", "doctrine"))


def _decision_made(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    dec = v.decisions.get(subject or "")
    if dec is None:
        return
    dec.made, dec.by, dec.made_at = d.get("option"), d.get("by"), t
    v.counts["decisions"] += 1
    by = d.get("by")
    if by in ("players", "default", "doctrine"):
        v.counts[f"by_{by}"] += 1


def _note_added(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    v.notes.append(Note(t, actor or "", d.get("objective"), d.get("rating"), str(d.get("text") or "")))
    v.counts["notes"] += 1


def _role_changed(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    if subject is None:
        return
    if d.get("played"):
        v.players.add(subject)
    else:
        v.players.discard(subject)


def _ended(v: ExerciseView, t: float, actor: Opt, subject: Opt, d: Data) -> None:
    v.ended = True
    v.end_reason = d.get("reason")


_HANDLERS: dict[str, Any] = {
    "level.changed": _level_changed,
    "incident.occurred": _incident_occurred,
    "incident.detected": _incident_state("detected"),
    "incident.missed": _incident_missed,
    "rescue.queued": _incident_state("queued"),
    "task.queued": _incident_state("queued"),
    "incident.closed": _incident_closed,
    "incident.unresolved": _unresolved,
    "report.received": _report_received,
    "team.dispatched": _team_to("travelling", True),
    "team.on_scene": _team_to("on_scene", False),
    "rescue.started": _team_to("working", False),
    "task.started": _team_to("working", False),
    "rescue.completed": _rescue_completed,
    "task.completed": _task_completed,
    "evacuation.trip": _evacuation_trip,
    "team.mishap": _team_mishap,
    "team.returning": _team_to("returning", True),
    "team.returned": _team_returned,
    "team.activated": _team_subject("idle"),
    "team.registered": _team_subject("idle"),
    "team.tasked": _team_subject("tasked"),
    "team.refused": _team_subject("refused"),
    "team.arrived": _team_arrived,
    "team.withdrawn": _team_withdrawn,
    "border.support_arrived": _support_arrived,
    "inject.delivered": _inject_delivered,
    "inject.skipped": _inject_skipped,
    "decision.opened": _decision_opened,
    "decision.made": _decision_made,
    "note.added": _note_added,
    "role.changed": _role_changed,
    "exercise.ended": _ended,
}
