"""What ``cbam calc --check`` compares: every cell a reader sees, against the report rendered again.

The recomputed result is written again to a workbook in a temporary folder by the very functions
that wrote the report (outputs/xlsx.py, batch_report.py, scenario_report.py), so there is one
definition of what a report displays. Then both workbooks are read sheet by sheet, row by row:

- a number is compared at the precision its number format displays (``#,##0.00``: to the cent,
  ``#,##0.000``: 3 decimals, ``#,##0``: whole; no format: as stored); a report cell that is not
  a finite number where the rendering has one is a difference, and so is a number the rendering
  does not have;
- a text cell the rendering writes is compared exactly (a sector, a CN code, "exempt", a status);
- metadata are not figures: rows whose first cell is one of :data:`METADATA_LABELS` (where the
  input was, its SHA-256, the cbam-calc version, the reference data's SHA-256 and as-of date: what
  the run record and its own checks cover; the date the report was prepared, which a check on
  another day cannot give again), the workbook's properties (created, author, company),
  and text a person added in a cell the report leaves empty (a note, a date prepared, an exporter's
  name);
- a missing sheet, or missing rows, are differences; a sheet the report does not write is a note.

Each difference is a message code with its parameters (core.messages: M_CHECK_*), shown in the
language of the run. A difference is of a figure (a number on either side, a date, a row or a
sheet missing) or of a text (a text the rendering writes, against a text or nothing in the
report): :class:`SheetComparison` keeps examples and counts of each kind apart, so that a figure
that moved is never hidden behind texts whose wording changed, and check.py can say when only
texts differ (see its docstring for what that answers).

Every workbook is guarded (inputs.xlsx_guard) before it is read (:class:`ReportCells`, with
calamine): a zip bomb or a sheet of billions of cells is refused with one line, never expanded.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

from cbam_calc.core.errors import InputFileError
from cbam_calc.core.labels import label
from cbam_calc.core.messages import Message
from cbam_calc.core.sheets import RECORD_ROW, RUN, find_sheet, same_sheet, sheet_key, sheet_name
from cbam_calc.inputs import xlsx_guard

# the first cells of rows that are metadata, not figures (English and Chinese labels)
METADATA_KEYS = ("file", "sheet", "version", "reference_sha", "reference_as_of", "report_of", "date_prepared")
PREFIX_KEYS = ("input_sha",)  # "Input SHA-256 shipments.csv"
EXTRA_METADATA = ("reference data as of",)  # the Parameters sheet's row
RUN_SHEET = sheet_name(RUN)
RUN_DIGEST_ROWS = (label("run_lines_sha"),)  # compared figure by figure (run_record), not as a text
MAX_SHOWN = 5
MAX_TEXTS_SHOWN = 10  # texts that differ, listed (the count names them all)
SAME_DIGITS = 1e-15  # relative difference under which two stored numbers are one figure


def _labels() -> tuple[set[str], tuple[str, ...]]:
    exact = {label(k, lang).casefold() for k in METADATA_KEYS for lang in ("en", "zh")}
    exact |= {t.casefold() for t in EXTRA_METADATA} | {RECORD_ROW}
    prefixes = tuple(label(k, lang).casefold() for k in PREFIX_KEYS for lang in ("en", "zh"))
    return exact, prefixes


def is_metadata_row(first: object) -> bool:
    """Whether a row whose first cell is ``first`` holds metadata (see the module docstring)."""
    if not isinstance(first, str):
        return False
    exact, prefixes = _labels()
    text = first.strip().casefold()
    return text in exact or text.startswith(prefixes)


class ReportCells:
    """What the check reads of a workbook: each sheet's cell values (and, for the rendering, each
    cell's number format), read once with calamine after the guard.

    openpyxl's read-only mode parses a whole sheet again on every load just to size it (write-only
    workbooks carry no ``<dimension>``) and builds an object per cell: on a 20,000-line report the
    check spent 30 s in loads and 44 s reading cells that calamine reads in about a second. Number
    formats are read from the sheet XML's style indexes and ``xl/styles.xml``; they are needed only
    for the rendering, which cbam-calc wrote itself (openpyxl writes ``<c r=".." s="..">``).
    """

    def __init__(self, path: str | Path, file: str | None = None, formats: bool = False) -> None:
        from python_calamine import CalamineWorkbook

        self.path, self.file = str(path), file or str(path)
        self.info = xlsx_guard.guard_workbook(self.path, self.file)  # before any reader runs
        try:
            self._wb = CalamineWorkbook.from_path(self.path)
            self.sheetnames = list(self._wb.sheet_names)
        except Exception as e:  # any damage calamine meets: one line, naming the file
            raise InputFileError(
                Message("E_NOT_READABLE_REPORT", error=type(e).__name__), file=self.file
            ) from None
        self._rows: dict[str, list[list]] = {}
        self._formats = _Formats(self.path, self.info) if formats else None

    def rows(self, name: str) -> list[list]:
        """The sheet's rows from A1, empty cells as None."""
        if name not in self._rows:
            try:
                values = self._wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as e:
                raise InputFileError(
                    Message("E_NOT_READABLE_REPORT", error=type(e).__name__), file=self.file, sheet=name
                ) from None
            self._rows[name] = [[None if v == "" else v for v in row] for row in values]
        return self._rows[name]

    def formats(self, name: str) -> dict[tuple[int, int], str]:
        """Number format of each styled cell, by (row, column), both 1-based."""
        return self._formats.of_sheet(name) if self._formats is not None else {}


_CELL_STYLE = re.compile(rb'<c r="([A-Z]{1,3})(\d+)" s="(\d+)"')


class _Formats:
    """Number formats of a workbook cbam-calc wrote: style index -> format code, per cell."""

    def __init__(self, path: str, info) -> None:
        import zipfile

        from defusedxml.ElementTree import fromstring
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        self.path, self.info = path, info
        with zipfile.ZipFile(path) as z:
            styles = fromstring(z.read("xl/styles.xml"))
        ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        custom = {int(n.get("numFmtId")): n.get("formatCode") for n in styles.iter(f"{ns}numFmt")}
        xfs = styles.find(f"{ns}cellXfs")
        ids = [int(x.get("numFmtId", 0)) for x in (xfs if xfs is not None else [])]
        self.by_style = [custom.get(i, BUILTIN_FORMATS.get(i, "General")) for i in ids]

    def of_sheet(self, name: str) -> dict[tuple[int, int], str]:
        import zipfile

        sheet = self.info.sheets.get(name)
        if sheet is None or sheet.part is None:
            return {}
        out: dict[tuple[int, int], str] = {}
        with zipfile.ZipFile(self.path) as z:
            data = z.read(sheet.part)  # the rendering: bounded by the guard, written by us
        for m in _CELL_STYLE.finditer(data):
            style = int(m.group(3))
            if 0 < style < len(self.by_style) and self.by_style[style] != "General":
                out[(int(m.group(2)), xlsx_guard.column_index(m.group(1)) + 1)] = self.by_style[style]
        return out


def decimals(number_format: str | None) -> int | None:
    """Decimals a number format displays (``#,##0.00`` -> 2, ``#,##0`` -> 0); None: General."""
    if not number_format or number_format == "General":
        return None
    fmt = number_format.split(";")[0]
    m = re.search(r"0(?:\.(0+))?", fmt)
    if m is None:
        return None
    return len(m.group(1) or "")


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _shown(v: object, number_format: str | None = None) -> str:
    """A value as a message shows it: a number at the precision its format displays (nothing: a
    message, shown in the run's language)."""
    if _is_number(v) and math.isfinite(float(v)):
        d = decimals(number_format)
        if d is not None:
            return f"{float(v):,.{d}f}"
        return f"{float(v):,.6f}".rstrip("0").rstrip(".") if isinstance(v, float) else f"{v:,}"
    if v is None:
        return Message("M_CHECK_NOTHING")
    return repr(v) if isinstance(v, str) else str(v)


def _same_number(got: object, want: float, number_format: str | None) -> bool:
    if not _is_number(got) or not math.isfinite(float(got)):
        return False
    d = decimals(number_format)
    if d is None:
        return math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=1e-9)
    if math.isclose(float(got), float(want), rel_tol=SAME_DIGITS):
        # the same figure to Excel's 15 digits: a report saved again by a tool that writes 16
        # (openpyxl) must not round 2045.4524999999999 and 2045.4525 to different cents
        return True
    return round(float(got), d) == round(float(want), d)


def _cell_difference(got: object, want: object, fmt: str | None, aliases: dict[str, str]) -> Message | None:
    """Why a report cell differs from the rendered one, or None where a reader sees the same."""
    if _is_number(want):
        if _same_number(got, want, fmt):
            return None
        return _differ(_shown(got, fmt), _shown(want, fmt))
    if want is None or want == "":
        if _is_number(got):
            return Message("M_CHECK_CELL_NO_FIGURE", got=_shown(got))
        return None  # text added in an empty cell: a note, not a figure
    if isinstance(want, str):
        for now, then in aliases.items():
            want = want.replace(now, then)
        if isinstance(got, str) and got == want:
            return None
        return _differ(_shown(got), _shown(want))
    return None if got == want else _differ(_shown(got), _shown(want))


def _differ(got: str, want: str) -> Message:
    return Message("M_CHECK_CELL", got=got, want=want)


def is_text_difference(got: object, want: object) -> bool:
    """Whether a cell that differs is a text's (the rendering writes a text, the report holds a
    text or nothing there), not a figure's (a number or a date on either side)."""
    return isinstance(want, str) and want != "" and (got is None or isinstance(got, str))


@dataclass
class SheetComparison:
    """The differences between a report and its rendering: a few examples, and counts per sheet,
    of figures (and rows, sheets) and of texts apart (``add(..., text=True)``)."""

    examples: list[Message] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)
    shape: list[Message] = field(default_factory=list)  # "Lines: the report has 12 rows, ..." first
    text_examples: list[Message] = field(default_factory=list)
    text_counts: dict[str, int] = field(default_factory=dict)

    def add(self, sheet: str, difference: Message, text: bool = False) -> None:
        counts, examples = (self.text_counts, self.text_examples) if text else (self.counts, self.examples)
        counts[sheet] = counts.get(sheet, 0) + 1
        if len(examples) < (MAX_TEXTS_SHOWN if text else MAX_SHOWN):
            examples.append(difference)

    @property
    def total(self) -> int:
        """Differences of figures, rows and sheets (texts apart: :attr:`text_total`)."""
        return sum(self.counts.values())

    @property
    def text_total(self) -> int:
        return sum(self.text_counts.values())

    @property
    def figures_match(self) -> bool:
        """No figure, row or sheet differs (texts may)."""
        return not self.total and not self.shape

    def texts(self) -> list[Message]:
        """The examples of figures, how many differ in all by sheet; then the same of texts."""
        out = self.shape + self.examples
        if self.total > len(self.examples):
            out.append(Message("M_CHECK_FIGURES_IN_ALL", n=f"{self.total:,}", sheets=_by_sheet(self.counts)))
        out += self.text_examples
        if self.text_total > len(self.text_examples):
            n, sheets = f"{self.text_total:,}", _by_sheet(self.text_counts)
            out.append(Message("M_CHECK_TEXTS_IN_ALL", n=n, sheets=sheets))
        return out


def _by_sheet(counts: dict[str, int]) -> list[Message]:
    return [Message("M_CHECK_SHEET_COUNT", sheet=s, n=f"{n:,}") for s, n in counts.items()]


def _cell_name(col: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _sheet_ref(sheet: str) -> str:
    return f"'{sheet}'" if not re.fullmatch(r"\w+", sheet) else sheet


def compare_workbooks(report: str | Path, rendered: str | Path, aliases: dict[str, str] | None = None):
    """Every sheet of ``rendered`` (the recomputed report) against the same sheet of ``report``:
    the sheet of the same key (core.sheets) in either language, so a report whose sheets are named
    in English (written before they were translated) checks against a Chinese rendering, and so do
    the Rejected sheet's file, sheet and code headers."""
    from cbam_calc.outputs.tables import rejected_headers_before

    aliases = aliases or {}
    before = rejected_headers_before("zh")
    out = SheetComparison()
    mine = report if isinstance(report, ReportCells) else ReportCells(report)
    ours = ReportCells(rendered, formats=True)
    compared = set()
    for name in ours.sheetnames:
        theirs = same_sheet(name, mine.sheetnames)
        if theirs is None:
            out.add(name, Message("M_CHECK_SHEET_MISSING", sheet=name))
            continue
        compared.add(theirs)
        if sheet_key(name) == (RUN, 1):
            _compare_run(mine.rows(theirs), ours.rows(name), ours.formats(name), out)
        else:
            heads = before if (sheet_key(name) or ("",))[0] == "rejected" else {}
            rows = mine.rows(theirs)
            _compare_sheet(theirs, rows, ours.rows(name), ours.formats(name), aliases, out, heads)
    extra = [n for n in mine.sheetnames if n not in compared]
    if extra:
        out.notes.append(Message("M_CHECK_SHEETS_NOT_WRITTEN", sheets=extra))
    return out


def _filled(values: list) -> bool:
    return any(v is not None for v in values)


def _compare_sheet(
    name: str,
    mine: list[list],
    ours: list[list],
    formats: dict,
    aliases: dict[str, str],
    out: SheetComparison,
    headers_before: dict[str, str] | None = None,
) -> None:
    """``headers_before``: a header of the rendering -> the header a report written before it was
    translated has in its place (row 1), which is the same."""
    ref = _sheet_ref(name)
    headers_before = headers_before or {}
    last = [0, 0]  # the last row holding anything: the report's, the rendering's
    for r, (got_values, want_values) in enumerate(zip_longest(mine, ours, fillvalue=()), start=1):
        if _filled(got_values):
            last[0] = r
        if _filled(want_values):
            last[1] = r
        first = want_values[0] if want_values else None
        if is_metadata_row(first) and (not got_values or is_metadata_row(got_values[0])):
            continue
        if not _filled(want_values):
            if any(_is_number(v) for v in got_values):
                out.add(name, Message("M_CHECK_EXTRA_ROW", cell=f"{ref}!A{r}", row=_row_text(got_values)))
            continue
        if not _filled(got_values):
            out.add(name, Message("M_CHECK_MISSING_ROW", cell=f"{ref}!A{r}", row=_row_text(want_values)))
            continue
        if got_values == want_values and not any(_is_number(v) for v in want_values):
            continue  # the same texts: nothing to round
        width = max(len(got_values), len(want_values))
        for c in range(width):
            got = got_values[c] if c < len(got_values) else None
            want = want_values[c] if c < len(want_values) else None
            if r == 1 and isinstance(want, str) and got is not None and got == headers_before.get(want):
                continue
            why = _cell_difference(got, want, formats.get((r, c + 1)), aliases)
            if why:
                at = Message("M_CHECK_AT", cell=f"{ref}!{_cell_name(c + 1, r)}", why=why)
                out.add(name, at, text=is_text_difference(got, want))
    if last[0] < last[1]:
        out.shape.append(Message("M_CHECK_ROWS", sheet=name, got=f"{last[0]:,}", want=f"{last[1]:,}"))


def _compare_run(mine: list[list], ours: list[list], formats: dict, out: SheetComparison) -> None:
    """The Run sheet by its labels, not its layout (which has grown with record formats): each
    figure row and digest row the recomputation writes must be in the report with the same value;
    the other rows (inputs, options, reference files) say what produced the report, not figures.
    Rows are matched by their English key (run_sheet.canonical_key): a Chinese report written
    before its Run sheet was translated has the English keys."""
    from cbam_calc.outputs.run_sheet import canonical_key

    wanted = {}  # English key -> (value, format, the key as the rendering names it)
    for r, cells in enumerate(ours, start=1):
        if len(cells) >= 2 and isinstance(cells[0], str):
            value, key = cells[1], canonical_key(cells[0])
            if _is_number(value) or key in RUN_DIGEST_ROWS:
                wanted.setdefault(key, (value, formats.get((r, 2)), cells[0]))
    found = {}
    for r, values in enumerate(mine, start=1):
        key = canonical_key(values[0]) if values else None
        if key in wanted and key not in found:
            found[key] = (r, values[1] if len(values) > 1 else None)
    for key, (want, fmt, name) in wanted.items():
        if key not in found:
            missing = Message("M_CHECK_RUN_ROW_MISSING", sheet=RUN_SHEET, row=name, want=_shown(want, fmt))
            out.add(RUN_SHEET, missing)
            continue
        r, got = found[key]
        why = _cell_difference(got, want, fmt, {})
        if why:
            out.add(RUN_SHEET, Message("M_CHECK_AT_NAMED", cell=f"{RUN_SHEET}!B{r}", name=name, why=why))


def _row_text(cells) -> str:
    values = [getattr(c, "value", c) for c in cells]
    return ", ".join(_shown(v) for v in values if v is not None)[:80]


def report_language(cells: ReportCells) -> str:
    """The language a report was written in, from its Summary title (the importer's workbook:
    its Cover title; 'en' when unknown)."""
    sheet = find_sheet(cells.sheetnames, "summary") or find_sheet(cells.sheetnames, "cover")
    if sheet is None:
        return "en"
    rows = cells.rows(sheet)
    title = rows[0][0] if rows and rows[0] else None
    zh = {label("title", "zh"), label("batch_title", "zh"), label("imp_title", "zh")}
    return "zh" if title in zh else "en"
