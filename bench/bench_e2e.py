"""Targets 2-4: `cbam calc --format json` end to end, against a bare pandas read of the same file.

    python bench/bench_e2e.py [--quick] [--only csv|xlsx] [--repeat R] [--repeat-base R]

2. CSV, 1,000,000 lines: `cbam calc big.csv --format json` vs
   `python -c "import pandas as pd; pd.read_csv('big.csv')"`; target: within 3x.
3. xlsx, 200,000 lines: `cbam calc big.xlsx --format json` vs
   `python -c "import pandas as pd; pd.read_excel('big.xlsx', engine='calamine')"`; target: within 2x.
4. Peak RSS of `cbam calc big.csv --format json` (1M lines); target: under 1.5 GB.

Every command is a fresh subprocess (interpreter start-up included on both sides), stdout to
/dev/null, wall time from spawn to exit; peak RSS from os.wait4 (the child's ru_maxrss). One
untimed warm-up run per command first (page cache, .pyc); then the two commands alternate, so a
slow phase of the (shared, virtual) machine weighs on both; the ratio is median / median, and the
median of consecutive pairs is printed too. Not pinned: both sides may use the machine's cores
(pyarrow's CSV reader is multi-threaded). --quick: 100,000 / 20,000 lines, 2 runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess

import gen_data
from benchlib import (
    BENCH_DIR,
    CBAM,
    PY,
    Stats,
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

CSV_RATIO = 3.0
XLSX_RATIO = 2.0
RSS_LIMIT_MB = 1.5 * 1024  # 1.5 GiB


def check_run(path) -> dict:
    """One run with the JSON kept: the lines computed and rejected (the timed runs discard it)."""
    cmd = [CBAM, "calc", str(path), "--format", "json"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=bench_env(), cwd=BENCH_DIR)
    if out.returncode != 0:
        raise SystemExit(f"cbam calc {path} failed ({out.returncode}): {out.stderr[-2000:]}")
    return json.loads(out.stdout)


def compare(label: str, path, base_code: str, repeat: int, repeat_base: int) -> tuple[Stats, Stats, Stats]:
    summary = check_run(path)
    print(
        f"{label}: {path.name}, {path.stat().st_size / 1e6:.0f} MB; "
        f"cbam computed {summary['lines']:,} lines, rejected {summary['rejected']:,}"
    )
    cbam_cmd = [CBAM, "calc", str(path), "--format", "json"]
    base_cmd = [PY, "-c", base_code]
    # interleaved (cbam, read, cbam, read ...): a slow phase of this shared VM hits both sides
    cbam_runs, base_runs = [], []
    for i in range(max(repeat, repeat_base)):
        if i < repeat:
            cbam_runs += run_repeated(cbam_cmd, 1, warmup=1 if i == 0 else 0)
        if i < repeat_base:
            base_runs += run_repeated(base_cmd, 1, warmup=1 if i == 0 else 0)
    pairs = [c.wall_s / b.wall_s for c, b in zip(cbam_runs, base_runs)]
    cbam = runs_stats(cbam_runs)
    base = runs_stats(base_runs)
    rss = Stats([r.maxrss_mb for r in cbam_runs])
    base_rss = Stats([r.maxrss_mb for r in base_runs])
    cpu = Stats([r.cpu_s for r in cbam_runs])
    base_cpu = Stats([r.cpu_s for r in base_runs])
    print(f"  cbam calc --format json : {cbam.text()}; CPU (user+sys) median {cpu.median:.2f} s")
    print(f"  bare read               : {base.text()}; CPU median {base_cpu.median:.2f} s")
    print(f"    ({base_code})")
    print(f"  contention: cbam runs: {cbam.contention()}; bare reads: {base.contention()}")
    print(f"  peak RSS: cbam {rss.max:,.0f} MiB (max of runs), bare read {base_rss.max:,.0f} MiB")
    pr = Stats(pairs)
    print(
        f"  ratio of consecutive pairs (cbam run / the read run after it): median {pr.median:.2f}x, "
        f"range {pr.min:.2f}-{pr.max:.2f}x"
    )
    return cbam, base, rss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100,000-line CSV, 20,000-line xlsx, 2 runs")
    ap.add_argument("--only", choices=["csv", "xlsx"], help="one of the two comparisons")
    ap.add_argument("--repeat", type=int, help="timed cbam runs (default 3)")
    ap.add_argument("--repeat-base", type=int, help="timed bare-read runs (default 5)")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    repeat = args.repeat or (2 if args.quick else 3)
    repeat_base = args.repeat_base or (2 if args.quick else 5)
    n_csv, n_xlsx, _ = gen_data.SIZES["quick" if args.quick else "full"]
    print_machine()
    print(load())
    results = []

    if args.only in (None, "csv"):
        path = gen_data.ensure_csv(n_csv)
        header(f"Target 2 and 4: CSV, {n_csv:,} lines")
        cbam, base, rss = compare(
            "csv", path, f"import pandas as pd; pd.read_csv({str(path)!r})", repeat, repeat_base
        )
        ratio = cbam.median / base.median
        ok = ratio <= CSV_RATIO
        print(f"  ratio cbam / read_csv = {ratio:.2f}x (target <= {CSV_RATIO:g}x): {verdict(ok)}")
        print(
            f"  peak RSS {rss.max:,.0f} MiB (target < {RSS_LIMIT_MB:,.0f} MiB = 1.5 GiB): "
            f"{verdict(rss.max < RSS_LIMIT_MB)}"
            + ("" if n_csv == 1_000_000 else "  [not the 1M-line file: indicative only]")
        )
        results.append(("csv", n_csv, cbam.median, base.median, ratio, rss.max))

    if args.only in (None, "xlsx"):
        path = gen_data.ensure_xlsx(n_xlsx)
        header(f"Target 3: xlsx, {n_xlsx:,} lines")
        code = f"import pandas as pd; pd.read_excel({str(path)!r}, engine='calamine')"
        cbam, base, rss = compare("xlsx", path, code, repeat, repeat_base)
        ratio = cbam.median / base.median
        print(
            f"  ratio cbam / read_excel(calamine) = {ratio:.2f}x (target <= {XLSX_RATIO:g}x): "
            f"{verdict(ratio <= XLSX_RATIO)}"
        )
        results.append(("xlsx", n_xlsx, cbam.median, base.median, ratio, rss.max))

    header("Summary (medians)")
    print(f"{'input':6} {'lines':>10} {'cbam s':>8} {'read s':>8} {'ratio':>6} {'cbam RSS MiB':>13}")
    for kind, n, c, b, r, m in results:
        print(f"{kind:6} {n:>10,} {c:>8.2f} {b:>8.2f} {r:>6.2f} {m:>13,.0f}")


if __name__ == "__main__":
    main()
