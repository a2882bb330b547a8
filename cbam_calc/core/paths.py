"""The one gate between a run's outputs and its inputs: no output is an input, holds one or lies
inside an input folder, whatever ``--force`` says.

In core because both the writers (outputs) and the Dask engine, which writes its per-line
dataset from the workers (compute), pass every output through it. Paths are compared resolved
(symbolic links) and by device and inode (hard links).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from cbam_calc.core.errors import OutputError
from cbam_calc.core.messages import Message


def _same_file(a: Path, b: Path) -> bool:
    """Two existing paths naming one file (symbolic or hard links: same device and inode)."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _overlap(target: Path, resolved: Path, input_path: Path) -> Message | None:
    """Why ``target`` may not be written given the input ``input_path``, or None."""
    p = input_path.resolve()
    if p == resolved or _same_file(target, input_path):
        return Message("M_IS_INPUT_FOLDER" if input_path.is_dir() else "M_IS_INPUT_FILE")
    if resolved in p.parents:
        return Message("M_HOLDS_INPUT", input=str(input_path))
    if p in resolved.parents and input_path.is_dir():
        return Message("M_INSIDE_INPUT", input=str(input_path))
    return None


def refuse_inputs(path: str | Path, inputs: Iterable[str | Path | None]) -> None:
    """The one gate between outputs and inputs: OutputError when ``path`` is an input (also
    through a symbolic or hard link), is a folder holding an input, or lies inside an input folder
    (``inputs``: every file and folder the run reads: shipments, member files and their folders,
    price paths, scenario files, Dask datasets). ``force`` never lifts it."""
    target = Path(path)
    resolved = target.resolve()
    for p in inputs:
        if p is None:
            continue
        why = _overlap(target, resolved, Path(p))
        if why is not None:
            raise OutputError(Message("E_OUTPUT_IS_INPUT", target=str(target), why=why))
