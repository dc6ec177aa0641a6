"""The one place engines are made: SQLite, SQLCipher or PostgreSQL.

Every SQLite connection gets WAL, synchronous=FULL, foreign keys and a busy timeout. Engines hide
bound parameters so a participant code or note never reaches an error message or a log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import QueuePool

from outreach_app.domain.errors import (
    EncryptionMismatch,
    NotADatabase,
    StoreError,
    WrongPassphrase,
)
from outreach_app.i18n import _l
from outreach_app.storage import locking
from outreach_app.storage.diskfull import disk_full, is_disk_full
from outreach_app.storage.folder import SQLITE_HEADER

BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path, passphrase: str | None) -> URL:
    if passphrase is None:
        return URL.create("sqlite+pysqlite", database=str(path))
    return URL.create("sqlite+pysqlcipher", password=passphrase, database=str(path))


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        if "sqlcipher" in type(dbapi_conn).__module__:
            # Keep SQLCipher's own diagnostics (e.g. "hmac check failed") off the user's stderr.
            cursor.execute("PRAGMA cipher_log_level = NONE")
        # The first read proves the key before anything can write to the file.
        cursor.execute("SELECT count(*) FROM sqlite_master").fetchall()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def make_engine(url: URL | str, **kwargs: Any) -> Engine:
    if make_url(url).drivername == "sqlite+pysqlcipher" and "poolclass" not in kwargs:
        # SQLAlchemy's pysqlcipher default is one connection per thread (SingletonThreadPool),
        # and each SQLCipher connection costs a key derivation (about 0.17 s): a store opened on
        # one thread and used on the database worker's would open a second connection. Pool them
        # like plain SQLite files (QueuePool, usable from the thread that takes one).
        kwargs["poolclass"] = QueuePool
        kwargs["connect_args"] = {"check_same_thread": False, **kwargs.get("connect_args", {})}
    engine = create_engine(url, hide_parameters=True, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
    locking.install(engine)  # write units lock at BEGIN, read units never (storage/locking.py)
    return engine


def looks_like_plain_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == SQLITE_HEADER


def check_file_shape(path: Path, encrypted: bool) -> None:
    """Tell a wrong kind of file apart from a wrong passphrase before the driver opens it."""
    if not path.exists():
        raise StoreError(
            _l(
                "The database file {path} is missing. Restore it from a backup (`outreach "
                "restore`).",
                path=path,
            )
        )
    size = path.stat().st_size
    plain = looks_like_plain_sqlite(path)
    if encrypted and plain:
        raise EncryptionMismatch(
            _l(
                "The folder says its database is encrypted, but {name} is not encrypted. The "
                "file may have been replaced; restore it from a backup.",
                name=path.name,
            )
        )
    if size == 0 or size % 512 != 0:
        raise NotADatabase(
            _l(
                "{path} is not an Outreach Tally database (it may be damaged or another "
                "program's file). Restore it from a backup.",
                path=path,
            )
        )
    if not encrypted and not plain:
        raise EncryptionMismatch(
            _l(
                "The folder says its database is not encrypted, but {name} is encrypted or is "
                "not a database. Restore the folder's own file from a backup.",
                name=path.name,
            )
        )


def probe_connection(engine: Engine, path: Path, encrypted: bool) -> None:
    """Open one connection, translating driver failures into messages a person can act on."""
    try:
        with engine.connect():
            pass
    except (DatabaseError, OperationalError) as exc:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        if "not a database" in text or "encrypted" in text:
            if encrypted:
                raise WrongPassphrase(
                    _l(
                        "The passphrase does not open this data folder. Check it and try again "
                        "(OUTREACH_PASSPHRASE or the prompt)."
                    )
                ) from None
            raise NotADatabase(
                _l("{path} is not a database. Restore it from a backup.", path=path)
            ) from None
        if is_disk_full(exc):
            raise disk_full(str(path)) from None
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            raise StoreError(
                _l(
                    "The database {path} cannot be opened for writing ({reason}). Check the "
                    "folder's permissions.",
                    path=path,
                    reason=text,
                )
            ) from None
        raise StoreError(
            _l("The database {path} cannot be opened: {reason}", path=path, reason=text)
        ) from None
