"""Certificate price (Art 21, IR 2025/2548): quarter or week of import, overrides, and a user's price path."""

from __future__ import annotations

import pytest
from conftest import line, steel


# ------------------------------------------------------------------ Art 21 certificate price
@pytest.mark.parametrize(
    ("day", "period", "price", "status"),
    [
        ("2026-01-01", "2026Q1", 75.36, "published"),
        ("2026-06-30", "2026Q2", 75.28, "published"),
        ("2026-07-01", "2026Q3", 82.32, "published"),
        ("2026-12-31", "2026Q4", 82.32, "projection"),
    ],
)
def test_art21_1a_2026_price_is_the_quarter_of_import(run, day, period, price, status):
    x = line(run([steel(import_date=day)]), 2)
    assert (x["price_period"], x["price_eur_per_tco2e"], x["price_status"]) == (period, price, status)


def test_art21_1_weekly_price_from_2027_falls_back_to_labelled_projection(run):
    x = line(run([steel(import_date="2027-03-10")]), 2)
    assert x["price_period"] == "2027-W10"
    assert x["price_eur_per_tco2e"] == 78.82
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
    assert run(rows).lines["price_eur_per_tco2e"].tolist() == [78.82, 82.32]
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
        ("period,price_eur_per_tco2e\n2027-W53,80\n", "2027 has no ISO week 53"),
        ("period,price_eur_per_tco2e\n2026-W10,80\n", "2026-W10 is never used"),
    ],
)
def test_bad_price_path_names_file_row_and_column(tmp_path, text, needle):
    from cbam_calc.core.errors import OptionError
    from cbam_calc.law.prices import load_price_path

    path = tmp_path / "path.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OptionError, match=needle):
        load_price_path(path)


def write_path(tmp_path, text: str):
    from cbam_calc.law.prices import load_price_path

    path = tmp_path / "path.csv"
    path.write_text(text, encoding="utf-8")
    return load_price_path(path)


def calc_with_path(tmp_path, rows, path, **options):
    from conftest import write_csv

    from cbam_calc.compute.calculate import calculate
    from cbam_calc.core.model import CalcOptions

    src = write_csv(tmp_path / "s.csv", rows)
    return calculate(src, CalcOptions(**options), price_path=path)


@pytest.mark.parametrize(
    ("day", "period", "price"),
    [
        ("2027-01-31", "2027-W04", 81.0),  # Sunday: the week that started on Tuesday 26 January
        ("2027-02-01", "2027-W04", 81.0),  # Monday: still the price published on Monday 25 January
        ("2027-02-02", "2027-W05", 85.0),  # Tuesday: the price published on Monday 1 February
        ("2027-02-08", "2027-W05", 85.0),  # Monday: the last day of application week 2027-W05
    ],
)
def test_art21_ir2548_weekly_price_applies_tuesday_to_monday(tmp_path, day, period, price):
    # IR 2025/2548: the weekly price is published on a Monday and applies from the Tuesday to the
    # next Monday included. ISO 2027-W05 starts on Monday 1 February 2027, so the entry 2027-W05
    # covers Tuesday 2 February to Monday 8 February, and Monday 1 February takes 2027-W04.
    path = write_path(tmp_path, "period,price_eur_per_tco2e\n2027-W04,81\n2027-W05,85\n")
    x = line(calc_with_path(tmp_path, [steel(import_date=day)], path), 2)
    assert (x["price_period"], x["price_eur_per_tco2e"], x["price_status"]) == (period, price, "projection")


def test_art21_ir2548_application_week_named_by_its_tuesday():
    from cbam_calc.law.prices import describe_period

    assert (
        describe_period("2027-W05") == "application week 2027-W05 (Tuesday 2027-02-02 to Monday 2027-02-08)"
    )
    assert (
        describe_period("2026-W53") == "application week 2026-W53 (Tuesday 2026-12-29 to Monday 2027-01-04)"
    )


@pytest.mark.parametrize(
    ("day", "year", "period", "price"),
    [
        ("2029-01-01", 2029, "2028-W52", 86.0),  # Monday: application week Tue 2028-12-26..Mon 2029-01-01
        ("2029-01-02", 2029, "2029-W01", 92.0),  # Tuesday: the first application week starting in 2029
        ("2029-12-31", 2029, "2029-W52", 92.0),  # Monday: application week Tue 2029-12-25..Mon 2029-12-31
        ("2030-01-01", 2030, "2030-W01", 99.0),  # Tuesday: the first application week starting in 2030
    ],
)
def test_art21_ir2548_yearly_path_entries_follow_the_monday_rule(tmp_path, day, year, period, price):
    # samples/eua_path.csv gives 2028 86, 2029 92, 2030 99. A year entry covers the application
    # weeks whose Tuesday falls in that year: Monday 2029-12-31 takes 2029 (92), not 2030 (ISO
    # 2030-W01 begins that Monday); Monday 2029-01-01 takes 2028 (86). The rules of the line
    # (CBAM factor, mark-up) stay those of its calendar year.
    from conftest import SAMPLES

    from cbam_calc.law.prices import load_price_path

    path = load_price_path(SAMPLES / "eua_path.csv")
    x = line(calc_with_path(tmp_path, [steel(import_date=day)], path), 2)
    assert (x["year"], x["price_period"], x["price_eur_per_tco2e"]) == (year, period, price)
    assert x["price_status"] == "projection"


@pytest.mark.parametrize("day", ["2027-01-01", "2027-01-04"])
def test_art21_ir2548_imports_of_1_to_4_january_2027_take_the_q4_2026_price(run, day):
    # 1-4 January 2027 (Friday to Monday) fall in the application week 2026-W53, which starts on
    # Tuesday 29 December 2026. No weekly price is given for it: the 2026 Q4 price (82.32, Q3's
    # published price carried forward) stands in, labelled.
    r = run([steel(import_date=day)])
    x = line(r, 2)
    assert (x["year"], x["price_period"], x["price_eur_per_tco2e"]) == (2027, "2026-W53", 82.32)
    assert x["price_status"] == "projection"
    (used,) = r.summary.assumptions.certificate_prices
    assert used.source_period == "2026Q4"
    assert used.source.startswith(
        "the 2026Q4 figure stands in for application week 2026-W53 (Tuesday 2026-12-29 to Monday 2027-01-04)"
    )
    assert "certificate prices that are not published figures: 2026Q4 (projection)" in r.summary.warnings


def test_art21_ir2548_application_week_2026_w53_takes_its_own_price_when_given(tmp_path):
    path = write_path(tmp_path, "period,price_eur_per_tco2e\n2026-W53,83.10\n")
    rows = [steel(import_date="2027-01-04"), steel(import_date="2026-12-31"), steel(import_date="2027-01-05")]
    r = calc_with_path(tmp_path, rows, path)
    assert r.lines["price_period"].tolist() == ["2026-W53", "2026Q4", "2027-W01"]
    assert r.lines["price_eur_per_tco2e"].tolist() == [83.10, 82.32, 78.82]


def test_explain_states_the_weekly_price_convention(run):
    from cbam_calc.outputs.explain import explain_line, explain_text

    text = explain_text(explain_line(run([steel(import_date="2027-02-01")]), 2))
    assert (
        "application week 2027-W04 (Tuesday 2027-01-26 to Monday 2027-02-01) (projection, 2027 figure)"
        in text
    )
    assert "published on a Monday and applies from the Tuesday to the next Monday included" in text
    assert "an import on a Monday takes the week before" in text
