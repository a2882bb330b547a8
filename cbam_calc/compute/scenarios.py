"""Scenarios: how domestic carbon pricing and CCER offsetting move the EU levy, year by year.

Long because: the run, its break-even table and its defaults-vs-actual table all read the same
per-year engine results (:class:`Base`, :func:`evaluate`); kept together, one reading shows how
every figure of a scenario workbook comes from them.

A scenario is a set of assumptions about China's carbon market (CEA and CCER prices, the CCER share
and how the credits are used, the allocation gap) and about the EU (whether it recognises the price
paid under the Art 9 draft, a default carbon price, a certificate price path), applied to the lines
of a shipments file for each year 2026-2034.

Speed: the engine runs once per (year, emissions basis, price path); every scenario on top of that
is a handful of column operations (no Python loop per line), so a hundred scenarios cost little
more than one calculation.

The scenarios themselves (:class:`ScenarioSet`, loading and sweeping them) live in
:mod:`cbam_calc.compute.scenario_set`; their names are imported here too, so
``from cbam_calc.compute.scenarios import sweep`` keeps working.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cbam_calc.compute.aggregate import goods_split
from cbam_calc.compute.lines import compute_lines
from cbam_calc.compute.scenario_set import REFERENCE as REFERENCE
from cbam_calc.compute.scenario_set import InstallationOverride as InstallationOverride
from cbam_calc.compute.scenario_set import ScenarioParams as ScenarioParams
from cbam_calc.compute.scenario_set import ScenarioSet as ScenarioSet
from cbam_calc.compute.scenario_set import default_scenarios as default_scenarios
from cbam_calc.compute.scenario_set import describe as describe
from cbam_calc.compute.scenario_set import load_config as load_config
from cbam_calc.compute.scenario_set import parse_years as parse_years
from cbam_calc.compute.scenario_set import sweep as sweep
from cbam_calc.core.errors import NothingComputedError, OptionError
from cbam_calc.core.labels import label
from cbam_calc.core.messages import Message
from cbam_calc.core.model import Art9Track, CalcOptions
from cbam_calc.inputs.comm_template import CommTemplate, TemplateSet
from cbam_calc.inputs.validate import Validated, move_to_year
from cbam_calc.law import art9, certificates, cnets, prices, proposals
from cbam_calc.law.de_minimis import apply_de_minimis, waive
from cbam_calc.law.inventory import reference_data_as_of
from cbam_calc.law.reference import ReferenceData, reference_data

BASELINE_NAME = "baseline: no domestic price, not recognised"
RULE_STATUS = "Art 9 figures rest on the DRAFT implementing regulation of {} ({}): not law".format(
    *art9.draft_act()
)


# ---------------------------------------------------------------------------- price paths
def price_books(sset: ScenarioSet, ref: ReferenceData, options: CalcOptions) -> dict[str, prices.PriceBook]:
    """One PriceBook per named path; a CSV path must cover every year it is asked for."""
    books = {}
    for name, spec in sset.eua.items():
        if spec == REFERENCE:
            books[name] = prices.PriceBook.from_reference(ref, options.price_eur_per_tco2e)
        elif isinstance(spec, (int, float)):
            books[name] = prices.PriceBook.from_reference(ref, float(spec))
        else:
            path = prices.load_price_path(spec)
            years_in = sorted({int(str(p)[:4]) for p in path["period"]})
            first, last = years_in[0], years_in[-1]
            gaps = [y for y in range(first, last + 1) if y not in years_in]
            if gaps:
                raise OptionError(
                    Message("E_EUA_PATH_GAPS", spec=str(spec), years=gaps, first=first, last=last)
                )
            beyond = [y for y in sset.years if y > last]
            if beyond:
                raise OptionError(Message("E_EUA_PATH_ENDS", spec=str(spec), years=beyond, last=last))
            books[name] = prices.PriceBook.from_reference(ref, None, path)
    return books


# ---------------------------------------------------------------------------- the engine runs
@dataclass
class Base:
    """The engine's result for one (year, emissions basis, price path), as arrays."""

    year: int
    emissions: str
    eua: str
    cbam_factor: str  # the CBAM factor schedule: law, or a proposal (law.proposals)
    keep: np.ndarray  # positions (in the validated lines) of the lines computed here
    mass: np.ndarray
    see: np.ndarray
    embedded: np.ndarray
    faa: np.ndarray
    price: np.ndarray
    reference_price: float
    reference_price_status: str
    cny_per_eur: float
    actual: np.ndarray
    covered: np.ndarray
    exempt: np.ndarray
    cn: np.ndarray
    china: np.ndarray
    sector: np.ndarray
    installation: np.ndarray
    price_status: list[str]
    rejected: int


def _lines_for(validated: Validated, year: int, emissions: str) -> pd.DataFrame:
    lines = validated.lines.copy()
    lines["import_date"], lines["year"] = move_to_year(lines["import_date"], lines["year"].to_numpy(), year)
    if emissions == "default":
        for c in (
            "see_direct",
            "see_indirect",
            "precursor_mass_t_per_t",
            "precursor_sefa_tco2e_per_t",
            "precursor_benchmark_tco2e_per_t",
        ):
            lines[c] = np.nan
    return lines


def run_base(
    validated: Validated,
    year: int,
    emissions: str,
    eua: str,
    book: prices.PriceBook,
    ref: ReferenceData,
    options: CalcOptions,
    intensity: np.ndarray,
    cbam_factor: str = proposals.LAW,
) -> Base:
    lines = _lines_for(validated, year, emissions)
    opts = options.model_copy(update={"art9": Art9Track.OFF, "year": year})
    comp = compute_lines(lines, ref, opts, book, validated.column_map, cbam_factor)
    good = ~comp.issues.bad
    cols = comp.columns.loc[good]
    lines_ok = lines.loc[good]
    exempt, _ = apply_de_minimis(cols, lines_ok, options.de_minimis)
    rate = prices.fx_rate(ref, "CNY", year, options.fx)
    if rate is None:
        raise OptionError(Message("E_NO_FX", currency="CNY", year=year))
    p_ref, status, _ = comp.reference_prices.get(year, book.reference_price(year))
    sector = cols["sector"].to_numpy(dtype=object)
    country = lines_ok["country_iso2"].to_numpy(dtype=object)
    return Base(
        year=year,
        emissions=emissions,
        eua=eua,
        cbam_factor=cbam_factor,
        keep=np.flatnonzero(good),
        mass=lines_ok["net_mass_t"].to_numpy(dtype=float),
        see=cols["see_tco2e_per_t"].to_numpy(dtype=float),
        embedded=cols["embedded_tco2e"].to_numpy(dtype=float),
        faa=cols["free_allocation_tco2e"].to_numpy(dtype=float),
        price=cols["price_eur_per_tco2e"].to_numpy(dtype=float),
        reference_price=float(p_ref),
        reference_price_status=status,
        cny_per_eur=rate.units_per_eur,
        actual=cols["emissions_data"].eq("actual").to_numpy(),
        covered=cnets.covered(country, sector, year),
        exempt=np.asarray(exempt, dtype=bool),
        cn=lines_ok["cn_code"].to_numpy(dtype=object),
        china=country == "CN",
        sector=sector,
        installation=lines_ok["installation"].to_numpy(dtype=object),
        price_status=sorted(set(cols["price_status"])),
        rejected=int((~good).sum()),
    )


def domestic_intensity(
    validated: Validated, declared: pd.DataFrame, overrides: dict[str, InstallationOverride]
) -> np.ndarray:
    """Emissions that CNETS prices, tCO2e per tonne of good: the actual direct value where given,
    else the default direct value WITHOUT the EU mark-up; an installation override wins."""
    lines = validated.lines
    actual = lines["see_direct"].to_numpy(dtype=float)
    default = declared["default_direct_base_tco2e_per_t"].reindex(lines.index).to_numpy(dtype=float)
    out = np.where(np.isnan(actual), default, actual)
    for name, o in overrides.items():
        if o.emission_intensity_tco2e_per_t is not None:
            out = np.where(lines["installation"].to_numpy() == name, o.emission_intensity_tco2e_per_t, out)
    return np.nan_to_num(out)


def gap_array(
    validated: Validated, scenario: ScenarioParams, overrides: dict[str, InstallationOverride]
) -> np.ndarray:
    gap = np.full(len(validated.lines), scenario.allocation_gap)
    inst = validated.lines["installation"].to_numpy()
    for name, o in overrides.items():
        if o.allocation_gap is not None:
            gap = np.where(inst == name, o.allocation_gap, gap)
    return gap


def _lines_with_table_rows(validated: Validated) -> int:
    """How many lines take rows of a carbon-prices table (a template's price due aside)."""
    from cbam_calc.inputs.carbon_prices import SOURCE_TEMPLATE

    join = validated.carbon_prices
    if join is None or join.instruments is None or not len(join.pairs):
        return 0
    source = join.instruments["source"].to_numpy(dtype=object)
    table = (source != SOURCE_TEMPLATE)[join.pairs["instrument"].to_numpy(dtype=np.int64)]
    return int(pd.unique(join.pairs["line"].to_numpy()[table]).size)


# ---------------------------------------------------------------------------- one scenario on a base
@dataclass
class Outcome:
    """Line-level results of a scenario on a base (arrays aligned with Base)."""

    certificates: np.ndarray
    levy_eur: np.ndarray
    reduction: np.ndarray
    compliance_cny: np.ndarray  # per line (CNY), not per tonne
    voluntary_cny: np.ndarray
    ccer_cny: np.ndarray  # spent on CCERs, compliance or voluntary


def evaluate(base: Base, s: ScenarioParams, intensity: np.ndarray, gap: np.ndarray) -> Outcome:
    """The EU levy and the domestic carbon cost of every line under scenario ``s``."""
    e = intensity[base.keep]
    g = gap[base.keep]
    cov = base.covered
    comp_t, vol_t, cea_t = cnets.domestic_cost_cny_per_t(
        e, g, s.ccer_share, s.cea_price_cny, s.ccer_price_cny, s.ccer_use
    )
    comp_t = np.where(cov, comp_t, 0.0)
    vol_t = np.where(cov, vol_t, 0.0)
    ccer_t = np.where(cov, (e * g - cea_t) * s.ccer_price_cny + vol_t, 0.0)
    owed, reduction, _ = eu_certificates(
        base, comp_t / base.cny_per_eur, s.recognition, s.default_carbon_price_eur
    )
    return Outcome(
        owed,
        certificates.cost_eur(owed, base.price),
        reduction,
        comp_t * base.mass,
        vol_t * base.mass,
        ccer_t * base.mass,
    )


def eu_certificates(
    base: Base, recognised_eur_per_t: np.ndarray, recognition: bool, default_carbon_price_eur: float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Certificates owed on each line of ``base`` when the EU recognises ``recognised_eur_per_t``
    (the carbon price paid that counts, EUR per t of good) under the Art 9 draft, or nothing
    (``recognition`` False): (certificates after de minimis, Art 9 reduction, track).

    The actual track where CNETS prices the line's actual emissions; the default track (a default
    price given) for the other lines from China; the price assumed evidenced."""
    reduction = np.zeros_like(base.mass)
    track = np.zeros(len(base.mass), dtype=np.int8)
    if recognition:
        given = default_carbon_price_eur is not None
        track = art9.choose_track(
            Art9Track.AUTO, base.actual, base.covered, ~base.actual & base.china & given
        )
        reduction = art9.reduction_tco2e(
            track,
            recognised_eur_per_t,
            default_carbon_price_eur if given else np.nan,
            base.see,
            base.reference_price,
            base.mass,
            True,
            base.embedded,
            base.faa,
        )
    owed = waive(certificates.certificates(base.embedded, base.faa, reduction), base.exempt)
    reduction = np.where(base.exempt, 0.0, reduction)
    return owed, reduction, track


# ---------------------------------------------------------------------------- the run
@dataclass
class ScenarioResult:
    table: pd.DataFrame  # one row per scenario and year
    break_even: pd.DataFrame
    default_vs_actual: pd.DataFrame
    scenario_set: ScenarioSet
    baseline: str
    warnings: list[Message] = field(default_factory=list)
    assumptions: dict = field(default_factory=dict)
    rule_status: str = RULE_STATUS
    # --emissions: the templates given (compute.batch.template_entries), for the run record
    templates: list[dict] | None = None
    # --compare-instruments: one row per option, installation and year (compute.instrument_compare)
    instruments: pd.DataFrame | None = None

    def records(self) -> list[dict]:
        """A list of scenario results with their parameters (what --format json prints)."""
        out = []
        params = {s.label(): s for s in self.scenario_set.scenarios}
        for name, g in self.table.groupby("scenario", sort=False):
            p = params.get(name)
            years = g.drop(columns=["scenario"]).replace({np.nan: None}).to_dict("records")
            out.append(
                {
                    "scenario": name,
                    "parameters": p.model_dump() if p is not None else {"baseline": True},
                    "is_baseline": name == self.baseline,
                    "years": years,
                    "totals": {
                        k: float(g[k].sum())
                        for k in (
                            "certificates",
                            "eu_levy_eur",
                            "domestic_cost_eur",
                            "total_carbon_cost_eur",
                            "saving_vs_baseline_eur",
                        )
                    },
                }
            )
        return out


def run_scenarios(
    validated: Validated,
    sset: ScenarioSet,
    options: CalcOptions | None = None,
    ref: ReferenceData | None = None,
    *,
    templates: TemplateSet | Sequence[CommTemplate] | None = None,
    evidenced: str | Collection[str] | None = None,
    carbon_prices: Sequence | None = None,
    comparison=None,
) -> ScenarioResult:
    """Every scenario of ``sset`` in every year; see the module docstring.

    ``comparison``: the :class:`~cbam_calc.compute.instrument_compare.InstrumentComparison` run
    when ``sset.compare_instruments`` (default: the one of data/scenarios/instruments.yaml).

    ``templates``, ``evidenced``: the installations' communication templates, joined to the lines
    once, before any scenario base is computed
    (:func:`cbam_calc.inputs.template_match.apply_templates`, as ``cbam calc --emissions`` joins
    them), so that every year and scenario, and the actual-versus-default table, take a template's
    SEE as the line's actual data. ``carbon_prices``: carbon-prices tables
    (:mod:`cbam_calc.inputs.carbon_prices`), joined after the templates, once
    (``validated.carbon_prices``: the instruments and the lines each applies to)."""
    options = options or CalcOptions()
    ref = ref or reference_data()
    joined_warnings: list[Message] = []
    used = None
    if templates is None and evidenced is not None:
        raise OptionError(Message("E_EVIDENCED_WITHOUT_TEMPLATES"))
    if templates is not None:
        from cbam_calc.compute.batch import template_entries
        from cbam_calc.inputs.template_match import apply_templates, evidenced_files, template_list

        before = len(validated.warnings)
        validated = apply_templates(validated, templates, evidenced)
        joined_warnings = list(validated.warnings[before:])
        tlist = template_list(templates)
        used = template_entries(tlist, evidenced_files(tlist, evidenced))
        if validated.lines.empty:
            raise NothingComputedError(
                Message("E_SCENARIO_NOTHING_AFTER_TEMPLATES", n=len(validated.rejected))
            )
    if carbon_prices:
        from cbam_calc.inputs.carbon_prices import apply_carbon_prices
        from cbam_calc.inputs.template_match import evidenced_files, template_list

        before = len(validated.warnings)
        tlist = template_list(templates) if templates is not None else None
        proven = evidenced_files(tlist, evidenced) if tlist is not None else None
        validated = apply_carbon_prices(validated, carbon_prices, tlist, proven)
        joined_warnings += list(validated.warnings[before:])
        taken = _lines_with_table_rows(validated)
        if taken:  # the bases run with Art 9 off: no line's price paid enters a scenario
            joined_warnings.append(Message("W_CP_NOT_IN_SCENARIOS", n=taken))
    as_of = reference_data_as_of(ref).text()  # of the data as shipped, before any year is carried on
    data_last = proposals.last_data_year(ref)
    ref = proposals.extended_reference(ref, max(sset.years))  # years after the data: projections
    books = price_books(sset, ref, options)
    scenarios = list(sset.scenarios)
    baseline_name = sset.baseline
    if baseline_name is None:
        baseline_name = BASELINE_NAME
        eua0 = scenarios[0].eua if scenarios else next(iter(sset.eua))
        factor0 = scenarios[0].cbam_factor if scenarios else proposals.LAW
        scenarios = [ScenarioParams(name=BASELINE_NAME, eua=eua0, cbam_factor=factor0), *scenarios]
    baseline = next(s for s in scenarios if s.label() == baseline_name)

    # the declared run of the first year gives the default direct values for the domestic intensity
    first_book = books[scenarios[0].eua]
    declared0 = compute_lines(
        _lines_for(validated, sset.years[0], "declared"),
        ref,
        options.model_copy(update={"art9": Art9Track.OFF}),
        first_book,
        validated.column_map,
    ).columns
    intensity = domestic_intensity(validated, declared0, sset.installations)

    bases: dict[tuple, Base] = {}

    def base(year: int, emissions: str, eua: str, cbam_factor: str = proposals.LAW) -> Base:
        key = (year, emissions, eua, cbam_factor)
        if key not in bases:
            bases[key] = run_base(
                validated, year, emissions, eua, books[eua], ref, options, intensity, cbam_factor
            )
        return bases[key]

    rows = []
    ccer_effect = []
    for year in sset.years:
        for s in scenarios:
            b = base(year, s.emissions, s.eua, s.cbam_factor)
            gap = gap_array(validated, s, sset.installations)
            o = evaluate(b, s, intensity, gap)
            row = _row(s, b, o)
            if s.ccer_share > 0:  # the same scenario without CCERs, for the effect per CNY spent
                s0 = s.model_copy(update={"ccer_share": 0.0})
                row0 = _row(s0, b, evaluate(b, s0, intensity, gap))
                ccer_effect.append(
                    (
                        len(rows),
                        row["ccer_spend_cny"],
                        row0["eu_levy_eur"] - row["eu_levy_eur"],
                        row0["total_carbon_cost_eur"] - row["total_carbon_cost_eur"],
                    )
                )
            rows.append(row)
    table = pd.DataFrame(rows)
    table["levy_avoided_eur_per_cny_ccer"] = np.nan
    table["net_saving_eur_per_cny_ccer"] = np.nan
    for i, spend, avoided, net in ccer_effect:
        if spend > 0:
            table.loc[i, "levy_avoided_eur_per_cny_ccer"] = avoided / spend
            table.loc[i, "net_saving_eur_per_cny_ccer"] = net / spend
    base_tab = table[table["scenario"] == baseline.label()].set_index(["year"])
    table["saving_vs_baseline_eur"] = (
        table["year"].map(base_tab["total_carbon_cost_eur"]) - table["total_carbon_cost_eur"]
    )
    table["levy_saving_vs_baseline_eur"] = table["year"].map(base_tab["eu_levy_eur"]) - table["eu_levy_eur"]
    warnings = list(joined_warnings)
    if validated.rejected.shape[0]:
        warnings.append(Message("W_SCENARIO_ROWS_REJECTED", n=len(validated.rejected)))
    extra_rej = {k: b.rejected for k, b in bases.items() if b.rejected}
    for (y, em, _, _), n in sorted(extra_rej.items()):
        shown = label(f"scen_emissions_{em}", "zh")  # {emissions} in Chinese: declared -> 申报值
        warnings.append(Message("W_SCENARIO_LINES_LEFT_OUT", n=n, emissions=em, emissions_zh=shown, year=y))
    china = validated.lines["country_iso2"].eq("CN")
    if not china.all():
        warnings.append(Message("W_SCENARIO_OUTSIDE_CHINA", n=int((~china).sum())))
    be = break_even_table(sset, scenarios, base, intensity, validated)
    dva = default_vs_actual(sset, baseline, base, validated)
    cea = ref.china_carbon_price("cea")
    ccer = ref.china_carbon_price("ccer")
    per_year = table.drop_duplicates("year").set_index("year")
    options_used = [s.cbam_factor for s in scenarios]
    schedules = proposals.schedules_by_year(options_used, sset.years)
    warnings.extend(proposals.schedule_warnings(options_used, sset.years, data_last))
    rule_status = RULE_STATUS + "".join(
        f"; {v['label']}: a PROPOSAL, not law, in the scenarios marked [{v['name']}]"
        for k, v in schedules.items()
        if k != proposals.LAW
    )
    assumptions = {
        "rule_status": rule_status,
        "reference_data_as_of": as_of,
        "years": sset.years,
        "cbam_factor_schedules": schedules,
        "baseline": baseline.label(),
        "certificate_price_paths": {k: str(v) for k, v in sset.eua.items()},
        "art9_reference_price_eur_per_tco2e": per_year["reference_price_eur_per_tco2e"].to_dict(),
        "cny_per_eur": per_year["cny_per_eur"].to_dict(),
        "reference_cea_price_cny": {"value": cea[0], "period": cea[1], "source": cea[2]},
        "reference_ccer_price_cny": {"value": ccer[0], "period": ccer[1], "source": ccer[2]},
        "ccer_cap_share": cnets.ccer_cap_share(),
        # messages (their str the English): the workbook shows them in its language
        "domestic_price_applies_to": Message("M_SCEN_DOMESTIC_PRICE_APPLIES_TO"),
        "domestic_emission_intensity": Message("M_SCEN_DOMESTIC_EMISSION_INTENSITY"),
        "verification_cost_eur": sset.verification_cost_eur,
        "installations": {k: v.model_dump() for k, v in sset.installations.items()},
        # the run's own choices (--de-minimis, --ignore-destination, how the input was read)
        "de_minimis": options.de_minimis.value,
        "ignore_destination": options.ignore_destination,
        "reading": options.read.model_dump(),
    }
    if used is not None:
        # where they are on this machine stays in the run record: a check of a moved report matches
        assumptions["templates"] = [{k: v for k, v in t.items() if k != "absolute"} for t in used]
    compared = None
    if sset.compare_instruments:
        compared = _compare_instruments(
            sset, baseline, base, intensity, validated, ref, options, assumptions, comparison
        )
    return ScenarioResult(
        table, be, dva, sset, baseline.label(), warnings, assumptions, rule_status, used, compared
    )


def _compare_instruments(sset, baseline, base, intensity, validated, ref, options, assumptions, comparison):
    """The instrument comparison (compute.instrument_compare) on the declared bases of the
    baseline's price path and CBAM factor schedule; its assumptions into ``assumptions``."""
    from cbam_calc.compute.instrument_compare import compare, load_comparison
    from cbam_calc.law.parameters import parameter

    comparison = comparison or load_comparison()
    params = ScenarioParams(allocation_gap=comparison.allocation_gap)
    gap = gap_array(validated, params, sset.installations)
    bases = [base(y, "declared", baseline.eua, baseline.cbam_factor) for y in sset.years]
    table = compare(bases, comparison, intensity, gap, ref, options.fx, eu_certificates)
    credit_prices = parameter("credit_price_assumptions")
    assumptions["instrument_comparison"] = {
        "rule_status": RULE_STATUS,
        "allocation_gap": comparison.allocation_gap,
        "recognition": comparison.recognition,
        "cea_price_cny": comparison.cea_price_cny,
        "reference_option": comparison.reference_option,
        "options": [o.model_dump() | {"assumption": o.assumed} for o in comparison.options],
        "credit_price_assumptions": {
            "status": credit_prices.status,
            "unit": credit_prices.unit,
            "values": {k: v[-1][1] for k, v in credit_prices.values.items()},
            "sources": credit_prices.citation,
        },
        "what_counts": "law/instruments.treat on data/carbon_pricing.yaml (Art 9 draft)",
    }
    return table


def _row(s: ScenarioParams, b: Base, o: Outcome) -> dict:
    goods_mass, electricity, goods_levy = (float(a.sum()) for a in goods_split(b.sector, b.mass, o.levy_eur))
    levy = float(o.levy_eur.sum())
    domestic = float((o.compliance_cny.sum() + o.voluntary_cny.sum()) / b.cny_per_eur)
    schedule = proposals.cbam_factor_schedule(s.cbam_factor)
    return {
        "scenario": s.label(),
        "year": b.year,
        "eua": s.eua,
        "cbam_factor_schedule": schedule.label,
        "cbam_factor": schedule.at(b.year),
        "certificate_price_status": ", ".join(b.price_status),
        "lines": len(b.mass),
        "net_mass_t": goods_mass,
        "electricity_mwh": electricity,
        "embedded_tco2e": float(b.embedded.sum()),
        "free_allocation_tco2e": float(b.faa.sum()),
        "art9_reduction_tco2e": float(o.reduction.sum()),
        "certificates": float(o.certificates.sum()),
        "eu_levy_eur": levy,
        "eu_levy_eur_per_t": goods_levy / goods_mass if goods_mass else np.nan,
        "domestic_compliance_eur": float(o.compliance_cny.sum() / b.cny_per_eur),
        "voluntary_ccer_eur": float(o.voluntary_cny.sum() / b.cny_per_eur),
        "domestic_cost_eur": domestic,
        "total_carbon_cost_eur": levy + domestic,
        "ccer_spend_cny": float(o.ccer_cny.sum()),
        "reference_price_eur_per_tco2e": b.reference_price,
        "cny_per_eur": b.cny_per_eur,
    }


# the scenario parameters a break-even row depends on: scenarios equal in these share its rows
BREAK_EVEN_KEY = [
    "ccer_share",
    "ccer_price_cny",
    "ccer_use",
    "allocation_gap",
    "emissions",
    "eua",
    "cbam_factor",
]
BREAK_EVEN_COLUMNS = [
    *BREAK_EVEN_KEY,
    "year",
    "cn_code",
    "lines",
    "break_even_cea_price_cny",
    "note",
]
# the notes of the break-even rows: message codes, shown in the report's language by the outputs
NOTE_DEFAULT_ONLY = Message("M_BE_DEFAULT_ONLY")
NOTE_NO_PURCHASE = Message("M_BE_NO_PURCHASE")


def break_even_notes(lines: np.ndarray, n_actual: np.ndarray, unpriced: np.ndarray) -> np.ndarray:
    """The note of each CN code's break-even row (an object array of messages, '' where none):
    only default-value lines (the actual track needs actual emissions); a line that buys no
    allowance; or how many of its lines are on default values. One message per distinct count."""
    note = np.full(len(lines), "", dtype=object)
    some_default = (n_actual > 0) & ~unpriced & (n_actual < lines)
    on_default = lines - n_actual
    for n in np.unique(on_default[some_default]).tolist():
        note[some_default & (on_default == n)] = Message("M_BE_DEFAULT_LINES", n=int(n))
    note[(n_actual > 0) & unpriced] = NOTE_NO_PURCHASE
    note[n_actual == 0] = NOTE_DEFAULT_ONLY
    return note


def break_even_table(
    sset: ScenarioSet, scenarios: list[ScenarioParams], base, intensity, validated: Validated
) -> pd.DataFrame:
    """CEA price at which the EU levy of each CN code is zero, per recognised scenario and year.

    Per CN code: the highest break-even price of its actual-data lines (the price at which every
    one of them owes nothing); none where it has only default-value lines (the actual track needs
    actual emissions) or where a line buys no allowance. One groupby per scenario and year."""
    chunks = []
    seen = set()
    for s in scenarios:
        if not s.recognition:
            continue
        key = (
            s.ccer_share,
            s.ccer_price_cny,
            s.ccer_use,
            s.allocation_gap,
            s.emissions,
            s.eua,
            s.cbam_factor,
        )
        if key in seen:
            continue
        seen.add(key)
        gap_all = gap_array(validated, s, sset.installations)
        for year in sset.years:
            b = base(year, s.emissions, s.eua, s.cbam_factor)
            room = (b.embedded - b.faa) / np.where(b.mass > 0, b.mass, np.nan)
            price = cnets.break_even_cea_price_cny(
                room,
                b.reference_price,
                b.cny_per_eur,
                intensity[b.keep],
                gap_all[b.keep],
                s.ccer_share,
                s.ccer_price_cny,
                s.ccer_use,
            )
            actual = b.actual & b.covered
            kept = ~b.exempt & b.covered
            act = actual[kept]
            by_cn = (
                pd.DataFrame(
                    {
                        "cn_code": b.cn[kept],
                        "lines": np.ones(int(kept.sum()), dtype=np.int64),
                        "actual": act.astype(np.int64),
                        "unpriced": (act & np.isnan(price[kept])).astype(np.int64),
                        "price": np.where(act, price[kept], np.nan),
                    }
                )
                .groupby("cn_code", sort=True)
                .agg(
                    lines=("lines", "sum"),
                    actual=("actual", "sum"),
                    unpriced=("unpriced", "sum"),
                    price=("price", "max"),
                )
            )
            lines = by_cn["lines"].to_numpy()
            n_act = by_cn["actual"].to_numpy()
            unpriced = by_cn["unpriced"].to_numpy() > 0
            value = np.where((n_act == 0) | unpriced, np.nan, by_cn["price"].to_numpy(dtype=float))
            note = break_even_notes(lines, n_act, unpriced)
            chunks.append(
                pd.DataFrame(
                    {
                        **{c: getattr(s, c) for c in BREAK_EVEN_KEY},
                        "year": year,
                        "cn_code": by_cn.index.to_numpy(dtype=object),
                        "lines": lines,
                        "break_even_cea_price_cny": value,
                        "note": pd.Series(note, dtype=object),  # messages kept (no str dtype)
                    },
                    columns=BREAK_EVEN_COLUMNS,
                )
            )
    if not chunks:
        return pd.DataFrame(columns=BREAK_EVEN_COLUMNS)
    return pd.concat(chunks, ignore_index=True)


DEFAULT_VS_ACTUAL_COLUMNS = [
    "installation",
    "year",
    "levy_actual_eur",
    "levy_default_eur",
    "default_minus_actual_eur",
    "verification_cost_eur",
    "defaults_cost_more",
]


def default_vs_actual(
    sset: ScenarioSet, baseline: ScenarioParams, base, validated: Validated
) -> pd.DataFrame:
    """Per installation and year: the levy on actual data against the levy on EU defaults, for the
    lines that have actual data, and the first year defaults cost more than verification.

    Vectorised over installations (a realistic file has some 20,000 a year): the lines computed on
    both bases are sorted by installation once per year and summed per group with
    :func:`group_sums`, which adds each group's levies in the order and with the rounding of a
    per-group ``Series.sum()`` (so the figures are those of a loop over the groups, to the bit)."""
    has_actual = ~np.isnan(validated.lines["see_direct"].to_numpy(dtype=float))
    if not has_actual.any():
        return pd.DataFrame(columns=DEFAULT_VS_ACTUAL_COLUMNS)
    parts = []
    zero_gap = np.zeros(len(validated.lines))
    intensity = np.zeros(len(validated.lines))
    not_recognised = baseline.model_copy(update={"recognition": False})
    for year in sset.years:
        levies = {}
        for em in ("declared", "default"):
            b = base(year, em, baseline.eua, baseline.cbam_factor)
            o = evaluate(b, not_recognised, intensity, zero_gap)
            mask = has_actual[b.keep]
            levies[em] = (b.keep[mask], o.levy_eur[mask], b.installation[mask])
        pos_a, levy_a, inst_a = levies["declared"]
        pos_d, levy_d, _ = levies["default"]
        # the lines on both bases, in the declared run's order (an inner merge on the position)
        at = np.searchsorted(pos_d, pos_a)
        both = at < len(pos_d)
        both[both] = pos_d[at[both]] == pos_a[both]
        inst = np.where(inst_a[both] == "", "(all lines)", inst_a[both])
        names, a_sum, d_sum = group_sums(inst, levy_a[both], levy_d[at[both]])
        diff = d_sum - a_sum
        parts.append(
            pd.DataFrame(
                {
                    "installation": names,
                    "year": np.full(len(names), year, dtype=np.int64),
                    "levy_actual_eur": a_sum,
                    "levy_default_eur": d_sum,
                    "default_minus_actual_eur": diff,
                    "verification_cost_eur": np.full(len(names), float(sset.verification_cost_eur)),
                    "defaults_cost_more": diff > sset.verification_cost_eur,
                },
                columns=DEFAULT_VS_ACTUAL_COLUMNS,
            )
        )
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True)


def group_sums(keys: np.ndarray, *values: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct ``keys`` (sorted, as ``groupby(sort=True)``; missing keys dropped, as its
    ``dropna``) and the sum of each of ``values`` per key.

    Each sum is the one ``Series.sum()`` of the group gives, bit for bit: the group's values in
    their order, NaN as 0, added by NumPy's pairwise summation of one contiguous row. Groups of
    equal size are summed together as the rows of one matrix (``sum(axis=1)`` reduces each row as
    a 1-D sum does), so the Python loop runs over the distinct group sizes, not the groups."""
    codes, names = pd.factorize(pd.Series(keys, dtype=object), sort=True, use_na_sentinel=True)
    codes = np.asarray(codes)
    ok = codes >= 0
    order = np.flatnonzero(ok)[np.argsort(codes[ok], kind="stable")]
    sizes = np.bincount(codes[ok], minlength=len(names))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    sums = []
    for v in values:
        sorted_v = np.nan_to_num(np.asarray(v, dtype=float)[order], nan=0.0)
        out = np.zeros(len(names))
        for n in np.unique(sizes[sizes > 0]):
            groups = np.flatnonzero(sizes == n)
            rows = sorted_v[starts[groups][:, None] + np.arange(n)]
            out[groups] = rows.sum(axis=1)
        sums.append(out)
    return (np.asarray(names, dtype=object), *sums)


def crossover_years(dva: pd.DataFrame) -> dict[str, int | None]:
    """First year each installation's defaults cost more than verifying (None: never)."""
    hit = dva["year"].where(dva["defaults_cost_more"].astype(bool))
    first = hit.groupby(dva["installation"], sort=True).min()
    return {inst: (None if y != y else int(y)) for inst, y in zip(first.index, first.to_numpy())}
