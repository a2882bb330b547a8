"""Scenarios (CNETS, CCER, Art 9 recognition), worked by hand.

One line: China, hot-rolled coil 7208 51 20, 100 t, actual direct emissions 2.0 tCO2e/t, route C,
imported in 2030 (CBAM factor 0.515; Column A benchmark 0.044). A flat certificate price of 80 EUR
(so P_ref = P_cert = 80) and 8 CNY per EUR make the arithmetic round:

    embedded = 200 ; FAA = 100 x 0.515 x 0.044 = 2.266 ; N = 197.734 ; levy = 15,818.72 EUR
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from conftest import steel, write_csv

from cbam_calc.cli import main
from cbam_calc.compute.calculate import calculate
from cbam_calc.compute.scenarios import ScenarioParams, ScenarioSet, load_config, run_scenarios, sweep
from cbam_calc.core.errors import OptionError
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.readers import read_table
from cbam_calc.inputs.validate import validate
from cbam_calc.law.reference import reference_data

EMBEDDED, FAA = 200.0, 100 * 0.515 * 0.044
LEVY_0 = (EMBEDDED - FAA) * 80  # 15,818.72
OPTIONS = CalcOptions(fx={"CNY": 8.0})


@pytest.fixture
def validated(tmp_path):
    path = write_csv(
        tmp_path / "one.csv",
        [steel(see_direct="2.0", route="C", import_date="2030-03-10", installation="Plant A")],
    )
    return validate(read_table(path), reference_data())


def run(validated, **scenario) -> dict:
    """Levy, domestic cost and total of one scenario in 2030 (plus the baseline)."""
    sset = ScenarioSet(
        years=[2030], eua={"flat": 80.0}, scenarios=[ScenarioParams(name="s", eua="flat", **scenario)]
    )
    result = run_scenarios(validated, sset, OPTIONS)
    rows = result.table.set_index("scenario")
    return {"s": rows.loc["s"].to_dict(), "baseline": rows.iloc[0].to_dict(), "result": result}


def test_zero_domestic_price_equals_the_calc_result(validated, tmp_path):
    out = run(validated, cea_price_cny=0.0, recognition=True)
    assert out["s"]["eu_levy_eur"] == pytest.approx(LEVY_0)
    assert out["baseline"]["eu_levy_eur"] == pytest.approx(LEVY_0)
    calc = calculate(validated.raw.file, CalcOptions(price_eur_per_tco2e=80.0, art9="off"))
    assert calc.summary.cost_eur == pytest.approx(LEVY_0, abs=0.005)


def test_art9_recognition_lowers_the_levy_by_the_price_paid_over_the_certificate_price(validated):
    # CNETS: gap 10 %, CEA 100 CNY -> 2.0 x 0.10 x 100 = 20 CNY per t, 2,000 CNY = 250 EUR
    # R = (20 / 8) / 80 x 100 = 3.125 tCO2e -> levy falls by 3.125 x 80 = 250 EUR
    out = run(validated, cea_price_cny=100.0, allocation_gap=0.10, recognition=True)
    s = out["s"]
    assert s["domestic_compliance_eur"] == pytest.approx(250.0)
    assert s["art9_reduction_tco2e"] == pytest.approx(3.125)
    assert s["eu_levy_eur"] == pytest.approx(LEVY_0 - 250.0)
    assert s["total_carbon_cost_eur"] == pytest.approx(LEVY_0)
    assert s["saving_vs_baseline_eur"] == pytest.approx(0.0, abs=1e-6)
    not_recognised = run(validated, cea_price_cny=100.0, allocation_gap=0.10, recognition=False)["s"]
    assert not_recognised["eu_levy_eur"] == pytest.approx(LEVY_0)
    assert not_recognised["saving_vs_baseline_eur"] == pytest.approx(-250.0)


def test_art9_recognition_never_below_zero(validated):
    s = run(validated, cea_price_cny=1e6, allocation_gap=1.0, recognition=True)["s"]
    assert s["certificates"] == 0.0 and s["eu_levy_eur"] == 0.0
    assert s["art9_reduction_tco2e"] == pytest.approx(EMBEDDED - FAA)


def test_ccer_for_compliance_reduces_the_levy_only_when_recognised(validated):
    # gap 5 % covered by 5 % CCER at 60 CNY: 2.0 x 0.05 x 60 = 6 CNY/t = 75 EUR for 100 t
    # R = (6 / 8) / 80 x 100 = 0.9375 tCO2e = 75 EUR less levy
    rec = run(
        validated,
        allocation_gap=0.05,
        ccer_share=0.05,
        ccer_price_cny=60.0,
        cea_price_cny=100.0,
        recognition=True,
    )["s"]
    assert rec["domestic_compliance_eur"] == pytest.approx(75.0)
    assert rec["eu_levy_eur"] == pytest.approx(LEVY_0 - 75.0)
    not_rec = run(
        validated,
        allocation_gap=0.05,
        ccer_share=0.05,
        ccer_price_cny=60.0,
        cea_price_cny=100.0,
        recognition=False,
    )["s"]
    assert not_rec["eu_levy_eur"] == pytest.approx(LEVY_0)


def test_voluntary_ccer_never_reduces_the_levy(validated):
    for recognition in (True, False):
        s = run(
            validated,
            allocation_gap=0.0,
            ccer_share=0.05,
            ccer_price_cny=60.0,
            ccer_use="voluntary",
            recognition=recognition,
        )["s"]
        assert s["eu_levy_eur"] == pytest.approx(LEVY_0)
        assert s["voluntary_ccer_eur"] == pytest.approx(2.0 * 0.05 * 60 * 100 / 8)  # 75 EUR
        assert s["saving_vs_baseline_eur"] == pytest.approx(-75.0)


def test_ccer_substitution_effect_per_cny(validated):
    # CEA 100, gap 10 %, CCER 5 % at 60 replaces 0.1 t of CEA: compliance 0.1x100 + 0.1x60 = 16
    # CNY/t instead of 20: the recognised price falls by 4 CNY/t, the levy rises by 400/8 = 50 EUR
    # for 600 CNY spent on CCERs
    s = run(
        validated,
        cea_price_cny=100.0,
        allocation_gap=0.10,
        ccer_share=0.05,
        ccer_price_cny=60.0,
        recognition=True,
    )["s"]
    assert s["ccer_spend_cny"] == pytest.approx(600.0)
    assert s["levy_avoided_eur_per_cny_ccer"] == pytest.approx(-50.0 / 600.0)
    assert s["net_saving_eur_per_cny_ccer"] == pytest.approx(0.0, abs=1e-9)


def test_break_even_cea_price_gives_zero_levy_when_fed_back(validated):
    # needed: (SEE - SEFA) x P_ref x rate = (2.0 - 0.02266) x 80 x 8 CNY per t; CEA bought 0.2 t
    out = run(validated, cea_price_cny=100.0, allocation_gap=0.10, recognition=True)
    be = out["result"].break_even
    price = float(be.loc[be["cn_code"] == "72085120", "break_even_cea_price_cny"].iloc[0])
    assert price == pytest.approx((2.0 - 0.515 * 0.044) * 80 * 8 / 0.2)  # 6,327.49 CNY/tCO2e
    s = run(validated, cea_price_cny=price, allocation_gap=0.10, recognition=True)["s"]
    assert s["eu_levy_eur"] == pytest.approx(0.0, abs=1e-6)
    lower = run(validated, cea_price_cny=price * 0.99, allocation_gap=0.10, recognition=True)["s"]
    assert lower["eu_levy_eur"] > 0


def test_year_when_defaults_cost_more_than_verification(validated):
    # default 2030: SEE 4.143 (China 7208, +30 %), Column B route C 1.370:
    # (414.3 - 100 x 0.515 x 1.370) x 80 = 27,499.60 EUR against 15,818.72 EUR with actual data
    sset = ScenarioSet(years=[2030], eua={"flat": 80.0}, scenarios=[], verification_cost_eur=5000)
    dva = run_scenarios(validated, sset, OPTIONS).default_vs_actual.iloc[0]
    assert dva["levy_default_eur"] == pytest.approx((414.3 - 100 * 0.515 * 1.370) * 80)
    assert dva["levy_actual_eur"] == pytest.approx(LEVY_0)
    assert dva["defaults_cost_more"]


def test_years_2026_to_2034_and_baseline_naming(validated):
    sset = sweep(
        list(range(2026, 2035)),
        {"flat": 80.0},
        cea_price_cny=(100.0,),
        allocation_gap=(0.1,),
        recognition=(True,),
    )
    result = run_scenarios(validated, sset, OPTIONS)
    assert sorted(result.table["year"].unique()) == list(range(2026, 2035))
    levy = result.table[result.table["scenario"] == result.baseline].set_index("year")["eu_levy_eur"]
    assert levy.is_monotonic_increasing  # the CBAM factor only falls
    assert levy[2034] == pytest.approx(EMBEDDED * 80)  # factor 0: no free allocation


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--ccer-share", "0.06"], "--ccer-share"),
        (["--ccer-share", "6%"], "cap"),
        (["--cea-price", "-5"], "must not be negative"),
        (["--years", "2025-2027"], "2025 is outside"),
        (["--recognition", "maybe"], "--recognition"),
    ],
)
def test_bad_scenario_options_are_clear_and_write_nothing(validated, tmp_path, capsys, args, needle):
    out = tmp_path / "s.xlsx"
    code = main(["scenario", validated.raw.file, "-o", str(out), *args])
    assert code == 2
    assert needle in capsys.readouterr().err
    assert not out.exists()


def test_price_path_with_gaps_is_refused(validated, tmp_path, capsys):
    path = tmp_path / "gappy.csv"
    path.write_text("period,price_eur_per_tco2e\n2027,80\n2029,90\n", encoding="utf-8")
    assert main(["scenario", validated.raw.file, "--eua-path", str(path), "--years", "2027-2029"]) == 2
    assert "no price for 2028" in capsys.readouterr().err


def test_config_unknown_key_names_scenario_and_key(tmp_path):
    cfg = tmp_path / "s.yaml"
    cfg.write_text("scenarios:\n  high CEA:\n    cea_price: 150\n", encoding="utf-8")
    with pytest.raises(OptionError, match="scenario 'high CEA': cea_price: unknown key"):
        load_config(cfg)
    cfg.write_text("yeers: 2030\nscenarios:\n  a: {cea_price_cny: 1}\n", encoding="utf-8")
    with pytest.raises(OptionError, match="yeers: unknown key"):
        load_config(cfg)


def test_config_file_scenarios(validated, tmp_path, capsys):
    cfg = tmp_path / "mine.yaml"
    cfg.write_text(
        "years: 2030\nbaseline: nothing\neua: {flat80: 80}\n"
        "defaults: {eua: flat80, allocation_gap: 0.1}\n"
        "scenarios:\n  nothing: {recognition: false}\n  CEA 100 recognised: {cea_price_cny: 100, "
        "recognition: true}\n",
        encoding="utf-8",
    )
    assert (
        main(["scenario", validated.raw.file, "--config", str(cfg), "--fx", "CNY=8", "--format", "json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    by_name = {s["scenario"]: s for s in doc["scenarios"]}
    assert by_name["nothing"]["is_baseline"]
    assert by_name["CEA 100 recognised"]["totals"]["eu_levy_eur"] == pytest.approx(LEVY_0 - 250.0)
    assert doc["rule_status"].startswith("Art 9 figures rest on the DRAFT")


@pytest.mark.slow
def test_scenario_outputs_xlsx_with_charts_and_png(tmp_path, capsys):
    from conftest import SAMPLES

    out, png = tmp_path / "scenario.xlsx", tmp_path / "png"
    assert (
        main(
            [
                "scenario",
                str(SAMPLES / "shipments_art9_cnets.xlsx"),
                "--years",
                "2026,2030",
                "--cea-price",
                "70,100",
                "--ccer-share",
                "0,0.05",
                "--ccer-price",
                "80",
                "--recognition",
                "yes,no",
                "-o",
                str(out),
                "--png",
                str(png),
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "DRAFT" in text and "Break-even CEA price" in text
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "Overview",
        "Levy by year",
        "Scenarios by year",
        "Break-even",
        "Actual vs default",
        "Assumptions",
        "Chart data",
        "Data - scenarios",
        "Run",
    ]
    assert len(wb["Overview"]._charts) == 3  # levy by year; EU levy and domestic cost, each its panel
    assert "DRAFT" in wb["Assumptions"]["A1"].value
    assert sorted(p.name for p in png.iterdir()) == ["cost_split.png", "levy_by_year.png"]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in png.iterdir())


def test_scenario_workbook_is_checked_like_a_calc_report(tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv", [steel(), steel(net_mass_t="250")])
    out = tmp_path / "scenarios.xlsx"
    assert main(["scenario", str(src), "-o", str(out), "--years", "2027,2030", "--cea-price", "0,80"]) == 0
    assert "Run" in openpyxl.load_workbook(out, read_only=True).sheetnames
    capsys.readouterr()
    assert main(["calc", "--check", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"{out}: the figures match")
    write_csv(src, [steel(), steel(net_mass_t="260")])  # the input edited afterwards
    assert main(["calc", "--check", str(out)]) == 1
    said = capsys.readouterr().out
    assert "do NOT match" in said and "eu_levy_eur: report" in said and "has changed since the report" in said


def test_scenario_eur_per_tonne_is_goods_cost_over_goods_mass_electricity_in_mwh_apart(tmp_path):
    # Annex IV 2.: electricity is counted in MWh. 100 t of coil (levy 15,818.72 EUR, as above) and
    # 50 MWh of electricity at 0.5 tCO2e/MWh (no free allocation: 25 x 80 = 2,000 EUR): EUR per t is
    # 15,818.72 / 100 = 158.1872, not (15,818.72 + 2,000) / 150 t+MWh.
    path = write_csv(
        tmp_path / "two.csv",
        [
            steel(see_direct="2.0", route="C", import_date="2030-03-10", installation="Plant A"),
            steel(cn_code="2716 00 00", net_mass_t="50", see_direct="0.5", import_date="2030-03-10"),
        ],
    )
    sset = ScenarioSet(years=[2030], eua={"flat": 80.0}, scenarios=[ScenarioParams(name="s", eua="flat")])
    row = run_scenarios(validate(read_table(path), reference_data()), sset, OPTIONS).table.iloc[0]
    assert row["eu_levy_eur"] == pytest.approx(LEVY_0 + 2000.0)
    assert row["net_mass_t"] == pytest.approx(100.0)
    assert row["electricity_mwh"] == pytest.approx(50.0)
    assert row["eu_levy_eur_per_t"] == pytest.approx(LEVY_0 / 100.0)


def test_break_even_notes_are_message_codes_with_their_count(tmp_path):
    """The notes of the break-even table are codes with parameters (compute.scenarios), shown in
    the report's language by the outputs: 7208 51 20 has one actual-data line and two on default
    values (2 keep their levy), 7208 52 10 only default values (the actual track of the Art 9
    draft needs actual emissions); with no allocation gap no allowance is bought."""
    from cbam_calc.core.messages import Message
    from cbam_calc.outputs.scenario_report import break_even_frame, scenario_text

    lines = [
        steel(see_direct="2.0", route="C", import_date="2030-03-10"),
        steel(import_date="2030-03-10"),
        steel(import_date="2030-03-10"),
        steel(cn_code="7208 52 10", import_date="2030-03-10"),
    ]
    validated = validate(read_table(write_csv(tmp_path / "four.csv", lines)), reference_data())
    sset = ScenarioSet(
        years=[2030],
        eua={"flat": 80.0},
        scenarios=[
            ScenarioParams(
                name="gap", eua="flat", cea_price_cny=100.0, allocation_gap=0.10, recognition=True
            ),
            ScenarioParams(
                name="no gap", eua="flat", cea_price_cny=100.0, allocation_gap=0.0, recognition=True
            ),
        ],
    )
    result = run_scenarios(validated, sset, OPTIONS)
    notes = {(r.allocation_gap, r.cn_code): r.note for r in result.break_even.itertuples()}
    assert [(n.code, n.params) for n in notes.values()] == [
        ("M_BE_DEFAULT_LINES", {"n": 2}),
        ("M_BE_DEFAULT_ONLY", {}),
        ("M_BE_NO_PURCHASE", {}),
        ("M_BE_DEFAULT_ONLY", {}),
    ]
    assert all(isinstance(n, Message) for n in notes.values())
    assert notes[(0.1, "72085120")] == "2 line(s) on default values keep their levy"  # its English
    zh = break_even_frame(result, "zh")
    assert zh["note"].tolist() == [
        "2 行使用默认值，其碳关税不变",
        "无需购买配额（无配额缺口，或由CCER覆盖）",
        "默认值：第9条草案的实际路径需要实际排放数据",
        "默认值：第9条草案的实际路径需要实际排放数据",
    ]
    assert "no allowance is bought (no allocation gap, or CCERs cover it)" in scenario_text(result, "en")
    text = scenario_text(result, "zh")
    assert "无需购买配额（无配额缺口，或由CCER覆盖）" in text and "no allowance" not in text
