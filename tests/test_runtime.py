"""cbam_calc.runtime: the process memory settings `cbam` applies at start (Linux only)."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux prctl/mallopt only")

PROBE = (
    "import ctypes; from cbam_calc.runtime import tune_for_batch_work as t; "
    "applied = t(); again = t(); "
    "print(applied, again, ctypes.CDLL(None).prctl(42, 0, 0, 0, 0))"  # 42: PR_GET_THP_DISABLE
)


def _probe(**env) -> str:
    run_env = {k: v for k, v in os.environ.items() if k != "CBAM_NO_TUNING"} | env
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=run_env, check=True
    )
    return done.stdout.strip()


def test_tuning_disables_transparent_huge_pages_once_for_the_process():
    assert _probe() == "True False 1"


def test_tuning_can_be_switched_off():
    assert _probe(CBAM_NO_TUNING="1") == "False False 0"
