"""What-if branches: re-run a recorded exercise with one decision taken differently.

A branch is a replay of the parent's inputs with one change at one decision, so it reproduces the
parent record for record up to the *branch point* — the first record where its inputs differ —
and the header says so (``branch_of``, ``branch_point``). How the change is made depends on how
the parent's decision was taken (the ``case``):

``players``
    People answered with an input: that input is replaced (at the same time, or ``at``).
``default``
    People were asked and let the time limit pass: the branch answers when the decision opens
    (or ``at``, before the deadline).
``doctrine``
    Nobody played the role, doctrine chose: the branch makes the role played just before the
    decision opens (after the last record before it, so nothing else can notice), hands the role
    back to doctrine the moment the decision is open, and answers at the time doctrine answered
    in the parent (or ``at``; when doctrine took longer than the time limit, at once). Other
    decisions of that role opening in the same instant are answered as the parent took them.
``unasked``
    A doctrine decision the parent never logged (an agency nobody played decides without asking):
    give the role and a time; the role is played from then until the decision opens. Decisions of
    that role opening meanwhile take their default at once — keep ``at`` close before the decision.

Later inputs are re-applied at their recorded times when they still apply (``later="keep"``,
skipped ones are listed) except evaluator notes, which describe the parent's events; with
``later="drop"`` only an ``end`` input is kept, so both runs cover the same time.

``continuation`` k ≥ 1 re-keys every random stream at the branch point (a ``reseed`` input,
salt k): the history up to the branch point stays the parent's, draws after it are new. k = 0
keeps the parent's streams (common random numbers: the choice is the only difference).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillsim.engine import Exercise
from drillsim.log import INPUT_KIND, LogData, Record, encode
from drillsim.logstore import RecordStore, StoredLog
from drillsim.replay.inputs import InputRefused, Step, drive, recorded_ending, recorded_inputs
from drillsim.scenario.load import Loaded
from drillsim.version import __version__

BY = "branch"
"""``by`` of the inputs a branch makes up (the actor of their ``input.received`` records)."""

CASES = ("players", "default", "doctrine", "unasked")


class BranchError(ValueError):
    """A branch that cannot be made as asked (unknown decision or option, a time outside the window...)."""


@dataclass(frozen=True)
class BranchSpec:
    """What to change.

    Attributes:
        decision: Decision id (a scenario decision point, or a doctrine decision such as ``raise-<agency>-II``).
        option: The option to take instead.
        at: When to answer (minutes); None: as the parent did (see the module docstring).
        role: The deciding agency, needed only for a decision the parent never logged.
        later: ``keep`` or ``drop`` the parent's later inputs.
        continuation: 0: the parent's random streams; k ≥ 1: re-keyed at the branch point with salt k.
        arm: ``branch`` (take ``option``) or ``parent`` (a continuation of the parent's own choice: the
            same inputs as the parent, re-keyed at the same point; what a fork-and-sweep compares with).
    """

    decision: str
    option: str
    at: float | None = None
    role: str | None = None
    later: str = "keep"
    continuation: int = 0
    arm: str = "branch"


@dataclass
class BranchPlan:
    """How a branch will be run: inputs, a watch for decisions as they open, the declared branch point."""

    spec: BranchSpec
    case: str
    role: str
    steps: list[Step]
    point_t: float
    point_seq: int
    parent_choice: dict[str, Any] | None
    answer_at: float | None
    players: list[str]
    extras: dict[str, Any]
    ending: Any = None
    same_instant: dict[str, str] = field(default_factory=dict)
    dropped: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class BranchResult:
    """A finished branch run.

    Attributes:
        log: The branch's log (header and records, held compactly in a store as ``drillsim run``
            holds its own: what the report and the outcome are made from).
    """

    plan: BranchPlan
    exercise: Exercise
    skipped: list[InputRefused]
    made: tuple[Any, ...] | None
    log: StoredLog
    log_path: str | None = None


ParentLog = LogData | StoredLog
"""A parent log as read from its file: in a list (:func:`drillsim.log.read_log`) or in a store
(:func:`drillsim.logstore.read_store`, what ``drillsim replay --branch`` reads: a long parent is not
held as objects)."""


def records_of(log: ParentLog) -> Sequence[Record]:
    """The log's records after the header, in order (a store's lazily, a block at a time)."""
    records = log.records
    return records.records() if isinstance(records, RecordStore) else records


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes (how a branch names its parent)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def default_dir(parent_log: Path, spec: BranchSpec) -> Path:
    """Where a branch goes by default: ``<parent's directory>/branches/<DECISION>=<OPTION>[@T+HHhMM][-cK]``."""
    name = f"{spec.decision}={spec.option}"
    if spec.at is not None:
        total = round(spec.at)
        name += f"@T+{total // 60:02d}h{total % 60:02d}"
    if spec.continuation:
        name += f"-c{spec.continuation}"
    safe = "".join(c if c.isalnum() or c in "-_=+@." else "_" for c in name)
    return Path(parent_log).parent / "branches" / safe


def same_branch(log: Path, spec: BranchSpec, parent_sha256: str) -> bool:
    """True when ``log`` is this very branch: of the same parent (by sha256), the same decision and option.

    Such a log is what re-running the branch would write (branches are deterministic), so a viewer
    can open it instead of simulating it again.
    """
    import orjson

    try:
        with open(log, "rb") as fh:
            header = orjson.loads(fh.readline()).get("data") or {}
    except (OSError, orjson.JSONDecodeError, AttributeError):  # a log that cannot be read is not this branch
        return False
    of, point = header.get("branch_of") or {}, header.get("branch_point") or {}
    return (of.get("sha256") == parent_sha256 and point.get("decision") == spec.decision
            and point.get("option") == spec.option and point.get("continuation", 0) == spec.continuation
            and (spec.at is None or point.get("at") == spec.at))


def branch_dir(parent_log: Path, spec: BranchSpec, parent_sha256: str) -> tuple[Path, bool]:
    """Where the viewer puts a branch, and whether that branch is already there (then it is opened, not re-run).

    :func:`default_dir` when it is free or holds this branch; otherwise (it holds a branch of
    another parent: the log was replaced since) ``<name>-2``, ``<name>-3``…: nothing is overwritten.
    """
    base = default_dir(parent_log, spec)
    n = 1
    while True:
        folder = base if n == 1 else base.with_name(f"{base.name}-{n}")
        log = folder / "events.jsonl"
        if not log.exists():
            return folder, False
        if same_branch(log, spec, parent_sha256):
            return folder, True
        n += 1


# -- planning ---------------------------------------------------------------------------------------


def plan_branch(parent: ParentLog, spec: BranchSpec, parent_sha256: str) -> BranchPlan:
    """Work out the inputs of a branch of ``parent`` (see the module docstring).

    Raises:
        BranchError: The decision or option does not exist, or the time is outside the decision's window.
    """
    if spec.arm not in ("branch", "parent"):
        raise BranchError(f"arm must be branch or parent, not {spec.arm!r}")
    if spec.later not in ("keep", "drop"):
        raise BranchError(f"later must be keep or drop, not {spec.later!r}")
    if spec.continuation < 0:
        raise BranchError("a continuation number is 0 (the parent's random streams) or more")
    records = records_of(parent)
    inputs = recorded_inputs(records)
    opened_all = [r for r in records if r.kind == "decision.opened" and r.subject == spec.decision]
    if not opened_all:
        return _plan_unasked(parent, spec, parent_sha256, inputs)
    opened = opened_all[0]
    if spec.at is not None:
        earlier = [r for r in opened_all if r.t <= spec.at + 1e-9]
        opened = earlier[-1] if earlier else opened_all[0]
    made = next((r for r in records if r.kind == "decision.made" and r.subject == spec.decision
                 and r.seq > opened.seq), None)
    options = list((opened.data.get("options") or {}).keys())
    if spec.option not in options:
        raise BranchError(f"{spec.option!r} is not an option of {spec.decision} ({', '.join(options)})")
    role = str(opened.actor or "")
    if spec.role is not None and spec.role != role:
        raise BranchError(f"{spec.decision} is decided by {role}, not {spec.role}")
    t_open = float(opened.t)
    deadline = float(opened.data.get("deadline", t_open + float(opened.data.get("time_limit") or 0.0)))
    parent_choice = None if made is None else {
        "option": made.data.get("option"), "by": made.data.get("by"), "t": made.t, "seq": made.seq}
    asked = opened.data.get("asked")
    by = made.data.get("by") if made is not None else None
    if spec.at is not None and not (t_open - 1e-9 <= spec.at < deadline - 1e-9):
        raise BranchError(f"{spec.decision} can be answered from {_clock(t_open)} until before its deadline "
                          f"{_clock(deadline)}; --at {_clock(spec.at)} is outside that window")
    same_instant: dict[str, str] = {}
    players = list(parent.header.get("players") or ())
    removed: int | None = None
    inserted: list[Step] = []
    answer_at: float | None
    from_start = False
    if asked == "players" and by == "players":
        case = "players"
        answer = next((s for s in reversed(inputs) if s.payload.get("kind") == "decide"
                       and s.payload.get("decision") == spec.decision and opened.seq < (s.seq or 0)
                       and (made is None or (s.seq or 0) < made.seq)), None)
        if answer is None:
            raise BranchError(f"the players' answer to {spec.decision} is not among the log's inputs")
        removed = answer.seq
        answer_at = spec.at if spec.at is not None else answer.t
        inserted.append(_decide(spec, answer_at))
        point_time = min(answer.t, answer_at)
    elif asked == "players":
        case = "default"
        answer_at = spec.at
        if answer_at is not None:
            inserted.append(_decide(spec, answer_at))
        point_time = t_open if answer_at is None else answer_at
    else:
        case = "doctrine"
        answer_at = spec.at
        if answer_at is None and made is not None and t_open < made.t < deadline - 1e-4:
            answer_at = float(made.t)
        before: Record | None = None  # the last record before the decision opens
        for r in records:
            if r.seq >= opened.seq:
                break
            if r.t < t_open:
                before = r
        if t_open > 0 and before is not None:
            last_t = float(before.t)
            t_role = round(last_t + 1e-4, 4) if t_open - last_t >= 2e-4 else last_t
            inserted.append(Step(t_role, {"kind": "role", "agency": role, "played": True, "by": BY}))
            point_time = t_role
        else:  # the decision opens at the very start: the role is played from the start
            players = sorted({*players, role})
            from_start = True
            point_time = t_open
        for r in records:  # other decisions of the role opening in the same instant: as the parent took them
            if (r.kind == "decision.opened" and r.actor == role and r.t == opened.t and r.subject != spec.decision
                    and r.seq != opened.seq):
                m = next((x for x in records if x.kind == "decision.made" and x.subject == r.subject
                          and x.seq > r.seq), None)
                same_instant[str(r.subject)] = str(m.data.get("option")) if m is not None else str(
                    r.data.get("default"))
        if answer_at is not None:
            inserted.append(_decide(spec, answer_at))
    by_watch = case == "default" and answer_at is None  # answered (and re-keyed) the moment it opens
    if spec.arm == "parent":
        if not spec.continuation:
            raise BranchError("the parent arm is a re-keyed continuation: give a continuation number ≥ 1")
        removed, inserted, players, from_start = None, [], list(parent.header.get("players") or ()), False
    steps, point_seq, dropped = _merge(records, inputs, removed, inserted, spec, point_time, reseed=not by_watch)
    if from_start:
        point_seq = int(opened.seq)
    point_t = round(point_time, 4)
    plan = BranchPlan(spec, case, role, steps, point_t, point_seq, parent_choice, answer_at, players, {},
                      ending=recorded_ending(records, float(parent.header.get("duration") or 0.0)),
                      same_instant=same_instant, dropped=dropped)
    plan.extras = _extras(parent, plan, parent_sha256)
    if parent_choice is not None and parent_choice["option"] == spec.option and spec.continuation == 0:
        plan.notes.append(f"the parent also chose {spec.option} ({parent_choice['by']}): the branch differs only "
                          "in how the choice was made")
    return plan


def _plan_unasked(parent: ParentLog, spec: BranchSpec, parent_sha256: str, inputs: list[Step]) -> BranchPlan:
    definition = parent.header.get("definition") or {}
    scenario_decision = (definition.get("decisions") or {}).get(spec.decision)
    if scenario_decision is not None:
        raise BranchError(f"{spec.decision} never opened in this log (it opens at "
                          f"{_clock(float(scenario_decision.get('at') or 0.0))}; the run ended before)")
    if spec.role is None or spec.at is None:
        raise BranchError(f"{spec.decision} was never asked in this log: doctrine decides without asking when "
                          "nobody plays the agency. Give --role AGENCY and --at TIME: the branch plays the "
                          "agency from TIME until the decision opens (docs/replay.md)")
    agencies = (parent.header.get("roster") or {}).get("agencies") or {}
    if spec.role not in agencies:
        raise BranchError(f"unknown agency {spec.role!r} (one of {', '.join(agencies)})")
    at = round(spec.at, 4)
    inserted = [Step(at, {"kind": "role", "agency": spec.role, "played": True, "by": BY})]
    if spec.arm == "parent":
        if not spec.continuation:
            raise BranchError("the parent arm is a re-keyed continuation: give a continuation number ≥ 1")
        inserted = []
    records = records_of(parent)
    steps, point_seq, dropped = _merge(records, inputs, None, inserted, spec, at)
    plan = BranchPlan(spec, "unasked", spec.role, steps, at, point_seq, None,
                      None, list(parent.header.get("players") or ()), {},
                      ending=recorded_ending(records, float(parent.header.get("duration") or 0.0)),
                      dropped=dropped)
    plan.extras = _extras(parent, plan, parent_sha256)
    plan.notes.append(f"{spec.role} is played from {_clock(at)} until {spec.decision} opens; its other decisions "
                      "opening meanwhile take their default at once")
    return plan


def _decide(spec: BranchSpec, t: float) -> Step:
    return Step(round(t, 4), {"kind": "decide", "decision": spec.decision, "option": spec.option, "by": BY})


def _merge(records: Sequence[Any], inputs: list[Step], removed: int | None, inserted: list[Step], spec: BranchSpec,
           point_time: float, *, reseed: bool = True) -> tuple[list[Step], int, list[Step]]:
    """The branch's inputs in order, the seq of the branch point, and the parent inputs left out.

    ``point_time`` is when the branch first departs from the parent: its first own input, the
    parent input it replaces, or the opening of the decision it answers as it opens.
    """
    if spec.continuation and reseed:
        inserted = [Step(round(point_time, 4), {"kind": "reseed", "salt": spec.continuation, "by": BY}),
                    *inserted]
    first_change = point_time
    keep_before = [s for s in inputs if s.t <= first_change and s.seq != removed
                   and (removed is None or (s.seq or 0) < removed)]
    rest = [s for s in inputs if s not in keep_before and s.seq != removed]
    dropped: list[Step] = []
    later: list[Step] = []
    for s in rest:
        kind = s.payload.get("kind")
        if kind == "note" or (spec.later == "drop" and kind != "end"):
            dropped.append(s)
        else:
            later.append(s)
    merged = sorted([*keep_before, *inserted, *later], key=lambda s: s.t)  # stable: ties keep this order
    point_seq = _point_seq(records, keep_before, removed, first_change)
    return merged, point_seq, dropped


def _point_seq(records: Sequence[Any], kept: list[Step], removed: int | None, t: float) -> int:
    """The first parent record a branch whose first change is at ``t`` may differ in.

    Inputs apply after every event at their time and after the inputs before them, so the branch
    reproduces the parent up to its last kept input at or before ``t`` and the instant that follows;
    the first record after that which is an input or lies after ``t`` is where they may part.
    """
    after = max((s.seq or 0 for s in kept), default=0)
    for r in records:
        if r.seq <= after:
            continue
        if r.seq == removed or r.kind == INPUT_KIND or r.t > t + 1e-9:
            return int(r.seq)
    return int(records[-1].seq) + 1 if records else 1


def _extras(parent: ParentLog, plan: BranchPlan, parent_sha256: str) -> dict[str, Any]:
    h = parent.header
    spec = plan.spec
    return {
        "branch_of": {"sha256": parent_sha256, "scenario": (h.get("scenario") or {}).get("id"),
                      "seed": h.get("seed"), "replicate": h.get("replicate"), "records": len(parent.records) + 1,
                      "complete": parent.complete},
        "branch_point": {"t": plan.point_t, "seq": plan.point_seq, "decision": spec.decision,
                         "option": spec.option, "case": plan.case, "role": plan.role, "at": plan.answer_at,
                         "parent": plan.parent_choice, "later": spec.later, "continuation": spec.continuation,
                         "arm": spec.arm},
    }


# -- running ----------------------------------------------------------------------------------------


class _Watch:
    """Answers the branch's decision (and the role's other new decisions) when they open."""

    def __init__(self, plan: BranchPlan, parent_pending: set[str]) -> None:
        self.plan = plan
        self.parent_pending = parent_pending
        self.handled: set[str] = set()
        self.parent_arm = plan.spec.arm == "parent"
        self.done = plan.case in ("players", "default") and plan.answer_at is not None
        if self.parent_arm:  # re-keys the moment the decision opens, when that is the branch point
            self.done = not (plan.case == "default" and plan.answer_at is None)

    def __call__(self, ex: Exercise) -> list[dict[str, Any]]:
        if self.done:
            return []
        plan, spec = self.plan, self.plan.spec
        pending = {p.id: p for p in ex.pending}
        out: list[dict[str, Any]] = []
        if spec.decision in pending:
            if plan.case == "default" and spec.continuation:
                out.append({"kind": "reseed", "salt": spec.continuation, "by": BY})
            if self.parent_arm:
                self.done = True
                return out
            if plan.case in ("doctrine", "unasked"):
                out.append({"kind": "role", "agency": plan.role, "played": False, "by": BY})
            if plan.answer_at is None:
                out.append({"kind": "decide", "decision": spec.decision, "option": spec.option, "by": BY})
            self.done = True
        if plan.case in ("doctrine", "unasked"):
            for key, p in pending.items():
                if key == spec.decision or key in self.handled or key in self.parent_pending or p.role != plan.role:
                    continue
                self.handled.add(key)
                option = plan.same_instant.get(key, p.default)
                out.append({"kind": "decide", "decision": key, "option": option, "by": BY})
        return out


def run_branch(parent: ParentLog, loaded: Loaded, plan: BranchPlan, *, log_path: str | Path | None = None,
               progress: Any = None, replace: bool = False) -> BranchResult:
    """Run the branch (in memory, and to ``log_path`` when given) and check its promises.

    The log is written under a temporary name and published at ``log_path`` only once every check
    passed: a refused branch leaves no log claiming ``branch_of`` behind.

    Args:
        parent: The parent log.
        loaded: Its scenario (checked by sha256).
        plan: From :func:`plan_branch`.
        log_path: Where the branch's log goes (None: memory only).
        progress: Called with ``(now, duration)`` after each slice.
        replace: Replace a log already at ``log_path`` (``--force``); else it is refused.

    Raises:
        BranchError: The branch's own inputs did not apply, the decision was not taken as asked, or
            the records before the branch point differ from the parent's (the parent was edited).
        FileExistsError: A log is at ``log_path`` and ``replace`` is false (checked before running).
    """
    h = parent.header
    store = RecordStore()  # the branch's records, as ``drillsim run`` keeps its own (docs/design.md, "Memory")
    ex = Exercise(loaded, int(h.get("seed", loaded.scenario.seed)), log_path=log_path, keep=False,
                  tee=store.add_line, players=plan.players, replicate=int(h.get("replicate") or 0),
                  extra_header=plan.extras, replace=replace, staged=True)
    writer = ex.log.writer
    try:
        parent_pending = {str(r.subject) for r in records_of(parent)
                          if r.kind == "decision.opened" and r.data.get("asked") == "players"}
        watch = _Watch(plan, parent_pending)
        try:
            outcome = drive(ex, plan.steps, ending=plan.ending, watch=watch, tolerate=True, progress=progress)
        finally:
            ex.log.close()
        log = StoredLog(ex.log.header or {}, store, ex.ended, False, str(log_path) if log_path is not None else "")
        result = _checked(parent, ex, log, plan, outcome)
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    if writer is not None:
        writer.commit()
    return result


def _checked(parent: ParentLog, ex: Exercise, log: StoredLog, plan: BranchPlan, outcome: Any) -> BranchResult:
    own = [r for r in outcome.refused if r.step.seq is None]
    if own:
        raise BranchError(f"the branch's own input did not apply: {own[0].reason} (at {_clock(own[0].step.t)})")
    check_prefix(records_of(parent), log.records.records(), plan.point_seq, parent.header.get("drillsim"))
    made = next((r for r in log.records.kind("decision.made") if r[4] == plan.spec.decision
                 and r[0] >= plan.point_t - 1e-9), None)
    if plan.spec.arm == "branch" and (made is None or made[5].get("option") != plan.spec.option):
        if made is None:
            got = ("it did not open after the branch point (for a doctrine decision the log never asked, "
                   "--at must come before it opens: see the response.triggered record)"
                   if plan.case == "unasked" else "it never opened")
        else:
            got = f"it was taken as {made[5].get('option')!r} by {made[5].get('by')}"
        raise BranchError(f"{plan.spec.decision} was not taken as {plan.spec.option!r} in the branch: {got}")
    return BranchResult(plan, ex, [r for r in outcome.refused if r.step.seq is not None], made, log,
                        log.path or None)


def check_prefix(parent: Iterable[Sequence[Any]], branch: Iterable[Sequence[Any]], point_seq: int,
                 version: Any = None) -> None:
    """Raise :class:`BranchError` unless records 1 .. point_seq-1 are byte-identical in both runs.

    Both are the records after the header, in order; only those before the branch point are read.

    They are identical whenever the parent is what this drillsim wrote for its scenario, seed and
    inputs (the branch replays exactly those up to the branch point). So a difference means the
    parent log was edited after the run — or written by another drillsim version (``version``, the
    parent header's): the refusal says which and where.
    """
    theirs = iter(branch)
    for r in parent:
        if r[1] >= point_seq:
            break
        other = next(theirs, None)
        if other is None or other[1] != r[1] or encode(tuple(other)) != encode(tuple(r)):
            if version is not None and version != __version__:
                raise BranchError(f"the parent log was written by drillsim {version}; this drillsim {__version__} "
                                  f"re-simulates it differently from seq {r[1]} on, before the branch point "
                                  f"(seq {point_seq})")
            raise BranchError(f"the parent log was edited at seq {r[1]} (its record differs from what its scenario, "
                              f"seed and inputs give, before the branch point at seq {point_seq}); "
                              "drillsim replay LOG --verify shows the difference")


def _clock(t: float) -> str:
    total = round(t)
    return f"T+{total // 60:02d}:{total % 60:02d}"
