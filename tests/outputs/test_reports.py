"""cbam report: the workbook and the HTML page, their figures checked against the engine."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
from conftest import CALC_SHEETS, SAMPLES, steel, write_csv

from cbam_calc.cli import main
from cbam_calc.compute.aggregate import FINE_KEYS, calc_tables, figures, fine_aggregate, rollup
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.sheets import sheet_name
from cbam_calc.outputs.html import calc_html

STEEL = SAMPLES / "shipments_cn_steel.xlsx"


def parsed(page: str) -> tuple[set[str], set[str]]:
    """Tag and attribute names of an HTML page, as a browser's parser sees them."""
    tags: set[str] = set()
    attrs: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attributes):
            tags.add(tag)
            attrs.update(name for name, _ in attributes)

    Collect().feed(page)
    return tags, attrs


def rows(ws) -> tuple[list, list[tuple]]:
    values = list(ws.values)
    return list(values[0]), values[1:]


def column(ws, header: str) -> list:
    head, body = rows(ws)
    return [r[head.index(header)] for r in body]


@pytest.fixture(scope="module")
def steel_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.xlsx"
    assert main(["report", str(STEEL), "-o", str(out)]) == 0
    return openpyxl.load_workbook(out), calculate(STEEL)


def test_report_workbook_sheets_charts_and_formats(steel_report):
    wb, _ = steel_report
    assert wb.sheetnames == CALC_SHEETS
    for name in ("Summary", "By sector", "By CN code", "By country", "By importer", "By installation"):
        assert len(wb[name]._charts) == 1, name
    ws = wb["By CN code"]
    assert ws.freeze_panes == "A2"
    head, _ = rows(ws)
    assert ws.cell(row=2, column=head.index("CBAM cost, EUR") + 1).number_format == "#,##0.00"
    assert ws.cell(row=2, column=head.index("Embedded emissions, tCO2e") + 1).number_format == "#,##0.000"
    assert ws.cell(row=2, column=head.index("Lines") + 1).number_format == "#,##0"
    # widths fit the header (at least its length, capped at 60)
    width = ws.column_dimensions["B"].width
    assert width >= min(len("Description"), 60)


def test_report_group_sheets_equal_the_engine_summary(steel_report):
    wb, result = steel_report
    s = result.summary
    ws = wb["By sector"]
    assert column(ws, "Sector") == ["Iron and steel"]
    assert column(ws, "CBAM cost, EUR") == [s.by_sector[0].cost_eur]
    assert column(ws, "EUR per tonne of goods") == [s.by_sector[0].eur_per_t]
    by_cn = {g.cn_code: g for g in s.by_cn_code}
    ws = wb["By CN code"]
    codes = [c.replace(" ", "") for c in column(ws, "CN code")]
    assert sorted(codes) == sorted(by_cn)
    for code, cost, per_t in zip(codes, column(ws, "CBAM cost, EUR"), column(ws, "EUR per tonne of goods")):
        assert cost == pytest.approx(by_cn[code].cost_eur, abs=0.005)
        assert per_t == pytest.approx(by_cn[code].eur_per_t, abs=0.005)
    costs = column(ws, "CBAM cost, EUR")
    assert costs == sorted(costs, reverse=True)  # ranked: highest first, the chart's bars too
    assert column(wb["By country"], "Country of origin") == ["CN China"]
    assert sum(column(wb["By country"], "CBAM cost, EUR")) == pytest.approx(s.cost_eur, abs=0.01)


def test_report_by_importer_applies_de_minimis(steel_report):
    wb, result = steel_report
    ws = wb["By importer"]
    cost = dict(zip(column(ws, "Importer"), column(ws, "CBAM cost, EUR")))
    exempt = [d.importer for d in result.summary.de_minimis if d.exempt]
    assert exempt == ["Acciai Padani S.r.l. (IT01234560987)"]
    assert cost[exempt[0]] == 0
    # every other importer: the sum of its lines, worked from the Lines table
    by_hand = result.lines.groupby("importer")["cost_eur"].sum().round(2).to_dict()
    assert cost == pytest.approx(by_hand, abs=0.01)
    # each importer's cost is rounded to the cent: their sum may be off by half a cent each
    assert sum(cost.values()) == pytest.approx(result.summary.cost_eur, abs=0.005 * len(cost) + 1e-9)


def test_calc_and_report_write_the_same_workbook(tmp_path, capsys):
    a, b = tmp_path / "calc.xlsx", tmp_path / "report.xlsx"
    assert main(["calc", str(STEEL), "-o", str(a)]) == 0
    assert main(["report", str(STEEL), "-o", str(b)]) == 0
    wa, wb = openpyxl.load_workbook(a), openpyxl.load_workbook(b)
    assert wa.sheetnames == wb.sheetnames == CALC_SHEETS
    for name in CALC_SHEETS[:-1]:  # the Run sheet records the command line's options alike
        assert list(wa[name].values) == list(wb[name].values), name


def test_fine_aggregate_rolls_up_to_the_engine_figures():
    for name in ("shipments_cn_steel.xlsx", "shipments_fertilisers.csv", "shipments_art9_cnets.xlsx"):
        result = calculate(SAMPLES / name)
        fine = fine_aggregate(result)
        assert list(fine.columns[: len(FINE_KEYS)]) == FINE_KEYS
        assert fine["lines"].sum() == result.summary.lines
        sectors = figures(rollup(fine, ["sector"]), ["sector"]).set_index("sector")
        for g in result.summary.by_sector:
            for f in ("net_mass_t", "embedded_tco2e", "certificates", "cost_eur", "eur_per_t"):
                assert sectors.loc[g.sector, f] == pytest.approx(getattr(g, f), abs=1e-6), (name, f)
        cns = figures(rollup(fine, ["cn_code"]), ["cn_code"]).set_index("cn_code")
        for g in result.summary.by_cn_code:
            assert cns.loc[g.cn_code, "cost_eur"] == pytest.approx(g.cost_eur, abs=1e-6)
            assert cns.loc[g.cn_code, "lines"] == g.lines


def test_eur_per_t_leaves_out_electricity_mwh(tmp_path):
    path = write_csv(
        tmp_path / "mixed.csv",
        [
            steel(net_mass_t="100"),
            {
                "cn_code": "2716 00 00",
                "country": "CN",
                "net_mass_t": "1000",
                "import_date": "2026-02-10",
                "see_direct": "0.5",
            },
        ],
    )
    result = calculate(path)
    tables = {t.name: t.frame.set_index(t.keys[0]) for t in calc_tables(result)}
    sectors = tables["by_sector"]
    elec = result.lines[result.lines["sector"].eq("electricity")].iloc[0]
    steel_line = result.lines[result.lines["sector"].eq("iron_steel")].iloc[0]
    assert sectors.loc["electricity", "net_mass_t"] == 0
    assert sectors.loc["electricity", "electricity_mwh"] == 1000
    assert pd.isna(sectors.loc["electricity", "eur_per_t"])
    # per tonne of goods: the steel line's cost over its 100 t; the 1000 MWh are not tonnes
    assert sectors.loc["iron_steel", "eur_per_t"] == pytest.approx(steel_line["cost_eur"] / 100, abs=0.005)
    country = tables["by_country"].loc["CN"]
    assert country["net_mass_t"] == 100 and country["electricity_mwh"] == 1000
    assert country["cost_eur"] == pytest.approx(steel_line["cost_eur"] + elec["cost_eur"], abs=0.01)
    assert country["eur_per_t"] == pytest.approx(steel_line["cost_eur"] / 100, abs=0.005)
    assert country["eur_per_t"] == pytest.approx(result.summary.eur_per_t, abs=0.005)


def test_report_chinese_labels_and_input_headers_kept(tmp_path):
    out = tmp_path / "报告.xlsx"
    sample = SAMPLES / "shipments_cn_aluminium_zh.xlsx"
    assert main(["report", str(sample), "-o", str(out), "--lang", "zh"]) == 0
    wb = openpyxl.load_workbook(out)
    zh = {k: sheet_name(k, "zh") for k in ("summary", "by_sector", "by_country", "lines")}
    assert wb.sheetnames[:3] == ["摘要", "明细行", "按行业"]  # the sheets named in Chinese
    assert next(wb[zh["summary"]].values)[0] == "CBAM 成本报告"
    head, body = rows(wb[zh["by_sector"]])
    assert head[0] == "行业" and "CBAM 成本（欧元）" in head
    assert body[0][0] == "铝"
    # a Chinese header is twice as wide as its characters: its column is too
    letter = openpyxl.utils.get_column_letter(head.index("CBAM 成本（欧元）") + 1)
    assert wb[zh["by_sector"]].column_dimensions[letter].width >= 5 + 2 * 6 + 2
    assert rows(wb[zh["by_country"]])[1][0][0] == "CN 中国"
    lines_head, _ = rows(wb[zh["lines"]])
    assert "商品编码" in lines_head and "净重(吨)" in lines_head  # input columns as given
    # computed columns in Chinese, one header each
    assert {"隐含排放（tCO2e）", "免费配额调整（tCO2e）", "CBAM 成本（欧元）"} <= set(lines_head)
    assert "cost_eur" not in lines_head and len(set(lines_head)) == len(lines_head)


def test_chinese_workbook_has_the_number_formats_of_the_english_one(tmp_path):
    """A translated header has lost its unit: the number format still comes from the column."""
    sample = SAMPLES / "shipments_cn_aluminium_zh.xlsx"
    formats = {}
    for lang in ("en", "zh"):
        out = tmp_path / f"report_{lang}.xlsx"
        assert main(["report", str(sample), "-o", str(out), "--lang", lang]) == 0
        wb = openpyxl.load_workbook(out)
        formats[lang] = {
            key: [c.number_format for c in next(wb[sheet_name(key, lang)].iter_rows(min_row=2, max_row=2))]
            for key in ("lines", "by_sector")
        }
    assert formats["zh"] == formats["en"]
    assert {"#,##0", "#,##0.000", "#,##0.00"} <= set(formats["zh"]["lines"])


def test_every_computed_line_column_has_a_chinese_header():
    from cbam_calc.compute.lines import LINE_COLUMNS
    from cbam_calc.core.labels import LINE_HEADERS_ZH, line_headers
    from cbam_calc.inputs.template_match import TEMPLATE_LINE_COLUMNS

    # the computed columns, and those the join with communication templates adds (--emissions)
    assert set(LINE_HEADERS_ZH) == set(LINE_COLUMNS) | set(TEMPLATE_LINE_COLUMNS)
    assert line_headers(["备注", "notes", "input: row", "row"], "zh") == [
        "备注",
        "备注（计算）",
        "输入: row",
        "行号",
    ]
    assert line_headers(["notes"], "en") == ["notes"]


def test_report_format_comes_from_the_suffix(tmp_path, capsys):
    out = tmp_path / "report.pdf"
    assert main(["report", str(STEEL), "-o", str(out)]) == 2
    assert ".html" in capsys.readouterr().err and not out.exists()
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    assert main(["report", str(STEEL), "-o", str(html), "-o", str(xlsx)]) == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "Summary"
    assert main(["report", str(STEEL), "-o", str(html)]) == 2  # exists: needs --force
    assert "already exists" in capsys.readouterr().err


@pytest.fixture
def hostile(tmp_path):
    return write_csv(
        tmp_path / "hostile.csv",
        [
            steel(importer='=HYPERLINK("http://x")', installation="<script>alert('x')</script> & Co"),
            steel(importer="Müller & Söhne <GmbH>", installation='Plant "B"', net_mass_t="80"),
            steel(country="<img src=x onerror=alert(1)>"),  # rejected: its value is shown
        ],
    )


def test_html_escapes_every_input_text_and_needs_no_network(hostile):
    result = calculate(hostile)
    page = calc_html(result)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in page
    assert "Müller &amp; Söhne &lt;GmbH&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # rejected value: shown, as text
    # nothing fetched: no element that loads anything, no attribute that points anywhere
    tags, attrs = parsed(page)
    assert not tags & {"script", "img", "link", "iframe", "object", "embed", "image", "use"}
    assert not attrs & {"src", "href", "xlink:href", "srcset", "onerror", "onload"}
    assert "url(" not in page[: page.index("</style>")] and "@import" not in page


def test_html_carries_the_figures_and_the_assumptions_box():
    result = calculate(STEEL)
    s = result.summary
    page = calc_html(result)
    assert f"{s.cost_eur:,.2f}" in page  # 2,167,485.74
    assert f"{s.eur_per_t:,.2f}" in page
    for g in s.by_cn_code:
        assert f"{g.cost_eur:,.2f}" in page
    box = page[page.index('class="assumptions"') : page.index("</div>", page.index('class="assumptions"'))]
    assert "75.36" in box and "published" in box and "projection" in box  # prices with status
    assert "2026: 1 (law)" in box  # CSCF, Decision (EU) 2026/1862
    assert "DRAFT" in box and "13.05.2026" in box  # Art 9 track and status
    assert (  # a conditional (issue 12, Art 2a): the file holds one supplier's share
        "Acciai Padani S.r.l. (IT01234560987) 2026: exempt if this importer&#x27;s imports of CBAM goods "
        "in 2026, from all suppliers, stay at or under 50 t (this file: 42.8 t)" in box
    )
    assert "certificate prices that are not published figures: 2026Q4 (projection)" in box  # warnings
    assert hashlib.sha256(STEEL.read_bytes()).hexdigest() in box
    assert s.reference_data_sha256 in box and s.cbam_calc_version in box
    assert "Not legal advice" in box
    assert page.count("<svg") == 3  # cost by sector, by CN code, by country


def test_html_in_chinese():
    page = calc_html(calculate(SAMPLES / "shipments_cn_aluminium_zh.xlsx"), "zh")
    assert '<html lang="zh-CN">' in page
    for text in ("CBAM 成本报告", "假设条件", "按行业", "不构成法律意见", "各行业 CBAM 成本（欧元）"):
        assert text in page


def test_group_sheets_neutralise_formulas(hostile, tmp_path):
    out = tmp_path / "r.xlsx"
    assert main(["report", str(hostile), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["By importer"]
    names = column(ws, "Importer")
    assert '=HYPERLINK("http://x")' in names  # kept as it is, stored as text with a quote prefix
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == '=HYPERLINK("http://x")']
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
