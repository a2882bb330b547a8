"""cbam batch with the same member file twice (two names, one SHA-256): counted once, listed in
Files as a duplicate of the first, with a warning; --strict and --check unaffected."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
from conftest import steel, write_csv

from cbam_calc.cli import main
from cbam_calc.compute.batch import run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.outputs.batch_report import batch_json, batch_text
from cbam_calc.outputs.html_batch import batch_html


@pytest.fixture
def folder(tmp_path):
    """A: 100 t of steel; B: 40 t of steel and 20 t of cement; B2: a byte-for-byte copy of B."""
    d = tmp_path / "members"
    d.mkdir()
    write_csv(d / "a.csv", [steel()])
    write_csv(
        d / "b.csv",
        [
            steel(net_mass_t="40"),
            {"cn_code": "2523 29 00", "country": "CN", "net_mass_t": "20", "import_date": "2026-03-05"},
        ],
    )
    shutil.copyfile(d / "b.csv", d / "b2.csv")
    return d


def test_a_repeated_file_is_counted_once(folder):
    a, b = calculate(folder / "a.csv").summary, calculate(folder / "b.csv").summary
    assert a.net_mass_t == 100 and b.net_mass_t == 60  # hand-worked: A 100 t, B 40 + 20 t
    batch = run_batch([folder])
    assert batch.totals["net_mass_t"] == pytest.approx(160)  # A + B, not A + 2B = 220
    assert batch.totals["cost_eur"] == a.cost_eur + b.cost_eur  # exactly the single-file runs
    assert batch.totals["cost_eur"] != a.cost_eur + 2 * b.cost_eur
    assert batch.lines == 3 and batch.rows_read == 3
    status = {f.member: f.status for f in batch.files}
    assert status == {"a": "ok", "b": "ok", "b2": "duplicate"}
    dup = batch.files[2]
    assert dup.message == f"same content as {folder / 'b.csv'}"
    assert dup.sha256 == batch.files[1].sha256 != ""
    assert (dup.cost_eur, dup.lines, dup.rows_read) == (None, 0, 0)
    assert batch.failed == [] and batch.duplicates == [dup]
    codes = [(w.code, w.params, n) for w, n in batch.warnings if w.code == "W_DUPLICATE_MEMBER"]
    assert codes == [
        ("W_DUPLICATE_MEMBER", {"file": str(folder / "b2.csv"), "first": str(folder / "b.csv")}, 1)
    ]
    assert "b2" not in set(batch.members()["member"])


def test_the_same_file_given_twice_through_two_folders(folder, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copyfile(folder / "a.csv", other / "a.csv")
    batch = run_batch([folder / "a.csv", other])
    assert [f.status for f in batch.files] == ["ok", "duplicate"]
    assert batch.totals["net_mass_t"] == pytest.approx(100)


def test_a_copied_workbook_is_counted_once(tmp_path):
    """alpha.xlsx copied to 'alpha (1).xlsx' (what a file manager names a copy); workbooks are
    read in worker processes: the copy is decided before and never sent to one."""
    d = tmp_path / "members"
    d.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    row = steel()
    ws.append(list(row))
    ws.append(list(row.values()))
    wb.save(d / "alpha.xlsx")
    shutil.copyfile(d / "alpha.xlsx", d / "alpha (1).xlsx")
    write_csv(d / "beta.csv", [steel(net_mass_t="40")])
    one = calculate(d / "alpha.xlsx").summary.cost_eur
    beta = calculate(d / "beta.csv").summary.cost_eur
    batch = run_batch([d])
    assert {f.file.rsplit("/", 1)[-1]: f.status for f in batch.files} == {
        "alpha (1).xlsx": "duplicate",
        "alpha.xlsx": "ok",
        "beta.csv": "ok",
    }  # the copy's name sorts first, but the original (the shortest name) is the one computed
    assert batch.totals["cost_eur"] == one + beta
    assert batch.totals["net_mass_t"] == pytest.approx(140)


def test_the_duplicate_is_not_computed(folder, monkeypatch):
    from cbam_calc.compute import batch as batch_mod

    computed = []
    real = batch_mod.compute_file
    monkeypatch.setattr(
        batch_mod, "compute_file", lambda item, *a: computed.append(item.path.name) or real(item, *a)
    )
    run_batch([folder], jobs=1)
    assert sorted(computed) == ["a.csv", "b.csv"]


def test_reports_list_the_duplicate(folder):
    batch = run_batch([folder])
    data = json.loads(batch_json(batch))
    assert [f["status"] for f in data["files"]] == ["ok", "ok", "duplicate"]
    assert data["files"][2]["duplicate_of"] == str(folder / "b.csv")
    assert data["failed_count"] == 0
    assert any(w["code"] == "W_DUPLICATE_MEMBER" for w in data["warnings"])
    text = batch_text(batch)
    assert "3 files: 2 computed, 0 failed" in text and "1 duplicate(s)" in text
    assert f"{folder / 'b2.csv'} has the same content as {folder / 'b.csv'}" in text
    html = batch_html(batch)
    assert "same content as" in html and "duplicate" in html
    assert "重复" in batch_html(batch, lang="zh")  # the status, in the report's language


def test_workbook_check_and_strict_with_a_duplicate(folder, tmp_path, capsys):
    report = tmp_path / "r.xlsx"
    assert main(["batch", str(folder), "-o", str(report), "--strict"]) == 0  # a duplicate is no failure
    wb = openpyxl.load_workbook(report, read_only=True)
    rows = [list(r) for r in wb["Files"].iter_rows(values_only=True)]
    dup = [r for r in rows if r[1] == str(folder / "b2.csv")]
    assert dup and "duplicate" in dup[0] and f"same content as {folder / 'b.csv'}" in dup[0]
    run = [list(r) for r in wb["Run"].iter_rows(values_only=True) if r and r[0] == "input"]
    assert [r[4] for r in run] == ["a", "b", "b2"] and run[2][3] == run[1][3]
    capsys.readouterr()
    assert main(["calc", "--check", str(report)]) == 0
