"""Render a :class:`~drillsim.reports.document.Document` as a Word document (python-docx).

Chinese agencies file the 演练评估报告 as a Word document, so the GB/T form and the AAR/IP are
also written as .docx: A4 pages, the title and numbered headings, tables with a repeated header
row, figures at the text width with their captions, and fonts a Chinese reader expects — 宋体
(SimSun) for text and 黑体 (SimHei) for headings in the East Asian font slot, so Word (and WPS,
LibreOffice) draw Chinese with a Chinese face while Latin text keeps its own. The ratings P/S/M/U
in tables are coloured as on the HTML page.

The bytes are deterministic for a given document: the core properties carry no time or author,
and the zip's parts are all dated 1980-01-01.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any

from drillsim.reports.document import Bullets, Document, Heading, Image, Para, Table

FONTS = {"en": ("Calibri", "SimSun"), "zh": ("Times New Roman", "SimSun")}
"""Language → (Latin face, East Asian face) of the body text."""
HEADING_FONT = ("Calibri", "SimHei")
RATING_COLOURS = {"P": "1B7F3B", "S": "8A6D00", "M": "B35900", "U": "B00020"}
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
"""Written as the document's created and modified time, so the same report gives the same bytes."""


def _fonts(style: Any, latin: str, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a style's Latin and East Asian faces (Word keeps them in different attributes)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style.font
    font.name = latin
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _setup(doc: Any, lang: str) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, RGBColor

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.0)
    latin, east = FONTS.get(lang, FONTS["en"])
    _fonts(doc.styles["Normal"], latin, east, 10.5)
    for name, size in (("Title", 20), ("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12), ("Heading 4", 11)):
        style = doc.styles[name]
        _fonts(style, HEADING_FONT[0], HEADING_FONT[1], size, True)
        style.font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    props = doc.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.created = props.modified = EPOCH
    props.revision = 1
    props.language = "zh-CN" if lang == "zh" else "en-GB"


def _table(doc: Any, block: Table) -> None:
    from docx.shared import Pt, RGBColor

    columns = max(len(block.header), max((len(r) for r in block.rows), default=0))
    labelled = any(str(h).strip() for h in block.header)  # a key–value table has no header row
    table = doc.add_table(rows=1 if labelled else 0, cols=columns)
    table.style = doc.styles["Table Grid"]
    if labelled:
        _header(table.rows[0], block.header)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            value = str(text)
            run = cell.paragraphs[0].add_run(value)
            if value in RATING_COLOURS:
                run.bold = True
                run.font.color.rgb = RGBColor.from_string(RATING_COLOURS[value])
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    doc.add_paragraph()


def _header(header: Any, texts: Any) -> None:
    """The header row: bold on a light fill, repeated on every page the table spans."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, text in zip(header.cells, texts, strict=False):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:fill"), "EEF3F8")
        cell._tc.get_or_add_tcPr().append(shade)


def render(document: Document) -> bytes:
    """The .docx file's bytes."""
    from docx import Document as Word
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = Word()
    _setup(doc, document.lang)
    doc.add_heading(document.title, level=0)
    section = doc.sections[0]
    page, left, right = section.page_width, section.left_margin, section.right_margin
    assert page is not None and left is not None and right is not None  # python-docx's default A4 section sets them
    width = page - left - right
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=max(1, min(4, block.level - 1)))
        elif isinstance(block, Para):
            doc.add_paragraph(block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Image):
            picture = doc.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(block.png), width=min(width, Cm(16.5)))
            caption = doc.add_paragraph(block.caption, style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    doc.save(buffer)
    return _stable(buffer.getvalue())


def _stable(data: bytes) -> bytes:
    """The same .docx with every part dated 1980-01-01: the same report, the same bytes (no clock in it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
