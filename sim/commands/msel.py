"""The MSEL as a spreadsheet: ``drillsim msel export SCENARIO --out msel.xlsx`` and ``drillsim msel import``.

Export writes one row per inject (number, time, from, to, type, message in Chinese and English,
expected action, objectives, capability, trigger, contingency and every other field) to .xlsx or
.csv; import reads such a sheet back into a scenario file (``--into``), changing only the injects
that changed and keeping comments and order everywhere else. Problems are located at their cells
(``msel.xlsx:MSEL!C7: injects.M04.to: …``). See docs/scenario-format.md, "The MSEL as a spreadsheet".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "export the MSEL to a spreadsheet (.xlsx/.csv), or import one back into a scenario"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """``export`` and ``import``."""
    sub = p.add_subparsers(dest="msel_command", metavar="export|import")
    sub.required = True
    ex = sub.add_parser("export", help="write one row per inject to an .xlsx or .csv sheet")
    ex.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or the id of a bundled scenario")
    ex.add_argument("--out", type=Path, required=True, metavar="FILE", help="msel.xlsx or msel.csv")
    ex.add_argument("--force", action="store_true", help="replace FILE if it exists")
    im = sub.add_parser("import", help="write a sheet's injects into a scenario file")
    im.add_argument("sheet", metavar="SHEET", type=Path, help="an .xlsx or .csv sheet (as export writes it)")
    im.add_argument("--into", type=Path, required=True, metavar="SCENARIO.yaml", help="the scenario file to update")
    im.add_argument("--dry-run", action="store_true", help="check and say what would change; write nothing")


def main(args: argparse.Namespace) -> int:
    """Export or import."""
    return _export(args) if args.msel_command == "export" else _import(args)


def _export(args: argparse.Namespace) -> int:
    from drillsim.commands.outputs import check_free
    from drillsim.errors import InputError, Problem
    from drillsim.fileio import atomic_write_bytes
    from drillsim.scenario.load import load, resolve
    from drillsim.scenario.msel_merge import export_rows, read_text
    from drillsim.scenario.msel_sheet import write_csv, write_xlsx

    load(args.scenario)  # a scenario with problems is refused with them, located, before anything is written
    path, _source = resolve(str(args.scenario))
    rows = export_rows(read_text(path))
    suffix = args.out.suffix.lower()
    if suffix == ".csv":
        data = write_csv(rows)
    elif suffix in (".xlsx", ".xlsm"):
        data = write_xlsx(rows)
    else:
        raise InputError([Problem("--out", 0, 0, "", f"unknown kind of file {suffix or args.out.name!r}",
                                  "FILE.xlsx or FILE.csv")])
    if args.out.exists() and not args.force:
        check_free({args.out: data}, force=False)
    atomic_write_bytes(args.out, data)
    print(f"drillsim msel export: {len(rows)} injects → {args.out}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from drillsim.errors import InputError, Problem
    from drillsim.fileio import atomic_write_text
    from drillsim.scenario.msel_merge import merge, read_text
    from drillsim.scenario.msel_sheet import read_sheet

    target = args.into
    if not target.is_file():
        raise InputError([Problem(str(target), 0, 0, "", "no such scenario file", "the .yaml file to update")])
    sheet = read_sheet(args.sheet)
    text = read_text(target)
    result = merge(text, sheet, str(target))
    lines = [f"drillsim msel import: {sheet.file} → {target}: {len(result.unchanged)} unchanged, "
             f"{len(result.changed)} changed, {len(result.added)} added, {len(result.removed)} removed"
             + (", order changed" if result.moved else "")]
    for key, fields in result.changed.items():
        lines.append(f"  changed   {key}: {', '.join(fields)}")
    for key in result.added:
        lines.append(f"  added     {key}")
    for key in result.removed:
        lines.append(f"  removed   {key}")
    if result.text == text:
        lines.append("  nothing to write: the file already says this")
    elif args.dry_run:
        lines.append("  --dry-run: nothing written")
    else:
        atomic_write_text(target, result.text)
    print("\n".join(lines), file=sys.stdout)
    return 0
