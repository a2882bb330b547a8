"""Run the ``cbam`` command in a child process and measure what a user would see.

The hostile-input tests of issue 11 use this: each case runs in its own process, so a reader that
would allocate gigabytes is measured (the child's own peak resident memory, from ``wait4``), and
its exit code, standard error and stray files are exactly what a user gets. No address-space
limit is set: pyarrow reserves virtual memory it never touches and would fail for the wrong
reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


class _Popen(subprocess.Popen):
    """A Popen that reaps its child with ``wait4`` and keeps the child's peak RSS (MB)."""

    peak_rss_mb = float("nan")

    def _try_wait(self, wait_flags):  # the hook CPython's wait() and communicate() reap through
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return self.pid, 0
        if pid == self.pid:
            self.peak_rss_mb = usage.ru_maxrss / 1024  # Linux reports kilobytes
        return pid, status


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
    t0 = time.perf_counter()
    p = _Popen(
        argv,
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
    return ChildResult(
        argv,
        p.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        p.peak_rss_mb,
        time.perf_counter() - t0,
    )
