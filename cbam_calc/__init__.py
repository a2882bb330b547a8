"""cbam-calc: what the EU Carbon Border Adjustment Mechanism costs an exporter.

The library behind the ``cbam`` command. Typical use::

    from cbam_calc import calculate, CalcOptions
    result = calculate("shipments.xlsx", CalcOptions(year=2026))
    result.summary.cost_eur, result.lines, result.rejected

Heavy modules (pandas, the engine) load on first use, so ``cbam --help`` starts fast.
"""

from __future__ import annotations

__version__ = "0.1.0"  # the one place the version is written (pyproject reads it from here)

_LAZY = {
    "calculate": "cbam_calc.compute.calculate",
    "calculate_validated": "cbam_calc.compute.calculate",
    "CalcResult": "cbam_calc.compute.calculate",
    "CalcOptions": "cbam_calc.core.model",
    "ReadOptions": "cbam_calc.core.model",
    "CalcSummary": "cbam_calc.core.model",
    "Art9Track": "cbam_calc.core.model",
    "read_table": "cbam_calc.inputs.readers",
    "validate": "cbam_calc.inputs.validate",
    "reference_data": "cbam_calc.law.reference",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cbam_calc' has no attribute {name!r}")
