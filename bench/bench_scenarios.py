"""Target 5: a scenario sweep of 100 scenarios over 100,000 lines, against one calc of those lines.

    python bench/bench_scenarios.py [--quick] [--repeat R]

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20,000 lines, 2 runs")
    ap.add_argument("--repeat", type=int, help="timed runs of each command (default 5)")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    repeat = args.repeat or (2 if args.quick else 5)
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
