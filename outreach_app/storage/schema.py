"""Which schema revisions this version of the app knows, without importing Alembic."""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

# Oldest first; the last one is head. A test checks this against Alembic's script directory.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
HEAD_REVISION = KNOWN_REVISIONS[-1]


def stored_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_any_table(conn: Connection) -> bool:
    return bool(inspect(conn).get_table_names())
