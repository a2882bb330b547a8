"""The carbon-prices table (issue 16, Art 9 draft): one row per instrument an installation pays
through, read from a sheet of the shipments workbook or a file of its own, each row checked, and
joined to the lines it applies to (narrower keys win)."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from cbam_calc.core.errors import InputFileError
from cbam_calc.inputs import carbon_prices as cp
from tests.conftest import SAMPLES, write_csv

PLANT = "Tangshan Jinhai Iron & Steel Co., Ltd. - No.2 BF-BOF works (Hebei)"


def _xlsx(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


ZH_HEADER = [
    "生产设施",
    "商品编码",
    "年份",
    "碳定价机制",
    "碳定价工具",
    "用途",
    "覆盖比例",
    "碳价",
    "计价基础",
    "币种",
]


def _lines(rows):
    """Validated-like lines: installation, cn_code, year, carbon_price_paid, row."""
    frame = pd.DataFrame(rows, columns=["installation", "cn_code", "year", "carbon_price_paid"])
    frame["installation"] = pd.Categorical(frame["installation"])
    frame["cn_code"] = pd.Categorical(frame["cn_code"])
    frame["row"] = np.arange(2, 2 + len(frame))
    frame.index = frame.index + 100  # labels, not positions
    return frame


def test_art9_two_instruments_cea_95_ccer_5_read_from_chinese_headers(tmp_path):
    path = _xlsx(
        tmp_path / "cp.xlsx",
        {
            "碳价": [
                ["碳价表"],  # a title above the header
                ZH_HEADER,
                [PLANT, None, None, "全国碳市场", "配额", "履约", "95%", "1,066.86", "per_tco2e", "人民币"],
                [PLANT, None, None, "CNETS", "CCER", "合规", 0.05, 80, "每吨二氧化碳当量", "CNY"],
            ]
        },
    )
    got = cp.read_carbon_prices(path).require_clean()
    frame = got.instruments
    assert got.sheet == "碳价" and got.header_row == 2
    assert list(frame.columns) == list(cp.INSTRUMENT_COLUMNS)
    assert frame["row"].tolist() == [3, 4]
    assert frame["mechanism"].tolist() == ["cnets", "cnets"]
    assert frame["unit"].tolist() == ["ets_allowance", "ccer"]
    assert frame["use"].tolist() == ["compliance", "compliance"]
    assert frame["covered_share"].tolist() == pytest.approx([0.95, 0.05])
    assert frame["price"].tolist() == pytest.approx([1066.86, 80.0])  # thousands separator read
    assert frame["per_tco2e"].tolist() == [True, True]
    assert frame["currency"].tolist() == ["CNY", "CNY"]
    assert frame["rank"].tolist() == [0, 0]


def test_art9_allowance_name_in_unit_column_names_its_mechanism(tmp_path):
    path = write_csv(
        tmp_path / "cp.csv",
        [
            {"installation": PLANT, "unit": "CEA", "price": "66.86", "basis": "per_tco2e", "currency": "CNY"},
            {
                "installation": PLANT,
                "unit": "KAU",
                "mechanism": "CNETS",
                "price": "1",
                "basis": "per_tco2e",
                "currency": "KRW",
            },
        ],
    )
    got = cp.read_carbon_prices(path)
    assert got.instruments["mechanism"].tolist() == ["cnets"]
    assert got.instruments["unit"].tolist() == ["ets_allowance"]
    assert got.rejected["code"].tolist() == ["R_CP_UNIT_MECHANISM"]
    assert got.rejected["row"].tolist() == [3]


def test_unknown_unit_and_mechanism_name_the_column_and_the_known_ones(tmp_path):
    path = write_csv(
        tmp_path / "cp.csv",
        [
            {
                "设施": PLANT,
                "碳单位": "VCU-9",
                "机制": "",
                "碳价": "5",
                "计价基础": "per_tco2e",
                "币种": "USD",
            },
            {
                "设施": PLANT,
                "碳单位": "",
                "机制": "Mars ETS",
                "碳价": "5",
                "计价基础": "per_tco2e",
                "币种": "USD",
            },
        ],
    )
    got = cp.read_carbon_prices(path)
    assert got.instruments.empty
    first, second = got.rejected.to_dict("records")
    assert (first["row"], first["column"], first["code"]) == (2, "碳单位", "R_CP_UNKNOWN")
    assert "'碳单位'" in first["reason"] and "ccer" in first["reason"] and "vcs" in first["reason"]
    assert (second["row"], second["column"]) == (3, "机制")
    assert "cnets" in second["reason"] and "k_ets" in second["reason"]
    with pytest.raises(InputFileError) as err:
        got.require_clean()
    text = str(err.value)
    assert str(path) in text and "row 2" in text and "column '碳单位'" in text and "1 other row" in text


def test_layout_errors_name_file_sheet_and_column(tmp_path):
    no_price = _xlsx(tmp_path / "a.xlsx", {"Carbon prices": [["installation", "unit"], [PLANT, "CCER"]]})
    with pytest.raises(InputFileError, match=r"sheet 'Carbon prices'.*no column price"):
        cp.read_carbon_prices(no_price)
    twice = _xlsx(tmp_path / "b.xlsx", {"Carbon prices": [["installation", "price", "碳价"], [PLANT, 1, 2]]})
    with pytest.raises(InputFileError, match="both mean price"):
        cp.read_carbon_prices(twice)
    nothing = _xlsx(tmp_path / "c.xlsx", {"Sheet": [["a", "b"], [1, 2]]})
    with pytest.raises(InputFileError, match="no carbon-prices header row"):
        cp.read_carbon_prices(nothing)
    two = _xlsx(
        tmp_path / "d.xlsx",
        {"碳价": [["installation", "price"]], "Carbon prices": [["installation", "price"]]},
    )
    with pytest.raises(InputFileError, match="two sheets hold carbon prices"):
        cp.read_carbon_prices(two)


def test_row_checks_each_reason(tmp_path):
    rows = [
        {"installation": "", "price": "1", "basis": "per_tco2e", "currency": "CNY"},  # 2
        {"installation": PLANT, "price": "", "basis": "per_tco2e", "currency": "CNY"},  # 3
        {"installation": PLANT, "price": "-1", "basis": "per_tco2e", "currency": "CNY"},  # 4
        {"installation": PLANT, "price": "10", "basis": "", "currency": "CNY"},  # 5
        {"installation": PLANT, "price": "10", "basis": "per_tco2e", "currency": ""},  # 6
        {"installation": PLANT, "price": "10", "basis": "per_tco2e", "currency": "CNY", "year": "26.5"},  # 7
        {
            "installation": PLANT,
            "price": "10",
            "basis": "per_tco2e",
            "currency": "CNY",
            "cn_code": "72081",
        },  # 8
        {"installation": PLANT, "price": "0", "kind": "Carbon Tax"},  # 9: nothing paid, fine
        {"installation": PLANT, "price": "0", "kind": "barter"},  # 10
        {"installation": PLANT, "price": "0", "free_share": "120%"},  # 11
    ]
    got = cp.read_carbon_prices(write_csv(tmp_path / "cp.csv", rows))
    codes = dict(zip(got.rejected["row"], got.rejected["code"]))
    assert codes == {
        2: "R_CP_MISSING_INSTALLATION",
        3: "R_CP_MISSING_PRICE",
        4: "R_NEGATIVE_PRICE_PAID",
        5: "R_PRICE_NEEDS_BASIS",
        6: "R_PRICE_NEEDS_CURRENCY",
        7: "R_CP_NOT_YEAR",
        8: "R_CP_CN_DIGITS",
        10: "R_CP_UNKNOWN_KIND",
        11: "R_SHARE_RANGE",
    }
    assert got.instruments["row"].tolist() == [9]
    assert got.instruments["kind"].tolist() == ["carbon_tax"]
    assert len(got.instruments) + len(got.rejected) == got.rows_read  # every row accounted for


def test_shares_of_one_key_cannot_exceed_the_whole(tmp_path):
    rows = [
        {"installation": PLANT, "unit": "ETS allowance", "covered_share": "96%", "price": "0"},
        {"installation": PLANT, "unit": "CCER", "covered_share": "5%", "price": "0"},
        {"installation": PLANT, "cn_code": "7208", "unit": "CCER", "covered_share": "5%", "price": "0"},
    ]
    got = cp.read_carbon_prices(write_csv(tmp_path / "cp.csv", rows))
    assert got.rejected["row"].tolist() == [2, 3]
    assert set(got.rejected["code"]) == {"R_CP_SHARES_OVER_ONE"}
    assert got.instruments["row"].tolist() == [4]  # another key: its own whole


def test_narrower_key_wins_installation_cn_year_over_cn_over_year_over_installation(tmp_path):
    rows = [
        {"installation": PLANT, "price": "1"},  # 2: installation
        {"installation": PLANT, "year": "2026", "price": "2"},  # 3: installation + year
        {"installation": PLANT, "cn_code": "7208", "price": "3"},  # 4: + heading
        {"installation": PLANT, "cn_code": "7208 51 20", "price": "4"},  # 5: + CN
        {"installation": PLANT, "cn_code": "7208 51 20", "year": "2026", "price": "5"},  # 6: + CN + year
        {"installation": PLANT, "cn_code": "7208 51 20", "year": "2026", "price": "6"},  # 7: a second one
        {"installation": "Nobody Steel", "price": "7"},  # 8: no line
    ]
    for r in rows:
        r.update(basis="per_tco2e", currency="CNY")
    got = cp.read_carbon_prices(write_csv(tmp_path / "cp.csv", rows)).require_clean()
    lines = _lines(
        [
            [PLANT, "72085120", 2026, np.nan],  # CN + year: rows 6 and 7
            [PLANT, "72085120", 2027, np.nan],  # CN: row 5
            [PLANT, "72083900", 2027, np.nan],  # heading 7208: row 4
            [PLANT, "72101000", 2026, np.nan],  # year: row 3
            [PLANT.upper().replace(" ", "  "), "72101000", 2027, np.nan],  # installation (name normalised)
            ["", "72085120", 2026, np.nan],  # no installation: nothing
        ]
    )
    join = cp.match_instruments(got.instruments, lines)
    row_of = got.instruments["row"].to_numpy()
    taken = {line: sorted(row_of[g["instrument"]].tolist()) for line, g in join.pairs.groupby("line")}
    assert taken == {100: [6, 7], 101: [5], 102: [4], 103: [3], 104: [2]}
    assert join.unused["row"].tolist() == [8]
    assert join.unused["code"].tolist() == ["R_CP_NO_LINE"]
    assert [w.code for w in join.warnings] == ["W_CP_ROWS_UNUSED"]


def test_line_with_its_own_price_keeps_it_and_rows_it_alone_would_take_are_reported(tmp_path):
    rows = [
        {"installation": PLANT, "price": "1", "basis": "per_tco2e", "currency": "CNY"},
        {"installation": PLANT, "cn_code": "72085120", "price": "2", "basis": "per_tco2e", "currency": "CNY"},
        {"installation": PLANT, "cn_code": "72101000", "price": "3", "basis": "per_tco2e", "currency": "CNY"},
    ]
    got = cp.read_carbon_prices(write_csv(tmp_path / "cp.csv", rows)).require_clean()
    lines = _lines([[PLANT, "72085120", 2026, 70.0], [PLANT, "72089000", 2026, np.nan]])
    join = cp.match_instruments(got.instruments, lines)
    assert join.pairs["line"].tolist() == [101]
    assert got.instruments["row"].to_numpy()[join.pairs["instrument"]].tolist() == [2]
    assert join.own_price.tolist() == [True, False]
    reasons = dict(zip(join.unused["row"], join.unused["code"]))
    assert reasons == {3: "R_CP_LINES_OWN_PRICE", 4: "R_CP_NO_LINE"}
    assert [w.code for w in join.warnings] == ["W_CP_LINE_OWN_PRICE", "W_CP_ROWS_UNUSED"]


def test_narrower_rows_winning_everywhere_leave_the_broad_row_unused(tmp_path):
    rows = [
        {"installation": PLANT, "price": "1", "basis": "per_tco2e", "currency": "CNY"},
        {"installation": PLANT, "year": "2026", "price": "2", "basis": "per_tco2e", "currency": "CNY"},
    ]
    got = cp.read_carbon_prices(write_csv(tmp_path / "cp.csv", rows)).require_clean()
    join = cp.match_instruments(got.instruments, _lines([[PLANT, "72085120", 2026, np.nan]]))
    assert join.unused["code"].tolist() == ["R_CP_NARROWER_WINS"]


def test_join_is_per_distinct_key_many_lines(tmp_path):
    rows = [
        {"installation": PLANT, "unit": "ETS allowance", "covered_share": "0.95", "price": "66.86"},
        {"installation": PLANT, "unit": "CCER", "covered_share": "0.05", "price": "80"},
    ]
    for r in rows:
        r.update(basis="per_tco2e", currency="CNY")
    got = cp.read_carbon_prices(write_csv(tmp_path / "cp.csv", rows)).require_clean()
    n = 200_000
    lines = _lines([[PLANT, "72085120", 2026, np.nan], ["Other", "72085120", 2026, np.nan]] * (n // 2))
    join = cp.match_instruments(got.instruments, lines)
    assert len(join.pairs) == n  # two instruments for each of the n/2 lines of the plant
    assert join.pairs["line"].to_numpy()[:4].tolist() == [100, 100, 102, 102]
    assert join.pairs["instrument"].to_numpy()[:4].tolist() == [0, 1, 0, 1]


def test_workbook_sheet_found_by_name_and_none_without(tmp_path):
    book = _xlsx(
        tmp_path / "shipments.xlsx",
        {
            "Lines": [["cn_code", "country", "net_mass_t", "import_date", "installation"]],
            "Carbon Prices": [
                ["Installation ID", "Unit", "Use", "Share covered", "Price", "Basis", "Currency"],
                [PLANT, "CCER", "voluntary", "5%", 60, "per_tco2e", "CNY"],
            ],
        },
    )
    got = cp.read_workbook_sheet(book)
    assert (
        got is not None and got.sheet == "Carbon Prices" and got.instruments["use"].tolist() == ["voluntary"]
    )
    assert got.instruments["source"].tolist() == [cp.SOURCE_SHEET]
    plain = _xlsx(tmp_path / "plain.xlsx", {"Lines": [["cn_code"]]})
    assert cp.read_workbook_sheet(plain) is None
    assert cp.read_workbook_sheet(write_csv(tmp_path / "x.csv", [{"a": 1}])) is None


def test_art9_draft_cea_95_net_of_free_allocation_plus_compliance_ccer_5_through_the_treatment(tmp_path):
    """The sample's rows through law.instruments.treat, worked by hand (rate 8 CNY/EUR, SEE 2.05):
    CEA 66.86 x (0.95 x 2.05) x (1 - 0.90) / 8 = 13.020985 / 8 = 1.627623 EUR/t; CCER for compliance in CNETS,
    within its 5 % limit: 79.91 x (0.05 x 2.05) / 8 = 1.023847 EUR/t; the same CCER retired
    voluntarily (Rizhao) reduces nothing."""
    from cbam_calc.inputs.carbon_prices import treat_rows
    from cbam_calc.law import instruments

    got = cp.read_carbon_prices(SAMPLES / "carbon_prices_zh.xlsx").require_clean()
    rizhao = "Rizhao Donggang Steel Co., Ltd. (Shandong)"
    lines = _lines([[PLANT, "72085120", 2026, np.nan], [rizhao, "72163390", 2026, np.nan]])
    join = cp.match_instruments(got.instruments, lines)
    join.instruments = got.instruments
    rows = treat_rows(join, lines)
    assert rows.line.tolist() == [0, 0, 1]
    n = len(rows.line)
    t = instruments.treat(
        rows.line,
        rows.unit,
        rows.mechanism,
        rows.voluntary,
        np.full(n, "CN", dtype=object),
        rows.share_covered,
        rows.price,
        rows.per_tco2e,
        np.full(n, 2.05),
        rows.free_allocation_share,
        rows.rebate,
        np.full(n, 8.0),
    )
    cea = 66.86 * 0.95 * 2.05 * (1 - 0.90) / 8
    ccer = 79.91 * 0.05 * 2.05 / 8
    assert t.recognised_eur_per_t.tolist() == pytest.approx([cea, ccer, 0.0])
    assert cea == pytest.approx(1.627623, abs=1e-6) and ccer == pytest.approx(1.023847, abs=1e-6)
    assert [instruments.REASONS[r] for r in t.reason] == ["recognised", "recognised", "voluntary"]
    effective, _, _ = instruments.per_line(t, rows.line, 2)
    assert effective.tolist() == pytest.approx([cea + ccer, 0.0])
