"""`drillsim msel export/import`: the MSEL to a spreadsheet and back, lossless, hostile input refused."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from drillsim.cli import main
from drillsim.scenario.load import bundled_dir, load, load_text
from drillsim.scenario.msel_merge import export_rows, merge
from drillsim.scenario.msel_sheet import COLUMNS, MAX_CELL, MAX_ROWS, read_sheet, write_csv, write_xlsx

BUNDLED = sorted(p.stem for p in bundled_dir().glob("*.yaml"))
HEADERS = {c.key: i for i, c in enumerate(COLUMNS)}


def _copy(tmp_path: Path, name: str = "mentougou-flash-flood") -> Path:
    target = tmp_path / f"{name}.yaml"
    shutil.copyfile(bundled_dir() / f"{name}.yaml", target)
    return target


@pytest.mark.parametrize("name", BUNDLED)
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_every_bundled_msel_goes_to_a_sheet_and_back_without_losing_anything(tmp_path, capsys, name, suffix):
    scenario = _copy(tmp_path, name)
    original = scenario.read_bytes()
    sheet = tmp_path / f"msel{suffix}"
    assert main(["msel", "export", name, "--out", str(sheet)]) == 0
    assert main(["msel", "import", str(sheet), "--into", str(scenario)]) == 0
    out = capsys.readouterr().out
    injects = load(name).scenario.injects
    assert f"{len(injects)} unchanged, 0 changed, 0 added, 0 removed" in out  # every field means what it meant
    assert scenario.read_bytes() == original  # not a byte moved
    # every field also survives being written anew: each row again under a new id
    rows = export_rows(original.decode("utf-8"))
    twice = tmp_path / f"twice{suffix}"
    twice.write_bytes(write_xlsx([*rows, *({**r, "id": r["id"] + "-copy"} for r in rows)]) if suffix == ".xlsx"
                      else write_csv([*rows, *({**r, "id": r["id"] + "-copy"} for r in rows)]))
    merged = merge(original.decode("utf-8"), read_sheet(twice), name)
    again = load_text(merged.text, name).scenario.injects
    assert all(again[k + "-copy"] == inj for k, inj in injects.items())


def test_an_edited_sheet_changes_only_what_changed_and_keeps_comments(tmp_path, capsys):
    from openpyxl import load_workbook

    scenario = _copy(tmp_path)
    text = scenario.read_text(encoding="utf-8")
    commented = text.replace("injects:\n", "injects:  # the MSEL, kept in Excel by the control cell\n", 1)
    commented = commented.replace("  M-03:\n", "  # the towns go quiet\n  M-03:\n", 1)
    scenario.write_text(commented, encoding="utf-8")
    sheet = tmp_path / "msel.xlsx"
    assert main(["msel", "export", str(scenario), "--out", str(sheet)]) == 0
    book = load_workbook(sheet)
    ws = book["MSEL"]
    ids = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    m02 = ids.index("M-02") + 2
    ws.cell(row=m02, column=HEADERS["title.en"] + 1).value = "Train K396 stuck at Luopoling"
    ws.delete_rows(ids.index("C-04") + 2)
    last = ws.max_row + 1
    new = {"id": "M-99", "at": "20h", "to": "mtg-flood-hq", "title.zh": "天亮后复盘", "title.en": "Review at dawn",
           "message.zh": "各镇汇报夜间情况", "message.en": "Towns report on the night"}
    for key, value in new.items():
        ws.cell(row=last, column=HEADERS[key] + 1).value = value
    book.save(sheet)
    capsys.readouterr()
    assert main(["msel", "import", str(sheet), "--into", str(scenario)]) == 0
    out = capsys.readouterr().out
    assert "changed   M-02: title" in out and "added     M-99" in out and "removed   C-04" in out
    after = scenario.read_text(encoding="utf-8")
    assert "injects:  # the MSEL, kept in Excel by the control cell" in after
    assert "  # the towns go quiet\n  M-03:" in after  # a comment above an inject stays with it
    assert "title: {zh: K396次列车滞留, en: Train K396 stuck at Luopoling}" in after
    assert "C-04" not in after.split("injects:")[1].split("\nobjectives:")[0]
    new = load_text(after, "x").scenario
    assert new.injects["M-99"].at == 20 * 60 and new.injects["M-99"].title.en == "Review at dawn"
    before_lines, after_lines = commented.splitlines(), after.splitlines()
    outside = [line for line in before_lines if line not in after_lines]
    assert all("Train K396 stranded" in line or "C-04" in line or line.startswith("    ") or line.startswith("  # ")
               for line in outside)  # only the injects' own lines differ


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _sheet_rows(name: str = "mentougou-flash-flood") -> list[list[str]]:
    rows = export_rows((bundled_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    return [[c.header for c in COLUMNS], *([r.get(c.key, "") for c in COLUMNS] for r in rows)]


def test_problems_are_located_at_their_cells(tmp_path, capsys):
    scenario = _copy(tmp_path)
    before = scenario.read_bytes()
    rows = _sheet_rows()
    rows[2][HEADERS["to"]] = "mtg-flood-hq, nobody-hq"  # row 3 of the sheet: an unknown recipient
    rows[3][HEADERS["when"]] = "{record: [unclosed"  # not YAML
    own = rows[4][HEADERS["id"]]
    rows[4][HEADERS["id"]] = rows[1][HEADERS["id"]]  # the same number twice
    sheet = tmp_path / "msel.csv"
    sheet.write_bytes(_csv(rows))
    assert main(["msel", "import", str(sheet), "--into", str(scenario)]) == 2
    err = capsys.readouterr().err
    e, p = chr(ord("A") + HEADERS["when"]), "A"
    assert f"{sheet}:msel!{e}4: when: not YAML" in err
    assert f"{sheet}:msel!{p}5: id: 'M-01' is already the inject of msel!A2" in err
    rows[3][HEADERS["when"]], rows[4][HEADERS["id"]] = "", own
    sheet.write_bytes(_csv(rows))
    assert main(["msel", "import", str(sheet), "--into", str(scenario)]) == 2
    err = capsys.readouterr().err
    to = chr(ord("A") + HEADERS["to"])
    assert f"{sheet}:msel!{to}3: injects.M-02.to" in err and "nobody-hq" in err and "Traceback" not in err
    assert scenario.read_bytes() == before  # nothing written


def test_export_neutralises_formulas_and_import_restores_the_text(tmp_path, capsys):
    from openpyxl import load_workbook

    scenario = _copy(tmp_path)
    text = scenario.read_text(encoding="utf-8")
    evil = "=HYPERLINK(\"http://x.example\",\"click\")"
    scenario.write_text(text.replace("en: Red rainstorm warning remains in force",
                                     f"en: '{evil}'", 1), encoding="utf-8")
    assert load(str(scenario)).scenario.injects["M-01"].title.en == evil
    xlsx, csv_path = tmp_path / "m.xlsx", tmp_path / "m.csv"
    assert main(["msel", "export", str(scenario), "--out", str(xlsx)]) == 0
    assert main(["msel", "export", str(scenario), "--out", str(csv_path)]) == 0
    ws = load_workbook(xlsx)["MSEL"]
    cell = ws.cell(row=2, column=HEADERS["title.en"] + 1)
    assert cell.value == evil and cell.data_type == "s" and cell.quotePrefix  # text, and stays text when edited
    rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    assert rows[1][HEADERS["title.en"]] == "'" + evil  # inert in any spreadsheet that opens the CSV
    for sheet in (xlsx, csv_path):
        assert main(["msel", "import", str(sheet), "--into", str(scenario)]) == 0
        assert "8 unchanged" in capsys.readouterr().out  # the apostrophe is not part of the title


def test_a_formula_in_the_sheet_is_refused_never_evaluated(tmp_path, capsys):
    from openpyxl import load_workbook

    scenario = _copy(tmp_path)
    sheet = tmp_path / "m.xlsx"
    assert main(["msel", "export", str(scenario), "--out", str(sheet)]) == 0
    book = load_workbook(sheet)
    book["MSEL"].cell(row=3, column=HEADERS["at"] + 1).value = "=60*2"
    book.save(sheet)
    capsys.readouterr()
    assert main(["msel", "import", str(sheet), "--into", str(scenario)]) == 2
    err = capsys.readouterr().err
    col = chr(ord("A") + HEADERS["at"])
    assert f"{sheet}:MSEL!{col}3: at: a formula (=60*2): drillsim never evaluates" in err


def test_a_sheet_is_bounded_in_rows_columns_cells_and_size(tmp_path, capsys):
    scenario = _copy(tmp_path)
    header = [c.header for c in COLUMNS]
    cases = {
        "rows.csv": [header, *([f"X{i}", "1h", "", "simcell", "mtg-flood-hq"] for i in range(MAX_ROWS + 5))],
        "cell.csv": [header, ["M-01", "1h", "", "simcell", "mtg-flood-hq", "", "", "x" * (MAX_CELL + 1)]],
        "columns.csv": [[*header, *(f"extra{i}" for i in range(30))], ["M-01", *(["v"] * 60)]],
    }
    expected = {"rows.csv": f"more than {MAX_ROWS} injects", "cell.csv": "a cell of 10,001 characters",
                "columns.csv": "more than 40 columns"}
    for name, rows in cases.items():
        (tmp_path / name).write_bytes(_csv(rows))
        capsys.readouterr()
        assert main(["msel", "import", str(tmp_path / name), "--into", str(scenario)]) == 2, name
        assert expected[name] in capsys.readouterr().err, name
    bomb = tmp_path / "bomb.xlsx"  # a tiny zip that unpacks to 200 MB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    assert main(["msel", "import", str(bomb), "--into", str(scenario)]) == 2
    assert "when unpacked" in capsys.readouterr().err
