"""Words of the data files in a Chinese report (issue 14, "Chinese, completely"), by key, never by
matching their English: the rounding rule of default_markup.yaml shown from its ``text_zh``
beside its ``text``.
"""

from __future__ import annotations

import openpyxl
from conftest import SAMPLES, steel

from cbam_calc.cli import main
from cbam_calc.law.parameters import parameter
from cbam_calc.outputs.tables import parameters_shown

ROUNDING = parameter("default_markup").extra["rounding"]


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


def test_chinese_workbook_shows_both(tmp_path):
    out = tmp_path / "zh.xlsx"
    assert main(["report", str(SAMPLES / "shipments_templates_zh.xlsx"), "--lang", "zh", "-o", str(out),
                 "--emissions", str(SAMPLES / "templates")]) == 0  # fmt: skip
    cells = {
        c for ws in openpyxl.load_workbook(out).worksheets for r in ws.values for c in r if isinstance(c, str)
    }
    assert " ".join(ROUNDING["text_zh"].split()) in cells
    assert not any(c.startswith("base value x") for c in cells)
