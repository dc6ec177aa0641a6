"""Opening and creating the data store: the one entry point the CLI and the app go through."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import URL, Engine, select
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

import outreach_app.services.free_text  # noqa: F401 - its flush hook empties purged text
from outreach_app.domain.clock import utc_now
from outreach_app.domain.errors import (
    NotInitialised,
    PassphraseRequired,
    PinRefused,
    StoreError,
    WrongPassphrase,
)
from outreach_app.i18n import _l
from outreach_app.services import code_scrub, staff, writes
from outreach_app.services.folder_state import folder_is_encrypted
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage import engine as engines
from outreach_app.storage import locking
from outreach_app.storage.backup import copy_database
from outreach_app.storage.folder import DataFolder
from outreach_app.storage.migrate import needs_migration, upgrade_to_head
from outreach_app.storage.models import Setting
from outreach_app.storage.schema import has_any_table
from outreach_app.storage.sqlcipher_key import KeyDerivation

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = ["Store", "folder_is_encrypted", "open_postgres", "open_store"]


@dataclass
class Store:
    """An open data store. Hand it to services through `unit_of_work()`."""

    engine: Engine
    zone: ZoneInfo
    device_id: uuid.UUID
    org_name: str
    folder: DataFolder
    passphrase: str | None
    database_path: Path | None  # None on PostgreSQL
    org_id: uuid.UUID | None = None
    staff_id: uuid.UUID | None = None  # the person acting: stamped on every record written
    # What a new connection to the file opens with: the derived key (or the passphrase).
    connection_key: str | None = None

    def __repr__(self) -> str:  # never the passphrase
        return f"Store(org={self.org_name!r}, device={self.device_id}, encrypted={self.encrypted})"

    write_policy: writes.WritePolicy = field(default_factory=lambda: writes.DEFAULT_POLICY)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_retries = writes.RetryCounter()  # read by tests; each retry is also logged

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """A write unit: it holds the write lock from its BEGIN (retried there while another
        writer has it) to its commit. For reading only, use `reading()`."""
        session = writes.with_retries(self.write_policy, self.write_retries, self._begin_write)
        with writes.committing(session):
            yield self._unit(session)

    def write(self, fn: Callable[[UnitOfWork], T]) -> T:
        """`fn` in a write unit, the whole unit re-run on busy, deadlock or serialization failure
        (so `fn` must do nothing outside the database that cannot be done twice)."""

        def attempt() -> T:
            with writes.committing(self._begin_write()) as session:
                return fn(self._unit(session))

        return writes.with_retries(self.write_policy, self.write_retries, attempt)

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """A read unit: one snapshot, never the write lock (a long report does not hold up the
        counter); a write inside it is refused by the database."""
        with self._sessions() as session, session.begin():
            session.connection(execution_options={locking.UNIT: locking.READ})
            yield self._unit(session)

    def _unit(self, session: Session) -> UnitOfWork:
        return UnitOfWork(
            session, self.device_id, self.zone, org_id=self.org_id, staff_id=self.staff_id
        )

    def act_as(self, name: str, pin: str | None) -> staff.StaffInfo:
        """From now on act as `name`: the first coordinator needs no PIN here (the command line
        trusts whoever holds the passphrase, contracts §10); anyone else needs their own PIN.
        A wrong PIN is counted (the delay grows) and refused with PinRefused."""

        def attempt(uow: UnitOfWork) -> staff.PinCheck:
            person = staff.find(uow.session, name)
            if pin is None:
                if person.id != staff.first_coordinator_id(uow.session):
                    return staff.PinCheck(
                        False,
                        message=_l(
                            "Acting as {name} needs their PIN: set OUTREACH_PIN or run the "
                            "command in a terminal to type it.",
                            name=person.name,
                        ),
                    )
                if not person.active:
                    return staff.PinCheck(
                        False, message=_l("{name} is deactivated.", name=person.name)
                    )
                return staff.PinCheck(True, staff=staff._info(uow, person))
            return staff.check_pin(uow, name, pin)

        result = self.write(attempt)
        if not result.ok or result.staff is None:
            raise PinRefused(_l("{reason} Nothing was written.", reason=result.message))
        self.staff_id = result.staff.id
        return result.staff

    def needs_pin(self, name: str) -> bool:
        """Whether acting as `name` on the command line needs their PIN (contracts §10)."""
        with self.reading() as uow:
            person = staff.find(uow.session, name)
            return person.id != staff.first_coordinator_id(uow.session)

    def sign_in(self, name: str, pin: str) -> staff.StaffInfo:
        """The app's sign-in: name and PIN, whoever it is."""

        def attempt(uow: UnitOfWork) -> staff.PinCheck:
            return staff.check_pin(uow, name, pin)

        result = self.write(attempt)
        if not result.ok or result.staff is None:
            raise PinRefused(result.message)
        self.staff_id = result.staff.id
        return result.staff

    def sign_out(self) -> None:
        self.staff_id = None

    def _begin_write(self) -> Session:
        return writes.begin_write(self._sessions, self.write_policy)

    def close(self) -> None:
        if self.engine.dialect.name == "sqlite":
            try:
                with self.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except SQLAlchemyError:
                log.warning("WAL checkpoint on close failed", exc_info=True)
        self.engine.dispose()


def open_postgres(db_url: str | URL) -> Engine:
    engine = engines.make_engine(db_url, pool_pre_ping=True)
    try:
        with engine.connect():
            pass
    except OperationalError:
        engine.dispose()
        raise StoreError(
            _l(
                "The PostgreSQL database cannot be reached. Check --db-url, that the server is "
                "running and that this computer may connect to it."
            )
        ) from None
    except DBAPIError as exc:  # e.g. ?foo=bar: psycopg refuses an option it does not know
        engine.dispose()
        reason = str(exc.orig).splitlines()[0] if exc.orig is not None else "refused"
        raise StoreError(
            _l(
                "The PostgreSQL address given in --db-url cannot be used ({reason}). Check the "
                "options after '?' in it.",
                reason=reason,
            )
        ) from None
    return engine


def _probed_file_engine(
    path: Path, passphrase: str | None, derivation: KeyDerivation | None
) -> tuple[Engine, str | None]:
    """The file's engine, one connection opened, and the key its connections open with (None:
    a plain file): the key derived from the passphrase (`storage.sqlcipher_key`), else, for a
    file made with other key settings, the passphrase itself. Wrong both ways: WrongPassphrase."""
    candidates: list[str | None] = [None]
    if passphrase is not None:
        derived = (derivation or KeyDerivation(path, passphrase)).pragma_key()
        candidates = [derived, passphrase] if derived else [passphrase]
    for tried, connection_key in enumerate(candidates, start=1):
        engine = engines.make_engine(engines.sqlite_url(path, connection_key))
        try:
            engines.probe_connection(engine, path, passphrase is not None)
        except WrongPassphrase:
            engine.dispose()
            if tried == len(candidates):
                raise
            continue
        except BaseException:
            engine.dispose()
            raise
        return engine, connection_key
    raise AssertionError("unreachable: the last candidate raises or returns")


def _load_store(
    engine: Engine,
    folder: DataFolder,
    passphrase: str | None,
    path: Path | None,
    connection_key: str | None = None,
) -> Store:
    with Session(engine) as session:
        settings = {s.key: s.value for s in session.scalars(select(Setting))}
        first = staff.first_coordinator_id(session) if "org_name" in settings else None
    if "org_name" not in settings:
        raise NotInitialised(_l("This database is not initialised. Run `outreach init` first."))
    return Store(
        staff_id=first,
        engine=engine,
        zone=ZoneInfo(settings["timezone"]),
        device_id=uuid.UUID(settings["device_id"]),
        org_name=settings["org_name"],
        org_id=uuid.UUID(settings["org_id"]),
        folder=folder,
        passphrase=passphrase,
        database_path=path,
        connection_key=connection_key,
    )


def open_store(
    data_dir: Path,
    db_url: str | URL | None = None,
    passphrase: str | None = None,
    *,
    derivation: KeyDerivation | None = None,
) -> Store:
    """The folder's store (or the PostgreSQL one), migrated to this version. `derivation`:
    the file's key already being derived from `passphrase` (`start_key_derivation`)."""
    folder = DataFolder(data_dir)
    if db_url:
        engine = open_postgres(db_url)
        try:
            with engine.connect() as conn:
                if not has_any_table(conn):
                    raise NotInitialised(
                        _l(
                            "This PostgreSQL database is empty. Run `outreach --db-url URL init` "
                            "first."
                        )
                    )
            before = needs_migration(engine)
            upgrade_to_head(engine)
            if code_scrub.typed_codes_possible(before):
                code_scrub.vacuum_postgres(engine)
            return _load_store(engine, folder, None, None)
        except BaseException:
            engine.dispose()
            raise
    record = folder.read_record()
    folder.check_writable()
    path = folder.database_path(record)
    engines.check_file_shape(path, record.encrypted)
    if record.encrypted and not passphrase:
        raise PassphraseRequired(
            _l(
                "This data folder is encrypted. Set OUTREACH_PASSPHRASE or run from a terminal "
                "to be asked for the passphrase."
            )
        )
    key = passphrase if record.encrypted else None
    engine, connection_key = _probed_file_engine(path, key, derivation)
    try:
        with engine.connect() as conn:
            if not has_any_table(conn):
                raise StoreError(_l("{path} is empty. Restore it from a backup.", path=path))

        def backup_before_migration() -> None:
            stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
            copy_database(engine, folder.backups / f"before-migration-{stamp}.db", key)

        before = needs_migration(engine)
        upgrade_to_head(engine, backup=backup_before_migration)
        if code_scrub.typed_codes_possible(before):
            code_scrub.scrub_typed_codes(engine, folder, key)
        return _load_store(engine, folder, key, path, connection_key)
    except BaseException:
        engine.dispose()
        raise
