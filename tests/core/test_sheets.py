"""The sheet names of the calc, batch and importer workbooks (cbam_calc.core.sheets): one table of
keys, each named in English and Chinese, valid for Excel, and found again in either language."""

from __future__ import annotations

import pytest

from cbam_calc.core.labels import LABELS
from cbam_calc.core.sheets import (
    EXCEL_FORBIDDEN,
    EXCEL_MAX_NAME,
    RUN,
    SHEETS,
    find_sheet,
    same_sheet,
    sheet_key,
    sheet_name,
    sheet_names,
    sheet_parts,
)


def test_every_sheet_key_has_an_english_and_a_chinese_name():
    for key, label_key in SHEETS.items():
        en, zh = LABELS[label_key]
        assert en and zh, key
        assert sheet_name(key, "en") == en and sheet_name(key, "zh") == zh
        if key != RUN:  # the run record's sheet is "Run" in every language (core/sheets.py says why)
            assert en != zh and any("\u4e00" <= ch <= "\u9fff" for ch in zh), key
    assert sheet_name(RUN, "zh") == sheet_name(RUN, "en") == "Run"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_names_are_valid_excel_sheet_names_with_their_continuations(lang):
    """Excel: at most 31 characters, none of []:*?/\\, no quote at either end, and not blank; a
    table of a million lines a sheet continues up to "Lines (999)" and stays valid."""
    for key in SHEETS:
        for part in (1, 2, 999):
            name = sheet_name(key, lang, part)
            assert 0 < len(name) <= EXCEL_MAX_NAME, name
            assert not set(name) & EXCEL_FORBIDDEN, name
            assert name.strip() == name and not name.startswith("'") and not name.endswith("'"), name


def test_names_are_distinct_in_each_language_and_across_them():
    """No two keys share a name, in one language or across the two (a reader finds a sheet by its
    name in either language, so an English name must not be another sheet's Chinese one)."""
    every = [(n, k) for k in SHEETS for n in sheet_names(k)]
    assert len({n for n, _ in every}) == len(every)
    for lang in ("en", "zh"):
        names = [sheet_name(k, lang).casefold() for k in SHEETS]  # Excel compares case-blind
        assert len(set(names)) == len(names), lang


def test_a_sheet_is_found_by_its_key_in_either_language():
    assert sheet_key("Lines") == ("lines", 1) and sheet_key("明细行") == ("lines", 1)
    assert sheet_key("Lines (2)") == ("lines", 2) and sheet_key("明细行（12）") == ("lines", 12)
    assert sheet_key("明细") is None and sheet_key("Lines 2") is None and sheet_key("Sheet1") is None
    assert sheet_name("lines", "en", 3) == "Lines (3)" and sheet_name("lines", "zh", 3) == "明细行（3）"
    zh = ["摘要", "明细行", "明细行（2）", "明细行（10）", "被拒绝的行", "Run"]
    assert find_sheet(zh, "summary") == "摘要" and find_sheet(["Summary"], "summary") == "Summary"
    assert find_sheet(zh, "run") == "Run" and find_sheet(zh, "parameters") is None
    assert sheet_parts(zh, "lines") == ["明细行", "明细行（2）", "明细行（10）"]
    # a rendering in Chinese against a report of English names (written before they were translated)
    assert same_sheet("明细行（2）", ["Summary", "Lines", "Lines (2)"]) == "Lines (2)"
    assert same_sheet("Overview", ["Overview"]) == "Overview"  # a sheet of no key: by its name
    assert same_sheet("概览", ["Overview"]) is None
