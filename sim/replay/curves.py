"""The key curves of a run, sampled on a time grid so runs can share axes and form bands.

* ``open`` — incidents with people at risk not yet closed;
* ``rescued`` / ``lost`` — people rescued alive / lost, cumulative (counted when an incident closes,
  or, for one still open when the exercise ends, its dead then);
* ``level:<agency>`` — an agency's response level as a rank (0 none, 1 IV … 4 I).

A curve is a step function: its value at grid time g is the value after every record at or
before g. Pure functions of the records, like everything downstream of the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drillsim.levels import rank_of
from drillsim.scoring.view import level_holders


def grid(horizon: float, points: int = 241) -> list[float]:
    """``points`` evenly spaced times from 0 to ``horizon`` (minutes)."""
    if points < 2 or horizon <= 0:
        return [0.0, max(horizon, 0.0)]
    return [horizon * i / (points - 1) for i in range(points)]


def curves_of(records: Sequence[Sequence[Any]], times: Sequence[float],
              agencies: Sequence[str] = ()) -> dict[str, list[float]]:
    """Sample the key curves (see the module docstring) at ``times`` (non-decreasing)."""
    names = ["open", "rescued", "lost", *(f"level:{a}" for a in agencies)]
    out: dict[str, list[float]] = {n: [] for n in names}
    state: dict[str, float] = dict.fromkeys(names, 0.0)
    at_risk: set[str] = set()
    closed: set[str] = set()
    i, n = 0, len(records)
    for g in times:
        while i < n and records[i][0] <= g:
            _apply(records[i], state, at_risk, closed)
            i += 1
        for name in names:
            out[name].append(state[name])
    return out


def _apply(r: Sequence[Any], state: dict[str, float], at_risk: set[str], closed: set[str]) -> None:
    kind, subject, data = r[2], r[4], r[5]
    if kind == "incident.occurred":
        people = data.get("people")
        if isinstance(people, int | float) and people > 0 and subject is not None:
            at_risk.add(subject)
            state["open"] += 1
    elif kind in ("incident.closed", "rescue.completed"):
        if subject in at_risk and subject not in closed:
            closed.add(subject)
            state["open"] -= 1
        if kind == "incident.closed":
            state["rescued"] += int(data.get("rescued") or 0)
            state["lost"] += int(data.get("lost") or 0)
    elif kind == "incident.unresolved":
        people, alive = data.get("people"), data.get("alive")
        if isinstance(people, int | float) and isinstance(alive, int | float):
            state["lost"] += max(0, int(people) - int(alive))
    elif kind == "level.changed":
        key = f"level:{subject}"
        if key in state:
            state[key] = float(rank_of(data.get("to")))


def main_agencies(header: dict[str, Any], limit: int = 4) -> list[str]:
    """The first ``limit`` agencies holding a response level (see :func:`drillsim.scoring.view.level_holders`)."""
    return level_holders(header)[:limit]


def first_divergence(a_lines: Sequence[bytes], b_lines: Sequence[bytes]) -> int | None:
    """The first record seq (≥ 1: headers differ by design) whose bytes differ; None when one is a prefix."""
    for i in range(1, min(len(a_lines), len(b_lines))):
        if a_lines[i] != b_lines[i]:
            return i
    if len(a_lines) != len(b_lines):
        return min(len(a_lines), len(b_lines))
    return None
