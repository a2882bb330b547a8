"""cbam calc --check on a report made with other reference data names the tables that changed, with
their act then and now, and counts the report's lines that moved. The run record keeps one SHA-256
per reference table and parameter file; older records (without them) still check and say they
cannot name the table.

Made testable without any new act: a report is computed with the package's data, then checked
against a copy of the data with one table altered (ReferenceData(data_dir=...) or
CBAM_REFERENCE_PRICES)."""

from __future__ import annotations

import csv
import io
import json
import shutil

import openpyxl
import pytest
import yaml
from conftest import steel, write_csv

from cbam_calc.cli import main
from cbam_calc.law.inventory import reference_files
from cbam_calc.law.reference import DATA_DIR, ReferenceData, prices_dir, reference_data
from cbam_calc.outputs.check import check_report
from cbam_calc.outputs.run_record import SHEET, read_record


@pytest.fixture
def report(tmp_path, capsys):
    """Rows 2-4: China hot-rolled coil on default values (table CN 7208), Q1 2026; rows 5-6: the
    same good with actual data (no default value), Q2 2026."""
    rows = [steel(import_date="2026-02-10") for _ in range(3)]
    rows += [steel(see_direct="2.0", route="C", import_date="2026-05-10") for _ in range(2)]
    src = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "report.xlsx"
    assert main(["calc", str(src), "-o", str(out)]) == 0
    capsys.readouterr()
    return out


@pytest.fixture
def copied(tmp_path) -> ReferenceData:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    shutil.copytree(prices_dir(), tmp_path / "prices")
    return ReferenceData(data_dir=tmp_path / "data", prices_dir=tmp_path / "prices")


def alter_rows(path, match, change) -> int:
    """Rewrite the data rows of a commented CSV for which ``match(row)``; returns how many."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    head = [ln for ln in lines if ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("".join(lines[len(head) :])))
    rows, n = [], 0
    for r in reader:
        if match(r):
            r, n = change(r), n + 1
        rows.append(r)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=reader.fieldnames, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text("".join(head) + buf.getvalue(), encoding="utf-8")
    return n


def doubled(r: dict) -> dict:
    out = dict(r)
    for k, v in r.items():
        if k.endswith(("_tco2e_per_t", "_2026", "_2027", "_2028")) and v:
            out[k] = f"{2 * float(v):.3f}"
    return out


def alter_china_7208(ref: ReferenceData, citation: str | None = None) -> None:
    eu = ref.data_dir / "eu"
    n = alter_rows(
        eu / "default_values.csv", lambda r: (r["country_iso2"], r["cn_prefix"]) == ("CN", "7208"), doubled
    )
    assert n == 1
    if citation:
        meta_path = eu / "default_values.meta.yaml"
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        meta["citation"] = citation
        meta_path.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_record_keeps_one_sha256_per_reference_file(report):
    record = read_record(report)
    files = {f.path: f for f in reference_files()}
    assert set(record["reference_files"]) == set(files)
    for path, entry in record["reference_files"].items():
        assert entry["sha256"] == files[path].sha256 and entry["act"] == files[path].label
    run = [r for r in openpyxl.load_workbook(report)[SHEET].iter_rows(values_only=True) if r]
    listed = {r[1]: r[3] for r in run if r[0] == "reference file"}
    assert listed == {p: f.sha256 for p, f in files.items()}


def test_a_changed_default_value_table_is_named_with_its_acts_and_the_lines_it_moved(report, copied):
    then = {f.path: f for f in reference_files()}["eu/default_values.csv"].label
    alter_china_7208(copied, citation="IR 2099/1 (a later act, for the test)")
    outcome = check_report(report, ref=copied)
    assert not outcome.matches
    expected = (
        f"default values (eu/default_values.csv): {then} -> IR 2099/1 (a later act, for the test); "
        "3 lines changed (rows 2, 3, 4)"
    )
    assert expected in outcome.differences, outcome.text()
    assert any(d.startswith("row 2: certificates ") and " -> certificates " in d for d in outcome.differences)
    assert any(d.startswith("certificates: report ") for d in outcome.differences)  # the figures too
    assert "line figures differ" in outcome.text()


def test_the_same_act_with_other_figures_says_the_table_changed(report, copied):
    alter_china_7208(copied)
    outcome = check_report(report, ref=copied)
    assert any(
        d.startswith("default values (eu/default_values.csv): changed since the report (")
        and d.endswith("; 3 lines changed (rows 2, 3, 4)")
        for d in outcome.differences
    ), outcome.text()


def test_a_changed_price_table_from_cbam_reference_prices(report, copied, monkeypatch, capsys):
    n = alter_rows(
        copied.prices_dir / "cbam_certificate_price.csv",
        lambda r: r["period"] == "2026Q1",
        lambda r: {**r, "price_eur_per_tco2e": "99.99"},
    )
    assert n == 1
    monkeypatch.setenv("CBAM_REFERENCE_PRICES", str(copied.prices_dir))
    reference_data.cache_clear()
    try:
        assert main(["calc", "--check", str(report)]) == 1
    finally:
        monkeypatch.delenv("CBAM_REFERENCE_PRICES")
        reference_data.cache_clear()
    out = capsys.readouterr().out
    assert (
        "cbam certificate price (reference_prices/cbam_certificate_price.csv): changed since the report"
        in out
    )
    assert "3 lines changed (rows 2, 3, 4)" in out  # the Q1 lines; the Q2 lines keep their price


def test_a_changed_table_no_line_uses_leaves_the_figures_matching(report, copied, capsys):
    alter_rows(
        copied.prices_dir / "eua_auction_vwap_annual.csv",
        lambda r: r["year"] == "2021",
        lambda r: {**r, "vwap_eur_per_tco2e": "1.0000"},
    )
    outcome = check_report(report, ref=copied)
    assert outcome.matches
    assert any(
        n.startswith("eua auction vwap annual (reference_prices/eua_auction_vwap_annual.csv)")
        and n.endswith("; no line of this report moved")
        for n in outcome.notes
    ), outcome.text()


def test_several_tables_changed_are_each_named_and_the_lines_counted_once(report, copied):
    alter_china_7208(copied)
    alter_rows(
        copied.prices_dir / "cbam_certificate_price.csv",
        lambda r: r["period"] == "2026Q2",
        lambda r: {**r, "price_eur_per_tco2e": "99.99"},
    )
    text = check_report(report, ref=copied).text()
    assert "default values (eu/default_values.csv): changed since the report" in text
    assert "cbam certificate price (reference_prices/cbam_certificate_price.csv)" in text
    assert "5 lines changed (rows 2, 3, 4, 5, 6) (by the changes above together)" in text


def test_the_reports_version_kept_as_a_superseded_table_is_named(report, copied):
    # the IR 2026/1740 tables keep the first version as a SUPERSEDED copy, its sidecar saying so
    eu = copied.data_dir / "eu"
    shutil.copy(eu / "default_values.csv", eu / "default_values_first.csv")
    (eu / "default_values_first.meta.yaml").write_text(
        yaml.safe_dump(
            {"title": "SUPERSEDED: first version", "status": "superseded", "updated": "2026-11-24"}
        ),
        encoding="utf-8",
    )
    alter_china_7208(copied)
    text = check_report(report, ref=copied).text()
    assert "the report's version is kept as eu/default_values_first.csv (superseded)" in text
    assert "default values first (eu/default_values_first.csv): new since the report" in text


def test_an_old_record_without_per_table_hashes_still_checks(report, copied, capsys):
    wb = openpyxl.load_workbook(report)
    for row in wb[SHEET].iter_rows():
        if row[0].value == "record_json":
            record = json.loads(row[1].value)
            del record["reference_files"]
            row[1].value = json.dumps(record)
    wb.save(report)
    assert check_report(report).matches  # same data: nothing to explain
    alter_china_7208(copied)
    outcome = check_report(report, ref=copied)
    assert not outcome.matches
    assert any(
        d.startswith("this report records no SHA-256 per reference table")
        and "cannot name the tables that changed; 3 lines changed (rows 2, 3, 4)" in d
        for d in outcome.differences
    ), outcome.text()
    assert main(["calc", "--check", str(report)]) == 0  # exit codes stay: 0 match
    capsys.readouterr()
