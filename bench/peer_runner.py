"""Run shipment lines through opencbam's ``assess_good`` (one Decimal computation per line).

Executed by bench/bench_peer.py with bench/_venv_peer/bin/python (opencbam is installed there
only, never in the project's environment). Standard library + opencbam; no numpy, no pandas.

    python peer_runner.py LINES.csv COUNTRIES.json OUT.csv --price 75.36 --repeat 3

LINES.csv has the columns of cbam calc's input (cn_code, country as ISO code, net_mass_t,
import_date, see_direct, see_indirect, route, ...). COUNTRIES.json maps ISO codes to the names of
the IR 2025/2621 tables, which opencbam keys its default values on. Every line is assessed with
one importer in mind (no de minimis), the given certificate price, no carbon price paid, and:
actual data -> verified=True; cement clinker and cements (2523 10/21/29/90) -> functional_unit_mass
= the product mass (opencbam requires a clinker quantity there; cbam-calc works per tonne of
product). Prints a JSON line of timings; writes one CSV row per line with opencbam's figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from decimal import Decimal
from importlib import metadata

from opencbam.engine.defaults import get_default_route, get_marked_up_default
from opencbam.engine.goods import sector_for_cn
from opencbam.engine.orchestrator import assess_good
from opencbam.engine.reference import Route, is_clinker_functional_unit
from opencbam.engine.types import DataSource, Sector

OUT_COLUMNS = [
    "row",
    "status",
    "error",
    "data_source",
    "fu_mass",
    "see_direct",
    "see_indirect",
    "see_obligation",
    "embedded",
    "benchmark",
    "benchmark_route",
    "sefa",
    "free_allocation",
    "certificates",
    "liability_eur",
]


def benchmark_route(kw: dict) -> str:
    """The route opencbam's orchestrator uses for the benchmark (its own logic, restated)."""
    route = kw.get("route")
    if kw["data_source"] == DataSource.ACTUAL:
        return route.value if route else ""
    dv_route = route.value if route and route.value in ("A", "B") else None
    if (
        dv_route
        and get_marked_up_default(kw["country"], kw["cn_code"], kw["year"], route=dv_route) is not None
    ):
        return dv_route
    try:
        return get_default_route(kw["country"], kw["cn_code"]) or ""
    except ValueError:
        return "?"


def prepare(path: str, names: dict[str, str], price: Decimal) -> list[dict]:
    out = []
    with open(path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cn = "".join(ch for ch in r["cn_code"] if ch.isdigit())
            actual = r["see_direct"].strip() != ""
            mass = Decimal(r["net_mass_t"])
            kw = {
                "cn_code": cn,
                "country": names.get(r["country"], r["country"]),
                "mass": mass,
                "year": int(r["import_date"][:4]),
                "data_source": DataSource.ACTUAL if actual else DataSource.DEFAULT,
                "sector": Sector(sector_for_cn(cn)),
                "certificate_price": price,
                "route": Route(r["route"]) if r["route"].strip() else None,
                "verified": actual,
            }
            if actual:
                kw["see_direct_actual"] = Decimal(r["see_direct"])
                if r["see_indirect"].strip():
                    kw["see_indirect_actual"] = Decimal(r["see_indirect"])
            if is_clinker_functional_unit(cn):
                kw["functional_unit_mass"] = mass  # product mass: see the module docstring
            out.append(kw)
    return out


def run(kws: list[dict]) -> list:
    results = []
    for kw in kws:
        try:
            results.append(assess_good(**kw))
        except ValueError as e:
            results.append(e)
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("lines")
    ap.add_argument("countries")
    ap.add_argument("out")
    ap.add_argument("--price", default="75.36")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with open(args.countries, encoding="utf-8") as fh:
        names = json.load(fh)
    t0 = time.perf_counter()
    kws = prepare(args.lines, names, Decimal(args.price))
    t_prepare = time.perf_counter() - t0
    times = []
    results: list = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        results = run(kws)
        times.append(time.perf_counter() - t0)
    with open(args.out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(OUT_COLUMNS)
        for i, (kw, res) in enumerate(zip(kws, results)):
            row = i + 2  # as cbam-calc numbers CSV records: header = row 1
            if isinstance(res, Exception):
                w.writerow(
                    [row, "error", str(res).splitlines()[0][:300], kw["data_source"].value, *[""] * 11]
                )
                continue
            w.writerow(
                [
                    row,
                    "ok",
                    "",
                    res.data_source,
                    res.functional_unit_mass,
                    "" if res.see_direct is None else res.see_direct,
                    "" if res.see_indirect is None else res.see_indirect,
                    res.see_obligation,
                    res.embedded_emissions,
                    "" if res.benchmark is None else res.benchmark,
                    benchmark_route(kw),
                    res.sefa,
                    res.free_allocation,
                    res.certificates_due,
                    res.liability_eur,
                ]
            )
    errors = sum(isinstance(r, Exception) for r in results)
    print(
        json.dumps(
            {
                "lines": len(kws),
                "errors": errors,
                "prepare_s": t_prepare,
                "assess_s": times,
                "assess_median_s": statistics.median(times),
                "python": sys.version.split()[0],
                "opencbam": metadata.version("opencbam"),
            }
        )
    )


if __name__ == "__main__":
    main()
