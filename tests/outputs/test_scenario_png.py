"""The PNG charts of ``cbam scenario --png`` in the language of the run (issue 14): titles, axes,
legends and scenario names in Chinese under ``--lang zh``, drawn in a CJK font picked by name
(never boxes: matplotlib warns of every glyph its font lacks, and that warning fails the test), and
in English with a warning where no CJK font is installed."""

from __future__ import annotations

import re
import warnings

import pytest
from conftest import REPO

from cbam_calc.compute.scenarios import default_scenarios, run_scenarios
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.readers import read_table
from cbam_calc.inputs.validate import validate
from cbam_calc.law.reference import reference_data

pytest.importorskip("matplotlib")

from cbam_calc.outputs import scenario_report
from cbam_calc.outputs.scenario_report import (
    PNG_NAMES,
    chart_figures,
    cjk_font,
    scenario_text,
    write_scenario_png,
)

SAMPLE = REPO / "samples" / "shipments_cn_steel.xlsx"
# what a Chinese chart may keep in Latin letters: scheme names, units, codes, the draft's reference
ALLOWED = {"CBAM", "EUR", "CNY", "CN", "CEA", "CCER", "EUA", "tCO2e", "Art", "Ares"}


def _result():
    ref = reference_data()
    validated = validate(read_table(SAMPLE), ref)
    sset = default_scenarios().model_copy(update={"years": [2026, 2027, 2028]})
    return run_scenarios(validated, sset, CalcOptions(), ref)


@pytest.fixture(scope="module")
def result():
    return _result()


def _texts(fig) -> list[str]:
    """Every text a figure draws: titles, axis labels, tick labels, legend entries, notes."""
    out = [t.get_text() for t in fig.texts]
    if fig._suptitle is not None:
        out.append(fig._suptitle.get_text())
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
        legend = ax.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


def _english(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z-]+", text) if w not in ALLOWED]


def test_english_charts_keep_their_english_titles(result):
    figures = chart_figures(result, "en")
    texts = _texts(figures[0]) + _texts(figures[1])
    assert "EU CBAM levy by year, thousand EUR" in texts
    assert "Domestic carbon cost over the years, thousand EUR" in texts
    assert any(result.baseline in t for t in texts)


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed (fonts-wqy-microhei, fonts-noto-cjk)")
def test_chinese_charts_are_chinese_and_drawn_in_a_cjk_font(result, tmp_path):
    import matplotlib.pyplot as plt

    lang, fonts = scenario_report.chart_language(result, "zh")
    assert lang == "zh" and fonts["font.sans-serif"][0] == cjk_font()
    with plt.rc_context(fonts):
        figures = chart_figures(result, "zh")
        texts = _texts(figures[0]) + _texts(figures[1])
        assert "各年欧盟碳关税（千欧元）" in texts and "各年合计国内碳成本（千欧元）" in texts
        assert "年份" in texts and "千欧元" in texts
        assert any("无国内碳价，不予认可" in t for t in texts)  # the baseline's Chinese name
        assert not [t for t in texts if _english(t)], [t for t in texts if _english(t)]
        title = figures[0].axes[0].title
        assert title.get_fontname() == cjk_font()
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)": a box drawn
        written = write_scenario_png(result, tmp_path, lang="zh")
    assert [p.name for p in written] == list(PNG_NAMES)
    assert not [w for w in result.warnings if getattr(w, "code", "") == "W_CHART_NO_CJK_FONT"]


def test_without_a_cjk_font_the_charts_are_english_and_the_run_says_so(monkeypatch, tmp_path):
    result = _result()
    monkeypatch.setattr(scenario_report, "CJK_FONTS", ("No Such Font CJK",))
    assert scenario_report.chart_language(result, "zh") == ("en", {})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # English in DejaVu Sans: no glyph missing
        write_scenario_png(result, tmp_path, lang="zh")
    codes = [w.code for w in result.warnings if getattr(w, "code", "")]
    assert codes.count("W_CHART_NO_CJK_FONT") == 1
    assert "PNG 图表没有中文字体（已查找 No Such Font CJK 等）：图表以英文绘制" in scenario_text(result, "zh")
    assert "no Chinese font for the PNG charts" in scenario_text(result, "en")
