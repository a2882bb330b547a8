"""The instrument comparison of ``cbam scenario --compare-instruments``, worked by hand.

One installation, one line, one year: China, hot-rolled coil 7208 51 20, 100 t, actual direct
emissions E = 2.0 tCO2e/t, route C, imported in 2030 (CBAM factor 0.515, Column A benchmark
0.044). A flat certificate price of 80 EUR (P_ref = P_cert = 80), 8 CNY and 1.25 USD per EUR
(1 USD = 6.4 CNY):

    embedded 200 ; FAA = 100 x 0.515 x 0.044 = 2.266 ; room = 197.734 tCO2e ; levy 15,818.72 EUR

Allocation gap 10 %: the obligation is 2.0 x 0.10 x 100 = 20 tCO2e. Prices: CEA 100 CNY, CCER 60
CNY, VCS USD 5 (32 CNY), ITMO USD 15 (96 CNY).

    all CEA      20 t CEA = 2,000 CNY = 250 EUR, recognised in full: levy 15,818.72 - 250
    CCER 5 %     10 t CEA + 10 t CCER = 1,600 CNY = 200 EUR, recognised (within CNETS's 5 %)
    VCS          20 t CEA + 10 t VCS retired voluntarily = 2,320 CNY = 290 EUR, 250 recognised
    ITMO 10 %    20 t ITMO (10 % of 200 t: at the Paris cap) = 1,920 CNY = 240 EUR, recognised
                 only because CNETS is ASSUMED to accept ITMOs
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from conftest import steel, write_csv

from cbam_calc.cli import main
from cbam_calc.compute.instrument_compare import load_comparison
from cbam_calc.compute.scenarios import ScenarioParams, ScenarioSet, run_scenarios
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.readers import read_table
from cbam_calc.inputs.validate import validate
from cbam_calc.law import instruments
from cbam_calc.law.reference import reference_data

ROOM = 200.0 - 100 * 0.515 * 0.044  # 197.734 tCO2e
LEVY_0 = ROOM * 80  # 15,818.72 EUR
OPTIONS = CalcOptions(fx={"CNY": 8.0, "USD": 1.25})
CCER, VCS, ITMO = (
    "CEA + 5 % compliance CCER",
    "CEA + the same tonnes of VCS retired voluntarily",
    "ITMOs up to the 10 % cap, IF CNETS accepted ITMOs (assumption)",
)


def comparison(recognition=True, gap=0.10, itmo_share="paris_cap", itmo_usd=15.0, ccer_cny=60.0):
    return load_comparison(
        {
            "allocation_gap": gap,
            "recognition": recognition,
            "cea_price_cny": 100.0,
            "reference_option": "all CEA",
            "options": {
                "all CEA": {},
                CCER: {"credit": "ccer", "credit_share": 0.05, "credit_price_cny": ccer_cny},
                VCS: {
                    "credit": "vcs",
                    "credit_share": 0.05,
                    "credit_use": "voluntary",
                    "credit_price_usd": 5.0,
                },
                ITMO: {
                    "credit": "itmo",
                    "credit_share": itmo_share,
                    "credit_price_usd": itmo_usd,
                    "assume_accepted_by": "cnets",
                },
            },
        }
    )


@pytest.fixture
def validated(tmp_path):
    path = write_csv(
        tmp_path / "one.csv",
        [steel(see_direct="2.0", route="C", import_date="2030-03-10", installation="Plant A")],
    )
    return validate(read_table(path), reference_data())


def compare(validated, **kw) -> dict:
    sset = ScenarioSet(
        years=[2030],
        eua={"flat": 80.0},
        scenarios=[ScenarioParams(name="s", eua="flat")],
        compare_instruments=True,
    )
    result = run_scenarios(validated, sset, OPTIONS, comparison=comparison(**kw))
    t = result.instruments
    assert list(t["installation"].unique()) == ["Plant A"] and list(t["year"].unique()) == [2030]
    return {r["option"]: r for r in t.to_dict("records")}


def test_art9_draft_all_cea_the_price_paid_for_the_gap_comes_off_the_levy(validated):
    r = compare(validated)["all CEA"]
    assert r["cea_tco2e"] == pytest.approx(20.0) and r["credit_tco2e"] == 0.0
    assert r["domestic_cost_cny"] == pytest.approx(2000.0)
    assert r["domestic_cost_eur"] == pytest.approx(250.0)
    assert r["recognised_eur"] == pytest.approx(250.0)
    assert r["art9_reduction_tco2e"] == pytest.approx(250.0 / 80)  # R = 3.125 certificates
    assert r["eu_levy_eur"] == pytest.approx(LEVY_0 - 250.0)
    assert r["total_eur"] == pytest.approx(LEVY_0)
    assert r["break_even_credit_price_cny"] != r["break_even_credit_price_cny"]  # the reference


def test_art9_draft_compliance_ccer_within_cnets_5_percent_counts_at_its_price_so_the_total_is_unchanged(
    validated,
):
    r = compare(validated)[CCER]
    assert (r["cea_tco2e"], r["credit_tco2e"]) == (pytest.approx(10.0), pytest.approx(10.0))
    assert r["domestic_cost_cny"] == pytest.approx(10 * 100 + 10 * 60)  # 1,600 CNY
    assert r["domestic_cost_eur"] == pytest.approx(200.0)
    assert r["recognised_eur"] == pytest.approx(200.0) and r["not_recognised_eur"] == pytest.approx(0.0)
    assert str(r["treatment"]) == "recognised"
    assert r["eu_levy_eur"] == pytest.approx(LEVY_0 - 200.0)
    assert r["saving_vs_reference_eur"] == pytest.approx(0.0, abs=1e-6)
    # the same total until the recognised price removes the levy: (1,000 + 10 p) / 8 = 15,818.72
    kink = (LEVY_0 * 8 - 1000.0) / 10  # 12,554.976 CNY per tCO2e of CCER
    assert r["break_even_credit_price_cny"] == pytest.approx(kink)
    assert r["break_even_credit_price_usd"] == pytest.approx(kink / 8 * 1.25)
    assert not r["pays_at_given_price"]
    assert r["note"].code == "M_INSTR_NOTE_SAME_TOTAL_BELOW"
    # fed back: above the kink the CCER option costs more than all CEA
    dearer = compare(validated, ccer_cny=kink * 1.01)[CCER]
    assert dearer["eu_levy_eur"] == pytest.approx(0.0, abs=1e-6)
    assert dearer["saving_vs_reference_eur"] < -1.0


def test_art9_draft_voluntary_retirement_reduces_nothing_and_never_pays(validated):
    r = compare(validated)[VCS]
    assert r["cea_tco2e"] == pytest.approx(20.0)  # the whole gap in CEA, the VCS on top
    assert r["credit_tco2e"] == pytest.approx(10.0)  # the same tonnes as the CCER option
    assert r["credit_price_cny"] == pytest.approx(5.0 / 1.25 * 8)  # 32 CNY
    assert r["domestic_cost_cny"] == pytest.approx(2000.0 + 10 * 32)
    assert r["domestic_cost_eur"] == pytest.approx(290.0)
    assert r["recognised_eur"] == pytest.approx(250.0) and r["not_recognised_eur"] == pytest.approx(40.0)
    assert r["treatment"].code == "M_INSTRUMENT_VOLUNTARY"
    assert r["eu_levy_eur"] == pytest.approx(LEVY_0 - 250.0)
    assert r["saving_vs_reference_eur"] == pytest.approx(-40.0)
    assert r["break_even_credit_price_cny"] == pytest.approx(0.0, abs=1e-9)
    assert r["note"].code == "M_INSTR_NOTE_VOLUNTARY"


def test_art9_draft_itmo_within_the_paris_10_percent_cap_counts_only_under_the_cnets_assumption(validated):
    r = compare(validated)[ITMO]
    assert r["credit_tco2e"] == pytest.approx(20.0) and r["cea_tco2e"] == pytest.approx(0.0)  # 10 % of 200 t
    assert r["credit_price_cny"] == pytest.approx(15.0 / 1.25 * 8)  # 96 CNY
    assert r["domestic_cost_eur"] == pytest.approx(20 * 96 / 8)  # 240 EUR
    assert r["recognised_eur"] == pytest.approx(240.0)
    assert r["eu_levy_eur"] == pytest.approx(LEVY_0 - 240.0)
    assert r["total_eur"] == pytest.approx(LEVY_0)
    # without the assumption the reference table's CNETS does not take ITMOs: nothing counts
    units = instruments.known_units()
    cnets = instruments.known_mechanisms().index("cnets")
    plain = instruments.treat(
        [0], [units.index("itmo")], [cnets], [False], ["CN"], [0.1], [96.0], [True], [2.0], [0], [0], [8.0]
    )
    assert plain.reason[0] == instruments.NOT_ACCEPTED and plain.recognised_eur_per_t[0] == 0.0


def test_art9_draft_itmo_above_the_paris_cap_counts_at_zero_so_it_never_pays_while_a_levy_remains(validated):
    # gap 20 %: obligation 40 t; ITMO share 12 % -> 24 t, of which 10 % of 200 t = 20 t count
    r = compare(validated, gap=0.20, itmo_share=0.12)[ITMO]
    assert r["credit_tco2e"] == pytest.approx(24.0) and r["cea_tco2e"] == pytest.approx(16.0)
    assert r["domestic_cost_eur"] == pytest.approx((16 * 100 + 24 * 96) / 8)  # 200 + 288
    assert r["recognised_eur"] == pytest.approx((16 * 100 + 20 * 96) / 8)  # 200 + 240
    assert r["not_recognised_eur"] == pytest.approx(4 * 96 / 8)  # 48 EUR
    assert r["treatment"].code == "M_INSTRUMENT_ABOVE_PARIS_CAP"
    # total(p) = 200 + 3 p + (15,818.72 - 200 - 2.5 p) against 15,818.72: 0.5 p more at any p > 0
    assert r["saving_vs_reference_eur"] == pytest.approx(-0.5 * 96)
    assert r["break_even_credit_price_cny"] == pytest.approx(0.0, abs=1e-9)
    assert r["note"].code == "M_INSTR_NOTE_NEVER"


def test_art9_not_recognised_a_credit_pays_below_the_cea_price(validated):
    rows = compare(validated, recognition=False)
    assert rows["all CEA"]["total_eur"] == pytest.approx(LEVY_0 + 250.0)
    ccer = rows[CCER]
    assert ccer["eu_levy_eur"] == pytest.approx(LEVY_0) and ccer["art9_reduction_tco2e"] == 0.0
    assert ccer["saving_vs_reference_eur"] == pytest.approx(50.0)  # 10 t x (100 - 60) / 8
    assert ccer["break_even_credit_price_cny"] == pytest.approx(100.0)  # (1,000 + 10 p) / 8 = 250
    assert ccer["pays_at_given_price"] and ccer["note"].code == "M_INSTR_NOTE_PAYS_BELOW"
    itmo = rows[ITMO]
    assert itmo["saving_vs_reference_eur"] == pytest.approx(10.0)  # 20 t x (100 - 96) / 8
    assert itmo["break_even_credit_price_cny"] == pytest.approx(100.0)
    assert itmo["break_even_credit_price_usd"] == pytest.approx(100.0 / 8 * 1.25)  # 15.625 USD
    assert rows[VCS]["saving_vs_reference_eur"] == pytest.approx(-40.0)


def test_shipped_comparison_names_its_assumptions():
    c = load_comparison()
    assert c.options[0].name == c.reference_option == "all CEA"
    itmo = next(o for o in c.options if o.credit == "itmo")
    assert itmo.assumed and itmo.credit_share == instruments.paris_cap_share() == 0.10
    assert all("assumption" in o.credit_price_status for o in c.options if o.credit in ("vcs", "itmo"))
    ccer = next(o for o in c.options if o.credit == "ccer")
    assert ccer.credit_price_cny == reference_data().china_carbon_price("ccer")[0]
    assert c.cea_price_cny == reference_data().china_carbon_price("cea")[0]


def test_cli_scenario_compare_instruments_text_json_and_workbook(tmp_path, capsys):
    src = write_csv(
        tmp_path / "in.csv",
        [steel(see_direct="2.0", route="C", import_date="2030-03-10", installation="Plant A")],
    )
    args = ["scenario", str(src), "--years", "2030", "--compare-instruments", "--eua-price", "80"]
    args += ["--fx", "CNY=8", "--fx", "USD=1.25"]
    assert main([*args, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    block = doc["instrument_comparison"]
    assert "DRAFT" in block["rule_status"]
    assert block["headers"]["eu_levy_eur"] == {"en": "EU CBAM levy, EUR", "zh": "欧盟碳关税（欧元）"}
    rows = {r["option"]: r for r in block["rows"]}
    assert len(rows) == 4 and rows[VCS]["treatment"].startswith("retired voluntarily")
    assert any("ASSUMPTION" in line for line in block["preamble"])
    assert main([*args, "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    assert "第9条的数字基于" in text and "盈亏平衡信用价格" in text and "假设" in text
    out = tmp_path / "s.xlsx"
    assert main([*args, "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Instrument comparison" in text and "DRAFT" in text
    ws = openpyxl.load_workbook(out)["Instruments"]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("DRAFT" in c for c in cells) and any("草案" in c for c in cells)
    assert "Break-even credit price, CNY/tCO2e" in cells and "盈亏平衡信用价格（元/吨CO2e）" in cells
    capsys.readouterr()
    assert main(["calc", "--check", str(out)]) == 0  # the run record carries compare_instruments
    assert capsys.readouterr().out.startswith(f"{out}: the figures match")


def test_scenario_file_compare_instruments_key_runs_the_comparison(validated, tmp_path):
    from cbam_calc.compute.scenarios import load_config

    cfg = tmp_path / "s.yaml"
    cfg.write_text("years: 2030\ncompare_instruments: true\nscenarios:\n  a: {cea_price_cny: 1}\n", "utf-8")
    sset = load_config(cfg)
    assert sset.compare_instruments
    result = run_scenarios(validated, sset, OPTIONS)
    assert list(result.instruments["option"].unique()) == [o.name for o in load_comparison().options]
    assert "DRAFT" in result.assumptions["instrument_comparison"]["rule_status"]
    without = run_scenarios(validated, sset.model_copy(update={"compare_instruments": False}), OPTIONS)
    assert without.instruments is None


def test_credit_price_status_is_shown_in_the_language_of_the_run(tmp_path, capsys):
    """The credit price status of each option (compute.instrument_compare._price): the CCER price
    observed in reference_prices/ccer_price.csv (with its period), the VCS and ITMO prices assumed
    by credit_price_assumptions.yaml (its status, in Chinese the one Chinese status of that file,
    locale/zh_CN/reference_files.yaml). A Chinese workbook
    shows them in Chinese, an English one and --format json in English."""
    from cbam_calc.law.inventory import status_zh
    from cbam_calc.law.parameters import parameter
    from cbam_calc.outputs.scenario_report import instrument_header, sheet_name

    period = reference_data().china_carbon_price("ccer")[1]
    assumed = parameter("credit_price_assumptions")
    en, zh = assumed.status, status_zh("parameters/credit_price_assumptions.yaml")
    expected = {
        "en": {"ccer": f"observed ({period})", "vcs": en, "itmo": en},
        "zh": {"ccer": f"市场观察价（{period}）", "vcs": zh, "itmo": zh},
    }
    assert zh == "预测（假设值，并非观察到的市场价格）"  # cbam data --lang zh shows the same
    src = write_csv(tmp_path / "in.csv", [steel(see_direct="2.0", route="C", import_date="2030-03-10")])
    args = ["scenario", str(src), "--years", "2030", "--compare-instruments", "--eua-price", "80"]
    args += ["--fx", "CNY=8", "--fx", "USD=1.25"]
    for lang in ("en", "zh"):
        out = tmp_path / f"s_{lang}.xlsx"
        assert main([*args, "--lang", lang, "-o", str(out)]) == 0
        rows = list(openpyxl.load_workbook(out)[sheet_name("instruments", lang)].iter_rows(values_only=True))
        at = next(i for i, r in enumerate(rows) if instrument_header("credit", lang) in r)
        head = rows[at]
        body = [dict(zip(head, r)) for r in rows[at + (2 if lang == "en" else 1) :] if any(r)]
        status = {r[instrument_header("credit", lang)]: r[instrument_header("credit_price_status", lang)]
                  for r in body}  # fmt: skip
        assert status == {None: None, **expected[lang]}, status
    capsys.readouterr()
    assert main([*args, "--lang", "zh", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["instrument_comparison"]["rows"]
    assert {r["credit"]: r["credit_price_status"] for r in rows if r["credit"]} == expected["en"]
