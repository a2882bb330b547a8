"""Art 2a in ``cbam batch``: the 50 t threshold belongs to the importer (the declarant), whoever its
suppliers are, so a batch sums each importer over every member's file (issue 12).

Worked by hand: every line is the same China hot-rolled coil (7208 51 20, Q1 2026, default
values), so its cost is linear in tonnes: ``cost = t x X`` with X the EUR per tonne of one line
computed with de minimis off.
"""

from __future__ import annotations

import pytest
from conftest import steel, write_csv

from cbam_calc.compute.batch import run_batch
from cbam_calc.compute.calculate import calculate
from cbam_calc.core.model import CalcOptions, DeMinimis
from cbam_calc.law.importers import eori_of, importer_keys, normalised_name, with_eori

ACME = "Acme GmbH (DE123456789012345)"


@pytest.fixture(scope="module")
def per_t(tmp_path_factory) -> float:
    """X: EUR per tonne of one coil line, every line priced."""
    path = write_csv(tmp_path_factory.mktemp("x") / "one.csv", [steel(net_mass_t="100")])
    r = calculate(path, CalcOptions(de_minimis=False))
    return r.summary.cost_eur / 100


def members(folder, files: dict[str, list[dict]]):
    folder.mkdir()
    for name, rows in files.items():
        write_csv(folder / f"{name}.csv", rows)
    return folder


@pytest.fixture
def association(tmp_path):
    """Acme: 30 t from alpha (EORI in brackets) + 25 t from beta (EORI column, name spelt
    otherwise) = 55 t > 50 t. Beta Handel: 20 t + 20 t = 40 t <= 50 t, its name spelt three ways.
    Gamma: 60 t, from alpha only."""
    return members(
        tmp_path / "members",
        {
            "alpha": [
                steel(net_mass_t="30", importer=ACME),
                steel(net_mass_t="20", importer="Beta Handel GmbH"),
                steel(net_mass_t="60", importer="Gamma SpA"),
            ],
            "beta": [
                steel(net_mass_t="25", importer="ACME GMBH", EORI="DE 1234 5678 9012 345"),
                steel(net_mass_t="12", importer="BETA HANDEL GMBH.", EORI=""),
                steel(net_mass_t="8", importer="Ｂｅｔａ　Ｈａｎｄｅｌ　ＧｍｂＨ", EORI=""),
            ],
        },
    )


def dm_row(batch, importer_start: str):
    rows = batch.de_minimis[batch.de_minimis["importer"].str.startswith(importer_start)]
    assert len(rows) == 1, batch.de_minimis
    return rows.iloc[0]


def test_art2a_batch_sums_one_importer_over_every_members_file(association, per_t):
    b = run_batch([association])
    acme = dm_row(b, "Acme")
    assert acme["annex_i_mass_t"] == pytest.approx(55.0)  # 30 + 25, matched by EORI
    assert not acme["exempt"] and acme["member"] == "alpha, beta"
    beta = dm_row(b, "Beta Handel GmbH")
    assert beta["annex_i_mass_t"] == pytest.approx(40.0)  # 20 + 12 + 8, matched by name
    assert beta["exempt"] and beta["member"] == "alpha, beta"
    assert len(b.de_minimis) == 3  # Acme, Beta, Gamma: one row per importer, not per file
    # priced: Acme 55 t and Gamma 60 t; Beta's 40 t exempt
    assert b.totals["cost_eur"] == pytest.approx((55 + 60) * per_t, abs=0.02)
    cost = {f.member: f.cost_eur for f in b.files}
    assert cost == pytest.approx({"alpha": 90 * per_t, "beta": 25 * per_t}, abs=0.02)
    by_member = b.members().set_index("member")["cost_eur"]
    assert by_member["beta"] == pytest.approx(25 * per_t, abs=0.02)
    assert b.assumptions.de_minimis_mode == "importer"


def test_art2a_per_file_keeps_each_members_file_on_its_own(association, per_t):
    b = run_batch([association], CalcOptions(de_minimis="per-file"))
    # alpha: Acme 30 t exempt, Beta 20 t exempt, Gamma 60 t priced; beta: Acme 25 t and Beta 20 t exempt
    assert b.totals["cost_eur"] == pytest.approx(60 * per_t, abs=0.02)
    assert len(b.de_minimis) == 6  # one row per (file, importer as the file spells it)
    assert b.assumptions.de_minimis_mode == "per-file"


def test_art2a_off_prices_every_line_of_the_batch(association, per_t):
    b = run_batch([association], CalcOptions(de_minimis="off"))
    assert b.totals["cost_eur"] == pytest.approx((30 + 20 + 60 + 25 + 12 + 8) * per_t, abs=0.02)
    assert not b.de_minimis["exempt"].astype(bool).any()
    assert b.assumptions.de_minimis is False and b.assumptions.de_minimis_mode == "off"


def test_art2a_an_unnamed_importer_is_never_matched_across_files(tmp_path, per_t):
    folder = members(
        tmp_path / "m",
        {"a": [steel(net_mass_t="30")], "b": [steel(net_mass_t="31")]},  # no importer column
    )
    b = run_batch([folder])
    assert list(b.de_minimis["member"]) == ["a", "b"]  # each file's own "(all lines)"
    assert b.de_minimis["exempt"].astype(bool).all()
    assert b.totals["cost_eur"] == 0


def test_art2a_electricity_never_counts_and_is_never_exempt(tmp_path):
    folder = members(
        tmp_path / "m",
        {
            "a": [
                steel(net_mass_t="10", importer="X"),
                steel(cn_code="2716 00 00", net_mass_t="500", importer="X", see_direct="0.5"),
            ],
            "b": [steel(net_mass_t="10", importer="x")],
        },
    )
    b = run_batch([folder])
    row = dm_row(b, "X")
    assert row["annex_i_mass_t"] == pytest.approx(20.0) and row["exempt"]
    assert b.groupings["sector"].set_index("sector").loc["electricity", "cost_eur"] > 0
    assert b.groupings["sector"].set_index("sector").loc["iron_steel", "cost_eur"] == 0


@pytest.mark.slow
def test_art2a_batch_cli_choices_and_the_hidden_alias(association, tmp_path):
    import json

    from child import run_cbam

    got = {}
    for args in (
        [],
        ["--de-minimis", "importer"],
        ["--de-minimis", "per-file"],
        ["--de-minimis", "off"],
        ["--no-de-minimis"],
    ):
        r = run_cbam(["batch", association, "--format", "json", *args], tmp_path)
        assert r.code == 0, r.stderr
        out = json.loads(r.stdout)
        got[" ".join(args)] = (out["totals"]["cost_eur"], out["assumptions"]["de_minimis_mode"])
    assert got[""] == got["--de-minimis importer"]
    assert got["--no-de-minimis"] == got["--de-minimis off"]
    assert [m for _, m in got.values()] == ["importer", "importer", "per-file", "off", "off"]
    bad = run_cbam(["batch", association, "--de-minimis", "on"], tmp_path)
    assert bad.code == 2 and "'on' is not one of" in bad.stderr
    clash = run_cbam(["batch", association, "--no-de-minimis", "--de-minimis", "importer"], tmp_path)
    assert clash.code == 2 and "--no-de-minimis contradicts --de-minimis importer" in clash.stderr


def test_art2a_eori_and_names_as_keys():
    assert eori_of(ACME) == "DE123456789012345"
    assert eori_of("Acme GmbH（DE123456789012345）") == "DE123456789012345"  # full-width brackets
    assert eori_of("de 1234 5678 9012 345") == "DE123456789012345"  # the EORI alone
    assert eori_of("BASF") == "" and eori_of("Acme (ABC)") == ""  # no digit: a name, not an EORI
    assert eori_of("Acme (DE1234567890123456)") == ""  # 16 characters after the country code
    assert eori_of("Importer 5 GmbH") == ""  # IMPORTER5GMBH: mostly letters, a name
    assert eori_of("Aluminios Levante S.L. (ESB46123456)") == "ESB46123456"
    assert normalised_name("ＡＣＭＥ  GmbH.") == normalised_name("acme gmbh") == "acmegmbh"
    keys = importer_keys([ACME, "DE123456789012345", "Acme GmbH", "", "上海贸易有限公司"])
    assert list(keys) == [
        "eori:DE123456789012345",
        "eori:DE123456789012345",
        "name:acmegmbh",
        "",
        "name:上海贸易有限公司",
    ]
    named = with_eori(["Acme", "", ACME, "Beta"], ["de123456789012345", "FR1234", "DE123456789012345", ""])
    assert list(named) == [ACME.replace("Acme GmbH", "Acme"), "FR1234", ACME, "Beta"]


def test_art2a_the_eori_column_is_recognised_in_english_and_chinese(tmp_path):
    from cbam_calc.inputs.columns import canonical_name

    for header in ("EORI", "Importer EORI", "EORI number", "进口商EORI", "EORI号", "importer_eori"):
        assert canonical_name(header) == "importer_eori", header
    path = write_csv(tmp_path / "e.csv", [steel(importer="Acme", **{"进口商EORI": "DE123456789012345"})])
    r = calculate(path)
    assert [d.importer for d in r.summary.de_minimis] == ["Acme (DE123456789012345)"]


def test_art2a_options_accept_the_bool_of_before_and_refuse_other_texts():
    assert CalcOptions(de_minimis=True).de_minimis is DeMinimis.ON
    assert CalcOptions(de_minimis=False).de_minimis is DeMinimis.OFF
    assert CalcOptions(de_minimis="per-file").de_minimis is DeMinimis.PER_FILE
    assert not CalcOptions(de_minimis="off").de_minimis and CalcOptions().de_minimis
    with pytest.raises(ValueError, match="de_minimis"):
        CalcOptions(de_minimis="no")
    dumped = CalcOptions(de_minimis="importer").model_dump(mode="json")
    assert dumped["de_minimis"] == "importer" and CalcOptions(**dumped).de_minimis is DeMinimis.IMPORTER


def test_art2a_a_batch_recorded_before_the_choice_is_checked_per_file():
    from cbam_calc.outputs.run_record import record_options

    old = {"command": "batch", "options": {"de_minimis": True}}
    assert record_options(old, "r.xlsx").de_minimis is DeMinimis.PER_FILE
    assert (
        record_options({"command": "calc", "options": {"de_minimis": True}}, "r.xlsx").de_minimis
        is DeMinimis.ON
    )
    new = {"command": "batch", "options": {"de_minimis": "importer"}}
    assert record_options(new, "r.xlsx").de_minimis is DeMinimis.IMPORTER
