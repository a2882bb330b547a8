"""Bad input: every file-level problem is one clear error naming file, sheet, row and column;
every row-level problem is a Rejected row with its reason; lines + rejected == rows read."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import openpyxl
import pytest
from conftest import line, steel, write_csv

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import InputFileError, NothingComputedError


def reasons(result) -> dict[int, tuple[str, str]]:
    return {int(r.row): (r.column, r.reason) for r in result.rejected.itertuples()}


def test_missing_required_column_names_file_and_column(tmp_path):
    path = write_csv(tmp_path / "s.csv", [{"cn_code": "72085120", "country": "CN", "net_mass_t": "1"}])
    with pytest.raises(InputFileError) as e:
        calculate(path)
    msg = str(e.value)
    assert "s.csv" in msg and "import_date" in msg and "进口日期" in msg


@pytest.mark.parametrize(
    ("row", "column", "needle"),
    [
        ({"cn_code": "72O85120"}, "cn_code", "not a CN code"),
        ({"cn_code": "7208512"}, "cn_code", "has 7"),
        ({"cn_code": "8471 30 00"}, "cn_code", "not a CBAM good"),
        ({"net_mass_t": "-3"}, "net_mass_t", "greater than 0"),
        ({"net_mass_t": "twelve"}, "net_mass_t", "not a number"),
        ({"net_mass_t": ""}, "net_mass_t", "missing net mass"),
        ({"country": "Atlantis"}, "country", "unknown country"),
        ({"country": "DE"}, "country", "EU member state"),
        ({"country": "Switzerland"}, "country", "Annex III"),
        ({"import_date": "2025-12-31"}, "import_date", "before the CBAM definitive period"),
        ({"import_date": "2035-01-02"}, "import_date", "after 2034"),
        ({"import_date": "03/04/2026"}, "import_date", "ambiguous date"),
        ({"import_date": "soon"}, "import_date", "not a date"),
        ({"see_direct": "-1"}, "see_direct", "cannot be negative"),
        ({"see_indirect": "0.2"}, "see_direct", "without see_direct"),
        ({"route": "Z", "see_direct": "1"}, "route", "one letter"),
    ],
)
def test_bad_cells_are_rejected_with_row_column_and_reason(run, row, column, needle):
    r = run([steel(), steel(**row)])
    assert r.summary.lines == 1 and r.summary.rejected == 1
    assert r.summary.lines + r.summary.rejected == r.summary.rows_read
    rej = r.rejected.iloc[0]
    assert rej["row"] == 3
    assert rej["column"] == column
    assert needle in rej["reason"]
    assert rej["file"].endswith(".csv")


def test_every_row_is_in_lines_or_rejected(run):
    rows = [
        steel(),
        steel(cn_code="0000"),
        steel(country="XX-land"),
        steel(net_mass_t="1,5,5"),
        steel(import_date="2026-13-01"),
        steel(cn_code="2523 10 00"),
        steel(),
    ]
    r = run(rows)
    assert sorted([*r.lines["row"], *r.rejected["row"]]) == list(range(2, 2 + len(rows)))


def test_nothing_computable_raises_with_first_reason(tmp_path):
    path = write_csv(tmp_path / "bad.csv", [steel(country="Atlantis")])
    with pytest.raises(NothingComputedError) as e:
        calculate(path)
    assert "bad.csv" in str(e.value) and "row 2" in str(e.value) and "unknown country" in str(e.value)


def test_unreadable_file(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"this is not a workbook at all")
    with pytest.raises(
        InputFileError, match=re.escape("broken.xlsx: this .xlsx file is not an Excel workbook")
    ):
        calculate(bad)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(InputFileError, match=re.escape("truncated.xlsx: cannot read the workbook")):
        calculate(truncated)


def test_password_protected_workbook(tmp_path):
    pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool makes the encrypted file")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["cn_code", "country", "net_mass_t", "import_date"])
    wb.save(plain)
    enc = tmp_path / "locked.xlsx"
    with plain.open("rb") as f, enc.open("wb") as out:
        OOXMLFile(f).encrypt("secret", out)
    with pytest.raises(InputFileError, match=re.escape("locked.xlsx: the workbook is password-protected")):
        calculate(enc)


def test_missing_sheet_lists_the_sheets(tmp_path):
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Exports"
    wb.save(path)
    with pytest.raises(InputFileError) as e:
        calculate(path, sheet="Shipments")
    assert "book.xlsx, sheet 'Shipments': no sheet 'Shipments': the workbook has Exports" in str(e.value)


def test_xlsx_rejected_rows_carry_sheet_and_spreadsheet_row(tmp_path):
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026 exports"
    ws.append(["Shipments to the EU, 2026"])  # a title above the header
    ws.append([])
    ws.append(["商品编码", "原产国", "净重（吨）", "进口日期"])
    ws.append(["7208 51 20", "中国", 100, dt.date(2026, 2, 10)])
    ws.append(["7208 51 20", "中国", "abc", dt.date(2026, 2, 10)])
    wb.save(path)
    r = calculate(path)
    assert line(r, 4)["cost_eur"] > 0
    rej = r.rejected.iloc[0]
    assert (rej["sheet"], rej["row"], rej["column"], rej["value"]) == ("2026 exports", 5, "净重（吨）", "abc")


def test_unitless_mass_header_is_refused_not_guessed(tmp_path):
    path = write_csv(
        tmp_path / "s.csv", [{"商品编码": "72085120", "原产国": "CN", "净重": "5", "进口日期": "2026-01-05"}]
    )
    with pytest.raises(InputFileError, match="'净重' gives no unit"):
        calculate(path)


def test_mass_in_kilograms_is_converted(tmp_path):
    path = write_csv(
        tmp_path / "s.csv",
        [{"cn_code": "72085120", "country": "CN", "净重(千克)": "100000", "import_date": "2026-02-10"}],
    )
    r = calculate(path)
    assert line(r, 2)["net_mass_t"] == pytest.approx(100.0)
    assert any("kilograms" in w for w in r.summary.warnings)


def test_gb18030_csv_from_chinese_excel(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("商品编码,原产国,净重(吨),进口日期\n7208 51 20,中国,100,2026/2/10\n".encode("gb18030"))
    r = calculate(path)
    assert line(r, 2)["embedded_tco2e"] == pytest.approx(350.6)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1,250", 1250.0), ("1 250,5", None), ("25.5 t", 25.5), ("２５", 25.0), ("1.5e2", 150.0)],
)
def test_numbers_written_by_people(run, value, expected):
    r = run([steel(net_mass_t=value)])
    if expected is None:  # decimal comma: the only value in the column decides
        assert line(r, 2)["net_mass_t"] == pytest.approx(1250.5)
    else:
        assert line(r, 2)["net_mass_t"] == pytest.approx(expected)


@pytest.mark.parametrize(
    "value", ["2026-02-10", "2026/2/10", "2026年2月10日", "10.02.2026", "20260210", "46063"]
)
def test_dates_written_by_people(run, value):
    assert str(line(run([steel(import_date=value)]), 2)["import_date_used"])[:10] == "2026-02-10"


def test_cli_never_shows_a_traceback(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"garbage")
    p = subprocess.run([sys.executable, "-m", "cbam_calc", "calc", str(bad)], capture_output=True, text=True)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert p.stderr.startswith("error: ") and "broken.xlsx" in p.stderr
