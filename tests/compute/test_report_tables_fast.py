"""The report tables summed on integer codes (aggregate.FineSums) are the roll-ups of the fine
aggregate to the last bit, and CalcResult.first_lines is the head of the Lines table, built alone
(issue 13: the HTML page of a million lines)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLES, steel, write_csv

from cbam_calc.compute import aggregate as A
from cbam_calc.compute.calculate import calculate

FILES = [
    SAMPLES / "shipments_with_errors.csv",
    SAMPLES / "shipments_cn_steel.xlsx",  # importers exempt under de minimis
    SAMPLES / "shipments_cement.csv",
]


def by_fine_aggregate(result) -> list[A.ReportTable]:
    """calc_tables as defined: every table a roll-up of fine_aggregate."""
    fine = A.fine_aggregate(result)

    def table(name, grouping, frame=fine):
        keys = A.GROUPINGS[grouping]
        return A.ReportTable(name, "", keys, A.figures(A.rollup(frame, keys), keys))

    tables = [table("by_sector", "sector"), table("by_cn_code", "cn_code"), table("by_country", "country")]
    keys = tables[1].keys
    before = A.figures(A.rollup(A.fine_aggregate(result, before_de_minimis=True), keys), keys)
    before = before[[*keys, "eur_per_t"]].rename(columns={"eur_per_t": "eur_per_t_before_exemption"})
    tables[1] = A.ReportTable("by_cn_code", "", keys, tables[1].frame.merge(before, on=keys, how="left"))
    for name in ("importer", "installation"):
        if fine[name].ne("").any():
            tables.append(table(f"by_{name}", name))
    return tables


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_calc_tables_are_the_fine_roll_ups_to_the_last_bit(path):
    result = calculate(path)
    fast, slow = A.calc_tables(result), by_fine_aggregate(result)
    assert [t.name for t in fast] == [t.name for t in slow]
    for a, b in zip(fast, slow):
        pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True, obj=a.name)


def _groups(importers: list, installations: list) -> pd.DataFrame:
    cat = pd.Categorical
    return pd.DataFrame(
        {
            "year": np.array([2026, 2026, 2026, 2027]),
            "sector": cat(["iron_steel"] * 4),
            "cn_code": cat(["72085120"] * 4),
            "country_iso2": cat(["CN", "CN", "IN", "CN"]),
            "importer": cat(importers),
            "installation": cat(installations),
            "net_mass_t": [1.0, 2.0, np.nan, -0.0],
            "embedded_tco2e": [0.1, 0.2, 0.3, 0.4],
            "free_allocation_tco2e": [0.0, 0.0, 0.0, 0.0],
            "art9_reduction_tco2e": [0.0, 0.0, 0.0, 0.0],
            "certificates": [1e-7, 3.3, 0.1, 0.2],
            "cost_eur": [-0.0, 10.0, np.nan, 1.0],
            "_lines": np.array([1, 1, 1, 2]),
        }
    )


@pytest.mark.parametrize(
    "importers, installations, one_row_per_key",
    [
        ([None, "nan", "B", "B"], ["", "", "x", "-0"], True),  # a missing importer is not 'nan'
        (["A", "A", "B", "B"], ["", "", "x", "x"], False),  # two groups of one key: pandas sums them
    ],
)
def test_missing_values_nan_and_repeated_keys_sum_as_the_text_does(importers, installations, one_row_per_key):
    g = _groups(importers, installations)
    result = SimpleNamespace(groups=g, groups_before=g)
    fine = A.FineSums(g)
    assert (fine.order is not None) == one_row_per_key
    for keys in (["importer"], ["installation"], ["country_iso2"], A.GROUPINGS["cn_code"], ["year"]):
        want = A.rollup(A.fine_aggregate(result), keys)
        pd.testing.assert_frame_equal(fine.sums(keys), want, check_exact=True)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The values of a frame (a categorical's categories may differ for the same values)."""
    frame = frame.copy()
    for c in frame.columns:
        if isinstance(frame[c].dtype, pd.CategoricalDtype):
            frame[c] = frame[c].to_numpy(dtype=object)
    return frame


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_first_lines_are_the_head_of_the_lines(path):
    result = calculate(path)
    heads = {n: result.first_lines(n) for n in (0, 1, 4, 1000)}
    assert callable(result.lines_source)  # built alone: the whole table was not
    for n, head in heads.items():
        pd.testing.assert_frame_equal(_plain(head), _plain(result.lines.head(n)), check_exact=True)
    # once the table is built, its head
    pd.testing.assert_frame_equal(result.first_lines(3), result.lines.head(3))


def test_no_exemption_no_second_sum_of_the_groups(run):
    result = run([steel(net_mass_t="500")])
    assert result.groups_before is result.groups
    exempt = calculate(SAMPLES / "shipments_cn_steel.xlsx")
    assert exempt.groups_before is not exempt.groups


def test_first_lines_skip_rejected_rows(tmp_path):
    rows = [steel(cn_code="9999 99 99"), steel(net_mass_t="7"), steel(cn_code="bad"), steel(net_mass_t="9")]
    result = calculate(write_csv(tmp_path / "mixed.csv", rows))
    assert list(result.first_lines(1)["row"]) == [3]
    assert list(result.first_lines(5)["row"]) == [3, 5]


@pytest.mark.parametrize(
    "importers, installations, before_eur, after_eur",
    [
        # labels sorted as text, the missing importer last: B (nan + 1.0), 'nan' (10.0), None (-0.0)
        ([None, "nan", "B", "B"], ["", "", "x", "-0"], [1.0, 10.0, 0.0], [0.0, 10.0, 0.0]),
        # two groups of one key (pandas sums them): A (-0.0 + 10.0), B (nan + 1.0)
        (["A", "A", "B", "B"], ["", "", "x", "x"], [10.0, 1.0], [10.0, 0.0]),
    ],
)
def test_art2a_goods_cost_before_de_minimis_is_summed_with_the_groups_after_it(
    importers, installations, before_eur, after_eur
):
    """Importer B exempt (Regulation (EU) 2023/956 Art 2a): its cost is 0 after de minimis, and
    the by-CN price of a tonne before the exemption sums the cost it would have paid, from the
    same FineSums (no second aggregate)."""
    before = _groups(importers, installations)
    after = before.copy()
    after["cost_eur"] = np.where(after["importer"].eq("B"), 0.0, after["cost_eur"])
    fine = A.FineSums(after, before=before)
    sums = fine.sums(["importer"], before=True)
    assert sums[A.BEFORE].tolist() == before_eur
    assert sums["goods_cost_eur"].tolist() == after_eur
    want = A.rollup(A.fine_aggregate(SimpleNamespace(groups=before, groups_before=before)), ["importer"])
    np.testing.assert_array_equal(sums[A.BEFORE].to_numpy(), want["goods_cost_eur"].to_numpy())


def test_groups_before_de_minimis_must_be_the_rows_of_the_groups_after_it():
    g = _groups(["A", "B", "C", "D"], ["", "", "", ""])
    with pytest.raises(AssertionError, match="not the rows"):
        A.FineSums(g, before=g.iloc[::-1].reset_index(drop=True))
