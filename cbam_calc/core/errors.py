"""Errors that reach a user as one clear line.

Problems with a single input row are not exceptions: they become rows of the Rejected table
(see :mod:`cbam_calc.inputs.validate`). Exceptions are for problems that stop a whole file or run.
"""

from __future__ import annotations


def one_line(text: str) -> str:
    """A message on one line: control characters from a file (a header with a line break) are shown
    escaped instead of breaking the line."""
    return "".join(repr(ch)[1:-1] if ord(ch) < 32 else ch for ch in text)


class CbamError(Exception):
    """Base class of every error cbam-calc reports to a user without a traceback. Raised with a
    :class:`~cbam_calc.core.messages.Message`, it is shown in the run's language (:meth:`text`)."""

    exit_code = 2

    def message(self):
        """The error as a Message (its English is ``str(self)``), to show it later in a language."""
        from cbam_calc.core.messages import Message

        message = self.args[0] if len(self.args) == 1 else None
        return (
            message
            if isinstance(message, Message) and str(message) == str(self)
            else Message.plain(str(self))
        )

    def text(self, lang: str = "en") -> str:
        """The error as a user reads it in ``lang`` (its message in English where it has no code)."""
        message = self.args[0] if len(self.args) == 1 else None
        if lang != "en" and hasattr(message, "text"):
            return one_line(message.text(lang))
        return str(self)


class InputFileError(CbamError):
    """A file cannot be used at all: unreadable, encrypted, missing sheet or required column.

    The message names the file, and the sheet, row and column where they are known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.sheet, self.row, self.column = file, sheet, row, column
        self.detail = message
        super().__init__(self._format())

    def _format(self, lang: str = "en") -> str:
        from cbam_calc.core.messages import render

        return one_line(render(self.message(), lang))

    def text(self, lang: str = "en") -> str:
        return self._format(lang) if lang != "en" else str(self)

    def message(self):
        """Where (file, sheet, row, column) and what, as a Message (its English is ``str(self)``)."""
        from cbam_calc.core.messages import Message

        detail = self.detail if isinstance(self.detail, Message) else Message.plain(self.detail)
        where: list = [self.file] if self.file else []
        if self.sheet:
            where.append(Message("M_WHERE_SHEET", sheet=self.sheet))
        if self.row is not None:
            where.append(Message("M_WHERE_ROW", row=self.row))
        if self.column:
            where.append(Message("M_WHERE_COLUMN", column=self.column))
        return Message("M_WHERE_ERROR", where=where, detail=detail) if where else detail


class NothingComputedError(CbamError):
    """Every row of the input was rejected: there is no result to report."""

    exit_code = 1


class OutputError(CbamError):
    """An output cannot be written (it exists without --force, or it is an input file)."""


class OptionError(CbamError):
    """A command-line or API option has a value cbam-calc cannot use."""
