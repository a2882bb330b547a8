"""The Chinese terminal summaries use Chinese punctuation (issue 14): a term and its value joined
by a full-width colon, an aside in full-width brackets, items by "；" (core.labels term / aside /
items). Was "涵盖期间: ..." and "参考数据截至 2026-12-02 (cbam data ...)"."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES

from cbam_calc.cli import main

# a Chinese character (or a closing full-width bracket) followed by an ASCII colon, semicolon or
# bracket (not "(EU)" of a citation: 法规 (EU) 2023/956), or an ASCII colon or bracket before one
MIXED = re.compile(r"[\u4e00-\u9fff）]\s*(?:[:;]|\((?!EU\)))|[:(]\s*[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    "argv",
    [
        ["calc", str(SAMPLES / "shipments_cn_steel.xlsx")],
        ["calc", str(SAMPLES / "shipments_with_errors.csv")],
        ["calc", str(SAMPLES / "shipments_cn_steel.xlsx"), "--currency", "CNY", "--skip-hidden"],
        ["batch", str(SAMPLES / "association")],
    ],
)
def test_chinese_summaries_use_chinese_punctuation(argv, capsys):
    main([*argv, "--lang", "zh"])
    out = capsys.readouterr().out
    mixed = [line for line in out.splitlines() if MIXED.search(line)]
    assert not mixed, "\n".join(mixed)


def test_english_summaries_keep_ascii_punctuation(capsys):
    assert main(["calc", str(SAMPLES / "shipments_cn_steel.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "Period covered: 2026-01-19 to 2026-12-08 (import dates; year(s) 2026)" in out
    assert "Art 9: auto (DRAFT)" in out and "：" not in out


@pytest.mark.parametrize(
    "argv",
    [
        ["scenario", str(SAMPLES / "shipments_cn_steel.xlsx"), "--compare-instruments"],
        ["scenario", str(SAMPLES / "shipments_cn_steel.xlsx"), "--cbam-factor", "law,proposal-2026-616"],
        ["scenario", str(SAMPLES / "shipments_templates_zh.xlsx"), "--emissions", str(SAMPLES / "templates")],
        ["emissions", str(SAMPLES / "templates")],
    ],
)
def test_chinese_scenario_and_template_texts_use_chinese_punctuation(argv, capsys):
    test_chinese_summaries_use_chinese_punctuation(argv, capsys)
