"""The instrument comparison of ``cbam scenario --compare-instruments``: for the same installation
and year, HOW the domestic obligation (the CNETS allocation gap) is met, and what each way does to
the EU levy under the Art 9 draft.

Per line of an installation covered by CNETS, with E the domestic emission intensity (tCO2e per t of
good, :func:`cbam_calc.compute.scenarios.domestic_intensity`) and g the allocation gap:

    obligation  O = E x g                          tCO2e per t of good
    credit      c = min(s x E, O)                  s: the option's credit share of verified emissions
    CEA bought      O - c (credit for compliance)  or O (credit retired voluntarily, on top)
    domestic cost   CEA x P_CEA + c x P_credit     CNY per t of good, at the yearly EUR rate in EUR

What the EU recognises of it is decided in one place, :func:`cbam_calc.law.instruments.treat`
(the unit AND its use: a CEA counts; a CCER surrendered in CNETS within its 5 %; an ITMO within the
draft's 10 % Paris cap where a mechanism takes it; a voluntary retirement nothing); the EU levy
then follows as for every scenario (:func:`cbam_calc.compute.scenarios.eu_certificates`).

Break-even: the total (domestic + EU levy) of an option is, per installation and year, a convex
piecewise-linear function of the credit price p (linear domestic cost, a levy that falls with the
recognised price until it is zero). The credit price at which the option starts to pay against
the reference option (all CEA) is its largest root: below it the option costs less in total. It is
found exactly from the kinks (the price at which a line's levy reaches zero), all installations at
once (no loop per installation). Where every CNY recognised comes off the EU levy (a levy left on
every line, and the certificate price equal to the Art 9 reference price), the total does not move
with p: the option neither pays nor costs more, up to the price given.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, SkipValidation, field_validator

from cbam_calc.core.errors import OptionError
from cbam_calc.core.messages import Message
from cbam_calc.law import art9, instruments, prices
from cbam_calc.law.parameters import load_yaml, parameter

DATA = "data/scenarios/instruments.yaml"
PRICE_ASSUMPTIONS = "credit_price_assumptions"  # data/parameters/credit_price_assumptions.yaml
PARIS_CAP = "paris_cap"
REFERENCE = "reference"
CNETS = "cnets"
UNNAMED_INSTALLATION = "(all lines)"

COLUMNS = [
    "option",
    "installation",
    "year",
    "lines",
    "credit",
    "credit_use",
    "cea_tco2e",
    "credit_tco2e",
    "cea_price_cny",
    "credit_price_cny",
    "credit_price_usd",
    "credit_price_status",
    "domestic_cost_cny",
    "domestic_cost_eur",
    "recognised_eur",
    "not_recognised_eur",
    "treatment",
    "art9_reduction_tco2e",
    "eu_levy_eur",
    "total_eur",
    "saving_vs_reference_eur",
    "break_even_credit_price_cny",
    "break_even_credit_price_usd",
    "pays_at_given_price",
    "note",
]


class InstrumentOption(BaseModel):
    """One way of meeting the obligation: CEAs for the gap, and optionally a credit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    zh: str = ""
    credit: str | None = Field(
        None, description="unit code of data/carbon_pricing.yaml (ccer, vcs, itmo ...)"
    )
    credit_share: float = Field(0.0, ge=0, le=1, description="credit tonnes, share of verified emissions")
    credit_use: Literal["compliance", "voluntary"] = "compliance"
    credit_price_cny: float | None = Field(None, ge=0, description="CNY per tCO2e")
    credit_price_usd: float | None = Field(None, ge=0, description="USD per tCO2e")
    # a Message (given, observed, the assumption's status) shown in the report's language; not
    # validated, so that pydantic keeps its code (its str is the English)
    credit_price_status: Annotated[str, SkipValidation] = ""
    assume_accepted_by: str | None = Field(
        None, description="a mechanism ASSUMED to accept the credit (not law), e.g. cnets"
    )

    @field_validator("credit")
    @classmethod
    def _credit(cls, v):
        if v is None:
            return v
        code = instruments.resolve_unit(v)
        if code is None or not instruments.units()[code].credit:
            credits = [u for u, x in instruments.units().items() if x.credit]
            raise ValueError(f"'{v}' is not a credit of data/carbon_pricing.yaml ({', '.join(credits)})")
        return code

    @field_validator("assume_accepted_by")
    @classmethod
    def _mechanism(cls, v):
        if v is None:
            return v
        code = instruments.resolve_mechanism(v)
        if code is None:
            raise ValueError(f"'{v}' is no mechanism of data/carbon_pricing.yaml")
        return code

    @property
    def assumed(self) -> bool:
        """A hypothesis, not law: the mechanism does not take the credit in the reference table."""
        return (
            self.credit is not None
            and self.assume_accepted_by is not None
            and self.credit not in instruments.mechanisms()[self.assume_accepted_by].units
        )


class InstrumentComparison(BaseModel):
    """The options compared and their common assumptions (data/scenarios/instruments.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allocation_gap: float = Field(ge=0, le=1)
    recognition: bool = True
    cea_price_cny: float = Field(ge=0)
    reference_option: str
    options: list[InstrumentOption]


def _price(spec, credit: str | None, currency: str) -> tuple[float | None, Message | None]:
    """A credit price of the file and its status: a number (given), or 'reference' (CCER:
    reference_prices/ccer_price.csv in CNY, observed; VCS, ITMO: the assumptions of
    credit_price_assumptions.yaml in USD, with the status that file states, in English and
    Chinese)."""
    if spec is None or credit is None:
        return None, None
    if not (isinstance(spec, str) and spec.strip().lower() == REFERENCE):
        return float(spec), Message("M_INSTR_PRICE_GIVEN")
    if credit == "ccer" and currency == "cny":
        from cbam_calc.law.reference import reference_data

        value, period, _ = reference_data().china_carbon_price("ccer")
        return value, Message("M_INSTR_PRICE_OBSERVED", period=period)
    p = parameter(PRICE_ASSUMPTIONS)
    if currency != p.extra["currency"].lower() or credit not in p.values:
        raise OptionError(
            Message("E_INSTR_NO_PRICE", path=str(DATA), currency=currency.upper(), credit=credit)
        )
    from cbam_calc.law.inventory import status_zh

    # in Chinese as the file's Chinese status (locale/zh_CN/reference_files.yaml, as cbam data shows it)
    zh = status_zh(f"parameters/{PRICE_ASSUMPTIONS}.yaml") or p.status
    status = Message("M_INSTR_PRICE_ASSUMED", status=p.status, status_zh=zh)
    return float(p.at(2026, credit)), status


def load_comparison(doc: dict | None = None) -> InstrumentComparison:
    """The comparison shipped in data/scenarios/instruments.yaml (or ``doc`` of the same shape)."""
    from pydantic import ValidationError

    from cbam_calc.core.validation import describe

    if doc is None:
        doc = load_yaml(resources.files("cbam_calc").joinpath(DATA).read_text(encoding="utf-8"))
    doc = dict(doc)
    if isinstance(doc.get("cea_price_cny"), str) and doc["cea_price_cny"].strip().lower() == REFERENCE:
        from cbam_calc.law.reference import reference_data

        doc["cea_price_cny"] = reference_data().china_carbon_price("cea")[0]
    options = []
    for name, spec in (doc.get("options") or {}).items():
        spec = dict(spec or {})
        credit = spec.get("credit")
        if spec.get("credit_share") == PARIS_CAP:
            spec["credit_share"] = instruments.paris_cap_share()
        statuses = []
        for currency in ("cny", "usd"):
            key = f"credit_price_{currency}"
            if key in spec:
                spec[key], status = _price(spec[key], instruments.resolve_unit(credit) or credit, currency)
                statuses.append(status)
        statuses = [s for s in statuses if s is not None]
        spec["credit_price_status"] = Message("M_INSTR_PRICE_STATUSES", statuses=statuses) if statuses else ""
        options.append({**spec, "name": str(name)})
    doc["options"] = options
    try:
        comparison = InstrumentComparison(**doc)
    except ValidationError as e:
        raise OptionError(Message("E_FILE_DETAIL", path=str(DATA), detail=describe(e))) from None
    if comparison.reference_option not in [o.name for o in comparison.options]:
        raise OptionError(Message("E_INSTR_REFERENCE", path=str(DATA), option=comparison.reference_option))
    return comparison


# ---------------------------------------------------------------------------- one option on a base
def option_lines(base, option: InstrumentOption, comparison: InstrumentComparison, e, g, usd_per_eur):
    """Per line of ``base``: CEA and credit tonnes, their prices (CNY/tCO2e), the domestic cost
    (CNY per t of good), the recognised price (EUR per t of good), the credit's recognised share
    (``kept``) and its treatment reason (a code of :data:`instruments.REASONS`)."""
    n = len(base.mass)
    rate = base.cny_per_eur
    cov = base.covered
    obligation = np.where(cov, e * g, 0.0)
    c = np.zeros(n)
    if option.credit is not None:
        c = np.minimum(option.credit_share * e, obligation)
    cea = obligation - c if option.credit_use == "compliance" else obligation
    if option.credit_price_cny is not None:
        p = float(option.credit_price_cny)
    elif option.credit_price_usd is not None:
        p = float(option.credit_price_usd) / usd_per_eur * rate
    else:
        p = 0.0
    tables, mech = None, instruments.known_mechanisms().index(CNETS)
    if option.assumed:
        tables, mech = instruments.assumed_mechanism_tables(option.assume_accepted_by, option.credit)
    elif option.assume_accepted_by is not None:
        mech = instruments.known_mechanisms().index(option.assume_accepted_by)
    units = instruments.known_units()
    credit_unit = units.index(option.credit) if option.credit is not None else instruments.UNNAMED
    with np.errstate(divide="ignore", invalid="ignore"):
        cea_share = np.where(e > 0, cea / e, 0.0)
        credit_share = np.where(e > 0, c / e, 0.0)
    line = np.arange(n)
    voluntary = option.credit_use == "voluntary"
    t = instruments.treat(
        np.concatenate([line, line]),
        np.concatenate([np.full(n, units.index("ets_allowance")), np.full(n, credit_unit)]),
        np.concatenate([np.full(n, mech), np.full(n, instruments.UNNAMED if voluntary else mech)]),
        np.concatenate([np.zeros(n, dtype=bool), np.full(n, voluntary)]),
        np.tile(np.where(base.china, "CN", ""), 2),
        np.concatenate([cea_share, credit_share]),
        np.concatenate([np.full(n, comparison.cea_price_cny), np.full(n, p)]),
        np.ones(2 * n, dtype=bool),
        np.concatenate([e, e]),
        np.zeros(2 * n),
        np.zeros(2 * n),
        np.full(2 * n, rate),
        tables=tables,
    )
    recognised, _, _ = instruments.per_line(t, np.concatenate([line, line]), n)
    kept = t.kept[n:]
    reason = np.where(c > 0, t.reason[n:], instruments.RECOGNISED)
    domestic = cea * comparison.cea_price_cny + c * p
    return cea, c, p, domestic, recognised, kept, reason


def _break_even(group, n_groups, f0, slope_final, q, drop, tol):
    """Largest root of each group's convex piecewise-linear f (see the module docstring), from
    f(0) = ``f0``, its final slope and the kinks (``q``: price at which a line's levy reaches 0,
    ``drop``: the slope it adds there). Returns (price, pays): pays where f < -tol somewhere; the
    price is then the largest root of f, else the largest p with f(p) <= tol (same total below);
    NaN where f never rises (no credit bought)."""
    order = np.lexsort((q, group))
    gk, qk, dk = group[order], q[order], drop[order]
    s0 = slope_final - np.bincount(gk, weights=dk, minlength=n_groups)
    f_kink = after = np.zeros(0)
    if len(gk):
        # per kink: the slope of the segment that ends there, and f at the kink
        first = np.ones(len(gk), dtype=bool)
        first[1:] = gk[1:] != gk[:-1]
        start = np.maximum.accumulate(np.where(first, np.arange(len(gk)), 0))
        earlier = np.cumsum(dk) - dk  # drops of the kinks before, over all groups
        seg_slope = s0[gk] + earlier - earlier[start]
        prev_q = np.where(first, 0.0, np.roll(qk, 1))
        rise = seg_slope * (qk - prev_q)
        upto = np.cumsum(rise)
        f_kink = f0[gk] + upto - (upto - rise)[start]
        after = seg_slope + dk
    # the points: p = 0 of every group, then its kinks in price order
    pg = np.concatenate([np.arange(n_groups), gk])
    pp = np.concatenate([np.zeros(n_groups), qk])
    pf = np.concatenate([f0, f_kink])
    ps = np.concatenate([s0, after])
    fmin = np.full(n_groups, np.inf)
    np.minimum.at(fmin, pg, pf)
    pays = fmin < -tol
    level = np.where(pays, 0.0, tol)[pg]  # pays: where f crosses 0; else where it leaves ~0
    # the last point with f <= level: the root is on the segment after it
    rank = np.lexsort((pp, pg))
    pos = np.empty(len(pg), dtype=np.int64)
    pos[rank] = np.arange(len(pg))
    last = np.full(n_groups, -1, dtype=np.int64)
    ok = pf <= level
    np.maximum.at(last, pg[ok], pos[ok])
    price = np.full(n_groups, np.nan)
    has = last >= 0
    j = rank[last[has]]
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.maximum(pp[j] - pf[j] / ps[j], pp[j])  # f = 0 on the segment after the point
    price[has] = np.where(ps[j] > 0, root, np.nan)
    return price, pays


def compare(
    bases: list,
    comparison: InstrumentComparison,
    intensity: np.ndarray,
    gap: np.ndarray,
    ref,
    fx: dict | None,
    eu_certificates,
) -> pd.DataFrame:
    """The comparison table: one row per option, installation and year (:data:`COLUMNS`).

    ``bases``: the scenario engine's :class:`~cbam_calc.compute.scenarios.Base` of each year
    (declared emissions); ``intensity``, ``gap``: per validated line, as for a scenario;
    ``eu_certificates``: :func:`cbam_calc.compute.scenarios.eu_certificates` (given, so that this
    module does not import the engine that imports it)."""
    from cbam_calc.law import certificates

    chunks = []
    names = [o.name for o in comparison.options]
    ref_i = names.index(comparison.reference_option)
    for b in bases:
        rate = prices.fx_rate(ref, "USD", b.year, fx)
        if rate is None:
            raise OptionError(Message("E_NO_FX", currency="USD", year=b.year))
        e = intensity[b.keep]
        g = gap[b.keep]
        inst = np.where(b.installation == "", UNNAMED_INSTALLATION, b.installation).astype(object)
        codes, labels = pd.factorize(pd.Series(inst, dtype=object), sort=True)
        codes = np.asarray(codes)
        n_groups = len(labels)
        room = np.maximum(b.embedded - b.faa, 0.0)
        per_option = []
        for o in comparison.options:
            cea, c, p, domestic, recognised, kept, reason = option_lines(
                b, o, comparison, e, g, rate.units_per_eur
            )
            owed, reduction, track = eu_certificates(b, recognised, comparison.recognition, None)
            levy = certificates.cost_eur(owed, b.price)
            per_option.append((o, cea, c, p, domestic, recognised, kept, reason, levy, track, reduction))
        m = b.mass
        s = functools.partial(_sums, codes, n_groups)
        r = per_option[ref_i]
        ref_total = s(r[4] * m / b.cny_per_eur + r[8])  # domestic + levy of the reference option
        for i, (o, cea, c, p, domestic, recognised, kept, reason, levy, track, reduction) in enumerate(
            per_option
        ):
            dom_cny = domestic * m
            dom_eur = dom_cny / b.cny_per_eur
            rec_eur = recognised * m
            totals = s(dom_eur + levy)
            # break-even in the credit price p: f(p) = total(p) - total of the reference option
            applies = (track == art9.TRACK_ACTUAL) & ~b.exempt & comparison.recognition
            beta = np.where(applies, c * kept / b.cny_per_eur, 0.0)  # EUR recognised per CNY of p
            alpha = recognised - beta * p
            with np.errstate(divide="ignore", invalid="ignore"):
                room_t = np.where(m > 0, room / np.where(m > 0, m, 1.0), 0.0)
                q = (room_t * b.reference_price - alpha) / beta
            levy0 = np.where(applies, b.price * m * np.maximum(0.0, room_t - alpha / b.reference_price), levy)
            levy0 = np.where(b.exempt, 0.0, levy0)
            f0 = s((domestic - c * p) * m / b.cny_per_eur + levy0) - ref_total
            slope_final = s(c * m / b.cny_per_eur)
            kink = applies & (beta > 0) & (q > 0) & (m > 0)
            drop = m * b.price * beta / b.reference_price
            tol = 1e-9 * np.maximum(1.0, np.abs(ref_total))
            if o.credit is None:
                price = np.full(n_groups, np.nan)
                pays = np.zeros(n_groups, dtype=bool)
            else:
                price, pays = _break_even(codes[kink], n_groups, f0, slope_final, q[kink], drop[kink], tol)
            worst = np.zeros(n_groups, dtype=np.int64)
            np.maximum.at(worst, codes, reason.astype(np.int64))
            saving = ref_total - totals
            usd = rate.units_per_eur
            chunks.append(
                _frame(
                    o, b, labels, s(np.ones_like(m)), s(cea * m), s(c * m), comparison.cea_price_cny,
                    p, usd, s(dom_cny), s(dom_eur), s(rec_eur), s(reduction), s(levy), totals, saving,
                    price, pays, worst, i == ref_i, tol,
                )
            )  # fmt: skip
    if not chunks:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(chunks, ignore_index=True)


def _sums(codes: np.ndarray, n_groups: int, values: np.ndarray) -> np.ndarray:
    """Sum of ``values`` per installation code."""
    return np.bincount(codes, weights=values, minlength=n_groups)


def _frame(o, b, labels, lines, cea_t, credit_t, cea_price, p, usd_per_eur, dom_cny, dom_eur, rec_eur,
           reduction, levy, total, saving, price, pays, worst, is_reference,
           tol) -> pd.DataFrame:  # fmt: skip
    n = len(labels)
    credit_usd = p / b.cny_per_eur * usd_per_eur if o.credit is not None else np.nan
    # a Message per distinct reason and note, not per row (pd.Series of object dtype keeps them)
    if o.credit is None:
        treatment = np.full(n, "", dtype=object)
        note = np.full(n, NOTE_REFERENCE, dtype=np.int64)
    else:
        treatment = np.array(
            [instruments.reason_message(r) for r in range(len(instruments.REASONS))], dtype=object
        )[worst]
        note = _note_codes(o, pays, price, credit_t)
    unit = (o.credit or "").upper()
    texts = [Message(c, unit=unit) if c == NOTES[NOTE_VOLUNTARY] else Message(c) for c in NOTES]
    notes = np.array(texts, dtype=object)[note]
    return pd.DataFrame(
        {
            "option": o.name,
            "installation": np.asarray(labels, dtype=object),
            "year": np.full(n, b.year, dtype=np.int64),
            "lines": lines.astype(np.int64),
            "credit": o.credit or "",
            "credit_use": o.credit_use if o.credit else "",
            "cea_tco2e": cea_t,
            "credit_tco2e": credit_t,
            "cea_price_cny": float(cea_price),
            "credit_price_cny": p if o.credit else np.nan,
            "credit_price_usd": credit_usd,
            "credit_price_status": pd.Series([o.credit_price_status] * n, dtype=object),  # its Message
            "domestic_cost_cny": dom_cny,
            "domestic_cost_eur": dom_eur,
            "recognised_eur": rec_eur,
            "not_recognised_eur": dom_eur - rec_eur,
            "treatment": pd.Series(treatment, dtype=object),
            "art9_reduction_tco2e": reduction,
            "eu_levy_eur": levy,
            "total_eur": total,
            "saving_vs_reference_eur": saving,
            "break_even_credit_price_cny": price,
            "break_even_credit_price_usd": price / b.cny_per_eur * usd_per_eur,
            "pays_at_given_price": (saving > tol) & ~np.bool_(is_reference),
            "note": pd.Series(notes, dtype=object),
        },
        columns=COLUMNS,
    )


NOTES = (
    "M_INSTR_NOTE_REFERENCE",
    "M_INSTR_NOTE_NO_CREDIT",
    "M_INSTR_NOTE_VOLUNTARY",
    "M_INSTR_NOTE_NEVER",
    "M_INSTR_NOTE_PAYS_BELOW",
    "M_INSTR_NOTE_SAME_TOTAL_BELOW",
)
NOTE_REFERENCE, NOTE_NO_CREDIT, NOTE_VOLUNTARY, NOTE_NEVER, NOTE_PAYS, NOTE_SAME = range(len(NOTES))


def _note_codes(o: InstrumentOption, pays, price, tonnes) -> np.ndarray:
    """The note of each installation (a code into :data:`NOTES`), the first that applies: no
    credit bought; retired voluntarily; pays below the break-even; the same total up to it; never."""
    with np.errstate(invalid="ignore"):
        same = np.where(price > 0, NOTE_SAME, NOTE_NEVER)
    code = np.where(pays, NOTE_PAYS, np.where(np.isnan(price), NOTE_NEVER, same))
    if o.credit_use == "voluntary":
        code = np.full(len(code), NOTE_VOLUNTARY)
    return np.where(tonnes <= 0, NOTE_NO_CREDIT, code).astype(np.int64)
