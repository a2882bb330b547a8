"""The member files of a batch: folders searched for csv and Excel files, each file named after its
member (``cbam batch members/``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cbam_calc.core.errors import OptionError
from cbam_calc.core.messages import Message

INPUT_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class BatchFile:
    path: Path
    member: str


def _skipped(relative: Path) -> bool:
    """Hidden files and folders, and the lock files Excel leaves next to an open workbook."""
    return any(p.startswith(".") for p in relative.parts) or relative.name.startswith("~$")


def _clashing(names: list[str]):
    return pd.Series([n.casefold() for n in names], dtype=object).duplicated(keep=False).to_numpy()


def member_names(names: Sequence[Path], inputs: Sequence[str]) -> list[str]:
    """One name per file, unique even ignoring case (a member is a key of every report table, the
    run record and a person's reading: ``Alpha`` and ``alpha`` would read as one member), and
    stable (the same files give the same names). ``names`` are the files' paths relative to the
    input they were found in, ``inputs`` the name of that input.

    A file is named by its stem (``alpha``); where stems clash, by its path without suffix
    (``north/alpha``); where those clash, with the suffix (``alpha.csv``, ``alpha.xlsx``); then
    with the input it came from (``members_a/alpha.csv``), each step taken only where it tells
    the files apart; a clash left (``Alpha.csv`` and ``alpha.csv``: names differing only in
    case) is numbered, ``alpha (2)``, in the sorted order files are found in."""
    levels = (
        lambda r, i: r.with_suffix("").as_posix(),
        lambda r, i: r.as_posix(),
        lambda r, i: (Path(i) / r).as_posix() if i else r.as_posix(),
    )
    out = [r.stem for r in names]
    for level in levels:
        clash = _clashing(out)
        if not clash.any():
            return out
        longer = [level(r, i) if c else n for r, i, n, c in zip(names, inputs, out, clash)]
        helps = ~_clashing(longer)  # a longer name only where it tells the file apart
        out = [m if c and h else n for n, m, c, h in zip(out, longer, clash, helps)]
    used: set[str] = set()
    unique = []
    for n in out:  # a few hundred files at most: a plain loop
        name, k = n, 1
        while name.casefold() in used:
            k += 1
            name = f"{n} ({k})"
        used.add(name.casefold())
        unique.append(name)
    return unique


def discover(inputs: Sequence[str | Path]) -> list[BatchFile]:
    """The files of a batch: folders searched recursively for csv and Excel files (sorted, so a
    batch always runs in the same order), files taken as given. The member of a file is its
    name without suffix; where names clash, :func:`member_names` tells them apart."""
    found: list[tuple[Path, Path, str]] = []  # (path, relative to its input, the input's name)
    for given in inputs:
        p = Path(given)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES and not _skipped(rel):
                    found.append((f, rel, p.name))
        elif p.exists():
            found.append((p, Path(p.name), ""))
        else:
            raise OptionError(Message("E_NO_SUCH_FILE_OR_FOLDER", path=str(p)))
    seen: set[Path] = set()
    unique = []
    for f, rel, given_name in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((f, rel, given_name))
    if not unique:
        raise OptionError(
            Message("E_NO_BATCH_FILES", inputs=[str(i) for i in inputs], suffixes=list(INPUT_SUFFIXES))
        )
    names = member_names([rel for _, rel, _ in unique], [i for _, _, i in unique])
    return [BatchFile(f, name) for (f, _, _), name in zip(unique, names)]


def same_content(shas: Sequence[str], names: Sequence[str] | None = None) -> dict[int, int]:
    """Files of a batch that repeat another byte for byte: index of each repeat -> index of the
    file with the same SHA-256 that is computed in its place (``alpha.xlsx`` copied to
    ``alpha (1).xlsx`` or ``alpha - 副本.xlsx``, or one file reached through two folders). A
    member's declaration counted twice would double its levy silently, so a repeat is not
    computed. The file kept is the one with the shortest name (``names``, the members' names),
    the first given among equals: a copy's name is the original's with something added, and
    ``alpha (1)`` sorts before ``alpha``. An unreadable file (SHA '') repeats nothing: it fails
    on its own."""
    size = [len(n) for n in names] if names is not None else [0] * len(shas)
    kept: dict[str, int] = {}
    for i, sha in enumerate(shas):  # one entry per file: a few hundred at most
        if sha and (sha not in kept or size[i] < size[kept[sha]]):
            kept[sha] = i
    return {i: kept[sha] for i, sha in enumerate(shas) if sha and kept[sha] != i}
