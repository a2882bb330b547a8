"""Issue 13, `cbam report -o report.html`: the page against the calculation alone.

    python bench/bench_html.py [--quick] [--repeat R] [--inputs a.csv,b.csv] [--profile]
                               [--wait-idle] [--rev REV]

For each input (gen_data's 1,000,000-line CSV and gen_realistic's 1,000,000-line realistic file;
--quick: their 100,000-line versions, 2 rounds):

- A `cbam calc FILE --format json` (the calculation and its JSON summary, no output file)
- B `cbam report FILE -o r.html --force` (the same calculation and the page)

each a fresh process (bytecode cached, benchlib.bench_env), A and B interleaved in every round (one
untimed warm-up round first) so that a slow phase of this shared VM weighs on both. Target: the
page is written in under 2 s beyond the calculation: median(B) - median(A) < 2 s (the median of
the pair differences and the ratio of the medians are printed too), and it stays small (its size
is printed).

--profile: after the timed rounds, cProfile of ``calc_html`` in this process on each input (the
calculation done once first, untimed), top functions by cumulative time: where the extra time goes.
"""

from __future__ import annotations

import argparse
import statistics

import gen_data
import gen_realistic
from benchlib import (
    CBAM,
    Stats,
    add_common,
    apply_common,
    data_path,
    header,
    load,
    print_machine,
    run_timed,
    verdict,
)

TARGET_S = 2.0


def checked(r, what: str):
    if r.returncode != 0:
        raise SystemExit(f"{what} failed ({r.returncode}): {r.stderr[-2000:]}")
    return r


def measure(src, repeat: int) -> dict[str, float]:
    out = data_path("html")
    out.mkdir(exist_ok=True)
    page = out / f"r_{src.stem}.html"
    commands = {
        "A calc --format json": [CBAM, "calc", str(src), "--format", "json"],
        "B report -o r.html": [CBAM, "report", str(src), "-o", str(page), "--force"],
    }
    runs: dict[str, list] = {k: [] for k in commands}
    for i in range(repeat + 1):  # round 0 is the warm-up
        for k, cmd in commands.items():
            r = checked(run_timed(cmd), k)
            if i:
                runs[k].append(r)
    header(f"{src.name} ({src.stat().st_size / 1e6:.0f} MB), {repeat} interleaved rounds")
    med = {}
    for k, rs in runs.items():
        s = Stats([r.wall_s for r in rs], [r.others_cores for r in rs])
        rss = max(r.maxrss_mb for r in rs)
        med[k] = s.median
        print(f"  {k:22s}: {s.text()}; peak RSS {rss:,.0f} MiB; {s.contention()}")
    a, b = med["A calc --format json"], med["B report -o r.html"]
    calc_runs, page_runs = runs["A calc --format json"], runs["B report -o r.html"]
    pairs = [rb.wall_s - ra.wall_s for ra, rb in zip(calc_runs, page_runs)]
    diff = b - a
    print(
        f"  page: {b:.2f} s vs calc {a:.2f} s -> {diff:+.2f} s beyond the calculation "
        f"(median of pair differences {statistics.median(pairs):+.2f} s), ratio {b / a:.2f}x "
        f"(target < {TARGET_S:.0f} s: {verdict(diff < TARGET_S)})"
    )
    cpu_a = statistics.median(r.cpu_s for r in calc_runs)
    cpu_b = statistics.median(r.cpu_s for r in page_runs)
    print(
        f"  CPU time (user + system of the process, less sensitive to the other processes of this "
        f"shared machine): {cpu_b:.2f} s vs {cpu_a:.2f} s -> {cpu_b - cpu_a:+.2f} s, {cpu_b / cpu_a:.2f}x"
    )
    size = page.stat().st_size
    print(f"  r.html: {size:,} bytes ({size / 1e6:.2f} MB)")
    page.unlink(missing_ok=True)
    med.update(diff=diff, ratio=b / a, size=size, cpu_diff=cpu_b - cpu_a)
    return med


def profile(src, top: int = 25) -> None:
    """cProfile of calc_html in this process (the calculation first, untimed)."""
    import cProfile
    import pstats
    import time

    from cbam_calc.compute.calculate import calculate
    from cbam_calc.outputs.html import calc_html

    result = calculate(src)
    t0 = time.perf_counter()
    calc_html(result, "en")
    took = time.perf_counter() - t0
    header(f"profile of calc_html, {src.name} (first call {took:.2f} s, then profiled)")
    pr = cProfile.Profile()
    pr.enable()
    calc_html(result, "en")
    pr.disable()
    pstats.Stats(pr).sort_stats("cumulative").print_stats(top)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the 100,000-line files, 2 rounds")
    ap.add_argument("--repeat", type=int, default=None, help="timed rounds per input (default 3)")
    ap.add_argument("--inputs", default=None, help="comma-separated input files (default: generated)")
    ap.add_argument("--profile", action="store_true", help="cProfile of calc_html on each input")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    n = 100_000 if args.quick else 1_000_000
    if args.inputs:
        from pathlib import Path

        inputs = [Path(p).resolve() for p in args.inputs.split(",")]
    else:
        inputs = [gen_data.ensure_csv(n), gen_realistic.ensure_csv(n)]
    repeat = args.repeat or (2 if args.quick else 3)
    print_machine()
    print(load())
    for src in inputs:
        measure(src, repeat)
    print(load())
    if args.profile:
        for src in inputs:
            profile(src)


if __name__ == "__main__":
    main()
