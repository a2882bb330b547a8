"""cbam_calc.core.runtime: the process memory settings `cbam` applies at start (Linux only)."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux prctl/mallopt only")

# prints: applied, applied again, THP disabled before, after (41/42: PR_SET/GET_THP_DISABLE). The
# flag is inherited from the parent (this test process may have run `cbam` in-process): the probe
# clears it first.
PROBE = (
    "import ctypes; from cbam_calc.core.runtime import tune_for_batch_work as t; "
    "libc = ctypes.CDLL(None); libc.prctl(41, 0, 0, 0, 0); "
    "before = libc.prctl(42, 0, 0, 0, 0); applied = t(); again = t(); "
    "print(applied, again, before, libc.prctl(42, 0, 0, 0, 0))"
)


def _probe(**env) -> str:
    run_env = {k: v for k, v in os.environ.items() if k != "CBAM_NO_TUNING"} | env
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=run_env, check=True
    )
    if done.stdout.split()[2] == "-1":
        pytest.skip("this kernel has no PR_GET_THP_DISABLE")
    return done.stdout.strip()


def test_tuning_disables_transparent_huge_pages_once_for_the_process():
    assert _probe() == "True False 0 1"


def test_tuning_can_be_switched_off():
    assert _probe(CBAM_NO_TUNING="1") == "False False 0 0"
