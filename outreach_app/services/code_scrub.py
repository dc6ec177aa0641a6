"""Leaving no typed participant code behind once migration 0004 has keyed them (contracts §10):
the file vacuumed and its WAL emptied, the folder's older backups replaced by one fresh verified
backup; on PostgreSQL a full vacuum of the encounters' old row versions."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from outreach_app.domain.clock import utc_now
from outreach_app.domain.errors import OutreachError
from outreach_app.storage.backup import copy_database, read_backup_revision
from outreach_app.storage.folder import DataFolder

log = logging.getLogger(__name__)

KEYED_CODES_REVISION = "0004"


def typed_codes_possible(revision_before: str | None) -> bool:
    """True after migrating data from before revision 0004 (codes were stored as typed)."""
    return bool(revision_before) and str(revision_before) < KEYED_CODES_REVISION


def scrub_typed_codes(engine: Engine, folder: DataFolder, key: str | None) -> None:
    """After the migration keyed the codes: leave no typed code in the file, its WAL, or the
    folder's own backups (contracts §10). The file is vacuumed (free pages gone) and its WAL
    emptied; each backup of before 0004 (or one this passphrase cannot open) is removed, and one
    fresh verified backup of the migrated data takes their place."""
    raw = engine.raw_connection()  # VACUUM runs outside any transaction: no BEGIN of ours
    try:
        driver: Any = raw.driver_connection
        driver.execute("PRAGMA secure_delete = ON")
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        driver.execute("VACUUM")
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    backups = folder.backups
    old = []
    if backups.is_dir():
        for path in sorted(backups.glob("*.db")):
            try:
                revision = read_backup_revision(path, key)
            except OutreachError:
                revision = ""
            if revision < KEYED_CODES_REVISION:
                old.append(path)
    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    copy_database(engine, backups / f"after-keying-codes-{stamp}.db", key)
    for path in old:
        path.unlink(missing_ok=True)
        log.info("removed a backup that held typed participant codes: %s", path.name)


def vacuum_postgres(engine: Engine) -> None:
    """Old row versions holding typed codes go with a full vacuum (needs the table's owner)."""
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM FULL encounters")
    except SQLAlchemyError:
        log.warning("VACUUM FULL encounters failed; the server's administrator should run it")
