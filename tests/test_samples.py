"""The sample files in samples/ run as the README promises (built by scripts/make_samples.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.readers import read_table
from cbam_calc.inputs.validate import validate
from cbam_calc.law.reference import reference_data
from cbam_calc.outputs.input_template import ZH_HEADERS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

CLEAN = [
    "shipments_cn_steel.xlsx",
    "shipments_cn_aluminium_zh.xlsx",
    "shipments_cement.csv",
    "shipments_fertilisers.csv",
    "shipments_mixed_actual_default.xlsx",
    "shipments_art9_cnets.xlsx",
]


@pytest.fixture(scope="module")
def results() -> dict:
    return {name: calculate(SAMPLES / name) for name in CLEAN}


@pytest.mark.parametrize("name", CLEAN)
def test_clean_sample_has_no_rejected_row_and_a_cost(results, name):
    r = results[name]
    assert r.summary.rejected == 0, r.rejected.to_string()
    assert r.summary.lines == r.summary.rows_read > 0
    assert r.summary.cost_eur > 0


def test_aluminium_sample_is_read_with_chinese_headers():
    raw = read_table(SAMPLES / "shipments_cn_aluminium_zh.xlsx")
    v = validate(raw, reference_data())
    for column in ("cn_code", "country", "net_mass_t", "import_date", "see_direct", "route", "importer"):
        assert v.column_map[column] == ZH_HEADERS[column]
    assert len(v.rejected) == 0


def test_steel_sample_has_a_de_minimis_importer(results):
    r = results["shipments_cn_steel.xlsx"]
    outcome = {d.importer: d for d in r.summary.de_minimis}
    small = [d for d in outcome.values() if d.exempt]
    assert len(small) == 1 and small[0].importer.startswith("Acciai Padani")
    assert small[0].annex_i_mass_t <= small[0].threshold_t
    assert sum(not d.exempt for d in outcome.values()) == 2
    exempt_lines = r.lines[r.lines["de_minimis_exempt"]]
    assert len(exempt_lines) == 2 and (exempt_lines["cost_eur"] == 0).all()
    # actual lines: route C (BF-BOF) and one scrap EAF (route E)
    actual = r.lines[r.lines["emissions_data"].eq("actual")]
    assert set(actual["route"]) == {"C", "E"}


def test_art9_sample_reduces_and_the_unevidenced_line_does_not(results):
    r = results["shipments_art9_cnets.xlsx"]
    assert r.summary.art9_reduction_tco2e > 0
    lines = r.lines.set_index("row")
    assert (lines["emissions_data"] == "actual").all()
    assert (lines["art9_track"] == "actual").all()
    not_evidenced = lines.loc[7]
    assert str(not_evidenced["carbon_price_evidenced"]).lower() == "no"
    assert not_evidenced["art9_reduction_tco2e"] == 0
    others = lines.drop(index=7)
    assert (others["art9_reduction_tco2e"] > 0).all()


def test_mixed_sample_default_exceeds_actual_for_each_pair(results):
    r = results["shipments_mixed_actual_default.xlsx"]
    assert r.summary.inputs[0].header_row == 4  # below two title lines and a blank row
    pairs = r.lines.pivot(index="pair", columns="data", values="embedded_tco2e")
    assert len(pairs) == 7
    assert (pairs["default"] > pairs["actual"]).all(), pairs
    costs = r.lines.pivot(index="pair", columns="data", values="cost_eur")
    assert (costs["default"] > costs["actual"]).all(), costs


def test_errors_sample_rejects_each_mistake_and_computes_the_rest():
    r = calculate(SAMPLES / "shipments_with_errors.csv")
    raw = pd.read_csv(SAMPLES / "shipments_with_errors.csv", dtype=str)
    fine_rows = {i + 2 for i, note in enumerate(raw["note"]) if note.startswith("fine")}
    assert set(r.lines["row"]) == fine_rows
    assert (r.lines["cost_eur"] > 0).all()
    reasons = dict(zip(r.rejected["row"], r.rejected["reason"]))
    assert set(reasons) | fine_rows == set(range(2, len(raw) + 2))
    expected = {
        "not a CBAM good": "7323 93 00",
        "was split in CN 2026": "3102 10 10",
        "has 7": "7214200",
        "unknown country": "Chian",
        "Annex III": "Norway",
        "greater than 0": "-18.4",
        "not a number": "TBC",
        "before the CBAM definitive period": "2025-12-18",
        "ambiguous date": "03/04/2026",
        "give the route": "2523 10 00",
        "production route": "7207 11 14",
        "needs its currency": "7208 51 20",
    }
    assert len(r.rejected) == len(expected)
    for words, value in expected.items():
        rows = [row for row, reason in reasons.items() if words in reason]
        assert len(rows) == 1, (words, reasons)
        assert value in raw.iloc[rows[0] - 2].tolist(), (words, rows)


def test_eua_path_is_a_labelled_projection():
    path = pd.read_csv(SAMPLES / "eua_path.csv")
    assert list(path.columns) == ["period", "price_eur_per_tco2e", "status", "source"]
    assert list(path["period"]) == list(range(2027, 2035))
    assert path["price_eur_per_tco2e"].is_monotonic_increasing
    assert (path["status"] == "projection").all()
    r = calculate(SAMPLES / "shipments_cement.csv", CalcOptions(year=2030), price_path=path)
    assert {p.price_eur_per_tco2e for p in r.summary.assumptions.certificate_prices} == {99.0}


def test_cli_calc_json_on_the_headline_sample():
    proc = subprocess.run(
        [sys.executable, "-m", "cbam_calc", "calc", "samples/shipments_cn_steel.xlsx", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["lines"] == 20 and out["rejected"] == 0
    assert out["cost_eur"] > 0


TEMPLATES_SAMPLE = SAMPLES / "templates"


def test_sample_templates_are_the_slim_copies_with_their_attribution():
    copies = ROOT / "tests" / "data" / "templates"
    shipped = sorted(p.name for p in TEMPLATES_SAMPLE.glob("*.xlsx"))
    assert len(shipped) == 5  # the Commission's five filled examples, not the blank template
    for name in shipped:
        assert (TEMPLATES_SAMPLE / name).read_bytes() == (copies / name).read_bytes(), name
    sources = (TEMPLATES_SAMPLE / "SOURCES.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in sources and "European Union" in sources
    assert all(name in sources for name in shipped)


def test_templates_sample_lines_match_the_example_installations():
    """shipments_templates_zh.xlsx: rows 2-5 (steelworks), 7-8 (screws), 9-10 (cement), 11 (NPK),
    12-13 (aluminium) are products of their installation's template; row 6 (7210 49 00, not in the
    steelworks' template) and rows 14-18 (other installations, or none) are covered by none."""
    from cbam_calc.inputs.comm_template import read_templates
    from cbam_calc.inputs.template_match import NO_MATCH, match_lines, template_products

    tset = read_templates([TEMPLATES_SAMPLE], year=2026)
    assert not tset.failed and len(tset.templates) == 5
    products = template_products(tset.templates)
    raw = read_table(SAMPLES / "shipments_templates_zh.xlsx")
    v = validate(raw, reference_data())
    assert len(v.rejected) == 0 and v.column_map["installation"] == "生产设施"
    lines = v.lines
    found = match_lines(
        products,
        [str(x) for x in lines["installation"]],
        [str(c) for c in lines["cn_code"]],
        [d.date() for d in pd.to_datetime(lines["import_date"])],
    )
    rows = (lines.index + 2).tolist()  # header on row 1
    covered = {r: products["file"].iat[i].split("/")[-1][:1] for r, i in zip(rows, found) if i != NO_MATCH}
    # the file names begin with the example's number: 1 cement, 2 steel, 4 screws, 5 NPK, 6 aluminium
    assert covered == {
        2: "2",
        3: "2",
        4: "2",
        5: "2",
        7: "4",
        8: "4",
        9: "1",
        10: "1",
        11: "5",
        12: "6",
        13: "6",
    }
    assert len(rows) == 17
