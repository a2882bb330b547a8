"""One importer written three ways by three members (tests/data/hostile/habits/deminimis/, built by
scripts/corpus/habits_deminimis.py): ``cbam batch`` on the messy folder agrees with the clean one
(issue 12, Art 2a: the threshold is the importer's, over all its suppliers)."""

from __future__ import annotations

import json

import pytest
from child import run_cbam
from conftest import REPO

HABIT = REPO / "tests" / "data" / "hostile" / "habits" / "deminimis"


def batch(folder, tmp_path, *args) -> dict:
    r = run_cbam(["batch", folder, "--format", "json", *args], tmp_path)
    assert r.code == 0, r.stderr
    r.bounded()
    return json.loads(r.stdout)


def outcomes(out: dict) -> list[tuple]:
    return sorted((d["member"], round(d["annex_i_mass_t"], 6), d["exempt"]) for d in out["de_minimis"])


@pytest.mark.slow
def test_hostile_habits_deminimis_messy_importer_names_agree_with_clean(tmp_path):
    messy, clean = batch(HABIT / "messy", tmp_path), batch(HABIT / "clean", tmp_path)
    assert messy["lines"] == clean["lines"] == 6 and messy["rejected"] == 0
    assert messy["totals"]["cost_eur"] == clean["totals"]["cost_eur"] > 0
    # by hand: Acme 30 + 25 = 55 t by EORI, priced; Beta 20 + 12 + 8 = 40 t by name, exempt;
    # gamma's Acme without EORI 10 t, a name of its own, exempt
    expected = [("alpha, beta", 40.0, True), ("alpha, beta", 55.0, False), ("gamma", 10.0, True)]
    assert outcomes(messy) == outcomes(clean) == expected
    (acme,) = [d for d in messy["de_minimis"] if d["annex_i_mass_t"] == 55.0]
    assert acme["importer"] == "Acme GmbH (DE123456789012345)"
    priced = {m["member"]: m["cost_eur"] for m in messy["by_member"]}
    assert priced == {m["member"]: m["cost_eur"] for m in clean["by_member"]}
    assert priced["gamma"] == 0 and priced["alpha"] > 0 and priced["beta"] > 0


@pytest.mark.slow
def test_hostile_habits_deminimis_per_file_is_the_old_reading(tmp_path):
    out = batch(HABIT / "messy", tmp_path, "--de-minimis", "per-file")
    assert out["totals"]["cost_eur"] == 0  # each file's importers under 50 t: all exempt, as before
    assert out["assumptions"]["de_minimis_mode"] == "per-file"
