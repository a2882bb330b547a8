"""Default values of embedded emissions: Implementing Regulation (EU) 2025/2621 Annexes I and IV as
amended by Implementing Regulation (EU) 2026/1740 (applying from 1 January 2026).
Long because: the resolution of Annex I below and its bulk array form must give the same answer
for every key (tests/law/test_defaults.py checks it); kept in one module, one is read against the other.

Resolution, per (code, country, route, year), following the introduction of Annex I:

1. The code looked up is the declared 8-digit CN code; for the goods the Annex keys on a 10-digit
   TARIC code (clinker, hydraulic cements, calcined clay) it is that TARIC code, given as such or
   named by the 8-digit code and the clinker grade (route A grey, B white): :func:`good_code`.
2. In the country's own table, the row whose CN heading is the longest prefix of the code (the
   Annex lists 4-, 6- and 8-digit headings); a TARIC code matches its own row only.
3. Where the country has no table or no value for the code (a dash: the row is absent), the table
   "Other Countries and Territories" applies, matched the same way. Grey and white clinker (and
   cements) are distinct TARIC goods: a grey-clinker value is no value for white clinker, so a
   country that lists one grade only takes the Other table's value for the other.
4. Where the country of production is declared unknown (``XX``), Annex IV's highest value
   applies (IR 2025/2621 Art 1(5)).

The tables hold the published BASE values. IR 2026/1740 deleted the marked-up columns: the mark-up
of the year of import (``default_markup.yaml``) is applied here, once, to the published TOTAL for
goods outside Annex II of Reg 2023/956 and to the published DIRECT value for Annex II goods (never
to direct + indirect: they are rounded separately and can differ from the total), and rounded as
``default_markup.yaml`` says (half up to 3 decimals). Annex IV gives one value per code. The
lookup runs once per distinct key, never per line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cbam_calc.core.messages import Message
from cbam_calc.law.parameters import parameter
from cbam_calc.law.reference import ReferenceData

OTHER = "OTHER"
UNKNOWN_ORIGIN = "XX"
NO_DEFAULT = Message("R_NO_DEFAULT")

# What each output column of resolve_default_values holds.
RESULT_COLUMNS = [
    "default_table",  # country | other | annex_iv
    "default_table_name",
    "default_cn_prefix",
    "default_route",  # the production route indicator printed with the value ("C/F": (C)/(F))
    "default_direct_base_tco2e_per_t",
    "default_indirect_base_tco2e_per_t",
    "default_total_base_tco2e_per_t",
    "default_markup_rate",
    "see_default_direct_tco2e_per_t",
    "see_default_indirect_tco2e_per_t",
    "see_default_tco2e_per_t",
    "default_reject_column",
    "default_reject_reason",
]


def markup_key(sector: str) -> str:
    """Which series of ``default_markup.yaml`` applies to a sector.

    Parameters
    ----------
    sector : str
        CBAM sector.

    Returns
    -------
    str
        'fertilisers' for fertilisers (1 %), 'general' for every other good.

    References
    ----------
    Implementing Regulation (EU) 2025/2621 Art 2; ``citation("default_markup")``.
    """
    return (
        "fertilisers"
        if sector == "fertilisers" and "fertilisers" in parameter("default_markup").values
        else "general"
    )


def markup_rate(sector: str, year: int) -> float:
    """Mark-up included in the default values for a sector and year of import.

    Parameters
    ----------
    sector : str
        CBAM sector.
    year : int
        Year of import.

    Returns
    -------
    float
        Mark-up [ratio]: 0.10 (2026), 0.20 (2027), 0.30 (from 2028); fertilisers 0.01
        (``default_markup.yaml``).

    References
    ----------
    Implementing Regulation (EU) 2025/2621 Art 2 and Annex I; ``citation("default_markup")``.
    """
    return float(parameter("default_markup").at(year, markup_key(sector)))


def _rounding() -> int:
    """Decimals of the marked-up default value (default_markup.yaml: half up)."""
    r = parameter("default_markup").extra["rounding"]
    if r["mode"] != "half_up":
        raise ValueError(f"default_markup.yaml: rounding mode {r['mode']!r} is not implemented")
    return int(r["decimals"])


def round3(x: float) -> float:
    """Round half up to the decimals of default_markup.yaml (3), as the published values are.

    Parameters
    ----------
    x : float
        A default value [tCO2e/t].

    Returns
    -------
    float
        ``x`` rounded half up to the stated decimals [tCO2e/t].

    References
    ----------
    Implementing Regulation (EU) 2025/2621 Annex I as amended by IR 2026/1740 (values published
    to 3 decimals; the rounding of the marked-up value is cbam-calc's, stated in the sidecar).
    """
    scale = 10 ** _rounding()
    return math.floor(x * scale + 0.5 + 1e-9) / scale


def _round3(x: np.ndarray) -> np.ndarray:
    """:func:`round3` over an array (the same float operations)."""
    scale = 10 ** _rounding()
    return np.floor(x * scale + 0.5 + 1e-9) / scale


def fmt_code(code: str) -> str:
    """A CN or TARIC code as the Annexes print it: 2523 10 00, 2523 10 00 90."""
    return " ".join([code[:4], *(code[i : i + 2] for i in range(4, len(code), 2))])


# ---------------------------------------------------------------------------- TARIC-keyed goods
@dataclass(frozen=True)
class TaricGood:
    """A good the default-value tables key on a 10-digit TARIC code."""

    taric_code: str
    route: str  # the production route indicator printed with it (A grey, B white; '' none)
    description: str


@dataclass(frozen=True)
class GoodCode:
    """What a declared code (8 or 10 digits) and route name, for the default-value lookup."""

    cn_code: str  # 8-digit CN code: goods, Annex II, benchmarks
    default_code: str  # the code of the default value: its TARIC code for a TARIC-keyed good
    route: str  # the route given, or the clinker grade that the TARIC code names
    reject_column: str = ""  # "cn_code" or "route" where the code cannot be computed
    reason: str = ""
    note: str = ""  # a 10-digit code computed on its first 8 digits


def taric_goods(ref: ReferenceData) -> dict[str, list[TaricGood]]:
    """8-digit CN code -> the TARIC-keyed goods under it, from the 10-digit rows of the tables (the
    Other Countries and Territories table lists them all)."""

    def build() -> dict[str, list[TaricGood]]:
        dv = ref.default_values
        rows = dv[dv["cn_prefix"].str.len().eq(10)]
        out: dict[str, list[TaricGood]] = {}
        for code, group in rows.groupby("cn_prefix", sort=True):
            other = group[group["country_iso2"].eq(OTHER)]
            first = (other if len(other) else group).iloc[0]
            out.setdefault(code[:8], []).append(TaricGood(code, first["route"], first["description"]))
        return out

    return ref.derived("taric_goods", build)


def _choices(goods: list[TaricGood]) -> list[Message]:
    """The TARIC codes to choose from, each with its description (the EU's, in English)."""
    return [Message("M_TARIC_CHOICE", code=fmt_code(g.taric_code), description=g.description) for g in goods]


def _grades(goods: list[TaricGood]) -> list[Message]:
    return [Message("M_ROUTE_CHOICE", route=g.route) for g in goods if g.route]


def good_code(ref: ReferenceData, code: str, route: str) -> GoodCode:
    """The good a declared code names (IR 2026/1740 keys clinker and hydraulic cements on TARIC).

    - A TARIC-keyed code (2523 10 00 10 white clinker, ...) is that good; it names its clinker grade,
      and a route given that contradicts it is rejected.
    - Its 8-digit code (2523 10 00) names the same good with the grade as route (A grey, B white);
      without it the line is rejected with the TARIC codes to choose from. An 8-digit code with one
      TARIC-keyed good under it (2507 00 80: calcined clay) is that good.
    - Any other 10-digit code (a TARIC subdivision, a national tariff line) is computed on its first
      8 digits, and says so.
    """
    cn8 = code[:8]
    goods = taric_goods(ref).get(cn8, [])
    note = ""
    if len(code) == 10:
        hit = next((g for g in goods if g.taric_code == code), None)
        if hit is not None:
            if route and hit.route and route != hit.route:
                other = [g for g in goods if g.route == route]
                instead = Message("M_TARIC_INSTEAD", choices=_choices(other)) if other else ""
                return GoodCode(
                    cn8,
                    code,
                    route,
                    "route",
                    Message(
                        "R_TARIC_ROUTE_CONTRADICTS",
                        code=fmt_code(code),
                        description=hit.description,
                        route=hit.route,
                        given=route,
                        instead=instead,
                    ),
                )
            return GoodCode(cn8, code, hit.route or route)
        note = Message("M_TARIC_FIRST_8_DIGITS", code=fmt_code(code), cn=fmt_code(cn8))
    if not goods:
        return GoodCode(cn8, cn8, route, note=note)
    if len(goods) == 1:
        return GoodCode(cn8, goods[0].taric_code, goods[0].route or route, note=note)
    match = [g for g in goods if g.route and g.route == route]
    if match:
        return GoodCode(cn8, match[0].taric_code, route, note=note)
    given = Message("M_ROUTE_NAMES_NONE", route=route) if route else ""
    return GoodCode(
        cn8,
        cn8,
        route,
        "cn_code",
        Message(
            "R_CN_COVERS_GOODS",
            cn=fmt_code(cn8),
            n=len(goods),
            given=given,
            choices=_choices(goods),
            grades=_grades(goods),
        ),
        note,
    )


def default_codes(
    ref: ReferenceData, cn8: pd.Series, route: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each (8-digit CN code, route) of DISTINCT keys: the code of the default-value lookup,
    and the column and reason where the route names none of the TARIC-keyed goods under the code
    ('' elsewhere)."""
    codes = cn8.astype(str).to_numpy(dtype=object).copy()
    columns = np.full(len(codes), "", dtype=object)
    reasons = np.full(len(codes), "", dtype=object)
    keyed = np.isin(codes, list(taric_goods(ref)))
    for i in np.flatnonzero(keyed):
        g = good_code(ref, codes[i], str(route.iat[i]))
        codes[i], columns[i], reasons[i] = g.default_code, g.reject_column, g.reason
    return codes, columns, reasons


# ---------------------------------------------------------------------------- lookups
def _annex_iv(ref: ReferenceData) -> pd.DataFrame:
    """Annex IV's highest values in the shape of Annex I rows (no direct/indirect split)."""
    annex_iv = ref.annex_iv_defaults.rename(columns={"highest_tco2e_per_t": "total_tco2e_per_t"})
    return annex_iv.assign(
        direct_tco2e_per_t=np.nan,
        indirect_tco2e_per_t=np.nan,
        indirect_not_applicable=False,
        country_table="Annex IV",
    )


TEXT_RESULTS = (
    "default_table",
    "default_table_name",
    "default_cn_prefix",
    "default_route",
    "default_reject_column",
    "default_reject_reason",
)
ROW_COLUMNS = [
    "country_table",
    "cn_prefix",
    "route",
    "direct_tco2e_per_t",
    "indirect_tco2e_per_t",
    "total_tco2e_per_t",
    "indirect_not_applicable",
]


def _prefix_lengths(code: str) -> tuple[int, ...]:
    """Heading lengths to try, longest first: a TARIC code matches its own row only."""
    return (10,) if len(code) == 10 else (8, 6, 4)


class _Groups:
    """The rows of a default-value table keyed by "country|CN prefix" (one row each: a table
    lists a code once), for lookups of many keys at once."""

    def __init__(self, df: pd.DataFrame, country_col: str | None) -> None:
        df = df.reset_index(drop=True)
        country = df[country_col].astype(str) if country_col else UNKNOWN_ORIGIN
        key = country + "|" + df["cn_prefix"].astype(str)
        if key.duplicated().any():
            raise ValueError(f"default-value table lists a code twice: {key[key.duplicated()].iloc[0]}")
        self.index = pd.Index(key)
        self.df = df
        self._row_of = dict(zip(key, range(len(key))))
        self._records: list[dict] | None = None

    def longest_prefix_one(self, country: str, code: str) -> dict | None:
        """:meth:`longest_prefix` of one key, as the row found."""
        for n in _prefix_lengths(code):
            row = self._row_of.get(f"{country}|{code[:n]}")
            if row is not None:
                if self._records is None:
                    self._records = self.df.to_dict("records")
                return self._records[row]
        return None

    def longest_prefix(self, country: np.ndarray, code: pd.Series) -> np.ndarray:
        """Row of the longest prefix (a TARIC code: itself; else 8, 6, 4 digits) listed for each
        key's country; -1: none."""
        found = np.full(len(code), -1, dtype=np.int64)
        taric = code.str.len().to_numpy() == 10
        for n in (10, 8, 6, 4):
            todo = (found < 0) & (taric if n == 10 else ~taric)
            if not todo.any():
                continue
            prefix = code[todo].str[:n].to_numpy(dtype=object)
            found[todo] = self.index.get_indexer(country[todo] + "|" + prefix)
        return found


def _groups(ref: ReferenceData) -> tuple[_Groups, _Groups, pd.DataFrame]:
    """Annex I and Annex IV keyed, and the rows of both as one table (Annex IV rows after)."""

    def build() -> tuple[_Groups, _Groups, pd.DataFrame]:
        annex_iv = _annex_iv(ref)
        return (
            _Groups(ref.default_values, "country_iso2"),
            _Groups(annex_iv, None),
            pd.concat([ref.default_values[ROW_COLUMNS], annex_iv[ROW_COLUMNS]], ignore_index=True),
        )

    return ref.derived("default_groups", build)


def warm_up(ref: ReferenceData) -> None:
    """Fill the caches of the lookups (the TARIC-keyed goods, the keyed tables) ahead of a run."""
    taric_goods(ref)
    _groups(ref)


def _counted(
    total: np.ndarray,
    direct: np.ndarray,
    indirect: np.ndarray,
    indirect_na: np.ndarray,
    annex_iv: np.ndarray,
    direct_only: np.ndarray,
    rate: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(SEE direct, SEE indirect, SEE counted) with the mark-up, from the base values.

    Counted: the total marked up, or for an Annex II good the direct value marked up; Annex IV's
    one value marked up. The direct and indirect parts are shown marked up each on its own."""
    with np.errstate(invalid="ignore"):
        has_indirect = ~indirect_na & ~(np.isnan(indirect) | (indirect == 0))
        marked_total = _round3(total * (1 + rate))
        marked_direct = _round3(direct * (1 + rate))
        see_indirect = np.where(
            has_indirect, _round3(indirect * (1 + rate)), np.where(indirect == 0, 0.0, np.nan)
        )
    counted = np.where(direct_only & ~annex_iv, marked_direct, marked_total)
    see_direct = np.where(direct_only | ~has_indirect | annex_iv, counted, marked_direct)
    see_indirect = np.where(annex_iv, np.nan, see_indirect)
    return see_direct, see_indirect, counted


def resolve_one(
    ref: ReferenceData,
    cn8: str,
    country: str,
    route: str,
    year: int,
    sector: str,
    direct_only: bool,
) -> dict:
    r"""The default value of one (CN code, country, route, year), or why there is none.

    Parameters
    ----------
    ref : ReferenceData
        Reference tables (``default_values.csv``, ``annex_iv_defaults.csv``).
    cn8 : str
        8-digit CN code.
    country : str
        Country of origin (ISO 3166-1 alpha-2; ``XX`` when unknown).
    route : str
        Route given by the user ('' if none): A grey or B white clinker.
    year : int
        Year of import (the mark-up column).
    sector : str
        CBAM sector (the mark-up rate).
    direct_only : bool
        Annex II good: only the direct part counts.

    Returns
    -------
    dict
        :data:`RESULT_COLUMNS`: the table used, the base values and mark-up, and
        ``see_default_tco2e_per_t`` SEE_g [tCO2e/t]; a reject column and reason where the law
        gives no value.

    Notes
    -----
    .. math:: SEE_{default} = \mathrm{round3}(SEE_{base} \times (1 + \mathrm{markup}(y)))

    where the published "including mark-up" column is used as given (see the module docstring
    for the order of the tables).

    References
    ----------
    Implementing Regulation (EU) 2025/2621 Annex I, Art 1(5) and Annex IV;
    ``citation("default_values")``.
    """
    annex_i, annex_iv, _ = _groups(ref)
    out = dict.fromkeys(RESULT_COLUMNS, np.nan)
    out.update(
        default_reject_column="",
        default_reject_reason="",
        default_route="",
        default_table="",
        default_table_name="",
        default_cn_prefix="",
    )
    good = good_code(ref, cn8, route)
    if good.reason:
        out.update(default_reject_column=good.reject_column, default_reject_reason=good.reason)
        return out
    code = good.default_code
    if country == UNKNOWN_ORIGIN:
        row, table = annex_iv.longest_prefix_one(UNKNOWN_ORIGIN, code), "annex_iv"
    else:
        row, table = annex_i.longest_prefix_one(country, code), "country"
        if row is None:  # Annex I: no table, or no value for the code -> Other Countries and Territories
            row, table = annex_i.longest_prefix_one(OTHER, code), "other"
    if row is None:
        out.update(default_reject_column="see_direct", default_reject_reason=NO_DEFAULT)
        return out

    rate = markup_rate(sector, year)
    direct, indirect, total = row["direct_tco2e_per_t"], row["indirect_tco2e_per_t"], row["total_tco2e_per_t"]
    # as _counted, one key: the total marked up, the direct value for an Annex II good
    annex_iv = table == "annex_iv"
    has_indirect = not row["indirect_not_applicable"] and not (math.isnan(indirect) or indirect == 0)
    marked_direct = round3(direct * (1 + rate)) if not math.isnan(direct) else np.nan
    counted = marked_direct if direct_only and not annex_iv else round3(total * (1 + rate))
    see_direct = counted if direct_only or not has_indirect or annex_iv else marked_direct
    if annex_iv:
        see_indirect = np.nan
    elif has_indirect:
        see_indirect = round3(indirect * (1 + rate))
    else:
        see_indirect = 0.0 if indirect == 0 else np.nan
    out.update(
        default_table=table,
        default_table_name=row["country_table"],
        default_cn_prefix=row["cn_prefix"],
        default_route=row["route"] or "",
        default_direct_base_tco2e_per_t=row["direct_tco2e_per_t"],
        default_indirect_base_tco2e_per_t=row["indirect_tco2e_per_t"],
        default_total_base_tco2e_per_t=row["total_tco2e_per_t"],
        default_markup_rate=rate,
        see_default_direct_tco2e_per_t=see_direct,
        see_default_indirect_tco2e_per_t=see_indirect,
        see_default_tco2e_per_t=counted,
    )
    return out


def resolve_default_values(keys: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    """Default values for a table of DISTINCT keys, in bulk.

    Parameters
    ----------
    keys : pandas.DataFrame
        Columns ``cn_code``, ``country_iso2``, ``route``, ``year``, ``sector``, ``direct_only``.
    ref : ReferenceData
        Reference tables.

    Returns
    -------
    pandas.DataFrame
        One row per key (same index) with :data:`RESULT_COLUMNS`, equal to :func:`resolve_one`
        of each key (tests/law/test_defaults.py checks every CN code and table of the Annexes).

    Notes
    -----
    A key whose heading lists one row is resolved by array lookups; a heading with several rows
    (grey and white clinker: the route decides) goes through :func:`resolve_one` and its
    messages.

    References
    ----------
    Implementing Regulation (EU) 2025/2621 Annex I and Annex IV; ``citation("default_values")``.
    """
    n = len(keys)
    annex_i, annex_iv, rows = _groups(ref)
    code, code_column, code_reason = default_codes(ref, keys["cn_code"].reset_index(drop=True), keys["route"])
    code = pd.Series(code, dtype=object).astype(str)
    country = keys["country_iso2"].astype(str).to_numpy(dtype=object)
    unknown = country == UNKNOWN_ORIGIN
    iv_offset = len(annex_i.df)

    # 1. the country's own table (Annex IV's highest values for an unknown origin); each table
    # is searched for the keys it answers only (a key's search does not depend on the others)
    own = np.full(n, -1, dtype=np.int64)
    if unknown.any():
        r = annex_iv.longest_prefix(country[unknown], code[unknown])
        own[unknown] = np.where(r >= 0, r + iv_offset, -1)
    if not unknown.all():
        own[~unknown] = annex_i.longest_prefix(country[~unknown], code[~unknown])
    # 2. no value: Other Countries and Territories (IR 2621 Annex I), not for an unknown origin
    to_other = ~unknown & (own < 0)
    chosen = own.copy()
    if to_other.any():
        chosen[to_other] = annex_i.longest_prefix(
            np.full(int(to_other.sum()), OTHER, dtype=object), code[to_other]
        )
    found = (chosen >= 0) & (code_reason == "")
    table = np.where(unknown, "annex_iv", np.where(to_other, "other", "country")).astype(object)

    # 3. the value for the year: the base value that counts, marked up and rounded
    pick = np.where(found, chosen, 0)
    row = {c: rows[c].to_numpy()[pick] for c in ROW_COLUMNS}
    year = keys["year"].to_numpy(dtype=np.int64)
    sector = keys["sector"].astype(str).to_numpy(dtype=object)
    rates = {(s, int(y)): markup_rate(s, int(y)) for s, y in set(zip(sector[found], year[found]))}
    rate = np.array([rates.get((s, int(y)), np.nan) for s, y in zip(sector, year)], dtype=float)
    direct = row["direct_tco2e_per_t"].astype(float)
    indirect = row["indirect_tco2e_per_t"].astype(float)
    total = row["total_tco2e_per_t"].astype(float)
    see_direct, see_indirect, counted = _counted(
        total,
        direct,
        indirect,
        row["indirect_not_applicable"].astype(bool),
        table == "annex_iv",
        keys["direct_only"].to_numpy(dtype=bool),
        rate,
    )

    nan = np.full(n, np.nan)

    def text(values: np.ndarray) -> np.ndarray:
        return np.where(found, values.astype(object), "").astype(object)

    def num(values: np.ndarray) -> np.ndarray:
        return np.where(found, values.astype(float), nan)

    no_value = ~found & (code_reason == "")
    out = {
        "default_table": text(table),
        "default_table_name": text(row["country_table"]),
        "default_cn_prefix": text(row["cn_prefix"]),
        "default_route": text(row["route"]),
        "default_direct_base_tco2e_per_t": num(direct),
        "default_indirect_base_tco2e_per_t": num(indirect),
        "default_total_base_tco2e_per_t": num(total),
        "default_markup_rate": num(rate),
        "see_default_direct_tco2e_per_t": num(see_direct),
        "see_default_indirect_tco2e_per_t": num(see_indirect),
        "see_default_tco2e_per_t": num(counted),
        "default_reject_column": np.where(no_value, "see_direct", code_column).astype(object),
    }
    reasons = np.asarray(code_reason, dtype=object).copy()
    reasons[no_value] = NO_DEFAULT  # np.where would turn the messages into plain strings
    frame = pd.DataFrame(out, index=keys.index, columns=RESULT_COLUMNS)
    frame["default_reject_reason"] = pd.Series(reasons, index=keys.index, dtype=object)
    return frame
