"""Labels of reports, and message codes, in English and Chinese (``--lang en|zh``).

Labels (LABELS, SECTOR_NAMES, LINE_HEADERS_ZH, PRICE_STATUS_ZH) are the reports' own words, asked
for by key. Messages are what results carry, warnings and reasons of rejected rows: a
:class:`Message` is a code with parameters whose str is its English text (MESSAGES); it is shown in
another language from the gettext catalogue ``cbam_calc/locale/<locale>/LC_MESSAGES/cbam_calc.po``,
read with Babel only when a message is shown in that language. Column names of the user's input
are never translated: they are kept as given.
"""

from __future__ import annotations

import functools
import json
import string
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

LANGS = ("en", "zh")

LABELS: dict[str, tuple[str, str]] = {
    "title": ("CBAM cost report", "CBAM 成本报告"),
    "file": ("Input file", "输入文件"),
    "sheet": ("Sheet", "工作表"),
    "rows_read": ("Rows read", "读取行数"),
    "lines": ("Lines computed", "已计算行数"),
    "rejected": ("Rows rejected", "拒绝行数"),
    "net_mass_t": ("Net mass, t", "净重（吨）"),
    "electricity_mwh": ("Electricity, MWh", "电力（兆瓦时）"),
    "embedded_tco2e": ("Embedded emissions, tCO2e", "隐含排放（tCO2e）"),
    "free_allocation_tco2e": ("Free allocation adjustment, tCO2e", "免费配额调整（tCO2e）"),
    "art9_reduction_tco2e": (
        "Art 9 reduction (carbon price paid), tCO2e",
        "第9条扣减（已付碳价，tCO2e）",
    ),
    "certificates": ("CBAM certificates to surrender", "应缴 CBAM 证书（张，每张1吨CO2e）"),
    "certificates_short": ("certificates", "证书"),
    "cost_eur": ("CBAM cost, EUR", "CBAM 成本（欧元）"),
    "eur_per_t": ("EUR per tonne of goods", "每吨产品欧元"),
    "sector": ("Sector", "行业"),
    "cn_code": ("CN code", "CN 编码"),
    "description": ("Description", "商品描述"),
    "by_sector": ("By sector", "按行业"),
    "by_cn_code": ("By CN code", "按 CN 编码"),
    "total": ("Total", "合计"),
    "assumptions": ("Assumptions", "假设条件"),
    "years": ("Year(s) of import", "进口年份"),
    "year_override": ("Computed as if imported in", "按以下年份进口计算"),
    "cbam_factor": (
        "CBAM factor (share of free allocation remaining)",
        "CBAM 系数（剩余免费配额比例）",
    ),
    "cscf": ("Cross-sectoral correction factor (CSCF)", "跨行业修正系数（CSCF）"),
    "provisional": ("provisional: no published value loaded", "暂定：尚未载入官方数值"),
    "art9_track": ("Art 9 track", "第9条计算路径"),
    "art9_status": ("Art 9 status", "第9条法律状态"),
    "prices": ("Certificate prices used", "使用的证书价格"),
    "price_override": ("Certificate price given by the user", "用户指定的证书价格"),
    "de_minimis": ("De minimis (50 t, Art 2a)", "微量豁免（50吨，第2a条）"),
    "exempt": ("exempt", "豁免"),
    "not_exempt": ("not exempt", "不豁免"),
    "warnings": ("Notes and warnings", "说明与警告"),
    "draft": ("DRAFT rules in force", "采用的草案规则"),
    "version": ("cbam-calc version", "cbam-calc 版本"),
    "reference_sha": ("Reference data SHA-256", "参考数据 SHA-256"),
    "input_sha": ("Input SHA-256", "输入文件 SHA-256"),
    "row": ("Row", "行"),
    "column": ("Column", "列"),
    "value": ("Value", "值"),
    "reason": ("Reason", "原因"),
    "parameter": ("Parameter", "参数"),
    "key": ("Key", "键"),
    "unit": ("Unit", "单位"),
    "status": ("Status", "状态"),
    "source": ("Source", "来源"),
    "effective_from": ("Effective from", "生效日期"),
    "period": ("Period", "期间"),
    "price": ("Price, EUR/tCO2e", "价格（欧元/tCO2e）"),
    "chart_cost_by_sector": ("CBAM cost by sector, EUR", "各行业 CBAM 成本（欧元）"),
    "not_legal_advice": (
        "Estimate for planning. Not legal advice; the Official Journal prevails. Art 9 figures rest "
        "on a draft act.",
        "仅供规划参考的估算，不构成法律意见；以欧盟官方公报为准。第9条数字基于草案。",
    ),
    "rejected_rows": ("Rejected rows", "被拒绝的行"),
    "factor_short": ("CBAM factor", "CBAM 系数"),
    "art9_short": ("Art 9", "第9条"),
    "draft_short": ("DRAFT", "草案"),
    "more_rejected": (
        "… and {n} more: all are in the Rejected sheet of {report}",
        "……另有 {n} 行：全部列在 {report} 的 Rejected 工作表中",
    ),
    "more_rejected_no_report": (
        "… and {n} more: add -o report.xlsx to list them all in its Rejected sheet",
        "……另有 {n} 行：加上 -o report.xlsx，全部列在其 Rejected 工作表中",
    ),
    "computed_lines": (
        "{lines} lines computed, {rejected} rejected, of {rows} rows read",
        "读取 {rows} 行：已计算 {lines} 行，拒绝 {rejected} 行",
    ),
    # report tables, HTML report and batch (cbam report, cbam batch)
    "lines_short": ("Lines", "行数"),
    "country": ("Country of origin", "原产国"),
    "installation": ("Installation", "生产设施"),
    "importer": ("Importer", "进口商"),
    "member": ("Member", "会员"),
    "year": ("Year", "年份"),
    "rank_cost": ("Rank by levy", "按成本排名"),
    "rank_eur_per_t": ("Rank by EUR/t", "按每吨成本排名"),
    "files_count": ("Files", "文件数"),
    "no_importer": ("(no importer given)", "（未填进口商）"),
    "no_installation": ("(no installation given)", "（未填生产设施）"),
    "by_country": ("By country of origin", "按原产国"),
    "by_importer": ("By importer", "按进口商"),
    "by_installation": ("By installation", "按生产设施"),
    "by_member": ("Members, ranked by levy", "会员（按成本排名）"),
    "by_product": ("Products (CN codes), ranked by levy", "产品（CN 编码，按成本排名）"),
    "by_year": ("By year of import", "按进口年份"),
    "chart_cost_by_cn": ("CBAM cost by CN code, EUR", "各 CN 编码 CBAM 成本（欧元）"),
    "chart_cost_by_country": ("CBAM cost by country of origin, EUR", "各原产国 CBAM 成本（欧元）"),
    "chart_cost_by_importer": ("CBAM cost by importer, EUR", "各进口商 CBAM 成本（欧元）"),
    "chart_cost_by_installation": ("CBAM cost by installation, EUR", "各生产设施 CBAM 成本（欧元）"),
    "chart_cost_by_member": ("CBAM cost by member, EUR", "各会员 CBAM 成本（欧元）"),
    "chart_eur_per_t_by_member": ("EUR per tonne of goods, by member", "各会员每吨产品成本（欧元）"),
    "chart_cost_by_product": ("CBAM cost by product (CN code), EUR", "各产品（CN 编码）CBAM 成本（欧元）"),
    "chart_top": ("the {n} highest of {total}", "前 {n} 项，共 {total} 项"),
    "headline": ("Headline figures", "主要数字"),
    "lines_table": ("Lines", "明细行"),
    "shown_of": (
        "The first {shown} of {total} are shown here; the workbook has all of them.",
        "此处显示前 {shown} 行，共 {total} 行；工作簿中列出全部。",
    ),
    "parameters": ("Parameters used, with their sources", "使用的参数及来源"),
    "threshold": ("Threshold, t", "门槛（吨）"),
    "annex_i_mass": ("Annex I goods, t", "附件一货物（吨）"),
    "outcome": ("Outcome", "结果"),
    "batch_title": ("CBAM cost report, consolidated", "CBAM 成本汇总报告"),
    "batch_of": ("{files} files in {where}", "{where} 中的 {files} 个文件"),
    "files": ("Files", "文件"),
    "failed_files": ("Files that could not be computed", "无法计算的文件"),
    "file_status": ("Status", "状态"),
    "status_ok": ("computed", "已计算"),
    "status_failed": ("failed", "失败"),
    "message": ("Message", "信息"),
    "files_summary": (
        "{files} files: {ok} computed, {failed} failed; "
        "{lines} lines computed, {rejected} rejected, of {rows} rows read",
        "{files} 个文件：{ok} 个已计算，{failed} 个失败；"
        "读取 {rows} 行，已计算 {lines} 行，拒绝 {rejected} 行",
    ),
    "rejected_capped": (
        "At most {cap} rejected rows per file are listed; {total} were rejected in all "
        "(cbam report FILE lists every one).",
        "每个文件最多列出 {cap} 行被拒绝的行；共拒绝 {total} 行（cbam report 文件 可列出全部）。",
    ),
    "importers_exempt": ("importers exempt", "豁免的进口商"),
    "importers_not_exempt": ("not exempt", "不豁免"),
    "top_members": ("Members ranked by levy", "会员按成本排名"),
    "top_products": ("Products ranked by levy", "产品按成本排名"),
    "warning_files": ("{n} file(s)", "{n} 个文件"),
    "sha": ("SHA-256", "SHA-256"),
    "report_of": ("Report of", "报告对象"),
    "de_minimis_off": ("not applied (--no-de-minimis)", "未适用（--no-de-minimis）"),
    "art9_reference_prices": ("Art 9 reference prices P_ref, EUR/tCO2e", "第9条参考价格 P_ref（欧元/tCO2e）"),
    "fx_used": ("Exchange rates used, units per EUR", "使用的汇率（每欧元）"),
    "default_carbon_prices": ("Default carbon prices given", "指定的默认碳价"),
    "benchmark_projection": (
        "Benchmarks after 2030 projected (2028-2030 values) for",
        "2030年后基准值为预测（沿用2028-2030年数值）的年份",
    ),
}

SECTOR_NAMES: dict[str, tuple[str, str]] = {
    "iron_steel": ("Iron and steel", "钢铁"),
    "aluminium": ("Aluminium", "铝"),
    "cement": ("Cement", "水泥"),
    "fertilisers": ("Fertilisers", "化肥"),
    "hydrogen": ("Hydrogen", "氢"),
    "electricity": ("Electricity", "电力"),
}


# Chinese headers of the computed columns of the Lines sheet (engine.LINE_COLUMNS); the English
# keys stay in --lines-out files, which programs read.
LINE_HEADERS_ZH: dict[str, str] = {
    "row": "行号",
    "cn_code": "CN 编码",
    "description": "商品描述",
    "sector": "行业",
    "country_iso2": "原产国",
    "year": "计算年份",
    "quarter": "进口季度",
    "import_date_used": "计算所用进口日期",
    "net_mass_t": "净重（吨；电力为兆瓦时）",
    "direct_only": "仅计直接排放（附件II货物）",
    "emissions_data": "排放数据（actual 实际 / default 默认）",
    "default_table": "默认值表",
    "default_table_name": "默认值表名称",
    "default_cn_prefix": "默认值所用 CN 标题",
    "default_markup_rate": "默认值加成比例",
    "see_direct_tco2e_per_t": "单位直接隐含排放（tCO2e/吨）",
    "see_indirect_tco2e_per_t": "单位间接隐含排放（tCO2e/吨）",
    "see_tco2e_per_t": "计入的单位隐含排放（tCO2e/吨）",
    "embedded_tco2e": "隐含排放（tCO2e）",
    "benchmark_column": "基准值列（A 实际数据 / B 默认值）",
    "benchmark_route": "基准值生产路线",
    "benchmark_route_basis": "路线选择依据",
    "benchmark_period": "基准值期间",
    "benchmark_projection": "基准值为推算（2030年后）",
    "benchmark_tco2e_per_t": "CBAM 基准值（tCO2e/吨）",
    "cbam_factor": "CBAM 系数",
    "cscf": "跨行业修正系数 CSCF",
    "precursor_sefa_term_tco2e_per_t": "前体免费配额项（tCO2e/吨）",
    "sefa_tco2e_per_t": "单位隐含免费配额（tCO2e/吨）",
    "free_allocation_tco2e": "免费配额调整（tCO2e）",
    "art9_track": "第9条计算路径（草案）",
    "carbon_price_paid_eur_per_t": "实际已付碳价（欧元/吨货物）",
    "default_carbon_price_eur_per_tco2e": "国家默认碳价（欧元/tCO2e）",
    "reference_price_eur_per_tco2e": "第9条参考价格 P_ref（欧元/tCO2e）",
    "art9_reduction_tco2e": "第9条扣减（tCO2e）",
    "de_minimis_exempt": "50吨微量豁免",
    "certificates": "应缴 CBAM 证书（tCO2e）",
    "price_period": "证书价格期间",
    "price_eur_per_tco2e": "CBAM 证书价格（欧元/tCO2e）",
    "price_status": "价格状态",
    "cost_eur": "CBAM 成本（欧元）",
    "cost_eur_per_t": "每吨 CBAM 成本（欧元/吨）",
    "notes": "备注",
}


def line_headers(columns, lang: str) -> list[str]:
    """Headers of the Lines sheet: computed columns in the report's language, input columns as
    given (an input column named like a computed one is shown as 'input: name')."""
    if lang != "zh":
        return [str(c) for c in columns]
    given = {str(c) for c in columns if c not in LINE_HEADERS_ZH}
    out = []
    for c in columns:
        if c in LINE_HEADERS_ZH:
            zh = LINE_HEADERS_ZH[c]
            out.append(f"{zh}（计算）" if zh in given else zh)  # never two columns of one name
        else:
            out.append(str(c).replace("input: ", "输入: ", 1))
    return out


PRICE_STATUS_ZH = {
    "published": "已公布",
    "recomputed": "按拍卖数据重算",
    "recomputed_partial": "按部分拍卖数据重算",
    "projection": "预测",
    "user": "用户指定",
}


def price_status(status: str, lang: str) -> str:
    return PRICE_STATUS_ZH.get(status, status) if lang == "zh" else status


# ---------------------------------------------------------------------------- message codes
# What results carry (warnings of a run, reasons of rejected rows): a code, its parameters, and its
# English text. The English is written here, once; other languages come from the gettext catalogue
# cbam_calc/locale/<locale>/LC_MESSAGES/cbam_calc.po (msgctxt = the code, msgid = the English
# below, msgstr = the translation), kept current by scripts/update_catalogue.py. A placeholder may
# name a vocabulary after a colon ({status:price_status}): its value is shown in the report's
# language. A list parameter is shown joined by ", "; a Message parameter in the report's language.
MESSAGES: dict[str, str] = {
    # warnings of a run (CalcSummary.warnings, batch warnings)
    "W_CSCF_PROVISIONAL": (
        "CSCF: no published value loaded, 1.0 used (free allocation is an upper bound, "
        "certificates a lower bound)"
    ),
    "W_UNPUBLISHED_PRICES": "certificate prices that are not published figures: {periods}",
    "M_PRICE_PERIOD": "{period} ({status:price_status})",  # an item of {periods}
    "W_NO_IMPORTER": (
        "no importer column: all lines are treated as one importer for the de minimis threshold"
    ),
    "W_REJECTED_ROWS": "rejected rows are not counted towards the de minimis threshold",
    "W_BLANK_ROWS": "{n} empty row(s) skipped",
    "W_TOTALS_ROWS": "{n} totals row(s) at the bottom of the table excluded (row {rows})",
    "W_MASS_IN_KG": "net mass read in kilograms from '{column}' and converted to tonnes",
    "W_YEAR_MOVED": (
        "{n} line(s) dated outside {year} are computed as if imported on the same day of {year} (--year)"
    ),
    "W_PRICE_TERMS_WITHOUT_PRICE": "carbon price currency/basis given without a carbon_price_paid column",
    "W_OTHER_SHEETS": (
        "other sheets also look like shipment tables ({sheets}): only '{sheet}' was read; choose with --sheet"
    ),
    # warnings of cbam scenario
    "W_SCENARIO_ROWS_REJECTED": "{n} input row(s) rejected and left out (run cbam calc for the reasons)",
    "W_SCENARIO_LINES_LEFT_OUT": (
        "{n} line(s) cannot be computed with {emissions} emissions in {year} and are left out"
    ),
    "W_SCENARIO_OUTSIDE_CHINA": (
        "{n} line(s) from outside China carry no domestic carbon price in these scenarios"
    ),
    # reasons of rejected rows: cells (inputs/parse.py)
    "R_NOT_A_NUMBER": "not a number",
    "R_WRONG_UNIT": "the value is in {unit}, the column expects {expected}",
    "R_AMBIGUOUS_DECIMAL": "ambiguous decimal separator: this column mixes 1,5 and 1.5",
    "R_SHARE_RANGE": "a share must be between 0 and 1 (or 0% to 100%)",
    "R_NOT_CN_CODE": "not a CN code: expected 8 digits like 7208 51 20",
    "R_CN_DIGITS": "a CN code has 8 digits, this one has {digits}",
    "R_AMBIGUOUS_CURRENCY": "'{symbol}' is used for {currencies}: write the ISO code (CNY, JPY, USD)",
    "R_NOT_CURRENCY": "not a currency: expected an ISO code like CNY, EUR, USD",
    "R_NOT_BASIS": "expected per_t_good (per tonne of good) or per_tco2e (per tCO2e)",
    "R_NOT_ROUTE": "a production route is one letter: A/B clinker, C-J steel, K/L aluminium",
    "R_NOT_YES_NO": "expected yes or no",
    "R_INVALID_DATE": "not a valid calendar date",
    "R_NUMBER_NOT_DATE": "a number that is not a date",
    "R_AMBIGUOUS_DATE": "ambiguous date: write {first} or {second} (year-month-day)",
    "R_NOT_A_DATE": "not a date: expected year-month-day like 2026-03-14",
    "R_NOT_QUARTER": "not a quarter: expected like 2026Q2",
    # reasons of rejected rows: rows and columns (inputs/readers.py, inputs/validate.py)
    "R_LINE_TOO_MANY_VALUES": (
        "this line has {values} values but the header has {columns} columns: an unquoted comma "
        "(decimal comma?) or a missing column name; quote the value or fix the header"
    ),
    "R_TOTALS_ROW": "totals row, not a shipment: excluded",
    "R_FORMULA_NO_VALUE": (
        "formula without a saved value: open the file in Excel and save it, so that the formula is computed"
    ),
    "R_MISSING_CN_CODE": "missing CN code",
    "R_CN_HEADING": "{heading} is a heading, not an 8-digit CN code: CBAM codes under it: {codes}",
    "R_CN_HEADING_MORE": (
        "{heading} is a heading, not an 8-digit CN code: CBAM codes under it: {codes} and {more} more"
    ),
    "R_CN_NO_LOST_ZERO": (
        "a CN code has 8 digits, this one has {digits}; no CBAM code starts with 0, so this is not a "
        "lost leading zero: check the code"
    ),
    "R_NOT_CBAM_GOOD": "CN {cn} is not a CBAM good (not in Annex I of Regulation (EU) 2023/956)",
    "R_CN_SPLIT": "CN {cn} was split in CN 2026 into {codes}: give the new code",
    "R_MISSING_COUNTRY": "missing country",
    "R_UNKNOWN_COUNTRY": "unknown country: give the ISO code (CN) or the English name",
    "R_EU_MEMBER": "{country} is an EU member state: goods of Union origin are not CBAM imports",
    "R_ANNEX_III": (
        "{country} is listed in Annex III of Regulation (EU) 2023/956: CBAM does not apply to its goods"
    ),
    "R_MISSING_NET_MASS": "missing net mass",
    "R_MASS_NOT_POSITIVE": "net mass must be greater than 0",
    "R_MISSING_IMPORT_DATE": "missing import date",
    "R_MISSING_DATE_OR_QUARTER": "missing import date or quarter",
    "R_QUARTER_CLASH": "the import date is in {date_quarter}, not {quarter}",
    "R_BEFORE_PERIOD": (
        "before the CBAM definitive period (certificates are due for imports from {first_day})"
    ),
    "R_AFTER_LAST_YEAR": "after {last_year}, the last year cbam-calc has reference data for",
    "R_NEGATIVE_EMISSIONS": "emissions cannot be negative",
    "R_INDIRECT_WITHOUT_DIRECT": (
        "see_indirect is given without see_direct: give both actual values, or neither for the default value"
    ),
    "R_NEGATIVE_PRICE_PAID": "a carbon price paid cannot be negative",
    "R_PRICE_NEEDS_CURRENCY": "a carbon price paid needs its currency (carbon_price_currency)",
    "R_PRICE_NEEDS_BASIS": "a carbon price paid needs its basis: per_t_good or per_tco2e",
    "R_NEGATIVE_REBATE": "a rebate cannot be negative",
    "R_NEGATIVE": "cannot be negative",
    "R_PRECURSOR_ACTUAL_ONLY": (
        "precursor free allocation applies to actual data only (IR 2025/2620 Eq 4): give see_direct "
        "or leave the precursor columns blank"
    ),
    "R_PRECURSOR_BOTH": "give precursor_benchmark or precursor_sefa, not both",
    "R_PRECURSOR_NEEDS_BENCHMARK": "a precursor mass needs precursor_benchmark (or precursor_sefa)",
    "R_MISSING_PRECURSOR_MASS": "missing the precursor mass per tonne of good",
    # reasons of rejected rows: the computation (compute/lines.py)
    "R_ELECTRICITY_NEEDS_ACTUAL": (
        "electricity needs its actual emission factor in see_direct (tCO2/MWh): the default grid "
        "factors of IR 2025/2621 Annex III are IEA data under CC BY-NC-SA and are not bundled"
    ),
    "R_INDIRECT_NEEDED": (
        "indirect emissions count for this good (not in Annex II): give see_indirect with see_direct "
        "(0 if there are none)"
    ),
    "R_NO_PRICE": "no certificate price for this period: give one with --price",
    "R_NO_FX_RATE": "no yearly EUR exchange rate for this currency and year: give one with --fx",
}

# Placeholder vocabularies: {value:name} shows value through VOCABULARIES[name](value, lang).
VOCABULARIES: dict[str, Callable[[str, str], str]] = {"price_status": price_status}

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "cbam_calc"
LOCALES = {"zh": "zh_CN"}  # --lang -> gettext locale of the catalogue
LIST_SEPARATOR = ", "


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str, drafts: bool = False) -> dict[tuple[str, str], str]:
    """The catalogue of ``lang``: (code, English) -> translated template. Read with Babel the first
    time a message is shown in that language (never for English, so never at start-up). An entry
    counts only for the English it was made for: a changed English text falls back to English
    until the catalogue is updated. Entries marked fuzzy (drafts not yet reviewed) are left out
    unless ``drafts``, as msgfmt does."""
    if lang not in LOCALES:
        return {}
    from babel.messages.pofile import read_po  # only here: Babel costs ~60 ms to import

    with open(catalogue_path(lang), "rb") as f:
        catalogue = read_po(f, locale=LOCALES[lang], domain=DOMAIN)
    return {
        (m.context, m.id): m.string
        for m in catalogue
        if m.id and m.context and m.string and (drafts or not m.fuzzy)
    }


def template(code: str, lang: str = "en", drafts: bool = False) -> str | None:
    """The template of ``code`` in ``lang`` (None where the catalogue has no text for it)."""
    en = MESSAGES[code]
    if lang == "en" or lang not in LOCALES:
        return en
    return translations(lang, drafts).get((code, en))


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (Message, list, tuple)):
            value = render(value, self.lang)
        if format_spec in VOCABULARIES:
            return VOCABULARIES[format_spec](str(value), self.lang)
        return format(value, format_spec)


@functools.cache
def _has_spec(text: str) -> bool:
    return any(spec for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


def _fill(text: str, params: dict[str, Any], lang: str) -> str:
    if not params:
        return text
    if not _has_spec(text) and all(type(v) in (str, int, float) for v in params.values()):
        return text.format_map(params)  # the common case, in C
    return _Formatter(lang).vformat(text, (), params)


class Message(str):
    """A message: a code and its parameters, rendered in the language asked.

    The str itself is the English text, so results keep their text (JSON, CSV, the Rejected table,
    ``in`` and ``startswith`` work as before) and gain a code: ``m.code``, ``m.params``,
    ``m.text("zh")``. ``Message.plain(text)`` is a message without a code yet: English in every
    language. Build one per distinct message, never one per line."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Message:
        params = {k: _plain(v) for k, v in params.items()}
        return cls._make(code, params, _fill(MESSAGES[code], params, "en"))

    @classmethod
    def _make(cls, code: str, params: dict[str, Any], english: str) -> Message:
        self = str.__new__(cls, english)
        self.code, self.params = code, params
        return self

    @classmethod
    def plain(cls, text: str) -> Message:
        """A message without a code yet: shown as written, in every language."""
        return text if isinstance(text, Message) else cls._make("", {}, str(text))

    def text(self, lang: str = "en", drafts: bool = False) -> str:
        """The message in ``lang``; in English where the catalogue has no text for its code."""
        english = str.__str__(self)
        if lang == "en" or not self.code:
            return english
        t = template(self.code, lang, drafts)
        return english if t is None else _fill(t, self.params, lang)

    def __reduce__(self):  # pickled with its code (batch workers, Dask)
        return (Message._make, (self.code, self.params, str.__str__(self)))

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {str.__repr__(self)})" if self.code else str.__repr__(self)

    def to_json(self) -> dict[str, Any]:
        """{code, params}, nested messages included (the text is kept beside it)."""
        return {"code": self.code, "params": {k: _json(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, text: str, code: str = "", params: dict[str, Any] | None = None) -> Message:
        """The message of a text and its code and params as :meth:`to_json` gives them."""
        if not code or code not in MESSAGES:
            return cls.plain(text)
        return cls._make(code, {k: _unjson(v) for k, v in (params or {}).items()}, str(text))


def _plain(v: Any) -> Any:
    """A parameter as a JSON value: numpy scalars as Python numbers, tuples as lists."""
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalar
        return v.item()
    return v


def _json(v: Any) -> Any:
    if isinstance(v, Message):
        return {"code": v.code, "params": {k: _json(x) for k, x in v.params.items()}}
    if isinstance(v, (list, tuple)):
        return [_json(x) for x in v]
    return v


def _unjson(v: Any) -> Any:
    if isinstance(v, dict) and set(v) == {"code", "params"} and v["code"] in MESSAGES:
        return Message(v["code"], **{k: _unjson(x) for k, x in v["params"].items()})
    if isinstance(v, list):
        return [_unjson(x) for x in v]
    return v


def render(value: Any, lang: str = "en") -> str:
    """A message (or a plain value, a list of them) as shown in ``lang``."""
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(render(v, lang) for v in value)
    return str(value)


def code_of(value: Any) -> str:
    return value.code if isinstance(value, Message) else ""


def params_json(value: Any) -> str:
    """The parameters of a message as JSON text ('' for a value without a code)."""
    if not isinstance(value, Message) or not value.code:
        return ""
    return json.dumps(value.to_json()["params"], ensure_ascii=False, sort_keys=True)


def message_columns(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A column of messages (an object array, as Issues collects them) as three columns of plain
    text for a table: the English text, the code ('' where none) and the parameters as JSON. Done
    once per distinct message, never per row."""
    import numpy as np
    import pandas as pd

    arr = np.asarray(values, dtype=object)
    if not len(arr):
        empty = np.array([], dtype=object)
        return empty, empty.copy(), empty.copy()
    rows, uniques = pd.factorize(arr, use_na_sentinel=False)  # a numpy array keeps the Messages
    texts = np.array([str.__str__(u) if isinstance(u, str) else str(u) for u in uniques], dtype=object)
    codes = np.array([code_of(u) for u in uniques], dtype=object)
    params = np.array([params_json(u) for u in uniques], dtype=object)
    return texts[rows], codes[rows], params[rows]


def render_messages(texts, codes, params, lang: str):
    """Columns of :func:`message_columns` (a table's reason, code, params) as text in ``lang``:
    the English text where the catalogue has none. One rendering per distinct message."""
    import numpy as np
    import pandas as pd

    if lang == "en":
        return texts
    from cbam_calc.core.arrays import factorize_frame

    index = texts.index if isinstance(texts, pd.Series) else None
    key = pd.DataFrame(
        {
            "t": np.asarray(texts, dtype=object),
            "c": np.asarray(codes, dtype=object),
            "p": np.asarray(params, dtype=object),
        }
    )
    rows, uniques = factorize_frame(key)
    shown = np.array(
        [
            Message.from_json(t, c or "", json.loads(p) if isinstance(p, str) and p else None).text(lang)
            for t, c, p in uniques.itertuples(index=False)
        ],
        dtype=object,
    )
    out = shown[rows] if len(key) else np.array([], dtype=object)
    return pd.Series(out, index=index, dtype=object) if index is not None else out


def message_fields(messages) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """Texts, codes and JSON params of messages, for a model's fields (warnings, warning_codes,
    warning_params)."""
    ms = [Message.plain(m) for m in messages]
    return [str.__str__(m) for m in ms], [m.code for m in ms], [m.to_json()["params"] for m in ms]


def messages_of(texts, codes=(), params=()) -> list[Message]:
    """Messages back from the fields :func:`message_fields` gives (codes and params may be
    missing: those messages are shown as written)."""
    codes, params = list(codes), list(params)
    return [
        Message.from_json(t, codes[i] if i < len(codes) else "", params[i] if i < len(params) else None)
        for i, t in enumerate(texts)
    ]


def label(key: str, lang: str = "en", **fmt: object) -> str:
    en, zh = LABELS[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text


def sector_name(sector: str, lang: str = "en") -> str:
    en, zh = SECTOR_NAMES.get(sector, (sector, sector))
    return zh if lang == "zh" else en
