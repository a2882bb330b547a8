"""Issue 15: reading a folder of 500 installations' communication templates in under 30 s.

    python bench/bench_templates.py [--quick] [--repeat R] [--files N] [--wait-idle] [--rev REV]

Builds ``bench/_data/templates_<N>/``: N hard links to the Commission's five filled examples (the
1.3 MB originals of ``../shared/data/template/examples/`` where present, else the slim copies of
``tests/data/templates/``), in turn. Times ``cbam emissions FOLDER --format json`` as a user runs
it (a fresh process, bytecode cached; one warm-up, then R runs), checks that every template was
read (N templates, 2 products per template on average, none failed), and prints the median, the
time per template and, in-process, what one template costs: the guard of its three sheets and the
calamine read; and the CPU seconds per template of a --jobs 1 run over 100 of them (less sensitive
than wall time to the other work of this shared machine). --quick: 50 files, 2 runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import time

from benchlib import (
    CBAM,
    REPO,
    add_common,
    apply_common,
    bench_env,
    data_path,
    header,
    load,
    print_machine,
    verdict,
    wait_idle,
)

TARGET_S = 30.0
SHARED = REPO.parent / "shared" / "data" / "template" / "examples"
SLIM = REPO / "tests" / "data" / "templates"


def examples() -> list:
    source = SHARED if SHARED.is_dir() else SLIM
    return sorted(p for p in source.glob("*.xlsx") if "Example" in p.name)


def build_folder(n: int):
    folder = data_path(f"templates_{n}")
    folder.mkdir(exist_ok=True)
    ex = examples()
    for i in range(n):
        src = ex[i % len(ex)]
        dest = folder / f"{i:04d} {src.name}"
        if not dest.exists():
            try:
                os.link(src, dest)
            except OSError:  # another file system: a copy
                dest.write_bytes(src.read_bytes())
    return folder, ex


def run_once(folder, jobs: int | None = None) -> tuple[float, dict, float]:
    """Wall seconds, the JSON printed, and the CPU seconds of the child (all of it with --jobs 1;
    worker processes are the forkserver's children and not counted)."""
    wait_idle()
    cmd = [CBAM, "emissions", str(folder), "--format", "json", "--year", "2023"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=bench_env(), check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if out.returncode != 0:
        raise SystemExit(f"cbam emissions failed ({out.returncode}): {out.stderr[-2000:]}")
    return wall, json.loads(out.stdout), cpu


def one_template(path, repeat: int = 10) -> dict[str, float]:
    """Median seconds of the guard, the calamine read of the three sheets, and the whole read."""
    from python_calamine import CalamineWorkbook

    from cbam_calc.inputs import comm_template, xlsx_guard

    def guard():
        xlsx_guard.guard_sheets(path, path.name, comm_template.SHEETS)

    def calamine():
        wb = CalamineWorkbook.from_path(str(path))
        for s in comm_template.SHEETS:
            wb.get_sheet_by_name(s).to_python(skip_empty_area=False)

    def whole():
        comm_template.read_template(path, path.name)

    out = {}
    for name, fn in (("guard", guard), ("calamine", calamine), ("read_template", whole)):
        fn()
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        out[name] = statistics.median(times)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=None)
    ap.add_argument("--files", type=int, default=None)
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    n = args.files or (50 if args.quick else 500)
    repeat = args.repeat or (2 if args.quick else 3)
    print_machine()
    folder, ex = build_folder(n)
    size = sum(p.stat().st_size for p in ex) / len(ex)
    header(f"cbam emissions over {n} templates ({size / 1024**2:.2f} MB each on average, {folder})")
    run_once(folder)  # warm-up: page cache, bytecode
    walls = []
    for _ in range(repeat):
        wall, doc, _ = run_once(folder)
        walls.append(wall)
        products = sum(len(t["products"]) for t in doc["templates"])
        assert len(doc["templates"]) == n and not doc["failed"], (len(doc["templates"]), doc["failed"][:3])
        print(f"  {wall:6.2f} s: {len(doc['templates'])} templates, {products} product rows, 0 failed")
    median = statistics.median(walls)
    print(f"median {median:.2f} s over {repeat} runs, {median / n * 1000:.1f} ms per template")
    scaled = median * 500 / n
    note = "" if n == 500 else " (scaled)"
    print(f"target: 500 templates < {TARGET_S:.0f} s: {scaled:.1f} s{note} {verdict(scaled < TARGET_S)}")
    small, _ = build_folder(min(n, 100))
    header(f"CPU per template: --jobs 1 over {min(n, 100)} templates (one process does all the work)")
    wall, doc, cpu = run_once(small, jobs=1)
    per = cpu / len(doc["templates"])
    print(f"  {wall:.2f} s wall, {cpu:.2f} s CPU (start-up included): {per * 1000:.1f} ms CPU per template")
    cores = len(os.sched_getaffinity(0))
    print(f"  500 templates on {cores} idle cores: about {500 * per / cores:.1f} s of work per core")
    header("one template, in-process (median of 10)")
    for name, s in one_template(ex[0]).items():
        print(f"  {name:14s} {s * 1000:7.1f} ms")
    print(load())


if __name__ == "__main__":
    main()
