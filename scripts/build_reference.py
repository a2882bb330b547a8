#!/usr/bin/env python3
"""Rebuild cbam-calc's EU reference tables from their transcribed sources.

    python scripts/build_reference.py [--source ../shared/data/eu] [--out cbam_calc/data]

Inputs, in --source:

- ir_2026_1740/all_countries_2026_1740.csv  default values of Implementing Regulation (EU) 2025/2621
  Annexes I and IV as replaced by Implementing Regulation (EU) 2026/1740 (121 country tables, the
  Other Countries and Territories table, Annex IV); Commission content (c) European Union, CC BY
  4.0; how it was transcribed and cross-checked: ir_2026_1740/SOURCES.md. The China, Other and
  Annex IV extracts beside it are used to check it.

and, transcribed from the Official Journal by the Apache-2.0 project opencbam (see
cbam_calc/data/eu/NOTICE-opencbam, which must travel with these values):

- cbam_goods_cn.json                    Annex I goods of Regulation (EU) 2023/956 (CBAM Registry list)
- benchmarks_2620.json                  CBAM benchmarks, Implementing Regulation (EU) 2025/2620 Annex
- default_values_2621.json              default values, IR (EU) 2025/2621 Annex I AS FIRST PUBLISHED
- annex_iv_precursor_defaults_2621.json "highest" default values, IR (EU) 2025/2621 Annex IV, idem

The two first-version tables are kept in the package as SUPERSEDED tables (never used to compute;
kept so that a report made with them can be explained).

plus two hand-transcribed tables kept in cbam_calc/data/eu/ (annex_ii_direct_only.csv,
country_status.csv). Country names and ISO codes come from pycountry (ISO 3166-1 with its
Chinese translation), a build-time dependency only.

Outputs: CSV tables with a `<name>.meta.yaml` sidecar each (source, effective date, input hash,
and every correction this script made to the transcription). Output is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import hashlib
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "eu"
DEFAULT_OUT = REPO / "cbam_calc" / "data"

ATTRIBUTION = (
    "Values transcribed from the Official Journal of the European Union by the OpenCBAM Core "
    "project (Copyright 2026 IA Climate Ops, Apache License 2.0; see NOTICE-opencbam and "
    "LICENSE-opencbam in this folder). EU legislative content is reusable under Commission "
    "Decision 2011/833/EU. Not affiliated with or endorsed by the European Union."
)
ATTRIBUTION_1740 = (
    "Default values of Commission Implementing Regulation (EU) 2026/1740, as the Commission "
    "publishes them for information in 'DV correcting act_final update_06.08.xlsx' (Version 2, "
    "6 Aug 2026): content (c) European Union, reused under CC BY 4.0 (Commission Decision "
    "2011/833/EU). Extracted from the MIT-licensed JSON of aquiadi/CBAM-Compilance (generated from "
    "that workbook) and cross-checked against independent transcriptions, as "
    "shared/data/eu/ir_2026_1740/SOURCES.md describes. The Official Journal is binding. Not "
    "affiliated with or endorsed by the European Union."
)
IR_1740 = "ir_2026_1740"
ALL_COUNTRIES_1740 = f"{IR_1740}/all_countries_2026_1740.csv"
CITATION_1740 = "IR 2025/2621 Annex I as amended by IR 2026/1740"
SOURCE_1740 = [
    {
        "act": "Commission Implementing Regulation (EU) 2025/2621 of 16 December 2025, Annex I "
        "(default values) and Annex IV, as replaced by Commission Implementing Regulation (EU) "
        "2026/1740 of 20 July 2026 (OJ L 2026/1740, 31.7.2026; in force 3.8.2026; applies from "
        "1 January 2026)",
        "href": "https://eur-lex.europa.eu/eli/reg_impl/2026/1740/oj",
    },
    {
        "act": "Commission Implementing Regulation (EU) 2025/2621, Annex I introduction (mark-up, "
        "Other Countries and Territories) and Art 1(5) (Annex IV)",
        "href": "https://eur-lex.europa.eu/eli/reg_impl/2025/2621/oj",
    },
]

SECTOR_FROM_TABLE = {
    "Cement": "cement",
    "Fertilisers": "fertilisers",
    "Iron and steel": "iron_steel",
    "Aluminium": "aluminium",
    "Hydrogen": "hydrogen",
}

# IR 2025/2621 Annex I writes some countries differently from ISO 3166-1 (pycountry names).
IR2621_NAME_TO_ISO2 = {
    "Bolivia": "BO",
    "Brunei": "BN",
    "Congo": "CG",
    "Curaçao": "CW",
    "Côte d'Ivoire": "CI",
    "Democratic Republic of the Congo": "CD",
    "Hong Kong": "HK",
    "Iran": "IR",
    "Laos": "LA",
    "Moldova": "MD",
    "Myanmar/Burma": "MM",
    "North Korea": "KP",
    "Russia": "RU",
    "South Korea": "KR",
    "Syria": "SY",
    "Taiwan": "TW",
    "Tanzania": "TZ",
    "Türkiye": "TR",
    "Venezuela": "VE",
    "Vietnam": "VN",
}
OTHER_COUNTRIES = "Other Countries and Territories"

# Extra names users write for a country (English and Chinese), beyond ISO 3166-1 and pycountry's
# Chinese translation. Lower-cased at lookup time.
EXTRA_COUNTRY_ALIASES = {
    "CN": [
        "PRC",
        "P.R. China",
        "P.R.C.",
        "Mainland China",
        "China (Mainland)",
        "中华人民共和国",
        "中国大陆",
        "中国内地",
    ],
    "TW": ["Taiwan", "中国台湾", "台湾", "Chinese Taipei"],
    "HK": ["Hong Kong", "Hong Kong SAR", "中国香港", "香港"],
    "MO": ["Macau", "Macao", "中国澳门", "澳门"],
    "KR": ["Korea", "Republic of Korea", "韩国"],
    "KP": ["DPRK", "朝鲜"],
    "TR": ["Turkey", "Türkiye", "Turkiye"],
    "RU": ["Russia", "俄罗斯"],
    "VN": ["Vietnam", "Viet Nam", "越南"],
    "US": ["USA", "U.S.A.", "United States of America", "America", "美国"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "England", "英国"],
    "AE": ["UAE", "U.A.E.", "阿联酋"],
    "IR": ["Iran", "伊朗"],
    "MD": ["Moldova"],
    "LA": ["Laos", "老挝"],
    "SY": ["Syria", "叙利亚"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "BN": ["Brunei"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa", "刚果（金）", "刚果(金)"],
    "CG": ["Congo-Brazzaville", "刚果（布）", "刚果(布)"],
    "CI": ["Ivory Coast", "Cote d'Ivoire", "科特迪瓦"],
    "MM": ["Burma", "Myanmar/Burma", "缅甸"],
    "CZ": ["Czech Republic", "捷克"],
    "SZ": ["Swaziland"],
    "MK": ["Macedonia", "北马其顿"],
    "IN": ["印度"],
    "JP": ["日本"],
    "DE": ["德国"],
    "SA": ["沙特", "沙特阿拉伯"],
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digits(cn: str) -> str:
    return re.sub(r"\D", "", cn)


def num(token: str | None) -> str:
    """A transcribed value as a plain decimal string; '' for the OJ's dash (no value)."""
    if token is None or token == "DASH":
        return ""
    if token == "NA":
        return ""
    float(token)  # raises on anything that is not a number
    return token


def render_csv(header: list[str], rows: list[list], comments: list[str]) -> str:
    buf = io.StringIO()
    for line in comments:
        buf.write(f"# {line}\n" if line else "#\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list], comments: list[str]) -> None:
    path.write_text(render_csv(header, rows, comments), encoding="utf-8")


def write_meta(path: Path, meta: dict) -> None:
    path.with_suffix(".meta.yaml").write_text(
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )


def read_commented_csv(path: Path) -> list[dict]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines))


# --------------------------------------------------------------------------- Annex II
def annex_ii_flag(cn8: str, rules: list[dict]) -> bool:
    """True when only direct emissions count (Reg 2023/956 Annex II, longest prefix wins)."""
    best = None
    for r in rules:
        if cn8.startswith(r["cn_prefix"]) and (best is None or len(r["cn_prefix"]) > len(best["cn_prefix"])):
            best = r
    return best is not None and best["rule"] == "include"


# --------------------------------------------------------------------------- goods
def build_goods(src: Path, out: Path, benchmarks: list[dict], annex_ii: list[dict]) -> set[str]:
    data = json.loads((src / "cbam_goods_cn.json").read_text(encoding="utf-8"))
    goods = data["goods"]
    rows = {}
    for g in goods:
        cn = g["cn"]
        rows[cn] = [
            cn,
            g["sector"],
            g["category"],
            g["description"].replace("|", ""),
            "in_force",
            "",
        ]
    # CN 2026 split urea 3102 10 10 into 3102 10 12/15/19; IR 2025/2620 and 2025/2621 already use the
    # new codes, the CBAM Registry list still the old one. Keep both, and point the old one forward.
    added = []
    for b in benchmarks:
        cn = digits(b["cn_code"])
        if cn not in rows:
            sector = SECTOR_FROM_TABLE[b["sector"]]
            rows[cn] = [
                cn,
                sector,
                "Urea" if cn.startswith("310210") else b["sector"],
                b["description"],
                "in_force",
                "",
            ]
            added.append(cn)
    superseded = {}
    for cn in list(rows):
        if not any(digits(b["cn_code"]) == cn for b in benchmarks) and rows[cn][1] != "electricity":
            children = sorted(c for c in added if c[:6] == cn[:6])
            if children:
                rows[cn][4] = "superseded"
                rows[cn][5] = "|".join(children)
                superseded[cn] = children
    header = [
        "cn_code",
        "sector",
        "category",
        "description",
        "status",
        "superseded_by",
        "direct_only",
    ]
    table = []
    for cn in sorted(rows):
        r = rows[cn]
        direct_only = annex_ii_flag(cn, annex_ii) or r[1] == "electricity"
        table.append([*r, "true" if direct_only else "false"])
    write_csv(
        out / "cn_goods.csv",
        header,
        table,
        [
            "Goods covered by CBAM: Regulation (EU) 2023/956 Annex I, 8-digit CN codes (CBAM Registry",
            "list 'CL CBAMGoods', Report Structure v23.00), plus the CN 2026 urea codes used by",
            "IR 2025/2620 and IR 2025/2621. direct_only: Annex II of the same Regulation",
            "(annex_ii_direct_only.csv; electricity has no indirect emissions). Built by",
            "scripts/build_reference.py; see cn_goods.meta.yaml for sources and corrections.",
        ],
    )
    write_meta(
        out / "cn_goods.csv",
        {
            "title": "CBAM goods (Annex I) by 8-digit CN code",
            "source": [
                {
                    "act": "Regulation (EU) 2023/956, Annex I and Annex II",
                    "href": "https://eur-lex.europa.eu/eli/reg/2023/956/oj",
                },
                {
                    "act": "CBAM Registry code list 'CL CBAMGoods', Report Structure ver 23.00",
                    "note": data.get("_source", ""),
                },
            ],
            "effective_from": "2026-01-01",
            "attribution": ATTRIBUTION,
            "built_by": "scripts/build_reference.py",
            "inputs": {"cbam_goods_cn.json": sha256(src / "cbam_goods_cn.json")},
            "rows": len(table),
            "corrections": [
                f"added CN 2026 code {cn} (present in IR 2025/2620 and 2025/2621, absent from the "
                "Registry list)"
                for cn in added
            ]
            + [
                f"{cn} marked superseded by {', '.join(ch)} (CN 2026 subdivision)"
                for cn, ch in superseded.items()
            ],
        },
    )
    return set(rows)


# --------------------------------------------------------------------------- benchmarks
def build_benchmarks(src: Path, out: Path) -> list[dict]:
    data = json.loads((src / "benchmarks_2620.json").read_text(encoding="utf-8"))
    table = []
    for b in data:
        cn = digits(b["cn_code"])
        for column, key in (("A", "column_a"), ("B", "column_b")):
            for v in b[key]:
                float(v["value"])
                table.append([cn, column, v["route"] or "", v["year"] or "", v["value"]])
    table.sort()
    write_csv(
        out / "benchmarks.csv",
        ["cn_code", "column", "route", "period", "benchmark_tco2e_per_t"],
        table,
        [
            "CBAM benchmarks for the free allocation adjustment, tCO2e per tonne of good.",
            "Source: Commission Implementing Regulation (EU) 2025/2620, OJ L 22.12.2025, Annex.",
            "column A: for embedded emissions from actual data; column B: for default values.",
            "route: production route letter (C/D/E carbon steel BF-BOF/DRI-EAF/scrap-EAF; F/G/H",
            "low-alloy; J high-alloy; K/L primary/secondary aluminium; A/B grey/white clinker).",
            "period: 1 = applies 2026-2027, 2 = applies 2028-2030, blank = both. Effective 2026-01-01.",
            "Built by scripts/build_reference.py; attribution in benchmarks.meta.yaml.",
        ],
    )
    write_meta(
        out / "benchmarks.csv",
        {
            "title": "CBAM benchmarks (free allocation adjustment)",
            "source": [
                {
                    "act": "Commission Implementing Regulation (EU) 2025/2620, Annex",
                    "href": "https://eur-lex.europa.eu/eli/reg_impl/2025/2620/oj",
                }
            ],
            "effective_from": "2026-01-01",
            "effective_to": "2030-12-31",
            "attribution": ATTRIBUTION,
            "built_by": "scripts/build_reference.py",
            "inputs": {"benchmarks_2620.json": sha256(src / "benchmarks_2620.json")},
            "rows": len(table),
            "corrections": [],
        },
    )
    return data


# --------------------------------------------------------------------------- countries
def read_1740(src: Path) -> list[dict]:
    """The value rows of IR 2026/1740 (every table), as transcribed: see ir_2026_1740/SOURCES.md."""
    with (src / ALL_COUNTRIES_1740).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def table_names(tables_1740: dict[str, str], iso_to_first: dict[str, str]) -> dict[str, str]:
    """ISO code -> name of the country's table: the Commission's name (as in the first version,
    e.g. "Côte d'Ivoire", "South Korea"), matched by ISO code; for a country whose table is new in
    IR 2026/1740, the transcription's name."""
    return {iso: iso_to_first.get(iso, name) for iso, name in tables_1740.items()}


def build_countries(src: Path, out: Path, status_rows: list[dict]) -> dict[str, str]:
    """countries.csv; returns the first version's (IR 2025/2621 as first published) country
    names -> ISO code, which its superseded table needs."""
    import pycountry

    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    tables_1740 = {r["country_iso2"]: r["country_name"] for r in read_1740(src) if r["table"] == "country"}
    defaults = json.loads((src / "default_values_2621.json").read_text(encoding="utf-8"))
    ir_names = sorted({r["country"] for r in defaults} - {OTHER_COUNTRIES})
    ir_to_iso: dict[str, str] = {}
    for name in ir_names:
        iso = IR2621_NAME_TO_ISO2.get(name)
        if iso is None:
            c = pycountry.countries.get(name=name)
            if c is None:
                raise SystemExit(f"cannot map IR 2621 country {name!r} to ISO 3166-1")
            iso = c.alpha_2
        ir_to_iso[name] = iso
    iso_to_ir = {v: k for k, v in ir_to_iso.items()}
    tables_1740 = table_names(tables_1740, iso_to_ir)
    status = {r["iso2"]: r["status"] for r in status_rows}

    table = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        names = [c.name]
        for attr in ("common_name", "official_name"):
            v = getattr(c, attr, None)
            if v and v not in names:
                names.append(v)
        zh_name = zh.gettext(c.name)
        aliases = [*names[1:], *EXTRA_COUNTRY_ALIASES.get(c.alpha_2, [])]
        # the table's name in IR 2026/1740 and in the first version: both are names users write
        for ir_name in (tables_1740.get(c.alpha_2), iso_to_ir.get(c.alpha_2)):
            if ir_name and ir_name not in names:
                aliases.append(ir_name)
        seen: set[str] = set()
        aliases = [a for a in aliases if not (a.lower() in seen or seen.add(a.lower()))]
        table.append(
            [
                c.alpha_2,
                c.alpha_3,
                getattr(c, "common_name", None) or c.name,
                zh_name if zh_name != c.name else "",
                "|".join(aliases),
                tables_1740.get(c.alpha_2, ""),
                status.get(c.alpha_2, "third_country"),
            ]
        )
    write_csv(
        out / "countries.csv",
        ["iso2", "iso3", "name", "name_zh", "aliases", "ir2621_table", "cbam_status"],
        table,
        [
            "Countries and territories of ISO 3166-1 (via pycountry, with its zh_CN translation), the",
            "name of each country's table in IR 2025/2621 Annex I as amended by IR 2026/1740 (blank:",
            "no table of its own, the 'Other Countries and Territories' values apply; the column keeps",
            "its name ir2621_table), and its CBAM status from",
            "eu/country_status.csv (eu_member and annex_iii goods are not CBAM imports).",
            "Built by scripts/build_reference.py.",
        ],
    )
    write_meta(
        out / "countries.csv",
        {
            "title": "Countries: ISO 3166-1 codes, names (en, zh), IR 2025/2621 table, CBAM status",
            "source": [
                {"data": "ISO 3166-1 via pycountry"},
                {
                    "act": "Commission Implementing Regulation (EU) 2025/2621, Annex I (country tables) "
                    "as replaced by Implementing Regulation (EU) 2026/1740",
                    "href": "https://eur-lex.europa.eu/eli/reg_impl/2026/1740/oj",
                },
                {"act": "Regulation (EU) 2023/956 Annex III; Treaty on European Union Art 52"},
            ],
            "built_by": "scripts/build_reference.py",
            "rows": len(table),
            "inputs": {ALL_COUNTRIES_1740: sha256(src / ALL_COUNTRIES_1740)},
            "country_tables": len(tables_1740),
            "ir2621_first_version_name_mapping": dict(sorted(ir_to_iso.items())),
        },
    )
    return ir_to_iso


# --------------------------------------------------------------------------- default values, first version
# IR 2025/2621 Annexes I and IV as first published (OJ 17.12.2025), transcribed by opencbam. Replaced by
# IR 2026/1740 from 1 January 2026: kept as SUPERSEDED tables, never used to compute.
DV_2621_V1 = "default_values_2621_v1.csv"
ANNEX_IV_2621_V1 = "annex_iv_defaults_2621_v1.csv"
SUPERSEDED_BY = {
    "act": "Commission Implementing Regulation (EU) 2026/1740 of 20 July 2026 (OJ L 2026/1740, "
    "31.7.2026), replacing Annexes I and IV of IR 2025/2621",
    "href": "https://eur-lex.europa.eu/eli/reg_impl/2026/1740/oj",
    "from": "2026-01-01",
    "note": "in force 3.8.2026 and applying retroactively from 1.1.2026: no import is computed on "
    "this table any more",
}
SUPERSEDED_USE = (
    "never used to compute; kept so that a report made with it (cbam-calc before the IR 2026/1740 "
    "rebuild) can be explained"
)
CEMENT_ROUTE_BY_NAME = (("grey", "A"), ("white", "B"))
CEMENT_ROUTED_CN = {"25231000", "25239000"}  # clinker and hydraulic cements: grey (A) / white (B)


def cement_route(cn: str, description: str, transcribed: str | None) -> str:
    """IR 2621 gives grey and white variants of clinker and hydraulic cement; their route is the
    clinker grade of IR 2620 (A grey, B white). The transcription sometimes lost or misplaced it."""
    if cn not in CEMENT_ROUTED_CN:
        return ""
    for word, route in CEMENT_ROUTE_BY_NAME:
        if word in description.lower():
            return route
    return transcribed or ""


def marked_check(total: str, marked: list[str], sector: str, markup: dict) -> list[str]:
    """Compare the published marked-up values with total x (1 + mark-up), rounded to 3 decimals."""
    issues = []
    if not total:
        return issues
    rates = markup["fertilisers"] if sector == "fertilisers" else markup["general"]
    for year, value in zip((2026, 2027, 2028), marked):
        if not value:
            issues.append(f"{year}: no marked-up value")
            continue
        rate = rates[max(y for y in rates if y <= year)]
        expected = round(float(total) * (1 + rate) + 1e-12, 3)
        # The Annex rounds the published figures from unrounded bases: a difference of one unit in
        # the third decimal is rounding, not an anomaly.
        if abs(expected - float(value)) > 0.0015:
            issues.append(f"{year}: published {value}, total x (1+{rate}) = {expected:.3f}")
    return issues


def load_markup(params_dir: Path) -> dict:
    doc = yaml.safe_load((params_dir / "default_markup.yaml").read_text(encoding="utf-8"))
    out = {}
    for key, values in doc["values"].items():
        out[key] = {int(str(d)[:4]): float(v) for d, v in values.items()}
    for y in (2027, 2028):
        out["fertilisers"].setdefault(y, out["fertilisers"][2026])
    return out


def build_defaults_2621_v1(src: Path, out: Path, ir_to_iso: dict[str, str], markup: dict) -> None:
    """The first version of Annex I, exactly as cbam-calc shipped it as eu/default_values.csv,
    written to DV_2621_V1 with a header saying it is superseded."""
    rows = json.loads((src / "default_values_2621.json").read_text(encoding="utf-8"))
    corrections: list[str] = []
    anomalies: list[str] = []
    table = []
    route_fixes = Counter()
    for r in rows:
        cn = digits(r["cn_code"])
        sector = SECTOR_FROM_TABLE[r["sector"]]
        route = r["route"] or ""
        if sector == "cement":
            fixed = cement_route(cn, r["description"], r["route"])
            if fixed != route:
                route_fixes[(r["route"], fixed, r["description"])] += 1
                route = fixed
        direct, indirect, total = num(r["direct"]), num(r["indirect"]), num(r["total"])
        marked = [num(r[k]) for k in ("markup_2026", "markup_2027", "markup_2028")]
        where = f"{r['country']} {r['cn_code']} {r['description']!r}"
        if not total and any(marked):
            anomalies.append(
                f"{where}: no base value but marked-up values {marked}; "
                "treated as no value (the Other Countries and Territories value applies)"
            )
            marked = ["", "", ""]
        for issue in marked_check(total, marked, sector, markup):
            anomalies.append(f"{where}: {issue} (published value kept)")
        country = r["country"]
        iso = "" if country == OTHER_COUNTRIES else ir_to_iso[country]
        table.append(
            [
                iso or "OTHER",
                country,
                cn,
                route,
                sector,
                r["description"],
                direct,
                "true" if r["indirect"] == "NA" else "false",
                indirect,
                total,
                *marked,
            ]
        )
    for (old, new, desc), n in sorted(route_fixes.items(), key=lambda kv: str(kv[0])):
        corrections.append(
            f"cement route {old!r} -> {new!r} for {n} rows of {desc!r} "
            "(grey clinker grade = route A, white = route B; IR 2025/2620 Annex)"
        )
    # The same (country, CN, route) must not appear twice.
    keys = Counter((t[0], t[2], t[3]) for t in table)
    dupes = [k for k, n in keys.items() if n > 1]
    if dupes:
        raise SystemExit(f"duplicate default-value keys after route repair: {dupes[:5]}")
    table.sort(key=lambda t: (t[0] != "OTHER", t[0], t[2], t[3]))
    header = [*DEFAULT_VALUE_HEADER, "total_marked_2026", "total_marked_2027", "total_marked_2028"]
    shipped = [
            "Default values of embedded emissions, tCO2e per tonne of good, by country of origin and CN",
            "code (cn_prefix: 4-, 6- or 8-digit heading; match the longest prefix of the declared code).",
            "Source: Commission Implementing Regulation (EU) 2025/2621 of 16 December 2025, Annex I.",
            "total_marked_YYYY: the published default value including the mark-up for imports in that",
            "year (2028: 2028 and later). A blank value is the Annex's dash: no value, and the table",
            "'Other Countries and Territories' (country_iso2 OTHER) applies, as it does for countries",
            "without a table. indirect_not_applicable: the Annex shows N/A (direct-only goods).",
            "Effective from 2026-01-01. Built by scripts/build_reference.py; corrections and anomalies",
            "found in the transcription are listed in default_values.meta.yaml.",
    ]  # fmt: skip
    write_csv(
        out / DV_2621_V1,
        header,
        table,
        [
            "SUPERSEDED: IR 2025/2621 Annex I as first published, replaced by IR 2026/1740 from",
            "2026-01-01 (see eu/default_values.csv). Never used to compute: kept so that a report made",
            "with it can be explained. As shipped before the rebuild (eu/default_values.csv):",
            "",
            *shipped,
        ],
    )
    write_meta(
        out / DV_2621_V1,
        {
            "title": "SUPERSEDED: IR 2025/2621 Annex I default values by country and CN code, as first "
            "published",
            "status": "superseded",
            "superseded_by": {**SUPERSEDED_BY, "table": "eu/default_values.csv"},
            "use": SUPERSEDED_USE,
            "shipped_as": {
                "file": "eu/default_values.csv",
                "sha256": hashlib.sha256(render_csv(header, table, shipped).encode()).hexdigest(),
            },
            "source": [
                {
                    "act": "Commission Implementing Regulation (EU) 2025/2621, Annex I (OJ L 17.12.2025)",
                    "href": "https://eur-lex.europa.eu/eli/reg_impl/2025/2621/oj",
                }
            ],
            "effective_from": "2026-01-01",
            "attribution": ATTRIBUTION,
            "built_by": "scripts/build_reference.py",
            "inputs": {"default_values_2621.json": sha256(src / "default_values_2621.json")},
            "rows": len(table),
            "fallback_rule": (
                "Annex I: where a country is not listed, or is listed without a value "
                "(dash), the 'Other Countries and Territories' value applies."
            ),
            "known_defects": [  # found by scripts/check_commission_workbooks.py; kept as cbam-calc used it
                "no combined route indicator: the (C)/(F) and (E)/(H) of the Commission's first "
                "workbook are blank here on 7227, 7228 30, 7228 50, 7229 and 7304 59 (every table that "
                "has them) and on Brazil's 7228 70 and 7304 39",
                "four value rows of the first workbook are missing (Congo, Ecuador and Qatar 2804 10 00, "
                "Chile 7306 11 00): the Other Countries and Territories value was used",
                "the marked-up columns are as published; in 461 rows they are not the printed total x "
                "(1 + mark-up): computed from unrounded base values, and in 5 (cement of Angola and "
                "Argentina) the mark-up is compounded (2027 = 2026 x 1.1)",
            ],
            "corrections": corrections,
            "anomalies": anomalies,
        },
    )


def build_annex_iv_2621_v1(src: Path, out: Path, markup: dict) -> None:
    """The first version of Annex IV as cbam-calc shipped it (eu/annex_iv_defaults.csv), written to
    ANNEX_IV_2621_V1 with a header saying it is superseded."""
    rows = json.loads((src / "annex_iv_precursor_defaults_2621.json").read_text(encoding="utf-8"))
    table, anomalies = [], []
    for r in rows:
        cn = digits(r["cn_code"])
        sector = SECTOR_FROM_TABLE[r["sector"]]
        route = cement_route(cn, r["description"], r["route"]) if sector == "cement" else (r["route"] or "")
        marked = [num(r[k]) for k in ("markup_2026", "markup_2027", "markup_2028")]
        for issue in marked_check(num(r["highest"]), marked, sector, markup):
            anomalies.append(f"{r['cn_code']} {r['description']!r}: {issue} (published value kept)")
        table.append([cn, route, sector, r["description"], num(r["highest"]), *marked])
    table.sort(key=lambda t: (t[0], t[1]))
    header = [
        "cn_prefix",
        "route",
        "sector",
        "description",
        "highest_tco2e_per_t",
        "total_marked_2026",
        "total_marked_2027",
        "total_marked_2028",
    ]
    shipped = [
        "Highest default values (tCO2e per tonne) for goods whose country of production cannot be",
        "identified. Source: Commission Implementing Regulation (EU) 2025/2621, Annex IV (Art 1(5)).",
        "Effective from 2026-01-01. Built by scripts/build_reference.py.",
    ]
    write_csv(
        out / ANNEX_IV_2621_V1,
        header,
        table,
        [
            "SUPERSEDED: IR 2025/2621 Annex IV as first published, replaced by IR 2026/1740 from",
            "2026-01-01 (see eu/annex_iv_defaults.csv). Never used to compute: kept so that a report",
            "made with it can be explained. As shipped before the rebuild (eu/annex_iv_defaults.csv):",
            "",
            *shipped,
        ],
    )
    write_meta(
        out / ANNEX_IV_2621_V1,
        {
            "title": "SUPERSEDED: IR 2025/2621 Annex IV highest default values, as first published",
            "status": "superseded",
            "superseded_by": {**SUPERSEDED_BY, "table": "eu/annex_iv_defaults.csv"},
            "use": SUPERSEDED_USE,
            "shipped_as": {
                "file": "eu/annex_iv_defaults.csv",
                "sha256": hashlib.sha256(render_csv(header, table, shipped).encode()).hexdigest(),
            },
            "source": [
                {
                    "act": "Commission Implementing Regulation (EU) 2025/2621, Art 1(5) and Annex IV",
                    "href": "https://eur-lex.europa.eu/eli/reg_impl/2025/2621/oj",
                }
            ],
            "effective_from": "2026-01-01",
            "attribution": ATTRIBUTION,
            "built_by": "scripts/build_reference.py",
            "inputs": {
                "annex_iv_precursor_defaults_2621.json": sha256(src / "annex_iv_precursor_defaults_2621.json")
            },
            "rows": len(table),
            "anomalies": anomalies,
        },
    )


# --------------------------------------------------------------------------- default values (IR 2026/1740)
DEFAULT_VALUE_HEADER = [
    "country_iso2",
    "country_table",
    "cn_prefix",
    "route",
    "sector",
    "description",
    "direct_tco2e_per_t",
    "indirect_not_applicable",
    "indirect_tco2e_per_t",
    "total_tco2e_per_t",
]
THREE_DECIMALS = re.compile(r"\d+\.\d{3}")
ROUTE_INDICATOR = re.compile(r"[A-HJ-L](/[A-HJ-L])*")  # as printed: "C", "C/F" for "(C)/(F)"; blank: none
EXTRACTS_1740 = {  # the one-table extracts beside the full table, used to check it
    "country:CN": f"{IR_1740}/china_2026_1740.csv",
    "other:": f"{IR_1740}/other_countries_and_territories_2026_1740.csv",
}
ANNEX_IV_1740 = f"{IR_1740}/annex_iv_2026_1740.csv"


def value(token: str, where: str, required: bool) -> str:
    """A published value as written: 3 decimals; '' for none."""
    if token == "" and not required:
        return ""
    if not THREE_DECIMALS.fullmatch(token):
        raise SystemExit(f"{ALL_COUNTRIES_1740}: {where}: {token!r} is not a value with 3 decimals")
    return token


def load_rounding(params_dir: Path) -> dict:
    doc = yaml.safe_load((params_dir / "default_markup.yaml").read_text(encoding="utf-8"))
    return doc["rounding"]


def check_extracts(src: Path, rows: list[dict]) -> list[str]:
    """The China, Other Countries and Annex IV extracts say what the full table says (value rows)."""
    done = []
    for key, rel in EXTRACTS_1740.items():
        table, iso = key.split(":")
        full = {
            r["cn_code"]: (r["direct"], r["indirect"], r["total"], r["route"])
            for r in rows
            if r["table"] == table and r["country_iso2"] == iso
        }
        part = {
            r["cn_code"]: (r["direct"], r["indirect"], r["total"], r["route"])
            for r in read_commented_csv(src / rel)
            if r["row_type"] == "value"
        }
        if full != part:
            differ = sorted(set(full.items()) ^ set(part.items()))[:5]
            raise SystemExit(f"{rel} and {ALL_COUNTRIES_1740} disagree: {differ}")
        done.append(f"{rel}: {len(part)} value rows identical to the full table")
    full = {r["cn_code"]: (r["total"], r["route"]) for r in rows if r["table"] == "annex_iv"}
    part = {
        r["cn_code"]: (r["highest_value"], r["route"])
        for r in read_commented_csv(src / ANNEX_IV_1740)
        if r["row_type"] == "value"
    }
    if full != part:
        raise SystemExit(f"{ANNEX_IV_1740} and {ALL_COUNTRIES_1740} disagree")
    done.append(f"{ANNEX_IV_1740}: {len(part)} value rows identical to the full table")
    return done


def taric_keyed(table: list[list], code_at: int, description_at: int, route_at: int) -> list[dict]:
    """The goods keyed on a 10-digit TARIC code. Their 8-digit CN code carries no value, and no
    shorter heading of a table may cover them (they match their TARIC code only)."""
    tarics = sorted({t[code_at] for t in table if len(t[code_at]) == 10})
    for t in table:
        code = t[code_at]
        if len(code) < 10 and any(x.startswith(code) for x in tarics):
            raise SystemExit(f"{ALL_COUNTRIES_1740}: {code} covers the TARIC-keyed goods {tarics}")
    out = []
    for x in tarics:
        rows = [t for t in table if t[code_at] == x]
        routes = sorted({t[route_at] for t in rows})
        if len(routes) != 1:
            raise SystemExit(f"{ALL_COUNTRIES_1740}: TARIC {x} has route indicators {routes}")
        out.append(
            {
                "taric_code": x,
                "cn_code": x[:8],
                "route": routes[0],
                "description": Counter(t[description_at] for t in rows).most_common(1)[0][0],
            }
        )
    return out


def build_defaults(src: Path, out: Path, params_dir: Path, ir_to_iso: dict[str, str]) -> None:
    rows = read_1740(src)
    names = table_names(
        {r["country_iso2"]: r["country_name"] for r in rows if r["table"] == "country"},
        {iso: name for name, iso in ir_to_iso.items()},
    )
    checks = check_extracts(src, rows)
    table = []
    for r in rows:
        if r["table"] == "annex_iv":
            continue
        cn, route = r["cn_code"], r["route"]
        where = f"{r['country_name']} {cn}"
        if not (cn.isdigit() and len(cn) in (4, 6, 8, 10)):
            raise SystemExit(f"{ALL_COUNTRIES_1740}: {where}: not a CN heading or TARIC code")
        if route and not ROUTE_INDICATOR.fullmatch(route):
            raise SystemExit(f"{ALL_COUNTRIES_1740}: {where}: route indicator {route!r}")
        direct = value(r["direct"], where, True)
        indirect = value(r["indirect"], where, False)
        total = value(r["total"], where, True)
        if not indirect and direct != total:  # no indirect value: a direct-only good, direct = total
            raise SystemExit(f"{ALL_COUNTRIES_1740}: {where}: no indirect value but direct != total")
        other = r["table"] == "other"
        table.append(
            [
                "OTHER" if other else r["country_iso2"],
                OTHER_COUNTRIES if other else names[r["country_iso2"]],
                cn,
                route,
                r["sector"],
                r["description"],
                direct,
                "true" if not indirect else "false",
                indirect,
                total,
            ]
        )
    keys = Counter((t[0], t[2]) for t in table)
    dupes = [k for k, n in keys.items() if n > 1]
    if dupes:
        raise SystemExit(f"{ALL_COUNTRIES_1740}: a code listed twice in one table: {dupes[:5]}")
    table.sort(key=lambda t: (t[0] != "OTHER", t[0], t[2]))
    tarics = taric_keyed(table, 2, 5, 3)
    countries = sorted({t[0] for t in table} - {"OTHER"})
    rounding = load_rounding(params_dir)
    summed = sum(1 for t in table if t[8] and abs(float(t[6]) + float(t[8]) - float(t[9])) > 1e-9)
    write_csv(
        out / "default_values.csv",
        DEFAULT_VALUE_HEADER,
        table,
        [
            "Default values of embedded emissions, tCO2e per tonne of good, by country of origin and CN",
            "or TARIC code: BASE values as published, without the mark-up. cn_prefix: a 4-, 6- or",
            "8-digit CN heading (match the longest prefix of the declared code) or a 10-digit TARIC",
            "code (clinker, hydraulic cements, calcined clay: matched on the TARIC code only).",
            f"Source: {CITATION_1740}",
            "(Implementing Regulation (EU) 2026/1740, OJ L 31.7.2026), applying from 2026-01-01.",
            "route: the production route indicator printed with the value",
            "('C/F' for '(C)/(F)'; blank: none, the benchmark does not depend on the route).",
            "A code absent from a country's table (a dash in the Annex), and every code of a country",
            "without a table, takes the 'Other Countries and Territories' value (country_iso2 OTHER).",
            "indirect_not_applicable: no indirect value is published (direct-only goods, direct = total).",
            "The mark-up of the year (parameters/default_markup.yaml) is applied by cbam-calc to the",
            "total, or to the direct value for Annex II goods, and rounded: see default_values.meta.yaml.",
            "Built by scripts/build_reference.py.",
        ],
    )
    write_meta(
        out / "default_values.csv",
        {
            "title": f"Default values by country and CN or TARIC code: {CITATION_1740}",
            "citation": CITATION_1740,
            "status": "law",
            "version": "IR 2025/2621 Annexes I and IV as replaced by IR 2026/1740",
            "source": SOURCE_1740,
            "adopted": "2026-07-20",
            "published": "2026-07-31",
            "in_force": "2026-08-03",
            "effective_from": "2026-01-01",
            "supersedes": {
                "table": f"eu/{DV_2621_V1}",
                "act": "IR 2025/2621 Annex I as first published (OJ L 17.12.2025)",
            },
            "attribution": ATTRIBUTION_1740,
            "built_by": "scripts/build_reference.py",
            "inputs": {
                ALL_COUNTRIES_1740: sha256(src / ALL_COUNTRIES_1740),
                **{rel: sha256(src / rel) for rel in EXTRACTS_1740.values()},
            },
            "rows": len(table),
            "country_tables": len(countries),
            "table_names": "the Commission's country names (as in the first version, matched by ISO "
            "code); for the tables new in IR 2026/1740, the transcription's: "
            + ", ".join(f"{iso} {names[iso]}" for iso in countries if iso not in ir_to_iso.values()),
            "values": "base values as published (3 decimals), no mark-up; the published marked-up "
            "columns were deleted by IR 2026/1740 (recital 10)",
            "markup": {
                "rates": "parameters/default_markup.yaml (10 % 2026, 20 % 2027, 30 % from 2028; "
                "fertilisers 1 %)",
                "applied_to": "the published total for goods outside Annex II of Regulation (EU) "
                "2023/956; the published direct value for Annex II goods; never direct + indirect "
                f"(rounded separately: they differ from the total in {summed} of the rows with an "
                "indirect value)",
                "rounding": f"{rounding['mode']}, {rounding['decimals']} decimals ({rounding['status']}): "
                + " ".join(str(rounding["text"]).split()),
            },
            "route_indicator": "as printed with the value: one letter, or a combined indicator "
            "written 'C/F' for '(C)/(F)'; blank: none",
            "taric_keyed": tarics,
            "fallback_rule": "IR 2025/2621 Annex I introduction: a code absent from a country's table "
            "(a dash), or a country without a table, takes the 'Other Countries and Territories' "
            "value. Grey and white clinker and cements are distinct TARIC goods: a country listing "
            "only one grade has no value for the other.",
            "checks": checks,
            "corrections": [],
        },
    )


def build_annex_iv(src: Path, out: Path) -> None:
    table = []
    for r in read_1740(src):
        if r["table"] != "annex_iv":
            continue
        cn, route = r["cn_code"], r["route"]
        if route and not ROUTE_INDICATOR.fullmatch(route):
            raise SystemExit(f"{ALL_COUNTRIES_1740}: Annex IV {cn}: route indicator {route!r}")
        table.append([cn, route, r["sector"], r["description"], value(r["total"], f"Annex IV {cn}", True)])
    if len({t[0] for t in table}) != len(table):
        raise SystemExit(f"{ALL_COUNTRIES_1740}: Annex IV lists a code twice")
    table.sort()
    tarics = taric_keyed(table, 0, 3, 1)
    write_csv(
        out / "annex_iv_defaults.csv",
        ["cn_prefix", "route", "sector", "description", "highest_tco2e_per_t"],
        table,
        [
            "Highest default values (tCO2e per tonne, BASE values without the mark-up) for goods whose",
            "country of production cannot be identified. Source: Implementing Regulation (EU) 2025/2621",
            "Art 1(5) and Annex IV as replaced by Implementing Regulation (EU) 2026/1740, applying from",
            "2026-01-01. cn_prefix and route as in default_values.csv. Built by scripts/build_reference.py.",
        ],
    )
    write_meta(
        out / "annex_iv_defaults.csv",
        {
            "title": "IR 2025/2621 Annex IV as amended by IR 2026/1740: highest default values "
            "(country of production unknown)",
            "citation": "IR 2025/2621 Annex IV as amended by IR 2026/1740",
            "status": "law",
            "version": "IR 2025/2621 Annexes I and IV as replaced by IR 2026/1740",
            "source": SOURCE_1740,
            "adopted": "2026-07-20",
            "published": "2026-07-31",
            "in_force": "2026-08-03",
            "effective_from": "2026-01-01",
            "supersedes": {
                "table": f"eu/{ANNEX_IV_2621_V1}",
                "act": "IR 2025/2621 Annex IV as first published (OJ L 17.12.2025)",
            },
            "attribution": ATTRIBUTION_1740,
            "built_by": "scripts/build_reference.py",
            "inputs": {
                ALL_COUNTRIES_1740: sha256(src / ALL_COUNTRIES_1740),
                ANNEX_IV_1740: sha256(src / ANNEX_IV_1740),
            },
            "rows": len(table),
            "values": "one value per code (no direct/indirect split), base value without mark-up; the "
            "mark-up and rounding of default_values.meta.yaml apply",
            "taric_keyed": tarics,
        },
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    src: Path = args.source
    out_eu = args.out / "eu"
    out_eu.mkdir(parents=True, exist_ok=True)
    here_eu = DEFAULT_OUT / "eu"
    annex_ii = read_commented_csv(here_eu / "annex_ii_direct_only.csv")
    status_rows = read_commented_csv(here_eu / "country_status.csv")
    markup = load_markup(DEFAULT_OUT / "parameters")

    benchmarks = build_benchmarks(src, out_eu)
    build_goods(src, out_eu, benchmarks, annex_ii)
    ir_to_iso = build_countries(src, args.out, status_rows)
    build_defaults(src, out_eu, DEFAULT_OUT / "parameters", ir_to_iso)
    build_annex_iv(src, out_eu)
    build_defaults_2621_v1(src, out_eu, ir_to_iso, markup)
    build_annex_iv_2621_v1(src, out_eu, markup)
    for name in ("NOTICE-opencbam", "LICENSE-opencbam"):
        target = out_eu / name
        if target.exists():
            target.chmod(0o644)
        target.write_bytes((src / name).read_bytes())
        target.chmod(0o644)
    print(f"reference tables written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
