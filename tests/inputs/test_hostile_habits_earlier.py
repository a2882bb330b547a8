"""Issue 12, four habits whose behaviour landed before their habit workbooks: blank importer cells,
a destination column, the same member file twice in a batch, an outdated 8-digit code under a CBAM
heading. The workbooks (tests/data/hostile/habits/earlier/, built by
scripts/corpus/habits_earlier.py) carry a title row above a Chinese header, so the first shipment
is sheet row 3: the rows named in warnings and rejections are the rows the user sees in Excel.

Each messy workbook is compared with its clean equivalent (same lines, same EUR) or must show its
warning or rejection reason, in English and with ``--lang zh`` in Chinese.
"""

from __future__ import annotations

import json

import pytest
from child import run_cbam
from conftest import REPO

from cbam_calc.compute.batch import run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.model import CalcOptions

HABIT = REPO / "tests" / "data" / "hostile" / "habits" / "earlier"
RHEIN, NORD = "Rhein Stahl GmbH", "Nord Handel GmbH"
NOT_EU = (
    "is outside the EU customs territory: CBAM applies only to imports into it "
    "(Art 2 of Regulation (EU) 2023/956); --ignore-destination computes it"
)


def figures(name: str, options: CalcOptions | None = None) -> dict:
    """What a user compares between two files: the accounting of rows and the money."""
    s = calculate(HABIT / name, options).summary
    assert s.lines + s.rejected == s.rows_read  # no row lost
    return {
        "lines": s.lines,
        "net_mass_t": round(s.net_mass_t, 6),
        "embedded_tco2e": round(s.embedded_tco2e, 6),
        "certificates": round(s.certificates, 6),
        "cost_eur": round(s.cost_eur, 2),
    }


def de_minimis(name: str) -> set[tuple]:
    return {(d.importer, d.annex_i_mass_t, d.exempt) for d in calculate(HABIT / name).summary.de_minimis}


def cli(*args, cwd=HABIT) -> str:
    """``cbam ARGS`` as a user runs it in the folder of the workbooks: exit 0, its stdout."""
    r = run_cbam(list(args), cwd)
    assert r.code == 0, r.stderr
    r.bounded()
    return r.stdout


def rejected_lines(stdout: str) -> list[str]:
    """The lines of the "Rejected rows" block of the text summary (English or Chinese)."""
    block = stdout.split("Rejected rows:\n" if "Rejected rows:\n" in stdout else "被拒绝的行：\n", 1)[1]
    return [ln.strip() for ln in block.split("\n\n", 1)[0].splitlines()]


# ------------------------------------------------------------------ 1. blank importer cells
def test_blank_importer_cells_are_one_unnamed_importer_equal_to_the_name_written_once():
    assert figures("importer_blank.xlsx") == figures("importer_blank_clean.xlsx")
    # by hand: rows 4, 6, 7 blank (one only spaces): 18 + 12.5 + 9 = 39.5 t, exempt; Rhein 60 + 45 t
    assert de_minimis("importer_blank.xlsx") == {("(no importer)", 39.5, True), (RHEIN, 105.0, False)}
    assert de_minimis("importer_blank_clean.xlsx") == {(NORD, 39.5, True), (RHEIN, 105.0, False)}
    assert figures("importer_blank.xlsx")["lines"] == 5
    messy = calculate(HABIT / "importer_blank.xlsx").summary.warning_codes
    clean = calculate(HABIT / "importer_blank_clean.xlsx").summary.warning_codes
    assert "W_BLANK_IMPORTER" in messy
    assert "W_BLANK_IMPORTER" not in clean and "W_NO_IMPORTER" not in clean


@pytest.mark.slow
def test_blank_importer_cells_warned_with_their_sheet_rows_in_english_and_chinese():
    out = cli("calc", "importer_blank.xlsx")
    assert (
        "3 line(s) have no importer (row 4, 6, 7); they are treated as one unnamed importer for the "
        "de minimis threshold"
    ) in out
    assert "(no importer): exempt if this importer's imports" in out and "(this file: 39.5 t)" in out
    zh = cli("calc", "importer_blank.xlsx", "--lang", "zh")
    assert "3 行未填进口商（第 4, 6, 7 行）：微量豁免按一个未命名的进口商计算这些行" in zh
    assert "（未填进口商）" in zh


# ------------------------------------------------------------------ 2. destination column
def test_destination_outside_the_eu_rejected_the_eu_rows_equal_the_clean_file():
    messy, clean = calculate(HABIT / "destination.xlsx"), calculate(HABIT / "destination_clean.xlsx")
    assert figures("destination.xlsx") == figures("destination_clean.xlsx")
    assert (messy.summary.rows_read, messy.summary.rejected, clean.summary.rejected) == (8, 4, 0)
    # 德国 (row 3), 欧盟 (5), DE (7), EU (9) computed; the rest rejected with their reason
    assert messy.lines["row"].tolist() == [3, 5, 7, 9]
    rejected = messy.rejected
    assert list(zip(rejected["row"], rejected["column"], rejected["value"], rejected["code"])) == [
        (4, "目的国", "美国", "R_NOT_EU_DESTINATION"),
        (6, "目的国", "UK", "R_NOT_EU_DESTINATION"),
        (8, "目的国", "英国", "R_NOT_EU_DESTINATION"),
        (10, "目的国", "鹿特丹", "R_UNKNOWN_DESTINATION"),
    ]


@pytest.mark.slow
def test_destination_reasons_in_the_cli_in_english_and_chinese():
    assert rejected_lines(cli("calc", "destination.xlsx")) == [
        f"Row 4, Column '目的国' '美国': destination United States {NOT_EU}",
        f"Row 6, Column '目的国' 'UK': destination United Kingdom {NOT_EU}",
        f"Row 8, Column '目的国' '英国': destination United Kingdom {NOT_EU}",
        "Row 10, Column '目的国' '鹿特丹': unknown destination: give the ISO code or the English name",
    ]
    zh = rejected_lines(cli("calc", "destination.xlsx", "--lang", "zh"))
    assert len(zh) == 4
    for line in zh[:3]:
        assert "在欧盟关境之外：CBAM 仅适用于进口到欧盟关境的货物" in line
    assert zh[3] == "行 10，列 '目的国' '鹿特丹'：未知目的国：请填写 ISO 代码或英文名称"


def test_ignore_destination_computes_the_eight_rows_and_says_so():
    ignored = calculate(HABIT / "destination.xlsx", CalcOptions(ignore_destination=True)).summary
    assert (ignored.rows_read, ignored.lines, ignored.rejected) == (8, 8, 0)
    assert ignored.assumptions.ignore_destination is True
    assert "W_DESTINATION_IGNORED" in ignored.warning_codes
    assert any(w.startswith("--ignore-destination: 4 row(s) with a destination") for w in ignored.warnings)
    assert ignored.cost_eur > figures("destination_clean.xlsx")["cost_eur"]


@pytest.mark.slow
def test_ignore_destination_in_the_cli_in_english_and_chinese():
    data = json.loads(cli("calc", "destination.xlsx", "--ignore-destination", "--format", "json"))
    assert (data["lines"], data["rejected"]) == (8, 0) and "W_DESTINATION_IGNORED" in data["warning_codes"]
    assert data["assumptions"]["ignore_destination"] is True
    assert any(
        w.startswith("--ignore-destination: 4 row(s) with a destination outside") for w in data["warnings"]
    )
    zh = cli("calc", "destination.xlsx", "--ignore-destination", "--lang", "zh")
    assert "--ignore-destination：4 行的目的国在欧盟关境之外或无法识别，已按进口到欧盟计算" in zh


# ------------------------------------------------------------------ 3. the same member file twice
@pytest.mark.slow
def test_a_copied_member_is_counted_once_equal_to_the_batch_without_it():
    messy, clean = run_batch([HABIT / "batch_duplicate"]), run_batch([HABIT / "batch_clean"])
    assert messy.totals == clean.totals
    assert (messy.lines, messy.rows_read) == (clean.lines, clean.rows_read) == (3, 3)
    status = {f.file.rsplit("/", 1)[-1]: f.status for f in messy.files}
    # "beta - 副本.xlsx" (Windows' name for a copy) sorts first, but the original is computed
    assert status == {"alpha.xlsx": "ok", "beta - 副本.xlsx": "duplicate", "beta.xlsx": "ok"}
    assert messy.failed == [] and len(messy.duplicates) == 1
    assert [w.code for w, _ in messy.warnings] == ["W_DUPLICATE_MEMBER"]
    assert [w.code for w, _ in clean.warnings] == []
    # the same members under the same names
    assert messy.members().sort_values("member")[["member", "cost_eur"]].values.tolist() == (
        clean.members().sort_values("member")[["member", "cost_eur"]].values.tolist()
    )


@pytest.mark.slow
def test_a_copied_member_in_the_cli_in_english_and_chinese():
    messy = json.loads(cli("batch", "batch_duplicate", "--format", "json"))
    clean = json.loads(cli("batch", "batch_clean", "--format", "json"))
    assert messy["totals"] == clean["totals"] and messy["totals"]["cost_eur"] > 0
    (dup,) = [f for f in messy["files"] if f["status"] == "duplicate"]
    assert dup["message"] == "same content as batch_duplicate/beta.xlsx"
    assert dup["file"] == "batch_duplicate/beta - 副本.xlsx" and dup["cost_eur"] is None
    assert [w["code"] for w in messy["warnings"]] == ["W_DUPLICATE_MEMBER"]
    assert [w["code"] for w in clean["warnings"]] == []
    zh = cli("batch", "batch_duplicate", "--lang", "zh")
    assert (
        "batch_duplicate/beta - 副本.xlsx 与 batch_duplicate/beta.xlsx 内容相同（SHA-256 相同）："
        "只计算一次，计入 batch_duplicate/beta.xlsx"
    ) in zh


# ------------------------------------------------------------------ 4. outdated codes
OLD_REASONS = [
    "Row 3, Column '商品编码' '7601 10 00': CN 7601 10 00 is not a CN 2026 code (it falls under 7601, "
    "which Annex I covers); the CBAM codes under 7601 10 are 7601 10 10, 7601 10 90",
    "Row 5, Column '商品编码' '7323 93 00': CN 7323 93 00 is not a CBAM good (not in Annex I of "
    "Regulation (EU) 2023/956)",
    "Row 6, Column '商品编码' '3102 10 10': CN 3102 10 10 was split in CN 2026 into 3102 10 12, "
    "3102 10 15, 3102 10 19: give the new code",
]


def test_outdated_codes_name_the_cn_2026_codes_the_clean_file_computes():
    messy, clean = calculate(HABIT / "old_codes.xlsx"), calculate(HABIT / "old_codes_clean.xlsx")
    assert list(zip(messy.rejected["row"], messy.rejected["code"])) == [
        (3, "R_NOT_CN2026_CODE"),
        (5, "R_NOT_CBAM_GOOD"),
        (6, "R_CN_SPLIT"),
    ]
    # the clean file writes the CN 2026 codes the reasons offered: those rows compute; kitchenware
    # is a CN 2026 code Annex I does not cover and stays rejected, for the same reason
    assert clean.lines["row"].tolist() == [3, 4, 6]
    assert set(clean.lines["cn_code"]) == {"76011090", "72085120", "31021012"}
    assert list(zip(clean.rejected["row"], clean.rejected["code"])) == [(5, "R_NOT_CBAM_GOOD")]
    assert clean.rejected["reason"].tolist() == messy.rejected["reason"].tolist()[1:2]
    assert clean.summary.cost_eur > messy.summary.cost_eur > 0


@pytest.mark.slow
def test_outdated_code_reasons_in_the_cli_in_english_and_chinese():
    assert rejected_lines(cli("calc", "old_codes.xlsx")) == OLD_REASONS
    assert rejected_lines(cli("calc", "old_codes_clean.xlsx")) == OLD_REASONS[1:2]
    zh = rejected_lines(cli("calc", "old_codes.xlsx", "--lang", "zh"))
    assert zh == [
        "行 3，列 '商品编码' '7601 10 00'：CN 7601 10 00 不是 CN 2026 编码（属于附件一涵盖的 7601）；"
        "7601 10 下的 CBAM 编码为 7601 10 10, 7601 10 90",
        "行 5，列 '商品编码' '7323 93 00'：CN 7323 93 00 不是 CBAM 货物（不在法规 (EU) 2023/956 附件一中）",
        "行 6，列 '商品编码' '3102 10 10'：CN 3102 10 10 在 2026 年版 CN 中拆分为 3102 10 12, 3102 10 15, "
        "3102 10 19：请填写新编码",
    ]
