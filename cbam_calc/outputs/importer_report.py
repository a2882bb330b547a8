"""``cbam report --for-importer``: what the EU declarant needs from its supplier, as a workbook.

One row per installation, CN code and kind of emissions data (actual or default), with the columns
of the product table of the Commission's communication template for installations
(``Summary_Communication`` row 25) that a run can fill, in the template's order, and beside them
what the template has no column for: the quantity, the data kind, the production route, the
evidence of the carbon price paid and the resulting certificates.

- The template's columns, their order and their English headers are read from
  ``data/template/communication_products.csv`` (with its source), never written here.
- SEE per row (Reg 2023/956 Art 7 and Annex IV): the mass-weighted mean of its lines,
  ``SEE = sum(M_g x SEE_g) / sum(M_g)``, direct and indirect apart. Where an installation and CN
  code has lines on actual and on default data, each kind is a row of its own: mixing them would
  give an SEE that is neither the installation's nor the default value (a note row says so).
- Sums by factorised keys and ``numpy.bincount`` (as :func:`cbam_calc.compute.aggregate.aggregate`
  sums the engine's groups): no Python object per line.
- Sheets: Cover (the run's files, period, reference data), Products, Notes (how each figure is
  made, and the legal sources: data/parameters/citations.yaml), and the Run sheet that
  ``cbam calc --check`` reads: the record says ``report: for_importer``, so the check renders
  this workbook again (outputs/check.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import factorize_frame
from cbam_calc.core.errors import OptionError
from cbam_calc.core.labels import label
from cbam_calc.core.messages import Message
from cbam_calc.core.sheets import sheet_name
from cbam_calc.law.reference import DATA_DIR, read_commented_csv
from cbam_calc.law.scope import ELECTRICITY
from cbam_calc.outputs.xlsx_book import Book

TEMPLATE_TABLE = DATA_DIR / "template" / "communication_products.csv"
REPORT_KIND = "for_importer"  # the run record's "report": what --check renders again
SHEETS = ("cover", "products", "notes")  # the keys of its sheets (core.sheets), and Run
FMT_T = "#,##0.000"  # tonnes, tCO2e, certificates (as the calc workbook shows them)
FMT_SEE = "0.0000"  # tCO2e/t: the template's SEE carry more digits than a mass
FMT_EUR = "#,##0.00"
FMT_SHARE = "0%"
FMT_INT = "#,##0"
ACTUAL, DEFAULT = "actual", "default"
EVIDENCE = ("evidenced", "not_evidenced", "partly", "none")
SEE_UNITS = {"t": "tCO2e/t", "MWh": "tCO2e/MWh"}  # as inputs/comm_template.py reads the template's

# The report's columns in order: (key, template field or None, label key, number format). A
# template field's English header is the template's own (TEMPLATE_TABLE); these fields keep the
# template's order among themselves (tests/outputs/test_for_importer.py checks it against the file).
COLUMNS: tuple[tuple[str, str | None, str, str | None], ...] = (
    ("installation", None, "imp_installation", None),
    ("cn_code", "cn_code", "imp_cn_code", None),
    ("cn_name", "cn_name", "imp_cn_name", None),
    ("route", None, "imp_route", None),
    ("emissions_data", None, "imp_data", None),
    ("net_mass_t", None, "imp_quantity", FMT_T),
    ("see_direct", "see_direct", "imp_see_direct", FMT_SEE),
    ("see_indirect", "see_indirect", "imp_see_indirect", FMT_SEE),
    ("see_total", "see_total", "imp_see_total", FMT_SEE),
    ("unit", "unit", "imp_unit", None),
    ("default_share", "default_share", "imp_default_share", FMT_SHARE),
    ("cp_instrument", "cp_instrument", "imp_cp_instrument", None),
    ("cp_currency", "cp_currency", "imp_cp_currency", None),
    ("effective_cp_due", "effective_cp_due", "imp_effective_cp_due", FMT_EUR),
    ("evidence", None, "imp_evidence", None),
    ("embedded_tco2e", None, "imp_embedded", FMT_T),
    ("certificates", None, "imp_certificates", FMT_T),
    ("lines", None, "imp_lines", FMT_INT),
)
OPTIONAL = {"cp_instrument"}  # only where the input names an instrument (carbon_price_unit)
MAX_SPLIT_NOTES = 20  # pairs named one by one in the notes; the others counted


@cache
def template_columns() -> pd.DataFrame:
    """The template's product table as the data file lists it: column letter, field, header."""
    return read_commented_csv(TEMPLATE_TABLE)


def template_header(field: str) -> str:
    """The English header the template shows for ``field`` (white space collapsed)."""
    table = template_columns()
    found = table.loc[table["field"] == field, "header"]
    if found.empty:
        raise KeyError(f"{field!r} is no column of {TEMPLATE_TABLE.name}")
    return " ".join(str(found.iloc[0]).split())


@dataclass(frozen=True)
class ImporterTable:
    """The product rows (raw values: data kind and evidence as keys) and the (installation, CN
    code) pairs whose lines are on actual and default data both (split into two rows)."""

    rows: pd.DataFrame
    mixed: list[tuple[str, str]]


def _aligned(result, lines: pd.DataFrame, column: str) -> pd.Series | None:
    """A validated (canonical) column of the run's lines, in the order of ``lines``: the Lines
    table keeps the input's own headers, the validated table the canonical names. None where the
    input has no such column."""
    validated = result.validated
    if validated is None or column not in validated.lines.columns:
        return None
    v = validated.lines
    pos = pd.Index(v["row"].to_numpy()).get_indexer(lines["row"].to_numpy())
    return v[column].iloc[pos].reset_index(drop=True)


def _coded(values: pd.Series | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """A text column as (code of each line, text of each code): the texts stripped, distinct and
    sorted, a missing value ''. Categories are stripped once each, never a string per line."""
    if values is None:
        return np.zeros(n, dtype=np.int64), np.array([""], dtype=object)
    cat = values.array if isinstance(values.dtype, pd.CategoricalDtype) else pd.Categorical(values)
    names = np.array([str(c).strip() for c in cat.categories] + [""], dtype=object)
    texts, inverse = np.unique(names, return_inverse=True)
    codes = np.asarray(cat.codes, dtype=np.int64)
    return inverse.reshape(-1)[np.where(codes < 0, len(names) - 1, codes)], texts


def _joined(groups: np.ndarray, codes: np.ndarray, texts: np.ndarray, k: int) -> np.ndarray:
    """Per group, its distinct non-empty texts, sorted and joined by ', ': the (group, code) pairs
    are made distinct on integers; the join runs once per group."""
    pairs = pd.DataFrame({"g": groups, "t": codes}).drop_duplicates()
    pairs["v"] = texts[pairs["t"].to_numpy()]
    pairs = pairs[pairs["v"] != ""].drop_duplicates(["g", "v"]).sort_values(["g", "v"])
    out = np.full(k, "", dtype=object)
    if len(pairs):
        joined = pairs.groupby("g", sort=True)["v"].agg(", ".join)
        out[joined.index.to_numpy()] = joined.to_numpy(dtype=object)
    return out


def _price_evidence(result, lines: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per line: whether it states a carbon price paid, and whether that price is evidenced, as
    the engine decides it (compute.lines): the line's own columns (or its template's price due),
    and for a line taking rows of a carbon-prices table, those rows (priced where one gives a
    price, evidenced where the line and every row are)."""
    n = len(lines)
    given = _aligned(result, lines, "carbon_price_paid")
    paid = (
        np.zeros(n, dtype=bool)
        if given is None
        else np.nan_to_num(pd.to_numeric(given, errors="coerce").to_numpy(dtype=float)) > 0
    )
    proof = _aligned(result, lines, "carbon_price_evidenced")
    evidenced = np.ones(n, dtype=bool) if proof is None else proof.to_numpy(dtype=bool)
    join = result.carbon_prices
    if join is not None and join.instruments is not None and len(join.pairs):
        from cbam_calc.inputs.carbon_prices import SOURCE_TEMPLATE

        v = result.validated.lines
        rows = v["row"].to_numpy()[v.index.get_indexer(join.pairs["line"].to_numpy())]
        at = pd.Index(lines["row"].to_numpy()).get_indexer(rows)  # -1: a line not computed
        inst = join.pairs["instrument"].to_numpy()
        table = join.instruments
        keep = (at >= 0) & (table["source"].to_numpy(dtype=object)[inst] != SOURCE_TEMPLATE)
        at, inst = at[keep], inst[keep]
        priced = np.nan_to_num(table["price"].to_numpy(dtype=float)[inst]) > 0
        unproven = ~table["evidenced"].to_numpy(dtype=bool)[inst]
        with_rows = np.bincount(at, minlength=n) > 0
        paid = np.where(with_rows, np.bincount(at[priced], minlength=n) > 0, paid)
        evidenced = evidenced & ~(np.bincount(at[unproven], minlength=n) > 0)
    return paid, paid & evidenced


def importer_table(result) -> ImporterTable:
    """The product rows of a run: per installation, CN code and data kind, the quantity, SEE
    direct and indirect (Reg 2023/956 Art 7, Annex IV: embedded emissions over mass, summed over
    the lines), the production route, the carbon price paid (draft Art 9) and its evidence, the
    embedded emissions that count and the certificates (Art 22)."""
    if result.validated is None:
        raise OptionError(Message("E_IMPORTER_NO_LINES"))
    lines = result.lines
    n = len(lines)
    mass = lines["net_mass_t"].to_numpy(dtype=float)
    inst_codes, inst_texts = _coded(_aligned(result, lines, "installation"), n)
    kind = pd.Categorical(lines["emissions_data"])
    keys = pd.DataFrame(
        {
            "installation": pd.Categorical.from_codes(inst_codes, inst_texts),
            "cn_code": pd.Categorical(lines["cn_code"]),
            "emissions_data": kind,
        }
    )
    codes, uniq = factorize_frame(keys)
    k = len(uniq)
    first = pd.Series(codes).drop_duplicates().index.to_numpy()  # a line of each group, in group order

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=values, minlength=k)

    see_direct = lines["see_direct_tco2e_per_t"].to_numpy(dtype=float)
    see_indirect = lines["see_indirect_tco2e_per_t"].to_numpy(dtype=float)
    price = lines["carbon_price_paid_eur_per_t"].to_numpy(dtype=float)  # NaN off the actual track
    mass_sum = total(mass)
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = total(np.nan_to_num(see_direct) * mass) / mass_sum
        has_indirect = total((~np.isnan(see_indirect)).astype(float)) > 0
        indirect = np.where(has_indirect, total(np.nan_to_num(see_indirect) * mass) / mass_sum, np.nan)
        has_price = total((~np.isnan(price)).astype(float)) > 0
        effective = np.where(has_price, total(np.nan_to_num(price) * mass) / mass_sum, np.nan)

    paid, evidenced = _price_evidence(result, lines)
    n_paid = total(paid.astype(float))
    n_evidenced = total(evidenced.astype(float))
    evidence = np.select(
        [n_paid == 0, n_evidenced == n_paid, n_evidenced == 0],
        ["none", "evidenced", "not_evidenced"],
        "partly",
    )

    # the route as given, else the benchmark's on actual data; on default data the benchmark's route is
    # the default value's (IR 2620 Column B), not the installation's, so it is not shown as one
    given, given_texts = _coded(_aligned(result, lines, "route"), n)
    bench, bench_texts = _coded(lines.get("benchmark_route"), n)
    on_actual = np.asarray(lines["emissions_data"] == ACTUAL)
    blank = int(np.searchsorted(given_texts, ""))  # '' sorts first: always present
    route = np.where(given_texts[given] != "", given, np.where(on_actual, len(given_texts) + bench, blank))
    route_texts = np.concatenate([given_texts, bench_texts])
    unit_codes, unit_texts = _coded(lines.get("carbon_price_unit"), n)
    data = uniq["emissions_data"].astype(str).to_numpy()
    electricity = lines["sector"].iloc[first].astype(str).to_numpy() == ELECTRICITY

    rows = pd.DataFrame(
        {
            "installation": uniq["installation"].astype(str).to_numpy(),
            "cn_code": uniq["cn_code"].astype(str).to_numpy(),
            "cn_name": lines["description"].iloc[first].astype(str).to_numpy(),
            "route": _joined(codes, route, route_texts, k),
            "emissions_data": data,
            "net_mass_t": mass_sum,
            "see_direct": direct,
            "see_indirect": indirect,
            "see_total": direct + np.nan_to_num(indirect),
            "unit": np.where(electricity, SEE_UNITS["MWh"], SEE_UNITS["t"]),
            "default_share": np.where(data == DEFAULT, 1.0, 0.0),
            "cp_instrument": _joined(codes, unit_codes, unit_texts, k),
            "cp_currency": np.where(has_price, "EUR", ""),
            "effective_cp_due": effective,
            "evidence": evidence,
            "embedded_tco2e": total(lines["embedded_tco2e"].to_numpy(dtype=float)),
            "certificates": total(lines["certificates"].to_numpy(dtype=float)),
            "lines": np.bincount(codes, minlength=k).astype(np.int64),
        }
    )
    rows = rows.sort_values(["installation", "cn_code", "emissions_data"], kind="stable").reset_index(
        drop=True
    )
    kinds = rows.groupby(["installation", "cn_code"], sort=True)["emissions_data"].nunique()
    mixed = [(str(i), str(c)) for i, c in kinds[kinds > 1].index]
    return ImporterTable(rows, mixed)


def columns_of(rows: pd.DataFrame) -> list[tuple[str, str | None, str, str | None]]:
    """The report's columns for these rows: an optional column only where a row fills it."""
    return [c for c in COLUMNS if c[0] not in OPTIONAL or rows[c[0]].ne("").any()]


def headers(columns, lang: str) -> list[str]:
    """Each column's header: a template column's English is the template's own."""
    return [template_header(f) if f and lang != "zh" else label(key, lang) for _, f, key, _ in columns]


def shown(rows: pd.DataFrame, columns, lang: str) -> pd.DataFrame:
    """The rows as the Products sheet shows them: CN codes spaced, kinds and statuses in ``lang``."""
    from cbam_calc.law.scope import spaced

    out = rows[[c for c, *_ in columns]].copy()
    out["installation"] = out["installation"].where(
        out["installation"] != "", label("imp_installation_unnamed", lang)
    )
    out["cn_code"] = out["cn_code"].map(spaced)  # one per row, not per line
    out["emissions_data"] = out["emissions_data"].map(lambda v: label(f"imp_data_{v}", lang))
    out["evidence"] = out["evidence"].map(lambda v: label(f"imp_evidence_{v}", lang))
    return out


def notes(table: ImporterTable) -> list[Message]:
    """How each figure of the Products sheet is made, and each split (installation, CN code)."""
    from cbam_calc.law.scope import spaced

    out = [
        Message("M_IMPORTER_SEE"),
        Message("M_IMPORTER_PRICE"),
        Message("M_IMPORTER_EVIDENCE"),
        Message("M_IMPORTER_CERTIFICATES"),
    ]
    for inst, cn in table.mixed[:MAX_SPLIT_NOTES]:
        out.append(Message("M_IMPORTER_SPLIT", installation=inst or "-", cn=spaced(cn)))
    if len(table.mixed) > MAX_SPLIT_NOTES:  # a file of thousands of pairs: the reader sees the rule
        out.append(Message("M_IMPORTER_SPLIT_MORE", n=f"{len(table.mixed) - MAX_SPLIT_NOTES:,}"))
    return out


SOURCES = (  # (label key, citation key of data/parameters/citations.yaml or a parameter file)
    ("imp_src_see", "embedded_emissions"),
    ("imp_src_direct_only", "embedded_emissions_direct_only"),
    ("imp_src_defaults", "default_values"),
    ("imp_src_price", "art9_draft"),
    ("imp_src_certificates", "certificates"),
)


def require_xlsx(path: str | Path) -> None:
    """Refuse an importer's workbook not named .xlsx (an .html page holds no product table to
    forward, and a workbook under another name cannot be opened)."""
    from cbam_calc.core.errors import OutputError

    if Path(path).suffix.lower() != ".xlsx":
        raise OutputError(Message("E_IMPORTER_NOT_XLSX", path=str(path)))


def write_importer_report(
    result,
    path: str | Path,
    *,
    lang: str = "en",
    inputs: Iterable[str | Path] = (),
    force: bool = False,
    record: dict | None = None,
) -> Path:
    """Write the importer's workbook atomically (never over an input); ``record``
    (run_record.make_record) adds the Run sheet that ``cbam calc --check`` reads."""
    from cbam_calc.law.citations import citation
    from cbam_calc.law.parameters import load_yaml
    from cbam_calc.outputs.prepared import write_prepared_rows
    from cbam_calc.outputs.text import reference_as_of_notes
    from cbam_calc.outputs.xlsx import write_book

    require_xlsx(path)
    table = importer_table(result)
    messages = notes(table)  # on the Notes sheet, and the splits under the Products table
    columns = columns_of(table.rows)
    s = result.summary
    meta = load_yaml(TEMPLATE_TABLE.with_suffix("").with_suffix(".meta.yaml").read_text(encoding="utf-8"))

    def write(wb: Book) -> None:
        cover = wb.add_sheet(sheet_name("cover", lang))
        cover.set_width(0, 30)  # two columns (the SHA-256 in the second): a portrait page wide
        cover.set_width(1, 66)
        cover.write_row([label("imp_title", lang)], bold=True)
        cover.write_row([label("not_legal_advice", lang)])
        cover.write_row([label("imp_intro", lang)])
        cover.write_row([])
        write_prepared_rows(cover, s.prepared, lang)  # exporter, installations, period, date, version
        for f in s.inputs:
            cover.write_row([label("file", lang), f.file])
            if f.sheet:
                cover.write_row([label("sheet", lang), f.sheet])
        cover.write_row([label("lines", lang), s.lines], [None, FMT_INT])
        cover.write_row([label("rejected", lang), s.rejected], [None, FMT_INT])  # not in the table
        cover.write_row([label("imp_rows", lang), len(table.rows)], [None, FMT_INT])
        cover.write_row([label("certificates", lang), s.certificates], [None, FMT_T])
        cover.write_row([label("reference_as_of", lang), s.reference_data_as_of or ""])
        cover.write_row(["", reference_as_of_notes(s.reference_data_undated, lang, hint=True)])
        cover.write_row([label("reference_sha", lang), s.reference_data_sha256])
        for f in s.inputs:
            cover.write_row([f"{label('input_sha', lang)} {Path(f.file).name}", f.sha256])

        from cbam_calc.outputs.xlsx import write_table

        heads = headers(columns, lang)
        formats = [fmt for *_, fmt in columns]
        products = write_table(
            wb, sheet_name("products", lang), shown(table.rows, columns, lang), formats, headers=heads
        )
        keys = [c for c, *_ in columns]
        sums = {"net_mass_t": FMT_T, "embedded_tco2e": FMT_T, "certificates": FMT_T, "lines": FMT_INT}
        products.write_row(
            [
                label("imp_total", lang) if i == 0 else table.rows[c].sum() if c in sums else None
                for i, c in enumerate(keys)
            ],
            [sums.get(c) for c in keys],
            bold=True,
        )
        products.write_row([])
        for m in messages[4:]:  # the splits under the table, where the reader sees them
            products.write_row([m.text(lang)])

        sheet = wb.add_sheet(sheet_name("notes", lang))
        sheet.set_width(0, 40)
        sheet.set_width(1, 100)
        sheet.write_row([label("imp_notes", lang)], bold=True)
        for m in messages:
            sheet.write_row([m.text(lang)])
        sheet.write_row([])
        sheet.write_row([label("imp_sources", lang)], bold=True)
        for key, name in SOURCES:
            sheet.write_row([label(key, lang), citation(name)])
        source = meta["source"][0]
        sheet.write_row([label("imp_src_template", lang), f"{source['data']} ({source['href']})"])

    # the record says which workbook it is of, so that --check renders this one again
    rec = None if record is None else {**record, "report": REPORT_KIND}
    return write_book(
        path, write, version=s.cbam_calc_version, record=rec, inputs=inputs, force=force, lang=lang
    )
