"""The cost of joining shipment lines to communication templates (apply_templates), in process:
1,000,000 lines over 6 installations and CN codes and 365 import dates, against the Commission's
five filled examples (tests/data/templates). Prints the CPU time, min of 3.

    .venv/bin/python bench/bench_template_join.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cbam_calc.inputs.comm_template import read_templates
from cbam_calc.inputs.readers import read_table
from cbam_calc.inputs.template_match import apply_templates
from cbam_calc.inputs.validate import Validated, validate
from cbam_calc.law.reference import reference_data

REPO = Path(__file__).resolve().parent.parent
ROWS = """cn_code,country,net_mass_t,import_date,see_direct,see_indirect,route,installation,importer
7601 10 10,US,100,2026-02-10,,,,Example Aluminium Producer,Imp A
7605 19 00,US,50,2026-02-10,,,,EXAMPLE aluminium producer,Imp A
2523 29 00,TR,1000,2026-03-10,,,,Example Cement Producer,Imp A
2523 29 00,TR,1000,2026-03-10,0.7,0.1,,Example Cement Producer,Imp A
7208 10 00,CN,200,2026-04-10,,,,Someone else,Imp A
7318 15 42,US,10,2026-05-10,,,,US ABC,Imp A
"""


def main(n: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ship = Path(tmp) / "ship.csv"
        ship.write_text(ROWS, encoding="utf-8")
        v = validate(read_table(ship), reference_data())
    rng = np.random.default_rng(1)
    lines = v.lines.iloc[rng.integers(0, len(v.lines), n)].reset_index(drop=True)
    lines["import_date"] = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    lines["row"] = np.arange(2, n + 2)
    big = Validated(v.raw, lines, v.rejected, v.column_map, [])
    templates = read_templates([REPO / "tests" / "data" / "templates"])
    times = []
    for _ in range(3):
        cpu, wall = time.process_time(), time.perf_counter()
        out = apply_templates(big, templates)
        times.append((time.process_time() - cpu, time.perf_counter() - wall))
    cpu, wall = min(times)
    print(f"apply_templates, {len(out.lines):,} lines: CPU {cpu:.3f} s (min of 3), wall {wall:.3f} s")


if __name__ == "__main__":
    main()
