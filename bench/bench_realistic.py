"""Issue 13: `cbam calc` of the realistic 1,000,000-line CSV against a bare pandas read of it.

    python bench/bench_realistic.py [--quick] [--repeat R] [--repeat-base R] [--wait-idle] [--rev REV]
    python bench/bench_realistic.py --old REV     the same, plus REV's library in the same rounds

`cbam calc realistic_1000000.csv --format json` vs
`python -c "import pandas as pd; pd.read_csv('realistic_1000000.csv')"`, each a fresh process
(bytecode cached, bench_env), alternating, after one untimed warm-up each; target: the ratio of
the medians within 2.5x. The file comes from gen_realistic.py (Chinese headers, 26 origins in
three spellings, ~20,000 installations, 3,000 importers, 45 % actual data, Art 9 prices, three
date styles, 1 % of masses with thousands separators); the lines computed and rejected are
printed first (0 rejected expected). --quick: the 100,000-line file, 2 runs.

With --old REV, each round also runs `python -m cbam_calc calc` with the library of commit REV
(a `git archive` snapshot first on PYTHONPATH, as compare_revs.py does) next to the working tree's
(or --rev's): before and after in the same rounds, each as a ratio to the same bare reads.
"""

from __future__ import annotations

import argparse

import gen_realistic
from bench_e2e import compare
from benchlib import (
    LIBRARY,
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
    snapshot,
    verdict,
)

RATIO = 2.5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the 100,000-line file, 2 runs")
    ap.add_argument("--repeat", type=int, help="timed cbam runs (default 3)")
    ap.add_argument("--repeat-base", type=int, help="timed bare-read runs (default 3)")
    ap.add_argument("--old", help="also time the library of this commit in the same rounds")
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
    if args.old:
        before_and_after(path, code, args.old, repeat)
        return
    cbam, base, rss = compare("realistic csv", path, code, repeat, repeat_base)
    ratio = cbam.median / base.median
    print(
        f"  ratio cbam / read_csv = {ratio:.2f}x (target <= {RATIO:g}x): {verdict(ratio <= RATIO)}"
        + ("" if n == 1_000_000 else "  [not the 1M-line file: indicative only]")
    )
    print(f"  medians: cbam {cbam.median:.2f} s, read_csv {base.median:.2f} s; peak RSS {rss.max:,.0f} MiB")
    print(load())


def before_and_after(path, code: str, old: str, repeat: int) -> None:
    """Rounds of (new calc, bare read, old calc), order rotating; each calc's median over the
    reads' median, and the CPU time (user + sys) of each, less sensitive to other processes."""
    sha, lib = snapshot(old)
    env_old = bench_env()
    env_old["PYTHONPATH"] = str(lib)
    calc = [PY, "-m", "cbam_calc", "calc", str(path), "--format", "json"]
    cmds = {
        "new": (calc, None),
        "read": ([PY, "-c", code], None),
        f"old {sha}": (calc, env_old),
    }
    runs: dict[str, list] = {k: [] for k in cmds}
    for i in range(repeat):
        names = list(cmds)
        names = names[i % 3 :] + names[: i % 3]
        for name in names:
            cmd, env = cmds[name]
            runs[name] += run_repeated(cmd, 1, warmup=1 if i == 0 else 0, env=env)
    read = runs_stats(runs["read"])
    new_label = f"new {LIBRARY['rev'] or 'working tree'}"
    for name, rs in runs.items():
        st = runs_stats(rs)
        cpu = Stats([r.cpu_s for r in rs])
        label = new_label if name == "new" else name
        print(f"  {label:22}: {st.text()}; CPU median {cpu.median:.2f} s; {st.contention()}")
    for name in ("new", f"old {sha}"):
        st = runs_stats(runs[name])
        ratio = st.median / read.median
        cpu_ratio = (
            Stats([r.cpu_s for r in runs[name]]).median / Stats([r.cpu_s for r in runs["read"]]).median
        )
        label = new_label if name == "new" else name
        print(
            f"  {label}: ratio to read_csv {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU "
            f"(target <= {RATIO:g}x): {verdict(ratio <= RATIO)}"
        )
    print(load())


if __name__ == "__main__":
    main()
