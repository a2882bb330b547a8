"""Message codes and their gettext catalogue: every code has its English and its Chinese, the
catalogue parses and is current, results keep their text and gain codes, and outputs show the codes
in the language asked (never by matching English text)."""

from __future__ import annotations

import json
import pickle
import string
import subprocess
import sys

import numpy as np
import openpyxl
import pytest
from babel.messages.pofile import read_po
from conftest import REPO

from cbam_calc import calculate
from cbam_calc.core import messages
from cbam_calc.core.labels import LABELS
from cbam_calc.core.messages import MESSAGES, Message
from cbam_calc.core.model import CalcOptions, CalcSummary
from cbam_calc.outputs.tables import rejected_reasons
from cbam_calc.outputs.text import summary_text

ROOT = REPO

# The Chinese reports showed before warnings had codes: reviewed texts, never drafts.
SHOWN_IN_CHINESE = {
    "W_CSCF_PROJECTION",
    "W_UNPUBLISHED_PRICES",
    "M_PRICE_PERIOD",
    "W_NO_IMPORTER",
    "W_REJECTED_ROWS",
}


def zh_catalogue():
    with open(messages.catalogue_path("zh"), "rb") as f:
        return read_po(f, locale="zh_CN")


def placeholders(text: str) -> list[tuple[str, str]]:
    return sorted((name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


# ---------------------------------------------------------------------------- the catalogue
def test_every_code_has_its_english_and_its_chinese_and_the_catalogue_parses():
    entries = {m.context: m for m in zh_catalogue() if m.id}
    assert set(entries) == set(MESSAGES)  # no code missing, none left over
    for code, english in MESSAGES.items():
        entry = entries[code]
        assert english.strip() and entry.id == english, code  # translates today's English
        assert entry.string.strip(), code
        assert placeholders(entry.string) == placeholders(english), code


def test_what_was_shown_in_chinese_still_is_and_every_code_has_its_reviewed_chinese():
    fuzzy = {m.context for m in zh_catalogue() if m.id and m.fuzzy}
    assert not SHOWN_IN_CHINESE & fuzzy
    assert Message("W_REJECTED_ROWS").text("zh") == "被拒绝的行不计入微量豁免（50吨）门槛"
    # issue 12: every warning and rejection reason exists in Chinese (no draft left unreviewed)
    assert not fuzzy
    assert [c for c in messages.MESSAGES if messages.template(c, "zh") is None] == []


def test_a_draft_translation_is_not_shown_until_reviewed(tmp_path, monkeypatch):
    po = messages.catalogue_path("zh").read_text(encoding="utf-8")
    marked = po.replace('msgctxt "R_NOT_A_NUMBER"', '#, fuzzy\nmsgctxt "R_NOT_A_NUMBER"', 1)
    assert marked != po
    draft_po = tmp_path / "cbam_calc.po"
    draft_po.write_text(marked, encoding="utf-8")
    monkeypatch.setattr(messages, "catalogue_path", lambda lang: draft_po)
    messages.translations.cache_clear()
    try:  # a draft waits for review: the report keeps its English
        assert messages.template("R_NOT_A_NUMBER", "zh") is None
        assert messages.template("R_NOT_A_NUMBER", "zh", drafts=True) == "不是数字"
        assert messages.template("R_NOT_FINITE", "zh") == "不是有限数值"
    finally:
        messages.translations.cache_clear()


def test_the_catalogue_is_current():
    script = ROOT / "scripts" / "update_catalogue.py"
    r = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_labels_have_english_and_chinese_with_the_same_placeholders():
    for key, (en, zh) in LABELS.items():
        assert en.strip() and zh.strip(), key
        assert placeholders(en) == placeholders(zh), key


# ---------------------------------------------------------------------------- messages
def test_a_message_is_its_english_text_with_a_code_and_parameters():
    m = Message("R_CN_DIGITS", digits=np.int64(6))
    assert m == "a CN code has 8 digits (a TARIC code 10), this one has 6" and m.startswith("a CN code has")
    assert m.code == "R_CN_DIGITS" and m.params == {"digits": 6} and type(m.params["digits"]) is int
    assert m.text() == m and type(m.text()) is str
    assert (
        m.text("zh", drafts=True) == "CN 编码应为 8 位数字（TARIC 编码为 10 位），此编码为 6 位"
    )  # en and zh from one code
    back = pickle.loads(pickle.dumps(m))  # what batch workers and Dask send back
    assert back == m and back.code == m.code and back.params == m.params
    plain = Message.plain("a message without a code yet")
    assert plain.code == "" and plain.text("zh") == "a message without a code yet"
    with pytest.raises(KeyError):
        Message("NO_SUCH_CODE")


def test_nested_messages_and_vocabularies_render_in_the_language_asked():
    m = Message(
        "W_UNPUBLISHED_PRICES",
        periods=[
            Message("M_PRICE_PERIOD", period="2026Q2", status="recomputed"),
            Message("M_PRICE_PERIOD", period="2030", status="projection"),
        ],
    )
    assert m == "certificate prices that are not published figures: 2026Q2 (recomputed), 2030 (projection)"
    assert m.text("zh") == "以下证书价格并非已公布数值：2026Q2（按拍卖数据重算）, 2030（预测）"
    texts, codes, params = messages.message_fields([m, "plain text"])
    again = messages.messages_of(texts, codes, json.loads(json.dumps(params)))
    assert again == [m, "plain text"] and again[0].text("zh") == m.text("zh")
    assert again[1].text("zh") == "plain text"


def test_a_translation_counts_only_for_the_english_it_was_made_for(monkeypatch):
    monkeypatch.setitem(MESSAGES, "W_REJECTED_ROWS", "rejected rows are left out of the threshold")
    assert Message("W_REJECTED_ROWS").text("zh") == "rejected rows are left out of the threshold"


def test_a_column_of_messages_is_rendered_once_per_distinct_message(monkeypatch):
    reasons = np.empty(20_000, dtype=object)
    reasons[:10_000] = [Message("R_NOT_A_NUMBER")] * 10_000
    reasons[10_000:] = [Message("R_WRONG_UNIT", unit="kg", expected="t")] * 10_000
    texts, codes, params = messages.message_columns(reasons)
    assert set(codes) == {"R_NOT_A_NUMBER", "R_WRONG_UNIT"}
    assert texts[-1] == "the value is in kg, the column expects t" and json.loads(params[-1]) == {
        "expected": "t",
        "unit": "kg",
    }
    calls = []
    text = Message.text
    monkeypatch.setattr(Message, "text", lambda self, *a, **k: calls.append(1) or text(self, *a, **k))
    shown = messages.render_messages(texts, codes, params, "zh")
    assert len(shown) == 20_000 and len(calls) == 2


# ---------------------------------------------------------------------------- results
def test_summary_warnings_keep_their_text_and_gain_codes():
    # as if imported in 2031: the law sets no CSCF after 2030 (Decision (EU) 2026/1862), so the
    # projection warning is one of them
    r = calculate(ROOT / "samples" / "shipments_with_errors.csv", CalcOptions(year=2031))
    s = r.summary
    assert len(s.warning_codes) == len(s.warnings) == len(s.warning_params) > 0
    assert {"W_CSCF_PROJECTION", "W_REJECTED_ROWS"} <= set(s.warning_codes)
    doc = json.loads(s.model_dump_json())
    assert all(type(w) is str for w in doc["warnings"])
    # the keys of before come first, then those added since: the codes, who and when (issue 14)
    assert list(doc)[-3:] == ["warning_codes", "warning_params", "prepared"]
    zh = summary_text(r, "zh")
    assert "跨行业修正系数 CSCF：法律未设定" in zh and "CSCF: the law sets no value" not in zh
    # a summary written before codes reads, and shows its warnings as written
    old = {k: v for k, v in doc.items() if k not in ("warning_codes", "warning_params", "prepared")}
    before = CalcSummary.model_validate(old)
    assert before.warning_codes == [""] * len(before.warnings)
    assert before.prepared is None and "prepared" not in before.model_dump()
    assert [w.text("zh") for w in before.warning_messages()] == before.warnings


ROWS = """\
cn_code,country,net_mass_t,import_date
7208 51 20,CN,lots,2026-01-10
7208 51 20,,5,2026-01-10
8471 30 00,CN,5,2026-01-10
abc,CN,5,2026-01-10
7208 51 20,Atlantis,5,2026-01-10
,CN,5,2026-01-10
7208 51 20,CN,-5,2026-01-10
7208 51 20,DE,5,2026-01-10
7208 51 20,Norway,5,2026-01-10
7208 51 20,CN,5,2025-12-31
7208 51 20,CN,5,03/04/2026
720851,CN,5,2026-01-10
7208 51 20,CN,5,2026-01-10
Total,,80,
"""
CODES = {
    2: "R_NOT_A_NUMBER",
    3: "R_MISSING_COUNTRY",
    4: "R_NOT_CBAM_GOOD",
    5: "R_NOT_CN_CODE",
    6: "R_UNKNOWN_COUNTRY",
    7: "R_MISSING_CN_CODE",
    8: "R_MASS_NOT_POSITIVE",
    9: "R_EU_MEMBER",
    10: "R_ANNEX_III",
    11: "R_BEFORE_PERIOD",
    12: "R_AMBIGUOUS_DATE",
    13: "R_CN_HEADING",
    15: "R_TOTALS_ROW",
}


def test_rejected_rows_carry_the_code_of_their_reason(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(ROWS, encoding="utf-8")
    r = calculate(path)
    rej = r.rejected
    assert list(rej.columns)[-3:] == ["reason", "code", "params"]
    assert dict(zip(rej["row"], rej["code"])) == CODES
    heading = rej[rej["code"] == "R_CN_HEADING"].iloc[0]
    assert heading["reason"].startswith("720851 is a heading, not an 8-digit CN code")
    assert json.loads(heading["params"])["heading"] == "720851"
    # the reason in Chinese from its code and parameters, as a report shows it once reviewed
    m = Message.from_json(heading["reason"], heading["code"], json.loads(heading["params"]))
    assert m == heading["reason"] and m.text("zh", drafts=True).startswith("720851 是品目")
    # reviewed: the Chinese report gives every reason in Chinese, from its code and parameters
    zh = rejected_reasons(rej, "zh").tolist()
    assert zh[0] == "不是数字" and all(a != b for a, b in zip(zh, rej["reason"]))
    assert {"W_REJECTED_ROWS", "W_TOTALS_ROWS", "W_NO_IMPORTER"} <= set(r.summary.warning_codes)


def test_the_rejected_sheet_has_the_code_column(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(ROWS, encoding="utf-8")
    from cbam_calc.outputs.xlsx import write_report

    out = write_report(calculate(path), tmp_path / "r.xlsx", lang="zh")
    rows = list(openpyxl.load_workbook(out)["被拒绝的行"].values)  # the Rejected sheet
    assert rows[0] == ("输入文件", "工作表", "行", "列", "值", "原因", "原因代码")  # every header in Chinese
    assert rows[1][6] == "R_NOT_A_NUMBER" and rows[1][5] == "不是数字"  # the code kept for programs
    out = write_report(calculate(path), tmp_path / "en.xlsx")
    rows = list(openpyxl.load_workbook(out)["Rejected"].values)
    assert rows[0] == ("file", "sheet", "Row", "Column", "Value", "Reason", "code")  # keys programs read


def test_no_babel_at_start_up():
    code = "import sys, cbam_calc.cli; print('babel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
