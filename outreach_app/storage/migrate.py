"""Bring a database to the schema this app expects, safely.

SQLite cannot roll back DDL unless pysqlite's own transaction handling is switched off and BEGIN
is emitted by hand, and `PRAGMA foreign_keys` is ignored inside a transaction; both are done here
on a dedicated connection. Alembic is imported only when a migration is actually needed, to keep
start-up fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.pool import NullPool

from outreach_app.domain.errors import NewerSchema, StoreError
from outreach_app.i18n import _l
from outreach_app.storage.engine import make_engine
from outreach_app.storage.locking import UNIT, WRITE
from outreach_app.storage.schema import HEAD_REVISION, KNOWN_REVISIONS, stored_revision

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIGRATION_LOCK_KEY = 7340003  # not the writers' key: a migration waits for no writer's queue


def needs_migration(engine: Engine) -> str | None:
    """The stored revision when it differs from head ('' for an empty database), else None."""
    with engine.connect() as conn:
        current = stored_revision(conn)
    if current == HEAD_REVISION:
        return None
    if current is not None and current not in KNOWN_REVISIONS:
        raise NewerSchema(
            _l(
                "This data was written by a newer version of Outreach Tally (schema {schema}). "
                "Install the newer version to open it; nothing was changed.",
                schema=current,
            )
        )
    return current or ""


def _run_alembic(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def _sqlite_migration_engine(engine: Engine) -> Engine:
    # BEGIN is emitted by make_engine's listener (storage/locking.py): IMMEDIATE, as a writer.
    migration_engine = make_engine(engine.url, poolclass=NullPool, execution_options={UNIT: WRITE})

    @event.listens_for(migration_engine, "connect")
    def _no_implicit_transactions(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # pysqlite would otherwise commit before DDL
        dbapi_conn.execute("PRAGMA foreign_keys = OFF")
        (value,) = dbapi_conn.execute("PRAGMA foreign_keys").fetchone()
        if value != 0:
            raise StoreError(_l("Could not switch off foreign keys for the migration."))

    return migration_engine


def upgrade_to_head(engine: Engine, backup: Callable[[], None] | None = None) -> bool:
    """Migrate if needed; `backup` runs first when there is data to protect. True if migrated."""
    current = needs_migration(engine)
    if current is None:
        return False
    if current and backup is not None:
        backup()
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            # Devices sharing one server: the first migrates, the others wait, then find it done.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
            if stored_revision(conn) == HEAD_REVISION:
                return False
            _run_alembic(conn)
        return True
    migration_engine = _sqlite_migration_engine(engine)
    try:
        with migration_engine.begin() as conn:
            _run_alembic(conn)
            problems = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if problems:
                raise StoreError(
                    _l(
                        "The migration found {count} broken references and was rolled back; your "
                        "data is unchanged. Keep the folder and report this.",
                        count=len(problems),
                    )
                )
    finally:
        migration_engine.dispose()
    return True
