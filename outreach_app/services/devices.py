"""This device and the others of its organisation (contracts §9): `device`, `devices`,
`devices revoke`, and the invitation record `invite` writes.

A device is known by its fingerprint (from its public key, `domain/device_keys.py`). Revoking
one writes a `DeviceRevocation` record, which travels: every device it reaches refuses that
device's bundles from then on. `revoked_at` and `last_sync_at` are what this device knows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outreach_app.domain.device_keys import SIGNING_SEED_KEY, fingerprint, parse_crockford
from outreach_app.domain.errors import InvalidInput, NotFound
from outreach_app.domain.roles import Action
from outreach_app.i18n import _l
from outreach_app.services import audit, staff
from outreach_app.services.store_join import HUB_KEY
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.facts import RECORD_TABLES
from outreach_app.storage.models import Device, DeviceRevocation, Invitation, Setting


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    id: uuid.UUID
    name: str
    fingerprint: str  # blank for a device without a key (none since revision 0006)
    joined_at: datetime
    last_record_at: datetime | None
    last_sync_at: datetime | None
    revoked_at: datetime | None
    this_device: bool


@dataclass(frozen=True, slots=True)
class ThisDevice:
    id: uuid.UUID
    name: str
    fingerprint: str
    org_name: str
    org_id: uuid.UUID
    is_hub: bool


def _fingerprint(device: Device) -> str:
    return fingerprint(bytes(device.verify_key)) if device.verify_key else ""


def _setting(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return row.value if row is not None else None


def is_hub(uow: UnitOfWork) -> bool:
    return _setting(uow.session, HUB_KEY) == "1"


def this_device(uow: UnitOfWork) -> ThisDevice:
    device = uow.session.get_one(Device, uow.device_id)
    return ThisDevice(
        id=device.id,
        name=device.name,
        fingerprint=_fingerprint(device),
        org_name=_setting(uow.session, "org_name") or "",
        org_id=uow.organisation_id(),
        is_hub=is_hub(uow),
    )


def signing_seed(uow: UnitOfWork) -> bytes:
    """This device's private signing seed (it never leaves the store); refused on the hub,
    which keeps none."""
    value = _setting(uow.session, SIGNING_SEED_KEY)
    if value is None:
        raise InvalidInput(
            _l(
                "This is the organisation's hub: it keeps no signing key, so it cannot invite "
                "devices or sign files. Do this on a device of the organisation."
            )
        )
    return bytes.fromhex(value)


def _newest_records(session: Session) -> dict[uuid.UUID, datetime]:
    newest: dict[uuid.UUID, datetime] = {}
    for table in RECORD_TABLES.values():
        query = select(table.c.device_id, func.max(table.c.created_at)).group_by(table.c.device_id)
        for device_id, moment in session.execute(query):
            if moment is not None and (device_id not in newest or moment > newest[device_id]):
                newest[device_id] = moment
    return newest


def list_devices(uow: UnitOfWork) -> list[DeviceInfo]:
    """Every device this one knows, the earliest joined first."""
    newest = _newest_records(uow.session)
    devices = uow.session.scalars(select(Device).order_by(Device.created_at, Device.id))
    return [
        DeviceInfo(
            id=d.id,
            name=d.name,
            fingerprint=_fingerprint(d),
            joined_at=d.created_at,
            last_record_at=newest.get(d.id),
            last_sync_at=d.last_sync_at,
            revoked_at=d.revoked_at,
            this_device=d.id == uow.device_id,
        )
        for d in devices
    ]


def known_keys(uow: UnitOfWork) -> dict[uuid.UUID, bytes]:
    """Device id -> public key of every device held here, revoked ones included (their
    bundles are refused by their revocation, not by an unknown key). A device row enters a
    store only through the invitation a device joined with or after `sync/trust.py` proved
    it, so these are the devices this one trusts: the `known` of `trusted_keys`."""
    rows = uow.session.execute(select(Device.id, Device.verify_key))
    return {device_id: bytes(key) for device_id, key in rows if key}


def _matching(session: Session, text: str) -> Iterator[Device]:
    wanted = parse_crockford(text)
    if wanted is None:
        raise InvalidInput(
            _l(
                "{value!r} is not a fingerprint: 16 letters and digits in four groups, like "
                "7K2Q-M9XD-4HPA-W3TC (`outreach devices` lists them).",
                value=text.strip()[:40],
            )
        )
    for device in session.scalars(select(Device)):
        if device.verify_key and parse_crockford(_fingerprint(device)) == wanted:
            yield device


def revoke(uow: UnitOfWork, fingerprint_text: str) -> DeviceInfo:
    """Revoke the device with that fingerprint (coordinators): a record that travels, and this
    device's own mark. Refuses this device itself, an unknown fingerprint and a device already
    revoked; nothing is written then."""
    staff.require(uow, Action.DEVICES)
    found = list(_matching(uow.session, fingerprint_text))
    if not found:
        raise NotFound(
            _l(
                "No device of this organisation has the fingerprint {value}; `outreach devices` "
                "lists them. Nothing was changed.",
                value=fingerprint_text.strip(),
            )
        )
    device = found[0]
    if device.id == uow.device_id:
        raise InvalidInput(
            _l(
                "That is this device's own fingerprint; a device cannot revoke itself. Revoke it "
                "from another device of the organisation. Nothing was changed."
            )
        )
    if device.revoked_at is not None:
        raise InvalidInput(_l("{name} is already revoked. Nothing was changed.", name=device.name))
    uow.session.add(DeviceRevocation(revoked_device_id=device.id, reason=""))
    device.revoked_at = uow.now()
    uow.session.flush()
    audit.record(uow, "device revoke", f"{device.name} {_fingerprint(device)}")
    return next(d for d in list_devices(uow) if d.id == device.id)


def add_invitation(
    uow: UnitOfWork, invitation_id: uuid.UUID, invite_key: bytes, signature: bytes
) -> Invitation:
    """The record of an invitation made here (coordinators), with its audit entry."""
    staff.require(uow, Action.DEVICES)
    invitation = Invitation(id=invitation_id, invite_key=invite_key, signature=signature)
    uow.session.add(invitation)
    uow.session.flush()
    audit.record(uow, "invite", f"invitation {invitation_id}")
    return invitation
