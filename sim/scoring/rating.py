"""From a value to a band, from task bands to an objective, from objectives to a 0–100 score.

Rules (docs/metrics.md, "Rating rules"):

- **Task**: with ``better: lower`` the value is P when ``≤ P``, S when ``≤ S``, M when ``≤ M``, else U
  (mirrored for ``better: higher``). No observations: *not measured* (no band).
- **Objective / capability**: the weighted mean of the measured tasks' points (P 3, S 2, M 1, U 0)
  maps back to a band, ties going to the worse band (> 2.5 P, > 1.5 S, > 0.5 M, else U); a task
  rated U (with weight > 0) caps the objective at M — HSEEP treats a critical task that could not be
  performed as a major challenge for the capability, whatever the other tasks did; the capped
  score is at most 50, the top of the M band, so score and band agree.
- **Score**: ``100 × mean points / 3`` (P 100, S 66.7, M 33.3, U 0); the overall score is the
  objective-weighted mean of objective scores. Tasks or objectives that were not measured leave both
  numerator and denominator (the score covers what the log could show) and ``coverage`` says how
  much weight that was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

BANDS = ("P", "S", "M", "U")
POINTS = {"P": 3, "S": 2, "M": 1, "U": 0}
EPS = 1e-9
CAP_POINTS = 1.5
"""Highest mean points (score 50) of a result capped at M, so the score never says more than the band."""


def band(value: float, thresholds: Mapping[str, float], better: str) -> str:
    """Rate one value against P/S/M thresholds."""
    for name in ("P", "S", "M"):
        limit = float(thresholds[name])
        if (value <= limit + EPS) if better == "lower" else (value >= limit - EPS):
            return name
    return "U"


def band_of_points(points: float) -> str:
    """Mean points → band, ties to the worse band."""
    if points > 2.5 + EPS:
        return "P"
    if points > 1.5 + EPS:
        return "S"
    if points > 0.5 + EPS:
        return "M"
    return "U"


def aggregate(items: Iterable[tuple[str | None, float]]) -> tuple[str | None, float | None, float]:
    """Combine ``(band or None, weight)`` pairs.

    Returns:
        ``(band, score 0–100, coverage 0–1)``; band and score are None when nothing was measured.
        When every measured weight is zero, measured items count equally.
    """
    items = list(items)
    total = sum(w for _, w in items)
    measured = [(b, w) for b, w in items if b is not None]
    if not measured:
        return None, None, 0.0
    weight = sum(w for _, w in measured)
    if weight <= 0:
        measured = [(b, 1.0) for b, _ in measured]
        weight = float(len(measured))
    points = sum(POINTS[b] * w for b, w in measured) / weight
    rating = band_of_points(points)
    if rating in ("P", "S") and any(b == "U" and w > 0 for b, w in measured):
        rating, points = "M", min(points, CAP_POINTS)
    coverage = (sum(w for _, w in items if _ is not None) / total) if total > 0 else 1.0
    return rating, 100.0 * points / 3.0, coverage


def combine_scores(
    items: Iterable[tuple[str | None, float | None, float]],
) -> tuple[str | None, float | None, float]:
    """Overall: ``(band, score, weight)`` per objective → ``(band, score, coverage)``.

    The score is the weighted mean of objective scores; the band follows the same cap rule as
    :func:`aggregate` (any objective rated U caps the overall band at M).
    """
    items = list(items)
    total = sum(w for _, _, w in items)
    measured = [(b, s, w) for b, s, w in items if b is not None and s is not None]
    if not measured:
        return None, None, 0.0
    weight = sum(w for _, _, w in measured)
    if weight <= 0:
        measured = [(b, s, 1.0) for b, s, _ in measured]
        weight = float(len(measured))
    score = sum(s * w for _, s, w in measured) / weight
    rating = band_of_points(score * 3.0 / 100.0)
    if rating in ("P", "S") and any(b == "U" and w > 0 for b, _, w in measured):
        rating, score = "M", min(score, 100.0 * CAP_POINTS / 3.0)
    coverage = (sum(w for b, _, w in items if b is not None) / total) if total > 0 else 1.0
    return rating, score, coverage
