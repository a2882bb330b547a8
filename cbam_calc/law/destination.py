"""Destination: CBAM applies only to goods imported into the customs territory of the Union.

Regulation (EU) 2023/956 Art 2(1) covers goods imported into the customs territory of the Union;
that territory is the 27 Member States of Treaty on European Union Art 52 plus what Regulation
(EU) No 952/2013 (Union Customs Code) Art 4 adds (Monaco, ...). The list, with what a
country-level code cannot say (Heligoland, Ceuta, Melilla, Büsingen ...), is
``cbam_calc/data/eu/eu_customs_territory.csv``. Names are read with the country table used for
the country of origin, so ``德国``, ``Germany``, ``DE`` and ``deu`` all mean DE.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

TERRITORY_FILE = Path("eu") / "eu_customs_territory.csv"
# the kind of the row that names the Union itself (EU, 欧盟): a key of our table
UNION = "union"


@lru_cache(maxsize=4)
def customs_territory(data_dir: Path) -> pd.DataFrame:
    """The table of destinations inside the customs territory (iso2, kind, aliases)."""
    from cbam_calc.law.reference import read_commented_csv

    return read_commented_csv(Path(data_dir) / TERRITORY_FILE).set_index("iso2", drop=False)


def destination_aliases(country_aliases: dict[str, str], territory: pd.DataFrame) -> dict[str, str]:
    """Case-folded name or code -> ISO code, the country table's plus the Union's own names."""
    out = dict(country_aliases)
    for r in territory.itertuples(index=False):
        for name in [r.iso2, *r.aliases.split("|")]:
            if name:
                out.setdefault(name.strip().casefold(), r.iso2)
    return out


def in_customs_territory(iso2: str, territory: pd.DataFrame) -> bool:
    """Whether goods shipped to ``iso2`` enter the customs territory of the Union."""
    return iso2 in territory.index
