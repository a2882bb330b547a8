"""Carbon-pricing instruments and what the DRAFT Art 9 implementing act does with each.
Long because: the reference table's reader and the treatment it drives are one rule (the treatment's
lookups are the table's arrays), and both are the interface the carbon-prices readers code against.

The reference table is ``cbam_calc/data/carbon_pricing.yaml``: the communication template's kinds of
instrument, the units an exporter may pay or surrender (allowances, taxes, credits), and the named
mechanisms of third countries with the units each takes for compliance and its own offset limit.

Treatment follows the unit AND its use (draft Art 9, RULES.md):

- a price paid under a binding carbon pricing mechanism of the country of origin counts (ETS
  allowances net of free allocation, taxes net of rebates, hybrids);
- a credit counts only when surrendered for compliance inside such a mechanism, at the price paid,
  within the mechanism's offset limit; Paris Art 6.2 / 6.4 units for at most 10 % of the
  mechanism's covered emissions (``art9_draft.yaml`` ``paris_article6_credit_cap_share``);
- a voluntary retirement reduces nothing; the EU ETS and Annex III mechanisms are out of scope.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from cbam_calc.law.parameters import load_yaml

TABLE = "data/carbon_pricing.yaml"

# what a unit is used for (carbon_price_use)
COMPLIANCE, VOLUNTARY = "compliance", "voluntary"

_DROP = str.maketrans("", "", " \t\r\n\u3000-_./()（）·,，")


def normalise(text: Any) -> str:
    """A name as looked up: NFKC, case-folded, without spaces and ``-_./()``; '' for blank/None."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return unicodedata.normalize("NFKC", str(text)).casefold().translate(_DROP)


@dataclass(frozen=True)
class Unit:
    """A unit an exporter may pay or surrender."""

    code: str
    en: str
    zh: str
    aliases: tuple[str, ...]
    credit: bool
    paris_article6: bool
    voluntary_standard: bool


@dataclass(frozen=True)
class Mechanism:
    """A named carbon pricing mechanism and how it treats the units."""

    code: str
    en: str
    zh: str
    aliases: tuple[str, ...]
    country: str
    kind: str
    scope: str  # in | eu_ets | annex_iii
    units: tuple[str, ...]
    offset_limit_share: float | None
    offset_limit_basis: str
    source: tuple[dict, ...]

    @property
    def citation(self) -> str:
        return "; ".join(str(s.get("title", "")) for s in self.source)

    @property
    def href(self) -> str:
        return str(self.source[0].get("href", "")) if self.source else ""


@cache
def table() -> dict[str, Any]:
    """The parsed reference table ``carbon_pricing.yaml``."""
    text = resources.files("cbam_calc").joinpath(TABLE).read_text(encoding="utf-8")
    return load_yaml(text)


@cache
def units() -> dict[str, Unit]:
    """Every unit of the table by code."""
    return {
        code: Unit(
            code=code,
            en=str(u["en"]),
            zh=str(u["zh"]),
            aliases=tuple(str(a) for a in u.get("aliases") or ()),
            credit=bool(u["credit"]),
            paris_article6=bool(u["paris_article6"]),
            voluntary_standard=bool(u.get("voluntary_standard", False)),
        )
        for code, u in table()["units"].items()
    }


def _latest(name: str) -> float:
    """The value last in force of a dated parameter file (data/parameters/NAME.yaml): the
    reference table's offset limits are single values, not dated series."""
    from cbam_calc.law.parameters import parameter

    series = parameter(name).values[None]
    return float(max(series, key=lambda kv: kv[0])[1])


@cache
def mechanisms() -> dict[str, Mechanism]:
    """Every named mechanism of the table by code."""
    out = {}
    for code, m in table()["mechanisms"].items():
        limit = m.get("offset_limit_share")
        if m.get("offset_limit_parameter"):  # one place for a limit another rule uses (CNETS' CCER cap)
            limit = _latest(str(m["offset_limit_parameter"]))
        out[code] = Mechanism(
            code=code,
            en=str(m["en"]),
            zh=str(m["zh"]),
            aliases=tuple(str(a) for a in m.get("aliases") or ()),
            country=str(m["country"]),
            kind=str(m["kind"]),
            scope=str(m.get("scope", "in")),
            units=tuple(m["units"]),
            offset_limit_share=None if limit is None else float(limit),
            offset_limit_basis=str(m.get("offset_limit_basis", "verified_emissions")),
            source=tuple(m.get("source") or ()),
        )
    return out


def _index(entries: dict[str, Any], extra: dict[str, str] | None = None) -> dict[str, str]:
    """normalised name -> code, over codes, English and Chinese names and aliases."""
    out: dict[str, str] = dict(extra or {})
    for code, e in entries.items():
        for name in (code, e["en"], e["zh"], *(e.get("aliases") or ())):
            out.setdefault(normalise(name), code)
    out.pop("", None)
    return out


@cache
def _unit_index() -> dict[str, str]:
    # the template's kinds (Carbon Tax, National Emissions Trading System ...) name units too
    kinds = {}
    for key, k in table()["kinds"].items():
        if k.get("unit"):
            for name in (key, k["template"], k["zh"]):
                kinds[normalise(name)] = str(k["unit"])
    index = _index(table()["units"])
    for name, code in kinds.items():
        index.setdefault(name, code)
    return index


@cache
def _mechanism_index() -> dict[str, str]:
    return _index(table()["mechanisms"])


@cache
def _use_index() -> dict[str, str]:
    return _index(table()["uses"])


def resolve_unit(text: Any) -> str | None:
    """The unit code a text names (code, English or Chinese name, alias or the template's kind;
    case- and space-insensitive); None when it names none (or is blank)."""
    return _unit_index().get(normalise(text))


def resolve_mechanism(text: Any) -> str | None:
    """The mechanism code a text names (code, names, aliases incl. its allowance's name: CEA, KAU,
    UKA, EUA ...); None when it names none (or is blank)."""
    return _mechanism_index().get(normalise(text))


def resolve_use(text: Any) -> str | None:
    """``compliance`` or ``voluntary`` (合规 / 自愿 and aliases); None when it names neither."""
    return _use_index().get(normalise(text))


def known_units() -> list[str]:
    """The unit codes of the table, in its order."""
    return list(table()["units"])


def known_mechanisms() -> list[str]:
    """The mechanism codes of the table, in its order."""
    return list(table()["mechanisms"])


def known_uses() -> list[str]:
    """``["compliance", "voluntary"]``."""
    return list(table()["uses"])


def kind_unit(kind: str) -> str:
    """The unit a kind of the template is read as (``national_ets``: ``ets_allowance``)."""
    return str(table()["kinds"][kind]["unit"])


def template_kinds() -> dict[str, str]:
    """The communication template's instrument types (CONST_CarbonPriceType), its string -> key."""
    return {str(k["template"]): key for key, k in table()["kinds"].items()}


# ---------------------------------------------------------------------------- treatment
# What happened to an instrument row's price, as a small integer code into REASONS (the message of
# each is M_INSTRUMENT_<REASON upper-cased> in core/messages.py).
REASONS = (
    "recognised",  # counts in full
    "voluntary",  # retired voluntarily, or a voluntary standard's credit with no mechanism: nothing
    "not_accepted",  # the mechanism does not take this unit for compliance
    "above_offset_limit",  # partly: credits above the mechanism's own offset limit count at zero
    "above_paris_cap",  # partly: Paris Art 6 units above 10 % of the covered emissions at zero
    "eu_ets",  # the EU ETS is no third country's carbon price (out of scope)
    "annex_iii",  # a mechanism of an Annex III country: CBAM does not apply (out of scope)
    "other_country",  # a mechanism of another country than the line's origin
    "no_mechanism",  # a credit for compliance whose mechanism is not named and cannot be inferred
    "no_instrument",  # the template's "None": no carbon price
)
(
    RECOGNISED,
    VOLUNTARY_USE,
    NOT_ACCEPTED,
    ABOVE_OFFSET_LIMIT,
    ABOVE_PARIS_CAP,
    EU_ETS,
    ANNEX_III,
    OTHER_COUNTRY,
    NO_MECHANISM,
    NO_INSTRUMENT,
) = range(len(REASONS))
OUT_OF_SCOPE = (EU_ETS, ANNEX_III)
COUNTING = (RECOGNISED, ABOVE_OFFSET_LIMIT, ABOVE_PARIS_CAP)  # reasons under which a price counts (in part)

UNNAMED = -1  # an instrument row's unit or mechanism not given (the binding price of today's columns)
GENERIC_UNITS = ("hybrid", "other_price")  # describe a binding price of any mechanism


def paris_cap_share() -> float:
    """Largest share of a mechanism's covered emissions that Paris Art 6.2 / 6.4 units may cover
    (``art9_draft.yaml`` ``paris_article6_credit_cap_share``; draft, not law)."""
    from cbam_calc.law.parameters import parameter

    return float(parameter("art9_draft").extra["paris_article6_credit_cap_share"])


def reason_message(reason: int, **params: Any):
    """The message of a reason code (``M_INSTRUMENT_<REASON>``), with its parameters."""
    from cbam_calc.core.messages import Message

    if reason == ABOVE_PARIS_CAP:
        params.setdefault("cap", f"{paris_cap_share():.0%}".replace("%", " %"))
    return Message(f"M_INSTRUMENT_{REASONS[reason].upper()}", **params)


def _categorical(values: Any) -> pd.Categorical:
    """``values`` as a Categorical: as they are when coded already (no string per row)."""
    if isinstance(values, pd.Categorical):
        return values
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        return pd.Categorical(values)
    return pd.Categorical(np.asarray(values, dtype=object))


def _codes(values: Any, known: list[str]) -> np.ndarray:
    """int16 codes into ``known`` of an array of codes (strings; '' / None / unknown: -1), worked
    once per distinct value."""
    cat = _categorical(values)
    where = {c: i for i, c in enumerate(known)}
    lut = np.array([where.get(str(c), UNNAMED) for c in cat.categories] + [UNNAMED], dtype=np.int16)
    codes = np.asarray(cat.codes, dtype=np.int64)
    return lut[np.where(codes < 0, len(lut) - 1, codes)]


def unit_codes(values: Any) -> np.ndarray:
    """Codes into :func:`known_units` of unit codes (``"ccer"`` ...); -1 where blank."""
    return _codes(values, known_units())


def mechanism_codes(values: Any) -> np.ndarray:
    """Codes into :func:`known_mechanisms` of mechanism codes (``"cnets"`` ...); -1 where blank."""
    return _codes(values, known_mechanisms())


@cache
def _tables() -> dict[str, np.ndarray]:
    """The reference table as arrays by unit and mechanism code (the treatment's lookups)."""
    us, ms = units(), mechanisms()
    ucodes, mcodes = known_units(), known_mechanisms()
    accepts = np.zeros((len(mcodes), len(ucodes)), dtype=bool)
    for i, m in enumerate(ms.values()):
        for u in (*m.units, *GENERIC_UNITS):
            accepts[i, ucodes.index(u)] = True
    # the mechanism a credit names when none is given: the one in-scope mechanism of the origin
    # that takes it (CCER in China: CNETS), by (unit, country)
    countries = sorted({m.country for m in ms.values()})
    inferred = np.full((len(ucodes), len(countries)), UNNAMED, dtype=np.int16)
    for j, c in enumerate(countries):
        for k, u in enumerate(ucodes):
            takers = [
                i for i, m in enumerate(ms.values()) if m.country == c and m.scope == "in" and u in m.units
            ]
            if len(takers) == 1:
                inferred[k, j] = takers[0]
    return {
        "credit": np.array([us[u].credit for u in ucodes]),
        "paris": np.array([us[u].paris_article6 for u in ucodes]),
        "voluntary_standard": np.array([us[u].voluntary_standard for u in ucodes]),
        "none": np.array([u == "none" for u in ucodes]),
        "accepts": accepts,
        "limit": np.array(
            [np.nan if m.offset_limit_share is None else m.offset_limit_share for m in ms.values()]
        ),
        "obligation_basis": np.array([m.offset_limit_basis == "compliance_obligation" for m in ms.values()]),
        "eu_ets": np.array([m.scope == "eu_ets" for m in ms.values()]),
        "annex_iii": np.array([m.scope == "annex_iii" for m in ms.values()]),
        "country": np.array([m.country for m in ms.values()], dtype=object),
        "countries": np.array(countries, dtype=object),
        "inferred": inferred,
    }


@dataclass
class Treatment:
    """What the draft Art 9 does with each instrument row (arrays aligned with the rows)."""

    net_eur_per_t: np.ndarray  # the row's price net of free allocation and rebate, EUR per t of good
    recognised_eur_per_t: np.ndarray  # the part that counts towards P_paid,eff
    unrecognised_eur_per_t: np.ndarray  # the part that does not (net - recognised)
    recognised_share: np.ndarray  # share of the line's embedded emissions recognised (after caps)
    kept: np.ndarray  # fraction of the row's net price kept after the caps (0 when not recognised)
    reason: np.ndarray  # int8 code into REASONS
    mechanism: np.ndarray  # int16 code into known_mechanisms(), as given or inferred (-1: none)


def _one_row_per_line(line: np.ndarray) -> bool:
    """Rows in line order, one per line (the per-line columns): no grouping needed."""
    return bool(np.all(line[1:] > line[:-1]))


def _group_sum(group: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    return np.bincount(group, weights=values, minlength=n_groups)


def treat(
    line: np.ndarray,
    unit: np.ndarray,
    mechanism: np.ndarray,
    voluntary: np.ndarray,
    origin_iso2: Any,
    share_covered: np.ndarray,
    price: np.ndarray,
    per_tco2e: np.ndarray,
    see_tco2e_per_t: np.ndarray,
    free_allocation_share: np.ndarray,
    rebate: np.ndarray,
    units_per_eur: np.ndarray,
    *,
    tables: dict[str, np.ndarray] | None = None,
) -> Treatment:
    r"""The draft Art 9 treatment of instrument rows: what each row's price paid adds to its line's
    P_paid,eff, what it does not, and why.

    Parameters
    ----------
    line : int array
        Line (position) each row belongs to; the caps apply per line and mechanism across rows.
    unit : int array
        Code into :func:`known_units` (:func:`unit_codes`); -1 not named: a binding price of the
        country of origin, as the single price columns always were.
    mechanism : int array
        Code into :func:`known_mechanisms` (:func:`mechanism_codes`); -1 not named (a credit's is
        then inferred: the one in-scope mechanism of the origin that takes it).
    voluntary : bool array
        Use ``voluntary`` (retired for a pledge); False: ``compliance`` (or not given).
    origin_iso2 : array-like of str
        Country of origin of each row's line (ISO 3166-1 alpha-2).
    share_covered : numeric array
        Share of the line's embedded emissions the row covers [ratio]; NaN as 1.
    price, rebate : numeric array
        Price paid and rebate [currency per t of good, or per tCO2e where ``per_tco2e``]; NaN as 0.
        Per tCO2e they are applied to the row's share of the embedded emissions.
    per_tco2e : bool array
        ``price`` and ``rebate`` are per tCO2e.
    see_tco2e_per_t : numeric array
        SEE_g of each row's line [tCO2e/t].
    free_allocation_share : numeric array
        Share of the row's emissions covered by free allocation [ratio]; NaN as 0.
    units_per_eur : numeric array
        Yearly average exchange rate of the row's currency [units per EUR].
    tables : dict, optional
        The lookups of the reference table (default: the table's own); a scenario's hypothesis
        passes :func:`assumed_mechanism_tables` (a mechanism assumed to accept a unit).

    Returns
    -------
    Treatment
        Per row: net, recognised and unrecognised EUR per t of good, recognised share, the caps'
        kept fraction, the reason code (:data:`REASONS`) and the mechanism used.

    Notes
    -----
    .. math::

        \mathrm{net}_r = \max(0, P_r s_r^{*} (1 - f_r) - \mathrm{rebate}_r s_r^{*}) / \mathrm{rate}_r
        \quad s_r^{*} = s_r \times SEE_g \text{ per tCO2e, else } 1

        k_r^{6} = \min(1, 0.10 / \sum_{\text{Art 6 rows of } (g, m)} s)          \quad \text{Paris Art 6}

        k_r^{m} = \min(1, L_m B_{g,m} / \sum_{\text{credit rows of } (g, m)} s k^{6})
        \quad B = 1 \text{ (verified emissions) or } \sum_{\text{rows of } (g, m)} s \text{ (obligation)}

        \mathrm{recognised}_r = \mathrm{net}_r \, k_r^{6} k_r^{m} \text{ where the row counts, else } 0

    One ETS or tax row with share 1 gives exactly :func:`cbam_calc.law.art9.effective_price_paid_eur_per_t`.

    References
    ----------
    Draft Art 9 implementing regulation (``art9_draft.yaml``, not law); ``carbon_pricing.yaml``
    (each mechanism's units and offset limit, with its source).
    """
    from cbam_calc.law.art9 import effective_price_paid_eur_per_t

    t = _tables() if tables is None else tables
    line = np.asarray(line, dtype=np.int64)
    unit = np.asarray(unit, dtype=np.int64)
    mech = np.asarray(mechanism, dtype=np.int64).copy()
    voluntary = np.asarray(voluntary, dtype=bool)
    rows = len(line)
    share = np.nan_to_num(np.asarray(share_covered, dtype=float), nan=1.0)
    per_tco2e = np.asarray(per_tco2e, dtype=bool)

    # the row's net price, as today's single price with its share of the emissions
    scale = np.where(per_tco2e, share, 1.0)
    net = effective_price_paid_eur_per_t(
        np.nan_to_num(np.asarray(price, dtype=float)) * scale,
        per_tco2e,
        see_tco2e_per_t,
        free_allocation_share,
        np.nan_to_num(np.asarray(rebate, dtype=float)) * scale,
        units_per_eur,
    )

    named_unit = unit >= 0
    uidx = np.where(named_unit, unit, 0)
    credit = named_unit & t["credit"][uidx]
    paris = named_unit & t["paris"][uidx]
    vstd = named_unit & t["voluntary_standard"][uidx]

    # the origin's country as a code into the table's countries (-1 elsewhere), once per distinct
    origin = _categorical(origin_iso2)
    where = {c: i for i, c in enumerate(t["countries"])}
    olut = np.array([where.get(str(c), -1) for c in origin.categories] + [-1], dtype=np.int64)
    ocodes = np.asarray(origin.codes, dtype=np.int64)
    ocode = olut[np.where(ocodes < 0, len(olut) - 1, ocodes)]
    infer = credit & (mech < 0) & (ocode >= 0)
    mech[infer] = t["inferred"][uidx[infer], ocode[infer]]
    named_mech = mech >= 0
    midx = np.where(named_mech, mech, 0)
    country_code = np.searchsorted(t["countries"], t["country"])  # each mechanism's, into countries
    other_country = named_mech & (country_code[midx] != ocode)
    accepted = ~named_mech | ~named_unit | t["accepts"][midx, uidx]

    reason = np.full(rows, RECOGNISED, dtype=np.int8)
    # the first that applies wins (in this order)
    checks = (
        (named_unit & t["none"][uidx], NO_INSTRUMENT),
        (named_mech & t["eu_ets"][midx], EU_ETS),
        (named_mech & t["annex_iii"][midx], ANNEX_III),
        (other_country, OTHER_COUNTRY),
        (voluntary, VOLUNTARY_USE),
        (credit & ~named_mech & vstd, VOLUNTARY_USE),
        (credit & ~named_mech, NO_MECHANISM),
        (~accepted, NOT_ACCEPTED),
    )
    for mask, code in checks[::-1]:  # the last assignment wins: apply in reverse
        reason[mask] = code
    counts = reason == RECOGNISED

    # caps, per (line, mechanism) across the rows that count
    kept = np.where(counts, 1.0, 0.0)
    capped = counts & credit & named_mech
    if capped.any():
        if _one_row_per_line(line):  # each row its own group: no sort
            group, g = np.arange(rows), rows
        else:
            key = line * (len(t["limit"]) + 1) + (mech + 1)
            groups, group = np.unique(key, return_inverse=True)
            group, g = group.reshape(-1), len(groups)
        art6 = capped & paris
        s6 = _group_sum(group, np.where(art6, share, 0.0), g)
        k6 = np.ones(rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            k6 = np.where(art6, np.minimum(1.0, paris_cap_share() / s6[group]), 1.0)
        limit = t["limit"][midx]
        basis = np.where(
            t["obligation_basis"][midx], _group_sum(group, np.where(counts, share, 0.0), g)[group], 1.0
        )
        sc = _group_sum(group, np.where(capped, share * k6, 0.0), g)[group]
        with np.errstate(divide="ignore", invalid="ignore"):
            km = np.where(capped & ~np.isnan(limit), np.minimum(1.0, limit * basis / sc), 1.0)
        km = np.nan_to_num(km, nan=1.0)
        k6 = np.nan_to_num(k6, nan=1.0)
        kept = np.where(capped, k6 * km, kept)
        reason[capped & (k6 < 1.0)] = ABOVE_PARIS_CAP
        reason[capped & (k6 >= 1.0) & (km < 1.0)] = ABOVE_OFFSET_LIMIT

    recognised = net * kept
    return Treatment(
        net_eur_per_t=net,
        recognised_eur_per_t=recognised,
        unrecognised_eur_per_t=net - recognised,
        recognised_share=share * kept,
        kept=kept,
        reason=reason,
        mechanism=mech.astype(np.int16),
    )


def per_line(treatment: Treatment, line: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A line's sums over its instrument rows: P_paid,eff (recognised EUR per t of good), the
    unrecognised EUR per t, and the reason of its row with the largest unrecognised amount
    (``recognised`` where every row counts in full; -1 for a line without rows)."""
    line = np.asarray(line, dtype=np.int64)
    recognised = np.bincount(line, weights=treatment.recognised_eur_per_t, minlength=n)
    unrecognised = np.bincount(line, weights=treatment.unrecognised_eur_per_t, minlength=n)
    reason = np.full(n, -1, dtype=np.int8)
    if _one_row_per_line(line):  # the per-line columns: each line's one row
        reason[line] = treatment.reason
    elif len(line):
        # rows that reduce something less than asked first, the largest unrecognised amount first
        short = treatment.reason != RECOGNISED
        order = np.lexsort((-treatment.unrecognised_eur_per_t, ~short, line))
        first = np.ones(len(order), dtype=bool)
        first[1:] = line[order][1:] != line[order][:-1]
        reason[line[order][first]] = treatment.reason[order][first]
    return recognised, unrecognised, reason


# ---------------------------------------------------------------------------- hypotheses (scenarios)
def assumed_mechanism_tables(mechanism: str, unit: str) -> tuple[dict[str, np.ndarray], int]:
    """The treatment's lookups with one HYPOTHETICAL mechanism added: ``mechanism`` as it is, but
    also taking ``unit`` for compliance, with no offset limit of its own (a Paris Art 6 unit stays
    under the draft's 10 % cap, :func:`paris_cap_share`). What a scenario asks with "if CNETS
    accepted ITMOs": an assumption, not law; never used for a calculation of what is owed.

    Returns the tables for :func:`treat` (``tables=``) and the code of the hypothetical mechanism
    (one past :func:`known_mechanisms`), to give its rows as their mechanism."""
    t = _tables()
    m = known_mechanisms().index(mechanism)
    u = known_units().index(unit)
    out = dict(t)
    accepts = t["accepts"][m].copy()
    accepts[u] = True
    out["accepts"] = np.vstack([t["accepts"], accepts[None, :]])
    out["limit"] = np.append(t["limit"], np.nan)
    for key in ("obligation_basis", "eu_ets", "annex_iii", "country"):
        out[key] = np.append(t[key], t[key][m])
    return out, len(known_mechanisms())
