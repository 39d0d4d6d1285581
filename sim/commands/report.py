"""Rebuild the scorecard and the after-action report from an event log.

drillsim report LOG reads LOG (an events.jsonl file, or a run directory holding one), rates every
objective from the log alone, prints the scorecard, and writes scorecard.json, report.md, a
self-contained report.html and figures/*.png into --out (default: the log's directory). --form gbt
writes the Chinese drill evaluation report (演练评估报告) as report-gbt.md / report-gbt.html instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

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


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``drillsim report``."""
    p.add_argument(
        "log", metavar="LOG", type=Path, help="an events.jsonl file, or a run directory holding one"
    )
    p.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="output directory (default: the log's)"
    )
    add_report_options(p)
    p.add_argument("--quiet", "-q", action="store_true", help="print only the paths written")


def resolve_log(path: Path) -> Path:
    """A run directory means its events.jsonl."""
    return path / "events.jsonl" if path.is_dir() else path


def write_outputs(
    log: Any, out: Path, *, lang: str | None, form: str, report: bool = True, quiet: bool = False
) -> Any:
    """Score ``log``, write scorecard.json (and the report), print the scorecard table; return the scorecard.

    Raises:
        LogError: the header's objectives cannot be read.
    """
    from drillsim.fileio import atomic_write_text
    from drillsim.log import LogError
    from drillsim.scoring import DefinitionError, format_table, score_log

    try:
        card = score_log(log)
    except DefinitionError as exc:
        raise LogError(f"{log.path or 'log'}:1: {exc}") from None
    lang = lang or ("zh" if form == "gbt" else "en")
    card_path = Path(out) / "scorecard.json"
    atomic_write_text(card_path, card.to_json())
    written = [card_path]
    if report:
        from drillsim.reports.write import write_report

        written += write_report(log, card, out, lang, form)
    if quiet:
        for path in written:
            print(path)
        return card
    print(format_table(card, lang))
    print(f"  scorecard   {card_path}")
    if report:
        pages = [p for p in written if p.suffix in (".html", ".md")]
        print(f"  report      {' '.join(str(p) for p in pages)}")
    return card


def main(args: argparse.Namespace) -> int:
    """Read, score, write."""
    from drillsim.commands.common import read_run_log

    path = resolve_log(args.log)
    log = read_run_log(path)  # warns about a torn last line or an unfinished run; scores what it holds
    out = args.out if args.out is not None else path.parent
    write_outputs(log, out, lang=args.lang, form=args.form, quiet=args.quiet)
    return 0
