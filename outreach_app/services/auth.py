"""The app's coordinator PIN of before, now the PIN of the folder's first coordinator on this
device (services/staff.py holds staff, roles and PINs). Kept for the setup dialog and the
coordinator gate until the app signs people in by name."""

from __future__ import annotations

from outreach_app.domain.errors import InvalidInput
from outreach_app.i18n import _l
from outreach_app.services import staff
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Staff


def _first(uow: UnitOfWork) -> Staff:
    first = staff.first_coordinator_id(uow.session)
    person = uow.session.get(Staff, first) if first else None
    if person is None:
        raise InvalidInput(_l("This folder has no coordinator; run `outreach staff add`."))
    return person


def has_coordinator_pin(uow: UnitOfWork) -> bool:
    return staff.has_pin(uow, _first(uow).id)


def set_coordinator_pin(uow: UnitOfWork, pin: str, current: str | None = None) -> None:
    """Setting the first coordinator's PIN the first time needs nothing; changing it needs the
    current one."""
    person = _first(uow)
    if staff.has_pin(uow, person.id) and (
        current is None or not staff.check_pin(uow, person.name, current).ok
    ):
        raise InvalidInput(_l("The current coordinator PIN is needed to change it."))
    staff.check_pin_shape(pin)
    staff._store_pin(uow, person.id, pin)
    from outreach_app.services import audit

    audit.record(uow, "pin set", person.name)


def verify_coordinator_pin(uow: UnitOfWork, pin: str) -> bool:
    """True when `pin` is the first coordinator's PIN on this device (a wrong one counts)."""
    return staff.check_pin(uow, _first(uow).name, pin).ok
