"""The inventory of what every figure rests on (cbam data): every reference table and parameter with
its act, effective dates, status, SHA-256 and the date its content last changed, read from the data."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess

import pytest
import yaml
from conftest import REPO

from cbam_calc.law.inventory import (
    LEDGER,
    STATUS_WORDS,
    changed_files,
    inventory_table,
    record_entries,
    reference_data_as_of,
    reference_files,
    short_act,
)
from cbam_calc.law.reference import DATA_DIR, ReferenceData, prices_dir, reference_data


@pytest.fixture
def copied(tmp_path) -> ReferenceData:
    """A copy of the package's reference data that a test may alter."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    shutil.copytree(prices_dir(), tmp_path / "prices")
    return ReferenceData(data_dir=tmp_path / "data", prices_dir=tmp_path / "prices")


def by_path(ref=None) -> dict:
    return {f.path: f for f in reference_files(ref)}


def test_every_reference_file_is_listed_once():
    files = by_path()
    tables = {p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*.csv")}
    params = {f"parameters/{p.name}" for p in (DATA_DIR / "parameters").glob("*.yaml")}
    market = {f"reference_prices/{p.name}" for p in prices_dir().glob("*.csv")}
    yamls = {"carbon_pricing.yaml"}  # the reference tables kept as YAML in the data folder itself
    assert set(files) == tables | params | market | yamls
    assert len(reference_files()) == len(files)


def test_every_reference_file_states_the_date_its_content_last_changed():
    # a table rebuilt or added without its date in data/updated.yaml (or its sidecar) fails here
    undated = {f.path: f.updated_note for f in reference_files() if not f.updated}
    assert not undated, f"give these files their update date: {undated}"
    assert reference_data_as_of().undated == []


def test_dates_of_record_are_bound_to_the_bytes_they_date():
    ledger = yaml.safe_load((DATA_DIR / LEDGER).read_text(encoding="utf-8"))
    files = by_path()
    for path, entry in ledger.items():
        assert path in files, f"{LEDGER}: {path} is not a reference file any more: remove it"
        assert files[path].sha256 == entry["sha256"], f"{path} changed: update its entry in {LEDGER}"
        assert files[path].updated == str(entry["updated"])


def test_sha256_is_the_files():
    for f in reference_files():
        base = prices_dir() if f.path.startswith("reference_prices/") else DATA_DIR
        path = base / f.path.removeprefix("reference_prices/")
        assert f.sha256 == hashlib.sha256(path.read_bytes()).hexdigest(), f.path


def test_status_comes_from_the_data():
    files = by_path()
    assert files["parameters/cbam_factor.yaml"].status == "law"
    assert files["parameters/art9_draft.yaml"].status == "draft"
    # 'law (2026-2030), projection (from 2031)': both words, and the data's own wording kept
    cscf = files["parameters/cscf.yaml"]
    assert cscf.status == "law, projection" and "from 2031" in cscf.status_detail
    for f in files.values():
        if f.kind != "market data":
            assert set(f.status.split(", ")) <= set(STATUS_WORDS), (f.path, f.status)
    # prices: the statuses of their rows, counted
    price = files["reference_prices/cbam_certificate_price.csv"]
    counts = {w: int(n) for w, n in (part.split() for part in price.status.split(", "))}
    assert sum(counts.values()) == price.rows and {"published", "projection"} <= set(counts)
    assert files["reference_prices/default_carbon_price.csv"].status == "no data rows"


def test_act_and_effective_dates_come_from_sidecars_headers_and_values():
    files = by_path()
    bm = files["eu/benchmarks.csv"]
    assert "2025/2620" in bm.act and (bm.effective_from, bm.effective_to) == ("2026-01-01", "2030-12-31")
    annex_ii = files["eu/annex_ii_direct_only.csv"]  # no sidecar: its comment header
    assert annex_ii.act.startswith("Regulation (EU) 2023/956") and annex_ii.effective_from == "2026-01-01"
    factor = files["parameters/cbam_factor.yaml"]
    assert "Art 10a(1a)" in factor.act and factor.effective_from == "2026-01-01" and factor.rows == 9
    fx = files["reference_prices/fx_eur_annual.csv"]
    assert fx.kind == "market data" and fx.effective_from == "2019"


def test_as_of_is_the_newest_update_date():
    dates = [f.updated for f in reference_files()]
    assert reference_data_as_of().date == max(dates)
    assert reference_data_as_of().text() == f"reference data as of {max(dates)}"


def test_a_changed_table_has_no_date_rather_than_a_wrong_one(copied):
    path = copied.data_dir / "eu" / "benchmarks.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",1.370\n", ",1.371\n", 1), encoding="utf-8")
    f = by_path(copied)["eu/benchmarks.csv"]
    assert f.updated is None and "differs from the version dated" in f.updated_note
    as_of = reference_data_as_of(copied)
    assert as_of.undated == ["eu/benchmarks.csv"]
    assert "1 file(s) with no update date: eu/benchmarks.csv" in as_of.text()


def test_a_superseded_table_is_read_from_its_sidecar(copied):
    # the shape the IR 2026/1740 tables bring: a SUPERSEDED copy of the first version, its sidecar
    # saying so, and where it was shipped before (so --check can name an old report's version)
    eu = copied.data_dir / "eu"
    old_sha = hashlib.sha256((eu / "annex_iv_defaults.csv").read_bytes()).hexdigest()
    shutil.copy(eu / "annex_iv_defaults.csv", eu / "annex_iv_defaults_v1.csv")
    (eu / "annex_iv_defaults_v1.meta.yaml").write_text(
        yaml.safe_dump(
            {
                "title": "SUPERSEDED: IR 2025/2621 Annex IV as first published",
                "status": "superseded",
                "superseded_by": {"act": "Implementing Regulation (EU) 2026/1740", "table": "eu/x.csv"},
                "shipped_as": {"file": "eu/annex_iv_defaults.csv", "sha256": old_sha},
                "source": [{"act": "Commission Implementing Regulation (EU) 2025/2621, Annex IV"}],
                "effective_from": "2026-01-01",
                "updated": "2026-12-02",
            }
        ),
        encoding="utf-8",
    )
    f = by_path(copied)["eu/annex_iv_defaults_v1.csv"]
    assert f.status == "superseded" and f.updated == "2026-12-02"
    assert f.superseded_by == "Implementing Regulation (EU) 2026/1740 (table eu/x.csv)"
    assert f.label == "IR 2025/2621, Annex IV"
    # a copy dated 2026-12-02 leaves the as-of date the latest update of the data (2026-12-02 or later)
    assert reference_data_as_of(copied).date == max("2026-12-02", reference_data_as_of().date)


def test_changed_files_name_the_table_its_versions_and_where_the_old_one_is_kept(copied):
    recorded = record_entries(reference_data())
    assert changed_files(recorded, reference_data()) == []
    recorded["eu/annex_iv_defaults.csv"]["act"] = "IR 2025/2621 (first version)"
    recorded["eu/annex_iv_defaults.csv"]["sha256"] = "0" * 64
    recorded["eu/gone.csv"] = {"sha256": "1" * 64, "act": "IR 2000/1"}
    changes = changed_files(recorded, reference_data())
    assert [c.path for c in changes] == ["eu/annex_iv_defaults.csv", "eu/gone.csv"]
    assert changes[0].text() == (
        "annex iv defaults (eu/annex_iv_defaults.csv): IR 2025/2621 (first version) -> "
        "IR 2025/2621 Annex IV as amended by IR 2026/1740"
    )
    assert "no longer in the reference data" in changes[1].text()


def test_inventory_table_and_short_acts():
    table = inventory_table()
    assert len(table) == len(reference_files()) and {"path", "sha256", "updated", "status"} <= set(table)
    assert short_act("Commission Implementing Regulation (EU) 2026/1740 of 20 July 2026") == (
        "IR 2026/1740 of 20 July 2026"
    )
    assert json.loads(reference_files()[0].model_dump_json())["path"]


def test_data_folder_outside_the_package_is_read_the_same_way(copied):
    assert {p: f.sha256 for p, f in by_path(copied).items()} == {p: f.sha256 for p, f in by_path().items()}


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)


def _last_change(path) -> str | None:
    """The date of the last commit that changed ``path`` in any line but its ``updated:`` line."""
    log = _git("log", "--no-merges", "--format=@@commit %cs", "-p", "--unified=0", "--", str(path))
    date = None
    for line in log.stdout.splitlines():
        if line.startswith("@@commit "):
            date = line.split()[1]
        elif (
            date
            and line[:1] in ("+", "-")
            and not line.startswith(("+++", "---"))
            and not re.match(r"[+-]\s*updated:", line)
        ):
            return date
    return None


def test_stated_update_dates_are_the_dates_the_content_last_changed_in_git():
    """What the package states without git at run time, checked with git where the tests run in a
    full checkout: a parameter's metadata.updated and each date of data/updated.yaml is the day of
    the last commit that changed the file (its own updated: line aside). Change a value, and this
    fails until the date is moved to the day of the change."""
    try:
        shallow = _git("rev-parse", "--is-shallow-repository")
    except FileNotFoundError:
        pytest.skip("git is not installed")
    if shallow.returncode or shallow.stdout.strip() != "false":
        pytest.skip("not a full git checkout")
    checked = 0
    for f in reference_files():
        base = prices_dir() if f.path.startswith("reference_prices/") else DATA_DIR
        path = base / f.path.removeprefix("reference_prices/")
        tracked = _git("ls-files", "--error-unmatch", str(path)).returncode == 0
        if not tracked or _git("diff", "--quiet", "HEAD", "--", str(path)).returncode:
            continue  # not committed yet: its date is the day it will be
        assert f.updated == _last_change(path), (
            f"{f.path}: stated {f.updated}, last changed {_last_change(path)}"
        )
        checked += 1
    assert checked or not _git("ls-files").stdout


def test_as_of_needs_no_row_counts_and_says_what_the_full_inventory_says(copied):
    dated = reference_files(copied, rows=False)
    assert all(f.rows is None for f in dated if f.kind == "law table")
    full = reference_files(copied)
    assert [f.model_dump(exclude={"rows"}) for f in dated] == [f.model_dump(exclude={"rows"}) for f in full]
    assert all(f.rows is not None for f in full if f.kind == "law table")
    assert reference_files(copied, rows=False) is full  # the full inventory serves both once built
    assert reference_data_as_of(copied) == (max(f.updated for f in full if f.updated), [])
