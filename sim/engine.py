"""The exercise: a scenario + seed + inputs, run on a simpy clock, writing the event log.

Time is in simulated minutes from the scenario's ``start``. :meth:`Exercise.advance` processes
every event at or before a time and stops early when players must decide, so a console can run
the simulation in small slices; :meth:`Exercise.submit` applies an external input (a decision,
an ad-hoc inject, a note) at the current time and logs it. Because an input is always applied
after *all* events at its time have been processed, re-running with the recorded inputs
reproduces the log byte for byte, however the original run was sliced.
"""

from __future__ import annotations

import gc
import math
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import simpy

from drillsim import hazards, levels, simclock
from drillsim.agents.model import DrillModel
from drillsim.agents.operation import PRIMARY
from drillsim.errors import InputError, Problem
from drillsim.fileio import naming
from drillsim.flows.activation import ActivationFlow
from drillsim.flows.border import BorderFlow
from drillsim.flows.comms import CommsFlow
from drillsim.flows.context import HazardModel
from drillsim.flows.coordination import CoordinationFlow
from drillsim.flows.decisions import DecisionFlow
from drillsim.flows.duty_reports import DutyReports
from drillsim.flows.grassroots import GrassrootsFlow
from drillsim.flows.incidents import IncidentFlow
from drillsim.flows.materials import MaterialsFlow
from drillsim.flows.msel import MselFlow
from drillsim.flows.operations import OperationFlow
from drillsim.flows.reporting import ReportingFlow
from drillsim.flows.rescue import Dispatcher
from drillsim.flows.roads import RoadsFlow
from drillsim.flows.storage import StorageFlow
from drillsim.flows.tasks import kinds as task_kinds
from drillsim.flows.triggers import Triggers
from drillsim.flows.warnings import WarningsFlow
from drillsim.limits import MAX_MESSAGE, MAX_RECORDS
from drillsim.log import FORMAT, EventLog, JsonlWriter, Row, RunLimit
from drillsim.logcheck import header_problem, input_problem, unencodable
from drillsim.rng import Streams
from drillsim.scenario.load import Loaded
from drillsim.version import __version__

if TYPE_CHECKING:
    from drillsim.flows.decisions import Pending

INPUT_KINDS = ("decide", "inject", "note", "role", "end", "reseed", "message")
MESSAGE_LIMIT = MAX_MESSAGE
"""Longest text of a ``message`` input (a seat's message or request to control; ``drillsim.limits``)."""

class InputRefused(ValueError):
    """An external input that does not apply now (nothing was logged); a console shows it as a notice.

    A distinct type so a driver can tell a refused input from a ``ValueError`` raised by a fault
    while simulating.
    """


QUANTUM = 1e-4
"""The log's time resolution in minutes: inputs are applied at multiples of it (see ``submit``)."""


def clean_time(t: float) -> float:
    """The smallest time at or after ``t`` that the log records exactly (4 decimals of a minute)."""
    r = round(t, 4)
    return r if r >= t else round(r + QUANTUM, 4)


@dataclass(frozen=True)
class Summary:
    """What ``drillsim run`` prints at the end."""

    sim_minutes: float
    incidents: int
    reports: int
    dispatches: int
    rescues: int
    rescued: int
    lost: int
    unresolved: int
    records: int


class Exercise:
    """One run of a scenario.

    Args:
        loaded: The validated scenario (from :func:`drillsim.scenario.load`).
        seed: Root seed; defaults to the scenario's ``seed``.
        log_path: Where to write ``events.jsonl`` (None: memory only).
        keep: Keep records in memory (``self.log.records``): tests and small API uses; every command holds
            them in a :class:`drillsim.logstore.RecordStore` tee instead (docs/design.md, "Memory").
        tee: Also hand every encoded log line to this callable (a
            :class:`drillsim.logstore.RecordStore`'s ``add_line``: what ``run`` scores from, with
            ``keep`` off; docs/design.md, "Memory").
        players: Agencies whose decisions are asked of people instead of taken by doctrine.
        replicate: Replicate number (part of every stream key; sweeps use it).
        extra_header: Additional header fields (e.g. ``branch_of`` for a what-if branch).
        replace: Replace an existing log at ``log_path`` (``--force``): the new log is written under
            a temporary name and renamed over the old one when it is closed. Without it an existing
            log is refused and never touched.
        staged: Keep the log under a temporary name until ``self.log.writer.commit()`` (a branch
            publishes its log only once its promises are checked).

    Raises:
        InputError: The header cannot be written as a log (a number beyond 64 bits, too many
            objectives...): nothing is opened or written.
        FileExistsError: A log is at ``log_path`` and ``replace`` is false.
        ValueError: ``players`` names an unknown agency.
    """

    def __init__(self, loaded: Loaded, seed: int | None = None, *, log_path: str | Path | None = None,
                 keep: bool = True, players: Iterable[str] = (), replicate: int = 0,
                 extra_header: dict[str, Any] | None = None, replace: bool = False, staged: bool = False,
                 tee: Callable[[bytes], Any] | None = None) -> None:
        scenario = loaded.scenario
        self.loaded = loaded
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else int(seed)
        self.duration: float = scenario.duration
        self.env = simpy.Environment(initial_time=0.0)
        self.streams = Streams(self.seed, replicate)
        self.log = EventLog(keep=keep, env=self.env, tee=tee)
        self.emit = self.log.emit
        self.model = DrillModel(scenario, self.streams, clock=lambda: self.env.now)
        unknown = sorted(set(players) - set(self.model.agencies))
        if unknown:
            raise ValueError(f"unknown role(s) {', '.join(unknown)} (agencies: {', '.join(self.model.agencies)})")
        self.ended = False
        self.limited: RunLimit | None = None
        self._stop: simpy.Event | None = None
        self._halted = False
        self._interrupted = False
        self.triggers = Triggers(self)
        self.comms = CommsFlow(self)
        self.roads = RoadsFlow(self)
        self.incidents = IncidentFlow(self)
        self.operations = OperationFlow(self, task_kinds(self))
        self.reporting = ReportingFlow(self)
        self.duty_reports = DutyReports(self)
        self.activation = ActivationFlow(self)
        self.warnings = WarningsFlow(self)
        self.dispatcher = Dispatcher(self)
        self.coordination = CoordinationFlow(self)
        self.border = BorderFlow(self)
        self.storage = StorageFlow(self)
        self.materials = MaterialsFlow(self)
        self.grassroots = GrassrootsFlow(self)
        self.msel = MselFlow(self)
        self.decisions = DecisionFlow(self, set(players), self._halt)
        self.hazards: list[HazardModel] = []  # declared before build: effects look fires up through it
        self.hazards = list(hazards.build(self))
        header = self._header(loaded, replicate, extra_header or {})
        if log_path is not None:
            _check_header(header, log_path)  # before the file is opened: a refused header leaves nothing behind
            writer = JsonlWriter(log_path, replace=replace, staged=staged)
            self.log.attach(writer)
            try:
                self.log.write_header(header, scenario.id)
            except BaseException:  # Ctrl-C while the header is written: no log without its header is left
                writer.abandon()
                raise
        else:
            self.log.write_header(header, scenario.id)
        self.emit("exercise.started", "control", scenario.id, {
            "start": scenario.start.isoformat(), "duration": self.duration,
            "title": scenario.title.as_dict(), "hazard": scenario.hazard})
        self.activation.start()
        self.dispatcher.start()
        self.coordination.start()
        self.border.start()
        self.storage.start()
        self.duty_reports.start()
        self.incidents.start()
        for hazard in self.hazards:
            hazard.start()
        self.msel.start()
        self.decisions.start()

    # -- header ---------------------------------------------------------------------------------

    def _header(self, loaded: Loaded, replicate: int, extra: dict[str, Any]) -> dict[str, Any]:
        s = self.scenario
        m = self.model
        roster = {
            "regions": {k: {"name": r.spec.name.as_dict(), "level": r.level,
                            "parent": r.parent.key if r.parent else None,
                            "location": list(r.location) if r.location else None}
                        for k, r in m.regions.items()},
            "agencies": {k: {"name": a.spec.name.as_dict(), "region": a.region.key, "kind": a.kind}
                         for k, a in m.agencies.items()},
            "teams": {k: {"name": t.spec.name.as_dict(), "kind": t.kind, "group": t.group, "base": t.base.key,
                          "capabilities": sorted(t.capabilities), "members": t.members, "speed": t.speed}
                      for k, t in m.teams.items()},
        }
        return {
            "format": FORMAT, "drillsim": __version__,
            "scenario": {"id": s.id, "title": s.title.as_dict(), "source": loaded.source, "sha256": loaded.sha256},
            "seed": self.seed, "replicate": replicate,
            "overrides": [[p, v] for p, v in loaded.overrides],
            "players": sorted(self.decisions.players),
            "start": s.start.isoformat(), "duration": self.duration, "hazard": s.hazard,
            "roster": roster, **extra,
            "definition": s.model_dump(mode="json", by_alias=True),
        }

    # -- clock ------------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Current simulated time (minutes after start)."""
        return self.env.now

    def _halt(self) -> None:
        """Stop the current :meth:`advance` after this instant (players must decide)."""
        self._halted = True
        if self._stop is not None and not self._stop.triggered:
            self._stop.succeed()

    def advance(self, until: float) -> float:
        """Process every event at or before ``until`` (capped at the duration).

        Returns early, at the current instant fully processed, when a decision opens for players
        (see :attr:`pending`). Returns the simulated time reached.
        """
        if self.ended:
            return self.env.now
        try:
            return self._advance(until)
        except RunLimit as exc:
            self.limited = exc
            self.log.limit = self.log.next_seq + MAX_RECORDS  # room for the closing records
            self.finish("limit")
            return self.env.now
        except OSError as exc:  # a full disk while writing the log: say which file
            writer = self.log.writer
            raise naming(exc, writer.path) if writer is not None else exc from None

    def _advance(self, until: float) -> float:
        env = self.env
        until = min(until, self.duration)
        self._halted = False
        with _gc_paused(), _ctrl_c_between_events(self):
            if until > env.now:
                self._stop = env.event()
                marker = env.timeout(until - env.now)
                env.run(until=env.any_of([self._stop, marker]))
                self._stop = None
            # Finish the instant reached; when not halted, also every event at or before ``until``
            # itself: ``now + (until - now)`` can land one ulp short of ``until``, and a replay that
            # slices differently must still see the same events before an input recorded at ``until``.
            limit = env.now if self._halted else max(env.now, until)
            while not self._interrupted and env.peek() <= limit:
                env.step()
                if self._halted:
                    limit = min(limit, env.now)
            if not self._halted and not self._interrupted and env.now < until:
                # Every event at or before ``until`` is processed; the clock stopped an ulp short
                # (``now + (until - now)`` rounding). Nothing can happen in between: set it exactly,
                # so a caller waiting for ``now >= until`` is never left spinning.
                simclock.settle(env, until)
        self.log.flush()
        return env.now

    @property
    def halted(self) -> bool:
        """True if the last :meth:`advance` stopped early for a players' decision."""
        return self._halted

    @property
    def pending(self) -> list[Pending]:
        """Decisions waiting for the players, oldest first."""
        return list(self.decisions.pending.values())

    @property
    def at_end(self) -> bool:
        """True when the clock has reached the scenario's duration."""
        return self.env.now >= self.duration

    def run(self, inputs: Iterable[tuple[float, dict[str, Any]]] = (), *,
            progress: Callable[[float, float], None] | None = None, slices: int | None = None) -> Summary:
        """Run to the end, applying recorded ``(t, input)`` pairs at their times, then finish.

        The cyclic garbage collector is paused while a slice runs and works between slices (see
        :func:`_gc_paused`); nothing is ever frozen (``gc.freeze``): a frozen object stays in
        memory for good once it becomes cyclic garbage, with everything it refers to. A process
        that runs exercises one after another and drops each (a sweep worker) runs each inside
        :func:`one_run` instead (docs/design.md, "Memory").

        Args:
            inputs: External inputs to re-apply (replay); each is applied after every event at its time.
            progress: Called with ``(now, duration)`` after each slice (a progress bar).
            slices: How many slices to cut the run into (default 200 with a progress bar, else 16:
                each slice costs a little, and between slices the cyclic GC may run).

        Raises:
            RunLimit: The run generated more than a run may (docs/limits.md); the log is closed,
                ending with ``exercise.ended`` (reason ``limit``).
        """
        if slices is None:
            slices = 200 if progress is not None else 16
        step = self.duration / max(1, slices)
        progress = progress or _no_progress  # always sliced, so the cyclic GC runs between slices
        for t, payload in inputs:
            self._advance_to(t, step, progress)
            if self.ended:
                break
            self.submit(payload)
        if not self.ended:
            self._advance_to(self.duration, step, progress)
            self.finish("duration")
        if self.limited is not None:
            raise self.limited
        return self.summary()

    def _advance_to(self, target: float, step: float, progress: Callable[[float, float], None]) -> None:
        target = min(target, self.duration)
        k = math.floor(self.env.now / step) + 1
        while not self.ended and self.env.now < target:
            # Slice boundaries by index, never recomputed from the clock: ``now / step`` can round
            # down at a boundary, and recomputing from it would ask for the same boundary forever.
            nxt = min(target, k * step)
            if nxt > self.env.now:
                self.advance(nxt)
                progress(self.env.now, self.duration)
            if not self.halted:
                k += 1
        if not self.ended and self.env.now >= target:
            self.advance(target)  # the instant itself (inputs apply after every event at their time)

    # -- inputs -------------------------------------------------------------------------------------

    def submit(self, payload: dict[str, Any]) -> Row:
        """Apply an external input now and log it (``input.received``) before its effects.

        Input kinds: ``decide`` {decision, option}; ``inject`` {template? title? message? to?};
        ``note`` {text, objective?, rating?}; ``role`` {agency, played}; ``end`` {reason?};
        ``reseed`` {salt}: every random stream is re-keyed from now on (a branch's continuation,
        see :meth:`drillsim.rng.Streams.rekey`); ``message`` {text, role?}: a message or request
        to control from a seat (``message.sent``; it changes nothing in the simulation).
        Optional ``by`` names who gave it (default ``facilitator``).

        Two rules make every run replayable byte for byte, whoever drives it: the input is applied
        at a *clean instant* (the clock first moves to the next time the log records exactly, 4
        decimals of a minute, so the replay re-applies it at the very same time), and the instant is
        processed to the end afterwards (so a decision's ``decision.made`` and effects are logged
        before any later input, as a replay will do).

        Raises:
            ValueError: the input is malformed or does not apply now (nothing is logged).
        """
        if self.ended:
            raise InputRefused("the exercise has ended")
        if (found := input_problem(payload)) is not None:
            field, problem = found
            raise InputRefused(f"{field}: {problem}" if field else problem)
        kind = payload["kind"]
        self._check(kind, payload)
        while not self.ended and clean_time(self.env.now) > self.env.now:
            self.advance(clean_time(self.env.now))
        if self.ended:
            raise InputRefused("the exercise has ended")
        self._check(kind, payload)  # the clock moved (by < 0.0001 min): still applicable?
        by = str(payload.get("by", "facilitator"))
        rec = self.emit("input.received", by, kind, dict(payload))
        if kind == "decide":
            self.decisions.choose(payload["decision"], payload["option"])
        elif kind == "inject":
            self.msel.deliver_adhoc(payload)
        elif kind == "note":
            self.emit("note.added", by, payload.get("objective"), {
                "text": payload["text"], "rating": payload.get("rating"), "objective": payload.get("objective")})
        elif kind == "role":
            agency, played = payload["agency"], bool(payload["played"])
            (self.decisions.players.add if played else self.decisions.players.discard)(agency)
            self.emit("role.changed", by, agency, {"played": played})
        elif kind == "end":
            self.finish(str(payload.get("reason", "facilitator")))
        elif kind == "reseed":
            self.streams.rekey(int(payload["salt"]))
        elif kind == "message":
            self.emit("message.sent", by, "control", {"text": payload["text"], "role": payload.get("role")})
        if not self.ended:
            self.advance(self.env.now)
        self.log.flush()
        return rec

    def _check(self, kind: str, p: dict[str, Any]) -> None:
        s = self.scenario
        if kind == "decide":
            key, option = p.get("decision"), p.get("option")
            # ids are strings: anything else (a list from a hand-edited log) is refused, not a TypeError
            pend = self.decisions.pending.get(key) if isinstance(key, str) else None
            if pend is None:
                raise InputRefused(f"decision {key!r} is not waiting for an answer")
            if not isinstance(option, str) or option not in pend.options:
                raise InputRefused(f"{option!r} is not an option of {key!r} ({', '.join(pend.options)})")
        elif kind == "inject":
            template = p.get("template")
            if template is not None and (not isinstance(template, str) or template not in s.injects):
                raise InputRefused(f"unknown inject template {template!r}")
            if template is None and not (p.get("title") or p.get("message")):
                raise InputRefused("an ad-hoc inject needs a template or a title/message")
            for to in p.get("to") or ():
                if not isinstance(to, str) or (to not in self.model.agencies and to not in self.model.teams
                                               and to != "all"):
                    raise InputRefused(f"unknown recipient {to!r}")
            if not p.get("to") and not (template is not None and s.injects[template].to):
                raise InputRefused("an inject needs at least one recipient")
        elif kind == "note":
            if not str(p.get("text", "")).strip():
                raise InputRefused("a note needs text")
            objective = p.get("objective")
            if objective is not None and (not isinstance(objective, str) or objective not in s.objectives):
                raise InputRefused(f"unknown objective {p['objective']!r}")
            if p.get("rating") not in (None, "P", "S", "M", "U"):
                raise InputRefused("rating must be P, S, M or U")
        elif kind == "role":
            agency = p.get("agency")
            if not isinstance(agency, str) or agency not in self.model.agencies:
                raise InputRefused(f"unknown agency {p.get('agency')!r}")
            if "played" not in p:
                raise InputRefused("a role input needs `played: true|false`")
        elif kind == "message":
            text = p.get("text")
            if not isinstance(text, str) or not text.strip() or len(text) > MESSAGE_LIMIT:
                raise InputRefused(f"a message needs text (at most {MESSAGE_LIMIT} characters)")
        elif kind == "reseed":
            salt = p.get("salt")
            if not isinstance(salt, int) or isinstance(salt, bool) or salt < 0:
                raise InputRefused("a reseed input needs `salt`: a whole number ≥ 0")

    # -- end ------------------------------------------------------------------------------------------

    def finish(self, reason: str = "duration") -> None:
        """Close the exercise: log what is still open, ``exercise.ended``, and close the log."""
        if self.ended:
            return
        now = self.env.now
        for inc in self.model.incidents.values():
            if inc.state == "closed":
                continue
            main = inc.tasks.get(PRIMARY)
            if inc.needs_rescue and (main is None or not main.done):
                self.emit("incident.unresolved", inc.region.key, inc.key, {
                    "state": inc.state, "people": inc.people, "alive": inc.alive_after(now - inc.onset),
                    "rescued": inc.rescued, "team": inc.team.key if inc.team else None})
            for task in inc.tasks.values():
                if not task.done and not (task.primary and task.kind == "rescue"):
                    self.emit("task.unresolved", inc.region.key, inc.key, {
                        "task": task.key, "kind": task.kind, "state": task.state,
                        **self.operations.handler(task).unresolved(task)})
        summary = self.summary()
        self.emit("exercise.ended", "control", self.scenario.id, {
            "reason": reason, "incidents": summary.incidents, "reports": summary.reports,
            "dispatches": summary.dispatches, "rescues": summary.rescues, "rescued": summary.rescued,
            "lost": summary.lost, "unresolved": summary.unresolved,
            "levels": {k: levels.name(a.level) for k, a in self.model.agencies.items()}})
        self.ended = True
        self.log.close()
        self.model.release()  # no agent is created after the end

    def dispose(self) -> None:
        """Let go of a finished run at once: its records, and the model's tie to mesa.

        For a caller that is done with the exercise (a sweep worker after scoring it). The records
        are most of a run's objects (two of every three); cleared, reference counting frees them
        now instead of leaving them to a collection, and what is left for the collector — the
        model, the flows and the simpy processes, which refer to each other — is a third of the
        objects. The log also lets go of its tee: a :class:`~drillsim.logstore.RecordStore` (a sweep
        worker's, with the records scoring decoded) is then freed by reference counting when its
        holder drops it, instead of waiting in the exercise's cycles for a collection that would
        traverse its ~65,000 decoded objects too (measured on the 96-hour rainstorm: 100,000 objects
        left to the collector → 34,000, and ~40 ms less a run). The exercise must not be used afterwards.
        """
        if not self.ended:
            raise RuntimeError("dispose() is for a finished exercise")
        self.log.records.clear()
        self.log.detach()
        self.model.release()

    def summary(self) -> Summary:
        """Counts so far (from the log's per-kind counters and the incidents)."""
        c = self.log.counts
        rescued = lost = unresolved = 0
        for inc in self.model.incidents.values():
            rescued += inc.rescued
            lost += inc.lost
            if inc.needs_rescue and inc.state != "closed":
                unresolved += 1
        return Summary(self.env.now, c.get("incident.occurred", 0), c.get("report.received", 0),
                       c.get("team.dispatched", 0), c.get("rescue.completed", 0), rescued, lost, unresolved,
                       self.log.next_seq)


def _check_header(header: dict[str, Any], log_path: str | Path | None) -> None:
    """Refuse a header the log cannot hold, or that the reader would refuse (before anything is written).

    A number beyond 64 bits (a seed, a team of 10^20 members from ``--set``) cannot be written,
    and a header the reader refuses (too many objectives) would make a log nobody can open. The
    scenario loader and the command line refuse most such values where they are typed; this is
    the last check, so a run never starts writing what it cannot finish.
    """
    found: tuple[str, str] | None
    try:
        orjson.dumps(header)  # what the writer will do; fast, and it refuses what a log cannot hold
    except TypeError:
        found = unencodable(header) or ("", "cannot be written as JSON")
    else:
        found = header_problem(header)
    if found is None:
        return
    where, problem = found
    raise InputError([Problem(str(log_path) if log_path is not None else "log header", 1, 0,
                              f"data.{where}" if where else "data", f"{problem}; nothing was written")])


@contextmanager
def one_run() -> Iterator[None]:
    """Run one exercise (and score it) with the cyclic collector paused; collect its garbage after.

    For a process that runs exercises one after another and drops each at the end of the block (a
    sweep worker). Paused for the whole run, the collector never scans the run's objects while
    they are alive (generational collections rescanning a run's records and agents were ~20 % of
    a rainstorm run), and none of them is promoted to an older generation, so no full collection
    is ever owed to them. When the block ends, the exercise is gone: what reference counting did
    not free is the run's own cyclic garbage, all in the youngest generation, and one collection
    of that generation frees it (~0.03 s for the 96-hour rainstorm after :meth:`Exercise.dispose`).

    Nothing global is left behind: the collector's state is restored, nothing is frozen, and
    blocks may nest or interleave (an inner block restores "paused"; its collection of the young
    generation only promotes an outer run's live objects). The collector is per process, so a
    thread running an exercise meanwhile (the seats' server) also runs with it paused for a while.
    A run's cyclic garbage stays until the block ends (the rainstorm: less than the records it keeps).
    """
    try:
        with _gc_paused():
            yield
    finally:
        gc.collect(0)


def _no_progress(now: float, total: float) -> None:
    """Progress callback that does nothing."""


@contextmanager
def _ctrl_c_between_events(exercise: Exercise) -> Iterator[None]:
    """Take Ctrl-C (SIGINT) between two events, never inside one.

    Python raises ``KeyboardInterrupt`` wherever the main thread happens to be, and inside a simpy
    process simpy turns it into that process's failure and goes on with the other events of the
    instant until the failure surfaces: the log then ends with records an uninterrupted run would
    not have written there (measured: 3 runs in 60 of a long scenario). While a slice runs, SIGINT
    only sets a flag and stops the slice at the next event; the slice then raises
    ``KeyboardInterrupt`` itself, so the log is exactly the start of the uninterrupted run. Only
    where SIGINT would raise ``KeyboardInterrupt`` anyway (the main thread with Python's own
    handler): the console and the seats' server handle it themselves.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return

    def interrupted(signum: int, frame: Any) -> None:
        exercise._interrupted = True
        stop = exercise._stop
        if stop is not None and not stop.triggered:
            stop.succeed()  # env.run returns at the next event boundary

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if exercise._interrupted:
        exercise._interrupted = False
        raise KeyboardInterrupt


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while simulating.

    The engine allocates many short-lived containers; with records kept in memory, generational
    collections rescanning them cost half the run time (measured 1.2 s → 0.6 s for 10,000
    incidents). Reference counting still frees everything that is not in a cycle, and collection
    resumes between slices.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
