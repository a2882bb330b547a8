"""Target 5: a scenario sweep of 100 scenarios over 100,000 lines, against one calc of those lines.

    python bench/bench_scenarios.py [--quick] [--repeat R]
    python bench/bench_scenarios.py --nine-years [--input FILE] [--quick] [--repeat R]

``--nine-years`` (issue 13): ``cbam scenario FILE --years 2026-2034`` with the default scenario
set against ``cbam calc FILE --format json``, target within 15x. ``FILE`` is ``--input`` (any
shipments file, e.g. the one bench/gen_realistic.py writes) or, without it, a 100,000-line file of
the realistic shape built here (:func:`realistic_frame`; --quick: 20,000 lines).

Both sides are `cbam` subprocesses on the same 100,000-line CSV, stdout to /dev/null, wall time
from spawn to exit (reading, validation and start-up on both sides):

    cbam calc lines_100000.csv --format json
    cbam scenario lines_100000.csv --years 2030 --format json \\
        --cea-price 0,40,80,120,160 --ccer-share 0,0.01,0.02,0.03,0.05 --allocation-gap 0,0.02,0.05,0.1

5 x 5 x 4 = 100 scenarios (the tool adds its own baseline: 101 rows of results). Target: within
10x of the one calc. For scale, the same sweep over all nine years 2026-2034 (909 scenario-years)
is printed too; it has no target. --quick: 20,000 lines, 2 runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess

import gen_data
from benchlib import (
    CBAM,
    add_common,
    apply_common,
    bench_env,
    header,
    load,
    print_machine,
    run_repeated,
    runs_stats,
    verdict,
)

RATIO = 10.0
NINE_YEARS_RATIO = 15.0
REALISTIC_SEED = 20261301
# realistic shape (issue 13): what associations send
ORIGINS = {  # 26 origins; China most of the lines
    "CN": 0.54, "IN": 0.07, "TR": 0.06, "VN": 0.04, "EG": 0.03, "RU": 0.03, "KR": 0.03,
    "UA": 0.02, "BR": 0.02, "ZA": 0.02, "AE": 0.02, "SA": 0.01, "MY": 0.01, "ID": 0.01,
    "TH": 0.01, "JP": 0.01, "TW": 0.01, "US": 0.01, "GB": 0.01, "PK": 0.01, "KZ": 0.005,
    "MX": 0.005, "CA": 0.005, "AR": 0.005, "MA": 0.005, "DZ": 0.005,
}  # fmt: skip
N_REAL_INSTALLATIONS = 20_000
N_REAL_IMPORTERS = 3_000
REAL_ACTUAL_SHARE = 0.45
ZH_HEADERS = {
    "cn_code": "商品编码",
    "country": "原产国",
    "net_mass_t": "净重（吨）",
    "import_date": "进口日期",
    "see_direct": "直接排放",
    "see_indirect": "间接排放",
    "route": "生产路线",
    "installation": "生产设施",
    "importer": "进口商",
    "carbon_price_paid": "已付碳价",
    "carbon_price_currency": "碳价币种",
    "carbon_price_basis": "碳价基础",
}
SWEEP = [
    "--cea-price", "0,40,80,120,160",
    "--ccer-share", "0,0.01,0.02,0.03,0.05",
    "--allocation-gap", "0,0.02,0.05,0.1",
]  # fmt: skip


def scenario_count(path, years: str) -> int:
    """One untimed run with the JSON kept: how many scenario rows the sweep really computed."""
    cmd = [CBAM, "scenario", str(path), "--years", years, "--format", "json", *SWEEP]
    out = subprocess.run(cmd, capture_output=True, text=True, env=bench_env())
    if out.returncode != 0:
        raise SystemExit(f"cbam scenario failed ({out.returncode}): {out.stderr[-2000:]}")
    doc = json.loads(out.stdout)
    return len(doc["scenarios"])


def realistic_frame(n: int, seed: int = REALISTIC_SEED):
    """``n`` lines of the realistic shape, deterministic: Chinese headers, 26 origins written as ISO
    code, English or Chinese name, the Annex I CN codes that compute for them (bench/gen_data.py's
    candidates), about 20,000 installations and 3,000 importers with long distinct names, 45 %
    actual data, Art 9 prices on a third of the Chinese lines, three date styles, 1 % of masses
    with thousands separators. What matters for the scenario run is the number of installation
    groups with actual data (the defaults-vs-actual table is one row per installation and year)."""
    import numpy as np
    import pandas as pd

    saved = (gen_data.COUNTRIES, gen_data.ACTUAL_SHARE, gen_data.N_INSTALLATIONS)
    gen_data.COUNTRIES, gen_data.ACTUAL_SHARE = ORIGINS, REAL_ACTUAL_SHARE
    gen_data.N_INSTALLATIONS = N_REAL_INSTALLATIONS
    try:
        frame = gen_data.generate(n, seed=seed)
    finally:
        gen_data.COUNTRIES, gen_data.ACTUAL_SHARE, gen_data.N_INSTALLATIONS = saved
    rng = np.random.default_rng(seed + 1)
    # installations: long names; importers: 3,000 long distinct names
    frame["installation"] = frame["installation"].map(
        lambda s: f"{s} Jiangsu Provincial Heavy Industry Group Co., Ltd. Plant No. {zlib_id(s)}"
    )
    importers = np.array(
        [f"European Metals & Materials Trading Company No. {i:04d} GmbH & Co. KG (DE{811000000 + i})"
         for i in range(N_REAL_IMPORTERS)],
        dtype=object,
    )  # fmt: skip
    frame["importer"] = importers[rng.integers(0, N_REAL_IMPORTERS, n)]
    # origins written as ISO code, English name or Chinese name
    from cbam_calc.law.reference import reference_data

    countries = reference_data().countries
    iso = frame["country"].to_numpy(dtype=object)
    style = rng.integers(0, 3, n)
    en = countries["name"].reindex(iso).to_numpy(dtype=object)
    zh = countries["name_zh"].reindex(iso).to_numpy(dtype=object)
    frame["country"] = np.where(style == 1, en, np.where(style == 2, zh, iso))
    # Art 9: a price paid on a third of the Chinese lines, CNY per tCO2e
    priced = (iso == "CN") & (rng.random(n) < 1 / 3)
    frame["carbon_price_paid"] = np.where(priced, np.round(rng.uniform(60, 110, n), 2), np.nan)
    frame["carbon_price_currency"] = np.where(priced, "CNY", "")
    frame["carbon_price_basis"] = np.where(priced, "per_tco2e", "")
    # three date styles: 2026-03-15, 2026/3/15, 2026年3月15日
    day = pd.to_datetime(frame["import_date"])
    ds = rng.integers(0, 3, n)
    iso_d = day.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    ymd = (day.dt.year.astype(str) + "/" + day.dt.month.astype(str) + "/" + day.dt.day.astype(str)).to_numpy(
        dtype=object
    )
    zh_d = (
        day.dt.year.astype(str) + "年" + day.dt.month.astype(str) + "月" + day.dt.day.astype(str) + "日"
    ).to_numpy(dtype=object)
    frame["import_date"] = np.where(ds == 1, ymd, np.where(ds == 2, zh_d, iso_d))
    # 1 % of masses with thousands separators (4,058.470)
    mass = frame["net_mass_t"].to_numpy(dtype=float)
    sep = rng.random(n) < 0.01
    frame["net_mass_t"] = np.where(sep, [f"{m:,.3f}" for m in mass], [f"{m:.3f}" for m in mass])
    return frame.rename(columns=ZH_HEADERS)


def zlib_id(text: str) -> str:
    return f"{gen_data.zlib.crc32(text.encode()) % 100_000:05d}"


def ensure_realistic(n: int) -> gen_data.Path:
    """bench/_data/scenario_realistic_<n>.csv (written once; deterministic)."""
    from benchlib import data_path

    path = data_path(f"scenario_realistic_{n}.csv")
    stamp = path.with_name(path.name + ".stamp")
    tag = f"1 {REALISTIC_SEED}"
    if not (path.exists() and stamp.exists() and stamp.read_text() == tag):
        tmp = path.with_suffix(".tmp")
        realistic_frame(n).to_csv(tmp, index=False)
        tmp.replace(path)
        stamp.write_text(tag)
    return path


def nine_years(args, repeat: int) -> None:
    """Issue 13: the default scenario set over 2026-2034 against one calc of the same file."""
    path = args.input or ensure_realistic(20_000 if args.quick else 100_000)
    print_machine()
    print(load())
    header(f"Issue 13: cbam scenario --years 2026-2034 (default set) vs cbam calc ({path})")
    calc_cmd = [CBAM, "calc", str(path), "--format", "json"]
    scen_cmd = [CBAM, "scenario", str(path), "--years", "2026-2034", "--format", "json"]
    calc, scen = [], []
    for _ in range(1):  # warm-up: page cache, bytecode
        run_repeated(calc_cmd, 0)
        run_repeated(scen_cmd, 0)
    for _ in range(repeat):  # interleaved, so a slow phase of the machine weighs on both
        calc += run_repeated(calc_cmd, 1, warmup=0)
        scen += run_repeated(scen_cmd, 1, warmup=0)
    c, s = runs_stats(calc), runs_stats(scen)
    print(f"  cbam calc --format json            : {c.text()}")
    print(f"  cbam scenario --years 2026-2034    : {s.text()}  peak {max(r.maxrss_mb for r in scen):.0f} MiB")
    print(f"  contention: calc {c.contention()}; scenario {s.contention()}")
    ratio = s.median / c.median
    pairs = sorted(b.wall_s / a.wall_s for a, b in zip(calc, scen))
    print(
        f"  ratio scenario / calc = {ratio:.2f}x (pairs {pairs[0]:.2f}-{pairs[-1]:.2f}x; "
        f"target <= {NINE_YEARS_RATIO:g}x): {verdict(ratio <= NINE_YEARS_RATIO)}"
    )
    cc, sc = runs_stats(calc, "cpu_s"), runs_stats(scen, "cpu_s")
    print(
        f"  CPU time (user + system of the child; less sensitive to a shared machine): calc "
        f"{cc.median:.2f} s, scenario {sc.median:.2f} s = {sc.median / cc.median:.2f}x"
    )
    print(load())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20,000 lines, 2 runs")
    ap.add_argument("--repeat", type=int, help="timed runs of each command (default 5)")
    ap.add_argument("--nine-years", action="store_true", help="issue 13: default set, 2026-2034, vs calc")
    ap.add_argument("--input", help="with --nine-years: the shipments file (default: realistic shape)")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    repeat = args.repeat or (2 if args.quick else 5)
    if args.nine_years:
        nine_years(args, max(3, repeat) if not args.quick else repeat)
        return
    n = 20_000 if args.quick else 100_000
    path = gen_data.ensure_csv(n)
    print_machine()
    print(load())
    header(f"Target 5: 100 scenarios x {n:,} lines vs one calc")

    rows = scenario_count(path, "2030")
    print(f"sweep computes {rows} scenario rows for 2030 ({path.name})")
    calc = runs_stats(run_repeated([CBAM, "calc", str(path), "--format", "json"], repeat))
    one_year = runs_stats(
        run_repeated([CBAM, "scenario", str(path), "--years", "2030", "--format", "json", *SWEEP], repeat)
    )
    print(f"  cbam calc                      : {calc.text()}")
    print(f"  cbam scenario, 100 x 2030      : {one_year.text()}")
    print(f"  contention: calc {calc.contention()}; scenario {one_year.contention()}")
    ratio = one_year.median / calc.median
    print(f"  ratio sweep / calc = {ratio:.2f}x (target <= {RATIO:g}x): {verdict(ratio <= RATIO)}")

    all_years = runs_stats(
        run_repeated(
            [CBAM, "scenario", str(path), "--years", "2026-2034", "--format", "json", *SWEEP],
            max(2, repeat // 2),
        )
    )
    print(f"  cbam scenario, 100 x 2026-2034 : {all_years.text()}  (no target)")
    print(f"  ratio all years / calc = {all_years.median / calc.median:.2f}x")
    header("Summary (medians)")
    print(f"{'run':28} {'s':>7} {'x calc':>7}")
    for label, s in (
        ("calc", calc),
        ("scenario 100 x 1 year", one_year),
        ("scenario 100 x 9 years", all_years),
    ):
        print(f"{label:28} {s.median:>7.2f} {s.median / calc.median:>7.2f}")


if __name__ == "__main__":
    main()
