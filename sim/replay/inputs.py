"""Recorded inputs, and re-running an exercise with them: the one loop verify, branch and sweeps share.

A recorded run is re-simulated from its header (scenario, seed, overrides, players, replicate and
any extra header fields such as ``branch_of``) by applying each ``input.received`` record's data
again at its ``t``. :func:`drive` does what :meth:`drillsim.engine.Exercise.run` does — advance to each
input's time in slices, submit it, run to the end — and adds what replay needs on top: stop early
(a verify that found a difference), finish at a recorded time and reason, and a *watch* that may
answer decisions as they open (a branch making a role played for one decision).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillsim.engine import Exercise
from drillsim.log import END_KIND, INPUT_KIND, LogError
from drillsim.scenario.load import Loaded


@dataclass(frozen=True)
class Step:
    """An input to apply at ``t`` (after every event at or before ``t``).

    Attributes:
        t: Simulated minutes.
        payload: The input, exactly as ``Exercise.submit`` takes it.
        seq: The record it was read from (None for an input a branch made up).
    """

    t: float
    payload: dict[str, Any]
    seq: int | None = None


class InputRefused(Exception):
    """The engine refused an input (it did not apply at that time)."""

    def __init__(self, step: Step, reason: str) -> None:
        self.step = step
        self.reason = reason
        where = f" (record seq {step.seq})" if step.seq is not None else ""
        super().__init__(f"input at t={step.t:g}{where} refused: {reason}")


@dataclass(frozen=True)
class Ending:
    """How a recorded run ended: at ``t`` for ``reason`` (None: it did not end)."""

    t: float
    reason: str


@dataclass
class Outcome:
    """What :func:`drive` did: ``stopped`` early on request, or ``refused`` inputs (when tolerated)."""

    stopped: bool = False
    refused: list[InputRefused] = field(default_factory=list)


def recorded_inputs(records: Iterable[Sequence[Any]]) -> list[Step]:
    """Every ``input.received`` record as a :class:`Step`, in log order."""
    return [Step(float(r[0]), dict(r[5]) if isinstance(r[5], dict) else {}, int(r[1]))
            for r in records if r[2] == INPUT_KIND]


def recorded_ending(records: Sequence[Sequence[Any]], duration: float) -> Ending | None:
    """The ending to reproduce when it was not caused by an input: ``finish(reason)`` at a time.

    A run that ended at its duration, or through an ``end`` input, needs nothing special (the
    driver reaches the duration, or re-applies the input). Anything else — a console that closed
    the exercise directly — is reproduced by finishing at the same time for the same reason.
    """
    if not records or records[-1][2] != END_KIND:
        return None
    last = records[-1]
    reason = str((last[5] or {}).get("reason", "duration"))
    ended_by_input = any(r[2] == INPUT_KIND and (r[5] or {}).get("kind") == "end" for r in records)
    if ended_by_input or (reason == "duration" and float(last[0]) >= duration):
        return None
    return Ending(float(last[0]), reason)


def header_extras(header: dict[str, Any], loaded: Loaded) -> dict[str, Any]:
    """Header fields the engine does not write itself (``branch_of``, ``branch_point``, ...), in order.

    Found by asking the engine which fields it writes (a throwaway exercise, nothing simulated), so
    fields the engine adds later are never mistaken for extras.
    """
    probe = Exercise(loaded, int(header.get("seed", loaded.scenario.seed)), keep=True)  # seed checked by the caller
    own = set(probe.log.header or {})
    return {k: v for k, v in header.items() if k not in own}


def exercise_for(header: dict[str, Any], loaded: Loaded, *, log_path: str | Path | None = None, keep: bool = False,
                 extra_header: dict[str, Any] | None = None, players: Iterable[str] | None = None,
                 replace: bool = False) -> Exercise:
    """An exercise set up as the header says (seed, replicate, players; extras unless given).

    ``replace``: replace a log already at ``log_path`` (else it is refused, never overwritten).

    Raises:
        LogError: The header's seed, replicate or players cannot be used (a damaged or foreign log).
    """
    try:
        seed = int(header.get("seed", loaded.scenario.seed))
        replicate = int(header.get("replicate") or 0)
        roles = list(header.get("players") or ()) if players is None else list(players)
        extras = header_extras(header, loaded) if extra_header is None else extra_header
        return Exercise(loaded, seed, log_path=log_path, keep=keep, players=roles, replicate=replicate,
                        extra_header=extras, replace=replace)
    except (ValueError, TypeError) as exc:
        raise LogError(f"log header: seed, replicate or players cannot be used: {exc}") from None


Watch = Callable[[Exercise], list[dict[str, Any]]]
"""Called when the exercise halts for a players' decision; returns inputs to apply at once."""


def drive(ex: Exercise, steps: Sequence[Step], *, ending: Ending | None = None, watch: Watch | None = None,
          stop: Callable[[], bool] | None = None, tolerate: bool = False, slices: int = 200,
          progress: Callable[[float, float], None] | None = None) -> Outcome:
    """Run ``ex`` to its end, applying ``steps`` at their times (the semantics of ``Exercise.run``).

    Args:
        ex: A freshly built exercise.
        steps: Inputs in the order to apply them (times non-decreasing).
        ending: Finish at this time and reason instead of at the duration.
        watch: Answers decisions as they open (see :data:`Watch`).
        stop: Checked after every slice; True stops the run where it is (the log is left open).
        tolerate: Skip refused inputs (collected in :attr:`Outcome.refused`) instead of raising.
        slices: Slices the run is cut into (invisible in the log; they bound how late ``stop`` acts).
        progress: Called with ``(now, duration)`` after each slice.

    Raises:
        InputRefused: An input did not apply (unless ``tolerate``).
    """
    out = Outcome()
    step_len = ex.duration / max(1, slices)
    should_stop = stop or (lambda: False)

    def advance_to(target: float) -> bool:
        target = min(target, ex.duration)
        while not ex.ended:
            # ``now / step_len`` can round down at a slice boundary (14 h in 200 slices of 4.2 min):
            # never ask for a boundary the clock has already reached, or the loop never moves
            k = math.floor(ex.now / step_len) + 1
            if k * step_len <= ex.now:
                k += 1
            nxt = min(target, k * step_len)
            ex.advance(nxt)
            if watch is not None and ex.halted and not ex.ended:
                for payload in watch(ex):  # the engine applies each at the next clean instant
                    _submit(ex, Step(ex.now, payload), out, tolerate)
            if progress is not None:
                progress(ex.now, ex.duration)
            if should_stop():
                out.stopped = True
                return False
            if ex.now >= target:
                break
        return True

    for step in steps:
        if not advance_to(step.t) or ex.ended:
            return out
        _submit(ex, step, out, tolerate)
    end_t, reason = (ending.t, ending.reason) if ending is not None else (ex.duration, "duration")
    if advance_to(end_t) and not ex.ended:
        ex.finish(reason)
    return out


def _submit(ex: Exercise, step: Step, out: Outcome, tolerate: bool) -> None:
    if ex.ended:
        return
    try:
        ex.submit(step.payload)
    except ValueError as exc:
        refused = InputRefused(step, str(exc))
        if not tolerate:
            raise refused from None
        out.refused.append(refused)
