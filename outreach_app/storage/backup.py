"""Verified copies of a SQLite or SQLCipher database, taken while it is open.

A copy is written to a temporary file beside the target, keyed like the source, checked with
`integrity_check`, and only then moved into place, so a failed backup never leaves a half file
where a good one was expected.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from outreach_app.domain.errors import BadFile, StoreError
from outreach_app.i18n import _l
from outreach_app.storage.diskfull import disk_full, is_disk_full
from outreach_app.storage.engine import make_engine, sqlite_url


def _open_read_only(path: Path, passphrase: str | None) -> Any:
    """A driver connection that cannot change the file (no WAL switch, no -wal left behind)."""
    # immutable: no locks and no -wal/-shm beside someone's file; only the main file is read,
    # which is all that a restore copies.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    if passphrase is None:
        return sqlite3.connect(uri, uri=True)
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(uri, uri=True)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
    return conn


def _check_tables(cursor: Any) -> None:
    rows = cursor.execute("PRAGMA integrity_check").fetchall()
    if rows != [("ok",)]:
        raise BadFile(_l("The copy failed its integrity check; nothing was replaced."))
    tables = {r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"alembic_version", "settings", "encounters"} <= tables:
        raise BadFile(_l("The file is not an Outreach Tally database."))


def _check_whole(cursor: Any, path: Path) -> None:
    """A copy cut short inside its last page still opens (SQLite reads the missing bytes as
    zeros) and passes integrity_check when that page is a free one; restored, it would leave a
    folder that does not open. The file must hold every page its header counts."""
    (pages,) = cursor.execute("PRAGMA page_count").fetchone()
    (page_size,) = cursor.execute("PRAGMA page_size").fetchone()
    if path.stat().st_size != int(pages) * int(page_size):  # SQLCipher answers page_size as text
        raise BadFile(_l("{name} is incomplete (cut short); nothing was replaced.", name=path.name))


def read_only_engine(path: Path, passphrase: str | None) -> Engine:
    """An engine over a file that must stay exactly as it is (a backup someone may restore)."""
    return create_engine(
        "sqlite://", creator=lambda: _open_read_only(path, passphrase), poolclass=NullPool
    )


def read_backup_revision(path: Path, passphrase: str | None) -> str:
    """Check a file is a healthy database of ours, without writing to it; returns its revision.

    Read-only on purpose: a file someone asks to restore must stay as it was if it is refused.
    """
    try:
        conn = _open_read_only(path, passphrase)
    except Exception as exc:
        raise BadFile(_l("{name} cannot be opened as a database.", name=path.name)) from exc
    try:
        cursor = conn.cursor()
        _check_whole(cursor, path)
        _check_tables(cursor)
        row = cursor.execute("SELECT version_num FROM alembic_version").fetchone()
        cursor.close()
        return str(row[0]) if row else ""
    except BadFile:
        raise
    except Exception as exc:  # the driver's own error types differ between sqlite3 and sqlcipher3
        raise BadFile(
            _l("{name} is not an Outreach Tally backup that this passphrase opens.", name=path.name)
        ) from exc
    finally:
        conn.close()


def verify_database_file(path: Path, passphrase: str | None) -> None:
    """Check a database file is a healthy copy of ours, without changing it."""
    read_backup_revision(path, passphrase)


def copy_database(source: Engine, dest: Path, passphrase: str | None) -> None:
    """Online backup of `source` into `dest` (same encryption), verified before it lands."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.partial")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    target_engine = make_engine(sqlite_url(tmp, passphrase), poolclass=NullPool)
    try:
        src_raw = source.raw_connection()
        dst_raw = target_engine.raw_connection()
        try:
            src_raw.driver_connection.backup(dst_raw.driver_connection)  # type: ignore[union-attr]
            # A single-file copy: fold the WAL back so the copy stands alone.
            dst_raw.driver_connection.execute("PRAGMA journal_mode = DELETE")  # type: ignore[union-attr]
        finally:
            dst_raw.close()
            src_raw.close()
        target_engine.dispose()
        # Verified read-only: an engine connection would switch the copy back to WAL mode.
        read_backup_revision(tmp, passphrase)
    except BadFile:
        tmp.unlink(missing_ok=True)
        raise
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise disk_full(_l("the backup {path}", path=dest)) from exc
        raise StoreError(
            _l("The backup to {path} failed: {reason}.", path=dest, reason=exc.__class__.__name__)
        ) from exc
    finally:
        target_engine.dispose()
    for side in (Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        with contextlib.suppress(FileNotFoundError):
            side.unlink()
    os.replace(tmp, dest)
