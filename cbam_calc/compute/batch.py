"""``cbam batch``: the files of many members computed one by one and consolidated.

Long because: one file's computation, the consolidation and the running (in this process and in
isolated workers) are one streaming design, read together.

Each file (csv or spreadsheet, with its own columns and header language) is computed by the engine
exactly as ``cbam calc`` computes it. De minimis belongs to the importer (the declarant), whoever
its suppliers are: a member's file holds only that exporter's share of an importer's imports, so by
default (``--de-minimis importer``) the threshold is applied to each importer's total over every
file of the batch, the importer matched by EORI where one is given, else by its name normalised
(:func:`cbam_calc.law.importers.importer_keys`); ``per-file`` decides each file on its own (the
reading before), ``off`` prices every line. A file that cannot be read, or of which nothing can be
computed, is recorded as failed with its one-line message and the batch goes on. A file with the
same bytes (SHA-256) as an earlier one is not computed: it is listed as a duplicate of that file,
with a warning, and adds nothing to any total (the same declaration given twice must not double a
levy).

Streaming: a file's lines never leave the function that computes it. It returns only aggregates
(:class:`FileAggregate`: its sums by each grouping, one row per sector, CN code, country,
importer, installation and year; its de minimis outcomes; at most ``rejected_cap`` rejected rows;
its parameters and assumptions), and :class:`Consolidation` merges them as they come, rolling
every grouping up again once its pending rows pass ``COMPACT_ROWS``. Memory is bounded by the
number of distinct members, products, countries, importers and installations, not by lines.

Isolated and parallel: spreadsheet members are always read in a worker process
(:mod:`cbam_calc.compute.isolated`), so a native reader that aborts, segfaults or is killed for
its memory fails that member, named with the signal, and the batch goes on and writes its report.
With more than one file and more than ``PARALLEL_MIN_BYTES`` of input, every file is computed in
worker processes (one per core); below that, csv members (pyarrow, which fails with an exception,
not a crash) are computed in this process while a worker reads the spreadsheets. Results are
merged in file order whatever order the workers finish in, so a batch gives the same figures, to
the last bit, however it is run.

Communication templates (``--emissions``, issue 15): read once, in the parent, before any member
is computed (a refused template or an ``--evidenced`` entry naming none stops the run there, not
once per member); each worker process is given them once, when it starts, and joins them to the
lines of every member it computes as ``cbam calc --emissions`` does
(:func:`cbam_calc.inputs.template_match.apply_templates`). What the templates say about
themselves (their version, a reporting period other than the year of import) is said once for the
batch, not once per member; a template that covers no line of any member is named once.

Display currency (``--currency CNY``, issue 14): each file also sends back its EUR cost by member,
sector and price period (:data:`DISPLAY_KEYS`, de minimis as for the other sums); the batch sums
them and multiplies each period's cost by its display rate once, at the end
(:func:`with_display_currency`), so its CNY, and each member's, are those ``cbam calc`` gives.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc import __version__
from cbam_calc.compute.aggregate import (
    FINE_KEYS,
    GROUPINGS,
    SUMS,
    ReportTable,
    empty_fine,
    figures,
    fine_aggregate,
    rollup,
    totals,
    with_ranks,
)
from cbam_calc.compute.instrument_totals import combined_figures
from cbam_calc.compute.isolated import Crashed, IsolatedRunner, WorkersUnavailable
from cbam_calc.compute.prepared import merged_prepared
from cbam_calc.core.display import DisplayCurrency
from cbam_calc.core.errors import CbamError, NothingComputedError
from cbam_calc.core.messages import Message
from cbam_calc.core.model import (
    Assumptions,
    CalcOptions,
    DeMinimis,
    InstrumentFigures,
    Prepared,
    PriceUsed,
    ReferencePriceUsed,
)
from cbam_calc.inputs.carbon_prices import CarbonPrices
from cbam_calc.inputs.comm_template import CommTemplate, TemplateSet
from cbam_calc.inputs.csv_arrow import sha256_of_file
from cbam_calc.inputs.members import BatchFile, discover, same_content
from cbam_calc.inputs.validate import NOT_SHIPMENT_CODES, REJECTED_COLUMNS
from cbam_calc.law.de_minimis import BLANK_IMPORTER, NO_IMPORTER, counts_towards_threshold
from cbam_calc.law.importers import batch_de_minimis, importer_keys

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
REJECTED_PER_FILE = 1000  # rejected rows a batch keeps per file; cbam report FILE lists them all
PARALLEL_MIN_BYTES = 2 * 1024 * 1024  # below this, starting worker processes costs more than it saves
COMPACT_ROWS = 50_000  # pending group rows merged into the running totals past this many
COMPACT_FILES = 256  # --currency CNY: the files' costs by period summed again past this many
DE_MINIMIS_COLUMNS = ["member", "file", "importer", "year", "annex_i_mass_t", "threshold_t", "exempt"]
# a file's de minimis rows as the batch sums them (key: importer_keys, unique per file if unnamed)
FILE_DE_MINIMIS_COLUMNS = [*DE_MINIMIS_COLUMNS, "key"]
# where a file's costs go when the batch decides de minimis over every file: fine rows that may be
# exempt (their importer's tonnes in the file are at or under the threshold), with their key
CANDIDATE_KEYS = ["member", "file", "key", *FINE_KEYS]
WAIVED = ["certificates", "cost_eur", "goods_cost_eur"]  # what an exempt importer does not owe
# --currency CNY: a file's costs by member, sector and price period (the display rate is the
# period's), from the summary groups; summed over the batch, times each period's rate at the end
DISPLAY_KEYS = ["member", "sector", "price_period"]
DISPLAY_SUMS = ["lines", "cost_eur"]
DISPLAY_CANDIDATE_KEYS = ["member", "file", "key", "year", "sector", "price_period"]


def by_importer(options: CalcOptions) -> bool:
    """A batch decides de minimis on each importer's total over every file (the default: ``on``
    in a batch is ``importer``)."""
    return options.de_minimis in (DeMinimis.ON, DeMinimis.IMPORTER)


def de_minimis_mode(batch) -> str:
    """A batch's --de-minimis choice, as its outputs state it (``on`` in a batch is ``importer``)."""
    return DeMinimis.IMPORTER.value if by_importer(batch.options) else batch.options.de_minimis.value


def dm_scope(batch) -> str:
    """What the tonnes of a batch's de minimis table cover: the whole batch (by importer) or one
    file (per-file)."""
    return "batch" if de_minimis_mode(batch) == DeMinimis.IMPORTER.value else "file"


BATCH_REJECTED_COLUMNS = ["member", *REJECTED_COLUMNS]


# ---------------------------------------------------------------------------- one file
@dataclass
class FileOutcome:
    """One file of a batch: computed or failed, and its headline figures."""

    file: str
    member: str
    sheet: str | None
    status: str  # "ok", "failed" or "duplicate" (same content as an earlier file: not computed)
    message: str
    rows_read: int
    lines: int
    rejected: int
    sha256: str
    cost_eur: float | None = None  # None: not computed
    eur_per_t: float | None = None
    seconds: float = 0.0
    # of the rejected rows, those that are no shipments: totals rows, hidden rows left out
    totals_rows: int = 0
    lines_sha256: str = ""  # CalcResult.lines_sha256 of its lines (run record, --check)
    duplicate_of: str = ""  # a duplicate: the file it repeats, which is computed in its place


@dataclass
class FileAggregate:
    """What computing a file sends back: no lines, only what the consolidation needs."""

    outcome: FileOutcome
    groups: dict[str, pd.DataFrame]  # its sums rolled up by each of report.GROUPINGS
    de_minimis: pd.DataFrame  # FILE_DE_MINIMIS_COLUMNS
    rejected: pd.DataFrame  # BATCH_REJECTED_COLUMNS, at most rejected_cap rows
    parameters: pd.DataFrame
    assumptions: Assumptions | None
    warnings: list[Message] = field(default_factory=list)
    # de minimis by importer: the fine rows that may be exempt (not in ``groups``; CANDIDATE_KEYS
    # + SUMS), and the file's goods mass and cost [t, EUR] outside them
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)
    fixed: dict = field(default_factory=dict)
    # --emissions: computed lines by the source of their SEE, {(source, template file): lines},
    # and the templates covering at least one of its lines
    sources: dict[tuple[str, str], int] = field(default_factory=dict)
    matched: set[str] = field(default_factory=set)
    periods: list[Message] = field(default_factory=list)  # the join's W_TEMPLATE_PERIOD_USED
    # --carbon-prices: the rows of the batch's carbon-prices table that apply to a line of the file
    carbon_price_rows: set[int] = field(default_factory=set)
    # instruments named: the file's carbon price paid by instrument (its summary.instruments)
    instruments: InstrumentFigures | None = None
    prepared: Prepared | None = None  # who and when of the file (its summary.prepared)
    # --currency CNY: its costs by DISPLAY_KEYS (after de minimis where the file decides it),
    # and by importer the rows that may be exempt (DISPLAY_CANDIDATE_KEYS + DISPLAY_SUMS)
    display: pd.DataFrame | None = None
    display_candidates: pd.DataFrame = field(default_factory=pd.DataFrame)


def _file_de_minimis(s, member: str, file: str) -> pd.DataFrame:
    """A file's de minimis outcomes as rows, with the key that matches its importers across files
    (an unnamed importer is the file's own: never matched with another file's)."""
    dm = pd.DataFrame(
        [(member, file, d.importer, d.year, d.annex_i_mass_t, d.threshold_t, d.exempt) for d in s.de_minimis],
        columns=DE_MINIMIS_COLUMNS,
    )
    unnamed = dm["importer"].isin([NO_IMPORTER, BLANK_IMPORTER]).to_numpy()
    dm["key"] = np.where(unnamed, "file:" + file, importer_keys(dm["importer"]) if len(dm) else [])
    return dm


def _split_candidates(
    fine: pd.DataFrame, dm: pd.DataFrame, file: str, columns: list[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fine rows (before de minimis) that may be exempt once the batch has every file, and the
    rest. A row may be exempt when its sector counts towards the threshold and its importer's
    tonnes in this file are at or under it (more files only add tonnes). Vectorised: one key per
    distinct importer, no work per line. ``columns``: those of the candidates returned (default
    CANDIDATE_KEYS + SUMS, the fine rows')."""
    # the keys of the de minimis table, by the importer's name (computed once per file there)
    key_of = pd.Series(dm["key"].to_numpy(), index=dm["importer"].astype(str)).groupby(level=0).first()
    named = fine["importer"].astype(str)
    key = np.where(named.eq("").to_numpy(), "file:" + file, named.map(key_of).fillna("").to_numpy())
    under = dm[dm["annex_i_mass_t"] <= dm["threshold_t"]]
    small = set(zip(under["key"], under["year"].astype(int)))
    pairs = pd.MultiIndex.from_arrays([key, fine["year"].to_numpy(dtype=np.int64)])
    hit = np.asarray(pairs.isin(list(small)), dtype=bool) if small else np.zeros(len(fine), dtype=bool)
    hit &= counts_towards_threshold(fine["sector"])
    cand = fine.loc[hit].copy()
    cand.insert(1, "file", file)
    cand.insert(2, "key", key[hit])
    return cand[columns or [*CANDIDATE_KEYS, *SUMS]], fine.loc[~hit]


def _sha256(path: Path) -> str:
    """The file's SHA-256, or '' for a file that cannot be read (it is reported as failed)."""
    try:
        return sha256_of_file(path)
    except OSError:
        return ""


def compute_file(
    item: BatchFile,
    options: CalcOptions,
    price_path: pd.DataFrame | None = None,
    sheet: str | None = None,
    rejected_cap: int = REJECTED_PER_FILE,
    templates: Sequence[CommTemplate] | None = None,
    evidenced: Collection[str] | None = None,
    carbon_prices: CarbonPrices | None = None,
) -> FileAggregate:
    """Compute one file and reduce it to aggregates. Never raises for a bad file: the failure
    is the outcome (runs in a worker process, where an exception would only be re-raised).
    ``templates``, ``evidenced``: the run's communication templates and the files of those whose
    carbon price due is evidenced (:func:`batch_templates`), joined to the file's lines.
    ``carbon_prices``: the batch's carbon-prices table (``--carbon-prices``), joined to the file's
    lines; which of its rows no member uses is said once for the batch."""
    from cbam_calc.compute.calculate import calculate

    start = time.perf_counter()
    file = str(item.path)
    use_sheet = sheet if item.path.suffix.lower() in SPREADSHEETS else None
    result, message = None, ""
    importer_wide = by_importer(options)
    # the file on its own, as cbam calc computes it (its de minimis table and warnings); by
    # importer, the batch decides what is exempt from the sums before de minimis
    file_options = options.model_copy(
        update={"de_minimis": DeMinimis.ON if options.de_minimis else DeMinimis.OFF}
    )
    try:
        result = calculate(
            item.path,
            file_options,
            sheet=use_sheet,
            price_path=price_path,
            sheet_fallback=True,
            templates=templates,
            evidenced=evidenced,
            carbon_prices=carbon_prices,
        )
    except NothingComputedError as e:
        result, message = getattr(e, "result", None), e.message()
    except CbamError as e:
        message = e.message()  # a message: the reports show it in their language
    except Exception as e:  # a bug must not lose the other members' results: record it, go on
        if os.environ.get("CBAM_DEBUG"):
            raise
        message = (
            f"{file}: internal error {type(e).__name__}: {e} (a bug in cbam-calc: run "
            f"cbam calc on this file with CBAM_DEBUG=1 and report it)"
        )
    if "\n" in message:
        message = message.replace("\n", " ")
    if result is None:
        outcome = FileOutcome(file, item.member, use_sheet, "failed", message, 0, 0, 0, _sha256(item.path))
        outcome.seconds = time.perf_counter() - start
        return FileAggregate(
            outcome,
            {},
            pd.DataFrame(columns=FILE_DE_MINIMIS_COLUMNS),
            pd.DataFrame(columns=BATCH_REJECTED_COLUMNS),
            pd.DataFrame(),
            None,
        )
    s = result.summary
    computed = s.lines > 0 and not message
    inp = s.inputs[0] if s.inputs else None
    outcome = FileOutcome(
        file=file,
        member=item.member,
        sheet=inp.sheet if inp else use_sheet,
        status="ok" if computed else "failed",
        message=message,
        rows_read=s.rows_read,
        lines=s.lines,
        rejected=s.rejected,
        sha256=inp.sha256 if inp else _sha256(item.path),
        cost_eur=s.cost_eur if computed else None,
        eur_per_t=s.eur_per_t if computed else None,
        totals_rows=int(result.rejected["code"].isin(NOT_SHIPMENT_CODES).sum())
        if len(result.rejected)
        else 0,
        lines_sha256=result.lines_sha256,
    )
    fine = fine_aggregate(result, before_de_minimis=importer_wide)
    fine.insert(0, "member", item.member)
    dm = _file_de_minimis(s, item.member, file)
    candidates, fixed = pd.DataFrame(), {}
    if importer_wide:
        candidates, fine = _split_candidates(fine, dm, file)
        fixed = {c: float(fine[c].sum()) for c in ("goods_mass_t", "goods_cost_eur", "cost_eur")}
        fixed["goods_mass_t"] += float(candidates["goods_mass_t"].sum())
    groups = {name: rollup(fine, keys) for name, keys in GROUPINGS.items()}
    display, display_candidates = None, pd.DataFrame()
    if options.currency != "EUR" and computed:
        display, display_candidates = _file_display(result, item.member, dm, file, importer_wide)
    rejected = result.rejected.head(rejected_cap).copy()
    rejected.insert(0, "member", item.member)
    outcome.seconds = time.perf_counter() - start
    return FileAggregate(
        outcome,
        groups,
        dm,
        rejected[BATCH_REJECTED_COLUMNS],
        result.parameters,
        s.assumptions if computed else None,
        _member_warnings(s.warning_messages(), templates, carbon_prices) if computed else [],
        candidates,
        fixed,
        source_counts(s) if templates is not None and computed else {},
        _matched(result.lines) if templates is not None and computed else set(),
        [w for w in s.warning_messages() if w.code == "W_TEMPLATE_PERIOD_USED"] if computed else [],
        _carbon_price_rows(result) if carbon_prices is not None and computed else set(),
        s.instruments if computed else None,
        s.prepared if computed else None,
        display,
        display_candidates,
    )


def _file_display(
    result, member: str, dm: pd.DataFrame, file: str, importer_wide: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """--currency CNY: a file's EUR cost by DISPLAY_KEYS (each price period has one display
    rate, applied once the batch is summed), from its summary groups: after its own de minimis,
    or, where the batch decides each importer over every file, before it, with the rows that may
    be exempt apart (as the fine rows: :func:`_split_candidates`)."""
    g = result.summary_groups(exemption=not importer_wide)
    frame = pd.DataFrame(
        {
            "member": member,
            "importer": g["importer"].astype(str).to_numpy(),
            "year": g["year"].to_numpy(dtype=np.int64),
            "sector": g["sector"].astype(str).to_numpy(),
            "price_period": g["price_period"].astype(str).to_numpy(),
            "lines": g["_lines"].to_numpy(dtype=np.int64),
            "cost_eur": g["cost_eur"].to_numpy(dtype=float),
        }
    )
    candidates = pd.DataFrame()
    if importer_wide:
        candidates, frame = _split_candidates(frame, dm, file, [*DISPLAY_CANDIDATE_KEYS, *DISPLAY_SUMS])
    return _display_rollup([frame]), candidates


def _display_rollup(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Costs by DISPLAY_KEYS, summed over ``frames``."""
    present = [f for f in frames if len(f)]
    if not present:
        return pd.DataFrame(columns=[*DISPLAY_KEYS, *DISPLAY_SUMS])
    both = pd.concat(present, ignore_index=True)
    return both.groupby(DISPLAY_KEYS, sort=True, observed=True)[DISPLAY_SUMS].sum().reset_index()


def _carbon_price_rows(result) -> set[int]:
    """The rows of the batch's carbon-prices table (``--carbon-prices``) a line of ``result`` takes."""
    from cbam_calc.inputs.carbon_prices import SOURCE_FILE

    join = result.carbon_prices
    if join is None or join.instruments is None or not len(join.pairs):
        return set()
    taken = join.instruments.iloc[np.unique(join.pairs["instrument"].to_numpy())]
    return {int(r) for r in taken.loc[taken["source"] == SOURCE_FILE, "row"]}


def _matched(lines: pd.DataFrame) -> set[str]:
    """The templates covering at least one of the lines (``template_file`` of the join)."""
    if "template_file" not in lines.columns:
        return set()
    return {str(f) for f in pd.unique(lines["template_file"].astype(str)) if f}


# the join's warnings about one shipment file: a batch says them of the whole batch instead
BATCH_WIDE_TEMPLATE_CODES = ("W_TEMPLATE_UNUSED", "W_TEMPLATE_PERIOD_USED")


def _member_warnings(
    warnings: list[Message], templates: Sequence[CommTemplate] | None, carbon_prices=None
) -> list[Message]:
    """A member's warnings without what the templates say of themselves (said once for the batch)
    and the join's warnings about this file alone (said of the batch: :func:`template_warnings`);
    with a batch's carbon-prices table, without the rows this file does not use (said of the
    batch: a member given the batch's table has no carbon-prices sheet of its own)."""
    if carbon_prices is not None:
        warnings = [w for w in warnings if w.code != "W_CP_ROWS_UNUSED"]
    if templates is None:
        return warnings
    own = set(getattr(templates, "warnings", [])) | {w for t in templates for w in t.warnings}
    return [w for w in warnings if w not in own and w.code not in BATCH_WIDE_TEMPLATE_CODES]


def source_counts(summary) -> dict[tuple[str, str], int]:
    """A file's computed lines by where their SEE came from, ``(source, template file)`` -> lines
    (the join's ``summary.templates.lines_by_source``, lines counted once, there)."""
    figures = getattr(summary, "templates", None)
    if figures is None:
        return {}
    return {(c.source, c.file): c.lines for c in figures.lines_by_source if c.lines}


def merge_assumptions(a: Assumptions | None, b: Assumptions | None) -> Assumptions | None:
    """The assumptions of two runs with the same options, as one: prices, years, factors and
    reference prices used by either (price lines summed)."""
    if a is None or b is None:
        return a or b
    prices: dict[str, PriceUsed] = {p.period: p for p in a.certificate_prices}
    for p in b.certificate_prices:
        q = prices.get(p.period)
        prices[p.period] = p if q is None else q.model_copy(update={"lines": q.lines + p.lines})
    ref_prices = {r.year: r for r in [*a.art9_reference_prices, *b.art9_reference_prices]}
    return a.model_copy(
        update={
            "years": sorted({*a.years, *b.years}),
            "certificate_prices": [prices[k] for k in sorted(prices)],
            "cbam_factor": dict(sorted({**a.cbam_factor, **b.cbam_factor}.items())),
            "cscf": dict(sorted({**a.cscf, **b.cscf}.items())),
            "cscf_provisional": a.cscf_provisional or b.cscf_provisional,
            "cscf_status": dict(sorted({**a.cscf_status, **b.cscf_status}.items())),
            "art9_reference_prices": [
                ReferencePriceUsed.model_validate(ref_prices[y]) for y in sorted(ref_prices)
            ],
            "fx_used": dict(sorted({**a.fx_used, **b.fx_used}.items())),
            "draft_rules_in_force": list(dict.fromkeys([*a.draft_rules_in_force, *b.draft_rules_in_force])),
            "benchmark_projection_years": sorted(
                {*a.benchmark_projection_years, *b.benchmark_projection_years}
            ),
        }
    )


@dataclass
class BatchResult:
    """A consolidated batch: every file's outcome, the merged figures and their assumptions."""

    where: str
    files: list[FileOutcome]
    groupings: dict[str, pd.DataFrame]  # report.figures by each of GROUPINGS, highest cost first
    totals: dict
    de_minimis: pd.DataFrame
    rejected: pd.DataFrame  # capped per file
    rejected_cap: int
    parameters: pd.DataFrame
    assumptions: Assumptions | None
    warnings: list[tuple[Message, int]]  # (warning, number of files that gave it)
    options: CalcOptions
    reference_data_sha256: str
    seconds: float = 0.0
    version: str = __version__
    reference_data_as_of: str | None = None  # newest update date of the reference data (cbam data)
    reference_data_undated: list[str] = field(default_factory=list)
    # --emissions: the templates given (file, absolute, sha256, installation, version, evidenced),
    # and the computed lines of every member by the source of their SEE (source, template file, lines)
    templates: list[dict] | None = None
    # --carbon-prices: the batch's carbon-prices table (the run record names it)
    carbon_prices: CarbonPrices | None = None
    lines_by_source: list[tuple[str, str, int]] = field(default_factory=list)
    # instruments named in a member: the carbon price paid by instrument, summed over the members
    instruments: InstrumentFigures | None = None
    prepared: Prepared | None = None  # who and when: the members' installations and dates merged
    # --currency CNY: the batch's cost at display rates (the members' in groupings' cost_cny)
    display_currency: DisplayCurrency | None = None

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def duplicates(self) -> list[FileOutcome]:
        """Files repeating an earlier one byte for byte: listed, not computed, not failed."""
        return [f for f in self.files if f.status == "duplicate"]

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def lines(self) -> int:
        return sum(f.lines for f in self.files)

    @property
    def rejected_total(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def rejected_shipments(self) -> int:
        """Rejected rows that are shipments (totals rows at the bottom of a table, and hidden rows
        left out with --skip-hidden, are not)."""
        return sum(f.rejected - f.totals_rows for f in self.files)

    def members(self) -> pd.DataFrame:
        """Members ranked by levy, with their files and rejected rows."""
        table = with_ranks(self.groupings["member"])
        files = pd.DataFrame(
            {
                "member": [f.member for f in self.files],
                "files": 1,
                "rejected": [f.rejected for f in self.files],
            }
        )
        extra = files.groupby("member", sort=False)[["files", "rejected"]].sum()
        out = table.join(extra, on="member")
        order = ["rank_cost", "rank_eur_per_t", "member", "files", "lines", "rejected"]
        return out[[*order, *[c for c in out.columns if c not in order]]]

    def tables(self) -> list[ReportTable]:
        """The grouping sheets of the consolidated workbook and sections of its HTML page."""
        g = self.groupings
        out = [
            ReportTable("by_member", "members", ["member"], self.members()),
            ReportTable("by_product", "products", GROUPINGS["cn_code"], with_ranks(g["cn_code"])),
            ReportTable("by_sector", "by_sector", ["sector"], g["sector"]),
            ReportTable("by_country", "by_country", ["country_iso2"], g["country"]),
        ]
        if g["importer"]["importer"].ne("").any():
            out.append(ReportTable("by_importer", "by_importer", ["importer"], g["importer"]))
        if g["installation"]["installation"].ne("").any():
            out.append(ReportTable("by_installation", "by_installation", ["installation"], g["installation"]))
        return out


class Consolidation:
    """Merges file aggregates one at a time; memory bounded by the groups, not the lines."""

    def __init__(self, options: CalcOptions, rejected_cap: int = REJECTED_PER_FILE) -> None:
        self.options = options
        self.rejected_cap = rejected_cap
        self.files: list[FileOutcome] = []
        self._merged = {name: empty_fine(["member"])[[*keys, *SUMS]] for name, keys in GROUPINGS.items()}
        self._pending: dict[str, list[pd.DataFrame]] = {name: [] for name in GROUPINGS}
        self._pending_rows = 0
        self._de_minimis: list[pd.DataFrame] = []
        self._rejected: list[pd.DataFrame] = []
        self._parameters = pd.DataFrame()
        self._assumptions: Assumptions | None = None
        self._warnings: dict[Message, int] = {}
        self._files_with_unpublished_prices = 0
        self._candidates: list[pd.DataFrame] = []  # by importer: fine rows that may be exempt
        self._fixed: dict[int, dict] = {}  # by importer: each file's sums outside them
        self.sources: Counter = Counter()  # --emissions: (source, template file) -> lines
        self.matched: Counter = Counter()  # --emissions: template file -> members it covers a line of
        self.periods: list[Message] = []  # --emissions: each member's W_TEMPLATE_PERIOD_USED
        self._instruments: list[InstrumentFigures] = []  # each member's naming an instrument
        self._prepared: list[Prepared] = []  # each computed member's who and when
        self._display: list[pd.DataFrame] = []  # --currency CNY: costs by DISPLAY_KEYS
        self._display_candidates: list[pd.DataFrame] = []  # of those, by importer: may be exempt

    def add(self, agg: FileAggregate) -> None:
        self.sources.update(agg.sources)
        self.matched.update(agg.matched)
        self.periods += agg.periods
        if agg.instruments is not None:
            self._instruments.append(agg.instruments)
        if agg.prepared is not None:
            self._prepared.append(agg.prepared)
        if agg.fixed:
            self._fixed[len(self.files)] = agg.fixed
        if len(agg.candidates):
            self._candidates.append(agg.candidates)
        if agg.display is not None:  # --currency CNY
            self._display.append(agg.display)
            if len(self._display) > COMPACT_FILES:
                self._display = [_display_rollup(self._display)]
        if len(agg.display_candidates):
            self._display_candidates.append(agg.display_candidates)
        self.files.append(agg.outcome)
        for name, table in agg.groups.items():
            self._pending[name].append(table)
            self._pending_rows += len(table)
            if self._pending_rows > COMPACT_ROWS:
                self._compact()
        if len(agg.de_minimis):
            self._de_minimis.append(agg.de_minimis)
        if len(agg.rejected):
            self._rejected.append(agg.rejected)
        if len(agg.parameters):
            merged = pd.concat([self._parameters, agg.parameters], ignore_index=True)
            self._parameters = merged.drop_duplicates(
                ["parameter", "key", "value", "status"], ignore_index=True
            )
        self._assumptions = merge_assumptions(self._assumptions, agg.assumptions)
        for w in agg.warnings:
            if w.code == "W_UNPUBLISHED_PRICES":  # one batch-wide line, built in result()
                self._files_with_unpublished_prices += 1
                continue
            self._warnings[w] = self._warnings.get(w, 0) + 1

    def _compact(self) -> None:
        for name, keys in GROUPINGS.items():
            if self._pending[name]:
                both = pd.concat([self._merged[name], *self._pending[name]], ignore_index=True)
                self._merged[name] = rollup(both, keys)
                self._pending[name] = []
        self._pending_rows = 0

    def _by_importer(self) -> pd.DataFrame:
        """De minimis on each importer's total over every file: the decision table, the
        candidates' costs waived where exempt and added to the groupings, and each file's cost and
        EUR per tonne after it."""
        rows = (
            pd.concat(self._de_minimis, ignore_index=True)
            if self._de_minimis
            else pd.DataFrame(columns=FILE_DE_MINIMIS_COLUMNS)
        )
        table = batch_de_minimis(rows)
        exempt = table.loc[table["exempt"].astype(bool), ["key", "year"]]
        wanted = pd.MultiIndex.from_arrays([exempt["key"], exempt["year"].astype(np.int64)])

        def exempt_rows(frame: pd.DataFrame) -> np.ndarray:
            pairs = pd.MultiIndex.from_arrays([frame["key"], frame["year"].astype(np.int64)])
            return np.asarray(pairs.isin(wanted), dtype=bool)

        if self._display_candidates:  # --currency CNY: the same exemptions
            dc = pd.concat(self._display_candidates, ignore_index=True)
            dc["cost_eur"] = np.where(exempt_rows(dc), 0.0, dc["cost_eur"].to_numpy(dtype=float))
            self._display.append(_display_rollup([dc]))
        cand = pd.concat(self._candidates, ignore_index=True) if self._candidates else pd.DataFrame()
        if len(cand):
            hit = exempt_rows(cand)
            for c in WAIVED:
                cand[c] = np.where(hit, 0.0, cand[c].to_numpy(dtype=float))
            for name, keys in GROUPINGS.items():
                self._pending[name].append(rollup(cand, keys))
            self._compact()
            owed = cand.groupby("file", sort=False)[["cost_eur", "goods_cost_eur"]].sum()
        else:
            owed = pd.DataFrame(columns=["cost_eur", "goods_cost_eur"])
        for i, fixed in self._fixed.items():
            f = self.files[i]
            if f.cost_eur is None:
                continue
            cost = fixed["cost_eur"] + (float(owed.at[f.file, "cost_eur"]) if f.file in owed.index else 0.0)
            goods = fixed["goods_cost_eur"] + (
                float(owed.at[f.file, "goods_cost_eur"]) if f.file in owed.index else 0.0
            )
            f.cost_eur = round(cost, 2)
            f.eur_per_t = round(goods / fixed["goods_mass_t"], 2) if fixed["goods_mass_t"] > 0 else None
        return table[DE_MINIMIS_COLUMNS]

    def result(self, where: str, seconds: float = 0.0) -> BatchResult:
        from cbam_calc.compute.summary import unpublished_prices_warning
        from cbam_calc.law.inventory import reference_data_as_of
        from cbam_calc.law.reference import reference_data

        self._compact()
        if by_importer(self.options):
            dm = self._by_importer()
        else:
            dm = (
                pd.concat(self._de_minimis, ignore_index=True)[DE_MINIMIS_COLUMNS]
                if self._de_minimis
                else pd.DataFrame(columns=DE_MINIMIS_COLUMNS)
            )
        groupings = {name: figures(self._merged[name], keys) for name, keys in GROUPINGS.items()}
        rejected = (
            pd.concat(self._rejected, ignore_index=True)
            if self._rejected
            else pd.DataFrame(columns=BATCH_REJECTED_COLUMNS)
        )
        warnings = dict(self._warnings)
        price_warning = (
            unpublished_prices_warning(self._assumptions.certificate_prices) if self._assumptions else None
        )
        if price_warning and self._files_with_unpublished_prices:
            warnings[price_warning] = self._files_with_unpublished_prices
        params = self._parameters
        if self._assumptions is not None:  # each file was computed on its own: the batch's choice
            self._assumptions = self._assumptions.model_copy(
                update={
                    "de_minimis": bool(self.options.de_minimis),
                    "de_minimis_mode": (
                        DeMinimis.IMPORTER if by_importer(self.options) else self.options.de_minimis
                    ).value,
                }
            )
        if len(params):
            params = params.sort_values(["parameter", "key"], kind="stable", ignore_index=True)
        display = None
        if self.options.currency != "EUR":  # the members' and the batch's cost in CNY
            display = with_display_currency(groupings, _display_rollup(self._display), self.options.currency)
        return BatchResult(
            where=where,
            files=list(self.files),
            groupings=groupings,
            totals=totals(self._merged["sector"]),
            de_minimis=dm,
            rejected=rejected,
            rejected_cap=self.rejected_cap,
            parameters=params,
            assumptions=self._assumptions,
            warnings=sorted(warnings.items(), key=lambda kv: (-kv[1], kv[0])),
            options=self.options,
            reference_data_sha256=reference_data().fingerprint,
            seconds=seconds,
            reference_data_as_of=reference_data_as_of().date,
            reference_data_undated=reference_data_as_of().undated,
            instruments=combined_figures(self._instruments),
            prepared=merged_prepared(self._prepared, self.options, reference_data_as_of().date),
            display_currency=display,
        )


def with_display_currency(groupings: dict[str, pd.DataFrame], sums: pd.DataFrame, currency: str):
    """--currency CNY: the batch's cost in the currency (:class:`~cbam_calc.core.display.
    DisplayCurrency`: total, by sector, the rate of each price period with its lines and costs)
    from ``sums`` (costs by DISPLAY_KEYS after de minimis), each period's rate looked up once;
    and a ``cost_cny`` column, the same sums by member and by sector, in those groupings, after
    ``cost_eur``. As in ``cbam calc``, every figure is a sum of EUR cost x its period's rate."""
    from cbam_calc.compute.display_currency import display_costs_by, display_summary, period_rates
    from cbam_calc.law.reference import reference_data

    ref = reference_data()
    rates = period_rates(ref, currency, sums["price_period"])
    groups = sums.rename(columns={"lines": "_lines"})
    column = f"cost_{currency.lower()}"
    for name in ("member", "sector"):
        table = groupings[name]
        by = display_costs_by(groups, rates, name)
        at = list(table.columns).index("cost_eur") + 1
        table.insert(at, column, table[name].astype(str).map(by).astype(float).to_numpy())
    return display_summary(groups, ref, currency, rates)


# ---------------------------------------------------------------------------- running
def workers_for(files: Sequence[BatchFile], jobs: int | None) -> int:
    """Worker processes: ``jobs`` if given; else one per core when there is more than one file
    and enough input to pay for starting them; 1 = in this process."""
    if jobs is not None:
        return max(1, min(jobs, len(files)))
    if len(files) < 2:
        return 1
    size = sum(f.path.stat().st_size for f in files if f.path.is_file())
    if size <= PARALLEL_MIN_BYTES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, len(files)))


def _pool_context():
    # forkserver: workers start from a clean, single-threaded server (fork from a parent that
    # may hold Arrow or BLAS threads can deadlock); spawn where forkserver does not exist.
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        ctx.set_forkserver_preload(
            ["cbam_calc.compute.batch", "cbam_calc.compute.calculate", "cbam_calc.compute.isolated"]
        )
    return ctx


def run_batch(
    inputs: Sequence[str | Path],
    options: CalcOptions | None = None,
    *,
    price_path: pd.DataFrame | None = None,
    sheet: str | None = None,
    jobs: int | None = None,
    rejected_cap: int = REJECTED_PER_FILE,
    progress: Callable[[int, int, FileOutcome], None] | None = None,
    files: Sequence[BatchFile] | None = None,
    templates: TemplateSet | Sequence[CommTemplate] | None = None,
    evidenced: str | Collection[str] | None = None,
    carbon_prices: CarbonPrices | None = None,
) -> BatchResult:
    """Compute every file of ``inputs`` (folders and files; or ``files``, found by
    :func:`discover`) and consolidate them. ``progress(done, total, outcome)`` is called after
    each file. ``templates``, ``evidenced``: the installations' communication templates joined to
    every member's lines, as ``calculate(..., templates=, evidenced=)`` joins them to one file's
    (:func:`batch_templates`). ``carbon_prices``: a carbon-prices table read once (its bad rows
    already refused: :meth:`~cbam_calc.inputs.carbon_prices.CarbonPrices.require_clean`), joined
    to every member's lines; its rows no member takes are said once, in the batch's warnings."""
    options = options or CalcOptions()
    start = time.perf_counter()
    tlist, proven = batch_templates(templates, evidenced)
    files = list(files) if files is not None else discover(inputs)
    acc = Consolidation(options, rejected_cap)
    n = len(files)
    shas = _shas_of_same_sized(files)
    repeats = same_content(
        shas, [f.member for f in files]
    )  # decided before any file is computed: a repeat costs nothing
    todo = [i for i in range(n) if i not in repeats]
    workers = workers_for([files[i] for i in todo], jobs)
    done: dict[int, FileAggregate] = {}
    seen: set[int] = set()
    merged = 0

    cp_rows: set[int] = set()  # rows of the carbon-prices table some member takes

    def finished(i: int, agg: FileAggregate) -> None:
        nonlocal merged
        cp_rows.update(agg.carbon_price_rows)
        done[i] = agg
        seen.add(i)
        if progress:
            progress(len(seen), n, agg.outcome)
        while merged in done:  # merge in file order: same figures whoever finishes first
            acc.add(done.pop(merged))
            merged += 1

    # spreadsheets always in a worker process (a native reader's crash is that member's failure);
    # csv members too when the batch is big enough for workers to pay
    isolated = [i for i in todo if workers > 1 or files[i].path.suffix.lower() in SPREADSHEETS]
    local = [] if workers > 1 else [i for i in todo if files[i].path.suffix.lower() not in SPREADSHEETS]
    for i, first in repeats.items():
        finished(i, _duplicate(files[i], files[first], shas[i]))
    # the templates go to each worker once, when it starts (with its function), not with each file
    joined = {"templates": tlist, "evidenced": proven} if tlist is not None else {}
    if carbon_prices is not None:
        joined["carbon_prices"] = carbon_prices
    compute = partial(compute_file, **joined)
    runner = IsolatedRunner(
        partial(_compute_isolated, **joined),
        {i: (files[i], options, price_path, sheet, rejected_cap) for i in isolated},
        workers,
        _pool_context(),
    )
    try:
        try:
            for j, res in runner.results(block=False):  # starts the workers
                finished(j, _isolated_aggregate(files[j], res))
            for i in local:  # in this process, while the worker reads the spreadsheets
                finished(i, compute(files[i], options, price_path, sheet, rejected_cap))
                for j, res in runner.results(block=False):
                    finished(j, _isolated_aggregate(files[j], res))
            for j, res in runner.results():
                finished(j, _isolated_aggregate(files[j], res))
        except WorkersUnavailable as e:
            # no worker process can start here: the rest computed in this process, not lost
            print(
                f"note: worker processes failed ({e}); computing the {len(e.pending)} remaining "
                "file(s) in this process",
                file=sys.stderr,
            )
            for i in range(n):
                if i not in seen:
                    finished(i, compute(files[i], options, price_path, sheet, rejected_cap))
    finally:
        runner.close()
    where = ", ".join(str(p) for p in inputs)
    result = acc.result(where, time.perf_counter() - start)
    if tlist is not None:
        with_templates(result, acc, tlist, proven)
    if carbon_prices is not None:
        result.carbon_prices = carbon_prices
        idle = [int(r) for r in carbon_prices.instruments["row"] if int(r) not in cp_rows]
        if idle:
            rows = idle[:10] + (["..."] if len(idle) > 10 else [])
            result.warnings = [*result.warnings, (Message("W_CP_ROWS_UNUSED", n=len(idle), rows=rows), 0)]
    return result


def batch_templates(
    templates: TemplateSet | Sequence[CommTemplate] | None, evidenced: str | Collection[str] | None
) -> tuple[list[CommTemplate] | None, list[str] | None]:
    """The templates of a batch and the files of those whose carbon price due is evidenced, decided
    once before any member is computed: a refused template (InputFileError) or an ``evidenced``
    entry naming no template (OptionError) stops the run here, not once per member."""
    from cbam_calc.inputs.template_match import evidenced_files, template_list

    if templates is None:
        if evidenced is not None:
            from cbam_calc.core.errors import OptionError

            raise OptionError(Message("E_EVIDENCED_WITHOUT_TEMPLATES"))
        return None, None
    tlist = template_list(templates)
    return tlist, sorted(evidenced_files(tlist, evidenced))


def template_entries(tlist: Sequence[CommTemplate], proven: Collection[str]) -> list[dict]:
    """:func:`cbam_calc.compute.pipeline.templates_used` as the batch and scenario results keep
    them (dicts, the keys of :class:`cbam_calc.core.model.TemplateUsed`)."""
    from cbam_calc.compute.pipeline import templates_used

    return [t.model_dump() for t in templates_used(tlist, proven)]


SOURCE_ORDER = {"shipment file": 0, "template": 1, "default value": 2}


def by_source(counts: dict[tuple[str, str], int]) -> list[tuple[str, str, int]]:
    """:func:`source_counts` as rows (source, template file, lines): shipment file, templates in
    file order, default values."""
    return sorted(
        ((src, f, n) for (src, f), n in counts.items()), key=lambda x: (SOURCE_ORDER.get(x[0], 3), x[1])
    )


def with_templates(
    result: BatchResult, acc: Consolidation, tlist: list[CommTemplate], proven: list[str]
) -> None:
    """The batch's templates (each with its SHA-256, for the run record), its lines by source, and
    what the templates say, once for the batch: their own warnings (with the number of members
    they cover a line of), a reporting period used for imports of other years (the lines of every
    member summed), and those covering no line of any member (W_TEMPLATE_UNUSED_BATCH)."""
    result.templates = template_entries(tlist, proven)
    result.lines_by_source = by_source(acc.sources)
    said = []
    per_template = {w for t in tlist for w in t.warnings}
    # the read's own (a workbook of the folder that is no template), once, counted on no member
    said += [(w, 0) for w in getattr(tlist, "warnings", []) if w not in per_template]
    periods: dict[str, list[Message]] = {}
    for w in acc.periods:
        periods.setdefault(w.params["file"], []).append(w)
    for t in tlist:
        said += [(w, acc.matched[t.file]) for w in t.warnings]
        if t.file in periods:  # one line per template: its lines and years over every member
            mine = periods[t.file]
            first = mine[0].params
            years = sorted({y for w in mine for y in w.params["years"]})
            lines = sum(int(w.params["n"]) for w in mine)
            said.append(
                (Message("W_TEMPLATE_PERIOD_USED", **{**first, "n": lines, "years": years}), len(mine))
            )
        if t.products and not acc.matched[t.file]:
            said.append(
                (Message("W_TEMPLATE_UNUSED_BATCH", file=t.file, installation=t.installation.name), 0)
            )
    result.warnings = [*result.warnings, *said]


FAULT_ABORT_ENV = "CBAM_TEST_ABORT_MEMBER"  # tests: a worker computing this file name aborts


def _compute_isolated(item: BatchFile, *args, **kwargs) -> FileAggregate:
    """:func:`compute_file` in a worker process. For the tests of crash isolation, a worker given
    the file named by ``$CBAM_TEST_ABORT_MEMBER`` aborts as a native reader's crash would."""
    if os.environ.get(FAULT_ABORT_ENV) == item.path.name:
        os.abort()
    return compute_file(item, *args, **kwargs)


def _isolated_aggregate(item: BatchFile, result: object) -> FileAggregate:
    """A worker's result as the file's aggregate; a crash or failure of the worker as that
    file's failure, named, and the batch goes on."""
    if isinstance(result, FileAggregate):
        return result
    if isinstance(result, Crashed):
        why = (
            f"the process reading it crashed ({result.reason()}); the other members are computed. "
            "The file is damaged or built to exhaust the reader: open it in Excel and save it again, "
            "or export it as CSV"
        )
    else:
        why = f"the worker process computing it failed ({getattr(result, 'error', result)})"
    return _worker_failed(item, why)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _shas_of_same_sized(files: Sequence[BatchFile]) -> list[str]:
    """The SHA-256 of each file that has the size of another ('' for the others): only those can
    repeat one, so a batch of distinct files reads nothing more than before."""
    sizes = [_size(f.path) for f in files]
    shared = {s for s, k in Counter(sizes).items() if s >= 0 and k > 1}
    return [_sha256(f.path) if s in shared else "" for f, s in zip(files, sizes)]


def _duplicate(item: BatchFile, first: BatchFile, sha: str) -> FileAggregate:
    """A file with the same content as ``first``: listed in Files with the file it repeats, its
    SHA-256 kept (the run record lists it, so --check finds it again), nothing computed or added."""
    outcome = FileOutcome(
        str(item.path),
        item.member,
        None,
        "duplicate",
        Message("M_SAME_CONTENT", first=str(first.path)),
        0,
        0,
        0,
        sha,
        duplicate_of=str(first.path),
    )
    return FileAggregate(
        outcome,
        {},
        pd.DataFrame(columns=FILE_DE_MINIMIS_COLUMNS),
        pd.DataFrame(columns=BATCH_REJECTED_COLUMNS),
        pd.DataFrame(),
        None,
        [Message("W_DUPLICATE_MEMBER", file=str(item.path), first=str(first.path))],
    )


def _worker_failed(item: BatchFile, why: str) -> FileAggregate:
    outcome = FileOutcome(
        str(item.path),
        item.member,
        None,
        "failed",
        f"{item.path}: {why}".replace("\n", " "),
        0,
        0,
        0,
        _sha256(item.path),
    )
    return FileAggregate(
        outcome,
        {},
        pd.DataFrame(columns=FILE_DE_MINIMIS_COLUMNS),
        pd.DataFrame(columns=BATCH_REJECTED_COLUMNS),
        pd.DataFrame(),
        None,
    )
