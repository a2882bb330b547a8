"""The pipeline: read -> validate -> enrich with reference data -> compute -> summarise.

``compute_lines`` is a pure function of a table of typed lines plus reference data and options:
columns in, columns out, no Python object per line. Lookups in the law's tables run once per
distinct key (CN code, country, route, year ...), and are broadcast back to the lines.

    embedded_g = M_g x SEE_g                              (Reg 2023/956 Art 7, Annex II)
    FAA_g      = M_g x SEFA_g                             (IR 2025/2620 Eq 1-6)
    R_g        = Art 9 reduction, capped                  (Art 9 draft)
    N_g        = max(0, embedded_g - FAA_g - R_g)         (Reg 2023/956 Art 22, Art 31)
    cost_g     = N_g x P_cert(period of import)           (Art 21, IR 2025/2548)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc import __version__
from cbam_calc.errors import NothingComputedError
from cbam_calc.i18n import WARN_CSCF, WARN_NO_IMPORTER, WARN_REJECTED_ROWS, WARN_UNPUBLISHED_PRICES
from cbam_calc.io.csv_arrow import sha256 as _sha256  # the CSV prefetch may have hashed it
from cbam_calc.io.readers import RawTable, read_table
from cbam_calc.io.validate import REJECTED_COLUMNS, TOTALS_REASON, Issues, Validated, rejected_frame, validate
from cbam_calc.model import (
    Assumptions,
    CalcOptions,
    CalcSummary,
    CnFigures,
    DeMinimisOutcome,
    InputFile,
    PriceUsed,
    ReferencePriceUsed,
    SectorFigures,
)
from cbam_calc.params import parameter
from cbam_calc.refdata import ReferenceData, reference_data
from cbam_calc.rules import art9, de_minimis, defaults, emissions, free_allocation, prices

ELECTRICITY = "electricity"

# Computed columns of the Lines table, in order, with their meaning (also the Lines sheet legend).
LINE_COLUMNS: dict[str, str] = {
    "row": "row of the input file",
    "cn_code": "8-digit CN code",
    "description": "description of the CN code",
    "sector": "CBAM sector (Annex I)",
    "country_iso2": "country of origin (ISO 3166-1)",
    "year": "year of import used for the rules",
    "quarter": "quarter of import",
    "import_date_used": "date of import used for the rules (moved into --year when given)",
    "net_mass_t": "net mass, tonnes (MWh for electricity)",
    "direct_only": "Annex II good: only direct emissions count",
    "emissions_data": "actual (given) or default (IR 2025/2621 as amended by IR 2026/1740) emissions",
    "default_table": "default value table: country, other (Other Countries and Territories), annex_iv",
    "default_table_name": "name of the IR 2025/2621 table used",
    "default_cn_prefix": "CN heading (or TARIC code) of the default value used",
    "default_markup_rate": "mark-up applied to the default value (IR 2025/2621 Annex I)",
    "see_direct_tco2e_per_t": "specific direct embedded emissions, tCO2e/t",
    "see_indirect_tco2e_per_t": "specific indirect embedded emissions, tCO2e/t",
    "see_tco2e_per_t": "specific embedded emissions that count, tCO2e/t",
    "embedded_tco2e": "embedded emissions, tCO2e",
    "benchmark_column": "IR 2025/2620 benchmark column (A actual data, B default values)",
    "benchmark_route": "production route of the benchmark",
    "benchmark_route_basis": "how the route was chosen",
    "benchmark_period": "IR 2025/2620 period: 1 = 2026-2027, 2 = 2028-2030",
    "benchmark_projection": "benchmark after 2030: the 2028-2030 value reused (projection)",
    "benchmark_tco2e_per_t": "CBAM benchmark, tCO2e/t",
    "cbam_factor": "CBAM factor of the year (Dir 2003/87/EC Art 10a(1a))",
    "cscf": "cross-sectoral correction factor",
    "precursor_sefa_term_tco2e_per_t": "precursors' free allocation m x SEFA_i (IR 2620 Eq 4), tCO2e/t",
    "sefa_tco2e_per_t": "specific embedded free allocation, tCO2e/t",
    "free_allocation_tco2e": "free allocation adjustment, tCO2e",
    "art9_track": "Art 9 draft track applied (actual, default, or none)",
    "carbon_price_paid_eur_per_t": "effective carbon price paid, EUR per tonne of good",
    "default_carbon_price_eur_per_tco2e": "default carbon price of the country, EUR/tCO2e",
    "reference_price_eur_per_tco2e": "Art 9 reference price P_ref of the year, EUR/tCO2e",
    "art9_reduction_tco2e": "Art 9 reduction applied, tCO2e",
    "de_minimis_exempt": "exempt under the 50 t de minimis rule (Art 2a)",
    "certificates": "CBAM certificates to surrender (tCO2e)",
    "price_period": "certificate price period of the import",
    "price_eur_per_tco2e": "CBAM certificate price used, EUR/tCO2e",
    "price_status": "published, recomputed, projection or user",
    "cost_eur": "CBAM cost, EUR",
    "cost_eur_per_t": "CBAM cost per tonne of good (per MWh for electricity), EUR",
    "notes": "what else applies to the line",
}


@dataclass
class CalcResult:
    """A finished run: the lines (input columns kept), the rejected rows, and the summary.

    The Lines table is built when first asked for: a run that only needs its summary (``--format
    json``) never pays for a table of every line."""

    lines_source: pd.DataFrame | Callable[[], pd.DataFrame]  # the table, or how to build it
    rejected: pd.DataFrame  # REJECTED_COLUMNS
    summary: CalcSummary
    # every figure used, with its source and effective date, or how to build it
    parameters_source: pd.DataFrame | Callable[[], pd.DataFrame]
    options: CalcOptions
    input_columns: list[str] = field(default_factory=list)
    # sums by REPORT_KEYS after de minimis, or how to build them: what report tables roll up
    # (present even when the lines are not in memory, as with the Dask engine)
    groups_source: pd.DataFrame | Callable[[], pd.DataFrame] = field(default_factory=pd.DataFrame)

    @property
    def parameters(self) -> pd.DataFrame:
        if callable(self.parameters_source):
            self.parameters_source = self.parameters_source()
        return self.parameters_source

    @property
    def groups(self) -> pd.DataFrame:
        if callable(self.groups_source):
            self.groups_source = self.groups_source()
        return self.groups_source

    @property
    def lines(self) -> pd.DataFrame:
        """Computed lines: input columns + LINE_COLUMNS."""
        if callable(self.lines_source):
            self.lines_source = self.lines_source()
        return self.lines_source

    @property
    def rows_read(self) -> int:
        return self.summary.rows_read


# ---------------------------------------------------------------------------- helpers
def _column_codes(s: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes 0..k-1 of one column and k, without hashing where the dtype allows it:
    a categorical's own codes, a boolean as 0/1, a narrow range of integers or days as offsets.
    Anything else is factorised. Equal values get equal codes; missing values get one code."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64) + 1, len(dtype.categories) + 1
    if pd.api.types.is_bool_dtype(dtype) and not s.hasnans:
        return s.to_numpy().astype(np.int64), 2
    if dtype.kind in "iuM":
        v = s.to_numpy()
        if dtype.kind == "M":
            nat = np.isnat(v)
            v = v.astype("datetime64[D]").view(np.int64)
            if nat.any():
                v = np.where(nat, np.int64(0), v)
                lo = int(v[~nat].min()) if (~nat).any() else 0
                v = np.where(nat, lo - 1, v)
        v = v.astype(np.int64, copy=False)
        if len(v):
            lo, hi = int(v.min()), int(v.max())
            if hi - lo < max(4 * len(v), 1 << 16):
                return v - lo, hi - lo + 1
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    return codes.astype(np.int64, copy=False), len(uniques) + 1


def factorize_frame(frame: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer code per row for the distinct rows of ``frame``, and those distinct rows (in order
    of first appearance). Each column becomes codes (:func:`_column_codes`: no hashing for
    categoricals, booleans, narrow integers and dates), the codes are combined in one mixed-radix
    int64, and that is made dense by a direct table where it is small, else by one factorize."""
    n = len(frame)
    combined = np.zeros(n, dtype=np.int64)
    radix = 1
    for c in frame.columns:
        codes, k = _column_codes(frame[c])
        if radix * k >= 2**62:  # keep the mixed-radix number inside int64
            combined = pd.factorize(combined)[0].astype(np.int64)
            radix = int(combined.max()) + 1 if n else 1
        combined = combined * k + codes
        radix *= k
    if n == 0:
        return np.zeros(0, dtype=np.int64), frame.iloc[:0].reset_index(drop=True)
    if radix <= 4 * n + (1 << 16):
        first_of = np.full(radix, n, dtype=np.int64)
        first_of[combined[::-1]] = np.arange(n - 1, -1, -1)  # the last write is the first row
        present = np.flatnonzero(first_of < n)
        first = np.sort(first_of[present])  # groups in order of first appearance
        remap = np.empty(radix, dtype=np.int64)
        remap[combined[first]] = np.arange(len(first))
        return remap[combined], frame.iloc[first].reset_index(drop=True)
    codes, _ = pd.factorize(combined)
    codes = codes.astype(np.int64)
    k = int(codes.max()) + 1
    first = np.empty(k, dtype=np.int64)
    first[codes[::-1]] = np.arange(n - 1, -1, -1)  # the last write of each code is its first row
    return codes, frame.iloc[first].reset_index(drop=True)


# ---------------------------------------------------------------------------- the computation
@dataclass
class Computed:
    """Output of :func:`compute_lines`: columns for every input line, and engine rejections."""

    columns: pd.DataFrame
    issues: Issues
    price_points: dict[str, prices.PricePoint]
    reference_prices: dict[int, tuple[float, str]]
    fx_used: dict[str, prices.FxRate]
    default_keys: pd.DataFrame  # distinct default-value lookups and their results
    benchmark_keys: pd.DataFrame  # distinct benchmark lookups and their results


def small_codes(codes: np.ndarray, k: int) -> np.ndarray:
    """Category codes in the narrowest integer type that holds k categories (and -1)."""
    for t in (np.int8, np.int16, np.int32):
        if k < np.iinfo(t).max:
            return codes.astype(t, copy=False)
    return codes.astype(np.int64, copy=False)


def categorical(codes: np.ndarray, values) -> pd.Categorical:
    """Per-line text from per-key values: codes index ``values`` (-1: none, shown as '')."""
    vals = pd.Series(list(values), dtype=object).fillna("").astype(str)
    vcodes, cats = pd.factorize(pd.concat([vals, pd.Series([""], dtype=object)], ignore_index=True))
    table = small_codes(vcodes, len(cats))  # the last entry is '' : code -1 takes it
    return pd.Categorical.from_codes(
        table[codes], dtype=pd.CategoricalDtype(pd.Index(cats, dtype=object)), validate=False
    )


@dataclass
class Lookup:
    """Answers of a law-table lookup: per-line codes into a table of distinct keys and answers."""

    codes: np.ndarray  # -1 where the line was not looked up
    table: pd.DataFrame

    def num(self, column: str) -> np.ndarray:
        vals = pd.to_numeric(self.table[column], errors="coerce").to_numpy(dtype=float)
        return np.append(vals, np.nan)[self.codes]  # code -1 takes the trailing NaN

    def flag(self, column: str) -> np.ndarray:
        vals = self.table[column].fillna(False).to_numpy(dtype=bool)
        return np.append(vals, False)[self.codes]

    def text(self, column: str) -> pd.Categorical:
        return categorical(self.codes, self.table[column].to_numpy(dtype=object))


def _lookup(
    keys: pd.DataFrame, mask: np.ndarray, resolve, columns: list[str], prefix: str, issues: Issues, header
) -> Lookup:
    """A lookup in the law's tables, resolved once per distinct key among the ``mask`` lines.
    Lines the law cannot answer get the resolver's reason (``<prefix>_reject_column`` /
    ``<prefix>_reject_reason``)."""
    codes = np.full(len(keys), -1, dtype=np.int64)
    table = pd.DataFrame(columns=[*keys.columns, *columns])
    if mask.any():
        sub, uniq = factorize_frame(keys.loc[mask])
        codes[mask] = sub
        uniq = uniq.astype(
            {c: object for c in uniq.columns if isinstance(uniq[c].dtype, pd.CategoricalDtype)}
        )
        table = pd.concat([uniq, resolve(uniq)], axis=1)
        reason = np.append(table[f"{prefix}_reject_reason"].fillna("").to_numpy(dtype=object), "")
        where = np.append(table[f"{prefix}_reject_column"].fillna("").to_numpy(dtype=object), "")
        for c in np.unique(where[reason != ""]):
            hit = (reason != "") & (where == c)
            issues.add(hit[codes], header(c), lambda pos, r=reason: r[codes[pos]])
    return Lookup(codes, table)


def compute_lines(
    lines: pd.DataFrame,
    ref: ReferenceData,
    options: CalcOptions,
    book: prices.PriceBook,
    headers: dict[str, str] | None = None,
) -> Computed:
    """Compute every figure of every line. ``lines`` has the typed columns of io.validate (text
    columns as categoricals).

    Lines the law cannot compute (a route is needed, no default value exists ...) are returned in
    ``issues`` and must be moved to Rejected by the caller; their figures are meaningless.
    """
    headers = headers or {}
    n = len(lines)
    issues = Issues(n)

    def header(name: str) -> str:
        return headers.get(name, name)

    cn = pd.Categorical(lines["cn_code"])
    country = pd.Categorical(lines["country_iso2"])
    route = pd.Categorical(lines["route"])
    year = lines["year"].to_numpy(dtype=np.int64)
    quarter = lines["quarter"].to_numpy(dtype=np.int64)
    mass = lines["net_mass_t"].to_numpy(dtype=float)
    see_direct_in = lines["see_direct"].to_numpy(dtype=float)
    see_indirect_in = lines["see_indirect"].to_numpy(dtype=float)

    # goods attributes per distinct CN code, then per line by code
    goods = ref.goods
    cn_codes = np.asarray(cn.codes, dtype=np.int64)
    gi = goods.index.get_indexer(np.asarray(cn.categories, dtype=object))
    sector = categorical(cn_codes, goods["sector"].to_numpy(dtype=object)[gi])
    direct_only = np.append(goods["direct_only"].to_numpy(dtype=bool)[gi], False)[cn_codes]
    description = categorical(cn_codes, goods["description"].to_numpy(dtype=object)[gi])
    actual = ~np.isnan(see_direct_in)
    electricity = np.asarray(sector == ELECTRICITY)

    issues.add(
        electricity & ~actual,
        header("see_direct"),
        "electricity needs its actual emission factor in see_direct (tCO2/MWh): the default "
        "grid factors of IR 2025/2621 Annex III are IEA data under CC BY-NC-SA and are not "
        "bundled",
    )
    issues.add(
        actual & ~direct_only & np.isnan(see_indirect_in),
        header("see_indirect"),
        "indirect emissions count for this good (not in Annex II): give see_indirect with "
        "see_direct (0 if there are none)",
    )

    # --- default values: one lookup per distinct (cn, country, route, year)
    frame = pd.DataFrame(
        {
            "cn_code": cn,
            "country_iso2": country,
            "route": route,
            "year": year,
            "sector": sector,
            "direct_only": direct_only,
        },
        copy=False,  # no consolidation into 2D blocks: the columns are only read
    )
    dres = _lookup(
        frame,
        ~actual & ~electricity,
        lambda u: defaults.resolve_default_values(u, ref),
        defaults.RESULT_COLUMNS,
        "default",
        issues,
        header,
    )
    see_direct = np.where(actual, see_direct_in, dres.num("see_default_direct_tco2e_per_t"))
    see_indirect = np.where(actual, see_indirect_in, dres.num("see_default_indirect_tco2e_per_t"))
    see = np.where(
        actual,
        emissions.specific_embedded_emissions(see_direct_in, see_indirect_in, direct_only),
        dres.num("see_default_tco2e_per_t"),
    )
    embedded = emissions.embedded_emissions(mass, see)

    # --- benchmarks: one lookup per distinct (cn, actual, route, default route, year)
    bframe = pd.DataFrame(
        {
            "cn_code": cn,
            "actual": actual,
            "route": route,
            "default_route": dres.text("default_route"),
            "year": year,
            "sector": sector,
        },
        copy=False,
    )
    bres = _lookup(
        bframe,
        ~issues.bad,
        lambda u: free_allocation.resolve_benchmarks(u, ref),
        free_allocation.RESULT_COLUMNS,
        "benchmark",
        issues,
        header,
    )
    benchmark = bres.num("benchmark_tco2e_per_t")
    factor = free_allocation.cbam_factor(np.where(year > 0, year, 2026))
    cscf, _ = free_allocation.cscf(np.where(year > 0, year, 2026))

    def actual_only(name: str) -> np.ndarray:
        return np.where(actual, lines[name].to_numpy(dtype=float), np.nan)

    sefa, precursor_term = free_allocation.specific_embedded_free_allocation(
        factor,
        cscf,
        benchmark,
        actual_only("precursor_mass_t_per_t"),
        actual_only("precursor_sefa_tco2e_per_t"),
        actual_only("precursor_benchmark_tco2e_per_t"),
    )
    sefa = np.where(electricity, 0.0, sefa)
    faa = free_allocation.free_allocation_adjustment(mass, sefa)

    # --- certificate price of the period of import, one lookup per distinct date
    pcodes, uniq = factorize_frame(
        pd.DataFrame({"year": year, "quarter": quarter, "day": lines["import_date"].to_numpy()})
    )
    keys = []
    for y, q, d in uniq.itertuples(index=False):
        day = None if pd.isna(d) else pd.Timestamp(d).date()
        keys.append(prices.period_key(int(y), int(q), day) if y > 0 else "")
    points: dict[str, prices.PricePoint] = {}
    for k in dict.fromkeys(keys):
        if k:
            with contextlib.suppress(KeyError):  # no price for the period: the line is rejected below
                points[k] = book.lookup(k)
    missing_price = np.array([k not in points for k in keys], dtype=bool)
    issues.add(
        missing_price[pcodes],
        header("import_date"),
        "no certificate price for this period: give one with --price",
    )
    price = np.array([points[k].price_eur_per_tco2e if k in points else np.nan for k in keys])[pcodes]
    price_status = categorical(pcodes, [points[k].status if k in points else "" for k in keys])
    price_period = categorical(pcodes, keys)

    # --- Article 9 (draft)
    years_present = sorted({int(y) for y in np.unique(year) if y > 0})
    ref_prices = {y: book.reference_price(y) for y in years_present}
    p_ref_of_year = np.full(max(years_present, default=0) + 1, np.nan)
    for y, v in ref_prices.items():
        p_ref_of_year[y] = v[0]
    p_ref = p_ref_of_year[np.where(year > 0, year, 0)]
    paid = lines["carbon_price_paid"].to_numpy(dtype=float)
    has_paid = ~np.isnan(paid) & (paid > 0)
    fx_used: dict[str, prices.FxRate] = {}
    units_per_eur = np.full(n, np.nan)
    if has_paid.any():
        currency = pd.Categorical(lines["carbon_price_currency"])
        fcodes, funiq = factorize_frame(pd.DataFrame({"c": currency[has_paid], "y": year[has_paid]}))
        rates = []
        for c, y in funiq.itertuples(index=False):
            r = prices.fx_rate(ref, str(c), int(y), options.fx)
            rates.append(np.nan if r is None else r.units_per_eur)
            if r is not None:
                fx_used[f"{c} {y}"] = r
        units_per_eur[has_paid] = np.asarray(rates, dtype=float)[fcodes]
        issues.add(
            has_paid & np.isnan(units_per_eur),
            header("carbon_price_currency"),
            "no yearly EUR exchange rate for this currency and year: give one with --fx",
        )
    dcp = _default_carbon_prices(ref, options)
    default_price = np.full(n, np.nan)
    if dcp:
        dcodes, duniq = factorize_frame(pd.DataFrame({"c": country, "y": year}))
        default_price = np.array(
            [dcp.get((str(c), int(y)), np.nan) for c, y in duniq.itertuples(index=False)], dtype=float
        )[dcodes]
    track = art9.choose_track(options.art9, actual, has_paid, ~np.isnan(default_price))
    evidenced = lines["carbon_price_evidenced"].to_numpy(dtype=bool)
    effective = art9.effective_price_paid_eur_per_t(
        paid,
        lines["carbon_price_per_tco2e"].to_numpy(dtype=bool),
        see,
        lines["carbon_price_free_share"].to_numpy(dtype=float),
        lines["carbon_price_rebate"].to_numpy(dtype=float),
        units_per_eur,
    )
    reduction = np.where(
        track == art9.TRACK_ACTUAL,
        art9.reduction_actual_tco2e(effective, p_ref, mass),
        np.where(
            track == art9.TRACK_DEFAULT, art9.reduction_default_tco2e(default_price, see, p_ref, mass), 0.0
        ),
    )
    reduction = np.where(evidenced, np.nan_to_num(reduction), 0.0)
    reduction = art9.cap_reduction(reduction, embedded, faa)

    # --- certificates, before de minimis
    certificates = np.maximum(embedded - faa - reduction, 0.0)

    cols = {
        "description": description,
        "sector": sector,
        "direct_only": direct_only,
        "emissions_data": pd.Categorical.from_codes(actual.astype(np.int8), ["default", "actual"]),
        "default_table": dres.text("default_table"),
        "default_table_name": dres.text("default_table_name"),
        "default_cn_prefix": dres.text("default_cn_prefix"),
        "default_markup_rate": dres.num("default_markup_rate"),
        "default_direct_base_tco2e_per_t": dres.num("default_direct_base_tco2e_per_t"),
        "see_direct_tco2e_per_t": see_direct,
        "see_indirect_tco2e_per_t": see_indirect,
        "see_tco2e_per_t": see,
        "embedded_tco2e": embedded,
        "benchmark_column": bres.text("benchmark_column"),
        "benchmark_route": bres.text("benchmark_route"),
        "benchmark_route_basis": bres.text("benchmark_route_basis"),
        "benchmark_period": bres.text("benchmark_period"),
        "benchmark_projection": bres.flag("benchmark_projection"),
        "benchmark_tco2e_per_t": benchmark,
        "cbam_factor": factor,
        "cscf": cscf,
        "precursor_sefa_term_tco2e_per_t": precursor_term,
        "column_b_tco2e_per_t": bres.num("column_b_tco2e_per_t"),
        "sefa_tco2e_per_t": sefa,
        "free_allocation_tco2e": faa,
        "art9_track": pd.Categorical.from_codes(track, list(art9.TRACKS)),
        "carbon_price_paid_eur_per_t": np.where(track == art9.TRACK_ACTUAL, effective, np.nan),
        "default_carbon_price_eur_per_tco2e": np.where(track == art9.TRACK_DEFAULT, default_price, np.nan),
        "reference_price_eur_per_tco2e": np.where(track != art9.TRACK_NONE, p_ref, np.nan),
        "art9_reduction_tco2e": reduction,
        "certificates": certificates,
        "price_period": price_period,
        "price_eur_per_tco2e": price,
        "price_status": price_status,
    }
    frame_out = pd.DataFrame(cols, index=lines.index, copy=False)
    return Computed(frame_out, issues, points, ref_prices, fx_used, dres.table, bres.table)


def _default_carbon_prices(ref: ReferenceData, options: CalcOptions) -> dict[tuple[str, int], float]:
    """Default carbon price by (country, year): the Commission's, or the user's where given."""
    out: dict[tuple[str, int], float] = {}
    table = ref.default_carbon_prices
    for r in table.itertuples(index=False):
        out[(r.country_iso2, int(r.year))] = float(r.price_eur_per_tco2e)
    if options.default_carbon_price:
        from cbam_calc.params import supported_years

        for c, v in options.default_carbon_price.items():
            for y in supported_years():
                out[(c, y)] = v
    return out


NO_IMPORTER = "(all lines)"


def exempt_lines(lines: pd.DataFrame, sector, exempt: set[tuple[str, int]]) -> np.ndarray:
    """Lines that owe nothing under de minimis: their (importer, year) is exempt and their sector
    is not one that is never exempt. Decided once per distinct (importer, year)."""
    if not exempt:
        return np.zeros(len(lines), dtype=bool)
    codes, uniq = factorize_frame(pd.DataFrame({"i": lines["importer"], "y": lines["year"]}))
    hit = np.array(
        [(str(i) or NO_IMPORTER, int(y)) in exempt for i, y in uniq.itertuples(index=False)], dtype=bool
    )
    counts = ~np.asarray(pd.Series(sector).isin(de_minimis.never_exempt_sectors()))
    return hit[codes] & counts


def named_importers(importer) -> pd.Series:
    """Importers as de minimis counts them: lines without one form one importer."""
    cat = pd.Categorical(importer)
    if "" in cat.categories and NO_IMPORTER not in cat.categories:
        cat = cat.rename_categories([c or NO_IMPORTER for c in cat.categories])
    return pd.Series(cat)


def apply_de_minimis(
    cols: pd.DataFrame, lines: pd.DataFrame, enabled: bool
) -> tuple[np.ndarray, pd.DataFrame]:
    """Exempt lines of importers at or under the threshold (Art 2a); certificates become 0."""
    exempt, table = de_minimis.de_minimis(
        named_importers(lines["importer"]),
        lines["year"].to_numpy(),
        pd.Series(cols["sector"]),
        lines["net_mass_t"].to_numpy(dtype=float),
    )
    if not enabled:
        exempt = np.zeros(len(cols), dtype=bool)
        table = table.assign(exempt=False)
    return exempt, table


# ---------------------------------------------------------------------------- notes
def line_notes(out: pd.DataFrame) -> pd.Categorical:
    """A short plain-language note per line, built once per distinct combination of flags."""
    flags = pd.DataFrame(
        {
            "default": out["emissions_data"].eq("default"),
            "table": out["default_table"],
            "country": out["default_table_name"],
            "rate": out["default_markup_rate"].fillna(0).round(3),
            "ind_excl": out["direct_only"]
            & out["emissions_data"].eq("actual")
            & out["see_indirect_tco2e_per_t"].fillna(0).gt(0),
            "bm_proj": out["benchmark_projection"],
            "complex": out["emissions_data"].eq("actual")
            & ~out["sector"].eq(ELECTRICITY)
            & out["precursor_sefa_term_tco2e_per_t"].eq(0)
            & (out["benchmark_tco2e_per_t"] < out["column_b_tco2e_per_t"] - 1e-9),
            "bm_route": out["benchmark_route"],
            "bm_basis": out["benchmark_route_basis"],
            "price": out["price_status"],
            "art9": out["art9_track"],
            "exempt": out["de_minimis_exempt"],
            "elec": out["sector"].eq(ELECTRICITY),
        }
    )
    codes, uniq = factorize_frame(flags)
    cited = {
        t: reference_data().table_meta(f"eu/{t}.csv")["citation"]
        for t in ("default_values", "annex_iv_defaults")
    }
    texts = []
    for f in uniq.itertuples(index=False):
        parts = []
        if f.default:
            where = {
                "country": f"{f.country} table",
                "other": "Other Countries and Territories",
                "annex_iv": "highest value, origin unknown",
            }.get(f.table, f.table)
            act = cited["annex_iv_defaults" if f.table == "annex_iv" else "default_values"]
            parts.append(f"default value {act} ({where}, +{f.rate:.0%} mark-up)")
        if f.ind_excl:
            parts.append("indirect emissions given but not counted (Annex II good)")
        if f.elec:
            parts.append("electricity: no free allocation")
        if f.complex:
            parts.append(
                "actual data: the Column A benchmark covers this good's own process only; "
                "give precursor_mass_t_per_t and precursor_benchmark_tco2e_per_t to add the "
                "precursors' free allocation (IR 2025/2620 Eq 4)"
            )
        if f.default and f.bm_route:  # the route indicator printed with the default value decides
            parts.append(f"benchmark route {f.bm_route}: {f.bm_basis}")
        if f.bm_proj:
            parts.append("benchmark after 2030 is a projection (2028-2030 values)")
        if f.price and f.price != "published":
            parts.append(f"certificate price: {f.price}")
        if f.art9:
            parts.append(f"Art 9 {f.art9} track (DRAFT rules)")
        if f.exempt:
            parts.append("de minimis: importer at or under 50 t, nothing owed (Art 2a)")
        texts.append("; ".join(parts))
    return categorical(codes, texts)


# ---------------------------------------------------------------------------- summary
def _figures(df: pd.DataFrame) -> dict:
    """Headline figures of a table of lines, or of groups from :func:`aggregate` (``_lines``)."""
    elec = df["sector"].eq(ELECTRICITY).to_numpy()
    mass = df["net_mass_t"].to_numpy(dtype=float)
    cost = df["cost_eur"].to_numpy(dtype=float)
    goods_mass = float(mass[~elec].sum())
    goods_cost = float(cost[~elec].sum())
    return {
        "lines": int(df["_lines"].sum()) if "_lines" in df.columns else len(df),
        "net_mass_t": round(goods_mass, 6),
        "electricity_mwh": round(float(mass[elec].sum()), 6),
        "embedded_tco2e": round(float(df["embedded_tco2e"].sum()), 6),
        "free_allocation_tco2e": round(float(df["free_allocation_tco2e"].sum()), 6),
        "art9_reduction_tco2e": round(float(df["art9_reduction_tco2e"].sum()), 6),
        "certificates": round(float(df["certificates"].sum()), 6),
        "cost_eur": round(float(cost.sum()), 2),
        "eur_per_t": round(goods_cost / goods_mass, 2) if goods_mass > 0 else None,
    }


# Keys of the summary groups: what the summary, the Parameters table and de minimis need.
GROUP_KEYS = [
    "importer",
    "year",
    "sector",
    "cn_code",
    "price_period",
    "benchmark_projection",
    "art9_track",
    "emissions_data",
]
# Keys of the report groups: what the report tables (by country, by installation ...) roll up.
REPORT_KEYS = ["year", "sector", "cn_code", "country_iso2", "importer", "installation"]
GROUP_SUMS = [
    "net_mass_t",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "cost_eur",
]


def aggregate(out: pd.DataFrame, keys: list[str] = GROUP_KEYS) -> pd.DataFrame:
    """Sums of computed lines by ``keys``, BEFORE de minimis: small, and combinable by summing
    again, so partitions of a big input (Dask, batches) reduce to the same figures. Keys are
    factorised (categorical codes) and summed with bincount: no Python object per line."""
    codes, uniq = factorize_frame(out[keys])
    k = len(uniq)
    table = uniq.astype(object)
    for c in GROUP_SUMS:
        table[c] = np.bincount(codes, weights=out[c].to_numpy(dtype=float), minlength=k)
    table["_lines"] = np.bincount(codes, minlength=k).astype(np.int64)
    table["year"] = table["year"].astype(np.int64)
    if "benchmark_projection" in table:
        table["benchmark_projection"] = table["benchmark_projection"].astype(bool)
    return table


def combine(groups: list[pd.DataFrame], keys: list[str] = GROUP_KEYS) -> pd.DataFrame:
    """Several aggregates (one per partition or file) as one."""
    present = [g for g in groups if len(g)]
    if not present:
        return pd.DataFrame(columns=[*keys, *GROUP_SUMS, "_lines"])
    if len(present) == 1:
        return present[0]
    frame = pd.concat(present, ignore_index=True)
    return frame.groupby(keys, sort=False, dropna=False, observed=True).sum().reset_index()


def without_exempt(groups: pd.DataFrame, exempt: set[tuple[str, int]]) -> pd.DataFrame:
    """Groups with the certificates and cost of de minimis importers set to 0 (same rule as
    exempt_lines: the (importer, year) is exempt and the sector is not never-exempt)."""
    out = groups.copy()
    if exempt and len(out):
        hit = exempt_lines(out, out["sector"], exempt)
        out["certificates"] = np.where(hit, 0.0, out["certificates"].to_numpy(dtype=float))
        out["cost_eur"] = np.where(hit, 0.0, out["cost_eur"].to_numpy(dtype=float))
    return out


def de_minimis_groups(groups: pd.DataFrame, enabled: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Art 2a on aggregated groups: the importers' yearly masses decide, exempt groups owe nothing."""
    _, table = de_minimis.de_minimis(
        named_importers(groups["importer"].astype(str)),
        groups["year"].to_numpy(),
        groups["sector"],
        groups["net_mass_t"].to_numpy(dtype=float),
    )
    if not enabled:
        table = table.assign(exempt=False)
    return without_exempt(groups, exempt_keys(table)), table


def _figures_by(df: pd.DataFrame, key: str) -> list[tuple[str, dict]]:
    """_figures for each value of ``key`` of a group table, in one groupby."""
    if df.empty:
        return []
    elec = df["sector"].eq(ELECTRICITY).to_numpy()
    mass = df["net_mass_t"].to_numpy(dtype=float)
    cost = df["cost_eur"].to_numpy(dtype=float)
    t = (
        pd.DataFrame(
            {
                key: df[key].astype(str).to_numpy(),
                "lines": df["_lines"].to_numpy(),
                "goods_mass": np.where(elec, 0.0, mass),
                "mwh": np.where(elec, mass, 0.0),
                "goods_cost": np.where(elec, 0.0, cost),
                "cost": cost,
                **{
                    c: df[c].to_numpy(dtype=float)
                    for c in (
                        "embedded_tco2e",
                        "free_allocation_tco2e",
                        "art9_reduction_tco2e",
                        "certificates",
                    )
                },
            }
        )
        .groupby(key, sort=True)
        .sum()
    )
    out = []
    for k, r in t.iterrows():
        out.append(
            (
                str(k),
                {
                    "lines": int(r["lines"]),
                    "net_mass_t": round(float(r["goods_mass"]), 6),
                    "electricity_mwh": round(float(r["mwh"]), 6),
                    "embedded_tco2e": round(float(r["embedded_tco2e"]), 6),
                    "free_allocation_tco2e": round(float(r["free_allocation_tco2e"]), 6),
                    "art9_reduction_tco2e": round(float(r["art9_reduction_tco2e"]), 6),
                    "certificates": round(float(r["certificates"]), 6),
                    "cost_eur": round(float(r["cost"]), 2),
                    "eur_per_t": round(float(r["goods_cost"]) / float(r["goods_mass"]), 2)
                    if r["goods_mass"] > 0
                    else None,
                },
            )
        )
    return out


def unpublished_prices_warning(used_prices) -> str:
    """The warning listing the certificate prices used that are not published figures ('' if
    none): recomputed, partial or projected periods."""
    not_pub = sorted({f"{p.source_period} ({p.status})" for p in used_prices if p.status != "published"})
    return WARN_UNPUBLISHED_PRICES + ", ".join(not_pub) if not_pub else ""


def summarise(
    out: pd.DataFrame,
    rows_read: int,
    rejected: int,
    options: CalcOptions,
    comp: Computed,
    deminimis_table: pd.DataFrame,
    warnings: list[str],
    inputs: list[InputFile],
    ref: ReferenceData,
) -> CalcSummary:
    """The run's summary from aggregated groups (:func:`aggregate`, after de minimis)."""
    years = sorted({int(y) for y in out["year"].unique()}) if len(out) else []
    by_sector = [SectorFigures(sector=k, **f) for k, f in _figures_by(out, "sector")]
    desc = ref.goods["description"].to_dict()
    sector_of = out.drop_duplicates("cn_code").set_index("cn_code")["sector"].to_dict() if len(out) else {}
    by_cn = [
        CnFigures(cn_code=k, description=desc.get(k, ""), sector=str(sector_of[k]), **f)
        for k, f in _figures_by(out, "cn_code")
    ]
    counts = out.groupby("price_period")["_lines"].sum().to_dict() if len(out) else {}
    used_prices = [
        PriceUsed(
            period=k,
            price_eur_per_tco2e=p.price_eur_per_tco2e,
            status=p.status,
            source_period=p.source_period,
            source=p.source,
            lines=int(counts.get(k, 0)),
        )
        for k, p in sorted(comp.price_points.items())
        if counts.get(k, 0)
    ]
    art9_on = options.art9 != art9.Art9Track.OFF
    track_used = out["art9_track"].ne("").any() if len(out) else False
    cscf_values, cscf_prov = free_allocation.cscf(np.asarray(years or [2026]))
    draft_date, draft_doc = art9.draft_act()
    draft = [
        f"Art 9 carbon price paid: draft implementing regulation of {draft_date}, track "
        f"'{options.art9.value}'" + ("" if art9_on else " (off: no carbon price recognised)")
    ]
    bm_proj_years = sorted({int(y) for y in out.loc[out["benchmark_projection"], "year"]}) if len(out) else []
    if cscf_prov.any():
        warnings = [*warnings, WARN_CSCF]
    price_warning = unpublished_prices_warning(used_prices)
    if price_warning:
        warnings = [*warnings, price_warning]
    assumptions = Assumptions(
        years=years,
        year_override=options.year,
        certificate_prices=used_prices,
        price_override_eur_per_tco2e=options.price_eur_per_tco2e,
        cbam_factor={y: float(parameter("cbam_factor").at(y)) for y in years},
        cscf={y: float(v) for y, v in zip(years, cscf_values)} if years else {},
        cscf_provisional=bool(cscf_prov.any()),
        art9_track=options.art9.value,
        art9_status="DRAFT: Art 9 implementing regulation not adopted; figures rest on the draft of "
        f"{draft_date} ({draft_doc})",
        art9_reference_prices=[
            ReferencePriceUsed(year=y, price_eur_per_tco2e=v[0], status=v[1])
            for y, v in sorted(comp.reference_prices.items())
        ]
        if track_used
        else [],
        default_carbon_prices=dict(options.default_carbon_price),
        fx_used={k: r.units_per_eur for k, r in sorted(comp.fx_used.items())},
        draft_rules_in_force=draft,
        de_minimis=options.de_minimis,
        benchmark_projection_years=bm_proj_years,
        sources={
            "embedded emissions": "Regulation (EU) 2023/956 Art 7 and Annex II",
            "default values": "Implementing Regulation (EU) 2025/2621 Annexes I and IV as amended by "
            "Implementing Regulation (EU) 2026/1740 (base values; the mark-up of the year applied "
            "and rounded by cbam-calc)",
            "free allocation adjustment": "Implementing Regulation (EU) 2025/2620 Eq 1-6 and Annex",
            "CBAM factor": "Directive 2003/87/EC Art 10a(1a) (Directive (EU) 2023/959)",
            "certificate price": "Regulation (EU) 2023/956 Art 21; Implementing Regulation (EU) "
            "2025/2548; EEX auction reports",
            "de minimis": "Regulation (EU) 2023/956 Art 2a (Regulation (EU) 2025/2083)",
            "Art 9": f"draft implementing regulation, {draft_date} (not law)",
            "exchange rates": "European Central Bank euro reference rates, yearly average",
        },
    )
    figures = (
        _figures(out)
        if len(out)
        else dict.fromkeys(
            [
                "net_mass_t",
                "electricity_mwh",
                "embedded_tco2e",
                "free_allocation_tco2e",
                "art9_reduction_tco2e",
                "certificates",
                "cost_eur",
            ],
            0.0,
        )
        | {"eur_per_t": None, "lines": 0}
    )
    figures.pop("lines")
    return CalcSummary(
        cbam_calc_version=__version__,
        rows_read=rows_read,
        lines=int(out["_lines"].sum()) if len(out) else 0,
        rejected=rejected,
        **figures,
        by_sector=by_sector,
        by_cn_code=by_cn,
        de_minimis=[
            DeMinimisOutcome(
                importer=str(r.importer),
                year=int(r.year),
                annex_i_mass_t=round(float(r.annex_i_mass_t), 6),
                threshold_t=float(r.threshold_t),
                exempt=bool(r.exempt),
            )
            for r in deminimis_table.itertuples(index=False)
        ],
        assumptions=assumptions,
        warnings=warnings,
        inputs=inputs,
        reference_data_sha256=ref.fingerprint,
    )


# ---------------------------------------------------------------------------- parameters sheet
def parameters_table(out: pd.DataFrame, comp: Computed, options: CalcOptions) -> pd.DataFrame:
    """Every figure the run used, with its legal or market source and effective date."""
    rows: list[dict] = []

    def add(parameter_: str, key: str, value, unit: str, status: str, source: str, effective: str):
        rows.append(
            {
                "parameter": parameter_,
                "key": key,
                "value": value,
                "unit": unit,
                "status": status,
                "source": source,
                "effective_from": effective,
            }
        )

    years = sorted({int(y) for y in out["year"].unique()}) if len(out) else []
    pf = parameter("cbam_factor")
    for y in years:
        add(
            "CBAM factor",
            str(y),
            float(pf.at(y)),
            "ratio",
            pf.status,
            pf.citation,
            pf.effective_from(y).isoformat(),
        )
    pc = parameter("cscf")
    cvals, cprov = free_allocation.cscf(np.asarray(years or [2026]))
    for y, v, prov in zip(years, cvals, cprov):
        add(
            "CSCF",
            str(y),
            float(v),
            "ratio",
            "provisional" if prov else "published",
            pc.citation,
            f"{y}-01-01",
        )
    pm = parameter("default_markup")
    if len(out) and out["emissions_data"].eq("default").any():
        used = out.loc[out["emissions_data"].eq("default"), ["sector", "year"]].drop_duplicates()
        for s, y in sorted(used.itertuples(index=False)):
            key = "fertilisers" if s == "fertilisers" else "general"
            add(
                "default value mark-up",
                f"{s} {y}",
                float(pm.at(int(y), key)),
                "ratio",
                pm.status,
                pm.citation,
                pm.effective_from(int(y), key).isoformat(),
            )
        rounding = pm.extra["rounding"]  # stated where the mark-up is: IR 2026/1740 sets none
        add(
            "default value rounding",
            f"base x (1 + mark-up), {rounding['mode'].replace('_', ' ')}",
            int(rounding["decimals"]),
            "decimals",
            rounding["status"],
            " ".join(str(rounding["text"]).split()),
            pm.since("general").isoformat(),
        )
    pd_ = parameter("de_minimis")
    for y in years:
        add(
            "de minimis threshold",
            str(y),
            float(pd_.at(y)),
            "t",
            pd_.status,
            pd_.citation,
            pd_.effective_from(y).isoformat(),
        )
    counts = out.groupby("price_period")["_lines"].sum().to_dict() if len(out) else {}
    for k, p in sorted(comp.price_points.items()):
        if counts.get(k):
            add(
                "CBAM certificate price",
                k,
                p.price_eur_per_tco2e,
                "EUR/tCO2e",
                p.status,
                p.source,
                p.source_period,
            )
    if len(out) and out["art9_track"].ne("").any():
        pa = parameter("art9_draft")
        for y, (v, st) in sorted(comp.reference_prices.items()):
            add(
                "Art 9 reference price P_ref",
                str(y),
                v,
                "EUR/tCO2e",
                f"{st} (rule: DRAFT)",
                "yearly average of certificate prices, rounded to the cent; " + pa.citation,
                f"{y}-01-01",
            )
        for key, r in sorted(comp.fx_used.items()):
            add(
                "exchange rate",
                key,
                r.units_per_eur,
                f"{r.currency} per EUR",
                r.status,
                r.source,
                f"{r.year}-01-01",
            )
        for c, v in sorted(options.default_carbon_price.items()):
            add("default carbon price", c, v, "EUR/tCO2e", "user", "given by the user", "")
    dk = comp.default_keys
    if len(dk):
        used = dk[dk["default_reject_reason"].eq("")]
        for r in used.drop_duplicates(
            ["default_table_name", "default_cn_prefix", "default_route", "year", "direct_only"]
        ).itertuples(index=False):
            route = f" route {r.default_route}" if r.default_route else ""
            annex_iv = r.default_table == "annex_iv"
            table = "eu/annex_iv_defaults.csv" if annex_iv else "eu/default_values.csv"
            meta = reference_data().table_meta(table)
            src = meta["citation"] if annex_iv else f"{meta['citation']}, table {r.default_table_name}"
            default_values_from = str(meta["effective_from"])
            add(
                "default value incl. mark-up (counted)",
                f"{r.default_cn_prefix}{route} {r.country_iso2} {r.year}",
                float(r.see_default_tco2e_per_t),
                "tCO2e/t",
                "law",
                src,
                default_values_from,
            )
    bk = comp.benchmark_keys
    if len(bk):
        used = bk[bk["benchmark_reject_reason"].eq("") & bk["benchmark_column"].ne("")]
        for r in used.drop_duplicates(
            ["cn_code", "benchmark_column", "benchmark_route", "benchmark_period"]
        ).itertuples(index=False):
            route = f" route {r.benchmark_route}" if r.benchmark_route else ""
            add(
                "CBAM benchmark",
                f"{r.cn_code} column {r.benchmark_column}{route} period {r.benchmark_period}",
                float(r.benchmark_tco2e_per_t),
                "tCO2e/t",
                "projection" if r.benchmark_projection else "law",
                "IR 2025/2620 Annex (" + r.benchmark_route_basis + ")",
                free_allocation.benchmark_period_start(str(r.benchmark_period)),
            )
    return pd.DataFrame(
        rows, columns=["parameter", "key", "value", "unit", "status", "source", "effective_from"]
    )


# ---------------------------------------------------------------------------- entry points
@dataclass
class Part:
    """One table (a file, or a partition of a big input) computed up to, not including, de minimis,
    which needs every line of an importer's year."""

    validated: Validated
    comp: Computed
    good: np.ndarray  # lines of validated.lines that computed
    rejected: pd.DataFrame
    groups: pd.DataFrame  # aggregate() of the computed lines, before de minimis
    warnings: list[str]
    before: pd.DataFrame  # the computed lines' keys and sums (columns shared, not copied)

    @property
    def rows_read(self) -> int:
        return self.validated.raw.rows_read

    def report_groups(self) -> pd.DataFrame:
        """Sums by REPORT_KEYS, before de minimis."""
        return aggregate(self.before, REPORT_KEYS)

    def slim(self) -> PartSummary:
        """What a worker sends back: no lines, only what the run's summary needs."""
        c = self.comp
        comp = Computed(
            pd.DataFrame(),
            Issues(0),
            c.price_points,
            c.reference_prices,
            c.fx_used,
            c.default_keys,
            c.benchmark_keys,
        )
        return PartSummary(
            comp, self.rejected, self.groups, self.warnings, self.rows_read, self.report_groups()
        )


@dataclass
class PartSummary:
    """A part without its lines (see Part.slim)."""

    comp: Computed
    rejected: pd.DataFrame
    groups: pd.DataFrame
    warnings: list[str]
    rows_read: int
    report_groups_: pd.DataFrame

    def report_groups(self) -> pd.DataFrame:
        return self.report_groups_


def compute_part(
    validated: Validated, options: CalcOptions, ref: ReferenceData, book: prices.PriceBook
) -> Part:
    """Validated lines -> computed columns, rejected rows and group sums (no de minimis yet)."""
    raw = validated.raw
    lines = validated.lines
    comp = compute_lines(lines, ref, options, book, validated.column_map)
    bad = comp.issues.bad
    positions, columns, reasons = comp.issues.records()
    engine_rejected = rejected_frame(raw, lines.index.to_numpy()[positions], columns, reasons)
    rejected = pd.concat([validated.rejected, engine_rejected], ignore_index=True)
    rejected = rejected.sort_values("row", kind="stable").reset_index(drop=True)
    good = ~bad
    everything = bool(good.all())  # the common case: no copy of every column
    lines_ok = lines if everything else lines.loc[good]
    cols = comp.columns if everything else comp.columns.loc[good]
    certificates = cols["certificates"].to_numpy(dtype=float)
    before = pd.DataFrame(  # Series, not arrays: categorical columns stay codes, no string per line
        {
            "importer": lines_ok["importer"],
            "year": lines_ok["year"],
            "sector": cols["sector"],
            "cn_code": lines_ok["cn_code"],
            "country_iso2": lines_ok["country_iso2"],
            "installation": lines_ok["installation"],
            "price_period": cols["price_period"],
            "benchmark_projection": cols["benchmark_projection"],
            "art9_track": cols["art9_track"],
            "emissions_data": cols["emissions_data"],
            "net_mass_t": lines_ok["net_mass_t"],
            "embedded_tco2e": cols["embedded_tco2e"],
            "free_allocation_tco2e": cols["free_allocation_tco2e"],
            "art9_reduction_tco2e": cols["art9_reduction_tco2e"],
            "certificates": certificates,
            "cost_eur": certificates * cols["price_eur_per_tco2e"].to_numpy(dtype=float),
        },
        index=lines_ok.index,
        copy=False,
    )
    if good.sum() + len(rejected) != raw.rows_read:  # nothing may be lost
        raise AssertionError(
            f"row accounting: {int(good.sum())} lines + {len(rejected)} rejected != {raw.rows_read} rows read"
        )
    warnings = [*raw.warnings, *validated.warnings]
    if raw.blank_rows:
        warnings.append(f"{raw.blank_rows} empty row(s) skipped")
    if options.de_minimis and len(lines_ok) and lines_ok["importer"].eq("").any():
        warnings.append(WARN_NO_IMPORTER)
    if options.de_minimis and rejected["reason"].ne(TOTALS_REASON).any():  # a totals row is no shipment
        warnings.append(WARN_REJECTED_ROWS)
    return Part(validated, comp, good, rejected, aggregate(before), warnings, before)


def exempt_keys(dm_table: pd.DataFrame) -> set[tuple[str, int]]:
    """(importer, year) pairs exempt under de minimis, from de_minimis_groups()."""
    hit = dm_table[dm_table["exempt"]]
    return {(str(i), int(y)) for i, y in zip(hit["importer"], hit["year"])}


def part_lines(part: Part, exempt: set[tuple[str, int]]) -> pd.DataFrame:
    """The Lines table of a part: input columns as given, then every computed column; de minimis
    applied from the exempt (importer, year) pairs of the whole run."""
    raw = part.validated.raw
    everything = bool(part.good.all())
    lines_ok = part.validated.lines if everything else part.validated.lines.loc[part.good]
    cols = (part.comp.columns if everything else part.comp.columns.loc[part.good]).copy()
    is_exempt = exempt_lines(lines_ok, cols["sector"], exempt)
    cols["de_minimis_exempt"] = is_exempt
    cols["certificates"] = np.where(is_exempt, 0.0, cols["certificates"].to_numpy())
    mass = lines_ok["net_mass_t"].to_numpy(dtype=float)
    cols["cost_eur"] = cols["certificates"].to_numpy() * cols["price_eur_per_tco2e"].to_numpy()
    cols["cost_eur_per_t"] = cols["cost_eur"].to_numpy() / mass
    out = pd.concat(
        [
            lines_ok[
                ["row", "cn_code", "country_iso2", "year", "quarter", "net_mass_t", "import_date"]
            ].rename(columns={"import_date": "import_date_used"}),
            cols,
        ],
        axis=1,
    )
    out["notes"] = line_notes(out)
    original = raw.frame.loc[out.index]
    original.columns = [f"input: {c}" if c in LINE_COLUMNS else str(c) for c in original.columns]
    ordered = [c for c in LINE_COLUMNS if c in out.columns]
    return pd.concat([original, out[ordered]], axis=1).reset_index(drop=True)


def merge_computed(comps: list[Computed]) -> Computed:
    """The run-level facts of several parts: prices, reference prices, rates and lookups used."""
    price_points: dict = {}
    reference_prices: dict = {}
    fx_used: dict = {}
    for c in comps:
        price_points.update(c.price_points)
        reference_prices.update(c.reference_prices)
        fx_used.update(c.fx_used)
    default_keys = (
        pd.concat([c.default_keys for c in comps if len(c.default_keys)], ignore_index=True)
        if any(len(c.default_keys) for c in comps)
        else comps[0].default_keys
    )
    benchmark_keys = (
        pd.concat([c.benchmark_keys for c in comps if len(c.benchmark_keys)], ignore_index=True)
        if any(len(c.benchmark_keys) for c in comps)
        else comps[0].benchmark_keys
    )
    return Computed(
        pd.DataFrame(), comps[0].issues, price_points, reference_prices, fx_used, default_keys, benchmark_keys
    )


def finish(
    parts: list[Part],
    options: CalcOptions,
    ref: ReferenceData,
    inputs: list[InputFile],
) -> tuple[CalcSummary, pd.DataFrame, pd.DataFrame, set, pd.DataFrame]:
    """De minimis over every part, then the summary, the Parameters table (built when called), the
    rejected rows, the exempt (importer, year) pairs and the groups after de minimis (built when
    called)."""
    groups, dm_table = de_minimis_groups(combine([p.groups for p in parts]), options.de_minimis)
    comp = merge_computed([p.comp for p in parts])
    rejected = pd.concat([p.rejected for p in parts], ignore_index=True) if parts else pd.DataFrame()
    warnings = list(dict.fromkeys(w for p in parts for w in p.warnings))
    rows_read = sum(p.rows_read for p in parts)
    summary = summarise(groups, rows_read, len(rejected), options, comp, dm_table, warnings, inputs, ref)
    exempt = exempt_keys(dm_table)

    def report_groups() -> pd.DataFrame:
        return without_exempt(combine([p.report_groups() for p in parts], REPORT_KEYS), exempt)

    def params() -> pd.DataFrame:  # the Parameters table, when an output asks for it
        return parameters_table(groups, comp, options)

    return summary, params, rejected, exempt, report_groups


def calculate_validated(
    validated: Validated,
    options: CalcOptions | None = None,
    ref: ReferenceData | None = None,
    price_path: pd.DataFrame | None = None,
) -> CalcResult:
    """Compute a validated table: the library entry point behind ``cbam calc``."""
    options = options or CalcOptions()
    ref = ref or reference_data()
    raw = validated.raw
    book = prices.PriceBook.from_reference(ref, options.price_eur_per_tco2e, price_path)
    part = compute_part(validated, options, ref, book)
    inputs = [
        InputFile(
            file=raw.file,
            sheet=raw.sheet,
            sha256=_sha256(raw.file),
            rows_read=raw.rows_read,
            header_row=raw.header_row,
        )
    ]
    summary, params, rejected, exempt, groups = finish([part], options, ref, inputs)
    return CalcResult(
        lambda: part_lines(part, exempt),
        rejected,
        summary,
        params,
        options,
        list(raw.frame.columns),
        groups,
    )


def calculate(
    path: str | Path,
    options: CalcOptions | None = None,
    sheet: str | None = None,
    ref: ReferenceData | None = None,
    price_path: pd.DataFrame | None = None,
    raise_if_empty: bool = True,
) -> CalcResult:
    """Read a shipments file and compute it. Raises InputFileError for an unusable file and
    NothingComputedError when every row is rejected (unless ``raise_if_empty`` is False)."""
    options = options or CalcOptions()
    ref = ref or reference_data()
    raw: RawTable = read_table(path, sheet)
    validated = validate(raw, ref, options.year)
    result = calculate_validated(validated, options, ref, price_path)
    if raise_if_empty and result.summary.lines == 0:
        first = result.rejected.iloc[0] if len(result.rejected) else None
        detail = ""
        if first is not None:
            value = f" '{first['value']}'" if first["value"] != "" else ""  # as the Rejected list shows it
            detail = f"; first: row {first['row']}, column '{first['column']}'{value}: {first['reason']}"
        where = f"{raw.file}" + (f", sheet '{raw.sheet}'" if raw.sheet else "")
        err = NothingComputedError(
            f"{where}: nothing could be computed, all {raw.rows_read} row(s) rejected{detail}"
        )
        err.result = result  # type: ignore[attr-defined]
        raise err
    return result


__all__ = [
    "LINE_COLUMNS",
    "REJECTED_COLUMNS",
    "CalcResult",
    "calculate",
    "calculate_validated",
    "compute_lines",
]
