"""Issue 13, `--lines-out`: CSV and parquet of the per-line table against a bare pyarrow write.

    python bench/bench_lines_out.py [--quick] [--repeat R] [--sizes 1000000,100000]

For each size (1,000,000 and 100,000 lines of gen_data's CSV; --quick: 100,000 and 20,000):

- A `cbam calc big.csv --format json` (no outputs)
- B the same with `--lines-out x.csv`
- C the same with `--lines-out x.parquet`
- D a bare pyarrow write of the same table: a fresh process reads C's parquet back
  (`pq.read_table`) and times `pyarrow.csv.write_csv` / `pyarrow.parquet.write_table` of it alone
  (the interpreter, imports and read are not the write's; its whole process is printed too)

Target: B <= 1.5 x (A + D csv) and C <= 1.5 x (A + D parquet), medians of whole processes, A, B, C
and D interleaved in each round so a slow phase of this shared VM weighs on all of them. One
untimed warm-up round first (page cache, .pyc); bytecode cached (benchlib.bench_env).
"""

from __future__ import annotations

import argparse
import statistics
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

RATIO = 1.5
BARE = """
import sys, time
import pyarrow.csv as pacsv, pyarrow.parquet as pq
table = pq.read_table(sys.argv[1])
t0 = time.perf_counter()
if sys.argv[2].endswith(".csv"):
    pacsv.write_csv(table, sys.argv[2])
else:
    pq.write_table(table, sys.argv[2])
print(time.perf_counter() - t0)
"""


def bare_write(parquet, out) -> tuple[float, float]:
    """(seconds of the write alone, seconds of the whole process)."""
    import time

    t0 = time.perf_counter()
    p = subprocess.run(
        [PY, "-c", BARE, str(parquet), str(out)],
        capture_output=True,
        text=True,
        env=bench_env(),
        cwd=BENCH_DIR,
    )
    whole = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"bare write failed: {p.stderr[-2000:]}")
    return float(p.stdout.strip()), whole


def cbam(src, *extra) -> list[str]:
    return [CBAM, "calc", str(src), "--format", "json", *map(str, extra)]


def checked(r, what: str):
    if r.returncode != 0:
        raise SystemExit(f"{what} failed ({r.returncode}): {r.stderr[-2000:]}")
    return r


def measure(n: int, repeat: int) -> dict[str, float]:
    src = gen_data.ensure_csv(n)
    out = data_path("lines_out")
    out.mkdir(exist_ok=True)
    csv_out, pq_out = out / f"x_{n}.csv", out / f"x_{n}.parquet"
    bare_csv, bare_pq = out / f"bare_{n}.csv", out / f"bare_{n}.parquet"
    commands = {
        "A calc": cbam(src),
        "B --lines-out x.csv": cbam(src, "--lines-out", csv_out, "--force"),
        "C --lines-out x.parquet": cbam(src, "--lines-out", pq_out, "--force"),
    }
    runs: dict[str, list] = {k: [] for k in commands}
    bare: dict[str, list[tuple[float, float]]] = {"csv": [], "parquet": []}
    for i in range(repeat + 1):  # round 0 is the warm-up
        for k, cmd in commands.items():
            r = checked(run_timed(cmd), k)
            if i:
                runs[k].append(r)
        for kind, target in (("csv", bare_csv), ("parquet", bare_pq)):
            b = bare_write(pq_out, target)
            if i:
                bare[kind].append(b)
    header(f"{n:,} lines ({src.name}, {src.stat().st_size / 1e6:.0f} MB), {repeat} interleaved rounds")
    med = {}
    for k, rs in runs.items():
        s = Stats([r.wall_s for r in rs], [r.others_cores for r in rs])
        rss = max(r.maxrss_mb for r in rs)
        med[k] = s.median
        print(f"  {k:26s}: {s.text()}; peak RSS {rss:,.0f} MiB; {s.contention()}")
    for kind, bs in bare.items():
        write = Stats([b[0] for b in bs])
        med[f"D bare {kind}"] = write.median
        whole = statistics.median(b[1] for b in bs)
        print(f"  D bare pyarrow {kind:8s}  : write {write.text()}; whole process median {whole:.3f} s")
    a = med["A calc"]
    for kind, key in (("csv", "B --lines-out x.csv"), ("parquet", "C --lines-out x.parquet")):
        base = a + med[f"D bare {kind}"]
        ratio = med[key] / base
        med[f"ratio {kind}"] = ratio
        print(
            f"  {kind:8s}: {med[key]:.2f} s vs calc {a:.2f} + bare write {med[f'D bare {kind}']:.2f} = "
            f"{base:.2f} s -> {ratio:.2f}x (target <= {RATIO}x: {verdict(ratio <= RATIO)}); "
            f"the write costs {med[key] - a:.2f} s"
        )
    size = csv_out.stat().st_size / 1e6, pq_out.stat().st_size / 1e6
    print(f"  files: x.csv {size[0]:.0f} MB, x.parquet {size[1]:.0f} MB")
    for p in (csv_out, pq_out, bare_csv, bare_pq):
        p.unlink(missing_ok=True)
    return med


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100,000 and 20,000 lines, 2 rounds")
    ap.add_argument("--repeat", type=int, default=None, help="timed rounds per size (default 3)")
    ap.add_argument("--sizes", default=None, help="comma-separated line counts")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else None
    sizes = sizes or ([100_000, 20_000] if args.quick else [1_000_000, 100_000])
    repeat = args.repeat or (2 if args.quick else 3)
    print_machine()
    print(load())
    for n in sizes:
        measure(n, repeat)
    print(load())


if __name__ == "__main__":
    main()
