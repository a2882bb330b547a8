"""Issue 11: numbers read the way their column writes them, never guessed; parquet oddities.

Corpus: tests/data/hostile/numbers/ (scripts/corpus/numbers_parquet.py). Each shipment is one
China hot-rolled coil line (7208 51 20, CN, 2026-02-10); each case states the text as written
and the tonnes expected (None: rejected as ambiguous, R_AMBIGUOUS_NUMBER).

Before: ``24,350`` in a ``;`` file was read as 24,350 t (1000 times too big), ``24,350`` with
nothing to tell was read as thousands, and a parquet list, struct or map column was an internal
error.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from child import run_cbam
from conftest import REPO

from cbam_calc.compute.calculate import calculate
from cbam_calc.inputs import parse

CORPUS = REPO / "tests" / "data" / "hostile" / "numbers"
AMBIGUOUS = None

# file -> [(text as written, tonnes expected or AMBIGUOUS)], one line per data row from row 2
CASES = {
    # a ; file is European Excel: the comma marks decimals, the point groups thousands
    "semicolon_decimal_comma.csv": [("24,350", 24.35)],
    "semicolon_thousands_point.csv": [("24.350", 24350.0), ("100", 100.0)],
    # 2.5 (only a decimal point reads it) contradicts the ; : the column settles nothing
    "semicolon_point_decimals.csv": [("24.350", AMBIGUOUS), ("2.5", 2.5)],
    # a , file cannot hold an unquoted decimal comma: the comma groups thousands
    "comma_quoted_thousands.csv": [("24,350", 24350.0), ("100", 100.0)],
    "comma_file_decimal_comma.csv": [("24,350", AMBIGUOUS), ("0,5", 0.5)],
    # a tab file says nothing: the values must
    "tab_no_evidence.csv": [("24,350", AMBIGUOUS), ("100", 100.0)],
    "tab_decimal_comma.csv": [("24,350", 24.35), ("0,5", 0.5)],
    "tab_decimal_point.csv": [("24.350", 24.35), ("1,234.5", 1234.5)],
    # both conventions shown: a text with one reading is read, one with two is rejected
    "tab_mixed_conventions.csv": [
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("24,350", AMBIGUOUS),
        ("100", 100.0),
    ],
    "semicolon_spaces.csv": [
        ("1\u00a0234,5", 1234.5),  # no-break space
        ("1\u202f234,5", 1234.5),  # narrow no-break space (French Excel)
        ("1 234", 1234.0),
        ("12'345,5", 12345.5),  # Swiss apostrophe
    ],
    "semicolon_fullwidth.csv": [("２４，３５０", 24.35), ("２４.３５０", 24350.0)],
    "semicolon_units.csv": [("24,350 t", 24.35), ("24,350吨", 24.35), ("1.234,5 tonnes", 1234.5)],
    # spreadsheet text cells (a Chinese or European habit); number cells are never affected
    "xlsx_text_decimal_comma.xlsx": [("24,350", 24.35), ("1.234,5", 1234.5), (24.35, 24.35)],
    "xlsx_text_no_evidence.xlsx": [("24,350", AMBIGUOUS), (24.35, 24.35)],
    "xlsx_text_thousands.xlsx": [("24,350", 24350.0), ("1,234.5", 1234.5)],
    "decimal_text_column.parquet": [("24,350", 24.35), ("1.234,5", 1234.5)],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_mass_is_read_as_its_column_writes_it_or_rejected_as_ambiguous(name):
    r = calculate(CORPUS / name, raise_if_empty=False)
    first_row = 1 if name.endswith(".parquet") else 2
    assert r.summary.lines + r.summary.rejected == r.summary.rows_read == len(CASES[name])
    for i, (written, tonnes) in enumerate(CASES[name]):
        row = first_row + i
        if tonnes is AMBIGUOUS:
            bad = r.rejected[r.rejected["row"] == row]
            assert list(bad["code"]) == ["R_AMBIGUOUS_NUMBER"], (written, r.rejected.to_dict("records"))
            assert bad.iloc[0]["column"] == "net_mass_t"
        else:
            hit = r.lines[r.lines["row"] == row]
            assert len(hit) == 1, (written, r.rejected.to_dict("records"))
            assert hit.iloc[0]["net_mass_t"] == pytest.approx(tonnes, rel=1e-12), written


def test_the_ambiguous_reason_says_both_readings_and_what_to_write():
    r = calculate(CORPUS / "tab_no_evidence.csv", raise_if_empty=False)
    reason = r.rejected.iloc[0]["reason"]
    assert "'24,350' is 24350 or 24.35" in reason
    assert "write 24350 or 24.35, without a thousands separator" in reason


def _json(name: str, tmp_path) -> dict:
    res = run_cbam(["calc", CORPUS / name, "--format", "json", "--no-de-minimis", "--price", "80"], tmp_path)
    assert res.code == 0, res.stderr
    return json.loads(res.stdout)


# Worked by hand for one line of 7208 51 20 from China in 2026 at a price of 80 EUR/tCO2e: the
# default embedded emissions are 3.506 tCO2e per tonne and the free allocation 1.33575 tCO2e per
# tonne (the Parameters sheet), so a certificate costs (3.506 - 1.33575) * 80 = 173.62 EUR a tonne.
EUR_PER_T = (3.506 - 1.33575) * 80


@pytest.mark.parametrize(
    ("name", "tonnes"),
    [
        ("semicolon_decimal_comma.csv", 24.35),  # 4227.65 EUR (it was 4,227,647 EUR)
        ("semicolon_thousands_point.csv", 24350 + 100),
        ("xlsx_text_decimal_comma.xlsx", 24.35 + 1234.5 + 24.35),
    ],
)
def test_the_cost_through_the_command_is_that_of_the_tonnes_written(name, tonnes, tmp_path):
    out = _json(name, tmp_path)
    assert out["net_mass_t"] == pytest.approx(tonnes)
    assert out["cost_eur"] == pytest.approx(round(tonnes * EUR_PER_T, 2), abs=0.011)


def test_semicolon_decimal_comma_line_costs_4227_65_eur(tmp_path):
    out = _json("semicolon_decimal_comma.csv", tmp_path)
    assert (out["lines"], out["net_mass_t"], out["cost_eur"]) == (1, 24.35, 4227.65)


# ------------------------------------------------------------------ the rule itself, per column
@pytest.mark.parametrize(
    ("texts", "sep", "expected"),
    [
        (["24,350"], ";", [24.35]),
        (["24.350"], ";", [24350.0]),
        (["1.234.567"], None, [1234567.0]),  # only thousands points read it: a decimal comma
        (["1,234,567", "24,350"], None, [1234567.0, 24350.0]),
        (["0,350", "24.350"], None, [0.35, 24350.0]),  # 0,350 has one reading
        (["1234,567"], None, [1234.567]),  # a first group of 4 digits is no thousands group
        (["-24,350", "0,5"], None, [-24.35, 0.5]),
        (["1,5e3"], ";", [np.nan]),  # neither convention reads it: not a number
        (["100", "2.5"], ";", [100.0, 2.5]),  # one reading each: read, whatever the ;
    ],
)
def test_convention_rule(texts, sep, expected):
    values, _ = parse.number(pd.Series(texts, dtype=object), sep=sep)
    np.testing.assert_allclose(values, expected)


def test_real_number_cells_are_never_affected():
    values, problems = parse.number(pd.Series([24.35, 1000.0, "24,350"], dtype=object), sep=None)
    assert values[:2].tolist() == [24.35, 1000.0] and np.isnan(values[2]) and problems.bad[2]


def test_each_distinct_text_is_parsed_once_and_vectorised():
    """A million cells of a few texts: the work is per distinct text (a fraction of a second)."""
    import time

    s = pd.Series(["24,350", "1.234,5", "100"] * 300_000 + ["7,5"], dtype=object)
    t0 = time.perf_counter()
    values, problems = parse.number(s, sep=";")
    assert time.perf_counter() - t0 < 2.0
    assert not problems.bad.any() and values[:3].tolist() == [24.35, 1234.5, 100.0]


# ------------------------------------------------------------------ parquet oddities
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("list_column.parquet", "column 'net_mass_t': the column holds lists"),
        ("list_note_column.parquet", "column 'note': the column holds lists"),
        ("struct_column.parquet", "column 'net_mass_t': the column holds records"),
        ("map_column.parquet", "column 'net_mass_t': the column holds maps"),
        ("binary_column.parquet", "column 'net_mass_t': the column holds bytes"),
        ("int_column_names.parquet", "no known column name among the parquet columns ('0', '1'"),
        ("no_rows.parquet", "the parquet file has no rows"),
        ("no_columns.parquet", "the parquet file has no columns"),
    ],
)
def test_a_parquet_file_that_is_no_table_of_values_is_one_line_exit_2(name, says, tmp_path):
    res = run_cbam(["calc", CORPUS / name, "--format", "json"], tmp_path)
    line = res.one_line_error(names=name)
    assert says in line
    res.bounded()
    assert not list(tmp_path.iterdir())  # nothing written


def test_the_dask_engine_refuses_a_list_column_the_same_way(tmp_path):
    pytest.importorskip("dask")
    from cbam_calc.compute.distributed import pieces
    from cbam_calc.core.errors import InputFileError

    with pytest.raises(InputFileError, match="the column holds lists"):
        pieces([str(CORPUS / "list_column.parquet")])


def test_a_true_cell_is_no_number_and_does_not_hide_a_1_beside_it():
    """pandas hashes True as 1.0: per distinct value, a TRUE cell once took a 1.0 cell with it."""
    values, problems = parse.number(pd.Series([True, 1.0, "2,5"], dtype=object))
    assert problems.bad.tolist() == [True, False, False] and values[1:].tolist() == [1.0, 2.5]
