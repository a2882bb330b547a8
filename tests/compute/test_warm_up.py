"""The command line loads the reference data while its CSV is still read in the background
(law.warm.warm_up): only caches are filled, the run's summary is the same."""

import threading

from cbam_calc.compute import calculate as calc_module
from cbam_calc.inputs import csv_arrow
from cbam_calc.law.reference import ReferenceData, reference_data
from cbam_calc.law.warm import warm_up

BODY = (
    "cn_code,country_of_origin,net_mass_t,import_date,see_direct,see_indirect\n"
    "72081000,CN,12.5,2026-03-02,,\n"
    "76011000,IN,3.25,2026-05-20,8.1,0.4\n"
)


def test_warm_up_fills_the_caches_of_a_run_and_changes_no_figure(tmp_path, monkeypatch):
    path = tmp_path / "shipments.csv"
    path.write_text(BODY, encoding="utf-8")
    fresh = ReferenceData(reference_data().data_dir, reference_data().prices_dir)
    warm_up(fresh)
    for name in ("goods", "default_values", "benchmarks", "certificate_prices", "fingerprint"):
        assert name in fresh.__dict__  # read ahead, not when the run needs it
    for derived in ("default_groups", "taric_goods", "benchmark_index"):  # the lookups' indexes
        assert fresh.derived_so_far(derived) is not None, derived
    cold = calc_module.calculate(path).summary.model_dump(mode="json")

    release = threading.Event()
    real = csv_arrow.read_now
    warmed = []

    def held(*args):
        release.wait(10)
        return real(*args)

    def warm_then_release(ref):
        warmed.append(ref)
        warm_up(ref)
        release.set()  # the read goes on once the reference data is loaded

    monkeypatch.setattr(csv_arrow, "read_now", held)
    monkeypatch.setattr(calc_module, "warm_up", warm_then_release)
    csv_arrow.prefetch(path)
    hot = calc_module.calculate(path).summary.model_dump(mode="json")
    csv_arrow.settle()
    assert len(warmed) == 1  # warmed while the read was running
    assert hot == cold
