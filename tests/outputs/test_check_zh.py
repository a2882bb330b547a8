"""Issue 14, "Chinese, completely": ``cbam calc --check`` answers in the run's language, its
first line and every difference and note it lists (message codes M_CHECK_*, rendered with
--lang); and it tells figures from texts: where only texts differ (a workbook written by an earlier
cbam-calc whose wording has changed since), its first line says every figure matches and how many
text cells do not, and it still exits 1 (a text can carry a meaning: a price status).

The reports are the steel sample's, written in Chinese, then tampered by hand as a reader would:
the Summary's CBAM cost raised by EUR 100, a line's price status changed from published (已公布)
to projection (预测).
"""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
from conftest import SAMPLES

from cbam_calc.cli import main
from cbam_calc.core.labels import label, line_headers

STEEL = SAMPLES / "shipments_cn_steel.xlsx"
SUMMARY, LINES = "摘要", "明细行"  # the Chinese report's sheet names


@pytest.fixture(scope="module")
def chinese_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("check_zh")
    shutil.copy(STEEL, folder / STEEL.name)
    report = folder / "r.xlsx"
    assert main(["calc", str(folder / STEEL.name), "-o", str(report), "--lang", "zh"]) == 0
    return report


def _cost_cell(ws) -> openpyxl.cell.Cell:
    (row,) = [r for r in ws.iter_rows() if r[0].value == label("cost_eur", "zh")]
    return row[1]


def _status_column(ws) -> int:
    (status,) = line_headers(["price_status"], "zh")
    return [c.value for c in ws[1]].index(status) + 1


def tampered(report, tmp_path, *, cost: float = 0.0, statuses: int = 0):
    """A copy of ``report`` with its Summary cost raised by ``cost`` and the price status of the
    first ``statuses`` lines swapped (published to projection, projection to published); returns
    it with the cells changed (the statuses: cell, the report's status now, the inputs')."""
    wb = openpyxl.load_workbook(report)
    cell = _cost_cell(wb[SUMMARY])
    changed = {"cost": (cell.coordinate, cell.value, cell.number_format)}
    if cost:
        cell.value += cost
    ws, col = wb[LINES], _status_column(wb[LINES])
    changed["statuses"] = []
    for r in range(2, 2 + statuses):
        c = ws.cell(row=r, column=col)
        swapped = {"已公布": "预测", "预测": "已公布"}[c.value]
        changed["statuses"].append((c.coordinate, swapped, c.value))
        c.value = swapped
    out = tmp_path / "r2.xlsx"
    wb.save(out)
    return out, changed


def check(report, capsys, *more: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["calc", "--check", str(report), *more])
    return code, capsys.readouterr().out.splitlines()


def test_a_figure_and_a_status_that_differ_are_listed_in_chinese(chinese_report, tmp_path, capsys):
    report, changed = tampered(chinese_report, tmp_path, cost=100.0, statuses=1)
    assert changed["statuses"] == [(changed["statuses"][0][0], "预测", "已公布")]  # line 2: Q1 2026
    where, cost, fmt = changed["cost"]
    assert fmt == "#,##0.00"  # EUR to the cent: 2,167,485.74 + 100 = 2,167,585.74
    assert f"{cost:,.2f}" == "2,167,485.74"
    code, lines = check(report, capsys, "--lang", "zh")
    assert code == 1
    assert lines == [
        f"{report}：数据与重新计算的结果不一致",
        f"  - {SUMMARY}!{where}：报告为 2,167,585.74，输入得出 2,167,485.74",
        f"  - {LINES}!{changed['statuses'][0][0]}：报告为 '预测'，输入得出 '已公布'",
    ]


def test_the_same_report_checked_in_english_answers_in_english(chinese_report, tmp_path, capsys):
    report, changed = tampered(chinese_report, tmp_path, cost=100.0, statuses=1)
    code, lines = check(report, capsys)
    assert code == 1
    assert lines == [
        f"{report}: the figures do NOT match",
        f"  - {SUMMARY}!{changed['cost'][0]}: report 2,167,585.74, inputs give 2,167,485.74",
        f"  - {LINES}!{changed['statuses'][0][0]}: report '预测', inputs give '已公布'",
    ]


def test_only_a_text_that_differs_says_every_figure_matches_and_exits_1(chinese_report, tmp_path, capsys):
    """Projection where the inputs give published: a status, not a wording; exit 1."""
    report, changed = tampered(chinese_report, tmp_path, statuses=1)
    code, lines = check(report, capsys, "--lang", "zh")
    assert code == 1
    assert lines[0] == f"{report}：所有数字一致，但有 1 个文字单元格与重新计算的结果不一致"
    assert lines[1] == f"  - {LINES}!{changed['statuses'][0][0]}：报告为 '预测'，输入得出 '已公布'"
    assert lines[2].startswith("  注：只有文字不同，所有数字一致：")
    code, lines = check(report, capsys)
    assert code == 1
    assert lines[0] == f"{report}: every figure matches, but 1 text cell(s) do NOT match"
    assert lines[2].startswith("  note: only texts differ, every figure matches: ")


def test_a_figure_is_named_before_many_texts_and_the_texts_are_counted(chinese_report, tmp_path, capsys):
    """15 statuses and one figure: the figure is listed first (never crowded out by texts), ten
    texts are shown, and the count names all 15."""
    report, changed = tampered(chinese_report, tmp_path, cost=100.0, statuses=15)
    code, lines = check(report, capsys, "--lang", "zh")
    assert code == 1
    assert lines[0] == f"{report}：数据与重新计算的结果不一致"
    assert lines[1] == f"  - {SUMMARY}!{changed['cost'][0]}：报告为 2,167,585.74，输入得出 2,167,485.74"
    statuses = changed["statuses"][:10]
    shown = [f"  - {LINES}!{c}：报告为 '{now}'，输入得出 '{then}'" for c, now, then in statuses]
    assert lines[2:12] == shown
    assert lines[12] == f"  - 共有 15 处文字不同（{LINES} 15 处）"
    assert len(lines) == 13


def test_format_json_gives_codes_and_parameters(chinese_report, tmp_path, capsys):
    report, changed = tampered(chinese_report, tmp_path, statuses=2)
    capsys.readouterr()
    assert main(["calc", "--check", str(report), "--format", "json", "--lang", "zh"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert answer["matches"] is False and answer["figures_match"] is True and answer["texts_differ"] == 2
    first = answer["differences"][0]
    assert first["code"] == "M_CHECK_AT"
    assert first["params"] == {
        "cell": f"{LINES}!{changed['statuses'][0][0]}",
        "why": {"code": "M_CHECK_CELL", "params": {"got": "'预测'", "want": "'已公布'"}},
    }
    assert first["text"] == f"{LINES}!{changed['statuses'][0][0]}: report '预测', inputs give '已公布'"
    assert [n["code"] for n in answer["notes"]] == ["M_CHECK_TEXTS_NOTE"]


def test_an_untouched_chinese_report_still_matches(chinese_report, capsys):
    code, lines = check(chinese_report, capsys, "--lang", "zh")
    assert (code, lines) == (0, [f"{chinese_report}：数据与重新计算的结果一致"])


def test_a_chinese_scenario_workbook_whose_wording_changed_says_every_figure_matches(tmp_path, capsys):
    """A scenario workbook as an earlier cbam-calc whose Chinese was worded otherwise wrote it:
    every text of it with 的 says 之 instead (a wording, no figure). The check says every figure
    matches, counts the text cells that differ by sheet, lists ten, and exits 1."""
    from cbam_calc.outputs.report_check import MAX_TEXTS_SHOWN, is_metadata_row

    shutil.copy(STEEL, tmp_path / STEEL.name)
    written = tmp_path / "scenarios.xlsx"
    argv = ["scenario", str(tmp_path / STEEL.name), "--years", "2026", "--lang", "zh", "-o", str(written)]
    assert main(argv) == 0
    wb = openpyxl.load_workbook(written)
    reworded: dict[str, int] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            if ws.title == "Run" or is_metadata_row(row[0].value):  # the record; where, when
                continue
            for cell in row:
                if isinstance(cell.value, str) and "的" in cell.value:
                    cell.value = cell.value.replace("的", "之")
                    reworded[ws.title] = reworded.get(ws.title, 0) + 1
    older = tmp_path / "older_wording.xlsx"
    wb.save(older)
    n = sum(reworded.values())
    assert n > 30  # tens of texts, as a catalogue change gives
    code, lines = check(older, capsys, "--lang", "zh")
    assert code == 1
    assert lines[0] == f"{older}：所有数字一致，但有 {n} 个文字单元格与重新计算的结果不一致"
    listed = [ln for ln in lines[1:] if ln.startswith("  - ") and "：报告为 '" in ln]
    assert len(listed) == MAX_TEXTS_SHOWN and all("之" in ln and "的" in ln for ln in listed)
    by_sheet = "、".join(f"{s} {k} 处" for s, k in reworded.items())
    assert f"  - 共有 {n} 处文字不同（{by_sheet}）" in lines
    assert lines[-1].startswith("  注：只有文字不同，所有数字一致")
    capsys.readouterr()
    assert main(["calc", "--check", str(older), "--format", "json"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert (answer["figures_match"], answer["texts_differ"]) == (True, n)
