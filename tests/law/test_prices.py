"""Certificate price (Art 21, IR 2025/2548): quarter or week of import, overrides, and a user's price path."""

from __future__ import annotations

import pytest
from conftest import line, steel


# ------------------------------------------------------------------ Art 21 certificate price
@pytest.mark.parametrize(
    ("day", "period", "price", "status"),
    [
        ("2026-01-01", "2026Q1", 75.36, "published"),
        ("2026-06-30", "2026Q2", 75.28, "recomputed"),
        ("2026-07-01", "2026Q3", 80.30, "recomputed_partial"),
        ("2026-12-31", "2026Q4", 80.30, "projection"),
    ],
)
def test_art21_1a_2026_price_is_the_quarter_of_import(run, day, period, price, status):
    x = line(run([steel(import_date=day)]), 2)
    assert (x["price_period"], x["price_eur_per_tco2e"], x["price_status"]) == (period, price, status)


def test_art21_1_weekly_price_from_2027_falls_back_to_labelled_projection(run):
    x = line(run([steel(import_date="2027-03-10")]), 2)
    assert x["price_period"] == "2027-W10"
    assert x["price_eur_per_tco2e"] == 77.81
    assert x["price_status"] == "projection"


def test_quarter_column_instead_of_date(run):
    r = run([{"cn_code": "7208 51 20", "country": "CN", "net_mass_t": "100", "quarter": "2026Q2"}])
    assert line(r, 2)["price_eur_per_tco2e"] == 75.28


def test_price_override_applies_to_every_line_and_is_labelled(run):
    r = run([steel(), steel(import_date="2026-11-01")], price_eur_per_tco2e=90.0)
    assert set(r.lines["price_eur_per_tco2e"]) == {90.0}
    assert set(r.lines["price_status"]) == {"user"}
    assert r.summary.assumptions.price_override_eur_per_tco2e == 90.0


def test_year_override_moves_every_line_into_that_year(run):
    r = run([steel(import_date="2026-02-10")], year=2030)
    x = line(r, 2)
    assert x["year"] == 2030
    assert str(x["import_date_used"])[:10] == "2030-02-10"
    assert any("--year" in w for w in r.summary.warnings)


def test_user_price_path_replaces_reference_prices(run, tmp_path):
    from conftest import write_csv

    from cbam_calc.compute.calculate import calculate
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.law.prices import load_price_path

    path = tmp_path / "path.csv"
    path.write_text("period,price_eur_per_tco2e\n2027,90\n2026Q3,70.5\n", encoding="utf-8")
    rows = [steel(import_date="2027-03-10"), steel(import_date="2026-08-01")]
    assert run(rows).lines["price_eur_per_tco2e"].tolist() == [77.81, 80.30]
    src = write_csv(tmp_path / "s.csv", rows)
    r = calculate(src, CalcOptions(), price_path=load_price_path(path))
    assert r.lines["price_eur_per_tco2e"].tolist() == [90.0, 70.5]
    assert r.lines["price_status"].tolist() == ["projection", "projection"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("period,price_eur_per_tco2e\n2027,-5\n", "row 2, column 'price_eur_per_tco2e'"),
        ("period,price_eur_per_tco2e\nnext year,80\n", "row 2, column 'period'"),
        ("period,price\n2027,80\n", "missing column price_eur_per_tco2e"),
        ("period,price_eur_per_tco2e\n2027,80\n2027,81\n", "given twice"),
    ],
)
def test_bad_price_path_names_file_row_and_column(tmp_path, text, needle):
    from cbam_calc.core.errors import OptionError
    from cbam_calc.law.prices import load_price_path

    path = tmp_path / "path.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OptionError, match=needle):
        load_price_path(path)
