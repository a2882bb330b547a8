"""When the Dask engine pays: the same parquet lines through the pandas and the Dask engine.

    python bench/bench_dask.py [--quick] [--repeat R] [--row-group N]

The 1,000,000-line CSV is written once as parquet (bench/_data/lines_1000000.parquet, row groups
of --row-group lines: one Dask partition each). Then, each a fresh `cbam` process, stdout to
/dev/null, wall time from spawn to exit:

    cbam calc lines.parquet --format json                                  (pandas engine)
    cbam calc lines.parquet --format json --engine dask                    (local process pool)
    cbam calc lines.parquet --format json --engine dask --scheduler ADDR   (LocalCluster, 2 workers)

The cluster is a `distributed.LocalCluster` of 2 worker processes, 1 thread each, on loopback,
started by this script before the timed runs (its start-up is not timed; a user's cluster is
already running). The JSON totals of the three must be equal at the precision of the reports
(line counts exactly, tCO2e and certificates to 0.001, EUR to the cent); the largest difference
is printed too (sums of a million floats in another order differ in the last bits). No target:
these figures are for the README's "when to use it". --quick: the 100,000-line file, 2 runs.
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
    data_path,
    header,
    load,
    print_machine,
    run_repeated,
    runs_stats,
)

FIGURES = ("lines", "rejected", "embedded_tco2e", "certificates", "cost_eur")


def to_parquet(n: int, row_group: int):
    import pandas as pd

    src = gen_data.ensure_csv(n)
    target = data_path(f"lines_{n}_rg{row_group}.parquet")
    if not target.exists() or target.stat().st_mtime < src.stat().st_mtime:
        tmp = target.with_suffix(".tmp")  # what the error message tells a user to do
        pd.read_csv(src).to_parquet(tmp, index=False, row_group_size=row_group)
        tmp.replace(target)
    return target


def totals(cmd: list[str]) -> dict:
    out = subprocess.run(cmd, capture_output=True, text=True, env=bench_env())
    if out.returncode != 0:
        raise SystemExit(f"failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr[-2000:]}")
    doc = json.loads(out.stdout)
    return {k: doc[k] for k in FIGURES}


def reported(figures: dict) -> dict:
    """The figures as a report shows them: counts, tCO2e and certificates to 3 dp, EUR to 2."""
    return {k: round(v, 2 if k == "cost_eur" else 3) for k, v in figures.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100,000 lines, 2 runs")
    ap.add_argument("--repeat", type=int, help="timed runs of each command (default 3)")
    ap.add_argument("--row-group", type=int, default=250_000, help="lines per parquet row group")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    repeat = args.repeat or (2 if args.quick else 3)
    n = 100_000 if args.quick else 1_000_000
    path = to_parquet(n, args.row_group)
    print_machine()
    print(load())
    header(f"pandas vs Dask engine, {n:,} lines of parquet in row groups of {args.row_group:,}")

    from distributed import LocalCluster

    base = [CBAM, "calc", str(path), "--format", "json"]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1") as cluster:
        address = cluster.scheduler_address
        runs = {
            "pandas engine": base,
            "dask, local processes": [*base, "--engine", "dask"],
            "dask, LocalCluster 2 workers": [*base, "--engine", "dask", "--scheduler", address],
        }
        figures = {label: totals(cmd) for label, cmd in runs.items()}
        stats = {label: runs_stats(run_repeated(cmd, repeat)) for label, cmd in runs.items()}
    first = next(iter(figures.values()))
    same = all(reported(f) == reported(first) for f in figures.values())
    largest = {k: max(abs(f[k] - first[k]) for f in figures.values()) for k in FIGURES}
    for label, s in stats.items():
        print(f"  {label:30}: {s.text()}")
    print(f"  totals equal across engines at report precision: {'yes' if same else 'NO'} ({first})")
    print(f"  largest difference from the pandas engine: {largest}")
    header("Summary (medians)")
    pandas_s = stats["pandas engine"].median
    for label, s in stats.items():
        print(f"{label:30} {s.median:>7.2f} s {s.median / pandas_s:>6.2f}x pandas")
    if not same:
        raise SystemExit("engines disagree: " + json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
