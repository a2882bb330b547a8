"""Reference tables: the law's tables (``cbam_calc/data``) and market data (``reference_prices``).

Loaded once per process and shared; every table keeps the comment header of its file, which says
where its numbers come from. ``ReferenceData.fingerprint`` hashes every file so a report can say
exactly which reference data produced it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from cbam_calc.core.messages import Message

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # cbam_calc/
DATA_DIR = PACKAGE_DIR / "data"
DERIVED = "_derived"  # the attribute of a ReferenceData that holds what is derived from it
T = TypeVar("T")


def prices_dir() -> Path:
    """Where the price and exchange-rate files are.

    Returns
    -------
    Path
        ``$CBAM_REFERENCE_PRICES`` where set; else the copy inside an installed wheel; else, in
        a source checkout (``pip install -e .``), the repository's ``reference_prices/``.
    """
    env = os.environ.get("CBAM_REFERENCE_PRICES")
    if env:
        return Path(env)
    inside = PACKAGE_DIR / "reference_prices"
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / "reference_prices"


def read_commented_csv(path: Path, **kwargs) -> pd.DataFrame:
    """Read a CSV whose first lines are ``#`` comments (its provenance).

    Parameters
    ----------
    path : Path
        The CSV file.
    **kwargs
        Passed to :func:`pandas.read_csv` (by default every value is text, none is NA).

    Returns
    -------
    pandas.DataFrame
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    skip = 0
    while skip < len(lines) and lines[skip].startswith("#"):
        skip += 1
    opts = {"dtype": str, "keep_default_na": False}
    opts.update(kwargs)
    return pd.read_csv(io.StringIO("".join(lines[skip:])), **opts)


def _sources_in_two_languages(df: pd.DataFrame) -> pd.DataFrame:
    """The ``source`` column as messages: each row's English source, in Chinese its ``source_zh``
    (scripts/build_prices.py writes both from the same figures); a table without source_zh (a
    user's own reference_prices/, CBAM_REFERENCE_PRICES) keeps its source in every language."""
    if "source" not in df.columns:
        return df
    chinese = df["source_zh"] if "source_zh" in df.columns else df["source"]
    shown = {
        pair: Message("M_DATA_TEXT", text=pair[0], text_zh=pair[1] or pair[0])
        for pair in set(zip(df["source"], chinese))
    }
    df["source"] = pd.Series([shown[p] for p in zip(df["source"], chinese)], index=df.index, dtype=object)
    return df


def comment_header(path: Path) -> str:
    """The provenance comment of a reference CSV.

    Parameters
    ----------
    path : Path
        The CSV file.

    Returns
    -------
    str
        Its leading ``#`` lines, without the marks, joined by spaces.
    """
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        out.append(line[1:].strip())
    return " ".join(x for x in out if x)


@dataclass
class ReferenceData:
    """All reference tables of one run. Construct with :func:`reference_data`."""

    data_dir: Path
    prices_dir: Path

    # ------------------------------------------------------------------ law (cbam_calc/data)
    @cached_property
    def goods(self) -> pd.DataFrame:
        df = read_commented_csv(self.data_dir / "eu" / "cn_goods.csv")
        df["direct_only"] = df["direct_only"].eq("true")
        return df.set_index("cn_code", drop=False)

    @cached_property
    def annex_i_scope(self) -> pd.DataFrame:
        """Annex I by heading (``cn_prefix``, ``rule`` include/except): law.scope."""
        return read_commented_csv(self.data_dir / "eu" / "annex_i_scope.csv", dtype=str)

    @cached_property
    def benchmarks(self) -> pd.DataFrame:
        df = read_commented_csv(self.data_dir / "eu" / "benchmarks.csv")
        df["benchmark_tco2e_per_t"] = df["benchmark_tco2e_per_t"].astype(float)
        return df

    @cached_property
    def default_values(self) -> pd.DataFrame:
        df = read_commented_csv(self.data_dir / "eu" / "default_values.csv")
        for col in ("direct_tco2e_per_t", "indirect_tco2e_per_t", "total_tco2e_per_t"):
            df[col] = pd.to_numeric(df[col].replace("", None), errors="raise").astype(float)
        df["indirect_not_applicable"] = df["indirect_not_applicable"].eq("true")
        return df

    @cached_property
    def annex_iv_defaults(self) -> pd.DataFrame:
        df = read_commented_csv(self.data_dir / "eu" / "annex_iv_defaults.csv")
        df["highest_tco2e_per_t"] = df["highest_tco2e_per_t"].astype(float)
        return df

    @cached_property
    def countries(self) -> pd.DataFrame:
        return read_commented_csv(self.data_dir / "countries.csv").set_index("iso2", drop=False)

    @cached_property
    def country_aliases(self) -> dict[str, str]:
        """Lower-cased name, alias or code -> ISO 3166-1 alpha-2."""
        out: dict[str, str] = {}
        for r in self.countries.itertuples(index=False):
            names = [r.iso2, r.iso3, r.name, r.name_zh, r.ir2621_table, *r.aliases.split("|")]
            for n in names:
                if n:
                    out.setdefault(n.strip().casefold(), r.iso2)
        return out

    # ------------------------------------------------------------------ markets (reference_prices)
    @cached_property
    def certificate_prices(self) -> pd.DataFrame:
        df = read_commented_csv(self.prices_dir / "cbam_certificate_price.csv")
        df["price_eur_per_tco2e"] = df["price_eur_per_tco2e"].astype(float)
        return _sources_in_two_languages(df)

    @cached_property
    def fx_annual(self) -> pd.DataFrame:
        df = read_commented_csv(self.prices_dir / "fx_eur_annual.csv")
        df["year"] = df["year"].astype(int)
        df["units_per_eur"] = df["units_per_eur"].astype(float)
        return _sources_in_two_languages(df)

    @cached_property
    def fx_display(self) -> pd.DataFrame:
        """Monthly and quarterly ECB means (``fx_eur_display_periods.csv``): DISPLAY rates only,
        never Art 9's (see :mod:`cbam_calc.law.display_fx`)."""
        df = read_commented_csv(self.prices_dir / "fx_eur_display_periods.csv")
        df["units_per_eur"] = df["units_per_eur"].astype(float)
        return df

    @cached_property
    def default_carbon_prices(self) -> pd.DataFrame:
        path = self.prices_dir / "default_carbon_price.csv"
        df = read_commented_csv(path)
        if len(df):
            df["year"] = df["year"].astype(int)
            df["price_eur_per_tco2e"] = df["price_eur_per_tco2e"].astype(float)
        return df

    def china_carbon_price(self, kind: str) -> tuple[float, str, str]:
        """Latest observed CEA ('cea') or CCER ('ccer') price, CNY per tCO2e: (value, period, source).

        CEA: the latest yearly volume-weighted price; CCER: the latest monthly one."""
        file, series = {
            "cea": ("cea_price.csv", "cea_vwap_annual"),
            "ccer": ("ccer_price.csv", "ccer_vwap_monthly"),
        }[kind]
        df = read_commented_csv(self.prices_dir / file)
        df = df[df["series"] == series].sort_values("period")
        r = df.iloc[-1]
        return float(r["value_cny_per_t"]), str(r["period"]), f"{series} {r['period']}: {r['source']}"

    def source_of(self, relpath: str) -> str:
        """Provenance comment of a reference file, e.g. ``eu/default_values.csv``."""
        base = self.prices_dir if relpath.startswith("reference_prices/") else self.data_dir
        name = relpath.removeprefix("reference_prices/")
        return comment_header(base / name)

    def table_meta(self, relpath: str) -> dict:
        """The ``.meta.yaml`` sidecar of a law table (source act, effective dates), e.g.
        ``eu/default_values.csv``."""
        from cbam_calc.law.parameters import load_yaml

        sidecar = (self.data_dir / relpath).with_suffix(".meta.yaml")
        return self.derived("table_meta", lambda: load_yaml(sidecar.read_text(encoding="utf-8")), relpath)

    def derived(self, name: str, build: Callable[[], T], key: Hashable = None) -> T:
        """What ``build`` derives from these tables (an index of a table, a parsed sidecar, a
        file's hash), built on first use and kept on this object under (``name``, ``key``): one
        ``name`` per kind of object, and a ``key`` where there is one per file or currency
        (``table_meta`` by path, ``display_rate_index`` by currency).

        Kept here, not in a module-level cache: a ReferenceData's tables are read once and never
        changed (a run that needs other tables makes another object, as
        proposals.extended_reference does), so what is derived from them holds as long as the
        object and goes with it; another object (other data folders, a test's copy) derives its
        own. ``build`` must be a function of the tables alone, so that building it twice gives
        the same object: two threads asking at once (the command line warms the caches while its
        CSV is read in the background) may both build it and the last one kept wins, harmless;
        a dict's get and set need no lock under the GIL. ``cbam batch`` workers are processes,
        each with its own reference data and its own cache."""
        cache = self.__dict__.setdefault(DERIVED, {})
        at = (name, key)
        if at not in cache:
            cache[at] = build()
        return cache[at]

    def with_tables(self, **tables: pd.DataFrame) -> ReferenceData:
        """A copy with ``tables`` (cached tables by name: ``certificate_prices=...``) replaced. The
        other tables already read are shared, not read again, and so is what was derived so far
        (:meth:`derived`: indexes of the law's tables and files, none of a table a copy replaces),
        in a cache of the copy's own, so that what the copy derives later stays on it."""
        for name in tables:
            if not isinstance(getattr(type(self), name, None), cached_property):
                raise ValueError(f"not a table of the reference data: {name}")
        out = dataclasses.replace(self)
        out.__dict__.update(self.__dict__)
        out.__dict__[DERIVED] = dict(self.__dict__.get(DERIVED, {}))
        out.__dict__.update(tables)
        return out

    def derived_so_far(self, name: str, key: Hashable = None) -> Any | None:
        """What :meth:`derived` keeps under (``name``, ``key``), or None if nothing is built yet."""
        return self.__dict__.get(DERIVED, {}).get((name, key))

    # ------------------------------------------------------------------ reproducibility
    @cached_property
    def files(self) -> list[Path]:
        law = sorted(p for p in self.data_dir.rglob("*") if p.is_file() and p.suffix in (".csv", ".yaml"))
        market = sorted(p for p in self.prices_dir.glob("*.csv"))
        return law + market

    def file_sha256(self, path: Path) -> str:
        """SHA-256 (hex) of one reference file, read and hashed once per process: the fingerprint
        and the inventory (``cbam data``, the run record) share it."""
        return self.derived("file_sha256", lambda: hashlib.sha256(path.read_bytes()).hexdigest(), path)

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 over every reference file (names and bytes): which data produced a result."""
        h = hashlib.sha256()
        for p in self.files:
            rel = p.relative_to(self.data_dir if p.is_relative_to(self.data_dir) else self.prices_dir)
            h.update(str(rel).encode())
            h.update(bytes.fromhex(self.file_sha256(p)))
        return h.hexdigest()


@lru_cache(maxsize=4)
def reference_data(data_dir: Path | None = None, prices: Path | None = None) -> ReferenceData:
    """The shared reference data of this process (cached).

    Parameters
    ----------
    data_dir : Path, optional
        The law's tables (default ``cbam_calc/data``).
    prices : Path, optional
        The market data (default :func:`prices_dir`).

    Returns
    -------
    ReferenceData
        The tables, read when first used, and their fingerprint.
    """
    return ReferenceData(data_dir=data_dir or DATA_DIR, prices_dir=prices or prices_dir())
