"""The carbon-prices table in the engine (issue 16; RULES.md "Art 9"): each line's instrument rows
treated as the draft Art 9 says (law.instruments.treat), and the line's effective price paid the
sum of their recognised parts, then the actual track

    P_paid,eff = sum_r recognised_r                          EUR per t of good
    R_g        = P_paid,eff / P_ref x M_g                    (capped at embedded - FAA)
    N_g        = embedded_g - FAA_g - R_g

Figures worked by hand from that formula; the rate (ECB yearly average EUR/CNY) and P_ref (the
year's mean certificate price) are the run's own, read from the reference data."""

from __future__ import annotations

import openpyxl
import pytest
from template_edit import CEMENT, edit, number, text

from cbam_calc.compute.calculate import calculate
from cbam_calc.inputs.comm_template import read_templates
from cbam_calc.law import art9, instruments, prices
from cbam_calc.law.reference import reference_data
from tests.conftest import SAMPLES, write_csv

TANGSHAN = "Tangshan Jinhai Iron & Steel Co., Ltd. - No.2 BF-BOF works (Hebei)"
RIZHAO = "Rizhao Donggang Steel Co., Ltd. (Shandong)"
PLANT = "Example Steel Plant"
CEMENT_PLANT = "Example Cement Producer"


def _cny() -> float:
    return prices.fx_rate(reference_data(), "CNY", 2026).units_per_eur


def _line(result, row: int):
    lines = result.lines
    return lines[lines["row"] == row].iloc[0]


def _one_actual_line(tmp_path, **more):
    """One line of hot-rolled plate from CN, 100 t, actual SEE 2.0 tCO2e/t (route C)."""
    return write_csv(
        tmp_path / "s.csv",
        [
            {
                "cn_code": "7208 51 20",
                "country": "CN",
                "net_mass_t": 100,
                "import_date": "2026-03-10",
                "see_direct": 2.0,
                "route": "C",
                "installation": PLANT,
                **more,
            }
        ],
    )


def _row(unit, share, price, **more):
    return {
        "installation": PLANT,
        "unit": unit,
        "use": "compliance",
        "covered_share": share,
        "price": price,
        "basis": "per_tco2e",
        "currency": "CNY",
        **more,
    }


def _deduction(line, p_eff: float) -> None:
    """R = P_eff / P_ref x M, within embedded - FAA; N = embedded - FAA - R; cost = N x price."""
    p_ref = line["reference_price_eur_per_tco2e"]
    r = p_eff / p_ref * line["net_mass_t"]
    assert r < line["embedded_tco2e"] - line["free_allocation_tco2e"]
    assert line["art9_track"] == "actual"
    assert line["carbon_price_paid_eur_per_t"] == pytest.approx(p_eff, rel=1e-12)
    assert line["art9_reduction_tco2e"] == pytest.approx(r, rel=1e-12)
    n = line["embedded_tco2e"] - line["free_allocation_tco2e"] - r
    assert line["certificates"] == pytest.approx(n, rel=1e-12)
    assert line["cost_eur"] == pytest.approx(n * line["price_eur_per_tco2e"], rel=1e-12)


def test_art9_cea_95_net_of_90_free_plus_compliance_ccer_5_sample():
    """samples/carbon_prices_zh.xlsx, Tangshan's plate (row 3, SEE 2.05, 864.2 t): CEA for 95 % of
    its emissions at 66.86 CNY/tCO2e, 90 % of them free; CCER surrendered for 5 % at 79.91, within
    CNETS's 5 % offset limit:
        P_eff = (66.86 x 0.95 x 2.05 x (1 - 0.90) + 79.91 x 0.05 x 2.05) / rate EUR/t"""
    r = calculate(SAMPLES / "shipments_cn_steel.xlsx", carbon_prices=SAMPLES / "carbon_prices_zh.xlsx")
    rate = _cny()
    cea = 66.86 * 0.95 * 2.05 * (1 - 0.90) / rate
    ccer = 79.91 * 0.05 * 2.05 / rate
    line = _line(r, 3)
    _deduction(line, cea + ccer)
    assert line["carbon_price_unit"] == "ets_allowance + ccer"
    assert line["carbon_price_mechanism_used"] == "cnets"
    assert line["carbon_price_treatment"] == "recognised"
    assert line["carbon_price_recognised_share"] == pytest.approx(1.0)
    assert line["carbon_price_unrecognised_eur_per_t"] == 0.0
    # the rows, one per (line, instrument): what the outputs total by instrument
    rows = r.instrument_rows
    mine = rows.line_row == 3
    assert rows.instrument[mine].tolist() == [0, 1]  # the table's CEA and CCER rows
    t = rows.treatment
    assert t.recognised_eur_per_t[mine] == pytest.approx([cea, ccer], rel=1e-12)
    assert rows.recognised_eur[mine] == pytest.approx([cea * 864.2, ccer * 864.2], rel=1e-12)
    assert t.reason[mine].tolist() == [instruments.RECOGNISED] * 2
    assert rows.computed[mine].all()
    assert rows.price_state[mine].tolist() == [art9.PRICE_DEDUCTED] * 2  # actual track, evidenced
    assert "W_CP_NOT_APPLIED" not in [w.code for w in r.summary.warning_messages()]


def test_art9_lines_without_table_rows_compute_as_without_the_table():
    """The table changes only the lines that take its rows: the other installations' lines give
    the same figures as the run without it."""
    without = calculate(SAMPLES / "shipments_cn_steel.xlsx").lines
    with_table = calculate(
        SAMPLES / "shipments_cn_steel.xlsx", carbon_prices=SAMPLES / "carbon_prices_zh.xlsx"
    ).lines
    other = ~with_table["installation"].isin([TANGSHAN, RIZHAO]).to_numpy()
    for c in ("art9_reduction_tco2e", "certificates", "cost_eur"):
        assert with_table[c].to_numpy()[other].tolist() == without[c].to_numpy()[other].tolist()
    taken = (
        with_table["installation"].eq(TANGSHAN).to_numpy() & with_table["art9_track"].eq("actual").to_numpy()
    )
    assert taken.sum() == 3
    assert (with_table["certificates"].to_numpy()[taken] < without["certificates"].to_numpy()[taken]).all()


def test_art9_voluntary_ccer_reduces_nothing_and_the_run_says_why():
    """Rizhao retires CCER voluntarily for 5 %: its actual line (row 13, SEE 2.12) keeps its whole
    levy; the unrecognised price is 79.91 x 0.05 x 2.12 / rate EUR/t."""
    r = calculate(SAMPLES / "shipments_cn_steel.xlsx", carbon_prices=SAMPLES / "carbon_prices_zh.xlsx")
    line = _line(r, 13)
    assert line["carbon_price_treatment"] == "voluntary"
    assert line["art9_reduction_tco2e"] == 0.0
    assert line["carbon_price_unrecognised_eur_per_t"] == pytest.approx(
        79.91 * 0.05 * 2.12 / _cny(), rel=1e-12
    )
    assert line["certificates"] == pytest.approx(line["embedded_tco2e"] - line["free_allocation_tco2e"])
    (w,) = [w for w in r.summary.warning_messages() if w.code == "W_INSTRUMENT_NOT_RECOGNISED"]
    assert w.params["n"] == 6  # Rizhao's six lines


def test_art9_two_ccer_rows_share_the_cnets_5_percent_offset_limit(tmp_path):
    """CEA 90 % at 60 CNY/tCO2e; CCER 6 % at 40 and CCER 4 % at 50: 10 % of credits against CNETS's
    5 % limit, so each CCER row keeps 0.05 / 0.10 = half its price (SEE 2.0):
        P_eff = (60 x 0.90 x 2 + 0.5 x (40 x 0.06 x 2 + 50 x 0.04 x 2)) / rate = 112.4 / rate
        unrecognised = 0.5 x (4.8 + 4.0) / rate = 4.4 / rate"""
    table = write_csv(
        tmp_path / "cp.csv",
        [_row("CEA", 0.90, 60), _row("CCER", 0.06, 40), _row("CCER", 0.04, 50)],
    )
    r = calculate(_one_actual_line(tmp_path), carbon_prices=table)
    rate = _cny()
    line = _line(r, 2)
    _deduction(line, 112.4 / rate)
    assert line["carbon_price_unit"] == "ets_allowance + ccer x2"
    assert line["carbon_price_treatment"] == "above_offset_limit"
    assert line["carbon_price_unrecognised_eur_per_t"] == pytest.approx(4.4 / rate, rel=1e-12)
    assert line["carbon_price_recognised_share"] == pytest.approx(0.90 + 0.05)
    assert r.instrument_rows.treatment.kept.tolist() == pytest.approx([1.0, 0.5, 0.5])


def _sheet_book(path, shipments: list[list], table: list[list]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in (("Shipments", shipments), ("碳价", table)):
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_art9_a_carbon_prices_sheet_of_the_shipments_workbook_deducts_as_a_file(tmp_path):
    """A 碳价 sheet beside the shipments: CEA for all emissions at 70 CNY/tCO2e, 90 % free
    (SEE 2.0): P_eff = 70 x 2.0 x (1 - 0.90) / rate = 14 / rate."""
    head = ["cn_code", "country", "net_mass_t", "import_date", "see_direct", "route", "installation"]
    shipments = [head, ["7208 51 20", "CN", 100, "2026-03-10", 2.0, "C", PLANT]]
    prices_ = [
        ["生产设施", "碳定价工具", "用途", "覆盖比例", "碳价", "计价基础", "币种", "免费配额比例"],
        [PLANT, "CEA", "履约", "100%", 70, "per_tco2e", "CNY", "90%"],
    ]
    r = calculate(_sheet_book(tmp_path / "s.xlsx", shipments, prices_))
    _deduction(_line(r, 2), 14 / _cny())
    assert r.carbon_prices.tables[0].sheet == "碳价"
    as_file = write_csv(tmp_path / "cp.csv", [dict(zip(prices_[0], prices_[1], strict=True))])
    again = calculate(_one_actual_line(tmp_path), carbon_prices=as_file)
    assert _line(again, 2)["art9_reduction_tco2e"] == _line(r, 2)["art9_reduction_tco2e"]


def test_art9_a_table_row_replaces_the_templates_price_due_never_adds_to_it(tmp_path):
    """The cement template gives a carbon tax due of EUR 6 per t of good (evidenced); a table row
    of EUR 4 per t for the same installation replaces it: R = 4 / P_ref x 1000, not (6 + 4)."""
    taxed = edit(
        CEMENT,
        tmp_path / "taxed.xlsx",
        "Summary_Products",
        {"AL10": text("Carbon Tax"), "AM10": number(1.0), "AP10": text("EUR"), "AR10": number(6.0)},
    )
    templates = read_templates([taxed])
    shipments = write_csv(
        tmp_path / "s.csv",
        [
            {
                "cn_code": "2523 29 00",
                "country": "TR",
                "net_mass_t": 1000,
                "import_date": "2026-03-10",
                "installation": CEMENT_PLANT,
            }
        ],
    )
    alone = _line(calculate(shipments, templates=templates, evidenced="all"), 2)
    _deduction(alone, 6.0)
    table = write_csv(
        tmp_path / "cp.csv",
        [
            {
                "installation": CEMENT_PLANT,
                "unit": "carbon tax",
                "price": 4,
                "basis": "per_t_good",
                "currency": "EUR",
            }
        ],
    )
    r = calculate(shipments, templates=templates, evidenced="all", carbon_prices=table)
    line = _line(r, 2)
    _deduction(line, 4.0)
    assert r.carbon_prices.replaces_template.tolist() == [True]
    assert line["carbon_price_source"] == f"carbon-prices file {table}"
    assert line["template_use"].endswith("carbon price due replaced by the carbon-prices table")
    assert alone["template_use"].endswith("carbon price due")
    assert r.instrument_rows.instrument.tolist() == [0]  # the table's row; the template's is not treated


def test_art9_a_line_giving_its_own_price_keeps_it(tmp_path):
    """The line's own 50 CNY/tCO2e (SEE 2.0) wins over its installation's table row of 70:
    P_eff = 50 x 2.0 / rate; the row is unused (R_CP_LINES_OWN_PRICE) and a warning says so."""
    shipments = _one_actual_line(
        tmp_path, carbon_price_paid=50, carbon_price_currency="CNY", carbon_price_basis="per_tco2e"
    )
    table = write_csv(tmp_path / "cp.csv", [_row("CEA", 1.0, 70)])
    r = calculate(shipments, carbon_prices=table)
    _deduction(_line(r, 2), 50 * 2.0 / _cny())
    assert r.instrument_rows is None
    assert r.carbon_prices.unused["code"].tolist() == ["R_CP_LINES_OWN_PRICE"]
    assert "W_CP_LINE_OWN_PRICE" in [w.code for w in r.summary.warning_messages()]


def test_art9_a_row_in_a_currency_without_a_yearly_rate_rejects_its_line(tmp_path):
    """Art 9 converts at the yearly ECB average: EGP has none, so the line taking the row is
    rejected (R_NO_FX_RATE), naming the table's currency column; nothing is deducted silently."""
    table = write_csv(tmp_path / "cp.csv", [_row("CEA", 1.0, 70, currency="EGP")])
    r = calculate(_one_actual_line(tmp_path), carbon_prices=table, raise_if_empty=False)
    assert r.summary.lines == 0
    (rej,) = r.rejected.to_dict("records")
    assert rej["code"] == "R_NO_FX_RATE" and rej["row"] == 2
    assert rej["column"] == "carbon-prices file: currency"


def test_art9_scenarios_say_the_table_does_not_enter_them(tmp_path):
    """cbam scenario prices CNETS and CCER from its own assumptions (its bases run with Art 9 off):
    a table's rows change no scenario figure, and the run says so rather than ignore them."""
    from cbam_calc.compute.scenarios import ScenarioParams, ScenarioSet, run_scenarios
    from cbam_calc.inputs.carbon_prices import read_carbon_prices
    from cbam_calc.inputs.readers import read_table
    from cbam_calc.inputs.validate import validate

    validated = validate(read_table(_one_actual_line(tmp_path)), reference_data())
    sset = ScenarioSet(years=[2026], eua={"flat": 80.0}, scenarios=[ScenarioParams(name="s", eua="flat")])
    table = read_carbon_prices(write_csv(tmp_path / "cp.csv", [_row("CEA", 1.0, 70)]))
    plain = run_scenarios(validated, sset)
    joined = run_scenarios(validated, sset, carbon_prices=[table])
    assert joined.table["eu_levy_eur"].tolist() == plain.table["eu_levy_eur"].tolist()
    (w,) = [w for w in joined.warnings if w.code == "W_CP_NOT_IN_SCENARIOS"]
    assert w.params["n"] == 1
    assert "W_CP_NOT_IN_SCENARIOS" not in [w.code for w in plain.warnings]


def test_art9_a_calc_report_with_the_sample_table_checks_again(tmp_path):
    """The run record keeps the table; --check joins and treats it again: the same figures."""
    from cbam_calc.outputs.check import check_report
    from cbam_calc.outputs.runs import calc_to_files

    calc_to_files(
        [SAMPLES / "shipments_cn_steel.xlsx"],
        carbon_prices=SAMPLES / "carbon_prices_zh.xlsx",
        report=tmp_path / "r.xlsx",
    )
    assert check_report(tmp_path / "r.xlsx").matches
