"""Free allocation adjustment: IR 2025/2620 Eq 1-6, benchmark columns, routes and periods, and the
CBAM factor of Directive 2003/87/EC Art 10a(1a)."""

from __future__ import annotations

import pytest
from conftest import SAMPLES, line, steel

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.model import CalcOptions
from cbam_calc.law import free_allocation

CBAM_FACTOR = {
    2026: 0.975,
    2027: 0.95,
    2028: 0.90,
    2029: 0.775,
    2030: 0.515,
    2031: 0.39,
    2032: 0.265,
    2033: 0.14,
    2034: 0.0,
}


@pytest.mark.parametrize(("year", "factor"), sorted(CBAM_FACTOR.items()))
def test_dir_2003_87_art10a_1a_cbam_factor_by_year(run, year, factor):
    # FAA = M x CBAM factor x CSCF x BM = 100 x factor x 1.0 x 1.370 (Column B, route C)
    r = run([steel()], year=year)
    x = line(r, 2)
    assert x["cbam_factor"] == factor
    assert x["free_allocation_tco2e"] == pytest.approx(100 * factor * 1.370)
    assert x["certificates"] == pytest.approx(x["embedded_tco2e"] - 100 * factor * 1.370)


def test_dir_2003_87_art10a_1a_factor_zero_in_2034_means_full_levy(run):
    r = run([steel()], year=2034)
    x = line(r, 2)
    assert x["free_allocation_tco2e"] == 0.0
    assert x["certificates"] == pytest.approx(100 * 4.143)  # the 2028+ marked-up default


def test_ir2620_point5_actual_data_needs_route_where_column_a_has_several(run):
    # Crude steel 7207 11 11: Column A C 0.188 / D 0.065 / E 0.065
    r = run([steel(cn_code="7207 11 11", see_direct="0.5")])
    assert r.summary.lines == 0
    rej = r.rejected.iloc[0]
    assert rej["column"] == "route"
    assert "IR 2025/2620" in rej["reason"] and "E (carbon steel, scrap-EAF)" in rej["reason"]
    r = run([steel(cn_code="7207 11 11", see_direct="0.5", route="E")])
    x = line(r, 2)
    assert x["benchmark_column"] == "A" and x["benchmark_route"] == "E"
    assert x["free_allocation_tco2e"] == pytest.approx(100 * 0.975 * 0.065)


def test_ir2620_point5_default_data_printed_route_applies_not_the_route_given(run):
    # China's default value for 7208 prints route (C): Column B route C 1.370 applies, with or
    # without a route given; route E (Column B 0.072) contradicts the indicator and changes nothing.
    # N = 100 x 3.506 - 100 x 0.975 x 1.370 = 217.025
    r = run([steel(route="E"), steel()])
    for row in (2, 3):
        x = line(r, row)
        assert x["benchmark_route"] == "C" and x["benchmark_tco2e_per_t"] == pytest.approx(1.370)
        assert x["free_allocation_tco2e"] == pytest.approx(100 * 0.975 * 1.370)
        assert x["certificates"] == pytest.approx(217.025)
        assert x["benchmark_route_basis"].startswith("route printed with the default value (C)")
        assert "benchmark route C: route printed with the default value (C)" in x["notes"]
    assert "route E given does not apply (printed (C))" in line(r, 2)["notes"]
    assert "does not apply" not in line(r, 3)["notes"]


# Production route indicators that IR 2026/1740 changed (ir_2026_1740/SOURCES.md), China's table,
# 2026: CN code, indicator printed, route given, Column B route used and its value.
CHANGED_INDICATORS = [
    ("7205 10 00", "C/F", "", "C", 1.288),  # was C; Column B of 7205 10 00 has C/D/E: C
    ("7205 21 00", "C/F", "C", "F", 1.460),  # was C; Column B F/G/H/J: F (C given has no value)
    ("7225 19 90", "C", "E", "C", 1.488),  # was F, which Column B (C/D/E) lacks
    ("7226 19 80", "C", "", "C", 1.488),  # was F
    ("7306 30 18", "C", "E", "C", 1.370),  # was none; route E (0.072) given changes nothing
    ("7318 12 10", "", "C", "", 1.154),  # was C; Column B has one value (period 1)
    ("7318 14 10", "", "", "", 1.154),  # was C
    ("2507 00 80 80", "", "A", "", 0.666),  # calcined clay: was A; Column B has one value
]


@pytest.mark.parametrize(("cn_code", "printed", "given", "used", "benchmark"), CHANGED_INDICATORS)
def test_ir2026_1740_changed_route_indicators_decide_the_column_b_benchmark(
    run, cn_code, printed, given, used, benchmark
):
    r = run([steel(cn_code=cn_code, route=given)])
    x = line(r, 2)
    assert r.lines.loc[0, "default_cn_prefix"] and x["benchmark_column"] == "B"
    from cbam_calc.law import defaults
    from cbam_calc.law.reference import reference_data

    one = defaults.resolve_one(
        reference_data(), x["cn_code"], "CN", given, 2026, x["sector"], x["direct_only"]
    )
    assert one["default_route"] == printed
    assert x["benchmark_route"] == used
    assert x["benchmark_tco2e_per_t"] == pytest.approx(benchmark)
    if used:
        assert f"benchmark route {used}:" in x["notes"]
    else:
        assert x["benchmark_route_basis"] == "single value" and "benchmark route" not in x["notes"]


def test_ir2620_point5_combined_indicator_c_f(run):
    # The Other Countries table prints (C)/(F) for 7205 and 7227: the route given if it is one of
    # them and Column B has it, else the highest Column B value among them. 7227 10 00 has Column B
    # F/G/H/J only (F 1.613): F, whatever route is given.
    r = run([steel(cn_code="7227 10 00", country="AF"), steel(cn_code="7227 10 00", country="AF", route="H")])
    for row in (2, 3):
        x = line(r, row)
        assert x["benchmark_route"] == "F" and x["benchmark_tco2e_per_t"] == pytest.approx(1.613)
    assert "benchmark route F: route printed with the default value (C)/(F)" in line(r, 2)["notes"]
    assert "route H given does not apply" in line(r, 3)["notes"]


def test_ir2620_point5_combined_indicator_e_h(run):
    # Thailand prints (E)/(H) for 7205: 7205 10 00 (Column B C/D/E) takes E 0.027, 7205 21 00
    # (Column B F/G/H/J) takes H 0.328; a route given outside them (C) changes nothing.
    r = run(
        [
            steel(cn_code="7205 10 00", country="TH"),
            steel(cn_code="7205 21 00", country="TH", route="C"),
        ]
    )
    a, b = line(r, 2), line(r, 3)
    assert (a["benchmark_route"], a["benchmark_tco2e_per_t"]) == ("E", pytest.approx(0.027))
    assert (b["benchmark_route"], b["benchmark_tco2e_per_t"]) == ("H", pytest.approx(0.328))
    assert "benchmark route E: route printed with the default value (E)/(H)" in a["notes"]
    assert "route C given does not apply (printed (E)/(H))" in b["notes"]


def test_ir2620_point5_default_route_choice_rules():
    # the rule itself, on Column B values by route
    by_route = {"C": 1.3, "D": 0.4, "F": 1.5, "G": 0.6}
    pick = free_allocation.default_route
    assert pick(by_route, "C", "")[0] == "C"
    assert pick(by_route, "C", "D") == (
        "C",
        "route printed with the default value (C); route D given does not apply (printed (C))",
    )
    assert pick(by_route, "C/F", "C")[0] == "C"  # the route given, one of them
    assert pick(by_route, "C/F", "D")[0] == "F"  # else the highest among them
    assert (
        pick(by_route, "C/F", "")[1]
        == "highest Column B value of the routes printed with the default value (C)/(F)"
    )
    assert pick(by_route, "", "")[0] == "F"  # nothing decides: the highest
    assert pick(by_route, "", "D")[1].endswith("route D given does not apply (no route printed)")
    assert pick(by_route, "K", "")[0] == "F"  # the printed route has no Column B value here


def test_ir2620_periods_1_and_2_and_projection_after_2030(run):
    # Stainless 7219 11 00, Column B: (1) 1.189 for 2026-2027, (2) 1.151 for 2028-2030
    rows = [steel(cn_code="7219 11 00")]
    assert line(run(rows), 2)["benchmark_tco2e_per_t"] == pytest.approx(1.189)
    x = line(run(rows, year=2028), 2)
    assert x["benchmark_tco2e_per_t"] == pytest.approx(1.151)
    assert not x["benchmark_projection"]
    r = run(rows, year=2031)
    x = line(r, 2)
    assert x["benchmark_tco2e_per_t"] == pytest.approx(1.151)
    assert x["benchmark_projection"]
    assert r.summary.assumptions.benchmark_projection_years == [2031]


def test_ir2620_eq4_precursor_term_for_complex_goods_with_actual_data(run):
    # SEFA = CBAM factor x CSCF x BM_A + m x SEFA_i = 0.975 x 0.044 + 1.05 x 1.33
    r = run(
        [steel(see_direct="2.0", route="C", precursor_mass_t_per_t="1.05", precursor_sefa_tco2e_per_t="1.33")]
    )
    x = line(r, 2)
    assert x["sefa_tco2e_per_t"] == pytest.approx(0.975 * 0.044 + 1.05 * 1.33)
    assert x["free_allocation_tco2e"] == pytest.approx(100 * (0.975 * 0.044 + 1.05 * 1.33))


def test_ir2620_eq4_precursor_only_with_actual_data(run):
    r = run([steel(precursor_mass_t_per_t="1.05", precursor_sefa_tco2e_per_t="1.33")])
    assert r.summary.lines == 0
    assert "actual data only" in r.rejected.iloc[0]["reason"]


def test_dec_2026_1862_cscf_is_law_for_2026_to_2030_and_no_warning(run):
    # Decision (EU) 2026/1862: CSCF = 100 % for each year 2026-2030. 2030, route C, Column B 1.370
    # (period 2): FAA = M x CBAM factor x CSCF x BM = 100 x 0.515 x 1.0 x 1.370 = 70.555 tCO2e
    days = [f"{y}-02-10" for y in range(2026, 2031)]
    r = run([steel(import_date=d) for d in days])
    a = r.summary.assumptions
    assert a.cscf == dict.fromkeys(range(2026, 2031), 1.0)
    assert a.cscf_status == dict.fromkeys(range(2026, 2031), "law")
    assert not a.cscf_provisional
    assert not any("CSCF" in w for w in r.summary.warnings)
    assert line(r, 6)["free_allocation_tco2e"] == pytest.approx(100 * 0.515 * 1.0 * 1.370)
    rows = r.parameters[r.parameters["parameter"] == "CSCF"]
    assert rows["key"].tolist() == [str(y) for y in range(2026, 2031)]
    assert set(rows["status"]) == {"law"} and set(rows["value"]) == {1.0}
    assert rows["source"].str.contains("Implementing Decision (EU) 2026/1862", regex=False).all()


def test_dec_2026_1862_cscf_from_2031_is_a_labelled_projection(run):
    # No CSCF is set after 2030: 1.0 is used as a projection and said so.
    # 2031, route C, Column B 1.370 (2028-2030 value reused): FAA = 100 x 0.39 x 1.0 x 1.370 = 53.43
    from cbam_calc.outputs.text import summary_text

    r = run([steel(import_date="2031-02-11"), steel(import_date="2030-02-11")])
    a = r.summary.assumptions
    assert a.cscf == {2030: 1.0, 2031: 1.0}
    assert a.cscf_status == {2030: "law", 2031: "projection"}
    assert a.cscf_provisional
    assert any(w.startswith("CSCF: the law sets no value") for w in r.summary.warnings)
    assert line(r, 2)["free_allocation_tco2e"] == pytest.approx(100 * 0.39 * 1.0 * 1.370)
    rows = r.parameters[r.parameters["parameter"] == "CSCF"].set_index("key")
    assert (rows.loc["2030", "status"], rows.loc["2031", "status"]) == ("law", "projection")
    assert "CSCF 1, 1 (2031: projection, no value set by law)" in summary_text(r)


def test_art31_faa_above_embedded_floors_certificates_at_zero(run):
    # Actual aluminium 7601 10 10 route K: BM_A 1.423 > SEE 1.0 -> N = 0, never negative
    r = run(
        [
            {
                "cn_code": "7601 10 10",
                "country": "CN",
                "net_mass_t": "10",
                "import_date": "2026-03-01",
                "see_direct": "1.0",
                "route": "K",
            }
        ]
    )
    x = line(r, 2)
    assert x["free_allocation_tco2e"] == pytest.approx(10 * 0.975 * 1.423)
    assert x["certificates"] == 0.0
    assert x["cost_eur"] == 0.0


def test_ir2620_eq4_precursor_benchmark_follows_the_cbam_factor_of_the_year(run):
    # SEFA_i = CBAM factor x CSCF x the precursor's chain benchmark, so in 2030 (factor 0.515):
    # SEFA = 0.515 x 0.044 + 1.05 x 0.515 x 1.30
    r = run(
        [
            steel(
                see_direct="2.0",
                route="C",
                precursor_mass_t_per_t="1.05",
                precursor_benchmark_tco2e_per_t="1.30",
            )
        ],
        year=2030,
    )
    x = line(r, 2)
    assert x["precursor_sefa_term_tco2e_per_t"] == pytest.approx(1.05 * 0.515 * 1.30)
    assert x["sefa_tco2e_per_t"] == pytest.approx(0.515 * 0.044 + 1.05 * 0.515 * 1.30)
    r = run(
        [
            steel(
                see_direct="2.0",
                route="C",
                precursor_mass_t_per_t="1.05",
                precursor_benchmark_tco2e_per_t="1.30",
                precursor_sefa_tco2e_per_t="1.2",
            )
        ]
    )
    assert "not both" in r.rejected.iloc[0]["reason"]
    r = run([steel(see_direct="2.0", route="C", precursor_mass_t_per_t="1.05")])
    assert "needs precursor_benchmark" in r.rejected.iloc[0]["reason"]


def test_precursor_note_only_for_goods_whose_column_a_covers_part_of_the_chain(run):
    # Secondary aluminium 7601 route L: Column A = Column B (0.091): a simple good, no note.
    # Hot-rolled coil: Column A 0.044 < Column B 1.370: the precursors are missing.
    r = run(
        [
            {
                "cn_code": "7601 10 10",
                "country": "CN",
                "net_mass_t": "10",
                "import_date": "2026-03-01",
                "see_direct": "0.4",
                "route": "L",
            },
            steel(see_direct="2.0", route="C"),
        ]
    )
    assert "precursor" not in line(r, 2)["notes"]
    assert "precursor" in line(r, 3)["notes"]


def test_ir2620_annex_point5_benchmark_periods_start_2026_and_2028_in_the_parameters_sheet():
    # IR 2025/2620 Annex: values marked (1) apply 2026-2027, (2) from 2028 (benchmark_period.yaml)
    assert free_allocation.benchmark_period_start("1") == "2026-01-01"
    assert free_allocation.benchmark_period_start("2") == "2028-01-01"
    params = calculate(SAMPLES / "shipments_cn_steel.xlsx", CalcOptions(year=2029)).parameters
    bench = params[params["parameter"].eq("CBAM benchmark")]
    assert len(bench) and set(bench["effective_from"]) == {"2028-01-01"}
    assert set(bench["key"].str.contains("period 2")) == {True}


def aluminous_cement(day: str) -> dict:
    """Aluminous cement 2523 30 00 from Egypt with actual data (Column A: 0.717 marked (1), 0.686 (2))."""
    return {
        "cn_code": "2523 30 00",
        "country": "EG",
        "net_mass_t": "100",
        "import_date": day,
        "see_direct": "1.0",
        "see_indirect": "0.1",
    }


def test_ir2620_benchmarks_from_2027_are_the_adopted_acts_pending_revision(run):
    # IR 2025/2620 foresees revised benchmarks for imports from 2027; none is adopted, so a 2027
    # line keeps the act's value marked (1) and a 2028 line the value marked (2), and both say so.
    # FAA 2027 = 100 x 0.95 x 1.0 x 0.717 = 68.115; FAA 2028 = 100 x 0.90 x 1.0 x 0.686 = 61.74
    r = run([aluminous_cement("2026-03-10"), aluminous_cement("2027-03-10"), aluminous_cement("2028-03-10")])
    y2026, y2027, y2028 = (line(r, row) for row in (2, 3, 4))
    assert y2026["free_allocation_tco2e"] == pytest.approx(100 * 0.975 * 0.717)
    assert y2027["free_allocation_tco2e"] == pytest.approx(68.115)
    assert y2028["free_allocation_tco2e"] == pytest.approx(61.74)
    pending = "the revised benchmarks it foresees for imports from 2027 are not adopted"
    assert pending not in y2026["notes"]
    assert "benchmark of IR 2025/2620 as adopted for 2026" in y2027["notes"] and pending in y2027["notes"]
    assert pending in y2028["notes"]
    bm = r.parameters[r.parameters["parameter"] == "CBAM benchmark"]
    rows = {
        (k, e): (v, s)
        for k, e, v, s in bm[["key", "effective_from", "value", "status"]].itertuples(index=False)
    }
    assert rows == {
        ("25233000 column A period 1", "2026-01-01"): (0.717, "law"),
        ("25233000 column A period 1", "2027-01-01"): (0.717, "law (revision pending)"),
        ("25233000 column A period 2", "2028-01-01"): (0.686, "law (revision pending)"),
    }
    assert bm[bm["status"] != "law"]["source"].str.contains(pending).all()


def test_ir2620_benchmark_after_2030_is_a_projection_and_its_revision_pending(run):
    r = run([steel(import_date="2031-02-11")])
    assert "benchmark after 2030 is a projection" in line(r, 2)["notes"]
    bm = r.parameters[r.parameters["parameter"] == "CBAM benchmark"].iloc[0]
    assert (bm["value"], bm["status"]) == (1.370, "projection (revision pending)")


def test_explain_a_2031_line_says_cscf_and_benchmark_status(run):
    from cbam_calc.outputs.explain import explain_line, explain_text

    ex = explain_line(run([steel(import_date="2031-02-11")]), 2)
    text = explain_text(ex)
    assert ex["assumptions"]["cscf_status"] == "projection"
    assert "CSCF 2031: projection, no value set by law" in text  # the SEFA step's source
    assert text.endswith("CSCF 2031: 1 is a projection (no value set by law)")
    assert "not adopted (as of 2026-11)" in text  # the benchmark step
    ex_2026 = explain_line(run([steel()]), 2)
    assert ex_2026["assumptions"]["cscf_status"] == "law"
    assert "CSCF 2026: Commission Implementing Decision (EU) 2026/1862" in explain_text(ex_2026)


def _cement(**kw) -> dict:
    base = {"cn_code": "2523 29 00", "country": "TR", "net_mass_t": "1000", "import_date": "2026-02-10"}
    base.update(kw)
    return base


def test_ir2620_eq3_4_actual_data_without_precursor_is_said_not_silent(run):
    # Portland cement 2523 29 00: Column A 0 (the grinding step), Column B 0.666 (IR 2620 Annex).
    # Actual data without its clinker: SEFA = 0.975 x 1 x 0 = 0, FAA = 0 tCO2e, and the warning
    # names the code with both benchmarks. With 0.8 t of grey clinker per t (Column A 0.666):
    # SEFA = 0 + 0.8 x 0.975 x 0.666 = 0.519480, FAA = 1000 x 0.519480 = 519.480 tCO2e, no warning.
    # A default-value line (Column B) is no such case either.
    r = run([_cement(see_direct="0.75", see_indirect="0.05")])
    assert line(r, 2)["free_allocation_tco2e"] == pytest.approx(0.0)
    (w,) = [w for w in r.summary.warnings if "give no precursor" in w]
    assert w.startswith("1 line(s) with actual data") and "2523 29 00 (A 0, B 0.666)" in w
    assert "Eq 3-4" in w
    r = run(
        [
            _cement(
                see_direct="0.75",
                see_indirect="0.05",
                precursor_mass_t_per_t="0.8",
                precursor_benchmark_tco2e_per_t="0.666",
            )
        ]
    )
    assert line(r, 2)["free_allocation_tco2e"] == pytest.approx(1000 * 0.8 * 0.975 * 0.666)
    assert not any("give no precursor" in w for w in r.summary.warnings)
    r = run([_cement()])
    assert line(r, 2)["free_allocation_tco2e"] == pytest.approx(1000 * 0.975 * 0.666)
    assert not any("give no precursor" in w for w in r.summary.warnings)


def test_ir2620_eq3_4_simple_good_with_actual_data_gives_no_precursor_warning(run):
    # Grey clinker 2523 10 00 route A: Column A = Column B = 0.666, a simple good: nothing to say
    r = run([_cement(cn_code="2523 10 00", route="A", see_direct="0.85", see_indirect="0")])
    assert line(r, 2)["free_allocation_tco2e"] == pytest.approx(1000 * 0.975 * 0.666)
    assert not any("give no precursor" in w for w in r.summary.warnings)
