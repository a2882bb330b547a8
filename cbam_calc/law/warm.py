"""What every run reads of the reference data, loaded ahead: the command line does it while its
CSV is still being read in the background (the main thread would otherwise wait for the reader),
so that the run after the read does not read, parse and index the law's tables then.

Only caches are filled: a figure or message of a run is the same with or without it."""

from __future__ import annotations

from cbam_calc.law import defaults, free_allocation, proposals
from cbam_calc.law.citations import citation
from cbam_calc.law.destination import customs_territory
from cbam_calc.law.inventory import reference_data_as_of
from cbam_calc.law.parameters import parameter
from cbam_calc.law.reference import ReferenceData

# the tables a run reads (ReferenceData's cached properties), the parameters and citations
TABLES = (
    "goods",
    "annex_i_scope",
    "countries",
    "country_aliases",
    "default_values",
    "annex_iv_defaults",
    "benchmarks",
    "certificate_prices",
    "fx_annual",
    "default_carbon_prices",
    "fingerprint",
)
PARAMETERS = (
    "benchmark_period",
    "cbam_factor",
    "certificate_price",
    "cnets",
    "cscf",
    "de_minimis",
    "default_markup",
    "definitive_period",
)


def warm_up(ref: ReferenceData) -> None:
    """Read and index the reference data a run uses (each cache as the run would fill it)."""
    for name in TABLES:
        getattr(ref, name)
    for name in PARAMETERS:
        parameter(name)
    defaults.warm_up(ref)
    free_allocation.warm_up(ref)
    proposals.cbam_factor_schedules()
    customs_territory(ref.data_dir)
    citation("embedded_emissions")
    reference_data_as_of(ref)
