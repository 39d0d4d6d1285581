"""Rebuild the scorecard and the after-action report from an event log.

drillsim report LOG reads LOG (an events.jsonl file, or a run directory holding one), rates every
objective from the log alone, prints the scorecard, and writes scorecard.json, report-<lang>.md, a
self-contained report-<lang>.html and figures-<lang>/*.png into --out (default: the log's
directory). --form gbt writes the Chinese drill evaluation report (演练评估报告) as
report-gbt-<lang>.md / .html instead; --format docx writes either form as a Word document. A file
that exists with other content is replaced only with --force; derived.json records the log each
file was made from.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from drillsim.commands.outputs import FORCE_HELP

HELP = "rebuild the scorecard and after-action report from an event log"


def add_report_options(p: argparse.ArgumentParser) -> None:
    """``--lang`` and ``--form``: shared by run, play and report."""
    p.add_argument(
        "--lang",
        choices=("en", "zh"),
        default=None,
        help="language of the report text (default: en; zh for --form gbt)",
    )
    p.add_argument(
        "--form",
        choices=("aar", "gbt"),
        default="aar",
        help="aar: HSEEP After-Action Report/Improvement Plan (default); gbt: 演练评估报告 (GB/T 46792)",
    )
    p.add_argument(
        "--format",
        dest="doc_format",
        choices=("md", "docx"),
        default="md",
        help="md: Markdown + a self-contained HTML page with PNG figures (default); docx: a Word document "
        "(tables, figures, Chinese fonts)",
    )


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim report``."""
    p.add_argument(
        "log", metavar="LOG", type=Path, help="an events.jsonl file, or a run directory holding one"
    )
    p.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="output directory (default: the log's)"
    )
    add_report_options(p)
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.add_argument("--quiet", "-q", action="store_true", help="print only the paths written")


def resolve_log(path: Path) -> Path:
    """A run directory means its events.jsonl."""
    return path / "events.jsonl" if path.is_dir() else path


def write_outputs(
    log: Any, out: Path, *, lang: str | None, form: str, report: bool = True, quiet: bool = False,
    force: bool = False, doc_format: str = "md",
) -> Any:
    """Score ``log``, write scorecard.json (and the report), print the scorecard table; return the scorecard.

    Every file is checked first: one that exists with other content stops the command (exit 2,
    each file named) unless ``force``; then all are written atomically and ``derived.json`` records
    the log they were made from.

    Raises:
        LogError: the header's objectives cannot be read.
        InputError: a file would be replaced without ``force``.
    """
    from drillsim.commands import outputs
    from drillsim.log import LogError
    from drillsim.scoring import DefinitionError, format_table, score_log

    try:
        card = score_log(log)
    except DefinitionError as exc:
        raise LogError(f"{log.path or 'log'}:1: {exc}") from None
    lang = lang or ("zh" if form == "gbt" else "en")
    out = Path(out)
    card_path = out / "scorecard.json"
    files: dict[Path, bytes] = {card_path: card.to_json().encode("utf-8")}
    if report:
        from drillsim.reports.write import build, render_files

        doc = build(log, card, lang, form)
        stem = outputs.report_stem(lang, form)
        if doc_format == "docx":
            from drillsim.reports import word

            files[out / f"{stem}.docx"] = word.render(doc)
        else:
            rendered = render_files(doc, stem, outputs.figures_dir(lang))
            files.update({out / rel: data for rel, data in rendered.items()})
    sources = [outputs.Source.of(log.path)] if log.path and Path(log.path).is_file() else []
    written = outputs.write_files(files, force=force, sources=sources, by="drillsim report")
    if quiet:
        for path in written:
            print(path)
        return card
    print(format_table(card, lang))
    print(f"  scorecard   {card_path}")
    if report:
        pages = [p for p in written if p.suffix in (".html", ".md", ".docx")]
        print(f"  report      {' '.join(str(p) for p in pages)}")
    return card


def main(args: argparse.Namespace) -> int:
    """Read, score, write."""
    from drillsim.commands.common import freeze_now, permanent_heap, read_run_log

    with permanent_heap():  # the log read stays until the end: no collection need walk it (as in ``run``)
        path = resolve_log(args.log)
        log = read_run_log(path)  # warns about a torn last line or an unfinished run; scores what it holds
        freeze_now()
        out = args.out if args.out is not None else path.parent
        write_outputs(log, out, lang=args.lang, form=args.form, quiet=args.quiet, force=args.force,
                      doc_format=args.doc_format)
    return 0
