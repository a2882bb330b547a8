"""What is derived from the reference data (ReferenceData.derived): built once per object and key,
kept on that object alone; a copy with other tables (ReferenceData.with_tables, the scenarios'
prices carried forward) shares the tables and indexes read so far and derives the rest itself."""

from __future__ import annotations

import pandas as pd
import pytest

from cbam_calc.law import defaults, free_allocation
from cbam_calc.law.proposals import extended_reference
from cbam_calc.law.reference import ReferenceData, reference_data

BUNDLED = reference_data()


def fresh() -> ReferenceData:
    return ReferenceData(BUNDLED.data_dir, BUNDLED.prices_dir)


def test_built_once_per_name_and_key_and_kept_on_its_object():
    ref, other = fresh(), fresh()
    built = []

    def build(what):
        built.append(what)
        return [what]

    first = ref.derived("test", lambda: build("a"), "EUR")
    assert ref.derived("test", lambda: build("again"), "EUR") is first  # not built again
    assert ref.derived("test", lambda: build("b"), "CNY") == ["b"]  # another key: its own
    assert ref.derived("other test", lambda: build("c"), "EUR") == ["c"]  # another name: its own
    assert ref.derived_so_far("test", "EUR") is first
    assert other.derived_so_far("test", "EUR") is None  # another object derives its own
    assert other.derived("test", lambda: build("d"), "EUR") == ["d"]
    assert built == ["a", "b", "c", "d"]


def test_the_lookups_index_the_tables_once():
    ref = fresh()
    assert ref.derived_so_far("benchmark_index") is None
    index = free_allocation._index(ref)
    assert free_allocation._index(ref) is index
    # IR 2025/2620 Annex: every benchmark row is in the index once, under its code and column
    assert sum(len(v) for v in index.values()) == len(ref.benchmarks)
    groups = defaults._groups(ref)
    assert defaults._groups(ref) is groups and ref.derived_so_far("default_groups") is groups
    assert ref.file_sha256(ref.files[0]) == ref.derived_so_far("file_sha256", ref.files[0])


def test_a_copy_with_other_tables_shares_what_was_derived_and_keeps_its_own():
    ref = fresh()
    index = free_allocation._index(ref)  # derived before the copy
    prices = ref.certificate_prices
    longer = pd.concat([prices, prices.tail(1).assign(period="2099")], ignore_index=True)
    copy = ref.with_tables(certificate_prices=longer)
    assert copy.certificate_prices is longer and ref.certificate_prices is prices  # ref unchanged
    assert copy.benchmarks is ref.benchmarks  # read once, shared
    assert free_allocation._index(copy) is index  # derived before: shared
    groups = defaults._groups(copy)  # derived after, on the copy: the copy's alone
    assert ref.derived_so_far("default_groups") is None and defaults._groups(copy) is groups
    with pytest.raises(ValueError, match="not a table"):
        ref.with_tables(certficate_prices=longer)


def test_scenarios_extended_reference_carries_prices_forward_on_a_copy():
    ref = fresh()
    last = int(pd.to_numeric(ref.certificate_prices["period"], errors="coerce").max())
    out = extended_reference(ref, last + 2)
    assert out is not ref
    added = out.certificate_prices[out.certificate_prices["period"].isin([str(last + 1), str(last + 2)])]
    assert list(added["status"]) == ["projection", "projection"]
    assert str(last + 1) not in set(ref.certificate_prices["period"])  # the run's own data unchanged
