"""tests/data/hostile/ is exactly what scripts/make_hostile_corpus.py builds (deterministic)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_hostile_corpus_is_what_its_script_builds():
    script = REPO / "scripts" / "make_hostile_corpus.py"
    r = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
