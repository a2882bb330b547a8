"""``cbam batch DIR --emissions PATH`` and ``cbam scenario FILE --emissions PATH``, run as a user runs
them (a child process): the installations' communication templates joined to the lines, recorded
with their SHA-256 in the Run sheet, and ``cbam calc --check`` recomputing with them."""

from __future__ import annotations

import json
import shutil

import pytest
from child import run_cbam
from conftest import SAMPLES, write_csv
from template_edit import CEMENT, EXAMPLES, _without_type, edit

from cbam_calc.compute.calculate import calculate
from cbam_calc.inputs.comm_template import read_templates


@pytest.fixture
def members(tmp_path):
    """Two members and, inside the members' folder, the templates (given with --emissions)."""
    folder = tmp_path / "members"
    folder.mkdir()
    write_csv(
        folder / "steel.csv",
        [
            {"cn_code": "7208 10 00", "country": "CN", "net_mass_t": "1250", "import_date": "2026-02-10",
             "installation": "Example Blast Steelworks", "importer": "Nordsee GmbH"},
            {"cn_code": "7208 39 00", "country": "CN", "net_mass_t": "980", "import_date": "2026-04-01",
             "installation": "Shazhou Steel", "importer": "Nordsee GmbH"},
        ],
    )  # fmt: skip
    write_csv(
        folder / "cement.csv",
        [
            {"cn_code": "2523 29 00", "country": "TR", "net_mass_t": "12000", "import_date": "2026-03-03",
             "installation": "Example Cement Producer", "importer": "Bouwstof B.V."},
        ],
    )  # fmt: skip
    templates = folder / "templates"
    templates.mkdir()
    for p in EXAMPLES:
        shutil.copy(p, templates / p.name)
    return folder


def test_batch_with_templates_reports_sources_and_checks(members, tmp_path):
    templates = members / "templates"
    out = tmp_path / "batch.xlsx"
    r = run_cbam(["batch", members, "--emissions", templates, "-o", out, "--format", "json"], tmp_path)
    assert r.code == 0, r.stderr
    data = json.loads(r.stdout)
    # the templates inside the members' folder are not members
    assert sorted(f["member"] for f in data["files"]) == ["cement", "steel"]
    assert [(s["source"], s["lines"]) for s in data["lines_by_source"]] == [
        ("template", 1),
        ("template", 1),
        ("default value", 1),
    ]
    tset = read_templates([templates])
    expected = sum(calculate(p, templates=tset).summary.cost_eur for p in sorted(members.glob("*.csv")))
    assert data["totals"]["cost_eur"] == pytest.approx(expected, abs=0.01)
    check = run_cbam(["calc", "--check", out], tmp_path)
    assert check.code == 0, check.stdout + check.stderr
    assert "the figures match" in check.stdout


def test_check_of_a_batch_names_a_template_changed_since(members, tmp_path):
    templates = members / "templates"
    out = tmp_path / "batch.xlsx"
    assert run_cbam(["batch", members, "--emissions", templates, "-o", out], tmp_path).code == 0
    # the cement example's SEE direct (Summary_Products I10, 0.785...) becomes 0.9 after the report
    edit(
        CEMENT,
        templates / CEMENT.name,
        "Summary_Products",
        {"I10": lambda c: f"<c {_without_type(c)}><v>0.9</v></c>"},
    )
    check = run_cbam(["calc", "--check", out], tmp_path)
    assert "the figures do NOT match" in check.stdout, check.stdout + check.stderr
    assert f"template {templates / CEMENT.name} has changed since the report" in check.stdout
    shutil.rmtree(templates)
    gone = run_cbam(["calc", "--check", out], tmp_path)
    assert gone.code == 2 and CEMENT.name in gone.stderr and "not found" in gone.stderr


def test_batch_evidenced_without_templates_is_a_usage_error(members, tmp_path):
    r = run_cbam(["batch", members, "--evidenced", "all"], tmp_path)
    assert r.code == 2 and "--emissions" in r.stderr


def test_sample_scenario_with_templates_checks_and_gives_calc_figures_of_2026(tmp_path):
    sample = SAMPLES / "shipments_templates_zh.xlsx"
    out = tmp_path / "scenario.xlsx"
    r = run_cbam(
        ["scenario", sample, "--emissions", SAMPLES / "templates", "--years", "2026", "-o", out,
         "--format", "json", "--recognition", "no", "--cea-price", "0"],
        tmp_path,
    )  # fmt: skip
    assert r.code == 0, r.stderr
    data = json.loads(r.stdout)
    tset = read_templates([SAMPLES / "templates"])
    calc = calculate(sample, templates=tset)  # the sample's 10 template lines on their SEE
    baseline = next(s for s in data["scenarios"] if s["is_baseline"])
    assert baseline["years"][0]["eu_levy_eur"] == pytest.approx(calc.summary.cost_eur, abs=0.01)
    assert calc.summary.cost_eur == pytest.approx(2968689.98, abs=0.005)
    check = run_cbam(["calc", "--check", out], tmp_path)
    assert check.code == 0 and "the figures match" in check.stdout, check.stdout + check.stderr


def test_sample_commands_run(tmp_path):
    r = run_cbam(["emissions", SAMPLES / "templates"], tmp_path)
    assert r.code == 0, r.stderr
    assert "5 template(s) read, 10 product row(s)" in r.stdout
