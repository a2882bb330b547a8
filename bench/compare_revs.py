"""Two commits of the library side by side: interleaved runs of the same commands, median ratio.

    python bench/compare_revs.py --old 9d24d35 --new HEAD [--pairs 7] [--quick] [--wait-idle]

For a change that must not slow anything down (a restructuring: the issue's limit is a median
ratio new/old of at most 1.05). Each command runs as ``python -m cbam_calc ...`` with the library of
one commit first on PYTHONPATH (a `git archive` snapshot, as ``--rev`` does for the other scripts);
runs alternate old, new, new, old ... so that a slow phase of this shared VM weighs on both, and
each pair gives one ratio. Commands: ``cbam calc`` of the bench CSV and xlsx (JSON summary: read,
validate, compute, summary), ``cbam calc --lines-out`` (the Lines table), ``cbam scenario`` over
nine years, and ``cbam --help`` (start-up).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

import gen_data
from benchlib import (
    PY,
    WAIT_IDLE,
    bench_env,
    data_path,
    header,
    load,
    print_machine,
    run_timed,
    snapshot,
)

LIMIT = 1.05
SWEEP = ["--cea-price", "0,80,160", "--ccer-share", "0,0.05", "--allocation-gap", "0,0.05"]


def commands(quick: bool) -> dict[str, list[str]]:
    n_csv, n_xlsx, _ = gen_data.SIZES["quick" if quick else "full"]
    csv = gen_data.ensure_csv(n_csv)
    small = gen_data.ensure_csv(100_000)
    xlsx = gen_data.ensure_xlsx(n_xlsx)
    lines_out = data_path("compare_lines.csv")
    return {
        f"calc csv {n_csv:,} lines": ["calc", str(csv), "--format", "json"],
        f"calc xlsx {n_xlsx:,} lines": ["calc", str(xlsx), "--format", "json"],
        "calc --lines-out 100,000 lines": [
            "calc", str(small), "--format", "json", "--lines-out", str(lines_out), "--force"
        ],
        "scenario 2026-2034 100,000 lines": [
            "scenario", str(small), "--years", "2026-2034", "--format", "json", *SWEEP
        ],
        "--help": ["--help"],
    }  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", required=True, help="the commit before the change")
    ap.add_argument("--new", default="HEAD", help="the commit after it (default HEAD)")
    ap.add_argument("--pairs", type=int, default=7, help="old/new pairs per command (default 7)")
    ap.add_argument("--quick", action="store_true", help="smaller inputs and 3 pairs")
    ap.add_argument("--wait-idle", action="store_true", help="wait for an idle machine before each run")
    ap.add_argument("--only", help="run only the commands whose name contains this text")
    args = ap.parse_args()
    WAIT_IDLE["on"] = args.wait_idle
    pairs = 3 if args.quick else args.pairs
    revs = {}
    for side in ("old", "new"):
        sha, path = snapshot(getattr(args, side))
        env = bench_env()
        env["PYTHONPATH"] = str(path)
        revs[side] = (sha, env)
    print_machine()
    print(f"old {revs['old'][0]}  new {revs['new'][0]}  ({pairs} pairs, {load()})")
    worst = 0.0
    for name, argv in commands(args.quick).items():
        if args.only and args.only not in name:
            continue
        header(name)
        cmd = [PY, "-m", "cbam_calc", *argv]
        for side in ("old", "new"):  # warm-up: page cache and bytecode
            run_timed(cmd, env=revs[side][1])
        times: dict[str, list[float]] = {"old": [], "new": []}
        ratios = []
        for i in range(pairs):
            order = ("old", "new") if i % 2 == 0 else ("new", "old")
            got = {}
            for side in order:
                r = run_timed(cmd, env=revs[side][1])
                if r.returncode != 0:
                    print(f"{side} failed ({r.returncode}): {r.stderr[-1000:]}", file=sys.stderr)
                    return 2
                got[side] = r.wall_s
                times[side].append(r.wall_s)
            ratios.append(got["new"] / got["old"])
        med = {s: statistics.median(v) for s, v in times.items()}
        ratio = statistics.median(ratios)
        worst = max(worst, ratio)
        print(
            f"old median {med['old']:.3f} s, new median {med['new']:.3f} s; "
            f"median of pair ratios new/old {ratio:.3f} (range {min(ratios):.3f}-{max(ratios):.3f})"
        )
    header("verdict")
    print(f"highest median ratio {worst:.3f} (limit {LIMIT}): {'MET' if worst <= LIMIT else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
