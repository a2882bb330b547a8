"""Reading installations' communication templates (issue 15): every figure of the Commission's
five filled examples as openpyxl reads it independently, the blank template, the version, the
installation block, routes, and hostile copies refused naming file, sheet, row and column."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
from template_edit import ALUMINIUM, BLANK, CEMENT, EXAMPLES, cached_empty, edit, text, uncached

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message
from cbam_calc.inputs import comm_template
from cbam_calc.inputs.comm_template import read_template, read_templates

# Summary_Products columns, by letter as STRUCTURE.md maps them (the same in v2.1 and v2.1.1):
# read here with openpyxl, independently of the reader's search by header text
FIGURES = {
    "see_direct": "I",
    "see_indirect": "J",
    "see_total": "K",
    "default_share": "M",
    "embedded_electricity": "O",
    "cp_share_covered": "AM",
    "cp_covered_tco2e": "AN",
    "cp_due": "AR",
    "rebate_share": "AU",
    "rebate_covered_tco2e": "AV",
    "rebate_amount": "AX",
    "effective_cp_due": "AZ",
}
TEXTS = {"cn_code": "F", "cp_instrument": "AL", "cp_currency": "AP", "rebate_type": "AT", "unit": "L"}


def _openpyxl_rows(path):
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    ws = wb["Summary_Products"]
    out = {}
    for r, row in enumerate(ws.iter_rows(min_row=10, max_row=109, max_col=52, values_only=True), start=10):
        cells = {openpyxl.utils.get_column_letter(i + 1): v for i, v in enumerate(row)}
        if cells.get("F") not in (None, ""):
            out[r] = cells
    wb.close()
    return out


def _empty(v):
    return None if v in (None, "") else v


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name[:12])
def test_every_product_row_of_each_example_has_the_figures_openpyxl_reads(path):
    expected = _openpyxl_rows(path)
    got = read_template(path)
    assert expected, "the example has product rows"
    assert [p.row for p in got.products] == sorted(expected)
    for p in got.products:
        cells = expected[p.row]
        for field, col in FIGURES.items():
            want = _empty(cells[col])
            assert getattr(p, field) == (None if want is None else float(want)), (p.row, field)
            assert p.cells[field] == f"{col}{p.row}"
        for field, col in TEXTS.items():
            assert getattr(p, field) == str(_empty(cells[col]) or ""), (p.row, field)
        assert got.where(p, "see_total") == f"{path}, sheet Summary_Products, cell K{p.row}"
        assert got.where(p, "see_total").text("zh") == f"{path}，Summary_Products 表，单元格 K{p.row}"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name[:12])
def test_the_installation_is_read_by_position_from_g12_to_g21(path):
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    g = [wb["Summary_Communication"][f"G{r}"].value for r in range(12, 22)]
    wb.close()
    inst = read_template(path).installation
    assert [inst.name, inst.street, inst.economic_activity, inst.city, inst.country] == g[:5]
    assert (inst.unlocode, inst.latitude, inst.longitude) == tuple(g[5:8])
    assert (inst.period_start, inst.period_end) == (g[8].date().isoformat(), g[9].date().isoformat())
    assert inst.cells["city"] == "G15" and inst.cells["country"] == "G16"  # both labelled "Country:"


def test_the_version_read_is_stated():
    assert {(read_template(p).version, read_template(p).version_date) for p in EXAMPLES} == {
        ("2.1", "2024-06-05")
    }
    blank = read_template(BLANK)
    assert (blank.version, blank.version_date) == ("2.1.1", "2024-12-13")


def test_the_blank_template_reads_as_no_products_without_error_or_warning():
    # its rows 10-109 are formulas whose cached value is Excel's empty string; row 9 is the typed
    # example (CN 7207 19 19, SEE 1.311), never read
    blank = read_template(BLANK, year=2026)
    assert blank.products == [] and blank.warnings == []
    assert blank.installation.name == ""


def test_a_carbon_price_left_empty_is_none_never_zero():
    p = read_template(CEMENT).products[0]
    assert (p.cp_due, p.rebate_amount, p.cp_currency, p.cp_instrument) == (None, None, "", "")
    assert p.effective_cp_due == 0.0  # what the template's own formula (AR - AX) computed
    assert p.qualifying == {"clinker_factor": 0.95} and p.cells["clinker_factor"] == "AB10"


def test_a_reporting_period_other_than_the_import_year_is_a_warning_naming_it():
    t = read_template(CEMENT, "cement.xlsx", year=2026)
    assert [w.code for w in t.warnings] == ["W_TEMPLATE_PERIOD"]
    assert "cement.xlsx: reporting period 2023-01-01 to 2023-12-31 is not 2026" in t.warnings[0]
    assert read_template(CEMENT, year=2023).warnings == []
    assert "报告期 2023-01-01 至 2023-12-31" in t.warnings[0].text("zh")


# ---------------------------------------------------------------------------- routes
def test_primary_aluminium_takes_route_k_from_the_template_and_wire_needs_none():
    slabs, wire = read_template(ALUMINIUM).products
    assert (slabs.cn_code, slabs.route, slabs.route_choices) == ("76011010", "K", ())
    assert slabs.route_note.code == "M_ROUTE_FROM_TEMPLATE"
    assert "Unwrought aluminium: Primary (electrolytic) smelting" in slabs.route_note
    assert (wire.route, wire.route_choices, wire.route_note.code) == ("", (), "M_ROUTE_NOT_NEEDED")


def test_routes_the_template_does_not_decide_are_listed_to_choose_from():
    blocks = comm_template.Processes(
        routes={"crude steel": ["Basic oxygen steelmaking"], "pig iron": ["Electric arc furnace"]},
        goods={"steel plant": ["Crude steel"]},
        names={"crude steel": "Crude steel"},
    )
    # BOF is C or F; a carbon-steel code's Column A has C/D/E: C
    assert comm_template.product_route("72071919", "Iron or steel products", "steel plant", blocks)[0] == "C"
    eaf = comm_template.Processes({"crude steel": ["Electric arc furnace"]}, {"p": ["Crude steel"]}, {})
    route, choices, note = comm_template.product_route("72071919", "Iron or steel products", "p", eaf)
    assert (route, choices, note.code) == ("", ("D", "E"), "M_ROUTE_UNCERTAIN")
    # clinker: the template does not say grey (A) or white (B)
    route, choices, _ = comm_template.product_route("25231000", "Cement clinker", "kiln", eaf)
    assert (route, choices) == ("", ("A", "B"))


# ---------------------------------------------------------------------------- hostile copies
def _error(path, match):
    with pytest.raises(InputFileError) as e:
        read_template(path, path.name)
    assert str(e.value).startswith(match), str(e.value)
    return e.value


def test_a_formula_without_its_cached_value_is_refused_never_read_as_zero(tmp_path):
    bad = edit(CEMENT, tmp_path / "uncached.xlsx", "Summary_Products", {"I10": uncached})
    e = _error(bad, "uncached.xlsx, sheet 'Summary_Products', row 10, column 'I': 1 cell(s) hold formulas")
    assert "open and save it in Excel or LibreOffice" in str(e)
    assert e.detail.code == "E_TEMPLATE_UNCACHED"


def test_a_template_saved_by_openpyxl_without_values_is_refused(tmp_path):
    wb = openpyxl.load_workbook(CEMENT)  # formulas, no values: what a script's save leaves
    wb.save(tmp_path / "script.xlsx")
    e = _error(tmp_path / "script.xlsx", "script.xlsx, sheet ")
    assert e.detail.code == "E_TEMPLATE_UNCACHED"


def test_a_cn_code_that_is_no_cbam_good_is_refused_naming_its_cell(tmp_path):
    bad = edit(CEMENT, tmp_path / "kitchen.xlsx", "Summary_Products", {"F10": text("73239300")})
    e = _error(
        bad, "kitchen.xlsx, sheet 'Summary_Products', row 10, column 'F': CN 7323 93 00 is not a CBAM good"
    )
    assert e.detail.code == "R_NOT_CBAM_GOOD"


def test_a_product_row_with_a_cn_code_and_no_see_is_refused(tmp_path):
    empty = {c: cached_empty for c in ("I10", "J10", "K10")}
    bad = edit(CEMENT, tmp_path / "no_see.xlsx", "Summary_Products", empty)
    _error(
        bad,
        "no_see.xlsx, sheet 'Summary_Products', row 10, column 'K': "
        "the product row gives CN 2523 29 00 but no SEE",
    )


def test_an_see_in_another_unit_is_refused(tmp_path):
    bad = edit(CEMENT, tmp_path / "kg.xlsx", "Summary_Products", {"L10": text("kgCO2e/t")})
    _error(
        bad,
        "kg.xlsx, sheet 'Summary_Products', row 10, column 'L': the SEE is in 'kgCO2e/t', expected tCO2e/t",
    )


def test_an_installation_without_a_name_is_refused(tmp_path):
    bad = edit(CEMENT, tmp_path / "anon.xlsx", "Summary_Communication", {"G12": cached_empty})
    e = _error(
        bad, "anon.xlsx, sheet 'Summary_Communication', row 12, column 'G': the installation has no name"
    )
    assert e.detail.text("zh").startswith("设施没有名称")


def test_an_see_that_is_not_a_number_is_refused(tmp_path):
    bad = edit(CEMENT, tmp_path / "word.xlsx", "Summary_Products", {"I10": text("about one")})
    _error(
        bad,
        "word.xlsx, sheet 'Summary_Products', row 10, column 'I': 'about one' is not a number (SEE (direct))",
    )


def test_a_workbook_without_the_summary_sheets_is_not_a_template(tmp_path):
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "shipments.xlsx")
    e = _error(tmp_path / "shipments.xlsx", "shipments.xlsx: not an EU communication template")
    assert e.detail.code == "E_TEMPLATE_NOT_TEMPLATE"


# ---------------------------------------------------------------------------- folders
def test_a_folder_reads_its_templates_skips_other_files_and_lists_the_refused(tmp_path):
    for p in EXAMPLES:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "~$open.xlsx").write_bytes(b"lock")
    openpyxl.Workbook().save(tmp_path / "shipments.xlsx")
    edit(CEMENT, tmp_path / "z_bad.xlsx", "Summary_Products", {"F10": text("73239300")})
    got = read_templates([tmp_path], year=2023)
    assert [t.installation.name for t in got.templates] == [
        "Example Cement Producer",
        "Example Blast Steelworks",
        "Example Screw Production Plant",
        "Example Fertiliser Producer",
        "Example Aluminium Producer",
    ]
    assert [(f.rsplit("/", 1)[-1], m.code) for f, m in got.skipped] == [
        ("notes.txt", "M_SKIPPED_NOT_XLSX"),
        ("shipments.xlsx", "E_TEMPLATE_NOT_TEMPLATE"),
    ]
    assert [f.rsplit("/", 1)[-1] for f, _ in got.failed] == ["z_bad.xlsx"]
    assert "column 'F': CN 7323 93 00 is not a CBAM good" in got.failed[0][1]
    frame = got.products_frame()
    assert len(frame) == 10 and frame.loc[0, "see_total_cell"] == "K10"
    assert isinstance(Message("M_SKIPPED_NOT_XLSX"), str) and dt.date.today()


@pytest.mark.slow
def test_worker_processes_read_the_same_as_one_process(tmp_path):
    for i, p in enumerate(EXAMPLES * 2):
        shutil.copy(p, tmp_path / f"{i:02d} {p.name}")
    edit(CEMENT, tmp_path / "99 bad.xlsx", "Summary_Products", {"F10": text("73239300")})
    one = read_templates([tmp_path], year=2026, jobs=1)
    two = read_templates([tmp_path], year=2026, jobs=2)
    assert [t.to_json() for t in two.templates] == [t.to_json() for t in one.templates]
    assert two.failed == one.failed and len(one.templates) == 10 and len(one.failed) == 1
