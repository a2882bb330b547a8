"""tests/child.py measures the case's own peak memory, not that of the pytest process it came from."""

from __future__ import annotations

from child import run_python


def test_peak_rss_is_the_childs_own_even_when_pytest_is_big(tmp_path):
    ballast = bytearray(600 << 20)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched: 600 MB resident in this process
    small = run_python(["-c", "pass"], tmp_path)
    big = run_python(["-c", "b = bytearray(300 << 20); b[::4096] = b'x' * len(b[::4096])"], tmp_path)
    del ballast
    assert small.code == 0 and small.peak_rss_mb < 100
    assert big.code == 0 and 300 <= big.peak_rss_mb < 400


def test_a_killed_case_exits_as_a_shell_reports_it(tmp_path):
    r = run_python(["-c", "import os; os.abort()"], tmp_path)
    assert r.code == 128 + 6
