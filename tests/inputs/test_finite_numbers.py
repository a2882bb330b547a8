"""No figure that is not a finite number is computed or printed (issue 11, "non-finite numbers").

A mass of ``inf``, ``Infinity`` or ``1e309`` once passed validation and turned the run's totals into
NaN and Infinity (invalid JSON); ``1e308`` overflowed in the product mass x SEE; and options such
as ``--fx CNY=0`` or ``--price nan`` were accepted or ended in an internal error.
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, line, steel

from cbam_calc.cli import cli
from cbam_calc.core.model import CalcOptions


@pytest.mark.parametrize(
    ("mass", "code"),
    [
        ("inf", "R_NOT_FINITE"),
        ("Infinity", "R_NOT_FINITE"),
        ("-inf", "R_NOT_FINITE"),
        ("1e309", "R_NOT_FINITE"),  # beyond float64: read as inf
        ("1e308", "R_TOO_LARGE"),  # finite, but mass x SEE x price overflows
        ("2e15", "R_TOO_LARGE"),
    ],
)
def test_a_non_finite_or_overflowing_mass_is_rejected_and_the_totals_stay_finite(run, mass, code):
    r = run([steel(), steel(net_mass_t=mass)])
    bad = r.rejected[r.rejected["row"] == 3].iloc[0]
    assert (bad["column"], bad["code"]) == ("net_mass_t", code)
    assert line(r, 2)["net_mass_t"] == 100.0  # the good line is computed as alone
    s = r.summary
    assert (s.lines, s.rejected, s.rows_read) == (1, 1, 2)
    for figure in (s.net_mass_t, s.embedded_tco2e, s.certificates, s.cost_eur, s.eur_per_t):
        assert math.isfinite(figure)
    doc = s.model_dump_json()
    assert "NaN" not in doc and "Infinity" not in doc
    json.loads(doc)


def test_a_mass_of_one_quadrillion_tonnes_is_still_a_number(run):
    # the bound (1e15 t) is far above any real shipment and keeps every product finite
    r = run([steel(net_mass_t="1e15")])
    assert line(r, 2)["net_mass_t"] == 1e15
    assert math.isfinite(r.summary.cost_eur)


@pytest.mark.parametrize(
    ("option", "needle"),
    [
        (["--fx", "CNY=0"], "must be greater than 0"),
        (["--fx", "CNY=nan"], "expected a finite number"),
        (["--default-carbon-price", "CN=inf"], "expected a finite number"),
        (["--price", "inf"], "expected a finite number"),
        (["--price", "nan"], "expected a finite number"),
    ],
)
def test_non_finite_or_zero_options_are_refused_with_one_line(option, needle):
    result = CliRunner().invoke(cli, ["calc", str(SAMPLES / "shipments_cn_steel.xlsx"), *option])
    assert result.exit_code == 2
    assert needle in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "options",
    [
        {"price_eur_per_tco2e": math.inf},
        {"price_eur_per_tco2e": math.nan},
        {"fx": {"CNY": 0.0}},
        {"fx": {"CNY": math.inf}},
        {"default_carbon_price": {"CN": math.nan}},
    ],
)
def test_the_library_refuses_the_same_options(options):
    with pytest.raises(ValueError):
        CalcOptions(**options)


@pytest.mark.parametrize("mass", ["nan", "NaN"])
def test_a_nan_mass_is_rejected_as_no_number_not_as_missing(run, mass):
    # pyarrow reads the text nan as a float NaN, which pandas shows as an empty cell: the row was
    # rejected as "missing net mass" though the file gives a value
    r = run([steel(), steel(net_mass_t=mass), steel(net_mass_t="")])
    got = {int(x.row): (x.column, x.code) for x in r.rejected.itertuples()}
    assert got == {3: ("net_mass_t", "R_NOT_A_NUMBER"), 4: ("net_mass_t", "R_MISSING_NET_MASS")}
    assert r.rejected.set_index("row").loc[3, "value"].lower() == "nan"
