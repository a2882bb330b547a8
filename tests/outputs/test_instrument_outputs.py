"""The carbon price paid abroad by instrument in every output (issue 16; RULES.md "Art 9", DRAFT):
the summary's totals of the price recognised and not, by instrument and treatment, in text, JSON,
the workbook (Summary and Parameters) and the HTML report, English and Chinese; cbam explain's
rows, caps and sources; cbam calc --check of such a report. Worked by hand from the draft's
formula (law.instruments.treat):

    net_r = P_r x s_r x SEE (1 - f_r) / rate      (price per tCO2e, share s_r of the emissions)
    recognised_r = net_r x kept_r                 (kept: 1, or the offset limit / the credits' share)
    EUR_r = recognised_r x M;  R_r = recognised_r / P_ref x M   (actual track)

Each line: 100 t of China hot-rolled coil (7208 51 20), actual SEE 2 tCO2e/t, Q1 2026; CNY at the
2026 ECB mean 7.8757 per EUR, P_ref 2026 = 78.82 EUR/tCO2e (as tests/test_instruments.py).
"""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from conftest import steel, write_csv

from cbam_calc.cli import main
from cbam_calc.core.sheets import sheet_name

CNY = 7.8757
P_REF = 78.82
SEE, MASS = 2.0, 100.0

# CEA for 95 % of the emissions at 70 CNY/tCO2e, 90 % of them under free allocation at home:
# 70 x 0.95 x 2 x 0.1 / 7.8757 = 1.688738 EUR/t -> 168.87 EUR, R = 2.142525 tCO2e
CEA_EUR_PER_T = 70 * 0.95 * SEE * (1 - 0.9) / CNY
# compliance CCER for 5 % at 60 CNY/tCO2e, within the CNETS 5 % limit: 0.761837 EUR/t -> 76.18 EUR
CCER_EUR_PER_T = 60 * 0.05 * SEE / CNY
# compliance CCER for 8 % at 60: the CNETS limit keeps 5 / 8 of it, 3 / 8 (0.457102 EUR/t) is not
CCER8_NET = 60 * 0.08 * SEE / CNY
CCER8_KEPT = CCER8_NET * 0.05 / 0.08
# VCS credits retired voluntarily for the whole line at 40 CNY/tCO2e: 10.157827 EUR/t, none counts
VCS_NET = 40 * 1.0 * SEE / CNY


def _line(**kw) -> dict:
    return steel(
        see_direct=str(SEE), route="C", carbon_price_currency="CNY", carbon_price_basis="per_tco2e", **kw
    )


LINES = [
    _line(
        carbon_price_paid="70",
        carbon_price_free_share="0.9",
        carbon_price_instrument="CEA",
        carbon_price_use="compliance",
        carbon_price_share_covered="95%",
    ),
    _line(
        carbon_price_paid="60",
        carbon_price_instrument="CCER",
        carbon_price_use="合规",
        carbon_price_share_covered="5%",
    ),
    _line(
        carbon_price_paid="60",
        carbon_price_instrument="CCER",
        carbon_price_use="compliance",
        carbon_price_share_covered="8%",
    ),
    _line(
        carbon_price_paid="40",
        carbon_price_instrument="VCS",
        carbon_price_use="voluntary",
        carbon_price_share_covered="1",
    ),
]


@pytest.fixture
def shipments(tmp_path):
    return write_csv(tmp_path / "instruments.csv", LINES)


def _json(path, capsys, *more) -> dict:
    assert main(["calc", str(path), "--format", "json", *more]) == 0
    return json.loads(capsys.readouterr().out)


def test_art9_draft_summary_json_totals_recognised_and_unrecognised_eur_by_instrument(shipments, capsys):
    inst = _json(shipments, capsys)["instruments"]
    by = {(t["unit"], t["mechanism"], t["treatment"]): t for t in inst["by_instrument"]}
    assert list(by) == [
        ("ets_allowance", "cnets", "recognised"),
        ("ccer", "cnets", "recognised"),
        ("ccer", "cnets", "above_offset_limit"),
        ("vcs", "", "voluntary"),
    ]
    cea = by["ets_allowance", "cnets", "recognised"]
    assert cea["recognised_eur"] == pytest.approx(round(CEA_EUR_PER_T * MASS, 2)) == 168.87
    assert cea["unrecognised_eur"] == 0
    assert cea["art9_reduction_tco2e"] == pytest.approx(CEA_EUR_PER_T / P_REF * MASS, abs=1e-6)
    ccer = by["ccer", "cnets", "recognised"]
    assert ccer["recognised_eur"] == 76.18 and ccer["unrecognised_eur"] == 0
    above = by["ccer", "cnets", "above_offset_limit"]
    assert above["recognised_eur"] == pytest.approx(round(CCER8_KEPT * MASS, 2))  # 76.18
    assert above["unrecognised_eur"] == pytest.approx(round((CCER8_NET - CCER8_KEPT) * MASS, 2))  # 45.71
    vcs = by["vcs", "", "voluntary"]
    assert vcs["recognised_eur"] == 0 and vcs["art9_reduction_tco2e"] == 0
    assert vcs["unrecognised_eur"] == pytest.approx(round(VCS_NET * MASS, 2)) == 1015.78
    assert inst["recognised_eur"] == pytest.approx(168.87 + 76.18 + 76.18, abs=0.011)
    assert inst["unrecognised_eur"] == pytest.approx(45.71 + 1015.78, abs=0.011)
    # every line on the actual track, evidenced: all the price recognised is deducted (Art 9 draft)
    assert [t["line_state"] for t in by.values()] == ["deducted", "deducted", "deducted", ""]
    assert inst["recognised_deducted_eur"] == inst["recognised_eur"]
    assert inst["recognised_not_deducted_eur"] == 0
    # the reductions by instrument are the run's Art 9 reduction (every line on the actual track)
    out = _json(shipments, capsys)
    assert inst["art9_reduction_tco2e"] == pytest.approx(out["art9_reduction_tco2e"], abs=1e-5)
    assert "Ares(2026)4841230" in cea["source"] and "MEE Order No. 19" in cea["source"]
    assert "Ares(2026)4841230" in vcs["source"] and "MEE" not in vcs["source"]
    assert inst["status"].startswith("DRAFT")


def test_art9_draft_no_instrument_named_no_section_anywhere(tmp_path, capsys):
    plain = write_csv(tmp_path / "plain.csv", [_line(carbon_price_paid="70", carbon_price_free_share="0.9")])
    assert "instruments" not in _json(plain, capsys)
    assert main(["calc", str(plain)]) == 0
    assert "by instrument" not in capsys.readouterr().out
    report = tmp_path / "plain.xlsx"
    assert main(["calc", str(plain), "-o", str(report)]) == 0
    cells = [c for r in openpyxl.load_workbook(report)["Summary"].iter_rows(values_only=True) for c in r]
    assert not any(isinstance(c, str) and "by instrument" in c for c in cells)
    params = [r[0] for r in openpyxl.load_workbook(report)["Parameters"].iter_rows(values_only=True)]
    assert "carbon pricing instrument (Art 9)" not in params


def test_art9_draft_text_summary_shows_each_instrument_and_says_the_act_is_a_draft(shipments, capsys):
    assert main(["calc", str(shipments)]) == 0
    out = capsys.readouterr().out
    section = out[out.index("Carbon price paid abroad, by instrument") :].split("\n\n")[0]
    # lines, recognised and deducted, recognised not deducted, not recognised, tCO2e, treatment, state
    assert re.search(
        r"ETS allowance\s+China national emissions trading system \(CNETS\)\s+1\s+168\.87\s+0\.00\s+0\.00"
        r"\s+2\.143\s+recognised\s+deducted \(actual track, price evidenced\)",
        section,
    )
    assert re.search(
        r"Verified Carbon Unit \(Verra VCS\)\s+-\s+1\s+0\.00\s+0\.00\s+1,015\.78\s+0\.000\s+retired"
        r".*reduces nothing\s+-\n",
        section,
    )
    assert "credits above the mechanism's own offset limit" in section
    assert "DRAFT implementing act of 13.05.2026 (Ares(2026)4841230)" in section


ENGLISH_WORD = re.compile(r"(?<![A-Za-z_])[a-z]{2,}(?![A-Za-z_0-9(])")


def _english_words(text: str) -> list[str]:
    """Lower-case English words: codes (CNETS, CCER, VCS, EUR), proper names (Verra), units
    (tCO2e) and column names (carbon_price_mechanism) are not words to translate."""
    text = re.sub(r"\b\w*_\w*\b|tCO2e", "", text)
    return ENGLISH_WORD.findall(text)


def test_art9_draft_chinese_text_section_has_no_english_words(shipments, capsys):
    assert main(["calc", str(shipments), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    section = out[out.index("境外已付碳价（按碳定价工具") :].split("\n\n")[0]
    assert "168.87" in section and "1,015.78" in section and "草案" in section
    assert _english_words(section) == []


def test_art9_draft_workbook_summary_and_parameters_read_back(shipments, tmp_path, capsys):
    report = tmp_path / "r.xlsx"
    assert main(["calc", str(shipments), "-o", str(report), "--lang", "zh"]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(report)
    rows = [list(r) for r in wb[sheet_name("summary", "zh")].iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[0] == "境外已付碳价（按碳定价工具，第9条，草案）")
    assert rows[at + 1][:9] == [
        "碳定价工具",
        "碳定价机制",
        "处理方式（第9条草案）",
        "已付碳价在第9条下的处理",
        "行数",
        "认可并扣减金额（欧元）",
        "认可但未扣减金额（欧元）",
        "未认可金额（欧元）",
        "第9条扣减（tCO2e）",
    ]
    cea, ccer, above, vcs, total = rows[at + 2 : at + 7]
    assert ccer[5] == pytest.approx(76.18) and ccer[6] == 0
    assert cea[:7] == [
        "碳排放配额",
        "全国碳排放权交易市场",
        "予以认可",
        "予以扣减（实际路径，已付碳价有证明）",
        1,
        pytest.approx(168.87),
        0,
    ]
    assert "MEE Order No. 19" in cea[9]
    assert above[7] == pytest.approx(45.71, abs=0.005)
    assert vcs[:8] == [
        "核证碳单位（Verra VCS）",
        "-",
        "自愿注销或自愿标准的碳信用：不予扣减",
        "-",
        1,
        0,
        0,
        pytest.approx(1015.78),
    ]
    assert total[0] == "合计" and total[4] in ("", None)
    assert total[5] == pytest.approx(168.87 + 76.18 + 76.18, abs=0.011) and total[6] == 0
    assert "草案" in rows[at + 7][0]
    for r in rows[at : at + 8]:
        assert _english_words(" ".join(str(c) for c in r[:9] if c is not None)) == []
    params = [r for r in wb[sheet_name("parameters", "zh")].iter_rows(values_only=True) if r[0]]
    # the Parameters sheet of a Chinese report: its fixed words and the treatments in Chinese
    from cbam_calc.core.labels import parameter_word
    from cbam_calc.outputs.tables import treatment_shown

    name = parameter_word("parameter", "carbon pricing instrument (Art 9)", "zh")
    used = {(r[1], r[2]): r for r in params if r[0] == name}
    assert set(used) == {
        ("ets_allowance / cnets", treatment_shown("recognised", "zh")),
        ("ccer / cnets", treatment_shown("recognised", "zh")),
        ("ccer / cnets", treatment_shown("above_offset_limit", "zh")),
        ("vcs", treatment_shown("voluntary", "zh")),
    }
    assert "Ares(2026)4841230" in used["vcs", treatment_shown("voluntary", "zh")][5]
    (limit,) = [
        r for r in params if r[0] == parameter_word("parameter", "offset limit of the mechanism", "zh")
    ]
    assert limit[1:3] == ("cnets", 0.05) and "MEE Order No. 19" in limit[5]


def test_art9_draft_html_report_section_in_both_languages(shipments, tmp_path):
    for lang, heading, unrec in (
        ("en", "Carbon price paid abroad, by instrument (Art 9, DRAFT)", "Not recognised, EUR"),
        ("zh", "境外已付碳价（按碳定价工具，第9条，草案）", "未认可金额（欧元）"),
    ):
        page = tmp_path / f"r_{lang}.html"
        assert main(["report", str(shipments), "-o", str(page), "--lang", lang]) == 0
        html = page.read_text(encoding="utf-8")
        section = html[html.index(f"<h2>{heading}</h2>") :].split("</section>")[0]
        assert unrec in section and "1,015.78" in section and "168.87" in section
        assert "Ares(2026)4841230" in section  # the draft act, in the note and the sources
        if lang == "zh":
            shown = re.sub(r"<[^>]+>", " ", section)
            # the sources are the acts' own titles (English); the rest is Chinese
            cells = [c for c in shown.split("  ") if "Regulation" not in c and "Measures" not in c]
            assert _english_words(" ".join(cells).replace("Ares(2026)4841230", "")) == []


def test_art9_draft_explain_shows_the_cnets_5_percent_cap_with_its_numbers(shipments, capsys):
    assert main(["explain", str(shipments), "--line", "4"]) == 0
    out = capsys.readouterr().out
    assert "Carbon pricing instruments (Art 9, DRAFT)" in out
    assert (
        "#1 China Certified Emission Reduction (CCER) [ccer], mechanism China national emissions "
        "trading system (CNETS) [cnets], use compliance, share covered 8 %, price 60.00 CNY/tCO2e"
    ) in out
    assert f"net {CCER8_NET:.4f} EUR/t" in out  # 1.2189
    assert (
        "credits of China national emissions trading system (CNETS) [cnets] cover 8 % of the emissions" in out
    )
    assert "above its offset limit of 5 % (of the verified emissions): kept 5 % / 8 % = 62.5 %" in out
    assert f"recognised {CCER8_KEPT:.4f} EUR/t, not recognised {CCER8_NET - CCER8_KEPT:.4f} EUR/t" in out
    assert "MEE Order No. 19" in out and "Ares(2026)4841230" in out
    assert f"P_paid,eff = {CCER8_KEPT:.4f} = {CCER8_KEPT:.4f} EUR/t" in out
    assert main(["explain", str(shipments), "--line", "4", "--lang", "zh"]) == 0
    zh = capsys.readouterr().out
    assert "碳定价工具（第9条，草案）" in zh and "超过其抵销上限 5 %（经核查排放量）" in zh
    assert "保留 5 % / 8 % = 62.5 %" in zh
    step = zh[zh.index("碳定价工具（第9条，草案）") :].split("\n    [")[0]
    body = "\n".join(line for line in step.splitlines() if "来源" not in line)
    body = re.sub(r"\[\w+\]|P_paid,eff", "", body)  # the table's codes ([ccer] [cnets]), the symbol
    assert _english_words(body) == []


def test_art9_draft_explain_json_lists_each_row_with_its_treatment(shipments, capsys):
    assert main(["explain", str(shipments), "--line", "5", "--format", "json"]) == 0
    ex = json.loads(capsys.readouterr().out)
    (step,) = [s for s in ex["steps"] if s["title"] == "Carbon pricing instruments (Art 9, DRAFT)"]
    (row,) = step["instruments"]
    assert (row["unit"], row["use"], row["treatment"]) == ("vcs", "voluntary", "voluntary")
    assert row["unrecognised_eur_per_t"] == pytest.approx(VCS_NET) and row["recognised_eur_per_t"] == 0
    assert step["p_paid_eff_eur_per_t"] == 0


def test_art9_draft_check_reproduces_the_report_and_finds_a_changed_instrument_figure(
    shipments, tmp_path, capsys
):
    from cbam_calc.outputs.check import check_report

    report = tmp_path / "r.xlsx"
    assert main(["calc", str(shipments), "-o", str(report)]) == 0
    capsys.readouterr()
    assert check_report(report).matches
    wb = openpyxl.load_workbook(report)
    ws = wb["Summary"]
    hit = [r for r in ws.iter_rows() if r[0].value == "Verified Carbon Unit (Verra VCS)"]
    hit[0][7].value = 15.78  # the VCS price not recognised, made small
    wb.save(report)
    assert not check_report(report).matches


def test_art9_draft_explain_two_instruments_of_one_installation_from_a_carbon_prices_file(tmp_path, capsys):
    # CEA for 95 % at 66.86 CNY/tCO2e, 90 % under free allocation: 66.86 x 0.95 x 2 x 0.1 / 7.8757
    # = 1.6130 EUR/t; compliance CCER for 5 % at 79.91: 79.91 x 0.05 x 2 / 7.8757 = 1.0146 EUR/t
    plant = "Tangshan No.2 BF-BOF works"
    line = write_csv(tmp_path / "s.csv", [steel(see_direct="2", route="C", installation=plant)])
    prices = write_csv(
        tmp_path / "cp.csv",
        [
            {
                "installation": plant,
                "unit": "CEA",
                "use": "compliance",
                "covered_share": "95%",
                "price": "66.86",
                "carbon_price_basis": "per_tco2e",
                "carbon_price_currency": "CNY",
                "carbon_price_free_share": "0.9",
            },
            {
                "installation": plant,
                "unit": "CCER",
                "use": "合规",
                "covered_share": "5%",
                "price": "79.91",
                "carbon_price_basis": "per_tco2e",
                "carbon_price_currency": "CNY",
            },
        ],
    )
    assert main(["explain", str(line), "--line", "2", "--carbon-prices", str(prices)]) == 0
    out = capsys.readouterr().out
    cea, ccer = 66.86 * 0.95 * 2 * 0.1 / CNY, 79.91 * 0.05 * 2 / CNY
    assert f"net {cea:.4f} EUR/t (from carbon-prices file {prices}, row 2)" in out
    assert f"net {ccer:.4f} EUR/t (from carbon-prices file {prices}, row 3)" in out
    assert out.count("treatment: recognised") == 2
    assert f"P_paid,eff = {cea:.4f} + {ccer:.4f} = {cea + ccer:.4f} EUR/t" in out
    # the summary by instrument: each row of the one line, x 100 t
    got = _json(line, capsys, "--carbon-prices", str(prices))
    by = {(t["unit"], t["treatment"]): t for t in got["instruments"]["by_instrument"]}
    assert set(by) == {("ets_allowance", "recognised"), ("ccer", "recognised")}
    assert by["ets_allowance", "recognised"]["recognised_eur"] == pytest.approx(round(cea * MASS, 2))
    assert by["ccer", "recognised"]["recognised_eur"] == pytest.approx(round(ccer * MASS, 2))
    assert by["ccer", "recognised"]["lines"] == by["ets_allowance", "recognised"]["lines"] == 1
    reduction = (cea + ccer) / P_REF * MASS
    assert got["instruments"]["art9_reduction_tco2e"] == pytest.approx(reduction, abs=1e-5)
    assert got["art9_reduction_tco2e"] == pytest.approx(reduction, abs=1e-5)


def test_paris_art6_cap_then_the_singapore_5_percent_limit_in_explain(tmp_path, capsys):
    # ITMOs for 12 % at 20 EUR/tCO2e under the Singapore carbon tax: net 20 x 0.12 x 2 = 4.8 EUR/t;
    # the draft's Paris cap keeps 10 / 12 (0.8333), leaving 10 % of the emissions, and the tax's
    # own 5 % limit keeps 5 / 10 of that: kept 0.8333 x 0.5 = 0.4167, recognised 2.0 EUR/t
    sg = write_csv(
        tmp_path / "sg.csv",
        [
            steel(
                country="SG",
                see_direct="2",
                route="C",
                carbon_price_paid="20",
                carbon_price_currency="EUR",
                carbon_price_basis="per_tco2e",
                carbon_price_instrument="ITMO",
                carbon_price_mechanism="Singapore carbon tax",
                carbon_price_use="compliance",
                carbon_price_share_covered="12%",
            )
        ],
    )
    assert main(["explain", str(sg), "--line", "2"]) == 0
    out = capsys.readouterr().out
    assert "net 4.8000 EUR/t" in out
    assert (
        "Paris Art 6 units cover 12 % of the emissions, above the draft's 10 % cap: "
        "kept 10 % / 12 % = 83.33 %" in out
    )
    assert (
        "cover 10 % of the emissions, above its offset limit of 5 % (of the verified emissions): "
        "kept 5 % / 10 % = 50 %" in out
    )
    assert "recognised 2.0000 EUR/t, not recognised 2.8000 EUR/t" in out
    assert "Carbon Pricing Act 2018" in out
