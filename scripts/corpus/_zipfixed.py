"""Deterministic zip writing for the corpus builders: fixed timestamps, fixed order."""

from __future__ import annotations

import zipfile
from pathlib import Path

FIXED = (2026, 1, 1, 0, 0, 0)


def write_zip(path: Path, parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> None:
    """A zip (xlsx, ods) of ``parts`` in the given order, every entry dated 2026-01-01."""
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = compression if name != "mimetype" else zipfile.ZIP_STORED
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
