"""cbam report --for-importer: the declarant's product table per installation, CN code and data kind,
in the order of the communication template's product table (data/template/communication_products.csv)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from cbam_calc.cli import main
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import OutputError
from cbam_calc.core.labels import label
from cbam_calc.outputs import xlsx_book
from cbam_calc.outputs.importer_report import (
    COLUMNS,
    importer_table,
    template_columns,
    write_importer_report,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MIXED = SAMPLES / "shipments_mixed_actual_default.xlsx"
STEEL = SAMPLES / "shipments_cn_steel.xlsx"
TANGSHAN = "Tangshan Jinhai Iron & Steel Co., Ltd. - No.2 BF-BOF works (Hebei)"


def _sheet(path: Path, key: str) -> list[list]:
    """The rows of sheet ``key`` (core.sheets), named in the workbook's language."""
    from cbam_calc.core.sheets import find_sheet

    wb = CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_name(find_sheet(wb.sheet_names, key)).to_python()


def _products(path: Path) -> tuple[list, list[list]]:
    """Header and product rows of the Products sheet (up to the Total row)."""
    rows = _sheet(path, "products")
    body = []
    for r in rows[1:]:
        if r[0] in (label("imp_total", "en"), label("imp_total", "zh")):
            break
        body.append(r)
    return rows[0], body


def _report(tmp_path: Path, sample: Path, *extra: str) -> Path:
    src = tmp_path / sample.name
    shutil.copy(sample, src)
    out = tmp_path / "for_importer.xlsx"
    assert main(["report", str(src), "--for-importer", "-o", str(out), *extra]) == 0
    return out


@pytest.fixture(params=["rvgs", "xlsxwriter"])
def writer(request, monkeypatch):
    if request.param == "rvgs" and xlsx_book.backend() != "rvgs":
        pytest.skip("rvgsrust-xlsxwriter is not installed here: only the XlsxWriter backend runs")
    monkeypatch.setenv(xlsx_book.BACKEND_ENV, request.param)
    return request.param


def test_rows_per_installation_cn_and_data_kind_actual_and_default_split(tmp_path, writer):
    out = _report(tmp_path, MIXED)
    lines = calculate(MIXED).lines
    keys = set(zip(lines["installation"], lines["cn_code"].astype(str), lines["emissions_data"].astype(str)))
    head, body = _products(out)
    cols = {h: i for i, h in enumerate(head)}
    got = {
        (r[cols["Installation"]], r[cols["CN Codes"]].replace(" ", ""), r[cols[label("imp_data", "en")]])
        for r in body
    }
    assert len(body) == len(keys) == 14
    assert got == keys
    # every installation x CN code of this sample has an actual and a default line: two rows, and a note
    notes = [r[0] for r in _sheet(out, "products") if "separate rows" in str(r[0])]
    assert len(notes) == 7
    assert any(TANGSHAN in n and "7208 39 00" in n for n in notes)


def test_actual_and_default_are_never_averaged_together_art7():
    """Tangshan's 7208 39 00 in the mixed sample: 1,000 t on actual data at 2.08 tCO2e/t and 1,000 t
    on the default value (IR 2025/2621, China, mark-up included) at 3.506. Mixed, the row would show
    (2,080 + 3,506) / 2,000 = 2.793, which is neither; split, each row keeps its own."""
    rows = importer_table(calculate(MIXED)).rows
    these = rows[(rows["installation"] == TANGSHAN) & (rows["cn_code"] == "72083900")]
    assert these["emissions_data"].tolist() == ["actual", "default"]
    assert these["see_direct"].tolist() == pytest.approx([2080 / 1000, 3506 / 1000])
    assert these["default_share"].tolist() == [0.0, 1.0]
    assert these["net_mass_t"].tolist() == [1000.0, 1000.0]


def test_see_is_embedded_over_mass_of_the_rows_lines_art7(tmp_path):
    """Reg 2023/956 Art 7, Annex IV: SEE = sum(M x SEE) / sum(M). Tangshan's two actual lines of
    7208 51 20 in the steel sample: 864.2 t at 2.05 and 960.0 t at 1.96 tCO2e/t (the Lines of a normal
    run), so (1,771.61 + 1,881.60) / 1,824.2 = 3,653.21 / 1,824.2 = 2.002637 tCO2e/t."""
    result = calculate(STEEL)
    lines = result.lines
    these = lines[(lines["installation"] == TANGSHAN) & (lines["cn_code"].astype(str) == "72085120")]
    assert these["net_mass_t"].tolist() == [864.2, 960.0]
    assert these["embedded_tco2e"].sum() == pytest.approx(3653.21)
    rows = importer_table(result).rows
    row = rows[(rows["installation"] == TANGSHAN) & (rows["cn_code"] == "72085120")]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["net_mass_t"] == pytest.approx(1824.2)
    assert row["see_direct"] == pytest.approx(3653.21 / 1824.2)
    assert row["see_direct"] == pytest.approx(2.002637, abs=5e-7)
    assert row["see_total"] == pytest.approx(row["see_direct"])  # no indirect SEE given
    assert row["emissions_data"] == "actual" and row["default_share"] == 0.0
    assert row["lines"] == 2


@pytest.mark.parametrize("sample", [MIXED, STEEL], ids=["mixed", "steel"])
def test_certificates_sum_to_the_runs_total_art22(tmp_path, sample):
    out = _report(tmp_path, sample)
    head, body = _products(out)
    i = head.index(label("imp_certificates", "en"))
    total = calculate(sample).summary.certificates
    assert sum(r[i] for r in body) == pytest.approx(total, abs=1e-6)
    total_row = next(r for r in _sheet(out, "products") if r[0] == label("imp_total", "en"))
    assert total_row[i] == pytest.approx(total, abs=1e-6)


def test_columns_in_the_order_of_the_templates_product_table(tmp_path):
    """The template's columns keep the order of Summary_Communication row 25, as the data file lists
    it, and show the template's own English header."""
    order = list(template_columns()["field"])
    fields = [f for _, f, *_ in COLUMNS if f]
    assert [order.index(f) for f in fields] == sorted(order.index(f) for f in fields)
    out = _report(tmp_path, STEEL)
    head, _ = _products(out)
    table = template_columns().set_index("field")["header"]
    shown = [h for h in head if h in set(table.map(lambda h: " ".join(h.split())))]
    expected = [" ".join(table[f].split()) for f in fields if f != "cp_instrument"]  # no instrument named
    assert shown == expected
    assert shown[:3] == ["CN Codes", "CN Name", "SEE (direct)"]
    assert head[-1] == label("imp_lines", "en")


def test_one_list_of_the_templates_columns_for_reader_and_report():
    """inputs/comm_template.py reads Summary_Products by the data file's headers: every column of
    the file is read there but Electricity EF (Summary_Communication only), in the file's order."""
    from cbam_calc.inputs.comm_template import PRODUCT_COLUMNS, QUALIFYING_COLUMNS

    table = template_columns()
    read = [f for f, _, _ in PRODUCT_COLUMNS] + [f for f, _, _ in QUALIFYING_COLUMNS]
    assert sorted(read, key=list(table["field"]).index) == [
        f for f in table["field"] if f != "electricity_ef"
    ]
    assert (
        dict((f, h) for f, h, _ in PRODUCT_COLUMNS)["product_name"] == "Product name"
    )  # matched on its start


def test_chinese_headers_with_lang_zh(tmp_path):
    out = _report(tmp_path, STEEL, "--lang", "zh")
    head, body = _products(out)
    assert head[:3] == [
        label("imp_installation", "zh"),
        label("imp_cn_code", "zh"),
        label("imp_cn_name", "zh"),
    ]
    assert label("imp_see_direct", "zh") in head and "SEE (direct)" not in head
    assert all(
        h == label(key, "zh")
        for h, (_, _, key, _) in zip(head, [c for c in COLUMNS if c[0] != "cp_instrument"])
    )
    kinds = {r[head.index(label("imp_data", "zh"))] for r in body}
    assert kinds == {label("imp_data_actual", "zh"), label("imp_data_default", "zh")}
    assert _sheet(out, "cover")[0][0] == label("imp_title", "zh")


def test_carbon_price_paid_and_its_evidence_art9_draft(tmp_path):
    """The Art 9 sample: every line states a price paid; row 7 (Rizhao, 7216 33 90) says it cannot
    evidence it. The effective price is the Lines' carbon_price_paid_eur_per_t (one line per row)."""
    sample = SAMPLES / "shipments_art9_cnets.xlsx"
    result = calculate(sample)
    rows = importer_table(result).rows
    status = dict(zip(rows["cn_code"], rows["evidence"]))
    assert status["72163390"] == "not_evidenced"
    assert {s for c, s in status.items() if c != "72163390"} == {"evidenced"}
    lines = result.lines.set_index(result.lines["cn_code"].astype(str))
    for _, r in rows.iterrows():
        assert r["effective_cp_due"] == pytest.approx(lines.loc[r["cn_code"], "carbon_price_paid_eur_per_t"])
        assert r["cp_currency"] == "EUR"
    assert set(importer_table(calculate(MIXED)).rows["evidence"]) == {"none"}


def test_check_reads_the_importers_workbook(tmp_path):
    out = _report(tmp_path, MIXED)
    assert main(["calc", "--check", str(out)]) == 0
    # a changed figure is found: the check renders this workbook again, not the calc report
    import openpyxl

    wb = openpyxl.load_workbook(out)
    ws = wb["Products"]
    ws.cell(row=2, column=7).value = 9.99  # SEE (direct) of the first row
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    assert main(["calc", "--check", str(edited)]) == 1


def test_refuses_an_output_that_is_not_xlsx(tmp_path, capsys):
    src = tmp_path / MIXED.name
    shutil.copy(MIXED, src)
    assert main(["report", str(src), "--for-importer", "-o", str(tmp_path / "x.html")]) != 0
    assert "--for-importer writes a workbook: name it .xlsx" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_never_overwrites_an_input_and_writes_atomically(tmp_path, monkeypatch):
    src = tmp_path / MIXED.name
    shutil.copy(MIXED, src)
    before = src.read_bytes()
    result = calculate(src)
    with pytest.raises(OutputError):
        write_importer_report(result, src, inputs=[src], force=True)
    assert src.read_bytes() == before
    out = tmp_path / "imp.xlsx"
    out.write_bytes(b"keep")
    with pytest.raises(OutputError):  # exists, no force
        write_importer_report(result, out, inputs=[src])

    def broken(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx_book.Book, "close", broken)
    with pytest.raises(OutputError):
        write_importer_report(result, out, inputs=[src], force=True)
    assert out.read_bytes() == b"keep"  # the old file stays whole, no temporary file is left
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([src.name, out.name])


def test_many_split_pairs_are_counted_not_listed(monkeypatch):
    from cbam_calc.outputs import importer_report

    monkeypatch.setattr(importer_report, "MAX_SPLIT_NOTES", 2)
    table = importer_table(calculate(MIXED))
    shown = [m.code for m in importer_report.notes(table)]
    assert shown.count("M_IMPORTER_SPLIT") == 2
    assert shown[-1] == "M_IMPORTER_SPLIT_MORE"
    assert importer_report.notes(table)[-1].params["n"] == "5"  # 7 pairs split, 2 named


def test_check_of_a_chinese_importers_workbook(tmp_path):
    """--check renders it again in the language of its Cover title."""
    out = _report(tmp_path, STEEL, "--lang", "zh")
    assert main(["calc", "--check", str(out)]) == 0


def test_price_from_a_carbon_prices_table_is_mass_weighted_and_its_rows_evidence_it():
    """Draft Art 9 via the carbon-prices table (CEA + CCER for Tangshan): its two lines of
    7208 51 20 take the table's rows, which are evidenced; the row's effective price is the EUR paid
    over its tonnes, sum(P_i x M_i) / sum(M_i), from the Lines' carbon_price_paid_eur_per_t."""
    result = calculate(STEEL, carbon_prices=SAMPLES / "carbon_prices_zh.xlsx")
    lines = result.lines
    these = lines[(lines["installation"] == TANGSHAN) & (lines["cn_code"].astype(str) == "72085120")]
    p, m = these["carbon_price_paid_eur_per_t"].to_numpy(), these["net_mass_t"].to_numpy()
    assert len(p) == 2 and p[0] != p[1]  # two prices: the weighting matters
    rows = importer_table(result).rows
    row = rows[(rows["installation"] == TANGSHAN) & (rows["cn_code"] == "72085120")].iloc[0]
    assert row["effective_cp_due"] == pytest.approx((p[0] * m[0] + p[1] * m[1]) / (m[0] + m[1]))
    assert row["evidence"] == "evidenced"
    assert row["cp_instrument"] == "ets_allowance + ccer"
    assert rows["certificates"].sum() == pytest.approx(result.summary.certificates, abs=1e-6)


def test_cover_names_the_exporter_and_the_check_still_matches(tmp_path):
    out = _report(tmp_path, MIXED, "--exporter", "Hebei Steel Export Co.")
    cover = {r[0]: r[1] if len(r) > 1 else None for r in _sheet(out, "cover") if r and r[0]}
    assert cover[label("exporter", "en")] == "Hebei Steel Export Co."
    assert cover[label("date_prepared", "en")]  # a metadata row: --check does not compare it
    assert main(["calc", "--check", str(out)]) == 0


def test_the_run_sheet_shows_its_figures_as_the_calc_workbook_does(tmp_path):
    """The importer's workbook is written by xlsx_book.write_book as the calc and batch ones are:
    its Run sheet's figures carry the same number formats (they had none), and its author is
    cbam-calc."""
    import openpyxl

    out = _report(tmp_path, STEEL)
    calc = tmp_path / "calc.xlsx"
    assert main(["report", str(tmp_path / STEEL.name), "-o", str(calc)]) == 0

    def formats(path):
        wb = openpyxl.load_workbook(path)
        keys = ("certificates", "cost_eur", "lines")
        return wb.properties.creator, {
            r[0].value: r[1].number_format for r in wb["Run"].iter_rows() if r[0].value in keys
        }

    creator, got = formats(out)
    assert creator.startswith("cbam-calc ")
    assert got == formats(calc)[1] == {"lines": "#,##0", "certificates": "#,##0.000", "cost_eur": "#,##0.00"}
