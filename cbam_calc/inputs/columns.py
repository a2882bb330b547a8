"""The input columns cbam-calc understands, with their English and Chinese names.
Long because: every input column, its help in both languages and its header aliases are one table,
written once, here.

Headers are matched after normalisation (Unicode NFKC so full-width brackets and letters become
ASCII, case folded, spaces, underscores, hyphens and dots removed), so ``Net Mass (t)``,
``net_mass_t`` and ``净重（吨）`` all find their column. A quantity header without a unit
(``净重``, ``net mass``) is refused rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str  # how the values are parsed (see inputs.validate)
    help_en: str
    help_zh: str
    example: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    example_zh: str = ""  # the example a Chinese template shows, where it is not ``example``


# Export-side dates: a Chinese exporter's 报关日期 is its export declaration, weeks before the goods
# are released for free circulation in the EU (the date that fixes the CBAM price, Reg 956 Art 21).
# A bare "customs date" / 清关日期 may be either side: read as an export date, so that the run
# stops and asks (--column import_date=... when it is the EU release) instead of mispricing. The
# release in the EU (放行日期, 进口清关日期, release date) is the import date itself.
EXPORT_DATE_ALIASES = (
    "export date",
    "date of export",
    "shipment date",
    "date of shipment",
    "shipping date",
    "ship date",
    "shipped date",
    "etd",
    "departure date",
    "loading date",
    "b/l date",
    "bl date",
    "bill of lading date",
    "on board date",
    "customs date",
    "customs declaration date",
    "declaration date",
    "export declaration date",
    "报关日期",
    "出口日期",
    "出口报关日期",
    "申报日期",
    "装船日期",
    "装运日期",
    "发货日期",
    "出运日期",
    "离港日期",
    "开船日期",
    "提单日期",
    "出口清关日期",
    "清关日期",
)

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "cn_code",
        "cn",
        "8-digit CN code of the good, or its 10-digit TARIC code (spaces or dots allowed; clinker "
        "2523 10 00 10 white / 90 other)",
        "8位CN商品编码或10位TARIC编码（可含空格或点；熟料 2523 10 00 10 白色 / 90 其他）",
        "7208 51 20",
        (
            "cn",
            "cn code",
            "cn8",
            "cn code (8 digits)",
            "commodity code",
            "tariff code",
            "combined nomenclature",
            "goods code",
            "商品编码",
            "海关编码",
            "cn编码",
            "cn编号",
            "税则号",
            "商品代码",
            "税号",
            "海关商品编码",
            "hs编码",
        ),
        required=True,
    ),
    ColumnSpec(
        "country",
        "country",
        "country of origin: ISO code (CN) or name (China, 中国)",
        "原产国：ISO代码（CN）或名称（China、中国）",
        "CN",
        (
            "country of origin",
            "origin",
            "country_of_origin",
            "origin country",
            "country of production",
            "原产国",
            "原产地",
            "国家",
            "生产国",
            "产地",
        ),
        required=True,
    ),
    ColumnSpec(
        "net_mass_t",
        "mass_t",
        "net mass in tonnes (MWh for electricity)",
        "净重，单位吨（电力为兆瓦时）",
        "25.5",
        (
            "net mass (t)",
            "net mass (tonnes)",
            "net mass t",
            "net_mass_tonnes",
            "mass (t)",
            "mass_t",
            "net weight (t)",
            "net weight (tonnes)",
            "quantity (t)",
            "tonnes",
            "quantity (mwh)",
            "净重(吨)",
            "净重(t)",
            "净重（吨）",
            "重量(吨)",
            "数量(吨)",
            "净重(公吨)",
            "电量(mwh)",
        ),
    ),
    ColumnSpec(
        "net_mass_kg",
        "mass_kg",
        "net mass in kilograms (converted to tonnes)",
        "净重，单位千克（自动换算为吨）",
        "25500",
        (
            "net mass (kg)",
            "net weight (kg)",
            "mass (kg)",
            "mass_kg",
            "quantity (kg)",
            "净重(千克)",
            "净重(公斤)",
            "净重(kg)",
            "重量(千克)",
            "重量(kg)",
            "数量(千克)",
        ),
    ),
    ColumnSpec(
        "import_date",
        "date",
        "date of import (release for free circulation)",
        "进口日期（放行进入自由流通之日）",
        "2026-03-14",
        (
            "date of import",
            "import date",
            "date",
            "release date",
            "date of release",
            "eu release date",
            "import clearance date",
            "进口日期",
            "日期",
            "进口时间",
            "进口清关日期",
            "放行日期",
        ),
    ),
    ColumnSpec(
        "export_date",
        "date",
        "date of export (customs declaration, shipment or departure in the country of export): "
        "weeks before the EU import date, so never used as it unless you say so "
        "(--column import_date=HEADER, or --from-export-date DAYS)",
        "出口日期（出口报关、装船或离港之日）：早于欧盟进口日期数周，除非另行指定"
        "（--column import_date=列名 或 --from-export-date 天数），不作为进口日期",
        "2026-02-20",
        EXPORT_DATE_ALIASES,
    ),
    ColumnSpec(
        "quarter",
        "quarter",
        "quarter of import, when there is no date (2026Q2)",
        "进口季度（无日期时填写，如 2026Q2）",
        "2026Q2",
        ("import quarter", "quarter of import", "period", "季度", "进口季度"),
    ),
    ColumnSpec(
        "see_direct",
        "see",
        "actual specific direct emissions, tCO2e per tonne (verified); blank = EU default value",
        "实际直接排放强度，tCO2e/吨（经核查）；留空则用欧盟默认值",
        "1.85",
        (
            "see direct",
            "direct emissions",
            "specific direct emissions",
            "direct see",
            "see_direct (tco2e/t)",
            "direct emissions (tco2e/t)",
            "直接排放",
            "直接排放(tco2e/t)",
            "直接隐含排放",
            "直接排放强度",
            "直接排放量(tco2e/t)",
        ),
    ),
    ColumnSpec(
        "see_indirect",
        "see",
        "actual specific indirect emissions, tCO2e per tonne (counts for cement and fertilisers only)",
        "实际间接排放强度，tCO2e/吨（仅水泥和化肥计入）",
        "0.12",
        (
            "see indirect",
            "indirect emissions",
            "specific indirect emissions",
            "indirect see",
            "see_indirect (tco2e/t)",
            "indirect emissions (tco2e/t)",
            "间接排放",
            "间接排放(tco2e/t)",
            "间接隐含排放",
            "间接排放强度",
            "间接排放量(tco2e/t)",
        ),
    ),
    ColumnSpec(
        "route",
        "route",
        "production route letter (C/D/E steel, K/L aluminium, A/B clinker)",
        "生产路线代码（钢铁C/D/E，铝K/L，熟料A/B）",
        "C",
        ("production route", "route letter", "生产路线", "工艺路线", "路线"),
    ),
    ColumnSpec(
        "installation",
        "text",
        "producing installation (name or ID)",
        "生产设施（名称或编号）",
        "Hebei Steel Plant 2",
        ("installation id", "plant", "facility", "装置", "工厂", "生产设施", "生产厂", "设施"),
        example_zh="河北钢铁二厂",
    ),
    ColumnSpec(
        "importer",
        "text",
        "EU importer / declarant (name or EORI)",
        "欧盟进口商/申报人（名称或EORI）",
        "DE123456789012345",
        ("declarant", "进口商", "申报人", "欧盟进口商"),
    ),
    ColumnSpec(
        "importer_eori",
        "text",
        "EORI number of the EU importer (optional; two-letter country code and up to 15 letters or "
        "digits): cbam batch matches an importer across members' files by it",
        "欧盟进口商的EORI号（可选；两位国家代码加最多15位字母或数字）："
        "cbam batch 据此跨会员文件识别同一进口商",
        "DE123456789012345",
        (
            "eori",
            "importer eori",
            "eori number",
            "eori no",
            "eori code",
            "declarant eori",
            "进口商eori",
            "进口商eori号",
            "eori号",
            "eori号码",
            "eori编号",
            "eori编码",
            "申报人eori",
        ),
    ),
    ColumnSpec(
        "destination",
        "destination",
        "country of destination (optional): ISO code (DE) or name (Germany, 德国), or EU; a line "
        "shipped outside the EU customs territory is no CBAM import",
        "目的国（可选）：ISO代码（DE）或名称（德国），或 EU/欧盟；目的地在欧盟关境外的行不属于CBAM进口",
        "DE",
        (
            "country of destination",
            "destination country",
            "destination_country",
            "dest country",
            "ship to country",
            "目的国",
            "目的地",
            "目的国家",
            "进口国",
            "运抵国",
        ),
    ),
    ColumnSpec(
        "carbon_price_paid",
        "number",
        "carbon price paid in the country of origin (Art 9)",
        "原产国已支付碳价（第9条）",
        "70",
        (
            "carbon price",
            "carbon price paid (art 9)",
            "price paid",
            "已付碳价",
            "已缴碳价",
            "碳价",
            "已支付碳价",
        ),
    ),
    ColumnSpec(
        "carbon_price_currency",
        "currency",
        "currency of the carbon price (CNY, EUR, USD ...)",
        "碳价币种（CNY、EUR、USD…）",
        "CNY",
        ("carbon price currency", "currency", "碳价币种", "币种", "货币"),
    ),
    ColumnSpec(
        "carbon_price_basis",
        "basis",
        "per_t_good (per tonne of good) or per_tco2e",
        "计价基础：per_t_good（每吨产品）或 per_tco2e（每吨二氧化碳当量）",
        "per_tco2e",
        ("carbon price basis", "price basis", "basis", "碳价基础", "碳价计价基础", "计价基础"),
    ),
    ColumnSpec(
        "carbon_price_rebate",
        "number",
        "rebate or compensation received, same currency and basis as the price",
        "获得的返还或补偿（与碳价相同币种和基础）",
        "0",
        ("rebate", "carbon price rebate", "compensation", "碳价返还", "返还", "补偿"),
    ),
    ColumnSpec(
        "carbon_price_free_share",
        "share",
        "share of the priced emissions covered by free allocation at home (0-1 or %)",
        "国内免费配额覆盖的排放比例（0-1 或 %）",
        "0.95",
        (
            "free allocation share",
            "free share",
            "domestic free allocation share",
            "免费配额比例",
            "免费配额占比",
        ),
    ),
    ColumnSpec(
        "carbon_price_evidenced",
        "bool",
        "yes/no: rebates and free allocation are evidenced (no removes the deduction)",
        "是/否：返还和免费配额有证明（否则不予扣减）",
        "yes",
        ("evidenced", "carbon price evidenced", "已证明", "有证明"),
        example_zh="是",  # inputs.parse.TRUE_WORDS
    ),
    ColumnSpec(
        "carbon_price_instrument",
        "instrument",
        "what the carbon price was paid with: ets_allowance, carbon_tax, ccer, cer, itmo, a6_4er, vcs "
        "... or the template's type (National Emissions Trading System, Carbon Tax ...); blank: the "
        "binding carbon price of the country of origin",
        "碳定价工具：ets_allowance（配额）、carbon_tax（碳税）、ccer、cer、itmo、a6_4er、vcs 等，"
        "或模板的类型；空白：原产国的强制性碳价",
        "ccer",
        (
            "instrument",
            "carbon pricing instrument",
            "carbon price instrument",
            "type of instrument (carbon pricing)",
            "type of instrument",
            "carbon unit",
            "credit type",
            "碳定价工具",
            "碳价工具",
            "工具类型",
            "碳信用类型",
        ),
    ),
    ColumnSpec(
        "carbon_price_use",
        "use",
        "compliance (surrendered or paid under the mechanism) or voluntary (retired for a pledge: "
        "reduces nothing); blank: compliance",
        "用途：compliance（合规，在机制内清缴或缴纳）或 voluntary（自愿注销：不予扣减）；空白：合规",
        "compliance",
        ("use", "carbon price use", "credit use", "use of the credit", "用途", "使用用途", "碳信用用途"),
    ),
    ColumnSpec(
        "carbon_price_mechanism",
        "mechanism",
        "the carbon pricing mechanism of the country of origin: cnets, k_ets, uk_ets, gx_ets, "
        "sg_carbon_tax ... (its name or allowance, CEA, KAU, also work)",
        "原产国的碳定价机制：cnets（全国碳市场）、k_ets、uk_ets、gx_ets、sg_carbon_tax 等"
        "（名称或配额名如 CEA 亦可）",
        "cnets",
        (
            "mechanism",
            "carbon pricing mechanism",
            "carbon price mechanism",
            "scheme",
            "机制",
            "碳定价机制",
            "碳市场",
        ),
    ),
    ColumnSpec(
        "carbon_price_share_covered",
        "share",
        "share of the line's embedded emissions the price (or the credits) covers (0-1 or %); "
        "blank: all; caps the credits against the mechanism's offset limit",
        "该碳价（或碳信用）覆盖的隐含排放比例（0-1 或 %）；空白：全部；用于核对机制的抵销上限",
        "0.05",
        (
            "share covered",
            "share of embedded emissions covered",
            "share of total embedded emissions covered by the carbon price",
            "carbon price share covered",
            "覆盖比例",
            "碳价覆盖比例",
            "覆盖排放比例",
        ),
    ),
    ColumnSpec(
        "precursor_mass_t_per_t",
        "see",
        "complex goods, actual data: tonnes of precursor per tonne of good (IR 2620 Eq 4)",
        "复杂产品（实际数据）：每吨产品的前体吨数",
        "1.05",
        ("precursor mass", "precursor mass (t/t)", "前体质量", "前体用量"),
    ),
    ColumnSpec(
        "precursor_sefa_tco2e_per_t",
        "see",
        "complex goods, actual data: the precursor's specific embedded free allocation, tCO2e/t",
        "复杂产品（实际数据）：前体的特定隐含免费配额",
        "1.28",
        ("precursor sefa", "precursor sefa (tco2e/t)", "前体sefa", "前体免费配额"),
    ),
    ColumnSpec(
        "precursor_benchmark_tco2e_per_t",
        "see",
        "complex goods, actual data: the precursor's benchmarks along its production chain, tCO2e "
        "per t of precursor, before the CBAM factor; SEFA_i = CBAM factor x CSCF x this value, so it "
        "stays right in every year (use instead of precursor_sefa)",
        "复杂产品（实际数据）：前体沿生产链的基准值合计（未乘CBAM系数），每年自动乘以当年系数",
        "1.222",
        ("precursor benchmark", "precursor benchmark (tco2e/t)", "前体基准值", "前体基准"),
    ),
)

BY_NAME = {c.name: c for c in COLUMNS}

# Headers that name a quantity without its unit: refused, never guessed.
UNITLESS_QUANTITY = (
    "netmass",
    "mass",
    "netweight",
    "weight",
    "quantity",
    "qty",
    "净重",
    "重量",
    "数量",
)


def normalise_header(text: object) -> str:
    """Header key used for matching: NFKC, case folded, without spaces _ - . and full stops."""
    s = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    s = s.replace("（", "(").replace("）", ")")
    return re.sub(r"[\s_\-.。·:：]+", "", s)


def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for c in COLUMNS:
        for alias in (c.name, *c.aliases):
            index.setdefault(normalise_header(alias), c.name)
    return index


ALIASES = _alias_index()


def canonical_name(header: object) -> str | None:
    """Canonical column for an input header, or None for a column cbam-calc does not use."""
    return ALIASES.get(normalise_header(header))


def is_unitless_quantity(header: object) -> bool:
    return normalise_header(header) in UNITLESS_QUANTITY


def check_fields(mapping: dict[str, str]) -> None:
    """Refuse a --column FIELD that is no field of the input (ValueError: one line, the fields;
    its argument is the Message E_COLUMN_NO_FIELD, whose parameters the command line shows as
    its usage error)."""
    unknown = [f for f in mapping if f not in BY_NAME]
    if unknown:
        from cbam_calc.core.messages import Message

        raise ValueError(
            Message("E_COLUMN_NO_FIELD", field=unknown[0], header=mapping[unknown[0]], fields=list(BY_NAME))
        )


def header_named(headers, wanted: str) -> str | None:
    """The header of ``headers`` the user named: as written, else the one equal after
    normalisation (``Weight`` for ``weight``), else None."""
    headers = [str(h) for h in headers]
    if wanted in headers:
        return wanted
    key = normalise_header(wanted)
    return next((h for h in headers if normalise_header(h) == key), None)


def header_fields(headers, mapping: dict[str, str] | None = None) -> dict[str, str | None]:
    """The field each header is read as: the --column mapping first (a mapped header is that
    field, and a mapped field is read from that header only, whatever else its aliases would
    find), then the automatic recognition (:func:`canonical_name`). A mapped header missing
    from ``headers`` is left out here (:func:`mapped_headers` names it)."""
    mapping = mapping or {}
    named = {header_named(headers, h): f for f, h in mapping.items()}
    out: dict[str, str | None] = {}
    for h in headers:
        h = str(h)
        if h in named:
            out[h] = named[h]
        else:
            c = canonical_name(h)
            out[h] = None if c in mapping else c
    return out
