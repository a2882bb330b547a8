"""Issue 14, "every report says who and when": the exporter given (--exporter), the installations
the input names, the period its lines cover, the date prepared, the reference data's date and the
cbam-calc version, at the top of the text summary, the JSON, the HTML report and the workbook's
Summary, of one file and of a batch; and --check still matches a report checked on another day.

The expected values are read off the sample by hand: samples/shipments_cn_steel.xlsx, sheet
Shipments, has 20 rows dated 2026-01-19 (first) to 2026-12-08 (last), all computed, naming six
installations; the association's computed members date theirs 2026-01-22 to 2026-11-24.
"""

from __future__ import annotations

import json
from importlib.metadata import version

import openpyxl
import pytest
from conftest import SAMPLES

from cbam_calc.cli import main
from cbam_calc.compute.calculate import calculate
from cbam_calc.compute.prepared import DATE_PREPARED_ENV, date_prepared
from cbam_calc.core.errors import OptionError
from cbam_calc.core.labels import label
from cbam_calc.core.sheets import find_sheet

STEEL = SAMPLES / "shipments_cn_steel.xlsx"
EXPORTER = "Hebei Jinhai Export Trading Co., Ltd. 河北金海"
DAY = "2026-11-30"
VERSION = version("cbam-calc")
INSTALLATIONS = [  # the sample's installation column, sorted
    "Handan Yongnian Hengtong Fastener Co., Ltd. (Hebei)",
    "Jiangsu Huaiyang Special Steel Co., Ltd. - scrap EAF plant (Changzhou)",
    "Rizhao Donggang Steel Co., Ltd. (Shandong)",
    "Tangshan Jinhai Iron & Steel Co., Ltd. - No.2 BF-BOF works (Hebei)",
    "Tianjin Haibin Steel Pipe Co., Ltd.",
    "Wuxi Xinghe Steel Structure Co., Ltd. (Jiangsu)",
]


@pytest.fixture(autouse=True)
def dated(monkeypatch):
    monkeypatch.setenv(DATE_PREPARED_ENV, DAY)


def test_summary_prepared_block_of_the_steel_sample(monkeypatch):
    from cbam_calc.core.model import CalcOptions

    s = calculate(STEEL, CalcOptions(exporter=EXPORTER)).summary
    assert s.prepared.model_dump() == {
        "exporter": EXPORTER,
        "installations": INSTALLATIONS,
        "first_import": "2026-01-19",
        "last_import": "2026-12-08",
        "years": [2026],
        "date_prepared": DAY,
        "reference_data_as_of": s.reference_data_as_of,
        "cbam_calc_version": VERSION,
    }
    assert s.reference_data_as_of  # the date cbam data gives (tests/outputs/test_reference_as_of.py)


def test_date_prepared_is_today_unless_given(monkeypatch):
    import datetime

    monkeypatch.delenv(DATE_PREPARED_ENV)
    assert date_prepared() == datetime.date.today().isoformat()
    monkeypatch.setenv(DATE_PREPARED_ENV, "30/11/2026")
    expected = f"{DATE_PREPARED_ENV}='30/11/2026' is not a date: expected YYYY-MM-DD"
    with pytest.raises(OptionError, match=expected):
        date_prepared()
    monkeypatch.setenv(DATE_PREPARED_ENV, "20261130")  # ISO's basic form: not the form asked for
    with pytest.raises(OptionError, match="expected YYYY-MM-DD"):
        date_prepared()


def test_text_summary_says_who_and_when_at_its_top(capsys):
    assert main(["calc", str(STEEL), "--exporter", EXPORTER]) == 0
    top = capsys.readouterr().out.splitlines()[:7]
    assert top[0].startswith(f"cbam-calc {VERSION} | ")
    assert top[1].startswith("Reference data as of 20")
    assert top[2] == f"Exporter: {EXPORTER}"
    assert top[3] == "Installation(s): " + "; ".join(INSTALLATIONS)  # six: all shown
    assert top[4] == "Period covered: 2026-01-19 to 2026-12-08 (import dates; year(s) 2026)"
    assert top[5] == f"Date prepared: {DAY}"
    assert top[6] == "20 lines computed, 0 rejected, of 20 rows read"


def test_text_summary_without_exporter_has_no_exporter_line(capsys):
    assert main(["calc", str(STEEL), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "出口商" not in out and "Exporter" not in out
    assert "涵盖期间：2026-01-19 至 2026-12-08（进口日期；2026 年）" in out
    assert f"编制日期：{DAY}" in out


def test_json_starts_with_who_and_when(capsys):
    assert main(["calc", str(STEEL), "--exporter", EXPORTER, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert next(iter(data)) == "prepared"
    p = data["prepared"]
    assert p["exporter"] == EXPORTER and p["installations"] == INSTALLATIONS
    assert (p["first_import"], p["last_import"], p["years"]) == ("2026-01-19", "2026-12-08", [2026])
    assert p["date_prepared"] == DAY and p["cbam_calc_version"] == VERSION
    assert p["reference_data_as_of"] == data["reference_data_as_of"]


def _summary_rows(path) -> dict:
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb[find_sheet(wb.sheetnames, "summary")]  # named in the report's language
    rows = {}
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if values and values[0] is not None and values[0] not in rows:
            rows[values[0]] = (r, values[1])
    return rows


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_workbook_summary_says_who_and_when_above_the_figures(tmp_path, lang):
    report = tmp_path / "report.xlsx"
    assert main(["report", str(STEEL), "--exporter", EXPORTER, "-o", str(report), "--lang", lang]) == 0
    rows = _summary_rows(report)
    exporter_row, exporter = rows[label("exporter", lang)]
    assert exporter == EXPORTER
    assert rows[label("installations", lang)][1] == "; ".join(INSTALLATIONS)
    years = label("period_value", lang, first="2026-01-19", last="2026-12-08", years="2026")
    assert rows[label("period_covered", lang)][1] == years
    assert rows[label("date_prepared", lang)][1] == DAY
    version_row, shown = rows[label("version", lang)]
    assert shown == VERSION and version_row < rows[label("net_mass_t", lang)][0]  # above the figures
    assert exporter_row < 20  # at the top: under the file and its counts


def test_html_report_says_who_and_when_in_its_header(tmp_path):
    page = tmp_path / "report.html"
    assert main(["report", str(STEEL), "--exporter", EXPORTER, "-o", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    header = text[text.index("<header>") : text.index("</header>")]
    block = header[header.index('<dl class="prepared">') :]
    assert f"<dt>Exporter</dt><dd>{EXPORTER}</dd>" in block
    assert "Tangshan Jinhai Iron &amp; Steel Co., Ltd. - No.2 BF-BOF works (Hebei)" in block  # escaped
    assert "<dd>2026-01-19 to 2026-12-08 (import dates; year(s) 2026)</dd>" in block
    assert f"<dt>Date prepared</dt><dd>{DAY}</dd>" in block
    assert f"<dt>cbam-calc version</dt><dd>{VERSION}</dd>" in block
    assert "<dt>Reference data as of</dt><dd>20" in block


def test_check_on_another_day_matches_and_a_changed_exporter_does_not(tmp_path, monkeypatch, capsys):
    report = tmp_path / "report.xlsx"
    assert main(["report", str(STEEL), "--exporter", EXPORTER, "-o", str(report)]) == 0
    monkeypatch.setenv(DATE_PREPARED_ENV, "2027-03-01")  # checked months later
    assert main(["calc", "--check", str(report)]) == 0, capsys.readouterr().out
    capsys.readouterr()
    wb = openpyxl.load_workbook(report)
    ws = wb["Summary"]
    row = next(r for r in ws.iter_rows() if r[0].value == "Exporter")
    row[1].value = "Someone Else Ltd."
    wb.save(report)
    assert main(["calc", "--check", str(report)]) == 1
    assert "Someone Else Ltd." in capsys.readouterr().out


@pytest.mark.slow  # a batch over a folder
def test_batch_says_who_and_when(tmp_path, capsys):
    assert main(["batch", str(SAMPLES / "association"), "--exporter", EXPORTER, "--format", "json"]) == 0
    p = json.loads(capsys.readouterr().out)["prepared"]
    assert p["exporter"] == EXPORTER
    assert (p["first_import"], p["last_import"], p["years"]) == ("2026-01-22", "2026-11-24", [2026])
    assert p["date_prepared"] == DAY and p["cbam_calc_version"] == VERSION
    assert "佛山南海恒昌铝型材有限公司" in p["installations"] and p["installations"] == sorted(
        p["installations"]
    )
    book = tmp_path / "batch.xlsx"
    assert main(["batch", str(SAMPLES / "association"), "--exporter", EXPORTER, "-o", str(book)]) == 0
    rows = _summary_rows(book)
    assert rows["Exporter"][1] == EXPORTER and rows["Date prepared"][1] == DAY
    assert rows["Period covered"][1] == "2026-01-22 to 2026-11-24 (import dates; year(s) 2026)"
