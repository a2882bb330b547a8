"""Issue 12, dates: export dates are not import dates, --column maps any input column to a field,
--from-export-date estimates and says so, a month alone prices a 2026 quarter and not a 2027 week.

The rule behind each test is the price period of the certificate price (Reg 2023/956 Art 21;
../shared/domain/RULES.md, "Certificate price"): the quarter of import in 2026, the application week
(Tuesday to Monday) from 2027, both fixed by the date of release in the EU, not by the export
declaration weeks before. The workbooks are built by scripts/corpus/habits_dates.py, each beside
its clean equivalent.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from child import run_cbam
from conftest import REPO

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import InputFileError
from cbam_calc.core.model import CalcOptions, ReadOptions
from cbam_calc.inputs import parse

HABITS = REPO / "tests" / "data" / "hostile" / "habits" / "dates"


def figures(path, **read) -> dict:
    """What a user compares: rows, lines, rejected, the cost and certificates, and the price of
    each period with the lines it priced (the assumptions' certificate prices)."""
    s = calculate(HABITS / path, CalcOptions(read=ReadOptions(**read))).summary
    used = s.assumptions.certificate_prices
    return {
        "rows_read": s.rows_read,
        "lines": s.lines,
        "rejected": s.rejected,
        "cost_eur": round(s.cost_eur, 6),
        "certificates": round(s.certificates, 6),
        "embedded_tco2e": round(s.embedded_tco2e, 6),
        "prices": sorted((p.period, p.price_eur_per_tco2e, p.lines) for p in used),
    }


# ------------------------------------------------------------------- export dates (Art 21 price period)
@pytest.mark.parametrize("name", ["export_date_only.xlsx", "export_date_only.csv"])
def test_art21_export_date_alone_stops_in_one_line_naming_the_column_and_both_options(name):
    line = run_cbam(["calc", name], HABITS).one_line_error(names=name)
    assert "'报关日期' is an export date" in line
    assert "--column import_date=报关日期" in line
    assert "--from-export-date DAYS" in line


def test_art21_export_date_alone_stops_the_python_api_too():
    with pytest.raises(InputFileError, match="--from-export-date"):
        calculate(HABITS / "export_date_only.xlsx")


def test_art21_column_import_date_reads_the_export_date_as_the_import_date_same_figures():
    messy = figures("export_date_only.xlsx", columns={"import_date": "报关日期"})
    assert messy == figures("import_date_same_day.xlsx")
    assert messy["lines"] == 4


def test_art21_from_export_date_30_lands_a_december_export_in_january_2027():
    messy = figures("export_date_only.xlsx", from_export_date_days=30)
    assert messy == figures("import_date_plus_30.xlsx")
    periods = [p for p, _, _ in messy["prices"]]
    assert any(p.startswith("2027") for p in periods), periods  # 10 Dec 2026 + 30 days: 9 Jan 2027
    assert "2026Q1" not in periods  # 25 March + 30 days: Q2, not the Q1 of the declaration
    assert messy != figures("export_date_only.xlsx", columns={"import_date": "报关日期"})


def test_art21_from_export_date_csv_with_chinese_headers_equals_its_clean_file():
    assert figures("export_date_only.csv", from_export_date_days=30) == figures("import_date_plus_30.csv")


def test_art21_from_export_date_is_stated_in_every_output(tmp_path):
    for name in ("export_date_only.xlsx", "import_date_plus_30.xlsx"):
        shutil.copy(HABITS / name, tmp_path / name)
    args = ["export_date_only.xlsx", "--from-export-date", "30"]
    r = run_cbam(["calc", *args, "-o", "r.xlsx", "--lines-out", "lines.csv"], tmp_path)
    assert r.code == 0, r.stderr
    assert "import date is an ESTIMATE" in r.stdout  # the warning of the summary
    assert "Import date ESTIMATED (--from-export-date): export date + 30 days" in r.stdout
    notes = pd.read_csv(tmp_path / "lines.csv")["notes"]
    assert notes.str.contains("import date ESTIMATED: export date + 30 days", regex=False).all()
    summary = pd.read_excel(tmp_path / "r.xlsx", sheet_name="Summary", header=None, engine="openpyxl").astype(
        str
    )
    assert summary.apply(lambda c: c.str.contains("ESTIMATED")).any().any()
    lines = pd.read_excel(tmp_path / "r.xlsx", sheet_name="Lines", engine="openpyxl")
    assert lines["notes"].str.contains("ESTIMATED").all()
    r = run_cbam(["calc", *args, "--format", "json"], tmp_path)
    s = json.loads(r.stdout)
    assert s["assumptions"]["reading"]["from_export_date_days"] == 30
    assert "W_IMPORT_DATE_ESTIMATED" in s["warning_codes"]
    r = run_cbam(["report", *args, "-o", "r.html"], tmp_path)
    assert r.code == 0, r.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Import date ESTIMATED" in html and "export date + 30 days" in html
    r = run_cbam(["calc", *args, "--lang", "zh"], tmp_path)
    assert "进口日期为估算值" in r.stdout
    clean = run_cbam(["calc", "import_date_plus_30.xlsx", "--lines-out", "clean.csv"], tmp_path)
    assert "ESTIMATE" not in clean.stdout
    assert not pd.read_csv(tmp_path / "clean.csv")["notes"].fillna("").str.contains("ESTIMATED").any()


def test_art21_both_dates_given_the_import_date_is_used_and_the_export_date_said_unused():
    assert figures("import_and_export_dates.csv") == figures("import_date_plus_30.csv")
    s = calculate(HABITS / "import_and_export_dates.csv").summary
    assert "W_EXPORT_DATE_UNUSED" in s.warning_codes


def test_art21_a_mapping_overrides_the_recognised_import_date_column():
    messy = figures("import_and_export_dates.csv", columns={"import_date": "报关日期"})
    assert messy == figures("export_date_only.csv", columns={"import_date": "报关日期"})


def test_from_export_date_on_a_file_with_import_dates_only_uses_them_a_batch_may_mix_both():
    assert figures("import_date_plus_30.csv", from_export_date_days=30) == figures("import_date_plus_30.csv")
    s = calculate(
        HABITS / "import_date_plus_30.csv", CalcOptions(read=ReadOptions(from_export_date_days=30))
    ).summary
    assert "W_IMPORT_DATE_ESTIMATED" not in s.warning_codes


def test_from_export_date_without_any_date_column_names_the_missing_import_date(tmp_path):
    f = tmp_path / "no_date.csv"
    f.write_text("商品编码,原产国,净重(吨)\n7208 51 20,中国,60\n", encoding="utf-8")
    line = run_cbam(["calc", f.name, "--from-export-date", "30"], tmp_path).one_line_error(names=f.name)
    assert "missing required column import_date" in line


def test_two_export_date_columns_are_harmless_until_one_must_be_chosen(tmp_path):
    f = tmp_path / "two.csv"
    f.write_text(
        "商品编码,原产国,净重(吨),进口日期,报关日期,装船日期\n"
        "7208 51 20,中国,60,2026-03-01,2026-01-20,2026-01-25\n",
        encoding="utf-8",
    )
    assert calculate(f).summary.lines == 1  # the import date is used; before, 装船日期 was ignored
    line = run_cbam(["calc", f.name, "--from-export-date", "30"], tmp_path).one_line_error(names=f.name)
    assert "both export dates" in line and "--column export_date=报关日期" in line


# ------------------------------------------------------------------- --column FIELD=HEADER
def test_column_with_an_unknown_field_is_a_usage_error_listing_the_fields():
    r = run_cbam(["calc", "export_date_only.csv", "--column", "import_day=报关日期"], HABITS)
    assert r.code == 2
    error = [ln for ln in r.stderr.splitlines() if "Error" in ln]
    assert len(error) == 1 and "no field 'import_day'" in error[0]
    assert "import_date" in error[0] and "net_mass_t" in error[0]


def test_column_naming_a_header_not_in_the_file_names_the_file_and_the_headers_found():
    line = run_cbam(
        ["calc", "export_date_only.csv", "--column", "import_date=进口日"], HABITS
    ).one_line_error(names="export_date_only.csv")
    assert (
        "no column '进口日'" in line and "columns found: 商品编码, 原产国, 净重(吨), 报关日期, 进口商" in line
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_column_reads_a_unitless_weight_header_as_tonnes_when_told(tmp_path, suffix):
    clean = HABITS / f"import_date_plus_30.{suffix}"
    messy = tmp_path / f"weight.{suffix}"
    if suffix == "csv":
        messy.write_bytes(clean.read_bytes().replace("净重(吨)".encode(), b"Weight"))
    else:
        from openpyxl import load_workbook

        wb = load_workbook(clean)
        wb.active["C1"] = "Weight"
        wb.save(messy)
    with pytest.raises(InputFileError, match="gives no unit"):  # without the mapping: no guess
        calculate(messy)
    got = calculate(messy, CalcOptions(read=ReadOptions(columns={"net_mass_t": "weight"}))).summary
    want = calculate(clean).summary
    assert (got.lines, round(got.cost_eur, 6)) == (want.lines, round(want.cost_eur, 6))
    r = run_cbam(["calc", messy.name, "--column", "net_mass_t=Weight"], tmp_path)
    assert r.code == 0, r.stderr
    assert "Input columns read as named (--column): net_mass_t=Weight" in r.stdout


# ------------------------------------------------------------------- a month alone
@pytest.mark.parametrize("name", ["month_only_2026.csv", "month_only_2026.xlsx"])
def test_art21_a_2026_month_alone_fixes_the_quarter_and_its_price(name):
    assert figures(name) == figures("quarter_dates_2026.csv")
    result = calculate(HABITS / name)
    assert "W_MONTH_ONLY" in result.summary.warning_codes
    notes = result.lines["notes"].astype(str)
    typed = result.lines["进口日期"].map(lambda v: isinstance(v, str))
    assert notes[typed].str.contains("month only: the quarter's price applies").all()
    assert not notes[~typed].str.contains("month only").any()  # a date cell shown as a month is a date


def test_art21_a_2027_month_alone_is_rejected_the_price_is_weekly():
    result = calculate(HABITS / "month_only_2027.csv")
    assert (result.summary.rows_read, result.summary.lines, result.summary.rejected) == (2, 1, 1)
    assert result.rejected["code"].tolist() == ["R_MONTH_ONLY_WEEKLY"]
    assert "weekly" in result.rejected["reason"].iloc[0]
    r = run_cbam(["calc", "month_only_2027.csv", "--lang", "zh"], HABITS)
    assert "自2027年起证书价格按周确定" in r.stdout


@pytest.mark.parametrize(
    "cell, month",
    [
        ("2026年5月", (2026, 5)),
        ("2026年05月份", (2026, 5)),
        ("2026-05", (2026, 5)),
        ("2026/5", (2026, 5)),
        ("05/2026", (2026, 5)),
        ("May 2026", (2026, 5)),
        ("Sept. 2026", (2026, 9)),
        ("2026-13", None),
        ("2026-05-14", None),  # a date, not a month
    ],
)
def test_month_forms(cell, month):
    assert parse.month(cell) == (month and parse.Month(*month))


def test_art21_1a_a_quarter_alone_prices_2026_and_is_rejected_from_2027(tmp_path):
    """A quarter column fixes the 2026 price (the quarter's average) but not a weekly one: the 2027
    line is rejected with the reason, the 2026 line and the dated 2027 line are computed."""
    path = tmp_path / "quarters.csv"
    path.write_text(
        "cn_code,country,net_mass_t,import_date,quarter\n"
        "7208 51 20,CN,120,,2026Q2\n"
        "7208 51 20,CN,120,,2027Q1\n"
        "7208 51 20,CN,120,2027-03-16,2027Q1\n",
        encoding="utf-8",
    )
    result = calculate(path)
    assert (result.summary.lines, result.summary.rejected) == (2, 1)
    row = result.rejected.iloc[0]
    assert (row["row"], row["column"], row["code"]) == (3, "quarter", "R_QUARTER_ONLY_WEEKLY")
    assert "a quarter alone does not fix the price of a 2027 import" in row["reason"]
    assert sorted(p.period for p in result.summary.assumptions.certificate_prices)[0] == "2026Q2"
