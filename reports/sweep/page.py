"""The sweep report as one self-contained HTML page (figures inlined; no external requests)."""

from __future__ import annotations

import base64
import html
import math
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from drillsim.reports.sweep.analysis import Analysis, Group
from drillsim.reports.sweep.figures import nice

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC",sans-serif;margin:2rem auto;
max-width:1100px;color:#222;line-height:1.45;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
h3{font-size:1rem}table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.88rem}
td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f6f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:.82rem;background:#f6f6f6;padding:.1rem .25rem;word-break:break-all}
img{max-width:100%;border:1px solid #eee}.muted{color:#666}.warn{color:#a04000}
"""


def esc(value: Any) -> str:
    """HTML-escape anything."""
    return html.escape(str(value))


def num(value: Any, digits: int = 4) -> str:
    """A number for a table cell (– for missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def img(png: bytes, alt: str) -> str:
    """An inline PNG."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{esc(alt)}" src="data:image/png;base64,{data}">'


def table(head: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """A simple table; cells are already HTML."""
    out = ["<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = "".join(f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "".join(out)


def render(a: Analysis, figures: Mapping[str, bytes], scenario_title: str | None = None) -> str:
    """The whole page."""
    m = a.manifest
    spec = m.get("spec", {})
    sc = m.get("scenario", {})
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Sweep report — {esc(sc.get('id'))}"
             f"</title><style>{CSS}</style></head><body>"]
    parts.append(f"<h1>Sweep report — {esc(sc.get('id', ''))}</h1>")
    if scenario_title:
        parts.append(f"<p class='muted'>{esc(scenario_title)}</p>")
    crn = "yes (replicate r shares its seed across points)" if spec.get("crn") else "no"
    parts.append(table(["", ""], [
        ["scenario", f"<code>{esc(sc.get('ref'))}</code> (sha256 {esc(str(sc.get('sha256', ''))[:12])}…)"],
        ["design", f"{esc(spec.get('design'))}, {num(m.get('points'))} points × {num(spec.get('replicates'))} "
                   f"replicates = {num(m.get('runs'))} runs"],
        ["root seed", esc(spec.get("seed"))], ["common random numbers", crn],
        ["fixed overrides", esc(", ".join(f"{p}={v}" for p, v in spec.get("overrides", [])) or "none")],
        ["runs in the table", f"{a.runs:,} ({a.ok:,} ok, {a.failed:,} failed)"
                              + (f" — <span class='warn'>{int(m.get('runs', 0)) - a.runs:,} not run yet</span>"
                                 if int(m.get("runs", 0)) > a.runs else "")],
        ["wall time of runs", f"{a.wall_total:,.1f} s in total, "
                              f"{(a.wall_total / a.runs * 1000 if a.runs else 0):,.1f} ms per run"],
        ["response", esc(nice(a.response)) + (f" ({a.better} is better)" if a.better else " (no better direction)")
         if a.response else "none (no run finished)"],
        ["drillsim", esc(m.get("drillsim"))],
    ]))
    parts.append(_spread_section(a, figures))
    if not spec.get("factors"):
        parts.append("<p class='muted'>Nothing was varied: every run is the scenario as it is, with its own "
                     "seed (a Monte Carlo study), so the spread above is the scenario's own variability.</p>")
    else:
        parts.append("<h2>Factors</h2>")
    rows = []
    for f in spec.get("factors", []):
        if "range" in f:
            lo, hi = f["range"]
            info = next(x for x in a.factors if x.name == f["name"])
            what = f"{info.show_unit(lo)} … {info.show_unit(hi)}"
        else:
            what = ", ".join(str(v[1]) for v in f.get("values", []))
        rows.append([f"<code>{esc(f['name'])}</code>", esc(f["kind"]),
                     "declared parameter" if f.get("declared") else f"path <code>{esc(f['target'])}</code>",
                     esc(what),
                     "<span class='warn'>scoring only: the world does not change with it</span>"
                     if f.get("affects") == "scoring" else "the world"])
    if rows:
        parts.append(table(["factor", "kind", "bound to", "range / values", "affects"], rows))
    for col in a.metrics if a.factors else ():
        parts.append(f"<h2>{esc(nice(col))} by parameter value</h2>")
        if f"dist:{col}" in figures:
            parts.append(img(figures[f"dist:{col}"], f"{nice(col)} by parameter value"))
        parts.append(_group_tables(a.groups.get(col, {}), {f.name: f.unit for f in a.factors}))
    if a.rating_groups:
        parts.append("<h2>Ratings by parameter value</h2><p class='muted'>Share of runs rated P (performed "
                     "without challenges), S (some challenges), M (major challenges), U (unable to be performed); "
                     "– not rated.</p>")
        parts.append(_rating_tables(a))
    if a.sobol or a.sobol_note:
        parts.append("<h2>Sobol' sensitivity indices</h2>")
        if a.sobol_note:
            parts.append(f"<p class='warn'>{esc(a.sobol_note)}</p>")
        for col, idx in a.sobol.items():
            if f"sobol:{col}" in figures:
                parts.append(img(figures[f"sobol:{col}"], f"Sobol indices of {nice(col)}"))
            parts.append("<p class='muted'>Indices of the per-point mean over replicates (SALib, Saltelli's "
                         "estimators, 95% bootstrap intervals). S1: share of the variance explained by the factor "
                         "alone; ST: including its interactions.</p>")
            parts.append(table(["factor", "S1", "± 95%", "ST", "± 95%"], [
                [f"<code>{esc(f.name)}</code>", num(idx["S1"][i], 3), num(idx["S1_conf"][i], 2),
                 num(idx["ST"][i], 3), num(idx["ST_conf"][i], 2)] for i, f in enumerate(a.factors)],
                numeric=(1, 2, 3, 4)))
    if "surface" in figures and a.surface:
        parts.append(f"<h2>Response surface: {esc(a.surface[0])} × {esc(a.surface[1])}</h2>")
        parts.append(img(figures["surface"], "response surface"))
    for title, runs in (("Best runs", a.best), ("Worst runs", a.worst)):
        if not runs:
            continue
        parts.append(f"<h2>{title}</h2><p class='muted'>By {esc(nice(a.response or ''))}. Each command reproduces "
                     "the run on its own, byte for byte.</p>")
        parts.append(table(["run", esc(nice(a.response or "")), "parameters", "reproduce"], [
            [esc(r["run_id"]), num(r["value"]), esc(", ".join(f"{k}={v}" for k, v in r["params"].items())),
             f"<code>{esc(r['command'])}</code>"] for r in runs], numeric=(1,)))
    if a.errors:
        parts.append("<h2>Failed runs</h2>")
        parts.append(table(["runs", "first", "error"], [[str(c), esc(first), f"<code>{esc(err)}</code>"]
                                                          for err, c, first in a.errors], numeric=(0,)))
    parts.append("<p class='muted'>Written by drillsim sweep from results.parquet and sweep.json.</p></body></html>")
    return "\n".join(parts)


BANDS = ("P", "S", "M", "U", "–")


def _spread_section(a: Analysis, figures: Mapping[str, bytes]) -> str:
    """Every metric over all finished runs, and the share of each rating."""
    if not a.spread:
        return ""
    out = ["<h2>Spread over all runs</h2><p class='muted'>Each metric over the finished runs: mean with the "
           "half-width of its 95% interval (1.96·sd/√n), standard deviation, and the range with the 5th, 50th "
           "and 95th percentiles.</p>"]
    if "hist" in figures:
        out.append(img(figures["hist"], "distribution of the key metrics over all runs"))
    out.append(table(["metric", "runs", "mean", "± 95%", "sd", "min", "p5", "median", "p95", "max", "better"], [
        [f"<code>{esc(s.column)}</code>", str(s.n), num(s.mean), num(s.ci95, 2), num(s.sd), num(s.low), num(s.p5),
         num(s.median), num(s.p95), num(s.high), esc(s.better or "–")] for s in a.spread],
        numeric=tuple(range(1, 10))))
    if a.rating_shares:
        out.append("<h3>Ratings</h3>")
        out.append(table(["rating", *BANDS], [
            [f"<code>{esc(col.removeprefix('rating.'))}</code>",
             *(f"{100 * shares[b]:.0f}%" if b in shares else "" for b in BANDS)]
            for col, shares in a.rating_shares.items()], numeric=(1, 2, 3, 4, 5)))
    return "".join(out)


def _rating_tables(a: Analysis) -> str:
    out = []
    names = [c.removeprefix("rating.") for c in a.ratings]
    units = {f.name: f.unit for f in a.factors}
    for factor, groups in a.rating_groups.items():
        if not groups:
            continue
        rows = []
        for label, counts in groups:
            cells = []
            for c in a.ratings:
                n = sum(counts[c].values())
                cells.append(" · ".join(f"{b} {100 * counts[c][b] / n:.0f}%" for b in BANDS if counts[c].get(b)))
            rows.append([esc(label), *map(esc, cells)])
        unit = f" ({esc(units[factor])})" if units.get(factor) else ""
        out.append(f"<h3><code>{esc(factor)}</code>{unit}</h3>")
        out.append(table(["value", *names], rows))
    return "".join(out)


def _group_tables(groups: Mapping[str, list[Group]], units: Mapping[str, str]) -> str:
    out = []
    for name, gs in groups.items():
        if not gs:
            continue
        rows = []
        for g in gs:
            sd = statistics.stdev(g.values) if len(g.values) > 1 else math.nan
            rows.append([esc(g.label), str(len(g.values)), num(g.mean), num(sd),
                         num(min(g.values) if g.values else math.nan), num(max(g.values) if g.values else math.nan)])
        out.append(f"<h3><code>{esc(name)}</code>{f' ({esc(units[name])})' if units.get(name) else ''}</h3>")
        out.append(table(["value", "runs", "mean", "sd", "min", "max"], rows, numeric=(1, 2, 3, 4, 5)))
    return "".join(out)
