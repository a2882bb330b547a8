"""Issue 13, the xlsx report: `cbam report FILE -o report.xlsx` against `cbam calc FILE` alone.

    python bench/bench_report.py [--quick] [--repeat R] [--big-repeat B] [--sizes 100000]
                                 [--big 1000000] [--wait-idle] [--rev REV]

- ratio, for each of --sizes (default 100,000 lines of gen_data's CSV; --quick: 20,000):
  A `cbam calc big.csv --format json` (no outputs) and B `cbam report big.csv -o x.xlsx`, A and B
  interleaved in each round after one untimed warm-up round; target B <= 8 x A (medians).
- big, for --big (default 1,000,000 lines; --quick or --big 0: skipped): B alone, target under
  90 s, peak RSS (os.wait4 rusage of the child) under 1.5 GB.

Whole processes, bytecode cached (benchlib.bench_env). The writer is printed
(cbam_calc.outputs.xlsx_book.backend(); CBAM_XLSX_WRITER=xlsxwriter measures the fallback).
--rev measures a commit's cbam_calc instead of the working tree (before: --rev 7c0a6ab, openpyxl).
"""

from __future__ import annotations

import argparse
import os
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
    data_path,
    header,
    load,
    print_machine,
    run_timed,
    verdict,
)

RATIO = 8.0
BIG_SECONDS = 90.0
BIG_RSS_MB = 1500.0


def checked(r, what: str):
    if r.returncode != 0:
        raise SystemExit(f"{what} failed ({r.returncode}): {r.stderr[-2000:]}")
    return r


def writer() -> str:
    code = "from cbam_calc.outputs import xlsx_book; print(xlsx_book.backend())"
    p = subprocess.run([PY, "-c", code], capture_output=True, text=True, env=bench_env(), cwd=BENCH_DIR)
    return p.stdout.strip() or f"openpyxl (no xlsx_book: {p.stderr.strip().splitlines()[-1][:60]})"


def report_cmd(src, out) -> list[str]:
    return [CBAM, "report", str(src), "-o", str(out), "--force"]


def ratio(n: int, repeat: int) -> dict[str, float]:
    src = gen_data.ensure_csv(n)
    out = data_path("report") / f"x_{n}.xlsx"
    out.parent.mkdir(exist_ok=True)
    commands = {
        "A calc --format json": [CBAM, "calc", str(src), "--format", "json"],
        "B report -o x.xlsx": report_cmd(src, out),
    }
    runs: dict[str, list] = {k: [] for k in commands}
    for i in range(repeat + 1):  # round 0 is the warm-up
        for k, cmd in commands.items():
            r = checked(run_timed(cmd), k)
            if i:
                runs[k].append(r)
    header(f"{n:,} lines ({src.name}, {src.stat().st_size / 1e6:.0f} MB), {repeat} interleaved rounds")
    med = {}
    for k, rs in runs.items():
        s = Stats([r.wall_s for r in rs], [r.others_cores for r in rs])
        med[k] = s.median
        print(f"  {k:22s}: {s.text()}; peak RSS {max(r.maxrss_mb for r in rs):,.0f} MiB; {s.contention()}")
    a, b = med["A calc --format json"], med["B report -o x.xlsx"]
    print(
        f"  report / calc: {b:.2f} / {a:.2f} s = {b / a:.2f}x (target <= {RATIO:g}x: "
        f"{verdict(b / a <= RATIO)}); the workbook costs {b - a:.2f} s; {out.stat().st_size / 1e6:.1f} MB"
    )
    out.unlink(missing_ok=True)
    return med


def big(n: int, repeat: int) -> None:
    src = gen_data.ensure_csv(n)
    out = data_path("report") / f"x_{n}.xlsx"
    out.parent.mkdir(exist_ok=True)
    rs = [checked(run_timed(report_cmd(src, out)), "report") for _ in range(repeat)]
    header(
        f"{n:,} lines ({src.name}, {src.stat().st_size / 1e6:.0f} MB), cbam report -o x.xlsx, {repeat} run(s)"
    )
    s = Stats([r.wall_s for r in rs], [r.others_cores for r in rs])
    rss = max(r.maxrss_mb for r in rs)
    print(f"  report -o x.xlsx: {s.text()}; {s.contention()}")
    print(
        f"  median {s.median:.1f} s (target < {BIG_SECONDS:g} s: {verdict(s.median < BIG_SECONDS)}); "
        f"peak RSS {rss:,.0f} MiB (target < {BIG_RSS_MB:,.0f}: {verdict(rss < BIG_RSS_MB)}); "
        f"{out.stat().st_size / 1e6:.0f} MB"
    )
    out.unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20,000 lines, 2 rounds, no 1,000,000-line run")
    ap.add_argument("--repeat", type=int, default=None, help="timed rounds of the ratio (default 3)")
    ap.add_argument("--big-repeat", type=int, default=1, help="runs of the big report (default 1)")
    ap.add_argument("--sizes", default=None, help="comma-separated line counts of the ratio")
    ap.add_argument("--big", type=int, default=None, help="lines of the big report (0: none)")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else ([20_000] if args.quick else [100_000])
    big_n = args.big if args.big is not None else (0 if args.quick else 1_000_000)
    repeat = args.repeat or (2 if args.quick else 3)
    print_machine()
    print(load())
    print(
        f"xlsx writer: {writer()}"
        + (
            f" (CBAM_XLSX_WRITER={os.environ['CBAM_XLSX_WRITER']})"
            if os.environ.get("CBAM_XLSX_WRITER")
            else ""
        )
    )
    for n in sizes:
        ratio(n, repeat)
    if big_n:
        big(big_n, args.big_repeat)
    print(load())


if __name__ == "__main__":
    main()
