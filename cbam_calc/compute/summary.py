"""The run's summary and its Parameters table: every figure used, with its source and date."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc import __version__
from cbam_calc.compute.aggregate import (
    eur_per_t_by,
    headline_figures,
    headline_figures_by_each,
)
from cbam_calc.compute.instrument_totals import instrument_figures, rule_source
from cbam_calc.compute.lines import Computed
from cbam_calc.core.messages import Message, message_fields
from cbam_calc.core.model import (
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
from cbam_calc.law import art9, defaults, free_allocation
from cbam_calc.law.citations import citation
from cbam_calc.law.inventory import reference_data_as_of
from cbam_calc.law.parameters import parameter
from cbam_calc.law.reference import ReferenceData, reference_data


def unpublished_prices_warning(used_prices) -> Message | None:
    """The warning listing the certificate prices used that are not published figures (None if
    none): recomputed, partial or projected periods."""
    not_pub = sorted({(p.source_period, p.status) for p in used_prices if p.status != "published"})
    if not not_pub:
        return None
    periods = [Message("M_PRICE_PERIOD", period=src, status=status) for src, status in not_pub]
    return Message("W_UNPUBLISHED_PRICES", periods=periods)


def summarise(
    out: pd.DataFrame,
    rows_read: int,
    rejected: int,
    options: CalcOptions,
    comp: Computed,
    deminimis_table: pd.DataFrame,
    warnings: list[Message],
    inputs: list[InputFile],
    ref: ReferenceData,
    before: pd.DataFrame | None = None,
) -> CalcSummary:
    """The run's summary from aggregated groups (:func:`aggregate`, after de minimis; ``before``:
    the same groups before it, for the EUR per tonne a product costs when not exempt)."""
    years = sorted({int(y) for y in out["year"].unique()}) if len(out) else []
    figures_by = headline_figures_by_each(out, ["sector", "cn_code"])
    by_sector = [SectorFigures(sector=k, **f) for k, f in figures_by["sector"]]
    desc = ref.goods["description"].to_dict()
    sector_of = out.drop_duplicates("cn_code").set_index("cn_code")["sector"].to_dict() if len(out) else {}
    per_t_before = eur_per_t_by(out if before is None else before, "cn_code")
    by_cn = [
        CnFigures(
            cn_code=k,
            description=desc.get(k, ""),
            sector=str(sector_of[k]),
            **f,
            eur_per_t_before_exemption=per_t_before.get(k),
        )
        for k, f in figures_by["cn_code"]
    ]
    counts = _lines_by(out, "price_period")
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
    track_used = out["art9_track"].ne("").any() if len(out) else False
    cscf_values, cscf_prov = free_allocation.cscf(np.asarray(years or [2026]))
    draft_date = art9.draft_act()[0]
    draft = [str(art9.draft_rule_message(options.art9.value))]
    bm_proj_years = sorted({int(y) for y in out.loc[out["benchmark_projection"], "year"]}) if len(out) else []
    if cscf_prov.any():
        warnings = [*warnings, Message("W_CSCF_PROJECTION")]
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
        cscf_status={y: "projection" if p else "law" for y, p in zip(years, cscf_prov)} if years else {},
        art9_track=options.art9.value,
        art9_status=str(art9.status_message()),
        art9_reference_prices=[
            ReferencePriceUsed(year=y, price_eur_per_tco2e=v[0], status=v[1], averages=v[2])
            for y, v in sorted(comp.reference_prices.items())
        ]
        if track_used
        else [],
        default_carbon_prices=dict(options.default_carbon_price),
        fx_used={k: r.units_per_eur for k, r in sorted(comp.fx_used.items())},
        draft_rules_in_force=draft,
        de_minimis=bool(options.de_minimis),
        ignore_destination=options.ignore_destination,
        reading=options.read,
        de_minimis_mode=options.de_minimis.value,
        benchmark_projection_years=bm_proj_years,
        sources={
            "embedded emissions": citation("embedded_emissions"),
            "default values": citation("default_values"),
            "free allocation adjustment": citation("free_allocation_adjustment"),
            "CBAM factor": citation("cbam_factor"),
            "certificate price": citation("certificate_price") + "; " + citation("auction_prices"),
            "de minimis": citation("de_minimis"),
            "Art 9": f"draft implementing regulation, {draft_date} (not law)",
            "exchange rates": citation("exchange_rates"),
        },
    )
    figures = headline_figures(out)  # on no groups: 0 everywhere, no EUR per t
    texts, codes, params = message_fields(warnings)
    return CalcSummary(
        cbam_calc_version=__version__,
        rows_read=rows_read,
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
        warnings=texts,
        warning_codes=codes,
        warning_params=params,
        inputs=inputs,
        reference_data_sha256=ref.fingerprint,
        reference_data_as_of=reference_data_as_of(ref).date,
        reference_data_undated=reference_data_as_of(ref).undated,
        instruments=instrument_figures(comp.instrument_sums),
    )


def _lines_by(groups: pd.DataFrame, key: str) -> dict:
    """Lines of the groups by each value of ``key`` (values with no line left out): a bincount on
    a categorical key's codes (exact: counts are integers), else a groupby."""
    if not len(groups):
        return {}
    column = groups[key]
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return groups.groupby(key)["_lines"].sum().to_dict()
    codes = np.asarray(column.cat.codes, dtype=np.int64)
    lines = groups["_lines"].to_numpy(dtype=np.int64)
    given = codes >= 0
    sums = np.bincount(codes[given], weights=lines[given], minlength=len(column.cat.categories))
    return {k: int(v) for k, v in zip(column.cat.categories, sums.astype(np.int64)) if v}


# ---------------------------------------------------------------------------- parameters sheet
def parameters_table(
    out: pd.DataFrame, comp: Computed, options: CalcOptions, ref: ReferenceData | None = None
) -> pd.DataFrame:
    """Every figure the run used, with its legal or market source and effective date, and the date
    of the reference data."""
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

    def add_by_year(parameter_: str, name: str, unit: str) -> None:
        """One row per year of a dated parameter: its value, status and source in force."""
        p = parameter(name)
        for y in years:
            since = p.effective_from(y).isoformat()
            add(parameter_, str(y), float(p.at(y)), unit, p.status, p.citation, since)

    years = sorted({int(y) for y in out["year"].unique()}) if len(out) else []
    add_by_year("CBAM factor", "cbam_factor", "ratio")
    pc = parameter("cscf")
    cvals, cprov = free_allocation.cscf(np.asarray(years or [2026]))
    for y, v, prov in zip(years, cvals, cprov):
        add(
            "CSCF",
            str(y),
            float(v),
            "ratio",
            "projection" if prov else "law",
            pc.citation,
            f"{y}-01-01",
        )
    pm = parameter("default_markup")
    if len(out) and out["emissions_data"].eq("default").any():
        used = out.loc[out["emissions_data"].eq("default"), ["sector", "year"]].drop_duplicates()
        for s, y in sorted(used.itertuples(index=False)):
            key = defaults.markup_key(s)
            add(
                "default value mark-up",
                Message("M_PARAM_KEY_SECTOR_YEAR", sector=s, year=y),
                float(pm.at(int(y), key)),
                "ratio",
                pm.status,
                pm.citation,
                pm.effective_from(int(y), key).isoformat(),
            )
        rounding = pm.extra["rounding"]  # stated where the mark-up is: IR 2026/1740 sets none
        add(
            "default value rounding",
            Message(
                "M_PARAM_KEY_ROUNDING",
                mode=Message("M_EX_ROUND_HALF_UP")
                if rounding["mode"] == "half_up"
                else rounding["mode"].replace("_", " "),
            ),
            int(rounding["decimals"]),
            "decimals",
            rounding["status"],
            # the data file's prose, and its Chinese beside it (text_zh)
            Message(
                "M_PARAM_SRC_RULE_TEXT",
                text=" ".join(str(rounding["text"]).split()),
                text_zh=" ".join(str(rounding.get("text_zh") or rounding["text"]).split()),
            ),
            pm.since("general").isoformat(),
        )
    add_by_year("de minimis threshold", "de_minimis", "t")
    counts = _lines_by(out, "price_period")
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
        for y, (v, st, averages) in sorted(comp.reference_prices.items()):
            add(
                "Art 9 reference price P_ref",
                str(y),
                v,
                "EUR/tCO2e",
                Message("M_PARAM_STATUS_DRAFT_RULE", status=st),
                Message("M_PARAM_PREF_SOURCE", averages=averages, citation=pa.citation),
                f"{y}-01-01",
            )
        for key, r in sorted(comp.fx_used.items()):
            add(
                "exchange rate",
                key,
                r.units_per_eur,
                Message("M_PARAM_UNIT_PER_EUR", currency=r.currency),
                r.status,
                r.source,
                f"{r.year}-01-01",
            )
        for c, v in sorted(options.default_carbon_price.items()):
            add("default carbon price", c, v, "EUR/tCO2e", "user", Message("M_PARAM_SRC_USER"), "")
    if comp.instrument_sums is not None:
        add_instruments(add, comp.instrument_sums)
    dk = comp.default_keys
    if len(dk):
        used = dk[dk["default_reject_reason"].eq("")]
        for r in used.drop_duplicates(
            ["default_table_name", "default_cn_prefix", "default_route", "year", "direct_only"]
        ).itertuples(index=False):
            route = Message("M_PARAM_KEY_ROUTE", route=r.default_route) if r.default_route else ""
            annex_iv = r.default_table == "annex_iv"
            table = "eu/annex_iv_defaults.csv" if annex_iv else "eu/default_values.csv"
            meta = reference_data().table_meta(table)
            src = (
                meta["citation"]
                if annex_iv
                else Message(
                    "M_PARAM_SRC_TABLE",
                    citation=meta["citation"],
                    table=Message("M_TABLE_OTHER_NAME", name=r.default_table_name)
                    if r.default_table == "other"
                    else r.default_table_name,
                )
            )
            default_values_from = str(meta["effective_from"])
            add(
                "default value incl. mark-up (counted)",
                Message(
                    "M_PARAM_KEY_DEFAULT",
                    prefix=r.default_cn_prefix,
                    route=route,
                    country=r.country_iso2,
                    year=r.year,
                ),
                float(r.see_default_tco2e_per_t),
                "tCO2e/t",
                "law",
                src,
                default_values_from,
            )
    bk = comp.benchmark_keys
    # the citation of a benchmark row around its route basis ("IR 2025/2620 Annex ({basis})")
    cited_basis = citation("benchmark_value", basis="\0").split("\0", 1)
    if len(bk):
        used = bk[bk["benchmark_reject_reason"].eq("") & bk["benchmark_column"].ne("")]
        for r in used.drop_duplicates(
            [
                "cn_code",
                "benchmark_column",
                "benchmark_route",
                "benchmark_period",
                "benchmark_revision_pending",
            ]
        ).itertuples(index=False):
            route = Message("M_PARAM_KEY_ROUTE", route=r.benchmark_route) if r.benchmark_route else ""
            add(
                "CBAM benchmark",
                Message(
                    "M_PARAM_KEY_BENCHMARK",
                    cn=r.cn_code,
                    column=r.benchmark_column,
                    route=route,
                    period=r.benchmark_period,
                ),
                float(r.benchmark_tco2e_per_t),
                "tCO2e/t",
                free_allocation.benchmark_status(r.benchmark_projection, r.benchmark_revision_pending),
                Message(
                    "M_PARAM_SRC_BENCHMARK",
                    before=cited_basis[0],
                    after=cited_basis[1],
                    basis=r.benchmark_route_basis,
                    pending=Message("M_EX_BM_REVISION", note=free_allocation.benchmark_revision_note())
                    if r.benchmark_revision_pending
                    else "",
                ),
                free_allocation.benchmark_period_start(str(r.benchmark_period), r.benchmark_revision_pending),
            )
    as_of = reference_data_as_of(ref or reference_data())
    add(
        "reference data as of",
        "",
        as_of.date or "",
        "date",
        Message("M_PARAM_UNDATED", n=len(as_of.undated), files=list(as_of.undated)) if as_of.undated else "",
        Message("M_PARAM_AS_OF_SOURCE"),
        "",
    )
    table = pd.DataFrame(
        rows, columns=["parameter", "key", "value", "unit", "status", "source", "effective_from"]
    )
    for column in ("key", "unit", "status", "source"):  # messages kept (pandas would make them str)
        values = np.empty(len(rows), dtype=object)
        values[:] = [r[column] for r in rows]
        table[column] = pd.Series(values, index=table.index, dtype=object)
    return table


def add_instruments(add, sums: pd.DataFrame) -> None:
    """The Parameters rows of the carbon pricing instruments a run used: each unit and mechanism
    with its treatment under the DRAFT Art 9 and the rule's source (carbon_pricing.yaml,
    art9_draft.yaml), and the caps that applied with their share."""
    from cbam_calc.law import instruments

    published = parameter("art9_draft").extra.get("published", "")
    mechs = instruments.mechanisms()
    seen = sums.drop_duplicates(["unit", "mechanism", "treatment"])
    for r in seen.itertuples(index=False):
        add(
            "carbon pricing instrument (Art 9)",
            " / ".join(x for x in (r.unit or "(not named)", r.mechanism) if x),
            r.treatment,
            "treatment",
            Message("M_PARAM_STATUS_INSTRUMENT_MECHANISM" if r.mechanism else "M_PARAM_STATUS_INSTRUMENT"),
            rule_source(r.unit, r.mechanism, r.treatment),
            str(published),
        )
    for m in sorted(set(seen.loc[seen["mechanism"].ne(""), "mechanism"])):
        limit = mechs[m].offset_limit_share if m in mechs else None
        if limit is not None:
            add(
                "offset limit of the mechanism",
                m,
                float(limit),
                f"share of {mechs[m].offset_limit_basis.replace('_', ' ')}",
                "law of its country",
                mechs[m].citation,
                "",
            )
    if seen["treatment"].eq("above_paris_cap").any():
        add(
            "Paris Art 6.2 / 6.4 credit cap",
            "",
            instruments.paris_cap_share(),
            "share of covered emissions",
            "DRAFT",
            parameter("art9_draft").citation,
            str(published),
        )
