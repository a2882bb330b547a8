"""Write README.md's table of what each carbon-pricing instrument does to the CBAM bill under the
DRAFT Art 9 implementing act, generated from ``cbam_calc/data/carbon_pricing.yaml`` (so it cannot
drift from the rules the engine applies).

    python scripts/instrument_table.py [--check]

The table goes between the README's marker comments ``<!-- instrument-table:start -->`` and
``<!-- instrument-table:end -->``. --check only compares, and exits 1 when the README differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
START, END = "<!-- instrument-table:start -->", "<!-- instrument-table:end -->"
GENERIC = ("none", "hybrid", "other_price")  # rows of their own would only repeat the binding price


def _pct(share: float) -> str:
    return f"{share * 100:g} %"


def table() -> str:
    """The Markdown table, English and Chinese, one row per unit and per out-of-scope mechanism."""
    from cbam_calc.law import instruments

    cap = _pct(instruments.paris_cap_share())
    mechs = instruments.mechanisms()
    rows = [
        "| instrument | 工具 | under the Art 9 draft (DRAFT, not law) | 第9条草案下（草案，尚非法律） |",
        "|---|---|---|---|",
    ]
    for code, u in instruments.units().items():
        if code in GENERIC:
            continue
        takers = [m for m in mechs.values() if m.scope == "in" and code in m.units]
        named = ", ".join(
            f"`{m.code}`"
            + (f" (≤ {_pct(m.offset_limit_share)})" if u.credit and m.offset_limit_share else "")
            for m in takers
        )
        if not u.credit:
            en = (
                "counts at the price paid under a binding mechanism of the country of origin, net of "
                "free allocation and rebates"
            )
            zh = "按在原产国强制性碳定价机制下支付的价格计，扣除免费配额和返还"
        elif not takers:
            en = "reduces nothing: no mechanism of a third country takes it for compliance"
            zh = "不予扣减：没有第三国机制接受其用于履约"
        else:
            en = f"counts at the price paid only when surrendered for compliance in {named}"
            zh = f"仅在 {named} 内用于履约时按所付价格计"
            if u.paris_article6:
                en += f", for at most {cap} of the mechanism's covered emissions (Paris Art 6)"
                zh += f"，且不超过该机制覆盖排放的 {cap}（《巴黎协定》第6条）"
            en += "; the excess and a voluntary retirement count at zero"
            zh += "；超出部分及自愿注销按零计"
        rows.append(f"| {u.en} | {u.zh} | {en} | {zh} |")
    for m in mechs.values():
        if m.scope == "eu_ets":
            en, zh = "reduces nothing: no carbon price of a third country", "不予扣减：不是第三国的碳价"
        elif m.scope == "annex_iii":
            en, zh = "reduces nothing: CBAM does not apply (Annex III)", "不予扣减：CBAM 不适用（附件三）"
        else:
            continue
        rows.append(f"| {m.en} | {m.zh} | {en} | {zh} |")
    return "\n".join(rows) + "\n"


def replaced(readme: str) -> str:
    """``readme`` with the text between the markers replaced by :func:`table`."""
    head, sep, rest = readme.partition(START)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise SystemExit(f"README.md: the markers {START} ... {END} are missing")
    return f"{head}{START}\n{table()}{END}{tail}"


def main(argv: list[str]) -> int:
    path = REPO / "README.md"
    text = path.read_text(encoding="utf-8")
    new = replaced(text)
    if "--check" in argv:
        if new != text:
            print(
                "README.md: the instrument table is not the generated one: python scripts/instrument_table.py"
            )
            return 1
        return 0
    if new != text:
        path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
