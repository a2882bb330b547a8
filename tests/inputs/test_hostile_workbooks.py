"""Hostile and formula-bearing workbooks (issue 11), from tests/data/hostile/workbooks/
(scripts/corpus/workbooks.py): each runs `cbam calc` in a child process, whose exit code, one-line
error (naming file and sheet), rejected rows and peak memory are what a user gets."""

from __future__ import annotations

import json
import re
import sys

import pytest
from child import run_cbam
from conftest import REPO

from cbam_calc.inputs import xlsx_guard

CORPUS = REPO / "tests" / "data" / "hostile" / "workbooks"
NO_VALUE = "formula without a saved value"
REJECTED = re.compile(r"^\s+Row (\d+), Column '([^']*)'(?: '[^']*')?: (.*)$", re.M)
TRACEBACK_OR_ABORT = re.compile(r"Traceback|stack backtrace|memory allocation")
COUNTS = re.compile(r"(\d+) lines computed, (\d+) rejected, of (\d+) rows read")


def calc(name: str, *args: str):
    return run_cbam(["calc", name, *args], CORPUS)


def computed(r) -> tuple[tuple[int, int, int], list[tuple[int, str, str]]]:
    """(lines, rejected, rows read) and the rejected rows (row, column, reason) of a text run."""
    assert r.code == 0, r.stderr
    counts = tuple(int(x) for x in COUNTS.search(r.stdout).groups())
    assert counts[0] + counts[1] == counts[2]
    return counts, [(int(a), b, c) for a, b, c in REJECTED.findall(r.stdout)]


# ---------------------------------------------------------------------------- formulas
@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("formula_attribute_order.xlsx", [2]),  # <c s="0" r="C2">
        ("formula_prefixed.xlsx", [2]),  # <x:c>, <x:f>, <x:v/>
        ("formula_full_calc_on_load.xlsx", [2]),  # XlsxWriter's <v>0</v> under fullCalcOnLoad
        ("formula_full_calc_on_load_prefixed.xlsx", [2]),  # <x:calcPr fullCalcOnLoad="1"/>
        ("formula_shared_and_array.xlsx", [2, 3, 4]),  # shared (text, then si only), array, multi-line
        ("formula_without_references.xlsx", [2]),  # <c><f>..</f></c>: position counted
    ],
)
def test_formula_without_a_trustworthy_value_is_rejected(name, rows):
    r = calc(name)
    counts, rejected = computed(r)
    assert rejected == [(row, "net_mass_t", rejected[0][2]) for row in rows]
    assert all(reason.startswith(NO_VALUE) for _, _, reason in rejected)
    assert counts == (counts[2] - len(rows), len(rows), counts[2])


def test_cached_empty_string_inline_string_and_number_are_values():
    # t="str" with <v/> or <v></v> is Excel's cached "", an inline string is cached text
    counts, rejected = computed(calc("formula_cached_values.xlsx"))
    assert rejected == [] and counts == (4, 0, 4)


def test_formula_scan_one_pass_finds_cells_with_attributes_in_any_order():
    info = xlsx_guard.guard_workbook(CORPUS / "formula_shared_and_array.xlsx", "f.xlsx")
    assert info.sheets["Shipments"].uncached_formulas == {(2, 2), (3, 2), (4, 2)}
    info = xlsx_guard.guard_workbook(CORPUS / "formula_full_calc_on_load_prefixed.xlsx", "f.xlsx")
    assert info.full_calc_on_load and info.sheets["Shipments"].uncached_formulas == {(2, 2)}


# ---------------------------------------------------------------------------- extents
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("far_cell_no_dimension.xlsx", "A1:XFD1048576"),
        ("far_cell_false_dimension.xlsx", "A1:XFD1048576"),
        ("far_cell_part_via_dotdot.xlsx", "A1:XFD1048576"),
        ("sparse_true_dimension.xlsx", "A1:BA1000000 (1,000,000 rows x 53 columns) but only 16 cells"),
        pytest.param("implicit_positions.xlsx", "A1:CV1000004", marks=pytest.mark.slow),  # ~10 s
        ("ods_repeated_content.ods", "A1:CV1000003 (1,000,003 rows x 100 columns, repeats counted)"),
        ("ods_gap.ods", "A1:E2000004"),
    ],
)
def test_tiny_workbook_spanning_millions_of_cells_is_refused_before_reading(name, says):
    r = calc(name)
    line = r.one_line_error(names=name)
    assert "sheet 'Shipments'" in line and "the sheet is refused" in line and says in line
    assert "save" in line  # what to do
    r.bounded()
    assert (CORPUS / name).stat().st_size < 16 * 1024


@pytest.mark.parametrize(
    "name",
    [
        "wide_but_small.xlsx",  # a stray cell at XFD1: 3 x 16,384 cells, read
        "ods_libreoffice_trailing.ods",  # LibreOffice's trailing 1,048,573 empty rows x 1,024
    ],
)
def test_legitimate_far_or_repeated_empty_cells_are_read(name):
    r = calc(name)
    counts, rejected = computed(r)
    assert counts == (2, 0, 2) and rejected == []
    r.bounded()


def test_every_sheet_is_bounded_not_only_the_chosen_one(tmp_path):
    # the hostile sheet is second: calamine would expand it when looking for other tables
    sys.path.insert(0, str(REPO / "scripts" / "corpus"))
    import workbooks as corpus

    far = corpus.row(1048576, '<c r="XFD1048576"><v>1</v></c>')
    body = corpus.header_row() + corpus.shipment(2)
    corpus.xlsx(
        tmp_path / "two.xlsx",
        [("Shipments", "", corpus.sheet(body)), ("Notes", "", corpus.sheet(body + far))],
    )
    r = run_cbam(["calc", "two.xlsx"], tmp_path)
    line = r.one_line_error(names="two.xlsx")
    assert "sheet 'Notes'" in line
    r.bounded()


# ---------------------------------------------------------------------------- hidden sheets
@pytest.mark.parametrize(
    ("name", "mass"),
    [("hidden_first_sheet.xlsx", 200), ("veryHidden_first_sheet.xlsx", 200), ("hidden_first_sheet.ods", 200)],
)
def test_hidden_first_sheet_is_skipped_and_said(name, mass):
    r = calc(name, "--format", "json")
    assert r.code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["inputs"][0]["sheet"] == "Shipments" and out["lines"] == 2 and out["net_mass_t"] == mass
    i = out["warning_codes"].index("W_HIDDEN_SHEETS")
    assert out["warning_params"][i]["sheets"] == ["Old"]
    assert "hidden sheet(s) Old skipped" in out["warnings"][i]


def test_hidden_sheet_named_with_sheet_is_read():
    r = calc("hidden_first_sheet.xlsx", "--sheet", "Old", "--format", "json")
    assert r.code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["inputs"][0]["sheet"] == "Old" and out["net_mass_t"] == 999
    assert "W_HIDDEN_SHEETS" not in out["warning_codes"]


def test_workbook_whose_every_sheet_is_hidden_says_so():
    line = calc("all_sheets_hidden.xlsx").one_line_error(names="all_sheets_hidden.xlsx")
    assert "every sheet is hidden: choose one with --sheet: Old" in line


@pytest.mark.slow  # two members and a report: ~10 s
def test_hostile_batch_member_is_refused_alone_and_the_batch_is_written(tmp_path):
    members = tmp_path / "members"
    members.mkdir()
    (members / "alpha.xlsx").write_bytes((CORPUS / "hidden_first_sheet.xlsx").read_bytes())
    (members / "beta.xlsx").write_bytes((CORPUS / "far_cell_no_dimension.xlsx").read_bytes())
    r = run_cbam(["batch", "members", "-o", "batch.xlsx"], tmp_path)
    assert not TRACEBACK_OR_ABORT.search(r.stderr) and r.code in (0, 1), r.stderr
    assert "members/beta.xlsx, sheet 'Shipments': the sheet is refused" in r.stdout + r.stderr
    assert (tmp_path / "batch.xlsx").is_file()
    r.bounded()


@pytest.mark.slow  # the reader really expands 4 million cells: ~10 s
def test_sheet_just_under_the_sparse_limit_is_read_within_memory():
    # the stray cell on row 799,999 is a row of its own: read, and rejected for its missing CN code
    r = calc("sparse_at_the_limit.xlsx")
    counts, rejected = computed(r)
    assert counts == (2, 1, 3) and [(row, col) for row, col, _ in rejected] == [(799999, "cn_code")]
    r.bounded()
