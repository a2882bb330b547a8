"""What every figure rests on: each reference table and parameter with its act, version, effective
dates, status, SHA-256 and the date its content last changed (``cbam data``).

Everything is read from the data, generically, so a table added or rebuilt tomorrow is listed as it
stands:

- a law table (``cbam_calc/data/**/*.csv``): its ``.meta.yaml`` sidecar (``title``, ``source`` acts,
  ``citation`` or ``version``, ``effective_from``/``effective_to``, ``status``, ``superseded_by``),
  else its ``#`` comment header (first sentence, the ``Source:`` line, "effective from DATE");
- a parameter (``cbam_calc/data/parameters/*.yaml``): its ``metadata`` (``status``, ``reference``,
  ``updated``) and its dated values;
- market data (``reference_prices/*.csv``): its comment header and its rows (their ``status`` column
  and the periods they cover).

The date the content last changed is the ``updated`` key of a sidecar or of a parameter's
``metadata``. Most sidecars are written by a build script (scripts/build_reference.py) and a
price table has only its comment header, so their dates are kept in ``data/updated.yaml``, each
bound to the SHA-256 of the content it dates: a file whose bytes differ from the dated ones has no
date ("unknown"), never a wrong one. No git is needed at run time.

The run record keeps :func:`record_entries` (one SHA-256 per file) so that ``cbam calc --check``
can name what changed since a report (:func:`changed_files`).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

import pandas as pd
from pydantic import BaseModel, model_validator

from cbam_calc.core.labels import REFERENCE_KINDS_ZH
from cbam_calc.core.messages import Message
from cbam_calc.core.model import keep_message
from cbam_calc.law.parameters import load_yaml
from cbam_calc.law.reference import ReferenceData, reference_data

LEDGER = "updated.yaml"  # in the law data folder: dates of the files that cannot state their own
PRICES_PREFIX = "reference_prices/"
STATUS_WORDS = ("law", "draft", "proposal", "projection", "superseded")  # in a parameter's status


class ReferenceFile(BaseModel):
    """One reference table or parameter file, as ``cbam data`` lists it."""

    path: str  # eu/default_values.csv, parameters/cscf.yaml, reference_prices/fx_eur_annual.csv
    kind: Literal["law table", "parameter", "market data"]
    name: str  # default values, cscf, fx eur annual
    title: str
    act: str  # the act (or source) the figures come from
    version: str = ""  # a sidecar's version or citation, where it states one
    effective_from: str = ""  # ISO date, or the first period of market data
    effective_to: str = ""
    status: str  # law, draft, proposal, projection, superseded; for market data the rows' statuses
    status_detail: str = ""  # the data's own wording, where it says more
    rows: int | None = None  # data rows of a table; dated values of a parameter
    sha256: str
    updated: str | None = None  # the date the content last changed (ISO); None: not known
    updated_note: str = ""  # why there is no date (English)
    updated_note_code: str = ""  # the same as a message (M_INV_NO_DATE, M_INV_DATE_STALE)
    updated_note_params: dict[str, Any] = {}
    superseded_by: str = ""

    @model_validator(mode="before")
    @classmethod
    def _note_message(cls, data: Any) -> Any:
        return keep_message(data, "updated_note")

    def updated_note_text(self, lang: str) -> str:
        """Why there is no update date, in ``lang``."""
        return Message.from_json(self.updated_note, self.updated_note_code, self.updated_note_params).text(
            lang
        )

    @property
    def label(self) -> str:
        """What a change is named by: the version or act, shortened ('IR 2025/2621 Annex I')."""
        return short_act(self.version or self.act or self.title)


class AsOf(NamedTuple):
    """The newest update date of a set of reference files, and the files that state none."""

    date: str | None
    undated: list[str]

    def text(self, lang: str = "en") -> str:
        """'reference data as of 2026-12-01', naming any file without a date, in ``lang``."""
        head = Message("M_INV_AS_OF", date=self.date) if self.date else Message("M_INV_AS_OF_UNKNOWN")
        if not self.undated:
            return head.text(lang)
        undated = Message("M_INV_UNDATED", n=len(self.undated), files=", ".join(self.undated))
        return head.text(lang) + undated.text(lang)


# ---------------------------------------------------------------------------- helpers
def short_act(text: str) -> str:
    """'Commission Implementing Regulation (EU) 2025/2621, Annex I' -> 'IR 2025/2621, Annex I'."""
    text = re.sub(r"(?:Commission )?Implementing Regulation \(EU\) (\d{4}/\d+)", r"IR \1", text)
    text = re.sub(r"(?:Commission )?Implementing Decision \(EU\) (\d{4}/\d+)", r"Decision \1", text)
    return re.sub(r"\bRegulation \(EU\) (\d{4}/\d+)", r"Reg \1", text)


def _iso(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def _words(stem: str) -> str:
    return stem.replace("_", " ")


def _first_sentence(text: str) -> str:
    m = re.match(r"(.+?\.)(?:\s|$)", text)
    return (m.group(1) if m else text).rstrip(".").strip()


def _data_rows(path: Path) -> list[dict[str, str]]:
    """The data rows of a commented CSV (the csv module: no pandas needed to count and classify)."""
    with path.open(encoding="utf-8", newline="") as f:
        body = (line for line in f if not line.startswith("#"))
        return list(csv.DictReader(body))


def _row_count(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return max(0, sum(1 for _ in csv.reader(line for line in f if not line.startswith("#"))) - 1)


def _header_lines(path: Path) -> list[str]:
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            out.append(line[1:].strip())
    return out


def _header_source(lines: list[str]) -> str:
    """The ``Source:`` line of a comment header, else the first act it names."""
    for line in lines:
        m = re.match(r"Sources?:\s*(.+)", line)
        if m:
            return m.group(1).strip()
    m = re.search(r"(?:Regulation|Directive|Decision) \(EU\) \d{4}/\d+", " ".join(lines))
    return m.group(0) if m else ""


def _header_effective(lines: list[str]) -> str:
    m = re.search(r"from (\d{4}-\d{2}-\d{2})", " ".join(lines))
    return m.group(1) if m else ""


def _statuses_of(text: str) -> str:
    """The status words a parameter's status states, in order: 'law (2026-2030), projection
    (from 2031)' -> 'law, projection'."""
    found = [w for w in STATUS_WORDS if re.search(rf"\b{w}\b", text.lower())]
    found.sort(key=lambda w: re.search(rf"\b{w}\b", text.lower()).start())
    return ", ".join(found) or text


def _superseded_by(value: Any) -> str:
    if isinstance(value, dict):
        parts = [str(value.get("act", "")), f"(table {value['table']})" if value.get("table") else ""]
        return " ".join(p for p in parts if p)
    return str(value or "")


def _ledger(ref: ReferenceData) -> dict[str, dict]:
    path = ref.data_dir / LEDGER
    if not path.is_file():
        return {}
    doc = load_yaml(path.read_text(encoding="utf-8")) or {}
    return {str(k): dict(v or {}) for k, v in doc.items()}


def _dated(own: Any, entry: dict | None, sha: str) -> tuple[str | None, str]:
    """(updated, note): the file's own ``updated``, else the ledger's if it dates these bytes."""
    if own:
        return _iso(own), ""
    if entry is None:
        return None, Message("M_INV_NO_DATE", ledger=f"data/{LEDGER}")
    if entry.get("sha256") != sha:
        return None, Message("M_INV_DATE_STALE", date=_iso(entry.get("updated")), ledger=f"data/{LEDGER}")
    return _iso(entry.get("updated")), ""


# ---------------------------------------------------------------------------- one file
def _law_table(ref: ReferenceData, path: Path, ledger: dict[str, dict], count: bool = True) -> ReferenceFile:
    rel = path.relative_to(ref.data_dir).as_posix()
    sha = ref.file_sha256(path)
    sidecar = path.with_suffix(".meta.yaml")
    meta = load_yaml(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}
    meta = meta or {}
    header = _header_lines(path)
    sources = meta.get("source") or []
    act = "; ".join(str(s.get("act") or s.get("data") or "") for s in sources if isinstance(s, dict))
    entry = ledger.get(rel)
    updated, note = _dated(meta.get("updated"), entry, sha)
    status = str(meta.get("status") or (entry or {}).get("status") or "")
    return ReferenceFile(
        path=rel,
        kind="law table",
        name=_words(path.stem),
        title=str(meta.get("title") or _first_sentence(" ".join(header))),
        act=act or _header_source(header),
        version=str(meta.get("citation") or meta.get("version") or ""),
        effective_from=_iso(meta.get("effective_from")) or _header_effective(header),
        effective_to=_iso(meta.get("effective_to")),
        status=_statuses_of(status) if status else "not stated",
        status_detail=status if status and _statuses_of(status) != status else "",
        rows=_row_count(path) if count else None,
        sha256=sha,
        updated=updated,
        updated_note=note,
        superseded_by=_superseded_by(meta.get("superseded_by")),
    )


def _parameter(ref: ReferenceData, path: Path) -> ReferenceFile:
    rel = path.relative_to(ref.data_dir).as_posix()
    sha = ref.file_sha256(path)
    doc = load_yaml(path.read_text(encoding="utf-8")) or {}
    meta = doc.get("metadata") or {}
    raw = doc.get("values") or {}
    series = [raw] if not raw or not all(isinstance(v, dict) for v in raw.values()) else list(raw.values())
    dates = sorted(_iso(d) for s in series for d in s)
    status = str(meta.get("status", ""))
    refs = meta.get("reference") or []
    updated = _iso(meta.get("updated")) or None
    note = "" if updated else "no update date stated (metadata.updated)"
    return ReferenceFile(
        path=rel,
        kind="parameter",
        name=_words(path.stem),
        title=_first_sentence(" ".join(str(doc.get("description", "")).split())),
        act="; ".join(str(r.get("title", "")) for r in refs),
        effective_from=dates[0] if dates else "",
        status=_statuses_of(status) if status else "not stated",
        status_detail=status if _statuses_of(status) != status else "",
        rows=len(dates) or None,
        sha256=sha,
        updated=updated,
        updated_note=note,
    )


def _market_table(ref: ReferenceData, path: Path, ledger: dict[str, dict]) -> ReferenceFile:
    rel = PRICES_PREFIX + path.name
    sha = ref.file_sha256(path)
    header = _header_lines(path)
    rows = _data_rows(path)
    columns = rows[0].keys() if rows else ()
    period = next((c for c in ("period", "year") if c in columns), None)
    periods = sorted(r[period] for r in rows) if period else []
    counts = Counter(r["status"] for r in rows) if "status" in columns else Counter()
    status = ", ".join(f"{k} {n}" for k, n in counts.most_common()) or "no data rows"
    updated, note = _dated(None, ledger.get(rel), sha)
    return ReferenceFile(
        path=rel,
        kind="market data",
        name=_words(path.stem),
        title=header[0].rstrip(".") if header else path.stem,
        act=_header_source(header),
        effective_from=periods[0] if periods else "",
        effective_to=periods[-1] if periods else "",
        status=status,
        rows=len(rows),
        sha256=sha,
        updated=updated,
        updated_note=note,
    )


# ---------------------------------------------------------------------------- the inventory
def reference_yamls(data_dir: Path) -> list[Path]:
    """The reference tables kept as YAML in the data folder itself (``carbon_pricing.yaml``): in
    the parameters' form (description, metadata with its own ``updated``), not the ledger and not a
    table's sidecar."""
    found = sorted(data_dir.glob("*.yaml"))
    return [p for p in found if p.name != LEDGER and not p.name.endswith(".meta.yaml")]


def reference_files(ref: ReferenceData | None = None, *, rows: bool = True) -> list[ReferenceFile]:
    """Every reference table and parameter file of ``ref``: law tables, parameters, market data.
    ``rows=False``: the law tables' row counts left out (None), what a run's "reference data as
    of" needs without parsing every table's rows (about 0.07 s, 26,000 rows, in each run)."""
    ref = ref or reference_data()
    full = ref.derived_so_far("reference_files", True)
    if full is not None:  # the full inventory serves both
        return full

    def build() -> list[ReferenceFile]:
        ledger = _ledger(ref)
        params_dir = ref.data_dir / "parameters"
        out = [_law_table(ref, p, ledger, rows) for p in sorted(ref.data_dir.rglob("*.csv"))]
        out += [_parameter(ref, p) for p in sorted(params_dir.glob("*.yaml"))]
        out += [_parameter(ref, p) for p in reference_yamls(ref.data_dir)]  # carbon_pricing.yaml ...
        out += [_market_table(ref, p, ledger) for p in sorted(ref.prices_dir.glob("*.csv"))]
        return out

    return ref.derived("reference_files", build, rows)


def inventory_table(ref: ReferenceData | None = None) -> pd.DataFrame:
    """:func:`reference_files` as a table, one row per file."""
    files = reference_files(ref)
    return pd.DataFrame([f.model_dump() for f in files], columns=list(ReferenceFile.model_fields))


def reference_data_as_of(ref: ReferenceData | None = None) -> AsOf:
    """The newest update date of the reference data of a run, and the files that state none."""
    files = reference_files(ref, rows=False)  # dates only: no table's rows counted
    dates = [f.updated for f in files if f.updated]
    return AsOf(max(dates) if dates else None, [f.path for f in files if not f.updated])


# ---------------------------------------------------------------------------- in Chinese
TITLES_ZH = Path(__file__).resolve().parent.parent / "locale" / "zh_CN" / "reference_files.yaml"


@cache
def titles_zh() -> dict[str, dict[str, str]]:
    """Each reference file's title (and status in words of its own) in Chinese, by path: the one
    place a file's Chinese name is kept (cbam data, the Run sheet, a status a comparison shows)."""
    return {str(k): dict(v) for k, v in load_yaml(TITLES_ZH.read_text(encoding="utf-8")).items()}


def status_zh(path: str) -> str | None:
    """The Chinese of a file's own status words (``status`` in reference_files.yaml), if any."""
    return titles_zh().get(path, {}).get("status")


# ---------------------------------------------------------------------------- run records
def record_entries(ref: ReferenceData | None = None) -> dict[str, dict]:
    """What a run record keeps of each file: its SHA-256, what it is and its update date."""
    return {
        f.path: {"sha256": f.sha256, "title": f.title, "act": f.label, "updated": f.updated}
        for f in reference_files(ref)
    }


class FileChange(NamedTuple):
    """A reference file that differs between a report's run and now."""

    path: str
    name: str
    then: str  # act or version then ('' for a file new since the report)
    now: str  # act or version now ('' for a file gone since)
    kept_as: str = ""  # where the report's version is still in the package (e.g. a superseded copy)
    kind: str = ""  # law table, parameter, market data (ReferenceFile.kind): its name in Chinese

    def text(self) -> Message:
        """What changed, as cbam calc --check names it (a message: shown in the run's language;
        in Chinese the file is named by its path and kind, its name being its English stem)."""
        named = {
            "name": self.name,
            "name_zh": REFERENCE_KINDS_ZH.get(self.kind, REFERENCE_KINDS_ZH[""]),
            "path": self.path,
        }
        if not self.then:
            return Message("M_REF_FILE_NEW", **named, now=self.now)
        if not self.now:
            return Message("M_REF_FILE_GONE", **named, then=self.then)
        if self.then != self.now:
            what = Message("M_REF_FILE_ACTS", **named, then=self.then, now=self.now)
        else:
            what = Message("M_REF_FILE_CHANGED", **named, now=self.now)
        return Message("M_REF_FILE_KEPT", change=what, kept=self.kept_as) if self.kept_as else what


def _kept_versions(ref: ReferenceData) -> dict[str, str]:
    """SHA-256 -> 'path (status)' of every file of ``ref``, and of the versions a sidecar says it
    was shipped as (``shipped_as: {file, sha256}`` of a superseded copy)."""
    out: dict[str, str] = {}
    for f in reference_files(ref):
        out.setdefault(f.sha256, f"{f.path} ({f.status})")
        sidecar = (ref.data_dir / f.path).with_suffix(".meta.yaml")
        if f.kind == "law table" and sidecar.is_file():
            shipped = (load_yaml(sidecar.read_text(encoding="utf-8")) or {}).get("shipped_as")
            if isinstance(shipped, dict) and shipped.get("sha256"):
                out.setdefault(str(shipped["sha256"]), f"{f.path} ({f.status})")
    return out


def changed_files(recorded: dict[str, dict], ref: ReferenceData | None = None) -> list[FileChange]:
    """The files whose SHA-256 differs from a run record's ``reference_files`` (new and gone ones
    included), in the order of the inventory."""
    ref = ref or reference_data()
    now = {f.path: f for f in reference_files(ref)}
    kept = _kept_versions(ref)
    out = []
    for path, f in now.items():
        then = recorded.get(path)
        if then is None:
            out.append(FileChange(path, f.name, "", f.label, kind=f.kind))
        elif then.get("sha256") != f.sha256:
            act, kept_as = str(then.get("act", "")), kept.get(then["sha256"], "")
            out.append(FileChange(path, f.name, act, f.label, kept_as, f.kind))
    for path, then in recorded.items():
        if path not in now:
            name = _words(Path(path).stem)
            out.append(FileChange(path, name, str(then.get("act", "")), "", kept.get(then.get("sha256"), "")))
    return out
