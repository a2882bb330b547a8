"""Issue 13: `cbam calc` of the realistic 1,000,000-line CSV against a bare pandas read of it.

    python bench/bench_realistic.py [--quick] [--repeat R] [--repeat-base R] [--wait-idle] [--rev REV]

`cbam calc realistic_1000000.csv --format json` vs
`python -c "import pandas as pd; pd.read_csv('realistic_1000000.csv')"`, each a fresh process
(bytecode cached, bench_env), alternating, after one untimed warm-up each; target: the ratio of
the medians within 2.5x. The file comes from gen_realistic.py (Chinese headers, 26 origins in
three spellings, ~20,000 installations, 3,000 importers, 45 % actual data, Art 9 prices, three
date styles, 1 % of masses with thousands separators); the lines computed and rejected are
printed first (0 rejected expected). --quick: the 100,000-line file, 2 runs.
"""

from __future__ import annotations

import argparse

import gen_realistic
from bench_e2e import compare
from benchlib import add_common, apply_common, header, load, print_machine, verdict

RATIO = 2.5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the 100,000-line file, 2 runs")
    ap.add_argument("--repeat", type=int, help="timed cbam runs (default 3)")
    ap.add_argument("--repeat-base", type=int, help="timed bare-read runs (default 3)")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    n = 100_000 if args.quick else 1_000_000
    repeat = args.repeat or (2 if args.quick else 3)
    repeat_base = args.repeat_base or (2 if args.quick else 3)
    path = gen_realistic.ensure_csv(n)
    print_machine()
    print(load())
    header(f"cbam calc of the realistic CSV, {n:,} lines")
    code = f"import pandas as pd; pd.read_csv({str(path)!r})"
    cbam, base, rss = compare("realistic csv", path, code, repeat, repeat_base)
    ratio = cbam.median / base.median
    print(
        f"  ratio cbam / read_csv = {ratio:.2f}x (target <= {RATIO:g}x): {verdict(ratio <= RATIO)}"
        + ("" if n == 1_000_000 else "  [not the 1M-line file: indicative only]")
    )
    print(f"  medians: cbam {cbam.median:.2f} s, read_csv {base.median:.2f} s; peak RSS {rss.max:,.0f} MiB")
    print(load())


if __name__ == "__main__":
    main()
