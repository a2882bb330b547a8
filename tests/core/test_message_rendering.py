"""Every message code renders in English and in Chinese with its parameters filled: no {placeholder}
is left in the text a user reads, whatever the code (issue 14, "Chinese, completely"). The errors
of the readers, the options and the outputs are codes too: each is shown in Chinese under --lang zh
(tests/inputs/test_input_errors_zh.py runs them through the command line)."""

from __future__ import annotations

import re
import string

import pytest

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import MESSAGES, SEPARATORS, Message, template

# a value for each vocabulary a placeholder may name ({status:price_status} ...), as results hold
VOCABULARY_VALUES = {
    "price_status": "published",
    "sector": "iron_steel",
    "route": "C",
    "file_kind": "a PDF document",
    "emissions_source": "default value",
}
LEFT_OVER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_]+)?\}")
CJK = re.compile(r"[\u4e00-\u9fff]")

# codes of the readers', options' and outputs' errors and of the template use (zh-inputs): each
# has Chinese of its own, different from its English (these few are the same words in both)
SAME_IN_BOTH = {"M_USE_SEE", "M_TEMPLATE_USE"}
FILE_ERROR_CODES = [
    c
    for c in MESSAGES
    if c.startswith(("E_", "M_TEMPLATE_AT_", "M_USE_", "M_PRICE_DUE_", "M_CP_SOURCE_", "M_WRITE_", "M_OUT_"))
]


def sample_params(code: str) -> dict:
    """A value for every placeholder of the code's English: a vocabulary's value, a list where the
    placeholder joins one ({items:or}), else a marker naming the placeholder."""
    params = {}
    for _, name, spec, _ in string.Formatter().parse(MESSAGES[code]):
        if name is None:
            continue
        if spec in VOCABULARY_VALUES:
            params[name] = VOCABULARY_VALUES[spec]
        elif spec in SEPARATORS:
            params[name] = [f"<{name}1>", f"<{name}2>"]
        else:
            params[name] = f"<{name}>"
    return params


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_code_renders_with_its_parameters_and_leaves_no_placeholder(lang):
    for code in MESSAGES:
        params = sample_params(code)
        text = Message(code, **params).text(lang)
        assert text.strip() or code.startswith("M_EX_PARTS"), code
        assert not LEFT_OVER.search(text), (code, text)
        for name, value in params.items():  # every parameter is shown (a list: each of its items)
            shown = value if isinstance(value, list) else [value]
            if value not in VOCABULARY_VALUES.values():
                assert all(v in text for v in shown), (code, name, text)


def test_the_errors_of_files_options_and_outputs_have_their_own_chinese():
    assert len(FILE_ERROR_CODES) > 100  # the readers', options' and outputs' errors are codes
    for code in FILE_ERROR_CODES:
        zh = template(code, "zh")
        assert zh is not None, code
        words = LEFT_OVER.sub("", MESSAGES[code])
        if code not in SAME_IN_BOTH and re.search(r"[A-Za-z]{3,}", words):  # more than placeholders
            assert zh != MESSAGES[code] and CJK.search(zh), (code, zh)


def test_an_input_file_error_names_file_sheet_row_and_column_in_either_language():
    e = InputFileError(
        Message("E_TWO_COLUMNS_NAMED", name="净重", first="C", second="F"),
        file="shipments.xlsx",
        sheet="Sheet1",
        row=3,
        column="净重",
    )
    assert str(e) == (
        "shipments.xlsx, sheet 'Sheet1', row 3, column '净重': two columns are named '净重' "
        "(columns C and F): keep one"
    )
    assert e.text("zh") == (
        "shipments.xlsx, 工作表 'Sheet1', 第 3 行, 列 '净重'："
        "有两列都名为 '净重'（第 C 列和第 F 列）：请只保留一列"
    )


def test_what_a_line_took_from_its_template_is_shown_in_the_language_asked():
    use = Message(
        "M_TEMPLATE_USE",
        parts=[Message("M_USE_SEE"), Message("M_USE_ROUTE", route="K"), Message("M_USE_PRICE_DUE")],
    )
    assert use == "SEE, route K, carbon price due"  # the Lines table's English, as before
    assert use.text("zh") == "SEE、生产路线 K、应付碳价"
    where = Message("M_TEMPLATE_AT_ROW", file="t.xlsx", sheet="Summary_Products", row=10)
    assert where == "template t.xlsx (Summary_Products, row 10)"
    assert where.text("zh") == "通报模板 t.xlsx（Summary_Products 表，第 10 行）"
