"""Helpers shared by the benchmark scripts of bench/ (not part of the cbam_calc library).

Nothing here imports numpy or pandas at module level, so a script can pin itself to one core
(:func:`pin_one_core`) before the first numpy import.
"""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "_data"
PY = sys.executable
CBAM = str(Path(sys.executable).parent / "cbam")

WAIT_IDLE = {"on": False, "max_cores": 0.15, "timeout_s": 900.0}

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def pin_one_core(core: int = 0) -> None:
    """One core, one BLAS/OpenMP thread. Call before numpy is imported (children inherit it)."""
    if "numpy" in sys.modules:
        raise RuntimeError("pin_one_core() must run before numpy is imported")
    for v in THREAD_VARS:
        os.environ[v] = "1"
    os.sched_setaffinity(0, {core})


def bench_env() -> dict[str, str]:
    """Environment of the timed subprocesses: bytecode cached as in a normal install.

    This machine sets PYTHONDONTWRITEBYTECODE=1 and cbam_calc is installed editable from a tree
    without __pycache__, so every process would recompile cbam_calc's sources. The benchmarks
    write bytecode to bench/_data/pycache (PYTHONPYCACHEPREFIX) instead of touching the tree."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(data_path("pycache"))
    return env


def data_path(name: str) -> Path:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return DATA_DIR / name


@dataclass
class Stats:
    values: list[float]
    others: list[float] | None = None  # other processes' CPU use during each run, cores

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    @property
    def n(self) -> int:
        return len(self.values)

    def text(self, unit: str = "s") -> str:
        return f"median {self.median:.3f} {unit}  min {self.min:.3f}  max {self.max:.3f}  (n={self.n})"

    def contention(self) -> str:
        if not self.others:
            return ""
        med, top = statistics.median(self.others), max(self.others)
        return f"other processes used {med:.2f} cores during the runs (max {top:.2f})"


def busy_seconds() -> float:
    """CPU time used by the whole machine since boot, all cores (from /proc/stat), seconds."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return float("nan")
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_idle() -> None:
    """With --wait-idle: wait until the other processes of this shared machine use less than
    WAIT_IDLE['max_cores'] cores over 3 s (at most WAIT_IDLE['timeout_s'] in all), then go."""
    if not WAIT_IDLE["on"]:
        return
    deadline = time.monotonic() + WAIT_IDLE["timeout_s"]
    said = False
    while True:
        b0, t0 = busy_seconds(), time.monotonic()
        time.sleep(3.0)
        cores = (busy_seconds() - b0) / (time.monotonic() - t0)
        if cores < WAIT_IDLE["max_cores"] or time.monotonic() > deadline:
            if said:
                print(f"  (machine idle again: {cores:.2f} cores busy)", file=sys.stderr, flush=True)
            return
        if not said:
            print(f"  (waiting: other processes use {cores:.2f} cores)", file=sys.stderr, flush=True)
            said = True


def time_call(fn, repeat: int, warmup: int = 1) -> tuple[Stats, Stats, object]:
    """Wall time (perf_counter) and CPU time of this process (process_time) of ``fn()``,
    ``repeat`` runs after ``warmup`` runs; and the last result."""
    out = None
    for _ in range(warmup):
        out = fn()
    wall, cpu, others = [], [], []
    for _ in range(repeat):
        wait_idle()
        b0, c0, t0 = busy_seconds(), time.process_time(), time.perf_counter()
        out = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        others.append(max(0.0, busy_seconds() - b0 - cpu[-1]) / wall[-1])
    return Stats(wall, others), Stats(cpu), out


@dataclass
class RunResult:
    wall_s: float
    cpu_s: float  # user + system CPU time of the child (all its threads)
    others_cores: float  # CPU used meanwhile by every other process, in cores (contention)
    maxrss_mb: float  # peak resident set of the child, MiB (ru_maxrss of wait4, kB on Linux)
    returncode: int
    stderr: str


def run_timed(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> RunResult:
    """Run a command with stdout to /dev/null: wall time from spawn to exit, and the child's own
    peak RSS (``os.wait4`` returns the rusage of exactly this child). The child runs in bench/, so
    `python -c`/`-m` never picks up the repository root's cbam_calc ahead of a --rev snapshot."""
    wait_idle()
    b0, t0 = busy_seconds(), time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        p = subprocess.Popen(
            cmd,
            stdout=devnull,
            stderr=subprocess.PIPE,
            env=bench_env() if env is None else env,
            cwd=BENCH_DIR if cwd is None else cwd,
        )
        # stderr is small (warnings at most); read it before waiting so a full pipe cannot block
        err = p.stderr.read() if p.stderr else b""
        _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    others = max(0.0, busy_seconds() - b0 - cpu) / wall if wall > 0 else 0.0
    return RunResult(wall, cpu, others, usage.ru_maxrss / 1024.0, p.returncode, err.decode(errors="replace"))


def runs_stats(runs: list[RunResult], field: str = "wall_s") -> Stats:
    return Stats([getattr(r, field) for r in runs], [r.others_cores for r in runs])


def run_repeated(cmd: list[str], repeat: int, warmup: int = 1, env: dict | None = None) -> list[RunResult]:
    """``repeat`` timed runs after ``warmup`` untimed ones (page cache, .pyc files); fails loudly.
    With --wait-idle, a run during which other processes used more than 0.25 cores is discarded
    and done again (at most ``repeat`` extra runs in all)."""
    out: list[RunResult] = []
    for _ in range(warmup):
        _checked(run_timed(cmd, env=env), cmd)
    retries = repeat if WAIT_IDLE["on"] else 0
    while len(out) < repeat:
        r = _checked(run_timed(cmd, env=env), cmd)
        if r.others_cores > 0.25 and retries > 0:
            retries -= 1
            print(f"  (run discarded: other processes used {r.others_cores:.2f} cores)", file=sys.stderr)
            continue
        out.append(r)
    return out


def _checked(r: RunResult, cmd: list[str]) -> RunResult:
    if r.returncode != 0:
        raise SystemExit(f"command failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-2000:]}")
    return r


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, str]:
    from importlib import metadata

    info = {
        "cpu": cpu_model(),
        "cores (os.cpu_count)": str(os.cpu_count()),
        "python": platform.python_version(),
    }
    for dist in ("pandas", "numpy", "pyarrow", "python-calamine", "openpyxl", "cbam-calc"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            info[dist] = metadata.version(dist)
    info["library at"] = library_commit()
    return info


def library_commit() -> str:
    """The commit measured, and whether cbam_calc/ had uncommitted edits (others work in this tree)."""
    if LIBRARY["rev"]:
        return f"{LIBRARY['rev']} (snapshot {Path(LIBRARY['path']).relative_to(REPO)}, not the working tree)"
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "cbam_calc"],
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted edits in cbam_calc/" if dirty else "")


def print_machine() -> None:
    print("machine: " + "; ".join(f"{k} {v}" for k, v in machine_info().items()))


def add_common(ap) -> None:
    """Options every benchmark script takes: --wait-idle and --rev."""
    ap.add_argument(
        "--wait-idle",
        action="store_true",
        help="before each timed run, wait until other processes use < 0.15 cores (shared machine)",
    )
    ap.add_argument(
        "--rev",
        help="measure the library at this git commit (a snapshot extracted to bench/_data/lib-<sha>) "
        "instead of the working tree, which others may be editing",
    )


def apply_common(args) -> None:
    WAIT_IDLE["on"] = bool(getattr(args, "wait_idle", False))
    use_library_rev(getattr(args, "rev", None))


LIBRARY = {"rev": "", "path": ""}


def snapshot(rev: str) -> tuple[str, Path]:
    """The short sha of ``rev`` and a folder holding its cbam_calc/ and reference_prices/ (extracted
    with `git archive` to bench/_data/lib-<sha>/ the first time); the working tree is not touched."""
    sha = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", rev], capture_output=True, text=True, check=True
    ).stdout.strip()
    dest = data_path(f"lib-{sha}")
    if not (dest / "cbam_calc" / "__init__.py").exists():
        tmp = data_path(f"lib-{sha}.tmp")
        subprocess.run(["rm", "-rf", str(tmp)], check=True)
        tmp.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", sha, "cbam_calc", "reference_prices"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        tmp.rename(dest)
    return sha, dest


def use_library_rev(rev: str | None) -> None:
    """Import cbam_calc from a snapshot of commit ``rev`` (cbam_calc/ and reference_prices/ from
    `git archive`), in this process and in every subprocess (PYTHONPATH). Call before importing
    cbam_calc. The working tree is not touched."""
    if not rev:
        return
    if "cbam_calc" in sys.modules:
        raise RuntimeError("use_library_rev() must run before cbam_calc is imported")
    sha, dest = snapshot(rev)
    sys.path.insert(0, str(dest))
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(dest) + (os.pathsep + old if old else "")
    LIBRARY.update(rev=sha, path=str(dest))


def load() -> str:
    """Load average of the machine: other work on a 2-core machine skews wall times."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def header(title: str) -> None:
    print()
    print(title)
    print("-" * len(title))
