"""The carbon-prices table joined to a run (issue 16): read from the shipments workbook's 碳价 sheet
or from --carbon-prices, the communication templates' carbon price due as instrument rows, and the
precedence line columns > table > template; through the command line with the bundled sample."""

from __future__ import annotations

import openpyxl
import pytest
from child import run_cbam
from template_edit import CEMENT, edit, number, text

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import CbamError, InputFileError
from cbam_calc.inputs import carbon_prices as cp
from cbam_calc.inputs.comm_template import read_templates
from tests.conftest import SAMPLES, write_csv

CEMENT_PLANT = "Example Cement Producer"
TANGSHAN = "Tangshan Jinhai Iron & Steel Co., Ltd. - No.2 BF-BOF works (Hebei)"
LINE_HEAD = ["cn_code", "country", "net_mass_t", "import_date", "installation"]


def _book(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


PRICES = [
    ["生产设施", "碳定价工具", "用途", "覆盖比例", "碳价", "计价基础", "币种"],
    [TANGSHAN, "碳排放配额", "履约", "95%", 66.86, "per_tco2e", "CNY"],
    [TANGSHAN, "CCER", "履约", "5%", 79.91, "per_tco2e", "CNY"],
]
LINES = [
    LINE_HEAD,
    ["7208 51 20", "CN", 100, "2026-03-10", TANGSHAN],
    ["7208 51 20", "CN", 50, "2026-03-11", "Other"],
]


def test_a_carbon_prices_sheet_first_in_the_workbook_is_read_as_prices_never_as_shipments(tmp_path):
    book = _book(tmp_path / "s.xlsx", [("碳价", PRICES), ("Shipments", LINES)])
    r = calculate(book)
    assert r.summary.lines == 2 and r.rejected.empty  # the lines of 'Shipments'
    codes = [w.code for w in r.summary.warning_messages()]
    assert "W_OTHER_SHEETS" not in codes and "W_SHEET_CHOSEN" not in codes
    join = r.carbon_prices
    assert join.tables[0].sheet == "碳价" and join.tables[0].file == str(book)
    assert join.instruments["unit"].tolist() == ["ets_allowance", "ccer"]
    assert join.pairs["line"].tolist() == [0, 0] and join.pairs["instrument"].tolist() == [0, 1]
    assert join.unused.empty


def test_a_sheet_and_a_carbon_prices_file_at_once_are_refused(tmp_path):
    book = _book(tmp_path / "s.xlsx", [("Shipments", LINES), ("Carbon prices", PRICES)])
    with pytest.raises(InputFileError, match="carbon-prices sheet 'Carbon prices' and --carbon-prices"):
        calculate(book, carbon_prices=SAMPLES / "carbon_prices_zh.xlsx")


def test_a_bad_row_of_the_file_stops_the_run_naming_file_row_and_column(tmp_path):
    lines = write_csv(tmp_path / "s.csv", [dict(zip(LINE_HEAD, LINES[1], strict=True))])
    prices = write_csv(
        tmp_path / "cp.csv", [{"installation": TANGSHAN, "unit": "CCER", "mechanism": "Mars ETS", "price": 0}]
    )
    with pytest.raises(InputFileError) as err:
        calculate(lines, carbon_prices=prices)
    assert err.value.row == 2 and err.value.column == "mechanism" and err.value.file == str(prices)
    assert "cnets" in str(err.value)


def _cement_taxed(tmp_path):
    """The cement example with a carbon tax due of EUR 6 per t covering all its emissions."""
    return edit(
        CEMENT,
        tmp_path / "taxed.xlsx",
        "Summary_Products",
        {"AL10": text("Carbon Tax"), "AM10": number(1.0), "AP10": text("EUR"), "AR10": number(6.0)},
    )


def test_a_template_price_due_is_an_instrument_row_and_a_table_row_replaces_it(tmp_path):
    templates = read_templates([_cement_taxed(tmp_path)])
    rows = cp.template_instruments(templates.templates, {templates.templates[0].file})
    assert len(rows) == 1
    first = rows.iloc[0]
    assert (first["source"], first["sheet"], first["row"]) == ("template", "Summary_Products", 10)
    assert (first["kind"], first["price"], first["currency"], first["per_tco2e"]) == (
        "carbon_tax",
        6.0,
        "EUR",
        False,
    )
    assert (first["covered_share"], first["evidenced"], first["cn_code"]) == (1.0, True, "25232900")
    shipments = write_csv(
        tmp_path / "s.csv",
        [
            {
                "cn_code": "2523 29 00",
                "country": "TR",
                "net_mass_t": 1000,
                "import_date": "2026-03-10",
                "installation": CEMENT_PLANT,
            },
        ],
    )
    alone = calculate(shipments, templates=templates)
    assert alone.carbon_prices is None  # no table: nothing joined
    table = write_csv(
        tmp_path / "cp.csv",
        [
            {
                "installation": CEMENT_PLANT,
                "unit": "carbon tax",
                "price": 4,
                "basis": "per_t_good",
                "currency": "EUR",
            }
        ],
    )
    r = calculate(shipments, templates=templates, carbon_prices=table)
    join = r.carbon_prices
    assert join.instruments["source"].tolist() == [cp.SOURCE_FILE, cp.SOURCE_TEMPLATE]
    assert join.pairs["instrument"].tolist() == [0]  # the table's row, not the template's
    assert join.replaces_template.tolist() == [True]
    other = write_csv(tmp_path / "cp2.csv", [{"installation": "Nobody", "price": 0}])
    r = calculate(shipments, templates=templates, carbon_prices=other)
    assert r.carbon_prices.pairs["instrument"].tolist() == [1]  # the template's, as no table row applies
    assert r.carbon_prices.replaces_template.tolist() == [False]
    assert r.carbon_prices.unused["code"].tolist() == ["R_CP_NO_LINE"]
    assert "W_CP_ROWS_UNUSED" in [w.code for w in r.summary.warning_messages()]


def test_cli_calc_with_the_chinese_sample_cea_95_ccer_5(tmp_path):
    r = run_cbam(
        [
            "calc",
            SAMPLES / "shipments_cn_steel.xlsx",
            "--carbon-prices",
            SAMPLES / "carbon_prices_zh.xlsx",
            "-o",
            tmp_path / "report.xlsx",
        ],
        tmp_path,
    )
    assert r.code == 0, r.stderr
    assert "carbon-prices row" not in r.stdout  # every row of the sample applies to a line
    # Tangshan's 4 lines take CEA + CCER (3 of them on the actual track deduct), Rizhao's 6 the
    # voluntary CCER, which reduces nothing and is said
    assert "6 line(s) give a carbon price the draft Art 9 does not recognise in full" in r.stdout
    assert "retired voluntarily" in r.stdout
    assert "instrument row(s) apply to" not in r.stdout  # the engine treats them: nothing to say
    run = openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True)["Run"]
    cells = [str(c) for row in run.iter_rows(values_only=True) for c in row if c is not None]
    assert any("carbon_prices_zh.xlsx" in c for c in cells)


def test_cli_refuses_an_unknown_unit_in_one_line_naming_the_cell(tmp_path):
    bad = write_csv(
        tmp_path / "cp.csv",
        [{"生产设施": TANGSHAN, "碳定价工具": "VCU-9", "碳价": 1, "计价基础": "per_tco2e", "币种": "CNY"}],
    )
    r = run_cbam(["calc", SAMPLES / "shipments_cn_steel.xlsx", "--carbon-prices", bad], tmp_path)
    assert r.code == 2
    err = r.one_line_error()
    assert "cp.csv" in err and "row 2" in err and "column '碳定价工具'" in err and "ets_allowance" in err


def test_cli_reports_a_row_whose_installation_has_no_line(tmp_path):
    prices = write_csv(tmp_path / "cp.csv", [{"installation": "Nobody Steel", "price": 0}])
    r = run_cbam(["calc", SAMPLES / "shipments_cn_steel.xlsx", "--carbon-prices", prices], tmp_path)
    assert r.code == 0, r.stderr
    assert "1 carbon-prices row(s) apply to no line (row 2)" in r.stdout


def test_batch_reads_the_table_once_never_as_a_member_and_says_unused_rows_once(tmp_path):
    from cbam_calc.outputs.runs import batch_to_files

    members = tmp_path / "members"
    members.mkdir()
    for name, plant in (("a", TANGSHAN), ("b", "Other Steel")):
        write_csv(
            members / f"{name}.csv",
            [
                {
                    "cn_code": "7208 51 20",
                    "country": "CN",
                    "net_mass_t": 100,
                    "import_date": "2026-03-10",
                    "installation": plant,
                }
            ],
        )
    prices = write_csv(
        members / "prices.csv",  # inside the members' folder: still no member
        [
            {"installation": TANGSHAN, "unit": "CCER", "use": "compliance", "price": 0},
            {"installation": "Nobody", "price": 0},
        ],
    )
    result = batch_to_files([members], carbon_prices=prices, output=tmp_path / "b.xlsx")
    assert sorted(f.member for f in result.files) == ["a", "b"]
    unused = [(w, n) for w, n in result.warnings if w.code == "W_CP_ROWS_UNUSED"]
    assert [(w.params["rows"], n) for w, n in unused] == [([3], 0)]  # row 2 is used by member a
    from cbam_calc.outputs.check import check_report

    assert check_report(tmp_path / "b.xlsx").matches


def test_calc_report_records_the_file_and_check_joins_it_again(tmp_path):
    from cbam_calc.outputs.check import check_report
    from cbam_calc.outputs.run_record import read_record
    from cbam_calc.outputs.runs import calc_to_files

    shipments = write_csv(tmp_path / "s.csv", [dict(zip(LINE_HEAD, LINES[1], strict=True))])
    prices = write_csv(tmp_path / "cp.csv", [{"installation": TANGSHAN, "price": 0}])
    calc_to_files([shipments], carbon_prices=prices, report=tmp_path / "r.xlsx")
    record = read_record(tmp_path / "r.xlsx")
    (entry,) = record["carbon_prices"]
    assert entry["file"] == str(prices) and len(entry["sha256"]) == 64
    assert check_report(tmp_path / "r.xlsx").matches
    prices.unlink()
    with pytest.raises(CbamError, match=r"carbon prices .*cp\.csv not found"):
        check_report(tmp_path / "r.xlsx")
