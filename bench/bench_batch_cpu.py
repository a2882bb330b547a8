"""CPU time per file of `cbam batch` over distinct files (issue 13): what a member costs.

    python bench/bench_batch_cpu.py [--quick] [--files N] [--repeat K] [--evict] [--rev REV]

`cbam batch FILES --format json --jobs 1` is one process for csv members (no workers), so its
CPU time (user + sys, `os.wait4`) is exact and does not depend on the machine's load the way wall
time does (a shared machine is why CPU is measured: take the minimum of K runs). Run over the
first file alone and over N files, the difference over N - 1 is the CPU of one more file, free of
the interpreter, imports and reference data that every run pays once. Files: bench_batch.py's
distinct folder of 1,000,000-line files (--quick: its 100,000-line files), the first N, written if
missing (a folder holding more, as for the full run of bench_batch.py, is used as it is).
--evict drops the files from the page cache before each run (posix_fadvise DONTNEED on those
files alone, no root, nothing else evicted), so each is read from the disk.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from pathlib import Path

import bench_batch
from benchlib import (
    CBAM,
    LIBRARY,
    add_common,
    apply_common,
    bench_env,
    header,
    load,
    print_machine,
    wait_idle,
)

HERE = Path(__file__).resolve().parent


def evict(paths) -> None:
    for p in paths:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def cpu_of_batch(paths, repeat: int, drop: bool) -> tuple[float, float, float]:
    """Min over ``repeat`` runs of (CPU, user, sys) seconds of one `cbam batch --jobs 1`."""
    cmd = [CBAM, "batch", *map(str, paths), "--format", "json", "--jobs", "1"]
    best = None
    for _ in range(repeat):
        wait_idle()
        if drop:
            evict(paths)
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=bench_env(), cwd=HERE
        )
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"cbam batch failed: {proc.stderr.read().decode()[-2000:]}")
        run = (usage.ru_utime + usage.ru_stime, usage.ru_utime, usage.ru_stime)
        best = run if best is None or run < best else best
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100,000-line files, 3 of them, 2 runs")
    ap.add_argument("--files", type=int, help="files of the long run, at least 2 (default 5, --quick 3)")
    ap.add_argument("--repeat", type=int, help="runs of each, the minimum kept (default 3)")
    ap.add_argument("--evict", action="store_true", help="files out of the page cache before each run")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    lines = 100_000 if args.quick else 1_000_000
    n = max(2, args.files or (3 if args.quick else 5))
    repeat = args.repeat or (2 if args.quick else 3)
    print_machine()
    print(load())
    folder, _ = bench_batch.distinct_paths(lines)
    paths = [folder / f"member_{i:04d}.csv" for i in range(n)]
    if not all(p.exists() for p in paths):  # build_distinct removes the files past n: not when they exist
        bench_batch.build_distinct(n, lines)
    header(f"CPU per file of cbam batch --jobs 1, {lines:,}-line distinct files ({LIBRARY['rev'] or 'tree'})")
    t0 = time.perf_counter()
    one = cpu_of_batch(paths[:1], repeat, args.evict)
    many = cpu_of_batch(paths, repeat, args.evict)
    per = (many[0] - one[0]) / (n - 1)
    cache = "each run read from disk (evicted)" if args.evict else "files in the page cache"
    print(f"  {cache}; minimum of {repeat} runs each; {load()}")
    print(f"  1 file:  CPU {one[0]:.2f} s (user {one[1]:.2f}, sys {one[2]:.2f})")
    print(f"  {n} files: CPU {many[0]:.2f} s (user {many[1]:.2f}, sys {many[2]:.2f})")
    print(f"  CPU per further file: {per:.2f} s ({time.perf_counter() - t0:.0f} s of runs)")


if __name__ == "__main__":
    main()
