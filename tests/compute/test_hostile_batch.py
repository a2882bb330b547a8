"""Issue 11: batch members isolated and told apart (tests/data/hostile/scenarios/members*).

A member whose reader crashes (SIGABRT from a failed allocation, a segfault, an OOM kill) is that
member's failure, named with the signal, and the batch report is written for the rest. The crash
is injected (``CBAM_TEST_ABORT_MEMBER``: the worker computing that file calls ``os.abort()``) so
the test does not depend on the workbook guard; the hostile workbook of ``members_hostile/`` is
isolated whether the guard refuses it or the reader crashes on it. Same-stem members
(``alpha.csv`` and ``alpha.xlsx``) and names that differ only in case stay apart.
"""

from __future__ import annotations

import json

import pytest
from child import run_cbam
from conftest import REPO
from openpyxl import load_workbook

from cbam_calc.compute.batch import FAULT_ABORT_ENV
from cbam_calc.inputs.members import discover

CORPUS = REPO / "tests" / "data" / "hostile" / "scenarios"


def batch_json(tmp_path, folder, *args, env=None):
    r = run_cbam(["batch", CORPUS / folder, "--format", "json", *args], tmp_path, env=env)
    assert r.code == 0, r.stderr
    assert "Traceback" not in r.stderr
    return r, json.loads(r.stdout)


@pytest.mark.slow
def test_a_crashing_reader_fails_its_member_and_the_report_is_written(tmp_path):
    out = tmp_path / "batch.xlsx"
    r, doc = batch_json(tmp_path, "members_crash", "-o", out, env={FAULT_ABORT_ENV: "crasher.xlsx"})
    [failed] = doc["failed_files"]
    assert failed["member"] == "crasher"
    assert "crasher.xlsx" in failed["message"] and "crashed (signal 6, SIGABRT" in failed["message"]
    assert doc["lines"] == 3  # alpha.csv (2) and gamma.csv (1): computed, not lost
    assert out.is_file()
    wb = load_workbook(out, read_only=True)
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "crasher" in text and "alpha" in text and "gamma" in text
    r.bounded()


@pytest.mark.slow
def test_a_crash_in_a_parallel_batch_fails_only_that_member(tmp_path):
    _, doc = batch_json(tmp_path, "members_crash", "--jobs", "2", env={FAULT_ABORT_ENV: "alpha.csv"})
    assert [f["member"] for f in doc["failed_files"]] == ["alpha"]
    assert "signal 6" in doc["failed_files"][0]["message"]
    assert doc["lines"] == 2  # gamma.csv and crasher.xlsx (no abort asked for it): one line each
    assert {m["member"] for m in doc["by_member"]} == {"crasher", "gamma"}


@pytest.mark.slow
def test_a_hostile_workbook_member_does_not_end_the_batch(tmp_path):
    r, doc = batch_json(tmp_path, "members_hostile")
    [failed] = doc["failed_files"]
    assert failed["member"] == "huge_cell" and "huge_cell.xlsx" in failed["message"]
    assert "stack backtrace" not in r.stderr  # a native reader's last words are not the user's
    assert [m["member"] for m in doc["by_member"]] == ["alpha"]
    r.bounded()


@pytest.mark.slow
def test_same_stem_members_stay_apart(tmp_path):
    _, doc = batch_json(tmp_path, "members")
    lines = {m["member"]: m["lines"] for m in doc["by_member"]}
    assert lines == {"alpha.csv": 2, "alpha.xlsx": 1, "beta": 1}


def test_member_names_are_unique_ignoring_case():
    names = [f.member for f in discover([CORPUS / "members_case"])]
    assert names == ["Alpha", "alpha (2)"]
    assert len({n.casefold() for n in names}) == len(names)


def test_member_names_unique_across_folders_and_suffixes(tmp_path):
    for rel in ["a/alpha.csv", "a/alpha.xlsx", "a/sub/alpha.csv", "b/alpha.csv", "a/beta.csv", "b/Beta.csv"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = discover([tmp_path / "a", tmp_path / "b"])
    names = [f.member for f in found]
    assert len({n.casefold() for n in names}) == len(names), names
    by_file = {f.path.relative_to(tmp_path).as_posix(): f.member for f in found}
    assert by_file["a/alpha.xlsx"] == "alpha.xlsx" and by_file["a/sub/alpha.csv"] == "sub/alpha"
    assert discover([tmp_path / "a", tmp_path / "b"]) == found  # stable
