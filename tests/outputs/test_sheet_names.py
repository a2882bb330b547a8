"""Issue 14, "Sheet names may be translated; --check reads reports in either language": the calc,
batch and importer workbooks name their sheets in the report's language (cbam_calc.core.sheets),
and ``cbam calc --check`` finds each sheet by its key in either language, a report written before
the names were translated (English names under --lang zh) included."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from conftest import CALC_SHEETS, SAMPLES

from cbam_calc.cli import main
from cbam_calc.core.sheets import sheet_key, sheet_name

STEEL = SAMPLES / "shipments_cn_steel.xlsx"


def _check(report, capsys) -> str:
    capsys.readouterr()
    code = main(["calc", "--check", str(report)])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_report_of_the_steel_sample_checks_clean_in_either_language(lang, tmp_path, capsys):
    report = tmp_path / f"steel_{lang}.xlsx"
    assert main(["report", str(STEEL), "-o", str(report), "--lang", lang]) == 0
    names = openpyxl.load_workbook(report, read_only=True).sheetnames
    keys = [sheet_key(n)[0] for n in names]
    assert names == [sheet_name(k, lang) for k in keys]  # every sheet named in the report's language
    assert [sheet_name(k, "en") for k in keys] == CALC_SHEETS
    if lang == "zh":
        assert names[:2] == ["摘要", "明细行"] and "被拒绝的行" in names and names[-1] == "Run"
    assert "the figures match" in _check(report, capsys)
    capsys.readouterr()
    assert main(["calc", "--check", str(report), "--lang", "zh"]) == 0  # its answer in Chinese
    assert capsys.readouterr().out.startswith(f"{report}：数据与重新计算的结果一致")


def test_a_chinese_report_with_english_sheet_names_still_checks(tmp_path, capsys):
    """A report written with --lang zh before the sheet names were translated: its sheets are found
    by their English names, compared with a rendering whose sheets are named in Chinese."""
    report = tmp_path / "old.xlsx"
    assert main(["report", str(STEEL), "-o", str(report), "--lang", "zh"]) == 0
    wb = openpyxl.load_workbook(report)
    for ws in wb.worksheets:
        ws.title = sheet_name(sheet_key(ws.title)[0], "en")
    wb.save(report)
    assert openpyxl.load_workbook(report, read_only=True).sheetnames == CALC_SHEETS
    _check(report, capsys)
    wb = openpyxl.load_workbook(report)  # and a figure changed in it is still found, by that name
    wb["By sector"]["H2"] = 1e9
    wb.save(report)
    assert main(["calc", "--check", str(report)]) == 1
    assert "'By sector'!H2" in capsys.readouterr().out


def test_the_importer_workbook_checks_in_chinese(tmp_path, capsys):
    report = tmp_path / "importer.xlsx"
    assert main(["report", str(STEEL), "--for-importer", "-o", str(report), "--lang", "zh"]) == 0
    assert openpyxl.load_workbook(report, read_only=True).sheetnames == ["封面", "产品", "说明", "Run"]
    _check(report, capsys)


@pytest.mark.slow
def test_a_chinese_batch_workbook_checks(tmp_path, capsys):
    folder = tmp_path / "association"
    shutil.copytree(SAMPLES / "association", folder)
    report = tmp_path / "batch.xlsx"
    assert main(["batch", str(folder), "-o", str(report), "--lang", "zh"]) in (0, 1)
    names = openpyxl.load_workbook(report, read_only=True).sheetnames
    assert names[:3] == ["摘要", "会员", "产品"] and {"微量豁免", "文件", "参数", "Run"} <= set(names)
    _check(report, capsys)


def test_continuation_sheets_are_named_in_chinese_and_read_back(tmp_path, monkeypatch, capsys):
    """A table longer than a sheet continues on 明细行（2）... in a Chinese report; the Summary's
    warning names those sheets, and --check reads every one of them."""
    from conftest import steel, write_csv

    from cbam_calc.outputs import xlsx
    from cbam_calc.outputs.check import report_line_figures

    shipments = write_csv(tmp_path / "s.csv", [steel(net_mass_t=str(10 + i)) for i in range(11)])
    monkeypatch.setattr(xlsx, "SHEET_MAX_ROWS", 5)  # a header and 4 lines per sheet
    report = tmp_path / "split.xlsx"
    assert main(["calc", str(shipments), "-o", str(report), "--lang", "zh"]) == 0
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames[1:4] == ["明细行", "明细行（2）", "明细行（3）"]
    summary = [r[0] for r in wb["摘要"].iter_rows(values_only=True) if r and isinstance(r[0], str)]
    assert any(t.startswith("明细行：") and "明细行（2）, 明细行（3）" in t for t in summary), summary
    assert len(report_line_figures(report)) == 11
    _check(report, capsys)


def test_the_rejected_sheets_headers_are_chinese_and_an_older_reports_keys_still_check(tmp_path, capsys):
    """The Rejected sheet of a Chinese report: file, sheet and code under Chinese headers too
    (English keeps the keys programs read); --check takes a report written before, with those
    three headers as their keys, and still finds a header changed to anything else."""
    report = tmp_path / "errors.xlsx"
    assert (
        main(["report", str(SAMPLES / "shipments_with_errors.csv"), "-o", str(report), "--lang", "zh"]) == 0
    )
    wb = openpyxl.load_workbook(report)
    head = [c.value for c in wb["被拒绝的行"][1]]
    assert head == ["输入文件", "工作表", "行", "列", "值", "原因", "原因代码"]
    assert wb["被拒绝的行"]["G2"].value.startswith("R_")  # the codes themselves stay
    _check(report, capsys)
    for cell, key in (("A1", "file"), ("B1", "sheet"), ("G1", "code")):
        wb["被拒绝的行"][cell] = key
    wb.save(report)
    _check(report, capsys)
    wb["被拒绝的行"]["G1"] = "reason code"
    wb.save(report)
    assert main(["calc", "--check", str(report)]) == 1
    assert "被拒绝的行!G1" in capsys.readouterr().out
