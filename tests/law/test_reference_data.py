"""The reference tables: provenance on every file, reproducible builds, spot checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from cbam_calc.law.parameters import parameter
from cbam_calc.law.reference import DATA_DIR, reference_data

SHARED_EU = Path(os.environ.get("CBAM_SHARED_EU", REPO.parent / "shared" / "data" / "eu"))


def test_every_table_says_where_its_numbers_come_from():
    for csv in sorted(DATA_DIR.rglob("*.csv")):
        head = csv.read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("#"), f"{csv} has no provenance header"
    for name in ("cn_goods", "benchmarks", "default_values", "annex_iv_defaults"):
        meta = yaml.safe_load((DATA_DIR / "eu" / f"{name}.meta.yaml").read_text(encoding="utf-8"))
        assert meta["source"] and meta["effective_from"] == "2026-01-01"
    # opencbam's transcription travels with its attribution wherever it is still used
    for name in ("cn_goods", "benchmarks", "default_values_2621_v1", "annex_iv_defaults_2621_v1"):
        meta = yaml.safe_load((DATA_DIR / "eu" / f"{name}.meta.yaml").read_text(encoding="utf-8"))
        assert "OpenCBAM" in meta["attribution"] and "Apache" in meta["attribution"]
    assert (DATA_DIR / "eu" / "NOTICE-opencbam").exists()
    # the default values in force are the Commission's (IR 2026/1740), under CC BY 4.0
    for name in ("default_values", "annex_iv_defaults"):
        meta = yaml.safe_load((DATA_DIR / "eu" / f"{name}.meta.yaml").read_text(encoding="utf-8"))
        assert meta["status"] == "law" and "2026/1740" in meta["citation"]
        assert "CC BY 4.0" in meta["attribution"] and "OpenCBAM" not in meta["attribution"]


def test_ir2026_1740_first_version_kept_only_as_superseded_tables():
    # IR 2026/1740 replaced Annexes I and IV of IR 2025/2621 from 1 January 2026: the first version
    # stays in the package, marked superseded, with the hash it was shipped under, and nothing
    # reads it to compute.
    for name, shipped in (
        ("default_values_2621_v1", "eu/default_values.csv"),
        ("annex_iv_defaults_2621_v1", "eu/annex_iv_defaults.csv"),
    ):
        meta = yaml.safe_load((DATA_DIR / "eu" / f"{name}.meta.yaml").read_text(encoding="utf-8"))
        assert meta["status"] == "superseded"
        assert "2026/1740" in meta["superseded_by"]["act"] and meta["superseded_by"]["from"] == "2026-01-01"
        assert meta["shipped_as"]["file"] == shipped and len(meta["shipped_as"]["sha256"]) == 64
        head = (DATA_DIR / "eu" / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("# SUPERSEDED")
    package = REPO / "cbam_calc"
    readers = [p for p in package.rglob("*.py") if "_2621_v1" in p.read_text(encoding="utf-8")]
    assert readers == []


def test_ir2026_1740_tables_hold_base_values_and_printed_route_indicators():
    ref = reference_data()
    dv = ref.default_values
    assert "total_marked_2026" not in dv.columns  # deleted by IR 2026/1740 (recital 10)
    assert dv.loc[dv["country_iso2"].ne("OTHER"), "country_iso2"].nunique() == 121
    assert set(ref.annex_iv_defaults.columns) == {
        "cn_prefix",
        "route",
        "sector",
        "description",
        "highest_tco2e_per_t",
    }
    assert {"C/F", "E/H"} <= set(dv["route"])  # combined indicators as printed
    # cement on TARIC keys; the 8-digit codes carry no value
    tarics = {"2507008080", "2523100010", "2523100090", "2523900010", "2523900090"}
    assert tarics <= set(dv["cn_prefix"]) and tarics <= set(ref.annex_iv_defaults["cn_prefix"])
    assert not {"25070080", "25231000", "25239000"} & set(dv["cn_prefix"])
    # three countries have tables for the first time
    assert {"LR", "GQ", "NC"} <= set(dv["country_iso2"])


@pytest.mark.parametrize(
    "name",
    [
        "cbam_factor",
        "default_markup",
        "cscf",
        "de_minimis",
        "benchmark_period",
        "certificate_price",
        "art9_draft",
        "definitive_period",
    ],
)
def test_every_parameter_cites_its_act(name):
    p = parameter(name)
    assert p.references and p.references[0]["title"]
    assert p.status


def test_annex_ii_direct_only_flags():
    goods = reference_data().goods
    flag = goods["direct_only"].to_dict()
    assert flag["72085120"] and flag["76011010"] and flag["28041000"] and flag["73181100"]
    assert not flag["26011200"]  # agglomerated iron ore: outside Annex II
    assert not flag["25232900"] and not flag["31023090"]
    assert flag["27160000"]  # electricity: no indirect emissions by construction


def test_spot_check_default_values_against_the_commission_excel():
    # Commission's default-value file for IR 2025/2621 as shown (2 decimals) on
    # https://cbamdefaults.com/cbam/product/7208 and /72071210 (values dated 4 Feb 2026; IR 2026/1740
    # changed none of them): direct, then marked up for 2026, 2027, 2028
    #   China 7208: direct 3.19, 2026 3.51, 2027 3.82, 2028 4.14, route C
    #   Other Countries 7208: 4.05 / 4.45 / 4.86 / 5.26; Indonesia 7208: 8.23 / 9.05 / 9.88 / 10.70
    #   China 7207 12 10: 3.17 / 3.49 / 3.80 / 4.12
    from cbam_calc.law.defaults import round3

    dv = reference_data().default_values.set_index(["country_iso2", "cn_prefix"])
    expected = {
        ("CN", "7208"): (3.19, 3.51, 3.82, 4.14),
        ("OTHER", "7208"): (4.05, 4.45, 4.86, 5.26),
        ("ID", "7208"): (8.23, 9.05, 9.88, 10.70),
        ("CN", "72071210"): (3.17, 3.49, 3.80, 4.12),
    }
    for key, values in expected.items():
        direct = float(dv.loc[key]["direct_tco2e_per_t"])
        marked = [round3(direct * (1 + rate)) for rate in (0.10, 0.20, 0.30)]
        assert tuple(round(v + 1e-9, 2) for v in (direct, *marked)) == values, key
    assert dv.loc[("CN", "7208")]["route"] == "C"


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_EU.exists(), reason=f"source tables not present at {SHARED_EU}")
def test_reference_tables_rebuild_byte_for_byte(tmp_path):
    out = tmp_path / "data"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "build_reference.py"),
            "--source",
            str(SHARED_EU),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"build_reference.py failed:\n{done.stderr[-3000:]}"
    for built in sorted(out.rglob("*")):
        if built.is_file():
            committed = DATA_DIR / built.relative_to(out)
            assert committed.read_bytes() == built.read_bytes(), f"{committed} differs from a rebuild"


@pytest.mark.skipif(
    not (SHARED_EU / "commission").exists(), reason=f"Commission workbooks not present at {SHARED_EU}"
)
def test_tables_agree_with_the_commission_workbooks():
    """scripts/check_commission_workbooks.py: what the Commission's own workbooks say about our
    tables (values at the 3 decimals the Official Journal prints)."""
    sys.path.insert(0, str(REPO / "scripts"))
    import check_commission_workbooks as check

    found = check.check(SHARED_EU)
    # IR 2025/2620 benchmarks: every Column A and B value, route and period, and nothing else
    b = found["benchmarks"]
    assert b["only_in_workbook"] == [] and b["only_in_table"] == [] and b["workbook_values"] == 2465
    # the superseded first version against the Commission's first workbook (v20260204)
    s = found["superseded_default_values"]
    assert s["rows_compared"] == 11391 and s["value_differences"] == []
    assert s["marked_up_differences"] == 1  # Albania 2523 21 00: marked-up figures without a base value
    assert s["value_rows_only_in_workbook"] == [
        ("CG", "28041000", ""),
        ("CL", "73061100", ""),
        ("EC", "28041000", ""),
        ("QA", "28041000", ""),
    ]  # lost by the first transcription
    assert s["sheets_without_table"] == ["Equatorial Guinea"]
    lost = {cn for cn, wb, table, _ in s["route_differences"] if "/" in wb and not table}
    assert lost == {"7227", "722830", "722850", "722870", "7229", "730439", "730459"}  # combined indicators
    corrected = {(cn, wb, table) for cn, wb, table, _ in s["route_differences"] if "/" not in wb}
    assert corrected == {("25070080", "A", ""), ("25231000", "", "B"), ("25239000", "", "B")}
    # the first workbook's marked-up columns are not always the printed total x (1 + mark-up)
    m = found["first_workbook_markup"]
    assert m["other"] == 461 and m["compounded"] == 5
    # what IR 2026/1740 changed (ir_2026_1740/SOURCES.md and DIFF_CN.md say the same)
    c = found["ir_2026_1740_changes"]
    assert c["value_changes"] == 38 and c["value_changes_by_table"] == {"OTHER": 5, "TH": 33}
    assert c["rows_gone"] == 33 and c["rows_gone_by_table"]["TW"] == 27
    assert c["tables_new"] == ["GQ", "LR", "NC"]
    assert c["route_changes_of"]["OTHER"] == [
        ("7205", "C", "C/F"),
        ("72251990", "F", "C"),
        ("72261980", "F", "C"),
        ("73063018", "", "C"),
        ("73181210", "C", ""),
        ("73181410", "C", ""),
    ]
    assert ("2507008080", "A", "") in c["route_changes_of"]["CN"]
