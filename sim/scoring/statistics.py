"""Statistics that reduce a metric's observations to the one value a task is rated on.

``count`` counts yes-items for yes/no metrics (late reports, untasked teams) and items otherwise;
``sum`` adds values; ``ratio`` is the weighted share ``Σ weight·value / Σ weight`` (the share of
yes-items, or of people); ``p90`` interpolates linearly between order statistics (numpy's default);
``first`` / ``last`` take the earliest / latest observation in time. Censored observations (the
awaited event had not happened by the horizon) take part with their lower-bound value.
"""

from __future__ import annotations

from collections.abc import Sequence

from drillsim.catalog import STATISTICS
from drillsim.scoring.observation import Observation


def quantile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation quantile of a non-empty sequence."""
    xs = sorted(values)
    pos = q * (len(xs) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def reduce(statistic: str, observations: Sequence[Observation], kind: str) -> float | None:
    """The value of ``statistic`` over the observations (None when there are none)."""
    if not observations:
        return None
    values = [o.value for o in observations]
    if statistic == "count":
        return float(sum(1 for v in values if v) if kind == "flag" else len(values))
    if statistic == "sum":
        return float(sum(values))
    if statistic == "ratio":
        total = sum(o.weight for o in observations)
        if total <= 0:
            return None
        return sum(o.weight * o.value for o in observations) / total
    if statistic == "mean":
        return sum(values) / len(values)
    if statistic == "median":
        return quantile(values, 0.5)
    if statistic == "p90":
        return quantile(values, 0.9)
    if statistic == "min":
        return min(values)
    if statistic == "max":
        return max(values)
    ordered = sorted(observations, key=lambda o: (o.t, o.seq if o.seq is not None else 1 << 62))
    if statistic == "first":
        return ordered[0].value
    if statistic == "last":
        return ordered[-1].value
    raise ValueError(f"unknown statistic {statistic!r} (one of {', '.join(STATISTICS)})")
