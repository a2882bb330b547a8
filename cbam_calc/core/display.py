"""The figures of ``--currency CNY`` (issue 14): a run's costs shown in CNY at DISPLAY rates, the
ECB reference rate averaged over each line's price period (cbam_calc.law.display_fx), never the
yearly rate Art 9 converts a carbon price paid at. Every CBAM figure stays computed in EUR.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from cbam_calc.core.messages import Message

KEY = "display_currency"  # CalcSummary's field, left out of its dump where None
# --currency: the currencies a report can show its costs in (EUR, and CNY at display rates)
DISPLAY_CURRENCIES = ("EUR", "CNY")
# the Lines table's columns with --currency CNY (compute.lines.LINE_COLUMNS, after cost_eur_per_t)
DISPLAY_LINE_COLUMNS = {
    "cost_cny": "--currency CNY: cost_eur x display_rate_cny_per_eur (not the Art 9 rate)",
    "display_rate_cny_per_eur": "DISPLAY rate, CNY per EUR: ECB mean of the price period (law/display_fx)",
    "display_rate_status": "actual (ECB period mean) or projection (after the ECB data)",
}


def supported_currency(cls, v: object) -> object:
    """CalcOptions.currency: EUR or CNY, any case; else E_CURRENCY listing the supported ones."""
    code = v.strip().upper() if isinstance(v, str) else v
    if code not in DISPLAY_CURRENCIES:
        raise ValueError(Message("E_CURRENCY", given=v, supported=", ".join(DISPLAY_CURRENCIES)))
    return code


def without_eur(self, handler):
    """A dump of options leaves out currency where EUR (it reads as before --currency)."""
    data = handler(self)
    if isinstance(data, dict) and data.get("currency") == "EUR":
        del data["currency"]
    return data


def without_display(self, handler):
    """A dump of a period leaves out its CNY fields where --currency was not given."""
    data = handler(self)
    if isinstance(data, dict) and data.get("cost_cny") is None:
        for key in ("cost_cny", "display_rate_cny_per_eur", "display_rate_status"):
            data.pop(key, None)
    return data


class DisplayRateUsed(BaseModel):
    """The display rate of one price period (--currency): an ECB period mean, not Art 9's rate."""

    period: str = Field(description="the certificate-price period of the lines (2026Q2, 2027-W05)")
    rate_period: str = Field(description="the month or quarter whose ECB mean is shown")
    units_per_eur: float
    status: str = Field(description="actual, or projection (a period after the ECB data)")
    source: str
    lines: int
    cost_eur: float
    cost: float = Field(description="cost in the display currency: the sum of its lines'")


class DisplayCurrency(BaseModel):
    """The run's cost in a second currency (--currency CNY): each line's EUR cost times the ECB
    reference rate of its price period (monthly or quarterly mean), summed; a DISPLAY figure,
    never the rate Art 9 converts a carbon price paid at (the yearly average)."""

    currency: str
    cost: float = Field(
        description="total cost in the currency: the sum of the lines' (not total x one rate)"
    )
    by_sector: dict[str, float]
    rates: list[DisplayRateUsed]
    projection: bool = Field(description="some lines take a projected rate (a period after the ECB data)")
    data_to: str = Field("", description="last date of the ECB daily rates the means are built from")
