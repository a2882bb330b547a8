"""Issue 12: Chinese 10-digit national tariff codes (7208390090) are read as their first 8 digits,
and the summary (text, JSON, xlsx Summary, HTML) lists each such code with the CN code it was read
as and its line count. tests/data/hostile/habits/misc/ten_digit.csv beside ten_digit_clean.csv
(the same lines with the 8-digit codes), from scripts/corpus/habits_misc.py."""

from __future__ import annotations

import json

import openpyxl
import pytest
from conftest import REPO

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.messages import Message

CORPUS = REPO / "tests" / "data" / "hostile" / "habits" / "misc"
LISTED = (
    "10-digit codes read as their first 8 digits: 7208390090 -> 7208 39 00 (3 line(s)), "
    "7601101000 -> 7601 10 10 (1 line(s))"
)


@pytest.fixture(scope="module")
def ten():
    return calculate(CORPUS / "ten_digit.csv")


def test_ten_digit_codes_agree_with_their_8_digit_codes(ten):
    clean = calculate(CORPUS / "ten_digit_clean.csv")
    assert (ten.summary.lines, ten.summary.rejected) == (clean.summary.lines, 0) == (5, 0)
    assert ten.summary.cost_eur == clean.summary.cost_eur
    assert ten.lines["cn_code"].tolist() == clean.lines["cn_code"].tolist()
    assert "W_TEN_DIGIT_CODES" not in clean.summary.warning_codes


def test_the_summary_lists_each_10_digit_code_once_with_its_cn_code_and_lines(ten):
    s = ten.summary
    assert [w for w in s.warnings if "10-digit" in w or "first 8 digits" in w] == [LISTED]
    i = s.warning_codes.index("W_TEN_DIGIT_CODES")
    codes = s.warning_params[i]["codes"]
    assert [c["params"] for c in codes] == [
        {"code": "7208390090", "cn": "7208 39 00", "n": 3},
        {"code": "7601101000", "cn": "7601 10 10", "n": 1},
    ]


def test_every_output_shows_the_list(ten, tmp_path):
    from cbam_calc.outputs.html import calc_html
    from cbam_calc.outputs.text import summary_json, summary_text
    from cbam_calc.outputs.xlsx import write_report

    assert LISTED in summary_text(ten)
    assert LISTED in json.loads(summary_json(ten))["warnings"]
    assert LISTED.replace("->", "-&gt;") in calc_html(ten)
    write_report(ten, tmp_path / "r.xlsx")
    cells = [
        c
        for r in openpyxl.load_workbook(tmp_path / "r.xlsx")["Summary"].iter_rows(values_only=True)
        for c in r
    ]
    assert LISTED in cells


def test_notes_of_several_parts_are_summed_per_code():
    from cbam_calc.compute.pipeline import ten_digit_codes

    a = Message("M_TEN_DIGIT_CODE", code="7208390090", cn="7208 39 00", n=2)
    b = Message("M_TEN_DIGIT_CODE", code="7208390090", cn="7208 39 00", n=2)  # same text, other part
    c = Message("M_TEN_DIGIT_CODE", code="7208100000", cn="7208 10 00", n=1)
    other = Message("W_BLANK_ROWS", n=1)
    merged = ten_digit_codes([other, a, c, b])
    assert merged[0] == other and merged[1].code == "W_TEN_DIGIT_CODES" and len(merged) == 2
    assert merged[1] == (
        "10-digit codes read as their first 8 digits: 7208100000 -> 7208 10 00 (1 line(s)), "
        "7208390090 -> 7208 39 00 (4 line(s))"
    )


def test_the_message_has_a_chinese_draft():
    from cbam_calc.core import messages

    assert messages.template("W_TEN_DIGIT_CODES", "zh", drafts=True) == "10 位编码按其前 8 位读取：{codes}"
    assert messages.template("M_TEN_DIGIT_CODE", "zh", drafts=True) == "{code} -> {cn}（{n} 行）"
