"""Retention (contracts §10): `purge --older-than MONTHS` and the schedule in settings.

A purge empties the free text people typed (the purgeable columns of `storage/triggers.py`:
encounter notes, reasons for voiding, stock and count notes, copies' reasons) of records that
occurred before a cut-off fixed when the purge is made: local midnight, MONTHS months before
today. Codes (already keyed) and every count stay. The purge is a record with its cut-off, so a
record that arrives later and occurred before it is written without its text
(`services/free_text.py`), and a device that receives the purge purges the same (`reapply`).

Then nothing purged is left behind on SQLite: the update runs with `secure_delete` (freed space
zeroed), the WAL is checkpointed and truncated, the file vacuumed (no free pages), and each of
the folder's own backups is purged the same way in place, or removed when it cannot be (another
passphrase, a schema from before 0004). PostgreSQL keeps old row versions until `VACUUM FULL`;
the app runs it when its login may, and otherwise says what the administrator must run.
"""

from __future__ import annotations

import calendar
import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from outreach_app.domain.clock import to_utc
from outreach_app.domain.errors import InvalidInput, OutreachError
from outreach_app.domain.roles import Action
from outreach_app.i18n import N_, _, _l
from outreach_app.services import audit, free_text, held_purge, staff
from outreach_app.services.store import Store
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.backup import read_backup_revision
from outreach_app.storage.models import Base, Purge, Setting

log = logging.getLogger(__name__)

SCHEDULE_KEY = "purge_older_than_months"
#: A scheduled purge runs when the last cut-off is this far behind the schedule's (so the
#: vacuum and the backups' rewrite run about once a week, not at every close).
SCHEDULE_SLACK = timedelta(days=7)
#: Backups older than this schema cannot hold the columns in their present form: removed.
OLDEST_REWRITABLE = "0004"
PG_TABLES = tuple(free_text.PURGEABLE)
PG_NOTE = N_(
    "On PostgreSQL the old versions of the emptied rows stay in the server's files until "
    "`VACUUM FULL {tables}` runs (done now; run it again only after restoring an old dump). The "
    "server's WAL archive, base backups and pg_dump files keep the text until they are rotated "
    "out: ask the server's administrator."
)
PG_NOTE_NOT_RUN = N_(
    "On PostgreSQL the old versions of the emptied rows stay in the server's files until "
    "`VACUUM FULL {tables}` runs (this login may not run it: ask the server's administrator). "
    "The server's WAL archive, base backups and pg_dump files keep the text until they are "
    "rotated out: ask the server's administrator."
)


@dataclass(frozen=True, slots=True)
class PurgeResult:
    cut_off: datetime
    older_than_months: int
    emptied: tuple[tuple[str, int], ...]  # (table, rows whose free text was emptied)
    backups_rewritten: tuple[str, ...] = ()
    backups_removed: tuple[str, ...] = ()
    server_note: str = ""  # PostgreSQL: what is left for the administrator
    wal_left: bool = False  # SQLite: another connection kept the WAL from being emptied

    @property
    def total(self) -> int:
        return sum(n for _, n in self.emptied)


def cut_off_for(today: date, months: int, zone: ZoneInfo) -> datetime:
    """Local midnight `months` months before `today` (the day kept if the month has it)."""
    if months < 1:
        raise InvalidInput(
            _l("Purge only text older than at least 1 month (--older-than 1 or more).")
        )
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return to_utc(datetime.combine(date(year, month + 1, day), dtime()), zone)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def empty_before(conn: Connection, cut_off: datetime) -> dict[str, int]:
    """Empty the free text of every record that occurred before `cut_off` (the database's
    guard allows exactly this update, `storage/triggers.py`); rows emptied per table."""
    emptied = {}
    for name, columns in free_text.PURGEABLE.items():
        table = _table(name)
        moment = table.c[free_text.MOMENT[name]]
        has_text = [table.c[c] != "" for c in columns]
        result = conn.execute(
            update(table)
            .where(moment < cut_off)
            .where(or_(*has_text))
            .values({c: "" for c in columns})
        )
        emptied[name] = max(result.rowcount or 0, 0)
    held = held_purge.empty_held(conn, cut_off)  # records held back by a merge, too
    if held:
        emptied["sync_held"] = held
    return emptied


def reapply(uow: UnitOfWork) -> dict[str, int]:
    """The latest purge's cut-off applied again to everything (after records arrive in bulk,
    or a purge arrives from another device); empties nothing twice."""
    cut_off = free_text.latest_cut_off(uow.session)
    if cut_off is None:
        return {}
    return empty_before(uow.session.connection(), cut_off)


def record_purge(uow: UnitOfWork, months: int, *, scheduled: bool = False) -> PurgeResult:
    """The purge as a record, and its update, in one unit (coordinators; a scheduled one was
    decided by the coordinator who set the schedule)."""
    if not scheduled:
        staff.require(uow, Action.PURGE)
    cut_off = cut_off_for(uow.today(), months, uow.zone)
    session = uow.session
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")  # the emptied text's space is zeroed
    session.add(Purge(cut_off=cut_off, older_than_months=months))
    session.flush()
    free_text.forget_cut_off(session)
    emptied = reapply(uow)
    how = "scheduled purge" if scheduled else "purge"
    day = cut_off.astimezone(uow.zone).date().isoformat()
    audit.record(
        uow,
        "purge",
        f"{how}: free text of records before {day} ({months} months); "
        f"{sum(emptied.values())} records emptied",
    )
    return PurgeResult(cut_off, months, tuple(sorted(emptied.items())))


def purge(store: Store, months: int, *, scheduled: bool = False) -> PurgeResult:
    """Record the purge and empty the text, then leave nothing of it behind (see above)."""
    cut_off_for(date.today(), months, store.zone)  # refuse 0 before opening a unit
    result = store.write(lambda uow: record_purge(uow, months, scheduled=scheduled))
    if store.is_postgres:
        return _finish_postgres(store, result)
    wal_left = not scrub_file(store)
    rewritten, removed = rewrite_backups(store, result.cut_off)
    return PurgeResult(
        result.cut_off,
        months,
        result.emptied,
        tuple(rewritten),
        tuple(removed),
        wal_left=wal_left,
    )


# --- Leaving nothing behind: SQLite ----------------------------------------------------------


def scrub_file(store: Store, tries: int = 20) -> bool:
    """Fold the WAL into the file and empty it, vacuum (no free pages left), empty it again.
    False when another connection kept reading, so the WAL could not be emptied."""
    raw = store.engine.raw_connection()  # VACUUM runs outside any transaction of ours
    try:
        driver: Any = raw.driver_connection
        driver.execute("PRAGMA secure_delete = ON")
        emptied = _checkpoint(driver, tries)
        driver.execute("VACUUM")
        return _checkpoint(driver, tries) and emptied
    finally:
        raw.close()


def _checkpoint(driver: Any, tries: int) -> bool:
    for _try in range(tries):
        busy, _log, _done = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return True
        time.sleep(0.1)
    log.warning("the WAL could not be emptied after a purge: another connection is reading")
    return False


def _backup_files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.iterdir() if p.is_file())


def rewrite_backups(store: Store, cut_off: datetime) -> tuple[list[str], list[str]]:
    """Each of the folder's own backups purged in place; those that cannot be are removed."""
    rewritten, removed = [], []
    for path in _backup_files(store.folder.backups):
        if path.suffix != ".db":
            if _leftover(path.name):  # a copy that never finished, a journal beside a backup
                _shred(path)
            continue  # anything else there is not the app's
        try:
            _purge_backup(path, store.passphrase, cut_off)
            rewritten.append(path.name)
        except (OutreachError, sqlite3.Error, OSError, ImportError) as exc:
            log.info("removed backup %s after a purge (%s)", path.name, type(exc).__name__)
            _shred(path)
            removed.append(path.name)
    return rewritten, removed


def _leftover(name: str) -> bool:
    return (name.startswith(".") and ".partial" in name) or name.endswith(
        (".db-journal", ".db-wal", ".db-shm")
    )


def _open_backup(path: Path, passphrase: str | None) -> Any:
    if passphrase is None:
        return sqlite3.connect(path, isolation_level=None)
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
    return conn


class _CannotRewrite(OutreachError):
    pass


def _purge_backup(path: Path, passphrase: str | None, cut_off: datetime) -> None:
    """Purge one backup file in place: no copy of it is made (a copy would hold the text)."""
    revision = read_backup_revision(path, passphrase)  # ours, and this passphrase opens it
    if revision < OLDEST_REWRITABLE:
        raise _CannotRewrite(f"{path.name}: schema {revision}")
    conn = _open_backup(path, passphrase)
    try:
        conn.execute("PRAGMA journal_mode = MEMORY")  # no journal file holding the old pages
        conn.execute("PRAGMA secure_delete = ON")
        millis = int(cut_off.timestamp() * 1000)  # times on SQLite: milliseconds (types.py)
        conn.execute("BEGIN IMMEDIATE")
        for name, columns in free_text.PURGEABLE.items():
            sets = ", ".join(f"\"{c}\" = ''" for c in columns)
            text = " OR ".join(f"\"{c}\" <> ''" for c in columns)
            moment = free_text.MOMENT[name]
            conn.execute(f'UPDATE "{name}" SET {sets} WHERE "{moment}" < ? AND ({text})', (millis,))
        held_purge.empty_held_sqlite(conn, millis)
        conn.execute("COMMIT")
        conn.execute("VACUUM")
    finally:
        conn.close()
    read_backup_revision(path, passphrase)  # still a healthy backup of ours


def _shred(path: Path) -> None:
    """Overwrite a file's bytes before removing it (what a file system keeps of the blocks it
    frees is beyond the app: README says so)."""
    with contextlib.suppress(OSError):
        size = path.stat().st_size
        with path.open("r+b") as handle:
            for start in range(0, size, 1 << 20):
                handle.write(b"\0" * min(1 << 20, size - start))
            handle.flush()
            os.fsync(handle.fileno())
    path.unlink(missing_ok=True)


# --- PostgreSQL ------------------------------------------------------------------------------


def _finish_postgres(store: Store, result: PurgeResult) -> PurgeResult:
    tables = ", ".join(PG_TABLES)
    try:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM FULL {tables}")
        note = _(PG_NOTE, tables=tables)
    except SQLAlchemyError:
        log.warning("VACUUM FULL after a purge failed; the server's administrator should run it")
        note = _(PG_NOTE_NOT_RUN, tables=tables)
    return PurgeResult(result.cut_off, result.older_than_months, result.emptied, server_note=note)


# --- The schedule ----------------------------------------------------------------------------


def schedule(uow: UnitOfWork) -> int | None:
    """The months of the schedule ("purge notes older than N months"), None when there is none."""
    setting = uow.session.get(Setting, SCHEDULE_KEY)
    return int(setting.value) if setting is not None and setting.value.isdigit() else None


def set_schedule(uow: UnitOfWork, months: int | None) -> None:
    """Set (or, with None, stop) the schedule: coordinators only, like a purge."""
    staff.require(uow, Action.PURGE)
    if months is not None:
        cut_off_for(uow.today(), months, uow.zone)  # refuses fewer than 1 month
    setting = uow.session.get(Setting, SCHEDULE_KEY)
    if months is None:
        if setting is not None:
            uow.session.delete(setting)
        audit.record(uow, "purge schedule", "no scheduled purge")
        return
    if setting is None:
        uow.session.add(Setting(key=SCHEDULE_KEY, value=str(months)))
    else:
        setting.value = str(months)
    audit.record(uow, "purge schedule", f"free text older than {months} months")


def due(uow: UnitOfWork) -> int | None:
    """The schedule's months when its purge is due (its cut-off more than a week ahead of the
    latest purge's), else None."""
    months = schedule(uow)
    if months is None:
        return None
    latest = uow.session.scalar(select(func.max(Purge.cut_off)))
    wanted = cut_off_for(uow.today(), months, uow.zone)
    if latest is not None and wanted - latest < SCHEDULE_SLACK:
        return None
    return months


def run_schedule(store: Store) -> PurgeResult | None:
    """What the app calls at close (and `purge --scheduled`): the scheduled purge when due."""
    with store.reading() as uow:
        months = due(uow)
    if months is None:
        return None
    return purge(store, months, scheduled=True)
