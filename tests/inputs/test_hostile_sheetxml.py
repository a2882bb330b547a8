"""Merged cells and hidden or filtered rows (issue 12), on the workbooks of
tests/data/hostile/habits/sheetxml/ (scripts/corpus/habits_sheetxml.py): each messy workbook must
give the figures of its clean equivalent, or show the warning it must show.

A merged text cell applies to every row of its range (filled down, with a warning); a merged mass
cannot be split, so its rows are rejected; hidden rows are counted with a warning, or left out
with --skip-hidden as rows that are no shipments (they do not fail --strict)."""

from __future__ import annotations

import json

import openpyxl
import pytest
from child import run_cbam
from conftest import REPO

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.model import CalcOptions, ReadOptions
from cbam_calc.inputs import xlsx_guard

CORPUS = REPO / "tests" / "data" / "hostile" / "habits" / "sheetxml"
SKIP = CalcOptions(read=ReadOptions(skip_hidden=True))
COMPARED = ["importer", "installation", "net_mass_t", "import_date_used", "cost_eur", "de_minimis_exempt"]


def calc(name: str, options: CalcOptions | None = None):
    return calculate(CORPUS / name, options or CalcOptions())


def figures(r) -> tuple:
    """What must agree between a messy file and its clean equivalent: the cost, the de minimis
    outcome of each importer, and each line (in row order, without its row number)."""
    rows = r.lines[COMPARED].astype(str).values.tolist()
    groups = sorted((d.importer, d.year, round(d.annex_i_mass_t, 6), d.exempt) for d in r.summary.de_minimis)
    return round(r.summary.cost_eur, 6), groups, rows


def warnings(r, code: str) -> list[str]:
    return [w for w, c in zip(r.summary.warnings, r.summary.warning_codes) if c == code]


def accounted(r) -> None:
    assert r.summary.lines + r.summary.rejected == r.summary.rows_read


# ---------------------------------------------------------------------------- merged cells
@pytest.mark.parametrize("name", ["merged_importer.xlsx", "merged_importer.xlsm"])
def test_merged_importer_installation_and_date_give_the_clean_files_lines_eur_and_de_minimis(name):
    messy, clean = calc(name), calc("merged_importer_clean.xlsx")
    assert figures(messy) == figures(clean)
    assert messy.summary.lines == clean.summary.lines == 7 and messy.summary.rejected == 0
    # without the fill rows 4, 5 and 7 were one nameless importer of 55 t: Alpha's 60 t not priced
    assert ("Alpha GmbH", 2026, 60.0, False) in figures(messy)[1]
    assert "W_BLANK_IMPORTER" not in messy.summary.warning_codes


def test_merged_cells_filled_down_are_named_by_column_and_ranges():
    r = calc("merged_importer.xlsx")
    assert warnings(r, "W_MERGED_FILLED") == [
        "merged cells filled down: import_date rows 6-7",
        "merged cells filled down: importer rows 3-5, 6-7",
        "merged cells filled down: installation rows 3-6",
    ]


def test_title_merged_over_the_header_and_a_merge_across_columns_change_nothing():
    # A1:G1 (the title above the header) and F9:G9 (one row, two columns) are in the file
    r = calc("merged_importer.xlsx")
    assert r.summary.rows_read == 7
    row9 = r.lines[r.lines["row"] == 9].iloc[0]
    assert row9["installation"] == "Shougang Works" and row9["发货类型"] in ("", None)
    assert not any("发货类型" in w or "rows 9" in w for w in warnings(r, "W_MERGED_FILLED"))


def test_merged_mass_over_rows_3_to_5_rejects_those_rows_with_the_reason():
    r, clean = calc("merged_mass.xlsx"), calc("merged_importer_clean.xlsx")
    accounted(r)
    rejected = r.rejected[["row", "column", "code", "reason"]].values.tolist()
    reason = "merged mass cell over rows 3-5: give each row its own mass (column net_mass_t)"
    assert rejected == [[row, "net_mass_t", "R_MERGED_MASS", reason] for row in (3, 4, 5)]
    # the other rows are the clean file's rows 6-9, line for line
    kept = clean.lines[clean.lines["row"] >= 6]
    assert r.lines[COMPARED[:4]].astype(str).values.tolist() == kept[COMPARED[:4]].astype(str).values.tolist()


@pytest.mark.slow
def test_merged_mass_rows_fail_batch_strict(tmp_path):
    r = run_cbam(
        ["batch", str(CORPUS / "merged_mass.xlsx"), "--strict", "-o", str(tmp_path / "b.xlsx")], tmp_path
    )
    assert r.code != 0 and "--strict: 3 rejected row(s)" in r.stderr, (r.stdout, r.stderr)


def test_merged_number_outside_mass_is_rejected_naming_its_column(tmp_path):
    wb = openpyxl.load_workbook(CORPUS / "merged_importer_clean.xlsx")
    ws = wb.active
    ws["H2"], ws["H3"] = "see_direct", 1.9
    ws["I2"], ws["I3"], ws["I4"] = "see_indirect", 0.1, 0.1
    ws.merge_cells("H3:H4")
    wb.save(tmp_path / "see.xlsx")
    r = calculate(tmp_path / "see.xlsx", CalcOptions())
    got = r.rejected[["row", "column", "code", "reason"]].values.tolist()
    reason = "merged number cell over rows 3-4: give each row its own value (column see_direct)"
    assert got == [[3, "see_direct", "R_MERGED_NUMBER", reason], [4, "see_direct", "R_MERGED_NUMBER", reason]]


# ---------------------------------------------------------------------------- hidden rows
def test_guard_reads_hidden_rows_and_merges_in_its_one_pass():
    info = xlsx_guard.guard_workbook(CORPUS / "hidden_rows.xlsx", "hidden_rows.xlsx")
    assert next(iter(info.sheets.values())).hidden_rows == [(5, 5), (8, 8)]
    info = xlsx_guard.guard_workbook(CORPUS / "merged_importer.xlsx", "merged_importer.xlsx")
    merges = sorted(next(iter(info.sheets.values())).merges)
    assert merges == sorted(
        [(1, 0, 1, 6), (3, 4, 5, 4), (6, 4, 7, 4), (3, 5, 6, 5), (6, 3, 7, 3), (9, 5, 9, 6)]
    )
    info = xlsx_guard.guard_workbook(CORPUS / "hidden_rows_libreoffice.ods", "hidden_rows_libreoffice.ods")
    sheet = next(iter(info.sheets.values()))
    assert sheet.hidden_rows == [(5, 5), (8, 8)] and sorted(sheet.merges) == [(1, 0, 1, 6), (3, 4, 5, 4)]


@pytest.mark.parametrize("name", ["hidden_rows.xlsx", "hidden_rows_libreoffice.ods"])
def test_autofilter_hidden_rows_are_counted_with_a_warning_as_the_file_holding_all_rows(name):
    r, clean = calc(name), calc("hidden_rows_all.xlsx")
    assert figures(r) == figures(clean)
    assert warnings(r, "W_HIDDEN_ROWS") == [
        "2 row(s) hidden or filtered out in the workbook are counted (row 5, 8): "
        "--skip-hidden leaves them out"
    ]
    assert "W_HIDDEN_ROWS" not in clean.summary.warning_codes


@pytest.mark.parametrize("name", ["hidden_rows.xlsx", "hidden_rows_libreoffice.ods"])
def test_skip_hidden_gives_the_figures_of_the_visible_rows_and_lists_them_rejected(name):
    r, visible = calc(name, SKIP), calc("hidden_rows_visible.xlsx", SKIP)
    assert figures(r) == figures(visible)
    accounted(r)
    assert (r.summary.lines, r.summary.rejected, r.summary.rows_read) == (5, 2, 7)
    got = r.rejected[["row", "code", "reason"]].values.tolist()
    assert got == [
        [5, "R_HIDDEN_ROW", "hidden row, left out (--skip-hidden)"],
        [8, "R_HIDDEN_ROW", "hidden row, left out (--skip-hidden)"],
    ]
    # left out on purpose, like a totals row: not the "rejected rows are not counted" warning
    assert "W_REJECTED_ROWS" not in r.summary.warning_codes
    assert "W_HIDDEN_ROWS_SKIPPED" in r.summary.warning_codes


@pytest.mark.slow
def test_skip_hidden_on_the_command_line_accounts_rows_and_states_the_assumption(tmp_path):
    out = tmp_path / "r.xlsx"
    r = run_cbam(["calc", str(CORPUS / "hidden_rows.xlsx"), "--skip-hidden", "-o", str(out)], tmp_path)
    assert r.code == 0, r.stderr
    assert "5 lines computed, 2 rejected, of 7 rows read" in r.stdout
    assert "Rows hidden or filtered out in workbooks: left out (--skip-hidden)" in r.stdout
    summary = [
        c
        for row in openpyxl.load_workbook(out, read_only=True)["Summary"].iter_rows(values_only=True)
        for c in row
    ]
    assert "Rows hidden or filtered out in workbooks: left out (--skip-hidden)" in summary
    j = run_cbam(["calc", str(CORPUS / "hidden_rows.xlsx"), "--skip-hidden", "--format", "json"], tmp_path)
    assert json.loads(j.stdout)["assumptions"]["reading"]["skip_hidden"] is True


@pytest.mark.slow
def test_hidden_rows_left_out_do_not_fail_batch_strict(tmp_path):
    r = run_cbam(
        [
            "batch",
            str(CORPUS / "hidden_rows.xlsx"),
            "--skip-hidden",
            "--strict",
            "-o",
            str(tmp_path / "b.xlsx"),
        ],
        tmp_path,
    )
    assert r.code == 0, (r.stdout, r.stderr)
    assert "Rows hidden or filtered out in workbooks: left out (--skip-hidden)" in r.stdout


def test_hidden_rows_warning_in_chinese():
    r = calc("hidden_rows.xlsx", SKIP)
    texts = [w.text("zh") for w in r.summary.warning_messages()]
    assert "工作簿中被隐藏或筛选掉的 2 行已排除（第 5, 8 行；--skip-hidden）" in texts


# ---------------------------------------------------------------------------- unusual writers
def _xlsx(path, sheet_xml: str) -> None:
    """A one-sheet workbook of ``sheet_xml`` (hand-written, as unusual tools write it)."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml.replace("MAIN", main))


def _cells(values, ref: str = "") -> str:
    out = []
    for i, v in enumerate(values):
        r = f' r="{ref[i]}"' if ref else ""
        if isinstance(v, str):
            out.append(f'<x:c{r} t="inlineStr"><x:is><x:t>{v}</x:t></x:is></x:c>')
        else:
            out.append(f"<x:c{r}><x:v>{v}</x:v></x:c>")
    return "".join(out)


def test_hidden_rows_and_merges_of_a_prefixed_sheet_without_references(tmp_path):
    # <x:row hidden="true"> and cells without r (positions counted), a <x:mergeCell>
    head = _cells(["cn_code", "country", "net_mass_t", "import_date", "importer"])
    first = _cells(["7208 51 20", "CN", 20, "2026-02-10", "Alpha GmbH"])
    under = _cells(["7208 51 20", "CN", 20, "2026-02-12"])  # the importer cell is under the merge
    rows = f"<x:row>{head}</x:row><x:row>{first}</x:row><x:row hidden='true'>{under}</x:row>"
    rows += f"<x:row>{under}</x:row>"
    xml = (
        '<x:worksheet xmlns:x="MAIN"><x:sheetData>'
        + rows
        + '</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="E2:E4"/></x:mergeCells></x:worksheet>'
    )
    _xlsx(tmp_path / "odd.xlsx", xml)
    sheet = next(iter(xlsx_guard.guard_workbook(tmp_path / "odd.xlsx", "odd.xlsx").sheets.values()))
    assert sheet.hidden_rows == [(3, 3)] and sheet.merges == [(2, 4, 4, 4)]
    r = calculate(tmp_path / "odd.xlsx", SKIP)
    assert set(r.lines["importer"]) == {"Alpha GmbH"} and r.lines["row"].tolist() == [2, 4]
    assert r.rejected["code"].tolist() == ["R_HIDDEN_ROW"]


def test_a_thousand_merges_and_hidden_rows_are_read_without_a_loop_per_row(tmp_path):
    # 3,000 body rows, the importer merged over each three, every tenth row hidden: vectorised
    import time

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["cn_code", "country", "net_mass_t", "import_date", "importer"])
    for i in range(3000):
        ws.append(["7208 51 20", "CN", 1, "2026-02-10", f"Importer {i // 3}" if i % 3 == 0 else None])
    for i in range(0, 3000, 3):
        ws.merge_cells(f"E{i + 2}:E{i + 4}")
    for r in range(2, 3002, 10):
        ws.row_dimensions[r].hidden = True
    wb.save(tmp_path / "many.xlsx")
    t = time.perf_counter()
    r = calculate(tmp_path / "many.xlsx", SKIP)
    assert time.perf_counter() - t < 30
    accounted(r)
    assert (r.summary.lines, r.summary.rejected) == (2700, 300)
    assert r.lines["importer"].ne("").all()
    (w,) = warnings(r, "W_MERGED_FILLED")
    assert w.startswith("merged cells filled down: importer rows 2-4, 5-7, 8-10,") and w.endswith(", ...")


XLS = REPO / "tests" / "data" / "xls" / "merged_importer.xls"


def build_xls(path) -> None:
    """How tests/data/xls/merged_importer.xls was built (xlwt 1.3.0, not a dependency of the
    project: the file is committed). Rows 2-4 of one importer, merged; row 3 hidden, which an
    .xls does not show cbam-calc (calamine reads no row visibility from BIFF)."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("S")
    for i, h in enumerate(["cn_code", "country", "net_mass_t", "import_date", "importer"]):
        ws.write(0, i, h)
    for r in range(1, 4):
        ws.write(r, 0, "7208 51 20")
        ws.write(r, 1, "CN")
        ws.write(r, 2, 20)
        ws.write(r, 3, f"2026-02-1{r}")
    ws.write_merge(1, 3, 4, 4, "Alpha GmbH")
    ws.row(2).hidden = True
    wb.save(str(path))


def test_xls_merged_importer_is_filled_down_from_the_ranges_calamine_reads():
    r = calculate(XLS, CalcOptions())
    assert r.lines["importer"].tolist() == ["Alpha GmbH"] * 3
    assert warnings(r, "W_MERGED_FILLED") == ["merged cells filled down: importer rows 2-4"]
    assert [(d.importer, d.annex_i_mass_t, d.exempt) for d in r.summary.de_minimis] == [
        ("Alpha GmbH", 60.0, False)
    ]


def test_merge_and_hidden_row_under_a_header_without_body_rows_is_the_one_line_empty_table_error(tmp_path):
    # it was an internal error (IndexError) before the merges looked for a body row
    from cbam_calc.core.errors import InputFileError

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["cn_code", "country", "net_mass_t", "import_date", "importer"])
    ws.merge_cells("E2:E3")
    ws.row_dimensions[2].hidden = True
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(InputFileError, match="no data rows below the header"):
        calculate(tmp_path / "empty.xlsx", SKIP)


@pytest.mark.slow
def test_a_sheet_marking_more_merged_ranges_than_excel_has_rows_is_refused_in_one_line_bounded(tmp_path):
    merges = "".join(f'<x:mergeCell ref="A{i}:A{i + 1}"/>' for i in range(2, 2 * 1_100_000, 2))
    head = _cells(["cn_code"], ["A1"])
    _xlsx(
        tmp_path / "merges.xlsx",
        f'<x:worksheet xmlns:x="MAIN"><x:sheetData><x:row r="1">{head}</x:row></x:sheetData>'
        f"<x:mergeCells>{merges}</x:mergeCells></x:worksheet>",
    )
    r = run_cbam(["calc", "merges.xlsx"], tmp_path)
    r.one_line_error(names="merges.xlsx")
    r.bounded()
    assert "more than 1,048,576 merged ranges" in r.stderr
