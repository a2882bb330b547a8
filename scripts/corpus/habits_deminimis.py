"""tests/data/hostile/habits/deminimis/: one EU importer supplied by several members (issue 12).

Each exporter writes the importer its own way: one puts the EORI in brackets after the name, one
in a separate 进口商EORI column with the name in capitals, one spells the name in full-width
letters with a trailing full stop and no EORI at all. ``messy/`` holds those files; ``clean/``
the same shipments with the importer written identically everywhere. ``cbam batch`` must give
both folders the same de minimis outcome and the same EUR: the threshold belongs to the importer,
over all its suppliers (Art 2a).

Worked by hand: Acme GmbH (DE123456789012345) takes 30 t + 25 t = 55 t of hot-rolled coil from
alpha and beta (matched by EORI): over 50 t, priced, though each file alone is under it. Beta
Handel GmbH (no EORI) takes 20 t + 12 t + 8 t = 40 t (matched by name): exempt if nothing else is
imported. Gamma's 10 t of wire rod for "Ａｃｍｅ　ＧｍｂＨ．" carry no EORI: matched by name, not
with Acme's EORI, so a separate importer (10 t, exempt), listed as such in both folders.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

AREA = "habits/deminimis"

HEAD_ZH = ["商品编码", "原产国", "净重（吨）", "进口日期", "进口商"]
ACME = "Acme GmbH (DE123456789012345)"


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # as Excel saves a CSV
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def build(folder: Path) -> None:
    messy, clean = folder / "messy", folder / "clean"
    messy.mkdir(parents=True)
    clean.mkdir(parents=True)
    coil, rod = "7208 51 20", "7213 91 10"
    # alpha: the EORI in brackets after the name
    alpha = [[coil, "CN", "30", "2026-02-10", ACME], [coil, "CN", "20", "2026-03-02", "Beta Handel GmbH"]]
    _csv(messy / "alpha.csv", HEAD_ZH, alpha)
    _csv(clean / "alpha.csv", HEAD_ZH, alpha)
    # beta: the name in capitals, the EORI in a column of its own, spaced as printed on a letter
    _csv(
        messy / "beta.csv",
        [*HEAD_ZH, "进口商EORI"],
        [
            [coil, "CN", "25", "2026-04-15", "ACME GMBH", "DE 1234 5678 9012 345"],
            [coil, "CN", "12", "2026-05-05", "BETA HANDEL GMBH", ""],
            [coil, "CN", "8", "2026-05-20", "beta handel gmbh.", ""],
        ],
    )
    _csv(
        clean / "beta.csv",
        HEAD_ZH,
        [
            [coil, "CN", "25", "2026-04-15", ACME],
            [coil, "CN", "12", "2026-05-05", "Beta Handel GmbH"],
            [coil, "CN", "8", "2026-05-20", "Beta Handel GmbH"],
        ],
    )
    # gamma: full-width letters and a full stop, no EORI: matched by name, not with Acme's EORI
    _csv(messy / "gamma.csv", HEAD_ZH, [[rod, "CN", "10", "2026-06-01", "Ａｃｍｅ　ＧｍｂＨ．"]])
    _csv(clean / "gamma.csv", HEAD_ZH, [[rod, "CN", "10", "2026-06-01", "Acme GmbH"]])
