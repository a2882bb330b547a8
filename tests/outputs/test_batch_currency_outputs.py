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

import openpyxl
import pytest
from conftest import SAMPLES

from cbam_calc.cli import main
from cbam_calc.core.labels import label
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
