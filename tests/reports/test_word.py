"""`drillsim report LOG --format docx`: the GB/T form and the AAR/IP as Word documents, read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as Word
from docx.oxml.ns import qn

from drillsim.cli import main
from drillsim.log import read_log
from drillsim.reports import word
from drillsim.reports.document import Image, Table
from drillsim.reports.write import build
from drillsim.scoring import score_log


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "run"
    assert main(["run", "mentougou-flash-flood", "--out", str(out), "--no-report", "-q"]) == 0
    return out


@pytest.mark.parametrize(("form", "lang", "name"), [
    ("gbt", "zh", "report-gbt-zh.docx"), ("aar", "en", "report-en.docx"), ("aar", "zh", "report-zh.docx")])
def test_the_word_document_holds_every_heading_table_and_figure(run, capsys, form, lang, name):
    assert main(["report", str(run), "--format", "docx", "--form", form, "--lang", lang, "-q"]) == 0
    path = run / name
    assert str(path) in capsys.readouterr().out
    log = read_log(run / "events.jsonl")
    doc = build(log, score_log(log), lang, form)
    word_doc = Word(str(path))
    headings = [p.text for p in word_doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == doc.headings()  # every section, in order
    assert word_doc.paragraphs[0].style.name == "Title" and word_doc.paragraphs[0].text == doc.title
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(word_doc.tables) == len(tables)
    for table, block in zip(word_doc.tables, tables, strict=True):
        if not any(block.header):  # a key–value table: no header row
            assert [c.text for c in table.rows[0].cells] == list(block.rows[0]) and len(table.rows) == len(block.rows)
            continue
        assert [c.text for c in table.rows[0].cells] == list(block.header)  # the header row
        assert len(table.rows) == len(block.rows) + 1
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    images = [b for b in doc.blocks if isinstance(b, Image)]
    assert len(word_doc.inline_shapes) == len(images) >= 4  # the figures, embedded
    captions = [p.text for p in word_doc.paragraphs if p.style.name == "Caption"]
    assert captions == [i.caption for i in images]
    fonts = word_doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "SimSun"  # Chinese in a Chinese face
    heading_fonts = word_doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading_fonts.get(qn("w:eastAsia")) == "SimHei"
    section = word_doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7  # A4
    if lang == "zh":
        assert "演练" in "".join(p.text for p in word_doc.paragraphs)


def test_the_same_report_gives_the_same_bytes(run, capsys):
    log = read_log(run / "events.jsonl")
    doc = build(log, score_log(log), "zh", "gbt")
    assert word.render(doc) == word.render(doc)  # no clock inside: a report made again replaces nothing
    assert main(["report", str(run), "--format", "docx", "--form", "gbt", "-q"]) == 0
    assert main(["report", str(run), "--format", "docx", "--form", "gbt", "-q"]) == 0  # no --force needed


def test_ratings_in_tables_are_coloured(run):
    path = run / "report-gbt-zh.docx"
    if not path.exists():
        assert main(["report", str(run), "--format", "docx", "--form", "gbt", "-q"]) == 0
    runs = [r for t in Word(str(path)).tables for row in t.rows for c in row.cells for p in c.paragraphs
            for r in p.runs if r.text in ("P", "S", "M", "U")]
    assert runs and all(r.bold and r.font.color.rgb is not None for r in runs)
