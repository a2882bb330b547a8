"""cbam data: the inventory as text and JSON, from the command line and from the library."""

from __future__ import annotations

import json

from cbam_calc.cli import main
from cbam_calc.law.inventory import reference_data_as_of, reference_files
from cbam_calc.outputs.inventory import inventory_json, inventory_report, inventory_text


def test_cbam_data_text_lists_every_file_with_act_status_date_and_hash(capsys):
    assert main(["data"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("cbam-calc ") and reference_data_as_of().text() in text.splitlines()[0]
    for f in reference_files():
        assert f"  {f.path}: " in text and f"sha256: {f.sha256}" in text
    assert "Law tables" in text and "Parameters" in text and "Prices and exchange rates" in text
    assert "eu/benchmarks.csv: CBAM benchmarks" in text
    assert "status: law (2026-2030), projection (from 2031)" in text  # cscf.yaml, in its own words
    assert text == inventory_text() + "\n"


def test_cbam_data_json_for_scripts(capsys):
    assert main(["data", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["reference_data_as_of"] == reference_data_as_of().date
    assert doc["undated_files"] == []
    files = {f["path"]: f for f in doc["files"]}
    assert set(files) == {f.path for f in reference_files()}
    keys = {"kind", "title", "act", "effective_from", "status", "sha256", "updated"}
    assert all(keys <= set(f) for f in files.values())
    assert files["parameters/cbam_factor.yaml"]["status"] == "law"
    assert json.loads(inventory_json()) == json.loads(inventory_report("json"))
