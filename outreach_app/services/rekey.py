"""`passphrase`: a new SQLCipher passphrase for the folder's database (contracts §10).

Coordinators only, and only on an encrypted folder: a PostgreSQL database or an unencrypted
folder has no passphrase of ours to change (refused, saying why). First a verified backup in
the folder's `backups/`, under the old passphrase (older backups all keep the one they were
made with); then the file is rekeyed in place on one connection (`PRAGMA rekey`, with the WAL
folded back first, so no page stays under the old key); then the store is opened again with the
new passphrase, which proves it, and the change is audited there.

Neither passphrase appears in a repr, a log line or an error message: failures are reported by
their kind only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outreach_app.domain.errors import InvalidInput, OutreachError
from outreach_app.domain.roles import Action
from outreach_app.i18n import _l
from outreach_app.services import audit, backups, staff
from outreach_app.services.store import Store, open_store

log = logging.getLogger(__name__)
MIN_LENGTH = 8


@dataclass(frozen=True, slots=True)
class Rekeyed:
    """The store, open again under the new passphrase, and the backup made before."""

    store: Store
    backup: Path

    def __repr__(self) -> str:
        return f"Rekeyed(backup={self.backup.name!r})"


def refuse_unless_possible(store: Store) -> None:
    """Why this store's passphrase cannot be changed, or by whom (exit 1); nothing written."""
    if store.is_postgres:
        raise InvalidInput(
            _l(
                "A PostgreSQL database has no passphrase of Outreach Tally's: the server's "
                "logins (and its own disk encryption) protect it. Nothing was changed."
            )
        )
    if not store.encrypted or store.database_path is None:
        raise InvalidInput(
            _l(
                "This data folder is not encrypted, so it has no passphrase to change. Nothing "
                "was changed. (An encrypted folder is made by `init` without --no-encryption.)"
            )
        )
    with store.reading() as uow:
        staff.require(uow, Action.PASSPHRASE)


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def change_passphrase(store: Store, new: str) -> Rekeyed:
    """Rekey the folder's database; `store` is closed whatever happens, the returned one is
    open (with the new passphrase)."""
    try:
        refuse_unless_possible(store)
        if len(new) < MIN_LENGTH:
            raise InvalidInput(_l("Choose a passphrase of at least {n} characters.", n=MIN_LENGTH))
        if new == store.passphrase:
            raise InvalidInput(_l("The new passphrase is the one in use; nothing was changed."))
        saved = backups.backup_before(store, "passphrase")  # verified, under the old one
    finally:
        store.close()  # folds the WAL back into the file; no other connection stays open
    path, old, acting = store.database_path, store.passphrase or "", store.staff_id
    if path is None:  # refused above already; for the type checker
        raise InvalidInput(_l("This data store has no database file of its own."))
    _rekey(path, old, new)
    reopened = open_store(store.folder.path, passphrase=new)
    reopened.staff_id = acting
    try:
        with reopened.unit_of_work() as uow:
            audit.record(uow, "passphrase", f"changed after a verified backup ({saved.name})")
    except BaseException:
        reopened.close()
        raise
    return Rekeyed(reopened, saved)


def _rekey(path: Path, old: str, new: str) -> None:
    from sqlcipher3 import dbapi2 as sqlcipher

    conn: Any = None
    try:
        conn = sqlcipher.connect(str(path), isolation_level=None)
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA key = " + _quoted(old))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()  # proves the old key
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # Rekeying rewrites every page; outside WAL mode it is one journalled transaction.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA rekey = " + _quoted(new))
    except Exception as exc:  # the driver's own types; its text never holds the key
        kind = type(exc).__name__
        log.error("changing the passphrase failed: %s", kind)
        raise OutreachError(
            _l(
                "Changing the passphrase failed ({kind}); the folder still opens with the old "
                "one. Nothing else was changed.",
                kind=kind,
            )
        ) from None
    finally:
        if conn is not None:
            conn.close()
