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
        assert "OpenCBAM" in meta["attribution"] and "Apache" in meta["attribution"]
    assert (DATA_DIR / "eu" / "NOTICE-opencbam").exists()


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
    # https://cbamdefaults.com/cbam/product/7208 and /72071210 (values dated 4 Feb 2026):
    #   China 7208: direct 3.19, 2026 3.51, 2027 3.82, 2028 4.14, route C
    #   Other Countries 7208: 4.05 / 4.45 / 4.86 / 5.26; Indonesia 7208: 8.23 / 9.05 / 9.88 / 10.70
    #   China 7207 12 10: 3.17 / 3.49 / 3.80 / 4.12
    dv = reference_data().default_values.set_index(["country_iso2", "cn_prefix"])
    cols = ["direct_tco2e_per_t", "total_marked_2026", "total_marked_2027", "total_marked_2028"]
    expected = {
        ("CN", "7208"): (3.19, 3.51, 3.82, 4.14),
        ("OTHER", "7208"): (4.05, 4.45, 4.86, 5.26),
        ("ID", "7208"): (8.23, 9.05, 9.88, 10.70),
        ("CN", "72071210"): (3.17, 3.49, 3.80, 4.12),
    }
    for key, values in expected.items():
        row = dv.loc[key]
        row = row.iloc[0] if row.ndim > 1 else row
        assert tuple(round(float(row[c]) + 1e-9, 2) for c in cols) == values, key
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
