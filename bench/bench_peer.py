"""Target 6: the same 10,000 lines through opencbam (per-line Decimal engine) and through cbam-calc.

    python bench/bench_peer.py [--quick] [--repeat R] [--examples K]

opencbam (PyPI, Apache-2.0) is installed ONLY into bench/_venv_peer, created here when missing
(python3 -m venv bench/_venv_peer; pip install opencbam==0.1.0, from the wheel cached in
/tmp/peerdl when present). bench/peer_runner.py runs there, reads the generated lines
(bench/_data/peer_N.csv: one importer; steel, aluminium, cement, fertilisers; default and actual
data; China and six other origins) and writes opencbam's per-line figures.

Both sides: certificate price 75.36 EUR/tCO2e for every line, no de minimis, no carbon price paid,
year of import 2026, CSCF 1. Both processes run on core 0 (pinned here, inherited by children).
Prints the engine times (opencbam's assess_good loop vs our compute_lines and calculate_validated),
the process wall times (runner vs `cbam calc`), then compares cost per line to the cent and shows,
per category of disagreement, an example with both engines' intermediate figures and the rule that
differs. --quick: 1,000 lines.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from benchlib import (
    BENCH_DIR,
    CBAM,
    add_common,
    apply_common,
    bench_env,
    header,
    load,
    pin_one_core,
    print_machine,
    run_repeated,
    verdict,
    wait_idle,
)

PRICE = 75.36
PEER_VENV = BENCH_DIR / "_venv_peer"
PEER_PY = PEER_VENV / "bin" / "python"
PEER_VERSION = "0.1.0"
WHEEL_DIR = Path("/tmp/peerdl")


def ensure_peer_venv() -> None:
    ok = (
        PEER_PY.exists()
        and subprocess.run([str(PEER_PY), "-c", "import opencbam"], capture_output=True).returncode == 0
    )
    if ok:
        return
    python3 = shutil.which("python3") or sys.executable
    print(f"creating {PEER_VENV} and installing opencbam=={PEER_VERSION} into it", file=sys.stderr)
    subprocess.run([python3, "-m", "venv", str(PEER_VENV)], check=True)
    pip = [str(PEER_VENV / "bin" / "pip"), "install", "--disable-pip-version-check", "-q"]
    if WHEEL_DIR.is_dir():
        pip += ["--find-links", str(WHEEL_DIR)]
    subprocess.run([*pip, f"opencbam=={PEER_VERSION}"], check=True)


def cents(x) -> object:
    """Round half up to the cent, as opencbam does (our engine keeps full precision)."""
    from decimal import ROUND_HALF_UP, Decimal

    return Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def q3(x) -> object:
    from decimal import ROUND_HALF_UP, Decimal

    return Decimal(repr(float(x))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------- categories
READINGS = {
    "certificate rounding": (
        "same SEE, benchmark and FAA; opencbam quantizes certificates to 3 dp (half up) before "
        "multiplying by the price and rounding to the cent, cbam-calc keeps full precision and "
        "rounds money only in the report. Difference <= 0.0005 x price = 0.04 EUR per line."
    ),
    "default benchmark route: route given": (
        "default values, benchmark route differs: the line states a production route and "
        "cbam-calc uses it for the Column B benchmark (IR 2620 point 5: the installation's route "
        "where known); opencbam ignores a stated route for default data (except clinker A/B) and "
        "takes the route IR 2025/2621 attaches to the default value (get_default_route)."
    ),
    "default benchmark: default route not in Column B": (
        "default values, no route in the file: the route IR 2025/2621 attaches to the default value "
        "has no Column B benchmark for this CN code in IR 2025/2620 (7225 19 90: default route F, "
        "Column B lists C/D/E; 7205 21 00: default route C, Column B lists F/G/H/J). opencbam then "
        "finds no benchmark and gives NO free allocation (FAA 0, full obligation); cbam-calc falls "
        "back to the highest Column B value of the code."
    ),
    "default benchmark: other": "default values, benchmark differs for another reason (see example).",
    "actual benchmark": "actual data, Column A benchmark differs (see example).",
    "SEE: Annex II default, indirect in published total": (
        "default value of an Annex II (direct-only) good whose published IR 2621 total includes "
        "indirect emissions: cbam-calc counts only the marked-up DIRECT part, opencbam counts "
        "the published marked-up TOTAL (it assumes no Annex II good carries a numeric indirect)."
    ),
    "SEE: Annex II membership": (
        "actual data, indirect emissions counted by one engine and not the other: the two "
        "engines' Annex II (direct-only) lists differ for this CN code."
    ),
    "SEE: other": "specific embedded emissions differ for another reason (see example).",
    "peer error": "opencbam refuses the line (ValueError); cbam-calc computes it.",
    "other": "figures agree up to FAA but the cost differs beyond certificate rounding (see example).",
}


def categorise(m) -> list[str]:
    """A category per line of the merged table (ours_* and peer_* columns)."""
    import numpy as np

    out = []
    for r in m.itertuples(index=False):
        if r.peer_status != "ok":
            out.append("peer error")
            continue
        if r.agree:
            out.append("agree")
            continue
        see_diff = not np.isclose(r.ours_see, r.peer_see, rtol=0, atol=5e-7)
        bm_peer = float(r.peer_benchmark) if r.peer_benchmark != "" else np.nan
        bm_diff = not (
            np.isclose(r.ours_benchmark, bm_peer, rtol=0, atol=5e-7)
            or (np.isnan(bm_peer) and r.ours_benchmark == 0)
        )
        if see_diff:
            if r.ours_data == "default" and r.ours_direct_only:
                out.append("SEE: Annex II default, indirect in published total")
            elif r.ours_data == "actual":
                out.append("SEE: Annex II membership")
            else:
                out.append("SEE: other")
        elif bm_diff:
            if r.ours_data == "actual":
                out.append("actual benchmark")
            elif r.ours_basis == "route given" and r.ours_route != r.peer_route:
                out.append("default benchmark route: route given")
            elif np.isnan(bm_peer) and r.ours_basis == "highest Column B value":
                out.append("default benchmark: default route not in Column B")
            else:
                out.append("default benchmark: other")
        elif (
            cents(q3(r.ours_certificates) * q3(PRICE)) == cents(float(r.peer_liability))
            or abs(float(r.ours_certificates) - float(r.peer_certificates)) <= 0.0005 + 1e-9
        ):
            out.append("certificate rounding")
        else:
            out.append("other")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1,000 lines")
    ap.add_argument("--repeat", type=int, help="timed runs (default 7 ours, 3 opencbam; --quick 3/1)")
    ap.add_argument("--examples", type=int, default=1, help="examples per category")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    pin_one_core(0)

    import gen_data
    import numpy as np
    import pandas as pd
    from benchlib import Stats, data_path, runs_stats, time_call

    from cbam_calc.compute.calculate import calculate_validated
    from cbam_calc.compute.lines import compute_lines
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.inputs.readers import read_table
    from cbam_calc.inputs.validate import validate
    from cbam_calc.law.prices import PriceBook
    from cbam_calc.law.reference import reference_data

    n = gen_data.SIZES["quick" if args.quick else "full"][2]
    repeat = args.repeat or (3 if args.quick else 7)
    peer_repeat = args.repeat or (1 if args.quick else 3)
    ensure_peer_venv()
    path = gen_data.ensure_peer_csv(n)
    ref = reference_data()
    countries = data_path("countries.json")
    names = {r.iso2: (r.ir2621_table or r.name) for r in ref.countries.itertuples(index=False)}
    countries.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    print_machine()
    print(f"input {path.name}: {n:,} lines; price {PRICE} EUR/tCO2e, no de minimis; core 0 only; {load()}")

    # ---- opencbam
    peer_out = data_path(f"peer_{n}_opencbam.csv")
    cmd = [str(PEER_PY), str(BENCH_DIR / "peer_runner.py"), str(path), str(countries), str(peer_out)]
    cmd += ["--price", str(PRICE), "--repeat", str(peer_repeat)]
    wait_idle()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=bench_env(), cwd=BENCH_DIR)
    if proc.returncode != 0:
        raise SystemExit(f"peer runner failed: {proc.stderr[-3000:]}")
    peer_info = json.loads(proc.stdout.strip().splitlines()[-1])
    peer_wall = runs_stats(run_repeated([*cmd[:-4], "--price", str(PRICE), "--repeat", "1"], peer_repeat))

    # ---- cbam-calc
    validated = validate(read_table(path), ref)
    options = CalcOptions(price_eur_per_tco2e=PRICE, de_minimis=False)
    lines = validated.lines

    def engine():
        book = PriceBook.from_reference(ref, options.price_eur_per_tco2e)
        return compute_lines(lines, ref, options, book, validated.column_map)

    ours, _, _ = time_call(engine, repeat)
    ours_cv, _, result = time_call(lambda: calculate_validated(validated, options, ref), repeat)
    calc_cmd = [CBAM, "calc", str(path), "--format", "json", "--price", str(PRICE), "--no-de-minimis"]
    ours_wall = runs_stats(run_repeated(calc_cmd, repeat))  # fails loudly on a non-zero exit

    header(f"Speed, {n:,} lines, one core")
    peer_s = Stats(peer_info["assess_s"])
    us = peer_s.median / n * 1e6
    print(f"opencbam {peer_info['opencbam']} assess_good loop : {peer_s.text()}  ({us:.1f} us/line)")
    print(f"cbam-calc compute_lines          : {ours.text()}  ({ours.median / n * 1e6:.2f} us/line)")
    print(f"cbam-calc calculate_validated    : {ours_cv.text()}")
    print(
        f"engine speed ratio opencbam / compute_lines = {peer_s.median / ours.median:.1f}x; "
        f"/ calculate_validated = {peer_s.median / ours_cv.median:.1f}x"
    )
    print(f"process wall, runner (read CSV + assess once + write CSV): {peer_wall.text()}")
    print(f"process wall, cbam calc --format json                  : {ours_wall.text()}")
    print(f"process ratio opencbam / cbam = {peer_wall.median / ours_wall.median:.2f}x")
    print(f"contention: {ours.contention()} (compute_lines); {ours_wall.contention()} (cbam calc)")

    # ---- per-line comparison
    peer = pd.read_csv(peer_out, dtype=str, keep_default_na=False)
    peer["row"] = peer["row"].astype(int)
    ol = result.lines

    def text(col: pd.Series) -> np.ndarray:
        """A text column as plain strings, '' where empty (plain, Arrow or categorical dtype)."""
        values = col.to_numpy(dtype=object)
        return np.where(pd.isna(values), "", values).astype(object)

    mine = pd.DataFrame(
        {
            "row": ol["row"].astype(int),
            "cn_code": text(ol["cn_code"]),
            "country": text(ol["country_iso2"]),
            "sector": text(ol["sector"]),
            "mass": ol["net_mass_t"],
            "ours_data": text(ol["emissions_data"]),
            "ours_direct_only": ol["direct_only"],
            "ours_route": text(ol["benchmark_route"]),
            "ours_basis": text(ol["benchmark_route_basis"]),
            "ours_see": ol["see_tco2e_per_t"],
            "ours_see_direct": ol["see_direct_tco2e_per_t"],
            "ours_see_indirect": ol["see_indirect_tco2e_per_t"],
            "ours_embedded": ol["embedded_tco2e"],
            "ours_benchmark": ol["benchmark_tco2e_per_t"],
            "ours_faa": ol["free_allocation_tco2e"],
            "ours_certificates": ol["certificates"],
            "ours_cost": ol["cost_eur"],
            "input_route": text(ol["route"]) if "route" in ol.columns else "",
        }
    )
    m = mine.merge(peer.add_prefix("peer_").rename(columns={"peer_row": "row"}), on="row", how="outer")
    missing = m["ours_cost"].isna().sum()
    ok = m["peer_status"].eq("ok")
    m["agree"] = False
    m.loc[ok, "agree"] = [
        cents(a) == cents(float(b)) for a, b in zip(m.loc[ok, "ours_cost"], m.loc[ok, "peer_liability_eur"])
    ]
    m["peer_see"] = pd.to_numeric(m["peer_see_obligation"], errors="coerce")
    m["peer_liability"] = m["peer_liability_eur"]
    m["peer_route"] = m["peer_benchmark_route"]
    m["category"] = categorise(m)
    m["diff_eur"] = np.where(
        ok, m["ours_cost"] - pd.to_numeric(m["peer_liability_eur"], errors="coerce"), np.nan
    )
    m.to_csv(data_path(f"peer_{n}_compare.csv"), index=False)

    header(f"Cost per line, {n:,} lines: cbam-calc vs opencbam")
    agree = int(m["agree"].sum())
    print(f"agree to the cent: {agree:,} of {len(m):,} ({agree / len(m):.1%})")
    print(f"lines cbam-calc did not compute: {missing}")
    rounding = int(m["category"].eq("certificate rounding").sum())
    print(
        f"agree within opencbam's certificate rounding (3 dp): {agree + rounding:,} "
        f"({(agree + rounding) / len(m):.1%}); other disagreements {len(m) - agree - rounding:,}"
    )
    tot_o, tot_p = m["ours_cost"].sum(), pd.to_numeric(m["peer_liability_eur"], errors="coerce").sum()
    print(f"total cost: cbam-calc {tot_o:,.2f} EUR, opencbam {tot_p:,.2f} EUR")
    print(f"difference {tot_o - tot_p:,.2f} EUR ({(tot_o - tot_p) / tot_p:+.3%})")
    table = m.groupby("category").agg(
        lines=("row", "size"),
        sum_diff_eur=("diff_eur", "sum"),
        max_abs_diff_eur=("diff_eur", lambda s: s.abs().max()),
    )
    print(table.sort_values("lines", ascending=False).to_string(float_format=lambda x: f"{x:,.2f}"))
    by_sector = pd.crosstab([m["sector"], m["ours_data"]], m["category"])
    print("\nlines by sector, data (actual/default) and category:")
    print(by_sector.to_string())
    for cat in table.sort_values("lines", ascending=False).index:
        if cat == "agree":
            continue
        sub = m[m["category"] == cat]
        print()
        print(f"[{cat}] {len(sub):,} lines. {READINGS.get(cat, '')}")
        if cat.startswith("SEE") or cat.startswith("default benchmark") or cat == "actual benchmark":
            counts = sub.groupby(["cn_code", "country"]).size().sort_values(ascending=False)
            print(
                f"  distinct (CN, origin): {len(counts)}; most frequent: "
                + ", ".join(f"{c} {k} ({v})" for (c, k), v in counts.head(5).items())
            )
        # the example with the largest cost difference first
        ex = sub.assign(a=sub["diff_eur"].abs()).sort_values("a", ascending=False).head(args.examples)
        for r in ex.itertuples(index=False):
            print(
                f"  row {r.row}: CN {r.cn_code} {r.country}, {r.mass:,.3f} t, {r.ours_data} data, "
                f"route in file '{r.input_route}'"
            )
            print(
                f"    cbam-calc: SEE {r.ours_see:.6g} (direct {r.ours_see_direct:.6g}, "
                f"indirect {r.ours_see_indirect:.6g}), benchmark {r.ours_benchmark:.6g} "
                f"route '{r.ours_route}' ({r.ours_basis}), FAA {r.ours_faa:,.6f}, "
                f"certificates {r.ours_certificates:,.6f}, cost {r.ours_cost:,.4f}"
            )
            if r.peer_status == "ok":
                print(
                    f"    opencbam : SEE {r.peer_see_obligation} (base direct {r.peer_see_direct or '-'}, "
                    f"base indirect {r.peer_see_indirect or '-'}), benchmark {r.peer_benchmark or '-'} "
                    f"route '{r.peer_route}', FAA {float(r.peer_free_allocation):,.6f}, "
                    f"certificates {r.peer_certificates}, "
                    f"cost {r.peer_liability_eur}"
                )
            else:
                print(f"    opencbam : error: {r.peer_error}")
    print()
    speed = peer_s.median / ours.median
    print(f"summary: compute_lines {speed:.1f}x faster than opencbam's assess_good loop on {n:,} lines")
    print(f"(target 6 is a comparison, not a threshold; cbam-calc faster: {verdict(speed > 1)})")


if __name__ == "__main__":
    main()
