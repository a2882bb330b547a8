"""Every report states 'reference data as of DATE': DATE is the newest update date of the reference
tables and parameters (cbam data lists each). calc text and JSON, the workbook's Summary and
Parameters, the HTML assumptions box, and the batch and scenario outputs."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
from conftest import SAMPLES

from cbam_calc.cli import main
from cbam_calc.compute.calculate import calculate
from cbam_calc.law.inventory import reference_data_as_of
from cbam_calc.law.reference import DATA_DIR, ReferenceData, prices_dir
from cbam_calc.outputs.html import calc_html
from cbam_calc.outputs.text import summary_text

CEMENT = SAMPLES / "shipments_cement.csv"
ASSOCIATION = SAMPLES / "association"


@pytest.fixture(scope="module")
def as_of() -> str:
    date = reference_data_as_of().date
    assert date and len(date) == 10
    return date


def test_calc_text_and_json(as_of, capsys):
    assert main(["calc", str(CEMENT)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"Reference data as of {as_of} (cbam data lists each table and parameter)" in lines[:3]
    assert main(["calc", str(CEMENT), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["reference_data_as_of"] == as_of and doc["reference_data_undated"] == []


def test_calc_text_in_chinese(as_of):
    assert f"参考数据截至 {as_of}" in summary_text(calculate(CEMENT), "zh")


def test_workbook_summary_and_parameters(as_of, tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert main(["calc", str(CEMENT), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out, read_only=True)
    summary = [r for r in wb["Summary"].iter_rows(values_only=True) if r and r[0] == "Reference data as of"]
    assert summary and summary[0][1] == as_of
    params = [r for r in wb["Parameters"].iter_rows(values_only=True) if r[0] == "reference data as of"]
    assert len(params) == 1 and params[0][2] == as_of and "cbam data" in params[0][5]
    capsys.readouterr()


def test_html_assumptions_box(as_of):
    page = calc_html(calculate(CEMENT))
    box = page[page.index('<div class="assumptions">') :]
    assert f"<dt>Reference data as of</dt><dd>{as_of} (cbam data lists each table and parameter)</dd>" in box


def test_batch_text_json_workbook_and_page(as_of, tmp_path, capsys):
    args = ["batch", str(ASSOCIATION)]
    main(args)
    assert f"Reference data as of {as_of}" in capsys.readouterr().out
    main([*args, "--format", "json"])
    assert json.loads(capsys.readouterr().out)["reference_data_as_of"] == as_of
    xlsx, html = tmp_path / "a.xlsx", tmp_path / "a.html"
    main([*args, "-o", str(xlsx), "--html", str(html)])
    capsys.readouterr()
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    summary = [r for r in wb["Summary"].iter_rows(values_only=True) if r and r[0] == "Reference data as of"]
    assert summary[0][1] == as_of
    assert any(
        r[0] == "reference data as of" and r[2] == as_of for r in wb["Parameters"].iter_rows(values_only=True)
    )
    assert f"<dt>Reference data as of</dt><dd>{as_of}" in html.read_text(encoding="utf-8")


def test_scenario_text_json_and_workbook(as_of, tmp_path, capsys):
    args = ["scenario", str(SAMPLES / "shipments_cn_steel.xlsx"), "--years", "2026"]
    assert main(args) == 0
    assert f"reference data as of {as_of}" in capsys.readouterr().out.splitlines()[:3]
    assert main([*args, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["assumptions"]["reference_data_as_of"].endswith(as_of)
    out = tmp_path / "s.xlsx"
    assert main([*args, "-o", str(out)]) == 0
    capsys.readouterr()
    rows = list(openpyxl.load_workbook(out)["Assumptions"].iter_rows(values_only=True))
    assert ("reference_data_as_of", f"reference data as of {as_of}") in [r[:2] for r in rows]


def test_a_run_on_other_reference_data_states_its_own_date_and_its_undated_files(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    shutil.copytree(prices_dir(), tmp_path / "prices")
    path = tmp_path / "data" / "eu" / "benchmarks.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # bytes differ: undated
    ref = ReferenceData(data_dir=tmp_path / "data", prices_dir=tmp_path / "prices")
    s = calculate(CEMENT, ref=ref).summary
    assert s.reference_data_undated == ["eu/benchmarks.csv"]
    assert "1 file(s) with no update date: eu/benchmarks.csv" in summary_text(calculate(CEMENT, ref=ref))
