"""Where the time of `cbam calc --format json` goes, on the CSV and the xlsx benchmark inputs.

    python bench/profile_e2e.py [--quick] [--only csv|xlsx] [--top K]
    python bench/profile_e2e.py --realistic [--quick]   gen_realistic.py's file instead (issue 13)

Runs `python -m cProfile -o bench/_data/calc_<kind>.prof -m cbam_calc calc FILE --format json`
(a fresh process, stdout to /dev/null), then prints from the profile:
  * the pipeline stages (cumulative time of the library's entry points: imports, read, validate,
    compute_lines, de minimis and summary, Lines table, notes, JSON),
  * the top functions by cumulative time and by own time, with file:line.
cProfile adds overhead to Python-level calls (not to NumPy/Arrow kernels), so stage shares are a
guide, the absolute times a little high. --quick: the 100,000 / 20,000-line files.

--timeline: instead of cProfile, one run with the stage functions of TIMED wrapped (no profiler):
each call's start, wall time and the main thread's CPU time, nested, from a fresh process. The
cbam_calc modules are imported first (so that their functions can be wrapped), so the CSV prefetch
starts after the imports: the read shows its whole time, which the command line overlaps with them.

With py-spy (installed into bench/_venv_peer, never into the project's environment:
`bench/_venv_peer/bin/pip install py-spy`), the same run is also sampled at 250 Hz without
instrumentation, and every sample is charged to the deepest cbam_calc frame on its stack: the
library line (file:line) whose work -- its own, or pandas/NumPy/Arrow below it -- took the time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pstats
import re
import subprocess
import time
from collections import Counter

import gen_data
import gen_realistic
from benchlib import (
    BENCH_DIR,
    CBAM,
    PY,
    REPO,
    add_common,
    apply_common,
    bench_env,
    data_path,
    header,
    print_machine,
)

PY_SPY = BENCH_DIR / "_venv_peer" / "bin" / "py-spy"
SPY_RATE = 250
FRAME = re.compile(r"^(?P<fn>.*) \((?P<file>[^()]*):(?P<line>\d+)\)$")

# (label, file suffix inside the repo or site-packages, function name)
STAGES = [
    ("calculate (read + validate + compute + summary)", "cbam_calc/compute/calculate.py", "calculate"),
    ("  read_table", "cbam_calc/inputs/readers.py", "read_table"),
    ("    calamine get_sheet_by_name + to_python (xlsx)", "", "calamine"),
    ("    DataFrame from rows (xlsx)", "cbam_calc/inputs/readers.py", "read_spreadsheet"),
    ("    xlsx_guard.guard_workbook", "cbam_calc/inputs/xlsx_guard.py", "guard_workbook"),
    ("    pyarrow read_csv (csv)", "cbam_calc/inputs/readers.py", "_arrow_csv"),
    ("    _drop_blank", "cbam_calc/inputs/readers.py", "_drop_blank"),
    ("  validate", "cbam_calc/inputs/validate.py", "validate"),
    ("    parse.per_distinct", "cbam_calc/inputs/parse.py", "per_distinct"),
    ("    parse.number", "cbam_calc/inputs/numbers_parse.py", "number"),
    ("    totals_rows", "cbam_calc/inputs/validate.py", "totals_rows"),
    ("  calculate_validated", "cbam_calc/compute/calculate.py", "calculate_validated"),
    ("    compute_part", "cbam_calc/compute/pipeline.py", "compute_part"),
    ("      compute_lines", "cbam_calc/compute/lines.py", "compute_lines"),
    ("      aggregate (group sums)", "cbam_calc/compute/aggregate.py", "aggregate"),
    ("    finish (de minimis, summary, parameters)", "cbam_calc/compute/pipeline.py", "finish"),
    ("      de_minimis_groups", "cbam_calc/law/de_minimis.py", "de_minimis_groups"),
    ("      summarise", "cbam_calc/compute/summary.py", "summarise"),
    ("      parameters_table", "cbam_calc/compute/summary.py", "parameters_table"),
    ("    part_lines (Lines table)", "cbam_calc/compute/pipeline.py", "part_lines"),
    ("      line_notes", "cbam_calc/compute/notes.py", "line_notes"),
    ("    sha256 of the input", "cbam_calc/inputs/csv_arrow.py", "sha256"),
    ("summary_json", "cbam_calc/outputs/text.py", "summary_json"),
]


TIMED = (  # functions --timeline wraps, wherever a cbam_calc module binds them
    "read_table,read,_csv_frame,validate,number,per_distinct,share,_goods_named,calculate_validated,"
    "compute_part,compute_lines,_lookup,resolve_default_values,resolve_benchmarks,factorize_frame,"
    "aggregate,finish,de_minimis_groups,summarise,headline_figures_by,eur_per_t_by,"
    "reference_data_as_of,summary_json"
)


def timeline_child(path: str, names: str) -> None:
    """(--_timeline-child) the wrapped run, printed as rows: start s, wall s, main-thread CPU s."""
    import functools
    import importlib
    import pkgutil
    import sys

    t_start = time.perf_counter()
    mods = []
    for sub in ("compute", "inputs", "law", "outputs", "core", "cli"):
        pkg = importlib.import_module(f"cbam_calc.{sub}")
        mods += [
            importlib.import_module(f"cbam_calc.{sub}.{m.name}") for m in pkgutil.iter_modules(pkg.__path__)
        ]
    t_imported = time.perf_counter()
    rows: list[tuple[float, int, str, float, float]] = []
    depth = [0]

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*a, **k):
            d = depth[0]
            depth[0] += 1
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                return fn(*a, **k)
            finally:
                depth[0] -= 1
                name = fn.__module__.replace("cbam_calc.", "") + "." + fn.__qualname__
                rows.append((t0 - t_start, d, name, time.perf_counter() - t0, time.thread_time() - c0))

        inner.__timed__ = True
        return inner

    done: dict[int, object] = {}
    for m in mods:
        for n in names.split(","):
            f = getattr(m, n, None)
            if callable(f) and not isinstance(f, type) and not getattr(f, "__timed__", False):
                setattr(m, n, done.setdefault(id(f), wrap(f)))
    from cbam_calc.cli import main as cli

    sys.argv = ["cbam", "calc", path, "--format", "json"]
    out, sys.stdout = sys.stdout, open(os.devnull, "w")  # noqa: SIM115
    c_all = time.process_time()
    with contextlib.suppress(SystemExit):
        cli()
    sys.stdout = out
    took = time.perf_counter() - t_imported
    print(
        f"imports (cbam_calc and below) {t_imported - t_start:.2f} s; the run {took:.2f} s wall, "
        f"process CPU {time.process_time() - c_all:.2f} s (every thread)"
    )
    print(f"{'start s':>7} {'wall s':>7} {'CPU s':>7}  function (main-thread CPU; nested by depth)")
    for t0, d, name, wall, cpu in sorted(rows):
        if wall >= 0.005:
            print(f"{t0:7.2f} {wall:7.3f} {cpu:7.3f}  {'  ' * d}{name}")


def timeline(path) -> None:
    cmd = [PY, str(BENCH_DIR / "profile_e2e.py"), "--_timeline-child", str(path)]
    subprocess.run(cmd, check=True, cwd=BENCH_DIR, env=bench_env())


def profile(kind: str, path) -> pstats.Stats:
    out = data_path(f"calc_{kind}.prof")
    cmd = [PY, "-m", "cProfile", "-o", str(out), "-m", "cbam_calc", "calc", str(path), "--format", "json"]
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        subprocess.run(cmd, stdout=devnull, check=True, cwd=BENCH_DIR, env=bench_env())
    print(f"profiled run: {time.perf_counter() - t0:.2f} s wall (with cProfile overhead); profile in {out}")
    return pstats.Stats(str(out))


def where(key: tuple) -> str:
    file, line, fn = key
    if file == "~":
        return fn
    if "/cbam_calc/" in file:  # the working tree or a --rev snapshot: show cbam_calc/...
        file = "cbam_calc/" + file.rsplit("/cbam_calc/", 1)[1]
    for base in (str(REPO) + "/", "site-packages/"):
        if base in file:
            file = file.split(base, 1)[1]
    return f"{file}:{line}({fn})"


def stages(st: pstats.Stats) -> None:
    raw = st.stats  # type: ignore[attr-defined]
    total = st.total_tt  # type: ignore[attr-defined]
    print(f"{'stage':52} {'cum s':>7} {'share':>6}")
    for label, file, fn in STAGES:
        cum = sum(
            v[3] for k, v in raw.items() if k[2] == fn and (not file or k[0].endswith(file)) and "<" not in fn
        )
        if fn == "calamine":
            cum = sum(v[3] for k, v in raw.items() if "Calamine" in k[2] and "from_path" not in k[2])
        if cum:
            print(f"{label:52} {cum:7.2f} {cum / total:6.1%}")
    imp = sum(v[3] for k, v in raw.items() if k[2] == "_find_and_load")
    print(f"{'imports (all; lazy ones also inside the stages)':52} {imp:7.2f} {imp / total:6.1%}")
    print(f"{'total profiled':52} {total:7.2f}")


def top(st: pstats.Stats, sort: str, k: int, only_lib: bool = False) -> None:
    raw = st.stats  # type: ignore[attr-defined]
    idx = 3 if sort == "cumulative" else 2
    rows = sorted(raw.items(), key=lambda kv: -kv[1][idx])
    shown = 0
    print(f"{'cum s':>7} {'own s':>7} {'calls':>9}  function")
    for key, (_cc, nc, tt, ct, _callers) in rows:
        if only_lib and "cbam_calc" not in key[0]:
            continue
        if key[2] in (
            "<module>",
            "_find_and_load",
            "_find_and_load_unlocked",
            "_load_unlocked",
            "exec_module",
        ):
            continue
        if "<frozen" in key[0] or (key[0] == "~" and key[2].startswith("<built-in method builtins.exec")):
            continue
        print(f"{ct:7.2f} {tt:7.2f} {nc:9d}  {where(key)}")
        shown += 1
        if shown >= k:
            break


def spy(kind: str, path, k: int) -> None:
    """Sample `cbam calc` with py-spy; charge each sample to the deepest cbam_calc frame."""
    out = data_path(f"calc_{kind}.spy.txt")
    cmd = [str(PY_SPY), "record", "-r", str(SPY_RATE), "-f", "raw", "-o", str(out), "--"]
    cmd += [CBAM, "calc", str(path), "--format", "json"]
    with open(os.devnull, "wb") as devnull:
        subprocess.run(cmd, stdout=devnull, stderr=devnull, check=True, env=bench_env(), cwd=BENCH_DIR)
    by_line: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    total = 0
    for text in out.read_text().splitlines():
        stack, _, count = text.rpartition(" ")
        n = int(count)
        total += n
        frames = [FRAME.match(f) for f in stack.split(";")]
        lib = [f for f in frames if f and "cbam_calc/" in f["file"]]
        if not lib:
            by_line["(outside cbam_calc: interpreter start-up, imports before cli.main)"] += n
            continue
        deepest = lib[-1]
        by_line[f"{deepest['file']}:{deepest['line']} ({deepest['fn']})"] += n
        for name in {f"{f['file']}:{f['fn']}" for f in lib}:
            by_function[name] += n
    secs = 1.0 / SPY_RATE
    print(f"\npy-spy, {total} samples at {SPY_RATE} Hz = {total * secs:.2f} s sampled; raw stacks in {out}")
    print(f"top {k} library lines (deepest cbam_calc frame; includes the pandas/NumPy work below it):")
    for name, n in by_line.most_common(k):
        print(f"  {n * secs:6.2f} s {n / total:6.1%}  {name}")
    print(f"top {k} library functions, inclusive:")
    for name, n in by_function.most_common(k):
        print(f"  {n * secs:6.2f} s {n / total:6.1%}  {name}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the 100,000 / 20,000-line files")
    ap.add_argument("--only", choices=["csv", "xlsx"])
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--no-spy", action="store_true", help="skip the py-spy sampling")
    ap.add_argument(
        "--realistic",
        action="store_true",
        help="the realistic CSV of gen_realistic.py (1M lines; --quick 100k)",
    )
    ap.add_argument("--timeline", action="store_true", help="a stage timeline without a profiler")
    ap.add_argument("--_timeline-child", dest="timeline_child", help=argparse.SUPPRESS)
    add_common(ap)
    args = ap.parse_args()
    if args.timeline_child:
        timeline_child(args.timeline_child, TIMED)
        return
    apply_common(args)
    n_csv, n_xlsx, _ = gen_data.SIZES["quick" if args.quick else "full"]
    print_machine()
    todo = []
    if args.realistic:
        n = 100_000 if args.quick else 1_000_000
        todo.append(("realistic", gen_realistic.ensure_csv(n), n))
    elif args.only in (None, "csv"):
        todo.append(("csv", gen_data.ensure_csv(n_csv), n_csv))
    if args.only in (None, "xlsx") and not args.realistic:
        todo.append(("xlsx", gen_data.ensure_xlsx(n_xlsx), n_xlsx))
    for kind, path, n in todo:
        header(f"cbam calc {path.name} --format json ({n:,} lines)")
        if args.timeline:
            timeline(path)
            continue
        st = profile(kind, path)
        print()
        stages(st)
        print(f"\ntop {args.top} cbam_calc functions by cumulative time:")
        top(st, "cumulative", args.top, only_lib=True)
        print(f"\ntop {args.top} functions by own time (any module):")
        top(st, "tottime", args.top)
        if args.no_spy:
            continue
        if PY_SPY.exists():
            spy(kind, path, args.top)
        else:
            print(f"\n(py-spy sampling skipped: {PY_SPY} missing; bench/_venv_peer/bin/pip install py-spy)")


if __name__ == "__main__":
    main()
