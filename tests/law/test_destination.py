"""Destination: CBAM covers only imports into the EU customs territory (Art 2 of Regulation (EU)
2023/956). A line shipped elsewhere is rejected with that reason, or computed with
--ignore-destination (an assumption the outputs state); a blank destination is computed."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cbam_calc.cli import cli as main
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.model import CalcOptions
from cbam_calc.law.destination import customs_territory
from cbam_calc.law.reference import read_commented_csv, reference_data

HEADER = "cn_code,country,net_mass_t,import_date,目的国\n"
# row 2.. of the file: destination as written
DESTINATIONS = ["DE", "德国", "美国", "UK", "EU", "", "Narnia", "deu", "Germany", "Monaco", "GL"]
NOT_EU = (
    "is outside the EU customs territory: CBAM applies only to imports into it "
    "(Art 2 of Regulation (EU) 2023/956)"
)


@pytest.fixture
def shipments(tmp_path):
    path = tmp_path / "d.csv"
    body = "".join(f"72085120,CN,100,2026-03-01,{d}\n" for d in DESTINATIONS)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_the_list_names_the_27_member_states_and_its_sources():
    ref = reference_data()
    table = customs_territory(ref.data_dir)
    members = table[table["kind"] == "member_state"]
    assert len(members) == 27
    assert "GB" not in table.index and "US" not in table.index
    # the same 27 as the country table's eu_member status (TEU Art 52)
    assert set(members["iso2"]) == set(ref.countries.index[ref.countries["cbam_status"] == "eu_member"])
    # Monaco is inside (UCC Art 4(2)(a)); Greenland and the Faroe Islands are not
    assert "MC" in table.index and "GL" not in table.index and "FO" not in table.index
    header = (ref.data_dir / "eu" / "eu_customs_territory.csv").read_text(encoding="utf-8")
    for source in ("Treaty on European Union Art 52", "Regulation (EU) No 952/2013 Art 4", "Heligoland"):
        assert source in header
    assert len(read_commented_csv(ref.data_dir / "eu" / "eu_customs_territory.csv")) == len(table)


def test_non_eu_and_unknown_destinations_are_rejected_with_their_reason(shipments):
    result = calculate(shipments)
    rejected = result.rejected
    assert rejected["row"].tolist() == [4, 5, 8, 12]
    assert rejected["column"].tolist() == ["目的国"] * 4
    assert rejected["value"].tolist() == ["美国", "UK", "Narnia", "GL"]
    assert rejected["code"].tolist() == [
        "R_NOT_EU_DESTINATION",
        "R_NOT_EU_DESTINATION",
        "R_UNKNOWN_DESTINATION",
        "R_NOT_EU_DESTINATION",
    ]
    assert rejected["reason"].tolist() == [
        f"destination United States {NOT_EU}; --ignore-destination computes it",
        f"destination United Kingdom {NOT_EU}; --ignore-destination computes it",
        "unknown destination: give the ISO code or the English name",
        f"destination Greenland {NOT_EU}; --ignore-destination computes it",
    ]
    # DE, 德国, EU, blank, deu, Germany, Monaco are computed
    assert result.lines["row"].tolist() == [2, 3, 6, 7, 9, 10, 11]
    s = result.summary
    assert (s.rows_read, s.lines, s.rejected) == (11, 7, 4)
    assert s.assumptions.ignore_destination is False


def test_ignore_destination_computes_every_line_and_says_so(shipments):
    result = calculate(shipments, CalcOptions(ignore_destination=True))
    s = result.summary
    assert (s.rows_read, s.lines, s.rejected) == (11, 11, 0)
    assert s.assumptions.ignore_destination is True
    assert "W_DESTINATION_IGNORED" in s.warning_codes
    assert any("--ignore-destination: 4 row(s)" in w for w in s.warnings)


def test_a_file_without_the_column_is_unchanged(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("cn_code,country,net_mass_t,import_date\n72085120,CN,100,2026-03-01\n", encoding="utf-8")
    s = calculate(path).summary
    assert (s.lines, s.rejected) == (1, 0)
    assert "W_DESTINATION_IGNORED" not in s.warning_codes


@pytest.mark.parametrize("command", ["calc", "report", "batch", "scenario", "explain"])
def test_every_computing_command_takes_the_option(command):
    out = CliRunner().invoke(main, [command, "--help"])
    assert out.exit_code == 0 and "--ignore-destination" in out.output


def test_cli_rejects_then_computes_with_the_option(shipments):
    runner = CliRunner()
    plain = json.loads(runner.invoke(main, ["calc", str(shipments), "--format", "json"]).output)
    assert (plain["lines"], plain["rejected"]) == (7, 4)
    assert plain["assumptions"]["ignore_destination"] is False
    ignored = runner.invoke(main, ["calc", str(shipments), "--ignore-destination", "--format", "json"])
    data = json.loads(ignored.output)
    assert (data["lines"], data["rejected"]) == (11, 0)
    assert data["assumptions"]["ignore_destination"] is True
    text = runner.invoke(main, ["calc", str(shipments), "--ignore-destination"]).output
    assert "--ignore-destination: 4 row(s) with a destination outside the EU customs territory" in text
