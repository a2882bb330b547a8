"""The lines digest of a run record, computed from the engine's arrays, is byte for byte the text
that the f-string loop of before digested: records written before must still check."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cbam_calc.compute.calculate import calculate
from cbam_calc.compute.digest import _text, figures_digest, lines_digest
from cbam_calc.core.model import CalcOptions, DeMinimis

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def before_text(row, certificates, cost_eur) -> str:
    """The digest's text as compute/digest.py made it until 2026-12-01 (the records' format)."""
    part = pd.DataFrame({"row": row, "certificates": certificates, "cost_eur": cost_eur})
    part = part.sort_values("row")
    return "\n".join(f"{r},{c:.6f},{e:.2f}" for r, c, e in part.itertuples(index=False))


def before_digest(lines: pd.DataFrame) -> str:
    text = before_text(lines["row"], lines["certificates"], lines["cost_eur"])
    return hashlib.sha256(text.encode()).hexdigest()


def text_now(row, certificates, cost_eur) -> str:
    row = np.asarray(row)
    o = np.argsort(row, kind="stable")
    c, e = np.asarray(certificates, dtype=float), np.asarray(cost_eur, dtype=float)
    return bytes(_text(row[o], c[o], e[o])).decode()


EDGES = [
    0.0,
    -0.0,  # prints '-0.000000' / '-0.00'
    -1e-9,  # rounds to zero, keeps its sign: '-0.000000'
    0.125,  # an exact tie at 2 decimals: half to even, '0.12'
    0.375,  # '0.38'
    1.125,
    0.0078125,  # 1/128: an exact tie at 6 decimals, '0.007812'
    0.0234375,  # 3/128: '0.023438'
    0.015,  # x * 100 is 1.5 as a float, but 0.015 is 0.01499999...: '0.01' (rint(1.5) would give 0.02)
    0.025,  # 0.0250000000000000013...: '0.03' (rint(2.5) would give 0.02)
    0.045,
    0.055,
    1.5e-06,  # the same at 6 decimals: '0.000002'
    2.5e-06,  # '0.000003'
    3.5e-06,
    -0.015,
    -2.5e-06,
    2.675,  # 2.67499999...: '2.67'
    1.005,
    999999.995,
    4503599627370495.5,  # 2**52 - 0.5: past an exact integer of cents or millionths
    2.0**53,
    1e22,
    -1e22,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    5e-324,
    float("nan"),
    float("inf"),
    float("-inf"),
]


def test_edge_values_print_as_the_f_string_printed_them():
    x = np.array(EDGES)
    rows = np.arange(2, len(x) + 2)
    assert text_now(rows, x, x) == before_text(rows, x, x)
    assert text_now(rows[:3], x[:3], x[:3]) == "2,0.000000,0.00\n3,-0.000000,-0.00\n4,-0.000000,-0.00"
    assert text_now([7], [0.0078125], [0.125]) == "7,0.007812,0.12"
    assert text_now([7], [2.5e-06], [0.015]) == "7,0.000003,0.01"


def test_random_values_rows_out_of_order_and_chunks(monkeypatch):
    rng = np.random.default_rng(20261201)
    n = 30_000
    certificates = np.concatenate(
        [
            rng.uniform(0, 5e4, n // 3),
            np.round(rng.uniform(0, 1e4, n // 3), 3),  # engine-like values on a decimal grid
            rng.integers(0, 10**9, n - 2 * (n // 3)) / 2 ** rng.integers(1, 30, n - 2 * (n // 3)),  # halves
        ]
    )
    # decimal halves (x.xxxxxx5, x.xx5) as the engine makes them: the float product is often a half
    certificates[:5_000] = (rng.integers(0, 10**11, 5_000) * 10 + 5) / 1e7
    certificates[5_000:10_000] = (rng.integers(0, 10**8, 5_000) * 10 + 5) / 1e3
    cost = certificates * rng.choice([75.36, 75.28, 82.32, 0.0], n)
    cost[:2_000] = certificates[5_000:7_000]
    rows = rng.permutation(n) + 2
    want = hashlib.sha256(before_text(rows, certificates, cost).encode()).hexdigest()
    assert figures_digest(rows, certificates, cost) == want
    monkeypatch.setattr("cbam_calc.compute.digest.CHUNK_LINES", 7_001)  # lines hashed chunk by chunk
    assert figures_digest(rows, certificates, cost) == want


def test_no_lines_digest_the_empty_text():
    assert figures_digest([], [], []) == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(
    ("name", "de_minimis"),
    [
        ("shipments_cn_steel.xlsx", DeMinimis.ON),  # one importer under 50 t: its lines owe nothing
        ("shipments_with_errors.csv", DeMinimis.ON),  # rejected rows: lines are not every row
        ("shipments_mixed_actual_default.xlsx", DeMinimis.OFF),
        ("association/shandong_lubei_fertiliser.csv", DeMinimis.ON),
    ],
)
def test_digest_without_the_lines_table_is_the_digest_of_before(name, de_minimis):
    result = calculate(SAMPLES / name, CalcOptions(de_minimis=de_minimis), raise_if_empty=False)
    from_arrays = result.lines_sha256
    assert callable(result.lines_source)  # computed without building the Lines table
    lines = result.lines
    assert from_arrays == before_digest(lines) == lines_digest(lines)


def test_steel_sample_has_an_exempt_importer_in_its_digest():
    """The case above that matters for de minimis (Art 2a): a line waived to 0 certificates."""
    lines = calculate(SAMPLES / "shipments_cn_steel.xlsx").lines
    assert lines["de_minimis_exempt"].any()
    assert (lines.loc[lines["de_minimis_exempt"], "cost_eur"] == 0).all()
