"""The workbooks as a user prints and reads them (issue 14, "Sendable" and "Formats").

LibreOffice headless converts the sample reports to PDF (one soffice run for all of them, with a
private profile so parallel runs do not clash); poppler's ``pdfinfo`` counts the pages and
``pdftotext`` reads the first. These tests skip, saying why, where soffice or poppler-utils are
missing (.ci/run installs them). The openpyxl-level checks (page set-up on every sheet, number
formats, cell types) run everywhere, on both xlsx writers of cbam_calc.outputs.xlsx_book.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES, steel, write_csv

from cbam_calc.cli import main
from cbam_calc.core.labels import label
from cbam_calc.outputs.print_layout import (
    MIN_PRINT_SCALE,
    PAGE_FILL,
    PAPER_A4,
    page_layout,
    width_px,
)
from cbam_calc.outputs.xlsx_book import BACKEND_ENV

STEEL = SAMPLES / "shipments_cn_steel.xlsx"
MAX_STEEL_PAGES = 15  # issue 14: the steel sample's workbook prints on at most 15 pages (was 83)
WRITERS = ["rvgs", "xlsxwriter"]


def _cbam(args: list[str]) -> None:
    assert main(args) == 0, args


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """The sample workbooks a user sends: the steel report in English and Chinese, a batch
    workbook of the association sample, the scenario workbook, the input template and the
    importer's workbook of the steel sample."""
    d = tmp_path_factory.mktemp("books")
    keys = ("steel_en", "steel_zh", "batch", "scenario", "template", "importer")
    out = {k: d / f"{k}.xlsx" for k in keys}
    _cbam(["report", str(STEEL), "-o", str(out["steel_en"])])
    _cbam(["report", str(STEEL), "--for-importer", "-o", str(out["importer"])])
    _cbam(["report", str(STEEL), "--lang", "zh", "-o", str(out["steel_zh"])])
    _cbam(["batch", str(SAMPLES / "association"), "-o", str(out["batch"])])
    _cbam(["scenario", str(STEEL), "--years", "2026-2030", "--cea-price", "0,80", "-o", str(out["scenario"])])
    _cbam(["template", "-o", str(out["template"])])
    return out


@pytest.fixture(scope="module")
def pdfs(books, tmp_path_factory) -> dict[str, Path]:
    """Every book converted to PDF by LibreOffice, in one run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-calc")
    if shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.skip("pdfinfo/pdftotext (poppler-utils) are not installed: .ci/run installs them")
    d = tmp_path_factory.mktemp("pdf")
    profile = (d / "profile").as_uri()
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    cmd += ["--outdir", str(d)]
    subprocess.run([*cmd, *map(str, books.values())], check=True, capture_output=True, timeout=300)
    out = {k: d / f"{k}.pdf" for k in books}
    missing = [k for k, p in out.items() if not p.exists()]
    assert not missing, f"soffice wrote no PDF for {missing}"
    return out


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_text(pdf: Path, page: int) -> str:
    cmd = ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


# ---------------------------------------------------------------------------- printed
@pytest.mark.parametrize("book", ["steel_en", "steel_zh"])
def test_steel_report_prints_on_at_most_15_pages(pdfs, book):
    assert pages(pdfs[book]) <= MAX_STEEL_PAGES


# the first words of every Run sheet (outputs.run_sheet), by the language of the book
RUN_TITLE = {"en": "cbam-calc run record", "zh": "cbam-calc 运行记录"}


@pytest.mark.parametrize("book", ["steel_en", "steel_zh", "batch", "scenario", "importer"])
def test_the_run_sheet_prints_every_figure_whole(pdfs, book):
    """The Run sheet's figures were ### in print (columns of the default width): every page of it
    shows each figure, formatted, and no ###; the Chinese sheet's keys are whole (its widest key,
    the certificates', before the figure)."""
    from cbam_calc.core.labels import record_figure

    lang = "zh" if book.endswith("_zh") else "en"
    pdf = pdfs[book]
    run = [t for t in (page_text(pdf, p) for p in range(1, pages(pdf) + 1)) if RUN_TITLE[lang] in t]
    assert run, f"no Run sheet printed in {book}"
    text = "".join(run)
    assert "###" not in text, text
    figures = {"scenario": "eu_levy_eur", "batch": "failed_files"}.get(book, "certificates")
    key = re.escape(record_figure(figures, lang))
    assert re.search(rf"^{key}\s+[\d,.]+\s*$", text, re.M), text


def test_batch_scenario_and_template_print_on_few_pages(pdfs):
    # before page set-up: batch 83, scenario 46, template 13 pages
    assert pages(pdfs["batch"]) <= 20
    assert pages(pdfs["scenario"]) <= 15
    assert pages(pdfs["template"]) <= 4


@pytest.mark.parametrize(
    "book,lang,title",
    [("steel_en", "en", "title"), ("steel_zh", "zh", "title"), ("batch", "en", "batch_title")],
)
def test_summary_headline_and_assumptions_on_the_first_page(pdfs, book, lang, title):
    first = re.sub(r"\s+", " ", page_text(pdfs[book], 1))
    for key in (title, "net_mass_t", "cost_eur", "by_sector", "assumptions", "prices"):
        assert re.sub(r"\s+", " ", label(key, lang)) in first, key


# ---------------------------------------------------------------------------- page set-up
def _every_sheet_set_up(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == PAPER_A4, ws.title
        assert setup.orientation in ("portrait", "landscape"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth or 1) >= 1, ws.title  # openpyxl reads the default 1 as None
        assert ws.print_area, ws.title
        if ws.freeze_panes == "A2":  # a table: its header on every page
            assert ws.print_title_rows == "$1:$1", ws.title


@pytest.mark.parametrize("writer", WRITERS)
def test_page_setup_on_every_sheet_of_the_calc_report(tmp_path, monkeypatch, writer):
    monkeypatch.setenv(BACKEND_ENV, writer)
    out = tmp_path / "r.xlsx"
    _cbam(["report", str(STEEL), "-o", str(out)])
    _every_sheet_set_up(out)
    wb = openpyxl.load_workbook(out)
    assert wb["Lines"].page_setup.orientation == "landscape"  # 50-odd columns
    assert wb["Rejected"].page_setup.orientation == "portrait"  # empty: narrow


@pytest.mark.parametrize("writer", WRITERS)
def test_an_empty_table_and_a_chart_beside_a_long_table_are_not_printed(tmp_path, monkeypatch, writer):
    # the steel sample rejects no row (the Summary's first page says 0) and has 19 CN codes
    monkeypatch.setenv(BACKEND_ENV, writer)
    out = tmp_path / "r.xlsx"
    _cbam(["report", str(STEEL), "-o", str(out)])
    wb = openpyxl.load_workbook(out)
    assert wb["Rejected"].max_row == 1  # the header only, still on screen
    assert wb["Rejected"].print_area == "'Rejected'!$A$2"  # an empty cell: no page
    cn = wb["By CN code"]
    assert cn.max_row == 20 and cn._charts  # the chart stays beside the table on screen
    assert cn.print_area == f"'By CN code'!$A$1:${cn.cell(1, cn.max_column).column_letter}$20"
    short = wb["By sector"]  # a short table: its chart below it, printed with it
    assert short.print_area != f"'By sector'!$A$1:${short.cell(1, short.max_column).column_letter}$2"


@pytest.mark.parametrize("book", ["batch", "scenario", "template"])
def test_page_setup_on_every_sheet_of_the_other_workbooks(books, book):
    _every_sheet_set_up(books[book])


def test_pages_across_keep_the_scale_at_70_percent_or_more():
    # A4 landscape with 0.4 in margins: 10.89 in = 784 pt printable
    assert page_layout([width_px(10)] * 5, 300) == (False, 1, 1)  # 5 narrow columns: portrait
    assert page_layout([1000], 300)[:2] == (True, 1)  # 750 pt: one landscape page at 100 %
    landscape, across, _ = page_layout([width_px(13)] * 55, 300)  # the Lines sheet
    width_pt = 55 * width_px(13) * 0.75
    assert landscape and across >= 2
    assert across * 784 * PAGE_FILL / width_pt >= MIN_PRINT_SCALE  # the fitted scale
    # one page fewer would shrink it below the minimum
    assert (across - 1) * 784 * PAGE_FILL / width_pt < MIN_PRINT_SCALE
    assert page_layout([1000], 15 * 1000)[2] >= 15 * 1000 * MIN_PRINT_SCALE / 509  # rows flow down


# ---------------------------------------------------------------------------- formats
def _numbers(ws, header: str) -> list:
    head = [c.value for c in ws[1]]
    col = head.index(header) + 1
    return [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]


def test_years_are_plain_integers_in_every_workbook(books):
    for book, sheets in {
        "steel_en": {"Lines": "year"},
        "batch": {"De minimis": "Year"},
        "scenario": {"Levy by year": "year"},
    }.items():
        wb = openpyxl.load_workbook(books[book])
        for sheet, header in sheets.items():
            head = [str(c.value) for c in wb[sheet][1]]
            match = [h for h in head if h.lower() == header.lower()]
            assert match, (book, sheet, head)
            cells = [c for c in _numbers(wb[sheet], match[0]) if c.value is not None]
            assert cells and all(isinstance(c.value, (int, float)) for c in cells), (book, sheet)
            assert all("," not in c.number_format for c in cells), (book, sheet, cells[0].number_format)


@pytest.mark.parametrize("writer", WRITERS)
def test_csv_numbers_are_numbers_in_lines_and_a_code_stays_text(tmp_path, monkeypatch, writer):
    monkeypatch.setenv(BACKEND_ENV, writer)
    rows = [
        steel(net_mass_t="1250.5", see_direct="1.9", customs_ref="00123", note="-2+3"),
        steel(net_mass_t="20", see_direct="", customs_ref="00456", note="=SUM(A1)"),
    ]
    src = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "r.xlsx"
    _cbam(["report", str(src), "-o", str(out)])
    ws = openpyxl.load_workbook(out)["Lines"]
    mass = _numbers(ws, "input: net_mass_t")
    assert [c.data_type for c in mass] == ["n", "n"] and [c.value for c in mass] == [1250.5, 20]
    assert "," in mass[0].number_format  # a mass with thousands separators
    see = _numbers(ws, "see_direct")
    assert see[0].data_type == "n" and see[0].value == 1.9 and see[1].value is None
    refs = _numbers(ws, "customs_ref")
    assert [(c.value, c.data_type) for c in refs] == [("00123", "s"), ("00456", "s")]
    notes = _numbers(ws, "note")  # formula-like text: kept as typed, quote-prefixed, no "'"
    assert [c.value for c in notes] == ["-2+3", "=SUM(A1)"]
    assert all(c.data_type == "s" and c.quotePrefix for c in notes)
    dates = _numbers(ws, "import_date_used")
    assert dates[0].is_date and dates[0].number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("book", ["steel_en", "steel_zh", "batch", "scenario"])
def test_no_cell_shows_an_apostrophe(books, book):
    wb = openpyxl.load_workbook(books[book])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert not (isinstance(c.value, str) and c.value.startswith("'")), (ws.title, c.coordinate)


def test_summary_headers_are_wrapped_not_clipped(books):
    ws = openpyxl.load_workbook(books["steel_en"])["Summary"]
    header = next(r for r in ws.iter_rows() if r[0].value == label("sector", "en"))
    long = [c for c in header if c.value == label("free_allocation_tco2e", "en")]
    assert long and long[0].alignment.wrap_text
    assert ws.row_dimensions[long[0].row].height >= 30  # two lines at least


def test_summary_price_sources_wrap_to_the_printed_width(books):
    ws = openpyxl.load_workbook(books["steel_en"])["Summary"]
    last = ws.print_area.split(":")[-1].lstrip("$").split("$")[0]  # the print area's last column
    sources = [r[4] for r in ws.iter_rows() if r[0].value and str(r[0].value).startswith("2026Q")]
    assert sources and all(c.alignment.wrap_text for c in sources)
    merged = {str(m).split(":")[0]: str(m) for m in ws.merged_cells.ranges}
    for c in sources:  # merged from its column to the last printed one: the whole text prints
        assert merged[c.coordinate].endswith(f"{last}{c.row}"), merged.get(c.coordinate)
