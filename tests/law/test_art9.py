"""Art 9 (DRAFT): the carbon price paid in the country of origin, deducted from the certificates."""

from __future__ import annotations

import pytest
from conftest import line, steel

CNY_2026 = 7.8757  # ECB reference rates, mean 2026-01-02..2026-10-30 (reference_prices/fx_eur_annual.csv)
# Yearly average of the 2026 quarterly prices: Q1-Q3 published, Q4 Q3's price carried forward
P_REF_2026 = round((75.36 + 75.28 + 82.32 + 82.32) / 4, 2)  # 78.82


# ------------------------------------------------------------------ Art 9 (DRAFT)
def art9_line(**kw):
    base = steel(
        see_direct="2.0",
        route="C",
        carbon_price_paid="70",
        carbon_price_currency="CNY",
        carbon_price_basis="per_tco2e",
        carbon_price_free_share="0.9",
    )
    base.update(kw)
    return base


def test_art9_draft_actual_track_net_of_free_allocation(run):
    # P_paid,eff = 70 CNY/tCO2e x 2.0 tCO2e/t x (1 - 0.9) / 7.8757 CNY per EUR  (EUR per t of good)
    # R = P_paid,eff / P_ref x M ; N = embedded - FAA - R
    eff = 70 * 2.0 * (1 - 0.9) / CNY_2026
    reduction = eff / P_REF_2026 * 100
    x = line(run([art9_line()]), 2)
    assert x["art9_track"] == "actual"
    assert x["carbon_price_paid_eur_per_t"] == pytest.approx(eff)
    assert x["reference_price_eur_per_tco2e"] == P_REF_2026
    assert x["art9_reduction_tco2e"] == pytest.approx(reduction)  # 2.2553 tCO2e
    assert x["certificates"] == pytest.approx(200 - 100 * 0.975 * 0.044 - reduction)


def test_art9_draft_rebate_is_deducted(run):
    # basis per tonne of good: 20 CNY/t paid, 5 CNY/t refunded -> 15 CNY/t effective
    x = line(
        run(
            [
                art9_line(
                    carbon_price_paid="20",
                    carbon_price_basis="per_t_good",
                    carbon_price_free_share="",
                    carbon_price_rebate="5",
                )
            ]
        ),
        2,
    )
    assert x["carbon_price_paid_eur_per_t"] == pytest.approx(15 / CNY_2026)
    assert x["art9_reduction_tco2e"] == pytest.approx(15 / CNY_2026 / P_REF_2026 * 100)


def test_art9_draft_reduction_never_makes_certificates_negative(run):
    x = line(run([art9_line(carbon_price_paid="1000000", carbon_price_free_share="0")]), 2)
    assert x["certificates"] == 0.0
    assert x["art9_reduction_tco2e"] == pytest.approx(200 - 4.29)


def test_art9_draft_unevidenced_entitlement_removes_the_deduction(run):
    x = line(run([art9_line(carbon_price_evidenced="no")]), 2)
    assert x["art9_reduction_tco2e"] == 0.0


def test_art9_off_recognises_nothing(run):
    r = run([art9_line()], art9="off")
    assert line(r, 2)["art9_reduction_tco2e"] == 0.0
    assert "off" in r.summary.assumptions.draft_rules_in_force[0]


def test_art9_draft_default_track_uses_the_country_default_price(run):
    # R = P_default x SEE / P_ref x M = 10 x 3.506 / 78.82 x 100
    r = run([steel()], default_carbon_price={"CN": 10.0})
    x = line(r, 2)
    assert x["art9_track"] == "default"
    assert x["art9_reduction_tco2e"] == pytest.approx(10 * 3.506 / P_REF_2026 * 100)
    assert x["certificates"] == pytest.approx(350.6 - 133.575 - 10 * 3.506 / P_REF_2026 * 100)


def test_art9_draft_price_paid_on_default_values_needs_the_default_track(run):
    # The actual track needs actual emissions; with no default price published, nothing is deducted.
    x = line(
        run([steel(carbon_price_paid="70", carbon_price_currency="CNY", carbon_price_basis="per_tco2e")]), 2
    )
    assert x["art9_track"] == ""
    assert x["art9_reduction_tco2e"] == 0.0


def test_art9_status_is_printed_as_draft(run):
    a = run([art9_line()]).summary.assumptions
    assert a.art9_status.startswith("DRAFT")
    assert a.art9_reference_prices[0].price_eur_per_tco2e == P_REF_2026


def test_art9_price_without_currency_is_rejected(run):
    r = run([art9_line(carbon_price_currency="")])
    assert r.rejected.iloc[0]["column"] == "carbon_price_currency"


def test_art9_draft_p_ref_2026_says_which_quarters_it_averages_and_their_status(run):
    # P_ref 2026 = (75.36 + 75.28 + 82.32 + 82.32) / 4 = 78.82: Q1-Q3 published, Q4 a projection,
    # so P_ref is labelled a projection (the weakest status it rests on).
    r = run([art9_line()])
    (p_ref,) = r.summary.assumptions.art9_reference_prices
    averages = (
        "mean of 4 quarters: 2026Q1 75.36 (published), 2026Q2 75.28 (published), "
        "2026Q3 82.32 (published), 2026Q4 82.32 (projection)"
    )
    assert (p_ref.year, p_ref.price_eur_per_tco2e, p_ref.status, p_ref.averages) == (
        2026,
        78.82,
        "projection",
        averages,
    )
    row = r.parameters[r.parameters["parameter"] == "Art 9 reference price P_ref"].iloc[0]
    assert (row["key"], row["value"], row["status"]) == ("2026", 78.82, "projection (rule: DRAFT)")
    assert averages in row["source"]


def test_art9_draft_p_ref_2027_averages_the_application_weeks_starting_in_2027(run):
    # Tuesdays of 2027: 5 January (2027-W01) to 28 December (2027-W52), 52 weeks; none has a
    # price of its own, so each takes the flat 2027 projection (78.82).
    (p_ref,) = run([art9_line(import_date="2027-05-10")]).summary.assumptions.art9_reference_prices
    assert (p_ref.price_eur_per_tco2e, p_ref.status) == (78.82, "projection")
    assert (
        p_ref.averages == "mean of 52 weeks: 2027-W01 to 2027-W52 (52 weeks) 78.82 (projection, 2027 figure)"
    )


def test_art9_draft_price_paid_deducted_only_on_the_actual_track_evidenced():
    """RULES.md "Art 9": the price paid is deducted on the actual track with a certified carbon
    price report; the default track deducts the country's default carbon price instead."""
    import numpy as np

    from cbam_calc.core.model import Art9Track
    from cbam_calc.law import art9

    track = np.array(
        [art9.TRACK_ACTUAL, art9.TRACK_ACTUAL, art9.TRACK_DEFAULT, art9.TRACK_NONE, art9.TRACK_NONE]
    )
    evidenced = np.array([True, False, True, True, True])
    actual = np.array([True, True, False, False, True])
    got = art9.price_paid_state(Art9Track.AUTO, track, evidenced, actual)
    assert [art9.PRICE_STATES[s] for s in got] == [
        "deducted",
        "not_evidenced",
        "default_track",
        "default_values",
        "not_applied",
    ]
    off = art9.price_paid_state(
        Art9Track.OFF, np.full(2, art9.TRACK_NONE), np.ones(2, bool), np.array([0, 1], bool)
    )
    assert [art9.PRICE_STATES[s] for s in off] == ["not_applied", "not_applied"]
