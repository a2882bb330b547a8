"""Every report carries what produced it, and ``cbam calc --check report.xlsx`` reproduces it.

The run record holds the cbam-calc version, each input with its SHA-256, the options, the price
path (if any) with its SHA-256, the SHA-256 of the reference data and of each reference table and
parameter file (with its act and update date), the headline figures and a hash of every line's
certificates and cost. It is written to the report's "Run" sheet (readable key by key, plus the
whole record as JSON). Checking a report finds its inputs again, recomputes with the recorded
options and says whether the figures still match, and if not, why: an input changed, or the
reference data changed, naming each table that changed with its act then and now and counting the
report's lines that moved (read from its Lines sheet). A record written before per-table hashes
still checks; it says it cannot name the tables.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cbam_calc import __version__
from cbam_calc.core.errors import CbamError, InputFileError
from cbam_calc.inputs.csv_arrow import sha256_of_file
from cbam_calc.law.inventory import changed_files, record_entries
from cbam_calc.law.reference import ReferenceData

FORMAT = "cbam-calc run record 1"
SHEET = "Run"
FIGURES = (
    "lines",
    "rejected",
    "embedded_tco2e",
    "free_allocation_tco2e",
    "art9_reduction_tco2e",
    "certificates",
    "cost_eur",
)


def lines_digest(lines: pd.DataFrame) -> str:
    """SHA-256 of each line's row, certificates (6 decimals) and cost (cents), in row order."""
    part = lines[["row", "certificates", "cost_eur"]].sort_values("row")
    text = "\n".join(f"{r},{c:.6f},{e:.2f}" for r, c, e in part.itertuples(index=False))
    return hashlib.sha256(text.encode()).hexdigest()


def make_record(result, *, price_path: str | Path | None = None, ref=None) -> dict:
    """The run record of a calc result (``ref``: the reference data it was computed with)."""
    s = result.summary
    return {
        "format": FORMAT,
        "cbam_calc_version": s.cbam_calc_version,
        "command": "calc",
        "inputs": [_input_entry(f.file, f.sheet, f.sha256) for f in s.inputs],
        "options": result.options.model_dump(mode="json"),
        "price_path": _price_path_entry(price_path),
        "reference_data_sha256": s.reference_data_sha256,
        "reference_files": record_entries(ref),
        "figures": {k: getattr(s, k) for k in FIGURES},
        "lines_sha256": lines_digest(result.lines),
    }


def _input_entry(file: str | Path, sheet: str | None, sha256: str, **extra: str) -> dict:
    """One recorded input: as given, where it was, which sheet, and its SHA-256."""
    return {
        "file": str(file),
        "absolute": str(Path(file).resolve()),
        "sheet": sheet,
        "sha256": sha256,
        **extra,
    }


def _price_path_entry(price_path: str | Path | None) -> dict | None:
    if price_path is None:
        return None
    return {
        "file": str(price_path),
        "absolute": str(Path(price_path).resolve()),
        "sha256": sha256_of_file(price_path),
    }


def make_batch_record(batch, *, sheet: str | None = None, price_path: str | Path | None = None) -> dict:
    """The run record of a consolidated batch: every file with its member name and SHA-256, the
    options and the consolidated figures (no per-line digest: the lines are never in memory)."""
    return {
        "format": FORMAT,
        "cbam_calc_version": batch.version,
        "command": "batch",
        "inputs": [_input_entry(f.file, sheet, f.sha256, member=f.member) for f in batch.files],
        "options": batch.options.model_dump(mode="json"),
        "price_path": _price_path_entry(price_path),
        "reference_data_sha256": batch.reference_data_sha256,
        "reference_files": record_entries(),
        "figures": _batch_figures(batch),
        "lines_sha256": None,
    }


# columns added to the scenario table after record format 1 (what they show is recorded with the
# scenario set): left out of the digest, so that older scenario workbooks still check
SCENARIO_DIGEST_EXCLUDES = ("cbam_factor",)


def scenario_digest(table: pd.DataFrame) -> str:
    """SHA-256 of a scenario table's figures (every numeric column to the cent, in row order)."""
    numeric = table.drop(columns=list(SCENARIO_DIGEST_EXCLUDES), errors="ignore")
    numeric = numeric.select_dtypes("number").round(2)
    text = pd.concat([table[["scenario", "year"]].astype(str), numeric], axis=1).to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _scenario_figures(table: pd.DataFrame) -> dict:
    return {"scenario_rows": len(table), "eu_levy_eur": round(float(table["eu_levy_eur"].sum()), 2)}


def make_scenario_record(result, path: str | Path, sheet: str | None, options, sset) -> dict:
    """The run record of a scenario run: the input, the options and the whole scenario set (so
    the same scenarios are recomputed), and the figures of the scenario table."""
    from cbam_calc.law.reference import reference_data

    return {
        "format": FORMAT,
        "cbam_calc_version": __version__,
        "command": "scenario",
        "inputs": [_input_entry(path, sheet, sha256_of_file(path))],
        "options": options.model_dump(mode="json"),
        "scenario_set": sset.model_dump(mode="json"),
        "price_path": None,
        "reference_data_sha256": reference_data().fingerprint,
        "reference_files": record_entries(),
        "figures": _scenario_figures(result.table),
        "lines_sha256": None,
        "table_sha256": scenario_digest(result.table),
    }


def _batch_figures(batch) -> dict:
    figures = {k: batch.totals[k] for k in FIGURES if k in batch.totals}
    figures["rejected"] = batch.rejected_total
    figures["failed_files"] = len(batch.failed)
    return figures


def write_run_sheet(wb, record: dict) -> None:
    """A "Run" sheet (openpyxl write-only workbook): readable keys, then the record as JSON."""
    from cbam_calc.outputs.writers import xlsx_row

    ws = wb.create_sheet(SHEET)

    def ws_append(row: list) -> None:  # file, sheet and member names are any text a member chose
        ws.append(xlsx_row(ws, row))

    ws_append(
        [
            f"cbam-calc run record: what produced this report (cbam {record.get('command', 'calc')}; "
            "cbam calc --check reproduces it)"
        ]
    )
    ws_append([])
    ws_append(["cbam-calc version", record["cbam_calc_version"]])
    for f in record["inputs"]:
        ws_append(["input", f["file"], f["sheet"] or "", f["sha256"], f.get("member", "")])
    if record["price_path"]:
        ws_append(["price path", record["price_path"]["file"], "", record["price_path"]["sha256"]])
    ws_append(["reference data SHA-256", record["reference_data_sha256"]])
    for path, f in (record.get("reference_files") or {}).items():
        ws_append(["reference file", path, "", f["sha256"], f.get("act", ""), f.get("updated") or ""])
    for k, v in record["options"].items():
        ws_append([f"option {k}", json.dumps(v, ensure_ascii=False)])
    for k, v in record["figures"].items():
        ws_append([k, v])
    if record["lines_sha256"]:
        ws_append(["lines SHA-256", record["lines_sha256"]])
    ws_append(["record_json", json.dumps(record, ensure_ascii=False)])


def read_record(report: str | Path) -> dict:
    import openpyxl

    path = Path(report)
    if not path.is_file():
        raise InputFileError("no such report", file=str(report))
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:
        raise InputFileError(f"not a readable xlsx report ({type(e).__name__})", file=str(report)) from None
    if SHEET not in wb.sheetnames:
        raise InputFileError(
            f"no '{SHEET}' sheet: this report was not written by cbam calc -o, or by "
            "a version without run records",
            file=str(report),
        )
    for row in wb[SHEET].iter_rows(values_only=True):
        if row and row[0] == "record_json":
            record = json.loads(row[1])
            if record.get("format") != FORMAT:
                raise InputFileError(f"unknown run record format {record.get('format')!r}", file=str(report))
            return record
    raise InputFileError("the Run sheet holds no record_json row", file=str(report), sheet=SHEET)


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

    def text(self) -> str:
        head = (
            f"{self.report}: the figures match"
            if self.matches
            else f"{self.report}: the figures do NOT match"
        )
        return "\n".join(
            [head, *(f"  - {d}" for d in self.differences), *(f"  note: {n}" for n in self.notes)]
        )


def check_report(
    report: str | Path, inputs: Sequence[str | Path] = (), ref: ReferenceData | None = None
) -> CheckOutcome:
    """Recompute a report from its recorded inputs and options; compare figures and lines.
    ``inputs``: where the input files are now, if they moved (found by content or name). ``ref``:
    the reference data to check against (default: this installation's; a batch always uses it).
    Where the reference data differ from the report's, the tables that changed are named with
    their act then and now, with the number of the report's lines that moved."""
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.law.prices import load_price_path
    from cbam_calc.law.reference import reference_data

    ref = ref or reference_data()
    record = read_record(report)
    report_dir = Path(report).resolve().parent
    out = CheckOutcome(str(report), True)
    only = len(record["inputs"]) == 1 == len(inputs)
    given = {Path(p): sha256_of_file(p) for p in inputs if Path(p).is_file()}  # each hashed once
    inputs = []
    for entry in record["inputs"]:
        found = _locate(entry, report_dir, given, only=only)
        if found is None:
            raise CbamError(
                f"{report}: input {entry['file']} not found (looked where the report recorded it and "
                f"beside the report): give it after the report, cbam calc --check {report} PATH"
            )
        if (given.get(found) or sha256_of_file(found)) != entry["sha256"]:
            out.notes.append(f"input {found} has changed since the report (SHA-256 differs)")
        inputs.append((found, entry["sheet"]))
    price_path = None
    if record["price_path"]:
        found = _locate(record["price_path"], report_dir)
        if found is None:
            raise CbamError(f"{report}: price path {record['price_path']['file']} not found")
        if sha256_of_file(found) != record["price_path"]["sha256"]:
            out.notes.append(f"price path {found} has changed since the report")
        price_path = load_price_path(found)
    other_causes = bool(out.notes)  # an input or the price path changed too
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
    options = CalcOptions(**record["options"])
    moved = None  # the report's lines whose figures moved (calc reports: read from the Lines sheet)
    if record.get("command") == "batch":
        now, differ = _recompute_batch(record, inputs, options, price_path)
    elif record.get("command") == "scenario":
        now, differ = _recompute_scenario(record, inputs, options, ref)
    else:
        now, differ, moved = _recompute_calc(record, inputs, options, price_path, ref, report)
    for k, then in record["figures"].items():
        tolerance = 0.005 if k.endswith("_eur") else 1e-6  # EUR to the cent
        if abs(float(now[k]) - float(then)) > tolerance:
            out.differences.append(f"{k}: report {then}, now {now[k]}")
    out.differences.extend(differ)
    out.matches = not out.differences
    if reference_changed:  # why: the reasons beside the differences, or notes when nothing moved
        why = reference_changes(record, ref, moved, other_causes)
        (out.notes if out.matches else out.differences).extend(why)
    return out


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
    import openpyxl

    from cbam_calc.core.labels import line_headers

    wb = openpyxl.load_workbook(report, read_only=True, data_only=True)
    if "Lines" not in wb.sheetnames:
        return None
    rows = wb["Lines"].iter_rows(values_only=True)
    head = [str(h) for h in next(rows, ())]
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


def _recompute_calc(
    record: dict, inputs: list, options, price_path, ref, report
) -> tuple[dict, list[str], list | None]:
    """A calc report's figures now, whether its lines still give the same certificates and cost,
    and which of them moved."""
    from cbam_calc.compute.calculate import calculate

    ((path, sheet),) = inputs
    result = calculate(path, options, sheet=sheet, price_path=price_path, raise_if_empty=False, ref=ref)
    now = {k: getattr(result.summary, k) for k in FIGURES}
    if lines_digest(result.lines) != record["lines_sha256"]:
        return (
            now,
            ["line figures differ (certificates or cost of at least one line)"],
            moved_lines(report, result.lines),
        )
    return now, [], []


def _recompute_batch(record: dict, inputs: list, options, price_path) -> tuple[dict, list[str]]:
    """A consolidated batch recomputed from its recorded files (each under its recorded member)."""
    from cbam_calc.compute.batch import run_batch
    from cbam_calc.inputs.members import BatchFile

    files = [BatchFile(Path(path), e["member"]) for (path, _), e in zip(inputs, record["inputs"])]
    sheet = record["inputs"][0]["sheet"] if record["inputs"] else None
    batch = run_batch([f.path for f in files], options, price_path=price_path, sheet=sheet, files=files)
    return _batch_figures(batch), []


def _recompute_scenario(record: dict, inputs: list, options, ref) -> tuple[dict, list[str]]:
    """A scenario workbook recomputed from its input, options and recorded scenario set."""
    from cbam_calc.compute.scenarios import ScenarioSet, run_scenarios
    from cbam_calc.inputs.readers import read_table
    from cbam_calc.inputs.validate import validate

    ((path, sheet),) = inputs
    sset = ScenarioSet.model_validate(record["scenario_set"])
    result = run_scenarios(validate(read_table(path, sheet), ref), sset, options, ref)
    if scenario_digest(result.table) != record["table_sha256"]:
        return _scenario_figures(result.table), ["scenario figures differ (at least one scenario-year)"]
    return _scenario_figures(result.table), []
