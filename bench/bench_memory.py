"""Where the memory of `cbam calc big.csv --format json` goes, stage by stage (for target 4).

    python bench/bench_memory.py [--quick] [--xlsx]

Runs what `cbam calc FILE --format json` runs -- cbam_calc.compute.calculate.calculate(), then summary_json()
-- in this process, with the engine's stage functions (read_table, validate, compute_part,
compute_lines, finish, part_lines ...) wrapped at run time (the library's files are not touched).
For each stage it prints the time, the resident set after it (VmRSS), the peak reached DURING it
(VmHWM, reset at each stage boundary by writing 5 to /proc/self/clear_refs) and the deep size of
the table it returns. The figure of target 4 itself is measured on the real command by
bench_e2e.py (ru_maxrss of the child). --quick: the 100,000-line file; --xlsx: the workbook.
"""

from __future__ import annotations

import argparse
import functools
import time
from pathlib import Path

from benchlib import add_common, apply_common, header, print_machine

STAGES = [  # functions wrapped in every cbam_calc.compute / inputs module that binds them
    "read_table",
    "validate",
    "calculate_validated",
    "compute_part",
    "compute_lines",
    "aggregate",
    "finish",
    "summarise",
    "parameters_table",
    "part_lines",
    "line_notes",
]


def status() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process, MiB."""
    vals = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":", 1)
            vals[key] = int(value.split()[0]) / 1024.0
    return vals["VmRSS"], vals["VmHWM"]


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def table_size(obj) -> str:
    import pandas as pd

    fields = getattr(obj, "__dict__", {})  # never a property: a lazy Lines table must stay unbuilt
    for attr in (None, "frame", "lines", "columns"):
        target = obj if attr is None else fields.get(attr)
        if isinstance(target, pd.DataFrame):
            mib = float(target.memory_usage(deep=True).sum()) / 2**20
            name = type(obj).__name__ + (f".{attr}" if attr else "")
            return f"{name} {mib:,.0f} MiB ({target.shape[0]:,} x {target.shape[1]})"
    return ""


class Tracker:
    """Nested stage timings and peaks (the peak of a stage includes its sub-stages)."""

    def __init__(self) -> None:
        self.stack: list[dict] = []
        self.rows: list[tuple[int, str, float, float, float, str]] = []

    def enter(self, name: str) -> None:
        _, hwm = status()
        if self.stack:
            self.stack[-1]["carried"] = max(self.stack[-1]["carried"], hwm)
        reset_peak()
        self.stack.append({"name": name, "t0": time.perf_counter(), "carried": 0.0, "row": len(self.rows)})
        self.rows.append((len(self.stack) - 1, name, 0.0, 0.0, 0.0, ""))

    def exit(self, result) -> None:
        rss, hwm = status()
        top = self.stack.pop()
        peak = max(hwm, top["carried"])
        depth = len(self.stack)
        self.rows[top["row"]] = (
            depth,
            top["name"],
            time.perf_counter() - top["t0"],
            rss,
            peak,
            table_size(result),
        )
        if self.stack:
            self.stack[-1]["carried"] = max(self.stack[-1]["carried"], peak)
        reset_peak()

    def wrap(self, fn):
        @functools.wraps(fn)
        def inner(*a, **k):
            self.enter(fn.__name__)
            out = None
            try:
                out = fn(*a, **k)
                return out
            finally:
                self.exit(out)

        return inner


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the 100,000-line CSV (20,000-line xlsx)")
    ap.add_argument("--xlsx", action="store_true", help="the xlsx benchmark input instead of the CSV")
    add_common(ap)
    args = ap.parse_args()
    apply_common(args)
    import gen_data

    n_csv, n_xlsx, _ = gen_data.SIZES["quick" if args.quick else "full"]
    path = gen_data.ensure_xlsx(n_xlsx) if args.xlsx else gen_data.ensure_csv(n_csv)
    print_machine()
    resettable = reset_peak()
    t0 = time.perf_counter()
    from cbam_calc.compute import aggregate, calculate, lines, notes, pipeline, summary
    from cbam_calc.core.model import CalcOptions
    from cbam_calc.law.reference import reference_data
    from cbam_calc.outputs.text import summary_json

    t_import = time.perf_counter() - t0
    rss_import, _ = status()
    ref = reference_data()
    ref.goods, ref.default_values, ref.benchmarks, ref.countries, ref.certificate_prices  # noqa: B018
    rss_ref, _ = status()

    tracker = Tracker()
    from cbam_calc.inputs import readers, validate

    modules = [calculate, pipeline, summary, notes, lines, aggregate, readers, validate]
    wrapped = []
    for name in STAGES:
        original = next((getattr(m, name) for m in modules if callable(getattr(m, name, None))), None)
        if original is None:
            continue
        wrapped.append(name)
        w = tracker.wrap(original)
        for m in modules:  # a from-import binds the function in the caller's module too
            if getattr(m, name, None) is original:
                setattr(m, name, w)
    run = tracker.wrap(calculate.calculate)
    to_json = tracker.wrap(summary_json)
    reset_peak()
    result = run(path, CalcOptions(), ref=ref)
    text = to_json(result)

    header(f"memory by stage: cbam_calc.compute.calculate.calculate({path.name}) + summary_json")
    if not resettable:
        print("(/proc/self/clear_refs not writable: 'peak' is the process peak so far)")
    print(f"import cbam_calc.compute.calculate: {t_import:.2f} s, RSS {rss_import:,.0f} MiB")
    print(f"reference tables loaded: RSS {rss_ref:,.0f} MiB")
    print(f"{'stage':36} {'s':>6} {'RSS after':>10} {'peak in stage':>14}  returns")
    for depth, name, secs, rss, peak, size in tracker.rows:
        print(f"{'  ' * depth + name:36} {secs:6.2f} {rss:10,.0f} {peak:14,.0f}  {size}")
    print(f"process peak: {max(r[4] for r in tracker.rows):,.0f} MiB; JSON {len(text) / 1024:,.0f} KiB")
    print("(wrapped: " + ", ".join(wrapped) + ")")
    lines = result.lines  # built here if the engine builds it lazily (after the measurement)
    wide = lines.memory_usage(deep=True).sort_values(ascending=False) / 2**20
    print(
        "largest columns of the Lines table, MiB: "
        + ", ".join(f"{k} {v:,.0f}" for k, v in wide.head(8).items())
    )
    dtypes = lines.dtypes.astype(str).value_counts()
    print("Lines table dtypes: " + ", ".join(f"{k} x{v}" for k, v in dtypes.items()))


if __name__ == "__main__":
    main()
