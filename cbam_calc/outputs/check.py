"""``cbam calc --check report.xlsx``: recompute a report from its run record and compare it.

Checking a report finds its inputs again, recomputes with the recorded options, compares every
sheet with the report written again from the recomputation (outputs/report_check.py) and the
record's figures and digests with the recomputation's, and says whether everything matches, and if
not, why: an input changed, or the reference data changed, naming each table that changed with its
act then and now and counting the report's lines that moved (read from its Lines sheet). A record
written before per-table hashes still checks; it says it cannot name the tables.
"""

from __future__ import annotations

import itertools
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cbam_calc import __version__
from cbam_calc.core.errors import CbamError
from cbam_calc.core.labels import label
from cbam_calc.core.messages import Message
from cbam_calc.inputs.csv_arrow import sha256_of_file
from cbam_calc.law.inventory import changed_files
from cbam_calc.law.reference import ReferenceData
from cbam_calc.outputs.run_record import (
    FIGURES,
    _batch_figures,
    _scenario_figures,
    damaged_record,
    first_problem,
    read_record,
    record_options,
    scenario_digest,
)


def _locate(
    entry: dict, report_dir: Path, given: dict[Path, str] | None = None, only: bool = False
) -> Path | None:
    """The recorded input: among files the user gave (with their SHA-256), the one with its
    SHA-256, else its name (``only``: the one recorded input may be any given file); then where the
    report recorded it, and beside the report."""
    given = given or {}
    for g, sha in given.items():
        if sha == entry["sha256"]:
            return g
    for g in given:
        if only or g.name == Path(entry["file"]).name:
            return g
    for candidate in (
        Path(entry["file"]),
        Path(entry["absolute"]),
        report_dir / entry["file"],
        report_dir / Path(entry["file"]).name,
    ):
        if candidate.is_file():
            return candidate
    return None


@dataclass
class CheckOutcome:
    report: str
    matches: bool
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self, lang: str = "en") -> str:
        head = label("check_match" if self.matches else "check_no_match", lang, report=self.report)
        return "\n".join(
            [head, *(f"  - {d}" for d in self.differences), *(f"  note: {n}" for n in self.notes)]
        )


def check_report(
    report: str | Path, inputs: Sequence[str | Path] = (), ref: ReferenceData | None = None
) -> CheckOutcome:
    """Recompute a report from its recorded inputs and options and compare everything a reader
    sees: every sheet, rendered again from the recomputation by the functions that wrote it
    (outputs.report_check), and the record's figures and line digests at their stored precision.
    ``inputs``: where the input files are now, if they moved (found by content or name). ``ref``:
    the reference data to check against (default: this installation's; a batch always uses it).
    Where the reference data differ from the report's, the tables that changed are named with
    their act then and now, with the number of the report's lines that moved."""
    from cbam_calc.law.prices import load_price_path
    from cbam_calc.law.reference import reference_data

    ref = ref or reference_data()
    record = read_record(report)
    report_dir = Path(report).resolve().parent
    out = CheckOutcome(str(report), True)
    only = len(record["inputs"]) == 1 == len(inputs)
    given = {Path(p): sha256_of_file(p) for p in inputs if Path(p).is_file()}  # each hashed once
    inputs = []
    aliases = {}  # where an input is now -> where the report recorded it (the sheets name it)
    for entry in record["inputs"]:
        found = _locate(entry, report_dir, given, only=only)
        if found is None:
            raise CbamError(Message("E_CHECK_INPUT_NOT_FOUND", report=str(report), file=entry["file"]))
        if (given.get(found) or sha256_of_file(found)) != entry["sha256"]:
            out.notes.append(f"input {found} has changed since the report (SHA-256 differs)")
        # the sheet as the run was asked for it (records before sheet_asked: the sheet read)
        inputs.append((found, entry["sheet_asked"] if "sheet_asked" in entry else entry["sheet"]))
        if str(found) != entry["file"]:
            aliases[str(found)] = entry["file"]
    price_path = None
    if record["price_path"]:
        found = _locate(record["price_path"], report_dir)
        if found is None:
            raise CbamError(
                Message(
                    "E_CHECK_FILE_NOT_FOUND",
                    report=str(report),
                    what=Message("M_CHECK_PRICE_PATH"),
                    file=record["price_path"]["file"],
                )
            )
        if sha256_of_file(found) != record["price_path"]["sha256"]:
            out.notes.append(f"price path {found} has changed since the report")
        price_path = load_price_path(found)
    options = record_options(record, report)
    templates = _recorded_templates(record, report, report_dir, out.notes)
    carbon_prices = _recorded_carbon_prices(record, report, report_dir, out.notes)
    other_causes = bool(out.notes)  # an input, the price path or a template changed too
    reference_changed = ref.fingerprint != record["reference_data_sha256"]
    if reference_changed:
        out.notes.append(
            "the reference data differ from the report's (cbam-calc "
            f"{record['cbam_calc_version']} then): figures may move for that reason"
        )
    if record["cbam_calc_version"] != __version__:
        out.notes.append(
            f"written by cbam-calc {record['cbam_calc_version']}, checked with {__version__}: a change "
            "of the code may move figures too"
        )
    if record["command"] == "batch":
        now = _recompute_batch(record, inputs, options, price_path, templates, carbon_prices)
    elif record["command"] == "scenario":
        now = _recompute_scenario(record, inputs, options, ref, report, templates)
    else:
        now = _recompute_calc(record, inputs, options, price_path, ref, report, templates, carbon_prices)
    out.differences.extend(figure_differences(record["figures"], now.figures))
    out.differences.extend(now.differ)
    sheets = now.sheets or _sheet_differences  # an older scenario layout: what it holds
    out.differences.extend(sheets(report, record, now, aliases, out.notes))
    out.matches = not out.differences
    if reference_changed:  # why: the reasons beside the differences, or notes when nothing moved
        why = reference_changes(record, ref, now.moved, other_causes)
        (out.notes if out.matches else out.differences).extend(why)
    return out


def figure_differences(recorded: dict, now: dict) -> list[str]:
    """The record's figures against the recomputation, at their stored precision: a figure
    missing from the record, or not a finite number, is a difference too."""
    out = []
    for k, value in now.items():
        if k not in recorded:
            out.append(f"Run record: {k} is missing (the record holds no such figure), inputs give {value}")
            continue
        then = recorded[k]
        if isinstance(then, bool) or not isinstance(then, (int, float)) or not math.isfinite(then):
            out.append(f"Run record: {k} is {then!r}, not a finite figure; inputs give {value}")
        elif not math.isclose(float(then), float(value), rel_tol=1e-9, abs_tol=1e-9):
            out.append(f"{k}: report {then}, now {value}")
    return out


@dataclass
class Recomputed:
    """A report's recomputation: its record figures, differences of digests, the lines that moved
    (calc), and how to write the report again (``render(path, record)``)."""

    figures: dict
    differ: list[str]
    moved: list | None
    render: object
    record: dict = field(default_factory=dict)  # what the Run sheet would record now
    # compares the report's sheets instead of a rendering (outputs.scenario_check: an older layout)
    sheets: object = None


def _sheet_differences(report, record: dict, now: Recomputed, aliases: dict, notes: list) -> list[str]:
    """Every sheet of the report against the recomputation written again in a temporary folder."""
    from cbam_calc.outputs.report_check import ReportCells, compare_workbooks, report_language

    mine = ReportCells(report)
    with tempfile.TemporaryDirectory(prefix="cbam-check-") as tmp:
        rendered = Path(tmp) / "recomputed.xlsx"
        now.render(rendered, {**record, **now.record}, report_language(mine))
        comparison = compare_workbooks(mine, rendered, aliases)
    notes.extend(comparison.notes)
    return comparison.texts()


MAX_ROWS_NAMED = 10
MAX_LINES_SHOWN = 3


def reference_changes(record: dict, ref, moved: list | None, other_causes: bool = False) -> list[str]:
    """What changed in the reference data since a report, one line per table (``name (path): act
    then -> act now``), with the number of the report's lines that moved (``moved``: from
    :func:`moved_lines`; None where the report keeps no lines, as a batch or scenario workbook)."""
    lines = _moved_text(moved)
    if "reference_files" not in record:
        return [
            f"this report records no SHA-256 per reference table (cbam-calc {record['cbam_calc_version']} "
            "kept only one for all): cbam-calc cannot name the tables that changed"
            + (f"; {lines}" if lines else "")
        ]
    changes = changed_files(record["reference_files"], ref)
    if not changes:
        return ["no reference table or parameter changed, only the metadata beside them (sidecars, dates)"]
    texts = [c.text() for c in changes]
    if lines and len(changes) == 1 and not other_causes:
        texts[0] += f"; {lines}"
    elif lines:
        texts.append(
            lines + (" (by the changes above together)" if not other_causes else " (with the input)")
        )
    return texts + _moved_examples(moved)


def _moved_text(moved: list | None) -> str:
    if moved is None:
        return ""
    if not moved:
        return "no line of this report moved"
    rows = ", ".join(str(r) for r, _, _ in moved[:MAX_ROWS_NAMED])
    more = f" and {len(moved) - MAX_ROWS_NAMED} more" if len(moved) > MAX_ROWS_NAMED else ""
    plural = "s" if len(moved) > 1 else ""
    return f"{len(moved)} line{plural} changed (row{plural} {rows}{more})"


def _moved_examples(moved: list | None) -> list[str]:
    def fig(v) -> str:
        return "not computed" if v is None else f"certificates {v[0]:.6f}, cost EUR {v[1]:,.2f}"

    return [f"row {r}: {fig(then)} -> {fig(now)}" for r, then, now in (moved or [])[:MAX_LINES_SHOWN]]


def report_line_figures(report: str | Path) -> dict[int, tuple[float, float]] | None:
    """Each line's certificates and cost as the report's Lines sheet shows them, by input row;
    None where the report has no Lines sheet with those columns."""
    from cbam_calc.core.labels import line_headers
    from cbam_calc.core.sheets import sheet_parts
    from cbam_calc.outputs.report_check import ReportCells

    cells = ReportCells(report)
    parts = sheet_parts(cells.sheetnames, "lines")  # Lines, Lines (2)... of a long report
    if not parts:
        return None
    rows = iter(cells.rows(parts[0]))
    head = [str(h) for h in next(rows, ())]
    rows = itertools.chain(rows, *(cells.rows(n)[1:] for n in parts[1:]))
    wanted = ["row", "certificates", "cost_eur"]
    for lang in ("en", "zh"):
        names = line_headers(wanted, lang)
        found = [max((i for i, h in enumerate(head) if h in (n, f"{n}（计算）")), default=-1) for n in names]
        if min(found) >= 0:  # the last of a name: computed columns follow the input's
            r, c, e = found
            return {
                int(v[r]): (round(float(v[c]), 6), round(float(v[e]), 2)) for v in rows if v[r] is not None
            }
    return None


def moved_lines(report: str | Path, lines: pd.DataFrame) -> list | None:
    """(row, (certificates, cost) then, now) for each line whose figures differ between the report's
    Lines sheet and ``lines`` (None on a side where the line is not computed), in row order."""
    then = report_line_figures(report)
    if then is None:
        return None
    now = {
        int(r): (round(float(c), 6), round(float(e), 2))
        for r, c, e in lines[["row", "certificates", "cost_eur"]].itertuples(index=False)
    }
    return [
        (r, then.get(r), now.get(r)) for r in sorted(then.keys() | now.keys()) if then.get(r) != now.get(r)
    ]


def _recorded_templates(record: dict, report, report_dir: Path, notes: list):
    """The communication templates a report was computed with (None: none), found where the report
    recorded them or beside it, each read under its recorded name (the Lines sheet names it), and
    ``(templates, evidenced)``; a note for each that moved or changed since the report."""
    from cbam_calc.inputs.comm_template import read_template

    entries = record.get("templates")
    if not entries:
        return None
    read = []
    for entry in entries:
        found = _locate(entry, report_dir)
        if found is None:
            raise CbamError(
                Message(
                    "E_CHECK_FILE_NOT_FOUND",
                    report=str(report),
                    what=Message("M_CHECK_TEMPLATE"),
                    file=entry["file"],
                )
            )
        if sha256_of_file(found) != entry["sha256"]:
            notes.append(f"template {found} has changed since the report (SHA-256 differs)")
        if found.resolve() != Path(entry["absolute"]):
            notes.append(f"template {entry['file']} moved: read from {found}")
        read.append(read_template(found, entry["file"]))
    proven = [e["file"] for e in entries if e.get("evidenced")]
    return read, proven or None


def _recorded_carbon_prices(record: dict, report, report_dir: Path, notes: list) -> Path | None:
    """The carbon-prices file a report was computed with (--carbon-prices; None: none), found where
    the report recorded it or beside it; a note if it moved or changed since the report."""
    entries = record.get("carbon_prices")
    if not entries:
        return None
    (entry,) = entries
    found = _locate(entry, report_dir)
    if found is None:
        raise CbamError(
            Message(
                "E_CHECK_FILE_NOT_FOUND",
                report=str(report),
                what=Message("M_CHECK_CARBON_PRICES"),
                file=entry["file"],
            )
        )
    if sha256_of_file(found) != entry["sha256"]:
        notes.append(f"carbon prices {found} have changed since the report (SHA-256 differs)")
    return found


def _recompute_calc(
    record: dict, inputs: list, options, price_path, ref, report, templates=None, carbon_prices=None
) -> Recomputed:
    """A calc report's figures now, whether its lines still give the same certificates and cost,
    and which of them moved (``templates``: from :func:`_recorded_templates`)."""
    from cbam_calc.compute.calculate import calculate
    from cbam_calc.outputs.xlsx import write_report

    ((path, sheet),) = inputs
    joined, evidenced = templates if templates is not None else (None, None)
    result = calculate(
        path,
        options,
        sheet=sheet,
        price_path=price_path,
        raise_if_empty=False,
        ref=ref,
        templates=joined,
        evidenced=evidenced,
        carbon_prices=carbon_prices,
    )
    now = {k: getattr(result.summary, k) for k in FIGURES}
    digest = result.lines_sha256
    differ, moved = [], []
    if not isinstance(record.get("lines_sha256"), str):
        differ = ["Run record: the lines SHA-256 is missing, so the lines cannot be checked against it"]
    elif digest != record["lines_sha256"]:
        differ = ["line figures differ (certificates or cost of at least one line)"]
        moved = moved_lines(report, result.lines)

    def render(path: Path, rec: dict, lang: str) -> None:
        if rec.get("report") == "for_importer":  # cbam report --for-importer: that workbook again
            from cbam_calc.outputs.importer_report import write_importer_report

            write_importer_report(result, path, lang=lang, record=rec)
            return
        write_report(result, path, lang=lang, record=rec)

    return Recomputed(now, differ, moved, render, {"figures": now, "lines_sha256": digest})


def _recompute_batch(
    record: dict, inputs: list, options, price_path, templates=None, carbon_prices=None
) -> Recomputed:
    """A consolidated batch recomputed from its recorded files (each under its recorded member),
    with each member's lines against the digest the record keeps of them."""
    from cbam_calc.compute.batch import run_batch
    from cbam_calc.inputs.members import BatchFile
    from cbam_calc.outputs.batch_report import write_batch_xlsx

    files = [BatchFile(Path(path), e["member"]) for (path, _), e in zip(inputs, record["inputs"])]
    sheet = record["inputs"][0]["sheet"] if record["inputs"] else None
    tlist, evidenced = templates or (None, None)
    table = None
    if carbon_prices is not None:
        from cbam_calc.inputs.carbon_prices import read_carbon_prices

        table = read_carbon_prices(carbon_prices, read=options.read).require_clean()
    batch = run_batch(
        [f.path for f in files],
        options,
        price_path=price_path,
        sheet=sheet,
        files=files,
        templates=tlist,
        evidenced=evidenced,
        carbon_prices=table,
    )
    digests = [f.lines_sha256 for f in batch.files]  # in the order of the recorded files
    differ = []
    for e, current in zip(record["inputs"], digests):
        then = e.get("lines_sha256")
        if not isinstance(then, str):
            differ.append(f"Run record: member {e['member']} ({e['file']}) has no lines SHA-256")
        elif then != current:
            differ.append(f"member {e['member']} ({e['file']}): line figures differ (certificates or cost)")
    recorded_inputs = [{**e, "lines_sha256": d} for e, d in zip(record["inputs"], digests)]

    def render(path: Path, rec: dict, lang: str) -> None:
        write_batch_xlsx(batch, path, lang=lang, record=rec)

    figures = _batch_figures(batch)
    return Recomputed(figures, differ, None, render, {"figures": figures, "inputs": recorded_inputs})


def _recompute_scenario(record: dict, inputs: list, options, ref, report, templates=None) -> Recomputed:
    """A scenario workbook recomputed from its input, options and recorded scenario set."""
    from cbam_calc.compute.scenarios import ScenarioSet, run_scenarios
    from cbam_calc.inputs.readers import read_table
    from cbam_calc.inputs.validate import validate
    from cbam_calc.outputs.scenario_check import older_layout_check
    from cbam_calc.outputs.scenario_report import write_scenario_xlsx

    ((path, sheet),) = inputs
    try:
        sset = ScenarioSet.model_validate(record["scenario_set"])
    except ValueError as e:
        raise damaged_record(report, f"its scenario set cannot be read ({first_problem(e)})") from None
    result = run_scenarios(
        validate(
            read_table(path, sheet, options.read),
            ref,
            ignore_destination=options.ignore_destination,
            read=options.read,
        ),
        sset,
        options,
        ref,
        templates=templates[0] if templates else None,
        evidenced=templates[1] if templates else None,
    )
    digest = scenario_digest(result.table)
    differ = []
    if record.get("table_sha256") != digest:
        differ = ["scenario figures differ (at least one scenario-year)"]

    def render(path: Path, rec: dict, lang: str) -> None:
        write_scenario_xlsx(result, path, record=rec, lang=rec.get("lang", lang))  # as recorded

    figures = _scenario_figures(result.table)
    now = {"figures": figures, "table_sha256": digest}
    return Recomputed(figures, differ, None, render, now, older_layout_check(record, report, result))
