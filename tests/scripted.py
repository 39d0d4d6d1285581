"""Drive an Exercise the way the facilitator console does: odd slices, inputs at clean instants.

The console advances the clock in slices of whatever length the speed gives, answers decisions
some time after they open, sends ad-hoc injects and notes, and applies every input at a clean
instant (a whole number of 1/10 000 minute) followed by processing that instant. A log written this
way must replay byte for byte from its recorded inputs alone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from drillsim.engine import Exercise
from drillsim.scenario import load

QUANTUM = 1e-4


def clean(t: float) -> float:
    r = round(t, 4)
    return r if r >= t else round(r + QUANTUM, 4)


def _apply(ex: Exercise, payload: dict[str, Any]) -> None:
    while not ex.ended and clean(ex.now) != ex.now:
        ex.advance(clean(ex.now))
    ex.submit(payload)
    if not ex.ended:
        ex.advance(ex.now)


def play_log(path: Path, *, scenario: str = "mentougou-flash-flood", players: tuple[str, ...] = ("mtg-flood-hq",),
             slice_minutes: float = 7.37, answer: Callable[[str, list[str]], str | None] | None = None,
             answer_after: float = 6.0, actions: list[tuple[float, dict[str, Any]]] | None = None,
             end_at: float | None = None, seed: int | None = None) -> Path:
    """Write a play-style log to ``path``; return it.

    Args:
        answer: ``(decision id, options) -> option`` (None: let the time limit pass).
        answer_after: Minutes after a decision opens that the players answer.
        actions: ``(t, input)`` pairs sent when the clock passes ``t`` (injects, notes, roles).
        end_at: Send an ``end`` input at this time instead of running to the duration.
    """
    loaded = load(scenario)
    ex = Exercise(loaded, seed, log_path=path, players=players)
    todo = sorted(actions or [], key=lambda a: a[0])
    due: dict[str, float] = {}
    t = 0.0
    while not ex.ended:
        t = min(ex.duration, t + slice_minutes)
        target = end_at if end_at is not None and end_at < t else t
        while ex.now < target and not ex.ended:
            ex.advance(target)
            for p in ex.pending:
                due.setdefault(p.id, ex.now + answer_after)
        for key, when in sorted(due.items(), key=lambda kv: kv[1]):
            if when > ex.now or ex.ended:
                continue
            pend = {p.id: p for p in ex.pending}
            if key in pend and answer is not None:
                option = answer(key, list(pend[key].options))
                if option is not None:
                    _apply(ex, {"kind": "decide", "decision": key, "option": option, "by": "players"})
            del due[key]
        while todo and todo[0][0] <= ex.now and not ex.ended:
            _apply(ex, todo.pop(0)[1])
        if end_at is not None and ex.now >= end_at and not ex.ended:
            _apply(ex, {"kind": "end", "reason": "facilitator"})
        elif ex.now >= ex.duration and not ex.ended:
            ex.finish("duration")
    ex.log.close()
    return path
