"""A realistic association file for the benchmarks: what associations actually send (issue 13).

    python bench/gen_realistic.py            bench/_data/realistic_1000000.csv and realistic_100000.csv
    python bench/gen_realistic.py --quick    realistic_100000.csv only
    python bench/gen_realistic.py --force    rewrite existing files

Unlike gen_data.py's tidy file (7 origins as ISO codes, ~300 installations, 5 importers), this one
has what makes aggregation stop shrinking the data and number parsing leave its fast path:
Chinese headers (商品编码, 原产国, 净重(吨), ...); 26 origins, each line's written as its ISO code, its
English or its Chinese name (countries.csv); every Annex I CN code the engine computes for them
(each appears at least once, the rest Zipf-distributed); about 20,000 installations and 3,000
importers with long distinct names; 45 % actual data; Art 9 carbon prices (CNY per tCO2e, with a
free-allocation share) on a third of the Chinese lines; dates in three styles (2026-03-05,
2026/3/5, 05.03.2026); 1 % of masses written with a thousands separator (``"4,058.470"``, quoted
in this ``,``-separated file). Lines are drawn (fixed seed) from gen_data.candidates(), the
combinations checked through read_table -> validate -> compute_lines, so every line computes:
``check`` prints the rejected count (0).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchlib import REPO, add_common, apply_common, data_path

SEED = 20261301
GEN_VERSION = 1  # bump when a change alters the lines drawn
ORIGINS = {  # 26 origins; CN half the lines (an association of Chinese exporters and its peers)
    "CN": 0.50, "IN": 0.06, "TR": 0.05, "VN": 0.04, "KR": 0.04, "UA": 0.03, "RU": 0.02, "EG": 0.02,
    "GB": 0.02, "US": 0.02, "JP": 0.02, "TW": 0.02, "ID": 0.02, "MY": 0.015, "TH": 0.015, "BR": 0.015,
    "ZA": 0.015, "SA": 0.01, "AE": 0.01, "MX": 0.01, "KZ": 0.01, "RS": 0.01, "BA": 0.01, "MA": 0.01,
    "DZ": 0.01, "PK": 0.01,
}  # fmt: skip
SECTORS = {"iron_steel": 0.62, "aluminium": 0.18, "cement": 0.09, "fertilisers": 0.09, "hydrogen": 0.01,
           "electricity": 0.01}  # fmt: skip
COUNTRY_STYLE = {"iso": 0.5, "en": 0.3, "zh": 0.2}
ACTUAL_SHARE = 0.45
ART9_SHARE_CN = 1 / 3
THOUSANDS_SHARE = 0.01
N_INSTALLATIONS = 20_000
N_IMPORTERS = 3_000
HEADERS = {  # Chinese headers (aliases of cbam_calc.inputs.columns)
    "cn_code": "商品编码",
    "country": "原产国",
    "net_mass_t": "净重(吨)",
    "import_date": "进口日期",
    "see_direct": "直接排放(tCO2e/t)",
    "see_indirect": "间接排放(tCO2e/t)",
    "route": "生产路线",
    "installation": "生产设施",
    "importer": "进口商",
    "carbon_price_paid": "已付碳价",
    "carbon_price_currency": "碳价币种",
    "carbon_price_basis": "碳价基础",
    "carbon_price_free_share": "免费配额比例",
}
PROVINCES = ["河北", "江苏", "山东", "辽宁", "山西", "河南", "湖北", "广东", "浙江", "安徽", "四川", "内蒙古"]
SYLLABLES = ["Jin", "Hua", "Dong", "Xin", "Long", "Tai", "Heng", "Feng", "Yuan", "Sheng", "Kai", "Rui",
             "Bao", "An", "Ming", "Guang", "Hai", "De", "Fu", "Xing"]  # fmt: skip
ZH_WORDS = ["金", "华", "东", "新", "龙", "泰", "恒", "丰", "源", "盛", "凯", "瑞", "宝", "安", "明", "广"]
SECTOR_WORDS = {
    "iron_steel": ("Iron & Steel", "钢铁"),
    "aluminium": ("Aluminium", "铝业"),
    "cement": ("Cement", "水泥"),
    "fertilisers": ("Chemical Fertiliser", "化肥"),
    "hydrogen": ("Industrial Gases", "气体"),
    "electricity": ("Power Generation", "电力"),
}
EU_WORDS = ["Rhein", "Adria", "Baltic", "Nord", "Iberia", "Danubia", "Alpen", "Benelux", "Padana",
            "Silesia", "Provence", "Bohemia", "Lusitania", "Tirol", "Flandria"]  # fmt: skip
EU_TRADES = ["Stahlhandel", "Metals Trading", "Building Materials", "Agro Supplies", "Aluminium Distribution",
             "Industrial Supplies", "Steel Service Centre", "Trading"]  # fmt: skip
EU_FORMS = [("GmbH", "DE"), ("S.r.l.", "IT"), ("B.V.", "NL"), ("S.A.", "ES"), ("NV", "BE"),
            ("Sp. z o.o.", "PL"), ("s.r.o.", "CZ"), ("SAS", "FR")]  # fmt: skip


def _installations(rng, n_by_key: dict[tuple[str, str], int]):
    """Long distinct installation names per (country, sector): Chinese names for China."""
    import numpy as np

    names: dict[tuple[str, str], np.ndarray] = {}
    serial = 0
    for (c, s), k in n_by_key.items():
        en, zh = SECTOR_WORDS[s]
        out = []
        for _ in range(k):
            serial += 1
            a, b = rng.choice(len(SYLLABLES), 2)
            if c == "CN":
                p = PROVINCES[rng.integers(len(PROVINCES))]
                w = "".join(ZH_WORDS[i] for i in rng.choice(len(ZH_WORDS), 2))
                out.append(f"{p}{w}{zh}有限公司 第{serial % 97 + 1}分厂 生产线{serial:05d}")
            else:
                out.append(
                    f"{SYLLABLES[a]}{SYLLABLES[b].lower()} {en} Industries ({c}) - plant no. {serial:05d}"
                )
        names[(c, s)] = np.asarray(out, dtype=object)
    return names


def _importers(rng) -> list[str]:
    out = []
    for i in range(N_IMPORTERS):
        w = EU_WORDS[rng.integers(len(EU_WORDS))]
        t = EU_TRADES[rng.integers(len(EU_TRADES))]
        form, cc = EU_FORMS[rng.integers(len(EU_FORMS))]
        vat = f"{cc}{1000000000 + i * 7919:d}"
        out.append(f"{w} {t} {form} ({vat}) - customs representative office {i + 1:04d}")
    return out


def generate(n: int, seed: int = SEED):
    """``n`` lines, columns under their Chinese headers (all values already as written)."""
    import gen_data
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    cand = gen_data.candidates(countries=list(ORIGINS), sectors=list(SECTORS))
    countries = pd.read_csv(REPO / "cbam_calc/data/countries.csv", comment="#", dtype=str)
    countries = countries.set_index("iso2")

    # per-candidate draw weight: origin weight x Zipf over its CN codes, split actual/default 45/55
    cand = cand.copy()
    codes = np.array(sorted(cand["cn_code"].unique()))
    perm = rng.permutation(len(codes))
    zipf = pd.Series(1.0 / np.arange(1, len(codes) + 1) ** 1.05, index=codes[perm])
    sec_w = cand["sector"].map(SECTORS) / cand.groupby("sector")["cn_code"].transform("nunique")
    cn_w = cand["cn_code"].map(zipf) / cand.groupby("sector")["cn_code"].transform(
        lambda s: zipf[s.unique()].sum()
    )
    kinds = cand.groupby(["cn_code", "country"])["actual"].transform("nunique")
    per_kind = cand.groupby(["cn_code", "country", "actual"])["route"].transform("size")
    kind_w = np.where(kinds == 2, np.where(cand["actual"], ACTUAL_SHARE, 1 - ACTUAL_SHARE), 1.0)
    w = cand["country"].map(ORIGINS) * (0.5 * sec_w + 0.5 * cn_w * cand["sector"].map(SECTORS)) * kind_w
    w = (w / per_kind).to_numpy()
    pick = rng.choice(len(cand), size=n, p=w / w.sum())
    # every CN code at least once: the first lines take one candidate of each
    first = cand.reset_index().groupby("cn_code")["index"].first().to_numpy()
    first = first[rng.permutation(len(first))][:n]
    pick[: len(first)] = first
    lines = cand.iloc[pick].reset_index(drop=True)

    # installations: ~20,000 over (country, sector), in proportion to the lines
    keys = lines.groupby(["country", "sector"]).size()
    n_inst = {k: max(1, round(N_INSTALLATIONS * v / n)) for k, v in keys.items()}
    inst_names = _installations(rng, n_inst)
    installation = np.empty(n, dtype=object)
    factor = np.empty(n)
    for (c, s), idx in lines.groupby(["country", "sector"]).indices.items():
        pool = inst_names[(c, s)]
        j = rng.integers(0, len(pool), len(idx))
        installation[idx] = pool[j]
        factor[idx] = 0.55 + 0.4 * ((j * 2654435761) % 1000) / 1000  # per installation
    direct = lines["see_direct_default"].to_numpy(float)
    see_d = np.where(lines["actual"], np.round(direct * factor, 3), np.nan)
    ind = lines["see_indirect_default"].to_numpy(float)
    see_i = np.where(lines["actual"], np.round(np.where(np.isnan(ind), 0.05, ind) * factor, 3), np.nan)

    importers = np.asarray(_importers(rng), dtype=object)
    importer = importers[np.minimum((rng.pareto(1.2, n) * 40).astype(int), N_IMPORTERS - 1)]

    iso = lines["country"].to_numpy(object)
    style = rng.choice(list(COUNTRY_STYLE), size=n, p=list(COUNTRY_STYLE.values()))
    country = np.where(
        style == "en",
        countries["name"].reindex(iso).to_numpy(object),
        np.where(style == "zh", countries["name_zh"].reindex(iso).to_numpy(object), iso),
    )

    mass = np.round(np.exp(rng.uniform(np.log(1.0), np.log(8000.0), n)), 3)
    mass_text = pd.Series(mass).map(repr).to_numpy(object)
    big = np.flatnonzero(mass >= 1000)
    sep = rng.choice(big, size=min(len(big), round(THOUSANDS_SHARE * n)), replace=False)
    mass_text[sep] = [f"{m:,.3f}" for m in mass[sep]]

    day = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    dstyle = rng.integers(0, 3, n)
    dates = np.where(
        dstyle == 0,
        day.strftime("%Y-%m-%d"),
        np.where(
            dstyle == 1,
            [f"{d.year}/{d.month}/{d.day}" for d in day],
            day.strftime("%d.%m.%Y"),
        ),
    )

    spaced = rng.random(n) < 0.5
    cn = lines["cn_code"].to_numpy(object)
    cn_text = np.where(spaced, [f"{c[:4]} {c[4:6]} {c[6:]}" for c in cn], cn)

    art9 = (iso == "CN") & (rng.random(n) < ART9_SHARE_CN)
    price = np.where(art9, np.round(rng.uniform(40.0, 110.0, n), 2), np.nan)
    free = np.where(art9, np.round(rng.choice([0.0, 0.5, 0.8, 0.9, 0.95], n), 2), np.nan)
    frame = pd.DataFrame(
        {
            "cn_code": cn_text,
            "country": country,
            "net_mass_t": mass_text,
            "import_date": dates,
            "see_direct": see_d,
            "see_indirect": see_i,
            "route": lines["route"].to_numpy(object),
            "installation": installation,
            "importer": importer,
            "carbon_price_paid": price,
            "carbon_price_currency": np.where(art9, "CNY", ""),
            "carbon_price_basis": np.where(art9, "per tCO2e", ""),
            "carbon_price_free_share": free,
        }
    )
    return frame.rename(columns=HEADERS)


def _stamp() -> str:
    return f"{GEN_VERSION} {SEED}"


def csv_path(n: int) -> Path:
    return data_path(f"realistic_{n}.csv")


def ensure_csv(n: int, force: bool = False) -> Path:
    """The realistic file of ``n`` lines, written once (rewritten when the generator changes)."""
    path = csv_path(n)
    stamp = path.with_name(path.name + ".stamp")
    if force or not (path.exists() and stamp.exists() and stamp.read_text() == _stamp()):
        t0 = time.perf_counter()
        frame = generate(n)
        tmp = path.with_suffix(".tmp")
        frame.to_csv(tmp, index=False)
        tmp.replace(path)
        stamp.write_text(_stamp())
        size = path.stat().st_size / 1e6
        took = time.perf_counter() - t0
        print(f"wrote {path} ({n:,} lines, {size:.0f} MB) in {took:.1f} s", file=sys.stderr)
    return path


def check(path: Path) -> int:
    """Compute the file as `cbam calc` does; print the mix and the rejected count (returned)."""
    from cbam_calc.compute.calculate import calculate

    s = calculate(path).summary
    print(f"{path.name}: {s.rows_read:,} rows, {s.lines:,} lines computed, rejected {s.rejected:,}")
    return s.rejected


SIZES = {"full": (1_000_000, 100_000), "quick": (100_000,)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the 100,000-line file only")
    ap.add_argument("--force", action="store_true", help="rewrite existing files")
    ap.add_argument("--no-check", action="store_true", help="do not compute the files after writing")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    for n in SIZES["quick" if args.quick else "full"]:
        path = ensure_csv(n, args.force)
        if not args.no_check:
            check(path)


if __name__ == "__main__":
    main()
