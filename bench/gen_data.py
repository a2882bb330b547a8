"""Deterministic shipment files for the benchmarks, written to bench/_data/ (git-ignored).

    python bench/gen_data.py            1,000,000-line CSV, 200,000-line xlsx, 10,000-line peer CSV
    python bench/gen_data.py --quick    100,000 / 20,000 / 1,000 lines
    python bench/gen_data.py --force    rewrite existing files

Lines are drawn (fixed seed) from the combinations of (CN code, country, data, route) that the
engine can compute: every Annex I CN code of the iron and steel, aluminium, cement, fertiliser and
hydrogen sectors with an IR 2025/2621 default value for China, India, Türkiye, Vietnam, Egypt,
Russia or South Korea (own table or the Other Countries fallback) and an IR 2025/2620 benchmark.
Each candidate is checked once through read_table -> validate -> compute_lines, so the files
compute with zero rejections (printed after writing). About 20 % of lines carry actual emissions
from an installation (a few hundred installations, each with one production route), with the route
where Column A needs one; clinker and hydraulic cement carry route A/B; a few default steel lines
carry their installation's route. Masses 1-5,000 t (log-uniform), dates across 2026, ~5 importers.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from benchlib import add_common, apply_common, data_path

if TYPE_CHECKING:
    import pandas as pd

SEED = 20260101
GEN_VERSION = 3  # bump when a change alters the lines drawn
COUNTRIES = {"CN": 0.70, "IN": 0.08, "TR": 0.07, "VN": 0.05, "EG": 0.04, "RU": 0.03, "KR": 0.03}
SECTORS = {"iron_steel": 0.62, "aluminium": 0.18, "cement": 0.10, "fertilisers": 0.09, "hydrogen": 0.01}
PEER_SECTORS = {"iron_steel": 0.55, "aluminium": 0.20, "cement": 0.13, "fertilisers": 0.12}
IMPORTERS = {  # importer -> the sector it mostly buys (80 % of a sector's lines go to its importers)
    "Acciai Padani S.r.l. (IT01234560987)": "iron_steel",
    "Stahlhandel Rhein GmbH (DE811234567)": "iron_steel",
    "Aluminium Benelux NV (BE0412345678)": "aluminium",
    "Cementos Ribera S.A. (ESA28123457)": "cement",
    "Agro Nitrates Polska Sp. z o.o. (PL5260001234)": "fertilisers",
}
SECTOR_ABBR = {"iron_steel": "ST", "aluminium": "AL", "cement": "CE", "fertilisers": "FE", "hydrogen": "H2"}
PEER_IMPORTER = "Big Importer EU B.V. (NL001234567B01)"
ACTUAL_SHARE = 0.20
DEFAULT_ROUTE_SHARE = 0.05  # default steel/aluminium lines whose importer states the route anyway
N_INSTALLATIONS = 320
# production technology of an installation, by sector: (label, probability, route per family)
TECH = {
    "iron_steel": [("BF-BOF", 0.60), ("DRI-EAF", 0.10), ("scrap-EAF", 0.30)],
    "aluminium": [("primary", 0.70), ("secondary", 0.30)],
    "cement": [("grey clinker", 0.90), ("white clinker", 0.10)],
    "fertilisers": [("plant", 1.0)],
    "hydrogen": [("SMR", 1.0)],
}
ROUTE_OF_TECH = {  # route letter of a technology within a family of benchmark routes
    "BF-BOF": {"C", "F"},
    "DRI-EAF": {"D", "G"},
    "scrap-EAF": {"E", "H", "J"},
    "primary": {"K"},
    "secondary": {"L"},
    "grey clinker": {"A"},
    "white clinker": {"B"},
}
COLUMNS = [
    "cn_code",
    "country",
    "net_mass_t",
    "import_date",
    "see_direct",
    "see_indirect",
    "route",
    "installation",
    "importer",
]


# ---------------------------------------------------------------------------- feasible candidates
def candidates(countries=None, sectors=None) -> pd.DataFrame:
    """Every (cn, country, actual, route) the engine computes without rejection, with the figures
    needed to draw realistic actual emissions (default SEE of the same good and country); the
    origins and sectors of this module unless given (bench/gen_realistic.py passes its own)."""
    import pandas as pd

    from cbam_calc.compute.lines import compute_lines
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.inputs.readers import read_table
    from cbam_calc.inputs.validate import validate
    from cbam_calc.law.prices import PriceBook
    from cbam_calc.law.reference import reference_data

    ref = reference_data()
    goods = ref.goods
    countries = list(COUNTRIES if countries is None else countries)
    sectors = list(SECTORS if sectors is None else sectors)
    goods = goods[(goods["status"] == "in_force") & goods["sector"].isin(sectors)]
    bm = ref.benchmarks
    routes_a = bm[bm["column"] == "A"].groupby("cn_code")["route"].agg(lambda s: sorted({r for r in s if r}))
    routes_b = bm[bm["column"] == "B"].groupby("cn_code")["route"].agg(lambda s: sorted({r for r in s if r}))
    rows = []
    for cn, sector in zip(goods["cn_code"], goods["sector"]):
        ra, rb = routes_a.get(cn, []), routes_b.get(cn, [])
        for c in countries:
            rows.append((cn, sector, c, False, ""))
            for r in sorted(set(rb) | {"A", "B"} if sector == "cement" else set(rb)):
                rows.append((cn, sector, c, False, r))
            for r in ra or [""]:
                rows.append((cn, sector, c, True, r))
    cand = pd.DataFrame(rows, columns=["cn_code", "sector", "country", "actual", "route"])
    # default lines first: their SEE is the basis of the actual values drawn below
    probe = pd.DataFrame(
        {
            "cn_code": cand["cn_code"],
            "country": cand["country"],
            "net_mass_t": 100.0,
            "import_date": "2026-06-15",
            "see_direct": cand["actual"].map({True: 1.0, False: None}),
            "see_indirect": cand["actual"].map({True: 0.1, False: None}),
            "route": cand["route"],
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "probe.csv"
        probe.to_csv(path, index=False)
        validated = validate(read_table(path), ref)
    comp = compute_lines(
        validated.lines, ref, CalcOptions(), PriceBook.from_reference(ref), validated.column_map
    )
    ok = pd.Series(False, index=cand.index)
    good_pos = validated.lines.index[~comp.issues.bad]
    ok.loc[good_pos] = True
    cols = comp.columns
    cand["see_direct_default"] = cols["see_direct_tco2e_per_t"].reindex(cand.index)
    cand["see_indirect_default"] = cols["see_indirect_tco2e_per_t"].reindex(cand.index)
    cand["benchmark_route_basis"] = cols["benchmark_route_basis"].reindex(cand.index)
    cand = cand[ok].reset_index(drop=True)
    # a default line with a route is kept where the route means something: the default value
    # needs it (clinker A/B), or it picks one of several Column B benchmarks
    default = ~cand["actual"]
    routeless_ok = set(
        zip(
            cand.loc[default & cand["route"].eq(""), "cn_code"],
            cand.loc[default & cand["route"].eq(""), "country"],
        )
    )
    needed = [(c, k) not in routeless_ok for c, k in zip(cand["cn_code"], cand["country"])]
    meaningful = cand["benchmark_route_basis"].eq("route given") | pd.Series(needed, index=cand.index)
    cand = cand[~(default & cand["route"].ne("")) | meaningful].reset_index(drop=True)
    # clinker-type codes without a route are rejected already; actual SEE basis per (cn, country)
    base = cand[~cand["actual"]].groupby(["cn_code", "country"])[
        ["see_direct_default", "see_indirect_default"]
    ]
    base = base.max()
    cand = cand.drop(columns=["see_direct_default", "see_indirect_default"]).merge(
        base, on=["cn_code", "country"], how="left"
    )
    return cand[cand["see_direct_default"].notna() | ~cand["actual"]].reset_index(drop=True)


# ---------------------------------------------------------------------------- drawing lines
def generate(n: int, seed: int = SEED, peer: bool = False) -> pd.DataFrame:
    """``n`` shipment lines (input columns of cbam calc); peer=True: one importer, no hydrogen."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    cand = candidates()
    sectors = PEER_SECTORS if peer else SECTORS

    # installations: a pool per (country, sector), each with one technology
    inst_rows = []
    for c, wc in COUNTRIES.items():
        for s, ws in sectors.items():
            k = max(1, round(N_INSTALLATIONS * wc * ws))
            techs = TECH[s]
            labels = [t for t, _ in techs]
            p = np.array([w for _, w in techs])
            chosen = rng.choice(len(labels), size=k, p=p / p.sum())
            for i in range(k):
                inst_rows.append(
                    (f"{c}-{SECTOR_ABBR[s]}-{i + 1:03d} ({labels[chosen[i]]})", c, s, labels[chosen[i]])
                )
    inst = pd.DataFrame(inst_rows, columns=["installation", "country", "sector", "tech"])
    inst["factor"] = rng.uniform(0.55, 0.95, len(inst))  # actual SEE vs the default value

    # lines: sector, then country, then CN code (Zipf over the feasible codes), then data kind
    sec_names = list(sectors)
    sec_p = np.array([sectors[s] for s in sec_names])
    sector = np.asarray(sec_names, dtype=object)[rng.choice(len(sec_names), size=n, p=sec_p / sec_p.sum())]
    cty_names = list(COUNTRIES)
    cty_p = np.array([COUNTRIES[c] for c in cty_names])
    country = np.asarray(cty_names, dtype=object)[rng.choice(len(cty_names), size=n, p=cty_p)]
    actual = rng.random(n) < ACTUAL_SHARE
    cn = np.empty(n, dtype=object)
    route = np.full(n, "", dtype=object)
    installation = np.empty(n, dtype=object)
    see_d = np.full(n, np.nan)
    see_i = np.full(n, np.nan)
    want_route = rng.random(n) < DEFAULT_ROUTE_SHARE

    by_key = {k: g for k, g in cand.groupby(["sector", "country"])}
    for (s, c), idx in pd.Series(range(n)).groupby([sector, country]).groups.items():
        idx = np.asarray(idx)  # ascending
        g = by_key[(s, c)]
        codes = np.array(sorted(g["cn_code"].unique()))
        perm = np.random.default_rng(seed + zlib.crc32(f"{s} {c}".encode())).permutation(len(codes))
        zipf = 1.0 / np.arange(1, len(codes) + 1) ** 1.1
        cn[idx] = codes[perm][rng.choice(len(codes), size=len(idx), p=zipf / zipf.sum())]
        pool = inst[(inst["country"] == c) & (inst["sector"] == s)]
        pick = pool.iloc[rng.integers(0, len(pool), len(idx))]
        installation[idx] = pick["installation"].to_numpy()
        tech = pick["tech"].to_numpy()
        factor = pick["factor"].to_numpy()
        # per CN code: the route and actual SEE follow from (actual?, technology, route wanted?)
        for code, sub in pd.Series(idx).groupby(cn[idx]).groups.items():
            pos = np.asarray(list(sub))  # positions within idx
            sub = idx[pos]
            gc = g[g["cn_code"] == code]
            if not gc["actual"].any():
                actual[sub] = False
            if gc["actual"].all():
                actual[sub] = True
            a, t, w = actual[sub], tech[pos], want_route[sub]
            for av in (True, False):
                opts = gc[gc["actual"] == av]
                if opts.empty:
                    continue
                routes = [r for r in opts["route"] if r]
                routeless = bool(opts["route"].eq("").any())
                see = {
                    r: (d, i)
                    for r, d, i in opts[["route", "see_direct_default", "see_indirect_default"]].itertuples(
                        index=False
                    )
                }
                for tv in np.unique(t):
                    for wv in (True, False):
                        m = (a == av) & (t == tv) & (w == wv)
                        if not m.any():
                            continue
                        r = ""
                        if av or not routeless or wv:
                            match = [x for x in routes if x in ROUTE_OF_TECH.get(tv, set())]
                            if match:
                                r = match[0]
                            elif not routeless and routes:
                                r = routes[0]
                        route[sub[m]] = r
                        if av:
                            d, i = see[r]
                            see_d[sub[m]] = np.round(float(d) * factor[pos[m]], 3)
                            i = float(i) if i == i else 0.05
                            see_i[sub[m]] = np.round(i * factor[pos[m]], 3)

    mass = np.round(np.exp(rng.uniform(np.log(1.0), np.log(5000.0), n)), 3)
    day = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    if peer:
        importer = np.full(n, PEER_IMPORTER, dtype=object)
    else:
        names = np.asarray(list(IMPORTERS), dtype=object)
        importer = names[rng.integers(0, len(names), n)]  # the other 20 %: anyone
        for s in sectors:
            own = names[[v == s for v in IMPORTERS.values()]]
            m = (sector == s) & (rng.random(n) < 0.8)
            if len(own) and m.any():
                importer[m] = own[rng.integers(0, len(own), int(m.sum()))]
    # people write codes with spaces now and then; countries as codes or names
    spaced = rng.random(n) < 0.25
    cn_text = np.where(spaced, [f"{c[:4]} {c[4:6]} {c[6:]}" for c in cn], cn)
    return pd.DataFrame(
        {
            "cn_code": cn_text,
            "country": country,
            "net_mass_t": mass,
            "import_date": day.strftime("%Y-%m-%d"),
            "see_direct": see_d,
            "see_indirect": see_i,
            "route": route,
            "installation": installation,
            "importer": importer,
        },
        columns=COLUMNS,
    )


# ---------------------------------------------------------------------------- files
def _stamp() -> str:
    """Files written by another GEN_VERSION (or seed) are rewritten."""
    return f"{GEN_VERSION} {SEED}"


def _fresh(path: Path, force: bool) -> bool:
    stamp = path.with_name(path.name + ".stamp")
    return not force and path.exists() and stamp.exists() and stamp.read_text() == _stamp()


def _done(path: Path) -> None:
    path.with_name(path.name + ".stamp").write_text(_stamp())


def csv_path(n: int) -> Path:
    return data_path(f"lines_{n}.csv")


def xlsx_path(n: int) -> Path:
    return data_path(f"lines_{n}.xlsx")


def peer_path(n: int) -> Path:
    return data_path(f"peer_{n}.csv")


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def ensure_csv(n: int, force: bool = False) -> Path:
    path = csv_path(n)
    if not _fresh(path, force):
        t0 = time.perf_counter()
        frame = generate(n)
        tmp = path.with_suffix(".tmp")
        frame.to_csv(tmp, index=False)
        tmp.replace(path)
        _done(path)
        size = path.stat().st_size / 1e6
        _log(f"wrote {path} ({n:,} lines, {size:.0f} MB) in {time.perf_counter() - t0:.1f} s")
    return path


def ensure_peer_csv(n: int, force: bool = False) -> Path:
    path = peer_path(n)
    if not _fresh(path, force):
        frame = generate(n, seed=SEED + 7, peer=True)
        tmp = path.with_suffix(".tmp")
        frame.to_csv(tmp, index=False)
        tmp.replace(path)
        _done(path)
        _log(f"wrote {path} ({n:,} lines)")
    return path


def ensure_xlsx(n: int, force: bool = False) -> Path:
    """A workbook as people keep them: date cells, number cells, text codes (openpyxl write_only)."""
    path = xlsx_path(n)
    if not _fresh(path, force):
        import datetime as dt
        import math

        from openpyxl import Workbook

        t0 = time.perf_counter()
        frame = generate(n, seed=SEED + 3)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Shipments")
        ws.append(COLUMNS)
        for r in frame.itertuples(index=False):
            ws.append(
                [
                    r.cn_code,
                    r.country,
                    r.net_mass_t,
                    dt.date.fromisoformat(r.import_date),
                    None if math.isnan(r.see_direct) else r.see_direct,
                    None if math.isnan(r.see_indirect) else r.see_indirect,
                    r.route or None,
                    r.installation,
                    r.importer,
                ]
            )
        tmp = path.with_name(path.stem + ".tmp.xlsx")
        wb.save(tmp)
        tmp.replace(path)
        _done(path)
        size = path.stat().st_size / 1e6
        _log(f"wrote {path} ({n:,} lines, {size:.0f} MB) in {time.perf_counter() - t0:.1f} s")
    return path


def check(path: Path) -> None:
    """Read, validate and compute a generated file; print the mix and the rejected count."""
    from cbam_calc.compute.lines import compute_lines
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.inputs.readers import read_table
    from cbam_calc.inputs.validate import validate
    from cbam_calc.law.prices import PriceBook
    from cbam_calc.law.reference import reference_data

    ref = reference_data()
    validated = validate(read_table(path), ref)
    comp = compute_lines(
        validated.lines, ref, CalcOptions(), PriceBook.from_reference(ref), validated.column_map
    )
    lines = validated.lines
    rejected = len(validated.rejected) + int(comp.issues.bad.sum())
    cols = comp.columns
    actual = cols["emissions_data"].eq("actual").mean()
    print(
        f"{path.name}: {validated.raw.rows_read:,} rows, rejected {rejected} "
        f"(validate {len(validated.rejected)}, engine {int(comp.issues.bad.sum())}); "
        f"{lines['cn_code'].nunique()} CN codes, {lines['country_iso2'].nunique()} countries, "
        f"{lines['installation'].nunique()} installations, {lines['importer'].nunique()} importers, "
        f"actual data {actual:.0%}, routes given {lines['route'].ne('').mean():.0%}"
    )
    print(
        "  sectors: "
        + ", ".join(f"{k} {v:.0%}" for k, v in cols["sector"].value_counts(normalize=True).items() if v > 0)
    )
    print(
        "  origins: "
        + ", ".join(
            f"{k} {v:.0%}" for k, v in lines["country_iso2"].value_counts(normalize=True).items() if v > 0
        )
    )
    if rejected:
        reasons = list(validated.rejected["reason"].value_counts().head(3).items())
        reasons += list(pd_value_counts(comp.issues.reason[comp.issues.bad]))
        print("  first reasons: " + "; ".join(f"{k} ({v})" for k, v in reasons))


def pd_value_counts(values) -> list[tuple[str, int]]:
    import pandas as pd

    return list(pd.Series(values).value_counts().head(3).items())


SIZES = {"full": (1_000_000, 200_000, 10_000), "quick": (100_000, 20_000, 1_000)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small files for a smoke run")
    ap.add_argument("--force", action="store_true", help="rewrite existing files")
    ap.add_argument("--no-check", action="store_true", help="do not compute the files after writing")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    n_csv, n_xlsx, n_peer = SIZES["quick" if args.quick else "full"]
    paths = [
        ensure_csv(n_csv, args.force),
        ensure_xlsx(n_xlsx, args.force),
        ensure_peer_csv(n_peer, args.force),
    ]
    if not args.no_check:
        for p in paths:
            check(p)


if __name__ == "__main__":
    main()
