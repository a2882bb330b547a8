"""Checks of the Python API's arguments at its entry points.

A wrong type (``calculate(p, {"year": 2027})``, ``sheet=1``, a path where a table is expected)
once ended in an AttributeError or KeyError deep inside the engine, naming nothing the caller
wrote. Each public function now checks what it is given first, with these few functions: a wrong
type raises TypeError, a wrong value ValueError, and the message starts with the argument's name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def path(name: str, value: Any, *, optional: bool = False) -> str | os.PathLike | None:
    """A file or folder path: str or os.PathLike (None only when ``optional``), returned as given
    (messages name a file as the caller wrote it)."""
    if value is None and optional:
        return None
    if isinstance(value, (str, os.PathLike)):
        raw = os.fspath(value)
        if isinstance(raw, str):
            if not raw.strip():
                raise ValueError(f"{name}: an empty path")
            return value
    raise TypeError(f"{name} must be a path (str or pathlib.Path), not {_shown(value)}")


def paths(name: str, value: Any) -> list:
    """One path or a sequence of paths (a single str is one path, not its characters)."""
    if isinstance(value, (str, os.PathLike)):
        return [path(name, value)]
    if not isinstance(value, Sequence) or isinstance(value, bytes):
        raise TypeError(f"{name} must be a path or a list of paths, not {_shown(value)}")
    if not value:
        raise ValueError(f"{name}: no path given")
    return [path(f"{name}[{i}]", v) for i, v in enumerate(value)]


def text(name: str, value: Any, *, optional: bool = True, hint: str = "") -> str | None:
    """A str (None only when ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str{hint}, not {_shown(value)}")
    return value


def choice(name: str, value: Any, choices: Sequence[str]) -> str:
    text(name, value, optional=False)
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, not {value!r}")
    return value


def sheet(value: Any) -> str | None:
    """A sheet: its name or its number as text (``sheet="2"``), or None for the first."""
    return text("sheet", value, hint=' (the sheet\'s name, or its number as text: sheet="1")')


def flag(name: str, value: Any) -> bool:
    """A bool: True or False, not "no" (which would be true)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {_shown(value)}")
    return value


def integer(name: str, value: Any, *, optional: bool = True, minimum: int | None = None) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {_shown(value)}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def instance(name: str, value: Any, cls: type | tuple[type, ...], what: str, *, optional: bool = True):
    """An instance of ``cls`` (``what`` says how to make one), or None when ``optional``."""
    if value is None and optional:
        return None
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be {what}, not {_shown(value)}")
    return value


def function(name: str, value: Any) -> Callable | None:
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a function or None, not {_shown(value)}")
    return value


def options(value: Any):
    """CalcOptions, or None for the defaults; a dict is refused with how to write it."""
    from cbam_calc.core.model import CalcOptions

    if value is None:
        return CalcOptions()
    if isinstance(value, dict):
        raise TypeError(
            f"options must be a CalcOptions, not a dict: write CalcOptions(**{value!r})"
            if len(repr(value)) < 80
            else "options must be a CalcOptions, not a dict: write CalcOptions(**options)"
        )
    return instance("options", value, CalcOptions, "a CalcOptions (from cbam_calc import CalcOptions)")


def _lang(name: str, value: Any) -> str:
    from cbam_calc.core.labels import LANGS

    return choice(name, value, LANGS)


def _optional_path(name: str, value: Any):
    return path(name, value, optional=True)


def _positive(name: str, value: Any, optional: bool = True) -> int | None:
    return integer(name, value, optional=optional, minimum=1)


# how each argument of the command calls (outputs.runs) is checked, by its name
RULES: dict[str, Callable[[str, Any], Any]] = {
    "input": path,
    "inputs": paths,
    "sheet": lambda _, v: sheet(v),
    "price_path": _optional_path,
    "report": _optional_path,
    "lines_out": _optional_path,
    "output": _optional_path,
    "html_out": _optional_path,
    "png_dir": _optional_path,
    "config": _optional_path,
    "scheduler": text,
    "lang": _lang,
    "force": flag,
    "on_written": function,
    "progress": function,
    "jobs": _positive,
    "line": lambda n, v: _positive(n, v, optional=False),
}


def entry(given: dict[str, Any]):
    """Check a public function's arguments (its ``locals()`` at the entry) by their names
    (:data:`RULES`); returns its options, completed (:func:`options`)."""
    for name, value in given.items():
        rule = RULES.get(name)
        if rule is not None:
            rule(name, value)
    return options(given.get("options"))
