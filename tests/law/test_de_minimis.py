"""De minimis (Art 2a): an importer whose Annex I goods stay within the yearly mass threshold owes nothing."""

from __future__ import annotations

import pytest
from conftest import line, steel


# ------------------------------------------------------------------ Art 2a de minimis
def test_art2a_de_minimis_importer_at_or_under_50_t(run):
    rows = [
        steel(importer="Small GmbH", net_mass_t="30"),
        {
            "cn_code": "2804 10 00",
            "country": "CN",
            "net_mass_t": "5",
            "import_date": "2026-03-01",
            "importer": "Small GmbH",
        },  # hydrogen: never exempt, not counted towards the 50 t
        steel(importer="Exact SA", net_mass_t="50"),
        steel(importer="Big BV", net_mass_t="30"),
        steel(importer="Big BV", net_mass_t="30.5"),
    ]
    r = run(rows)
    assert line(r, 2)["de_minimis_exempt"] and line(r, 2)["certificates"] == 0.0
    hydrogen = line(r, 3)
    assert not hydrogen["de_minimis_exempt"]
    # hydrogen default (China): 29.304 tCO2e/t incl. mark-up; BM 5.089
    assert hydrogen["certificates"] == pytest.approx(5 * 29.304 - 5 * 0.975 * 5.089)
    assert line(r, 4)["de_minimis_exempt"]  # exactly 50 t: "does not exceed"
    assert not line(r, 5)["de_minimis_exempt"] and not line(r, 6)["de_minimis_exempt"]
    outcome = {(d.importer, d.exempt) for d in r.summary.de_minimis}
    assert outcome == {("Small GmbH", True), ("Exact SA", True), ("Big BV", False)}
    small = next(d for d in r.summary.de_minimis if d.importer == "Small GmbH")
    assert small.annex_i_mass_t == 30.0


def test_art2a_de_minimis_can_be_switched_off(run):
    r = run([steel(importer="Small GmbH", net_mass_t="30")], de_minimis=False)
    assert line(r, 2)["certificates"] > 0
