"""Numbers behind the sweep report, computed from ``results.parquet`` and ``sweep.json`` only.

- the **response**: the overall score when the runs were scored, else the share of people at risk
  rescued alive (``people_rescued_ratio``), else the first metric that varies;
- per factor, the response grouped by the factor's value (every value of a grid or list design;
  quantile bins of a continuous design);
- a response surface over two factors (the two with the largest total Sobol' index, or else the
  two whose grouped means spread the most);
- Sobol' first-order and total indices (SALib ``analyze``) when the design is ``sobol``;
- the best and worst runs, each with the command that reproduces it;
- the **spread of every metric** over all finished runs (mean with its 95 % interval, standard
  deviation, min, 5th/50th/95th percentiles, max) and the share of each overall rating: the whole
  answer of a replicate-only sweep (a Monte Carlo study of one scenario, nothing varied).
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from drillsim.catalog import better
from drillsim.scoring.statistics import quantile

MAX_LEVELS = 8
"""A factor with more distinct values than this is cut into quantile bins for box plots."""
BINS = 5
SURFACE_BINS = 6

UNITS = {"duration": ("min", 1.0), "rate": ("/h", 60.0), "speed": ("km/h", 1.0), "distance": ("km", 1.0),
         "area": ("ha", 1.0), "probability": ("", 1.0), "number": ("", 1.0), "count": ("", 1.0)}
"""Display unit and factor from internal units, per factor kind."""


@dataclass(frozen=True)
class FactorInfo:
    """A factor as ``sweep.json`` describes it."""

    name: str
    target: str
    kind: str
    column: str
    text_column: str

    @property
    def unit(self) -> str:
        """Display unit (``min``, ``/h``…)."""
        return UNITS.get(self.kind, ("", 1.0))[0]

    def show(self, value: float) -> str:
        """A number in display units, short, without the unit (axis labels and headers carry it)."""
        scale = UNITS.get(self.kind, ("", 1.0))[1]
        return f"{value * scale:.4g}"

    def show_unit(self, value: float) -> str:
        """A number in display units with its unit (``45 min``, ``2.5/h``)."""
        text = self.show(value)
        if not self.unit:
            return text
        return text + self.unit if self.unit.startswith("/") else f"{text} {self.unit}"

    @property
    def label(self) -> str:
        """Axis label: name and unit."""
        return f"{self.name} ({self.unit})" if self.unit else self.name


@dataclass
class Group:
    """The response at one value (or bin) of a factor."""

    label: str
    values: list[float]
    order: float

    @property
    def mean(self) -> float:
        """Mean of the response in the group (nan when empty)."""
        return sum(self.values) / len(self.values) if self.values else math.nan


@dataclass(frozen=True)
class Spread:
    """One result column over all finished runs."""

    column: str
    n: int
    mean: float
    sd: float
    ci95: float
    """Half-width of the normal 95 % interval of the mean (1.96 · sd / √n; nan for one run)."""
    low: float
    p5: float
    median: float
    p95: float
    high: float
    better: str | None


@dataclass
class Analysis:
    """Everything the report shows."""

    manifest: dict[str, Any]
    factors: list[FactorInfo]
    response: str | None
    better: str | None
    metrics: list[str]
    runs: int
    ok: int
    failed: int
    wall_total: float
    groups: dict[str, dict[str, list[Group]]] = field(default_factory=dict)
    surface: tuple[str, str] | None = None
    sobol: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    sobol_note: str | None = None
    best: list[dict[str, Any]] = field(default_factory=list)
    worst: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[str, int, str]] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)
    spread: list[Spread] = field(default_factory=list)
    rating_shares: dict[str, dict[str, float]] = field(default_factory=dict)
    """Share of runs per band (P, S, M, U, – not rated) for the overall rating and each objective's."""
    rating_groups: dict[str, list[tuple[str, dict[str, dict[str, int]]]]] = field(default_factory=dict)


def factors_of(manifest: Mapping[str, Any]) -> list[FactorInfo]:
    """The factors listed in ``sweep.json``."""
    out = []
    for f in manifest.get("spec", {}).get("factors", []):
        name = f["name"]
        out.append(FactorInfo(name, f.get("target", name), f.get("kind", "number"), f"param.{name}",
                              f"param.{name}.text"))
    return out


def choose_response(frame: Any) -> str | None:
    """``score`` when scored, else ``metric.people_rescued_ratio``, else the first metric that varies."""
    for col in ("score", "metric.people_rescued_ratio"):
        if col in frame.columns and frame[col].notna().any():
            return col
    for col in frame.columns:
        if col.startswith("metric.") and frame[col].nunique(dropna=True) > 1:
            return col
    return None


def direction(column: str, manifest: Mapping[str, Any]) -> str | None:
    """``higher``/``lower`` for a result column, None when it is not a performance (or is unknown).

    Directions come from :func:`drillsim.catalog.better`, and for columns that hold a critical
    task's value from that task's ``better`` as the sweep recorded it in ``sweep.json``; nothing is
    guessed from a column's name.
    """
    try:
        return better(column, manifest.get("better") or {})
    except KeyError:
        return None


def key_metrics(frame: Any, response: str | None, limit: int = 3) -> list[str]:
    """The response plus a few metrics a researcher looks at first (those present and varying)."""
    preferred = ["score", "metric.people_rescued_ratio", "metric.lost", "metric.dispatch_wait_mean",
                 "metric.report_on_time_ratio.county", "metric.first_report_latency_mean.county"]
    ratings = sorted(c for c in frame.columns if c.startswith("metric.") and c.endswith("_ratio"))
    out: list[str] = [response] if response else []
    for col in [*preferred, *ratings]:
        if len(out) >= limit:
            break
        if col in frame.columns and col not in out and frame[col].nunique(dropna=True) > 1:
            out.append(col)
    return out


def group_by_factor(frame: Any, factor: FactorInfo, column: str, bins: int = BINS) -> list[Group]:
    """The values of ``column`` grouped by the factor's levels (or quantile bins)."""
    import numpy as np

    data = frame[[factor.column, factor.text_column, column]].dropna(subset=[column])
    if data.empty:
        return []
    levels = data[factor.text_column].unique()
    numeric = factor.kind not in ("choice", "bool")
    if len(levels) <= MAX_LEVELS or not numeric:
        groups: list[Group] = []
        for text, part in data.groupby(factor.text_column, sort=False):
            order = float(part[factor.column].iloc[0]) if numeric else float(len(groups))
            label = factor.show(order) if numeric else str(text)
            groups.append(Group(label, part[column].astype(float).tolist(), order))
        return sorted(groups, key=lambda g: g.order) if numeric else groups
    x = data[factor.column].astype(float).to_numpy()
    edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    y = data[column].astype(float).to_numpy()
    return [Group(f"{factor.show(edges[i])}–{factor.show(edges[i + 1])}", y[idx == i].tolist(), float(edges[i]))
            for i in range(len(edges) - 1) if (idx == i).any()]


def surface(frame: Any, fx: FactorInfo, fy: FactorInfo, column: str, bins: int = SURFACE_BINS
            ) -> tuple[list[str], list[str], list[list[float]]]:
    """Mean of ``column`` over a 2-D grid of the two factors' levels (or bins): x labels, y labels, rows."""
    gx = _assign(frame, fx, bins)
    gy = _assign(frame, fy, bins)
    xs = sorted(set(gx), key=lambda t: t[0])
    ys = sorted(set(gy), key=lambda t: t[0])
    cells: dict[tuple[Any, Any], list[float]] = {}
    for kx, ky, v in zip(gx, gy, frame[column].tolist(), strict=True):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        cells.setdefault((kx, ky), []).append(float(v))
    grid = [[_mean(cells.get((x, y), [])) for x in xs] for y in ys]
    return [x[1] for x in xs], [y[1] for y in ys], grid


def _assign(frame: Any, f: FactorInfo, bins: int) -> list[tuple[float, str]]:
    import numpy as np

    numeric = f.kind not in ("choice", "bool")
    texts = frame[f.text_column].tolist()
    if not numeric:
        order = {t: i for i, t in enumerate(dict.fromkeys(texts))}
        return [(float(order[t]), str(t)) for t in texts]
    x = frame[f.column].astype(float).to_numpy()
    if len(set(texts)) <= MAX_LEVELS:
        return [(float(v), f.show(float(v))) for v in x]
    edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    return [(float(edges[i]), f"{f.show(edges[i])}–{f.show(edges[i + 1])}") for i in idx]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else math.nan


def rating_columns(frame: Any) -> list[str]:
    """``rating.overall`` then one column per objective (task ratings are left to the table)."""
    cols = [c for c in frame.columns if c.startswith("rating.") and "." not in c.removeprefix("rating.")
            and frame[c].notna().any()]
    return sorted(cols, key=lambda c: (c != "rating.overall", c))


def rating_shares(frame: Any, factor: FactorInfo, columns: Sequence[str], bins: int = BINS
                  ) -> list[tuple[str, dict[str, dict[str, int]]]]:
    """For each value (or bin) of the factor: how many runs got each band, per rating column."""
    if frame.empty:
        return []
    keys = _assign(frame, factor, bins)
    groups: dict[tuple[float, str], dict[str, dict[str, int]]] = {}
    for i, key in enumerate(keys):
        cell = groups.setdefault(key, {c: {} for c in columns})
        for c in columns:
            band = frame[c].iloc[i]
            band = band if isinstance(band, str) else "–"
            cell[c][band] = cell[c].get(band, 0) + 1
    return [(label, counts) for (_, label), counts in sorted(groups.items(), key=lambda kv: kv[0][0])]


def sobol_indices(frame: Any, manifest: Mapping[str, Any], factors: Sequence[FactorInfo], column: str
                  ) -> tuple[dict[str, list[float]] | None, str | None]:
    """First-order and total Sobol' indices of the per-point mean of ``column`` (SALib ``analyze``)."""
    import numpy as np

    points = int(manifest.get("points", 0))
    per_point = frame.groupby("point")[column].mean()
    if len(per_point) < points or per_point.isna().any():
        missing = points - int(per_point.notna().sum())
        return None, (f"Sobol' indices need a value at every point; {missing} of {points} points have none "
                      "(interrupted sweep or failed runs)")
    d = len(factors)
    if points % (2 * d + 2):
        return None, f"{points} points is not a multiple of 2·D+2 = {2 * d + 2}"
    y = per_point.sort_index().to_numpy(dtype=float)
    if np.allclose(y, y[0]):
        return None, f"{column} does not vary, so every index is zero"
    from SALib.analyze import sobol

    problem = {"num_vars": d, "names": [f.name for f in factors], "bounds": [[0.0, 1.0]] * d}
    seed = int(manifest.get("spec", {}).get("seed", 0))
    res = sobol.analyze(problem, y, calc_second_order=True, num_resamples=200, seed=seed % (2**32))
    return {k: [float(v) for v in res[k]] for k in ("S1", "S1_conf", "ST", "ST_conf")}, None


def command(manifest: Mapping[str, Any], factors: Sequence[FactorInfo], row: Mapping[str, Any]) -> str:
    """``drillsim run SCENARIO --seed S --set ...`` reproducing one row."""
    ref = manifest.get("scenario", {}).get("ref", "SCENARIO")
    parts = ["drillsim", "run", str(ref), "--seed", str(int(row["seed"]))]
    for path, value in manifest.get("spec", {}).get("overrides", []):
        parts += ["--set", f"{path}={_yaml(value)}"]
    for f in factors:
        parts += ["--set", f"{f.target}={row[f.text_column]}"]
    return shlex.join(parts)


def _yaml(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def analyse(frame: Any, manifest: dict[str, Any], top: int = 5) -> Analysis:
    """Compute everything the report shows."""
    factors = factors_of(manifest)
    response = choose_response(frame)
    ok = frame[frame["status"] == "ok"]
    a = Analysis(manifest, factors, response, direction(response, manifest) if response else None,
                 key_metrics(ok, response), len(frame), len(ok), int((frame["status"] != "ok").sum()),
                 float(frame["wall_s"].sum()) if "wall_s" in frame.columns else 0.0)
    for col in a.metrics:
        a.groups[col] = {f.name: group_by_factor(ok, f, col) for f in factors}
    a.ratings = rating_columns(ok)
    if a.ratings:
        a.rating_groups = {f.name: rating_shares(ok, f, a.ratings) for f in factors}
    if response and manifest.get("spec", {}).get("design") == "sobol" and factors:
        indices, a.sobol_note = sobol_indices(frame, manifest, factors, response)
        if indices:
            a.sobol[response] = indices
    if response and len(factors) >= 2:
        a.surface = _pick_surface(a, factors, response)
    if response and a.better and len(ok):  # best and worst need a direction
        ranked = ok.dropna(subset=[response]).sort_values([response, "point", "replicate"],
                                                          ascending=[a.better == "lower", True, True])
        a.best = [_run(r, manifest, factors, response) for r in ranked.head(top).to_dict("records")]
        a.worst = [_run(r, manifest, factors, response) for r in ranked.iloc[::-1].head(top).to_dict("records")]
    a.spread = spread_of(frame, manifest)
    a.rating_shares = rating_share(frame)
    failed = frame[frame["status"] != "ok"]
    if len(failed):
        counts = failed.groupby("error", dropna=False)["run_id"].agg(["count", "first"])
        counts = counts.sort_values("count", ascending=False).head(top)
        a.errors = [(str(err), int(c), str(first)) for err, (c, first) in zip(counts.index, counts.to_numpy(),
                                                                              strict=True)]
    return a


def spread_of(frame: Any, manifest: Mapping[str, Any]) -> list[Spread]:
    """The spread of the score and of every metric column over the finished runs (empty columns left out)."""
    ok = frame[frame["status"] == "ok"]
    columns = [c for c in ("score",) if c in ok.columns] + sorted(c for c in ok.columns if c.startswith("metric."))
    out = []
    for col in columns:
        values = [float(v) for v in ok[col].dropna().tolist()]
        if not values:
            continue
        n = len(values)
        mean = sum(values) / n
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else math.nan
        out.append(Spread(col, n, mean, sd, 1.96 * sd / math.sqrt(n) if n > 1 else math.nan, min(values),
                          quantile(values, 0.05), quantile(values, 0.5), quantile(values, 0.95), max(values),
                          direction(col, manifest)))
    return out


def rating_share(frame: Any) -> dict[str, dict[str, float]]:
    """``{"rating.overall": {"P": 0.1, "S": 0.4, …}, "rating.O-1": …}`` over the finished runs."""
    ok = frame[frame["status"] == "ok"]
    columns = [c for c in ok.columns if c.startswith("rating.") and c.count(".") == 1]
    columns.sort(key=lambda c: (c != "rating.overall", c))
    out: dict[str, dict[str, float]] = {}
    for col in columns:
        values = ["–" if not isinstance(v, str) or not v else v for v in ok[col].tolist()]
        if values:
            out[col] = {b: values.count(b) / len(values) for b in ("P", "S", "M", "U", "–") if b in values}
    return out


def _pick_surface(a: Analysis, factors: Sequence[FactorInfo], response: str) -> tuple[str, str]:
    if response in a.sobol:
        st = a.sobol[response]["ST"]
        order = sorted(range(len(factors)), key=lambda i: -st[i])
    else:
        def spread(i: int) -> float:
            means = [g.mean for g in a.groups.get(response, {}).get(factors[i].name, []) if g.values]
            return max(means) - min(means) if means else 0.0

        order = sorted(range(len(factors)), key=lambda i: -spread(i))
    return factors[order[0]].name, factors[order[1]].name


def _run(row: Mapping[str, Any], manifest: Mapping[str, Any], factors: Sequence[FactorInfo], response: str
         ) -> dict[str, Any]:
    return {"run_id": row["run_id"], "seed": int(row["seed"]), "value": float(row[response]),
            "params": {f.name: row[f.text_column] for f in factors}, "command": command(manifest, factors, row)}
