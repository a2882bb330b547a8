"""Issue 14, "Chinese, completely": every output of every sample rendered with ``--lang zh`` has
no English word outside a small allow-list.

What is rendered: ``cbam calc`` (text), ``cbam report`` (the workbook, every sheet's cells, and
the HTML page's visible text), ``cbam explain`` (every line and rejected row of each sample),
``cbam batch`` of samples/association (text and stderr, workbook, HTML), ``cbam scenario`` of every
sample (text, and the workbook: every sheet's cells; its PNG charts are checked in
test_scenario_png.py). Left out: ``--format json`` (an API: its warnings stay English beside their
codes and parameters, warning_codes / warning_params, from which a program renders them in any
language); the first row of the scenario workbook's Data sheet, the
keys of the scenario table as ``--format json`` names them (what a program reads; each must be one
of those keys).

What may stay English (the allow-list, each entry with its reason):
- the input's own words: every cell of the input file, read here from the input itself (column
  names, importers, installations, notes are kept as given); an output cell equal to an input cell
  is skipped whole, and an input value inside a longer text is cut out of it;
- CN descriptions: the EU publishes them in English and no Chinese source is bundled
  (cbam_calc/data/eu/cn_goods.csv, cut out of the text as whole descriptions);
- legal citations: act names stay English, with a Chinese gloss (the words in CITATION_WORDS);
- the words of ALLOWED: acronyms of the law and markets, units, currency and ISO codes, and the
  option names and values a user types (they are commands, not prose);
- file names and paths (cut out of the text before the check);
- identifiers a user types: the input field names (inputs.columns, ``--column FIELD=HEADER``), the
  unit and mechanism keys of cbam_calc/data/carbon_pricing.yaml (shown beside their Chinese names).

NOT_YET lists, apart from the allow-list, what is known to be still English, each with why: the
test passes with them so that anything new in English fails it; each is work left for issue 14.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from cbam_calc.cli import main
from cbam_calc.core.messages import MESSAGES

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

# Acronyms and codes of the law and the markets (each is how a Chinese manager reads them too).
ACRONYMS = {
    "CBAM", "EU", "ETS", "EUA", "CEA", "CCER", "CNETS", "TARIC", "CN", "SEE", "SEFA", "FAA", "CSCF",
    "BM", "ITMO", "VCS", "EEX", "ECB", "ISO", "HS", "EORI", "PFC", "BF", "BOF", "EAF", "DRI", "NPK",
    "UAN", "CO", "tCO", "CO2e", "tCO2e", "GHG", "JSON", "HTML", "CSV", "UTF", "xlsx", "csv", "cbam",
    "BF-BOF", "DRI-EAF", "html",
}  # fmt: skip
# The UN code for trade and transport locations, named so in the communication template.
ACRONYMS |= {"UN", "LOCODE"}
# Names of programs and file formats a user knows by them.
ACRONYMS |= {"Excel", "PDF", "WPS", "LibreOffice"}
# Currency codes, units and their abbreviations.
UNITS = {"EUR", "CNY", "USD", "t", "kg", "MWh", "GWh", "kWh", "Q1", "Q2", "Q3", "Q4", "N", "P", "R", "M", "W"}
# Words of legal citations: acts are cited by their English titles, each with a Chinese gloss.
CITATION_WORDS = {
    "Regulation", "Implementing", "Delegated", "Directive", "Decision", "Commission", "Art", "Arts",
    "Annex", "Annexes", "Eq", "IR", "CELEX", "Ares", "OJ", "Paris", "point", "and",
    "COM",  # a Commission proposal, COM(2026) 616
}  # fmt: skip
# What a user types: option names and values of the command line (shown as commands to run).
OPTIONS = {"lang", "zh", "en", "on", "off", "auto", "actual", "default", "importer", "per", "file"}
# The symbols of the formulas cbam explain shows (x is the multiplication sign).
SYMBOLS = {"x", "max", "m", "P_ref", "P_paid", "eff", "P_default", "SEE_direct", "SEFA_i", "SHA", "cbam-calc"}
# The Run sheet's name and the key of its record row: the same in every language, since programs
# (cbam calc --check among them) find the run record by them (core.sheets, outputs.run_sheet).
RECORD_NAMES = {"Run", "record_json"}
ALLOWED = ACRONYMS | UNITS | CITATION_WORDS | OPTIONS | SYMBOLS | RECORD_NAMES

# Known to be still English (work left for issue 14), by the text that shows it; not allowed words:
# a line is exempt only where it contains one of these texts.
NOT_YET: dict[str, tuple[str, ...]] = {}
# The routes and table columns the law names by letter (routes A-L, Column A / B of IR 2025/2620),
# the Annexes by number (Annex I-IV of Regulation (EU) 2023/956).
LETTERS = set("ABCDEFGHJKL") | {"I", "II", "III", "IV"}
# The column letters of a spreadsheet where a text names a cell (币种 AP: the column Excel heads AP).
COLUMN_LETTERS = re.compile(r"[A-Z]{1,2}")

# A word: letters, with inner hyphens, apostrophes or underscores; a token with a digit is a code,
# a hash or a unit (2026Q1, tCO2e, SHA-256), not a word.
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_'-]*[A-Za-z0-9]|[A-Za-z]")
PATH = re.compile(
    r"https?://[^\s()）]+|"  # an address (the Commission's page a source names)
    r"(?:[\w.-]*/)+[\w. -]*\.\w+|[\w.-]+\.(?:xlsx|csv|html|parquet|yaml|json)\b"
    r"|(?<![\w/])[A-Za-z_][\w.-]*/(?![\w.-])"  # a folder of the package: reference_prices/
)
# an option, a command or a code the user types (-o report.xlsx, cbam data, `cbam template`)
OPTION = re.compile(r"(?<![\w-])--?[a-z][a-z0-9-]*(?:[ =][\w.=-]+)?|`[^`]*`|\bcbam [a-z]+")


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@cache
def cn_descriptions() -> tuple[str, ...]:
    """The EU's descriptions of CN and TARIC codes (cbam_calc/data/eu/*.csv), published in English,
    and the names of the country tables of IR 2025/2621 Annex I as the act names them."""
    found = {
        r["description"]
        for p in (ROOT / "cbam_calc" / "data" / "eu").glob("*.csv")
        for r in _rows(p)
        if r.get("description")
    }
    found |= {
        r[k] for r in _rows(ROOT / "cbam_calc" / "data" / "countries.csv") for k in r if "table" in k and r[k]
    }
    return tuple(sorted(found, key=len, reverse=True))


@cache
def glossed_names() -> tuple[str, ...]:
    """Names the act gives in English, each shown in Chinese with its gloss beside it: the table
    of countries without one of their own (IR 2025/2621 Annex I, message M_TABLE_OTHER_NAME).
    Only the name WITH its gloss is cut: the bare English name is still found."""
    from cbam_calc.core.messages import Message

    other = {r["country_table"] for r in _rows(ROOT / "cbam_calc" / "data" / "eu" / "default_values.csv")
             if r.get("country_iso2") == "OTHER"}  # fmt: skip
    assert other == {"Other Countries and Territories"}, other
    return tuple(Message("M_TABLE_OTHER_NAME", name=n).text("zh") for n in sorted(other))


@cache
def iso_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (cbam_calc/data/countries.csv)."""
    return frozenset(r["iso2"] for r in _rows(ROOT / "cbam_calc" / "data" / "countries.csv"))


@cache
def citations() -> tuple[str, ...]:
    """The citations and sources the reference data gives, read from its files: reference titles
    (``title``, ``short``, ``citation``, ``source`` in cbam_calc/data/**/*.yaml) and the ``source``
    column of the reference tables (reference_prices/*.csv, cbam_calc/data/**/*.csv). They name
    acts and publications, which stay in English (the explained steps add a Chinese gloss)."""
    from cbam_calc.law.parameters import load_yaml

    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                # "data": what a table's sidecar cites as its source (.meta.yaml source: - data:)
                if k in ("title", "short", "citation", "source", "reference", "data") and isinstance(v, str):
                    found.update(p.strip() for p in re.split(r"\{[^}]*\}", v))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in (ROOT / "cbam_calc" / "data").rglob("*.yaml"):
        walk(load_yaml(path.read_text(encoding="utf-8")))
    for path in [*(ROOT / "reference_prices").glob("*.csv"), *(ROOT / "cbam_calc" / "data").rglob("*.csv")]:
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(line for line in f if not line.startswith("#")):
                if row.get("source"):
                    found.add(row["source"].strip())
                if row.get("source_zh"):  # what it cites in English (test_source_zh_cites_its_source)
                    found.update(cited_in(row["source_zh"]))
    return tuple(sorted((c for c in found if len(c) > 3), key=len, reverse=True))


# A run of a Chinese text without CJK characters: what it keeps in English (a cited name).
CJK_RUN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def cited_in(text_zh: str) -> list[str]:
    """The English runs of a Chinese source text (source_zh of reference_prices/): the names,
    publications and attributions it cites as its English source does."""
    runs = (r.strip(" ;,") for r in CJK_RUN.split(text_zh))
    return [r for r in runs if len(r) > 3 and re.search(r"[A-Za-z]{2}", r)]


def test_source_zh_cites_its_source():
    """source_zh of the price tables (scripts/build_prices.py) is Chinese, and what it keeps in
    English is cited from its row's English source: no English sentence of its own passes as a
    citation above."""
    checked = 0
    for path in (ROOT / "reference_prices").glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(line for line in f if not line.startswith("#")):
                if "source_zh" not in row:
                    break
                checked += 1
                assert CJK_RUN.search(row["source_zh"]), (path.name, row["source_zh"])
                for run in cited_in(row["source_zh"]):
                    assert run in row["source"], (path.name, run)
    assert checked > 400  # cbam_certificate_price.csv and fx_eur_annual.csv


def input_values(*paths: Path) -> set[str]:
    """Every cell of the input files, as text (names from the input are kept as given)."""
    import openpyxl

    values: set[str] = set()
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for p in files:
            if p.suffix == ".csv":
                for enc in ("utf-8-sig", "gb18030", "cp1252"):
                    try:
                        text = p.read_text(encoding=enc)
                        break
                    except UnicodeDecodeError:
                        continue
                for row in csv.reader(text.splitlines()):
                    values.update(c.strip() for c in row if c.strip())
            elif p.suffix == ".xlsx":
                try:
                    book = openpyxl.load_workbook(p, read_only=True, data_only=True)
                except Exception:  # broken_member.xlsx is not a workbook: nothing to read
                    continue
                for ws in book.worksheets:
                    values.add(ws.title)  # a sheet name is the input's own
                    for row in ws.iter_rows(values_only=True):
                        values.update(str(c).strip() for c in row if c is not None and str(c).strip())
                book.close()
        values.update(str(q) for q in [p.resolve() for p in files] + files)  # paths and file names
        values.update(p.name for p in files)
        values.update(p.stem for p in files)  # a batch names each member by its file's name
        values.update((str(path), str(path.resolve())))
    return {v for v in values if len(v) > 1}


def _description_start(cut: str) -> bool:
    start = re.sub(r"^[\s\d]*", "", cut.rstrip("….")).strip()
    return bool(start) and any(d.startswith(start) for d in cn_descriptions())


@cache
def identifiers() -> frozenset[str]:
    """Field names of the input, the instrument keys a user types and the communication
    template's sheet names."""
    from cbam_calc.inputs.columns import COLUMNS
    from cbam_calc.law.parameters import load_yaml

    pricing = load_yaml((ROOT / "cbam_calc" / "data" / "carbon_pricing.yaml").read_text(encoding="utf-8"))
    from cbam_calc.inputs.comm_template import COMMUNICATION, PRODUCTS
    from cbam_calc.inputs.parse import BASIS_ALIASES
    from cbam_calc.law.instruments import COMPLIANCE, VOLUNTARY

    # the sheets of the Commission's communication template, named as the user's template names them
    template_sheets = {COMMUNICATION, PRODUCTS}
    # the codes a column's values are stored as, each shown with its Chinese meaning beside it
    codes = {*BASIS_ALIASES.values(), COMPLIANCE, VOLUNTARY}
    return frozenset(
        {c.name for c in COLUMNS}
        | set(pricing["units"])
        | set(pricing["mechanisms"])
        | template_sheets
        | codes
    )


def not_yet(text: str) -> bool:
    stripped = text.strip()
    return any(stripped == t or (len(t) >= 6 and t in text) for texts in NOT_YET.values() for t in texts)


def english_words(text: str, inputs: set[str]) -> set[str]:
    """The English words of ``text`` outside the allow-list."""
    if text.strip() in inputs or text.strip() in MESSAGES:  # an input value, a message code
        return set()
    if not_yet(text):
        return set()
    if text.lstrip().startswith("{"):  # the run record (Run sheet): a JSON record, an API
        return set()
    # a description cut short in a narrow column ("Of a thickness of 3mm or more bu…"), then whole
    # descriptions and citations: an input value may be a word inside one
    text = re.sub(
        r"[^，：；（）]*(?:…|\.\.\.)", lambda m: " " if _description_start(m.group(0)) else m.group(0), text
    )
    # longest first, whichever kind: a description may hold an input's word, and an installation's
    # name may hold a description's ("... Special Steel Co., Ltd.")
    cuts = {c for c in (*cn_descriptions(), *citations(), *inputs, *glossed_names()) if c in text}
    for cut in sorted(cuts, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(cut)}(?![A-Za-z0-9])", " ", text)
    text = OPTION.sub(" ", PATH.sub(" ", text))
    words = set(WORD.findall(text))
    return {
        w
        for w in words
        if w not in ALLOWED
        and w not in LETTERS
        and not COLUMN_LETTERS.fullmatch(w)
        and w not in iso_codes()
        and w not in identifiers()
        and not re.search(r"\d", w)
    }


def run(argv: list[str], capsys) -> str:
    capsys.readouterr()
    code = main(argv)
    out = capsys.readouterr()
    assert code in (0, 1), out.err
    return out.out + out.err


def xlsx_texts(path: Path) -> list[tuple[str, str]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    found: list[tuple[str, str]] = []
    for ws in book.worksheets:
        found.append((ws.title, ws.title))
        for row in ws.iter_rows(values_only=True):
            found.extend((ws.title, c) for c in row if isinstance(c, str))
    book.close()
    return found


def html_text(path: Path) -> str:
    from html.parser import HTMLParser

    class Visible(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


def collect(found: dict, where: str, texts, inputs: set[str]) -> None:
    for text in texts:
        for line in str(text).splitlines():
            bad = english_words(line, inputs)
            if bad:
                found.setdefault(where, {}).update({w: line.strip()[:160] for w in bad})


# Each sample and the extra inputs it is run with (as samples/README.md runs it).
SAMPLE_RUNS = {
    "shipments_cn_steel.xlsx": ["--carbon-prices", str(SAMPLES / "carbon_prices_zh.xlsx")],
    "shipments_cn_aluminium_zh.xlsx": [],
    "shipments_cement.csv": [],
    "shipments_fertilisers.csv": [],
    "shipments_mixed_actual_default.xlsx": [],
    "shipments_art9_cnets.xlsx": [],
    "shipments_with_errors.csv": [],
    "shipments_templates_zh.xlsx": ["--emissions", str(SAMPLES / "templates")],
}
# Not shipment files: the carbon-prices table and the price path are options of the runs above.
NOT_SHIPMENTS = {"carbon_prices_zh.xlsx", "eua_path.csv"}


def test_every_sample_is_run():
    shipped = {p.name for p in SAMPLES.iterdir() if p.suffix in (".xlsx", ".csv")}
    assert shipped - NOT_SHIPMENTS == set(SAMPLE_RUNS)


def sample_outputs(name: str, tmp_path: Path, capsys) -> dict:
    extra = SAMPLE_RUNS[name]
    path = SAMPLES / name
    inputs = input_values(path, *(Path(a) for a in extra if a.startswith("/")))
    found: dict = {}
    collect(found, "calc text", [run(["calc", str(path), "--lang", "zh", *extra], capsys)], inputs)
    xlsx, html = tmp_path / "report.xlsx", tmp_path / "report.html"
    run(["report", str(path), "--lang", "zh", "-o", str(xlsx), *extra], capsys)
    run(["report", str(path), "--lang", "zh", "-o", str(html), *extra], capsys)
    for sheet, text in xlsx_texts(xlsx):
        collect(found, f"report.xlsx {sheet}", [text], inputs)
    collect(found, "report.html", [html_text(html)], inputs)
    from cbam_calc.compute.calculate import calculate
    from cbam_calc.outputs.explain import explain_line, explain_text
    from cbam_calc.outputs.runs import read_emissions

    options = dict(zip(extra[::2], extra[1::2]))
    templates = read_emissions(options.get("--emissions"))
    rows = calculate(path, templates=templates, carbon_prices=options.get("--carbon-prices"))
    for row in sorted({*rows.lines["row"], *rows.rejected["row"]}):
        text = explain_text(explain_line(rows, int(row), templates), "zh")
        collect(found, f"explain --line {row}", [text], inputs)
    return found


@pytest.mark.parametrize("name", sorted(SAMPLE_RUNS))
def test_sample_outputs_have_no_english_outside_the_allow_list(name, tmp_path, capsys):
    found = sample_outputs(name, tmp_path, capsys)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_batch_outputs_have_no_english_outside_the_allow_list(tmp_path, capsys):
    folder = tmp_path / "association"
    shutil.copytree(SAMPLES / "association", folder)
    inputs = input_values(folder)
    xlsx, html = tmp_path / "association.xlsx", tmp_path / "association.html"
    text = run(["batch", str(folder), "--lang", "zh", "-o", str(xlsx), "--html", str(html)], capsys)
    found: dict = {}
    collect(found, "batch text", [text], inputs)
    for sheet, cell in xlsx_texts(xlsx):
        collect(found, f"association.xlsx {sheet}", [cell], inputs)
    collect(found, "association.html", [html_text(html)], inputs)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


# --currency CNY (issue 14, "In CNY"): the CNY columns, totals, rates tables and notes of calc,
# report and batch, in Chinese too
CNY_SAMPLES = ["shipments_cn_steel.xlsx", "shipments_mixed_actual_default.xlsx"]


@pytest.mark.parametrize("name", CNY_SAMPLES)
def test_cny_outputs_of_calc_and_report_have_no_english_outside_the_allow_list(name, tmp_path, capsys):
    extra = [*SAMPLE_RUNS[name], "--currency", "CNY"]
    path = SAMPLES / name
    inputs = input_values(path, *(Path(a) for a in extra if a.startswith("/")))
    found: dict = {}
    collect(found, "calc text", [run(["calc", str(path), "--lang", "zh", *extra], capsys)], inputs)
    xlsx, html = tmp_path / "report.xlsx", tmp_path / "report.html"
    run(["report", str(path), "--lang", "zh", "-o", str(xlsx), *extra], capsys)
    run(["report", str(path), "--lang", "zh", "-o", str(html), *extra], capsys)
    for sheet, text in xlsx_texts(xlsx):
        collect(found, f"report.xlsx {sheet}", [text], inputs)
    collect(found, "report.html", [html_text(html)], inputs)
    assert "人民币" in html_text(html)  # the CNY figures are there to scan
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_cny_batch_outputs_have_no_english_outside_the_allow_list(tmp_path, capsys):
    folder = tmp_path / "association"
    shutil.copytree(SAMPLES / "association", folder)
    inputs = input_values(folder)
    xlsx, html = tmp_path / "association.xlsx", tmp_path / "association.html"
    argv = ["batch", str(folder), "--lang", "zh", "--currency", "CNY", "-o", str(xlsx), "--html", str(html)]
    text = run(argv, capsys)
    assert "展示汇率" in text  # the CNY figures are there to scan
    found: dict = {}
    collect(found, "batch text", [text], inputs)
    for sheet, cell in xlsx_texts(xlsx):
        collect(found, f"association.xlsx {sheet}", [cell], inputs)
    collect(found, "association.html", [html_text(html)], inputs)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_scanner_finds_an_english_sentence():
    """The check can fail: an English sentence is found, the allowed words are not."""
    assert english_words("总计 the totals row was left out", set()) == {
        "the",
        "totals",
        "row",
        "was",
        "left",
        "out",
    }
    assert english_words("CBAM 成本（EUR）Regulation (EU) 2023/956 Art 9", set()) == set()
    # the act's name of the Other Countries and Territories table: allowed with its gloss only
    assert english_words("国别表 Other Countries and Territories（其他国家和地区）", set()) == set()
    # (bare: 'Other' is a whole CN description, cut as such; its other words are found)
    assert english_words("国别表 Other Countries and Territories", set()) == {"Countries", "Territories"}


def test_a_fatal_error_is_shown_in_the_language_of_the_run(capsys):
    """An input without its required column: the same error, in Chinese with --lang zh (read from
    the command line before the options are parsed), in English as before without it."""
    src = str(SAMPLES / "eua_path.csv")  # a price path, not a shipments file: no cn_code column
    assert main(["calc", src, "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"错误：{src}, 列 'cn_code'：缺少必填列 cn_code（"), err
    assert main(["calc", src]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {src}, column 'cn_code': missing required column cn_code ("), err


def test_legal_citations_stay_english_with_a_chinese_gloss_of_each_act(capsys):
    """cbam explain --lang zh: the sources are cited by the acts' English titles, each act glossed."""
    assert main(["explain", str(SAMPLES / "shipments_cn_steel.xlsx"), "--line", "2", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "[Regulation (EU) 2023/956 Art 21; Implementing Regulation (EU) 2025/2548（" in out
    assert "欧盟碳边境调节机制（CBAM）条例；CBAM 证书价格实施条例）]" in out


def scenario_keys() -> set[str]:
    """The keys of the scenario table (the Data sheet's first row, --format json's keys)."""
    from cbam_calc.outputs.scenario_report import BY_YEAR

    return {c for c, _, _ in BY_YEAR} - {"levy_avoided_per_kcny", "net_saving_per_kcny"} | {
        "levy_avoided_eur_per_cny_ccer",
        "net_saving_eur_per_cny_ccer",
    }


def scenario_outputs(name: str, tmp_path: Path, capsys, *more: str) -> dict:
    """``cbam scenario --lang zh`` of a sample (as samples/README.md runs it): its text, and every
    cell of its workbook."""
    import openpyxl

    from cbam_calc.outputs.scenario_report import sheet_name

    extra = [*SAMPLE_RUNS[name], *more]
    path = SAMPLES / name
    inputs = input_values(path, *(Path(a) for a in extra if a.startswith("/")))
    found: dict = {}
    collect(found, "scenario text", [run(["scenario", str(path), "--lang", "zh", *extra], capsys)], inputs)
    xlsx = tmp_path / "scenario.xlsx"
    said = run(["scenario", str(path), "--lang", "zh", "-o", str(xlsx), *extra], capsys)
    collect(found, "scenario -o", [said.replace(str(xlsx), "")], inputs)  # the path written
    book = openpyxl.load_workbook(xlsx, read_only=True)
    data = sheet_name("data", "zh")
    for ws in book.worksheets:
        collect(found, "scenario.xlsx", [ws.title], inputs)
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            texts = [c for c in row if isinstance(c, str)]
            if ws.title == data and r == 1:
                assert set(texts) <= scenario_keys(), set(texts) - scenario_keys()
                continue
            collect(found, f"scenario.xlsx {ws.title}", texts, inputs)
    book.close()
    return found


@pytest.mark.parametrize("name", sorted(SAMPLE_RUNS))
def test_scenario_outputs_have_no_english_outside_the_allow_list(name, tmp_path, capsys):
    found = scenario_outputs(name, tmp_path, capsys)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_scenario_options_have_no_english_outside_the_allow_list(tmp_path, capsys):
    """The sheets and lines only some runs have: the instrument comparison, a proposal's CBAM
    factor schedule beside the law's, and years after the reference data."""
    more = ["--compare-instruments", "--cbam-factor", "law,proposal-2026-616", "--years", "2026-2036"]
    found = scenario_outputs("shipments_cn_steel.xlsx", tmp_path, capsys, *more)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


# check-zh: the answer of cbam calc --check --lang zh, every difference and note it lists
def _tamper_for_check(report: Path) -> None:
    """A figure, a text, a row and a sheet of a Chinese report changed, a sheet added, and the run
    record's cost and version changed (found by its JSON, not by its label)."""
    import openpyxl

    from cbam_calc.core.labels import label

    wb = openpyxl.load_workbook(report)
    summary, lines = wb.worksheets[0], wb.worksheets[1]
    (cost,) = [r[1] for r in summary.iter_rows() if r[0].value == label("cost_eur", "zh")]
    cost.value += 100
    status = [c.value for c in lines[1]].index("价格状态") + 1
    cell = lines.cell(row=2, column=status)
    cell.value = "已公布" if cell.value == "预测" else "预测"
    lines.delete_rows(lines.max_row)
    del wb[wb.sheetnames[5]]  # a By sheet
    wb.create_sheet("审核备注")  # the importer's own sheet
    for row in wb["Run"].iter_rows():
        cells = [c for c in row[1:] if isinstance(c.value, str)]
        if cells and cells[0].value.startswith('{"') and '"figures"' in cells[0].value:
            record = json.loads("".join(c.value for c in cells))
            record["figures"]["cost_eur"] += 1
            del record["figures"]["rejected"]
            record["cbam_calc_version"] = "0.0.9"
            cells[0].value = json.dumps(record, ensure_ascii=False)
            for c in cells[1:]:
                c.value = None
    wb.save(report)


def test_check_answers_have_no_english_outside_the_allow_list(tmp_path, capsys):
    """cbam calc --check --lang zh of a tampered Chinese report of the steel sample (every kind of
    difference: a figure, a text, a missing row and sheet, the record's figure; the notes: a sheet
    not written, another version), and checked against reference data that changed since (the
    tables named, the lines counted)."""
    from cbam_calc.law.inventory import reference_files
    from cbam_calc.law.reference import DATA_DIR, ReferenceData, prices_dir
    from cbam_calc.outputs.check import check_report

    path = tmp_path / "shipments_cn_steel.xlsx"
    shutil.copy(SAMPLES / path.name, path)
    inputs = input_values(path)
    report = tmp_path / "report.xlsx"
    run(["calc", str(path), "--lang", "zh", "-o", str(report)], capsys)
    _tamper_for_check(report)
    said = run(["calc", "--check", str(report), "--lang", "zh"], capsys)
    assert said.startswith(f"{report}：数据与重新计算的结果不一致"), said
    for part in ("报告为", "报告缺少工作表", "报告中缺少", "运行记录", "注：", "cbam-calc 不写的工作表"):
        assert part in said, (part, said)
    found: dict = {}
    collect(found, "calc --check", [said], inputs | {"Run"})
    # reference data that changed since: a copy of the package's, a law table edited (a comment
    # line first: other bytes, the same figures) and the Q1 2026 certificate price raised (the
    # lines of Q1 move)
    shutil.copytree(DATA_DIR, tmp_path / "data")
    shutil.copytree(prices_dir(), tmp_path / "prices")
    benchmarks = tmp_path / "data" / "eu" / "benchmarks.csv"
    benchmarks.write_text("# edited\n" + benchmarks.read_text(encoding="utf-8"), encoding="utf-8")
    price = tmp_path / "prices" / "cbam_certificate_price.csv"
    text = price.read_text(encoding="utf-8")
    assert "\n2026Q1,75.36," in text
    price.write_text(text.replace("\n2026Q1,75.36,", "\n2026Q1,99.99,"), encoding="utf-8")
    copied = ReferenceData(data_dir=tmp_path / "data", prices_dir=tmp_path / "prices")
    fresh = tmp_path / "fresh.xlsx"
    run(["calc", str(path), "--lang", "zh", "-o", str(fresh)], capsys)
    answer = check_report(fresh, ref=copied).text("zh")
    assert "参考数据与报告当时所用的不同" in answer, answer
    assert "cbam_certificate_price.csv（市场数据）" in answer, answer
    assert "行有变动（第 " in answer and "：证书 " in answer, answer  # the lines that moved
    # each table is named by its path and kind, with the act or source it cites then and now:
    # citations, which stay English (see the module docstring)
    acts = {f.label for f in reference_files(copied)} | {f.label for f in reference_files()}
    run_sheet = {"Run"}  # the Run sheet keeps its name in every language: programs read it
    collect(found, "calc --check, other reference data", [answer], inputs | acts | run_sheet)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("name", ["shipments_cn_steel.xlsx", "shipments_templates_zh.xlsx"])
def test_importer_workbook_has_no_english_outside_the_allow_list(name, tmp_path, capsys):
    """``cbam report --for-importer --lang zh``: Cover, Products, Notes and the Run sheet."""
    extra = SAMPLE_RUNS[name]
    path = SAMPLES / name
    inputs = input_values(path, *(Path(a) for a in extra if a.startswith("/")))
    xlsx = tmp_path / "importer.xlsx"
    said = run(["report", str(path), "--for-importer", "--lang", "zh", "-o", str(xlsx), *extra], capsys)
    found: dict = {}
    collect(found, "report --for-importer", [said.replace(str(xlsx), "")], inputs)
    for sheet, text in xlsx_texts(xlsx):
        collect(found, f"importer.xlsx {sheet}", [text], inputs)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_template_texts_have_no_english_outside_the_allow_list(capsys):
    """``cbam emissions --lang zh`` of the bundled templates: each template's installation, period,
    products, qualifying parameters (by their Chinese names) and cells."""
    folder = SAMPLES / "templates"
    inputs = input_values(*sorted(folder.glob("*.xlsx")))
    found: dict = {}
    collect(found, "emissions", [run(["emissions", str(folder), "--lang", "zh"], capsys)], inputs)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_every_qualifying_parameter_has_a_chinese_name():
    from cbam_calc.inputs.comm_template import QUALIFYING_COLUMNS
    from cbam_calc.outputs.comm_templates import qualifying_names_zh

    fields = {spec[0] for spec in QUALIFYING_COLUMNS}
    assert fields == set(qualifying_names_zh()), fields ^ set(qualifying_names_zh())


def test_input_template_has_no_english_outside_the_allow_list(tmp_path, capsys):
    """``cbam template --lang zh``: its sheets, headers, help and examples. The other headers each
    column accepts (inputs.columns aliases) are headers a user types, English ones among them."""
    from cbam_calc.inputs.columns import COLUMNS

    xlsx = tmp_path / "template.xlsx"
    said = run(["template", "-o", str(xlsx), "--lang", "zh"], capsys)
    aliases = {a for c in COLUMNS for a in c.aliases}
    found: dict = {}
    collect(found, "template", [said.replace(str(xlsx), "")], set())
    for sheet, text in xlsx_texts(xlsx):
        listed = {a.strip() for a in text.split(",")}
        if listed <= aliases | {c.name for c in COLUMNS}:  # the accepted headers of a column
            continue
        collect(found, f"template.xlsx {sheet}", [text], set())
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
