"""`backup` and `restore`: verified copies of the folder's database.

Restore never overwrites the only copy of anything: the current data is first copied (and
verified) into the folder's `backups/`, then the chosen file replaces it atomically.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from outreach_app.domain.clock import utc_now
from outreach_app.domain.errors import BadFile, DiskFull, InvalidInput
from outreach_app.i18n import N_, _l
from outreach_app.services import audit
from outreach_app.services.store import Store, open_store
from outreach_app.storage.backup import copy_database, read_backup_revision, read_only_engine
from outreach_app.storage.folder import SQLITE_HEADER
from outreach_app.storage.schema import HEAD_REVISION, KNOWN_REVISIONS

PG_MESSAGE = N_(
    "Backups of a PostgreSQL database are made with the server's own tools: use `pg_dump` "
    "(and `pg_restore` to bring one back)."
)
DAILY_KEEP = 7


def _sqlite_only(store: Store) -> Path:
    if store.database_path is None:
        raise InvalidInput(_l(PG_MESSAGE))
    return store.database_path


def backup_to(store: Store, out: Path) -> Path:
    _sqlite_only(store)
    out = out.expanduser()
    if out.exists():
        raise BadFile(
            _l("{path} already exists. Choose a new file name; nothing was written.", path=out)
        )
    if not out.parent.is_dir():
        raise BadFile(_l("The folder {path} does not exist.", path=out.parent))
    try:
        copy_database(store.engine, out, store.passphrase)
    except DiskFull as exc:  # the named file could not be written, not the data: exit 1 (§3)
        raise BadFile(exc.message) from exc
    return out


def backup_before(store: Store, what: str) -> Path:
    """A verified copy in the folder's backups before an operation that rewrites derived data."""
    stamp = utc_now().strftime("%Y%m%dT%H%M%S%fZ")
    target = store.folder.backups / f"before-{what}-{stamp}.db"
    copy_database(store.engine, target, store.passphrase)
    return target


def daily_backup(store: Store, today: date | None = None) -> Path | None:
    """The backup taken on close: one a day, the last seven kept."""
    if store.database_path is None:
        return None
    today = today or utc_now().astimezone(store.zone).date()
    folder = store.folder.backups
    target = folder / f"daily-{today.isoformat()}.db"
    if not target.exists():
        copy_database(store.engine, target, store.passphrase)
    dailies = sorted(folder.glob("daily-*.db"))
    for old in dailies[:-DAILY_KEEP]:
        old.unlink(missing_ok=True)
    return target


def _check_backup_file(store: Store, path: Path) -> None:
    if not path.is_file():
        raise BadFile(_l("{path} does not exist or is not a file.", path=path))
    with path.open("rb") as handle:
        plain = handle.read(16) == SQLITE_HEADER
    if plain == store.encrypted:
        message = (
            N_(
                "{name} is encrypted, unlike this data folder, or it is not an Outreach Tally "
                "backup. Nothing was changed."
            )
            if not plain
            else N_(
                "{name} is not encrypted, unlike this data folder, or it is not an Outreach "
                "Tally backup. Nothing was changed."
            )
        )
        raise BadFile(_l(message, name=path.name))
    revision = read_backup_revision(path, store.passphrase)
    if revision not in KNOWN_REVISIONS:
        raise BadFile(
            _l(
                "{name} comes from a newer version of Outreach Tally; install it to restore "
                "this backup. Nothing was changed.",
                name=path.name,
            )
        )
    if revision == HEAD_REVISION:
        _check_backup_records(path, store.passphrase)


def _check_backup_records(path: Path, passphrase: str | None) -> None:
    """Every record of the backup against its audit entry. A byte changed inside a value keeps
    a plain SQLite file "ok" for integrity_check, but not its records' hashes. (Free text a
    purge may empty is outside the hashes; older revisions are checked by `check` once
    migrated.)"""
    engine = read_only_engine(path, passphrase)
    try:
        with Session(engine) as session:
            problems = audit.verify(session)
    except Exception as exc:  # damage the integrity check missed: a value no type can read
        raise BadFile(
            _l(
                "{name} cannot be read whole: it was damaged after it was written. Nothing was "
                "changed; restore another backup.",
                name=path.name,
            )
        ) from exc
    finally:
        engine.dispose()
    if problems:
        raise BadFile(
            _l(
                "{name} does not match its own audit log ({problem}): it was damaged or changed "
                "after it was written. Nothing was changed; restore another backup.",
                name=path.name,
                problem=problems[0],
            )
        )


def restore_from(store: Store, backup: Path) -> Path:
    """Replace the folder's database with `backup`; returns where the old data was kept."""
    database = _sqlite_only(store)
    backup = backup.expanduser()
    try:
        _check_backup_file(store, backup)
        stamp = utc_now().strftime("%Y%m%dT%H%M%S%fZ")  # two restores a second apart stay apart
        saved = store.folder.backups / f"before-restore-{stamp}.db"
        copy_database(store.engine, saved, store.passphrase)
    finally:
        store.close()
    staged = database.with_name(f".{database.name}.restoring")
    shutil.copyfile(backup, staged)
    for side in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        side.unlink(missing_ok=True)
    os.replace(staged, database)
    reopened = open_store(store.folder.path, passphrase=store.passphrase)
    reopened.close()
    return saved
