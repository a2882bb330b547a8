"""The HTML page is a report, not a data dump (issue 13): every table shows its first rows, says
how many there are and names where all of them are, in English and Chinese; totals stay those of
every row. The limits are monkeypatched small: no test builds a million rows."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES, steel, write_csv

from cbam_calc.cli.batch import batch as batch_command
from cbam_calc.cli.calc import calc as calc_command
from cbam_calc.cli.report import report as report_command
from cbam_calc.compute.batch import run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.labels import label
from cbam_calc.core.sheets import sheet_name
from cbam_calc.outputs import html
from cbam_calc.outputs.html import calc_html
from cbam_calc.outputs.html_batch import batch_html

ERRORS = SAMPLES / "shipments_with_errors.csv"  # 6 lines computed, 12 rejected


def section(page: str, heading: str) -> str:
    """The <section> of the page whose heading is ``heading``."""
    start = page.index(f"<h2>{heading}</h2>")
    return page[start : page.index("</section>", start)]


def body_rows(part: str) -> int:
    """Rows of the first table of a section, header and total row not counted."""
    body = part[part.index("<tbody>") : part.index("</tbody>")]
    return body.count("<tr>")


@pytest.fixture
def many(tmp_path):
    """Five lines, each of its own installation and importer, the costs rising with the row."""
    rows = [
        steel(net_mass_t=str(100 * (i + 1)), installation=f"Works {i}", importer=f"Importer {i} (DE{i:09d})")
        for i in range(5)
    ]
    return calculate(write_csv(tmp_path / "many.csv", rows))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rejected_rows_over_the_limit_show_the_first_and_say_where_all_are(monkeypatch, lang):
    monkeypatch.setattr(html, "MAX_HTML_REJECTED", 3)
    result = calculate(ERRORS)
    page = calc_html(result, lang)
    part = section(page, label("rejected_rows", lang))
    assert body_rows(part) == 3
    note = label(
        "html_first_rows",
        lang,
        shown=3,
        total=12,
        sheet=sheet_name("rejected", lang),
        command=label("xlsx_command_calc", lang),
    )
    assert html.esc(note) in part
    assert "cbam report" in note and "-o report.xlsx" in note and sheet_name("rejected", lang) in note
    # the counts stay those of every row
    counts = label("computed_lines", lang, lines=6, rejected=12, rows=18)
    assert html.esc(counts) in page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_parameters_over_the_limit_show_the_first_and_say_where_all_are(monkeypatch, lang):
    monkeypatch.setattr(html, "MAX_HTML_PARAMETERS", 2)
    result = calculate(ERRORS)
    total = len(result.parameters)
    assert total > 2
    part = section(calc_html(result, lang), label("parameters", lang))
    assert body_rows(part) == 2
    note = label(
        "html_first_rows",
        lang,
        shown=2,
        total=total,
        sheet=sheet_name("parameters", lang),
        command=label("xlsx_command_calc", lang),
    )
    assert html.esc(note) in part


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_installations_and_importers_show_the_highest_levy_and_say_where_all_are(monkeypatch, many, lang):
    monkeypatch.setattr(html, "MAX_HTML_ROWS", 2)
    page = calc_html(many, lang)
    for name, sheet, prefix in (
        ("by_installation", sheet_name("by_installation", lang), "Works "),
        ("by_importer", sheet_name("by_importer", lang), "Importer "),
    ):
        part = section(page, label(name, lang))
        assert body_rows(part) == 2, name
        note = label(
            "html_top_rows", lang, shown=2, total=5, sheet=sheet, command=label("xlsx_command_calc", lang)
        )
        assert html.esc(note) in part
        # ranked: the two highest levies (the two largest masses, the last two rows), highest first
        table = part[part.index("<tbody>") :]
        assert table.index(prefix + "4") < table.index(prefix + "3")
        assert all(f"{prefix}{i}" not in table for i in range(3))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lines_over_the_limit_name_the_workbook_and_lines_out(monkeypatch, many, lang):
    monkeypatch.setattr(html, "MAX_HTML_LINES", 2)
    part = section(calc_html(many, lang), label("lines_table", lang))
    assert body_rows(part) == 2
    note = label(
        "html_first_lines",
        lang,
        shown=2,
        total=5,
        sheet=sheet_name("lines", lang),
        command=label("xlsx_command_calc", lang),
    )
    assert html.esc(note) in part
    assert "--lines-out lines.csv" in note


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_de_minimis_table_and_box_over_the_limit(monkeypatch, many, lang):
    monkeypatch.setattr(html, "MAX_HTML_DE_MINIMIS", 2)
    monkeypatch.setattr(html, "MAX_BOX_DE_MINIMIS", 1)
    page = calc_html(many, lang)
    command = label("xlsx_command_calc", lang)
    part = section(page, html.esc(label("de_minimis", lang, threshold=50)))
    assert body_rows(part) == 2
    assert (
        html.esc(
            label(
                "html_first_rows", lang, shown=2, total=5, sheet=sheet_name("summary", lang), command=command
            )
        )
        in part
    )
    box = page[page.index('<div class="assumptions">') :]
    box = box[: box.index("</div>")]
    assert (
        html.esc(label("html_more_items", lang, n=4, sheet=sheet_name("summary", lang), command=command))
        in box
    )


def test_small_tables_have_no_note(many):
    page = calc_html(many)
    assert "are shown here" not in page and "more:" not in page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_batch_page_tables_files_and_rejected_over_the_limit(monkeypatch, lang):
    monkeypatch.setattr(html, "MAX_HTML_ROWS", 1)
    monkeypatch.setattr(html, "MAX_HTML_FILES", 2)
    monkeypatch.setattr(html, "MAX_HTML_PARAMETERS", 2)
    batch = run_batch([SAMPLES / "association"])
    page = batch_html(batch, lang)
    command = label("xlsx_command_batch", lang)
    assert "cbam batch" in command and "-o batch.xlsx" in command
    # the total row is of every sector, though one is shown
    sectors = section(page, label("by_sector", lang))
    assert body_rows(sectors) == 1
    cost = f"{batch.totals['cost_eur']:,.2f}"
    assert re.search(rf'<tr class="total">.*{re.escape(cost)}', sectors)
    members = section(page, label("by_member", lang))
    assert body_rows(members) == 1
    total = len(batch.tables()[0].frame)
    assert (
        html.esc(
            label(
                "html_top_rows",
                lang,
                shown=1,
                total=total,
                sheet=sheet_name("members", lang),
                command=command,
            )
        )
        in members
    )
    files = section(page, label("files", lang))
    assert body_rows(files) == 2
    note = label(
        "html_first_rows",
        lang,
        shown=2,
        total=len(batch.files),
        sheet=sheet_name("files", lang),
        command=command,
    )
    assert html.esc(note) in files
    params = section(page, label("parameters", lang))
    assert body_rows(params) == 2


def test_the_notes_name_options_that_exist():
    """Every command a note names is one the CLI offers."""

    def options(command) -> set[str]:
        return {o for p in command.params for o in getattr(p, "opts", [])}

    assert "-o" in options(report_command)  # cbam report FILE -o report.xlsx
    assert "--lines-out" in options(calc_command)  # cbam calc FILE --lines-out lines.csv
    assert "-o" in options(batch_command)  # cbam batch FOLDER -o batch.xlsx
    for lang in ("en", "zh"):
        assert label("xlsx_command_calc", lang).startswith("cbam report ")
        assert label("xlsx_command_calc", lang).endswith(" -o report.xlsx")
        assert "cbam calc " in label("html_first_lines", lang, shown=1, total=2, sheet="", command="")
