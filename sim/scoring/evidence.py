"""The sentence that explains a rating, and the order evidence is listed in.

``3 of 14 first reports late or missing: A → B: 41 min …; …`` for yes/no metrics; ``mean 23 min
over 14 incidents; worst: …`` for measured ones; ``not measured: …`` when nothing was observed.
The worst items come first, so the first lines an evaluator reads are the ones that cost the rating.
"""

from __future__ import annotations

from drillsim.scoring.observation import Observation
from drillsim.scoring.spec import MetricSpec
from drillsim.scoring.text import Minutes, Share, Text, bi, pick

SHOWN = 3
"""Items quoted in the summary sentence."""

STAT_NAMES: dict[str, Text] = {
    "count": {"en": "count", "zh": "计数"},
    "sum": {"en": "total", "zh": "合计"},
    "ratio": {"en": "ratio", "zh": "比例"},
    "mean": {"en": "mean", "zh": "平均"},
    "median": {"en": "median", "zh": "中位数"},
    "p90": {"en": "90th percentile", "zh": "90分位"},
    "min": {"en": "min", "zh": "最小"},
    "max": {"en": "max", "zh": "最大"},
    "first": {"en": "first", "zh": "首个"},
    "last": {"en": "last", "zh": "最后"},
}


def format_value(value: float | None, kind: str, statistic: str, lang: str = "en") -> str:
    """A task value (or threshold) for people: minutes, percentages or counts."""
    if value is None:
        return "—"
    if statistic == "count" or (kind == "flag" and statistic == "sum"):
        return f"{value:g}"
    if kind == "duration":
        return Minutes(value).render(lang)
    if kind in ("flag", "fraction"):
        return Share(value).render(lang)
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def value_unit(kind: str, statistic: str) -> str:
    """Unit of a task value: ``min``, ``share``, ``count`` or ``number``."""
    if statistic == "count" or (kind == "flag" and statistic == "sum"):
        return "count"
    return {"duration": "min", "flag": "share", "fraction": "share"}.get(kind, "number")


def bad_first(obs: list[Observation], kind: str, better: str) -> list[Observation]:
    """Observations ordered worst first (failing yes/no items, then by value), ties by record order."""

    def key(o: Observation) -> tuple[float, int]:
        seq = o.seq if o.seq is not None else 1 << 62
        if kind == "flag":
            bad = o.value == (0.0 if better == "higher" else 1.0)
            return (0.0 if bad else 1.0, seq)
        return (o.value if better == "higher" else -o.value, seq)

    return sorted(obs, key=key)


def _quote(items: list[Observation]) -> Text:
    parts = {lang: "; ".join(pick(o.text, lang) for o in items[:SHOWN]) for lang in ("en", "zh")}
    if len(items) > SHOWN:
        parts = {lang: text + ("; …" if lang == "en" else ";……") for lang, text in parts.items()}
    return parts


def summarise(
    spec: MetricSpec | None,
    statistic: str,
    better: str,
    value: float | None,
    obs: list[Observation],
    horizon: float,
) -> Text:
    """One sentence explaining ``value`` from the observations behind it."""
    if spec is None:
        return {"en": "not measured: this drillsim does not know the metric", "zh": "未测量:不支持该指标"}
    if not obs:
        return bi("not measured: {why}", "未测量:{why}", why=spec.absent)
    # items still in progress when the exercise ended early are censored and not counted (weight 0)
    left_out = [o for o in obs if o.censored and o.weight == 0.0]
    if left_out:
        counted = [o for o in obs if not (o.censored and o.weight == 0.0)]
        note = bi(" ({c} still in progress when the exercise ended: censored, not counted)",
                  "(另有{c}项演练结束时仍在进行:删失,不计入)", c=len(left_out))
        if not counted:
            return bi("not measured: all {n} {item} were still in progress when the exercise ended (censored)",
                      "未测量:演练结束时全部{n}项{item}仍在进行(删失)", n=len(left_out), item=spec.item)
        text = summarise(spec, statistic, better, value, counted, horizon)
        return {lang: text[lang] + note[lang] for lang in text}
    ordered = bad_first(obs, spec.kind, better)
    n = len(obs)
    if spec.kind == "flag":
        bad_value = 0.0 if better == "higher" else 1.0
        bad = [o for o in ordered if o.value == bad_value]
        bad_word = (spec.no if bad_value == 0.0 else spec.yes) or {"en": "failed", "zh": "未达标"}
        good_word = (spec.yes if bad_value == 0.0 else spec.no) or {"en": "passed", "zh": "达标"}
        if not bad:
            return bi("all {n} {item} {good}", "全部{n}项{item}{good}", n=n, item=spec.item, good=good_word)
        return bi(
            "{k} of {n} {item} {bad}: {quote}",
            "{n}项{item}中{k}项{bad}:{quote}",
            k=len(bad),
            n=n,
            item=spec.item,
            bad=bad_word,
            quote=_quote(bad),
        )
    censored = sum(1 for o in obs if o.censored)
    shown = {lang: format_value(value, spec.kind, statistic, lang) for lang in ("en", "zh")}
    text = bi(
        "{stat} {v} over {n} {item}; worst: {quote}",
        "{n}项{item}{stat}{v};最差:{quote}",
        stat=STAT_NAMES.get(statistic, {"en": statistic, "zh": statistic}),
        v=shown,
        n=n,
        item=spec.item,
        quote=_quote(ordered),
    )
    if censored:
        extra = bi(
            " ({c} still pending at the horizon, counted as lower bounds)",
            "(其中{c}项截至评估时仍未完成,按下限计)",
            c=censored,
        )
        text = {lang: text[lang] + extra[lang] for lang in text}
    return text


def good_side(spec: MetricSpec, better: str, obs: list[Observation]) -> Text | None:
    """What went well in the observations behind a rating: the strength an after-action report names.

    ``12 of 17 first reports on time: …`` for yes/no metrics (the passing items, quoted), ``best: …``
    for measured ones (the best items first). None when nothing passed.
    """
    obs = [o for o in obs if not (o.censored and o.weight == 0.0)]  # not counted: not a strength either
    if not obs:
        return None
    best = list(reversed(bad_first(obs, spec.kind, better)))
    if spec.kind == "flag":
        good_value = 1.0 if better == "higher" else 0.0
        good = [o for o in best if o.value == good_value]
        if not good:
            return None
        word = (spec.yes if good_value == 1.0 else spec.no) or {"en": "passed", "zh": "达标"}
        return bi("{k} of {n} {item} {good}: {quote}", "{n}项{item}中{k}项{good}:{quote}",
                  k=len(good), n=len(obs), item=spec.item, good=word, quote=_quote(good))
    return bi("best of {n} {item}: {quote}", "{n}项{item}中最好的:{quote}", n=len(obs), item=spec.item,
              quote=_quote(best))
