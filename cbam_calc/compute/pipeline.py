"""One table (a file, or a partition of a big input) computed, and several combined.

validated lines -> compute_lines -> rejected rows and group sums (Part)
parts -> de minimis over every part -> summary, Parameters table, Lines (finish)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cbam_calc.compute import default_saving, periods
from cbam_calc.compute.aggregate import (
    REPORT_KEYS,
    aggregate,
    combine,
)
from cbam_calc.compute.digest import figures_digest
from cbam_calc.compute.display_currency import display_columns, display_summary, period_rates
from cbam_calc.compute.instrument_totals import combine_sums, part_sums
from cbam_calc.compute.lines import (
    LINE_COLUMNS,
    Computed,
    compute_lines,
)
from cbam_calc.compute.notes import line_notes
from cbam_calc.compute.prepared import Covers, prepared
from cbam_calc.compute.summary import parameters_table, summarise
from cbam_calc.compute.template_figures import template_figures as template_figures
from cbam_calc.compute.template_figures import templates_used as templates_used
from cbam_calc.core.messages import Message
from cbam_calc.core.model import (
    CalcOptions,
    CalcSummary,
    InputFile,
)
from cbam_calc.inputs.template_match import (
    TEMPLATE_LINE_COLUMNS,
)
from cbam_calc.inputs.validate import (
    NOT_SHIPMENT_CODES,
    Issues,
    Validated,
    rejected_frame,
)
from cbam_calc.law import certificates as certs
from cbam_calc.law import free_allocation, prices
from cbam_calc.law.de_minimis import (
    BLANK_IMPORTER,
    NO_IMPORTER,
    de_minimis_groups,
    exempt_keys,
    exempt_lines,
    waive,
    without_exempt,
)
from cbam_calc.law.reference import ReferenceData
from cbam_calc.law.scope import spaced


@dataclass
class Part:
    """One table (a file, or a partition of a big input) computed up to, not including, de minimis,
    which needs every line of an importer's year."""

    validated: Validated
    comp: Computed
    good: np.ndarray  # lines of validated.lines that computed
    rejected: pd.DataFrame
    groups: pd.DataFrame  # aggregate() of the computed lines, before de minimis
    warnings: list[Message]
    before: pd.DataFrame  # the computed lines' keys and sums (columns shared, not copied)
    covers: Covers | None = None  # the lines' import dates and installations (who and when)
    # the computed lines on default values (compute.default_saving; None: no line has actual data)
    counter: pd.DataFrame | None = None
    savings: pd.DataFrame | None = None  # its sums by default_saving.KEYS
    weeks: pd.DataFrame | None = None  # sums by month of the lines priced by the week (periods)
    # --currency other than EUR: its code and the reference data of the display rates (part_lines)
    currency: str = "EUR"
    ref: ReferenceData | None = None

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
            instrument_sums=c.instrument_sums,
        )
        return PartSummary(
            comp,
            self.rejected,
            self.groups,
            self.warnings,
            self.rows_read,
            self.report_groups(),
            self.covers,
            self.savings,
            self.weeks,
        )


@dataclass
class PartSummary:
    """A part without its lines (see Part.slim)."""

    comp: Computed
    rejected: pd.DataFrame
    groups: pd.DataFrame
    warnings: list[Message]
    rows_read: int
    report_groups_: pd.DataFrame
    covers: Covers | None = None
    savings: pd.DataFrame | None = None
    weeks: pd.DataFrame | None = None

    def report_groups(self) -> pd.DataFrame:
        return self.report_groups_


def compute_part(
    validated: Validated, options: CalcOptions, ref: ReferenceData, book: prices.PriceBook
) -> Part:
    """Validated lines -> computed columns, rejected rows and group sums (no de minimis yet)."""
    raw = validated.raw
    lines = validated.lines
    comp = compute_lines(
        lines,
        ref,
        options,
        book,
        validated.column_map,
        carbon_prices=validated.carbon_prices,
        against_default=True,  # the actual-data lines' default values: default_saving's
    )
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
            "cost_eur": certs.cost_eur(certificates, cols["price_eur_per_tco2e"].to_numpy(dtype=float)),
        },
        index=lines_ok.index,
        copy=False,
    )
    if good.sum() + len(rejected) != raw.rows_read:  # nothing may be lost
        raise AssertionError(
            f"row accounting: {int(good.sum())} lines + {len(rejected)} rejected != {raw.rows_read} rows read"
        )
    if comp.instrument_sums is None:  # the carbon price paid by instrument (Art 9, DRAFT)
        comp.instrument_sums = part_sums(
            comp.columns,
            lines["net_mass_t"].to_numpy(dtype=float),
            good,
            comp.instrument_rows,
            validated.carbon_prices,
        )
    warnings = [*raw.warnings, *validated.warnings, *comp.warnings]  # comp's: the instruments' (Art 9)
    precursors = precursor_warning(lines_ok, cols, ref)
    if precursors is not None:
        warnings.append(precursors)
    if raw.blank_rows:
        warnings.append(Message("W_BLANK_ROWS", n=raw.blank_rows))
    if options.de_minimis and len(lines_ok):
        named = "importer" in validated.column_map or "importer_eori" in validated.column_map
        warnings.extend(importer_warnings(lines_ok, named))
    # a totals row, or a hidden row left out on purpose (--skip-hidden), is no shipment
    if options.de_minimis and (~rejected["code"].isin(NOT_SHIPMENT_CODES)).any():
        warnings.append(Message("W_REJECTED_ROWS"))
    counter = default_saving.default_counterfactual(lines_ok, cols, options)  # actual lines only
    weeks = periods.week_groups(before, lines_ok["import_date"])
    extra = (Covers.of(lines_ok), counter, default_saving.saving_groups(before, counter), weeks)
    display = (options.currency, ref if options.currency != "EUR" else None)  # --currency CNY
    return Part(validated, comp, good, rejected, aggregate(before), warnings, before, *extra, *display)


ROWS_SHOWN = 10  # rows a warning names before "..."


def precursor_warning(lines_ok: pd.DataFrame, cols: pd.DataFrame, ref: ReferenceData) -> Message | None:
    """Lines with actual data that give no precursor while their good's Column A benchmark is
    below its Column B one (:func:`cbam_calc.law.free_allocation.column_b_floor`): their free
    allocation leaves out the precursors' (IR 2025/2620 Eq 3-4), so their cost is higher than
    the law gives once the precursors are declared. Worked once per distinct CN code."""
    if "precursor_mass_t_per_t" not in lines_ok or not len(lines_ok):
        return None
    data = pd.Categorical(cols["emissions_data"])  # compute_lines': categories default, actual
    mask = data.codes == data.categories.get_loc("actual") if "actual" in data.categories else None
    if mask is None:
        return None
    mask &= np.isnan(lines_ok["precursor_mass_t_per_t"].to_numpy(dtype=float))
    if not mask.any():
        return None
    cn = lines_ok["cn_code"]
    if isinstance(cn.dtype, pd.CategoricalDtype):  # the codes as they are: no string per line
        codes, cns = cn.cat.codes.to_numpy()[mask], np.asarray(cn.cat.categories, dtype=object)
    else:
        codes, cns = pd.factorize(np.asarray(cn, dtype=object)[mask])
    floor = free_allocation.column_b_floor(ref, cns)[codes]
    benchmark = cols["benchmark_tco2e_per_t"].to_numpy(dtype=float)[mask]
    low = benchmark < floor - 1e-9  # NaN on either side compares False
    if not low.any():
        return None
    shown = []
    flagged = pd.unique(codes[low])
    for k in flagged[:ROWS_SHOWN]:
        first = int(np.flatnonzero(low & (codes == k))[0])
        shown.append(f"{spaced(str(cns[k]))} (A {benchmark[first]:g}, B {floor[first]:g})")
    more = ", ..." if len(flagged) > ROWS_SHOWN else ""
    return Message("W_ACTUAL_WITHOUT_PRECURSORS", n=int(low.sum()), goods=", ".join(shown) + more)


def importer_warnings(lines_ok: pd.DataFrame, has_column: bool) -> list[Message]:
    """What de minimis says about lines without an importer: the column is missing (all lines are
    one importer), or some of its cells are blank (those lines are one unnamed importer, named
    :data:`BLANK_IMPORTER` in the de minimis table). Blank cells are found in one vectorised
    comparison; only the first :data:`ROWS_SHOWN` rows are named."""
    blank = lines_ok["importer"].eq("").to_numpy()
    if not blank.any():
        return []
    if not has_column:
        return [Message("W_NO_IMPORTER")]
    rows = lines_ok["row"].to_numpy()[blank]
    shown: list = [int(r) for r in rows[:ROWS_SHOWN]] + (["..."] if len(rows) > ROWS_SHOWN else [])
    return [Message("W_BLANK_IMPORTER", n=int(blank.sum()), rows=shown)]


def _computed(part: Part, good: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The validated lines and computed columns of the lines ``good`` selects (no copy when
    that is every line, the common case)."""
    if bool(good.all()):
        return part.validated.lines, part.comp.columns
    return part.validated.lines.loc[good], part.comp.columns.loc[good]


def _owed(lines_ok: pd.DataFrame, cols: pd.DataFrame, exempt: set[tuple[str, int]]):
    """Each computed line's de minimis exemption, and its certificates and cost after it."""
    is_exempt = exempt_lines(lines_ok, cols["sector"], exempt)
    certificates = waive(cols["certificates"].to_numpy(), is_exempt)
    return is_exempt, certificates, certs.cost_eur(certificates, cols["price_eur_per_tco2e"].to_numpy())


def part_digest(part: Part, exempt: set[tuple[str, int]]) -> str:
    """``lines_digest(part_lines(part, exempt))`` from the engine's columns, without building
    the Lines table (a batch records it for every member)."""
    lines_ok, cols = _computed(part, np.asarray(part.good, dtype=bool))
    _, certificates, cost = _owed(lines_ok, cols, exempt)
    return figures_digest(lines_ok["row"].to_numpy(), certificates, cost)


# input fields cbam-calc reads as numbers (masses, SEE, carbon prices, shares): in the Lines table
# their input columns hold the number read, not the text of a CSV (a spreadsheet sums numbers);
# every other input column is kept as given (a code such as 00123 stays text)
PARSED_NUMBERS = (
    "net_mass_t",
    "see_direct",
    "see_indirect",
    "carbon_price_paid",
    "carbon_price_rebate",
    "carbon_price_free_share",
    "carbon_price_share_covered",
    "precursor_mass_t_per_t",
)


def parsed_numbers(original: pd.DataFrame, lines: pd.DataFrame, column_map: dict[str, str]) -> pd.DataFrame:
    """``original`` (the input columns of the computed lines) with the text columns of the fields
    of PARSED_NUMBERS replaced by the numbers read from them (a mass in kg as kg)."""
    replace = {}
    for field in (*PARSED_NUMBERS, "net_mass_kg"):
        header = column_map.get(field)
        name = "net_mass_t" if field == "net_mass_kg" else field
        if header not in original.columns or name not in lines.columns:
            continue
        if pd.api.types.is_numeric_dtype(original[header].dtype):
            continue  # read as numbers already (an xlsx input)
        values = pd.to_numeric(lines[name], errors="coerce").to_numpy(dtype=float)
        replace[header] = values * 1000.0 if field == "net_mass_kg" else values
    if not replace:
        return original
    original = original.copy(deep=False)
    for header, values in replace.items():
        original[header] = values
    return original


def part_lines(part: Part, exempt: set[tuple[str, int]], head: int | None = None) -> pd.DataFrame:
    """The Lines table of a part: input columns as given, then every computed column; de minimis
    applied from the exempt (importer, year) pairs of the whole run. ``head``: only its first
    ``head`` lines (``lines.head(head)``, without building the others: a page shows a few)."""
    raw = part.validated.raw
    good = np.asarray(part.good, dtype=bool)
    if head is not None:
        good = good & (np.cumsum(good) <= head)
    lines_ok, cols = _computed(part, good)
    cols = cols.copy()
    is_exempt, cols["certificates"], cols["cost_eur"] = _owed(lines_ok, cols, exempt)
    cols["de_minimis_exempt"] = is_exempt
    mass = lines_ok["net_mass_t"].to_numpy(dtype=float)
    cols["cost_eur_per_t"] = cols["cost_eur"].to_numpy() / mass
    if part.currency != "EUR":  # --currency CNY: a display conversion of each line's EUR cost
        cols = display_columns(cols, part.ref, part.currency)
    if part.counter is not None:  # actual against default (compute.default_saving)
        counter = part.counter if bool(good.all()) else part.counter.loc[lines_ok.index]
        cols[default_saving.DEFAULT_SEE] = counter[default_saving.DEFAULT_SEE].to_numpy()
        saving = default_saving.line_saving(
            counter["default_cost_eur"].to_numpy(), cols["cost_eur"].to_numpy(dtype=float), is_exempt
        )
        cols[default_saving.SAVING_EUR] = saving
        cols[default_saving.SAVING_EUR_PER_T] = saving / mass
    how_dated = [c for c in ("month_only", "import_date_estimated_days") if c in lines_ok.columns]  # notes
    out = pd.concat(
        [
            lines_ok[
                ["row", "cn_code", "country_iso2", "year", "quarter", "net_mass_t", "import_date", *how_dated]
            ].rename(columns={"import_date": "import_date_used"}),
            cols,
        ],
        axis=1,
    )
    out["notes"] = line_notes(out)
    # the join's sources, only where templates were given: after emissions_data
    joined = [c for c in TEMPLATE_LINE_COLUMNS if c in lines_ok.columns]
    for c in joined:
        out[c] = lines_ok[c]
    original = parsed_numbers(raw.frame.loc[out.index], lines_ok, part.validated.column_map)
    taken = {*LINE_COLUMNS, *joined}
    original.columns = [f"input: {c}" if c in taken else str(c) for c in original.columns]
    ordered = [c for c in LINE_COLUMNS if c in out.columns]
    if joined:
        at = ordered.index("emissions_data") + 1
        ordered[at:at] = joined
    return pd.concat([original, out[ordered]], axis=1).reset_index(drop=True)


def ten_digit_codes(warnings: list[Message]) -> list[Message]:
    """The notes of 10-digit codes (M_TEN_DIGIT_CODE, one per code and part) as one warning
    listing each code, the CN code it was read as and its lines over every part, in code order,
    where the first note was: the summary says which national codes were cut, and how often."""
    counts: dict[tuple[str, str], int] = {}
    first = None
    for i, w in enumerate(warnings):
        if getattr(w, "code", "") == "M_TEN_DIGIT_CODE":
            key = (w.params["code"], w.params["cn"])
            counts[key] = counts.get(key, 0) + int(w.params["n"])
            first = i if first is None else first
    if first is None:
        return warnings
    items = [Message("M_TEN_DIGIT_CODE", code=c, cn=cn, n=n) for (c, cn), n in sorted(counts.items())]
    merged = Message("W_TEN_DIGIT_CODES", codes=items)
    rest = [w for w in warnings if getattr(w, "code", "") != "M_TEN_DIGIT_CODE"]
    return [*rest[:first], merged, *rest[first:]]


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
        pd.DataFrame(),
        comps[0].issues,
        price_points,
        reference_prices,
        fx_used,
        default_keys,
        benchmark_keys,
        instrument_sums=combine_sums([c.instrument_sums for c in comps]),
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
    blank_cells = any(getattr(w, "code", "") == "W_BLANK_IMPORTER" for p in parts for w in p.warnings)
    before = combine([p.groups for p in parts])
    groups, dm_table = de_minimis_groups(
        before,
        options.de_minimis,
        BLANK_IMPORTER if blank_cells else NO_IMPORTER,
    )
    comp = merge_computed([p.comp for p in parts])
    rejected = pd.concat([p.rejected for p in parts], ignore_index=True) if parts else pd.DataFrame()
    warnings = list(dict.fromkeys(ten_digit_codes([w for p in parts for w in p.warnings])))
    rows_read = sum(p.rows_read for p in parts)
    summary = summarise(
        groups, rows_read, len(rejected), options, comp, dm_table, warnings, inputs, ref, before=before
    )
    summary.prepared = prepared(Covers.merged([p.covers for p in parts]), options, summary)
    exempt = exempt_keys(dm_table)
    weeks = [p.weeks for p in parts]
    rates = None
    if options.currency != "EUR":  # the display rate of each price period, once for both tables
        rates = period_rates(
            ref,
            options.currency,
            groups["price_period"],
            *[w["price_period"] for w in weeks if w is not None],
        )
        summary.display_currency = display_summary(groups, ref, options.currency, rates)
    summary.by_period = periods.by_period(groups, weeks, exempt, comp.price_points, rates)
    summary.actual_vs_default = default_saving.actual_vs_default([p.savings for p in parts], exempt, ref)

    combined: list[pd.DataFrame] = []  # the sums before de minimis, summed once for both

    def report_groups(exemption: bool = True) -> pd.DataFrame:
        """Sums by REPORT_KEYS after de minimis (or before it: what a batch summing each
        importer over all its files needs)."""
        if not combined:
            combined.append(combine([p.report_groups() for p in parts], REPORT_KEYS))
        groups = combined[0]
        return without_exempt(groups, exempt) if exemption else groups

    def params() -> pd.DataFrame:  # the Parameters table, when an output asks for it
        return parameters_table(groups, comp, options, ref)

    return summary, params, rejected, exempt, report_groups
