"""The cost of the carbon-prices table in the engine, in process: 1,000,000 lines over 2,000
installations (half of them in the table) and 3 CN codes, 2,000 instrument rows (CEA 95 % + CCER
5 % per installation): the join (match_instruments), then compute.instrument_lines.table_treatment
(rates per currency and year, law.instruments.treat and per_line over every pair, the sums per
line, the Lines labels) and table_columns. Prints the CPU time of each, min of 3.

    .venv/bin/python bench/bench_carbon_prices.py
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pandas as pd

from cbam_calc.compute.instrument_lines import (
    instrument_inputs_of,
    instrument_treatment,
    table_columns,
    table_treatment,
)
from cbam_calc.inputs import carbon_prices as cp

N, K = 1_000_000, 2_000


def data():
    rng = np.random.default_rng(20261600)
    plants = [f"Plant {i}" for i in range(K // 2)]
    names = np.array(plants + [f"Other {i}" for i in range(K // 2)], dtype=object)
    lines = pd.DataFrame(
        {
            "installation": pd.Categorical(names[rng.integers(0, K, N)]),
            "cn_code": pd.Categorical(
                np.array(["72085120", "72083900", "76011000"], dtype=object)[rng.integers(0, 3, N)]
            ),
            "year": rng.integers(2026, 2028, N),
            "net_mass_t": rng.uniform(1, 100, N),
            "row": np.arange(N) + 2,
            "carbon_price_paid": np.full(N, np.nan),
            "carbon_price_per_tco2e": np.zeros(N, dtype=bool),
            "carbon_price_free_share": np.full(N, np.nan),
            "carbon_price_rebate": np.full(N, np.nan),
        }
    )
    rows = []
    for i in range(K):
        cea = i % 2 == 0
        plant = plants[i // 2]
        rows.append(
            {
                "source": cp.SOURCE_FILE,
                "file": "cp.csv",
                "sheet": "",
                "row": i + 2,
                "installation": plant,
                "installation_key": cp.normalised_name(plant),
                "cn_code": "",
                "year": 0,
                "kind": "",
                "mechanism": "cnets",
                "unit": "ets_allowance" if cea else "ccer",
                "use": "compliance",
                "covered_share": 0.95 if cea else 0.05,
                "price": 66.86 if cea else 79.91,
                "per_tco2e": True,
                "currency": "CNY",
                "free_share": 0.9 if cea else np.nan,
                "rebate": np.nan,
                "evidenced": True,
            }
        )
    inst = pd.DataFrame(rows)
    inst["rank"] = cp.rank_of(inst["cn_code"].to_numpy(dtype=object), inst["year"].to_numpy())
    return lines, inst[list(cp.INSTRUMENT_COLUMNS)], rng.uniform(0.5, 3.0, N)


def main() -> None:
    lines, inst, see = data()
    country = pd.Categorical(np.full(N, "CN", dtype=object))
    year = lines["year"].to_numpy()
    best = {"join": [], "table_treatment": [], "table_columns": []}
    for _ in range(3):
        t0 = time.process_time()
        join = replace(cp.match_instruments(inst, lines), instruments=inst)
        t1 = time.process_time()
        tt = table_treatment(join, lines, country, see, year, lambda c, y: np.full(len(c), 7.8757))
        t2 = time.process_time()
        _, _, cols = instrument_treatment(
            instrument_inputs_of(lines), country, see, np.full(N, np.nan), np.zeros(N, bool)
        )
        t3 = time.process_time()
        table_columns(cols, tt, tt.has_paid)
        t4 = time.process_time()
        best["join"].append(t1 - t0)
        best["table_treatment"].append(t2 - t1)
        best["table_columns"].append(t4 - t3)
    print(f"{N:,} lines, {K:,} instrument rows, {len(join.pairs):,} pairs; CPU s, min of 3:")
    for k, v in best.items():
        print(f"  {k:16s} {min(v):.2f}")


if __name__ == "__main__":
    main()
