"""The member files of a batch: folders searched for csv and Excel files, each file named after its
member (``cbam batch members/``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cbam_calc.core.errors import OptionError

INPUT_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class BatchFile:
    path: Path
    member: str


def _skipped(relative: Path) -> bool:
    """Hidden files and folders, and the lock files Excel leaves next to an open workbook."""
    return any(p.startswith(".") for p in relative.parts) or relative.name.startswith("~$")


def discover(inputs: Sequence[str | Path]) -> list[BatchFile]:
    """The files of a batch: folders searched recursively for csv and Excel files (sorted, so a
    batch always runs in the same order), files taken as given. The member of a file is its
    name without suffix; where two files share a name, their paths tell them apart."""
    found: list[tuple[Path, Path]] = []  # (path, path relative to its input, for the member name)
    for given in inputs:
        p = Path(given)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES and not _skipped(rel):
                    found.append((f, rel))
        elif p.exists():
            found.append((p, Path(p.name)))
        else:
            raise OptionError(f"{p}: no such file or folder")
    seen: set[Path] = set()
    unique = []
    for f, rel in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((f, rel))
    if not unique:
        raise OptionError(
            f"no csv or Excel files in {', '.join(map(str, inputs))} "
            f"(looked for {', '.join(INPUT_SUFFIXES)}, hidden and ~$ files skipped)"
        )
    stems = pd.Series([rel.stem for _, rel in unique])
    clash = stems.duplicated(keep=False).to_numpy()
    return [
        BatchFile(f, rel.with_suffix("").as_posix() if dup else rel.stem)
        for (f, rel), dup in zip(unique, clash)
    ]
