"""Issue 11: the Python API checks its arguments at the entry and names the one that is wrong.

Before, ``calculate(p, {"year": 2027})``, ``sheet=1`` or ``price_path="x.csv"`` ended in an
AttributeError or KeyError deep inside (``'dict' object has no attribute 'year'``).
"""

from __future__ import annotations

import pytest
from child import run_python
from conftest import REPO, SAMPLES

from cbam_calc.compute.calculate import calculate, calculate_validated
from cbam_calc.core.errors import OptionError
from cbam_calc.core.model import CalcOptions
from cbam_calc.outputs import runs

STEEL = SAMPLES / "shipments_cn_steel.xlsx"
CEMENT = SAMPLES / "shipments_cement.csv"


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda: calculate(STEEL, {"year": 2027}), TypeError, r"options must be a CalcOptions, not a dict"),
        (lambda: calculate(STEEL, sheet=1), TypeError, r"sheet must be a str .*not int 1"),
        (lambda: calculate(STEEL, price_path=80), TypeError, r"price_path must be"),
        (lambda: calculate(123), TypeError, r"path must be a path .*not int 123"),
        (lambda: calculate(None), TypeError, r"path must be a path"),
        (lambda: calculate(""), ValueError, r"path: an empty path"),
        (lambda: calculate(STEEL, ref="x"), TypeError, r"ref must be ReferenceData"),
        (lambda: calculate(STEEL, raise_if_empty="no"), TypeError, r"raise_if_empty must be True or False"),
        (lambda: calculate_validated("x"), TypeError, r"validated must be a Validated table"),
        # a year outside the definitive period (Art 36(3)) was accepted and rejected every row
        (lambda: calculate(STEEL, CalcOptions(year=1)), ValueError, r"options.year .* 2026-2034 .*not 1$"),
        (lambda: calculate(CEMENT, CalcOptions(year=2035)), ValueError, r"2026-2034 .*not 2035"),
    ],
)
def test_calculate_names_the_wrong_argument(call, error, says):
    with pytest.raises(error, match=says):
        call()


def test_a_missing_price_path_is_named(tmp_path):
    with pytest.raises(OptionError, match=r"nope\.csv: no such price path file"):
        calculate(STEEL, price_path=tmp_path / "nope.csv")


def test_a_price_path_may_be_given_as_a_path():
    by_path = calculate(CEMENT, price_path=SAMPLES / "eua_path.csv")
    from cbam_calc.law.prices import load_price_path

    by_table = calculate(CEMENT, price_path=load_price_path(SAMPLES / "eua_path.csv"))
    assert by_path.summary.cost_eur == by_table.summary.cost_eur


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"year": "2027"}, "year"),
        ({"year": True}, "year"),
        ({"year": 2027.5}, "year"),
        ({"de_minimis": "no"}, "de_minimis"),
        ({"fx": [1]}, "fx"),
        ({"price_eur_per_tco2e": -1}, "price_eur_per_tco2e"),
        ({"yaer": 2027}, "yaer"),
    ],
)
def test_calc_options_refuse_a_wrong_field_naming_it(fields, name):
    with pytest.raises(ValueError, match=name):  # pydantic's ValidationError is a ValueError
        CalcOptions(**fields)


def test_calculate_dask_names_the_wrong_argument():
    from cbam_calc.compute.distributed import calculate_dask

    with pytest.raises(TypeError, match="paths must be a path or a list of paths"):
        calculate_dask(123)
    with pytest.raises(TypeError, match="options must be a CalcOptions"):
        calculate_dask(["a.parquet"], {"year": 2027})
    with pytest.raises(TypeError, match="force must be True or False"):
        calculate_dask(["a.parquet"], force="yes")
    with pytest.raises(TypeError, match="price_path must be"):
        calculate_dask(["a.parquet"], price_path=1.5)


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda: runs.calc_to_files(STEEL, {"year": 2027}), TypeError, "options must be a CalcOptions"),
        (lambda: runs.calc_to_files(STEEL, sheet=1), TypeError, "sheet must be a str"),
        (lambda: runs.calc_to_files(STEEL, lang="fr"), ValueError, "lang must be one of 'en', 'zh'"),
        (lambda: runs.calc_to_files(STEEL, force="yes"), TypeError, "force must be True or False"),
        (lambda: runs.calc_to_files(STEEL, report=1), TypeError, "report must be a path"),
        (lambda: runs.calc_to_files(STEEL, price_path=1), TypeError, "price_path must be a path"),
        (lambda: runs.calc_to_files(123), TypeError, "inputs must be a path or a list of paths"),
        (lambda: runs.calc_to_files(STEEL, on_written="x"), TypeError, "on_written must be a function"),
        (lambda: runs.report_to_files(STEEL, {"year": 2027}), TypeError, "options must be a CalcOptions"),
        (lambda: runs.explain_input(STEEL, "2"), TypeError, "line must be an int"),
        (lambda: runs.explain_input(STEEL, 0), ValueError, "line must be at least 1"),
        (lambda: runs.batch_to_files(SAMPLES / "association", jobs=0), ValueError, "jobs must be at least 1"),
        (lambda: runs.batch_to_files(SAMPLES / "association", sheet=2), TypeError, "sheet must be a str"),
        (
            lambda: runs.scenario_to_files(STEEL, {"years": [2030]}),
            TypeError,
            "scenario_set must be a ScenarioSet",
        ),
        (
            lambda: runs.scenario_to_files(STEEL, None, output=3),
            TypeError,
            "output must be a path",
        ),
    ],
)
def test_the_command_calls_name_the_wrong_argument(call, error, says):
    with pytest.raises(error, match=says):
        call()


def test_a_missing_price_path_is_named_by_the_command_calls(tmp_path):
    with pytest.raises(OptionError, match=r"missing\.csv: no such price path file"):
        runs.calc_to_files(STEEL, price_path=tmp_path / "missing.csv")


def test_in_a_fresh_interpreter_the_error_names_the_argument(tmp_path):
    code = f"from cbam_calc import calculate\ncalculate({str(STEEL)!r}, {{'year': 2027}})\n"
    res = run_python(["-c", code], REPO)
    assert res.code == 1
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("TypeError: options must be a CalcOptions"), last
