"""Creating a data store: a new organisation's folder (or PostgreSQL database), seeded with the
catalog, its first site and its first coordinator. Opening one is `services/store.py`."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from outreach_app.domain import identity
from outreach_app.domain.clock import system_zone, utc_now
from outreach_app.domain.codes import SiteKind, parse_enum
from outreach_app.domain.device_keys import SIGNING_SEED_KEY, new_signing_seed, verify_key_of
from outreach_app.domain.errors import (
    AlreadyInitialised,
    InvalidInput,
    StoreError,
)
from outreach_app.domain.org_settings import is_org_setting
from outreach_app.domain.participant import CodeScheme
from outreach_app.i18n import _l
from outreach_app.services import audit, staff
from outreach_app.services.seed import seed_catalog
from outreach_app.services.store import open_postgres
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage import engine as engines
from outreach_app.storage.folder import DataFolder, FolderRecord
from outreach_app.storage.migrate import upgrade_to_head
from outreach_app.storage.models import Device, Setting, Site
from outreach_app.storage.schema import has_any_table


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
        now = utc_now()
        signing = new_signing_seed()
        session.add(
            Device(
                id=device_id,
                name=options.device.strip() or "This computer",
                created_at=now,
                verify_key=verify_key_of(signing),
            )
        )
        for key, value in (
            ("org_name", options.org.strip()),
            ("timezone", zone.key),
            ("device_id", str(device_id)),
            ("code_scheme", scheme.value),
            (SIGNING_SEED_KEY, signing.hex()),
        ):
            stamp = is_org_setting(key)
            session.add(
                Setting(
                    key=key,
                    value=value,
                    changed_at=now if stamp else None,
                    changed_by=device_id if stamp else None,
                )
            )
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
    create_store(
        data_dir,
        lambda engine: _seed_new_database(engine, options, zone),
        passphrase=options.passphrase,
        db_url=db_url,
    )


def create_store(
    data_dir: Path,
    seed: Callable[[Engine], None],
    *,
    passphrase: str | None,
    db_url: str | None = None,
) -> None:
    """A new, empty database (a folder's file, or an empty PostgreSQL database) given to
    `seed`; on any failure a folder is left as it was found."""
    if db_url:
        engine = open_postgres(db_url)
        try:
            with engine.connect() as conn:
                if has_any_table(conn):
                    raise AlreadyInitialised(
                        _l(
                            "This PostgreSQL database already has tables; `init` only seeds an "
                            "empty database. Nothing was changed."
                        )
                    )
            seed(engine)
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
    record = FolderRecord(encrypted=passphrase is not None)
    path = folder.database_path(record)
    leftovers = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]
    for leftover in leftovers:  # a previous init that died before writing the record
        leftover.unlink(missing_ok=True)
    engine = engines.make_engine(engines.sqlite_url(path, passphrase))
    try:
        seed(engine)
        engine.dispose()
        folder.write_record(record)
    except BaseException:
        engine.dispose()
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        if created_folder:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
