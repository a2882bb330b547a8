"""The pipeline: read -> validate -> enrich with reference data -> compute -> summarise.

``compute_lines`` is a pure function of a table of typed lines plus reference data and options:
columns in, columns out, no Python object per line. Lookups in the law's tables run once per
distinct key (CN code, country, route, year ...), and are broadcast back to the lines
(compute.lookup; the default values' in compute.default_lookup).

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

from cbam_calc.compute.default_lookup import against_default_columns, default_values
from cbam_calc.compute.instrument_lines import (
    InstrumentRows,
    instrument_inputs_of,
    instrument_treatment,
    instrument_warnings,
    table_columns,
    table_treatment,
)
from cbam_calc.compute.lookup import lookup
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
    (the :data:`~cbam_calc.compute.default_lookup.AGAINST_DEFAULT` columns; not columns of the Lines
    table).

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
    listed = gi >= 0  # a category no line has (a rejected row's code, '') is in no goods row

    def good(column: str, none):
        return np.where(listed, goods[column].to_numpy()[gi], none)

    sector = categorical(cn_codes, good("sector", ""))
    direct_only = np.append(good("direct_only", False).astype(bool), False)[cn_codes]
    description = categorical(cn_codes, good("description", ""))
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
    every, dres = default_values(frame, on_default, compared, ref, issues, header)
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
    bres = lookup(
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
        cols.update(against_default_columns(every, bres.table, compared, ref, default_price, p_ref))
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
