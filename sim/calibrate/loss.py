"""How far a candidate's runs are from the record: errors per target, the median over seeds, the loss.

For each target, a candidate's *simulated* value is the median over its seeds (robust to the one
seed where a random capsize or a late report moves an event by a day). A time target that a run
never shows is *censored* at the run's end (the event happened after the exercise, if at all); a
value target no run shows has no median and scores the cap. The error is ``(simulated - real) /
tolerance``; the loss is the weighted mean of the squared errors, each capped at
:data:`CAP` (ten tolerances), so one target the varied parameters cannot reach does not drown the
others:

    loss = Σ w_i · min(z_i², CAP) / Σ w_i,   z_i = (median_i - real_i) / tolerance_i

A loss of 1 means every target is, on average, one tolerance away.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from drillsim.calibrate.targets import Target

CAP = 100.0
"""Largest squared error one target contributes (ten tolerances)."""


@dataclass(frozen=True)
class Summary:
    """One target over a candidate's runs.

    Attributes:
        median: Median over the runs (time targets: minutes after the start; censored runs count at
            their end), or None when no run showed a value target.
        low: Smallest value over the runs (same convention).
        high: Largest.
        missed: Runs in which no record matched.
        runs: Runs counted.
    """

    median: float | None
    low: float | None
    high: float | None
    missed: int
    runs: int

    def error(self, target: Target) -> float | None:
        """``median - real`` (minutes or the value's units); None when there is no median."""
        return None if self.median is None else self.median - target.real

    def z(self, target: Target) -> float | None:
        """The error in tolerances."""
        err = self.error(target)
        return None if err is None else err / target.tolerance


def summarise(target: Target, values: Sequence[float | None], ends: Sequence[float | None]) -> Summary:
    """Median, range and misses of one target over runs (``values[i]`` observed in a run ending at ``ends[i]``)."""
    points: list[float] = []
    missed = 0
    for value, end in zip(values, ends, strict=True):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            missed += 1
            if target.is_time and end is not None and not math.isnan(end):
                points.append(float(end))
            continue
        points.append(float(value))
    if not points:
        return Summary(None, None, None, missed, len(values))
    return Summary(statistics.median(points), min(points), max(points), missed, len(values))


def loss(targets: Iterable[Target], summaries: Mapping[str, Summary]) -> float:
    """The weighted mean of capped squared errors over ``targets`` (see the module docstring)."""
    total = 0.0
    weights = 0.0
    for target in targets:
        s = summaries.get(target.id)
        z = None if s is None else s.z(target)
        total += target.weight * (CAP if z is None else min(z * z, CAP))
        weights += target.weight
    return total / weights if weights else math.nan


def within(target: Target, s: Summary, limit: float) -> bool:
    """True when the median is within ``limit`` of the real figure (minutes for a time target)."""
    err = s.error(target)
    return err is not None and abs(err) <= limit
