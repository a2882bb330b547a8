"""cbam batch: a folder of members' files, consolidated; totals are the sums of per-file runs."""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil

import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLES, steel, write_csv

from cbam_calc.cli import main
from cbam_calc.compute import batch as batch_mod
from cbam_calc.compute.batch import compute_file, run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.errors import OptionError
from cbam_calc.core.model import CalcOptions
from cbam_calc.inputs.members import BatchFile, discover
from cbam_calc.outputs.batch_report import batch_json
from cbam_calc.outputs.html_batch import batch_html
from cbam_calc.outputs.progress import ProgressBar

BATCH_SHEETS = [
    "Summary",
    "Members",
    "Products",
    "By sector",
    "By country",
    "By importer",
    "By installation",
    "De minimis",
    "Files",
    "Rejected",
    "Parameters",
    "Run",
]


@pytest.fixture
def members(tmp_path):
    """A copy of samples/association (outputs must not land in the repository)."""
    return shutil.copytree(SAMPLES / "association", tmp_path / "members")


@pytest.fixture(scope="module")
def per_file():
    """cbam calc of every readable member file, one by one: what the batch must add up to."""
    out = {}
    for path in sorted((SAMPLES / "association").rglob("*")):
        if path.suffix in (".csv", ".xlsx") and path.name != "broken_member.xlsx":
            out[path.stem] = calculate(path)
    return out


@pytest.fixture(scope="module")
def consolidated():
    return run_batch([SAMPLES / "association"])


def rows(ws) -> list[dict]:
    values = list(ws.values)
    return [dict(zip(values[0], r)) for r in values[1:]]


@pytest.mark.slow
def test_batch_totals_equal_the_sum_of_per_file_calc_runs(consolidated, per_file):
    b = consolidated
    assert len(per_file) == 5
    for field in ("embedded_tco2e", "free_allocation_tco2e", "certificates", "cost_eur", "net_mass_t"):
        expected = sum(getattr(r.summary, field) for r in per_file.values())
        assert b.totals[field] == pytest.approx(expected, abs=0.01), field
    assert b.lines == b.totals["lines"] == sum(r.summary.lines for r in per_file.values())
    assert b.rejected_total == sum(r.summary.rejected for r in per_file.values()) == 1
    # EUR per tonne of the association: total cost over total tonnes, not a mean of members' ratios
    goods_t = sum(r.summary.net_mass_t for r in per_file.values())
    assert b.totals["eur_per_t"] == pytest.approx(b.totals["cost_eur"] / goods_t, abs=0.005)
    members = b.members().set_index("member")
    for stem, r in per_file.items():
        assert members.loc[stem, "cost_eur"] == pytest.approx(r.summary.cost_eur, abs=0.01)
        assert members.loc[stem, "eur_per_t"] == pytest.approx(r.summary.eur_per_t, abs=0.005)
        assert members.loc[stem, "lines"] == r.summary.lines
    sectors = b.groupings["sector"].set_index("sector")["cost_eur"]
    by_hand = pd.Series(
        [g.cost_eur for r in per_file.values() for g in r.summary.by_sector],
        index=[g.sector for r in per_file.values() for g in r.summary.by_sector],
    )
    assert sectors.to_dict() == pytest.approx(by_hand.groupby(level=0).sum().to_dict(), abs=0.01)
    cn = b.groupings["cn_code"].set_index("cn_code")["cost_eur"]
    by_cn = pd.Series(
        [g.cost_eur for r in per_file.values() for g in r.summary.by_cn_code],
        index=[g.cn_code for r in per_file.values() for g in r.summary.by_cn_code],
    )
    assert cn.to_dict() == pytest.approx(by_cn.groupby(level=0).sum().to_dict(), abs=0.01)


@pytest.mark.slow
def test_de_minimis_stays_per_file_and_is_listed_per_importer(consolidated, per_file):
    dm = consolidated.de_minimis
    expected = {
        (stem, d.importer, d.year): d.exempt for stem, r in per_file.items() for d in r.summary.de_minimis
    }
    got = {(r.member, r.importer, r.year): bool(r.exempt) for r in dm.itertuples(index=False)}
    assert got == expected
    exempt = dm[dm["exempt"].astype(bool)]
    assert list(exempt["importer"]) == ["Ferramenta Veneta S.r.l. (IT09876540321)"]
    assert exempt["annex_i_mass_t"].iloc[0] == pytest.approx(18.5)  # 8,200 + 4,300 + 6,000 kg
    assert consolidated.members().set_index("member").loc["ningbo_yongxin_fasteners", "cost_eur"] == 0


@pytest.mark.slow
def test_broken_file_is_reported_and_the_rest_computed(members, tmp_path, capsys):
    out, page = tmp_path / "association.xlsx", tmp_path / "association.html"
    code = main(["batch", str(members), "-o", str(out), "--html", str(page)])
    assert code == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1].startswith("6 files (1 failed), 26 lines, 1 rejected, ")
    assert captured.err.splitlines()[-1].endswith(" s")
    assert "broken_member.xlsx: this looks like a PDF document, not an Excel workbook" in captured.out
    files = {r["Member"]: r for r in rows(openpyxl.load_workbook(out)["Files"])}
    assert files["broken_member"]["Status"] == "failed"
    assert "broken_member.xlsx" in files["broken_member"]["Message"]
    assert len(files["broken_member"]["SHA-256"]) == 64
    assert {k for k, r in files.items() if r["Status"] == "computed"} == {
        "hebei_jinhai_steel",
        "foshan_hengchang_aluminium",
        "wuhu_jiangbei_cement",
        "shandong_lubei_fertiliser",
        "ningbo_yongxin_fasteners",
    }
    assert "broken_member.xlsx" in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_batch_workbook_sheets_charts_ranks_and_figures(members, tmp_path, per_file, capsys):
    out = tmp_path / "association.xlsx"
    assert main(["batch", str(members), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == BATCH_SHEETS
    for name in (
        "Summary",
        "Members",
        "Products",
        "By sector",
        "By country",
        "By importer",
        "By installation",
    ):
        assert len(wb[name]._charts) == 1, name
    assert wb["Members"].freeze_panes == "A2"
    ranked = rows(wb["Members"])
    assert [r["Rank by levy"] for r in ranked] == [1, 2, 3, 4, 5]
    costs = [r["CBAM cost, EUR"] for r in ranked]
    assert costs == sorted(costs, reverse=True)
    by_t = sorted(ranked, key=lambda r: r["Rank by EUR/t"])
    per_t = [r["EUR per tonne of goods"] for r in by_t]
    assert per_t == sorted(per_t, reverse=True)
    for r in ranked:
        assert r["CBAM cost, EUR"] == pytest.approx(per_file[r["Member"]].summary.cost_eur, abs=0.01)
    products = rows(wb["Products"])
    assert products[0]["Rank by levy"] == 1
    assert products[0]["CBAM cost, EUR"] == max(p["CBAM cost, EUR"] for p in products)
    summary_values = [c for row in wb["Summary"].values for c in row if c is not None]
    total = sum(r.summary.cost_eur for r in per_file.values())
    assert any(isinstance(v, float) and v == pytest.approx(total, abs=0.01) for v in summary_values)
    dm = rows(wb["De minimis"])
    outcomes = {r["Outcome"].split(":")[0].split(" if ")[0] for r in dm}  # worded as conditionals
    assert outcomes == {"exempt", "not exempt"}
    assert "Members summed" in dm[0]  # by importer: the members whose lines it sums
    rejected = rows(wb["Rejected"])
    assert (
        len(rejected) == 1 and rejected[0]["Row"] == 6 and rejected[0]["Column"] == "cn_code"
    )  # clinker without its TARIC code or grade
    params = rows(wb["Parameters"])
    assert any(p["parameter"] == "CBAM certificate price" and p["key"] == "2026Q1" for p in params)
    col = list(next(wb["Members"].values)).index("CBAM cost, EUR") + 1
    assert wb["Members"].cell(row=2, column=col).number_format == "#,##0.00"


@pytest.mark.slow
def test_strict_fails_the_run_after_writing_the_reports(members, tmp_path, capsys):
    out = tmp_path / "a.xlsx"
    assert main(["batch", str(members), "-o", str(out), "--strict"]) == 1
    assert "--strict: 1 rejected row(s) and 1 failed file(s)" in capsys.readouterr().err
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
    clean = members / "newly_joined"
    assert main(["batch", str(clean), "--strict"]) == 0


@pytest.mark.slow
def test_parallel_run_gives_the_same_figures(members):
    one = run_batch([members], jobs=1)
    two = run_batch([members], jobs=2)
    assert batch_json(one, ["member", "sector", "cn_code", "country", "importer", "installation"]) == (
        batch_json(two, ["member", "sector", "cn_code", "country", "importer", "installation"])
    )


@pytest.mark.slow
def test_workers_that_cannot_start_fall_back_to_this_process(members, monkeypatch, capsys):
    import multiprocessing

    from cbam_calc.compute import isolated

    expected = batch_json(run_batch([members], jobs=1))
    # fork, so that the patched worker function is the one the workers run: each exits as it starts
    monkeypatch.setattr(batch_mod, "_pool_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(isolated, "_serve", lambda *args: os._exit(3))
    fallback = run_batch([members], jobs=2)
    assert (
        "worker processes failed (a worker process ended on start (exit code 3))" in capsys.readouterr().err
    )
    assert batch_json(fallback) == expected


@pytest.mark.slow
def test_merging_in_small_steps_gives_the_same_figures(members, monkeypatch):
    whole = run_batch([members])
    monkeypatch.setattr(batch_mod, "COMPACT_ROWS", 1)  # roll up after every file
    stepwise = run_batch([members])
    for name, table in whole.groupings.items():
        pd.testing.assert_frame_equal(table, stepwise.groupings[name], check_exact=False, atol=1e-6)


def test_a_worker_sends_back_aggregates_not_lines(tmp_path):
    # 4,000 lines of two products, one importer: two rows per grouping, whatever the lines
    rows_ = [
        steel(cn_code=("7208 51 20" if i % 2 else "7214 20 00"), net_mass_t="10", importer="Acme")
        for i in range(4000)
    ]
    path = write_csv(tmp_path / "big.csv", rows_)
    agg = compute_file(BatchFile(path, "big"), CalcOptions())
    assert agg.outcome.lines == 4000 and agg.outcome.status == "ok"
    assert len(agg.groups["cn_code"]) == 2 and len(agg.groups["member"]) == 1
    assert all(t["lines"].sum() == 4000 for t in agg.groups.values())
    assert len(pickle.dumps(agg)) < 40_000  # what crosses the process boundary
    cost = agg.groups["member"]["cost_eur"].iloc[0]
    assert cost == pytest.approx(calculate(path).summary.cost_eur, abs=0.01)


def test_discover_recurses_sorts_skips_and_names_members(tmp_path):
    for rel in ("b/x.csv", "a/x.csv", "a/y.xlsx", "a/.hidden.csv", ".git/z.csv", "~$open.xlsx", "notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("cn_code\n")
    found = discover([tmp_path])
    assert [f.path.relative_to(tmp_path).as_posix() for f in found] == ["a/x.csv", "a/y.xlsx", "b/x.csv"]
    assert [f.member for f in found] == ["a/x", "y", "b/x"]  # same names told apart by their path
    with pytest.raises(OptionError, match="no such file"):
        discover([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("no shipments here")
    with pytest.raises(OptionError, match="no csv or Excel files"):
        discover([tmp_path / "empty"])


@pytest.mark.slow
def test_an_output_in_the_members_folder_is_refused_it_would_become_a_member(members, capsys):
    # issue 11: no output may lie inside an input folder, whatever --force says
    out = members / "association.xlsx"
    for force in ([], ["--force"]):
        assert main(["batch", str(members), "-o", str(out), *force]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "lies inside the input folder" in err and str(members) in err
        assert not out.exists()


@pytest.mark.slow
def test_json_has_the_groupings_asked_for(members, capsys):
    assert (
        main(["batch", str(members), "--year", "2026", "--format", "json", "--by", "member,sector,cn_code"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert {"by_member", "by_sector", "by_cn_code"} <= set(out) and "by_country" not in out
    assert out["files_count"] == 6 and out["failed_count"] == 1
    assert [f["file"].endswith("broken_member.xlsx") for f in out["failed_files"]] == [True]
    assert out["totals"]["cost_eur"] == pytest.approx(sum(m["cost_eur"] for m in out["by_member"]), abs=0.01)
    assert [m["rank_cost"] for m in out["by_member"]] == [1, 2, 3, 4, 5]
    assert any(d["exempt"] for d in out["de_minimis"])
    assert out["assumptions"]["art9_status"].startswith("DRAFT")
    assert main(["batch", str(members), "--by", "colour"]) == 2


def test_nothing_computed_in_any_file_exits_1(tmp_path, capsys):
    write_csv(tmp_path / "bad.csv", [steel(country="Atlantis")])
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert main(["batch", str(tmp_path)]) == 1
    assert "nothing could be computed in any of the 2 files" in capsys.readouterr().err


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_after_a_second():
    ok = batch_mod.FileOutcome("f", "m", None, "ok", "", 1, 1, 0, "")
    piped = io.StringIO()
    bar = ProgressBar(piped, delay=0)
    bar(1, 2, ok)
    bar.close()
    assert piped.getvalue() == ""
    tty = Tty()
    quick = ProgressBar(tty, delay=60)  # a run shorter than the delay draws nothing
    quick(1, 2, ok)
    assert tty.getvalue() == ""
    bar = ProgressBar(tty, delay=0, width=10)
    bar(1, 2, batch_mod.FileOutcome("f", "m", None, "failed", "x", 0, 0, 0, ""))
    assert tty.getvalue().startswith("\r[#####.....] 1/2 files, 1 failed")
    bar.close()
    assert tty.getvalue().endswith("\r\x1b[K")


@pytest.mark.slow
def test_batch_html_ranks_members_and_lists_failures(consolidated):
    page = batch_html(consolidated)
    section = page.index("Members, ranked by levy")
    order = [page.index(m, section) for m in consolidated.members()["member"]]
    assert order == sorted(order)  # members appear ranked by levy
    assert "broken_member.xlsx" in page and 'class="alert"' in page
    assert "importers exempt: 1 / 11" in page
    assert f"{consolidated.totals['cost_eur']:,.2f}" in page
    assert page.count("<svg") == 5  # members by levy and by EUR/t, products, sectors, countries


@pytest.mark.slow
def test_unpublished_price_warning_is_one_line_over_every_file(consolidated, per_file):
    # files use different quarters: one batch-wide line lists every unpublished price used, counted
    # once per file that used one, instead of one near-identical line per combination of quarters
    lines = [(w, n) for w, n in consolidated.warnings if w.startswith("certificate prices that are not")]
    assert len(lines) == 1
    used = {f"{p.source_period} ({p.status})" for p in consolidated.assumptions.certificate_prices}
    listed = set(lines[0][0].split(": ", 1)[1].split(", "))
    assert listed == {u for u in used if not u.endswith("(published)")}
    files_warned = sum(
        any(w.startswith("certificate prices that are not") for w in r.summary.warnings)
        for r in per_file.values()
    )
    assert lines[0][1] == files_warned > 1


@pytest.mark.slow
def test_batch_workbook_is_checked_like_a_calc_report(members, tmp_path, capsys):
    folder = members  # a copy in tmp_path
    out = tmp_path / "association.xlsx"
    assert main(["batch", str(folder), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["calc", "--check", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"{out}: the figures match")
    csv = next(p for p in sorted(folder.rglob("*.csv")))
    text = csv.read_text(encoding="utf-8-sig").splitlines()
    csv.write_text("\n".join(text[:-1]) + "\n", encoding="utf-8")  # a member drops its last line
    assert main(["calc", "--check", str(out)]) == 1
    said = capsys.readouterr().out
    assert "do NOT match" in said and "lines: report" in said and "has changed since the report" in said
