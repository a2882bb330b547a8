"""Deterministic zip writing for the corpus builders: fixed timestamps, fixed order."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

FIXED = (2026, 1, 1, 0, 0, 0)
FIXED_WHEN = dt.datetime(*FIXED)


def write_zip(path: Path, parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> None:
    """A zip (xlsx, ods) of ``parts`` in the given order, every entry dated 2026-01-01."""
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = compression if name != "mimetype" else zipfile.ZIP_STORED
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def save_workbook(wb, path: Path) -> None:
    """An openpyxl workbook saved the same, byte for byte, every time: its document dates set to
    2026-01-01 (openpyxl stamps 'modified' with the time of the save) and written by write_zip."""
    wb.properties.created = wb.properties.modified = FIXED_WHEN
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    stamp = FIXED_WHEN.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    parts["docProps/core.xml"] = re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, parts["docProps/core.xml"]
    )
    write_zip(path, parts)
