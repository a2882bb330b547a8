"""A text column of mostly plain decimals with a few other texts (``4,058.470`` among a million
``406.47``) is cast natively except those few: the numbers and the reasons must be those of the
distinct-text rule, cell for cell, whatever the column's convention turns out to be."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cbam_calc.inputs import numbers_parse

COLUMNS = {
    "thousands separators": ["406.47", "4,058.470", "12.5", "7", None, "1,234,567.25", "0.001"],
    "units and blanks": ["1.5", "24.350", "5 t", "", "  ", "x", "1e5", "inf", "+.5", "-3.5", "12.3456"],
    "decimal comma evidence": ["1.5", "24.350", "0,5", "2", "3.25"],
    "nothing settles 24.350": ["24.350", "100", "7", "1.234"],
    "full-width and spaced": ["１２.５", "1 234.5", "3.75", "8.125", "9"],
}


def _rule(series, unit_words, sep, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(numbers_parse, "_mostly_decimals", lambda *a: None)
        return numbers_parse.number(series, unit_words=unit_words, sep=sep)


@pytest.mark.parametrize("name", list(COLUMNS))
@pytest.mark.parametrize("sep", [",", ";", "\t", None])
@pytest.mark.parametrize("dtype", ["str", object])
def test_fast_path_reads_as_the_rule(name, sep, dtype, monkeypatch):
    series = pd.Series(COLUMNS[name] * 40, dtype=dtype)
    values, problems = numbers_parse.number(series, unit_words=("t",), sep=sep)
    want_values, want_problems = _rule(series, ("t",), sep, monkeypatch)
    assert np.array_equal(values.view(np.int64), want_values.view(np.int64))  # NaN bits too
    assert np.array_equal(problems.bad, want_problems.bad)
    rows = np.arange(len(series))
    assert [str(r) for r in problems.why(rows)] == [str(r) for r in want_problems.why(rows)]


def test_fast_path_is_taken_for_a_mass_column(monkeypatch):
    series = pd.Series(["406.47"] * 990 + ["4,058.470"] * 10, dtype="str")
    calls = []
    real = numbers_parse._mostly_decimals
    monkeypatch.setattr(numbers_parse, "_mostly_decimals", lambda *a: calls.append(1) or real(*a))
    values, problems = numbers_parse.number(series, sep=",")
    assert calls and not problems.bad.any()
    assert values[0] == 406.47 and values[-1] == 4058.47


def test_share_of_a_coded_column_reads_percent_per_category():
    series = pd.Series(pd.Categorical(["95%", "0.9", None, " 50 % ", "0.5"] * 3))
    values, problems = numbers_parse.share(series, sep=",")
    expect = [0.95, 0.9, np.nan, 0.5, 0.5] * 3
    np.testing.assert_array_equal(values, expect)
    assert not problems.bad.any()


def test_plain_decimals_by_bytes_match_the_regular_expression_text_for_text():
    import pyarrow as pa
    import pyarrow.compute as pc

    from cbam_calc.inputs.numbers_parse import _DECIMAL, _plain_decimals

    texts = ["1", "+1", "-1.5", ".5", "5.", "1.2.3", "+-1", "1-", "", "+", "-.", ".", "1e5", "١٢"]
    texts += ["0001.000", " 1", "1 ", "+.5", "4,058.470", None, "12a", "--1", "1+1", "-", "-5", "1.-"]
    texts += ["5.5.", "٠.5", "1" * 255]
    arr = pa.array(texts, pa.large_string())
    expected = pc.fill_null(pc.match_substring_regex(arr, _DECIMAL), False).to_numpy(zero_copy_only=False)
    for k in range(len(texts)):  # slices: offsets that do not start at 0
        for part, want in ((arr.slice(k), expected[k:]), (arr.slice(0, k), expected[:k])):
            valid = part.is_valid().to_numpy(zero_copy_only=False)
            assert _plain_decimals(part, valid).tolist() == want.tolist(), texts[k]
    chunked = pa.chunked_array([arr.slice(0, 5), arr.slice(5)])
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    assert _plain_decimals(chunked, valid).tolist() == expected.tolist()
    long = pa.array(["1" * 256, "2.5"], pa.large_string())  # 256 bytes: the regular expression
    assert _plain_decimals(long, [True, True]).tolist() == [True, True]
