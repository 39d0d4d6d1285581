"""Render a report for a log: figures as PNG, Markdown and a self-contained HTML page, as bytes per file.

Which names the files get (``report-zh.md``, ``figures-zh/``) is the command's business
(:mod:`drillsim.commands.outputs`); so is whether an existing file may be replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drillsim.fileio import atomic_write_bytes
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


def render_files(doc: Any, stem: str, figures: str) -> dict[str, bytes]:
    """Relative path → bytes: ``<figures>/<name>.png`` for each figure, ``<stem>.md`` and ``<stem>.html``."""
    out: dict[str, bytes] = {f"{figures}/{image.name}.png": image.png for image in doc.images()}
    out[f"{stem}.md"] = markdown.render(doc, figures).encode("utf-8")
    out[f"{stem}.html"] = html.render(doc).encode("utf-8")
    return out


def write_report(log: LogData, card: Any, out: str | Path, lang: str = "en", form: str = "aar", *,
                 stem: str = "report", figures: str = "figures") -> list[Path]:
    """Build and write a report into ``out`` (atomically, replacing what is there); return the paths."""
    return write_document(build(log, card, lang, form), out, stem=stem, figures=figures)


def write_document(doc: Any, out: str | Path, *, stem: str = "report", figures: str = "figures") -> list[Path]:
    """Write a built report document into ``out`` (atomically, replacing what is there); return the paths."""
    written = []
    for rel, data in render_files(doc, stem, figures).items():
        path = Path(out) / rel
        atomic_write_bytes(path, data)
        written.append(path)
    return written
