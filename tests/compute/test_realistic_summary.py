"""The realistic association file of bench/gen_realistic.py (20,000 lines) gives the summary that
main's code gave before issue 13's vectorising of number parsing, aggregation, de minimis and
summary (tests/data/realistic/summary_20000.json.gz: `cbam calc FILE --format json` of commit
ad122c6, the file's name left out; regenerated at e9a2918 with the two fields issue 12's de minimis
change added, assumptions.de_minimis_mode and by_cn_code[].eur_per_t_before_exemption, after
checking that nothing else differed). Every figure, de minimis row and warning must stay the same;
the input's sha256 pins the generator too (change the generator: regenerate the expected file
with the code of a commit before the change you are testing). The SHA-256 of the bundled reference
data is left out: it changes whenever a data file is added (the template route table did), and a
change of data that moves a figure shows in the figures. W_ACTUAL_WITHOUT_PRECURSORS (29ca9dd, IR 2620 Eq 3-4)
is a warning added after the expected file, with no figure changed: it must be there, and is
taken out before the comparison. reference_data_as_of moved to 2026-12-02 with the carbon-pricing
reference table of issue 16 (data/carbon_pricing.yaml), to 2026-12-03 with the credit price
assumptions' text (issue 14: its Chinese status in one place); no figure changed. by_period and
actual_vs_default (issue 14) are tables added after the expected file: they must be there, their
periods sum to the cost, and they are taken out before the comparison. The Art 9 reference prices'
averages_code and averages_params (issue 14: the averages as a message, for the report's language)
were added after it too: they must be there, and are taken out; so were the certificate prices'
source_code and source_params (the source as a message: each price's source is a code)."""

from __future__ import annotations

import gzip
import json
import sys

import pytest
from child import run_cbam
from conftest import REPO

EXPECTED = REPO / "tests" / "data" / "realistic" / "summary_20000.json.gz"


@pytest.mark.slow
def test_realistic_20000_lines_summary_unchanged(tmp_path):
    path = tmp_path / "realistic_20000.csv"
    sys.path.insert(0, str(REPO / "bench"))  # the generator and its helpers (gen_data, benchlib)
    try:
        import gen_realistic

        gen_realistic.generate(20_000).to_csv(path, index=False)
    finally:
        sys.path.remove(str(REPO / "bench"))
    r = run_cbam(["calc", str(path), "--format", "json"], cwd=tmp_path)
    assert r.code == 0, r.stderr
    got = json.loads(r.stdout)
    for item in got["inputs"]:
        item.pop("file")
    expected = json.loads(gzip.decompress(EXPECTED.read_bytes()))
    for summary in (got, expected):
        summary.pop("reference_data_sha256")
    assert got["rows_read"] == got["lines"] == 20_000 and got["rejected"] == 0
    assert got["inputs"] == expected["inputs"], "the generator's file changed: regenerate the expected file"
    added = got["warning_codes"].index("W_ACTUAL_WITHOUT_PRECURSORS")
    assert "give no precursor" in got["warnings"][added]
    for key in ("warning_codes", "warning_params", "warnings"):
        assert len(got[key]) == len(got["warning_codes"]), key
    for key in ("warning_codes", "warning_params", "warnings"):
        del got[key][added]
    for p_ref in got["assumptions"]["art9_reference_prices"]:
        assert p_ref.pop("averages_code") == "M_AVG_QUARTERS" and p_ref.pop("averages_params")
    for price in got["assumptions"]["certificate_prices"]:
        assert price.pop("source_code") in ("M_DATA_TEXT", "M_PRICE_STAND_IN_SOURCE")
        assert price.pop("source_params")
    got.pop("prepared", None)  # who and when (issue 14, added on main after the expected file)
    periods = got.pop("by_period")
    assert sum(p["cost_eur"] for p in periods) == pytest.approx(got["cost_eur"], abs=0.05)
    assert got.pop("actual_vs_default")["lines"] > 0
    differing = [k for k in expected if got.get(k) != expected[k]]
    assert not differing, f"summary differs in {differing}"
    assert got == expected
