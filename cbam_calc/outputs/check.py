"""``cbam calc --check report.xlsx``: recompute a report from its run record and compare it.

Checking a report finds its inputs again, recomputes with the recorded options, compares every
sheet with the report written again from the recomputation (outputs/report_check.py) and the
record's figures and digests with the recomputation's, and says whether everything matches, and if
not, why: an input changed, or the reference data changed, naming each table that changed with its
act then and now and counting the report's lines that moved (read from its Lines sheet; both in
outputs/check_changes.py). A record written before per-table hashes still checks; it says it
cannot name the tables.

Every difference and note is a message code with its parameters (core.messages, M_CHECK_*), shown
in the language of the run (``--lang``, as the answer's first line); ``--format json`` gives each
as its code, parameters and English text.

Figures and texts. A report cell that differs is of a figure (a number or a date on either side;
with the record's figures and digests, and missing rows or sheets) or of a text (a sector, a key, a
status, a note the report writes). The answer's first line says which: the figures do NOT match
(any figure differs; texts that differ are listed after them), or the texts do NOT match and every
figure matches. The second is what a workbook written by an earlier cbam-calc whose wording has
changed since gives (a Chinese scenario workbook written before a translation was improved: tens
of texts, no figure). It still exits 1, as any difference does: a text can carry a meaning (a
price status "projection" where the inputs give "published", a sector swapped on a By sheet), and
cbam-calc cannot tell a changed wording from a changed meaning, so it lists each text and says
that every figure matches, and a reader decides.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cbam_calc import __version__
from cbam_calc.core.errors import CbamError
from cbam_calc.core.labels import label
from cbam_calc.core.messages import Message, render
from cbam_calc.inputs.csv_arrow import sha256_of_file
from cbam_calc.law.reference import ReferenceData
from cbam_calc.outputs.check_changes import (  # noqa: F401 (report_line_figures: read from here too)
    moved_lines,
    reference_changes,
    report_line_figures,
)
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
    """What a check found: whether everything matches, the differences (figures first, then
    texts) and the notes, each a message. ``figures_match``: no figure, row or sheet differs
    (``texts_differ`` texts may); ``matches``: nothing differs."""

    report: str
    matches: bool
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    figures_match: bool = True
    texts_differ: int = 0

    def head(self, lang: str = "en") -> str:
        if self.matches:
            return label("check_match", lang, report=self.report)
        if self.figures_match:
            return Message("M_CHECK_TEXTS_ONLY", report=self.report, n=f"{self.texts_differ:,}").text(lang)
        return label("check_no_match", lang, report=self.report)

    def text(self, lang: str = "en") -> str:
        """The answer in ``lang``: its head line, each difference, each note."""
        return "\n".join(
            [
                self.head(lang),
                *(f"  - {render(d, lang)}" for d in self.differences),
                *(f"  {Message('M_CHECK_NOTE', note=n).text(lang)}" for n in self.notes),
            ]
        )

    def json(self) -> str:
        """``--format json``: :meth:`to_json` as one JSON object."""
        import json

        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)

    def to_json(self) -> dict:
        """The answer as --format json gives it: each difference and note as its English text,
        code and parameters (a program renders them in any language)."""

        def entry(m) -> dict:
            m = Message.plain(m)
            return {"text": str.__str__(m), **m.to_json()}

        return {
            "report": self.report,
            "matches": self.matches,
            "figures_match": self.figures_match,
            "texts_differ": self.texts_differ,
            "differences": [entry(d) for d in self.differences],
            "notes": [entry(n) for n in self.notes],
        }


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
            out.notes.append(Message("M_CHECK_INPUT_CHANGED", file=str(found)))
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
            out.notes.append(Message("M_CHECK_PRICE_PATH_CHANGED", file=str(found)))
        price_path = load_price_path(found)
    options = record_options(record, report)
    templates = _recorded_templates(record, report, report_dir, out.notes)
    carbon_prices = _recorded_carbon_prices(record, report, report_dir, out.notes)
    other_causes = bool(out.notes)  # an input, the price path or a template changed too
    reference_changed = ref.fingerprint != record["reference_data_sha256"]
    if reference_changed:
        out.notes.append(Message("M_CHECK_REFERENCE_DIFFER", version=record["cbam_calc_version"]))
    if record["cbam_calc_version"] != __version__:
        then = record["cbam_calc_version"]
        out.notes.append(Message("M_CHECK_VERSION_DIFFERS", then=then, now=__version__))
    if record["command"] == "batch":
        now = _recompute_batch(record, inputs, options, price_path, templates, carbon_prices)
    elif record["command"] == "scenario":
        now = _recompute_scenario(record, inputs, options, ref, report, templates)
    else:
        now = _recompute_calc(record, inputs, options, price_path, ref, report, templates, carbon_prices)
    recorded = figure_differences(record["figures"], now.figures)
    sheets = now.sheets or _sheet_differences  # an older scenario layout: what it holds
    comparison = sheets(report, record, now, aliases, out.notes)
    out.differences.extend([*recorded, *now.differ, *comparison.texts()])
    out.matches = not out.differences
    out.figures_match = not recorded and not now.differ and comparison.figures_match
    out.texts_differ = comparison.text_total
    if out.figures_match and not out.matches:  # texts only: say what that means (module docstring)
        out.notes.append(Message("M_CHECK_TEXTS_NOTE"))
    if reference_changed:  # why: the reasons beside the differences, or notes when nothing moved
        why = reference_changes(record, ref, now.moved, other_causes)
        (out.notes if out.matches else out.differences).extend(why)
    return out


def figure_differences(recorded: dict, now: dict) -> list[Message]:
    """The record's figures against the recomputation, at their stored precision: a figure
    missing from the record, or not a finite number, is a difference too."""
    out = []
    for k, value in now.items():
        if k not in recorded:
            out.append(Message("M_CHECK_RECORD_MISSING", key=k, value=value))
            continue
        then = recorded[k]
        if isinstance(then, bool) or not isinstance(then, (int, float)) or not math.isfinite(then):
            out.append(Message("M_CHECK_RECORD_NOT_FINITE", key=k, then=repr(then), value=value))
        elif not math.isclose(float(then), float(value), rel_tol=1e-9, abs_tol=1e-9):
            out.append(Message("M_CHECK_RECORD_DIFFERS", key=k, then=then, value=value))
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


def _sheet_differences(report, record: dict, now: Recomputed, aliases: dict, notes: list):
    """Every sheet of the report against the recomputation written again in a temporary folder:
    the differences, a report_check.SheetComparison."""
    from cbam_calc.outputs.report_check import ReportCells, compare_workbooks, report_language

    mine = ReportCells(report)
    with tempfile.TemporaryDirectory(prefix="cbam-check-") as tmp:
        rendered = Path(tmp) / "recomputed.xlsx"
        now.render(rendered, {**record, **now.record}, report_language(mine))
        comparison = compare_workbooks(mine, rendered, aliases)
    notes.extend(comparison.notes)
    return comparison


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
            notes.append(Message("M_CHECK_TEMPLATE_CHANGED", file=str(found)))
        if found.resolve() != Path(entry["absolute"]):
            notes.append(Message("M_CHECK_TEMPLATE_MOVED", file=entry["file"], found=str(found)))
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
        notes.append(Message("M_CHECK_CARBON_PRICES_CHANGED", file=str(found)))
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
        differ = [Message("M_CHECK_NO_LINES_DIGEST")]
    elif digest != record["lines_sha256"]:
        differ = [Message("M_CHECK_LINES_DIFFER")]
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
            differ.append(Message("M_CHECK_MEMBER_NO_DIGEST", member=e["member"], file=e["file"]))
        elif then != current:
            differ.append(Message("M_CHECK_MEMBER_DIFFERS", member=e["member"], file=e["file"]))
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
        raise damaged_record(report, Message("M_CHECK_SCENARIO_SET", problem=first_problem(e))) from None
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
        differ = [Message("M_CHECK_SCENARIO_DIFFER")]

    def render(path: Path, rec: dict, lang: str) -> None:
        write_scenario_xlsx(result, path, record=rec, lang=rec.get("lang", lang))  # as recorded

    figures = _scenario_figures(result.table)
    now = {"figures": figures, "table_sha256": digest}
    return Recomputed(figures, differ, None, render, now, older_layout_check(record, report, result))
