#!/usr/bin/env python3
"""Build the price and exchange-rate reference tables in ``reference_prices/``.

Legal basis of the figures built here:

* CBAM certificate price: Regulation (EU) 2023/956 Art 21, as amended by Regulation (EU)
  2025/2083, and Commission Implementing Regulation (EU) 2025/2548. The price is the
  volume-weighted average of the clearing prices of EU ETS allowance (EUA) auctions on the common
  auction platform. For goods imported in 2026 it is the average of the calendar QUARTER of
  import, published in the first calendar week after the quarter; from 2027 it is the WEEKLY
  average.
* Art 9 of Regulation (EU) 2023/956 (carbon price paid in the country of origin): the reference
  price P_ref is the yearly average of the published certificate prices, rounded to the cent, and
  amounts in other currencies are converted at the yearly average of the European Central Bank
  euro reference rates.

Inputs (the price data directory, default ``../shared/data/prices/`` relative to the repository
root, or the directory named by the ``CBAM_SHARED_PRICES`` environment variable):

* ``eex/eua-auctions-2012-2026.csv``: EEX primary auctions (Date, clearing price, volume,
  country) to 7 Aug 2026, no contract column; cancelled auctions have no price.
* ``eex/eua-auctions-YYYY.xlsx``: EEX yearly auction reports (header on the 6th row) with a
  contract column (T3PA = EUA, EAA3 = aviation allowance EUAA) and a status column. They are
  used to tell EUA from EUAA auctions in the CSV and to cross-check every EUA auction.
* ``ecb/eurofxref-hist.csv``: ECB daily euro reference rates ("N/A" or blank = no rate).
* ``observed.csv``: published and observed figures, each with its named source.

Every market figure comes from these files; the script types in none. Output is deterministic:
the same inputs give byte-identical files (dates in the headers are the last data dates, never
the clock).

Usage::

    python scripts/build_prices.py [--source DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCE_ENV_VAR = "CBAM_SHARED_PRICES"
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "data" / "prices"
DEFAULT_OUT = REPO_ROOT / "reference_prices"

# Input file names, relative to the source directory.
EEX_CSV = "eex/eua-auctions-2012-2026.csv"
EEX_XLSX_GLOB = "eua-auctions-*.xlsx"
EEX_XLSX_HEADER_ROW = 5  # 0-based: the header is on the 6th row of the EEX reports
ECB_CSV = "ecb/eurofxref-hist.csv"
OBSERVED_CSV = "observed.csv"

# Column names in the EEX files.
COL_DATE = "Date"
COL_PRICE = "Auction Price €/tCO2"
COL_VOLUME = "Auction Volume tCO2"
COL_COUNTRY = "Country"
COL_CONTRACT = "Contract"
COL_STATUS = "Status"
EUA_CONTRACT = "T3PA"  # EU allowance (EUA); EAA3 is the aviation allowance (EUAA)
SUCCESSFUL = "successful"

# Periods covered (rules and choices, not market data).
FIRST_VWAP_YEAR = 2021  # start of ETS phase 4
QUARTERLY_PRICE_YEAR = 2026  # Art 21 as amended: quarterly price for imports in 2026 only
PROJECTION_YEARS = range(2027, 2035)  # 2027..2034: the end of the free-allocation phase-out
FX_FIRST_YEAR = 2019
# Display rates (issue 14: `--currency CNY`): monthly and quarterly means of the ECB daily rates,
# for showing EUR amounts in another currency; never used by Art 9 (which takes fx_eur_annual).
DISPLAY_CURRENCIES = ("CNY",)
DISPLAY_FIRST_YEAR = 2025
FX_DISPLAY_FILE = "fx_eur_display_periods.csv"

ALLOWED_STATUSES = (
    "published",
    "recomputed",
    "recomputed_partial",
    "observed",
    "derived",
    "computed",
    "partial",
    "projection",
)

EEX_ATTRIBUTION = "EEX public auction reports (Source: EEX)"
ECB_ATTRIBUTION = "European Central Bank euro reference rates (Source: European Central Bank)"
BUILT_BY = "scripts/build_prices.py"
SOURCE_ZH_NOTE = (
    "source_zh: the source in Simplified Chinese, for reports in Chinese (cbam calc --lang zh); "
    "the publications and attributions it cites are named as in source"
)
# The statuses in the Chinese source texts (source_zh), as core/labels.py names them in reports.
STATUS_ZH = {
    "published": "已公布",
    "recomputed": "重算",
    "recomputed_partial": "重算（期间不完整）",
    "projection": "预测",
}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def round_half_up(value: float, places: int) -> Decimal:
    """Round like a published price: half away from zero, on the shortest repr of the float."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt(value: float | Decimal, places: int) -> str:
    """Format a number with exactly ``places`` decimals (half-up rounding)."""
    return f"{round_half_up(float(value), places):.{places}f}"


def quarter_label(ts: pd.Timestamp) -> str:
    """``2026Q1`` style label of a timestamp's calendar quarter."""
    return f"{ts.year}Q{ts.quarter}"


def quarter_end(label: str) -> dt.date:
    """Last calendar day of a ``YYYYQn`` quarter."""
    return pd.Period(label, freq="Q").end_time.date()


def iso(d: dt.date | pd.Timestamp) -> str:
    """ISO date string (YYYY-MM-DD)."""
    return pd.Timestamp(d).date().isoformat()


def resolve_source_dir(cli_value: str | None) -> Path:
    """--source, else $CBAM_SHARED_PRICES, else ../shared/data/prices next to the repository."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get(SOURCE_ENV_VAR)
    return Path(env) if env else DEFAULT_SOURCE


# --------------------------------------------------------------------------------------------
# EEX auctions
# --------------------------------------------------------------------------------------------


def read_eex_csv(source: Path) -> pd.DataFrame:
    """All auctions of the 2012-2026 CSV with a price (the cancelled ones have none).

    Returns columns date, price, volume, country (one row per auction, in file order).
    """
    raw = pd.read_csv(source / EEX_CSV)
    missing = {COL_DATE, COL_PRICE, COL_VOLUME, COL_COUNTRY} - set(raw.columns)
    if missing:
        raise ValueError(f"{EEX_CSV}: missing columns {sorted(missing)}")
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(raw[COL_DATE], format="%Y-%m-%d %H:%M:%S"),
            "price": pd.to_numeric(raw[COL_PRICE]),
            "volume": pd.to_numeric(raw[COL_VOLUME]),
            "country": raw[COL_COUNTRY].astype(str),
        }
    )
    return df[df["price"].notna()].reset_index(drop=True)


def read_eex_xlsx(path: Path) -> pd.DataFrame:
    """Successful auctions of one EEX yearly report, with their contract.

    Returns columns date, price, volume, country, contract. Cancelled auctions are dropped.
    """
    raw = pd.read_excel(path, header=EEX_XLSX_HEADER_ROW, engine="calamine")
    raw = raw[raw[COL_DATE].notna()]
    ok = raw[raw[COL_STATUS].astype(str).str.strip().str.lower() == SUCCESSFUL]
    return pd.DataFrame(
        {
            "date": pd.to_datetime(ok[COL_DATE]).dt.normalize(),
            "price": pd.to_numeric(ok[COL_PRICE]).astype(float),
            "volume": pd.to_numeric(ok[COL_VOLUME]).astype(float),
            "country": ok[COL_COUNTRY].astype(str).str.strip(),
            "contract": ok[COL_CONTRACT].astype(str).str.strip(),
        }
    ).reset_index(drop=True)


def xlsx_paths(source: Path) -> list[Path]:
    """The EEX yearly report files, sorted by year."""
    return sorted((source / "eex").glob(EEX_XLSX_GLOB))


@dataclass(frozen=True)
class Auctions:
    """Successful EUA auctions from FIRST_VWAP_YEAR on, and what was learnt building them."""

    eua: pd.DataFrame  # date, price, volume, country
    last_date: pd.Timestamp  # last auction date in the EEX CSV
    xlsx_years: tuple[int, ...]  # years whose contracts were checked against the xlsx reports
    euaa_dropped: int  # EUAA (aviation) auctions found in the CSV and excluded


def load_eua_auctions(source: Path) -> Auctions:
    """EUA auctions from the EEX CSV, EUAA auctions removed using the xlsx contract column.

    The CSV has no contract column, yet for 2021-2024 it also holds the EUAA (aviation allowance,
    contract EAA3) auctions, which are not EU ETS allowance auctions in the sense of Art 21.
    Each CSV row of a year covered by an xlsx report is matched on (date, country, price,
    volume) to that report; every EUA auction of the report must be found, and every CSV row
    must be matched, otherwise the inputs disagree and the build stops. Years after the last
    report (2026) are taken as EUA only: no EUAA auction appears in the 2025 report.
    """
    auctions = read_eex_csv(source)
    last_date = auctions["date"].max()
    auctions = auctions[auctions["date"].dt.year >= FIRST_VWAP_YEAR].copy()
    auctions["contract"] = EUA_CONTRACT
    key = ["date", "country", "price", "volume"]
    years: list[int] = []
    euaa = 0
    for path in xlsx_paths(source):
        report = read_eex_xlsx(path)
        report_years = sorted(report["date"].dt.year.unique())
        if len(report_years) != 1:
            raise ValueError(f"{path.name}: expected one year, found {report_years}")
        year = int(report_years[0])
        if year < FIRST_VWAP_YEAR:
            continue
        years.append(year)
        in_year = auctions["date"].dt.year == year
        check = auctions.loc[in_year, key].merge(
            report[[*key, "contract"]], on=key, how="outer", indicator=True, validate="1:1"
        )
        if (check["_merge"] != "both").any():
            bad = check[check["_merge"] != "both"]
            raise ValueError(f"{EEX_CSV} and {path.name} disagree:\n{bad.to_string()}")
        # A left merge keeps the order of the CSV rows.
        contracts = auctions.loc[in_year, key].merge(report, on=key, how="left", validate="1:1")
        auctions.loc[in_year, "contract"] = contracts["contract"].to_numpy()
        euaa += int((contracts["contract"] != EUA_CONTRACT).sum())
    eua = auctions[auctions["contract"] == EUA_CONTRACT].drop(columns="contract")
    return Auctions(
        eua=eua.sort_values(["date", "country"], kind="stable").reset_index(drop=True),
        last_date=last_date,
        xlsx_years=tuple(years),
        euaa_dropped=euaa,
    )


@dataclass(frozen=True)
class Vwap:
    """Volume-weighted mean clearing price of a set of auctions (Reg 2023/956 Art 21)."""

    vwap: float
    volume: float
    auctions: int
    first: pd.Timestamp
    last: pd.Timestamp


def vwap(auctions: pd.DataFrame) -> Vwap:
    """Volume-weighted average clearing price, the method of IR 2025/2548."""
    volume = float(auctions["volume"].sum())
    value = float((auctions["price"] * auctions["volume"]).sum()) / volume
    return Vwap(
        vwap=value,
        volume=volume,
        auctions=len(auctions),
        first=auctions["date"].min(),
        last=auctions["date"].max(),
    )


def vwap_by(auctions: pd.DataFrame, labels: pd.Series) -> dict[str, Vwap]:
    """VWAP per label (quarter or year), sorted by label."""
    return {str(label): vwap(group) for label, group in auctions.groupby(labels, sort=True)}


def eua_provenance(a: Auctions) -> str:
    """One sentence saying which auctions enter the VWAPs."""
    years = f"{a.xlsx_years[0]}-{a.xlsx_years[-1]}" if a.xlsx_years else "none"
    return (
        f"successful primary EUA auctions in {EEX_CSV} (cancelled auctions have no price and "
        f"are dropped); {a.euaa_dropped} EUAA aviation auctions (contract EAA3) identified with "
        f"the yearly xlsx reports ({years}) are excluded; later rows are all EUA"
    )


# --------------------------------------------------------------------------------------------
# observed.csv
# --------------------------------------------------------------------------------------------


def read_observed(source: Path) -> pd.DataFrame:
    """observed.csv with "same" sources resolved to the previous row's source."""
    obs = pd.read_csv(source / OBSERVED_CSV, dtype=str, keep_default_na=False)
    resolved: list[str] = []
    previous = ""
    for text in obs["source"]:
        current = previous if text.strip().lower() == "same" else text.strip()
        resolved.append(current)
        previous = current
    obs["source"] = resolved
    return obs


def observed_value(obs: pd.DataFrame, series: str, period: str) -> pd.Series | None:
    """The single observed.csv row for (series, period), or None."""
    rows = obs[(obs["series"] == series) & (obs["period"] == period)]
    if len(rows) > 1:
        raise ValueError(f"{OBSERVED_CSV}: several rows for {series} {period}")
    return None if rows.empty else rows.iloc[0]


def publication_date(text: str) -> str:
    """ISO date of the first "published <d Month yyyy>" in a source text, or ""."""
    match = re.search(r"published (\d{1,2} [A-Z][a-z]+ \d{4})", text)
    if not match:
        return ""
    return dt.datetime.strptime(match.group(1), "%d %B %Y").date().isoformat()


# --------------------------------------------------------------------------------------------
# ECB reference rates
# --------------------------------------------------------------------------------------------


def read_ecb(source: Path) -> pd.DataFrame:
    """ECB daily reference rates, units of currency per 1 EUR, indexed by date (ascending)."""
    raw = pd.read_csv(source / ECB_CSV, na_values=["N/A", ""], keep_default_na=False)
    raw = raw.loc[:, [c for c in raw.columns if c.strip() and not c.startswith("Unnamed")]]
    raw["Date"] = pd.to_datetime(raw["Date"], format="%Y-%m-%d")
    if not raw["Date"].is_unique:
        raise ValueError(f"{ECB_CSV}: duplicate dates")
    rates = raw.set_index("Date").sort_index().apply(pd.to_numeric)
    return rates


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def write_table(
    path: Path, comments: Iterable[str], header: Sequence[str], rows: Iterable[Sequence[str]]
) -> None:
    """Write ``# comment`` lines, then a CSV header and rows (UTF-8, LF line endings)."""
    rows = [list(r) for r in rows]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"{path.name}: row {row} does not match header {header}")
        if any("#" in cell for cell in row):
            raise ValueError(f"{path.name}: '#' in a data cell breaks read_csv(comment='#'): {row}")
    with path.open("w", encoding="utf-8", newline="") as fh:
        for line in comments:
            fh.write(f"# {line}".rstrip() + "\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def status_legend(*statuses: str) -> str:
    """One comment line listing the status values used in a file."""
    meanings = {
        "published": "official published figure",
        "recomputed": "recomputed by us with the official method from public data, full period",
        "recomputed_partial": "same, period incomplete (the source column says up to when)",
        "observed": "market figure reported by the named source",
        "derived": "derived by the named source from turnover and volume",
        "computed": "computed by us from public data over a full year",
        "partial": "year-to-date average (period incomplete)",
        "projection": "NOT a real figure: a labelled assumption, the source says how it was made",
    }
    return "status: " + "; ".join(f"{s} = {meanings[s]}" for s in statuses)


def build_auction_tables(a: Auctions, out: Path) -> tuple[dict[str, Vwap], set[str]]:
    """Write the quarterly and annual EUA auction VWAP files; return the quarters and partials."""
    eua = a.eua
    quarters = vwap_by(eua, eua["date"].map(quarter_label))
    partial_q = {q for q in quarters if quarter_end(q) > a.last_date.date()}
    provenance = eua_provenance(a)
    data_to = iso(a.last_date)

    rows = []
    for q, v in quarters.items():
        status = "recomputed_partial" if q in partial_q else "recomputed"
        extent = f"auctions to {iso(v.last)} only: partial quarter; " if q in partial_q else ""
        rows.append(
            [
                q,
                fmt(v.vwap, 4),
                f"{v.volume:.0f}",
                str(v.auctions),
                iso(v.first),
                iso(v.last),
                status,
                f"{extent}{EEX_ATTRIBUTION}: volume-weighted mean of {v.auctions} auctions",
            ]
        )
    write_table(
        out / "eua_auction_vwap_quarterly.csv",
        [
            "EU ETS allowance (EUA) primary auction clearing prices: volume-weighted mean per "
            "calendar quarter",
            "Unit: EUR per tCO2e (vwap), tCO2e (volume_t). 4 decimals.",
            "Method: Reg (EU) 2023/956 Art 21 as amended by Reg (EU) 2025/2083; Implementing "
            "Regulation (EU) 2025/2548 (the 2026 quarterly CBAM certificate price).",
            f"Source: {EEX_ATTRIBUTION}; {provenance}.",
            f"Built by {BUILT_BY} from {EEX_CSV} and eex/{EEX_XLSX_GLOB}; "
            f"data to {data_to} (last auction in the input).",
            status_legend("recomputed", "recomputed_partial"),
        ],
        [
            "period",
            "vwap_eur_per_tco2e",
            "volume_t",
            "auctions",
            "first_auction",
            "last_auction",
            "status",
            "source",
        ],
        rows,
    )

    years = vwap_by(eua, eua["date"].dt.year.astype(str))
    rows = []
    for y, v in years.items():
        partial = dt.date(int(y), 12, 31) > a.last_date.date()
        extent = f"auctions {iso(v.first)} to {iso(v.last)} only: partial year; " if partial else ""
        rows.append(
            [
                y,
                fmt(v.vwap, 4),
                f"{v.volume:.0f}",
                str(v.auctions),
                "recomputed_partial" if partial else "recomputed",
                f"{extent}{EEX_ATTRIBUTION}: volume-weighted mean of {v.auctions} auctions",
            ]
        )
    write_table(
        out / "eua_auction_vwap_annual.csv",
        [
            "EU ETS allowance (EUA) primary auction clearing prices: volume-weighted mean per calendar year",
            "Unit: EUR per tCO2e (vwap), tCO2e (volume_t). 4 decimals.",
            "Method: the CBAM certificate price method (Reg (EU) 2023/956 Art 21; Implementing "
            "Regulation (EU) 2025/2548) applied to a calendar year.",
            f"Source: {EEX_ATTRIBUTION}; {provenance}.",
            f"Built by {BUILT_BY} from {EEX_CSV} and eex/{EEX_XLSX_GLOB}; "
            f"data to {data_to} (last auction in the input).",
            status_legend("recomputed", "recomputed_partial"),
        ],
        ["year", "vwap_eur_per_tco2e", "volume_t", "auctions", "status", "source"],
        rows,
    )
    return quarters, partial_q


def build_certificate_price(
    quarters: dict[str, Vwap], partial_q: set[str], obs: pd.DataFrame, data_to: str, out: Path
) -> Decimal:
    """Write cbam_certificate_price.csv; return the flat 2027+ projection price.

    Each 2026 quarter is, in this order of preference: the Commission's published figure (with its
    publication date, from observed.csv), our recomputation from the EEX auctions of the whole
    quarter (``recomputed``) or of the part the data covers (``recomputed_partial``), or, where no
    auction of the quarter is in the data, a projection carrying the previous quarter's price
    forward (IR 2548: the price is that of the quarter; nothing better is known before it is
    published). A published quarter whose auctions are all in the data is compared with our
    recomputation (a difference is printed on stderr and stated in the row's source).
    """
    rows: list[list[str]] = []
    prices: list[tuple[Decimal, str]] = []
    previous: tuple[str, Decimal, str, str] | None = None  # quarter, price, status, published on
    for n in range(1, 5):
        q = f"{QUARTERLY_PRICE_YEAR}Q{n}"
        published = observed_value(obs, "cbam_certificate_price", q)
        schedule = observed_value(obs, "cbam_certificate_price_publication", q)
        v = quarters.get(q)
        partial = q in partial_q
        if published is not None:
            price = round_half_up(float(published["value"]), 2)
            published_on = publication_date(published["source"])
            if not published_on:
                raise ValueError(
                    f"{OBSERVED_CSV}: published {q} price without a 'published <d Month yyyy>' date"
                )
            sched = sched_zh = ""
            if schedule is not None and schedule["value"] != published_on:
                sched = f" (scheduled for {schedule['value']})"
                sched_zh = f"（原定于 {schedule['value']} 公布）"
            if v is None:
                recomputation = f"; no auction of the quarter in {EEX_CSV} (data to {data_to})"
                recomputation_zh = f"；{EEX_CSV} 中没有本季度的拍卖（数据截至 {data_to}）"
            elif partial:
                recomputation = (
                    f"; our volume-weighted mean of the quarter's {v.auctions} EEX EUA auctions "
                    f"in the data ({iso(v.first)} to {iso(v.last)}, data end) is {fmt(v.vwap, 4)}: "
                    "part of the quarter only, so it is not compared with the published figure"
                )
                recomputation_zh = (
                    f"；数据中本季度 {v.auctions} 次 EEX EUA 拍卖（{iso(v.first)} 至 {iso(v.last)}，"
                    f"数据截止）的成交量加权平均为 {fmt(v.vwap, 4)}：仅为季度的一部分，故不与公布值比较"
                )
            else:
                recomputation = (
                    f"; the volume-weighted mean of the quarter's {v.auctions} EEX EUA auctions "
                    f"({iso(v.first)} to {iso(v.last)}) recomputes {fmt(v.vwap, 4)}"
                )
                recomputation_zh = (
                    f"；按本季度 {v.auctions} 次 EEX EUA 拍卖（{iso(v.first)} 至 {iso(v.last)}）"
                    f"的成交量加权平均重算为 {fmt(v.vwap, 4)}"
                )
                if round_half_up(v.vwap, 2) != price:
                    print(f"warning: {q} recomputed {v.vwap:.4f} != published {price}", file=sys.stderr)
                    recomputation += f", which does NOT round to the published {price:.2f}"
                    recomputation_zh += f"，四舍五入后与公布的 {price:.2f} 不一致"
            row = [q, f"{price:.2f}", "published", published_on]
            row.append(f"{published['source']}{sched}{recomputation}")
            # the publication stays cited as observed.csv names it (in English)
            row.append(f"欧盟委员会公布值，出处：{published['source']}{sched_zh}{recomputation_zh}")
            previous = (q, price, "published", published_on)
        elif v is not None:
            price = round_half_up(v.vwap, 2)
            status = "recomputed_partial" if partial else "recomputed"
            sched = (
                f"; the Commission's figure (due {schedule['value']}) is not in our data"
                if schedule is not None
                else ""
            )
            sched_zh = (
                f"；欧盟委员会的公布值（应于 {schedule['value']} 公布）不在本数据中"
                if schedule is not None
                else ""
            )
            extent = (
                f"auctions {iso(v.first)} to {iso(v.last)} only (data end): partial quarter"
                if partial
                else f"all {v.auctions} auctions {iso(v.first)} to {iso(v.last)}"
            )
            extent_zh = (
                f"仅 {iso(v.first)} 至 {iso(v.last)} 的拍卖（数据截止）：季度不完整"
                if partial
                else f"全部 {v.auctions} 次拍卖（{iso(v.first)} 至 {iso(v.last)}）"
            )
            row = [
                q,
                f"{price:.2f}",
                status,
                "",
                f"recomputed, NOT the published figure: volume-weighted mean "
                f"{fmt(v.vwap, 4)} of EEX EUA auction clearing prices, {extent} "
                f"({EEX_ATTRIBUTION}){sched}",
                f"重算值，并非公布值：EEX EUA 拍卖成交价的成交量加权平均 {fmt(v.vwap, 4)}，"
                f"{extent_zh}（{EEX_ATTRIBUTION}）{sched_zh}",
            ]
            previous = (q, price, status, "")
        else:
            if previous is None:
                raise ValueError(f"no price before {q} to carry forward")
            base_q, price, base_status, base_on = previous
            sched = f" (official figure due {schedule['value']})" if schedule is not None else ""
            sched_zh = f"（官方数值应于 {schedule['value']} 公布）" if schedule is not None else ""
            basis = f"{base_status} {base_on}" if base_on else base_status
            basis_zh = f"{STATUS_ZH[base_status]} {base_on}" if base_on else STATUS_ZH[base_status]
            row = [
                q,
                f"{price:.2f}",
                "projection",
                "",
                f"projection, not a real price{sched}: flat carry-forward of the price of "
                f"{base_q} ({price:.2f}, {basis}); no auction of {q} in {EEX_CSV} "
                f"(data to {data_to}), so it cannot be recomputed",
                f"预测值，并非真实价格{sched_zh}：沿用 {base_q} 的价格（{price:.2f}，{basis_zh}）；"
                f"{EEX_CSV} 中没有 {q} 的拍卖（数据截至 {data_to}），无法重算",
            ]
        prices.append((price, row[2]))
        rows.append(row)

    values = [p for p, _ in prices]
    projection = (sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    listed = ", ".join(f"{p:.2f} {s}" for p, s in prices)
    listed_zh = "，".join(f"{p:.2f} {STATUS_ZH[s]}" for p, s in prices)
    for year in PROJECTION_YEARS:
        rows.append(
            [
                str(year),
                f"{projection:.2f}",
                "projection",
                "",
                f"projection, not a real price: no futures curve bundled; flat projection = mean "
                f"of the {QUARTERLY_PRICE_YEAR} quarterly prices ({listed}) rounded to the cent; "
                f"from {QUARTERLY_PRICE_YEAR + 1} the official price is weekly and none is "
                "published yet; replace with --price or a price path",
                f"预测值，并非真实价格：未附期货曲线；平价预测 = {QUARTERLY_PRICE_YEAR} 年各季度价格"
                f"（{listed_zh}）的平均值，四舍五入至分；自 {QUARTERLY_PRICE_YEAR + 1} 年起官方价格"
                "按周公布，目前尚无公布值；可用 --price 或价格路径替换",
            ]
        )
    write_table(
        out / "cbam_certificate_price.csv",
        [
            "CBAM certificate price (P_cert): Reg (EU) 2023/956 Art 21 as amended by Reg (EU) "
            "2025/2083; Implementing Regulation (EU) 2025/2548.",
            f"For imports in {QUARTERLY_PRICE_YEAR}: volume-weighted average of EU ETS auction "
            "clearing prices over the calendar quarter of import, rounded to the cent, published "
            "by the Commission after the quarter; from "
            f"{QUARTERLY_PRICE_YEAR + 1}: weekly average (one projected row per year here).",
            "Unit: EUR per tCO2e. 2 decimals.",
            f"Sources: European Commission publication (named in {OBSERVED_CSV}, with its date in "
            f"published_on) for published rows; {EEX_ATTRIBUTION} for recomputed rows and for the "
            "comparison of published full quarters; projections say how they were made.",
            f"Built by {BUILT_BY} from {OBSERVED_CSV} and {EEX_CSV} (+ eex/{EEX_XLSX_GLOB}); "
            f"data to {data_to} (last auction in the input).",
            status_legend("published", "recomputed", "recomputed_partial", "projection"),
            SOURCE_ZH_NOTE,
        ],
        ["period", "price_eur_per_tco2e", "status", "published_on", "source", "source_zh"],
        rows,
    )
    return projection


@dataclass(frozen=True)
class FxSummary:
    """Yearly ECB means, keyed by (year, currency)."""

    means: dict[tuple[int, str], float]
    last_date: pd.Timestamp


def build_fx(source: Path, out: Path) -> FxSummary:
    """Write fx_eur_annual.csv: yearly means of ECB reference rates and flat projections."""
    rates = read_ecb(source)
    last_date = rates.index.max()
    last_year = last_date.year
    rows: list[list[str]] = []
    means: dict[tuple[int, str], float] = {}
    for year in range(FX_FIRST_YEAR, last_year + 1):
        in_year = rates[rates.index.year == year]
        year_first, year_last = in_year.index.min(), in_year.index.max()
        year_complete = year < last_year or last_date.date() == dt.date(year, 12, 31)
        for currency in sorted(in_year.columns):
            series = in_year[currency].dropna()
            if series.empty:
                continue
            mean = float(series.mean())
            means[(year, currency)] = mean
            first, last = series.index.min(), series.index.max()
            full = year_complete and first == year_first and last == year_last
            if full:
                note = f"mean of {len(series)} daily rates, full year"
                note_zh = f"全年 {len(series)} 个日汇率的平均值"
            elif not year_complete:
                note = f"year-to-date mean of {len(series)} daily rates to {iso(last)} (data end)"
                note_zh = f"年初至 {iso(last)}（数据截止）{len(series)} 个日汇率的平均值"
            else:
                note = (
                    f"mean of the {len(series)} daily rates published {iso(first)} to {iso(last)}"
                    f"; the ECB published no {currency} rate for the rest of the year"
                )
                note_zh = (
                    f"{iso(first)} 至 {iso(last)} 公布的 {len(series)} 个日汇率的平均值；"
                    f"欧洲央行当年其余时间未公布 {currency} 汇率"
                )
            rows.append(
                [
                    str(year),
                    currency,
                    fmt(mean, 4),
                    "computed" if full else "partial",
                    str(len(series)),
                    iso(first),
                    iso(last),
                    f"{ECB_ATTRIBUTION}: {note}",
                    f"{ECB_ATTRIBUTION}：{note_zh}",
                ]
            )
    base = rates[rates.index.year == last_year]
    for year in PROJECTION_YEARS:
        for currency in sorted(base.columns):
            series = base[currency].dropna()
            if series.empty:
                continue
            rows.append(
                [
                    str(year),
                    currency,
                    fmt(means[(last_year, currency)], 4),
                    "projection",
                    "",
                    "",
                    "",
                    f"projection, not a real rate: carry-forward of the {last_year} "
                    f"year-to-date mean ({len(series)} ECB daily rates {iso(series.index.min())} "
                    f"to {iso(series.index.max())}); {ECB_ATTRIBUTION}",
                    f"预测值，并非真实汇率：沿用 {last_year} 年初至今的平均值（{len(series)} 个欧洲央行"
                    f"日汇率，{iso(series.index.min())} 至 {iso(series.index.max())}）；{ECB_ATTRIBUTION}",
                ]
            )
    write_table(
        out / "fx_eur_annual.csv",
        [
            "Yearly average euro exchange rates: mean of the ECB daily euro reference rates of "
            "the calendar year (Reg (EU) 2023/956 Art 9 conversions use the yearly average).",
            "Unit: units of currency per 1 EUR (ISO 4217 codes as in the ECB file). 4 decimals.",
            f"Source: {ECB_ATTRIBUTION}; reused with attribution under the ECB reuse policy. "
            "Missing values (N/A or blank) are skipped.",
            f"Built by {BUILT_BY} from {ECB_CSV}; data to {iso(last_date)} (last ECB date in the "
            f"input). Projections ({PROJECTION_YEARS[0]}-{PROJECTION_YEARS[-1]}) exist for every "
            f"currency with {last_year} data.",
            status_legend("computed", "partial", "projection"),
            SOURCE_ZH_NOTE,
        ],
        [
            "year",
            "currency",
            "units_per_eur",
            "status",
            "days",
            "first_date",
            "last_date",
            "source",
            "source_zh",
        ],
        rows,
    )
    return FxSummary(means=means, last_date=last_date)


def period_complete(period: pd.Period, last_date: pd.Timestamp) -> bool:
    """True when no ECB publishing day of ``period`` lies after the file's last date.

    The ECB publishes on TARGET working days; here a day after ``last_date`` counts as a missing
    publishing day unless it is a Saturday or Sunday (a TARGET holiday is not known to the
    script, so a period ending on one after the data end stays partial: the safe side).
    """
    end = period.end_time.normalize()
    if end <= last_date:
        return True
    start = last_date + pd.Timedelta(days=1)
    return int(np.busday_count(start.date(), (end + pd.Timedelta(days=1)).date())) == 0


def build_fx_display(source: Path, out: Path) -> pd.Timestamp:
    """Write fx_eur_display_periods.csv: monthly and quarterly means of the ECB daily rates.

    Each mean is the arithmetic mean of the daily reference rates the ECB published in the
    period (no weighting, no rounding before the mean). A period the data does not cover to its
    end is ``partial``; the library never shows a partial mean as a rate: later periods take the
    last complete period's mean, labelled a projection (cbam_calc.law.display_fx).
    """
    rates = read_ecb(source)
    last_date = rates.index.max()
    rates = rates[rates.index.year >= DISPLAY_FIRST_YEAR]
    rows: list[list[str]] = []
    for freq, name, label in (("M", "month", "%Y-%m"), ("Q", "quarter", None)):
        periods = rates.index.to_period(freq)
        for period in sorted(set(periods)):
            in_period = rates[periods == period]
            complete = period_complete(period, last_date)
            for currency in DISPLAY_CURRENCIES:
                series = in_period[currency].dropna()
                if series.empty:
                    continue
                first, last = series.index.min(), series.index.max()
                what = f"mean of {len(series)} ECB daily rates {iso(first)} to {iso(last)}"
                if not complete:
                    what += f" (period incomplete: data end {iso(last_date)})"
                rows.append(
                    [
                        period.strftime(label) if label else f"{period.year}Q{period.quarter}",
                        name,
                        currency,
                        fmt(float(series.mean()), 4),
                        "computed" if complete else "partial",
                        str(len(series)),
                        iso(first),
                        iso(last),
                        f"{ECB_ATTRIBUTION}: {what}",
                    ]
                )
    write_table(
        out / FX_DISPLAY_FILE,
        [
            "DISPLAY exchange rates by month and quarter: the arithmetic mean of the ECB daily euro "
            "reference rates of the days published in the period. For showing EUR amounts in "
            "another currency (cbam calc --currency CNY) only: NOT the Art 9 rate of Reg (EU) "
            "2023/956 (the yearly average, fx_eur_annual.csv).",
            "Unit: units of currency per 1 EUR. 4 decimals. Periods: months as YYYY-MM, "
            f"quarters as YYYYQn, from {DISPLAY_FIRST_YEAR}; currencies: "
            f"{', '.join(DISPLAY_CURRENCIES)}.",
            f"Source: {ECB_ATTRIBUTION}; reused with attribution under the ECB reuse policy. "
            "Missing values (N/A or blank) are skipped.",
            f"Built by {BUILT_BY} from {ECB_CSV}; data to {iso(last_date)} (last ECB date in the "
            "input). A period with publishing days (Monday to Friday) after that date is partial.",
            "status: computed = mean over the whole period (every publishing day of the period is in "
            "the input); partial = the period runs past the data end (never shown as a rate: later "
            "periods carry the last complete period's mean forward, labelled a projection)",
        ],
        [
            "period",
            "frequency",
            "currency",
            "units_per_eur",
            "status",
            "days",
            "first_date",
            "last_date",
            "source",
        ],
        rows,
    )
    return last_date


def split_range(value: str) -> list[tuple[str, str]]:
    """``"70-80"`` -> [("_low", "70"), ("_high", "80")]; a plain number -> [("", value)]."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*", value)
    if match:
        return [("_low", match.group(1)), ("_high", match.group(2))]
    float(value)  # raises on anything that is not a number
    return [("", value.strip())]


def build_china_prices(obs: pd.DataFrame, prefix: str, out: Path, title: str) -> None:
    """Write cea_price.csv or ccer_price.csv from the observed.csv rows of one prefix."""
    chosen = obs[obs["series"].str.startswith(prefix)]
    keyed: list[tuple[tuple[str, str, int], list[str]]] = []
    for _, r in chosen.iterrows():
        if not r["unit"].startswith("CNY/"):
            raise ValueError(f"{OBSERVED_CSV}: {r['series']} {r['period']} unit {r['unit']}")
        for i, (suffix, value) in enumerate(split_range(r["value"])):
            row = [f"{r['series']}{suffix}", r["period"], value, r["kind"], r["source"]]
            keyed.append(((r["series"], r["period"], i), row))  # low before high
    rows = [row for _, row in sorted(keyed, key=lambda item: item[0])]
    units = sorted(set(chosen["unit"]))
    latest = max(row[1] for row in rows)
    write_table(
        out / f"{prefix}_price.csv",
        [
            title,
            f"Unit: CNY per tonne ({', '.join(units)} as given by the sources).",
            f"Source: the named sources in {OBSERVED_CSV}, one per row (each figure as reported "
            "there). Ranges like 70-80 are split into _low and _high rows of the same series.",
            f"Built by {BUILT_BY} from {OBSERVED_CSV}; latest period in the data: {latest}.",
            status_legend("observed", "derived"),
        ],
        ["series", "period", "value_cny_per_t", "status", "source"],
        rows,
    )


def build_default_carbon_price(data_to: str, out: Path) -> None:
    """Write the header-only default_carbon_price.csv (Art 9 default track)."""
    write_table(
        out / "default_carbon_price.csv",
        [
            "Default carbon price per country of origin (EUR per tCO2e) published by the "
            "European Commission for the Art 9 default track of Reg (EU) 2023/956.",
            f"As of the latest input data date ({data_to}) NO default carbon price has been "
            f"published for any country (see {OBSERVED_CSV} and the price data README), so this "
            "file has no data rows.",
            "Users can pass a default carbon price on the command line; any such figure is the "
            "user's assumption, not an official value.",
            "Unit: EUR per tCO2e. Source column: the Commission publication, once one exists.",
            f"Built by {BUILT_BY}.",
            status_legend("published"),
        ],
        ["country_iso2", "year", "price_eur_per_tco2e", "status", "source"],
        [],
    )


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def build(source: Path, out: Path) -> dict[str, object]:
    """Rebuild every reference file in ``out`` from ``source``; return headline figures."""
    for name in (EEX_CSV, ECB_CSV, OBSERVED_CSV):
        if not (source / name).is_file():
            raise FileNotFoundError(f"missing input {source / name}")
    out.mkdir(parents=True, exist_ok=True)
    obs = read_observed(source)
    auctions = load_eua_auctions(source)
    eex_to = iso(auctions.last_date)
    quarters, partial_q = build_auction_tables(auctions, out)
    projection = build_certificate_price(quarters, partial_q, obs, eex_to, out)
    fx = build_fx(source, out)
    build_fx_display(source, out)
    build_china_prices(
        obs, "cea", out, "China national ETS allowance (CEA) prices, as reported by named sources."
    )
    build_china_prices(
        obs,
        "ccer",
        out,
        "China Certified Emission Reduction (CCER) prices, as reported by named sources.",
    )
    build_default_carbon_price(iso(max(auctions.last_date, fx.last_date)), out)
    return {
        "quarters": {q: v.vwap for q, v in quarters.items()},
        "projection_2027": projection,
        "fx": fx.means,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        help=f"price data directory (default: ${SOURCE_ENV_VAR} or ../shared/data/prices)",
    )
    parser.add_argument(
        "--out", default=str(DEFAULT_OUT), help="output directory (default: reference_prices/)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the reference files; print one line per file written."""
    args = parse_args(argv)
    source = resolve_source_dir(args.source)
    out = Path(args.out)
    build(source, out)
    for path in sorted(out.glob("*.csv")):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
