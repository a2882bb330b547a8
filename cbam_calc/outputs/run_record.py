"""Every report carries what produced it, and ``cbam calc --check report.xlsx`` reproduces it.

The run record holds the cbam-calc version, each input with its SHA-256, the options, the price
path (if any) with its SHA-256, the SHA-256 of the reference data and of each reference table and
parameter file (with its act and update date), the headline figures and a hash of every line's
certificates and cost (one per member, for a batch). It is written to the report's "Run" sheet
(outputs.run_sheet: readable key by key in the report's language, plus the whole record as JSON
on its record_json row). A record is read back here and refused with
one line when it is damaged, of the wrong types, unknown or from a newer cbam-calc; checking a
report against it is outputs/check.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd

from cbam_calc import __version__
from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message
from cbam_calc.core.sheets import RECORD_ROW, RUN, find_sheet
from cbam_calc.core.validation import first_problem  # outputs.check imports it from here
from cbam_calc.inputs.csv_arrow import sha256_of_file
from cbam_calc.law.inventory import record_entries
from cbam_calc.outputs.run_sheet import FIGURES, SHEET

FORMAT = "cbam-calc run record 1"


def make_record(
    result, *, price_path: str | Path | None = None, ref=None, sheet_asked: str | None = None
) -> dict:
    """The run record of a calc result (``ref``: the reference data it was computed with).
    ``sheet_asked``: the --sheet given (None: the tool chose), beside the sheet read, so that a
    check reads the workbook as the run did, and gives the warnings of the tool's choice too."""
    s = result.summary
    return {
        "format": FORMAT,
        "cbam_calc_version": s.cbam_calc_version,
        "command": "calc",
        "inputs": [_input_entry(f.file, f.sheet, f.sha256, sheet_asked=sheet_asked) for f in s.inputs],
        "options": result.options.model_dump(mode="json"),
        "price_path": _price_path_entry(price_path),
        "reference_data_sha256": s.reference_data_sha256,
        "reference_files": record_entries(ref),
        "figures": {k: getattr(s, k) for k in FIGURES},
        "lines_sha256": result.lines_sha256,
        **templates_entry(
            None if s.templates is None else [t.model_dump() for t in s.templates.templates],
            s.templates.evidenced if s.templates is not None else None,
        ),
        **carbon_prices_entry(
            result.carbon_prices.tables if getattr(result, "carbon_prices", None) is not None else []
        ),
    }


def _input_entry(file: str | Path, sheet: str | None, sha256: str, **extra: str | None) -> dict:
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
    """The run record of a consolidated batch: every file with its member name, SHA-256 and the
    digest of its lines (computed where the member is computed), the options and the consolidated
    figures."""
    return {
        "format": FORMAT,
        "cbam_calc_version": batch.version,
        "command": "batch",
        "inputs": [
            _input_entry(f.file, sheet, f.sha256, member=f.member, lines_sha256=f.lines_sha256)
            for f in batch.files
        ],
        "options": batch.options.model_dump(mode="json"),
        "price_path": _price_path_entry(price_path),
        "reference_data_sha256": batch.reference_data_sha256,
        "reference_files": record_entries(),
        "figures": _batch_figures(batch),
        "lines_sha256": None,
        **templates_entry(batch.templates),
        **carbon_prices_entry([batch.carbon_prices] if getattr(batch, "carbon_prices", None) else []),
    }


def carbon_prices_entry(tables) -> dict:
    """The carbon-prices file of a run (--carbon-prices) as its record keeps it: as given, where
    it was, the sheet read and its SHA-256, so that a check joins the same table; nothing for a run
    without one. A carbon-prices sheet of the shipments workbook is not recorded apart: it is part
    of the input, and read again with it."""
    from cbam_calc.inputs.carbon_prices import SOURCE_FILE

    files = [_input_entry(t.file, t.sheet, t.sha256) for t in tables if t.source == SOURCE_FILE]
    return {"carbon_prices": files} if files else {}


def templates_entry(templates: list[dict] | None, evidenced: object = None) -> dict:
    """The communication templates of a run (--emissions) as its record keeps them: each file as
    given, where it was, its SHA-256, installation and whether its carbon price due was evidenced
    (so that a check joins the same templates the same way); nothing for a run without them."""
    if templates is None:
        return {}
    keys = ("file", "absolute", "sha256", "installation", "evidenced")
    entry: dict = {"templates": [{k: t[k] for k in keys} for t in templates]}
    if evidenced is not None:  # --evidenced as given (a calc run's record keeps it)
        entry["evidenced"] = evidenced
    return entry


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


# the scenario workbook's layout, recorded from layout 2 on: which sheets --check writes again
# (1: the first layout, before issue 14's Overview; outputs.scenario_check)
SCENARIO_LAYOUT = 2
SCENARIO_LAYOUT_KEY = "scenario_layout"


def make_scenario_record(result, path: str | Path, sheet: str | None, options, sset) -> dict:
    """The run record of a scenario run: the input, the options and the whole scenario set (so
    the same scenarios are recomputed), the figures of the scenario table and the workbook's
    layout (which sheets ``--check`` writes again: outputs.scenario_check)."""
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
        SCENARIO_LAYOUT_KEY: SCENARIO_LAYOUT,
        **templates_entry(result.templates),
    }


def _batch_figures(batch) -> dict:
    figures = {k: batch.totals[k] for k in FIGURES if k in batch.totals}
    figures["rejected"] = batch.rejected_total
    figures["failed_files"] = len(batch.failed)
    return figures


FORMAT_NUMBER = re.compile(r"cbam-calc run record (\d+)$")
REDO = "write the report again with cbam calc -o (or cbam batch/scenario -o) from its inputs"


def damaged_record(report: str | Path, what: Message) -> InputFileError:
    """The error of a damaged record; ``what`` says what is damaged (an M_RECORD_* Message)."""
    return InputFileError(Message("E_RECORD_DAMAGED", what=what), file=str(report), sheet=SHEET)


def read_record(report: str | Path) -> dict:
    """The run record of a report, refused with one line naming the report where the workbook
    is hostile (guarded before it is opened) or the record damaged, unknown or from a newer
    cbam-calc."""
    from cbam_calc.outputs.report_check import ReportCells

    path = Path(report)
    if not path.is_file():
        raise InputFileError(Message("E_NO_SUCH_REPORT"), file=str(report))
    if path.suffix.lower() in (".html", ".htm"):
        raise InputFileError(
            Message("E_CHECK_HTML"),
            file=str(report),
        )
    cells = ReportCells(path, str(report))
    found = find_sheet(cells.sheetnames, RUN)
    if found is None:
        raise InputFileError(
            Message("E_NO_RUN_SHEET", sheet=SHEET),
            file=str(report),
        )
    text = None
    for row in cells.rows(found):
        if row and row[0] == RECORD_ROW:
            text = row[1] if len(row) > 1 else None
            if isinstance(text, str):  # a long record continues in the cells after
                text += "".join(v for v in row[2:] if isinstance(v, str))
            break
    if text is None:
        raise InputFileError(Message("E_NO_RECORD_JSON"), file=str(report), sheet=SHEET)
    if not isinstance(text, str):
        raise damaged_record(report, Message("M_RECORD_NOT_TEXT"))
    try:
        record = json.loads(text)
    except ValueError as e:
        # the JSON parser's detail is quoted as it gives it (a technical detail), with where
        raise damaged_record(report, Message("M_RECORD_NOT_JSON", error=e.msg.lower(), pos=e.pos)) from None
    return validate_record(record, report)


# what each recorded key must be: (its types, allowed missing)
_RECORD_KEYS = {
    "cbam_calc_version": (str,),
    "command": (str,),
    "inputs": (list,),
    "options": (dict,),
    "reference_data_sha256": (str,),
    "figures": (dict,),
}


def validate_record(record: object, report: str | Path) -> dict:
    """The record, if it is one cbam-calc can check; else one line saying what is wrong."""
    if not isinstance(record, dict):
        raise damaged_record(report, Message("M_RECORD_NOT_RECORD", kind=type(record).__name__))
    fmt = record.get("format")
    if fmt != FORMAT:
        m = FORMAT_NUMBER.match(fmt) if isinstance(fmt, str) else None
        if m and int(m.group(1)) > int(FORMAT_NUMBER.match(FORMAT).group(1)):
            raise InputFileError(
                Message(
                    "E_RECORD_NEWER",
                    format=m.group(1),
                    version=record.get("cbam_calc_version", Message("M_VERSION_NOT_RECORDED")),
                    ours=__version__,
                ),
                file=str(report),
                sheet=SHEET,
            )
        raise InputFileError(
            Message("E_RECORD_UNKNOWN_FORMAT", format=repr(fmt)),
            file=str(report),
            sheet=SHEET,
        )
    for key, types in _RECORD_KEYS.items():
        if not isinstance(record.get(key), types):
            got = type(record.get(key)).__name__ if key in record else "missing"
            wanted = " or ".join(t.__name__ for t in types)  # one type each (_RECORD_KEYS)
            raise damaged_record(report, Message("M_RECORD_KEY_TYPE", key=key, got=got, wanted=wanted))
    if record["command"] not in ("calc", "batch", "scenario"):
        raise damaged_record(report, Message("M_RECORD_UNKNOWN_COMMAND", command=repr(record["command"])))
    if not record["inputs"] or (record["command"] != "batch" and len(record["inputs"]) != 1):
        raise damaged_record(
            report, Message("M_RECORD_INPUT_COUNT", n=len(record["inputs"]), command=record["command"])
        )
    for i, entry in enumerate(record["inputs"], start=1):
        _check_entry(entry, Message("M_RECORD_INPUT", i=i), report, batch=record["command"] == "batch")
    record.setdefault("price_path", None)
    if record["price_path"] is not None:
        _check_entry(record["price_path"], Message("M_RECORD_PRICE_PATH"), report)
    if record["command"] == "scenario" and not isinstance(record.get("scenario_set"), dict):
        raise damaged_record(report, Message("M_RECORD_NO_SCENARIO_SET"))
    templates = record.get("templates")
    if templates is not None:
        if not isinstance(templates, list):
            raise damaged_record(report, Message("M_RECORD_TEMPLATES_NOT_LIST"))
        for i, entry in enumerate(templates, start=1):
            what = Message("M_RECORD_TEMPLATE", i=i)
            _check_entry(entry, what, report)
            if not isinstance(entry.get("evidenced", False), bool):
                raise damaged_record(report, Message("M_RECORD_EVIDENCED", what=what))
    carbon_prices = record.get("carbon_prices")
    if carbon_prices is not None:
        if not isinstance(carbon_prices, list) or len(carbon_prices) > 1:
            raise damaged_record(report, Message("M_RECORD_CARBON_PRICES"))
        _check_entry(carbon_prices[0], Message("M_RECORD_CARBON_PRICES_ENTRY"), report)
    if not isinstance(record.get("reference_files", {}), dict):
        raise damaged_record(report, Message("M_RECORD_REFERENCE_FILES"))
    record_options(record, report)
    return record


def record_options(record: dict, report):
    """The recorded options as CalcOptions; one line if they cannot be read."""
    from cbam_calc.core.model import CalcOptions

    options = dict(record["options"])
    if record.get("command") == "batch" and options.get("de_minimis") is True:
        # a batch recorded before --de-minimis had the choice decided each file on its own
        options["de_minimis"] = "per-file"
    try:
        return CalcOptions(**options)
    except (TypeError, ValueError) as e:
        raise damaged_record(report, Message("M_RECORD_OPTIONS", problem=first_problem(e))) from None


def _check_entry(entry: object, what: Message, report, batch: bool = False) -> None:
    """A recorded file: its name and SHA-256 as texts (and its sheet, member, absolute path)."""
    if not isinstance(entry, dict):
        raise damaged_record(report, Message("M_RECORD_ENTRY_KIND", what=what, kind=type(entry).__name__))
    wanted = {"file": str, "sha256": str, "absolute": str} | ({"member": str} if batch else {})
    for key, kind in wanted.items():
        if not isinstance(entry.get(key), kind):
            raise damaged_record(report, Message("M_RECORD_ENTRY_NO_TEXT", what=what, key=key))
    entry.setdefault("sheet", None)
    if entry["sheet"] is not None and not isinstance(entry["sheet"], str):
        raise damaged_record(report, Message("M_RECORD_ENTRY_SHEET", what=what))
