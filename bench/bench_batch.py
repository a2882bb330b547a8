"""Target 7: `cbam batch` over a folder larger than this machine's memory streams file by file.

    python bench/bench_batch.py [--quick] [--files N] [--jobs J] [--links] [--prepare] [--clean]

Default (--distinct): bench/_data/batch_distinct_<lines>/ holds N distinct files, by default as
many as make their total exceed MemTotal of /proc/meminfo (--quick: 8 files of 100,000 lines).
File i is the 1,000,000-line CSV with its rows in an order of its own (a permutation drawn with
seed 20261307 + i) and the last i rows of that order left out: every file is its own inode with
its own bytes and its own size, so the page cache cannot hold the folder and `cbam batch` does
not take any file for a repeat of another (it hashes files of equal size to find repeats; equal
sizes would cost an extra reading pass). Writing is a shuffle of lines and a write, about 1 s a
file; the files and a stamp (bench/_data/batch_distinct_<lines>.stamp, the recipe and each file's
size) stay for the next run, which writes only what is missing. The script refuses to start
when the disk has not room for the files still to write plus 10 GB. --clean removes the folder
and its stamp (after the run, or alone with --files 0); --prepare writes the folder and stops.

--links: the measurement of before, N hard links to one file in bench/_data/batch_folder/ (no
disk space, 94 MB in the page cache). Since `cbam batch` counts a file repeated byte for byte
once (1ea736c), such a folder computes one file and lists the rest as duplicates.

Then, after `sync` and dropping the page cache (root only: `echo 3 > /proc/sys/vm/drop_caches`;
the full distinct run does it unless --no-drop-caches; it says whether it could),

    cbam batch FOLDER --format json [--jobs J]

runs once while this script samples, every 0.2 s, the process tree (the command, its forkserver
and its workers): resident set summed (the peak is printed) and read_bytes of /proc/<pid>/io
(the last value seen of each process, summed: bytes the tree made the disk read), besides the
sectors read from the folder's disk in /proc/diskstats (the whole machine's reads). Printed:
input size, load average, wall and CPU time, lines per second, peak RSS, bytes read, and whether
every row was computed or rejected (the batch JSON's rows_read = lines + rejected, no failed or
duplicate file, each file's rows as written).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import gen_data
from benchlib import (
    CBAM,
    add_common,
    apply_common,
    bench_env,
    busy_seconds,
    data_path,
    header,
    load,
    print_machine,
)

DISTINCT_SEED = 20261307
DISTINCT_VERSION = 1  # bump when the recipe of the distinct files changes
DISK_MARGIN = 10 * 2**30


def mem_total_bytes() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    raise SystemExit("no MemTotal in /proc/meminfo")


# ---------------------------------------------------------------------------- the process tree
def tree_cpu(root: int) -> dict[int, float]:
    """``root`` and all its descendants (from /proc), each with its CPU time so far (user +
    system, seconds)."""
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            pid = int(d.name)
            parent[pid] = int(fields[1])
            cpu[pid] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, ValueError, IndexError):
            continue
    out = {}
    for pid in parent:
        p = pid
        while p and p != root:
            p = parent.get(p, 0)
        if p == root:
            out[pid] = cpu[pid]
    return out


def tree_pids(root: int) -> list[int]:
    return list(tree_cpu(root))


def rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def read_bytes(pid: int) -> int | None:
    """Bytes this process made the storage layer fetch (/proc/<pid>/io read_bytes)."""
    try:
        for line in Path(f"/proc/{pid}/io").read_text().splitlines():
            if line.startswith("read_bytes:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def tree_rss_bytes(root: int) -> int:
    """Summed VmRSS of ``root`` and all its descendants (from /proc)."""
    return sum(rss_bytes(p) for p in tree_pids(root))


def disk_sectors_read(path: Path) -> int | None:
    """Sectors (512 bytes) read so far from the disk holding ``path`` (/proc/diskstats)."""
    dev = path.stat().st_dev
    major, minor = os.major(dev), os.minor(dev)
    try:
        for line in Path("/proc/diskstats").read_text().splitlines():
            f = line.split()
            if int(f[0]) == major and int(f[1]) == minor:
                return int(f[5])
    except (OSError, ValueError, IndexError):
        return None
    return None


def drop_page_cache() -> str:
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError as e:
        return f"page cache NOT dropped ({e.strerror}: root only): early files may be read from memory"
    return "page cache dropped (sync; echo 3 > /proc/sys/vm/drop_caches) before the run"


# ---------------------------------------------------------------------------- the folders
def build_links(n_files: int) -> tuple[Path, int, list[int]]:
    src = gen_data.ensure_csv(1_000_000)
    folder = data_path("batch_folder")
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for i in range(n_files):
        os.link(src, folder / f"member_{i:04d}.csv")
    return folder, n_files * src.stat().st_size, [1_000_000] * n_files


def distinct_paths(lines: int) -> tuple[Path, Path]:
    return data_path(f"batch_distinct_{lines}"), data_path(f"batch_distinct_{lines}.stamp")


def distinct_rows(lines: int, i: int) -> int:
    return lines - i


def build_distinct(n_files: int, lines: int) -> tuple[Path, int, list[int]]:
    """The folder of distinct files (see the module docstring); files already written by the same
    recipe are kept; others, and files beyond ``n_files``, removed."""
    import numpy as np

    src = gen_data.ensure_csv(lines)
    folder, stamp_path = distinct_paths(lines)
    recipe = f"{DISTINCT_VERSION} {DISTINCT_SEED} {src.name} {gen_data._stamp()} {src.stat().st_size}"
    sizes: dict[str, int] = {}
    if stamp_path.exists():
        stamp = json.loads(stamp_path.read_text())
        if stamp.get("recipe") == recipe:
            sizes = stamp["sizes"]
    folder.mkdir(exist_ok=True)
    want = {f"member_{i:04d}.csv": i for i in range(n_files)}
    for old in folder.iterdir():
        if old.name not in want or sizes.get(old.name) != old.stat().st_size:
            old.unlink()
            sizes.pop(old.name, None)
    sizes = {k: v for k, v in sizes.items() if (folder / k).exists()}
    missing = [name for name in want if name not in sizes]
    if missing:
        need = len(missing) * src.stat().st_size
        free = shutil.disk_usage(folder).free
        if free < need + DISK_MARGIN:
            raise SystemExit(
                f"not enough disk for {len(missing)} more files of {src.stat().st_size / 2**20:.0f} MiB "
                f"in {folder}: {need / 2**30:.1f} GiB + a 10 GiB margin needed, "
                f"{free / 2**30:.1f} GiB free; pass a smaller --files or free space"
            )
        data = src.read_bytes()
        head, _, body = data.partition(b"\n")
        rows = body.splitlines(keepends=True)
        if rows and not rows[-1].endswith(b"\n"):
            rows[-1] += b"\n"
        t0 = time.perf_counter()
        for k, name in enumerate(missing):
            i = want[name]
            order = np.random.default_rng(DISTINCT_SEED + i).permutation(len(rows))[
                : distinct_rows(len(rows), i)
            ]
            content = b"".join([head, b"\n", *map(rows.__getitem__, order.tolist())])
            tmp = folder / f".{name}.tmp"  # hidden: cbam batch would skip it
            tmp.write_bytes(content)
            tmp.replace(folder / name)
            sizes[name] = len(content)
            stamp_path.write_text(json.dumps({"recipe": recipe, "sizes": sizes}))
            if (k + 1) % 20 == 0 or k + 1 == len(missing):
                rate = (k + 1) / (time.perf_counter() - t0)
                gen_data._log(f"  wrote {k + 1}/{len(missing)} distinct files ({rate:.2f} files/s)")
    total = sum(sizes[name] for name in want)
    return folder, total, [distinct_rows(lines, i) for i in range(n_files)]


def clean_distinct(lines: int) -> None:
    folder, stamp = distinct_paths(lines)
    if folder.exists():
        shutil.rmtree(folder)
    stamp.unlink(missing_ok=True)
    print(f"removed {folder} and {stamp.name}")


# ---------------------------------------------------------------------------- the run
def run_batch(cmd: list[str], folder: Path) -> dict:
    """One run of ``cmd`` with the process tree sampled every 0.2 s; figures and the JSON."""
    peak = 0
    io_last: dict[int, int] = {}
    cpu_last: dict[int, float] = {}
    sectors0 = disk_sectors_read(folder)
    busy0 = busy_seconds()
    load0 = os.getloadavg()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=bench_env())
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                pids = tree_cpu(proc.pid)
                peak = max(peak, sum(rss_bytes(p) for p in pids))
                for p, c in pids.items():
                    cpu_last[p] = max(cpu_last.get(p, 0.0), c)
                    r = read_bytes(p)
                    if r is not None:
                        io_last[p] = max(io_last.get(p, 0), r)
                time.sleep(0.2)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        _, status, _usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        th.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        sectors1 = disk_sectors_read(folder)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"cbam batch failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    return {
        "doc": json.loads(stdout),
        "wall": wall,
        "cpu": sum(cpu_last.values()),
        "peak": peak,
        "tree_read": sum(io_last.values()),
        "disk_read": None if sectors0 is None or sectors1 is None else (sectors1 - sectors0) * 512,
        "busy": busy_seconds() - busy0,
        "load_before": load0,
        "load_after": os.getloadavg(),
    }


def check_rows(doc: dict, expected_rows: list[int]) -> list[str]:
    """What is wrong with the batch's accounting ([] = every row computed or rejected)."""
    problems = []
    lines, rejected, rows = int(doc["lines"]), int(doc["rejected"]), int(doc["rows_read"])
    if lines + rejected != rows:
        problems.append(f"lines {lines:,} + rejected {rejected:,} != rows read {rows:,}")
    if rows != sum(expected_rows):
        problems.append(f"rows read {rows:,}, {sum(expected_rows):,} written")
    if int(doc["failed_count"]):
        problems.append(f"{doc['failed_count']} failed files: {doc['failed_files'][:3]}")
    files = sorted(doc["files"], key=lambda f: f["file"])
    dup = [f["file"] for f in files if f["status"] == "duplicate"]
    if dup:
        problems.append(f"{len(dup)} files taken for duplicates (not computed)")
    wrong = [
        f"{Path(f['file']).name}: {f['rows_read']} rows read, {want} written"
        for f, want in zip(files, expected_rows)
        if f["status"] == "ok" and int(f["rows_read"]) != want
    ]
    if wrong:
        problems.append(f"{len(wrong)} files with rows missing: {wrong[:3]}")
    return problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help="8 distinct files of 100,000 lines (8 links with --links)"
    )
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--distinct", action="store_true", help="distinct files (the default)")
    mode.add_argument("--links", action="store_true", help="hard links to one 1M-line file (before)")
    ap.add_argument("--files", type=int, help="number of files (default: more than memory)")
    ap.add_argument(
        "--jobs", type=int, nargs="*", help="cbam batch --jobs, one run each (default: one per core)"
    )
    ap.add_argument("--no-drop-caches", action="store_true", help="keep the page cache as it is")
    ap.add_argument("--clean", action="store_true", help="remove the distinct folder at the end")
    ap.add_argument("--prepare", action="store_true", help="write the folder and stop (run later)")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    lines = 100_000 if args.quick and not args.links else 1_000_000
    if args.files == 0 and args.clean:
        clean_distinct(lines)
        return
    print_machine()
    print(load())
    mem = mem_total_bytes()
    one = gen_data.ensure_csv(lines).stat().st_size
    n = args.files or (8 if args.quick else math.ceil(mem * 1.05 / one))
    if args.links:
        folder, total, expected = build_links(n)
        what = f"{n} hard links to one file of 1,000,000 lines"
    else:
        folder, total, expected = build_distinct(n, lines)
        what = f"{n} distinct files of {lines:,} lines less 0-{n - 1}"
    header(f"Target 7: cbam batch over {what}")
    print(f"folder {folder}: {total / 2**30:.2f} GiB of CSV; MemTotal {mem / 2**30:.1f} GiB")
    if args.prepare:
        return
    try:
        for jobs in args.jobs or [None]:
            drop = not args.links and not args.quick and not args.no_drop_caches
            print(f"  {drop_page_cache() if drop else 'page cache left as it is'}")
            cmd = [CBAM, "batch", str(folder), "--format", "json"]
            if jobs:
                cmd += ["--jobs", str(jobs)]
            r = run_batch(cmd, folder)
            report(r, jobs, n, total, mem, expected)
    finally:
        if args.links:
            for old in folder.iterdir():
                old.unlink()
        elif args.clean:
            clean_distinct(lines)


def report(r: dict, jobs: int | None, n: int, total: int, mem: int, expected: list[int]) -> None:
    doc = r["doc"]
    lines, rows, rejected = int(doc["lines"]), int(doc["rows_read"]), int(doc["rejected"])
    wall = r["wall"]
    others = max(0.0, r["busy"] - r["cpu"]) / wall
    lb, la = r["load_before"], r["load_after"]
    print(f"\n  --jobs {jobs or 'default (one per core)'}")
    print(
        f"  load average before {lb[0]:.2f} / {lb[1]:.2f} (1 / 5 min), after {la[0]:.2f} / {la[1]:.2f}; "
        f"other processes used {others:.2f} cores during the run"
    )
    print(
        f"  files {n}, rows read {rows:,}, lines computed {lines:,}, rejected {rejected:,}, "
        f"failed files {doc['failed_count']}, duplicates "
        f"{sum(f['status'] == 'duplicate' for f in doc['files'])}"
    )
    print(
        f"  wall {wall:.1f} s, {lines / wall / 1e6:.2f} M lines/s; "
        f"CPU (user + sys, tree, sampled) {r['cpu']:.0f} s"
    )
    print(f"  peak RSS of the process tree (sampled every 0.2 s): {r['peak'] / 2**20:,.0f} MiB")
    disk = "n/a" if r["disk_read"] is None else f"{r['disk_read'] / 2**30:.2f} GiB"
    print(
        f"  read from disk: process tree (/proc/<pid>/io read_bytes) {r['tree_read'] / 2**30:.2f} GiB; "
        f"the disk (/proc/diskstats, whole machine) {disk}; input {total / 2**30:.2f} GiB"
    )
    print(f"  input / peak RSS = {total / r['peak']:.1f}x; input / MemTotal = {total / mem:.2f}x")
    problems = check_rows(doc, expected)
    verdict = "yes" if not problems else "NO: " + "; ".join(problems)
    scale = "folder larger than memory" if total > mem else "folder fits in memory (not the target)"
    print(f"  {scale}, every row computed or rejected: {verdict}")


if __name__ == "__main__":
    main()
