"""Target 1: the engine over 1,000,000 validated lines in under 1 s on ONE core.

    python bench/bench_engine.py [--quick] [--lines N] [--repeat R] [--profile]

The process pins itself to core 0 and sets OMP/OPENBLAS/MKL threads to 1 before numpy is imported.
The input is read and validated once (read_table + validate of the generated CSV, also timed);
then ``compute_lines`` runs R times (after one warm-up) and ``calculate_validated`` (compute_lines
+ de minimis + notes + summary + parameters) R times. Wall time is the figure; the CPU time of the
process is printed next to it (equal on an idle core, lower when other work preempts us).
--profile adds a cProfile of one call of each, top functions by own and by cumulative time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from benchlib import (
    add_common,
    apply_common,
    header,
    load,
    pin_one_core,
    print_machine,
    time_call,
    verdict,
)

TARGET_S = 1.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100,000 lines, 3 runs")
    ap.add_argument("--lines", type=int, help="input of this many lines (default 1,000,000)")
    ap.add_argument("--repeat", type=int, help="timed runs (default 7; 3 with --quick)")
    ap.add_argument("--profile", action="store_true", help="cProfile one call of each")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    pin_one_core(0)

    import gen_data

    from cbam_calc.compute.calculate import calculate_validated
    from cbam_calc.compute.lines import compute_lines
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.inputs.readers import read_table
    from cbam_calc.inputs.validate import validate
    from cbam_calc.law.prices import PriceBook
    from cbam_calc.law.reference import reference_data

    n = args.lines or (100_000 if args.quick else 1_000_000)
    repeat = args.repeat or (3 if args.quick else 7)
    path = gen_data.ensure_csv(n)
    print_machine()
    print(
        f"affinity {sorted(os.sched_getaffinity(0))}, OMP/OPENBLAS/MKL threads 1; input {path.name}; {load()}"
    )

    ref = reference_data()
    t0 = time.perf_counter()
    raw = read_table(path)
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    validated = validate(raw, ref)
    t_validate = time.perf_counter() - t0
    lines = validated.lines
    print(
        f"read_table {t_read:.2f} s, validate {t_validate:.2f} s (once, one core); "
        f"{len(lines):,} lines valid, {len(validated.rejected)} rejected by validation"
    )
    options = CalcOptions()

    def engine():
        return compute_lines(lines, ref, options, PriceBook.from_reference(ref), validated.column_map)

    def full():
        return calculate_validated(validated, options, ref)

    header(f"compute_lines, {len(lines):,} lines, one core")
    wall, cpu, comp = time_call(engine, repeat)
    print(f"wall {wall.text()}")
    print(f"cpu  {cpu.text()}; {wall.contention()}")
    print(f"{len(lines) / wall.median:,.0f} lines/s (median); engine rejections {int(comp.issues.bad.sum())}")
    per_million = wall.median * 1_000_000 / len(lines)
    shown = f"{wall.median:.3f} s" if len(lines) == 1_000_000 else f"{per_million:.3f} s scaled to 1M lines"
    print(f"target: 1,000,000 lines < {TARGET_S:.1f} s -> {shown}: {verdict(per_million < TARGET_S)}")

    header("calculate_validated (compute + de minimis + notes + summary + parameters), one core")
    wall_cv, cpu_cv, result = time_call(full, max(3, repeat // 2))
    print(f"wall {wall_cv.text()}")
    print(f"cpu  {cpu_cv.text()}; {wall_cv.contention()}")
    print(
        f"{len(lines) / wall_cv.median:,.0f} lines/s; {result.summary.lines:,} lines computed, "
        f"{result.summary.rejected} rejected; cost {result.summary.cost_eur:,.2f} EUR"
    )
    print(f"calculate_validated / compute_lines = {wall_cv.median / wall.median:.2f}x; {load()}")

    if args.profile:
        import cProfile
        import pstats

        for name, fn in (("compute_lines", engine), ("calculate_validated", full)):
            header(f"cProfile: {name}")
            prof = cProfile.Profile()
            prof.runcall(fn)
            st = pstats.Stats(prof, stream=sys.stdout)
            st.sort_stats("tottime").print_stats(15)
            st.sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
