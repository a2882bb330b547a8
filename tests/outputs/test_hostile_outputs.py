"""Issue 11, outputs: no output goes over, into or around an input; no output carries a formula;
a write that fails is one line naming the file, and SIGTERM leaves no half-written file.

The corpus is tests/data/hostile/outputs/ (scripts/corpus/outputs.py): every text a member
controls (file, sheet and member names, importer, installation and exporter texts, headers,
scenario and baseline names) starts with = + - @ tab or CR. The CLI cases run in a child process
(tests/child.py); a full disk and a read-only folder are a real small tmpfs where this machine
lets root mount one, and fault injection (tests/outputs/faults.py) everywhere.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from child import TRACEBACK, run_cbam, run_python
from conftest import REPO

from cbam_calc.core.errors import OutputError
from cbam_calc.outputs.writers import formula_like, neutral_text, neutralise

CORPUS = REPO / "tests" / "data" / "hostile" / "outputs"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_NAME = "=HYPERLINK(1).csv"  # the input's own file name starts a formula


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A copy of the corpus (the tests write beside it), with a member named with a leading tab
    (no such name is committed) and the shipments file under a formula-like name."""
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    shutil.copy(folder / "shipments.csv", folder / HOSTILE_NAME)
    shutil.copy(folder / "shipments.csv", folder / "members" / "\tTab.csv")
    return folder


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def part_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith(".")]


# ---------------------------------------------------------------------------- reading back
def assert_no_formula_xlsx(path: Path) -> int:
    """No cell of any sheet is a formula; every formula-like text is a text cell with the
    quote-prefix style and no visible apostrophe. Returns how many such cells there are."""
    wb = openpyxl.load_workbook(path)  # not read-only: the cell styles are read too
    quoted = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if not isinstance(c.value, str):
                    continue
                assert not c.value.startswith(("'=", "'+", "'@", "'\t")), (ws.title, c.coordinate, c.value)
                if formula_like(c.value):
                    assert c.data_type == "s" and c.quotePrefix, (ws.title, c.coordinate, c.value)
                    quoted += 1
    return quoted


def xlsx_texts(path: Path, sheet: str) -> list[str]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def assert_no_formula_csv(path: Path) -> list[list[str]]:
    """No field, header included, starts with = + - @ tab or CR unless it is a plain number."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    for i, row in enumerate(rows):
        for field in row:
            assert not formula_like(field), f"row {i + 1}: {field!r}"
    return rows


# ---------------------------------------------------------------------------- the rule itself
@pytest.mark.parametrize("text", ["-12.5", "+3", "-1e5", "+1,234.50", ".5", "Acme", "", "12"])
def test_plain_numbers_and_plain_text_are_not_altered(text):
    assert neutral_text(text) == (text, False)
    assert neutralise(text) == text


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1+1", "@SUM(A1)", "-2+3", "\tTab", "\rCR", "=1", "-"])
def test_formula_like_text_is_recognised(text):
    assert neutral_text(text) == (text, True)
    assert neutralise(text) == "'" + text  # CSV: no styles, the OWASP apostrophe


# ---------------------------------------------------------------------------- 2. no formula
def test_calc_report_run_sheet_and_lines_csv_hold_no_formula(corpus):
    r = run_cbam(["calc", HOSTILE_NAME, "-o", "r.xlsx", "--lines-out", "l.csv"], corpus)
    assert r.code == 0, r.stderr
    assert assert_no_formula_xlsx(corpus / "r.xlsx") > 10
    run = xlsx_texts(corpus / "r.xlsx", "Run")
    assert HOSTILE_NAME in run  # the file name as it is, quote-prefixed
    lines = xlsx_texts(corpus / "r.xlsx", "Lines")
    assert "-12.5" in lines and "+3" in lines  # plain numbers as text: unchanged
    assert '=HYPERLINK("h")' in lines and "+1+1" in lines  # the headers
    rows = assert_no_formula_csv(corpus / "l.csv")
    assert '\'=HYPERLINK("h")' in rows[0] and "'+1+1" in rows[0]  # the header row too
    assert "-12.5" in [f for row in rows for f in row]


@pytest.mark.slow
def test_a_quote_prefixed_report_is_still_checked(corpus):
    assert run_cbam(["calc", HOSTILE_NAME, "-o", "r.xlsx"], corpus).code == 0
    r = run_cbam(["calc", "--check", "r.xlsx"], corpus)
    assert r.code == 0, r.stdout + r.stderr  # the Run sheet's texts read back as written


def test_report_workbook_holds_no_formula(corpus):
    r = run_cbam(["report", HOSTILE_NAME, "-o", "r.xlsx"], corpus)
    assert r.code == 0, r.stderr
    assert assert_no_formula_xlsx(corpus / "r.xlsx") > 10


@pytest.mark.slow
def test_batch_workbook_holds_no_formula_in_member_file_and_sheet_names(corpus):
    r = run_cbam(["batch", "members", "-o", "b.xlsx", "--html", "b.html"], corpus)
    assert r.code == 0, r.stderr
    assert assert_no_formula_xlsx(corpus / "b.xlsx") > 10
    assert "=SUM(1)" in xlsx_texts(corpus / "b.xlsx", "Files")  # the workbook member's sheet name
    texts = xlsx_texts(corpus / "b.xlsx", "Run")
    assert "members/=HYPERLINK(1).csv" in texts and "+1+1" in texts  # file and member names
    assert any(t.endswith("\tTab.csv") for t in texts)
    members = xlsx_texts(corpus / "b.xlsx", "Members")
    for name in ("=HYPERLINK(1)", "+1+1", "@SUM(1)", "-2+3", "\tTab"):
        assert name in members, name


def test_scenario_workbook_holds_no_formula_in_scenario_and_baseline_names(corpus):
    r = run_cbam(["scenario", HOSTILE_NAME, "--config", "scenarios.yaml", "-o", "s.xlsx"], corpus)
    assert r.code == 0, r.stderr
    assert assert_no_formula_xlsx(corpus / "s.xlsx") > 10
    wb = openpyxl.load_workbook(corpus / "s.xlsx")
    header = [c.value for c in wb["Levy by year"][1]]
    assert '=HYPERLINK("b")' in header and "+1+1" in header and "-2+3" in header


# ---------------------------------------------------------------------------- 1. never over an input
def test_batch_output_named_as_a_member_is_refused_even_with_force(corpus):
    before = files_of(corpus / "members")
    r = run_cbam(["batch", "members", "-o", "members/book.xlsx", "--force"], corpus)
    assert "input" in r.one_line_error(names="members/book.xlsx")
    assert files_of(corpus / "members") == before


@pytest.mark.slow
def test_batch_output_inside_the_members_folder_is_refused(corpus):
    before = files_of(corpus / "members")
    r = run_cbam(["batch", "members", "-o", "members/association.xlsx"], corpus)
    assert "inside the input folder" in r.one_line_error(names="members/association.xlsx")
    r = run_cbam(["batch", "members", "--html", "members/association.html"], corpus)
    r.one_line_error(names="members/association.html")
    assert files_of(corpus / "members") == before  # nothing that the next run would take for a member


def test_lines_out_over_the_price_path_is_refused_even_with_force(corpus):
    before = (corpus / "prices.csv").read_bytes()
    r = run_cbam(
        ["calc", "shipments.csv", "--lines-out", "prices.csv", "--price-path", "prices.csv", "--force"],
        corpus,
    )
    r.one_line_error(names="prices.csv")
    assert (corpus / "prices.csv").read_bytes() == before


@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_an_output_linked_to_an_input_is_refused(corpus, link):
    (os.link if link == "hard" else os.symlink)(corpus / "prices.csv", corpus / "alias.csv")
    before = (corpus / "prices.csv").read_bytes()
    r = run_cbam(
        ["calc", "shipments.csv", "--lines-out", "alias.csv", "--price-path", "prices.csv", "--force"],
        corpus,
    )
    r.one_line_error(names="alias.csv")
    assert (corpus / "prices.csv").read_bytes() == before


def test_batch_output_hard_linked_to_a_member_is_refused(corpus):
    os.link(corpus / "members" / "book.xlsx", corpus / "elsewhere.xlsx")
    before = files_of(corpus / "members")
    r = run_cbam(["batch", "members", "-o", "elsewhere.xlsx", "--force"], corpus)
    r.one_line_error(names="elsewhere.xlsx")
    assert files_of(corpus / "members") == before


def test_scenario_workbook_over_the_scenario_file_is_refused(corpus):
    before = (corpus / "scenarios_yaml.xlsx").read_bytes()
    r = run_cbam(
        [
            "scenario",
            "shipments.csv",
            "--config",
            "scenarios_yaml.xlsx",
            "-o",
            "scenarios_yaml.xlsx",
            "--force",
        ],
        corpus,
    )
    r.one_line_error(names="scenarios_yaml.xlsx")
    assert (corpus / "scenarios_yaml.xlsx").read_bytes() == before


def test_scenario_charts_never_replace_a_price_path_of_the_scenarios(corpus, tmp_path):
    from cbam_calc.compute.scenario_set import load_config
    from cbam_calc.outputs.runs import scenario_to_files

    charts = corpus / "charts"
    charts.mkdir()
    shutil.copy(corpus / "prices.csv", charts / "levy_by_year.png")  # a price path under a chart's name
    doc = (corpus / "scenarios.yaml").read_text().replace('"+path.csv"', '"charts/levy_by_year.png"')
    (corpus / "own.yaml").write_text(doc)
    before = (charts / "levy_by_year.png").read_bytes()
    with pytest.raises(OutputError, match="input"):
        scenario_to_files(
            corpus / "shipments.csv", load_config(corpus / "own.yaml"), png_dir=charts, force=True
        )
    assert (charts / "levy_by_year.png").read_bytes() == before


def test_dask_lines_out_over_the_input_folder_is_refused_before_anything_is_computed(tmp_path):
    import pandas as pd

    from cbam_calc.compute.distributed import calculate_dask

    data = tmp_path / "data"
    data.mkdir()
    frame = pd.read_csv(CORPUS / "shipments.csv", dtype=str, keep_default_na=False)
    frame.to_parquet(data / "shipments.parquet", index=False)
    for out in (data, data / "shipments.parquet", tmp_path):  # the folder, the file, a folder above
        with pytest.raises(OutputError, match="input"):
            calculate_dask([str(data / "shipments.parquet")], lines_out=out, force=True)
        assert (data / "shipments.parquet").is_file()
    with pytest.raises(OutputError, match="inside the input folder"):  # a dataset folder given as input
        from cbam_calc.core.paths import refuse_inputs

        refuse_inputs(data / "lines.parquet", [data])


# ---------------------------------------------------------------------------- 3. failed writes
def _faulty(corpus: Path, kind: str, where: str, argv: list[str]):
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import faults; "
        f"faults.install({kind!r}, {where!r}); "
        f"from cbam_calc.cli import main; sys.exit(main({argv!r}))"
    )
    # faults fail Python's own writes: the workbooks with the Python writer (the Rust one writes
    # its file itself; a real full disk under it: test_a_real_full_disk_is_one_line)
    return run_python(["-c", code], corpus, env={"CBAM_XLSX_WRITER": "xlsxwriter"})


def assert_one_line_write_error(r, name: str, folder: Path) -> str:
    line = r.one_line_error(names=name)
    assert "Exception ignored" not in r.stderr and not TRACEBACK.search(r.stderr)
    assert not part_files(folder), part_files(folder)
    return line


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["calc", "shipments.csv", "-o", "r.xlsx"], "r.xlsx"),
        (["calc", "shipments.csv", "--lines-out", "l.csv"], "l.csv"),
        (["report", "shipments.csv", "-o", "r.html"], "r.html"),
        pytest.param(["batch", "members", "-o", "b.xlsx"], "b.xlsx", marks=pytest.mark.slow),
        (["scenario", "shipments.csv", "--config", "scenarios.yaml", "-o", "s.xlsx"], "s.xlsx"),
    ],
)
def test_a_full_disk_is_one_line_naming_the_output(corpus, argv, name):
    r = _faulty(corpus, "ENOSPC", "part", argv)
    assert "disk is full" in assert_one_line_write_error(r, name, corpus)
    assert not (corpus / name).exists()


def test_a_read_only_folder_is_one_line_naming_the_output(corpus):
    r = _faulty(corpus, "EROFS", "mkstemp", ["calc", "shipments.csv", "-o", "r.xlsx"])
    assert "read-only" in assert_one_line_write_error(r, "r.xlsx", corpus)


@pytest.fixture
def small_tmpfs(tmp_path):
    """A real 64 KiB tmpfs (root only); the test is skipped where it cannot be mounted."""
    where = tmp_path / "disk"
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root: the fault-injection cases cover this")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not let root mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_real_full_disk_is_one_line(corpus, small_tmpfs):
    (small_tmpfs / "filler").write_bytes(b"\0" * 60 * 1024)
    r = run_cbam(["calc", "shipments.csv", "-o", small_tmpfs / "r.xlsx"], corpus)
    assert "disk is full" in assert_one_line_write_error(r, "r.xlsx", small_tmpfs)
    assert [p.name for p in small_tmpfs.iterdir()] == ["filler"]


@pytest.mark.parametrize("writer", ["rvgs", "xlsxwriter"])
def test_a_full_disk_under_the_writers_temporary_sheets_is_one_line(corpus, small_tmpfs, writer):
    """The big sheets are written to temporary files in TMPDIR as they go (constant memory, by
    Rust code where Python's open cannot be faulted): TMPDIR on a full disk is one line too."""
    (small_tmpfs / "filler").write_bytes(b"\0" * 60 * 1024)
    env = {"TMPDIR": str(small_tmpfs), "CBAM_XLSX_WRITER": writer}
    r = run_cbam(["calc", "shipments.csv", "-o", "r.xlsx"], corpus, env=env)
    assert "disk is full" in assert_one_line_write_error(r, "r.xlsx", corpus)
    assert not (corpus / "r.xlsx").exists()


def test_a_real_read_only_folder_is_one_line(corpus, small_tmpfs):
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    r = run_cbam(
        ["calc", "shipments.csv", "-o", small_tmpfs / "r.xlsx", "--lines-out", small_tmpfs / "l.csv"], corpus
    )
    assert "read-only" in assert_one_line_write_error(r, "r.xlsx", small_tmpfs)


@pytest.mark.slow
def test_sigterm_while_writing_leaves_no_part_file(tmp_path):
    big = tmp_path / "big.csv"
    rows = "".join(
        f"7208 39 00,CN,{1 + i % 97},2026-02-10,Importer {i % 50},Plant {i % 7}\n" for i in range(60_000)
    )
    big.write_text("cn_code,country,net_mass_t,import_date,importer,installation\n" + rows)
    env = {**os.environ, "PYTHONUTF8": "1"}
    env.pop("CBAM_DEBUG", None)
    p = subprocess.Popen(
        [sys.executable, "-m", "cbam_calc", "calc", "big.csv", "-o", "r.xlsx"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not part_files(tmp_path) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert part_files(tmp_path), "the report was never being written"
    time.sleep(0.3)  # well inside the write
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    stderr = err.decode()
    assert p.returncode == 143, (p.returncode, stderr)
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "terminated" in lines[0], stderr
    assert not part_files(tmp_path) and not (tmp_path / "r.xlsx").exists()
