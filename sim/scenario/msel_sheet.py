"""The MSEL as a spreadsheet: one row per inject, written to and read from .xlsx (openpyxl) or .csv.

Exercise controllers keep their Master Scenario Events List in Excel. Every field of an inject has
a column, so a sheet carries the whole MSEL: plain fields as their text (``1h``, ``mtg-flood-hq``), the
two languages of titles, messages and expected actions in their own columns, and the structured
fields (trigger, contingency, expected records, effects) as YAML in flow style
(``{record: fire.crossed, subject: [xiaying]}``).

A sheet is hostile input both ways:

* **Export neutralises formulas.** A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` is one a
  spreadsheet would run. In .xlsx every cell is written as a string with Excel's quote prefix (the
  text shows as typed, and stays text when edited); in .csv such a text is written with a leading
  apostrophe ``'`` (as is a text that itself starts with one), which the import removes again.
* **Import never evaluates.** A formula cell is refused (``FILE:MSEL!C7: to: a formula …``); the
  sheet is bounded before anything is parsed: file size, the uncompressed size of an .xlsx, rows,
  columns and characters per cell.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from drillsim.errors import InputError, Problem

SHEET = "MSEL"
MAX_FILE_BYTES = 16 * 1024 * 1024
"""Sheets over this size are refused before they are opened."""
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
"""An .xlsx is a zip: its parts may not add up to more than this uncompressed (a zip bomb is refused)."""
MAX_ROWS = 5000
"""Injects a sheet may hold."""
MAX_COLUMNS = 40
MAX_CELL = 10_000
"""Characters a cell may hold."""
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    """One column: the inject field it holds and how it is headed."""

    key: str
    en: str
    zh: str
    kind: str = "plain"
    """``plain`` (the text as written), ``list`` (ids separated by commas), ``text`` (one language of a
    title, message or expected action), ``yaml`` (a structured field in flow style), ``bool``."""

    @property
    def header(self) -> str:
        """``No. / 编号``."""
        return f"{self.en} / {self.zh}"


COLUMNS: tuple[Column, ...] = (
    Column("id", "No.", "编号"),
    Column("at", "Time", "时间"),
    Column("delay", "Delay", "延迟"),
    Column("from", "From", "发出方"),
    Column("to", "To", "接收方", "list"),
    Column("type", "Type", "类型"),
    Column("method", "Method", "方式"),
    Column("title.zh", "Title (zh)", "标题(中文)", "text"),
    Column("title.en", "Title (en)", "标题(英文)", "text"),
    Column("message.zh", "Message (zh)", "内容(中文)", "text"),
    Column("message.en", "Message (en)", "内容(英文)", "text"),
    Column("expected_action.zh", "Expected action (zh)", "预期行动(中文)", "text"),
    Column("expected_action.en", "Expected action (en)", "预期行动(英文)", "text"),
    Column("objectives", "Objectives", "演练目标", "list"),
    Column("capability", "Capability", "核心能力"),
    Column("when", "Trigger", "触发条件", "yaml"),
    Column("contingency", "Contingency", "应急条件", "yaml"),
    Column("contingency_for", "Contingency for", "替代注入", "list"),
    Column("expects", "Expected records", "考核记录", "yaml"),
    Column("effects", "Effects", "后续影响", "yaml"),
    Column("template", "Template", "模板", "bool"),
    Column("source", "Source", "资料来源"),
)
"""Every field of an inject, in sheet order (``docs/scenario-format.md``, injects)."""

FIELDS = tuple(dict.fromkeys(c.key.split(".")[0] for c in COLUMNS if c.key != "id"))
"""The inject fields the sheet carries."""


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``26`` → ``AA``."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def where(sheet: str, column: int, row: int) -> str:
    """``MSEL!C7``: a cell, as every problem names it (after the file: ``msel.xlsx:MSEL!C7``)."""
    return f"{sheet}!{column_letter(column)}{row}"


def problem(file: str, cell: str, path: str, message: str, expected: str = "") -> Problem:
    """A problem at a cell: printed ``FILE:SHEET!CELL: path: message (expected …)``."""
    return Problem(file, 0, 0, path, message, expected, cell=cell)


# -- escaping ----------------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """A text a spreadsheet would run as a formula, made inert for CSV: a leading apostrophe.

    A text that starts with an apostrophe gets one too, so :func:`restore` is exact for every text.
    """
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given."""
    return text[1:] if text.startswith("'") else text


# -- rows ------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One inject as read from a sheet: cell texts by column key, and where each cell is."""

    number: int
    """The sheet row (1 is the header)."""
    cells: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    """Column key → ``SHEET!CELL``."""


@dataclass
class Sheet:
    """The rows of a sheet and where it came from."""

    file: str
    sheet: str
    rows: list[Row]
    header_place: str


def cell_text(value: Any) -> str:
    """A cell value as text (an .xlsx may hold numbers and dates where a person typed them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def write_xlsx(rows: Sequence[Mapping[str, str]]) -> bytes:
    """The rows as an .xlsx workbook (every cell a string with the quote prefix: nothing runs)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = SHEET
    for col, column in enumerate(COLUMNS, start=1):
        head = sheet.cell(row=1, column=col, value=column.header)
        head.data_type = "s"
        head.font = Font(bold=True)
    for r, values in enumerate(rows, start=2):
        for col, column in enumerate(COLUMNS, start=1):
            text = values.get(column.key, "")
            if not text:
                continue
            cell = sheet.cell(row=r, column=col)
            cell.value = text
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True
            if "\n" in text:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    for col, column in enumerate(COLUMNS, start=1):
        widest = max([len(column.header)] + [len(r.get(column.key, "")) for r in rows])
        sheet.column_dimensions[column_letter(col - 1)].width = min(60, max(8, widest + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_csv(rows: Sequence[Mapping[str, str]]) -> bytes:
    """The rows as UTF-8 CSV with a BOM (Excel reads it as UTF-8), formula-like texts neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    for values in rows:
        writer.writerow([neutralise(values.get(c.key, "")) for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# -- reading ---------------------------------------------------------------------------------------------


def read_sheet(path: Path, display: str | None = None) -> Sheet:
    """Read an .xlsx or .csv MSEL, bounded, without evaluating anything; raise located problems."""
    file = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError([Problem(file, 0, 0, "", f"cannot read: {exc.strerror}", "an .xlsx or .csv file")]) from None
    if not path.is_file():
        raise InputError([Problem(file, 0, 0, "", "not a regular file", "an .xlsx or .csv file")])
    if size > MAX_FILE_BYTES:
        raise InputError([Problem(file, 0, 0, "", f"{size:,} bytes", f"a sheet under {MAX_FILE_BYTES:,} bytes")])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _rows(file, path.stem, _csv_cells(path, file))
    if suffix in (".xlsx", ".xlsm"):
        return _rows(file, SHEET, _xlsx_cells(path, file))
    raise InputError([Problem(file, 0, 0, "", f"unknown kind of file {suffix!r}", "an .xlsx or .csv file")])


def _csv_cells(path: Path, file: str) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(file, 0, 0, "", f"not UTF-8 text (byte {exc.start})",
                                  "a CSV saved as UTF-8 (Excel: CSV UTF-8)")]) from None
    old = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL + 2)
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            yield number, [restore(cell) for cell in row]
    except csv.Error as exc:
        raise InputError([Problem(file, 0, 0, "", f"not a CSV sheet: {exc}", "a comma-separated sheet")]) from None
    finally:
        csv.field_size_limit(old)


def _xlsx_cells(path: Path, file: str) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise InputError([Problem(file, 0, 0, "", "not an .xlsx workbook (not a zip file)",
                                  "a workbook saved by Excel, WPS or LibreOffice")]) from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise InputError([Problem(file, 0, 0, "", f"{unzipped:,} bytes when unpacked",
                                  f"under {MAX_UNZIPPED_BYTES:,} (a workbook this large is refused)")])
    try:
        book = load_workbook(path, read_only=True, data_only=False)  # formulas as formulas: never evaluated
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputError([Problem(file, 0, 0, "", f"cannot read the workbook: {type(exc).__name__}",
                                  "a workbook saved by Excel, WPS or LibreOffice")]) from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        name = sheet.title
        for number, row in enumerate(sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1), start=1):
            values = []
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    raise InputError([_formula(file, name, index, number, cell.value)])
                values.append(cell.value)
            yield number, values
    finally:
        book.close()


def _formula(file: str, sheet: str, column: int, row: int, value: Any) -> Problem:
    key = COLUMNS[column].key if column < len(COLUMNS) else ""
    return problem(file, where(sheet, column, row), key, f"a formula ({cell_text(value)[:40]}): drillsim never "
                   "evaluates a sheet's formulas", "the value itself, typed as text")


def _rows(file: str, sheet: str, cells: Iterator[tuple[int, list[Any]]]) -> Sheet:
    """Header first, then one :class:`Row` per non-empty line; every bound and header problem located."""
    problems: list[Problem] = []
    rows: list[Row] = []
    columns: list[Column | None] = []
    for number, values in cells:
        if number > MAX_ROWS + 1:
            raise InputError([problem(file, where(sheet, 0, number), "", f"more than {MAX_ROWS} injects",
                                      f"at most {MAX_ROWS} rows")])
        if len(values) > MAX_COLUMNS and any(cell_text(v).strip() for v in values[MAX_COLUMNS:]):
            raise InputError([problem(file, where(sheet, MAX_COLUMNS, number), "",
                                      f"more than {MAX_COLUMNS} columns", f"at most {MAX_COLUMNS} columns")])
        texts = [cell_text(v) for v in values[:MAX_COLUMNS]]
        for index, text in enumerate(texts):
            if len(text) > MAX_CELL:
                raise InputError([problem(file, where(sheet, index, number), "",
                                          f"a cell of {len(text):,} characters", f"at most {MAX_CELL:,}")])
        if number == 1:
            columns = [_column(text) for text in texts]
            for index, (text, column) in enumerate(zip(texts, columns, strict=True)):
                if text.strip() and column is None:
                    problems.append(problem(file, where(sheet, index, 1), "", f"unknown column {text!r}",
                                            "a column of `drillsim msel export`: " + ", ".join(c.en for c in COLUMNS)))
            if not any(c is not None and c.key == "id" for c in columns):
                problems.append(problem(file, where(sheet, 0, 1), "", "no column for the inject numbers",
                                        "a header row with `No. / 编号` (as `drillsim msel export` writes it)"))
            continue
        if not any(t.strip() for t in texts):
            continue
        row = Row(number)
        for index, (text, column) in enumerate(zip(texts, columns, strict=False)):
            if column is not None:
                row.cells[column.key] = text
                row.places[column.key] = where(sheet, index, number)
        for column in COLUMNS:
            row.places.setdefault(column.key, where(sheet, columns.index(column) if column in columns else 0, number))
        rows.append(row)
    if not columns:
        problems.append(problem(file, where(sheet, 0, 1), "", "the sheet is empty",
                                "a header row and one row per inject"))
    if problems:
        raise InputError(problems)
    return Sheet(file, sheet, rows, where(sheet, 0, 1))


def _column(header: str) -> Column | None:
    text = " ".join(header.split()).casefold()
    for column in COLUMNS:
        if text in (column.header.casefold(), column.key.casefold(), column.en.casefold(), column.zh.casefold()):
            return column
    return None
