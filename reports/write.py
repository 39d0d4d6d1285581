"""Write a report for a log: figures/*.png, report.md and a self-contained report.html, atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drillsim.fileio import atomic_write_bytes, atomic_write_text
from drillsim.log import LogData
from drillsim.reports import aar, gbt, html, markdown
from drillsim.reports.facts import Facts
from drillsim.reports.figures import draw_all
from drillsim.scoring.view import LogView

FORMS = ("aar", "gbt")
"""``aar``: HSEEP After-Action Report / Improvement Plan; ``gbt``: 演练评估报告 (GB/T 46792-2025)."""


def build(log: LogData, card: Any, lang: str = "en", form: str = "aar") -> Any:
    """The report document (with figures) for a scored log."""
    view = LogView(log.header, log.records)
    facts = Facts(view, card, lang)
    figures = draw_all(view, lang)
    module = gbt if form == "gbt" else aar
    return module.build(facts, figures, torn=log.torn)


def write_report(log: LogData, card: Any, out: str | Path, lang: str = "en", form: str = "aar") -> list[Path]:
    """Write the report files into ``out``; return their paths.

    File names: ``report.md`` / ``report.html`` for the AAR, ``report-gbt.md`` / ``report-gbt.html`` for
    the GB/T form; figures go to ``figures/<name>.png`` (shared by both forms).
    """
    return write_document(build(log, card, lang, form), out, form)


def write_document(doc: Any, out: str | Path, form: str = "aar") -> list[Path]:
    """Write a built report document (figures, Markdown, HTML) into ``out``; return the paths."""
    out = Path(out)
    written: list[Path] = []
    for image in doc.images():
        path = out / "figures" / f"{image.name}.png"
        atomic_write_bytes(path, image.png)
        written.append(path)
    stem = "report" if form == "aar" else "report-gbt"
    for suffix, text in ((".md", markdown.render(doc)), (".html", html.render(doc))):
        path = out / f"{stem}{suffix}"
        atomic_write_text(path, text)
        written.append(path)
    return written
