"""Carbon-pricing instruments and what the DRAFT Art 9 implementing act does with each.

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


@cache
def mechanisms() -> dict[str, Mechanism]:
    """Every named mechanism of the table by code."""
    out = {}
    for code, m in table()["mechanisms"].items():
        limit = m.get("offset_limit_share")
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


def template_kinds() -> dict[str, str]:
    """The communication template's instrument types (CONST_CarbonPriceType), its string -> key."""
    return {str(k["template"]): key for key, k in table()["kinds"].items()}
