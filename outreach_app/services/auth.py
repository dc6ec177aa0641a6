"""The coordinator PIN (argon2id). Full staff accounts come later."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from outreach_app.domain.errors import InvalidInput
from outreach_app.i18n import _l
from outreach_app.services import audit
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Setting

PIN_KEY = "coordinator_pin_hash"
_hasher = PasswordHasher()


def has_coordinator_pin(uow: UnitOfWork) -> bool:
    return uow.session.get(Setting, PIN_KEY) is not None


def set_coordinator_pin(uow: UnitOfWork, pin: str, current: str | None = None) -> None:
    """Setting a PIN the first time needs nothing; changing it needs the current one."""
    if not re.fullmatch(r"\d{4,12}", pin):
        raise InvalidInput(_l("A coordinator PIN is 4 to 12 digits."))
    existing = uow.session.get(Setting, PIN_KEY)
    if existing is not None:
        if current is None or not verify_coordinator_pin(uow, current):
            raise InvalidInput(_l("The current coordinator PIN is needed to change it."))
        existing.value = _hasher.hash(pin)
    else:
        uow.session.add(Setting(key=PIN_KEY, value=_hasher.hash(pin)))
    audit.record(uow, "set coordinator PIN", "")


def verify_coordinator_pin(uow: UnitOfWork, pin: str) -> bool:
    existing = uow.session.get(Setting, PIN_KEY)
    if existing is None:
        return False
    try:
        return _hasher.verify(existing.value, pin)
    except (VerificationError, InvalidHashError):
        return False
