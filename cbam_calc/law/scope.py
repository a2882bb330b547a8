"""Scope of CBAM: the goods of Annex I by CN code, their sector, and Annex II (direct emissions only).

Regulation (EU) 2023/956 Annex I lists the goods by CN code (cement, electricity, fertilisers,
iron and steel, aluminium, hydrogen); Annex II lists those for which only direct emissions count.
The tables are ``cbam_calc/data/eu/cn_goods.csv`` and ``annex_ii_direct_only.csv``.
"""

from __future__ import annotations

# The sector key of electricity in cn_goods.csv: a key of our table, not a figure of the law.
ELECTRICITY = "electricity"
