"""Tests of reference_prices/ and of scripts/build_prices.py.

Tests that read only the committed reference_prices/ files always run. Tests that need the raw
price data (../shared/data/prices, or $CBAM_SHARED_PRICES) skip when it is absent, for example on
a clean CI checkout.

Legal background: CBAM certificate price = volume-weighted average of EU ETS auction clearing
prices (Reg (EU) 2023/956 Art 21 as amended by Reg (EU) 2025/2083; IR (EU) 2025/2548), quarterly
for 2026 imports; Art 9 converts currencies at yearly averages of ECB reference rates.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from conftest import REPO

REF = REPO / "reference_prices"
SCRIPT = REPO / "scripts" / "build_prices.py"

ALLOWED_STATUSES = {
    "published",
    "recomputed",
    "recomputed_partial",
    "observed",
    "derived",
    "computed",
    "partial",
    "projection",
}

# File -> (exact columns, words the comment header must contain to name its sources).
FILES: dict[str, tuple[list[str], list[str]]] = {
    "cbam_certificate_price.csv": (
        ["period", "price_eur_per_tco2e", "status", "published_on", "source", "source_zh"],
        ["European Commission", "EEX", "source_zh"],
    ),
    "eua_auction_vwap_quarterly.csv": (
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
        ["EEX"],
    ),
    "eua_auction_vwap_annual.csv": (
        ["year", "vwap_eur_per_tco2e", "volume_t", "auctions", "status", "source"],
        ["EEX"],
    ),
    "fx_eur_annual.csv": (
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
        ["European Central Bank", "source_zh"],
    ),
    "fx_eur_display_periods.csv": (
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
        ["European Central Bank", "DISPLAY", "arithmetic mean", "NOT the Art 9 rate"],
    ),
    "cea_price.csv": (
        ["series", "period", "value_cny_per_t", "status", "source"],
        ["observed.csv"],
    ),
    "ccer_price.csv": (
        ["series", "period", "value_cny_per_t", "status", "source"],
        ["observed.csv"],
    ),
    "default_carbon_price.csv": (
        ["country_iso2", "year", "price_eur_per_tco2e", "status", "source"],
        ["European Commission"],
    ),
}

# Figures of ../shared/data/prices/observed.csv, copied here so that the tests of the committed
# files run without the shared data (the skipping tests below compare with the live file).
OBSERVED_ANNUAL_VWAP = {2021: 52.92, 2022: 79.75, 2023: 83.25, 2024: 64.75, 2025: 73.43}
OBSERVED_FX = {("CNY", 2023): "7.66", ("CNY", 2024): "7.7875", ("CNY", 2025): "8.1185"}
OBSERVED_FX[("USD", 2025)] = "1.13"
PROJECTED_CURRENCIES = ["CNY", "USD", "INR", "TRY", "KRW", "GBP", "JPY"]


def read(name: str) -> pd.DataFrame:
    """A committed reference file, as the rest of the code reads it."""
    return pd.read_csv(REF / name, comment="#", dtype=str, keep_default_na=False)


def comment_lines(path: Path) -> list[str]:
    """The leading ``#`` lines of a file."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def decimals(text: str) -> int:
    """Number of decimals written in a numeric string."""
    return len(text.split(".")[1]) if "." in text else 0


# --------------------------------------------------------------------------------------------
# Committed files (never skip)
# --------------------------------------------------------------------------------------------


def test_exact_file_set() -> None:
    assert sorted(p.name for p in REF.glob("*.csv")) == sorted(FILES)
    assert (REF / "README.md").is_file()


@pytest.mark.parametrize("name", sorted(FILES))
def test_header_comments_and_columns(name: str) -> None:
    columns, source_words = FILES[name]
    path = REF / name
    comments = comment_lines(path)
    assert len(comments) >= 3, f"{name}: needs # lines saying what, unit, source, build"
    text = "\n".join(comments)
    assert "Unit:" in text
    assert "Built by scripts/build_prices.py" in text
    assert "Source" in text
    for word in source_words:
        assert word in text, f"{name}: header does not name {word}"
    assert list(read(name).columns) == columns


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_row_has_status_and_source(name: str) -> None:
    df = read(name)
    assert set(df["status"]) <= ALLOWED_STATUSES, set(df["status"]) - ALLOWED_STATUSES
    assert (df["status"].str.strip() != "").all()
    assert (df["source"].str.strip() != "").all()
    projections = df[df["status"] == "projection"]
    assert projections["source"].str.contains("projection").all()
    if "source_zh" in df.columns:  # the Chinese beside it, a projection named one in Chinese too
        assert (df["source_zh"].str.strip() != "").all()
        assert projections["source_zh"].str.contains("预测值，并非真实").all()


@pytest.mark.parametrize("name", sorted(FILES))
def test_no_hash_in_data_lines(name: str) -> None:
    """read_csv(comment='#') would cut a data line at a '#'."""
    lines = (REF / name).read_text(encoding="utf-8").splitlines()
    data = lines[len(comment_lines(REF / name)) :]
    assert data and not any("#" in line for line in data)


def test_certificate_price_rows() -> None:
    df = read("cbam_certificate_price.csv").set_index("period")
    years = [str(y) for y in range(2027, 2035)]
    assert list(df.index) == ["2026Q1", "2026Q2", "2026Q3", "2026Q4", *years]
    price = df["price_eur_per_tco2e"]
    assert all(decimals(p) == 2 for p in price)
    assert (df.loc[df["status"] != "published", "published_on"] == "").all()

    mean_2026 = sum(float(price[f"2026Q{n}"]) for n in range(1, 5)) / 4
    for year in years:
        row = df.loc[year]
        assert row["status"] == "projection"
        assert float(row["price_eur_per_tco2e"]) == pytest.approx(round(mean_2026, 2), abs=1e-9)
        assert "no futures curve bundled" in row["source"]
        assert "--price" in row["source"]


@pytest.mark.parametrize(
    ("quarter", "price", "published_on", "recomputed"),
    [
        ("2026Q1", "75.36", "2026-04-07", "75.3641"),
        ("2026Q2", "75.28", "2026-07-06", "75.2766"),
        ("2026Q3", "82.32", "2026-10-05", "80.3020"),
    ],
)
def test_art21_ir2548_2026_quarters_1_to_3_are_published(quarter, price, published_on, recomputed) -> None:
    """IR 2025/2548: the Commission published Q1 (7 Apr), Q2 (6 Jul) and Q3 2026 (5 Oct 2026)."""
    row = read("cbam_certificate_price.csv").set_index("period").loc[quarter]
    assert (row["status"], row["price_eur_per_tco2e"], row["published_on"]) == (
        "published",
        price,
        published_on,
    )
    assert "European Commission" in row["source"]
    assert recomputed in row["source"]  # our recomputation from the EEX auctions, stated beside it


def test_art21_ir2548_q3_2026_published_price_differs_from_the_partial_recomputation() -> None:
    # The EEX data ends 7 Aug 2026: 25 auctions 2026-07-02..2026-08-07 give 80.3020, not the
    # published 82.32, and they cover part of the quarter only, so the two are not compared.
    row = read("cbam_certificate_price.csv").set_index("period").loc["2026Q3"]
    assert row["price_eur_per_tco2e"] == "82.32"
    assert "80.3020" in row["source"] and "2026-08-07" in row["source"]
    assert "not compared" in row["source"]


def test_art21_ir2548_q4_2026_is_q3_published_price_carried_forward() -> None:
    # Q4 2026 is published on 4 Jan 2027; no Q4 auction is in the data (it ends 7 Aug 2026):
    # until then Q4 is a labelled projection = Q3's published 82.32.
    row = read("cbam_certificate_price.csv").set_index("period").loc["2026Q4"]
    assert (row["status"], row["price_eur_per_tco2e"], row["published_on"]) == ("projection", "82.32", "")
    assert "carry-forward" in row["source"] and "2026Q3" in row["source"]
    assert "published 2026-10-05" in row["source"]
    assert "due 2027-01-04" in row["source"]


def test_flat_projection_from_2027_is_the_mean_of_the_2026_quarters() -> None:
    # (75.36 + 75.28 + 82.32 + 82.32) / 4 = 315.28 / 4 = 78.82
    df = read("cbam_certificate_price.csv").set_index("period")
    assert df.loc["2027", "price_eur_per_tco2e"] == "78.82"
    assert "75.36 published, 75.28 published, 82.32 published, 82.32 projection" in df.loc["2027", "source"]


def test_certificate_price_agrees_with_quarterly_vwap() -> None:
    """A published quarter whose auctions are all in the EEX data rounds to the recomputation."""
    quarterly = read("eua_auction_vwap_quarterly.csv").set_index("period")
    cert = read("cbam_certificate_price.csv").set_index("period")
    assert quarterly.loc["2026Q1", "vwap_eur_per_tco2e"] == "75.3641"
    assert quarterly.loc["2026Q2", "vwap_eur_per_tco2e"] == "75.2766"
    for q in ["2026Q1", "2026Q2"]:
        assert quarterly.loc[q, "status"] == "recomputed"  # the whole quarter is in the data
        vwap = float(quarterly.loc[q, "vwap_eur_per_tco2e"])
        assert f"{vwap:.2f}" == cert.loc[q, "price_eur_per_tco2e"]
    # Q3: the data stops on 7 Aug, the comparison does not apply
    assert quarterly.loc["2026Q3", "status"] == "recomputed_partial"
    assert quarterly.loc["2026Q3", "last_auction"] == "2026-08-07"


def test_quarterly_vwap_file() -> None:
    df = read("eua_auction_vwap_quarterly.csv")
    expected = [f"{y}Q{q}" for y in range(2021, 2027) for q in range(1, 5)][:-1]
    assert list(df["period"]) == expected
    assert all(decimals(v) == 4 for v in df["vwap_eur_per_tco2e"])
    assert list(df["status"]) == ["recomputed"] * (len(expected) - 1) + ["recomputed_partial"]
    assert df["last_auction"].iloc[-1] == "2026-08-07"
    assert "2026-08-07" in df["source"].iloc[-1]


def test_annual_vwap_committed_matches_observed() -> None:
    df = read("eua_auction_vwap_annual.csv").set_index("year")
    assert list(df.index) == [str(y) for y in range(2021, 2027)]
    for year, expected in OBSERVED_ANNUAL_VWAP.items():
        row = df.loc[str(year)]
        assert row["status"] == "recomputed"
        assert round(float(row["vwap_eur_per_tco2e"]), 2) == pytest.approx(expected, abs=1e-9)
    assert df.loc["2026", "status"] == "recomputed_partial"


def test_annual_is_consistent_with_quarters() -> None:
    quarterly = read("eua_auction_vwap_quarterly.csv")
    annual = read("eua_auction_vwap_annual.csv").set_index("year")
    quarterly["year"] = quarterly["period"].str[:4]
    for year, group in quarterly.groupby("year"):
        volume = group["volume_t"].astype(float)
        value = (group["vwap_eur_per_tco2e"].astype(float) * volume).sum() / volume.sum()
        assert value == pytest.approx(float(annual.loc[year, "vwap_eur_per_tco2e"]), abs=1e-3)
        assert int(volume.sum()) == int(annual.loc[year, "volume_t"])
        assert group["auctions"].astype(int).sum() == int(annual.loc[year, "auctions"])


def test_fx_committed() -> None:
    df = read("fx_eur_annual.csv")
    rates = df.set_index(["currency", "year"])["units_per_eur"]
    for (currency, year), expected in OBSERVED_FX.items():
        got = float(rates[(currency, str(year))])
        assert f"{got:.{decimals(expected)}f}" == expected
    assert all(decimals(v) == 4 for v in df["units_per_eur"])
    assert sorted(set(df["year"].astype(int))) == list(range(2019, 2035))

    y2026 = df[df["year"] == "2026"]
    assert (y2026["status"] == "partial").all()
    assert (y2026["last_date"] == "2026-10-30").all()
    for year in range(2027, 2035):
        proj = df[df["year"] == str(year)].set_index("currency")
        assert (proj["status"] == "projection").all()
        assert set(proj.index) == set(y2026["currency"])
        for currency in PROJECTED_CURRENCIES:
            assert proj.loc[currency, "units_per_eur"] == rates[(currency, "2026")]
    assert "RUB" not in set(df[df["year"].astype(int) >= 2023]["currency"])
    full = df[df["status"] == "computed"]
    assert (full["year"].astype(int) <= 2025).all()


# The 22 ECB CNY reference rates of October 2026 (eurofxref-hist.csv, 1 to 30 Oct 2026; 31 Oct is a
# Saturday): their sum is 164.7423, so the mean is 164.7423 / 22 = 7.48829 -> 7.4883.
ECB_CNY_OCT_2026 = [
    "7.5748",
    "7.5259",
    "7.5118",
    "7.5554",
    "7.4937",
    "7.4972",
    "7.4992",
    "7.4832",
    "7.4890",
    "7.4925",
    "7.4993",
    "7.5240",
    "7.4991",
    "7.4894",
    "7.4999",
    "7.4786",
    "7.4660",
    "7.4603",
    "7.4343",
    "7.4217",
    "7.4144",
    "7.4326",
]


def test_display_rate_october_2026_is_the_mean_of_its_22_daily_rates() -> None:
    df = read("fx_eur_display_periods.csv").set_index(["currency", "period"])
    row = df.loc[("CNY", "2026-10")]
    assert sum(float(v) for v in ECB_CNY_OCT_2026) == pytest.approx(164.7423)
    assert row["units_per_eur"] == "7.4883"
    assert (row["frequency"], row["days"], row["first_date"], row["last_date"]) == (
        "month",
        "22",
        "2026-10-01",
        "2026-10-30",
    )
    # data end Friday 30 Oct: the month is complete (31 Oct is a Saturday), the quarter is not
    assert row["status"] == "computed"
    assert df.loc[("CNY", "2026Q4"), "status"] == "partial"
    assert df.loc[("CNY", "2026Q3"), "status"] == "computed"
    assert df.loc[("CNY", "2026Q3"), "days"] == "66"


def test_display_rates_stop_at_the_data_end() -> None:
    df = read("fx_eur_display_periods.csv")
    assert df["last_date"].max() == "2026-10-30"
    assert "data to 2026-10-30" in "\n".join(comment_lines(REF / "fx_eur_display_periods.csv"))
    assert set(df["currency"]) == {"CNY"}
    assert set(df["frequency"]) == {"month", "quarter"}


def test_display_means_from_a_few_daily_values(script: ModuleType, tmp_path: Path) -> None:
    """Arithmetic mean of the rates published in the period: 1, 2 and 5 Oct 2026 (the file's
    first three October CNY rates) give (7.5748 + 7.5259 + 7.5118) / 3 = 22.6125 / 3 = 7.5375; 29
    and 30 Sep give (7.70 + 7.72) / 2 = 7.71. A 'N/A' day is skipped, not counted as zero."""
    ecb = tmp_path / "ecb"
    ecb.mkdir()
    (ecb / "eurofxref-hist.csv").write_text(
        "Date,USD,CNY,\n"
        "2026-10-05,1.1,7.5118,\n"
        "2026-10-02,1.1,7.5259,\n"
        "2026-10-01,1.1,7.5748,\n"
        "2026-09-30,1.1,7.72,\n"
        "2026-09-29,1.1,7.70,\n"
        "2026-09-28,1.1,N/A,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    assert script.build_fx_display(tmp_path, out) == pd.Timestamp("2026-10-05")
    df = pd.read_csv(out / "fx_eur_display_periods.csv", comment="#", dtype=str)
    df = df.set_index("period")
    assert df.loc["2026-10", "units_per_eur"] == "7.5375"
    assert df.loc["2026-10", "days"] == "3"
    assert df.loc["2026-10", "status"] == "partial"  # Tue 6 Oct to Fri 30 Oct not in the file
    assert df.loc["2026-09", "units_per_eur"] == "7.7100"
    assert df.loc["2026-09", "days"] == "2"
    assert df.loc["2026-09", "status"] == "computed"
    assert df.loc["2026Q4", "units_per_eur"] == "7.5375"
    assert df.loc["2026Q3", "units_per_eur"] == "7.7100"


def test_china_price_files() -> None:
    cea = read("cea_price.csv")
    ccer = read("ccer_price.csv")
    assert cea["series"].str.startswith("cea_").all()
    assert ccer["series"].str.startswith("ccer_").all()
    for df in (cea, ccer):
        assert set(df["status"]) <= {"observed", "derived"}
        df["value_cny_per_t"].astype(float)  # every value is a number
    assert {"cea_vwap_annual", "cea_monthly_average_close", "cea_close_high"} <= set(cea["series"])
    assert {"ccer_vwap_monthly", "ccer_expected_mid_price"} <= set(ccer["series"])


def test_default_carbon_price_has_no_rows() -> None:
    path = REF / "default_carbon_price.csv"
    assert read("default_carbon_price.csv").empty
    text = "\n".join(comment_lines(path))
    assert "NO default carbon price has been published" in text
    assert "command line" in text


# --------------------------------------------------------------------------------------------
# Raw data and the build script (skip without ../shared/data/prices)
# --------------------------------------------------------------------------------------------


def shared_prices_dir() -> Path:
    """$CBAM_SHARED_PRICES, else ../shared/data/prices next to the repository."""
    env = os.environ.get("CBAM_SHARED_PRICES")
    return Path(env) if env else REPO.parent / "shared" / "data" / "prices"


@pytest.fixture(scope="module")
def source() -> Path:
    path = shared_prices_dir()
    if not (path / "observed.csv").is_file():
        pytest.skip(
            f"raw price data not found at {path} (set CBAM_SHARED_PRICES to its directory); "
            "only the committed reference_prices/ files are tested"
        )
    return path


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_prices", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(source: Path, script: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference_prices")
    assert script.main(["--source", str(source), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def observed(source: Path) -> pd.DataFrame:
    return pd.read_csv(source / "observed.csv", dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_committed_files_are_what_the_script_builds(built: Path) -> None:
    assert sorted(p.name for p in built.glob("*.csv")) == sorted(FILES)
    for name in FILES:
        assert (built / name).read_bytes() == (REF / name).read_bytes(), (
            f"{name} is stale: run python scripts/build_prices.py"
        )


def test_q1_2026_from_raw_eex_csv(source: Path, observed: pd.DataFrame) -> None:
    """IR 2025/2548: the Q1 2026 price is the VWAP of the quarter's auctions (published 75.36)."""
    raw = pd.read_csv(source / "eex" / "eua-auctions-2012-2026.csv", parse_dates=["Date"])
    raw = raw.dropna(subset=["Auction Price €/tCO2"])
    q1 = raw[(raw["Date"] >= "2026-01-01") & (raw["Date"] <= "2026-03-31")]
    price, volume = q1["Auction Price €/tCO2"], q1["Auction Volume tCO2"]
    vwap = float((price * volume).sum() / volume.sum())
    assert round(vwap, 4) == pytest.approx(75.3641, abs=1e-9)
    published = observed[(observed["series"] == "cbam_certificate_price") & (observed["period"] == "2026Q1")][
        "value"
    ].item()
    assert f"{vwap:.2f}" == published


@pytest.mark.slow
def test_annual_vwap_reproduces_observed(built: Path, observed: pd.DataFrame) -> None:
    annual = pd.read_csv(built / "eua_auction_vwap_annual.csv", comment="#").set_index("year")
    rows = observed[observed["series"] == "eua_auction_vwap"]
    assert len(rows) == 5
    for _, row in rows.iterrows():
        got = annual.loc[int(row["period"]), "vwap_eur_per_tco2e"]
        assert f"{got:.2f}" == row["value"], row["period"]


@pytest.mark.slow
def test_recomputed_2026_quarters_match_observed(built: Path, observed: pd.DataFrame) -> None:
    quarterly = pd.read_csv(built / "eua_auction_vwap_quarterly.csv", comment="#")
    quarterly = quarterly.set_index("period")
    rows = observed[observed["series"] == "cbam_certificate_price_recomputed"]
    for _, row in rows.iterrows():
        period = row["period"].split()[0]  # "2026Q3 to 7 Aug" -> 2026Q3
        got = quarterly.loc[period, "vwap_eur_per_tco2e"]
        assert f"{got:.{decimals(row['value'])}f}" == row["value"]


def test_quarters_cross_check_xlsx_reports(source: Path) -> None:
    """2021-2025 quarters equal the VWAP of the successful T3PA auctions in the xlsx reports."""
    committed = read("eua_auction_vwap_quarterly.csv").set_index("period")
    paths = sorted((source / "eex").glob("eua-auctions-*.xlsx"))
    assert [p.stem[-4:] for p in paths] == ["2021", "2022", "2023", "2024", "2025"]
    for path in paths:
        xl = pd.read_excel(path, header=5, engine="calamine")
        ok = xl[(xl["Contract"] == "T3PA") & (xl["Status"] == "successful")].copy()
        ok["quarter"] = pd.to_datetime(ok["Date"]).dt.to_period("Q").astype(str)
        for quarter, group in ok.groupby("quarter"):
            volume = group["Auction Volume tCO2"].astype(float)
            vwap = (group["Auction Price €/tCO2"] * volume).sum() / volume.sum()
            row = committed.loc[quarter]
            assert f"{vwap:.4f}" == row["vwap_eur_per_tco2e"], quarter
            assert int(volume.sum()) == int(row["volume_t"]), quarter
            assert len(group) == int(row["auctions"]), quarter


@pytest.mark.slow
def test_ecb_annual_means_reproduce_observed(built: Path, observed: pd.DataFrame) -> None:
    fx = pd.read_csv(built / "fx_eur_annual.csv", comment="#")
    rates = fx.set_index(["currency", "year"])["units_per_eur"]
    rows = observed[observed["series"].str.match(r"eur_[a-z]{3}_ecb_annual_average")]
    assert len(rows) == 4
    for _, row in rows.iterrows():
        currency = row["series"].split("_")[1].upper()
        got = rates[(currency, int(row["period"]))]
        assert f"{got:.{decimals(row['value'])}f}" == row["value"], (currency, row["period"])


def test_ecb_means_from_raw_file(source: Path) -> None:
    raw = pd.read_csv(source / "ecb" / "eurofxref-hist.csv", na_values=["N/A"])
    raw["Date"] = pd.to_datetime(raw["Date"])
    fx = read("fx_eur_annual.csv").set_index(["currency", "year"])["units_per_eur"]
    for currency in PROJECTED_CURRENCIES:
        for year in (2024, 2026):
            values = raw.loc[raw["Date"].dt.year == year, currency].dropna()
            assert f"{values.mean():.4f}" == fx[(currency, str(year))]


@pytest.mark.slow
def test_china_files_keep_every_observed_figure(built: Path, observed: pd.DataFrame) -> None:
    out = pd.concat(
        pd.read_csv(built / name, comment="#", dtype=str) for name in ("cea_price.csv", "ccer_price.csv")
    )
    for _, row in observed[observed["series"].str.match(r"(cea|ccer)_")].iterrows():
        mine = out[out["series"].str.startswith(row["series"]) & (out["period"] == row["period"])]
        assert "-".join(mine["value_cny_per_t"]) == row["value"], row["series"]
        assert (mine["status"] == row["kind"]).all()
        if row["source"] != "same":
            assert (mine["source"] == row["source"]).all()


@pytest.mark.slow
def test_published_price_comes_from_observed_csv(source: Path, script: ModuleType, tmp_path: Path) -> None:
    """The published figure and date are read from observed.csv, not typed into the script."""
    fake = tmp_path / "prices"
    fake.mkdir()
    for sub in ("eex", "ecb"):
        (fake / sub).symlink_to(source / sub, target_is_directory=True)
    text = (source / "observed.csv").read_text(encoding="utf-8")
    original = "2026Q1,75.36,EUR/tCO2e,published,"
    assert original in text
    text = text.replace(original, "2026Q1,75.37,EUR/tCO2e,published,")
    text = text.replace("published 7 April 2026", "published 8 April 2026")
    q3 = "2026Q3,82.32,EUR/tCO2e,published,"
    assert q3 in text
    text = text.replace(q3, "2026Q3,82.35,EUR/tCO2e,published,")
    (fake / "observed.csv").write_text(text, encoding="utf-8")
    shutil.copy(source / "README.md", fake / "README.md")
    out = tmp_path / "out"
    script.main(["--source", str(fake), "--out", str(out)])
    cert = pd.read_csv(out / "cbam_certificate_price.csv", comment="#", dtype=str).set_index("period")
    q1 = cert.loc["2026Q1"]
    assert (q1["price_eur_per_tco2e"], q1["published_on"]) == ("75.37", "2026-04-08")
    assert "does NOT round to the published 75.37" in q1["source"]  # a full quarter is compared
    assert cert.loc["2026Q3", "price_eur_per_tco2e"] == "82.35"
    assert cert.loc["2026Q4", "price_eur_per_tco2e"] == "82.35"  # Q3's published price carried forward


def test_art21_ir2548_q4_2026_becomes_published_when_observed_csv_has_it(
    source: Path, script: ModuleType, tmp_path: Path
) -> None:
    """Once the Commission's Q4 figure is in observed.csv, Q4 is published, not a projection."""
    fake = tmp_path / "prices"
    fake.mkdir()
    for sub in ("eex", "ecb"):
        (fake / sub).symlink_to(source / sub, target_is_directory=True)
    text = (source / "observed.csv").read_text(encoding="utf-8")
    text += (
        "cbam_certificate_price,2026Q4,80.00,EUR/tCO2e,published,"
        '"test figure, not real: Q4 2026 published 4 January 2027"\n'
    )
    (fake / "observed.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    script.main(["--source", str(fake), "--out", str(out)])
    cert = pd.read_csv(out / "cbam_certificate_price.csv", comment="#", dtype=str).set_index("period")
    q4 = cert.loc["2026Q4"]
    assert (q4["status"], q4["price_eur_per_tco2e"], q4["published_on"]) == (
        "published",
        "80.00",
        "2027-01-04",
    )
    assert "no auction of the quarter" in q4["source"]
    # the flat projection follows: (75.36 + 75.28 + 82.32 + 80.00) / 4 = 78.24
    assert cert.loc["2027", "price_eur_per_tco2e"] == "78.24"


def test_a_published_price_needs_its_publication_date(
    source: Path, script: ModuleType, tmp_path: Path
) -> None:
    fake = tmp_path / "prices"
    fake.mkdir()
    for sub in ("eex", "ecb"):
        (fake / sub).symlink_to(source / sub, target_is_directory=True)
    text = (source / "observed.csv").read_text(encoding="utf-8")
    (fake / "observed.csv").write_text(text.replace("published 5 October 2026", "5 October 2026"), "utf-8")
    with pytest.raises(ValueError, match="published 2026Q3 price without"):
        script.main(["--source", str(fake), "--out", str(tmp_path / "out")])


def test_dec_2026_1862_cscf_yaml_agrees_with_observed_csv(observed: pd.DataFrame) -> None:
    """cbam_calc/data/parameters/cscf.yaml: 1.0 as law for 2026-2030, as observed.csv records
    Decision (EU) 2026/1862; from 2031 a projection (no value set)."""
    from cbam_calc.law.free_allocation import cscf
    from cbam_calc.law.parameters import parameter

    row = observed[observed["series"] == "cscf"].iloc[0]
    assert (row["period"], row["kind"]) == ("2026-2030", "published")
    assert "2026/1862" in row["source"] and "Values from 2031 not set" in row["source"]
    first, last = (int(y) for y in row["period"].split("-"))
    values, projection = cscf(list(range(first, last + 2)))
    assert list(values[:-1]) == [float(row["value"])] * (last - first + 1)
    assert not projection[:-1].any() and projection[-1]  # 2031: projection
    assert "2026/1862" in parameter("cscf").citation
