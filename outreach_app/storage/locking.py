"""How a transaction begins: write units hold the write lock from BEGIN, read units never take it.

A unit of work that checks then writes (on hand, then the movements that draw on it) must hold
the write lock from its first read, or two writers can both pass the check. SQLite's default
deferred BEGIN takes the lock only at the first write, so pysqlite's own transaction handling is
switched off (`isolation_level = None`) and BEGIN is emitted here, as SQLAlchemy's pysqlite notes
("Serializable isolation / Savepoints / Transactional DDL") describe:

- a write unit: `BEGIN IMMEDIATE` (SQLite, SQLCipher), or `SELECT pg_advisory_xact_lock(KEY)` as
  the first statement on PostgreSQL: one writer at a time as on SQLite; other writers wait for
  it (bounded by `lock_timeout`), readers never do, and with one lock taken first there is no
  deadlock between our own writers;
- a read unit: a snapshot that may not write (`PRAGMA query_only`, `READ ONLY`), so a long
  report never holds, nor waits for, the write lock;
- anything else (opening, checks, migrations' own engine): a plain deferred BEGIN, as before.

Which kind a transaction is travels as the connection's execution option `UNIT`. A wait that
runs out surfaces as the driver's busy / lock-timeout error; `is_busy` tells those apart so the
services can retry the whole unit of work.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DBAPIError

UNIT = "outreach_unit"  # execution option: WRITE, READ, or absent
WAIT_MS = "outreach_wait_ms"  # execution option: how long a write unit waits for the lock
WRITE = "write"
READ = "read"
DEFAULT_WAIT_MS = 5000

# pg_advisory_xact_lock takes a bigint; a fixed key of our own ("OUTRTALY" in ASCII), distinct
# from any key a migration lock may use.
WRITE_LOCK_KEY = 0x4F55_5452_5441_4C59

_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
# serialization failure, deadlock detected, lock not available (lock_timeout)
_PG_RETRYABLE = {"40001", "40P01", "55P03"}


def _on_connect_sqlite(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # BEGIN is ours (see `_on_begin`)


def _on_begin_sqlite(conn: Connection) -> None:
    options = conn.get_execution_options()
    unit = options.get(UNIT)
    conn.exec_driver_sql(f"PRAGMA query_only = {1 if unit == READ else 0}")
    if unit == WRITE:
        wait_ms = int(options.get(WAIT_MS, DEFAULT_WAIT_MS))
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {wait_ms}")
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # busy can only happen here, before any work
    else:
        conn.exec_driver_sql("BEGIN")


def _on_begin_postgres(conn: Connection) -> None:
    options = conn.get_execution_options()
    unit = options.get(UNIT)
    if unit == WRITE:
        wait_ms = int(options.get(WAIT_MS, DEFAULT_WAIT_MS))
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {wait_ms}")
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
    elif unit == READ:
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def install(engine: Engine) -> None:
    """Make `engine` begin transactions as described above (called by `make_engine`)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect_sqlite)
        event.listen(engine, "begin", _on_begin_sqlite)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _on_begin_postgres)


def is_busy(error: BaseException) -> bool:
    """Another writer held the lock too long, or PostgreSQL gave up on a conflict: retryable."""
    if not isinstance(error, DBAPIError) or error.orig is None:
        return False
    orig = error.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _PG_RETRYABLE
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    text = str(orig).lower()
    return "database is locked" in text or "database table is locked" in text
