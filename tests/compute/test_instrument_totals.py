"""The carbon price paid by instrument, recognised and DEDUCTED or not (RULES.md "Art 9", DRAFT):
the draft deducts the price paid only on the actual track, with the price evidenced:

    actual track:   R_g = P_paid,eff / P_ref x M_g           (the price paid is deducted)
    default track:  R_g = P_default x SEE_g / P_ref x M_g    (the country's default price is)

so the summary's price recognised AND deducted / P_ref is the Art 9 reduction by instrument, and
what the rule recognises on other lines (default values, not evidenced) is kept apart.

Each line: 100 t of China hot-rolled coil (7208 51 20), Q1 2026, CEA for 95 % of its emissions
at 70 CNY/tCO2e, 90 % of them free at home:

    recognised_g = 70 x 0.95 x SEE_g x (1 - 0.9) / rate  [EUR per t of good];  EUR_g = x M_g

rate: the 2026 ECB mean of CNY (7.8757), P_ref 2026 = 78.82 (both read from the library's
tables, as the engine does).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import line, steel

from cbam_calc.compute.calculate import calculate
from cbam_calc.compute.instrument_totals import combined_figures, instrument_sums
from cbam_calc.law import art9, prices
from cbam_calc.law.reference import reference_data
from tests.conftest import SAMPLES

MASS = 100.0
TANGSHAN = "Tangshan Jinhai Iron & Steel Co., Ltd. - No.2 BF-BOF works (Hebei)"


def _rate() -> float:
    return prices.fx_rate(reference_data(), "CNY", 2026).units_per_eur


def _p_ref() -> float:
    return prices.PriceBook.from_reference(reference_data()).reference_price(2026).price_eur_per_tco2e


def _cea(**kw) -> dict:
    return steel(
        carbon_price_paid="70",
        carbon_price_currency="CNY",
        carbon_price_basis="per_tco2e",
        carbon_price_free_share="0.9",
        carbon_price_instrument="CEA",
        carbon_price_use="compliance",
        carbon_price_share_covered="95%",
        **kw,
    )


LINES = [
    _cea(see_direct="2", route="C"),  # row 2: actual, evidenced: deducted
    _cea(),  # row 3: default values
    _cea(see_direct="2", route="C", carbon_price_evidenced="no"),  # row 4: actual, not evidenced
]


def _rows(figures) -> dict:
    return {t.line_state: t for t in figures.by_instrument}


def test_art9_draft_default_track_line_recognised_price_is_not_deducted(run):
    """With a default carbon price of 10 EUR/tCO2e for CN (--default-carbon-price CN=10), the
    default-value line is on the default track: R = 10 x SEE_default / P_ref x M; its price paid,
    recognised by the instrument rule, is not what Art 9 deducts."""
    rate, p_ref = _rate(), _p_ref()
    assert p_ref == 78.82 and rate == pytest.approx(7.8757, abs=5e-5)
    r = run(LINES, default_carbon_price={"CN": 10.0})
    see_default = line(r, 3)["see_tco2e_per_t"]  # the default value of the table the engine uses
    assert line(r, 3)["art9_track"] == "default" and line(r, 4)["art9_track"] == "actual"
    actual_eur_per_t = 70 * 0.95 * 2 * 0.1 / rate  # 1.688738
    default_eur_per_t = 70 * 0.95 * see_default * 0.1 / rate
    deducted_r = actual_eur_per_t / p_ref * MASS  # 2.142525 tCO2e
    default_r = 10 * see_default / p_ref * MASS
    figures = r.summary.instruments
    by = _rows(figures)
    assert list(by) == ["deducted", "default_track", "not_evidenced"]
    assert [t.lines for t in by.values()] == [1, 1, 1]
    assert {t.treatment for t in by.values()} == {"recognised"}
    assert by["deducted"].recognised_eur == pytest.approx(round(actual_eur_per_t * MASS, 2)) == 168.87
    assert by["deducted"].art9_reduction_tco2e == pytest.approx(deducted_r, abs=1e-6)
    assert by["default_track"].recognised_eur == pytest.approx(round(default_eur_per_t * MASS, 2))
    assert by["default_track"].art9_reduction_tco2e == 0  # its reduction is the default price's
    assert by["not_evidenced"].recognised_eur == 168.87
    assert by["not_evidenced"].art9_reduction_tco2e == 0  # not evidenced: no deduction
    assert figures.recognised_deducted_eur == 168.87
    assert figures.recognised_not_deducted_eur == pytest.approx(
        round(default_eur_per_t * MASS + actual_eur_per_t * MASS, 2), abs=0.011
    )
    assert figures.recognised_eur == pytest.approx(
        figures.recognised_deducted_eur + figures.recognised_not_deducted_eur, abs=1e-9
    )
    # the price deducted / P_ref is the reduction by instrument (to the cent's rounding)
    assert figures.recognised_deducted_eur / p_ref == pytest.approx(figures.art9_reduction_tco2e, abs=1e-4)
    assert figures.art9_reduction_tco2e == pytest.approx(deducted_r, abs=1e-6)
    # the run's reduction adds the default track's, which no instrument row carries
    assert r.summary.art9_reduction_tco2e == pytest.approx(deducted_r + default_r, abs=1e-6)


def test_art9_draft_default_values_line_without_default_price_deducts_nothing(run):
    """No default carbon price for CN (none published): the default-value line opens no track;
    the price it paid, recognised by the rule, is not deducted (state default_values)."""
    r = run(LINES)
    assert line(r, 3)["art9_track"] == "" and line(r, 3)["art9_reduction_tco2e"] == 0
    by = _rows(r.summary.instruments)
    assert list(by) == ["deducted", "default_values", "not_evidenced"]
    assert by["default_values"].art9_reduction_tco2e == 0
    see_default = line(r, 3)["see_tco2e_per_t"]
    assert by["default_values"].recognised_eur == pytest.approx(
        round(70 * 0.95 * see_default * 0.1 / _rate() * MASS, 2)
    )
    assert r.summary.art9_reduction_tco2e == pytest.approx(r.summary.instruments.art9_reduction_tco2e)


def test_art9_draft_off_nothing_recognised_is_deducted(run):
    r = run(LINES[:1], art9="off")
    (row,) = r.summary.instruments.by_instrument
    assert row.line_state == "not_applied" and row.art9_reduction_tco2e == 0
    assert r.summary.instruments.recognised_deducted_eur == 0
    assert r.summary.instruments.recognised_not_deducted_eur == 168.87


def test_art9_draft_price_state_is_in_the_combined_key_one_bincount():
    """instrument_sums: rows of one (unit, mechanism, treatment) on lines of two states are two
    rows; a row recognising nothing takes state '' whatever its line's."""
    sums = instrument_sums(
        line=np.array([0, 1, 2]),
        unit=np.array([0, 0, 0]),
        mechanism=np.array([0, 0, 0]),
        reason=np.array([0, 0, 0]),
        recognised_eur_per_t=np.array([1.0, 2.0, 0.0]),
        unrecognised_eur_per_t=np.array([0.0, 0.0, 3.0]),
        net_mass_t=np.array([10.0, 10.0, 10.0]),
        reduction_tco2e=np.array([0.5, 0.7, 0.0]),
        price_state=np.array([art9.PRICE_DEDUCTED, art9.PRICE_DEFAULT_TRACK, art9.PRICE_DEDUCTED]),
    )
    got = {r.line_state: r for r in sums.itertuples(index=False)}
    assert set(got) == {"deducted", "default_track", ""}
    assert got["deducted"].recognised_eur == 10.0 and got["deducted"].art9_reduction_tco2e == 0.5
    # the default track's R_g is the default price's: none of it is the price paid's
    assert got["default_track"].recognised_eur == 20.0 and got["default_track"].art9_reduction_tco2e == 0
    assert got[""].unrecognised_eur == 30.0 and got[""].recognised_eur == 0


def test_art9_draft_steel_sample_deducted_eur_over_p_ref_is_the_reduction():
    """samples/shipments_cn_steel.xlsx with samples/carbon_prices_zh.xlsx: Tangshan's three
    actual lines deduct their CEA and CCER (81.051 tCO2e); its default-value line (no default
    carbon price for CN) recognises CEA 95 % (90 % free) + CCER 5 % without a deduction:
        (66.86 x 0.95 x SEE x 0.1 + 79.91 x 0.05 x SEE) / rate x M   EUR, not deducted"""
    r = calculate(SAMPLES / "shipments_cn_steel.xlsx", carbon_prices=SAMPLES / "carbon_prices_zh.xlsx")
    p_ref, rate = _p_ref(), _rate()
    inst = r.summary.instruments
    assert inst.recognised_deducted_eur / p_ref == pytest.approx(inst.art9_reduction_tco2e, abs=1e-4)
    assert inst.art9_reduction_tco2e == pytest.approx(r.summary.art9_reduction_tco2e, abs=1e-5)
    lines = r.lines
    default = lines[lines["installation"].eq(TANGSHAN) & lines["emissions_data"].eq("default")]
    (see,), (mass,) = default["see_tco2e_per_t"].tolist(), default["net_mass_t"].tolist()
    not_deducted = (66.86 * 0.95 * see * 0.1 + 79.91 * 0.05 * see) / rate * mass
    assert inst.recognised_not_deducted_eur == pytest.approx(not_deducted, abs=0.011)  # ~5,751.34
    states = {(t.unit, t.line_state) for t in inst.by_instrument if t.recognised_eur}
    assert states == {
        ("ets_allowance", "deducted"),
        ("ets_allowance", "default_values"),
        ("ccer", "deducted"),
        ("ccer", "default_values"),
    }
    # Rizhao's voluntary CCER recognises nothing: one row, nothing to deduct
    (voluntary,) = [t for t in inst.by_instrument if t.treatment == "voluntary"]
    assert voluntary.line_state == "" and voluntary.recognised_eur == 0


def test_art9_draft_batch_combined_figures_carry_the_split(run):
    a = run(LINES, default_carbon_price={"CN": 10.0}).summary.instruments
    b = run(LINES[:1]).summary.instruments
    both = combined_figures([a, b])
    assert both.recognised_deducted_eur == pytest.approx(
        a.recognised_deducted_eur + b.recognised_deducted_eur
    )
    assert both.recognised_not_deducted_eur == pytest.approx(a.recognised_not_deducted_eur)
    by = _rows(both)
    assert by["deducted"].lines == 2 and by["deducted"].recognised_eur == pytest.approx(2 * 168.87)
    assert by["default_track"].lines == 1 and by["not_evidenced"].lines == 1
