"""The calibration report: fitted values and their spread, errors on fitted and held-out targets, a timeline.

Reads only the analysis :func:`drillsim.calibrate.search.analyse` returns (``calibration.json``), so
the report can be rebuilt from that file alone. Written as ``report.md`` and ``report.html`` (the
HTML inlines the figure) and ``figures/timeline.png``: for every target, the real time (or value)
against the simulated median and range, before and after the fit. Labels are English (target ids
are identifiers), so no CJK font is needed.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from drillsim.reports.document import Bullets, Document, Heading, Image, Para, Table
from drillsim.units import format_duration

DPI = 110


def build(data: Mapping[str, Any]) -> Document:
    """The report document (with its figure) for a calibration's analysis."""
    scenario = data["scenario"]["id"]
    doc = Document(f"Calibration of {scenario}", "en")
    add = doc.blocks.append
    best = data.get("best") or {}
    add(Para(f"{data['candidates']} candidates ({data['method']}, batches of {data['batch']}) × {data['seeds']} "
             f"seeds each; the loss is the weighted mean of squared errors, in tolerances, of the median over the "
             f"seeds against the fitted targets (each capped at 10 tolerances). Best: candidate {best.get('number')} "
             f"with loss {_g(best.get('loss'))}. Before and after are each run with {data['check_seeds']} seeds."))
    add(Heading(2, "Reproduce"))
    add(Para(data.get("command") or "(command not recorded)"))
    add(Heading(2, "Error on fitted and held-out targets"))
    add(_scores_table(data["scores"]))
    add(Para("loss: as in the search (1 = one tolerance off on average); |z|: mean absolute error in "
             "tolerances; within tol.: targets whose median is within their tolerance; hours: mean absolute "
             "error of the time targets; ±2 h / ±6 h: time targets whose median lands that close."))
    add(Heading(2, "Fitted values"))
    add(_params_table(data["parameters"], data.get("top", 0)))
    add(Heading(2, "Targets"))
    add(_targets_table(data["targets"]))
    add(Image("timeline", "Real (black) against simulated median (dot) and range (bar), before (grey) and after "
                          "(blue) the fit; held-out targets are marked. Time targets in days after the start, value "
                          "targets as a share of the real value.", timeline_png(data)))
    notes = []
    if data.get("failed_candidates"):
        notes.append(f"{data['failed_candidates']} candidate(s) failed (a run raised); they were not used.")
    missed = [t["id"] for t in data["targets"] if (t.get("after") or {}).get("missed")]
    if missed:
        notes.append("Not seen in some runs after the fit (time targets are then counted at the run's end): "
                     + ", ".join(missed) + ".")
    if notes:
        add(Heading(2, "Notes"))
        add(Bullets(tuple(notes)))
    return doc


def write_report(out: str | Path, data: Mapping[str, Any]) -> list[Path]:
    """Write ``report.md``, ``report.html`` and ``figures/timeline.png`` into ``out``; return the paths."""
    from drillsim.reports.write import write_document

    return write_document(build(data), out, stem="report", figures="figures")


def _scores_table(scores: Mapping[str, Any]) -> Table:
    rows = []
    for label in ("before", "after"):
        for group, name in (("fitted", "fitted"), ("held_out", "held-out"), ("all", "all")):
            s = scores.get(label, {}).get(group, {})
            rows.append((label, name, str(s.get("n", 0)), _g(s.get("loss")), _g(s.get("mean_abs_z")),
                         str(s.get("within_tolerance", "–")), _g(s.get("mean_abs_hours")),
                         f"{s.get('within_2h', '–')}/{s.get('time_targets', '–')}",
                         f"{s.get('within_6h', '–')}/{s.get('time_targets', '–')}"))
    return Table(("", "targets", "n", "loss", "|z|", "within tol.", "hours off", "±2 h", "±6 h"), tuple(rows))


def _params_table(params: Sequence[Mapping[str, Any]], top: int) -> Table:
    rows = []
    for p in params:
        spread = p.get("spread") or {}
        if "low" in spread:
            shown = f"{_value(p['kind'], spread['low'])} … {_value(p['kind'], spread['high'])}"
        else:
            shown = ", ".join(spread.get("values", [])) or "–"
        rng = p.get("range")
        # shown as the spread is (14h15m, not 855.4744424m); params.yaml keeps the value exactly as fitted
        value = p.get("fitted_value")
        fitted = _value(p["kind"], value) if isinstance(value, int | float) else str(p.get("fitted", "–"))
        rows.append((p["name"], str(p.get("default")), fitted, shown,
                     "–" if rng is None else f"{_value(p['kind'], rng[0])} … {_value(p['kind'], rng[1])}"))
    return Table(("parameter", "before", "fitted", f"spread (best {top})", "searched"), tuple(rows))


def _targets_table(targets: Sequence[Mapping[str, Any]]) -> Table:
    rows = []
    for t in targets:
        before, after = t.get("before") or {}, t.get("after") or {}
        rows.append((t["id"], t["role"], _real(t), _sim(t, before), _sim(t, after), _err(t, after),
                     _tol(t), t["source"]))
    return Table(("target", "role", "real", "before (median, range)", "after (median, range)", "error after",
                  "tolerance", "source"), tuple(rows))


def _real(t: Mapping[str, Any]) -> str:
    return _clock(t["real"]) if t["is_time"] else _g(t["real"])


def _sim(t: Mapping[str, Any], s: Mapping[str, Any]) -> str:
    if not s or s.get("median") is None:
        return "not seen"
    fmt = _clock if t["is_time"] else _g
    missed = f", missed in {s['missed']}/{s['runs']}" if s.get("missed") else ""
    return f"{fmt(s['median'])} ({fmt(s['low'])} … {fmt(s['high'])}{missed})"


def _err(t: Mapping[str, Any], s: Mapping[str, Any]) -> str:
    err = s.get("error") if s else None
    if err is None:
        return "–"
    if t["is_time"]:
        return ("+" if err >= 0 else "−") + format_duration(round(abs(err)))
    return f"{err:+,.0f}" if abs(err) >= 100 else f"{err:+.3g}"


def _tol(t: Mapping[str, Any]) -> str:
    return format_duration(t["tolerance"]) if t["is_time"] else _g(t["tolerance"])


def _clock(minutes: float) -> str:
    """``T+2d6h30m`` style, to the minute: minutes after the scenario's start."""
    sign = "−" if minutes < 0 else "+"
    return f"T{sign}{format_duration(round(abs(minutes)))}"


def _value(kind: str, value: Any) -> str:
    if kind == "duration" and isinstance(value, int | float):
        return format_duration(round(value))
    if kind == "rate" and isinstance(value, int | float):
        return f"{value * 60:,.0f}/h"
    return _g(value)


def _g(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–" if value is None else str(value)
    return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:.4g}"


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def timeline_png(data: Mapping[str, Any]) -> bytes:
    """The timeline figure: one row per target, real against simulated (median and range), before and after."""
    plt = _plt()
    targets = list(data["targets"])
    times = [t for t in targets if t["is_time"]]
    values = [t for t in targets if not t["is_time"]]
    panels = [p for p in ((times, "days after the start"), (values, "simulated / real")) if p[0]]
    heights = [max(1.5, 0.42 * len(p[0]) + 0.8) for p in panels] or [1.5]
    fig, axes = plt.subplots(len(panels) or 1, 1, figsize=(9, sum(heights)),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, (group, label) in zip(axes[:, 0], panels, strict=False):
        _panel(ax, group, label, is_time=group is times)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _panel(ax: Any, group: Sequence[Mapping[str, Any]], label: str, *, is_time: bool) -> None:
    def scale(t: Mapping[str, Any], v: float | None) -> float | None:
        if v is None:
            return None
        if is_time:
            return v / 1440.0
        return v / t["real"] if t["real"] else v

    ys = list(range(len(group)))[::-1]
    for y, t in zip(ys, group, strict=True):
        real = scale(t, t["real"])
        assert real is not None
        tol = t["tolerance"] / 1440.0 if is_time else (t["tolerance"] / abs(t["real"]) if t["real"] else 0.0)
        ax.fill_betweenx([y - 0.35, y + 0.35], real - tol, real + tol, color="#dddddd", linewidth=0)
        for s, off, colour in ((t.get("before"), 0.16, "#999999"), (t.get("after"), -0.16, "#1f5fa8")):
            if not s or s.get("median") is None:
                continue
            lo, med, hi = scale(t, s["low"]), scale(t, s["median"]), scale(t, s["high"])
            assert lo is not None and med is not None and hi is not None
            ax.plot([lo, hi], [y + off, y + off], color=colour, linewidth=2)
            ax.plot([med], [y + off], "o", color=colour, markersize=5)
        ax.plot([real], [y], "|", color="black", markersize=16, markeredgewidth=2)
    ax.set_yticks(ys)
    ax.set_yticklabels([t["id"] + (" (held out)" if t["role"] == "held-out" else "") for t in group], fontsize=8)
    ax.set_xlabel(label)
    ax.grid(axis="x", color="#eeeeee")
    if not is_time:
        ax.axvline(1.0, color="black", linewidth=0.5)
