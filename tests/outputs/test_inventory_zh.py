"""Issue 14, "Chinese, completely": ``cbam data --lang zh`` lists every reference file with its
title, field names and statuses in Chinese; the acts and sources stay as they are cited. The
Chinese titles live in cbam_calc/locale/zh_CN/reference_files.yaml, one per file listed."""

from __future__ import annotations

import json

from cbam_calc.cli import main
from cbam_calc.law.inventory import ReferenceFile, reference_files
from cbam_calc.law.reference import reference_data
from cbam_calc.outputs.inventory import _entry, _status, titles_zh


def _zh_complete():
    """tests/outputs/test_zh_complete.py, its scanner of English words (loaded by path: test
    folders are not packages)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name("test_zh_complete.py")
    spec = importlib.util.spec_from_file_location("zh_complete_scanner", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_listed_file_has_its_chinese_title_and_no_title_names_a_file_not_listed():
    files = reference_files(reference_data(), rows=False)
    titles = titles_zh()
    assert sorted(titles) == sorted(f.path for f in files)
    for f in files:
        assert titles[f.path]["title"].strip(), f.path
        if f.status_detail:  # the data's own words for its status: in Chinese too
            assert titles[f.path].get("status"), f.path


def test_cbam_data_in_chinese_has_no_english_outside_the_citations(capsys):
    collect = _zh_complete().collect

    assert main(["data", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    # the acts, sources, versions and supersessions are citations: as the files give them
    cited = {"cbam_calc/data", "cbam_calc/data/parameters", "reference_prices"}  # the folders
    for f in reference_files(reference_data(), rows=False):
        cited |= {f.act, f.version, f.superseded_by} - {""}
    found: dict = {}
    collect(found, "cbam data --lang zh", out.splitlines(), cited)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    assert "法规表格（cbam_calc/data）" in out and "价格和汇率（reference_prices）" in out


def test_cbam_data_json_and_english_text_are_unchanged_by_the_language(capsys):
    assert main(["data"]) == 0
    english = capsys.readouterr().out
    assert "Law tables (cbam_calc/data)" in english and "status: law" in english
    assert main(["data", "--format", "json", "--lang", "zh"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {f["status"] for f in doc["files"]} >= {"law", "draft", "proposal", "superseded"}


def test_status_of_market_data_keeps_each_count_beside_its_status_in_chinese():
    f = ReferenceFile(
        path="reference_prices/x.csv",
        kind="market data",
        name="x",
        title="x",
        act="",
        status="projection 9, published 3",
        sha256="0",
    )
    assert _status(f, "zh") == "预测 9，已公布 3"
    assert _status(f, "en") == "projection 9, published 3"
    assert _status(f.model_copy(update={"status": "no data rows"}), "zh") == "无数据行"


def test_a_file_whose_bytes_differ_from_the_dated_ones_says_so_in_chinese():
    from cbam_calc.core.messages import Message

    note = Message("M_INV_DATE_STALE", date="2026-11-24", ledger="data/updated.yaml")
    f = ReferenceFile(
        path="eu/benchmarks.csv",
        kind="law table",
        name="b",
        title="b",
        act="IR 2025/2620",
        status="law",
        sha256="0",
        updated_note=note,
    )
    assert f.updated_note_code == "M_INV_DATE_STALE"
    line = _entry(f, "zh")[2]
    assert "更新日期：不明（内容与 data/updated.yaml 中注明日期 2026-11-24 的版本不同）" in line
    assert (
        "updated: unknown (content differs from the version dated 2026-11-24 in data/updated.yaml)"
        in _entry(f, "en")[2]
    )
