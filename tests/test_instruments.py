"""Every carbon-pricing instrument and what the DRAFT Art 9 does with it (issue 16).

Treatment follows the unit AND its use: a binding mechanism's price counts net of free allocation
and rebates; a credit only when surrendered for compliance inside a mechanism of the origin that
takes it, within its offset limit; Paris Art 6 units for at most 10 % of the covered emissions;
voluntary retirements and the EU ETS / Annex III mechanisms reduce nothing
(carbon_pricing.yaml, art9_draft.yaml; RULES.md "Art 9").
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import line, steel

from cbam_calc.law import instruments as I
from cbam_calc.law.parameters import parameter

CNY_2026 = 7.8757  # ECB reference rates, mean 2026 (reference_prices/fx_eur_annual.csv), as test_art9
P_REF_2026 = round((75.36 + 75.28 + 82.32 + 82.32) / 4, 2)  # 78.82, as test_art9
SEE = 2.0  # tCO2e/t, the lines' actual direct emissions (hot-rolled coil: direct only)
MASS = 100.0
FAA = MASS * 0.975 * 0.044  # CBAM factor 2026 x route C benchmark (as test_art9)


def priced(**kw) -> dict:
    """A China hot-rolled coil line with actual emissions and a carbon price per tCO2e."""
    base = steel(
        see_direct=str(SEE),
        route="C",
        carbon_price_currency="CNY",
        carbon_price_basis="per_tco2e",
    )
    base.update(kw)
    return base


def rows(*specs: dict) -> I.Treatment:
    """``treat`` over instrument rows given as dicts (one line each unless ``line`` is given),
    per tCO2e, SEE 2, rate 1 unless said."""
    n = len(specs)

    def col(key, default):
        return [s.get(key, default) for s in specs]

    return I.treat(
        line=np.array(col("line", None) if all("line" in s for s in specs) else np.arange(n)),
        unit=I.unit_codes(col("unit", "")),
        mechanism=I.mechanism_codes(col("mechanism", "")),
        voluntary=np.array(col("voluntary", False)),
        origin_iso2=col("origin", "CN"),
        share_covered=np.array(col("share", np.nan), dtype=float),
        price=np.array(col("price", 0.0), dtype=float),
        per_tco2e=np.array(col("per_tco2e", True)),
        see_tco2e_per_t=np.full(n, SEE),
        free_allocation_share=np.array(col("free", np.nan), dtype=float),
        rebate=np.array(col("rebate", np.nan), dtype=float),
        units_per_eur=np.array(col("rate", 1.0), dtype=float),
    )


def reason(t: I.Treatment, i: int = 0) -> str:
    return I.REASONS[t.reason[i]]


# ------------------------------------------------------------------ the reference table
def test_reference_table_every_mechanism_names_its_source_and_known_units():
    units = set(I.known_units())
    for code, m in I.mechanisms().items():
        assert m.source and all(s.get("title") and s.get("href") for s in m.source), code
        assert set(m.units) <= units, code
        assert m.offset_limit_share is None or 0 < m.offset_limit_share <= 1, code
        assert m.kind in I.table()["kinds"], code
        assert m.scope in ("in", "eu_ets", "annex_iii"), code
    assert I.mechanisms()["cnets"].offset_limit_share == parameter("cnets").at(2026)  # the same 5 %


def test_reference_table_kinds_are_the_communication_templates_list():
    # Parameters_Constants CONST_CarbonPriceType (C45:I45) of the template of 13.12.2024
    assert list(I.template_kinds()) == [
        "None",
        "Carbon Tax",
        "Carbon Levy",
        "Carbon Fee",
        "National Emissions Trading System",
        "Regional Emissions Trading System",
        "Combination",
        "Other",
    ]
    for text in I.template_kinds():
        assert I.resolve_unit(text) in I.known_units()


def test_names_resolve_by_code_english_chinese_and_alias_whatever_the_case_and_spaces():
    assert I.resolve_unit("CCER") == I.resolve_unit("国家核证自愿减排量") == "ccer"
    assert I.resolve_unit(" a6.4 ER ") == I.resolve_unit("Article 6.4") == "a6_4er"
    assert I.resolve_unit("Verra") == "vcs" and I.resolve_unit("碳税") == "carbon_tax"
    assert I.resolve_unit("National Emissions Trading System") == "ets_allowance"
    assert I.resolve_mechanism("cea") == I.resolve_mechanism("全国碳市场") == "cnets"
    assert I.resolve_mechanism("EU ETS") == "eu_ets" and I.resolve_mechanism("K-ETS") == "k_ets"
    assert I.resolve_use("合规") == "compliance" and I.resolve_use("自愿") == "voluntary"
    assert I.resolve_unit("no such credit") is None and I.resolve_mechanism("") is None


def test_no_name_resolves_to_two_codes():
    for section in ("units", "mechanisms", "uses"):
        seen: dict[str, str] = {}
        for code, e in I.table()[section].items():
            for name in (code, e["en"], e["zh"], *(e.get("aliases") or ())):
                key = I.normalise(name)
                assert seen.setdefault(key, code) == code, (section, name, seen[key], code)


# ------------------------------------------------------------------ the treatment (law)
def test_art9_draft_ets_allowance_counts_net_of_free_allocation():
    # 70 CNY/tCO2e x 2 tCO2e/t x (1 - 0.9) / 7.8757 = 1.7776 EUR/t, all recognised
    t = rows(dict(unit="ets_allowance", mechanism="cnets", price=70, free=0.9, rate=CNY_2026))
    assert t.recognised_eur_per_t[0] == pytest.approx(70 * 2 * 0.1 / CNY_2026)
    assert t.unrecognised_eur_per_t[0] == 0 and reason(t) == "recognised"


def test_art9_draft_single_binding_price_is_exactly_the_single_price_formula():
    from cbam_calc.law.art9 import effective_price_paid_eur_per_t

    args = dict(price=np.array([70.0, 20.0]), free=np.array([0.9, np.nan]), rebate=np.array([np.nan, 5.0]))
    want = effective_price_paid_eur_per_t(
        args["price"],
        np.array([True, False]),
        np.full(2, SEE),
        args["free"],
        args["rebate"],
        np.array([CNY_2026, 1.0]),
    )
    for unit in ("", "ets_allowance"):  # unnamed (today's columns) or named, share 1 or blank
        t = rows(
            dict(unit=unit, price=70.0, free=0.9, rate=CNY_2026),
            dict(unit=unit, price=20.0, rebate=5.0, per_tco2e=False, share=1.0),
        )
        assert np.array_equal(t.recognised_eur_per_t, want)  # exactly, not approximately


def test_art9_draft_carbon_tax_counts_net_of_a_rebate():
    # Singapore carbon tax 45 SGD/tCO2e, 15 SGD/tCO2e rebated: (45 - 15) x 2 = 60 SGD per t of good
    t = rows(dict(unit="carbon_tax", mechanism="sg_carbon_tax", origin="SG", price=45, rebate=15))
    assert t.recognised_eur_per_t[0] == pytest.approx(60.0) and reason(t) == "recognised"


def test_cnets_compliance_ccer_within_the_5_percent_limit_counts_at_the_price_paid():
    # CCER for 5 % of the emissions at 60 CNY: 60 x 2 x 0.05 = 6 CNY per t of good, all of it
    t = rows(dict(unit="ccer", mechanism="cnets", share=0.05, price=60))
    assert t.recognised_eur_per_t[0] == pytest.approx(6.0) and reason(t) == "recognised"


def test_cnets_compliance_ccer_above_the_5_percent_limit_counts_up_to_the_limit():
    # 8 % surrendered: 60 x 2 x 0.08 = 9.6 CNY/t paid, 5/8 of it recognised (6), 3.6 at zero
    t = rows(dict(unit="ccer", share=0.08, price=60))  # the mechanism inferred: CCER in China is CNETS
    assert I.known_mechanisms()[t.mechanism[0]] == "cnets"
    assert t.recognised_eur_per_t[0] == pytest.approx(6.0)
    assert t.unrecognised_eur_per_t[0] == pytest.approx(3.6)
    assert t.recognised_share[0] == pytest.approx(0.05) and reason(t) == "above_offset_limit"


def test_cnets_two_ccer_rows_of_one_line_share_the_5_percent_limit():
    # 3 % + 4 % = 7 % > 5 %: each row keeps 5/7 of its price; CEA for the remaining 95 % counts
    t = rows(
        dict(line=0, unit="ets_allowance", mechanism="cnets", share=0.95, price=70),
        dict(line=0, unit="ccer", mechanism="cnets", share=0.03, price=60),
        dict(line=0, unit="ccer", mechanism="cnets", share=0.04, price=60),
    )
    assert t.kept == pytest.approx([1.0, 5 / 7, 5 / 7])
    total, unrecognised, why = I.per_line(t, np.zeros(3, dtype=np.int64), 1)
    # 70 x 2 x 0.95 + 60 x 2 x 0.05 = 133 + 6 = 139 recognised; 60 x 2 x 0.02 = 2.4 not
    assert total[0] == pytest.approx(139.0) and unrecognised[0] == pytest.approx(2.4)
    assert I.REASONS[why[0]] == "above_offset_limit"


def test_paris_art6_units_above_10_percent_of_covered_emissions_count_at_zero():
    cap = parameter("art9_draft").extra["paris_article6_credit_cap_share"]
    assert cap == 0.10
    # JCM credits (Art 6.2) for 25 % in Japan's GX-ETS at 3,000 JPY: 0.10 / 0.25 = 40 % counts
    t = rows(dict(unit="jcm", mechanism="gx_ets", origin="JP", share=0.25, price=3000))
    assert t.kept[0] == pytest.approx(0.4) and reason(t) == "above_paris_cap"
    assert t.recognised_eur_per_t[0] == pytest.approx(3000 * 2 * 0.25 * 0.4)  # 600 JPY per t


def test_paris_art6_itmo_above_the_cap_then_the_mechanisms_own_limit():
    # ITMOs for 20 % under Singapore's carbon tax: the Paris cap keeps 10 %, Singapore's own 5 % limit
    # half of that: 25 % of 45 x 2 x 0.2 = 18 SGD/t, i.e. 4.5 SGD/t recognised
    t = rows(dict(unit="itmo", mechanism="sg_carbon_tax", origin="SG", share=0.2, price=45))
    assert t.kept[0] == pytest.approx(0.25) and reason(t) == "above_paris_cap"
    assert t.recognised_eur_per_t[0] == pytest.approx(4.5)
    assert t.unrecognised_eur_per_t[0] == pytest.approx(13.5)


def test_cer_used_for_compliance_where_the_mechanism_accepts_it_counts():
    # South Africa's carbon tax takes CDM CERs (offset allowance up to 10 %): 5 % at 150 ZAR
    t = rows(dict(unit="cer", mechanism="za_carbon_tax", origin="ZA", share=0.05, price=150))
    assert t.recognised_eur_per_t[0] == pytest.approx(150 * 2 * 0.05) and reason(t) == "recognised"


def test_cer_retired_voluntarily_reduces_nothing():
    t = rows(dict(unit="cer", mechanism="za_carbon_tax", origin="ZA", share=0.05, price=150, voluntary=True))
    assert t.recognised_eur_per_t[0] == 0 and t.unrecognised_eur_per_t[0] == pytest.approx(15.0)
    assert reason(t) == "voluntary"


def test_cer_in_a_mechanism_that_does_not_take_it_reduces_nothing():
    t = rows(dict(unit="cer", mechanism="cnets", share=0.05, price=150))
    assert t.recognised_eur_per_t[0] == 0 and reason(t) == "not_accepted"


def test_vcs_credit_gives_zero():
    # a voluntary standard's credit with no mechanism, or offered to CNETS (which takes only CCER)
    t = rows(
        dict(unit="vcs", share=0.05, price=40), dict(unit="vcs", mechanism="cnets", share=0.05, price=40)
    )
    assert list(t.recognised_eur_per_t) == [0.0, 0.0]
    assert [reason(t, 0), reason(t, 1)] == ["voluntary", "not_accepted"]


def test_eu_ets_annex_iii_and_another_countrys_mechanism_reduce_nothing():
    t = rows(
        dict(unit="ets_allowance", mechanism="eu_ets", price=80),
        dict(unit="ets_allowance", mechanism="ch_ets", price=80),
        dict(unit="ets_allowance", mechanism="k_ets", price=80),  # a Chinese line, a Korean ETS
    )
    assert list(t.recognised_eur_per_t) == [0.0, 0.0, 0.0]
    assert [reason(t, i) for i in range(3)] == ["eu_ets", "annex_iii", "other_country"]


def test_reason_messages_have_chinese():
    m = I.reason_message(I.ABOVE_PARIS_CAP)
    assert "10 %" in str(m) and "10 %" in m.text("zh")
    assert m.text("zh") != str(m)


# ------------------------------------------------------------------ through the pipeline
def test_pipeline_cea_named_gives_exactly_todays_single_price(run):
    plain = priced(carbon_price_paid="70", carbon_price_free_share="0.9")
    named = {**plain, "carbon_price_instrument": "CEA", "carbon_price_use": "合规"}
    a, b = line(run([plain]), 2), line(run([named]), 2)
    # 70 x 2 x 0.1 / 7.8757 = 1.77762 EUR/t; R = 1.77762 / 78.82 x 100 = 2.25529 tCO2e
    eff = 70 * SEE * 0.1 / CNY_2026
    assert b["carbon_price_paid_eur_per_t"] == a["carbon_price_paid_eur_per_t"] == pytest.approx(eff)
    assert b["certificates"] == a["certificates"] == pytest.approx(200 - FAA - eff / P_REF_2026 * MASS)
    assert (b["carbon_price_unit"], b["carbon_price_mechanism_used"]) == ("ets_allowance", "cnets")
    assert b["carbon_price_treatment"] == "recognised" and b["carbon_price_unrecognised_eur_per_t"] == 0
    assert "carbon_price_treatment" not in run([plain]).lines.columns  # no instrument: no new column


def test_pipeline_cnets_ccer_above_5_percent_certificates_and_eur(run):
    # CCER for 8 % at 60 CNY/tCO2e: 9.6 CNY/t paid, 6 CNY/t recognised = 0.76184 EUR/t
    # R = 0.76184 / 78.82 x 100 = 0.96656 tCO2e; N = 200 - 4.29 - 0.96656 = 194.74344
    result = run(
        [priced(carbon_price_paid="60", carbon_price_instrument="CCER", carbon_price_share_covered="8%")],
        price_eur_per_tco2e=80.0,
    )
    x = line(result, 2)
    eff = 60 * SEE * 0.05 / CNY_2026
    # P_ref with every period at the user's 80 EUR: 80
    reduction = eff / 80.0 * MASS
    assert x["carbon_price_paid_eur_per_t"] == pytest.approx(eff)
    assert x["carbon_price_unrecognised_eur_per_t"] == pytest.approx(60 * SEE * 0.03 / CNY_2026)
    assert x["carbon_price_treatment"] == "above_offset_limit"
    assert x["certificates"] == pytest.approx(200 - FAA - reduction)
    assert x["cost_eur"] == pytest.approx((200 - FAA - reduction) * 80.0)
    codes = [getattr(w, "code", "") for w in result.summary.warning_messages()]
    assert "W_INSTRUMENT_NOT_RECOGNISED" in codes


def test_pipeline_cer_for_compliance_and_the_same_cer_retired_voluntarily(run):
    # South Africa, EUR prices: CER for 5 % at 10 EUR/tCO2e = 10 x 2 x 0.05 = 1 EUR/t
    za = dict(
        country="ZA", carbon_price_currency="EUR", carbon_price_paid="10", carbon_price_instrument="CER"
    )
    za.update(carbon_price_mechanism="South Africa carbon tax", carbon_price_share_covered="0.05")
    result = run([priced(**za, carbon_price_use="compliance"), priced(**za, carbon_price_use="自愿")])
    kept, retired = line(result, 2), line(result, 3)
    p_ref = kept["reference_price_eur_per_tco2e"]
    assert kept["carbon_price_paid_eur_per_t"] == pytest.approx(1.0)
    assert kept["art9_reduction_tco2e"] == pytest.approx(1.0 / p_ref * MASS)
    assert kept["certificates"] == pytest.approx(200 - FAA - 1.0 / p_ref * MASS)
    assert retired["art9_reduction_tco2e"] == 0 and retired["carbon_price_treatment"] == "voluntary"
    assert retired["certificates"] == pytest.approx(200 - FAA)
    assert retired["carbon_price_unrecognised_eur_per_t"] == pytest.approx(1.0)


def test_pipeline_eu_ets_given_warns_and_deducts_zero(run):
    result = run([priced(carbon_price_paid="80", carbon_price_currency="EUR", carbon_price_instrument="EUA")])
    x = line(result, 2)
    assert x["art9_reduction_tco2e"] == 0 and x["carbon_price_treatment"] == "eu_ets"
    assert x["certificates"] == pytest.approx(200 - FAA)
    assert x["carbon_price_unrecognised_eur_per_t"] == pytest.approx(160.0)
    warnings = result.summary.warning_messages()
    (w,) = [w for w in warnings if getattr(w, "code", "") == "W_INSTRUMENT_OUT_OF_SCOPE"]
    assert "eu_ets" in str(w) and "draft" in str(w)


@pytest.mark.parametrize(
    ("column", "value", "known"),
    [
        ("carbon_price_instrument", "carbon coupon", "ets_allowance, carbon_tax"),
        ("carbon_price_mechanism", "Mars ETS", "cnets, k_ets"),
        ("carbon_price_use", "maybe", "compliance, voluntary"),
    ],
)
def test_unknown_unit_mechanism_or_use_is_rejected_naming_the_column_and_the_known_ones(
    run, column, value, known
):
    result = run([priced(carbon_price_paid="60", **{column: value}), priced(carbon_price_paid="60")])
    (bad,) = result.rejected.to_dict("records")
    assert (bad["row"], bad["column"], bad["value"]) == (2, column, value)
    assert known in bad["reason"]
    line(result, 3)  # the other row is computed


# ------------------------------------------------------------------ the README's table
def test_readme_instrument_table_is_the_one_generated_from_the_reference_table():
    import importlib.util

    from conftest import REPO

    spec = importlib.util.spec_from_file_location(
        "instrument_table", REPO / "scripts" / "instrument_table.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split(script.START, 1)[1].split(script.END, 1)[0]
    assert shown == "\n" + script.table(), "run python scripts/instrument_table.py"
    assert "`cnets` (≤ 5 %)" in shown and "(DRAFT, not law)" in shown  # what the table says
