"""Reproducible: every report carries what produced it, and --check recomputes it."""

from __future__ import annotations

import shutil

import openpyxl
from conftest import SAMPLES, steel, write_csv

from cbam_calc.cli import main
from cbam_calc.outputs.run_record import read_record


def test_report_records_version_inputs_hashes_and_options(tmp_path):
    src = shutil.copy(SAMPLES / "shipments_cn_steel.xlsx", tmp_path / "in.xlsx")
    report = tmp_path / "report.xlsx"
    assert main(["calc", str(src), "-o", str(report), "--year", "2027", "--art9", "off"]) == 0
    record = read_record(report)
    assert record["inputs"][0]["file"] == str(src)
    assert len(record["inputs"][0]["sha256"]) == 64
    assert record["options"]["year"] == 2027 and record["options"]["art9"] == "off"
    assert len(record["reference_data_sha256"]) == 64
    rows = {r[0]: r for r in openpyxl.load_workbook(report)["Run"].iter_rows(values_only=True) if r}
    assert rows["cbam-calc version"][1] == record["cbam_calc_version"]


def test_check_says_the_figures_match(tmp_path, capsys):
    src = shutil.copy(SAMPLES / "shipments_art9_cnets.xlsx", tmp_path / "in.xlsx")
    path = tmp_path / "path.csv"
    path.write_text("period,price_eur_per_tco2e\n2026Q3,91\n", encoding="utf-8")
    report = tmp_path / "report.xlsx"
    assert main(["calc", str(src), "-o", str(report), "--price-path", str(path)]) == 0
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 0
    assert capsys.readouterr().out.startswith(f"{report}: the figures match")


def test_check_finds_a_changed_input(tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv", [steel(), steel(net_mass_t="250")])
    report = tmp_path / "report.xlsx"
    assert main(["calc", str(src), "-o", str(report)]) == 0
    write_csv(src, [steel(), steel(net_mass_t="260")])  # someone edits the input afterwards
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 1
    out = capsys.readouterr().out
    assert "do NOT match" in out and "cost_eur: report" in out and "has changed since the report" in out


def test_check_a_file_that_is_no_report(tmp_path, capsys):
    other = tmp_path / "x.xlsx"
    openpyxl.Workbook().save(other)
    assert main(["calc", "--check", str(other)]) == 2
    assert "no 'Run' sheet" in capsys.readouterr().err


def test_check_a_report_whose_input_moved(tmp_path, capsys):
    # the importer holds the report and the exporter's file under another name and folder
    src = shutil.copy(SAMPLES / "shipments_cn_steel.xlsx", tmp_path / "in.xlsx")
    report = tmp_path / "sent" / "report.xlsx"
    report.parent.mkdir()
    assert main(["calc", str(src), "-o", str(report)]) == 0
    moved = tmp_path / "received" / "shipments_from_exporter.xlsx"
    moved.parent.mkdir()
    shutil.move(src, moved)
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 2
    assert f"give it after the report, cbam calc --check {report} PATH" in capsys.readouterr().err
    assert main(["calc", "--check", str(report), str(moved)]) == 0
    assert capsys.readouterr().out.startswith(f"{report}: the figures match")


def test_run_sheet_columns_are_as_wide_as_their_figures_and_texts():
    """Hand-worked: 2,167,485.740 is 13 characters, 15 with the margin; a SHA-256 is 64, 66; a
    path longer than column B's cap is cut at it; the title and record_json rows run on."""
    from cbam_calc.outputs.run_sheet import RUN_MAX_WIDTHS, run_sheet_widths

    rows = [
        ["x" * 200],  # the title: not measured
        [],
        ["cost_eur", 2167485.74],
        ["input", "p" * 100, "Shipments", "a" * 64, "会员"],
        ["record_json", "{" + "r" * 5000],
    ]
    widths = run_sheet_widths(rows)
    assert widths[0] == len("cost_eur") + 2 == 10  # the keys (the record_json row is not measured)
    assert widths[1] == RUN_MAX_WIDTHS[1] == 42  # the path, cut at B's cap (15 for the figure)
    assert widths[2] == len("Shipments") + 2 == 11
    assert widths[3] == 66 and widths[4] == 8  # 会员: 4 columns wide, +2 = 6, under the minimum
    rows[3][1] = "short.csv"
    assert run_sheet_widths(rows)[1] == 15  # the figure, now the widest of column B
