"""Words of the data files in a Chinese report (issue 14, "Chinese, completely"), by key, never by
matching their English: the rounding rule of default_markup.yaml shown from its ``text_zh``
beside its ``text``, and the act's name of the Other Countries and Territories table (IR
2025/2621 Annex I) kept in English with its Chinese gloss (message M_TABLE_OTHER_NAME).
"""

from __future__ import annotations

import openpyxl
from conftest import SAMPLES, steel

from cbam_calc.cli import main
from cbam_calc.law.parameters import parameter
from cbam_calc.outputs.tables import lines_shown, parameters_shown

ROUNDING = parameter("default_markup").extra["rounding"]
OTHER = "Other Countries and Territories"


def _param(result, name: str):
    params = result.parameters
    return params[params["parameter"] == name].iloc[0]


def test_ir2621_rounding_rule_shown_from_its_text_zh(run):
    result = run([steel()])
    row = _param(result, "default value rounding")
    assert row["source"] == " ".join(ROUNDING["text"].split())  # English: as the data file says
    assert row["source"].startswith("base value x (1 + mark-up), rounded half up to 3 decimals")
    shown = parameters_shown(result.parameters, "zh")
    zh = shown.loc[result.parameters["parameter"] == "default value rounding", "source"].iloc[0]
    assert zh == " ".join(ROUNDING["text_zh"].split())
    assert zh.startswith("基础值 x（1 + 加成比例），四舍五入至 3 位小数")


def test_ir2621_annex_i_other_table_keeps_the_acts_name_with_a_chinese_gloss(run, tmp_path):
    """A line from a country without a table of its own (Andorra: none in IR 2025/2621 Annex I)
    takes the Other Countries and Territories value."""
    result = run([steel(country="AD")])
    line = result.lines.iloc[0]
    assert (line["default_table"], line["default_table_name"]) == ("other", OTHER)
    zh = lines_shown(result.lines, "zh").iloc[0]
    assert zh["default_table_name"] == f"{OTHER}（其他国家和地区）"
    assert lines_shown(result.lines, "en").iloc[0]["default_table_name"] == OTHER
    src = parameters_shown(result.parameters, "zh")
    src = src.loc[result.parameters["parameter"] == "default value incl. mark-up (counted)", "source"].iloc[0]
    assert src.endswith(f"国别表 {OTHER}（其他国家和地区）")
    en = _param(result, "default value incl. mark-up (counted)")["source"]
    assert en.endswith(f"table {OTHER}")  # English: as before


def test_a_country_table_is_not_glossed(run):
    result = run([steel(country="CN")])
    assert result.lines.iloc[0]["default_table"] == "country"
    assert (
        lines_shown(result.lines, "zh").iloc[0]["default_table_name"]
        == result.lines.iloc[0]["default_table_name"]
    )


def test_chinese_workbook_shows_both(tmp_path):
    out = tmp_path / "zh.xlsx"
    assert main(["report", str(SAMPLES / "shipments_templates_zh.xlsx"), "--lang", "zh", "-o", str(out),
                 "--emissions", str(SAMPLES / "templates")]) == 0  # fmt: skip
    cells = {
        c for ws in openpyxl.load_workbook(out).worksheets for r in ws.values for c in r if isinstance(c, str)
    }
    assert f"{OTHER}（其他国家和地区）" in cells
    assert " ".join(ROUNDING["text_zh"].split()) in cells
    assert not any(c == OTHER or c.startswith("base value x") for c in cells)
