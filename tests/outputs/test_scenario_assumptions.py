"""The scenario workbook's structured assumptions (issue 14): JSON in English, as ``--format json``
gives them; in words in Chinese (outputs.scenario_assumptions)."""

from __future__ import annotations

import json

import openpyxl
from conftest import SAMPLES

from cbam_calc.cli import main
from cbam_calc.outputs.scenario_assumptions import by_year, structured_value


def test_figures_by_year_in_words():
    assert by_year({2026: 78.82, 2027: 78.82, 2028: 78.82}, "zh") == "2026-2028 年每年均为 78.82"
    assert by_year({"2027": 0.95, "2026": 0.975}, "zh") == "2026 年 0.975；2027 年 0.95"  # sorted by year
    assert by_year({2026: 7.8757}, "en") == "2026-2026: 7.8757 every year"


def test_structured_values_in_chinese_and_json_in_english():
    reading = {"encoding": "gb18030", "skip_hidden": True, "columns": {"import_date": "报关日期"},
               "from_export_date_days": None}  # fmt: skip
    zh = structured_value("reading", reading, "zh")
    assert zh.startswith("文本编码：gb18030；") and "import_date=报关日期" in zh and "--skip-hidden" in zh
    assert structured_value("reading", reading, "en") is None  # the sheet writes it as JSON
    assert structured_value("years", [2026, 2027], "zh") == "2026、2027"
    assert structured_value("unknown_key", {"a": 1}, "zh") is None
    assert structured_value("cny_per_eur", {"x": 1}, "zh") is None  # not of the shape written: JSON


def test_the_assumptions_sheet_of_both_languages(tmp_path):
    sample = SAMPLES / "shipments_cn_steel.xlsx"
    for lang in ("en", "zh"):
        out = tmp_path / f"{lang}.xlsx"
        assert main(["scenario", str(sample), "--lang", lang, "-o", str(out)]) == 0
        wb = openpyxl.load_workbook(out)
        ws = wb["假设条件" if lang == "zh" else "Assumptions"]
        rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
        if lang == "en":
            assert json.loads(rows["years"]) == list(range(2026, 2035))
            assert json.loads(rows["cny_per_eur"])["2026"] > 0
            assert rows["ignore_destination"] is False
        else:
            assert rows["年份"] == "、".join(map(str, range(2026, 2035)))
            assert rows["汇率（元/欧元）"].startswith("2026-2034 年每年均为 ")
            assert rows["忽略目的地"] == "否"
            assert rows["CEA 参考价格（元/tCO2e）"].endswith("reference_prices/cea_price.csv）")
