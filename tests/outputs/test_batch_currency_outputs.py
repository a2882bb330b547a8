"""``cbam batch --currency CNY`` in every output (issue 14, "In CNY"): text, JSON, the workbook
(Summary rows, the Members and By sector columns) and the HTML page show the members' and the
batch's cost in CNY, the display rate of each price period beside it, labelled a DISPLAY rate and
not the Art 9 rate, in English and in Chinese. The figures are worked by hand in
tests/compute/test_batch_currency.py; here each output shows the same ones.
"""

from __future__ import annotations

import html
import json
import shutil
from html.parser import HTMLParser

import openpyxl
import pytest
from conftest import SAMPLES

from cbam_calc.cli import main
from cbam_calc.core.labels import label, sector_name
from cbam_calc.core.messages import Message


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """samples/association with --currency CNY: text and JSON on stdout, workbook and page, in
    both languages."""
    tmp = tmp_path_factory.mktemp("cny")
    folder = shutil.copytree(SAMPLES / "association", tmp / "association")
    out = {}
    for lang in ("en", "zh"):
        xlsx, page = tmp / f"{lang}.xlsx", tmp / f"{lang}.html"
        argv = ["batch", str(folder), "--currency", "CNY", "--lang", lang]
        out[lang] = (_run([*argv, "-o", str(xlsx), "--html", str(page)]), xlsx, page)
    out["json"] = json.loads(_run(["batch", str(folder), "--currency", "CNY", "--format", "json"]))
    return out


def _run(argv):
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        assert main(argv) in (0, 1)
    return buf.getvalue()


def note(lang: str) -> str:
    return Message("M_DISPLAY_RATE_NOTE", currency="CNY", data_to="2026-10-30").text(lang)


def test_json_has_the_batch_and_each_members_cny(runs):
    data = runs["json"]
    dc = data["display_currency"]
    assert dc["currency"] == "CNY" and dc["data_to"] == "2026-10-30"
    by_member = {r["member"]: r for r in data["by_member"]}
    assert sum(r["cost_cny"] for r in by_member.values()) == pytest.approx(dc["cost"], abs=0.05)
    assert sum(r["cost"] for r in dc["rates"]) == pytest.approx(dc["cost"], abs=0.05)
    for r in dc["rates"]:  # each period's CNY is its EUR cost x its rate
        assert r["cost"] == pytest.approx(r["cost_eur"] * r["units_per_eur"], abs=0.05)  # EUR to the cent
    assert {r["period"]: r["status"] for r in dc["rates"]}["2026Q4"] == "projection"
    by_sector = {r["sector"]: r["cost_cny"] for r in data["by_sector"]}
    assert by_sector == dc["by_sector"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_workbook_and_page_show_the_cny_labelled_as_display_rates(runs, lang):
    dc = runs["json"]["display_currency"]
    text, xlsx, page = runs[lang]
    heading, total = label("dc_heading", lang, currency="CNY"), f"{dc['cost']:,.2f}"
    column = label("cost_cny_display", lang)
    assert heading in text and note(lang) in text and total in text and column in text
    assert "8.1032" in text  # the 2026 Q1 rate
    shown = html.unescape(page.read_text(encoding="utf-8"))
    assert heading in shown and note(lang) in shown and total in shown and column in shown
    book = openpyxl.load_workbook(xlsx)
    summary = [r for r in book[book.sheetnames[0]].values if r[0]]
    row = next(r for r in summary if r[0] == label("dc_total", lang, currency="CNY"))
    assert row[1] == dc["cost"]
    assert any(r[0] == note(lang) for r in summary)
    assert any(r[2] == 8.1032 for r in summary if len(r) > 2)  # the rates table
    members = list(book[book.sheetnames[1]].values)
    at = members[0].index(column)
    assert sum(r[at] for r in members[1:] if r[at] is not None) == pytest.approx(dc["cost"], abs=0.05)


def test_check_of_a_cny_batch_workbook_reapplies_the_currency(runs, capsys):
    _, xlsx, _ = runs["en"]
    capsys.readouterr()
    assert main(["calc", "--check", str(xlsx)]) == 0, capsys.readouterr().out


class _Tables(HTMLParser):
    """The tables of a page, each under the heading (h2) of its section: rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.heading, self.cell, self.where = {}, "", None, ""

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.where = "h2"
            self.heading = ""
        elif tag == "table":
            self.tables.setdefault(self.heading, [])
        elif tag == "tr":
            self.tables[self.heading].append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "h2":
            self.where = ""
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[self.heading][-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.where == "h2":
            self.heading += data
        elif self.cell is not None:
            self.cell += data


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_by_sector_total_row_gives_the_cny_sum_of_its_rows(runs, lang):
    """The total row of the page's By sector table: its CNY cell is the sum of the sectors' CNY,
    each the sum of its lines' EUR cost x their period's display rate. The periods have different
    rates (2026 Q1 8.1032, Q2 7.9099, Q3 and Q4 7.7557 CNY/EUR), so the total is no single rate
    times the EUR total: the same total as the text, the Summary sheet and the CNY section."""
    dc = runs["json"]["display_currency"]
    parser = _Tables()
    parser.feed(runs[lang][2].read_text(encoding="utf-8"))
    head, *rows = parser.tables[label("by_sector", lang)]
    *sectors, total = rows
    assert total[0] == label("total", lang) and len(sectors) == 4
    cny, eur = head.index(label("cost_cny_display", lang)), head.index(label("cost_eur", lang))

    def number(cell):
        return round(float(cell.replace(",", "")), 2)

    # each sector's CNY as the JSON gives it; the rows and the total each rounded to the cent
    assert {r[0]: number(r[cny]) for r in sectors} == {
        sector_name(k, lang): v for k, v in dc["by_sector"].items()
    }
    # the periods' CNY (EUR cost x rate, the by-period table): 17,301,549.50 (Q1) + 11,836,273.34
    # (Q2) + 8,620,082.55 (Q3) + 3,410,251.03 (Q4, projection) = 41,168,156.42
    assert [r["cost"] for r in dc["rates"]] == [17_301_549.50, 11_836_273.34, 8_620_082.55, 3_410_251.03]
    assert number(total[cny]) == dc["cost"] == 41_168_156.42
    assert sum(number(r[cny]) for r in sectors) == pytest.approx(number(total[cny]), abs=0.015)
    assert sum(number(r[eur]) for r in sectors) == pytest.approx(number(total[eur]), abs=0.015)
    rates = {r["units_per_eur"] for r in dc["rates"]}
    assert rates == {8.1032, 7.9099, 7.7557}
    assert all(abs(number(total[eur]) * rate - number(total[cny])) > 1000 for rate in rates)
