"""Issue 12, also found: a command that writes several outputs checks, before it writes any, that
each can be made (an optional library importable, its folder writable, not an input). Before,
`cbam scenario ... -o s.xlsx --png DIR` without matplotlib wrote the workbook and then failed;
`cbam report -o r.xlsx -o DIR/r.html` with DIR unwritable wrote the workbook, then failed.
Each case runs in a child process and asserts the one-line error and that no file was written."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from child import run_cbam, run_python
from conftest import REPO

CORPUS = REPO / "tests" / "data" / "hostile" / "habits" / "misc"
# a child in which matplotlib cannot be imported (as where cbam-calc[charts] is not installed)
WITHOUT_MATPLOTLIB = (
    "import sys; sys.modules['matplotlib'] = None; "
    "from cbam_calc.cli import main; sys.exit(main(sys.argv[1:]))"
)


@pytest.fixture
def work(tmp_path) -> Path:
    shutil.copy(CORPUS / "shipments_clean.csv", tmp_path / "shipments.csv")
    shutil.copytree(CORPUS / "batch_sheet", tmp_path / "members")
    return tmp_path


@pytest.fixture
def unwritable(tmp_path) -> Path:
    """A folder in which no file can be created: permissions for a user, /sys for root (whom
    permissions do not stop); skipped where neither holds."""
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    try:
        fd, probe = tempfile.mkstemp(dir="/sys")
    except OSError:
        yield Path("/sys")
        return
    os.close(fd)
    os.unlink(probe)
    pytest.skip("no folder here refuses root: the fault-injection cases of test_hostile_outputs cover it")


def test_scenario_png_without_matplotlib_writes_nothing(work):
    r = run_python(
        ["-c", WITHOUT_MATPLOTLIB, "scenario", "shipments.csv", "-o", "s.xlsx", "--png", "charts"], work
    )
    assert r.one_line_error() == "error: --png needs matplotlib: pip install 'cbam-calc[charts]'"
    assert not (work / "s.xlsx").exists() and not (work / "charts").exists()


def test_scenario_png_into_a_file_writes_nothing(work):
    (work / "charts").write_text("not a folder")
    r = run_cbam(["scenario", "shipments.csv", "-o", "s.xlsx", "--png", "charts"], work)
    assert r.code == 2 and "'--png': Directory 'charts' is a file" in r.stderr  # click says so
    r = run_cbam(["scenario", "shipments.csv", "-o", "s.xlsx", "--png", "charts/2026"], work)
    assert "--png cannot make this folder" in r.one_line_error(names="charts/2026")
    assert not (work / "s.xlsx").exists()


def test_scenario_png_over_existing_charts_without_force_writes_nothing(work):
    (work / "charts").mkdir()
    (work / "charts" / "levy_by_year.png").write_bytes(b"old")
    r = run_cbam(["scenario", "shipments.csv", "-o", "s.xlsx", "--png", "charts"], work)
    assert "levy_by_year.png already exists: use --force" in r.one_line_error(names="levy_by_year.png")
    assert not (work / "s.xlsx").exists()


def test_report_with_an_unwritable_second_output_writes_nothing(work, unwritable):
    r = run_cbam(["report", "shipments.csv", "-o", "r.xlsx", "-o", unwritable / "r.html"], work)
    assert "cannot be written" in r.one_line_error(names="r.html")
    assert not (work / "r.xlsx").exists()


def test_calc_with_an_unwritable_lines_out_writes_no_report(work, unwritable):
    r = run_cbam(["calc", "shipments.csv", "-o", "r.xlsx", "--lines-out", unwritable / "l.csv"], work)
    assert "cannot be written" in r.one_line_error(names="l.csv")
    assert not (work / "r.xlsx").exists()


@pytest.mark.slow  # a batch
def test_batch_with_an_unwritable_page_writes_no_workbook(work, unwritable):
    r = run_cbam(["batch", "members", "-o", "b.xlsx", "--html", unwritable / "b.html"], work)
    assert "cannot be written" in r.one_line_error(names="b.html")
    assert not (work / "b.xlsx").exists()
