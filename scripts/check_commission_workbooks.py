#!/usr/bin/env python3
"""Check cbam-calc's reference tables against the Commission's own workbooks.

    python scripts/check_commission_workbooks.py [--source ../shared/data/eu] [--json]

The workbooks (../shared/data/eu/commission/, byte copies of the Commission's downloads, for
information: the Official Journal is binding) are read with python-calamine and compared, value by
value at the 3 decimals the Official Journal prints (the workbooks store floats: rounded half up):

1. "CBAM Benchmarks_20260206.xlsx" (IR 2025/2620) against eu/benchmarks.csv: every Column A and
   Column B value with its production route and period.
2. "DVs as adopted_v20260204.xlsx" (IR 2025/2621 as first adopted, SUPERSEDED) against the
   superseded table eu/default_values_2621_v1.csv: direct, indirect, total, the three marked-up
   columns and the route indicator of every country sheet and of Other Countries and Territories.
   The first workbook has no Annex IV sheet.
3. The table in force (eu/default_values.csv, IR 2026/1740) against that same first workbook: what
   IR 2026/1740 changed (old 8-digit cement codes mapped to the TARIC codes by their grade).

Prints what it found; --json prints it as JSON. Exit status 0 when the checks ran (differences are
findings, not errors); tests/test_reference_data.py asserts the findings.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "eu"
DATA = REPO / "cbam_calc" / "data"
BENCHMARK_WORKBOOK = "commission/CBAM Benchmarks_20260206.xlsx"
DV_WORKBOOK = "commission/DVs as adopted_v20260204.xlsx"
OTHER_SHEET = "_Other Countries and Territorie"  # the sheet name, cut at Excel's 31 characters
# cells that hold no value: dashes, N/A as written (with its typos), headings
NO_VALUE = {"", "\xa0", "–", "-", "_", "N/A", "N.A.", "N/a", "N/(A", "see below"}
CEMENT_GRADED = {"25231000": "2523100", "25239000": "2523900"}  # the grade chooses the TARIC code
TARIC_OF_GRADE = {"B": "10", "A": "90"}
CALCINED_CLAY = ("25070080", "2507008080")


def read_table(path: Path) -> list[dict]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines))


def rows_of(path: Path, sheet: str) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def sheets_of(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    return list(CalamineWorkbook.from_path(str(path)).sheet_names)


def value3(v) -> str:
    """A workbook cell as the 3-decimal string the Official Journal prints; '' for no value."""
    if isinstance(v, str):
        if v.strip() in NO_VALUE:
            return ""
        v = float(v.replace(",", "."))
    if v is None:
        return ""
    # 9 decimals first: a float such as 1.6664999999999999 is the tie 1.6665 (1.650 x 1.01)
    exact = Decimal(repr(float(v))).quantize(Decimal("1e-9"))
    return str(exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def table3(v: str) -> str:
    return str(Decimal(v).quantize(Decimal("0.001"))) if v else ""


def code_of(v) -> str:
    if isinstance(v, float):
        v = int(v)
    return re.sub(r"\D", "", str(v))


def indicator(v) -> tuple[str, str]:
    """'(C)/(F)' -> ('C/F', ''); '(F)(1)' -> ('F', '1'); '(1)' -> ('', '1')."""
    marks = re.findall(r"\(([A-Z0-9])\)", str(v or ""))
    routes = "/".join(m for m in marks if m.isalpha())
    periods = "".join(m for m in marks if m.isdigit())
    return routes, periods


# --------------------------------------------------------------------------- 1. benchmarks
def check_benchmarks(src: Path) -> dict:
    book = src / BENCHMARK_WORKBOOK
    rows = rows_of(book, "Benchmarks")
    found: set[tuple[str, str, str, str, str]] = set()
    cn = ""
    for r in rows[1:]:
        if isinstance(r[0], str) and r[0] and not code_of(r[0]):  # a sector heading
            continue
        if r[0] not in ("", None):
            cn = code_of(r[0])
        for column, value, ind in (("A", r[2], r[3]), ("B", r[4], r[5])):
            if value in ("", None):
                continue
            route, period = indicator(ind)
            found.add((cn, column, route, period, value3(value)))
    table = {
        (t["cn_code"], t["column"], t["route"], t["period"], table3(t["benchmark_tco2e_per_t"]))
        for t in read_table(DATA / "eu" / "benchmarks.csv")
    }
    return {
        "workbook": BENCHMARK_WORKBOOK,
        "workbook_values": len(found),
        "table_values": len(table),
        "cn_codes": len({k[0] for k in found}),
        "only_in_workbook": sorted(found - table),
        "only_in_table": sorted(table - found),
    }


# --------------------------------------------------------------------------- 2. first default values
def sheet_iso(names: dict[str, str]) -> dict[str, str]:
    """Sheet name -> ISO code: the first version's country names (countries.meta.yaml), as the
    workbook writes them (cut at 31 characters, '/' as '_')."""
    out = {OTHER_SHEET: "OTHER"}
    for name, iso in names.items():
        out[name.replace("/", "_")[:31]] = iso
    return out


def grade(cn: str, description: str) -> str:
    """The clinker grade that tells the two rows of 2523 10 00 / 2523 90 00 apart."""
    if cn not in CEMENT_GRADED:
        return ""
    d = description.lower()
    return "B" if "white" in d else "A" if "grey" in d else ""


def workbook_defaults(src: Path) -> tuple[dict, list[str]]:
    """(ISO, CN code, grade) -> (direct, indirect, total, m2026, m2027, m2028, route) of every value
    or dash row of the first workbook; and the sheets it has that no table maps."""
    book = src / DV_WORKBOOK
    meta = yaml.safe_load((DATA / "countries.meta.yaml").read_text(encoding="utf-8"))
    iso_of = sheet_iso(meta["ir2621_first_version_name_mapping"])
    out: dict = {}
    unmapped = []
    for sheet in sheets_of(book)[2:]:
        iso = iso_of.get(sheet)
        rows = rows_of(book, sheet)
        if iso is None:
            unmapped.append(sheet)
            continue
        for r in rows[2:]:
            cn = code_of(r[0])
            if not cn or str(r[2]).strip() == "see below" or (r[2] == "" and r[4] == ""):
                continue  # sector heading or "see below" heading
            values = tuple(value3(v) for v in r[2:8])
            route, _ = indicator(r[8])
            out[(iso, cn, grade(cn, str(r[1])))] = (*values, route)
    return out, unmapped


def check_superseded_defaults(src: Path, book: dict, unmapped: list[str]) -> dict:
    table = {}
    for t in read_table(DATA / "eu" / "default_values_2621_v1.csv"):
        key = (t["country_iso2"], t["cn_prefix"], t["route"] if t["cn_prefix"] in CEMENT_GRADED else "")
        values = tuple(
            table3(t[c])
            for c in (
                "direct_tco2e_per_t",
                "indirect_tco2e_per_t",
                "total_tco2e_per_t",
                "total_marked_2026",
                "total_marked_2027",
                "total_marked_2028",
            )
        )
        table[key] = (*values, t["route"])
    values, marked, routes = [], [], Counter()
    for key in sorted(set(book) & set(table)):
        b, t = book[key], table[key]
        if b[:3] != t[:3]:
            values.append((key, b[:3], t[:3]))
        if b[3:6] != t[3:6]:
            marked.append((key, b[3:6], t[3:6]))
        if b[2] and b[6] != t[6]:
            routes[(key[1], b[6], t[6])] += 1
    only_book = sorted(k for k in set(book) - set(table) if book[k][2])
    only_table = sorted(k for k in set(table) - set(book) if table[k][2])
    return {
        "workbook": DV_WORKBOOK,
        "table": "eu/default_values_2621_v1.csv",
        "rows_compared": len(set(book) & set(table)),
        "value_differences": values,  # direct, indirect, total
        "marked_up_differences": len(marked),
        "marked_up_examples": marked[:5],
        "route_differences": sorted((cn, b, t, n) for (cn, b, t), n in routes.items()),
        "value_rows_only_in_workbook": only_book,
        "value_rows_only_in_table": only_table,
        "sheets_without_table": unmapped,
    }


def markup_basis(book: dict) -> dict:
    """How the first workbook's marked-up columns relate to its printed totals: total x (1 + rate)
    rounded half up, or something else (computed from unrounded bases, or compounded)."""
    rates = {"general": ("0.10", "0.20", "0.30"), "fertilisers": ("0.01", "0.01", "0.01")}
    fertiliser_cn = ("2808", "2814", "2834", "3102", "3105")
    same, differ, compounded, examples = 0, 0, 0, []
    for key, v in sorted(book.items()):
        if not v[2] or not all(v[3:6]):
            continue
        kind = "fertilisers" if key[1].startswith(fertiliser_cn) else "general"
        expected = tuple(
            str((Decimal(v[2]) * (1 + Decimal(r))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))
            for r in rates[kind]
        )
        if expected == v[3:6]:
            same += 1
            continue
        differ += 1
        # the 2027 figure is the 2026 one marked up again (+10 % on +10 %), not total x 1.20
        compounded += kind == "general" and abs(float(v[4]) - float(v[3]) * 1.1) < 0.0015
        if len(examples) < 5:
            examples.append((key, v[2], v[3:6], expected))
    return {
        "rows": same + differ,
        "total_x_rate": same,
        "other": differ,
        "compounded": compounded,
        "examples": examples,
    }


# --------------------------------------------------------------------------- 3. what IR 2026/1740 changed
def check_changes(book: dict) -> dict:
    def new_key(iso: str, cn: str, g: str) -> tuple[str, str]:
        if cn in CEMENT_GRADED:
            return iso, CEMENT_GRADED[cn] + "0" + TARIC_OF_GRADE.get(g, "")
        if cn == CALCINED_CLAY[0]:
            return iso, CALCINED_CLAY[1]
        return iso, cn

    old = {new_key(*k): v for k, v in book.items() if v[2]}
    new = {
        (t["country_iso2"], t["cn_prefix"]): (
            table3(t["direct_tco2e_per_t"]),
            table3(t["indirect_tco2e_per_t"]),
            table3(t["total_tco2e_per_t"]),
            t["route"],
        )
        for t in read_table(DATA / "eu" / "default_values.csv")
    }
    changed = [(k, old[k][:3], new[k][:3]) for k in sorted(set(old) & set(new)) if old[k][:3] != new[k][:3]]
    moved = sorted(k for k in set(old) & set(new) if old[k][6] != new[k][3])
    gone = sorted(set(old) - set(new))
    added = sorted(set(new) - set(old))
    return {
        "value_changes": len(changed),
        "value_changes_by_table": dict(sorted(Counter(k[0] for k, _, _ in changed).items())),
        "value_change_examples": changed[:8],
        "route_changes": len(moved),
        "route_changes_by_table": dict(Counter(k[0] for k in moved).most_common()),
        "route_changes_of": {
            iso: [(k[1], old[k][6], new[k][3]) for k in moved if k[0] == iso] for iso in ("CN", "OTHER")
        },
        "rows_gone": len(gone),
        "rows_gone_by_table": dict(sorted(Counter(k[0] for k in gone).items())),
        "rows_added": len(added),
        "rows_added_by_table": dict(sorted(Counter(k[0] for k in added).items())),
        "tables_new": sorted({k[0] for k in new} - {k[0] for k in old}),
    }


def check(src: Path) -> dict:
    book, unmapped = workbook_defaults(src)
    return {
        "benchmarks": check_benchmarks(src),
        "superseded_default_values": check_superseded_defaults(src, book, unmapped),
        "first_workbook_markup": markup_basis(book),
        "ir_2026_1740_changes": check_changes(book),
    }


def report(found: dict) -> str:
    b, s, m, c = (
        found["benchmarks"],
        found["superseded_default_values"],
        found["first_workbook_markup"],
        found["ir_2026_1740_changes"],
    )
    out = [
        f"1. {b['workbook']} vs eu/benchmarks.csv: {b['workbook_values']} values of {b['cn_codes']} CN "
        f"codes in the workbook, {b['table_values']} in the table; only in the workbook: "
        f"{len(b['only_in_workbook'])}, only in the table: {len(b['only_in_table'])}",
        *(f"   workbook only: {x}" for x in b["only_in_workbook"][:10]),
        *(f"   table only:    {x}" for x in b["only_in_table"][:10]),
        f"2. {s['workbook']} vs {s['table']}: {s['rows_compared']} rows compared; direct/indirect/total "
        f"differences: {len(s['value_differences'])}; marked-up differences: {s['marked_up_differences']}; "
        f"value rows only in the workbook: {len(s['value_rows_only_in_workbook'])}, only in the table: "
        f"{len(s['value_rows_only_in_table'])}; sheets without a table: "
        + ", ".join(s["sheets_without_table"]),
        *(f"   values: {x}" for x in s["value_differences"][:10]),
        *(f"   marked up (workbook, table): {x}" for x in s["marked_up_examples"]),
        *(f"   route indicator (CN, workbook, table, rows): {x}" for x in s["route_differences"]),
        *(f"   only in the workbook: {x}" for x in s["value_rows_only_in_workbook"][:10]),
        f"   the workbook's marked-up columns: {m['total_x_rate']} of {m['rows']} rows are the printed "
        f"total x (1 + mark-up) rounded half up; {m['other']} are not ({m['compounded']} of them "
        "compound the mark-up, 2027 = 2026 x 1.1; the others start from unrounded bases), e.g.:",
        *(f"     {k}: total {t}, workbook {w}, total x rate {e}" for k, t, w, e in m["examples"]),
        f"3. eu/default_values.csv (IR 2026/1740) vs {s['workbook']}: {c['value_changes']} values changed "
        f"{c['value_changes_by_table']}; rows gone {c['rows_gone']} {c['rows_gone_by_table']}; rows added "
        f"{c['rows_added']} {c['rows_added_by_table']}; tables new: {', '.join(c['tables_new'])}",
        f"   route indicators changed on {c['route_changes']} rows, by table: {c['route_changes_by_table']}",
        *(
            f"   {iso} (CN first -> 2026/1740): "
            + ", ".join(f"{cn} {a or '-'}->{b or '-'}" for cn, a, b in x)
            for iso, x in c["route_changes_of"].items()
        ),
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    found = check(args.source)
    print(json.dumps(found, indent=1, default=list) if args.json else report(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
