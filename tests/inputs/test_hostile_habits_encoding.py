"""Issue 12, text in another legacy encoding: tests/data/hostile/habits/encoding/
(scripts/corpus/habits_encoding.py), each legacy file beside its UTF-8 equivalent.

Without --encoding a file is UTF-8 (BOM or not, or UTF-16 with a BOM), else GB18030 where the
whole file reads as Chinese, else one line naming the file and suggesting --encoding: never
garbled importer names. With --encoding NAME it is read in NAME: the same lines, EUR and de
minimis groups as the UTF-8 file, and the summary says which encoding was used.
"""

from __future__ import annotations

import json

import pytest
from child import run_cbam
from conftest import REPO
from pydantic import ValidationError

from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import InputFileError, OptionError
from cbam_calc.core.model import CalcOptions, ReadOptions
from cbam_calc.inputs import csv_arrow, encodings
from cbam_calc.inputs.readers import read_table

CORPUS = REPO / "tests" / "data" / "hostile" / "habits" / "encoding"
LEGACY = {"cp1252": "cp1252", "latin1": "latin-1", "shift_jis": "shift_jis", "cp1254": "cp1254"}
NAMES = {
    "cp1252": ["Société Générale Négoce", "Müller Stahlhandel GmbH"],
    "latin1": ["Ørsted Stål A/S", "Fußgänger Métaux SA"],
    "shift_jis": ["株式会社トヨタ通商", "三井物産"],
    "cp1254": ["Ereğli Demir ve Çelik", "İskenderun Demir Çelik"],
    "gbk": ["河北钢铁集团有限公司", "宝山钢铁股份有限公司"],
}
HEADER = "cn_code,country,net_mass_t,import_date,importer\n"


def _opts(encoding: str | None) -> CalcOptions:
    return CalcOptions(read=ReadOptions(encoding=encoding))


def _figures(result) -> tuple:
    s = result.summary
    groups = sorted((g.importer, g.year, g.annex_i_mass_t, g.exempt) for g in s.de_minimis)
    return s.lines, s.rejected, round(s.cost_eur, 6), groups


def _lines(result) -> list[tuple]:
    frame = result.lines
    return sorted(map(tuple, frame[["row", "importer", "net_mass_t"]].astype(str).to_numpy().tolist()))


def test_the_plausible_set_is_the_3755_level1_hanzi_decoded_from_gb2312():
    assert encodings.level1_hanzi() == 3755


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_legacy_file_without_encoding_is_one_line_error_not_garbage(tmp_path, name):
    r = run_cbam(["calc", CORPUS / f"{name}.csv"], tmp_path)
    line = r.one_line_error(names=f"{name}.csv")
    assert "neither UTF-8 nor Chinese GB18030" in line and "--encoding" in line
    assert "cp1252" in line and "shift_jis" in line and "cp1254" in line  # likely names
    assert "line 2 reads" in line  # a sample of what it looked like
    assert r.stdout == "" and not list(tmp_path.iterdir())
    r.bounded()


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_legacy_file_with_its_encoding_equals_the_utf8_file(name):
    got = calculate(CORPUS / f"{name}.csv", _opts(LEGACY[name]))
    want = calculate(CORPUS / f"{name}_utf8.csv")
    assert _figures(got) == _figures(want)
    assert sorted(g.importer for g in got.summary.de_minimis) == sorted(NAMES[name])
    assert _lines(got) == _lines(want)
    assert got.summary.inputs[0].encoding == encodings.codec_name(LEGACY[name])
    assert got.summary.assumptions.reading.encoding == LEGACY[name]
    assert want.summary.inputs[0].encoding == "utf-8" and want.summary.inputs[0].encoding_shown is None


def test_gbk_file_is_read_as_gb18030_without_option_and_says_so(tmp_path):
    got = calculate(CORPUS / "gbk.csv")
    want = calculate(CORPUS / "gbk_utf8.csv")
    assert _figures(got) == _figures(want) and _lines(got) == _lines(want)
    assert sorted(g.importer for g in got.summary.de_minimis) == sorted(NAMES["gbk"])
    r = run_cbam(["calc", CORPUS / "gbk.csv"], tmp_path)
    assert r.code == 0, r.stderr
    assert "gbk.csv | Text encoding: gb18030" in r.stdout.splitlines()[0]


def test_cli_summary_text_json_and_workbook_name_the_encoding(tmp_path):
    import openpyxl

    r = run_cbam(["calc", CORPUS / "cp1254.csv", "--encoding", "cp1254", "-o", "r.xlsx"], tmp_path)
    assert r.code == 0, r.stderr
    assert "cp1254.csv | Text encoding: cp1254" in r.stdout
    assert "İskenderun Demir Çelik" in r.stdout  # the de minimis table, read right
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)["Summary"]
    assert ["Text encoding", "cp1254"] in [list(row[:2]) for row in ws.iter_rows(values_only=True)]
    r = run_cbam(["calc", CORPUS / "cp1254.csv", "--encoding", "cp1254", "--format", "json"], tmp_path)
    doc = json.loads(r.stdout)
    assert doc["inputs"][0]["encoding"] == "cp1254"
    assert doc["assumptions"]["reading"]["encoding"] == "cp1254"


def test_utf8_summary_says_nothing_of_the_encoding(tmp_path):
    r = run_cbam(["calc", CORPUS / "cp1252_utf8.csv"], tmp_path)
    assert r.code == 0 and "Text encoding" not in r.stdout


def test_html_report_names_the_encoding():
    from cbam_calc.outputs.html import calc_html

    html = calc_html(calculate(CORPUS / "shift_jis.csv", _opts("shift_jis")))
    assert "Text encoding: shift_jis" in html
    assert "Text encoding" not in calc_html(calculate(CORPUS / "shift_jis_utf8.csv"))


def test_excel_unicode_text_utf16_tab_separated_equals_the_utf8_file():
    # Excel's "Unicode text": UTF-16 LE with BOM, tabs; the sniffer cannot tell the delimiter
    # (a comma inside one value): the header does
    got = calculate(CORPUS / "utf16_unicode_text.txt")
    want = calculate(CORPUS / "cp1252_utf8.csv")
    assert _figures(got) == _figures(want) and _lines(got) == _lines(want)
    assert got.summary.inputs[0].encoding == "utf-16"


def test_unknown_encoding_name_is_one_line_usage_error(tmp_path):
    r = run_cbam(["calc", CORPUS / "cp1252.csv", "--encoding", "cp99999"], tmp_path)
    line = r.one_line_error(names="--encoding 'cp99999'")
    assert "not a text encoding" in line
    r = run_cbam(["calc", CORPUS / "cp1252.csv", "--encoding", "rot13"], tmp_path)
    r.one_line_error(names="--encoding 'rot13'")
    with pytest.raises(ValidationError):
        ReadOptions(encoding="cp99999")


def test_bytes_that_do_not_decode_in_the_given_encoding_name_line_and_offset(tmp_path):
    data = (CORPUS / "shift_jis.csv").read_bytes()
    r = run_cbam(["calc", CORPUS / "shift_jis.csv", "--encoding", "utf-8"], tmp_path)
    line = r.one_line_error(names="shift_jis.csv, row 2")
    first = next(i for i, b in enumerate(data) if b >= 0x80)
    assert f"byte offset {first:,}" in line and f"0x{data[first]:02X}" in line and "utf-8" in line


def test_undefined_cp1252_byte_past_the_sample_names_its_line(tmp_path):
    body = "".join(f"7208 39 00,CN,1,2026-02-10,Acme {i}\n" for i in range(9000))
    data = (HEADER + body).encode() + b"7208 39 00,CN,1,2026-02-10,Bad \x81 Byte\n"
    assert len(data) > csv_arrow.CSV_SAMPLE_BYTES
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    with pytest.raises(InputFileError) as e:
        read_table(path, read=ReadOptions(encoding="cp1252"))
    offset = data.index(b"\x81")
    assert e.value.row == 9002 and f"byte offset {offset:,}" in str(e.value)
    assert "0x81" in str(e.value)


def test_gbk_after_256_kib_of_ascii_is_read_as_gb18030(tmp_path):
    ascii_rows = "".join(f"7208 39 00,CN,1,2026-02-10,Acme Trading {i % 7}\n" for i in range(9000))
    chinese = "7208 39 00,CN,2,2026-02-11,河北钢铁集团有限公司\n" * 3
    path = tmp_path / "late_gbk.csv"
    path.write_bytes((HEADER + ascii_rows + chinese).encode("gbk"))
    assert path.read_bytes()[: csv_arrow.CSV_SAMPLE_BYTES].isascii()
    raw = read_table(path)
    assert raw.encoding == "gb18030" and len(raw.frame) == 9003
    assert raw.frame["importer"].iloc[-1] == "河北钢铁集团有限公司"


def test_cp1252_after_256_kib_of_ascii_is_refused_naming_its_line(tmp_path):
    ascii_rows = "".join(f"7208 39 00,CN,1,2026-02-10,Acme Trading {i % 7}\n" for i in range(9000))
    late = "7208 39 00,CN,2,2026-02-11,Société Générale Négoce\n"
    path = tmp_path / "late_cp1252.csv"
    path.write_bytes((HEADER + ascii_rows + late).encode("cp1252"))
    r = run_cbam(["calc", path], tmp_path)
    line = r.one_line_error(names="late_cp1252.csv")
    assert "neither UTF-8 nor Chinese GB18030" in line and "line 9002 reads" in line
    got = calculate(path, _opts("cp1252"))
    assert "Société Générale Négoce" in {g.importer for g in got.summary.de_minimis}


def test_a_few_rare_hanzi_among_common_chinese_still_read_as_gb18030(tmp_path):
    # 鑫 is GB2312 level 2: a real Chinese file has some rarer hanzi; 90 % of common ones suffices
    rows = (
        "7208 39 00,CN,2,2026-02-11,鑫达钢铁有限公司\n"
        + "7208 39 00,CN,2,2026-02-11,河北钢铁集团有限公司\n" * 3
    )
    path = tmp_path / "rare.csv"
    path.write_bytes((HEADER + rows).encode("gbk"))
    assert read_table(path).encoding == "gb18030"


def test_utf8_files_never_run_the_gb18030_verdict(tmp_path, monkeypatch):
    def boom(path):
        raise AssertionError("a UTF-8 file paid for the GB18030 verdict")

    monkeypatch.setattr(encodings, "gb18030_verdict", boom)
    for name in ("cp1252_utf8.csv", "gbk_utf8.csv"):
        assert read_table(CORPUS / name).encoding == "utf-8"


def test_prefetch_reads_in_the_given_encoding_and_is_taken_only_for_it():
    path = CORPUS / "cp1252.csv"
    csv_arrow.prefetch(path, "cp1252")
    got = csv_arrow.read(path, str(path), "cp1252")
    assert not csv_arrow._PREFETCHED  # the prefetch was taken
    assert got.encoding == "cp1252" and "Société Générale Négoce" in got.table.column("importer").to_pylist()
    csv_arrow.prefetch(path)  # found, not given: refused as the reader refuses it ...
    got = csv_arrow.read(path, str(path), "cp1252")  # ... and not taken for a read in cp1252
    assert got.encoding == "cp1252"
    with pytest.raises(InputFileError, match="neither UTF-8 nor Chinese GB18030"):
        csv_arrow.read(path, str(path))  # the prefetch made without --encoding, with its error
    csv_arrow.settle()


def test_scenario_yaml_in_cp1252_is_not_read_as_gb18030(tmp_path):
    from cbam_calc.inputs.yaml_safe import read_yaml

    path = tmp_path / "s.yaml"
    path.write_bytes("scenarios:\n  Société:\n    cea_price_cny: 150\n".encode("cp1252"))
    with pytest.raises(OptionError, match="is not UTF-8: save it as UTF-8"):
        read_yaml(path)
    path.write_bytes("scenarios:\n  钢铁高碳价:\n    cea_price_cny: 150\n".encode("gbk"))
    assert "钢铁高碳价" in read_yaml(path)["scenarios"]


def test_check_recomputes_a_report_in_the_recorded_encoding(tmp_path):
    r = run_cbam(["calc", CORPUS / "cp1254.csv", "--encoding", "cp1254", "-o", "r.xlsx"], tmp_path)
    assert r.code == 0, r.stderr
    r = run_cbam(["calc", "--check", "r.xlsx"], tmp_path)
    assert r.code == 0 and "the figures match" in r.stdout, r.stdout + r.stderr
