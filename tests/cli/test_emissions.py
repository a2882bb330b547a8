"""``cbam emissions``: what each communication template of files and folders says, as a table, JSON
or CSV, run as a user runs it (a child process)."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from child import run_cbam
from template_edit import CEMENT, EXAMPLES, edit, text

from cbam_calc.inputs.comm_template import read_template


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "templates"
    d.mkdir()
    for p in EXAMPLES:
        shutil.copy(p, d / p.name)
    (d / "notes.txt").write_text("from the supplier", encoding="utf-8")
    return d


def test_a_folder_prints_each_template_its_installation_period_and_product_rows(folder, tmp_path):
    r = run_cbam(["emissions", folder, "--year", "2026"], tmp_path)
    assert r.code == 0, r.stderr
    out = r.stdout
    assert out.count("communication template v2.1 (2024-06-05)") == 5
    for name in ("Example Cement Producer", "Example Blast Steelworks", "Example Aluminium Producer"):
        assert name in out
    assert "Reporting period: 2023-01-01 - 2023-12-31" in out
    assert "7601 10 10" in out and "7.7050" in out  # aluminium slabs, SEE total
    assert "SEE total K" in out and "(Summary_Communication G12:G21)" in out
    assert "notes.txt: not an .xlsx file" in out
    assert "5 template(s) read, 10 product row(s)" in out
    assert "reporting period 2023-01-01 to 2023-12-31 is not 2026" in out


def test_json_gives_every_figure_with_its_cell(folder, tmp_path):
    r = run_cbam(["emissions", folder, "--format", "json", "--year", "2023"], tmp_path)
    assert r.code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert len(doc["templates"]) == 5 and doc["warnings"] == [] and doc["failed"] == []
    assert doc["skipped"][0]["code"] == "M_SKIPPED_NOT_XLSX"
    alu = next(t for t in doc["templates"] if t["installation"]["name"] == "Example Aluminium Producer")
    expected = read_template(EXAMPLES[-1])
    assert alu["version"] == "2.1" and alu["sheets"]["products"] == "Summary_Products"
    for got, want in zip(alu["products"], expected.products, strict=True):
        assert got["see_total"] == want.see_total and got["cells"]["see_total"] == f"K{want.row}"
        assert got["embedded_electricity"] == want.embedded_electricity
    assert alu["products"][0]["route"] == "K"


def test_csv_written_to_a_file_has_one_row_per_product(folder, tmp_path):
    out = tmp_path / "products.csv"
    r = run_cbam(["emissions", folder, "--format", "csv", "-o", out], tmp_path)
    assert r.code == 0, r.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 10
    assert {r["see_direct_cell"] for r in rows} >= {"I10", "I11"}
    assert rows[0]["installation"] == "Example Cement Producer" and float(rows[0]["see_total"]) > 0
    again = run_cbam(["emissions", folder, "--format", "csv", "-o", out], tmp_path)
    assert again.code == 2 and "already exists" in again.stderr


def test_a_bad_template_is_one_line_naming_file_sheet_row_and_column(tmp_path):
    bad = edit(CEMENT, tmp_path / "supplier.xlsx", "Summary_Products", {"F10": text("73239300")})
    line = run_cbam(["emissions", bad], tmp_path).one_line_error(names="supplier.xlsx")
    assert "sheet 'Summary_Products', row 10, column 'F': CN 7323 93 00 is not a CBAM good" in line


def test_a_bad_template_in_a_folder_fails_alone(folder, tmp_path):
    edit(CEMENT, folder / "z_supplier.xlsx", "Summary_Products", {"F10": text("73239300")})
    r = run_cbam(["emissions", folder, "--year", "2023"], tmp_path)
    assert r.code == 2
    assert "5 template(s) read" in r.stdout and "Not read:" in r.stdout
    assert [ln for ln in r.stderr.splitlines() if ln.startswith("error: ")] == [
        ln for ln in r.stderr.splitlines() if ln.strip()
    ]
    assert "z_supplier.xlsx" in r.stderr and "Traceback" not in r.stderr


def test_chinese_headers(folder, tmp_path):
    r = run_cbam(["emissions", folder / EXAMPLES[0].name, "--lang", "zh", "--year", "2023"], tmp_path)
    assert r.code == 0, r.stderr
    assert "通讯模板 v2.1" in r.stdout and "直接 SEE" in r.stdout and "报告期" in r.stdout
