"""Target 7: `cbam batch` over a folder larger than this machine's memory streams file by file.

    python bench/bench_batch.py [--quick] [--files N] [--jobs J]

The folder bench/_data/batch_folder/ holds N hard links to the 1,000,000-line CSV (so it costs no
disk space): by default as many as make its total size exceed MemTotal of /proc/meminfo. Then

    cbam batch bench/_data/batch_folder --format json

runs once while this script samples, every 0.2 s, the resident set of the whole process tree
(the command and its worker processes, summed). Printed: input size, lines, wall time, lines per
second, the peak summed RSS, and input size / peak RSS. A batch that held its input in memory
could not finish; one that streams keeps the peak flat whatever the number of files (compare
--files 4 with the default). --quick: 8 files.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import threading
import time
from pathlib import Path

import gen_data
from benchlib import CBAM, add_common, apply_common, bench_env, data_path, header, load, print_machine


def mem_total_bytes() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    raise SystemExit("no MemTotal in /proc/meminfo")


def tree_rss_bytes(root: int) -> int:
    """Summed VmRSS of ``root`` and all its descendants (from /proc)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            pages = int((d / "statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        pid = int(d.name)
        parent[pid] = ppid
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid, size in rss.items():
        p = pid
        while p and p != root:
            p = parent.get(p, 0)
        if p == root:
            total += size
    return total


def build_folder(n_files: int) -> tuple[Path, int]:
    src = gen_data.ensure_csv(1_000_000)
    folder = data_path("batch_folder")
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for i in range(n_files):
        os.link(src, folder / f"member_{i:04d}.csv")
    return folder, n_files * src.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="8 files (8M lines)")
    ap.add_argument("--files", type=int, help="number of 1M-line files (default: more than memory)")
    ap.add_argument("--jobs", type=int, help="cbam batch --jobs (default: one per core)")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    print_machine()
    print(load())
    mem = mem_total_bytes()
    one = gen_data.ensure_csv(1_000_000).stat().st_size
    n = args.files or (8 if args.quick else math.ceil(mem * 1.05 / one))
    folder, total = build_folder(n)
    header(f"Target 7: cbam batch over {n} files of 1,000,000 lines")
    print(f"folder {folder}: {total / 2**30:.1f} GiB of CSV; MemTotal {mem / 2**30:.1f} GiB")

    cmd = [CBAM, "batch", str(folder), "--format", "json"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    peak = 0
    samples = []
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=bench_env())
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            r = tree_rss_bytes(proc.pid)
            samples.append(r)
            peak = max(peak, r)
            time.sleep(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"cbam batch failed ({proc.returncode}): {err.decode()[-2000:]}")
    doc = json.loads(out)
    lines = int(doc["lines"])
    rows = int(doc.get("rows_read", lines))
    failed = int(doc["failed_count"])
    print(f"  files {n}, rows read {rows:,}, lines computed {lines:,}, failed files {failed}")
    print(f"  wall {wall:.1f} s, {lines / wall / 1e6:.2f} M lines/s")
    print(f"  peak RSS of the process tree (sampled every 0.2 s): {peak / 2**20:,.0f} MiB")
    print(f"  input / peak RSS = {total / peak:.1f}x; input / MemTotal = {total / mem:.2f}x")
    complete = failed == 0 and lines + int(doc.get("rejected", 0)) == rows
    if total > mem:
        verdict = "yes" if complete else "NO: files failed or rows went missing"
        print(f"  folder larger than memory, every row computed or rejected: {verdict}")
    else:
        print(
            f"  every row computed or rejected: {'yes' if complete else 'NO'} "
            "(this folder fits in memory: run without --files/--quick for the target)"
        )
    for old in folder.iterdir():
        old.unlink()


if __name__ == "__main__":
    main()
