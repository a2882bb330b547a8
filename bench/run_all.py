"""Run every benchmark in turn; keep each output in bench/_data/results/<rev|worktree>/<name>.txt.

    python bench/run_all.py [--quick]

Order: data generation, engine (one core), start-up, end to end (CSV, xlsx, peak RSS), memory by
stage, peer, then the profiles. Each script runs in its own process (the engine one pins itself to core 0).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from benchlib import BENCH_DIR, data_path, load

SCRIPTS = [
    "gen_data",
    "bench_engine",
    "bench_startup",
    "bench_e2e",
    "bench_lines_out",
    "bench_memory",
    "bench_peer",
    "profile_e2e",
    "bench_scenarios",
    "bench_dask",
    "bench_batch",
    "gen_realistic",
    "bench_realistic",
    "bench_html",
]

WAITS = {
    "bench_engine",
    "bench_startup",
    "bench_e2e",
    "bench_lines_out",
    "bench_peer",
    "bench_scenarios",
    "bench_dask",
    "bench_realistic",
    "bench_html",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="pass --quick to every script")
    ap.add_argument("--only", nargs="*", choices=SCRIPTS, help="a subset of the scripts")
    ap.add_argument("--wait-idle", action="store_true", help="pass --wait-idle to the timing scripts")
    ap.add_argument("--rev", help="pass --rev REV to every script: measure that commit's library")
    args = ap.parse_args()
    label = "worktree"
    if args.rev:
        label = subprocess.run(
            ["git", "-C", str(BENCH_DIR.parent), "rev-parse", "--short", args.rev],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    out_dir = data_path("results") / label
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = []
    for name in args.only or SCRIPTS:
        cmd = [sys.executable, str(BENCH_DIR / f"{name}.py"), *(["--quick"] if args.quick else [])]
        if args.wait_idle and name in WAITS:
            cmd.append("--wait-idle")
        if args.rev:
            cmd += ["--rev", args.rev]
        print(f"== {name} ({load()})", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=BENCH_DIR)
        text = proc.stdout + (f"\n[stderr]\n{proc.stderr}" if proc.stderr.strip() else "")
        suffix = "_quick" if args.quick else ""
        (out_dir / f"{name}{suffix}.txt").write_text(text, encoding="utf-8")
        print(proc.stdout, flush=True)
        print(f"== {name}: exit {proc.returncode}, {time.perf_counter() - t0:.0f} s", flush=True)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            failed.append(name)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
