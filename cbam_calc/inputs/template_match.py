"""Which communication template covers a shipment line, and what the line takes from it: the join
of issue 15 (``cbam calc shipments.xlsx --emissions templates/``), after validation and before
the engine (:func:`apply_templates`).
Long because: matching and the join are one rule (which template covers a line, then what the line
takes from it, field by field, with each line's sources), and a reader should find them together.

A line takes a template's product when its installation is the template's (by name, normalised for
case, spaces and punctuation, full-width too; or by UN/LOCODE) and its CN code is one of that
installation's products: the same 8 digits, else the longest heading a product is given at. Two
templates for one installation and product: the one whose reporting period covers the import date,
else an error naming both files. The work is done once per distinct (installation, CN code, date)
of the lines, never per line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from cbam_calc.core.arrays import categorical, factorize_frame
from cbam_calc.core.errors import InputFileError
from cbam_calc.core.messages import Message
from cbam_calc.inputs import parse
from cbam_calc.inputs.comm_template import CommTemplate, TemplateSet, products_frame, routes_of_code
from cbam_calc.inputs.validate import Issues, Validated, rejected_frame
from cbam_calc.law.importers import normalised_name

NO_MATCH = -1


def template_products(templates: Sequence[CommTemplate]) -> pd.DataFrame:
    """The products of ``templates`` with the keys a line is matched on: ``name_key`` (the
    installation's normalised name), ``unlocode_key`` and the reporting period as dates."""
    frame = products_frame(templates)
    if frame.empty:
        return frame
    frame["name_key"] = [normalised_name(n) for n in frame["installation"]]
    frame["unlocode_key"] = [normalised_name(u) for u in frame["unlocode"]]
    frame["start"] = [_date(d) for d in frame["period_start"]]
    frame["end"] = [_date(d) for d in frame["period_end"]]
    frame["cp_currency_cell"] = [p.cells["cp_currency"] for t in templates for p in t.products]
    return frame


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _candidates(products: pd.DataFrame, name: str, unlocode: str, cn: str) -> pd.DataFrame:
    same = products["name_key"].eq(name) if name else pd.Series(False, index=products.index)
    if unlocode:
        same |= products["unlocode_key"].eq(unlocode)
    mine = products[same]
    if mine.empty:
        return mine
    exact = mine[mine["cn_code"].eq(cn)]
    if not exact.empty:
        return exact
    headings = mine[[len(c) < len(cn) and cn.startswith(c) for c in mine["cn_code"]]]
    if headings.empty:
        return headings
    longest = headings["cn_code"].str.len().max()
    return headings[headings["cn_code"].str.len() == longest]


def _choose(found: pd.DataFrame, when: dt.date | None) -> int:
    """The product row of one template among ``found`` (one installation and product)."""
    files = list(dict.fromkeys(found["file"]))
    if len(files) > 1 and when is not None:
        covering = found[
            [s is not None and e is not None and s <= when <= e for s, e in zip(found["start"], found["end"])]
        ]
        if not covering.empty:
            found, files = covering, list(dict.fromkeys(covering["file"]))
    if len(files) > 1:
        first, second = files[:2]
        raise InputFileError(
            Message("E_TEMPLATE_TWO_FILES", first=first, second=second, cn=str(found["cn_code"].iloc[0])),
            file=first,
        )
    return int(found.index[0])


def match_lines(
    products: pd.DataFrame,
    installation: Sequence[str],
    cn_code: Sequence[str],
    import_date: Sequence[dt.date | None] | None = None,
    unlocode: Sequence[str] | None = None,
) -> np.ndarray:
    """For each shipment line, the index (into ``products``, :func:`template_products`) of the
    template product that covers it, or NO_MATCH.

    Parameters
    ----------
    products : pandas.DataFrame
        :func:`template_products` of the templates given.
    installation, cn_code : sequences of str
        Per line: the producing installation's name ('' where none) and the 8-digit CN code.
    import_date : sequence of date, optional
        Per line: decides between two templates of one installation and product.
    unlocode : sequence of str, optional
        Per line: the installation's UN/LOCODE or ID, matched against the template's UN/LOCODE.

    Raises
    ------
    InputFileError
        Two templates cover one line's installation and product, and no reporting period decides.
    """
    n = len(cn_code)
    out = np.full(n, NO_MATCH, dtype=np.int64)
    if products.empty or not n:
        return out
    keys = pd.DataFrame(
        {
            "name": [normalised_name(x) if isinstance(x, str) else "" for x in installation],
            "unlocode": [normalised_name(x) if isinstance(x, str) else "" for x in (unlocode or [""] * n)],
            "cn": [str(c) for c in cn_code],
            "date": list(import_date) if import_date is not None else [None] * n,
        }
    )
    # candidates once per distinct (installation, CN code); the date only where two files compete
    codes, distinct = pd.factorize(pd.MultiIndex.from_frame(keys[["name", "unlocode", "cn"]]))
    dates = keys["date"].to_numpy(dtype=object)
    for k, (name, code, cn) in enumerate(distinct):
        if not (name or code):
            continue
        found = _candidates(products, name, code, cn)
        if found.empty:
            continue
        mine = codes == k
        if found["file"].nunique() == 1:
            out[mine] = int(found.index[0])
            continue
        at = np.flatnonzero(mine)
        day_codes, days = pd.factorize(pd.Series(dates[at], dtype=object), use_na_sentinel=False)
        for j, when in enumerate(days):
            out[at[day_codes == j]] = _choose(found, when if isinstance(when, dt.date) else None)
    return out


# ---------------------------------------------------------------------------- the join
EVIDENCED_ALL = "all"
SOURCE_SHIPMENT = "shipment file"
SOURCE_DEFAULT = "default value"

# Columns the join adds to the lines, shown in the Lines table only when templates were given
# (a run without --emissions keeps its Lines table, and its run record's lines SHA-256, as before).
TEMPLATE_LINE_COLUMNS: dict[str, str] = {
    "emissions_source": "where the SEE came from: shipment file, template FILE (sheet, row), default value",
    "template_file": "the communication template covering the line's installation and CN code ('' none)",
    "template_row": "its Summary_Products row (0 none)",
    "template_use": "what the line took from the template (SEE, route, carbon price due), or why not",
    "carbon_price_source": "where the Art 9 carbon price came from: shipment file, template FILE (cell), "
    "or the carbon-prices file or sheet FILE whose rows replace it",
}
# what a line took from its template (template_use): a message of parts, one of them the price due
TEMPLATE_USE, USE_PRICE_DUE = "M_TEMPLATE_USE", "M_USE_PRICE_DUE"
# internal: the line's carbon price is a template's price due (the summary's "once evidenced")
FROM_TEMPLATE = "carbon_price_from_template"


class Templates(list):
    """The templates of a run, with the warnings of reading them (a TemplateSet's workbooks of a
    folder that are not templates included)."""

    warnings: list[Message]


def template_list(templates: TemplateSet | Sequence[CommTemplate]) -> Templates:
    """The templates of a TemplateSet (a refused one stops the run: a supplier's template that
    cannot be read must not quietly leave its lines on default values) or of a sequence."""
    if isinstance(templates, Templates):
        return templates
    out = Templates(templates.templates if isinstance(templates, TemplateSet) else templates)
    out.warnings = [w for t in out for w in t.warnings]
    if isinstance(templates, TemplateSet):
        if templates.failed:
            _, error = templates.failed[0]  # the error names its file, sheet and cell
            raise InputFileError(Message("E_TEMPLATES_REFUSED", n=len(templates.failed), error=error))
        out.warnings += [
            Message("W_TEMPLATE_SKIPPED", file=f, reason=why)
            for f, why in templates.skipped
            if getattr(why, "code", "") != "M_SKIPPED_NOT_XLSX"  # a README beside them is no news
        ]
    return out


def evidenced_files(templates: Sequence[CommTemplate], evidenced: str | Collection[str] | None) -> set[str]:
    """The templates (their ``file``) whose carbon price due counts as evidenced.

    ``evidenced``: None (none), ``"all"``, or a collection of template files (as given or any path
    to them), folders holding them, or installation names (normalised as :func:`match_lines` does).
    An entry that names no template is an OptionError, so that a typo never leaves a price
    silently unevidenced."""
    from pathlib import Path

    from cbam_calc.core.errors import OptionError

    if evidenced is None:
        return set()
    if isinstance(evidenced, str):
        if evidenced.strip().casefold() == EVIDENCED_ALL:
            return {t.file for t in templates}
        evidenced = [evidenced]
    out: set[str] = set()
    for entry in evidenced:
        entry = str(entry)
        if entry.strip().casefold() == EVIDENCED_ALL:
            return {t.file for t in templates}
        p = Path(entry)
        where = p.resolve() if p.exists() else None
        hit = {
            t.file
            for t in templates
            if t.file == entry
            or (where is not None and (t.path.resolve() == where or where in t.path.resolve().parents))
            or normalised_name(t.installation.name) == normalised_name(entry)
        }
        if not hit:
            raise OptionError(Message("E_EVIDENCED_NO_TEMPLATE", value=entry))
        out |= hit
    return out


def _where(file: str, row: int, cell: str = "") -> Message:
    from cbam_calc.inputs.comm_template import PRODUCTS

    if cell:
        return Message("M_TEMPLATE_AT_CELL", file=file, sheet=PRODUCTS, cell=cell)
    return Message("M_TEMPLATE_AT_ROW", file=file, sheet=PRODUCTS, row=row)


def _numbers(products: pd.DataFrame, name: str) -> np.ndarray:
    return pd.to_numeric(products[name], errors="coerce").to_numpy(dtype=float)


def _with(values: np.ndarray, fill) -> np.ndarray:
    """Per-product values with a last slot for the lines no template covers (index NO_MATCH)."""
    return np.append(np.asarray(values, dtype=object if isinstance(fill, str) else None), fill)


def _filled(mask: np.ndarray, per_product: np.ndarray, prod: np.ndarray, old: pd.Series) -> np.ndarray:
    """A number column: the product's value where ``mask`` holds, the line's own elsewhere."""
    return np.where(mask, _with(per_product, np.nan)[prod], old.to_numpy(dtype=float))


def _recoded(cat: pd.Categorical, mask: np.ndarray, new: np.ndarray) -> pd.Categorical:
    """``cat`` with the text ``new`` (per line) where ``mask`` holds, by codes."""
    if not mask.any():
        return cat
    cats = [str(c) for c in cat.categories]
    add = [v for v in pd.unique(new[mask]) if v not in cats]
    cats += add
    index = {c: i for i, c in enumerate(cats)}
    distinct, inverse = np.unique(new[mask].astype(str), return_inverse=True)
    codes = np.asarray(cat.codes, dtype=np.int64).copy()
    codes[mask] = np.array([index[d] for d in distinct], dtype=np.int64)[inverse]
    return pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype=object))


def apply_templates(
    validated: Validated,
    templates: TemplateSet | Sequence[CommTemplate],
    evidenced: str | Collection[str] | None = None,
) -> Validated:
    """The validated lines with what the installations' communication templates say: after
    validation, before the engine (``calculate(..., templates=...)`` calls it).

    Each line is matched by :func:`match_lines` (installation name normalised, or its UN/LOCODE
    in the installation column; CN code at 8 digits or the longest heading; the reporting period
    where two templates give one installation and product). For a covered line, field by field,
    the shipment file wins where it gives a value, and the line says so:

    - **SEE**: the template's SEE direct and indirect (actual data) where the line gives no
      ``see_direct``. A line giving its own SEE keeps them whole (never mixed with a template's).
    - **Route**: the IR 2025/2620 route letter the template implies with certainty
      (:func:`cbam_calc.inputs.comm_template.product_route`) where the line gives none. A line
      taking the template's SEE whose CN code has several Column A routes that neither the line
      nor the template decides is rejected (R_TEMPLATE_ROUTE), naming the template, the process
      and the routes to choose from (IR 2025/2620 point 5: with actual data the route is the
      installation's).
    - **Carbon price due** (Art 9), where the line gives no ``carbon_price_paid``. The template's
      Summary_Products gives, per produced tonne of the good, the carbon price due (AR), the
      amount of rebate (AX) and their difference, the effective carbon price due (AZ = AR - AX),
      in the currency AP. They map onto the engine's columns so that
      :func:`cbam_calc.law.art9.effective_price_paid_eur_per_t` gives AZ converted to EUR, the
      draft's P_paid,eff "net of every rebate or compensation" (RULES.md, Art 9):
      ``carbon_price_paid`` = AR, ``carbon_price_per_tco2e`` = no (per tonne of good),
      ``carbon_price_currency`` = AP, ``carbon_price_rebate`` = AX. The share of emissions the
      price covers (AM) is not applied again: AR is already the price due per tonne of good. Where
      the template gives a rebate share (AU) without its amount, the share goes to
      ``carbon_price_free_share`` (P x (1 - share), the engine's free-allocation term). A price
      *due* is not a price evidenced as paid (the actual track needs a certified carbon price
      report): ``carbon_price_evidenced`` is no unless the line's own ``carbon_price_evidenced``
      cell says yes (a cell saying no wins too), or ``evidenced`` names the template
      (:func:`evidenced_files`: its file, its folder, its installation, or "all").

    Every line gets its sources (:data:`TEMPLATE_LINE_COLUMNS`): the SEE from the shipment file, a
    template (file and row) or default values; what it took from the template; where its carbon
    price came from. Work is done once per distinct (installation, CN code, date of import) and
    per template product, never per line.

    Parameters
    ----------
    validated : Validated
        :func:`cbam_calc.inputs.validate.validate` of a shipments table.
    templates : TemplateSet or sequence of CommTemplate
        :func:`cbam_calc.inputs.comm_template.read_templates`. A TemplateSet with refused
        templates raises InputFileError naming the first: a supplier's template the run cannot
        read must not quietly leave its lines on default values.
    evidenced : None, "all", or collection of str
        Templates whose carbon price due counts as evidenced (:func:`evidenced_files`).

    Returns
    -------
    Validated
        The same table with the template values filled in, the :data:`TEMPLATE_LINE_COLUMNS`
        and ``carbon_price_from_template``; lines rejected for their route moved to ``rejected``;
        the templates' warnings, and what the join noticed (a period that does not cover the
        year of import, a template covering no line), added to ``warnings``.

    Raises
    ------
    InputFileError
        A template was refused, or two templates cover one line and no reporting period decides.
    OptionError
        An ``evidenced`` entry names no template.
    """
    tlist = template_list(templates)
    warnings = list(tlist.warnings)
    proven = evidenced_files(tlist, evidenced)
    products = template_products(tlist)
    lines = validated.lines
    column_map = validated.column_map
    n = len(lines)

    def header(name: str) -> str:
        return column_map.get(name, name)

    # --- which product covers each line: once per distinct (installation, CN code, date)
    prod = np.full(n, NO_MATCH, dtype=np.int64)
    if n and not products.empty:
        keys = pd.DataFrame(
            {
                "installation": pd.Categorical(lines["installation"]),
                "cn": pd.Categorical(lines["cn_code"]),
                "date": lines["import_date"],
            },
            index=lines.index,
        )
        codes, distinct = factorize_frame(keys)
        names = [str(x) for x in distinct["installation"]]
        when = [None if pd.isna(d) else pd.Timestamp(d).date() for d in distinct["date"]]
        found = match_lines(products, names, [str(c) for c in distinct["cn"]], when, unlocode=names)
        prod = found[codes]
    matched = prod != NO_MATCH
    k = len(products)
    files_p = products["file"].to_numpy(dtype=object) if k else np.array([], dtype=object)
    rows_p = products["row"].to_numpy(dtype=np.int64) if k else np.array([], dtype=np.int64)

    # --- SEE: the template's where the line gives none
    given_see = ~np.isnan(lines["see_direct"].to_numpy(dtype=float))
    take_see = matched & ~given_see
    new = lines.copy(deep=False)
    if k:
        direct = _numbers(products, "see_direct")
        indirect = _numbers(products, "see_indirect")
        total = _numbers(products, "see_total")
        direct = np.where(np.isnan(direct), total - np.nan_to_num(indirect), direct)
        indirect = np.where(np.isnan(indirect), np.nan_to_num(total - direct), indirect)
        for name, per_product in (("see_direct", direct), ("see_indirect", indirect)):
            new[name] = _filled(take_see, per_product, prod, lines[name])

    # --- route: the template's certain route where the line gives none; else reject if needed
    route_p = products["route"].to_numpy(dtype=object) if k else np.array([], dtype=object)
    choices_p = products["route_choices"].to_numpy(dtype=object) if k else np.array([], dtype=object)
    route = pd.Categorical(lines["route"])
    no_route = np.asarray(route == "", dtype=bool)
    route_line = _with(route_p, "")[prod]
    fill_route = matched & no_route & (route_line != "")
    new["route"] = _recoded(route, fill_route, route_line)
    issues = Issues(n)
    # a product given at a heading may list routes its line's own 8-digit code does not need
    cn_cat = pd.Categorical(lines["cn_code"])
    needs = np.array([bool(routes_of_code(str(c))) for c in cn_cat.categories], dtype=bool)
    needs_route = np.append(needs, False)[np.asarray(cn_cat.codes, dtype=np.int64)]
    undecided = take_see & no_route & ~fill_route & needs_route & (_with(choices_p, "")[prod] != "")
    if undecided.any():
        why = np.array(
            [
                Message(
                    "R_TEMPLATE_ROUTE",
                    file=files_p[i],
                    row=int(rows_p[i]),
                    process=products["process"].iat[i],
                    cn=str(products["cn_code"].iat[i]),
                    routes=str(choices_p[i]),
                )
                for i in range(k)
            ],
            dtype=object,
        )
        issues.add(undecided, header("route"), lambda pos: why[prod[pos]])

    # --- Art 9 carbon price due, where the line gives none
    paid_given = ~np.isnan(lines["carbon_price_paid"].to_numpy(dtype=float))
    due_p = _numbers(products, "cp_due") if k else np.zeros(0)
    has_due = ~np.isnan(due_p) & (due_p > 0)
    take_price = matched & ~paid_given & _with(has_due, False)[prod].astype(bool)
    if take_price.any():
        currency_p, bad_currency = [], []
        for c in products["cp_currency"]:
            code, reason = parse.currency(c if isinstance(c, str) else "")
            currency_p.append(code)
            bad_currency.append(bool(reason) or not code)
        bad_p = np.array(bad_currency, dtype=bool) & has_due
        cur_line = _with(np.array(currency_p, dtype=object), "")[prod]
        cur_bad = take_price & _with(bad_p, False)[prod].astype(bool)
        if cur_bad.any():
            why_c = np.array(
                [
                    Message(
                        "R_TEMPLATE_CURRENCY",
                        where=_where(files_p[i], 0, products["cp_currency_cell"].iat[i]),
                        value=str(products["cp_currency"].iat[i] or ""),
                    )
                    for i in range(k)
                ],
                dtype=object,
            )
            issues.add(cur_bad, header("installation"), lambda pos: why_c[prod[pos]])
        rebate_p = _numbers(products, "rebate_amount")
        share_p = _numbers(products, "rebate_share")
        share_p = np.where(np.isnan(rebate_p) & ~np.isnan(share_p), share_p, np.nan)
        new["carbon_price_paid"] = _filled(take_price, due_p, prod, lines["carbon_price_paid"])
        new["carbon_price_currency"] = _recoded(
            pd.Categorical(lines["carbon_price_currency"]), take_price & ~cur_bad, cur_line
        )
        new["carbon_price_per_tco2e"] = np.where(
            take_price, False, lines["carbon_price_per_tco2e"].to_numpy()
        )
        for name, per_product in (("carbon_price_rebate", rebate_p), ("carbon_price_free_share", share_p)):
            new[name] = _filled(take_price, per_product, prod, lines[name])
        proven_p = np.array([f in proven for f in files_p], dtype=bool)
        ev = _with(proven_p, False)[prod].astype(bool)
        if "carbon_price_evidenced" in column_map:  # the line's own cell, where it says yes or no
            cell = parse.per_distinct(
                validated.raw.frame[column_map["carbon_price_evidenced"]].loc[lines.index],
                parse.boolean,
                None,
            )
            said = np.array([v is not None for v in cell.values], dtype=bool)[cell.codes]
            ev = np.where(said, cell.take(object, None).astype(bool), ev)
        new["carbon_price_evidenced"] = np.where(take_price, ev, lines["carbon_price_evidenced"].to_numpy())
    new[FROM_TEMPLATE] = take_price

    # --- each line's sources, once per distinct combination
    flags = pd.DataFrame(
        {"prod": prod, "see": given_see, "take": take_see, "route": fill_route, "price": take_price},
        index=lines.index,
    )
    fcodes, fdistinct = factorize_frame(flags)
    ev_now = new["carbon_price_evidenced"].to_numpy(dtype=bool)
    source, file, row, use = [], [], [], []
    for f in fdistinct.itertuples(index=False):
        i = int(f.prod)
        there = i != NO_MATCH
        source.append(
            SOURCE_SHIPMENT if f.see else _where(files_p[i], int(rows_p[i])) if f.take else SOURCE_DEFAULT
        )
        file.append(files_p[i] if there else "")
        row.append(int(rows_p[i]) if there else 0)
        parts = []
        if f.take:
            parts.append(Message("M_USE_SEE"))
        if f.route:
            parts.append(Message("M_USE_ROUTE", route=route_p[i]))
        if f.price:
            parts.append(Message(USE_PRICE_DUE))
        if there and f.see:
            parts.append(Message("M_USE_SHIPMENT_WINS"))
        use.append(Message(TEMPLATE_USE, parts=parts) if there and parts else "")
    new["emissions_source"] = categorical(fcodes, source)
    new["template_file"] = categorical(fcodes, file)
    new["template_row"] = np.asarray(row, dtype=np.int64)[fcodes]
    new["template_use"] = categorical(fcodes, use)
    pflags = pd.DataFrame({"prod": np.where(take_price, prod, NO_MATCH), "given": paid_given, "ev": ev_now})
    pcodes, pdistinct = factorize_frame(pflags)
    price_source = []
    for f in pdistinct.itertuples(index=False):
        i = int(f.prod)
        if i != NO_MATCH:
            where = _where(files_p[i], 0, products["cp_due_cell"].iat[i])
            price_source.append(
                Message("M_PRICE_DUE_EVIDENCED" if f.ev else "M_PRICE_DUE_NOT_EVIDENCED", where=where)
            )
        else:
            price_source.append(SOURCE_SHIPMENT if f.given else "")
    new["carbon_price_source"] = categorical(pcodes, price_source)

    # --- what the join noticed: periods other than the year of import, templates covering nothing
    took = take_see | fill_route | take_price
    used = np.flatnonzero(np.bincount(prod[took], minlength=k)) if k else np.array([], dtype=np.int64)
    used_files = set(files_p[used])
    year = lines["year"].to_numpy(dtype=np.int64)
    for t in tlist:
        if t.file not in used_files:
            if t.products:
                warnings.append(Message("W_TEMPLATE_UNUSED", file=t.file, installation=t.installation.name))
            continue
        mine = took & (_with(files_p, "")[prod] == t.file)
        years = [int(y) for y in np.unique(year[mine]) if y > 0]
        start, end = (_date(t.installation.period_start), _date(t.installation.period_end))
        outside = [y for y in years if start is None or end is None or not (start.year <= y <= end.year)]
        if outside:
            warnings.append(
                Message(
                    "W_TEMPLATE_PERIOD_USED",
                    file=t.file,
                    start=t.installation.period_start or "?",
                    end=t.installation.period_end or "?",
                    n=int(mine.sum()),
                    years=outside,
                )
            )

    rejected = validated.rejected
    if issues.bad.any():
        positions, columns, reasons = issues.records()
        moved = rejected_frame(validated.raw, lines.index.to_numpy()[positions], columns, reasons)
        rejected = pd.concat([rejected, moved], ignore_index=True).sort_values("row", kind="stable")
        rejected = rejected.reset_index(drop=True)
        new = new.loc[~issues.bad]
    return Validated(validated.raw, new, rejected, column_map, [*validated.warnings, *warnings])
