"""The comparison report: two runs, a run and a set, or two sets — as a terminal table and a page.

Rows are the overall rating and score, each objective's rating and score, and the key metrics
(:data:`drillsim.replay.outcome.METRICS`). A single run shows its value; a set shows its median and
p10–p90 range, and its rating counts. A single run against a set also gets its percentile in the
set (better than that share of the set's runs, ties count half); two sets get the probability that
a run of B does better than a run of A. The page (``compare.html``, self-contained, and
``compare.md``) adds the figures and the first record where the logs part.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from drillsim.fileio import atomic_write_bytes
from drillsim.replay.compare import Comparison, RunSummary
from drillsim.replay.outcome import METRICS, Outcome, percentile, rating_counts, summary
from drillsim.reports import html, markdown
from drillsim.reports.document import Bullets, Document, Heading, Image, Para, Table
from drillsim.scoring.table import pad, width
from drillsim.scoring.text import points
from drillsim.text import of_pair, pick

LABELS_ZH = {
    "score": "总分", "rescued": "获救人数", "lost": "遇难人数(截至结束)", "trapped": "结束时仍被困人数",
    "unresolved": "结束时未处置事件",
    "incidents": "事件数", "late_reports": "迟报数", "dispatches": "队伍出动次数",
}


def _t(lang: str, en: str, zh: str) -> str:
    return of_pair((en, zh), lang)


def _clock(t: float | None) -> str:
    if t is None:
        return "-"
    total = round(t)
    return f"T+{total // 60:02d}:{total % 60:02d}"


def _num(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.1f}".rstrip("0").rstrip(".") if abs(v - round(v)) > 1e-9 else f"{round(v)}"
    return str(v)


def objectives_of(comp: Comparison) -> list[str]:
    """Objective ids in scenario order (from the first run that has any)."""
    for run in [*comp.a, *comp.b]:
        if run.outcome.objectives:
            return list(run.outcome.objectives)
    return []


def _name(run: RunSummary, lang: str) -> str:
    """A run's label in ``lang`` (the label itself, language-neutral, goes to compare.json)."""
    from drillsim.replay.compare import label_for

    return label_for(Path(run.path), run.header, lang) if run.path and run.header else run.label


def _rows(comp: Comparison) -> list[tuple[str, str, str]]:
    """(key, English label, better) for every row."""
    rows = [("score", "overall score", "higher")]
    rows += [(f"objective:{o}", f"objective {o}", "higher") for o in objectives_of(comp)]
    rows += [(k, label, better) for k, label, better in METRICS if k != "score"]
    return rows


def _label(key: str, label: str, lang: str) -> str:
    if lang != "zh":
        return label
    if key.startswith("objective:"):
        return f"目标 {key.split(':', 1)[1]}"
    return LABELS_ZH.get(key, label)


def _rating(outcome: Outcome, key: str) -> str | None:
    if key == "score":
        return outcome.rating
    if key.startswith("objective:"):
        return (outcome.objectives.get(key.split(":", 1)[1]) or {}).get("rating")
    return None


def _scored(key: str) -> bool:
    return key == "score" or key.startswith("objective:")


def _value(key: str, value: Any) -> str:
    """Scores by the one rounding rule (:func:`drillsim.scoring.text.points`), other values as they are."""
    return points(value, "-") if _scored(key) else _num(value)


def _single(run: RunSummary, key: str) -> str:
    value = run.outcome.value(key)
    rating = _rating(run.outcome, key)
    if rating is not None or _scored(key):
        return f"{rating or '-'} {_value(key, value)}".strip() if value is not None else (rating or "-")
    return _num(value)


def counts_text(counts: dict[str, int], lang: str = "en") -> str:
    """``19 M, 1 U`` (zh ``M 19次、U 1次``): how many runs got each rating."""
    shown = [(k, v) for k, v in counts.items() if v and k != "-"]
    if lang == "zh":
        return "、".join(f"{k} {v}次" for k, v in shown)
    return ", ".join(f"{v} {k}" for k, v in shown)


def _spread(runs: list[RunSummary], key: str, lang: str = "en") -> str:
    s = summary(r.outcome.value(key) for r in runs)
    if not s["n"]:
        return "-"
    text = f"{_value(key, s['median'])} [{_value(key, s['p10'])}–{_value(key, s['p90'])}]"
    if _scored(key):
        counts = rating_counts(_rating(r.outcome, key) for r in runs)
        text += " · " + counts_text(counts, lang)
    return text


def superiority(a: list[float], b: list[float], better: str) -> float | None:
    """Probability (in %) that a random run of B does better than a random run of A; ties count half."""
    if not a or not b or better not in ("higher", "lower"):
        return None
    wins = 0.0
    for y in b:
        for x in a:
            if y == x:
                wins += 0.5
            elif (y > x) == (better == "higher"):
                wins += 1
    return round(100.0 * wins / (len(a) * len(b)), 1)


def table_rows(comp: Comparison, lang: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Header and rows of the comparison table (the terminal and the page share them)."""
    a_name = _name(comp.a[0], lang) if not comp.a_set else _t(lang, f"A: {len(comp.a)} runs", f"A:{len(comp.a)}次")
    b_name = _name(comp.b[0], lang) if not comp.b_set else _t(lang, f"B: {len(comp.b)} runs", f"B:{len(comp.b)}次")
    head: tuple[str, ...] = ("", a_name if comp.a_set else f"A: {a_name}", b_name if comp.b_set else f"B: {b_name}")
    extra = None
    if not comp.a_set and comp.b_set:
        extra = (_t(lang, "A better than … of the baseline", "A优于基线运行的比例") if comp.kind == "baseline"
                 else _t(lang, "A better than … of B", "A优于B组运行的比例"))
    elif comp.a_set and comp.b_set:
        extra = _t(lang, "P(B better)", "B优于A的概率")
    elif comp.a_set and not comp.b_set:
        extra = _t(lang, "B better than … of A", "B优于A组运行的比例")
    if extra:
        head = (*head, extra)
    rows: list[tuple[str, ...]] = []
    for key, label, better in _rows(comp):
        a = _spread(comp.a, key, lang) if comp.a_set else _single(comp.a[0], key)
        b = _spread(comp.b, key, lang) if comp.b_set else _single(comp.b[0], key)
        row: tuple[str, ...] = (_label(key, label, lang), a, b)
        if extra:
            av = [v for v in (r.outcome.value(key) for r in comp.a) if v is not None]
            bv = [v for v in (r.outcome.value(key) for r in comp.b) if v is not None]
            if not comp.a_set:
                p = percentile(av[0] if av else None, bv, better)
            elif not comp.b_set:
                p = percentile(bv[0] if bv else None, av, better)
            else:
                p = superiority(av, bv, better)
            row = (*row, "-" if p is None else f"{p:g}%")
        rows.append(row)
    return head, rows


def terminal_table(comp: Comparison, lang: str = "en", title: str = "") -> str:
    """The comparison as fixed-width text (CJK-aware), with the first divergence under it."""
    head, rows = table_rows(comp, lang)
    widths = [max(width(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    widths = [min(w, 44) for w in widths]
    lines = [title or _t(lang, "Comparison", "运行对比"), ""]
    lines.append("  ".join(pad(str(c), w) for c, w in zip(head, widths, strict=True)).rstrip())
    lines.append("  ".join("─" * w for w in widths))
    for row in rows:
        lines.append("  ".join(pad(str(c), w) for c, w in zip(row, widths, strict=True)).rstrip())
    lines.append("")
    legend = legend_lines(comp, lang)
    if legend:
        lines += [*legend, ""]
    lines += divergence_lines(comp, lang)
    for note in comp.notes:
        lines.append(_t(lang, f"note: {note}", f"注意:{note}"))
    return "\n".join(lines)


RATING_WORDS = {
    "P": ("performed without challenges", "顺利完成"), "S": ("performed with some challenges", "完成但存在一些问题"),
    "M": ("performed with major challenges", "完成但存在重大问题"), "U": ("unable to be performed", "未能完成"),
}


def legend_lines(comp: Comparison, lang: str = "en") -> list[str]:
    """What the set notation and the percentile column mean, in words, with this comparison's own numbers."""
    if not (comp.a_set or comp.b_set):
        return []
    runs = comp.b if comp.b_set else comp.a
    side = "B" if comp.b_set else "A"
    n = len(runs)
    baseline = comp.kind == "baseline"
    what = _t(lang, f"{n} doctrine-only runs", f"{n}次纯预案运行") if baseline else _t(lang, f"the {n} runs of {side}",
                                                                                      f"{side}组的{n}次运行")
    counts = rating_counts(_rating(r.outcome, "score") for r in runs)
    shown = [(k, v) for k, v in counts.items() if v and k != "-"]
    example = counts_text(counts, lang)
    spelled = (", ".join(f"{v} run{'s' if v > 1 else ''} rated {k} ({of_pair(RATING_WORDS[k], 'en')})"
                         for k, v in shown) if lang != "zh"
               else "、".join(f"{v}次评为{k}({of_pair(RATING_WORDS[k], 'zh')})" for k, v in shown))
    out = [_t(lang, f"A set shows the median of {what} and, in brackets, the range of its middle 80% (10th to 90th "
                    "percentile).",
              f"一组运行显示{what}的中位数,方括号内为中间80%运行的范围(第10至第90百分位)。")]
    if example:
        out.append(_t(lang, f"Ratings of a set are counted: \"{example}\" on the overall score means {spelled}.",
                      f"一组运行的评级按次数列出:总分一行的“{example}”表示{spelled}。"))
    if not comp.a_set and comp.b_set:
        single = comp.a[0].outcome.value("score")
        p = percentile(single, [r.outcome.value("score") for r in comp.b], "higher")
        if p is not None:
            whom = _t(lang, "the recorded run", "实际推演") if baseline else "A"
            out.append(_t(lang, f"The last column says how many of {what} {whom} did better than (ties count half): "
                                f"{p:g}% on the overall score means {whom} scored better than {p:g}% of them; "
                                "50% is as good as a typical one, 100% better than every one.",
                          f"最后一列表示{whom}优于{what}中的比例(相同计一半):总分一行的 {p:g}% 表示{whom}的得分"
                          f"优于其中 {p:g}% 的运行;50% 相当于一次典型运行,100% 优于全部运行。"))
    elif comp.a_set and comp.b_set:
        out.append(_t(lang, "P(B better): the chance that a run of B does better than a run of A (ties count half).",
                      "B优于A的概率:B组任一运行优于A组任一运行的概率(相同计一半)。"))
    return out


def distribution_table(a: list[Outcome], b: list[Outcome], *, a_name: str, b_name: str, lang: str = "en") -> str:
    """Two sets of outcomes (fork-and-sweep) side by side, without curves."""
    comp = Comparison([RunSummary(o.label, "", {}, o, {}, 0.0, True) for o in a],
                      [RunSummary(o.label, "", {}, o, {}, 0.0, True) for o in b], [], [])
    head, rows = table_rows(comp, lang)
    head = (head[0], a_name, b_name, *head[3:])
    widths = [min(44, max(width(str(r[i])) for r in [head, *rows])) for i in range(len(head))]
    out = ["  ".join(pad(str(c), w) for c, w in zip(head, widths, strict=True)).rstrip(),
           "  ".join("─" * w for w in widths)]
    out += ["  ".join(pad(str(c), w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(out)


def divergence_lines(comp: Comparison, lang: str) -> list[str]:
    """Where B's logs part from A's (one line each; details for a single pair)."""
    if comp.a_set:
        return []
    out: list[str] = []
    if not comp.b_set:
        run = comp.b[0]
        d = run.divergence
        if d is None:
            out.append(_t(lang, "The two logs hold the same records (headers aside).",
                          "两份日志记录相同(日志头除外)。"))
            return out
        out.append(_t(lang, f"First divergence: seq {d.seq} at {_clock(d.t)}", f"首个分歧:序号 {d.seq},{_clock(d.t)}")
                   + (f" ({', '.join(d.fields())})" if d.fields() else ""))
        out.append(f"  A: {_record(d.a)}")
        out.append(f"  B: {_record(d.b)}")
        return out
    if comp.kind == "baseline":
        return []
    parted = [r for r in comp.b if r.divergence is not None]
    same = sum(1 for r in comp.b if r.identical)
    if parted:
        first = min(parted, key=lambda r: r.divergence.seq if r.divergence else 0)
        last = max(parted, key=lambda r: r.divergence.seq if r.divergence else 0)
        fd, ld = first.divergence, last.divergence
        assert fd is not None and ld is not None
        out.append(_t(lang, f"B's logs part from A between seq {fd.seq} ({_clock(fd.t)}) and seq {ld.seq} "
                            f"({_clock(ld.t)})", f"B 组日志与 A 的分歧位置:序号 {fd.seq}({_clock(fd.t)})至 "
                            f"{ld.seq}({_clock(ld.t)})"))
    if same:
        out.append(_t(lang, f"{same} of B's logs hold the same records as A", f"B 组中 {same} 份日志与 A 记录相同"))
    return out


def _record(rec: dict[str, Any] | None) -> str:
    if rec is None:
        return "(no record: the log ended)"
    data = json.dumps(rec.get("data"), ensure_ascii=False, sort_keys=False)
    if len(data) > 160:
        data = data[:160] + "…"
    return f"{_clock(rec.get('t'))} {rec.get('kind')} {rec.get('actor')} → {rec.get('subject')} {data}"


def _names(comp: Comparison) -> dict[str, str]:
    header = (comp.a or comp.b)[0].header
    agencies = (header.get("roster") or {}).get("agencies") or {}
    out = {}
    for key, a in agencies.items():
        out[key] = pick(a.get("name"), "en") or key
    return out


def build(comp: Comparison, lang: str = "en", title: str = "") -> Document:
    """The comparison page: what is compared, the table, where the logs part, the figures."""
    from drillsim.reports.figures import compare as fig
    from drillsim.reports.figures.common import png, styled
    from drillsim.reports.figures.fonts import figure_lang

    title = title or _t(lang, "Run comparison", "运行对比")
    doc = Document(title, lang)
    doc.add(Heading(2, _t(lang, "What is compared", "对比对象")))
    items = []
    for side, runs in (("A", comp.a), ("B", comp.b)):
        for r in runs[:12]:
            h = r.header
            scen = (h.get("scenario") or {}).get("id")
            items.append(f"{side}: {_name(r, lang)} — {scen}, "
                         + _t(lang, f"seed {h.get('seed')}, replicate {h.get('replicate')}",
                              f"随机种子 {h.get('seed')},重复序号 {h.get('replicate')}")
                         + ("" if r.complete else _t(lang, " (did not finish)", "(未正常结束)"))
                         + (f" — {r.path}" if r.path else ""))
        if len(runs) > 12:
            items.append(f"{side}: … {len(runs) - 12} more")
    doc.add(Bullets(tuple(items)))
    for note in comp.notes:
        doc.add(Para(_t(lang, f"Note: {note}.", f"注意:{note}。")))
    head, rows = table_rows(comp, lang)
    doc.add(Heading(2, _t(lang, "Scorecards and key metrics", "评分与关键指标")))
    doc.add(Table(head, tuple(rows)))
    for line in legend_lines(comp, lang):
        doc.add(Para(line))
    div = divergence_lines(comp, lang)
    if div:
        doc.add(Heading(2, _t(lang, "Where the logs part", "日志分歧点")))
        doc.add(Bullets(tuple(line.strip() for line in div)))
    flang = figure_lang(lang)
    doc.add(Heading(2, _t(lang, "Figures", "图表")))
    drawn = []
    with styled(flang):
        drawn.append(("compare-curves", _t(lang, "Open incidents, people rescued and lost (cumulative), shared axes",
                                           "待处置事件、累计获救与遇难人数(同一坐标)"), fig.curves(comp, flang)))
        drawn.append(("compare-levels", _t(lang, "Response level of the main agencies", "主要单位应急响应级别"),
                      fig.levels(comp, flang, _names(comp))))
        drawn.append(("compare-scores", _t(lang, "Overall and objective scores", "总分与各目标得分"),
                      fig.scores(comp, flang, objectives_of(comp))))
        for name, caption, figure in drawn:
            if figure is not None:
                doc.add(Image(name, caption, png(figure)))
    return doc


def render_files(doc: Document, stem: str = "compare") -> dict[str, bytes]:
    """Relative path → bytes: ``figures/*.png``, ``<stem>.md`` and a self-contained ``<stem>.html``."""
    out: dict[str, bytes] = {f"figures/{image.name}.png": image.png for image in doc.images()}
    out[f"{stem}.md"] = markdown.render(doc).encode("utf-8")
    out[f"{stem}.html"] = html.render(doc).encode("utf-8")
    return out


def write(doc: Document, out: str | Path, stem: str = "compare") -> list[Path]:
    """Write figures, ``<stem>.md`` and a self-contained ``<stem>.html`` (each atomically); return the paths."""
    written = []
    for rel, data in render_files(doc, stem).items():
        path = Path(out) / rel
        atomic_write_bytes(path, data)
        written.append(path)
    return written


def to_json(comp: Comparison, lang: str = "en") -> str:
    """``compare.json``: outcomes, table and divergences (deterministic text)."""
    head, rows = table_rows(comp, lang)

    def run(r: RunSummary) -> dict[str, Any]:
        return {"label": r.label, "path": r.path, "outcome": r.outcome.to_dict(), "complete": r.complete,
                "divergence": r.divergence.to_dict() if r.divergence else None}

    data = {"a": [run(r) for r in comp.a], "b": [run(r) for r in comp.b], "table": {"header": head, "rows": rows},
            "notes": comp.notes}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def compare_files(comp: Comparison, lang: str = "en", title: str = "", stem: str = "compare") -> dict[str, bytes]:
    """The page, its figures and ``<stem>.json``, as relative path → bytes."""
    files = render_files(build(comp, lang, title), stem)
    files[f"{stem}.json"] = to_json(comp, lang).encode("utf-8")
    return files


def write_compare(comp: Comparison, out: str | Path, lang: str = "en", title: str = "",
                  stem: str = "compare") -> list[Path]:
    """The page, its figures and ``<stem>.json`` in ``out`` (each atomically)."""
    written = []
    for rel, data in compare_files(comp, lang, title, stem).items():
        path = Path(out) / rel
        atomic_write_bytes(path, data)
        written.append(path)
    return written


def write_fork_report(fork: Any, out: str | Path, lang: str = "en") -> list[Path]:
    """Fork-and-sweep: the parent's-choice continuations (A) against the branch's (B), from their logs."""
    from drillsim.replay.compare import compare_logs

    logs = [Path(p) for p in fork.logs]
    a = [p for p in logs if p.parent.name.startswith("parent-")]
    b = [p for p in logs if p.parent.name.startswith("branch-")]
    comp = compare_logs(a, b)
    spec = fork.spec
    title = _t(lang, f"Fork-and-sweep: {spec.decision} — {fork.parent_option or 'parent'} (A) vs {spec.option} (B), "
                     f"{len(b)} continuations each",
               f"分支扫描:{spec.decision} — {fork.parent_option or '原选择'}(A)与 {spec.option}(B),各 {len(b)} 次延续")
    return write_compare(comp, out, lang, title)
