"""Issue 12, "Also found": files that are not spreadsheets, and workbooks whose table is not on the
sheet asked for. The files are tests/data/hostile/habits/misc/ (scripts/corpus/habits_misc.py);
each runs the command in a child process, as a user would."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from child import run_cbam
from conftest import REPO

from cbam_calc.compute.batch import run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import InputFileError
from cbam_calc.inputs.readers import read_table

CORPUS = REPO / "tests" / "data" / "hostile" / "habits" / "misc"
CLEAN = "shipments_clean.csv"


def calc(path):
    r = calculate(path)
    return r.summary


# ---------------------------------------------------------------------------- not a spreadsheet
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("script.csv", "this looks like program source code (Python), not a CSV table: export the"),
        ("document.csv", "this looks like a PDF document, not a CSV table: export the shipments sheet"),
        ("picture.csv", "this looks like a PNG image, not a CSV table"),
        ("photo.csv", "this looks like a JPEG image, not a CSV table"),
        ("archive.csv", "this looks like a zip archive (holding shipments.csv), not a CSV table: unpack"),
        ("page.csv", "this is a web page (HTML) saved with a .csv name"),
        ("empty.csv", "the file is empty (0 bytes)"),
        ("workbook.csv", "this is an Excel workbook (xlsx) saved with a .csv name: rename it .xlsx"),
        (
            "old_workbook.csv",
            "this is an Excel 97-2003 workbook (xls) saved with a .csv name: rename it .xls",
        ),
        ("text.xlsx", "this is CSV text saved with a .xlsx name: rename it .csv"),
        ("document.xlsx", "this looks like a PDF document, not an Excel workbook"),
    ],
)
def test_a_file_that_is_not_its_name_says_what_it_looks_like(name, says):
    with pytest.raises(InputFileError) as e:
        read_table(CORPUS / name)
    line = str(e.value)
    assert line.startswith(f"{CORPUS / name}: ") and says in line
    assert "missing" not in line and "no header row" not in line


def test_the_command_line_says_it_in_one_line_naming_the_file():
    r = run_cbam(["calc", "document.csv", "-o", "report.xlsx"], CORPUS)
    line = r.one_line_error(names="document.csv")
    assert line == (
        "error: document.csv: this looks like a PDF document, not a CSV table: export the shipments "
        "sheet as CSV or xlsx"
    )
    assert not (CORPUS / "report.xlsx").exists()


def test_a_workbook_renamed_csv_agrees_with_the_workbook_once_renamed(tmp_path):
    (tmp_path / "workbook.xlsx").write_bytes((CORPUS / "workbook.csv").read_bytes())
    (tmp_path / "text.csv").write_bytes((CORPUS / "text.xlsx").read_bytes())
    clean = calc(CORPUS / CLEAN)
    for name in ("workbook.xlsx", "text.csv"):
        got = calc(tmp_path / name)
        assert (got.lines, got.rejected, got.cost_eur) == (3, 0, clean.cost_eur)


@pytest.mark.parametrize(
    "first_line",
    [
        b"cn_code,country,net_mass_t,import_date\n",
        b"\xef\xbb\xbfcn_code;country;net_mass_t;import_date\n",
        b"from Hebei: shipments 2026\ncn_code,country\n",  # a title row, not a script
        "商品编码\t原产国\t净重(吨)\t进口日期\n".encode("gb18030"),
        "cn_code,country\n".encode("utf-16"),
        b"BMW parts,,\ncn_code,country\n",  # "BM" starts a bitmap, and a word
    ],
)
def test_real_csv_files_pass_the_sniff(tmp_path, first_line):
    p = tmp_path / "s.csv"
    p.write_bytes(first_line + b"7208 51 20,CN,1,2026-01-02\n")
    from cbam_calc.inputs import sniff

    sniff.check_kind(p, str(p))  # no error


def test_the_sniff_reads_the_first_few_kilobytes_only(tmp_path):
    p = tmp_path / "big.csv"
    with p.open("wb") as fh:
        fh.write(b"cn_code,country,net_mass_t,import_date\n")
        fh.write(b"7208 51 20,CN,1,2026-01-02\n" * 400_000)  # 11 MB
    from cbam_calc.inputs import sniff

    t0 = time.perf_counter()
    for _ in range(100):
        sniff.check_kind(p, str(p))
    assert (time.perf_counter() - t0) / 100 < 0.005


# ---------------------------------------------------------------------------- sheets
def test_a_cover_first_sheet_reads_the_one_sheet_with_a_table_and_says_so():
    got, clean = calc(CORPUS / "cover_first.xlsx"), calc(CORPUS / CLEAN)
    assert (got.lines, got.rejected, got.cost_eur) == (clean.lines, 0, clean.cost_eur)
    assert got.inputs[0].sheet == "明细"
    i = got.warning_codes.index("W_SHEET_CHOSEN")
    assert got.warnings[i] == (
        "the first sheet '封面' holds no shipments table: '明细', the one sheet that does, was read"
    )


def test_a_cover_first_sheet_with_two_tables_behind_it_is_an_error_listing_them():
    r = run_cbam(["calc", "cover_two_tables.xlsx"], CORPUS)
    line = r.one_line_error(names="cover_two_tables.xlsx")
    assert "the first sheet has no shipments table; choose one with --sheet: 2025, 2026" in line


def test_calc_with_a_sheet_the_workbook_lacks_stays_an_error():
    # one file, one name: the user said which sheet, the tool does not pick another
    with pytest.raises(InputFileError, match=r"no sheet 'Shipments': the workbook has 封面, 明细$"):
        calculate(CORPUS / "cover_first.xlsx", sheet="Shipments")


@pytest.mark.slow  # a batch in a child process: ~10 s
def test_batch_sheet_name_a_member_lacks_reads_its_one_table_with_a_warning(tmp_path):
    # per-file: each member as its own calc (by importer, the two files' importers are summed)
    args = ["batch", "batch_sheet", "--sheet", "Shipments", "--format", "json", "--de-minimis", "per-file"]
    r = run_cbam(args, CORPUS)
    assert r.code == 0, r.stderr
    got = json.loads(r.stdout)
    files = {f["member"]: f for f in got["files"]}
    assert files["hebei"]["sheet"] == "Shipments" and files["tianjin"]["sheet"] == "明细"
    assert [f["status"] for f in got["files"]] == ["ok", "ok"]
    clean = calc(CORPUS / CLEAN)
    assert got["totals"]["cost_eur"] == pytest.approx(2 * clean.cost_eur, abs=0.02)
    warned = [w for w in got["warnings"] if w["code"] == "W_SHEET_MISSING_CHOSEN"]
    assert [w["warning"] for w in warned] == [
        "no sheet 'Shipments' (--sheet): '明细', the one sheet that holds a shipments table, was read"
    ]


@pytest.mark.slow  # a batch over a folder
def test_batch_sheet_name_a_member_lacks_with_two_tables_fails_that_member_listing_them():
    got = run_batch([CORPUS / "batch_sheet_two"], sheet="Shipments", jobs=1)
    files = {f.member: f for f in got.files}
    assert files["hebei"].status == "ok" and files["tianjin"].status == "failed"
    assert (
        "no sheet 'Shipments': the workbook has 一季度, 二季度; sheets with a shipments table: 一季度, 二季度"
        in (files["tianjin"].message)
    )


@pytest.mark.parametrize("name", ["cover_first.xlsx", "batch_sheet_two/tianjin.xlsx"])
def test_a_report_of_a_sheet_chosen_by_the_tool_checks_as_matching(tmp_path, name):
    # the check reads the workbook as the run did (no --sheet), so the warnings of that choice
    # (W_SHEET_CHOSEN; W_OTHER_SHEETS for two tables) are in the recomputation too
    from cbam_calc.outputs.check import check_report
    from cbam_calc.outputs.runs import calc_to_files

    shutil.copy(CORPUS / name, tmp_path / "in.xlsx")
    calc_to_files(tmp_path / "in.xlsx", report=tmp_path / "r.xlsx")
    outcome = check_report(tmp_path / "r.xlsx", [])
    assert outcome.matches, outcome.text()
    calc_to_files(tmp_path / "in.xlsx", sheet="2", report=tmp_path / "r2.xlsx")  # named: no warning
    outcome = check_report(tmp_path / "r2.xlsx", [])
    assert outcome.matches, outcome.text()
