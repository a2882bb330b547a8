"""A Chinese exporter's bad files under ``--lang zh`` (issue 14, "Chinese, completely"): each fatal
error of the readers, options and outputs is one line in Chinese naming the file, and the sheet,
row and column where they are known, with the exit code of its kind; the same run without --lang
says it in English as before."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from conftest import SAMPLES, steel, write_csv

from cbam_calc.cli import main
from cbam_calc.compute.prepared import DATE_PREPARED_ENV

EXIT_ERROR, EXIT_NOTHING = 2, 1


def err_of(argv: list[str], capsys, code: int = EXIT_ERROR) -> str:
    capsys.readouterr()
    assert main(argv) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line
    return err.strip()


def test_two_mass_columns_name_file_and_column_in_chinese(tmp_path, capsys):
    path = write_csv(tmp_path / "发货.csv", [steel(net_mass_kg="100000")])
    err = err_of(["calc", str(path), "--lang", "zh"], capsys)
    assert err == (
        f"错误：{path}, 列 'net_mass_kg'："
        "同时给出了 'net_mass_t'（吨）和 'net_mass_kg'（千克）：请只保留一个重量列"
    )
    err = err_of(["calc", str(path)], capsys)
    assert err == (
        f"error: {path}, column 'net_mass_kg': both 'net_mass_t' (tonnes) and 'net_mass_kg' (kilograms) "
        "are given: keep one mass column"
    )


def test_a_header_without_rows_and_an_empty_file_in_chinese(tmp_path, capsys):
    header = tmp_path / "header.csv"
    header.write_text("cn_code,country,net_mass_t,import_date\n", encoding="utf-8")
    err = err_of(["calc", str(header), "--lang", "zh"], capsys)
    assert err == f"错误：{header}：表头（第 1 行）下方没有数据行"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    err = err_of(["calc", str(empty), "--lang", "zh"], capsys)
    assert err == f"错误：{empty}：文件为空（0 字节）：请将发货数据工作表导出为 CSV 或 xlsx"
    missing = tmp_path / "none.csv"
    assert err_of(["calc", str(missing), "--lang", "zh"], capsys) == f"错误：{missing}：文件不存在"


def test_a_workbook_renamed_csv_and_a_csv_renamed_xlsx_say_what_they_are_in_chinese(tmp_path, capsys):
    book = tmp_path / "shipments.csv"
    shutil.copy(SAMPLES / "shipments_cn_steel.xlsx", book)
    err = err_of(["calc", str(book), "--lang", "zh"], capsys)
    assert err == f"错误：{book}：这是以 .csv 扩展名保存的Excel 工作簿（xlsx）：请将其改名为 .xlsx"
    text = write_csv(tmp_path / "s.xlsx", [steel()])
    err = err_of(["calc", str(text), "--lang", "zh"], capsys)
    assert err == f"错误：{text}：这是以 .xlsx 扩展名保存的 CSV 文本：请将其改名为 .csv"


def test_a_sheet_with_two_columns_of_one_name_names_sheet_and_column_in_chinese(tmp_path, capsys):
    path = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "发货"
    ws.append(["商品编码", "原产国", "净重(吨)", "进口日期", "商品编码"])
    ws.append(["72085120", "CN", 100, "2026-02-10", "72085120"])
    wb.save(path)
    err = err_of(["calc", str(path), "--lang", "zh"], capsys)
    assert err == (
        f"错误：{path}, 工作表 '发货', 列 '商品编码'："
        "有两列都名为 '商品编码'（第 A 列和第 E 列）：请只保留一列"
    )


def test_every_row_rejected_names_the_first_row_and_its_reason_in_chinese(tmp_path, capsys):
    path = write_csv(tmp_path / "s.csv", [steel(net_mass_t="-3")])
    err = err_of(["calc", str(path), "--lang", "zh"], capsys, EXIT_NOTHING)
    assert err == (
        f"错误：{path}：无法计算任何一行，全部 1 行均被拒绝；"
        "第一个：第 2 行，列 'net_mass_t' '-3'：净重必须大于 0"
    )
    err = err_of(["calc", str(path)], capsys, EXIT_NOTHING)
    assert err == (
        f"error: {path}: nothing could be computed, all 1 row(s) rejected; first: row 2, column "
        "'net_mass_t' '-3': net mass must be greater than 0"
    )


def test_a_bad_price_path_names_row_and_column_in_chinese(tmp_path, capsys):
    path = write_csv(tmp_path / "s.csv", [steel()])
    prices = tmp_path / "eua.csv"
    prices.write_text("period,price_eur_per_tco2e\n2026Q1,70\n2026Q5,71\n", encoding="utf-8")
    err = err_of(["calc", str(path), "--price-path", str(prices), "--lang", "zh"], capsys)
    assert err == (
        f"错误：{prices}，第 3 行，列 'period'：'2026Q5' 不是年份（2027）、季度（2026Q3）或周（2027-W05）"
    )


def test_an_existing_output_and_an_unknown_encoding_in_chinese(tmp_path, capsys):
    path = write_csv(tmp_path / "s.csv", [steel()])
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"")
    err = err_of(["calc", str(path), "-o", str(out), "--lang", "zh"], capsys)
    assert err == f"错误：{out} 已存在：如要替换，请使用 --force"
    err = err_of(["calc", str(path), "--encoding", "klingon", "--lang", "zh"], capsys)
    assert err.startswith("错误：--encoding 'klingon'：不是 Python 认识的文本编码；例如 cp1252（西欧）")


def test_an_invalid_date_prepared_is_an_option_error_naming_variable_value_and_form(
    tmp_path, capsys, monkeypatch
):
    path = write_csv(tmp_path / "s.csv", [steel()])
    monkeypatch.setenv(DATE_PREPARED_ENV, "2026-13-45")
    err = err_of(["calc", str(path), "--lang", "zh"], capsys)
    assert err == (
        "错误：环境变量 CBAM_DATE_PREPARED='2026-13-45' 不是日期：应为 YYYY-MM-DD 格式，例如 2026-03-14"
        "（或删除该变量，使用当天日期）"
    )
    err = err_of(["calc", str(path)], capsys)
    assert err == (
        "error: environment variable CBAM_DATE_PREPARED='2026-13-45' is not a date: expected YYYY-MM-DD, "
        "e.g. 2026-03-14 (or unset it for today's date)"
    )
    monkeypatch.setenv(DATE_PREPARED_ENV, "2026-12-02")
    capsys.readouterr()
    assert main(["calc", str(path)]) == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_explain_line_that_is_not_there(tmp_path, capsys, lang):
    path = write_csv(tmp_path / "s.csv", [steel(), steel()])
    err = err_of(["explain", str(path), "--line", "9", "--lang", lang], capsys)
    expected = {
        "zh": "错误：--line 9：输入中没有这一数据行（数据行从第 2 行到第 3 行；表头不是数据行）",
        "en": (
            "error: --line 9: no such data row in the input (data rows run from 2 to 3; the header "
            "is not a data row)"
        ),
    }
    assert err == expected[lang]


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (
            ["--fx", "CNY"],
            "错误：--fx：'CNY'：应为 代码=数值 的形式，例如 CN=12.5",
            "Error: Invalid value for --fx: 'CNY': expected CODE=NUMBER, e.g. CN=12.5",
        ),
        (
            ["--column", "import_date"],
            "错误：--column：'import_date'：应为 字段=表头 的形式，例如 import_date=报关日期",
            "Error: Invalid value for --column: 'import_date': expected FIELD=HEADER, e.g. "
            "import_date=报关日期",
        ),
    ],
)
def test_a_usage_error_of_an_option_is_shown_in_chinese_naming_the_option(tmp_path, capsys, argv, zh, en):
    """click says it in English (with its usage line); under --lang zh cbam says it in one line."""
    path = write_csv(tmp_path / "s.csv", [steel()])
    assert err_of(["calc", str(path), *argv, "--lang", "zh"], capsys) == zh
    capsys.readouterr()
    assert main(["calc", str(path), *argv]) == EXIT_ERROR
    assert capsys.readouterr().err.strip().endswith(en)
