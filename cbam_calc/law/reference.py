"""Reference tables: the law's tables (``cbam_calc/data``) and market data (``reference_prices``).

Loaded once per process and shared; every table keeps the comment header of its file, which says
where its numbers come from. ``ReferenceData.fingerprint`` hashes every file so a report can say
exactly which reference data produced it.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from cbam_calc.core.messages import Message

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # cbam_calc/
DATA_DIR = PACKAGE_DIR / "data"


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

        cache = self.__dict__.setdefault("_table_meta", {})
        if relpath not in cache:
            sidecar = (self.data_dir / relpath).with_suffix(".meta.yaml")
            cache[relpath] = load_yaml(sidecar.read_text(encoding="utf-8"))
        return cache[relpath]

    # ------------------------------------------------------------------ reproducibility
    @cached_property
    def files(self) -> list[Path]:
        law = sorted(p for p in self.data_dir.rglob("*") if p.is_file() and p.suffix in (".csv", ".yaml"))
        market = sorted(p for p in self.prices_dir.glob("*.csv"))
        return law + market

    def file_sha256(self, path: Path) -> str:
        """SHA-256 (hex) of one reference file, read and hashed once per process: the fingerprint
        and the inventory (``cbam data``, the run record) share it."""
        cache = self.__dict__.setdefault("_file_sha256", {})
        if path not in cache:
            cache[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        return cache[path]

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
