"""Issue 11: ``cbam calc --check`` never lies.

Every change a reader would see in a report (a Summary total, a Lines cost, a By-sheet figure or
key, a Run row, a recorded figure set to NaN or removed, a Lines row or a sheet deleted, a figure
typed over as text) exits 1 naming what changed; metadata edits (the date the workbook was
prepared, the exporter's name in its properties, a note in an empty cell) and an edit below the
displayed precision still match (exit 0). A damaged run record is one line naming the report and
what to do (exit 2), and a zip bomb dressed as a report is refused before it is expanded.

A report is not byte-deterministic (it records where its input was, and when it was written), so
the tampered reports are made here, in a temporary folder, from tests/data/hostile/check/
tampering.json; the damaged records and the zip bomb are corpus files.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import openpyxl
import pytest
from child import run_cbam
from conftest import REPO, SAMPLES

from cbam_calc.cli import main

CORPUS = REPO / "tests" / "data" / "hostile" / "check"
SPEC = json.loads((CORPUS / "tampering.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A real report of the sample, written with a relative input path, as a user would."""
    folder = tmp_path_factory.mktemp("check")
    shutil.copy(REPO / SPEC["sample"], folder / "shipments.csv")
    r = run_cbam(["calc", "shipments.csv", "-o", "report.xlsx"], folder)
    assert r.code == 0, r.stderr
    return folder / "report.xlsx"


def _row_of(ws, text: str) -> int:
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if values and values[0] == text:
            return r
    raise AssertionError(f"no row {text!r} in {ws.title}")


def _column_of(ws, header: str) -> int:
    heads = [c.value for c in ws[1]]
    found = [i for i, h in enumerate(heads, start=1) if isinstance(h, str) and h.split(": ")[-1] == header]
    assert found, f"no column {header!r} in {ws.title}: {heads}"
    return found[-1]  # computed columns follow the input's


def tamper(report, edit: dict, out):
    """Apply one edit of tampering.json to a copy of ``report``; returns what --check must name."""
    wb = openpyxl.load_workbook(report)
    named = ""
    if "sheet" in edit and "delete_row" not in edit:
        ws = wb[edit["sheet"]]
        if "label" in edit:
            row, col = _row_of(ws, edit["label"]), 2
        elif "cell" in edit:
            cell = ws[edit["cell"]]
            row, col = cell.row, cell.column
        else:
            row = edit["row"]
            col = edit.get("column") or _column_of(ws, edit["header"])
        cell = ws.cell(row=row, column=col)
        if "add" in edit:
            cell.value = cell.value + edit["add"]
        elif edit.get("text"):
            cell.value = f"{cell.value:,.2f}"
        else:
            cell.value = edit["set"]
        sheet = edit["sheet"] if edit["sheet"].isalnum() else f"'{edit['sheet']}'"
        named = f"{sheet}!{cell.coordinate}"
        if edit["sheet"] == "Run":
            named = f"Run!B{row} ({edit['label']})"
    elif "delete_row" in edit:
        wb[edit["sheet"]].delete_rows(edit["delete_row"])
        named = f"{edit['sheet']}: the report has"  # then the first row that moved, each cell
    elif "delete_sheet" in edit:
        del wb[edit["delete_sheet"]]
        named = f"sheet {edit['delete_sheet']!r} is missing"
    elif "record" in edit:
        ws = wb["Run"]
        cell = ws.cell(row=_row_of(ws, "record_json"), column=2)
        record = json.loads(cell.value)
        *path, key = edit["record"].split(".")
        where = record
        for p in path:
            where = where[p]
        if edit.get("delete"):
            del where[key]
            named = "Run record: the lines SHA-256 is missing"
        else:
            where[key] = float("nan") if edit["set"] == "NaN" else edit["set"]
            named = f"Run record: {key}" if path else "Run record: lines is missing"
        cell.value = json.dumps(record)
    for k, v in edit.get("properties", {}).items():
        setattr(wb.properties, k, dt.datetime.fromisoformat(v) if k == "created" else v)
    wb.save(out)
    return named


@pytest.mark.parametrize("case", SPEC["cases"], ids=[c["name"] for c in SPEC["cases"]])
def test_check_exits_1_on_every_tampering_naming_it(case, made, tmp_path, capsys):
    report = tmp_path / f"{case['name']}.xlsx"
    named = tamper(made, case["edit"], report)
    shutil.copy(made.parent / "shipments.csv", tmp_path / "shipments.csv")  # the input beside it
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 1
    said = capsys.readouterr().out
    # a key typed over (a sector swapped): every number is the same, the text is not, and the
    # first line says which (outputs.check: texts that differ exit 1 too)
    head = "the figures do NOT match"
    if case.get("texts_only"):
        head = "every figure matches, but 1 text cell(s) do NOT match"
    assert said.startswith(f"{report}: {head}"), said
    assert named in said, f"{named!r} not named in:\n{said}"


@pytest.mark.parametrize("case", SPEC["controls"], ids=[c["name"] for c in SPEC["controls"]])
def test_metadata_edits_still_match(case, made, tmp_path, capsys):
    report = tmp_path / f"{case['name']}.xlsx"
    tamper(made, case["edit"], report)
    shutil.copy(made.parent / "shipments.csv", tmp_path / "shipments.csv")
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 0, capsys.readouterr().out
    assert capsys.readouterr().out.startswith(f"{report}: the figures match")


def test_an_untouched_report_matches_in_a_child_process(made):
    r = run_cbam(["calc", "--check", "report.xlsx"], made.parent)
    assert r.code == 0, r.stdout + r.stderr
    assert r.stdout.startswith("report.xlsx: the figures match")
    r.bounded()


def test_a_report_of_zh_headers_checks_too(tmp_path, capsys):
    shutil.copy(SAMPLES / "shipments_cn_aluminium_zh.xlsx", tmp_path / "in.xlsx")
    report = tmp_path / "report.xlsx"
    assert main(["calc", str(tmp_path / "in.xlsx"), "-o", str(report), "--lang", "zh"]) == 0
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 0, capsys.readouterr().out
    wb = openpyxl.load_workbook(report)
    ws = wb["明细行"]  # the Lines sheet, named in Chinese
    ws.cell(row=2, column=ws.max_column).value = 1e9  # the last computed column of the first line
    wb.save(report)
    assert main(["calc", "--check", str(report)]) == 1
    assert "明细行!" in capsys.readouterr().out


DAMAGED = {
    "record_cut.xlsx": "not valid JSON",
    "record_wrong_types.xlsx": "inputs is str, not list",
    "record_input_entry_wrong.xlsx": "input 1 has no file text",
    "record_options_wrong.xlsx": "its options cannot be read",
    "record_newer_format.xlsx": "written by a newer cbam-calc (9.0.0)",
    "record_unknown_format.xlsx": "unknown run record format",
    "record_not_an_object.xlsx": "not a record",
}


@pytest.mark.parametrize("name", list(DAMAGED))
def test_a_damaged_run_record_is_one_line_saying_what_to_do(name, tmp_path):
    shutil.copy(CORPUS / name, tmp_path / name)
    r = run_cbam(["calc", "--check", name], tmp_path)
    line = r.one_line_error(names=name)
    assert DAMAGED[name] in line
    assert "write the report again" in line or "check it with that version or newer" in line


def test_a_record_whose_input_is_gone_says_where_to_give_it(tmp_path):
    shutil.copy(CORPUS / "record_input_gone.xlsx", tmp_path / "r.xlsx")
    line = run_cbam(["calc", "--check", "r.xlsx"], tmp_path).one_line_error(names="r.xlsx")
    assert "input shipments_gone.csv not found" in line and "cbam calc --check r.xlsx PATH" in line


def test_a_zip_bomb_report_is_refused_before_it_is_expanded(tmp_path):
    assert (CORPUS / "report_zip_bomb.xlsx").stat().st_size < 1024**2
    shutil.copy(CORPUS / "report_zip_bomb.xlsx", tmp_path / "bomb.xlsx")
    r = run_cbam(["calc", "--check", "bomb.xlsx"], tmp_path)
    assert "zip bomb" in r.one_line_error(names="bomb.xlsx")
    r.bounded()


def _edit(report, sheet: str, row: int, col: int, value) -> str:
    wb = openpyxl.load_workbook(report)
    cell = wb[sheet].cell(row=row, column=col)
    cell.value = value
    wb.save(report)
    return cell.coordinate


@pytest.mark.slow
def test_a_batch_report_is_compared_sheet_by_sheet_and_member_by_member(tmp_path, capsys):
    folder = tmp_path / "members"
    shutil.copytree(SAMPLES / "association", folder)
    report = tmp_path / "association.xlsx"
    assert main(["batch", str(folder), "-o", str(report)]) == 0
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 0, capsys.readouterr().out
    wb = openpyxl.load_workbook(report)
    record = json.loads(wb["Run"].cell(row=_row_of(wb["Run"], "record_json"), column=2).value)
    assert all(len(e["lines_sha256"]) == 64 for e in record["inputs"] if e["member"] != "broken_member")
    sheet = wb.sheetnames[1]  # the first table after the Summary (Members)
    cost = _column_of(wb[sheet], "CBAM cost, EUR")
    tampered = tmp_path / "tampered.xlsx"
    shutil.copy(report, tampered)
    where = _edit(tampered, sheet, 2, cost, 1.0)
    assert main(["calc", "--check", str(tampered)]) == 1
    assert f"{sheet}!{where}" in capsys.readouterr().out


@pytest.mark.slow
def test_a_scenario_report_is_compared_sheet_by_sheet(tmp_path, capsys):
    shutil.copy(SAMPLES / "shipments_cement.csv", tmp_path / "in.csv")
    report = tmp_path / "scenarios.xlsx"
    args = ["scenario", str(tmp_path / "in.csv"), "-o", str(report), "--years", "2027", "--cea-price", "0,80"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 0, capsys.readouterr().out
    wb = openpyxl.load_workbook(report)
    for sheet, header in (("Data - scenarios", "eu_levy_eur"), ("Scenarios by year", "EU CBAM levy, EUR")):
        edited = tmp_path / f"{sheet}.xlsx"
        shutil.copy(report, edited)
        where = _edit(edited, sheet, 2, _column_of(wb[sheet], header), 1.0)
        assert main(["calc", "--check", str(edited)]) == 1
        assert f"'{sheet}'!{where}" in capsys.readouterr().out  # a name with spaces, quoted


def test_an_html_report_is_not_checked_and_says_which_file_is(tmp_path):
    page = tmp_path / "report.html"
    page.write_text("<html><body>CBAM cost report</body></html>", encoding="utf-8")
    line = run_cbam(["calc", "--check", "report.html"], tmp_path).one_line_error(names="report.html")
    assert "check the workbook" in line
