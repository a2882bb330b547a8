"""The pipeline: read -> validate -> enrich with reference data -> compute -> summarise.

Long because: one pass of the default-value lookup serves both the default-value lines and the
actual lines' comparison with defaults (compute.default_saving), so both live beside it.

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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cbam_calc.compute.instrument_lines import (
    InstrumentRows,
    instrument_inputs_of,
    instrument_treatment,
    instrument_warnings,
    table_columns,
    table_treatment,
)
from cbam_calc.core.arrays import categorical, factorize_frame
from cbam_calc.core.display import DISPLAY_LINE_COLUMNS
from cbam_calc.core.messages import Message
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.template_match import FROM_TEMPLATE
from cbam_calc.inputs.validate import (
    Issues,
)
from cbam_calc.law import (
    art9,
    certificates,
    de_minimis,
    defaults,
    emissions,
    free_allocation,
    prices,
    proposals,
)
from cbam_calc.law.reference import ReferenceData
from cbam_calc.law.scope import ELECTRICITY

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
    # the instrument columns (given only when the input names an instrument, use or mechanism)
    "carbon_price_unit": "carbon pricing instrument the price was paid with (carbon_pricing.yaml); "
    "several carbon-prices rows: their units, 'ets_allowance + ccer'",
    "carbon_price_mechanism_used": "carbon pricing mechanism, as given or inferred from the unit",
    "carbon_price_treatment": "what the draft Art 9 does with it: recognised, voluntary, not_accepted, "
    "above_offset_limit, above_paris_cap, eu_ets, annex_iii, other_country, no_mechanism, no_instrument; "
    "several rows: the reason of the row with the largest unrecognised amount",
    "carbon_price_recognised_share": "share of the embedded emissions whose price is recognised "
    "(summed over the line's rows)",
    "carbon_price_unrecognised_eur_per_t": "carbon price paid that the draft Art 9 does not recognise, "
    "EUR per tonne of good (summed over the line's rows)",
    "default_carbon_price_eur_per_tco2e": "default carbon price of the country, EUR/tCO2e",
    "reference_price_eur_per_tco2e": "Art 9 reference price P_ref of the year, EUR/tCO2e",
    "art9_reduction_tco2e": "Art 9 reduction applied, tCO2e",
    "de_minimis_exempt": f"exempt under Art 2a if its importer's imports of CBAM goods in the year, from all "
    f"suppliers, stay at or under {de_minimis.threshold_t():g} t (its tonnes in this input do)",
    "certificates": "CBAM certificates to surrender (tCO2e)",
    "price_period": "certificate price period of the import",
    "price_eur_per_tco2e": "CBAM certificate price used, EUR/tCO2e",
    "price_status": "published, recomputed, projection or user",
    "cost_eur": "CBAM cost, EUR",
    "cost_eur_per_t": "CBAM cost per tonne of good (per MWh for electricity), EUR",
    **DISPLAY_LINE_COLUMNS,  # --currency CNY only (compute.display_currency)
    "default_see_tco2e_per_t": "actual data: the default SEE (mark-up included) the line would take",
    "actual_saving_eur": "actual data: cost on default values less cost, EUR (negative: actual costs more)",
    "actual_saving_eur_per_t": "actual data: saving against default values per tonne of good, EUR",
    "notes": "what else applies to the line",
}


# the Art 9 reduction a line's unevidenced template price due would add once evidenced, tCO2e
ONCE_EVIDENCED = "art9_reduction_once_evidenced_tco2e"
RECOGNISED_EUR_PER_T = "carbon_price_recognised_eur_per_t"  # Art 9 draft, EUR/t, any track (summary)
PRICE_STATE = "art9_price_paid_state"  # what Art 9 does with the price paid: law.art9.PRICE_STATES
# an actual-data line on default values (compute_lines with against_default; compute.default_saving):
# its default SEE and Column B benchmark (NaN where either is missing: no comparison), and the Art 9
# default carbon price of its country and P_ref of its year, whatever its own track
AGAINST_DEFAULT_SEE = "against_default_see_tco2e_per_t"
AGAINST_DEFAULT_BENCHMARK = "against_default_benchmark_tco2e_per_t"
AGAINST_DEFAULT_CARBON_PRICE = "against_default_carbon_price_eur_per_tco2e"
AGAINST_DEFAULT_P_REF = "against_default_reference_price_eur_per_tco2e"
AGAINST_DEFAULT = [
    AGAINST_DEFAULT_SEE,
    AGAINST_DEFAULT_BENCHMARK,
    AGAINST_DEFAULT_CARBON_PRICE,
    AGAINST_DEFAULT_P_REF,
]


@dataclass
class Computed:
    """Output of :func:`compute_lines`: columns for every input line, and engine rejections."""

    columns: pd.DataFrame
    issues: Issues
    price_points: dict[str, prices.PricePoint]
    reference_prices: dict[int, prices.ReferencePrice]
    fx_used: dict[str, prices.FxRate]
    default_keys: pd.DataFrame  # distinct default-value lookups and their results
    benchmark_keys: pd.DataFrame  # distinct benchmark lookups and their results
    warnings: list[Message] = field(default_factory=list)  # of the instrument treatment
    # price paid by instrument (instrument_totals.SUM_COLUMNS, compute_part's; None: none named)
    instrument_sums: pd.DataFrame | None = None
    # the carbon-prices table's rows each line takes, treated (None: no table row applies)
    instrument_rows: InstrumentRows | None = None


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

    def of(self, mask: np.ndarray, empty: pd.DataFrame) -> Lookup:
        """The lookup of the ``mask`` lines alone, as :func:`_lookup` over ``mask`` makes it:
        their distinct keys in order of first appearance among them, and their codes into those;
        ``empty`` is its table where no ``mask`` line was looked up."""
        if not (self.codes >= 0)[~mask].any():
            return self  # no other line was looked up
        codes = np.where(mask, self.codes, -1)
        used = codes[codes >= 0]
        if not len(used):
            return Lookup(codes, empty)
        k = len(self.table)
        first_of = np.full(k, len(used), dtype=np.int64)
        first_of[used[::-1]] = np.arange(len(used) - 1, -1, -1)  # the last write is the first use
        present = np.flatnonzero(first_of < len(used))
        keep = present[np.argsort(first_of[present])]  # in order of first use
        remap = np.full(k + 1, -1, dtype=np.int64)  # code -1 takes the trailing -1
        remap[keep] = np.arange(len(keep))
        return Lookup(remap[codes], self.table.iloc[keep].reset_index(drop=True))


def _lookup(
    keys: pd.DataFrame,
    mask: np.ndarray,
    resolve,
    columns: list[str],
    prefix: str,
    issues: Issues,
    header,
    reject: np.ndarray | None = None,
) -> Lookup:
    """A lookup in the law's tables, resolved once per distinct key among the ``mask`` lines.
    Lines the law cannot answer get the resolver's reason (``<prefix>_reject_column`` /
    ``<prefix>_reject_reason``), among the ``reject`` lines only where given."""
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
            hit = ((reason != "") & (where == c))[codes]
            issues.add(
                hit if reject is None else hit & reject, header(c), lambda pos, r=reason: r[codes[pos]]
            )
    return Lookup(codes, table)


def compute_lines(
    lines: pd.DataFrame,
    ref: ReferenceData,
    options: CalcOptions,
    book: prices.PriceBook,
    headers: dict[str, str] | None = None,
    cbam_factor_schedule: str = proposals.LAW,
    carbon_prices=None,
    against_default: bool = False,
) -> Computed:
    """Compute every figure of every line. ``lines`` has the typed columns of inputs.validate (text
    columns as categoricals). ``cbam_factor_schedule``: the law's CBAM factor, or (scenarios only)
    a proposal's (law.proposals). ``carbon_prices``: the carbon-prices join
    (:class:`~cbam_calc.inputs.carbon_prices.InstrumentLines`, ``validated.carbon_prices``): a line
    taking table rows has its P_paid,eff from them (the sum of their recognised parts,
    :func:`~cbam_calc.compute.instrument_lines.table_treatment`), its price given where a row
    gives one, the actual track open where some part counts, and is evidenced where every row is.
    ``against_default``: also what compute.default_saving compares the actual-data lines with
    (the :data:`AGAINST_DEFAULT` columns; not columns of the Lines table).

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
        Message("R_ELECTRICITY_NEEDS_ACTUAL"),
    )
    issues.add(
        actual & ~direct_only & np.isnan(see_indirect_in),
        header("see_indirect"),
        Message("R_INDIRECT_NEEDED"),
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
    # (with against_default, the actual-data lines' too, in the same pass: compute.default_saving
    # compares them with theirs; only a default-value line is rejected for want of one)
    on_default = ~actual & ~electricity
    compared = actual & ~electricity if against_default else np.zeros(n, dtype=bool)
    every = _lookup(
        frame,
        on_default | compared,
        lambda u: defaults.resolve_default_values(u, ref),
        defaults.RESULT_COLUMNS,
        "default",
        issues,
        header,
        reject=on_default,
    )
    dres = every.of(on_default, pd.DataFrame(columns=[*frame.columns, *defaults.RESULT_COLUMNS]))
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
    compared &= ~issues.bad  # a superset of the lines computed: the others are dropped
    # the year's parameters once per distinct year (by_year would sort every line to find them)
    rule_years, of_year = distinct_years(np.where(year > 0, year, 2026))
    factor = proposals.cbam_factor(rule_years, cbam_factor_schedule)[of_year]
    cscf = free_allocation.cscf(rule_years)[0][of_year]

    def actual_only(name: str) -> np.ndarray:
        return np.where(actual, lines[name].to_numpy(dtype=float), np.nan)

    sefa, precursor_term = free_allocation.specific_embedded_free_allocation(
        factor,
        cscf,
        benchmark,
        actual_only("precursor_mass_t_per_t"),
        actual_only("precursor_sefa_tco2e_per_t"),
        actual_only("precursor_benchmark_tco2e_per_t"),
        sector,
    )
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
        Message("R_NO_PRICE"),
    )
    price = np.array([points[k].price_eur_per_tco2e if k in points else np.nan for k in keys])[pcodes]
    price_status = categorical(pcodes, [points[k].status if k in points else "" for k in keys])
    price_period = categorical(pcodes, keys)

    # --- Article 9 (draft)
    years_present = [int(y) for y in distinct_years(year)[0] if y > 0]
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
        units_per_eur[has_paid] = prices.units_per_eur(
            ref, currency[has_paid], year[has_paid], options.fx, fx_used
        )
        issues.add(
            has_paid & np.isnan(units_per_eur),
            header("carbon_price_currency"),
            Message("R_NO_FX_RATE"),
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
    instrument_cols: dict = {}
    table = None
    if carbon_prices is not None and len(carbon_prices.pairs):
        table = table_treatment(
            carbon_prices,
            lines,
            country,
            see,
            year,
            lambda currency, y: prices.units_per_eur(ref, currency, y, options.fx, fx_used),
        )
    if "carbon_price_unit" in lines.columns or table is not None:  # the draft Art 9 treatment of each
        effective, counts, instrument_cols = instrument_treatment(
            instrument_inputs_of(lines), country, see, units_per_eur, has_paid
        )
        if table is not None:  # the table's rows replace the per-line price of the lines taking them
            w = table.with_rows
            effective = np.where(w, table.effective, effective)
            counts = np.where(w, table.counts, counts)
            has_paid = np.where(w, table.has_paid, has_paid)
            evidenced = np.where(w, evidenced & table.evidenced, evidenced)
            instrument_cols = table_columns(instrument_cols, table, has_paid)
            issues.add(table.no_rate, _currency_column(carbon_prices), Message("R_NO_FX_RATE"))
        track = art9.choose_track(options.art9, actual, has_paid & counts, ~np.isnan(default_price))
    reduction = art9.reduction_tco2e(
        track, effective, default_price, see, p_ref, mass, evidenced, embedded, faa
    )

    # --- certificates, before de minimis
    n_certificates = certificates.certificates(embedded, faa, reduction)
    once_evidenced = None
    if FROM_TEMPLATE in lines.columns:  # a template's price due not evidenced: what it would deduct
        pending = lines[FROM_TEMPLATE].to_numpy(dtype=bool) & ~evidenced
        would = art9.reduction_tco2e(
            track, effective, default_price, see, p_ref, mass, evidenced | pending, embedded, faa
        )
        once_evidenced = np.where(pending, would - reduction, 0.0)

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
        **instrument_cols,
        "reference_price_eur_per_tco2e": np.where(track != art9.TRACK_NONE, p_ref, np.nan),
        "art9_reduction_tco2e": reduction,
        "certificates": n_certificates,
        "price_period": price_period,
        "price_eur_per_tco2e": price,
        "price_status": price_status,
    }
    if once_evidenced is not None:  # not a column of the Lines table: the summary sums it
        cols[ONCE_EVIDENCED] = once_evidenced
    if compared.any():  # nor these: the actual-data lines' default values (compute.default_saving)
        see_def, bm_def = _against_default(every, bres.table, compared, ref)
        cols[AGAINST_DEFAULT_SEE] = see_def
        cols[AGAINST_DEFAULT_BENCHMARK] = bm_def
        cols[AGAINST_DEFAULT_CARBON_PRICE] = default_price
        cols[AGAINST_DEFAULT_P_REF] = p_ref
    if instrument_cols:  # nor these: the summary's price paid recognised, by instrument, and
        cols[RECOGNISED_EUR_PER_T] = np.where(has_paid, effective, np.nan)  # whether Art 9 deducts it
        cols[PRICE_STATE] = art9.price_paid_state(options.art9, track, evidenced, actual)
    frame_out = pd.DataFrame(cols, index=lines.index, copy=False)
    computed = Computed(frame_out, issues, points, ref_prices, fx_used, dres.table, bres.table)
    if instrument_cols:
        computed.warnings = instrument_warnings(instrument_cols, ~issues.bad)
    if table is not None:
        rows = table.rows
        rows.computed = ~issues.bad[rows.line]
        rows.price_state = cols[PRICE_STATE][rows.line]  # a table gives instrument columns
        computed.instrument_rows = rows
    return computed


def _against_default(
    every: Lookup, benchmarks: pd.DataFrame, compared: np.ndarray, ref: ReferenceData
) -> tuple[np.ndarray, np.ndarray]:
    """The ``compared`` lines' default SEE (``every``: the default-value lookup of every line) and
    Column B benchmark of the route printed with that default value (IR 2025/2620 Annex point 5;
    free_allocation.resolve_benchmarks with actual = False), NaN where either is missing. The
    benchmark once per distinct key: a key a default-value line looked up already (in
    ``benchmarks``, compute_lines' benchmark lookup) keeps its answer, the others are resolved."""
    dv = every.table
    used = np.zeros(len(dv), dtype=bool)
    used[every.codes[compared]] = True  # the default-value keys of the compared lines
    at = np.flatnonzero(used)
    # a benchmark key per default-value key: the country matters only through the route
    keys = pd.DataFrame(
        {
            "cn_code": dv["cn_code"].to_numpy(dtype=object)[at],
            "actual": np.zeros(len(at), dtype=bool),
            "route": dv["route"].to_numpy(dtype=object)[at],
            "default_route": dv["default_route"].fillna("").astype(str).to_numpy(dtype=object)[at],
            "year": dv["year"].to_numpy(dtype=np.int64)[at],
            "sector": dv["sector"].to_numpy(dtype=object)[at],
        }
    )
    known = benchmarks[keys.columns] if len(benchmarks) else keys.iloc[:0]
    codes, uniq = factorize_frame(pd.concat([known, keys], ignore_index=True))
    # each distinct key's answer: the row of `benchmarks` that has it, else a new resolution
    k = len(uniq)
    row_of = np.full(k, -1, dtype=np.int64)
    row_of[codes[: len(known)][::-1]] = np.arange(len(known) - 1, -1, -1)
    new = np.flatnonzero(row_of < 0)
    value = np.full(k, np.nan)
    reason = np.full(k, "", dtype=object)
    if len(known):
        old = row_of >= 0
        value[old] = pd.to_numeric(benchmarks["benchmark_tco2e_per_t"], errors="coerce").to_numpy(
            dtype=float
        )[row_of[old]]
        reason[old] = benchmarks["benchmark_reject_reason"].fillna("").to_numpy(dtype=object)[row_of[old]]
    if len(new):
        bm = free_allocation.resolve_benchmarks(uniq.iloc[new].reset_index(drop=True), ref)
        value[new] = pd.to_numeric(bm["benchmark_tco2e_per_t"], errors="coerce").to_numpy(dtype=float)
        reason[new] = bm["benchmark_reject_reason"].fillna("").to_numpy(dtype=object)
    bcode = np.full(len(dv), -1, dtype=np.int64)
    bcode[at] = codes[len(known) :]
    ok = np.zeros(len(dv) + 1, dtype=bool)  # per default-value key; code -1 takes the trailing False
    ok[at] = dv["default_reject_reason"].fillna("").to_numpy(dtype=object)[at] == ""
    ok[at] &= reason[bcode[at]] == ""
    see = np.append(
        pd.to_numeric(dv["see_default_tco2e_per_t"], errors="coerce").to_numpy(dtype=float), np.nan
    )
    bench = np.full(len(dv) + 1, np.nan)
    bench[at] = value[bcode[at]]
    line = np.where(compared, every.codes, -1)
    keep = ok[line]
    return np.where(keep, see[line], np.nan), np.where(keep, bench[line], np.nan)


def _currency_column(join) -> str:
    """The column a line's rejection for a table row's currency names: the table's currency
    header, with where the table was read ('carbon-prices file: 币种')."""
    for t in join.tables:
        if "currency" in t.column_map:
            return f"{t.source}: {t.column_map['currency']}"
    return "currency"


def distinct_years(year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct years, sorted, and each line's index among them: ``np.unique(year,
    return_inverse=True)`` by a direct table over the few years a file spans, not a sort of a
    million lines."""
    year = np.asarray(year, dtype=np.int64)
    if len(year) == 0:
        return year, np.zeros(0, dtype=np.int64)
    lo, hi = int(year.min()), int(year.max())
    if hi - lo > 1 << 16:
        uniq, inverse = np.unique(year, return_inverse=True)
        return uniq, inverse.reshape(-1)
    present = np.bincount(year - lo, minlength=hi - lo + 1) > 0
    return np.flatnonzero(present) + lo, (np.cumsum(present) - 1)[year - lo]


def _default_carbon_prices(ref: ReferenceData, options: CalcOptions) -> dict[tuple[str, int], float]:
    """Default carbon price by (country, year): the Commission's, or the user's where given."""
    out: dict[tuple[str, int], float] = {}
    table = ref.default_carbon_prices
    for r in table.itertuples(index=False):
        out[(r.country_iso2, int(r.year))] = float(r.price_eur_per_tco2e)
    if options.default_carbon_price:
        from cbam_calc.law.parameters import supported_years

        for c, v in options.default_carbon_price.items():
            for y in supported_years():
                out[(c, y)] = v
    return out
