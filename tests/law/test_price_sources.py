"""Where a certificate price or an exchange rate comes from, in the report's language (issue 14):
the reference tables' sources with their Chinese (source_zh, scripts/build_prices.py), a quarter's
or year's figure standing in for a week (Art 21 as amended by Reg 2025/2083; IR 2025/2548), and
the prices and rates a user gives."""

from __future__ import annotations

import pandas as pd
from conftest import line, steel

from cbam_calc.core.model import PriceUsed
from cbam_calc.law.prices import fx_rate
from cbam_calc.law.reference import _sources_in_two_languages, reference_data

YEAR_2027 = (
    "projection, not a real price: no futures curve bundled; flat projection = mean of the 2026 "
    "quarterly prices"
)


def _used(result, period: str) -> PriceUsed:
    return next(p for p in result.summary.assumptions.certificate_prices if p.period == period)


def test_art21_ir2548_a_week_priced_by_the_year_row_says_so_in_both_languages(run):
    # 2027-03-10 is a Wednesday: its application week runs Tuesday 9 to Monday 15 March (IR
    # 2025/2548), priced by the projected 2027 row of reference_prices/cbam_certificate_price.csv
    r = run([steel(import_date="2027-03-10")])
    assert line(r, 2)["price_period"] == "2027-W10"
    p = _used(r, "2027-W10")
    row = reference_data().certificate_prices.set_index("period").loc["2027"]
    assert p.source == (
        "the 2027 figure stands in for application week 2027-W10 (Tuesday 2027-03-09 to Monday "
        f"2027-03-15): {row['source']}"
    )
    assert f"2027-03-15): {YEAR_2027}" in p.source
    assert p.source_text("zh") == (
        f"以 2027 的数值代替 适用周 2027-W10（星期二 2027-03-09 至 星期一 2027-03-15）：{row['source_zh']}"
    )
    assert row["source_zh"].startswith("预测值，并非真实价格：未附期货曲线")
    # the JSON of the summary keeps the message: read back, it shows the same Chinese
    again = PriceUsed.model_validate_json(p.model_dump_json())
    assert again.source_text("zh") == p.source_text("zh")
    assert again.source_code == "M_PRICE_STAND_IN_SOURCE"


def test_art21_1a_published_quarter_cites_the_commission_in_chinese(run):
    p = _used(run([steel(import_date="2026-02-10")]), "2026Q1")
    assert p.source.startswith(
        "European Commission, CBAM certificate price for Q1 2026 published 7 April 2026"
    )
    assert p.source_text("zh").startswith(
        "欧盟委员会公布值，出处：European Commission, CBAM certificate price for Q1 2026 published"
    )
    assert p.source_text("en") == p.source


def test_price_given_by_the_user_is_named_in_chinese(run, tmp_path):
    p = _used(run([steel(import_date="2026-02-10")], price_eur_per_tco2e=90.0), "2026Q1")
    assert (p.source, p.source_text("zh")) == (
        "price given by the user (--price)",
        "用户指定的价格（--price）",
    )


def test_a_user_price_path_without_sources_is_named_by_its_file(tmp_path):
    from conftest import write_csv

    from cbam_calc.compute.calculate import calculate
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.law.prices import load_price_path

    path = tmp_path / "path.csv"
    path.write_text(
        "period,price_eur_per_tco2e,source\n2026Q3,70.5,\n2026Q4,71,my broker\n", encoding="utf-8"
    )
    src = write_csv(tmp_path / "s.csv", [steel(import_date="2026-08-01"), steel(import_date="2026-11-02")])
    r = calculate(src, CalcOptions(), price_path=load_price_path(path))
    q3, q4 = _used(r, "2026Q3"), _used(r, "2026Q4")
    assert (q3.source, q3.source_text("zh")) == ("user price path path.csv", "用户的价格路径 path.csv")
    assert q4.source_text("zh") == q4.source == "my broker"  # the user's own words, as given


def test_art9_exchange_rate_sources_in_chinese():
    ref = reference_data()
    given = fx_rate(ref, "CNY", 2026, {"CNY": 7.9})
    assert (given.source, given.source.text("zh")) == (
        "rate given by the user (--fx)",
        "用户指定的汇率（--fx）",
    )
    assert fx_rate(ref, "EUR", 2026).source.text("zh") == "欧元"
    table = ref.fx_annual
    row = table[(table["currency"] == "CNY") & (table["year"] == 2026)].iloc[0]
    rate = fx_rate(ref, "CNY", 2026)
    assert rate.source == row["source"]
    assert rate.source.text("zh") == row["source_zh"]
    assert rate.source.text("zh").startswith(
        "European Central Bank euro reference rates (Source: European Central Bank)：年初至 2026-10-30"
    )


def test_a_price_table_without_source_zh_keeps_its_source_in_every_language():
    df = _sources_in_two_languages(pd.DataFrame({"period": ["2026Q1"], "source": ["our own figure"]}))
    assert df["source"].iloc[0].text("zh") == "our own figure"
