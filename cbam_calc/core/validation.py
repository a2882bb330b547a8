"""A pydantic ValidationError as message codes (issue 14, "Chinese, completely").

The scenario file, the instrument comparison and a run record's options are checked by pydantic
models; each error pydantic finds is shown as where (the key path, an identifier as the file
writes it) and what: the common kinds of error (an unknown key, a missing one, not a number, not
one of the choices, out of range) each a code, a validator's own ValueError raised with a Message
that Message, and pydantic's own words (a technical detail) only for the rare rest.
"""

from __future__ import annotations

import re
from typing import Any

from cbam_calc.core.messages import Message

NOT_NUMBER = {"float_parsing", "float_type", "finite_number", "decimal_parsing", "decimal_type"}
NOT_INTEGER = {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}
NOT_BOOLEAN = {"bool_parsing", "bool_type"}
NOT_TEXT = {"string_type", "string_unicode"}
NOT_MAPPING = {"dict_type", "model_type", "model_attributes_type", "mapping_type"}
NOT_LIST = {"list_type", "tuple_type", "set_type", "iterable_type"}
BOUNDS = {"greater_than_equal": "M_PYD_AT_LEAST", "greater_than": "M_PYD_ABOVE"}
BOUNDS |= {"less_than_equal": "M_PYD_AT_MOST", "less_than": "M_PYD_BELOW"}
BOUND_KEYS = {"greater_than_equal": "ge", "greater_than": "gt", "less_than_equal": "le", "less_than": "lt"}


def problem(err: dict[str, Any]) -> Message:
    """What one pydantic error (an item of ``ValidationError.errors()``) says, as a Message."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "extra_forbidden":
        return Message("M_PYD_UNKNOWN_KEY")
    if kind == "missing":
        return Message("M_PYD_MISSING")
    if kind in NOT_NUMBER:
        return Message("M_PYD_NOT_NUMBER")
    if kind in NOT_INTEGER:
        return Message("M_PYD_NOT_INTEGER")
    if kind in NOT_BOOLEAN:
        return Message("M_PYD_NOT_BOOLEAN")
    if kind in NOT_TEXT:
        return Message("M_PYD_NOT_TEXT")
    if kind in NOT_MAPPING:
        return Message("M_PYD_NOT_MAPPING")
    if kind in NOT_LIST:
        return Message("M_PYD_NOT_LIST")
    if kind == "literal_error" and isinstance(ctx.get("expected"), str):
        choices = re.findall(r"'([^']*)'", ctx["expected"])  # "'compliance' or 'voluntary'"
        if choices:
            return Message("M_PYD_CHOICES", choices=[f"'{c}'" for c in choices])
    if kind in BOUNDS and BOUND_KEYS[kind] in ctx:
        return Message(BOUNDS[kind], limit=ctx[BOUND_KEYS[kind]])
    error = ctx.get("error")
    if isinstance(error, Exception) and error.args and isinstance(error.args[0], Message):
        return error.args[0]  # a validator's own ValueError, raised with its Message
    return Message("M_PYD_DETAIL", detail=str(err.get("msg", "")).removeprefix("Value error, "))


def where(loc, sep: str = "") -> str:
    """The key path of an error as the file writes it: ``scenarios[2].eua``."""
    if sep:
        return sep.join(map(str, loc))
    return "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc).lstrip(".")


def describe(e) -> Message:
    """A pydantic ValidationError as one line naming each parameter and what is wrong with it."""
    parts = []
    for err in e.errors():
        at, what = where(err["loc"]), problem(err)
        parts.append(Message("M_PYD_AT", where=at, problem=what) if at else what)
    return Message("M_PYD_PROBLEMS", parts=parts)


def first_problem(e: Exception) -> Message:
    """The first problem an exception states (pydantic's first error: where, and what); another
    exception's own first line as a technical detail."""
    errors = getattr(e, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
            return Message("M_PYD_AT", where=where(first["loc"], "."), problem=problem(first))
        except (IndexError, KeyError, TypeError):
            pass
    text = str(e).strip()
    return Message("M_PYD_DETAIL", detail=text.splitlines()[0] if text else type(e).__name__)
