"""The library's entry points: ``calculate`` (a file) and ``calculate_validated`` (a validated table)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cbam_calc.compute.digest import lines_digest
from cbam_calc.compute.instrument_lines import InstrumentRows
from cbam_calc.compute.lines import LINE_COLUMNS, compute_lines
from cbam_calc.compute.pipeline import compute_part, finish, part_digest, part_lines, template_figures
from cbam_calc.core import arguments
from cbam_calc.core.errors import NothingComputedError
from cbam_calc.core.messages import Message
from cbam_calc.core.model import (
    CalcOptions,
    CalcSummary,
    InputFile,
)
from cbam_calc.inputs.carbon_prices import (
    CarbonPrices,
    InstrumentLines,
    apply_carbon_prices,
    carbon_price_tables,
)
from cbam_calc.inputs.comm_template import CommTemplate, TemplateSet
from cbam_calc.inputs.csv_arrow import in_flight
from cbam_calc.inputs.csv_arrow import sha256 as _sha256  # the CSV prefetch may have hashed it
from cbam_calc.inputs.readers import RawTable, read_table
from cbam_calc.inputs.template_match import apply_templates, evidenced_files, template_list
from cbam_calc.inputs.validate import (
    REJECTED_COLUMNS,
    Validated,
    validate,
)
from cbam_calc.law import prices
from cbam_calc.law.de_minimis import without_exempt
from cbam_calc.law.parameters import supported_years
from cbam_calc.law.reference import ReferenceData, reference_data
from cbam_calc.law.warm import warm_up


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
    # the same sums BEFORE de minimis (None: as ``groups``), for a batch that decides each
    # importer on its total over every file
    groups_before_source: pd.DataFrame | Callable[[], pd.DataFrame] | None = None
    # how to build the first n lines alone (None: the head of ``lines``)
    lines_head_source: Callable[[int], pd.DataFrame] | None = None
    # how to compute lines_sha256 without the Lines table (None: from ``lines``)
    lines_digest_source: Callable[[], str] | None = None
    # the carbon-prices instruments and the lines each applies to (None: no carbon-prices table)
    carbon_prices: InstrumentLines | None = None
    # the validated lines the run computed (their parsed carbon price inputs: cbam explain treats
    # one line's instrument rows again to show each step); None where not kept (batch, Dask)
    validated: Validated | None = None
    # the draft Art 9 treatment of each (line, table row) pair: the part's Computed.instrument_rows
    # (compute.instrument_lines.InstrumentRows; None: no table row applies to a line)
    instrument_rows: InstrumentRows | None = None
    # the summary's groups (aggregate.GROUP_KEYS: by price period, importer, year, sector ...)
    # after de minimis, or before it with ``exemption=False``: what a batch sums the CNY of
    # --currency from (None: not kept, as with the Dask engine)
    summary_groups_source: Callable[[bool], pd.DataFrame] | None = None

    def summary_groups(self, exemption: bool = True) -> pd.DataFrame | None:
        """The summary's groups after de minimis (or before it), None where not kept."""
        return None if self.summary_groups_source is None else self.summary_groups_source(exemption)

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
    def groups_before(self) -> pd.DataFrame:
        """Sums by REPORT_KEYS before de minimis (every line priced)."""
        if self.groups_before_source is None:
            return self.groups
        if callable(self.groups_before_source):
            self.groups_before_source = self.groups_before_source()
        return self.groups_before_source

    @property
    def lines(self) -> pd.DataFrame:
        """Computed lines: input columns + LINE_COLUMNS."""
        if callable(self.lines_source):
            self.lines_source = self.lines_source()
        return self.lines_source

    def first_lines(self, n: int) -> pd.DataFrame:
        """``lines.head(n)``, without building the whole Lines table where it is not built yet
        (the HTML page shows the first lines of a million)."""
        if callable(self.lines_source) and self.lines_head_source is not None:
            return self.lines_head_source(n)
        return self.lines.head(n)

    @property
    def lines_sha256(self) -> str:
        """:func:`~cbam_calc.compute.digest.lines_digest` of the lines, which a run record keeps;
        computed from the engine's columns where the Lines table is not built."""
        if self.lines_digest_source is not None and callable(self.lines_source):
            return self.lines_digest_source()
        return lines_digest(self.lines)

    @property
    def rows_read(self) -> int:
        return self.summary.rows_read


def price_table(value: object) -> pd.DataFrame | None:
    """``price_path`` of the library: the table of :func:`cbam_calc.law.prices.load_price_path`,
    or the path of its CSV (read and checked here; a missing file is an OptionError naming it)."""
    if value is None or isinstance(value, pd.DataFrame):
        return value
    if isinstance(value, (str, os.PathLike)):
        return prices.load_price_path(arguments.path("price_path", value))
    raise TypeError(
        "price_path must be the path of a price CSV or its table "
        f"(cbam_calc.law.prices.load_price_path(path)), not {type(value).__name__}"
    )


def check_arguments(
    options: object, ref: object, price_path: object, raise_if_empty: object = True
) -> tuple[CalcOptions, ReferenceData, pd.DataFrame | None]:
    """The arguments every entry point shares, checked (TypeError/ValueError naming the argument)
    and completed: default options, the reference data, the price table."""
    checked = arguments.options(options)
    if checked.year is not None and checked.year not in supported_years():
        years = supported_years()
        raise ValueError(
            f"options.year must be a year cbam-calc has reference data for, "
            f"{years[0]}-{years[-1]} (Art 36(3)), not {checked.year}"
        )
    arguments.instance("ref", ref, ReferenceData, "ReferenceData (cbam_calc.reference_data())")
    arguments.flag("raise_if_empty", raise_if_empty)
    return checked, ref or reference_data(), price_table(price_path)


def calculate_validated(
    validated: Validated,
    options: CalcOptions | None = None,
    ref: ReferenceData | None = None,
    price_path: pd.DataFrame | str | Path | None = None,
    *,
    templates: TemplateSet | Sequence[CommTemplate] | None = None,
    evidenced: str | Collection[str] | None = None,
    carbon_prices: Sequence[CarbonPrices] | CarbonPrices | None = None,
) -> CalcResult:
    """Compute a validated table: the library entry point behind ``cbam calc``.

    ``templates``: installations' communication templates
    (:func:`cbam_calc.inputs.comm_template.read_templates`) joined to the lines before the engine
    (:func:`cbam_calc.inputs.template_match.apply_templates`); ``evidenced``: the templates whose
    carbon price due counts as evidenced ("all", or their files, folders or installations).
    ``carbon_prices``: carbon-prices tables (:mod:`cbam_calc.inputs.carbon_prices`), joined to the
    lines after the templates (:func:`~cbam_calc.inputs.carbon_prices.apply_carbon_prices`); the
    result's ``carbon_prices`` holds the instruments and the lines each applies to."""
    arguments.instance(
        "validated", validated, Validated, "a Validated table (cbam_calc.validate(...))", optional=False
    )
    options, ref, price_path = check_arguments(options, ref, price_path)
    joined = None
    if templates is not None:
        joined = template_list(templates)
        validated = apply_templates(validated, joined, evidenced)
    if carbon_prices is not None:
        tables = [carbon_prices] if isinstance(carbon_prices, CarbonPrices) else list(carbon_prices)
        if tables:
            proven = evidenced_files(joined, evidenced) if joined is not None else None
            validated = apply_carbon_prices(validated, tables, joined, proven)
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
            encoding=raw.encoding,
        )
    ]
    summary, params, rejected, exempt, groups = finish([part], options, ref, inputs)
    if joined is not None:
        summary.templates = template_figures([part], exempt, joined, evidenced)
    return CalcResult(
        lambda: part_lines(part, exempt),
        rejected,
        summary,
        params,
        options,
        list(raw.frame.columns),
        groups,
        # nothing exempt: the groups before de minimis are the groups (not summed a second time)
        (lambda: groups(False)) if exempt else None,
        lambda n: part_lines(part, exempt, head=n),
        lambda: part_digest(part, exempt),
        validated.carbon_prices,
        validated,
        part.comp.instrument_rows,
        # de minimis on the part's groups, as finish applies it to them
        lambda exemption=True: without_exempt(part.groups, exempt) if exemption else part.groups,
    )


def calculate(
    path: str | Path,
    options: CalcOptions | None = None,
    sheet: str | None = None,
    ref: ReferenceData | None = None,
    price_path: pd.DataFrame | str | Path | None = None,
    raise_if_empty: bool = True,
    *,
    sheet_fallback: bool = False,
    templates: TemplateSet | Sequence[CommTemplate] | None = None,
    evidenced: str | Collection[str] | None = None,
    carbon_prices: str | Path | CarbonPrices | None = None,
) -> CalcResult:
    """Read a shipments file and compute it. Raises InputFileError for an unusable file and
    NothingComputedError when every row is rejected (unless ``raise_if_empty`` is False).

    ``price_path``: a certificate price CSV (or its table from ``load_price_path``). A wrong
    type or value of an argument raises TypeError or ValueError naming it, before any work.
    ``sheet_fallback``: a ``sheet`` the workbook lacks is replaced by its one sheet holding a
    shipments table, with a warning (cbam batch: one --sheet for every member's file).
    ``templates``, ``evidenced``: the installations' communication templates joined to the lines
    (see :func:`calculate_validated`). ``carbon_prices``: a carbon-prices file (``--carbon-prices``)
    or table; a workbook's own sheet named like the table (``Carbon prices``, ``碳价``) is read
    too, and both at once are refused (:func:`~cbam_calc.inputs.carbon_prices.carbon_price_tables`)."""
    arguments.path("path", path)
    arguments.sheet(sheet)
    options, ref, price_path = check_arguments(options, ref, price_path, raise_if_empty)
    if in_flight(path):  # the CSV is read in the background: load the reference data meanwhile
        warm_up(ref)
    raw: RawTable = read_table(path, sheet, options.read, sheet_fallback=sheet_fallback)
    validated = validate(raw, ref, options.year, options.ignore_destination, options.read)
    tables = carbon_price_tables(path if raw.price_sheet else None, carbon_prices, options.read)
    result = calculate_validated(
        validated, options, ref, price_path, templates=templates, evidenced=evidenced, carbon_prices=tables
    )
    if raise_if_empty and result.summary.lines == 0:
        first = result.rejected.iloc[0] if len(result.rejected) else None
        detail: Message | str = ""
        if first is not None:
            value = f" '{first['value']}'" if first["value"] != "" else ""  # as the Rejected list shows it
            params = first.get("params", "")
            reason = Message.from_json(
                first["reason"], first.get("code", "") or "", json.loads(params) if params else None
            )
            detail = Message(
                "M_NOTHING_FIRST", row=int(first["row"]), column=first["column"], value=value, reason=reason
            )
        where = [raw.file, *([Message("M_WHERE_SHEET", sheet=raw.sheet)] if raw.sheet else [])]
        err = NothingComputedError(Message("E_NOTHING_COMPUTED", where=where, n=raw.rows_read, detail=detail))
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
