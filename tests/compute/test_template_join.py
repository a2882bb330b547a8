"""Shipment lines joined to the installations' communication templates (issue 15): the SEE, route
and carbon price due a template gives replace default values line by line, and the shipment
file's own values win. Figures worked by hand from the Commission's filled examples."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest
from template_edit import ALUMINIUM, CEMENT, EXAMPLES, TEMPLATES, edit, number, text

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import InputFileError
from cbam_calc.inputs.comm_template import read_templates
from cbam_calc.inputs.template_match import TEMPLATE_LINE_COLUMNS

HEAD = "cn_code,country,net_mass_t,import_date,see_direct,see_indirect,route,installation,importer"


def _csv(path, rows):
    path.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    return path


def _products_read_with_openpyxl(path):
    """(installation, country, CN code, SEE direct, SEE indirect) of each product row, read
    independently of cbam-calc's reader (cached values)."""
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    comm, prod = wb["Summary_Communication"], wb["Summary_Products"]
    name, country = comm["G12"].value, comm["G16"].value
    out = []
    for r in range(10, 110):
        cn = prod[f"F{r}"].value
        if cn:
            out.append((name, country, str(cn), float(prod[f"I{r}"].value), float(prod[f"J{r}"].value)))
    wb.close()
    return out


def test_a_file_of_the_example_products_costs_what_it_costs_with_their_see_typed_in(tmp_path):
    products = [p for f in EXAMPLES for p in _products_read_with_openpyxl(f)]
    assert len(products) == 10  # every product row of the five examples
    bare, typed = [], []
    for i, (name, country, cn, d, ind) in enumerate(products):
        route = "K" if cn == "76011010" else ""  # the aluminium template says primary smelting
        when = f"2026-0{1 + i % 9}-15"
        bare.append(f"{cn},{country},{100 + 10 * i},{when},,,,{name},Imp")
        typed.append(f"{cn},{country},{100 + 10 * i},{when},{d!r},{ind!r},{route},{name},Imp")
    with_templates = calculate(_csv(tmp_path / "bare.csv", bare), templates=read_templates([TEMPLATES]))
    by_hand = calculate(_csv(tmp_path / "typed.csv", typed))
    assert with_templates.summary.cost_eur == by_hand.summary.cost_eur
    assert with_templates.summary.certificates == by_hand.summary.certificates
    a, b = with_templates.lines, by_hand.lines
    assert a["cost_eur"].tolist() == b["cost_eur"].tolist()
    assert a["emissions_data"].eq("actual").all()
    assert len(a) + len(with_templates.rejected) == 10  # every row ends in Lines or Rejected
    by_source = with_templates.summary.templates.lines_by_source
    counts = {(c.source, c.file.rsplit("/", 1)[-1]): c.lines for c in by_source}
    assert counts[("default value", "")] == 0 and counts[("shipment file", "")] == 0
    assert counts[("template", ALUMINIUM.name)] == 2 and counts[("template", CEMENT.name)] == 1
    assert "emissions_source" not in b.columns  # without templates the Lines table is as before


def test_the_shipment_files_own_see_win_over_the_template(tmp_path):
    rows = [
        "2523 29 00,TR,1000,2026-03-10,0.7,0.1,,Example Cement Producer,Imp",
        "2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp",
    ]
    r = calculate(_csv(tmp_path / "s.csv", rows), templates=read_templates([CEMENT]))
    own, taken = r.lines.iloc[0], r.lines.iloc[1]
    assert own["embedded_tco2e"] == pytest.approx(1000 * (0.7 + 0.1))  # cement: direct + indirect
    assert own["emissions_source"] == "shipment file"
    assert "win over the template" in own["template_use"]
    d, ind = _products_read_with_openpyxl(CEMENT)[0][3:]
    assert taken["embedded_tco2e"] == pytest.approx(1000 * (d + ind))
    assert taken["emissions_source"].endswith("(Summary_Products, row 10)")


def test_an_8_digit_line_takes_a_product_given_at_its_heading(tmp_path):
    heading = edit(CEMENT, tmp_path / "heading.xlsx", "Summary_Products", {"F10": text("2523")})
    rows = ["2523 29 00,TR,10,2026-03-10,,,,example cement producer,Imp"]
    r = calculate(_csv(tmp_path / "s.csv", rows), templates=read_templates([heading]))
    assert r.lines["emissions_data"].iloc[0] == "actual"
    assert r.lines["template_row"].iloc[0] == 10


def _cement_2026(tmp_path, name="cement_2026.xlsx"):
    """The cement example with a 2026 reporting period and SEE 0.5 direct, 0.1 indirect."""
    period = edit(
        CEMENT,
        tmp_path / "period.xlsx",
        "Summary_Communication",
        {"G20": text("2026-01-01"), "G21": text("2026-12-31")},
    )
    return edit(period, tmp_path / name, "Summary_Products", {"I10": number(0.5), "J10": number(0.1)})


def test_two_templates_of_one_installation_are_decided_by_the_period_covering_the_import(tmp_path):
    newer = _cement_2026(tmp_path)
    rows = ["2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp"]
    r = calculate(_csv(tmp_path / "s.csv", rows), templates=read_templates([CEMENT, newer]))
    assert r.lines["embedded_tco2e"].iloc[0] == pytest.approx(1000 * (0.5 + 0.1))  # 600 tCO2e
    assert r.lines["template_file"].iloc[0] == str(newer)


def test_two_templates_no_period_decides_is_an_error_naming_both(tmp_path):
    a = shutil.copy(CEMENT, tmp_path / "a.xlsx")
    b = shutil.copy(CEMENT, tmp_path / "b.xlsx")
    rows = ["2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp"]
    with pytest.raises(InputFileError, match=r"a\.xlsx and .*b\.xlsx"):
        calculate(_csv(tmp_path / "s.csv", rows), templates=read_templates([a, b]))


def test_a_route_the_template_leaves_open_rejects_the_line_with_the_routes_to_choose(tmp_path):
    # IR 2025/2620 point 5: with actual data the route is the installation's; 7601 10 10 has K and L
    unknown = edit(
        ALUMINIUM, tmp_path / "al.xlsx", "Summary_Communication", {"J12": text("Unknown production routes")}
    )
    rows = [
        "7601 10 10,US,100,2026-02-10,,,,Example Aluminium Producer,Imp",
        "7601 10 10,US,100,2026-02-10,,,L,Example Aluminium Producer,Imp",
    ]
    r = calculate(_csv(tmp_path / "s.csv", rows), templates=read_templates([unknown]))
    assert r.lines["row"].tolist() == [3] and r.lines["benchmark_route"].iloc[0] == "L"
    (why,) = r.rejected.itertuples(index=False)
    assert why.row == 2 and why.code == "R_TEMPLATE_ROUTE" and why.column == "route"
    assert "al.xlsx" in why.reason and "Primary smelting" in why.reason and "K/L" in why.reason


def _cement_priced(tmp_path):
    """The cement example with a carbon price due of EUR 6 per t and a rebate of EUR 1 per t:
    effective price due EUR 5 per t of cement (AZ = AR - AX)."""
    return edit(
        CEMENT,
        tmp_path / "priced.xlsx",
        "Summary_Products",
        {"AP10": text("EUR"), "AR10": number(6.0), "AX10": number(1.0), "AZ10": number(5.0)},
    )


def test_a_template_price_due_deducts_nothing_until_evidenced_and_the_summary_says_how_much(tmp_path):
    priced = _cement_priced(tmp_path)
    rows = ["2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp"]
    path = _csv(tmp_path / "s.csv", rows)
    due = calculate(path, templates=read_templates([priced]))
    line = due.lines.iloc[0]
    assert line["art9_track"] == "actual" and line["art9_reduction_tco2e"] == 0
    assert line["carbon_price_source"].endswith("cell AR10), due, not evidenced")
    p_ref = line["reference_price_eur_per_tco2e"]
    r = 5.0 * 1000 / p_ref  # Art 9 draft: R = P_paid,eff / P_ref x M
    assert r < line["embedded_tco2e"] - line["free_allocation_tco2e"]  # not capped
    t = due.summary.templates
    assert (t.price_due_lines, t.unevidenced_lines) == (1, 1)
    assert t.once_evidenced_tco2e == pytest.approx(r, abs=1e-6)
    assert t.once_evidenced_eur == pytest.approx(r * line["price_eur_per_tco2e"], abs=0.01)

    proven = calculate(path, templates=read_templates([priced]), evidenced="all")
    assert proven.lines["art9_reduction_tco2e"].iloc[0] == pytest.approx(r)
    assert proven.summary.templates.once_evidenced_eur == 0
    assert due.summary.cost_eur - proven.summary.cost_eur == pytest.approx(t.once_evidenced_eur, abs=0.02)


def test_the_shipment_files_evidenced_cell_decides_for_its_line(tmp_path):
    priced = _cement_priced(tmp_path)
    path = tmp_path / "s.csv"
    path.write_text(
        HEAD + ",carbon_price_evidenced\n"
        "2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp,yes\n"
        "2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp,\n",
        encoding="utf-8",
    )
    r = calculate(path, templates=read_templates([priced]))
    assert r.lines["art9_reduction_tco2e"].iloc[0] > 0
    assert r.lines["art9_reduction_tco2e"].iloc[1] == 0


def test_a_refused_template_stops_the_run(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    shutil.copy(CEMENT, folder / "good.xlsx")
    edit(CEMENT, folder / "bad.xlsx", "Summary_Products", {"F10": text("9999")})
    rows = ["2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp"]
    with pytest.raises(InputFileError, match=r"refused.*bad\.xlsx"):
        calculate(_csv(tmp_path / "s.csv", rows), templates=read_templates([folder]))


def test_lines_without_templates_keep_their_columns(tmp_path):
    rows = ["2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp"]
    plain = calculate(_csv(tmp_path / "s.csv", rows)).lines
    joined = calculate(_csv(tmp_path / "s.csv", rows), templates=read_templates([CEMENT])).lines
    extra = [c for c in joined.columns if c not in plain.columns]
    # the template gives the line actual data: it also gains actual against default (issue 14)
    saving = ["default_see_tco2e_per_t", "actual_saving_eur", "actual_saving_eur_per_t"]
    assert extra == [*TEMPLATE_LINE_COLUMNS, *saving]
    pd.testing.assert_frame_equal(plain, calculate(_csv(tmp_path / "s.csv", rows)).lines)


def test_the_summary_counts_lines_by_source_and_states_the_deduction_once_evidenced(tmp_path):
    from cbam_calc.outputs.text import summary_text

    rows = [
        "2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp",
        "2523 29 00,TR,500,2026-03-10,,,,Someone else,Imp",
    ]
    r = calculate(_csv(tmp_path / "s.csv", rows), templates=read_templates([_cement_priced(tmp_path)]))
    text = summary_text(r)
    assert "SEE from the EU default values (no template covers the line): 1 line(s)" in text
    assert "priced.xlsx: 1 line(s)" in text
    eur = f"EUR {r.summary.templates.once_evidenced_eur:,.2f}"
    assert "1 line(s) take a template's carbon price due" in text and eur in text
    # in Chinese the two sources that are no file are words, not the English keys
    zh = summary_text(r, "zh")
    assert "单位隐含排放取自欧盟默认值（无沟通模板覆盖该行）：1 行" in zh
    assert "default value" not in zh and "shipment file" not in zh
    # the HTML page says the same as the text summary
    from cbam_calc.outputs.html import calc_html

    page = calc_html(r)
    assert "SEE from the EU default values (no template covers the line): 1 line(s)" in page
    assert "priced.xlsx: 1 line(s)" in page and eur in page


def test_check_recomputes_a_report_with_its_recorded_templates_and_says_when_one_changed(tmp_path):
    from cbam_calc.outputs.check import check_report
    from cbam_calc.outputs.run_record import read_record
    from cbam_calc.outputs.runs import calc_to_files

    folder = tmp_path / "templates"
    folder.mkdir()
    supplier = shutil.copy(CEMENT, folder / "cement.xlsx")
    rows = ["2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp"]
    report = tmp_path / "report.xlsx"
    calc_to_files(_csv(tmp_path / "s.csv", rows), report=report, emissions=[folder], evidenced="all")
    record = read_record(report)
    assert [t["evidenced"] for t in record["templates"]] == [True] and record["evidenced"] == "all"
    assert check_report(report).matches
    edit(CEMENT, tmp_path / "new.xlsx", "Summary_Products", {"I10": number(0.5)})
    shutil.copy(tmp_path / "new.xlsx", supplier)  # the supplier sent a new SEE
    outcome = check_report(report)
    assert not outcome.matches
    assert any("template" in n and "has changed since the report" in n for n in outcome.notes)
