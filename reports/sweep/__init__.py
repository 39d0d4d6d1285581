"""Sweep report: distributions per parameter value, a response surface, Sobol' indices, best/worst runs.

    from drillsim.reports.sweep import write_report
    write_report("runs/mentougou-flash-flood-sweep-1")     # → .../report/index.html + PNGs

Reads only ``results.parquet`` and ``sweep.json`` (data flows one way: runs → table → report).
Every file is written atomically; the HTML page inlines its figures and loads nothing from the
network, so it can be mailed or archived as one file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["write_report"]


def write_report(out: str | Path, *, frame: Any = None) -> Path:
    """Write ``out/report/index.html`` and its PNG figures; return the HTML path.

    Args:
        out: The sweep's output directory.
        frame: The results table as a DataFrame, if already in memory (else read from
            ``results.parquet``).
    """
    import json

    import pandas as pd

    from drillsim.fileio import atomic_write_bytes, atomic_write_text
    from drillsim.reports.sweep import figures
    from drillsim.reports.sweep.analysis import analyse, surface
    from drillsim.reports.sweep.page import render

    root = Path(out)
    manifest = json.loads((root / "sweep.json").read_text(encoding="utf-8"))
    if frame is None:
        frame = pd.read_parquet(root / "results.parquet")
    a = analyse(frame, manifest)
    figs: dict[str, bytes] = {}
    files: dict[str, str] = {}
    if a.spread:
        figs["hist"] = figures.histograms(frame, a, a.metrics or [a.spread[0].column])
        files["hist"] = "spread.png"
    for i, col in enumerate(a.metrics):
        if any(a.groups[col].values()):
            figs[f"dist:{col}"] = figures.distributions(a, col)
            files[f"dist:{col}"] = f"distribution-{i + 1}-{col.removeprefix('metric.')}.png"
    for col, idx in a.sobol.items():
        figs[f"sobol:{col}"] = figures.sobol_bars([f.name for f in a.factors], idx, col)
        files[f"sobol:{col}"] = "sobol-indices.png"
    if a.surface and a.response:
        fx = next(f for f in a.factors if f.name == a.surface[0])
        fy = next(f for f in a.factors if f.name == a.surface[1])
        ok = frame[frame["status"] == "ok"]
        xs, ys, grid = surface(ok, fx, fy, a.response)
        if xs and ys:
            figs["surface"] = figures.response_surface(xs, ys, grid, fx, fy, a.response, a.better != "lower")
            files["surface"] = "response-surface.png"
    folder = root / "report"
    for key, png in figs.items():
        atomic_write_bytes(folder / files[key], png)
    page = folder / "index.html"
    atomic_write_text(page, render(a, figs))
    return page
