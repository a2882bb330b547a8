"""The scenario workbook reads like a deliverable (issue 14): human headers in English and Chinese,
figures rounded to what their format shows (full precision kept in the Data sheets), years never
with a thousands separator, charts that draw equal scenarios once and the domestic cost on its own
axis, the break-even table sorted and of the input's products only, and a Chinese workbook whose
scenario names, headers and chart titles are Chinese. Read with openpyxl, the chart XML from the
file, and once through LibreOffice (skipped where soffice is missing)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest
from conftest import REPO

from cbam_calc.cli import main
from cbam_calc.outputs.scenario_report import sheet_name

SAMPLE = REPO / "samples" / "shipments_cn_steel.xlsx"
YEARS = "2026-2028"
READING = ("overview", "levy", "by_year", "break_even", "dva")  # sheets with label headers
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
# English that a Chinese report may keep: units, codes, names of schemes and instruments, citations
ALLOWED = {"CBAM", "EUR", "CNY", "CN", "CEA", "CCER", "EUA", "tCO2e", "Art", "DRAFT", "Ares"}


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenario_books")
    out = {}
    for lang in ("en", "zh"):
        path = folder / f"scenario_{lang}.xlsx"
        args = ["scenario", str(SAMPLE), "--years", YEARS, "-o", str(path), "--lang", lang]
        assert main(args) == 0
        out[lang] = path
    path = folder / "instruments.xlsx"  # the instrument comparison's sheet, one year
    assert main(["scenario", str(SAMPLE), "--years", "2026", "--compare-instruments", "-o", str(path)]) == 0
    out["instruments"] = path
    return out


def _header(ws, row: int) -> list[str]:
    return [c.value for c in ws[row] if c.value is not None]


def _header_row(ws) -> int:
    return 5 if ws.title in (sheet_name("overview", "en"), sheet_name("overview", "zh")) else 1


def _charts(path) -> list[ElementTree.Element]:
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        return [ElementTree.fromstring(z.read(n)) for n in names]


def _title(chart: ElementTree.Element) -> str:
    title = chart.find(f"{C}chart/{C}title")
    return "".join(t.text or "" for t in title.iter(f"{A}t")) if title is not None else ""


def test_reading_sheets_have_human_headers_in_english_and_chinese(books):
    for lang in ("en", "zh"):
        wb = openpyxl.load_workbook(books[lang])
        for key in READING:
            ws = wb[sheet_name(key, lang)]
            heads = _header(ws, _header_row(ws))
            assert heads, ws.title
            assert not [h for h in heads if SNAKE.match(str(h))], (ws.title, heads)
            if lang == "zh":
                assert re.search(r"[\u4e00-\u9fff]", heads[0]), (ws.title, heads[0])
        en = _header(openpyxl.load_workbook(books["en"])[sheet_name("by_year", "en")], 1)
        assert "EU CBAM levy, EUR" in en and "CBAM certificates, tCO2e" in en
    # the Data sheet keeps the keys of --format json, and says it is the data sheet by its name
    data = openpyxl.load_workbook(books["zh"])["数据-情景"]
    assert "eu_levy_eur" in _header(data, 1)


def _decimals(fmt: str) -> int:
    if fmt in ("General", "0", "@"):
        return 0
    places = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    return places + (2 if fmt.endswith("%") else 0)


def test_no_figure_on_a_reading_sheet_has_more_decimals_than_it_shows(books):
    wb = openpyxl.load_workbook(books["en"])
    figures = 0
    for key in READING:
        for row in wb[sheet_name(key, "en")].iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    continue
                figures += 1
                assert cell.number_format != "General", (cell.coordinate, v)
                d = _decimals(cell.number_format)
                assert round(v, d) == v, (
                    wb[sheet_name(key, "en")].title,
                    cell.coordinate,
                    v,
                    cell.number_format,
                )
    assert figures > 200
    sheet = openpyxl.load_workbook(books["instruments"])[sheet_name("instruments", "en")]
    numbers = [c for row in sheet.iter_rows(min_row=12) for c in row if type(c.value) in (int, float)]
    assert len(numbers) > 100
    for cell in numbers:
        assert (
            cell.number_format != "General" and round(cell.value, _decimals(cell.number_format)) == cell.value
        )
    assert not [
        c.value
        for row in sheet.iter_rows(min_row=12)
        for c in row
        if re.fullmatch(r"-?\d+\.\d+", str(c.value)) and isinstance(c.value, str)
    ]
    # while the Data sheet keeps what was computed (the EU levy to the last digit)
    raw = pd.read_excel(books["en"], sheet_name=sheet_name("data", "en"), engine="openpyxl")
    shown = pd.read_excel(books["en"], sheet_name=sheet_name("by_year", "en"), engine="openpyxl")
    assert (raw["eu_levy_eur"] != raw["eu_levy_eur"].round(0)).any()
    assert (shown["EU CBAM levy, EUR"].round(0) - raw["eu_levy_eur"]).abs().max() <= 0.5


def test_years_are_plain_integers_in_cells_and_text_on_chart_axes(books):
    wb = openpyxl.load_workbook(books["en"])
    years = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if (
                    isinstance(cell.value, int)
                    and not isinstance(cell.value, bool)
                    and 2026 <= cell.value <= 2038
                ):
                    head = ws.cell(
                        row=_header_row(ws) if ws.title == "Overview" else 1, column=cell.column
                    ).value
                    if head in ("Year", "year"):
                        years += 1
                        assert "," not in cell.number_format, (ws.title, cell.coordinate, cell.number_format)
    assert years >= 3 * 6  # at least the Scenarios by year sheet: 3 years x 6 scenarios
    line = next(c for c in _charts(books["en"]) if c.find(f".//{C}lineChart") is not None)
    cats = line.findall(f".//{C}cat")
    assert cats and all(cat.find(f"{C}strRef") is not None for cat in cats)  # text categories: 2026


def test_scenarios_with_the_same_levy_are_drawn_once_with_their_names(books):
    raw = pd.read_excel(books["en"], sheet_name=sheet_name("data", "en"), engine="openpyxl")
    series = raw.pivot_table(index="year", columns="scenario", values="eu_levy_eur").round(0)
    distinct = {tuple(series[c]) for c in series.columns}
    assert len(series.columns) == 6 and len(distinct) < 6  # the default set: some levies are equal
    line = next(c for c in _charts(books["en"]) if c.find(f".//{C}lineChart") is not None)
    assert len(line.findall(f".//{C}lineChart/{C}ser")) == len(distinct)
    # each series' name is its scenarios' names joined (read from the cell the series names)
    ws = openpyxl.load_workbook(books["en"])[sheet_name("chart_data", "en")]
    names = [c.value for c in ws[3][1:] if c.value]
    assert len(names) == len(distinct)
    joined = [n for n in names if " / " in n]
    assert joined and "no domestic price, not recognised" in joined[0]
    assert sorted(p for n in names for p in n.split(" / ")) == sorted(series.columns)


def test_domestic_cost_and_eu_levy_each_on_a_panel_of_its_own_from_zero(books):
    bars = [c for c in _charts(books["en"]) if c.find(f".//{C}barChart") is not None]
    titles = sorted(_title(c) for c in bars)
    assert titles == ["Domestic carbon cost over the years, EUR", "EU CBAM levy over the years, EUR"]
    for chart in bars:
        assert len(chart.findall(f".//{C}barChart/{C}ser")) == 1  # its own axis: never lost
        assert chart.find(f".//{C}valAx/{C}scaling/{C}min").get("val") == "0"
    wb = openpyxl.load_workbook(books["en"])
    assert len(wb["Overview"]._charts) == 3  # on the first sheet, under a six-row table


def test_break_even_rows_are_sorted_by_product_scenario_and_year_and_only_the_inputs(books):
    import openpyxl as xl

    wb = xl.load_workbook(books["en"])
    ws = wb[sheet_name("break_even", "en")]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows
    given = pd.read_excel(SAMPLE, sheet_name="Shipments", dtype=str, engine="openpyxl")["cn_code"]
    assert {r[0] for r in rows} <= set(given)  # '7208 38 00' as the input writes it
    order = {}
    for r in rows:
        order.setdefault(r[1], len(order))
    keys = [(r[0], order[r[1]], r[2]) for r in rows]
    assert keys == sorted(keys)
    assert all(r[1] for r in rows)  # every row names the scenario(s) it stands for


def _english_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", text) if w not in ALLOWED]


def test_a_chinese_workbook_names_scenarios_and_titles_charts_in_chinese(books):
    wb = openpyxl.load_workbook(books["zh"])
    assert wb.sheetnames[0] == "概览" and "Run" in wb.sheetnames
    overview = wb["概览"]
    names = [r[0] for r in overview.iter_rows(min_row=6, max_row=11, values_only=True)]
    assert len(names) == 6 and all(names)
    for text in names:
        assert not _english_words(text), text
    titles = [_title(c) for c in _charts(books["zh"])]
    assert len(titles) == 3
    for t in titles:
        assert t and not _english_words(t), t
    chart_data = wb["图表数据"]
    for cell in chart_data[3]:
        assert not _english_words(str(cell.value or "")), cell.value
    for key in READING:
        ws = wb[sheet_name(key, "zh")]
        for head in _header(ws, _header_row(ws)):
            if key != "levy":  # the levy sheet's headers are the scenario names, checked above
                assert not _english_words(str(head)), (ws.title, head)
    notes = {r[5] for r in wb[sheet_name("break_even", "zh")].iter_rows(min_row=2, values_only=True) if r[5]}
    assert notes and not [n for n in notes if _english_words(n)]


def test_a_chinese_workbook_is_checked_in_chinese(books, capsys):
    capsys.readouterr()
    assert main(["calc", "--check", str(books["zh"])]) == 0, capsys.readouterr().out
    assert "the figures match" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_libreoffice_renders_the_headers_readable(books, tmp_path):
    profile = f"file:///tmp/lo-scen-{os.getpid()}"
    for lang in ("en", "zh"):
        path = books[lang]
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(tmp_path), str(path)],
            check=True, capture_output=True, timeout=240,
        )  # fmt: skip
        pdf = tmp_path / f"{path.stem}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout.decode()
        assert "###" not in text  # no figure too wide for its column
        flat = " ".join(text.split())
        if lang == "en":
            for head in (
                "Scenario",
                "EU CBAM levy, EUR",
                "Domestic carbon cost, EUR",
                "Break-even CEA price",
            ):
                assert head in flat, head
        else:
            for head in ("情景", "欧盟碳关税（欧元）", "国内碳成本（欧元）", "盈亏平衡"):
                assert head in flat, head
    shutil.rmtree(f"/tmp/lo-scen-{os.getpid()}", ignore_errors=True)


def test_swept_scenarios_are_named_in_chinese_from_their_parameters(tmp_path):
    out = tmp_path / "sweep.xlsx"
    args = ["scenario", str(SAMPLE), "--years", "2026", "--cea-price", "0,80", "--ccer-share", "0,0.05"]
    assert main([*args, "--ccer-use", "voluntary", "--lang", "zh", "-o", str(out)]) == 0
    names = [c.value for c in openpyxl.load_workbook(out)["各年欧盟碳关税"][1][1:]]
    assert len(names) == 5  # the baseline and 2 x 2 swept
    assert "CEA 80 元，CCER 5% @" in " ".join(names) and "自愿注销" in " ".join(names)
    for name in names:
        assert not _english_words(name), name


def test_a_chinese_workbook_names_assumptions_and_data_in_chinese_with_the_same_figures(books):
    """The Assumptions sheet: Chinese names of the assumptions (the English workbook keeps the keys
    --format json has) and their texts in Chinese; the Data sheet: the same figures, bit for bit,
    under the same keys, its scenario names Chinese."""
    en, zh = openpyxl.load_workbook(books["en"]), openpyxl.load_workbook(books["zh"])
    a_en = {
        r[0]: r[1] for r in en[sheet_name("assumptions", "en")].iter_rows(min_row=4, values_only=True) if r[0]
    }
    a_zh = {
        r[0]: r[1] for r in zh[sheet_name("assumptions", "zh")].iter_rows(min_row=4, values_only=True) if r[0]
    }
    assert a_en["domestic_price_applies_to"] == (
        "lines from China in sectors covered by CNETS (iron and steel, cement, aluminium, power)"
    )
    assert a_zh["国内碳价适用范围"] == "来自中国、属于全国碳市场覆盖行业（钢铁、水泥、铝、电力）的行"
    assert a_en["baseline"] == "no domestic price, not recognised"
    assert a_zh["基准情景"] == "无国内碳价，不予认可"
    d_en = list(en[sheet_name("data", "en")].iter_rows(values_only=True))
    d_zh = list(zh[sheet_name("data", "zh")].iter_rows(values_only=True))
    assert d_en[0] == d_zh[0] and len(d_en) == len(d_zh)
    numbers = [j for j, v in enumerate(d_en[1]) if isinstance(v, (int, float))]
    assert numbers and all(e[j] == z[j] for e, z in zip(d_en[1:], d_zh[1:]) for j in numbers)
    scenario = d_en[0].index("scenario")
    assert d_en[1][scenario] == "no domestic price, not recognised"
    assert d_zh[1][scenario] == "无国内碳价，不予认可"
