"""The ``cbam`` command end to end: outputs, formats, exit codes, and files never overwritten."""

from __future__ import annotations

import csv
import json
import re

import openpyxl
import pytest
from conftest import CALC_SHEETS, SAMPLES, steel, write_csv

from cbam_calc.cli import main

JSON_KEYS = {
    "lines",
    "rejected",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "cost_eur",
    "by_sector",
    "assumptions",
}


@pytest.fixture
def shipments(tmp_path):
    rows = [
        steel(importer="Acme Steel Import GmbH", installation='=HYPERLINK("http://x")'),
        steel(see_direct="2.1", route="C", import_date="2026-05-02", importer="Acme Steel Import GmbH"),
        {
            "cn_code": "7601 10 10",
            "country": "CN",
            "net_mass_t": "80",
            "import_date": "2026-08-01",
            "importer": "Acme Steel Import GmbH",
        },
        steel(country="Atlantis"),
    ]
    return write_csv(tmp_path / "shipments.csv", rows)


def test_calc_json_has_the_documented_keys(shipments, capsys):
    assert main(["calc", str(shipments), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= JSON_KEYS
    assert out["lines"] == 3 and out["rejected"] == 1
    assert isinstance(out["cost_eur"], float)
    assert {s["sector"] for s in out["by_sector"]} == {"iron_steel", "aluminium"}
    a = out["assumptions"]
    assert a["years"] == [2026]
    assert a["cscf_provisional"] is False  # Decision (EU) 2026/1862 sets the 2026 CSCF
    assert a["cscf_status"] == {"2026": "law"}
    assert a["art9_status"].startswith("DRAFT")
    assert a["draft_rules_in_force"]
    periods = {p["period"]: p for p in a["certificate_prices"]}
    assert periods["2026Q1"]["price_eur_per_tco2e"] == 75.36
    assert periods["2026Q1"]["status"] == "published"
    assert "European Commission" in periods["2026Q1"]["source"]


def test_calc_text_summary_lists_rejected_rows(shipments, capsys):
    assert main(["calc", str(shipments)]) == 0
    out = capsys.readouterr().out
    assert "3 lines computed, 1 rejected, of 4 rows read" in out
    assert "Row 5, Column 'country' 'Atlantis': unknown country" in out
    assert "Not legal advice" in out


def test_calc_text_summary_in_chinese(shipments, capsys):
    assert main(["calc", str(shipments), "--lang", "zh"]) == 0
    assert "已计算 3 行" in capsys.readouterr().out


def test_calc_xlsx_report_sheets_and_figures(shipments, tmp_path, capsys):
    report = tmp_path / "report.xlsx"
    assert main(["calc", str(shipments), "-o", str(report), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == CALC_SHEETS
    lines = list(wb["Lines"].values)
    header = lines[0]
    assert "importer" in header and "installation" in header  # input columns kept
    assert "cost_eur" in header and "free_allocation_tco2e" in header
    cost = sum(r[header.index("cost_eur")] for r in lines[1:])
    assert cost == pytest.approx(summary["cost_eur"], abs=0.01)
    assert wb["Lines"].freeze_panes == "A2"
    rejected = list(wb["Rejected"].values)
    assert rejected[1][2] == 5 and "unknown country" in rejected[1][5]
    params = list(wb["Parameters"].values)
    factor = [r for r in params if r[0] == "CBAM factor"]
    assert factor and factor[0][2] == 0.975 and "2023/959" in factor[0][5]
    assert any(r[0] == "CBAM certificate price" and r[1] == "2026Q1" for r in params)
    summary_values = [c for row in wb["Summary"].values for c in row if c is not None]
    assert summary["cost_eur"] in summary_values
    assert len(wb["Summary"]._charts) == 1
    # EUR to cents, tCO2e to 3 decimals
    col = header.index("cost_eur") + 1
    assert wb["Lines"].cell(row=2, column=col).number_format == "#,##0.00"
    col = header.index("embedded_tco2e") + 1
    assert wb["Lines"].cell(row=2, column=col).number_format == "#,##0.000"


def test_formula_text_is_neutralised_in_outputs(shipments, tmp_path):
    report, lines_csv = tmp_path / "r.xlsx", tmp_path / "lines.csv"
    assert main(["calc", str(shipments), "-o", str(report), "--lines-out", str(lines_csv)]) == 0
    ws = openpyxl.load_workbook(report)["Lines"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("installation") + 1)
    # the text as it is (no visible apostrophe), stored as text with the quote-prefix style
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK") and cell.quotePrefix
    with lines_csv.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3
    assert rows[0]["installation"].startswith("'=")


def test_never_writes_over_the_input(shipments, capsys):
    before = shipments.read_bytes()
    assert main(["calc", str(shipments), "--lines-out", str(shipments), "--force"]) == 2
    assert "input file" in capsys.readouterr().err
    assert shipments.read_bytes() == before


def test_existing_output_needs_force(shipments, tmp_path, capsys):
    report = tmp_path / "report.xlsx"
    report.write_bytes(b"keep me")
    assert main(["calc", str(shipments), "-o", str(report)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert report.read_bytes() == b"keep me"
    assert main(["calc", str(shipments), "-o", str(report), "--force"]) == 0
    assert openpyxl.load_workbook(report).sheetnames[0] == "Summary"
    assert not list(tmp_path.glob(".report.xlsx.*"))  # no temporary file left behind


def test_nothing_computed_exits_1_and_still_writes_the_rejected_rows(tmp_path, capsys):
    bad = write_csv(tmp_path / "bad.csv", [steel(country="Atlantis"), steel(net_mass_t="x")])
    report = tmp_path / "r.xlsx"
    assert main(["calc", str(bad), "-o", str(report)]) == 1
    err = capsys.readouterr().err
    assert "nothing could be computed" in err and "bad.csv" in err
    assert "first: row 2, column 'country' 'Atlantis': unknown country" in err  # the cell as written
    assert len(list(openpyxl.load_workbook(report)["Rejected"].values)) == 3


def test_explain_shows_steps_with_sources(shipments, capsys):
    assert main(["explain", str(shipments), "--line", "2"]) == 0
    out = capsys.readouterr().out
    assert "M x SEE = 100.000 x 3.506" in out
    assert "CBAM factor 2026 x CSCF x BM = 0.975 x 1 x 1.370" in out
    assert "Implementing Regulation (EU) 2025/2621" in out
    assert "16,355.00 EUR" in out
    assert main(["explain", str(shipments), "--line", "5", "--format", "json"]) == 0
    ex = json.loads(capsys.readouterr().out)
    assert ex["status"] == "rejected" and "unknown country" in ex["reason"]
    assert main(["explain", str(shipments), "--line", "99"]) == 2


def test_template_round_trip(tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    assert main(["template", "-o", str(path), "--lang", "zh"]) == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["出口明细", "填写说明"]
    ws = wb["出口明细"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["商品编码", "原产国", "净重(吨)", "进口日期"]
    ws.append(["7208 51 20", "中国", 100, "2026-02-10"])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    assert main(["calc", str(filled), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["lines"] == 1
    assert main(["template", "-o", str(path)]) == 2  # exists: needs --force


def test_bad_option_values_are_one_line_errors(shipments, capsys):
    assert main(["calc", str(shipments), "--fx", "CNY"]) == 2
    assert "CODE=NUMBER" in capsys.readouterr().err
    assert main(["calc", str(shipments), "--year", "2040"]) == 2
    assert "2040: cbam-calc has reference data for 2026-2034" in capsys.readouterr().err


def test_output_names_say_what_is_written(tmp_path, capsys):
    # an xlsx written under .html or .csv opens nowhere and cannot be checked later: refused
    src = str(SAMPLES / "shipments_cement.csv")
    assert main(["calc", src, "-o", str(tmp_path / "r.html")]) == 2
    assert "-o writes the xlsx report (cbam report writes .html): name it .xlsx" in capsys.readouterr().err
    assert main(["calc", src, "--lines-out", str(tmp_path / "l.txt")]) == 2
    assert main(["scenario", src, "-o", str(tmp_path / "s.csv")]) == 2
    assert main(["template", "-o", str(tmp_path / "t.csv")]) == 2
    assert list(tmp_path.iterdir()) == []


def test_rejected_rows_not_shown_are_in_the_report_written(tmp_path, capsys):
    src = str(SAMPLES / "shipments_with_errors.csv")
    out = tmp_path / "errors.xlsx"
    assert main(["calc", src, "-o", str(out)]) == 0
    assert f"more: all are in the Rejected sheet of {out}" in capsys.readouterr().out
    assert main(["calc", src]) == 0
    assert "more: add -o report.xlsx to list them all in its Rejected sheet" in capsys.readouterr().out


def test_explain_in_chinese_translates_every_step_title(capsys):
    from cbam_calc.compute.calculate import calculate
    from cbam_calc.outputs.explain import explain_line

    seen = set()
    for name in (
        "shipments_cn_steel.xlsx",
        "shipments_art9_cnets.xlsx",
        "shipments_mixed_actual_default.xlsx",
    ):
        result = calculate(SAMPLES / name)
        for row in result.lines["row"]:
            seen |= {
                s.get("title_zh") or s["title"].text("zh") for s in explain_line(result, int(row))["steps"]
            }
    assert seen and not any(re.search("[A-Za-z]{3}", t.replace("CBAM", "")) for t in seen), seen
    assert main(["explain", str(SAMPLES / "shipments_cn_steel.xlsx"), "--line", "2", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("第 2 行：CN 7208 39 00") and " 8. 应缴证书" in out and "The good" not in out


def test_art2a_scenario_takes_de_minimis_on_or_off_as_calc_does(tmp_path):
    """10 t of steel from one importer: exempt under the 50 t threshold (Art 2a) by default, priced
    with --de-minimis off (and the hidden --no-de-minimis); the choice is in the assumptions."""
    import json

    from child import run_cbam

    (tmp_path / "small.csv").write_text(
        "cn_code,country,net_mass_t,import_date,importer\n7208 51 20,CN,10,2026-03-10,Acme\n",
        encoding="utf-8",
    )

    def levy(*extra):
        r = run_cbam(["scenario", "small.csv", "--years", "2026", "--format", "json", *extra], tmp_path)
        assert r.code == 0, r.stderr
        got = json.loads(r.stdout)
        (base,) = [s for s in got["scenarios"] if s["is_baseline"]]
        return got["assumptions"]["de_minimis"], base["years"][0]["eu_levy_eur"]

    on, off, alias = levy(), levy("--de-minimis", "off"), levy("--no-de-minimis")
    assert on == ("on", 0.0)
    assert off[0] == "off" and off[1] > 0 and alias == off
