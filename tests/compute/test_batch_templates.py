"""cbam batch and cbam scenario with installations' communication templates (issue 15): the join of
cbam calc --emissions, applied to every member's lines and to a scenario's lines.

Figures worked by hand from the Commission's filled examples (tests/data/templates, slim copies;
values as the template's Summary_Products gives them, cached by Excel):
- Example Blast Steelworks, CN 7208 10 00 (row 10): SEE direct 1.5389760645578654 tCO2e/t; iron
  and steel count direct emissions only (Reg 2023/956 Annex II), so 1,250 t embed
  1,250 x 1.5389760645578654 = 1,923.720080697 tCO2e.
- Example Cement Producer, CN 2523 29 00 (row 10): direct 0.7852147410358565, indirect 0.12224275;
  cement counts both (Annex II lists no cement good), so 12,000 t embed
  12,000 x 0.9074574910358565 = 10,889.489892430 tCO2e.
- Example Aluminium Producer, CN 7601 10 10 (row 10): direct 1.555, route K from its process
  "Primary smelting"; aluminium counts direct only, so 480 t embed 480 x 1.555 = 746.4 tCO2e.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, write_csv

from cbam_calc.compute.batch import run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.compute.scenario_set import scenario_set_from_options
from cbam_calc.compute.scenarios import run_scenarios
from cbam_calc.core.errors import InputFileError, OptionError
from cbam_calc.core.model import Art9Track, CalcOptions, DeMinimis
from cbam_calc.inputs.comm_template import read_templates
from cbam_calc.inputs.readers import read_table
from cbam_calc.inputs.validate import validate
from cbam_calc.law.reference import reference_data

TEMPLATES = REPO / "tests" / "data" / "templates"
BLAST = "Example Blast Steelworks"
CEMENT = "Example Cement Producer"
ALUMINIUM = "Example Aluminium Producer"
NORDSEE = "Nordsee Stahlimport GmbH (DE6612093371000)"


def _line(cn, country, mass, date, installation, importer=NORDSEE, **kw) -> dict:
    row = {
        "cn_code": cn,
        "country": country,
        "net_mass_t": mass,
        "import_date": date,
        "installation": installation,
        "importer": importer,
    }
    row.update(kw)
    return row


@pytest.fixture(scope="module")
def templates():
    return read_templates([TEMPLATES], year=2026)


@pytest.fixture
def two_members(tmp_path) -> Path:
    folder = tmp_path / "members"
    folder.mkdir()
    write_csv(
        folder / "steel_trader.csv",
        [
            _line("7208 10 00", "CN", "1250", "2026-02-10", BLAST),  # template row 10
            _line("7208 39 00", "CN", "980", "2026-04-01", "Shazhou Steel No.2 BF"),  # default values
        ],
    )
    write_csv(
        folder / "building_materials.csv",
        [
            _line("2523 29 00", "TR", "12000", "2026-03-03", CEMENT),  # template row 10
            _line("7601 10 10", "US", "480", "2026-02-24", ALUMINIUM),  # template row 10, route K
        ],
    )
    return folder


def test_batch_with_templates_is_the_sum_of_calc_emissions_of_each_member(two_members, templates):
    batch = run_batch([two_members], templates=templates)
    runs = {p.stem: calculate(p, templates=templates) for p in sorted(two_members.glob("*.csv"))}
    assert [f.status for f in batch.files] == ["ok", "ok"]
    for key in ("embedded_tco2e", "certificates", "cost_eur"):
        assert batch.totals[key] == pytest.approx(
            sum(getattr(r.summary, key) for r in runs.values()), abs=0.01
        )
    # each member as cbam calc --emissions computes it, to the cent
    assert {f.member: f.cost_eur for f in batch.files} == {k: r.summary.cost_eur for k, r in runs.items()}
    by_cn = batch.groupings["cn_code"].set_index("cn_code")["embedded_tco2e"]
    assert by_cn["72081000"] == pytest.approx(1250 * 1.5389760645578654, abs=1e-6)  # 1,923.720 tCO2e
    assert by_cn["25232900"] == pytest.approx(12000 * (0.7852147410358565 + 0.12224275), abs=1e-6)
    assert by_cn["76011010"] == pytest.approx(480 * 1.555, abs=1e-6)  # 746.4 tCO2e
    # the batch's lines by source: 3 from the templates, 1 on default values
    assert batch.lines_by_source == [
        ("template", str(TEMPLATES / "1 CBAM SEE V2.1_Example Cement_final.xlsx"), 1),
        ("template", str(TEMPLATES / "2 CBAM SEE V2.1_Example Steel 1 Blast furnace_final.xlsx"), 1),
        ("template", str(TEMPLATES / "6 CBAM SEE V2.1_Example Aluminium_final.xlsx"), 1),
        ("default value", "", 1),
    ]


def test_batch_templates_in_worker_processes_give_the_same_figures(two_members, templates):
    here = run_batch([two_members], templates=templates, jobs=1)
    workers = run_batch([two_members], templates=templates, jobs=2)
    assert workers.totals == here.totals
    assert [f.lines_sha256 for f in workers.files] == [f.lines_sha256 for f in here.files]
    assert workers.lines_by_source == here.lines_by_source


def test_batch_names_each_template_once_and_those_no_member_uses(two_members, templates):
    batch = run_batch([two_members], templates=templates)
    codes = [(w.code, n) for w, n in batch.warnings]
    unused = sorted(
        w.params["installation"] for w, _ in batch.warnings if w.code == "W_TEMPLATE_UNUSED_BATCH"
    )
    # the screws and fertiliser examples cover no line; the blank template has no product to use
    assert unused == ["Example Fertiliser Producer", "Example Screw Production Plant"]
    assert not any(c == "W_TEMPLATE_UNUSED" for c, _ in codes)  # a member's own: said of the batch
    used = {
        w.params["file"].split("/")[-1][:1]: (w.params["n"], n)
        for w, n in batch.warnings
        if w.code == "W_TEMPLATE_PERIOD_USED"
    }
    assert used == {"1": (1, 1), "2": (1, 1), "6": (1, 1)}  # (lines, members) of the 2023 periods used
    periods = [(w.params.get("file"), n) for w, n in batch.warnings if w.code == "W_TEMPLATE_PERIOD"]
    assert len(periods) == 5 and len({f for f, _ in periods}) == 5  # once per template, not per member
    assert {n for f, n in periods if "Cement" in f} == {1}  # covers a line of one member
    assert [t["sha256"] for t in batch.templates] == [t.sha256 for t in templates.templates]


def test_batch_evidenced_naming_no_template_stops_before_any_member(two_members, templates):
    with pytest.raises(OptionError, match="names no template"):
        run_batch([two_members], templates=templates, evidenced=["No Such Plant"])
    with pytest.raises(OptionError):
        run_batch([two_members], evidenced="all")


def test_batch_with_a_refused_template_stops(two_members, tmp_path, templates):
    bad = tmp_path / "templates"
    bad.mkdir()
    (bad / "supplier.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    refused = read_templates([bad])
    assert refused.failed
    with pytest.raises(InputFileError, match="refused"):
        run_batch([two_members], templates=refused)


# ---------------------------------------------------------------------------- scenarios
def test_scenario_with_templates_gives_the_calc_figures_of_each_year(tmp_path, templates):
    path = write_csv(
        tmp_path / "shipments.csv",
        [
            _line("7208 10 00", "CN", "1250", "2026-02-10", BLAST),
            _line("2523 29 00", "TR", "12000", "2026-03-03", CEMENT),
            _line("7208 39 00", "CN", "980", "2026-04-01", "Shazhou Steel No.2 BF"),
        ],
    )
    ref = reference_data()
    validated = validate(read_table(path), ref)
    sset = scenario_set_from_options(years=[2026, 2028], cea_price_cny=[0], recognition=[False])
    result = run_scenarios(validated, sset, templates=templates)
    base = result.table[result.table["scenario"] == result.baseline].set_index("year")
    for year in (2026, 2028):
        calc = calculate(
            path, CalcOptions(year=year, art9=Art9Track.OFF, de_minimis=DeMinimis.ON), templates=templates
        )
        assert base.at[year, "embedded_tco2e"] == pytest.approx(calc.summary.embedded_tco2e, abs=1e-6)
        assert base.at[year, "eu_levy_eur"] == pytest.approx(calc.summary.cost_eur, abs=0.01)
    # 2026: 1,250 x 1.5389760645578654 + 12,000 x 0.9074574910358565 + the default line's
    steel_default = calculate(path, CalcOptions(year=2026)).lines.set_index("row").at[4, "embedded_tco2e"]
    assert base.at[2026, "embedded_tco2e"] == pytest.approx(
        1250 * 1.5389760645578654 + 12000 * 0.9074574910358565 + steel_default, abs=1e-6
    )
    # the template lines are actual data: the actual-versus-default table has both installations
    dva = result.default_vs_actual
    assert sorted(set(dva["installation"])) == [BLAST, CEMENT]
    assert result.templates is not None and len(result.templates) == 6


def test_scenario_without_templates_keeps_template_installations_on_defaults(tmp_path, templates):
    path = write_csv(tmp_path / "shipments.csv", [_line("7208 10 00", "CN", "1250", "2026-02-10", BLAST)])
    validated = validate(read_table(path), reference_data())
    sset = scenario_set_from_options(years=[2026], cea_price_cny=[0], recognition=[False])
    without = run_scenarios(validated, sset)
    joined = run_scenarios(validated, sset, templates=templates)
    assert without.default_vs_actual.empty  # no actual data without the template
    assert joined.table["embedded_tco2e"].iloc[0] == pytest.approx(1250 * 1.5389760645578654, abs=1e-6)
    assert without.table["embedded_tco2e"].iloc[0] > joined.table["embedded_tco2e"].iloc[0]
