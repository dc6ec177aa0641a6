"""Opening and creating the data store: the one entry point the CLI and the app go through."""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

import outreach_app.services.free_text  # noqa: F401 - its flush hook empties purged text
from outreach_app.domain import identity
from outreach_app.domain.clock import system_zone, utc_now
from outreach_app.domain.codes import SiteKind, parse_enum
from outreach_app.domain.errors import (
    AlreadyInitialised,
    InvalidInput,
    NotInitialised,
    OutreachError,
    PassphraseRequired,
    PinRefused,
    StoreError,
)
from outreach_app.domain.participant import CodeScheme
from outreach_app.i18n import _l
from outreach_app.services import audit, staff, writes
from outreach_app.services.folder_state import folder_is_encrypted
from outreach_app.services.seed import seed_catalog
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage import engine as engines
from outreach_app.storage import locking
from outreach_app.storage.backup import copy_database, read_backup_revision
from outreach_app.storage.folder import DataFolder, FolderRecord
from outreach_app.storage.migrate import needs_migration, upgrade_to_head
from outreach_app.storage.models import Device, Setting, Site
from outreach_app.storage.schema import has_any_table

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = ["InitOptions", "Store", "folder_is_encrypted", "init_store", "open_store"]


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


def resolve_zone(name: str | None) -> ZoneInfo:
    """The zone named at `init`, else the system's (contracts §1)."""
    if not name:
        return system_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            _l(
                "Unknown time zone {name!r}. Use a name such as America/Toronto or Europe/Paris.",
                name=name,
            )
        ) from None


def _open_postgres(db_url: str) -> Engine:
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


def _load_store(
    engine: Engine, folder: DataFolder, passphrase: str | None, path: Path | None
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
    )


KEYED_CODES_REVISION = "0004"


def _typed_codes_possible(revision_before: str | None) -> bool:
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


def _vacuum_postgres(engine: Engine) -> None:
    """Old row versions holding typed codes go with a full vacuum (needs the table's owner)."""
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM FULL encounters")
    except SQLAlchemyError:
        log.warning("VACUUM FULL encounters failed; the server's administrator should run it")


def open_store(data_dir: Path, db_url: str | None = None, passphrase: str | None = None) -> Store:
    folder = DataFolder(data_dir)
    if db_url:
        engine = _open_postgres(db_url)
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
            if _typed_codes_possible(before):
                _vacuum_postgres(engine)
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
    engine = engines.make_engine(engines.sqlite_url(path, key))
    try:
        engines.probe_connection(engine, path, record.encrypted)
        with engine.connect() as conn:
            if not has_any_table(conn):
                raise StoreError(_l("{path} is empty. Restore it from a backup.", path=path))

        def backup_before_migration() -> None:
            stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
            copy_database(engine, folder.backups / f"before-migration-{stamp}.db", key)

        before = needs_migration(engine)
        upgrade_to_head(engine, backup=backup_before_migration)
        if _typed_codes_possible(before):
            scrub_typed_codes(engine, folder, key)
        return _load_store(engine, folder, key, path)
    except BaseException:
        engine.dispose()
        raise


@dataclass(frozen=True)
class InitOptions:
    org: str
    site: str
    site_kind: str = SiteKind.FIXED.value
    device: str = "This computer"
    timezone: str | None = None
    passphrase: str | None = None  # None: no encryption
    coordinator: str = "Coordinator"  # the first coordinator's name
    coordinator_pin: str | None = None  # None: set later (in the app)
    codes: str = CodeScheme.RANDOM.value


def _seed_new_database(engine: Engine, options: InitOptions, zone: ZoneInfo) -> None:
    kind = parse_enum(SiteKind, options.site_kind)
    if kind is None:
        raise InvalidInput(
            _l(
                "Unknown site kind {kind!r}; use one of {options}",
                kind=options.site_kind,
                options=", ".join(k.value for k in SiteKind),
            )
        )
    scheme = parse_enum(CodeScheme, options.codes)
    if scheme is None:
        raise InvalidInput(
            _l("Unknown code scheme {scheme!r}; use random or own.", scheme=options.codes)
        )
    if options.coordinator_pin is not None:
        staff.check_pin_shape(options.coordinator_pin)
    upgrade_to_head(engine)
    device_id = uuid.uuid4()
    with Session(engine) as session, session.begin():
        # The schema's own migration gave the new organisation its id and secret.
        org_id = uuid.UUID(session.get_one(Setting, "org_id").value)
        session.add(
            Device(
                id=device_id, name=options.device.strip() or "This computer", created_at=utc_now()
            )
        )
        for key, value in (
            ("org_name", options.org.strip()),
            ("timezone", zone.key),
            ("device_id", str(device_id)),
            ("code_scheme", scheme.value),
        ):
            session.add(Setting(key=key, value=value))
        session.flush()
        uow = UnitOfWork(session, device_id, zone, org_id=org_id)
        seed_catalog(uow)
        site_name = " ".join(options.site.split())
        session.add(Site(id=identity.site_id(org_id, site_name), name=site_name, kind=kind.value))
        session.flush()
        audit.record(uow, "init", f"{options.org.strip()}: catalog and first site")
        staff.add_first_coordinator(uow, options.coordinator, options.coordinator_pin)


def init_store(data_dir: Path, options: InitOptions, db_url: str | None = None) -> None:
    if not options.org.strip() or not options.site.strip():
        raise InvalidInput(_l("Give the organisation and the first site a name."))
    zone = resolve_zone(options.timezone)
    if db_url:
        engine = _open_postgres(db_url)
        try:
            with engine.connect() as conn:
                if has_any_table(conn):
                    raise AlreadyInitialised(
                        _l(
                            "This PostgreSQL database already has tables; `init` only seeds an "
                            "empty database. Nothing was changed."
                        )
                    )
            _seed_new_database(engine, options, zone)
        finally:
            engine.dispose()
        return
    folder = DataFolder(data_dir)
    if folder.is_initialised():
        raise AlreadyInitialised(
            _l(
                "{path} is already initialised. Nothing was changed; use another --data-dir for "
                "a new data folder.",
                path=data_dir,
            )
        )
    created_folder = not data_dir.exists()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            _l(
                "Cannot create the data folder {path}: {reason}.",
                path=data_dir,
                reason=exc.strerror,
            )
        ) from None
    folder.check_writable()
    record = FolderRecord(encrypted=options.passphrase is not None)
    path = folder.database_path(record)
    leftovers = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]
    for leftover in leftovers:  # a previous init that died before writing the record
        leftover.unlink(missing_ok=True)
    engine = engines.make_engine(engines.sqlite_url(path, options.passphrase))
    try:
        _seed_new_database(engine, options, zone)
        engine.dispose()
        folder.write_record(record)
    except BaseException:
        engine.dispose()
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        if created_folder:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
