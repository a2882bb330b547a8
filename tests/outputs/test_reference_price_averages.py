"""P_ref of the Art 9 draft (the yearly mean of the certificate prices, rounded to the cent) says
which periods it averages: carried through the summary as a message (code and parameters beside
the English), so every report shows it in its language (issue 14, "Chinese, completely").

Worked by hand (samples/shipments_art9_cnets.xlsx, 2026): (75.36 + 75.28 + 82.32 + 82.32) / 4 =
315.28 / 4 = 78.82 EUR/tCO2e; 2026Q4 is a projection, so P_ref's status is one too.
"""

from __future__ import annotations

import json

import openpyxl
from conftest import SAMPLES

from cbam_calc.cli import main
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.model import ReferencePriceUsed
from cbam_calc.outputs.html import calc_html
from cbam_calc.outputs.text import summary_json, summary_text

SAMPLE = SAMPLES / "shipments_art9_cnets.xlsx"
ZH = "4 个季度的平均值：2026Q1 75.36（已公布）, 2026Q2 75.28（已公布）, 2026Q3 82.32（已公布）"
EN = "mean of 4 quarters: 2026Q1 75.36 (published), 2026Q2 75.28 (published), 2026Q3 82.32 (published)"


def test_art9_reference_price_averages_are_a_message_shown_in_the_report_language(tmp_path):
    result = calculate(SAMPLE)
    (r,) = result.summary.assumptions.art9_reference_prices
    assert (r.year, r.price_eur_per_tco2e, r.status) == (2026, 78.82, "projection")
    assert r.averages.startswith(EN) and r.averages_code == "M_AVG_QUARTERS"
    assert r.averages_params["n"] == 4
    assert r.averages_text("zh").startswith(ZH)
    text_zh, page_zh = summary_text(result, "zh"), calc_html(result, "zh")
    assert ZH in text_zh and ZH in page_zh and "mean of 4 quarters" not in text_zh + page_zh
    assert EN in summary_text(result, "en")
    out = tmp_path / "zh.xlsx"
    assert main(["report", str(SAMPLE), "--lang", "zh", "-o", str(out)]) == 0
    cells = [c for row in openpyxl.load_workbook(out).worksheets[0].values for c in row if isinstance(c, str)]
    assert any(c.startswith("预测: " + ZH) for c in cells)  # its status in Chinese too
    # the JSON keeps the English and gains the code and parameters
    dumped = json.loads(summary_json(result))["assumptions"]["art9_reference_prices"][0]
    assert dumped["averages"] == r.averages and dumped["averages_code"] == "M_AVG_QUARTERS"


def test_a_summary_of_before_without_the_code_shows_its_text_as_written():
    r = ReferencePriceUsed(year=2026, price_eur_per_tco2e=78.82, status="projection", averages=EN)
    assert r.averages_code == "" and r.averages_text("zh") == EN
    again = ReferencePriceUsed.model_validate(r.model_dump(mode="json"))
    assert again == r
