"""Staff, roles and PINs (contracts §10).

Names and roles are the organisation's (shared rows, id derived from the name); PINs are set
per device (`staff_pins`, argon2id) and never travel. After three wrong PINs in a row each try
waits longer (5 s, doubling, at most 5 minutes): slow enough against guessing, never a lock that
keeps the last coordinator out for good.

Every service that a worker may not use calls `require(uow, Action.…)` before writing anything;
the person is the unit of work's `staff_id` (the store's signed-in person).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from outreach_app.domain import identity, roles
from outreach_app.domain.errors import InvalidInput, NotFound, RoleRefused
from outreach_app.domain.roles import Action, Role
from outreach_app.i18n import Text, _l, _nl
from outreach_app.services import audit
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Setting, Staff, StaffPin

FIRST_COORDINATOR_KEY = "first_coordinator"
FREE_TRIES = 3
FIRST_WAIT_S = 5
MAX_WAIT_S = 300
_PIN = re.compile(r"\d{4,12}")
_hasher = PasswordHasher()


@dataclass(frozen=True, slots=True)
class StaffInfo:
    id: uuid.UUID
    name: str
    role: str
    active: bool
    created_at: datetime
    has_pin: bool  # on this device


@dataclass(frozen=True, slots=True)
class PinCheck:
    """The outcome of a PIN try; a refusal says what to do (`message`, translated when shown)."""

    ok: bool
    staff: StaffInfo | None = None
    wait_seconds: int = 0
    message: Text | str = ""


def _info(uow: UnitOfWork, person: Staff) -> StaffInfo:
    has_pin = uow.session.get(StaffPin, (uow.device_id, person.id)) is not None
    return StaffInfo(person.id, person.name, person.role, person.active, person.created_at, has_pin)


def _clean_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise InvalidInput(_l("Give the person a name (a first name or a nickname is enough)."))
    if len(name) > 80:
        raise InvalidInput(_l("Keep the name under {limit} characters.", limit=80))
    return name


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split()[:3]).upper()


def check_pin_shape(pin: str) -> None:
    if not _PIN.fullmatch(pin):
        raise InvalidInput(_l("A PIN is 4 to 12 digits."))


# --- Who is acting, and may they -----------------------------------------------------------


def first_coordinator_id(session: Session) -> uuid.UUID | None:
    """The folder's first coordinator: the one a command acts as without --staff."""
    setting = session.get(Setting, FIRST_COORDINATOR_KEY)
    if setting is not None:
        return uuid.UUID(setting.value)
    return session.scalar(
        select(Staff.id)
        .where(Staff.role == Role.COORDINATOR.value)
        .order_by(Staff.created_at, Staff.id)
        .limit(1)
    )


def acting(uow: UnitOfWork) -> Staff | None:
    return uow.session.get(Staff, uow.staff_id) if uow.staff_id else None


def require(uow: UnitOfWork, action: Action) -> None:
    """Refuse (exit 1, naming the role) unless the person acting may do `action`."""
    person = acting(uow)
    if person is not None and not person.active:
        raise RoleRefused(
            _l(
                "{name} is deactivated and may no longer act. Nothing was written.",
                name=person.name,
            )
        )
    roles.require(person.name if person else None, person.role if person else None, action)


def require_own_or(uow: UnitOfWork, maker: uuid.UUID | None, action: Action) -> None:
    """A worker may correct their own record; someone else's needs `action`'s role."""
    if maker is not None and maker == uow.staff_id:
        person = acting(uow)
        if person is not None and person.active:
            return
    require(uow, action)


def is_coordinator(uow: UnitOfWork) -> bool:
    person = acting(uow)
    return bool(person and person.active and person.role == Role.COORDINATOR.value)


# --- The staff list ------------------------------------------------------------------------


def list_staff(uow: UnitOfWork, include_inactive: bool = True) -> list[StaffInfo]:
    query = select(Staff).order_by(Staff.name)
    if not include_inactive:
        query = query.where(Staff.active)
    return [_info(uow, person) for person in uow.session.scalars(query)]


def find(session: Session, name: str) -> Staff:
    wanted = " ".join(name.split()).casefold()
    for person in session.scalars(select(Staff)):
        if person.name.casefold() == wanted:
            return person
    raise NotFound(
        _l(
            "No one called {name!r} is on the staff list; `outreach staff` lists them.",
            name=" ".join(name.split()),
        )
    )


def _new_person(uow: UnitOfWork, name: str, role: str) -> Staff:
    clean = _clean_name(name)
    try:
        member = roles.parse_role(role)
    except ValueError:
        raise InvalidInput(
            _l("Unknown role {role!r}; use worker or coordinator.", role=role)
        ) from None
    wanted = clean.casefold()
    if any(p.name.casefold() == wanted for p in uow.session.scalars(select(Staff))):
        raise InvalidInput(
            _l("{name} is already on the staff list; nothing was added.", name=clean)
        )
    person = Staff(
        id=identity.staff_id(uow.organisation_id(), clean),
        name=clean,
        initials=_initials(clean),
        role=member.value,
        active=True,
    )
    uow.session.add(person)
    uow.session.flush()
    return person


def add_first_coordinator(uow: UnitOfWork, name: str, pin: str | None) -> StaffInfo:
    """Setting up a folder: its first coordinator (no one to ask yet)."""
    if pin is not None:
        check_pin_shape(pin)
    person = _new_person(uow, name, Role.COORDINATOR.value)
    uow.session.add(Setting(key=FIRST_COORDINATOR_KEY, value=str(person.id)))
    uow.staff_id = person.id
    if pin is not None:
        _store_pin(uow, person.id, pin)
    audit.record(uow, "staff add", f"{person.name} (coordinator, first)")
    return _info(uow, person)


def add_staff(uow: UnitOfWork, name: str, role: str, pin: str | None = None) -> StaffInfo:
    require(uow, Action.STAFF)
    if pin is not None:
        check_pin_shape(pin)
    person = _new_person(uow, name, role)
    if pin is not None:
        _store_pin(uow, person.id, pin)
    audit.record(uow, "staff add", f"{person.name} ({person.role})")
    return _info(uow, person)


def deactivate_staff(uow: UnitOfWork, name: str) -> StaffInfo:
    require(uow, Action.STAFF)
    person = find(uow.session, name)
    if not person.active:
        raise InvalidInput(_l("{name} is already deactivated.", name=person.name))
    if person.role == Role.COORDINATOR.value:
        others = uow.session.scalars(
            select(Staff.id).where(
                Staff.role == Role.COORDINATOR.value, Staff.active, Staff.id != person.id
            )
        ).first()
        if others is None:
            raise InvalidInput(
                _l(
                    "{name} is the last active coordinator; add another coordinator first. "
                    "Nothing was changed.",
                    name=person.name,
                )
            )
    person.active = False
    uow.session.flush()
    audit.record(uow, "staff deactivate", person.name)
    return _info(uow, person)


# --- PINs (per device) ---------------------------------------------------------------------


def _store_pin(uow: UnitOfWork, staff_id: uuid.UUID, pin: str) -> None:
    row = uow.session.get(StaffPin, (uow.device_id, staff_id))
    value = _hasher.hash(pin)
    if row is None:
        uow.session.add(
            StaffPin(device_id=uow.device_id, staff_id=staff_id, pin_hash=value, failures=0)
        )
    else:
        row.pin_hash, row.failures, row.wait_until = value, 0, None
    uow.session.flush()


def set_pin(uow: UnitOfWork, name: str, pin: str) -> StaffInfo:
    """A person sets their own PIN on this device; a coordinator may set anyone's."""
    check_pin_shape(pin)
    person = find(uow.session, name)
    if person.id != uow.staff_id:
        require(uow, Action.STAFF)
    _store_pin(uow, person.id, pin)
    audit.record(uow, "pin set", person.name)
    return _info(uow, person)


def has_pin(uow: UnitOfWork, staff_id: uuid.UUID) -> bool:
    return uow.session.get(StaffPin, (uow.device_id, staff_id)) is not None


def wait_after(failures: int) -> int:
    """Seconds before the next try after `failures` wrong PINs in a row."""
    if failures < FREE_TRIES:
        return 0
    return min(FIRST_WAIT_S * 2 ** (failures - FREE_TRIES), MAX_WAIT_S)


def check_pin(uow: UnitOfWork, name: str, pin: str) -> PinCheck:
    """Try a PIN. A wrong one is counted (the unit must commit even when it is refused)."""
    person = find(uow.session, name)
    if not person.active:
        return PinCheck(
            False, message=_l("{name} is deactivated; ask a coordinator.", name=person.name)
        )
    row = uow.session.get(StaffPin, (uow.device_id, person.id))
    if row is None:
        return PinCheck(
            False,
            message=_l(
                "{name} has no PIN on this device yet; a coordinator can set one.",
                name=person.name,
            ),
        )
    now = uow.now()
    if row.wait_until is not None and now < row.wait_until:
        seconds = max(1, int((row.wait_until - now).total_seconds() + 0.999))
        return PinCheck(
            False,
            wait_seconds=seconds,
            message=_nl(
                "Too many wrong PINs for {name}: wait {n} second and try again.",
                "Too many wrong PINs for {name}: wait {n} seconds and try again.",
                seconds,
                name=person.name,
            ),
        )
    ok: bool
    try:
        ok = _hasher.verify(row.pin_hash, pin)
    except (VerificationError, InvalidHashError):
        ok = False
    if ok:
        if row.failures or row.wait_until:
            row.failures, row.wait_until = 0, None
        if _hasher.check_needs_rehash(row.pin_hash):
            row.pin_hash = _hasher.hash(pin)
        uow.session.flush()
        return PinCheck(True, staff=_info(uow, person))
    row.failures += 1
    wait = wait_after(row.failures)
    row.wait_until = now + timedelta(seconds=wait) if wait else None
    uow.session.flush()
    if wait:
        message = _nl(
            "That is not {name}'s PIN. Wait {n} second before the next try.",
            "That is not {name}'s PIN. Wait {n} seconds before the next try.",
            wait,
            name=person.name,
        )
    else:
        message = _l("That is not {name}'s PIN. Try again.", name=person.name)
    return PinCheck(False, wait_seconds=wait, message=message)
