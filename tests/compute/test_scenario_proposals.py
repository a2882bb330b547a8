"""The CBAM factor of proposal COM(2026) 616 as a named policy assumption (scenarios only), beside
the law's schedule, worked by hand.

One default-value line: China, hot-rolled coil 7208 51 20, 100 t, no actual data. Its default value
(IR 2025/2621 Annex I, China 7208, route C) is 3.187 tCO2e/t direct; from 2028 the mark-up is 30 %:
SEE = 3.187 x 1.30 = 4.143 (3 decimals), embedded = 414.3 tCO2e. Benchmark: Column B (default data),
route C, 1.370 tCO2e/t; CSCF 1.0. A flat certificate price of 80 EUR keeps the arithmetic round.

    2030, law (Dir 2003/87/EC Art 10a(1a)): factor 0.515  FAA = 100 x 0.515 x 1.370 = 70.555
                                            N = 414.3 - 70.555 = 343.745   levy = 27,499.60 EUR
    2030, COM(2026) 616:                    factor 0.59   FAA = 100 x 0.59 x 1.370 = 80.83
                                            N = 333.47                     levy = 26,677.60 EUR
    (FAA ratio 0.59 / 0.515)
    2036, law: factor 0 (from 2034)         FAA = 0       N = 414.3        levy = 33,144.00 EUR
    2036, COM(2026) 616: factor 0.15        FAA = 100 x 0.15 x 1.370 = 20.55
                                            N = 393.75                     levy = 31,500.00 EUR
    2027 (before the proposal's 2028): both 0.95.
"""

from __future__ import annotations

import json

import pytest
from conftest import steel, write_csv

from cbam_calc.cli import main
from cbam_calc.compute.scenario_set import scenario_set_from_options
from cbam_calc.compute.scenarios import ScenarioParams, ScenarioSet, run_scenarios
from cbam_calc.core.errors import OptionError
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.readers import read_table
from cbam_calc.inputs.validate import validate
from cbam_calc.law import proposals
from cbam_calc.law.reference import reference_data

PROPOSAL = "proposal-2026-616"
EMBEDDED = 100 * 4.143
BM_B = 1.370


@pytest.fixture
def shipments(tmp_path):
    return write_csv(tmp_path / "one.csv", [steel(import_date="2030-03-10")])


@pytest.fixture
def validated(shipments):
    return validate(read_table(shipments), reference_data())


def table(validated, years, factors=("law", PROPOSAL), price=80.0):
    eua = {"flat": price} if price else {"reference": "reference"}
    scenarios = [ScenarioParams(name="coil", eua=next(iter(eua)), cbam_factor=f) for f in factors]
    sset = ScenarioSet(years=years, eua=eua, scenarios=scenarios, baseline="coil")
    result = run_scenarios(validated, sset, CalcOptions())
    return result, result.table.set_index(["scenario", "year"])


def test_proposal_schedule_is_data_with_its_source_and_the_laws_values_before_it():
    law = proposals.cbam_factor_schedule("law")
    prop = proposals.cbam_factor_schedule(PROPOSAL)
    assert prop.status == "proposal" and "not law" in prop.label and "secondary sources" in prop.label
    expected = {2028: 0.915, 2029: 0.81, 2030: 0.59, 2031: 0.48, 2032: 0.375, 2033: 0.27}
    expected |= dict.fromkeys(range(2034, 2038), 0.15) | {2038: 0.0}
    assert {y: prop.at(y) for y in expected} == expected
    assert prop.at(2026) == law.at(2026) == 0.975 and prop.at(2027) == law.at(2027) == 0.95
    assert law.at(2036) == 0.0
    assert list(proposals.scenario_years()) == list(range(2026, 2039))
    from cbam_calc.law.inventory import reference_files

    listed = {f.path: f for f in reference_files()}["parameters/cbam_factor_proposal_2026_616.yaml"]
    assert listed.status == "proposal" and "COM(2026) 616" in listed.act  # cbam data lists it


def test_default_value_steel_line_2030_law_against_proposal(validated):
    _, t = table(validated, [2030])
    law, prop = t.loc[("coil", 2030)], t.loc[("coil [proposal COM(2026) 616]", 2030)]
    assert law["embedded_tco2e"] == pytest.approx(EMBEDDED) == prop["embedded_tco2e"]
    assert law["free_allocation_tco2e"] == pytest.approx(100 * 0.515 * BM_B)  # 70.555
    assert prop["free_allocation_tco2e"] == pytest.approx(100 * 0.59 * BM_B)  # 80.83
    assert prop["free_allocation_tco2e"] / law["free_allocation_tco2e"] == pytest.approx(0.59 / 0.515)
    assert law["certificates"] == pytest.approx(343.745) and prop["certificates"] == pytest.approx(333.47)
    assert law["eu_levy_eur"] == pytest.approx(27_499.60) and prop["eu_levy_eur"] == pytest.approx(26_677.60)
    assert (law["cbam_factor"], prop["cbam_factor"]) == (0.515, 0.59)
    assert law["cbam_factor_schedule"].startswith("law (Directive 2003/87/EC Art 10a(1a)")
    assert prop["cbam_factor_schedule"].startswith("proposal COM(2026) 616 (not law")
    # the baseline is the law's scenario: the proposal's saving is the FAA it adds, at 80 EUR
    assert prop["saving_vs_baseline_eur"] == pytest.approx(100 * (0.59 - 0.515) * BM_B * 80)


def test_a_2036_line_exists_only_in_scenarios_with_projected_price_and_rate(validated):
    # no flat price here: 2036 takes the reference data's last (2034) projection, carried forward
    result, t = table(validated, [2034, 2036], price=None)
    prop = t.loc[("coil [proposal COM(2026) 616]", 2036)]
    law = t.loc[("coil", 2036)]
    assert prop["free_allocation_tco2e"] == pytest.approx(100 * 0.15 * BM_B)  # 20.55
    assert prop["certificates"] == pytest.approx(EMBEDDED - 20.55)  # 393.75
    assert law["free_allocation_tco2e"] == 0.0 and law["certificates"] == pytest.approx(EMBEDDED)
    price_2034 = float(reference_data().certificate_prices.set_index("period").loc["2034"].iloc[0])
    assert prop["eu_levy_eur"] == pytest.approx(393.75 * price_2034)
    assert prop["certificate_price_status"] == "projection"
    assert prop["cny_per_eur"] == t.loc[("coil", 2034), "cny_per_eur"]
    assert any(w.startswith("2036: years for scenarios only") for w in result.warnings)
    assert any("carried forward" in w and "not real figures" in w for w in result.warnings)


def test_the_proposal_is_labelled_wherever_it_appears(validated, shipments, capsys):
    result, _ = table(validated, [2027, 2030])
    a = result.assumptions
    assert "PROPOSAL, not law" in result.rule_status
    assert a["cbam_factor_schedules"]["law"]["by_year"] == {2027: 0.95, 2030: 0.515}
    assert a["cbam_factor_schedules"][PROPOSAL]["by_year"] == {2027: 0.95, 2030: 0.59}
    assert a["cbam_factor_schedules"][PROPOSAL]["status"] == "proposal"
    assert any("a policy proposal, not law; before 2028 the law's values apply" in w for w in result.warnings)
    assert a["reference_data_as_of"].startswith("reference data as of 20")
    # the command line: text, JSON
    args = ["scenario", str(shipments), "--cbam-factor", f"law,{PROPOSAL}", "--eua-price", "80"]
    assert main([*args, "--years", "2030"]) == 0
    text = capsys.readouterr().out
    assert "[proposal COM(2026) 616]" in text and "CBAM factor by year" in text
    assert "2030  0.515                    0.59" in text
    assert main([*args, "--years", "2030", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    names = [s["scenario"] for s in doc["scenarios"]]
    assert any(n.endswith("[proposal COM(2026) 616]") for n in names)
    assert any(s["parameters"].get("cbam_factor") == PROPOSAL for s in doc["scenarios"])
    assert doc["assumptions"]["cbam_factor_schedules"][PROPOSAL]["label"].startswith("proposal")


def test_scenario_workbook_shows_the_schedules_side_by_side(shipments, tmp_path, capsys):
    import openpyxl

    out = tmp_path / "s.xlsx"
    args = ["scenario", str(shipments), "--cbam-factor", PROPOSAL, "--years", "2029,2030", "-o", str(out)]
    assert main(args) == 0
    wb = openpyxl.load_workbook(out)
    rows = list(wb["CBAM factor"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Year", "law", "proposal COM(2026) 616")
    assert rows[1][:3] == (2029, 0.775, 0.81) and rows[2][:3] == (2030, 0.515, 0.59)
    assert any("not law" in str(c) for r in rows for c in r if c)
    assert "CBAM factor schedule" in [c.value for c in wb["Scenarios by year"][1]]
    assert "cbam_factor_schedule" in [c.value for c in wb["Data - scenarios"][1]]
    assert main(["calc", "--check", str(out)]) == 0  # the Run sheet recomputes it
    capsys.readouterr()


def test_years_to_2038_with_a_proposal_unless_years_are_given():
    sset = scenario_set_from_options(cbam_factor=[PROPOSAL])
    assert sset.years == list(range(2026, 2039))
    assert all(s.cbam_factor == PROPOSAL for s in sset.scenarios)
    assert scenario_set_from_options(cbam_factor=["law"]).years == list(range(2026, 2035))
    assert scenario_set_from_options(years=[2030], cbam_factor=[PROPOSAL]).years == [2030]
    both = scenario_set_from_options(cea_price_cny=[0.0], cbam_factor=["law", PROPOSAL])
    assert [s.cbam_factor for s in both.scenarios] == ["law", PROPOSAL]


def test_scenario_file_key_and_bad_names(tmp_path):
    from cbam_calc.compute.scenario_set import load_config

    path = tmp_path / "s.yaml"
    path.write_text(
        "years: 2030-2038\nscenarios:\n  review:\n    cbam_factor: proposal-2026-616\n  today: {}\n",
        encoding="utf-8",
    )
    sset = load_config(path)
    assert [s.label() for s in sset.scenarios] == ["review [proposal COM(2026) 616]", "today"]
    path.write_text("scenarios:\n  x:\n    cbam_factor: proposal-2099\n", encoding="utf-8")
    with pytest.raises(OptionError, match="expected one of law, proposal-2026-616"):
        load_config(path)
    with pytest.raises(OptionError, match="expected one of law, proposal-2026-616"):
        scenario_set_from_options(cbam_factor=["nope"])


def test_calc_never_takes_a_proposal():
    # the proposal exists for scenarios only: calc's years and options know nothing of it
    assert "cbam_factor" not in CalcOptions.model_fields
    from cbam_calc.law.parameters import supported_years

    assert list(supported_years()) == list(range(2026, 2035))
