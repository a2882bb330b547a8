"""Everything a command does is one Python call: a notebook gets what ``cbam ...`` gets, without click.

Each test runs a command through ``main`` and the library call behind it (cbam_calc.outputs.runs,
compute.scenario_set.scenario_set_from_options) and compares what they give.
"""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES

from cbam_calc.cli import main
from cbam_calc.compute.scenario_set import load_config, parse_years, scenario_set_from_options
from cbam_calc.compute.scenarios import run_scenarios
from cbam_calc.core.errors import NothingComputedError, OptionError
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.readers import read_table
from cbam_calc.inputs.validate import validate
from cbam_calc.law.reference import reference_data
from cbam_calc.outputs.batch_report import batch_json
from cbam_calc.outputs.check import check_report
from cbam_calc.outputs.explain import explain_json
from cbam_calc.outputs.runs import (
    Written,
    batch_to_files,
    calc_to_files,
    explain_input,
    report_to_files,
    scenario_to_files,
)
from cbam_calc.outputs.scenario_report import scenario_json
from cbam_calc.outputs.text import summary_json

STEEL = SAMPLES / "shipments_cn_steel.xlsx"


def test_scenario_set_from_python_is_the_commands(tmp_path, capsys):
    args = ["--years", "2026-2030", "--cea-price", "0,80", "--ccer-share", "0,0.05", "--ccer-price", "50"]
    assert main(["scenario", str(STEEL), *args, "--fx", "CNY=8", "--format", "json"]) == 0
    from_cli = json.loads(capsys.readouterr().out)

    sset = scenario_set_from_options(
        years=parse_years("2026-2030"), cea_price_cny=[0, 80], ccer_share=[0, 0.05], ccer_price_cny=[50]
    )
    assert sset.years == [2026, 2027, 2028, 2029, 2030]
    assert {s.allocation_gap for s in sset.scenarios} == {0.05}  # the command's default gap
    result = scenario_to_files(STEEL, sset, CalcOptions(fx={"CNY": 8.0}))
    assert json.loads(scenario_json(result)) == from_cli
    # the same table as running the scenario set on the validated file by hand
    ref = reference_data()
    by_hand = run_scenarios(validate(read_table(STEEL), ref), sset, CalcOptions(fx={"CNY": 8.0}), ref)
    assert result.table.equals(by_hand.table)


def test_scenario_set_from_a_config_and_its_errors(tmp_path):
    cfg = tmp_path / "sc.yaml"
    cfg.write_text("scenarios:\n  low:\n    cea_price_cny: 60\n  high:\n    cea_price_cny: 120\n")
    sset = scenario_set_from_options(config=cfg, years=[2027], verification_cost_eur=500)
    assert sset.years == [2027] and sset.verification_cost_eur == 500
    assert sset.scenarios == load_config(cfg).scenarios
    with pytest.raises(OptionError, match="not both"):
        scenario_set_from_options(config=cfg, cea_price_cny=[10])
    with pytest.raises(OptionError, match="2040 is outside"):
        scenario_set_from_options(years=[2040])
    flat = scenario_set_from_options(eua_price=[80], eua_path=[SAMPLES / "eua_path.csv"], years=[2027])
    assert flat.eua == {"flat 80": 80, "eua_path": str(SAMPLES / "eua_path.csv")}


def test_calc_to_files_writes_what_cbam_calc_writes(tmp_path, capsys):
    report, lines = tmp_path / "cli.xlsx", tmp_path / "cli.csv"
    assert (
        main(
            [
                "calc",
                str(STEEL),
                "--year",
                "2027",
                "-o",
                str(report),
                "--lines-out",
                str(lines),
                "--format",
                "json",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()

    said: list[Written] = []
    result = calc_to_files(
        STEEL,
        CalcOptions(year=2027),
        report=tmp_path / "py.xlsx",
        lines_out=tmp_path / "py.csv",
        on_written=said.append,
    )
    assert summary_json(result) == captured.out.strip()
    assert [str(w) for w in said] == [
        f"report written to {tmp_path / 'py.xlsx'}",
        f"lines written to {tmp_path / 'py.csv'}",
    ]
    assert (tmp_path / "py.csv").read_bytes() == lines.read_bytes()
    assert check_report(tmp_path / "py.xlsx").matches
    with pytest.raises(OptionError, match="pandas engine computes one file"):
        calc_to_files([STEEL, STEEL])


def test_calc_to_files_writes_the_report_then_says_nothing_was_computed(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("cn_code,country,net_mass_t,import_date\n7208 51 20,CN,abc,2026-02-01\n")
    with pytest.raises(NothingComputedError) as e:
        calc_to_files(bad, report=tmp_path / "r.xlsx")
    assert (tmp_path / "r.xlsx").is_file() and len(e.value.result.rejected) == 1


def test_report_to_files_writes_what_cbam_report_writes(tmp_path, capsys):
    assert main(["report", str(STEEL), "-o", str(tmp_path / "cli.html")]) == 0
    capsys.readouterr()
    said: list[Written] = []
    report_to_files(STEEL, None, [tmp_path / "py.html", tmp_path / "py.xlsx"], on_written=said.append)
    assert [w.path for w in said] == [tmp_path / "py.html", tmp_path / "py.xlsx"]
    assert (tmp_path / "py.html").read_text(encoding="utf-8") == (tmp_path / "cli.html").read_text(
        encoding="utf-8"
    )
    with pytest.raises(OptionError, match="the report format comes from the name"):
        report_to_files(STEEL, None, [tmp_path / "r.pdf"])


def test_batch_to_files_consolidates_as_cbam_batch(tmp_path, capsys):
    members = SAMPLES / "association"
    assert main(["batch", str(members), "--format", "json", "--by", "member,sector"]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    said: list[Written] = []
    result = batch_to_files(members, output=tmp_path / "b.xlsx", on_written=said.append)
    assert json.loads(batch_json(result, ["member", "sector"])) == from_cli
    assert [str(w) for w in said] == [f"workbook written to {tmp_path / 'b.xlsx'}"]
    assert check_report(tmp_path / "b.xlsx").matches


def test_explain_input_is_cbam_explain(capsys):
    assert main(["explain", str(STEEL), "--line", "3", "--format", "json"]) == 0
    assert explain_json(explain_input(STEEL, 3)) == capsys.readouterr().out.strip()
