"""cbam batch: the carbon price paid abroad by instrument, summed over the members (issue 16;
RULES.md "Art 9", DRAFT) in the consolidated text, JSON, workbook Summary and HTML page.

Each line: 100 t of China hot-rolled coil (7208 51 20), actual SEE 2 tCO2e/t, Q1 2026; CNY at the
2026 ECB mean 7.8757 per EUR, P_ref 2026 = 78.82 EUR/tCO2e (as test_instrument_outputs.py):

    recognised_r = P_r x s_r x SEE / rate  [EUR per t of good];  EUR_r = recognised_r x M

- compliance CCER for 5 % at 60 CNY/tCO2e, within the CNETS 5 % limit (both members):
  60 x 0.05 x 2 / 7.8757 = 0.761837 EUR/t -> 76.18 EUR recognised per line (each member's calc);
  R = 0.761837 / 78.82 x 100 = 0.966553 tCO2e per line
- VCS credits retired voluntarily for the whole line at 40 CNY/tCO2e (member "beta" only):
  40 x 1 x 2 / 7.8757 = 10.157827 EUR/t -> 1,015.78 EUR not recognised, R = 0

Consolidated: the members' rows summed by (unit, mechanism, treatment), the totals the sums of
the members' cbam calc totals:
    CCER in CNETS, recognised: 2 lines, 76.18 + 76.18 = 152.36 EUR, 2 x 0.966553 = 1.933107 tCO2e
    VCS, voluntary:            1 line, 1,015.78 EUR not recognised
    total:                     152.36 EUR recognised, 1,015.78 EUR not
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from conftest import steel, write_csv

from cbam_calc.cli import main
from cbam_calc.core.sheets import sheet_name

CNY, P_REF, SEE, MASS = 7.8757, 78.82, 2.0, 100.0
CCER_EUR = round(60 * 0.05 * SEE / CNY * MASS, 2)  # 76.18
CCER_R = 60 * 0.05 * SEE / CNY / P_REF * MASS  # 0.966553
VCS_EUR = round(40 * 1.0 * SEE / CNY * MASS, 2)  # 1015.78

PRICED = {"see_direct": str(SEE), "route": "C", "carbon_price_currency": "CNY"}
ZH = {  # the member "beta" writes its headers in Chinese
    "cn_code": "商品编码",
    "country": "原产国",
    "net_mass_t": "净重（吨）",
    "import_date": "进口日期",
    "see_direct": "直接排放",
    "route": "生产路线",
    "carbon_price_currency": "碳价币种",
    "carbon_price_basis": "碳价基础",
    "carbon_price_paid": "已付碳价",
    "carbon_price_instrument": "碳定价工具",
    "carbon_price_use": "用途",
    "carbon_price_share_covered": "覆盖比例",
}


def _ccer() -> dict:
    return steel(
        **PRICED,
        carbon_price_basis="per_tco2e",
        carbon_price_paid="60",
        carbon_price_instrument="CCER",
        carbon_price_use="compliance",
        carbon_price_share_covered="5%",
    )


def _vcs() -> dict:
    return steel(
        **PRICED,
        carbon_price_basis="per_tco2e",
        carbon_price_paid="40",
        carbon_price_instrument="VCS",
        carbon_price_use="自愿",
        carbon_price_share_covered="100%",
    )


@pytest.fixture
def association(tmp_path):
    folder = tmp_path / "members"
    folder.mkdir()
    write_csv(folder / "alpha.csv", [_ccer()])
    write_csv(folder / "beta.csv", [{ZH[k]: v for k, v in r.items()} for r in (_ccer(), _vcs())])
    return folder


def _json(args, capsys) -> dict:
    assert main([*args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _rows(inst) -> dict:
    return {(t["unit"], t["mechanism"], t["treatment"]): t for t in inst["by_instrument"]}


def test_art9_draft_batch_instruments_are_the_sum_of_the_members_calc(association, capsys):
    each = [_json(["calc", str(association / f"{m}.csv")], capsys)["instruments"] for m in ("alpha", "beta")]
    assert _rows(each[0])["ccer", "cnets", "recognised"]["recognised_eur"] == CCER_EUR == 76.18
    assert _rows(each[1])["vcs", "", "voluntary"]["unrecognised_eur"] == VCS_EUR == 1015.78
    inst = _json(["batch", str(association)], capsys)["instruments"]
    by = _rows(inst)
    assert list(by) == [("ccer", "cnets", "recognised"), ("vcs", "", "voluntary")]
    ccer, vcs = by["ccer", "cnets", "recognised"], by["vcs", "", "voluntary"]
    assert ccer["lines"] == 2 and vcs["lines"] == 1
    assert ccer["recognised_eur"] == pytest.approx(2 * CCER_EUR) == 152.36
    assert ccer["unrecognised_eur"] == 0
    assert ccer["art9_reduction_tco2e"] == pytest.approx(2 * CCER_R, abs=2e-6)
    assert vcs["recognised_eur"] == 0 and vcs["art9_reduction_tco2e"] == 0
    assert vcs["unrecognised_eur"] == pytest.approx(VCS_EUR)
    assert ccer["line_state"] == "deducted" and vcs["line_state"] == ""  # VCS: nothing to deduct
    for key in (
        "recognised_eur",
        "recognised_deducted_eur",
        "recognised_not_deducted_eur",
        "unrecognised_eur",
        "art9_reduction_tco2e",
    ):
        assert inst[key] == pytest.approx(sum(e[key] for e in each), abs=1e-9)
    assert inst["recognised_eur"] == pytest.approx(152.36) and inst["unrecognised_eur"] == 1015.78
    assert "MEE" in ccer["source"] and inst["status"].startswith("DRAFT")


def test_art9_draft_batch_text_and_chinese_text_show_the_table_and_the_draft_note(association, capsys):
    assert main(["batch", str(association)]) == 0
    out = capsys.readouterr().out
    section = out[out.index("Carbon price paid abroad, by instrument (Art 9, DRAFT):") :].split("\n\n")[0]
    assert "152.36" in section and "1,015.78" in section and "Art 9 rests on a DRAFT" in section
    total = next(r for r in section.splitlines() if r.strip().startswith("Total"))
    # deducted, recognised not deducted, not recognised, tCO2e
    assert total.split()[1:] == ["152.36", "0.00", "1,015.78", f"{2 * CCER_R:,.3f}"]
    assert main(["batch", str(association), "--lang", "zh"]) == 0
    zh = capsys.readouterr().out
    section = zh[zh.index("境外已付碳价（按碳定价工具，第9条，草案）：") :].split("\n\n")[0]
    assert "国家核证自愿减排量" in section and "全国碳排放权交易市场" in section
    assert "152.36" in section and "1,015.78" in section and "草案" in section.splitlines()[-1]


def test_art9_draft_batch_workbook_summary_and_html_in_chinese(association, tmp_path, capsys):
    book, page = tmp_path / "batch.xlsx", tmp_path / "batch.html"
    assert main(["batch", str(association), "-o", str(book), "--html", str(page), "--lang", "zh"]) == 0
    rows = [
        list(r) for r in openpyxl.load_workbook(book)[sheet_name("summary", "zh")].iter_rows(values_only=True)
    ]
    at = next(i for i, r in enumerate(rows) if r[0] == "境外已付碳价（按碳定价工具，第9条，草案）")
    assert rows[at + 1][:5] == [
        "碳定价工具",
        "碳定价机制",
        "处理方式（第9条草案）",
        "已付碳价在第9条下的处理",
        "行数",
    ]
    assert rows[at + 2][:8] == [
        "国家核证自愿减排量",
        "全国碳排放权交易市场",
        "予以认可",
        "予以扣减（实际路径，已付碳价有证明）",
        2,
        152.36,
        0,
        0,
    ]
    assert rows[at + 4][5:8] == [pytest.approx(152.36), 0, pytest.approx(1015.78)]
    html = page.read_text(encoding="utf-8")
    section = html[html.index("<h2>境外已付碳价（按碳定价工具，第9条，草案）</h2>") :].split("</section>")[0]
    assert "1,015.78" in section and "草案" in section


def test_art9_draft_batch_without_instruments_has_no_instrument_section(tmp_path, capsys):
    folder = tmp_path / "plain"
    folder.mkdir()
    write_csv(folder / "alpha.csv", [steel(**PRICED, carbon_price_basis="per_tco2e", carbon_price_paid="60")])
    assert "instruments" not in _json(["batch", str(folder)], capsys)
    assert main(["batch", str(folder)]) == 0
    assert "by instrument" not in capsys.readouterr().out
