"""Target 5: `cbam --help` in under 0.5 s (median of 10), and what the imports cost.

    python bench/bench_startup.py [--quick] [--repeat R] [--top K]

Times `cbam --help` as a subprocess (after one warm-up), then runs
`python -X importtime -c "import cbam_calc.cli"` and, for reference, the same for
`cbam_calc.compute.calculate` (what `cbam calc` loads before reading a line), and prints the top
offenders by cumulative and by own import time. --quick: 5 runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess

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

TARGET_S = 0.5


def importtime(module: str, runs: int = 3) -> list[tuple[str, int, int]]:
    """(module, self us, cumulative us) per imported module, each the median over ``runs``."""
    samples: dict[str, list[tuple[int, int]]] = {}
    first = True
    for _ in range(runs + 1):  # the first run fills the bytecode cache
        cmd = [PY, "-X", "importtime", "-c", f"import {module}"]
        err = subprocess.run(
            cmd, capture_output=True, text=True, check=True, env=bench_env(), cwd=BENCH_DIR
        ).stderr
        if first:
            first = False
            continue
        for line in err.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, cum, name = (p.strip() for p in line.removeprefix("import time:").split("|", 2))
            samples.setdefault(name.strip(), []).append((int(own), int(cum)))
    out = []
    for name, vals in samples.items():
        own = sorted(v[0] for v in vals)[len(vals) // 2]
        cum = sorted(v[1] for v in vals)[len(vals) // 2]
        out.append((name, own, cum))
    return out


def show(module: str, top: int) -> None:
    rows = importtime(module)
    total = max((c for n, _, c in rows if n == module), default=0)
    header(f"python -X importtime -c 'import {module}': {total / 1e6:.3f} s cumulative")
    print("top by cumulative (a package includes what it imports):")
    for name, _own, cum in sorted(rows, key=lambda r: -r[2])[:top]:
        print(f"  {cum / 1e3:8.1f} ms  {name}")
    print("top by own time:")
    for name, own, _cum in sorted(rows, key=lambda r: -r[1])[:top]:
        print(f"  {own / 1e3:8.1f} ms  {name}")
    third = sorted(
        {n.split(".")[0] for n, _, c in rows if c > 20_000 and not n.startswith(("cbam_calc", "encodings"))}
    )
    print("top-level packages above 20 ms: " + (", ".join(third) or "none"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5 runs")
    ap.add_argument("--repeat", type=int, help="timed runs of cbam --help (default 10)")
    ap.add_argument("--top", type=int, default=15, help="offenders to list")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    repeat = args.repeat or (5 if args.quick else 10)
    print_machine()

    header(f"cbam --help, {repeat} runs; {load()}")
    stats = runs_stats(run_repeated([CBAM, "--help"], repeat))
    print(f"{stats.text()}; {stats.contention()}")
    print(f"target < {TARGET_S} s: {verdict(stats.median < TARGET_S)}")
    as_is = Stats([r.wall_s for r in run_repeated([CBAM, "--help"], repeat, env=dict(os.environ))])
    print(f"as this machine is set (PYTHONDONTWRITEBYTECODE=1, no cbam_calc bytecode): {as_is.text()}")
    bare = Stats([r.wall_s for r in run_repeated([PY, "-c", "pass"], repeat)])
    print(f"bare interpreter (python -c pass): {bare.text()}")
    calc_help = Stats([r.wall_s for r in run_repeated([CBAM, "calc", "--help"], repeat)])
    print(f"cbam calc --help: {calc_help.text()}")

    show("cbam_calc.cli", args.top)
    show("cbam_calc.compute.calculate", args.top)


if __name__ == "__main__":
    main()
