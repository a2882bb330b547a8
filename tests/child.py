"""Run the ``cbam`` command in a child process and measure what a user would see.

The hostile-input tests of issue 11 use this: each case runs in its own process, so a reader that
would allocate gigabytes is measured (the child's own peak resident memory, from ``wait4``), and
its exit code, standard error and stray files are exactly what a user gets. No address-space
limit is set: pyarrow reserves virtual memory it never touches and would fail for the wrong
reason.

The case is started by a small launcher process, not forked from pytest: Linux keeps the peak
RSS of a process's memory image across ``exec`` (``signal->maxrss``), so a child forked from a
pytest grown to 500 MB would report 500 MB whatever it did. The launcher is a fresh interpreter;
it spawns the case, reaps it with ``wait4`` and hands back the case's own peak and exit status.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PEAK_RSS_LIMIT_MB = 500
TIMEOUT_S = 120
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s+File \".*\", line \d+", re.M)


@dataclass
class ChildResult:
    argv: list[str]
    code: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float

    def one_line_error(self, names: str | None = None) -> str:
        """Assert the run ended as the README promises for an unusable input: exit 2, one line
        on standard error (naming ``names`` when given), no traceback. Returns that line."""
        assert self.code == 2, f"exit {self.code}, expected 2; stderr: {self.stderr!r}"
        assert not TRACEBACK.search(self.stderr), self.stderr
        lines = [ln for ln in self.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {self.stderr!r}"
        if names is not None:
            assert names in lines[0], f"{names!r} not named in {lines[0]!r}"
        return lines[0]

    def bounded(self, limit_mb: float = PEAK_RSS_LIMIT_MB) -> None:
        """Assert the child's peak resident memory stayed under ``limit_mb``."""
        assert self.peak_rss_mb < limit_mb, f"peak RSS {self.peak_rss_mb:.0f} MB >= {limit_mb} MB"


# The launcher: spawn argv[2:], wait4 it, write its peak RSS (kB) to argv[1], exit as it did
# (a signal as 128 + signal number, as a shell reports it).
_LAUNCHER = """
import os, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_cbam(
    args: list,
    cwd: str | Path,
    *,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    timeout: float = TIMEOUT_S,
) -> ChildResult:
    """``python -m cbam_calc ARGS`` in ``cwd``: exit code, output and the child's peak RSS."""
    return run_python(["-m", "cbam_calc", *map(str, args)], cwd, env=env, stdin=stdin, timeout=timeout)


def run_python(
    args: list,
    cwd: str | Path,
    *,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    timeout: float = TIMEOUT_S,
) -> ChildResult:
    """``python ARGS`` (e.g. ``["-c", code]``) in ``cwd``, measured as :func:`run_cbam` is."""
    argv = [sys.executable, *map(str, args)]
    full_env = {**os.environ, "PYTHONUTF8": "1", "COLUMNS": "200", **(env or {})}
    full_env.pop("CBAM_DEBUG", None)
    with tempfile.TemporaryDirectory() as tmp:
        rss_file = Path(tmp) / "peak_rss_kb"
        t0 = time.perf_counter()
        p = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(rss_file), *argv],
            cwd=str(cwd),
            env=full_env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            out, err = p.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            raise AssertionError(f"{argv} ran over {timeout} s") from None
        seconds = time.perf_counter() - t0
        peak = int(rss_file.read_text()) / 1024 if rss_file.exists() else float("nan")
    return ChildResult(
        argv,
        p.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        peak,
        seconds,
    )
