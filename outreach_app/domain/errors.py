"""Errors a person can act on. Each message says what happened and what to do next.

`OutreachError` subclasses carry the CLI exit code of contracts §3 so the CLI and the app
show the same words without a lookup table of their own. An error carries its message as an
`i18n.Text` (the message id and its named arguments): `message` is that text in the language of
the moment it is shown; the log keeps the English (`english()`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from outreach_app.i18n import Text

if TYPE_CHECKING:  # the values' dataclasses: not before the app's window shows
    from outreach_app.domain.values import CellProblem, Shortfall


class OutreachError(Exception):
    """Base of every error shown to a person."""

    exit_code = 1

    def __init__(self, message: Text | str) -> None:
        super().__init__(message)
        self.text = message

    @property
    def message(self) -> str:
        """The message in the current language."""
        return str(self.text)

    def english(self) -> str:
        """The message in English, whatever the language shown (for the log file)."""
        return self.text.english() if isinstance(self.text, Text) else self.text

    def __str__(self) -> str:
        return self.message


class InvalidInput(OutreachError):
    """Well-formed arguments refused because of the data (a negative count, an unknown code)."""


class NotFound(InvalidInput):
    """A named site, item, lot or record does not exist."""


class ShortfallError(InvalidInput):
    """Handing out more than is on hand, or from an expired lot, without the override."""

    def __init__(self, message: Text | str, shortfalls: list[Shortfall]) -> None:
        super().__init__(message)
        self.shortfalls = shortfalls


class AlreadyImported(InvalidInput):
    """The same spreadsheet file (same SHA-256) was imported before."""


class BadFile(InvalidInput):
    """A named file is missing, unreadable, or not one of ours."""


class BadCells(InvalidInput):
    """A spreadsheet refused for its cells; `cells` lists every one (row, column, message)."""

    def __init__(self, message: Text | str, cells: list[CellProblem]) -> None:
        super().__init__(message)
        self.cells = tuple(cells)


class Cancelled(OutreachError):
    """A long job stopped by the person; its unit of work rolled back, nothing was written."""


class CoordinatorRequired(OutreachError):
    """The action needs the coordinator override or PIN."""


class RoleRefused(CoordinatorRequired):
    """The person acting has a role that may not do this (contracts §10): exit 1."""


class PinRefused(OutreachError):
    """A wrong PIN, or too many wrong ones in a row (then a wait): exit 1."""


class StoreError(OutreachError):
    """The data store itself cannot be opened (contracts §3, exit 3)."""

    exit_code = 3


class WrongPassphrase(StoreError):
    pass


class PassphraseRequired(StoreError):
    pass


class NotInitialised(StoreError):
    pass


class NotADatabase(StoreError):
    pass


class NewerSchema(StoreError):
    pass


class EncryptionMismatch(StoreError):
    pass


class AlreadyInitialised(InvalidInput):
    pass


class StoreBusy(StoreError):
    """Another writer kept the data busy through every retry (contracts §3: exit 3)."""


class DiskFull(StoreError):
    """The disk holding the data is full (or failing): the write was rolled back (exit 3)."""


class FolderInUse(OutreachError):
    """The data folder is open in the app (here or on another computer): exit 1."""
