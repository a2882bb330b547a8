"""How the tables of a report are shown: column labels, sector and country names, spaced CN codes.

The tables themselves are computed in :mod:`cbam_calc.compute.aggregate`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cbam_calc.core.labels import label, sector_name
from cbam_calc.core.messages import render_messages

# i18n label of each column of a report table
COLUMN_LABELS = {
    "member": "member",
    "sector": "sector",
    "cn_code": "cn_code",
    "description": "description",
    "country_iso2": "country",
    "importer": "importer",
    "installation": "installation",
    "year": "year",
    "lines": "lines_short",
    "net_mass_t": "net_mass_t",
    "electricity_mwh": "electricity_mwh",
    "embedded_tco2e": "embedded_tco2e",
    "free_allocation_tco2e": "free_allocation_tco2e",
    "art9_reduction_tco2e": "art9_reduction_tco2e",
    "certificates": "certificates",
    "cost_eur": "cost_eur",
    "cost_cny": "cost_cny_display",  # cbam batch --currency CNY: members and sectors
    "eur_per_t": "eur_per_t",
    "eur_per_t_before_exemption": "eur_per_t_before_exemption",
    "rank_cost": "rank_cost",
    "rank_eur_per_t": "rank_eur_per_t",
    "files": "files_count",
    "rejected": "rejected",
}


# ---------------------------------------------------------------------------- display
def column_label(column: str, lang: str) -> str:
    key = COLUMN_LABELS.get(column)
    return label(key, lang) if key else column


def cn_spaced(code: str) -> str:
    code = str(code)
    return f"{code[:4]} {code[4:6]} {code[6:]}" if len(code) == 8 and code.isdigit() else code


def display_keys(
    frame: pd.DataFrame, keys: list[str], lang: str, country_names: dict[str, str]
) -> pd.DataFrame:
    """Key columns as a reader sees them: sector names, spaced CN codes, country names, and a
    word for blank importers and installations. Figures are left as numbers."""
    out = frame.copy()
    for k in keys:
        if k not in out.columns:
            continue
        col = out[k]
        if k == "sector":
            uniq = {s: sector_name(str(s), lang) for s in col.unique()}
            out[k] = col.map(uniq)
        elif k == "cn_code":
            out[k] = col.map({c: cn_spaced(c) for c in col.unique()})
        elif k == "country_iso2":
            out[k] = col.map({c: f"{c} {country_names.get(c, '')}".strip() for c in col.unique()})
        elif k in ("importer", "installation"):
            out[k] = col.replace("", label(f"no_{k}", lang))
    return out


def country_names(lang: str) -> dict[str, str]:
    from cbam_calc.law.reference import reference_data

    c = reference_data().countries
    return dict(zip(c["iso2"], c["name_zh" if lang == "zh" else "name"]))


# ---------------------------------------------------------------------------- rejected rows
def rejected_reasons(rejected: pd.DataFrame, lang: str = "en") -> pd.Series:
    """The reasons of a Rejected table in ``lang``, from their codes (as written where a reason
    has no code, or the catalogue no text for it); one rendering per distinct reason."""
    if lang == "en" or "code" not in rejected.columns:
        return rejected["reason"]
    return render_messages(rejected["reason"], rejected["code"], rejected["params"], lang)


# the columns of the Rejected sheet whose English header is their key, which programs read (the
# reasons' codes, where they were read), by the label of their Chinese header
REJECTED_KEYED = {"file": "file", "sheet": "sheet", "code": "rejected_code"}


def rejected_headers_before(lang: str) -> dict[str, str]:
    """The Rejected sheet's headers in ``lang`` that a report written before they were translated
    has as their keys (the Chinese header -> the key): ``--check`` takes either."""
    return {label(k, lang): c for c, k in REJECTED_KEYED.items() if label(k, lang) != c}


def rejected_shown(rejected: pd.DataFrame, lang: str, columns) -> pd.DataFrame:
    """``columns`` of a Rejected table as a report shows them: the reasons in ``lang``."""
    shown = rejected[[c for c in columns if c in rejected.columns]]
    if lang != "en" and len(shown) and "reason" in shown.columns:
        shown = shown.assign(reason=rejected_reasons(rejected, lang))
    return shown


def sources_summary(batch, lang: str) -> str | None:
    """The line that counts a batch's computed lines by the source of their SEE (shipment files,
    communication templates, default values); None for a batch run without --emissions."""
    if batch.templates is None:
        return None
    counts = {"shipment file": 0, "template": 0, "default value": 0}
    for source, _, n in batch.lines_by_source:
        counts[source] = counts.get(source, 0) + n
    used = len({f for source, f, _ in batch.lines_by_source if source == "template"})
    return label(
        "batch_lines_by_source",
        lang,
        shipment=counts["shipment file"],
        template=counts["template"],
        default=counts["default value"],
        used=used,
        given=len(batch.templates),
    )


def without_empty_electricity(frame: pd.DataFrame) -> pd.DataFrame:
    """A report table without its embedded-electricity column when no row has any (the goods of
    the run are none of the electricity-consuming ones): the workbook and the HTML page drop it
    alike."""
    if "electricity_mwh" in frame.columns and not frame["electricity_mwh"].fillna(0).any():
        return frame.drop(columns="electricity_mwh")
    return frame


def template_lines(batch) -> list[tuple[dict, int]]:
    """Each template of a batch run with --emissions and the lines taking their SEE from it."""
    lines: dict[str, int] = {}
    for source, f, n in batch.lines_by_source:
        if source == "template":
            lines[f] = lines.get(f, 0) + n
    return [(t, lines.get(t["file"], 0)) for t in batch.templates or []]


def files_summary(batch, lang: str) -> str:
    """The line that counts a batch's files, lines and rejected rows (text and HTML reports)."""
    text = label(
        "files_summary",
        lang,
        files=len(batch.files),
        ok=sum(f.status == "ok" for f in batch.files),
        failed=len(batch.failed),
        lines=batch.lines,
        rejected=batch.rejected_total,
        rows=batch.rows_read,
    )
    repeats = sum(f.status == "duplicate" for f in batch.files)
    return text + (f" ({label('files_duplicate', lang, n=repeats)})" if repeats else "")


# ---------------------------------------------------------------------------- the Lines table
def treatment_shown(treatment: str, lang: str) -> str:
    """What Art 9 does with an instrument row (law.instruments.REASONS), in ``lang``."""
    from cbam_calc.core.messages import MESSAGES, Message

    code = f"M_INSTRUMENT_{str(treatment).upper()}"
    return Message(code).text(lang) if treatment and code in MESSAGES else treatment


def lines_shown(lines: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The Lines table as a report in ``lang`` shows it: each text column's messages (notes, how
    the route was chosen) in ``lang``, sectors, price statuses and the fixed words of the law's
    columns by their names in ``lang``; input columns and figures as they are. English: the table
    itself. One rendering per distinct value (the text columns are categoricals)."""
    if lang == "en" or not len(lines):
        return lines
    from cbam_calc.core.labels import line_value
    from cbam_calc.core.messages import Message

    out = lines.copy(deep=False)
    for column in out.columns:
        col = out[column]
        if not isinstance(col.dtype, pd.CategoricalDtype):
            continue
        cats = list(col.cat.categories)
        shown = [
            c.text(lang)
            if isinstance(c, Message)
            else treatment_shown(c, lang)
            if column == "carbon_price_treatment"
            else line_value(str(column), c, lang)
            for c in cats
        ]
        if shown != cats:  # a mapping of the categories: still a categorical where one-to-one
            out[column] = col.map(dict(zip(cats, shown)))
    if "default_table_name" in out.columns and "default_table" in lines.columns:
        out["default_table_name"] = other_table_glossed(
            lines["default_table"], lines["default_table_name"], lang
        )
    return out


def other_table_glossed(table: pd.Series, name: pd.Series, lang: str) -> pd.Series:
    """The default value table's name of each line, that of the lines on the Other Countries and
    Territories table (``default_table`` 'other') as the act names it with its gloss in ``lang``
    (message M_TABLE_OTHER_NAME); the country tables' names as they are."""
    from cbam_calc.core.messages import Message

    other = np.asarray(table.eq("other"), dtype=bool)
    if not other.any():
        return name
    text = name.astype(object).to_numpy(copy=True)
    glossed = {n: Message("M_TABLE_OTHER_NAME", name=n).text(lang) for n in pd.unique(text[other])}
    text[other] = pd.Series(text[other]).map(glossed).to_numpy(dtype=object)
    return pd.Series(pd.Categorical(text), index=name.index, name=name.name)


def parameters_shown(params: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The Parameters table as a report in ``lang`` shows it: its messages (keys, sources built by
    cbam-calc) and fixed words (parameter names, units, statuses) in ``lang``; citations as the
    acts are cited. English: the table itself."""
    if lang == "en" or not len(params):
        return params
    from cbam_calc.core.labels import parameter_word
    from cbam_calc.core.messages import Message

    out = params.copy()
    if "value" in out.columns:  # an instrument row's value is its treatment (law.instruments)
        instrument = out["unit"].astype(str).eq("treatment").to_numpy()
        out["value"] = [treatment_shown(v, lang) if i else v for v, i in zip(out["value"], instrument)]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = pd.Series(
                [
                    v.text(lang) if isinstance(v, Message) else parameter_word(column, v, lang)
                    for v in out[column].tolist()
                ],
                index=out.index,
                dtype=object,
            )
    return out


# ---------------------------------------------------------------------------- the Art 9 banner
def art9_status_shown(assumptions, lang: str) -> str:
    """The Art 9 DRAFT status of a run in ``lang`` (law.art9.status_message: it depends on the
    draft act alone; English: as the result states it)."""
    if lang == "en":
        return assumptions.art9_status
    from cbam_calc.law import art9

    return art9.status_message().text(lang)


def draft_rules_shown(assumptions, lang: str) -> list[str]:
    """The DRAFT rules a run applied, in ``lang`` (English: as the result lists them)."""
    if lang == "en" or not assumptions.draft_rules_in_force:
        return list(assumptions.draft_rules_in_force)
    from cbam_calc.law import art9

    return [art9.draft_rule_message(assumptions.art9_track).text(lang)]
