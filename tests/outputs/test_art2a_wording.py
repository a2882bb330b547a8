"""Art 2a as an exporter's file really is (issue 12): the exemption is a conditional, never a fact;
a product's EUR per tonne before the exemption is shown so a quote never reads 0; the choice of
--de-minimis is in every output; the names of lines without an importer are translated.

Worked by hand: one file, Acme 42.8 t and 20 t without an importer, both hot-rolled coil of Q1
2026 (each at or under 50 t: exempt if nothing else is imported). EUR per tonne before the
exemption is the cost per tonne with every line priced (--de-minimis off).
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from child import run_cbam
from conftest import steel, write_csv

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.labels import IMPORTER_PLACEHOLDERS_ZH
from cbam_calc.core.model import CalcOptions
from cbam_calc.law.de_minimis import BLANK_IMPORTER, NO_IMPORTER
from cbam_calc.outputs.html import calc_html
from cbam_calc.outputs.text import summary_text

CONDITIONAL = (
    "exempt if this importer's imports of CBAM goods in 2026, from all suppliers, stay at or under "
    "50 t (this file: 42.8 t)"
)
CONDITIONAL_ZH = "若该进口商2026年从所有供应商进口的CBAM货物合计不超过50吨，则豁免（本文件：42.8吨）"


@pytest.fixture
def small(tmp_path):
    return write_csv(
        tmp_path / "small.csv",
        [steel(net_mass_t="42.8", importer="Acme"), steel(net_mass_t="20", importer="")],
    )


def test_art2a_text_states_a_conditional_in_english_and_chinese(small):
    r = calculate(small)
    en, zh = summary_text(r, "en"), summary_text(r, "zh")
    assert f"Acme: {CONDITIONAL}" in en
    assert " exempt\n" not in en and "<= 50 t" not in en  # no longer stated as a fact
    assert f"Acme：{CONDITIONAL_ZH}" in zh  # Chinese punctuation (core.labels.term)
    assert "De minimis applied (--de-minimis): on" in en


@pytest.mark.slow
def test_art2a_html_and_workbook_state_the_conditional(small, tmp_path):
    r = calculate(small)
    page = calc_html(r, "en")
    assert CONDITIONAL.replace("'", "&#x27;") in page
    r2 = run_cbam(["calc", small, "-o", tmp_path / "r.xlsx", "--lang", "zh"], tmp_path)
    assert r2.code == 0, r2.stderr
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)["摘要"]  # the Summary, named in Chinese
    cells = [str(c) for row in ws.values for c in row if c is not None]
    assert CONDITIONAL_ZH in cells
    assert "（未填进口商） 2026" in cells  # "(no importer)" translated (item 5)


def test_art2a_json_describes_the_exemption_as_a_conditional():
    schema = json.dumps(CalcOptions.model_json_schema()) + json.dumps(
        __import__("cbam_calc.core.model", fromlist=["CalcSummary"]).CalcSummary.model_json_schema()
    )
    assert "IF its imports of CBAM goods in the year, from all suppliers, stay at or under it" in schema
    assert "in this run's input only" in schema


@pytest.mark.slow
def test_art2a_by_cn_code_gives_eur_per_t_before_the_exemption(small, tmp_path):
    on = calculate(small)
    off = calculate(small, CalcOptions(de_minimis="off"))
    (cn,) = on.summary.by_cn_code
    assert cn.cost_eur == 0 and cn.eur_per_t == 0  # both importers exempt
    assert cn.eur_per_t_before_exemption == pytest.approx(off.summary.by_cn_code[0].eur_per_t)
    assert cn.eur_per_t_before_exemption == pytest.approx(off.summary.cost_eur / 62.8, abs=0.01)
    assert cn.eur_per_t_before_exemption > 0
    r = run_cbam(["calc", small, "--format", "json"], tmp_path)
    out = json.loads(r.stdout)["by_cn_code"][0]
    assert out["eur_per_t"] == 0 and out["eur_per_t_before_exemption"] == cn.eur_per_t_before_exemption
    # the report's By CN code sheet has the column next to EUR per tonne
    rr = run_cbam(["report", small, "-o", tmp_path / "rep.xlsx"], tmp_path)
    assert rr.code == 0, rr.stderr
    rows = list(openpyxl.load_workbook(tmp_path / "rep.xlsx", read_only=True)["By CN code"].values)
    head = list(rows[0])
    i = head.index("EUR per tonne before de minimis")
    assert head[i - 1] == "EUR per tonne of goods"
    assert rows[1][i] == pytest.approx(cn.eur_per_t_before_exemption) and rows[1][i - 1] == 0


@pytest.mark.slow
def test_art2a_de_minimis_off_prices_every_line(small, tmp_path):
    on = run_cbam(["calc", small, "--format", "json"], tmp_path)
    off = run_cbam(["calc", small, "--format", "json", "--de-minimis", "off"], tmp_path)
    alias = run_cbam(["calc", small, "--format", "json", "--no-de-minimis"], tmp_path)
    a, b, c = (json.loads(x.stdout) for x in (on, off, alias))
    assert a["cost_eur"] == 0 and b["cost_eur"] > 0 and b["cost_eur"] == c["cost_eur"]
    assert [a["assumptions"]["de_minimis_mode"], b["assumptions"]["de_minimis_mode"]] == ["on", "off"]
    assert b["assumptions"]["de_minimis"] is False
    assert "--no-de-minimis" not in run_cbam(["calc", "--help"], tmp_path).stdout  # hidden alias
    txt = run_cbam(["calc", small, "--de-minimis", "off"], tmp_path).stdout
    assert "De minimis applied (--de-minimis): off: every line priced" in txt
    bad = run_cbam(["calc", small, "--de-minimis", "importer"], tmp_path)
    assert bad.code == 2 and "'importer' is not one of 'on', 'off'" in bad.stderr


def test_art2a_placeholders_of_lines_without_an_importer_are_translated(tmp_path):
    assert set(IMPORTER_PLACEHOLDERS_ZH) == {NO_IMPORTER, BLANK_IMPORTER}
    path = write_csv(tmp_path / "none.csv", [steel(net_mass_t="20")])  # no importer column
    r = calculate(path)
    assert [d.importer for d in r.summary.de_minimis] == [NO_IMPORTER]
    zh = summary_text(r, "zh")
    assert "（全部行）" in zh and NO_IMPORTER not in zh
    assert "（全部行）" in calc_html(r, "zh")
