"""A full disk told apart from other failures, so a person reads "the disk is full" and not
"something unexpected went wrong".

SQLite reports a full disk as SQLITE_FULL ("database or disk is full") when a write stops short,
and as SQLITE_IOERR ("disk I/O error") when the write cannot start at all (ENOSPC, EFBIG past a
file size limit, EDQUOT); both roll the transaction back. PostgreSQL says SQLSTATE 53100. Plain
files (the log, a PDF, a backup's temporary) raise OSError with one of those errno values.
"""

from __future__ import annotations

import errno

from sqlalchemy.exc import DBAPIError

from outreach_app.domain.errors import DiskFull
from outreach_app.i18n import Text, _l

SQLITE_IOERR = 10
SQLITE_FULL = 13
PG_DISK_FULL = "53100"
SQLITE_FULL_TEXTS = ("database or disk is full", "disk I/O error")
FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc` (a driver error, wrapped by SQLAlchemy or not, or an OSError) means the
    write could not be made because the disk is full or refuses to grow the file."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, OSError):
        return exc.errno in FULL_ERRNOS
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (SQLITE_FULL, SQLITE_IOERR)
    if getattr(exc, "sqlstate", None) == PG_DISK_FULL:
        return True
    # sqlcipher3's online backup raises without an error code: only SQLite's words tell.
    return type(exc).__module__.startswith(("sqlite3", "sqlcipher3")) and str(exc).startswith(
        SQLITE_FULL_TEXTS
    )


def disk_full(where: Text | str) -> DiskFull:
    """The one message for a full disk; `where` names what could not be written (a path, or a
    `Text` translated with the message)."""
    return DiskFull(
        _l(
            "The disk is full (or failing): {where} could not be written. Nothing was written "
            "and the data is as it was. Free some space on that disk (or choose another) and "
            "try again.",
            where=where,
        )
    )
