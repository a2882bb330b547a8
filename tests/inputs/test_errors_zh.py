"""The errors that were still plain English under ``--lang zh`` (issue 14, "Chinese, completely"):
a scenario file that cannot be read (missing, billion laughs, nested too deep, not UTF-8), its
checks (unknown key, not a number, not one of the choices, out of range, years outside), a batch
folder without files, a template folder that is missing or holds a template that fails, a
``--column`` FIELD that is no field, and a damaged run record under ``cbam calc --check``. Each is a
message code: through the real command line, in Chinese, it names the file and has no English word
outside the allow-list of tests/outputs/test_zh_complete.py (the user's own words and the file's
keys aside); the same run without --lang says what it said before."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import steel, write_csv
from template_edit import CEMENT, edit, text

from cbam_calc.cli import main

# the keys of a run record a damaged one names (identifiers of the record, as programs read it)
# the values of the scenario keys that take one of a few (ccer_use), as a user types them
CHOICES = {"compliance", "voluntary"}
# the file suffixes a batch looks for
SUFFIXES = {"xls", "xlsm"}
RECORD_KEYS = {"inputs", "templates", "reference_files", "record_json", "command", "options", "year"}


def _zh_complete():
    """tests/outputs/test_zh_complete.py, its scanner of English words (loaded by path: test
    folders are not packages)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "outputs" / "test_zh_complete.py"
    spec = importlib.util.spec_from_file_location("zh_complete_scanner", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def english_words():
    return _zh_complete().english_words


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err.strip()


def words_of(*texts: str) -> set[str]:
    """The user's own words (a file's keys and values, names given on the command line)."""
    return {w for t in texts for w in re.findall(r"[\w'*]+", t)} | {t for t in texts if t}


def zh_and_en(argv: list[str], capsys, named: Path, english_words, inputs: set[str] = frozenset()):
    """The error line in Chinese, checked (exit code, file named, no English word), and in English."""
    code, _, zh = run([*argv, "--lang", "zh"], capsys)
    assert code != 0, zh
    assert zh.startswith("错误：") and zh.count("\n") == 0, zh
    assert str(named) in zh, zh
    allowed = {str(named), str(named.resolve()), named.name, *inputs}
    assert not english_words(zh, allowed), (english_words(zh, allowed), zh)
    code_en, _, en = run(argv, capsys)
    assert code_en == code and en.startswith("error: ") and str(named) in en, en
    return zh, en


@pytest.fixture
def shipments(tmp_path) -> Path:
    return write_csv(tmp_path / "shipments.csv", [steel()])


# ---------------------------------------------------------------------------- the scenario file
def scenario_error(tmp_path, shipments, capsys, english_words, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
        words = words_of(content.decode("gb18030", errors="replace"))
    else:
        path.write_text(content, encoding="utf-8")
        words = words_of(content)
    words |= CHOICES  # the values a key takes, as the user types them
    return zh_and_en(["scenario", str(shipments), "--config", str(path)], capsys, path, english_words, words)


def test_a_missing_scenario_file_in_chinese(tmp_path, shipments, capsys, english_words):
    path = tmp_path / "none.yaml"
    zh, en = zh_and_en(["scenario", str(shipments), "--config", str(path)], capsys, path, english_words)
    assert zh == f"错误：{path}：情景文件不存在"
    assert en == f"error: {path}: no such scenario file"


def test_a_billion_laughs_scenario_file_in_chinese(tmp_path, shipments, capsys, english_words):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 7):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    zh, en = scenario_error(
        tmp_path, shipments, capsys, english_words, "laughs.yaml", "\n".join([*lines, "scenarios: {s: {}}\n"])
    )
    assert "展开其别名" in zh and "100,000" in zh
    assert "stands for more than 100,000 values once its aliases (*name) are expanded" in en


def test_a_scenario_file_nested_too_deep_in_chinese(tmp_path, shipments, capsys, english_words):
    zh, en = scenario_error(
        tmp_path, shipments, capsys, english_words, "deep.yaml", "scenarios: " + "[" * 100 + "]" * 100 + "\n"
    )
    assert "嵌套超过 64 层（第 1 行）" in zh
    assert "is nested more than 64 levels deep (line 1): check its brackets and indentation" in en


def test_a_scenario_file_with_an_alias_inside_its_anchor_in_chinese(
    tmp_path, shipments, capsys, english_words
):
    zh, en = scenario_error(
        tmp_path, shipments, capsys, english_words, "self.yaml", "a: &a [*a]\nscenarios: {}\n"
    )
    assert "指向自身的别名" in zh
    assert "has an alias inside its own anchor (it contains itself)" in en


def test_a_scenario_file_not_utf8_in_chinese(tmp_path, shipments, capsys, english_words):
    zh, en = scenario_error(
        tmp_path, shipments, capsys, english_words, "latin.yaml", b"scenarios:\n  s: {}\n# caf\xe9 \xff\n"
    )
    assert "不是 UTF-8 编码：请另存为 UTF-8 后重新运行" in zh
    assert "is not UTF-8: save it as UTF-8 and run again" in en
    # bytes that read as GB18030 but not as Chinese: the line quoted as it would read
    zh, en = scenario_error(
        tmp_path,
        shipments,
        capsys,
        english_words,
        "latin2.yaml",
        b"scenarios:\n  s: {}\n# r\xe9sum\xe9s des sc\xe9narios\n",
    )
    assert "也不是中文 GB18030：第 3 行会读作" in zh
    assert "(nor is it Chinese GB18030: line 3 would read" in en


def test_a_scenario_file_not_valid_yaml_keeps_the_parsers_words_as_a_detail(tmp_path, shipments, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("scenarios: [1, 2\n", encoding="utf-8")
    code, _, zh = run(["scenario", str(shipments), "--config", str(path), "--lang", "zh"], capsys)
    # the YAML parser's own detail is quoted as it gives it: a technical detail, with line and column
    assert code == 2 and zh.startswith(f"错误：{path}：此情景文件不是有效的 YAML（解析器原文："), zh
    code, _, en = run(["scenario", str(shipments), "--config", str(path)], capsys)
    assert code == 2 and f"{path}: this scenario file is not valid YAML (" in en


def test_the_checks_of_a_scenario_are_codes_by_pydantics_type(tmp_path, shipments, capsys, english_words):
    zh, en = scenario_error(
        tmp_path,
        shipments,
        capsys,
        english_words,
        "types.yaml",
        "scenarios:\n  high:\n    cea_price_cny: lots\n    ccer_use: sometimes\n"
        "    allocation_gap: 2\n    colour: red\n",
    )
    assert zh.endswith(
        "：情景 'high'：cea_price_cny：不是数字；ccer_use：应为 'compliance' 或 'voluntary'；"
        "allocation_gap：必须最多为 1.0；colour：未知的键"
    ), zh
    assert en.endswith(
        ": scenario 'high': cea_price_cny: not a number; ccer_use: expected 'compliance' or "
        "'voluntary'; allocation_gap: must be at most 1.0; colour: unknown key"
    ), en


def test_years_outside_and_two_names_alike_in_chinese(tmp_path, shipments, capsys, english_words):
    zh, en = scenario_error(
        tmp_path, shipments, capsys, english_words, "years.yaml", "years: 2099\nscenarios:\n  high: {}\n"
    )
    assert "years：2099 不在 2026-" in zh and "2099 is outside 2026-" in en
    zh, en = scenario_error(
        tmp_path,
        shipments,
        capsys,
        english_words,
        "base.yaml",
        "baseline: nosuch\nscenarios:\n  high: {cea_price_cny: 100}\n",
    )
    assert "基准情景 'nosuch' 不是情景名称（high）" in zh
    assert "baseline 'nosuch' is not a scenario name (high)" in en


def test_years_option_outside_in_chinese(shipments, capsys, english_words):
    code, _, zh = run(["scenario", str(shipments), "--years", "2026-2099", "--lang", "zh"], capsys)
    assert code == 2 and zh.startswith("错误：--years：2099 不在 2026-"), zh
    assert not english_words(zh, set()), zh
    code, _, en = run(["scenario", str(shipments), "--years", "2026-2099"], capsys)
    assert code == 2 and "2099 is outside 2026-" in en


# ---------------------------------------------------------------------------- folders and --column
def test_an_empty_batch_folder_and_a_missing_one_in_chinese(tmp_path, capsys, english_words):
    folder = tmp_path / "members"
    folder.mkdir()
    zh, en = zh_and_en(["batch", str(folder)], capsys, folder, english_words, SUFFIXES)
    assert zh == (
        f"错误：{folder} 中没有 csv 或 Excel 文件（查找的扩展名：.csv, .xlsx, .xlsm, .xls；"
        "已跳过隐藏文件和 ~$ 文件）"
    )
    assert en == (
        f"error: no csv or Excel files in {folder} (looked for .csv, .xlsx, .xlsm, .xls, hidden and ~$ "
        "files skipped)"
    )
    gone = tmp_path / "gone"
    zh, en = zh_and_en(["batch", str(gone)], capsys, gone, english_words)
    assert zh == f"错误：{gone}：文件或文件夹不存在" and en == f"error: {gone}: no such file or folder"


def test_a_missing_template_folder_in_chinese(tmp_path, capsys, english_words):
    gone = tmp_path / "templates"
    zh, en = zh_and_en(["emissions", str(gone)], capsys, gone, english_words)
    assert zh == f"错误：{gone}：文件或文件夹不存在" and en == f"error: {gone}: no such file or folder"


def test_a_template_that_fails_is_listed_with_its_reason_in_the_reports_language(tmp_path, capsys):
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(CEMENT, folder / "a_cement.xlsx")
    bad = folder / "z_bad.xlsx"
    edit(CEMENT, bad, "Summary_Products", {"F10": text("73239300")})
    code, out, err = run(["emissions", str(folder), "--lang", "zh"], capsys)
    reason = "列 'F'：CN 7323 93 00 不是 CBAM 货物（不在法规 (EU) 2023/956 附件一中）"
    assert (
        code == 2 and reason in out and err == f"错误：{bad}, 工作表 'Summary_Products', 第 10 行, {reason}"
    )
    code, out, err = run(["emissions", str(folder)], capsys)
    english = "column 'F': CN 7323 93 00 is not a CBAM good (not in Annex I of Regulation (EU) 2023/956)"
    assert (
        code == 2 and english in out and err == f"error: {bad}, sheet 'Summary_Products', row 10, {english}"
    )
    code, out, _ = run(["emissions", str(folder), "--format", "json"], capsys)
    (failed,) = json.loads(out)["failed"]
    assert failed["code"] == "M_WHERE_ERROR" and english in failed["error"]


def test_a_column_field_that_is_none_in_chinese(shipments, capsys, english_words):
    argv = ["calc", str(shipments), "--column", "import_day=报关日期"]
    code, _, zh = run([*argv, "--lang", "zh"], capsys)
    assert code == 2 and zh.startswith(
        "错误：--column：import_day=报关日期：没有字段 'import_day'；可用的字段为 cn_code"
    )
    assert not english_words(zh, {"import_day"}), zh
    code, _, en = run(argv, capsys)
    assert code == 2 and "import_day=报关日期: no field 'import_day'; the fields are cn_code, country" in en


# ---------------------------------------------------------------------------- a damaged run record
@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("record")
    shipments = write_csv(folder / "shipments.csv", [steel()])
    report = folder / "report.xlsx"
    assert main(["calc", str(shipments), "-o", str(report)]) == 0
    return report


def damaged(report: Path, target: Path, change) -> Path:
    """``report`` with its record_json (as its Run sheet holds it, over several cells where long)
    replaced by ``change(text)``, saved as ``target``."""
    wb = openpyxl.load_workbook(report)
    for row in wb["Run"].iter_rows():
        if row[0].value == "record_json":
            record = "".join(c.value for c in row[1:] if isinstance(c.value, str))
            for c in row[1:]:
                c.value = None
            row[1].value = change(record)
    wb.save(target)
    return target


def edited(f):
    return lambda text: json.dumps(f(json.loads(text)))


DAMAGES = {
    "list.xlsx": (
        lambda text: "[1, 2]",
        "record_json 中是列表，而不是一条记录",
        "record_json holds a list, not a record",
    ),
    "types.xlsx": (
        edited(lambda r: {**r, "inputs": "x.csv"}),
        "inputs 是文本，而不是列表",
        "inputs is str, not list",
    ),
    "command.xlsx": (
        edited(lambda r: {**r, "command": "bake"}),
        "未知的命令 'bake'",
        "unknown command 'bake'",
    ),
    "entry.xlsx": (
        edited(lambda r: {**r, "inputs": [{"file": "x.csv"}]}),
        "输入 1 没有 sha256 文本",
        "input 1 has no sha256 text",
    ),
    "options.xlsx": (
        edited(lambda r: {**r, "options": {**r["options"], "year": "soon"}}),
        "其选项无法读取（year：不是整数）",
        "its options cannot be read (year: not a whole number)",
    ),
    "templates.xlsx": (
        edited(lambda r: {**r, "templates": {"a": 1}}),
        "templates 不是列表",
        "templates is not a list",
    ),
    "reference.xlsx": (
        edited(lambda r: {**r, "reference_files": []}),
        "reference_files 不是表",
        "reference_files is not a table",
    ),
}


@pytest.mark.parametrize("name", list(DAMAGES))
def test_a_damaged_run_record_says_what_is_damaged_in_chinese(name, report, tmp_path, capsys, english_words):
    change, zh_what, en_what = DAMAGES[name]
    path = damaged(report, tmp_path / name, change)
    zh, en = zh_and_en(["calc", "--check", str(path)], capsys, path, english_words, RECORD_KEYS | {"'bake'"})
    assert zh == (
        f"错误：{path}, 工作表 'Run'：运行记录已损坏（{zh_what}）：请用 cbam calc -o（或 cbam "
        "batch -o、cbam scenario -o）根据原输入重新生成报告"
    )
    assert en == (
        f"error: {path}, sheet 'Run': the run record is damaged ({en_what}): write the report again "
        "with cbam calc -o (or cbam batch/scenario -o) from its inputs"
    )


def test_a_record_cut_short_keeps_the_json_parsers_words_as_a_detail(report, tmp_path, capsys):
    path = damaged(report, tmp_path / "cut.xlsx", lambda text: text[:40])
    code, _, zh = run(["calc", "--check", str(path), "--lang", "zh"], capsys)
    assert code == 2 and "运行记录已损坏（record_json 不是有效的 JSON：第 " in zh and "个字符处出错" in zh
    code, _, en = run(["calc", "--check", str(path)], capsys)
    assert code == 2 and "(record_json is not valid JSON: unterminated string starting at, character" in en


def test_batch_strict_says_why_it_fails_in_chinese(tmp_path, capsys):
    folder = tmp_path / "members"
    folder.mkdir()
    write_csv(folder / "alpha.csv", [steel(), steel(net_mass_t="-3")])
    (folder / "beta.csv").write_bytes(b"")
    code, _, err = run(["batch", str(folder), "--strict", "--lang", "zh"], capsys)
    assert code == 1 and err.splitlines()[-1] == "错误：--strict：1 行被拒绝，1 个文件失败", err
    code, _, err = run(["batch", str(folder), "--strict"], capsys)
    assert code == 1 and err.splitlines()[-1] == "error: --strict: 1 rejected row(s) and 1 failed file(s)", (
        err
    )
