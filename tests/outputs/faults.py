"""Fault injection for the write-failure tests of issue 11 (CI runs as root: a read-only folder or
a full disk cannot be made with permissions). Imported in a child process before cbam's main:

    import faults; faults.install("ENOSPC", "part")

makes every write to a matching file raise ``OSError(errno.ENOSPC)``, as a full disk does:
``part`` the temporary file an output is written to (``.NAME.xxxx.part``), ``openpyxl`` the
temporary files of openpyxl's write-only sheets; ``mkstemp`` makes creating the temporary file
fail (a read-only folder, with ``EROFS``).
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import tempfile


def install(kind: str, where: str) -> None:
    code = getattr(errno, kind)
    real_open = builtins.open

    def fail(name=None):
        raise OSError(code, os.strerror(code), name)

    if where == "mkstemp":
        tempfile.mkstemp = lambda *a, dir=None, **k: fail(dir)
        return

    def matches(file) -> bool:
        if not isinstance(file, (str, os.PathLike)):
            return False
        base = os.path.basename(os.fspath(file))
        return base.endswith(".part") if where == "part" else base.startswith("openpyxl.")

    class Failing:
        """A file whose every write fails (the disk is full)."""

        def __init__(self, f):
            self._f = f

        def write(self, data):
            fail(getattr(self._f, "name", None))

        def writelines(self, lines):
            fail(getattr(self._f, "name", None))

        def __getattr__(self, name):
            return getattr(self._f, name)

        def __iter__(self):
            return iter(self._f)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()
            return False

    def failing_open(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        if any(m in mode for m in "wax+") and matches(file):
            return Failing(f)
        return f

    builtins.open = io.open = failing_open
