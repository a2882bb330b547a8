"""The Run sheet in the report's language (issue 14, "Chinese, completely"): its keys and values in
Chinese in a Chinese report, the same in English as before, and ``cbam calc --check`` reading it in
either language (a Chinese report written before the sheet was translated has English keys)."""

from __future__ import annotations

import shutil

import openpyxl
from conftest import SAMPLES

from cbam_calc.cli import main
from cbam_calc.core.labels import label, record_figure
from cbam_calc.outputs.run_record import read_record
from cbam_calc.outputs.run_sheet import canonical_key, option_value, run_sheet_rows


def _report(tmp_path, lang: str, *more: str):
    src = shutil.copy(SAMPLES / "shipments_cn_steel.xlsx", tmp_path / "in.xlsx")
    report = tmp_path / f"report_{lang}.xlsx"
    assert main(["calc", str(src), "-o", str(report), "--lang", lang, "--fx", "CNY=7.9", *more]) == 0
    return report


def _keys(report) -> dict:
    ws = openpyxl.load_workbook(report)["Run"]
    return {r[0]: r for r in ws.iter_rows(values_only=True) if r and r[0]}


def test_a_chinese_run_sheet_names_its_rows_in_chinese_and_keeps_the_record_row(tmp_path, capsys):
    report = _report(tmp_path, "zh", "--year", "2027")
    rows = _keys(report)
    assert rows["cbam-calc 版本"][1] == read_record(report)["cbam_calc_version"]
    assert rows["输入文件"][1].endswith("in.xlsx")
    assert rows["选项：计算年份"][1:3] == ("2027", "--year")  # its value, and the option that sets it
    assert rows["选项：年度汇率"][1:3] == ("CNY=7.9", "--fx")
    assert rows["选项：忽略目的地"][1] == "否" and rows["选项：文本编码"][1] == "（未设定）"
    assert isinstance(rows[record_figure("cost_eur", "zh")][1], float)  # a figure, as a number
    assert "record_json" in rows  # what --check reads: the same key in every language
    files = [r for k, r in rows.items() if k == "参考文件"]
    assert files, rows.keys()
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 0, capsys.readouterr().out


def test_an_english_run_sheet_is_as_it_was(tmp_path):
    """Programs that read an English Run sheet by its keys read the same keys and values."""
    rows = _keys(_report(tmp_path, "en", "--year", "2027"))
    assert rows["option year"][1] == "2027" and rows["option art9"][1] == '"auto"'
    assert rows["option fx"][1] == '{"CNY": 7.9}'
    assert rows["option read"][1].startswith('{"encoding": null')
    keys = {"cbam-calc version", "input", "reference data SHA-256", "reference file", "lines SHA-256"}
    assert keys <= set(rows)
    assert {"cost_eur", "certificates", "record_json"} <= set(rows)
    title = next(iter(rows))
    assert title == (
        "cbam-calc run record: what produced this report (cbam calc; cbam calc --check reproduces it)"
    )


def _rewrite_run_keys(report, lang: str) -> None:
    """The Run sheet as a sheet in ``lang`` has it, from the report's record (a Chinese report of
    before the sheet was translated: an English Run sheet in a Chinese workbook)."""
    wb = openpyxl.load_workbook(report)
    record = read_record(report)
    del wb["Run"]
    ws = wb.create_sheet("Run")
    for row in run_sheet_rows(record, lang):
        ws.append(row)
    wb.save(report)


def test_check_reads_a_chinese_report_whose_run_sheet_has_english_keys(tmp_path, capsys):
    report = _report(tmp_path, "zh")
    _rewrite_run_keys(report, "en")
    assert "cost_eur" in _keys(report)
    capsys.readouterr()
    assert main(["calc", "--check", str(report), "--lang", "zh"]) == 0, capsys.readouterr().out


def test_check_names_a_changed_figure_of_a_run_sheet_in_either_language(tmp_path, capsys):
    for lang, keys in (("zh", "en"), ("zh", "zh"), ("en", "en")):
        (tmp_path / f"{lang}_{keys}").mkdir()
        report = _report(tmp_path / f"{lang}_{keys}", lang)
        _rewrite_run_keys(report, keys)
        wb = openpyxl.load_workbook(report)
        ws = wb["Run"]
        cost = next(r for r in range(1, ws.max_row + 1) if canonical_key(ws.cell(r, 1).value) == "cost_eur")
        ws.cell(cost, 2, value=ws.cell(cost, 2).value + 100)
        wb.save(report)
        capsys.readouterr()
        assert main(["calc", "--check", str(report), "--lang", lang]) == 1
        out = capsys.readouterr().out
        assert f"Run!B{cost}" in out, out
        assert record_figure("cost_eur", lang) in out, out  # named as the rendering names it


def test_canonical_keys_of_both_languages():
    for key in ("version", "input", "reference_file", "lines_sha"):
        assert canonical_key(label(f"run_{key}", "zh")) == label(f"run_{key}", "en")
    assert canonical_key(record_figure("certificates", "zh")) == "certificates"
    assert canonical_key("cost_eur") == "cost_eur" and canonical_key(None) is None


def test_option_values_in_words():
    assert option_value(None, "zh") == "（未设定）" and option_value(None, "en") == "null"
    assert option_value(True, "zh") == "是" and option_value(False, "zh") == "否"
    assert option_value({}, "zh") == "（无）" and option_value({"CN": 10.0}, "zh") == "CN=10.0"
    assert option_value({"import_date": "报关日期"}, "en") == '{"import_date": "报关日期"}'
    assert option_value("on", "zh") == "on"  # the value a user types
